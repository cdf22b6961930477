//! Issue #22: every link in `README.md` and `docs/` leads somewhere. A relative link names a
//! file or folder that exists, and a `#fragment` names a heading of the page it points at
//! (GitHub's anchors: lower case, punctuation dropped, spaces as hyphens). Web links are not
//! fetched: the tests stay on loopback.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The markdown pages checked: the README and every page in `docs/`.
fn pages() -> Vec<PathBuf> {
    let mut pages = vec![root().join("README.md")];
    for entry in fs::read_dir(root().join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            pages.push(path);
        }
    }
    pages.sort();
    pages
}

/// The page's text outside fenced code blocks, line by line.
fn prose(text: &str) -> Vec<&str> {
    let mut fenced = false;
    text.lines()
        .filter(|l| {
            if l.starts_with("```") {
                fenced = !fenced;
                return false;
            }
            !fenced
        })
        .collect()
}

/// GitHub's anchor for a heading.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// Every anchor a page's headings make (a repeated heading gets `-1`, `-2`, … as on GitHub).
fn anchors(page: &Path) -> BTreeSet<String> {
    let text = fs::read_to_string(page).unwrap();
    let mut seen = BTreeSet::new();
    for line in prose(&text) {
        let Some(heading) = line.strip_prefix('#') else {
            continue;
        };
        let base = slug(heading.trim_start_matches('#'));
        let mut anchor = base.clone();
        let mut n = 0;
        while seen.contains(&anchor) {
            n += 1;
            anchor = format!("{base}-{n}");
        }
        seen.insert(anchor);
    }
    // Anchors written as HTML, `<a id="held-for-review"></a>`.
    for (i, _) in text.match_indices("<a id=\"") {
        let rest = &text[i + 7..];
        if let Some(end) = rest.find('"') {
            seen.insert(rest[..end].to_owned());
        }
    }
    seen
}

/// The targets of the `[text](target)` links in a page's prose.
fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in prose(text) {
        let mut rest = line;
        while let Some(i) = rest.find("](") {
            let after = &rest[i + 2..];
            let Some(end) = after.find(')') else { break };
            out.push(after[..end].to_owned());
            rest = &after[end..];
        }
    }
    out
}

#[test]
fn every_link_in_the_docs_leads_somewhere() {
    let mut broken = Vec::new();
    for page in pages() {
        let text = fs::read_to_string(&page).unwrap();
        for target in links(&text) {
            if target.starts_with("http://") || target.starts_with("https://") || target.starts_with("mailto:") {
                continue;
            }
            let (file, fragment) = match target.split_once('#') {
                Some((f, frag)) => (f, Some(frag)),
                None => (target.as_str(), None),
            };
            let dest = if file.is_empty() {
                page.clone()
            } else {
                page.parent().unwrap().join(file)
            };
            if !dest.exists() {
                broken.push(format!("{}: {target} (no such file)", page.display()));
                continue;
            }
            if let Some(fragment) = fragment {
                if dest.extension().is_some_and(|e| e == "md") && !anchors(&dest).contains(fragment) {
                    broken.push(format!("{}: {target} (no such heading)", page.display()));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

/// The README stays a front page: what it is, the two commands, where to go next.
#[test]
fn the_readme_is_a_front_page() {
    let text = fs::read_to_string(root().join("README.md")).unwrap();
    let lines = text.lines().count();
    assert!(lines <= 80, "README.md has {lines} lines: details belong in docs/");
    assert!(text.contains("./scripts/dev.sh") && text.contains("./scripts/test.sh"));
}

#[test]
fn anchors_follow_github() {
    assert_eq!(
        slug(" Closing the loop: \"You said, we did\""),
        "closing-the-loop-you-said-we-did"
    );
    assert_eq!(slug("Iframe mode"), "iframe-mode");
    assert_eq!(links("see [a](b.md#c) and [d](#e)."), ["b.md#c", "#e"]);
}

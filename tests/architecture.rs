//! Issue #22: the folders of `src/core` import each other in one direction only, and so do the
//! collector's modules. Reads the source as text (no heavy tool): every `crate::core::<folder>`
//! in a file under `src/core/<other>/` is an edge, and a circle among the edges fails the test
//! with the files that make it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Every `.rs` file below `dir`.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The names that follow `prefix` in `text` (`crate::core::` then `survey`, `device`, …).
fn names_after<'a>(text: &'a str, prefix: &str) -> Vec<&'a str> {
    text.match_indices(prefix)
        .filter_map(|(i, _)| {
            let rest = &text[i + prefix.len()..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            (end > 0).then(|| &rest[..end])
        })
        .collect()
}

/// Units (folders, or top-level files) and, for each edge between two of them, the files
/// that make it.
type Graph = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

/// The graph of `root`'s units: a unit is the first path component below `root` (a folder,
/// or a file without `.rs`); `prefix` is how code names a unit (`crate::core::`).
fn graph(root: &Path, prefix: &str, skip_root_files: &[&str]) -> (BTreeSet<String>, Graph) {
    let unit_of = |path: &Path| -> Option<String> {
        let rel = path.strip_prefix(root).ok()?;
        let first = rel.components().next()?.as_os_str().to_str()?.to_owned();
        if skip_root_files.contains(&first.as_str()) {
            return None;
        }
        Some(first.trim_end_matches(".rs").to_owned())
    };
    let files = rust_files(root);
    let units: BTreeSet<String> = files.iter().filter_map(|f| unit_of(f)).collect();
    let mut edges = Graph::new();
    for file in &files {
        let Some(from) = unit_of(file) else { continue };
        let text = fs::read_to_string(file).unwrap();
        for name in names_after(&text, prefix) {
            if name != from && units.contains(name) {
                edges
                    .entry(from.clone())
                    .or_default()
                    .entry(name.to_owned())
                    .or_default()
                    .insert(file.display().to_string());
            }
        }
    }
    (units, edges)
}

/// A circle in the graph, as the units in order, if there is one.
fn find_circle(units: &BTreeSet<String>, edges: &Graph) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    fn visit(
        u: &str,
        edges: &Graph,
        marks: &mut BTreeMap<String, Mark>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        marks.insert(u.to_owned(), Mark::Open);
        path.push(u.to_owned());
        for next in edges.get(u).into_iter().flat_map(|m| m.keys()) {
            match marks.get(next).copied().unwrap_or(Mark::New) {
                Mark::Open => {
                    let start = path.iter().position(|p| p == next).unwrap();
                    let mut circle = path[start..].to_vec();
                    circle.push(next.clone());
                    return Some(circle);
                }
                Mark::New => {
                    if let Some(c) = visit(next, edges, marks, path) {
                        return Some(c);
                    }
                }
                Mark::Done => {}
            }
        }
        path.pop();
        marks.insert(u.to_owned(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for u in units {
        if marks.get(u).copied().unwrap_or(Mark::New) == Mark::New {
            if let Some(c) = visit(u, edges, &mut marks, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

/// Fails with the circle and the files that make each of its steps.
fn assert_no_circle(what: &str, units: &BTreeSet<String>, edges: &Graph) {
    if let Some(circle) = find_circle(units, edges) {
        let steps: Vec<String> = circle
            .windows(2)
            .map(|w| format!("  {} → {}: {:?}", w[0], w[1], edges[&w[0]][&w[1]]))
            .collect();
        panic!(
            "{what} import each other in a circle: {}\n{}",
            circle.join(" → "),
            steps.join("\n")
        );
    }
}

#[test]
fn core_folders_import_in_one_direction() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core");
    let (units, edges) = graph(&root, "crate::core::", &["mod.rs"]);
    for expected in ["text", "survey", "respond", "delivery", "device", "event", "analysis"] {
        assert!(units.contains(expected), "core/{expected}/ is missing: {units:?}");
    }
    assert_no_circle("core's folders", &units, &edges);
}

/// Inside core, another folder is named by its path, never through `super::super` or the
/// root's re-exports, so that the check above sees every edge.
#[test]
fn core_names_other_folders_by_path() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core");
    let (units, _) = graph(&root, "crate::core::", &["mod.rs"]);
    for file in rust_files(&root) {
        if file.parent() == Some(root.as_path()) {
            continue;
        }
        let text = fs::read_to_string(&file).unwrap();
        assert!(
            !text.contains("super::super"),
            "{}: name the folder with crate::core::",
            file.display()
        );
        for name in names_after(&text, "crate::core::") {
            assert!(
                units.contains(name),
                "{}: crate::core::{name} is not a folder of core",
                file.display()
            );
        }
        let in_folder_root = file.file_name().is_some_and(|n| n == "mod.rs");
        if in_folder_root {
            for name in names_after(&text, "super::") {
                assert!(!units.contains(name), "{}: super::{name} hides an edge", file.display());
            }
        }
    }
}

#[test]
fn collector_modules_import_in_one_direction() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("collector/src");
    let (units, edges) = graph(&root, "crate::", &["lib.rs", "main.rs"]);
    assert!(units.contains("http") && units.contains("console"), "{units:?}");
    assert_no_circle("the collector's modules", &units, &edges);
}

#[test]
fn a_circle_is_found_and_named() {
    let units: BTreeSet<String> = ["a", "b", "c"].map(String::from).into();
    let mut edges = Graph::new();
    let add = |edges: &mut Graph, f: &str, t: &str| {
        edges
            .entry(f.into())
            .or_default()
            .entry(t.into())
            .or_default()
            .insert(format!("{f}.rs"));
    };
    add(&mut edges, "a", "b");
    add(&mut edges, "b", "c");
    assert_eq!(find_circle(&units, &edges), None);
    add(&mut edges, "c", "a");
    assert_eq!(
        find_circle(&units, &edges),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
}

/// Components render and dispatch: from the app they reach only its context (`Widget`), so
/// `app` and `ui` do not import each other in a circle, and never the browser directly.
#[test]
fn components_reach_only_the_apps_context() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui");
    for file in rust_files(&root) {
        let text = fs::read_to_string(&file).unwrap();
        for name in names_after(&text, "crate::app::") {
            assert_eq!(name, "context", "{}: crate::app::{name}", file.display());
        }
        assert!(
            !text.contains("crate::platform"),
            "{}: calls the browser",
            file.display()
        );
        assert!(!text.contains("web_sys::"), "{}: calls the browser", file.display());
    }
}

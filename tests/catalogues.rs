//! The widget's translation files (issue #23): `src/core/text/locales/<code>.json`, plain JSON
//! a translator edits. Each has every message of the English catalogue (and event mode's),
//! with the same placeholders, every plural form its language has and always `other`, and no
//! message left in English unless it is listed here as meant to be the same.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{Map, Value};
use std::collections::BTreeSet;
use survey_widget::core::text::plural::{categories, Plural};
use survey_widget::core::text::{Catalogue, LOCALES};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/core/text/locales");

/// Messages a language writes exactly as English does, on purpose.
fn same_as_english(locale: &str) -> &'static [&'static str] {
    match locale {
        "cy" | "ur" => &["title.page", "rating.labelled"],
        _ => &[],
    }
}

fn read(name: &str) -> Map<String, Value> {
    let text = std::fs::read_to_string(format!("{DIR}/{name}.json")).expect(name);
    match serde_json::from_str(&text).expect(name) {
        Value::Object(map) => map,
        _ => panic!("{name} is not an object"),
    }
}

fn english() -> Map<String, Value> {
    let mut en = read("en");
    en.extend(read("en.event"));
    en
}

/// A message's key without its plural category, and the category.
fn split(key: &str) -> (&str, Option<&str>) {
    for p in Plural::ALL {
        if let Some(base) = key.strip_suffix(&format!(".{}", p.as_str())) {
            return (base, Some(p.as_str()));
        }
    }
    (key, None)
}

fn placeholders(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else { break };
        out.insert(rest[start + 1..start + end].to_ascii_lowercase());
        rest = &rest[start + end + 1..];
    }
    out.remove("count");
    out
}

fn plural_bases(en: &Map<String, Value>) -> BTreeSet<String> {
    en.keys()
        .filter(|k| k.ends_with(".other"))
        .map(|k| split(k).0.to_owned())
        .collect()
}

#[test]
fn every_catalogue_has_every_message_with_the_same_placeholders() {
    let en = english();
    let plurals = plural_bases(&en);
    for locale in LOCALES.iter().filter(|l| **l != "en") {
        let cat = read(locale);
        let mut problems = Vec::new();
        for (key, text) in &en {
            let (base, category) = split(key);
            if category.is_some() && plurals.contains(base) {
                continue;
            }
            match cat.get(key).and_then(Value::as_str) {
                None => problems.push(format!("{key}: missing")),
                Some(t) if placeholders(t) != placeholders(text.as_str().unwrap()) => {
                    problems.push(format!("{key}: placeholders {:?}", placeholders(t)))
                }
                Some(t) if t == text.as_str().unwrap() && !same_as_english(locale).contains(&key.as_str()) => {
                    problems.push(format!("{key}: still in English (list it if that is meant)"))
                }
                Some(_) => {}
            }
        }
        for base in &plurals {
            let english = en[&format!("{base}.other")].as_str().unwrap();
            for p in categories(locale) {
                match cat.get(&format!("{base}.{}", p.as_str())).and_then(Value::as_str) {
                    None => problems.push(format!("{base}.{}: missing", p.as_str())),
                    Some(t) if !placeholders(t).is_subset(&placeholders(english)) => {
                        problems.push(format!("{base}.{}: placeholders", p.as_str()))
                    }
                    Some(_) => {}
                }
            }
        }
        for key in cat.keys() {
            let (base, category) = split(key);
            let known = en.contains_key(key) || (category.is_some() && plurals.contains(base));
            if !known {
                problems.push(format!("{key}: not a message of en.json"));
            }
        }
        assert!(problems.is_empty(), "{locale}.json:\n  {}", problems.join("\n  "));
        Catalogue::in_language(&serde_json::to_string(&cat).unwrap(), locale).unwrap();
    }
}

#[test]
fn english_has_other_for_every_plural() {
    let en = english();
    for key in en.keys() {
        if let (base, Some(_)) = split(key) {
            assert!(en.contains_key(&format!("{base}.other")), "{base} has no `other`");
        }
    }
}

#[test]
fn the_catalogue_names_the_languages_it_has() {
    for locale in LOCALES {
        assert!(
            std::path::Path::new(&format!("{DIR}/{locale}.json")).exists(),
            "{locale}.json"
        );
    }
}

#[test]
fn welsh_counts_characters_in_welsh() {
    let cy = Catalogue::in_language(&std::fs::read_to_string(format!("{DIR}/cy.json")).unwrap(), "cy").unwrap();
    assert_eq!(
        survey_widget::core::respond::field::character_count(7, 10, &cy),
        "Mae gennych 3 nod ar ôl"
    );
    assert_eq!(cy.plural("start.time", 2, &[]), "Mae’n cymryd tua 2 funud.");
}

/// The officer console's own catalogue (issue #23): Welsh with every message of English and
/// the same placeholders.
#[test]
fn the_officer_console_is_in_welsh_too() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/entries/console");
    let read = |name: &str| -> Map<String, Value> {
        serde_json::from_str(&std::fs::read_to_string(format!("{dir}/{name}.json")).unwrap()).unwrap()
    };
    let (en, cy) = (read("en"), read("cy"));
    let keys = |m: &Map<String, Value>| m.keys().cloned().collect::<BTreeSet<_>>();
    assert_eq!(keys(&en), keys(&cy), "the same messages");
    for (key, text) in &en {
        let welsh = cy[key].as_str().unwrap();
        assert_eq!(placeholders(welsh), placeholders(text.as_str().unwrap()), "{key}");
        assert!(welsh != text.as_str().unwrap(), "{key} is still in English");
    }
}

/// The survey editor's catalogue (issue #25): every key its page asks for is there, once, with
/// the kinds of answer and the task list's tags it names by pattern.
#[cfg(any(feature = "authoring", not(feature = "web")))]
#[test]
fn the_editor_has_every_word_it_shows_once() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/entries/editor");
    let text = std::fs::read_to_string(format!("{dir}/en.json")).unwrap();
    let en: Map<String, Value> = serde_json::from_str(&text).unwrap();
    let lines: Vec<&str> = text.lines().filter(|l| l.trim_start().starts_with('"')).collect();
    assert_eq!(lines.len(), en.len(), "a key written twice in editor/en.json");
    let source = std::fs::read_to_string(format!("{dir}/main.rs")).unwrap();
    let mut used = BTreeSet::new();
    for call in [".get(\"", ".format(\"", "get(if form.required { \""] {
        for part in source.split(call).skip(1) {
            if let Some(key) = part.split('"').next() {
                used.insert(key.to_owned());
            }
        }
    }
    for kind in survey_widget::core::author::question::KINDS {
        used.insert(format!("kind.{kind}"));
        used.insert(format!("kind.{kind}.hint"));
    }
    for status in ["notStarted", "inProgress", "completed", "cannotStart", "optional"] {
        used.insert(format!("editor.status.{status}"));
    }
    for error in ["kind", "title", "options"] {
        used.insert(format!("editor.error.{error}"));
    }
    // Advice is worded by the preview page's catalogue, shared.
    let missing: Vec<&String> = used
        .iter()
        .filter(|k| !k.contains('{') && !k.is_empty() && !en.contains_key(*k) && !k.starts_with("advice."))
        // Dotted names are the catalogue's; `get("id")` and the like read the survey's JSON.
        .filter(|k| k.contains('.') && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '.'))
        .collect();
    assert!(
        missing.is_empty(),
        "keys the editor shows but en.json lacks: {missing:?}"
    );
}

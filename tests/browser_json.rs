//! Issue #24: in the web build surveys (and everything else core reads as JSON) are parsed by
//! the browser's `JSON.parse`, walked into a `serde_json::Value`, instead of serde_json's
//! parser. This differential test loads every survey fixture, and thousands of mutations of
//! them, both ways in a real browser and asks for the same `Survey`, or the same problems at
//! the same JSON paths.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{Map, Value};
use survey_widget::core::survey::load::{load_survey, load_survey_value, DefinitionErrorKind, DefinitionErrors};
use survey_widget::core::text::json::{parse, parse_natively, MAX_DEPTH};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const FIXTURES: [(&str, &str); 8] = [
    (
        "carers-strategy",
        include_str!("../public/surveys/carers-strategy.json"),
    ),
    ("co-production", include_str!("../public/surveys/co-production.json")),
    (
        "discharge-reablement",
        include_str!("../public/surveys/discharge-reablement.json"),
    ),
    ("broken-survey", include_str!("fixtures/broken-survey.json")),
    ("long-words", include_str!("fixtures/long-words.json")),
    ("rtl-survey", include_str!("fixtures/rtl-survey.json")),
    ("scales-survey", include_str!("fixtures/scales-survey.json")),
    ("short-survey", include_str!("fixtures/short-survey.json")),
];

/// What a load came to, comparable across the two parsers: the survey as its debug text, or
/// each problem's path and kind. A syntax error's wording is each parser's own, so only its
/// place and kind are compared.
fn outcome(result: Result<impl std::fmt::Debug, DefinitionErrors>) -> Result<String, Vec<(String, String)>> {
    result.map(|s| format!("{s:?}")).map_err(|errors| {
        errors
            .0
            .iter()
            .map(|e| match &e.kind {
                DefinitionErrorKind::Syntax(_) => (e.path.clone(), "syntax".to_owned()),
                kind => (e.path.clone(), format!("{kind:?}")),
            })
            .collect()
    })
}

fn both_ways(what: &str, text: &str) {
    let browser = outcome(load_survey(text));
    let native = outcome(parse_natively(text).map_err(|_| ()).map_or_else(
        |()| {
            Err(DefinitionErrors(vec![survey_widget::core::DefinitionError {
                path: "$".into(),
                kind: DefinitionErrorKind::Syntax(String::new()),
            }]))
        },
        |v| load_survey_value(&v),
    ));
    assert_eq!(browser, native, "{what}: the browser's parser and serde_json disagree");
}

/// Every place in `value`, as a list of steps from the root.
fn places(value: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(here.clone());
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                here.push(Step::Index(i));
                places(item, here, out);
                here.pop();
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                here.push(Step::Key(k.clone()));
                places(item, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

fn at<'a>(value: &'a mut Value, steps: &[Step]) -> &'a mut Value {
    steps.iter().fold(value, |v, step| match step {
        Step::Key(k) => v.get_mut(k).unwrap(),
        Step::Index(i) => v.get_mut(*i).unwrap(),
    })
}

/// What a place is replaced with, as JSON text (so `2.0` stays written as a float).
const REPLACEMENTS: [&str; 14] = [
    "null",
    "true",
    "0",
    "-1",
    "2.0",
    "2.5",
    "1e300",
    "-0",
    "4294967296",
    "\"\"",
    "\"x\"",
    "[]",
    "{}",
    "\"\\u00e9\"",
];

/// Lets the page breathe: the test runner talks to the page between tasks, and a test that
/// held the page for the whole run would time out.
async fn yield_to_the_page() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window().unwrap().set_timeout_with_callback(&resolve);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[wasm_bindgen_test]
async fn every_fixture_and_its_mutations_load_the_same_both_ways() {
    let mut checked = 0;
    for (name, text) in FIXTURES {
        both_ways(name, text);
        let original: Value = serde_json::from_str(text).unwrap();
        let mut all = Vec::new();
        places(&original, &mut Vec::new(), &mut all);
        for (n, steps) in all.iter().enumerate() {
            if n % 25 == 0 {
                yield_to_the_page().await;
            }
            // A replacement per place, each in turn, and the place removed where it can be.
            let replacement = REPLACEMENTS[n % REPLACEMENTS.len()];
            let marker = Value::String("\u{0}marker\u{0}".into());
            let mut mutated = original.clone();
            *at(&mut mutated, steps) = marker.clone();
            let text = mutated.to_string().replace(&marker.to_string(), replacement);
            both_ways(&format!("{name} with {steps:?} = {replacement}"), &text);
            checked += 1;
            if let Some((Step::Key(k), parent)) = steps.split_last() {
                let mut mutated = original.clone();
                if let Value::Object(map) = at(&mut mutated, parent) {
                    map.remove(k);
                }
                both_ways(&format!("{name} without {steps:?}"), &mutated.to_string());
                checked += 1;
            }
        }
    }
    assert!(checked > 2_000, "only {checked} mutations");
}

#[wasm_bindgen_test]
fn texts_that_are_not_json_fail_both_ways() {
    let short = FIXTURES[7].1;
    let mut cases: Vec<String> = (1..short.len())
        .step_by(37)
        .filter_map(|end| short.get(..end))
        .map(str::to_owned)
        .collect();
    cases.extend([
        String::new(),
        "{".into(),
        "{\"a\":1,}".into(),
        "[1 2]".into(),
        "NaN".into(),
        "{'a':1}".into(),
        short.replacen("\"title\"", "\"ti\\ud800tle\"", 1),
        short.replacen("\"A short survey\"", "\"A short \\udc00 survey\"", 1),
        format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1)),
        format!("{{\"x\":{}0{}}}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH)),
    ]);
    for text in &cases {
        let (browser, native) = (parse(text), parse_natively(text));
        assert_eq!(browser.is_ok(), native.is_ok(), "{text:.80}: {browser:?} / {native:?}");
        both_ways(&format!("{text:.80}"), text);
    }
    // Whatever nests, the walk stops at serde_json's limit rather than at the stack's.
    assert!(parse(&format!("{}{}", "[".repeat(100_000), "]".repeat(100_000))).is_err());
}

#[wasm_bindgen_test]
fn values_come_out_the_same() {
    for text in [
        r#"{"a":[1,-2,2.5,1e300,-0,0.1,9007199254740993,null,true,false,"é\n\"",{}],"b":{"c":"ŵ"},"a":"last"}"#,
        r#"{"__proto__":{"x":1},"constructor":2}"#,
        "  [ ]  ",
    ] {
        let (browser, native) = (parse(text).unwrap(), parse_natively(text).unwrap());
        // Numbers compare as f64: JSON.parse cannot tell 2.0 from 2, nor hold 2^53 + 1.
        fn norm(v: &Value) -> Value {
            match v {
                Value::Number(n) => Value::from(n.as_f64().unwrap()),
                Value::Array(a) => Value::Array(a.iter().map(norm).collect()),
                Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), norm(v))).collect::<Map<_, _>>()),
                other => other.clone(),
            }
        }
        assert_eq!(norm(&browser), norm(&native), "{text}");
    }
}

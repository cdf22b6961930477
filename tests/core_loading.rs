//! Loading survey definitions: the built-in surveys load, and every kind of fault is
//! reported with its JSON path, all at once (issue #2, section 2).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use serde_json::json;
use survey_widget::core::analysis::dictionary::type_name;
use survey_widget::core::survey::load::load_survey_value;
use survey_widget::core::{load_survey, DefinitionErrorKind as K, QuestionKind};

fn errors(value: serde_json::Value) -> Vec<(String, K)> {
    match load_survey_value(&value) {
        Ok(_) => Vec::new(),
        Err(e) => e.0.into_iter().map(|e| (e.path, e.kind)).collect(),
    }
}

fn survey_with(questions: serde_json::Value) -> serde_json::Value {
    json!({ "formatVersion": 1, "id": "s", "version": "1", "title": "T",
            "pages": [ { "id": "p1", "questions": questions } ] })
}

#[test]
fn built_in_surveys_load() {
    for name in common::BUILT_IN {
        let survey = common::built_in(name);
        assert_eq!(survey.id.0, *name);
        assert!(survey.privacy_notice.is_some(), "{name} links a privacy notice");
    }
    let carers = common::built_in("carers-strategy");
    let answerable = carers.questions().filter(|(_, q)| q.kind.is_answerable()).count();
    assert!(answerable >= 20, "carers survey has {answerable} questions");
    assert!(
        carers.pages.iter().filter(|p| p.show_if.is_some()).count() >= 5,
        "real skip logic"
    );
}

#[test]
fn built_in_surveys_use_every_question_type() {
    let mut kinds = std::collections::BTreeSet::new();
    for name in common::BUILT_IN {
        for (_, q) in common::built_in(name).questions() {
            // The type names of survey files, as the data dictionary writes them.
            kinds.insert(type_name(&q.kind));
        }
    }
    assert_eq!(kinds.len(), 13, "{kinds:?}");
}

#[test]
fn broken_fixture_reports_every_problem_with_its_path() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/broken-survey.json"
    ))
    .unwrap();
    let err = load_survey(&text).unwrap_err();
    let found: Vec<(String, K)> = err.0.iter().map(|e| (e.path.clone(), e.kind.clone())).collect();
    let expect = [
        ("$.colour", K::UnknownField("colour".into())),
        ("$.pages[0].questions[0].choices", K::Empty),
        ("$.pages[0].questions[1].id", K::DuplicateId("q1".into())),
        ("$.pages[1].questions[0].title", K::WrongType("a non-empty string")),
        ("$.pages[1].questions[1].type", K::UnknownType("sliders".into())),
        (
            "$.pages[1].questions[2].links[0].href",
            K::UnsafeLink("javascript:alert(1)".into()),
        ),
        (
            "$.pages[0].questions[2].showIf.question",
            K::ForwardReference("q4".into()),
        ),
        (
            "$.pages[1].questions[3].showIf.question",
            K::UnknownReference("nobody".into()),
        ),
    ];
    for (path, kind) in expect {
        assert!(
            found.contains(&(path.to_owned(), kind.clone())),
            "missing {path}: {kind:?} in {found:#?}"
        );
    }
    assert!(found
        .iter()
        .any(|(p, k)| p == "$.pages[0].questions[1].pattern" && matches!(k, K::BadPattern(_))));
    let text = err.to_string();
    assert!(text.starts_with("survey definition has"), "{text}");
}

#[test]
fn syntax_errors_are_reported() {
    let err = load_survey("{ \"formatVersion\": 1, ").unwrap_err();
    assert!(matches!(&err.0[0].kind, K::Syntax(_)));
    assert_eq!(err.0[0].path, "$");
    assert!(load_survey("").is_err());
    assert!(load_survey("[]").is_err());
    assert!(load_survey("null").is_err());
}

#[test]
fn top_level_rules() {
    let e = errors(json!({ "formatVersion": 2, "id": "9bad", "title": "", "pages": [] }));
    assert!(e.contains(&("$.formatVersion".into(), K::UnsupportedVersion("2".into()))));
    assert!(e.contains(&("$.id".into(), K::InvalidId("9bad".into()))));
    assert!(e.contains(&("$".into(), K::Missing("version"))));
    assert!(e.contains(&("$.title".into(), K::WrongType("a non-empty string"))));
    assert!(e.contains(&("$.pages".into(), K::Empty)));
    let e = errors(json!({ "id": "s", "version": "1", "title": "T", "pages": [], "endpoint": "http://example.com/x" }));
    assert!(e.contains(&("$".into(), K::Missing("formatVersion"))));
    assert!(e.contains(&("$.endpoint".into(), K::InsecureEndpoint("http://example.com/x".into()))));
}

#[test]
fn duplicate_ids_everywhere() {
    let e = errors(
        json!({ "formatVersion": 1, "id": "s", "version": "1", "title": "T", "pages": [
        { "id": "p", "questions": [ { "id": "a", "type": "email", "title": "A" } ] },
        { "id": "p", "questions": [ { "id": "a", "type": "phone", "title": "B" } ] } ] }),
    );
    assert!(e.contains(&("$.pages[1].id".into(), K::DuplicateId("p".into()))));
    assert!(e.contains(&("$.pages[1].questions[0].id".into(), K::DuplicateId("a".into()))));
    let e = errors(survey_with(json!([
        { "id": "c", "type": "singleChoice", "title": "C", "choices": [ { "value": "x", "label": "X" } ], "other": { "value": "x", "label": "Other" } },
        { "id": "l", "type": "likert", "title": "L", "statements": [ { "id": "s", "text": "S" }, { "id": "s", "text": "S2" } ], "scale": [ { "value": 1, "label": "One" } ] }
    ])));
    assert!(e.contains(&("$.pages[0].questions[0].other.value".into(), K::DuplicateId("x".into()))));
    assert!(e.contains(&(
        "$.pages[0].questions[1].statements[1].id".into(),
        K::DuplicateId("s".into())
    )));
}

#[test]
fn wrong_types_and_ranges() {
    let e = errors(survey_with(json!([
        { "id": "n", "type": "number", "title": "N", "min": 10, "max": 1, "integer": "yes" },
        { "id": "d", "type": "date", "title": "D", "min": "01/01/2020", "past": 1 },
        { "id": "r", "type": "rating", "title": "R", "min": 0, "max": 20 },
        { "id": "m", "type": "multipleChoice", "title": "M", "choices": [ { "value": "a", "label": "A" } ], "minSelected": 3, "maxSelected": 2 },
        { "id": "t", "type": "text", "title": "T", "maxLength": 0, "messages": { "colour": "x", "required": 5 } },
        { "id": "x", "type": "longText", "title": "X", "maxLength": 100000 },
        "not an object"
    ])));
    let paths: Vec<&str> = e.iter().map(|(p, _)| p.as_str()).collect();
    for p in [
        "$.pages[0].questions[0].min",
        "$.pages[0].questions[0].integer",
        "$.pages[0].questions[1].min",
        "$.pages[0].questions[1].past",
        "$.pages[0].questions[2].max",
        "$.pages[0].questions[3].minSelected",
        "$.pages[0].questions[4].maxLength",
        "$.pages[0].questions[4].messages.colour",
        "$.pages[0].questions[4].messages.required",
        "$.pages[0].questions[5].maxLength",
        "$.pages[0].questions[6]",
    ] {
        assert!(paths.contains(&p), "missing {p} in {e:#?}");
    }
}

#[test]
fn conditions_are_checked() {
    let e = errors(survey_with(json!([
        { "id": "a", "type": "text", "title": "A" },
        { "id": "i", "type": "info", "title": "I" },
        { "id": "b", "type": "text", "title": "B", "showIf": { "question": "a", "greaterThan": 3 } },
        { "id": "c", "type": "text", "title": "C", "showIf": { "question": "i", "answered": true } },
        { "id": "d", "type": "text", "title": "D", "showIf": { "question": "a", "equals": "x", "anyOf": ["y"] } },
        { "id": "e", "type": "text", "title": "E", "showIf": { "question": "a", "anyOf": [] } },
        { "id": "f", "type": "text", "title": "F", "showIf": { "all": [ { "question": "f", "answered": true } ] } },
        { "id": "g", "type": "text", "title": "G", "showIf": { "question": "a", "equals": ["x"] } },
        { "id": "h", "type": "text", "title": "H", "showIf": { "question": "a", "matches": "x" } },
        { "id": "j", "type": "text", "title": "J", "showIf": "a" }
    ])));
    let has = |p: &str| e.iter().any(|(path, _)| path == p);
    assert!(e.contains(&(
        "$.pages[0].questions[2].showIf.question".into(),
        K::NotNumeric("a".into())
    )));
    assert!(e.contains(&(
        "$.pages[0].questions[3].showIf.question".into(),
        K::NotAnswerable("i".into())
    )));
    assert!(has("$.pages[0].questions[4].showIf"));
    assert!(has("$.pages[0].questions[5].showIf.anyOf"));
    assert!(e.contains(&(
        "$.pages[0].questions[6].showIf.all[0].question".into(),
        K::ForwardReference("f".into())
    )));
    assert!(has("$.pages[0].questions[7].showIf.equals"));
    assert!(e.contains(&(
        "$.pages[0].questions[8].showIf.matches".into(),
        K::UnknownField("matches".into())
    )));
    assert!(has("$.pages[0].questions[9].showIf"));
}

#[test]
fn a_page_condition_cannot_see_its_own_questions() {
    let e = errors(
        json!({ "formatVersion": 1, "id": "s", "version": "1", "title": "T", "pages": [
        { "id": "p", "showIf": { "question": "a", "answered": true }, "questions": [ { "id": "a", "type": "text", "title": "A" } ] } ] }),
    );
    assert_eq!(
        e,
        vec![("$.pages[0].showIf.question".into(), K::ForwardReference("a".into()))]
    );
}

#[test]
fn patterns_are_bounded() {
    let long = "a".repeat(201);
    let e = errors(survey_with(json!([
        { "id": "a", "type": "text", "title": "A", "pattern": long },
        { "id": "b", "type": "text", "title": "B", "pattern": "(((((((((((((((((((a)))))))))))))))))))" },
        { "id": "c", "type": "text", "title": "C", "pattern": "[0-9]{1,2}" }
    ])));
    assert!(e
        .iter()
        .any(|(p, k)| p == "$.pages[0].questions[0].pattern" && matches!(k, K::BadPattern(_))));
    assert!(e
        .iter()
        .any(|(p, k)| p == "$.pages[0].questions[1].pattern" && matches!(k, K::BadPattern(_))));
    assert_eq!(e.len(), 2, "{e:#?}");
}

#[test]
fn hostile_strings_are_kept_as_text() {
    let s = load_survey_value(&survey_with(json!([
        { "id": "a", "type": "text", "title": "<img src=x onerror=alert(1)>", "hint": "<script>alert(1)</script>" }
    ])))
    .unwrap();
    let (_, q) = s.questions().next().unwrap();
    assert_eq!(q.title, "<img src=x onerror=alert(1)>");
}

#[test]
fn the_documented_example_loads() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/survey-format.md")).unwrap();
    let start = doc.find("```json\n").expect("docs/survey-format.md has a JSON example") + "```json\n".len();
    let end = start + doc[start..].find("```").unwrap();
    let survey = load_survey(&doc[start..end]).unwrap_or_else(|e| panic!("documented example: {e}"));
    assert_eq!(survey.pages.len(), 2);
}

/// Issue #8: `lang` on any survey text, checked as a language tag; `maxLength` on "Other".
#[test]
fn languages_and_other_lengths() {
    let q = json!([
        { "id": "pick", "type": "singleChoice", "title": "Which language?", "lang": "en",
          "choices": [ { "value": "ur", "label": "اردو", "lang": "ur", "hint": "Urdu" },
                       { "value": "pa", "label": "ਪੰਜਾਬੀ", "lang": "pa-Guru" } ],
          "other": { "value": "other", "label": "Another language", "maxLength": 40 } },
        { "id": "agree", "type": "likert", "title": "Agree?",
          "statements": [ { "id": "s", "text": "Rwy’n cytuno", "lang": "cy" } ],
          "scale": [ { "value": "y", "label": "Yes" } ] }
    ]);
    let mut value = survey_with(q);
    value["lang"] = json!("en-GB");
    value["pages"][0]["lang"] = json!("cy");
    let survey = load_survey_value(&value).unwrap();
    assert_eq!(survey.lang.as_deref(), Some("en-GB"));
    assert_eq!(survey.pages[0].lang.as_deref(), Some("cy"));
    let pick = &survey.pages[0].questions[0];
    assert_eq!(pick.lang.as_deref(), Some("en"));
    match &pick.kind {
        QuestionKind::SingleChoice {
            choices,
            other,
            other_max_length,
        } => {
            assert_eq!(choices[0].lang.as_deref(), Some("ur"));
            assert_eq!(choices[1].lang.as_deref(), Some("pa-Guru"));
            assert_eq!(other.as_ref().unwrap().lang, None);
            assert_eq!(*other_max_length, 40);
        }
        other => panic!("{other:?}"),
    }
    match &survey.pages[0].questions[1].kind {
        QuestionKind::Likert { statements, .. } => assert_eq!(statements[0].lang.as_deref(), Some("cy")),
        other => panic!("{other:?}"),
    }
    // Without maxLength the "Other" box takes what a short text answer does.
    let plain = survey_with(json!([{ "id": "c", "type": "singleChoice", "title": "C",
        "choices": [ { "value": "a", "label": "A" } ], "other": { "value": "o", "label": "Other" } }]));
    match &load_survey_value(&plain).unwrap().pages[0].questions[0].kind {
        QuestionKind::SingleChoice { other_max_length, .. } => assert_eq!(*other_max_length, 500),
        other => panic!("{other:?}"),
    }

    let bad = survey_with(
        json!([{ "id": "c", "type": "singleChoice", "title": "C", "lang": "not a tag",
        "choices": [ { "value": "a", "label": "A", "lang": "x\"><script>" }, { "value": "b", "label": "B", "maxLength": 3 } ],
        "other": { "value": "o", "label": "Other", "maxLength": 501 } }]),
    );
    let found = errors(bad);
    let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "$.pages[0].questions[0].lang",
            "$.pages[0].questions[0].choices[0].lang",
            "$.pages[0].questions[0].choices[1].maxLength",
            "$.pages[0].questions[0].other.maxLength",
        ],
        "{found:?}"
    );
    assert!(
        matches!(found[2].1, K::UnknownField(_)),
        "maxLength is only for the Other choice"
    );
    assert!(matches!(found[3].1, K::OutOfRange(_)));
}

/// The shared fixtures of issue #8 (scales, long unbroken words) load.
#[test]
fn issue_8_fixtures_load() {
    for name in ["scales-survey", "long-words", "short-survey", "rtl-survey"] {
        let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap();
        load_survey(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
}

/// Issue #21: contact and personal questions are known as such, so a shared device's
/// summaries show only how many answered them and no public theme starts from them.
#[test]
fn personal_questions_are_marked_or_known_by_their_kind() {
    let survey = load_survey_value(&survey_with(json!([
        { "id": "email", "type": "email", "title": "Email" },
        { "id": "phone", "type": "phone", "title": "Phone" },
        { "id": "name", "type": "text", "title": "Name", "autocomplete": "name" },
        { "id": "postcode", "type": "text", "title": "Postcode", "autocomplete": "off", "personal": true },
        { "id": "age", "type": "singleChoice", "title": "Age", "personal": true,
          "choices": [{ "value": "a", "label": "A" }, { "value": "b", "label": "B" }] },
        { "id": "why", "type": "longText", "title": "Why" },
        { "id": "work-email", "type": "email", "title": "Team email", "personal": false }
    ])))
    .unwrap();
    let personal: Vec<&str> = survey
        .questions()
        .filter(|(_, q)| q.is_personal())
        .map(|(_, q)| q.id.0.as_str())
        .collect();
    assert_eq!(personal, ["email", "phone", "name", "postcode", "age"]);
    assert!(errors(survey_with(
        json!([{ "id": "q", "type": "text", "title": "Q", "personal": "yes" }])
    ))
    .iter()
    .any(|(path, _)| path.ends_with(".personal")));
    let carers = load_survey(include_str!("../public/surveys/carers-strategy.json")).unwrap();
    let marked: Vec<&str> = carers
        .questions()
        .filter(|(_, q)| q.is_personal())
        .map(|(_, q)| q.id.0.as_str())
        .collect();
    assert_eq!(
        marked,
        [
            "age-band",
            "employment",
            "contact-name",
            "contact-email",
            "contact-phone",
            "postcode-district"
        ]
    );
}

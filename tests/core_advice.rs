//! Issue #25: advice on a survey as it is written, each check with examples that pass and
//! examples that fail, on surveys loaded as the widget loads them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{json, Value};
use survey_widget::core::load_survey;
use survey_widget::core::survey::advice::{advise, asks_two_things, reading_age, syllables, Advice, AdviceKind};

/// A survey of one page per question in `questions`.
fn survey(questions: Vec<Value>) -> Value {
    let pages: Vec<Value> = questions
        .into_iter()
        .enumerate()
        .map(|(i, q)| json!({ "id": format!("p{i}"), "questions": [q] }))
        .collect();
    json!({ "formatVersion": 1, "id": "advice", "version": "1", "title": "Tell us", "pages": pages })
}

fn advice(questions: Vec<Value>) -> Vec<Advice> {
    advise(&load_survey(&survey(questions).to_string()).unwrap(), &[])
}

fn kinds(questions: Vec<Value>) -> Vec<AdviceKind> {
    advice(questions).into_iter().map(|a| a.kind).collect()
}

fn radios(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| json!({ "value": format!("v{i}"), "label": format!("Place {i}") }))
        .collect()
}

fn likert(statements: usize, points: usize) -> Value {
    json!({
        "id": "grid", "type": "likert", "title": "How much do you agree?",
        "statements": (0..statements).map(|i| json!({ "id": format!("s{i}"), "text": format!("Point {i}") })).collect::<Vec<_>>(),
        "scale": radios(points),
    })
}

#[test]
fn grids_of_at_most_5_statements_and_7_points_pass() {
    assert_eq!(kinds(vec![likert(5, 7)]), []);
    assert_eq!(
        kinds(vec![likert(6, 5)]),
        [AdviceKind::BigGrid {
            statements: 6,
            points: 5
        }]
    );
    assert_eq!(
        kinds(vec![likert(3, 8)]),
        [AdviceKind::BigGrid {
            statements: 3,
            points: 8
        }]
    );
}

#[test]
fn thirty_radios_pass_and_thirty_one_do_not() {
    let q = |n| json!({ "id": "place", "type": "singleChoice", "title": "Where do you live?", "choices": radios(n) });
    assert_eq!(kinds(vec![q(30)]), []);
    assert_eq!(kinds(vec![q(31)]), [AdviceKind::ManyRadios(31)]);
}

#[test]
fn compulsory_free_text_is_flagged_but_not_an_optional_box_or_a_contact_field() {
    let long = |required| json!({ "id": "story", "type": "longText", "title": "Tell us more", "required": required });
    assert_eq!(kinds(vec![long(true)]), [AdviceKind::CompulsoryFreeText]);
    assert_eq!(kinds(vec![long(false)]), []);
    let short = json!({ "id": "thoughts", "type": "text", "title": "Anything else", "required": true });
    assert_eq!(kinds(vec![short]), [AdviceKind::CompulsoryFreeText]);
    let name = json!({ "id": "name", "type": "text", "title": "Your name", "autocomplete": "name" });
    assert_eq!(kinds(vec![name]), []);
}

#[test]
fn a_title_asking_two_things_is_flagged() {
    assert!(asks_two_things("How easy was it to find, and would you use it again?"));
    assert!(asks_two_things("What went well? What could be better?"));
    assert!(asks_two_things("Did you get a carer's assessment or do you want one?"));
    assert!(!asks_two_things("Do you care for a partner or a parent?"));
    assert!(!asks_two_things(
        "How satisfied are you with the support you and your family get?"
    ));
    let q = |title: &str| json!({ "id": "q", "type": "yesNo", "title": title });
    assert_eq!(
        kinds(vec![q("Was it quick and did it help?")]),
        [AdviceKind::TwoQuestions]
    );
    assert_eq!(kinds(vec![q("Was it quick?")]), []);
}

#[test]
fn an_option_called_other_needs_its_box() {
    let single = |choices: Value, other: Option<Value>| {
        let mut q =
            json!({ "id": "how", "type": "singleChoice", "title": "How did you hear about it?", "choices": choices });
        if let Some(o) = other {
            q["other"] = o;
        }
        q
    };
    let plain = json!([{ "value": "web", "label": "Website" }, { "value": "other", "label": "Other" }]);
    assert_eq!(
        kinds(vec![single(plain, None)]),
        [AdviceKind::OtherWithoutBox("Other".into())]
    );
    let with_box = json!([{ "value": "web", "label": "Website" }]);
    assert_eq!(
        kinds(vec![single(
            with_box,
            Some(json!({ "value": "other", "label": "Other" }))
        )]),
        []
    );
    let multiple = json!({ "id": "m", "type": "multipleChoice", "title": "Which do you use?",
        "choices": [{ "value": "a", "label": "A day centre" }, { "value": "b", "label": "Other (please say)" }] });
    assert_eq!(
        kinds(vec![multiple]),
        [AdviceKind::OtherWithoutBox("Other (please say)".into())]
    );
}

#[test]
fn an_answer_with_a_format_needs_a_hint() {
    let date = |hint: Option<&str>| {
        let mut q = json!({ "id": "when", "type": "date", "title": "When did you leave hospital?" });
        if let Some(h) = hint {
            q["hint"] = json!(h);
        }
        q
    };
    assert_eq!(kinds(vec![date(None)]), [AdviceKind::FormatWithoutHint]);
    assert_eq!(kinds(vec![date(Some("For example, 27 3 2026"))]), []);
    let postcode = json!({ "id": "pc", "type": "text", "title": "Your postcode district", "pattern": "^[A-Z]{1,2}[0-9]{1,2}$", "required": false });
    assert_eq!(kinds(vec![postcode]), [AdviceKind::FormatWithoutHint]);
    assert_eq!(
        kinds(vec![
            json!({ "id": "tel", "type": "phone", "title": "Your phone number", "required": false })
        ]),
        [AdviceKind::FormatWithoutHint]
    );
    assert_eq!(
        kinds(vec![
            json!({ "id": "e", "type": "email", "title": "Your email address", "required": false })
        ]),
        []
    );
}

#[test]
fn plain_english_sentences_reading_age_words_to_avoid_and_jargon() {
    let q = |title: &str| json!({ "id": "q", "type": "yesNo", "title": title });
    let long = "Please tell us whether the support that you were offered when you left the hospital last year was the support that you had been told you would get";
    assert_eq!(
        kinds(vec![q(long)]),
        [AdviceKind::LongSentence(28), AdviceKind::ReadingAge(15)]
    );
    assert_eq!(kinds(vec![q("Did you get the help you needed?")]), []);
    let hard = "Considering organisational responsibilities, institutional collaboration demonstrates considerable administrative complexity for individuals and communities alike.";
    assert!(
        matches!(kinds(vec![q(hard)])[..], [AdviceKind::ReadingAge(age)] if age > 9),
        "{:?}",
        kinds(vec![q(hard)])
    );
    assert_eq!(
        reading_age("We want to know what you think. Tell us what helps you most."),
        Some(5)
    );
    assert_eq!(reading_age("Too short to judge."), None);
    assert_eq!(
        kinds(vec![q("Should we utilise the hall?")]),
        [AdviceKind::WordToAvoid("utilise".into())]
    );
    assert_eq!(
        kinds(vec![q("Did we signpost you to help?")]),
        [AdviceKind::Jargon("signpost".into())]
    );
    assert_eq!(
        kinds(vec![q("Did our stakeholders help?")]),
        [AdviceKind::Jargon("stakeholder".into())]
    );
    // A word inside another is not the word: "keyboard" is not "key".
    assert_eq!(kinds(vec![q("Do you use a keyboard?")]), []);
    // A council's own jargon, however it was typed.
    let s = load_survey(&survey(vec![q("Was the ASC front door easy to reach?")]).to_string()).unwrap();
    let own = advise(&s, &[" ASC front door ".into()]);
    assert_eq!(
        own.iter().map(|a| a.kind.clone()).collect::<Vec<_>>(),
        [AdviceKind::Jargon("asc front door".into())]
    );
}

#[test]
fn syllables_are_estimated_from_vowel_groups() {
    for (word, n) in [
        ("care", 1),
        ("carer", 2),
        ("hospital", 3),
        ("table", 2),
        ("support", 2),
        ("the", 1),
        ("rhythm", 1),
        ("co-production", 4),
    ] {
        assert_eq!(syllables(word), n, "{word}");
    }
}

#[test]
fn each_piece_of_advice_says_where_it_is() {
    let found = advice(vec![
        json!({ "id": "fine", "type": "yesNo", "title": "Are you a carer?" }),
        json!({ "id": "story", "type": "longText", "title": "Tell us more", "hint": "We will utilise this." }),
    ]);
    let places: Vec<(&str, Option<&str>)> = found.iter().map(|a| (a.path.as_str(), a.question.as_deref())).collect();
    assert_eq!(
        places,
        [
            ("$.pages[1].questions[0]", Some("story")),
            ("$.pages[1].questions[0].hint", Some("story"))
        ]
    );
}

#[test]
fn plain_english_is_judged_only_in_english_but_words_in_every_language() {
    let text = "Please tell us whether the support that you were offered when you left the hospital last year was the support that you had been told you would get";
    let welsh = json!({ "formatVersion": 1, "id": "a", "version": "1", "title": "Dywedwch wrthym",
        "languages": [{ "code": "cy", "name": "Cymraeg" }],
        "pages": [{ "id": "p", "questions": [{ "id": "q", "type": "yesNo", "title": text }] }] });
    let s = load_survey(&welsh.to_string()).unwrap();
    assert_eq!(advise(&s, &[]), []);
}

#[test]
fn the_built_in_surveys_get_advice_a_council_can_act_on() {
    for name in ["carers-strategy", "co-production", "discharge-reablement"] {
        let text = std::fs::read_to_string(format!("public/surveys/{name}.json")).unwrap();
        let found = advise(&load_survey(&text).unwrap(), &[]);
        // Whatever it finds, each piece names its place and a question where there is one.
        assert!(found.iter().all(|a| a.path.starts_with("$.")), "{name}: {found:?}");
        assert!(
            found
                .iter()
                .filter(|a| a.path.starts_with("$.pages["))
                .all(|a| a.question.is_some()),
            "{name}: {found:?}"
        );
        assert!(
            !found
                .iter()
                .any(|a| matches!(a.kind, AdviceKind::BigGrid { .. } | AdviceKind::ManyRadios(_))),
            "{name}: {found:?}"
        );
    }
}

//! The survey editor's rules (issue #25): a survey shaped without JSON, question by
//! question, with options, routes, moves and removals refused when they would break it, the
//! details, the task list, and a file opened and saved unchanged coming back the same.
#![cfg(any(feature = "authoring", not(feature = "web")))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use serde_json::{json, Value};
use survey_widget::core::author::draft::{self, Details, Direction, Refused, Route, Status};
use survey_widget::core::author::question::QuestionForm;
use survey_widget::core::survey::load::load_survey_value;

fn form(kind: &str, title: &str, options: &[&str]) -> QuestionForm {
    QuestionForm {
        kind: kind.into(),
        title: title.into(),
        required: true,
        options: options.iter().map(|o| (*o).to_owned()).collect(),
        ..QuestionForm::default()
    }
}

/// A library survey: a yes/no, radios with "Other", then a long answer for those who visit.
fn library() -> Value {
    let mut s = draft::new_survey("Tell us about the library");
    draft::set_details(
        &mut s,
        &Details {
            title: "Tell us about the library".into(),
            description: "We are planning next year's opening hours.\nIt takes 2 minutes.".into(),
            privacy_text: "Privacy notice".into(),
            privacy_href: "https://www.example.gov.uk/privacy".into(),
        },
    );
    let visits = draft::add(&mut s, &form("yesNo", "Have you used the library this year?", &[]));
    let mut how = form("singleChoice", "How do you usually get there?", &["Walk", "Bus", "Car"]);
    how.other = Some("Another way".into());
    draft::add(&mut s, &how);
    let mut better = form("longText", "What would make it better?", &[]);
    better.required = false;
    let better = draft::add(&mut s, &better);
    draft::set_route(
        &mut s,
        &better,
        Some(&Route {
            question: visits,
            answers: vec!["yes".into()],
        }),
    )
    .unwrap();
    s
}

#[test]
fn a_survey_shaped_question_by_question_loads_and_routes_as_asked() {
    let s = library();
    let survey = load_survey_value(&s).unwrap_or_else(|e| panic!("{e}\n{s:#}"));
    assert_eq!(survey.id.0, "tell-us-about-the");
    assert_eq!(
        survey.description,
        ["We are planning next year's opening hours.", "It takes 2 minutes."]
    );
    let rows = draft::rows(&s);
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["have-you-used-the", "how-do-you-usually", "what-would-make-it"]);
    assert!(rows[2].routed && !rows[0].routed);
    let how = draft::question(&s, "how-do-you-usually").unwrap();
    assert_eq!(
        how["choices"],
        json!([{ "value": "walk", "label": "Walk" }, { "value": "bus", "label": "Bus" }, { "value": "car", "label": "Car" }])
    );
    assert_eq!(how["other"], json!({ "value": "other", "label": "Another way" }));
    assert_eq!(
        draft::question(&s, "what-would-make-it").unwrap()["required"],
        json!(false)
    );
    assert_eq!(
        draft::route(&s, "what-would-make-it"),
        Some(Route {
            question: "have-you-used-the".into(),
            answers: vec!["yes".into()]
        })
    );
    let statuses: Vec<Status> = draft::tasks(&s).into_iter().map(|(_, st)| st).collect();
    assert_eq!(
        statuses,
        [
            Status::Completed,
            Status::Completed,
            Status::Completed,
            Status::Optional,
            Status::NotStarted
        ]
    );
    // A fresh survey: only the details and questions can be started.
    let fresh = draft::new_survey("New");
    let statuses: Vec<Status> = draft::tasks(&fresh).into_iter().map(|(_, st)| st).collect();
    assert_eq!(
        statuses,
        [
            Status::InProgress,
            Status::NotStarted,
            Status::CannotStart,
            Status::Optional,
            Status::CannotStart
        ]
    );
}

#[test]
fn routes_offer_only_earlier_answers_and_refuse_the_rest() {
    let mut s = library();
    let sources = draft::route_sources(&s, "what-would-make-it");
    let offered: Vec<(&str, Vec<&str>)> = sources
        .iter()
        .map(|s| (s.id.as_str(), s.answers.iter().map(|(v, _)| v.as_str()).collect()))
        .collect();
    assert_eq!(
        offered,
        [
            ("have-you-used-the", vec!["yes", "no"]),
            ("how-do-you-usually", vec!["walk", "bus", "car", "other"])
        ]
    );
    assert!(
        draft::route_sources(&s, "have-you-used-the").is_empty(),
        "nothing comes before the first"
    );
    let before = s.clone();
    for bad in [
        Route {
            question: "what-would-make-it".into(),
            answers: vec!["x".into()],
        },
        Route {
            question: "have-you-used-the".into(),
            answers: vec!["maybe".into()],
        },
        Route {
            question: "have-you-used-the".into(),
            answers: vec![],
        },
    ] {
        assert_eq!(
            draft::set_route(&mut s, "how-do-you-usually", Some(&bad)),
            Err(Refused::BadRoute)
        );
    }
    assert_eq!(s, before);
    let two = Route {
        question: "how-do-you-usually".into(),
        answers: vec!["bus".into(), "car".into()],
    };
    draft::set_route(&mut s, "what-would-make-it", Some(&two)).unwrap();
    assert_eq!(
        draft::question(&s, "what-would-make-it").unwrap()["showIf"],
        json!({ "question": "how-do-you-usually", "anyOf": ["bus", "car"] })
    );
    draft::set_route(&mut s, "what-would-make-it", None).unwrap();
    assert!(draft::question(&s, "what-would-make-it")
        .unwrap()
        .get("showIf")
        .is_none());
}

#[test]
fn moves_keep_every_route_looking_backwards() {
    let mut s = library();
    let before = s.clone();
    assert_eq!(
        draft::move_question(&mut s, "have-you-used-the", Direction::Up),
        Err(Refused::AtEnd)
    );
    assert_eq!(
        draft::move_question(&mut s, "what-would-make-it", Direction::Down),
        Err(Refused::AtEnd)
    );
    // The routed question cannot go before the answer it depends on, nor that answer after it.
    draft::move_question(&mut s, "what-would-make-it", Direction::Up).unwrap();
    assert_eq!(
        draft::move_question(&mut s, "what-would-make-it", Direction::Up),
        Err(Refused::RouteOrder("what-would-make-it".into()))
    );
    assert_eq!(
        draft::move_question(&mut s, "have-you-used-the", Direction::Down),
        Err(Refused::RouteOrder("what-would-make-it".into()))
    );
    let ids: Vec<String> = draft::rows(&s).into_iter().map(|r| r.id).collect();
    assert_eq!(ids, ["have-you-used-the", "what-would-make-it", "how-do-you-usually"]);
    draft::move_question(&mut s, "what-would-make-it", Direction::Down).unwrap();
    assert_eq!(s, before, "down again: as it was");
    load_survey_value(&s).unwrap();
    // On a page of several questions, a question moves within its page first.
    let mut grouped = json!({ "formatVersion": 1, "id": "g", "version": "1", "title": "G", "pages": [
        { "id": "p", "title": "Contact", "questions": [
            { "id": "a", "type": "text", "title": "A" }, { "id": "b", "type": "text", "title": "B" } ] },
        { "id": "c", "questions": [{ "id": "c", "type": "text", "title": "C" }] }
    ] });
    draft::move_question(&mut grouped, "b", Direction::Up).unwrap();
    assert_eq!(grouped["pages"][0]["questions"][0]["id"], "b");
    draft::move_question(&mut grouped, "c", Direction::Up).unwrap();
    assert_eq!(grouped["pages"][0]["id"], "c");
}

#[test]
fn a_question_others_depend_on_cannot_be_removed_or_retyped_until_its_routes_go() {
    let mut s = library();
    let before = s.clone();
    assert_eq!(
        draft::remove(&mut s, "have-you-used-the"),
        Err(Refused::DependedOn(vec!["what-would-make-it".into()]))
    );
    let mut retyped = form("text", "Have you used the library this year?", &[]);
    retyped.required = true;
    assert_eq!(
        draft::change(&mut s, "have-you-used-the", &retyped),
        Err(Refused::DependedOn(vec!["what-would-make-it".into()]))
    );
    assert_eq!(s, before);
    draft::set_route(&mut s, "what-would-make-it", None).unwrap();
    // A new kind of answer is a new question: a new id, its old settings gone.
    let id = draft::change(&mut s, "have-you-used-the", &retyped).unwrap();
    assert_eq!(id, "have-you-used-the-2");
    assert_eq!(
        draft::question(&s, &id).unwrap(),
        &json!({ "id": id, "type": "text", "title": "Have you used the library this year?" })
    );
    assert_eq!(s["pages"][0]["id"], json!(id));
    draft::remove(&mut s, &id).unwrap();
    assert_eq!(draft::rows(&s).len(), 2);
    assert_eq!(s["pages"].as_array().unwrap().len(), 2, "its page went with it");
    assert_eq!(
        draft::remove(&mut s, "nothing"),
        Err(Refused::NoQuestion("nothing".into()))
    );
}

#[test]
fn options_keep_their_stored_values_when_their_labels_stay() {
    let mut s = library();
    let id = "how-do-you-usually";
    let mut edited = QuestionForm::read(draft::question(&s, id).unwrap(), "en");
    assert_eq!(edited.options, ["Walk", "Bus", "Car"]);
    edited.options = vec!["Car".into(), "Bicycle".into(), "Walk".into(), "Bus ".into()];
    edited.other = None;
    assert_eq!(
        draft::change(&mut s, id, &edited).unwrap(),
        id,
        "the same kind keeps its id"
    );
    let q = draft::question(&s, id).unwrap();
    let values: Vec<&str> = q["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].as_str().unwrap())
        .collect();
    assert_eq!(values, ["car", "bicycle", "walk", "bus"]);
    assert!(q.get("other").is_none());
    // A new option never takes a value an earlier one had: old answers keep their meaning.
    edited.options = vec!["Car".into(), "Walking".into()];
    draft::change(&mut s, id, &edited).unwrap();
    edited.options = vec!["Car".into(), "Walking".into(), "Walk".into()];
    draft::change(&mut s, id, &edited).unwrap();
    let q = draft::question(&s, id).unwrap();
    let values: Vec<&str> = q["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].as_str().unwrap())
        .collect();
    assert_eq!(values, ["car", "walking", "walk"]);
    // "None of the above" belongs to checkboxes.
    let mut ticks = form("multipleChoice", "Which do you use?", &["Books", "Computers"]);
    ticks.none = Some("None of these".into());
    ticks.other = Some("Ignored".into());
    let tid = draft::add(&mut s, &ticks);
    let q = draft::question(&s, &tid).unwrap();
    assert_eq!(q["none"], json!({ "value": "none", "label": "None of these" }));
    assert!(q.get("other").is_none());
    load_survey_value(&s).unwrap();
}

#[test]
fn what_the_question_pages_ask_for_is_checked() {
    assert_eq!(
        form("", "", &[]).problems(),
        [("kind", "editor.error.kind"), ("title", "editor.error.title")]
    );
    assert_eq!(
        form("singleChoice", "Pick", &["One", " "]).problems(),
        [("options", "editor.error.options")]
    );
    assert!(form("singleChoice", "Pick", &["One", "Two"]).problems().is_empty());
    assert!(form("info", "About this survey", &[]).problems().is_empty());
}

#[test]
fn editing_in_the_default_language_keeps_the_translations() {
    let text = std::fs::read_to_string(format!(
        "{}/public/surveys/discharge-reablement.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let mut s: Value = serde_json::from_str(&text).unwrap();
    let first = draft::rows(&s)[0].clone();
    let mut f = QuestionForm::read(draft::question(&s, &first.id).unwrap(), "en");
    let welsh = draft::question(&s, &first.id).unwrap()["title"]["cy"].clone();
    f.title = format!("{} (changed)", f.title);
    draft::change(&mut s, &first.id, &f).unwrap();
    let q = draft::question(&s, &first.id).unwrap();
    assert!(q["title"]["en"].as_str().unwrap().ends_with("(changed)"));
    assert_eq!(q["title"]["cy"], welsh);
    load_survey_value(&s).unwrap();
    // The form of an untouched question writes it back exactly.
    let second = draft::rows(&s)[1].id.clone();
    let before = s.clone();
    let same = QuestionForm::read(draft::question(&s, &second).unwrap(), "en");
    draft::change(&mut s, &second, &same).unwrap();
    assert_eq!(s, before);
    let d = draft::details(&s);
    draft::set_details(&mut s, &d);
    assert_eq!(s, before, "details saved unchanged change nothing");
}

/// Run with `--features preserve-order`, as the editor's build has it: a built-in survey
/// opened and saved unchanged is the same file, byte for byte.
#[cfg(feature = "preserve-order")]
#[test]
fn a_built_in_survey_opened_and_saved_unchanged_is_the_same_file() {
    for name in common::BUILT_IN {
        let text =
            std::fs::read_to_string(format!("{}/public/surveys/{name}.json", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let mut s: Value = serde_json::from_str(&text).unwrap();
        for row in draft::rows(&s.clone()) {
            let f = QuestionForm::read(draft::question(&s, &row.id).unwrap(), "en");
            draft::change(&mut s, &row.id, &f).unwrap();
        }
        let d = draft::details(&s);
        draft::set_details(&mut s, &d);
        assert!(draft::to_file(&s) == text, "{name} changed on saving");
    }
}

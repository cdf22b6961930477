//! Issue #25: questions pasted as text become a survey to review; every line not taken is
//! listed with its number.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;
use survey_widget::core::load_survey;
use survey_widget::core::survey::paste::from_text;

const WORD: &str = "Carers' survey 2026

1. How did you hear about this survey?
a) From my GP
b) A leaflet
c) Other

2) Do you look after someone?
- Yes
- No

Q3: Which of these have you used? Tick all that apply.
• Day centre
• Respite care
• None of these

Question 4 - What could we do better?
Please tell us as much as you like.
";

#[test]
fn a_list_copied_from_word_becomes_a_survey_that_loads() {
    let pasted = from_text(WORD, "Untitled survey");
    assert_eq!(pasted.left_out, []);
    let s = &pasted.survey;
    assert_eq!(s["title"], "Carers' survey 2026");
    assert_eq!(s["id"], "carers-survey-2026");
    let q = |i: usize| &s["pages"][i]["questions"][0];
    assert_eq!(q(0)["type"], "singleChoice");
    assert_eq!(q(0)["title"], "How did you hear about this survey?");
    assert_eq!(
        q(0)["choices"],
        json!([{ "value": "from-my-gp", "label": "From my GP" }, { "value": "a-leaflet", "label": "A leaflet" }])
    );
    assert_eq!(q(0)["other"], json!({ "value": "other", "label": "Other" }));
    assert_eq!(q(1)["type"], "yesNo");
    assert_eq!(q(2)["type"], "multipleChoice");
    assert_eq!(q(2)["none"]["label"], "None of these");
    assert_eq!(q(2)["choices"].as_array().unwrap().len(), 2);
    assert_eq!(q(3)["type"], "longText");
    assert_eq!(q(3)["hint"], "Please tell us as much as you like.");
    assert!(
        (0..4).all(|i| q(i)["required"] == false),
        "every question starts optional"
    );
    let survey = load_survey(&s.to_string()).unwrap();
    assert_eq!(survey.pages.len(), 4);
}

#[test]
fn lines_before_the_first_question_and_stray_options_are_listed() {
    let pasted = from_text(
        "Title\nAn introduction\n- a stray option\n1. Are you a carer?\n",
        "Untitled",
    );
    assert_eq!(pasted.survey["title"], "Title");
    assert_eq!(
        pasted.left_out,
        [(2, "An introduction".to_owned()), (3, "- a stray option".to_owned())]
    );
    assert!(load_survey(&pasted.survey.to_string()).is_ok());
}

#[test]
fn numbers_that_are_not_questions_stay_text() {
    let pasted = from_text(
        "1. How long do you care each week?\n1.5 hours\n2026 was hard\n",
        "Untitled",
    );
    let q = &pasted.survey["pages"][0]["questions"][0];
    assert_eq!(q["hint"], "1.5 hours 2026 was hard");
    assert_eq!(pasted.survey["pages"].as_array().unwrap().len(), 1);
}

#[test]
fn ids_are_unique_and_valid_whatever_the_text() {
    let pasted = from_text("1. Why?\n2. Why?\n3. 2026?\n4. ¿Qué?\n- Sí\n- Sí\n", "Arolwg");
    let ids: Vec<&str> = pasted.survey["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["why", "why-2", "q-2026", "qu"]);
    let values: Vec<&str> = pasted.survey["pages"][3]["questions"][0]["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].as_str().unwrap())
        .collect();
    assert_eq!(values, ["s", "s-2"]);
    assert_eq!(pasted.survey["id"], "arolwg");
    assert!(load_survey(&pasted.survey.to_string()).is_ok(), "{}", pasted.survey);
}

#[test]
fn nothing_numbered_gives_a_survey_with_no_questions_and_says_what_was_left() {
    let pasted = from_text("Some notes\nMore notes\n", "Untitled");
    assert_eq!(pasted.survey["pages"], json!([]));
    assert_eq!(pasted.left_out, [(2, "More notes".to_owned())]);
    // The widget refuses a survey with no pages, with the reason: the author sees it at once.
    assert!(load_survey(&pasted.survey.to_string()).is_err());
}

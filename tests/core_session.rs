//! Validation, skip logic, routing, progress and the result, through the session's commands
//! (issue #2, sections 2 and 3).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{answer, cont, current_question, env, q};
use serde_json::json;
use survey_widget::core::respond::context::Context;
use survey_widget::core::respond::view::{check_rows, document_title, error_items, progress_text, PageEvent};
use survey_widget::core::survey::load::load_survey_value;
use survey_widget::core::{Catalogue, Command, DatePart, Edit, Env, Outcome, Screen, Session, Survey};

fn survey(questions: serde_json::Value) -> Survey {
    let pages: Vec<_> = questions
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, q)| json!({ "id": format!("p{i}"), "questions": [q] }))
        .collect();
    load_survey_value(&json!({ "formatVersion": 1, "id": "s", "version": "1", "title": "Test survey", "pages": pages }))
        .unwrap()
}

fn started(s: &Survey) -> Session {
    let mut session = Session::new();
    session.apply(s, Command::Start, env());
    session
}

/// The error messages shown after Continue with the given edits on a one-question survey.
fn messages_for(question: serde_json::Value, edits: &[Edit]) -> Vec<String> {
    let s = survey(json!([question]));
    let id = s.pages[0].questions[0].id.0.clone();
    let mut session = started(&s);
    for e in edits {
        answer(&mut session, &s, &id, e.clone());
    }
    cont(&mut session, &s);
    error_items(&s, &session, "sw1", &Catalogue::english())
        .into_iter()
        .map(|e| e.message)
        .collect()
}

fn text(v: &str) -> Edit {
    Edit::Text(v.into())
}

#[test]
fn required_messages_follow_govuk() {
    let age = json!({ "id": "age", "type": "number", "title": "How old are you?", "errorName": "your age", "integer": true, "min": 18, "max": 120 });
    assert_eq!(messages_for(age.clone(), &[]), ["Enter your age"]);
    assert_eq!(messages_for(age.clone(), &[text("  ")]), ["Enter your age"]);
    assert_eq!(
        messages_for(age.clone(), &[text("twelve")]),
        ["Your age must be a number"]
    );
    assert_eq!(
        messages_for(age.clone(), &[text("30.5")]),
        ["Your age must be a whole number"]
    );
    assert_eq!(
        messages_for(age.clone(), &[text("12")]),
        ["Your age must be between 18 and 120"]
    );
    assert!(messages_for(age, &[text("1,20")]).is_empty());
    let choice =
        json!({ "id": "c", "type": "singleChoice", "title": "C", "choices": [ { "value": "a", "label": "A" } ] });
    assert_eq!(messages_for(choice, &[]), ["Select an answer"]);
    let yes_no = json!({ "id": "c", "type": "yesNo", "title": "C", "messages": { "required": "Select yes if you care for someone" } });
    assert_eq!(messages_for(yes_no, &[]), ["Select yes if you care for someone"]);
    let consent = json!({ "id": "c", "type": "consent", "title": "C", "label": "I agree" });
    assert_eq!(
        messages_for(consent.clone(), &[]),
        ["Tick the box to confirm you agree"]
    );
    assert_eq!(
        messages_for(consent, &[Edit::Consent(true), Edit::Consent(false)]),
        ["Tick the box to confirm you agree"]
    );
}

#[test]
fn optional_questions_can_be_skipped_but_not_wrong() {
    let email = json!({ "id": "e", "type": "email", "title": "Email", "required": false });
    assert!(messages_for(email.clone(), &[]).is_empty());
    assert_eq!(
        messages_for(email, &[text("name at example")]),
        ["Enter an email address in the correct format, like name@example.com"]
    );
    let phone = json!({ "id": "p", "type": "phone", "title": "Phone", "required": false });
    assert!(messages_for(phone.clone(), &[text("07700 900982")]).is_empty());
    assert_eq!(messages_for(phone, &[text("12")]).len(), 1);
}

#[test]
fn number_bounds_one_sided() {
    let min = json!({ "id": "n", "type": "number", "title": "N", "min": 0.5 });
    assert_eq!(messages_for(min, &[text("0.25")]), ["The number must be 0.5 or more"]);
    let max =
        json!({ "id": "n", "type": "number", "title": "N", "max": 10, "messages": { "max": "That is too many" } });
    assert_eq!(messages_for(max, &[text("11")]), ["That is too many"]);
}

#[test]
fn text_length_and_pattern() {
    let t = json!({ "id": "t", "type": "text", "title": "T", "minLength": 3, "maxLength": 5, "errorName": "your initials" });
    assert_eq!(
        messages_for(t.clone(), &[text("ab")]),
        ["Your initials must be 3 characters or more"]
    );
    assert_eq!(
        messages_for(t.clone(), &[text("abcdef")]),
        ["Your initials must be 5 characters or less"]
    );
    assert!(messages_for(t, &[text("  abc  ")]).is_empty());
    let p = json!({ "id": "pc", "type": "text", "title": "Postcode", "pattern": "[A-Z]{1,2}[0-9]", "errorName": "a postcode district" });
    assert_eq!(
        messages_for(p.clone(), &[text("LS6 extra")]),
        ["Enter a postcode district in the correct format"]
    );
    assert!(messages_for(p, &[text("LS6")]).is_empty());
    let long = json!({ "id": "l", "type": "longText", "title": "L", "maxLength": 10 });
    assert_eq!(
        messages_for(long, &[text("0123456789X")]),
        ["Your answer must be 10 characters or less"]
    );
}

#[test]
fn date_rules() {
    let d = json!({ "id": "d", "type": "date", "title": "D", "errorName": "the date you left hospital", "past": true, "min": "2025-01-01", "max": "2030-01-01" });
    let part = |p, v: &str| Edit::DatePart(p, v.into());
    assert_eq!(messages_for(d.clone(), &[]), ["Enter the date you left hospital"]);
    assert_eq!(
        messages_for(d.clone(), &[part(DatePart::Day, "3")]),
        ["The date you left hospital must include a month and year"]
    );
    assert_eq!(
        messages_for(d.clone(), &[part(DatePart::Day, "3"), part(DatePart::Year, "2026")]),
        ["The date you left hospital must include a month"]
    );
    assert_eq!(
        messages_for(
            d.clone(),
            &[
                part(DatePart::Day, "31"),
                part(DatePart::Month, "2"),
                part(DatePart::Year, "26")
            ]
        ),
        ["Year must include 4 numbers"]
    );
    assert_eq!(
        messages_for(
            d.clone(),
            &[
                part(DatePart::Day, "31"),
                part(DatePart::Month, "2"),
                part(DatePart::Year, "2026")
            ]
        ),
        ["The date you left hospital must be a real date"]
    );
    assert_eq!(
        messages_for(
            d.clone(),
            &[
                part(DatePart::Day, "26"),
                part(DatePart::Month, "11"),
                part(DatePart::Year, "2026")
            ]
        ),
        ["The date you left hospital must be in the past"]
    );
    assert_eq!(
        messages_for(
            d.clone(),
            &[
                part(DatePart::Day, "31"),
                part(DatePart::Month, "12"),
                part(DatePart::Year, "2024")
            ]
        ),
        ["The date you left hospital must be the same as or after 1 January 2025"]
    );
    assert!(messages_for(
        d,
        &[
            part(DatePart::Day, "1"),
            part(DatePart::Month, "3"),
            part(DatePart::Year, "2026")
        ]
    )
    .is_empty());
}

#[test]
fn checkbox_counts_and_exclusive_none() {
    let m = json!({ "id": "m", "type": "multipleChoice", "title": "M", "minSelected": 2, "maxSelected": 3,
        "choices": [ { "value": "a", "label": "A" }, { "value": "b", "label": "B" }, { "value": "c", "label": "C" }, { "value": "d", "label": "D" } ],
        "none": { "value": "none", "label": "None of these" } });
    let on = |v: &str| Edit::Toggle(v.into(), true);
    assert_eq!(messages_for(m.clone(), &[on("a")]), ["Select at least 2 options"]);
    assert_eq!(
        messages_for(m.clone(), &[on("a"), on("b"), on("c"), on("d")]),
        ["Select no more than 3 options"]
    );
    assert!(
        messages_for(m.clone(), &[on("a"), on("b"), on("none")]).is_empty(),
        "none clears the rest"
    );

    let s = survey(json!([m]));
    let mut session = started(&s);
    answer(&mut session, &s, "m", on("none"));
    answer(&mut session, &s, "m", on("c"));
    answer(&mut session, &s, "m", on("a"));
    assert_eq!(session.result(&s)["m"], json!(["a", "c"]), "choice order, none cleared");
}

#[test]
fn other_needs_details_and_likert_every_row() {
    let c = json!({ "id": "c", "type": "singleChoice", "title": "C", "choices": [ { "value": "a", "label": "A" } ],
        "other": { "value": "other", "label": "Something else" } });
    assert_eq!(
        messages_for(c.clone(), &[Edit::Choose("other".into())]),
        ["Enter details for ‘Something else’"]
    );
    assert!(messages_for(c, &[Edit::Choose("other".into()), Edit::OtherText("Library".into())]).is_empty());
    let l = json!({ "id": "l", "type": "likert", "title": "L",
        "statements": [ { "id": "s1", "text": "First" }, { "id": "s2", "text": "Second" }, { "id": "s3", "text": "Third" } ],
        "scale": [ { "value": "y", "label": "Yes" }, { "value": "n", "label": "No" } ] });
    // Issue #8: with nothing answered, every statement gets its own error, not just the first.
    assert_eq!(
        messages_for(l.clone(), &[]),
        [
            "Select an answer for ‘First’",
            "Select an answer for ‘Second’",
            "Select an answer for ‘Third’"
        ]
    );
    assert_eq!(
        messages_for(l, &[Edit::Row("s2".into(), "y".into())]),
        ["Select an answer for ‘First’", "Select an answer for ‘Third’"]
    );
}

fn branching() -> Survey {
    survey(json!([
        { "id": "carer", "type": "yesNo", "title": "Are you a carer?" },
        { "id": "hours", "type": "number", "title": "Hours?", "showIf": { "question": "carer", "equals": "yes" } },
        { "id": "heavy", "type": "info", "title": "That is a lot", "showIf": { "question": "hours", "greaterThan": 50 } },
        { "id": "why", "type": "text", "title": "Why not?", "showIf": { "not": { "question": "carer", "equals": "yes" } }, "required": false },
        { "id": "end", "type": "text", "title": "Anything else?", "required": false }
    ]))
}

#[test]
fn skip_logic_routes_and_counts() {
    let s = branching();
    let cat = Catalogue::english();
    let mut session = started(&s);
    assert_eq!(current_question(&session, &s).as_deref(), Some("carer"));
    // Issue #8: "hours" and "why" depend on an answer not given yet, so both count; the
    // information page "heavy" never counts as a question.
    assert_eq!(progress_text(&s, &session, &cat).as_deref(), Some("Question 1 of 4"));
    answer(&mut session, &s, "carer", Edit::Choose("yes".into()));
    assert_eq!(
        progress_text(&s, &session, &cat).as_deref(),
        Some("Question 1 of 4"),
        "ticking an option does not change the total"
    );
    cont(&mut session, &s);
    assert_eq!(current_question(&session, &s).as_deref(), Some("hours"));
    answer(&mut session, &s, "hours", text("60"));
    assert_eq!(progress_text(&s, &session, &cat).as_deref(), Some("Question 2 of 3"));
    cont(&mut session, &s);
    assert_eq!(current_question(&session, &s).as_deref(), Some("heavy"));
    assert_eq!(
        progress_text(&s, &session, &cat),
        None,
        "an information page is not a question"
    );
    cont(&mut session, &s);
    assert_eq!(current_question(&session, &s).as_deref(), Some("end"));
    assert_eq!(progress_text(&s, &session, &cat).as_deref(), Some("Question 3 of 3"));
    cont(&mut session, &s);
    assert_eq!(session.screen, Screen::Check);
    assert_eq!(
        session.result(&s),
        json!({ "carer": "yes", "hours": 60 }).as_object().unwrap().clone()
    );
}

#[test]
fn page_events_say_where_the_person_is_and_never_what_they_answered() {
    // Issue #11: what `pagechange` tells the host page on each screen of a route.
    let s = branching();
    let mut session = Session::new();
    let at = |session: &Session| PageEvent::of(&s, session);
    assert_eq!(
        at(&session),
        PageEvent {
            screen: "start",
            page_id: None,
            question_id: None,
            progress: None
        }
    );
    session.apply(&s, Command::Start, env());
    assert_eq!(
        at(&session),
        PageEvent {
            screen: "question",
            page_id: Some("p0".into()),
            question_id: Some("carer".into()),
            progress: Some((1, 4)),
        }
    );
    answer(&mut session, &s, "carer", Edit::Choose("no".into()));
    cont(&mut session, &s);
    assert_eq!(at(&session).question_id.as_deref(), Some("why"));
    assert_eq!(at(&session).progress, Some((2, 3)));
    cont(&mut session, &s);
    cont(&mut session, &s);
    assert_eq!(at(&session).screen, "check");
    let debug = format!("{:?}", at(&session));
    assert!(!debug.contains("no\""), "no answer in the event: {debug}");
}

#[test]
fn hidden_answers_never_reach_the_result() {
    let s = branching();
    let mut session = started(&s);
    answer(&mut session, &s, "carer", Edit::Choose("no".into()));
    cont(&mut session, &s);
    answer(&mut session, &s, "why", text("Not needed"));
    cont(&mut session, &s);
    cont(&mut session, &s);
    assert_eq!(session.screen, Screen::Check);
    // Change the first answer: "why" is hidden now, "hours" must be answered.
    session.apply(&s, Command::Change(q("carer")), env());
    answer(&mut session, &s, "carer", Edit::Choose("yes".into()));
    cont(&mut session, &s);
    assert_eq!(
        current_question(&session, &s).as_deref(),
        Some("hours"),
        "newly shown required question"
    );
    answer(&mut session, &s, "hours", text("10"));
    cont(&mut session, &s);
    assert_eq!(session.screen, Screen::Check, "back to check once complete");
    let result = session.result(&s);
    assert!(!result.contains_key("why"));
    assert_eq!(result["hours"], json!(10));
    let rows = check_rows(&s, &session, &Catalogue::english());
    assert!(rows.iter().all(|r| r.question.0 != "why"));
    assert_eq!(rows[0].lines, ["Yes"]);
}

#[test]
fn change_link_returns_to_check() {
    let s = branching();
    let mut session = started(&s);
    answer(&mut session, &s, "carer", Edit::Choose("no".into()));
    cont(&mut session, &s);
    cont(&mut session, &s);
    cont(&mut session, &s);
    assert_eq!(session.screen, Screen::Check);
    session.apply(&s, Command::Change(q("end")), env());
    assert_eq!(current_question(&session, &s).as_deref(), Some("end"));
    answer(&mut session, &s, "end", text("Thanks"));
    cont(&mut session, &s);
    assert_eq!(session.screen, Screen::Check);
    // Back from a Change goes to the check page too.
    session.apply(&s, Command::Change(q("end")), env());
    session.apply(&s, Command::Back, env());
    assert_eq!(session.screen, Screen::Check);
    // Change on a hidden question does nothing.
    assert!(session.apply(&s, Command::Change(q("hours")), env()).is_empty());
}

#[test]
fn back_walks_shown_pages() {
    let s = branching();
    let mut session = started(&s);
    answer(&mut session, &s, "carer", Edit::Choose("no".into()));
    cont(&mut session, &s);
    cont(&mut session, &s);
    assert_eq!(current_question(&session, &s).as_deref(), Some("end"));
    session.apply(&s, Command::Back, env());
    assert_eq!(current_question(&session, &s).as_deref(), Some("why"));
    session.apply(&s, Command::Back, env());
    session.apply(&s, Command::Back, env());
    assert_eq!(session.screen, Screen::Start);
}

#[test]
fn errors_set_title_and_clear_on_navigation() {
    let s = branching();
    let cat = Catalogue::english();
    let mut session = started(&s);
    assert_eq!(document_title(&s, &session, &cat), "Are you a carer? – Test survey");
    assert_eq!(session.apply(&s, Command::Continue, env()), vec![Outcome::Invalid]);
    assert_eq!(
        document_title(&s, &session, &cat),
        "Error: Are you a carer? – Test survey"
    );
    let items = error_items(&s, &session, "sw1", &cat);
    assert_eq!(items[0].control_id, "sw1-carer");
    answer(&mut session, &s, "carer", Edit::Choose("no".into()));
    cont(&mut session, &s);
    assert!(session.errors.is_empty());
}

#[test]
fn submit_makes_a_response_and_clears_answers() {
    let s = branching();
    let mut session = started(&s);
    answer(&mut session, &s, "carer", Edit::Choose("no".into()));
    cont(&mut session, &s);
    cont(&mut session, &s);
    cont(&mut session, &s);
    let outcomes = session.apply(&s, Command::Submit { entropy: [7; 32] }, env());
    let Some(Outcome::Completed(response)) = outcomes.last() else {
        panic!("{outcomes:?}")
    };
    assert_eq!(response.survey_id.0, "s");
    assert_eq!(response.survey_version, "1");
    assert_eq!(response.answers, *json!({ "carer": "no" }).as_object().unwrap());
    assert_eq!(response.response_id.len(), 36);
    assert!(matches!(&session.screen, Screen::Complete { reference } if reference == &response.reference));
    assert!(session.answers.is_empty());
    // Submitting twice does nothing.
    assert!(session
        .apply(&s, Command::Submit { entropy: [7; 32] }, env())
        .is_empty());
    session.apply(&s, Command::StartAgain, env());
    assert_eq!(session.screen, Screen::Start);
}

#[test]
fn carers_survey_completes_with_branching() {
    let s = common::built_in("carers-strategy");
    let mut session = started(&s);
    let mut visited = Vec::new();
    for _ in 0..60 {
        let Some(id) = current_question(&session, &s) else {
            break;
        };
        visited.push(id.clone());
        let edit = match id.as_str() {
            "caring-for" => Edit::Toggle("parent".into(), true),
            "care-needs" => Edit::Toggle("dementia".into(), true),
            "caring-hours" => text("40"),
            "caring-years" => Edit::Choose("5-9".into()),
            "age-band" => Edit::Choose("50-64".into()),
            "employment" => Edit::Choose("part-time".into()),
            "work-caring-balance" => Edit::Choose("2".into()),
            "had-assessment" => Edit::Choose("no".into()),
            "support-used" => Edit::Toggle("none".into(), true),
            "why-not-used" => Edit::Toggle("did-not-know".into(), true),
            "wellbeing-score" => Edit::Choose("3".into()),
            "break-frequency" => Edit::Choose("never".into()),
            "top-priorities" => Edit::Toggle("breaks".into(), true),
            "involvement-ways" => Edit::Toggle("not-involved".into(), true),
            _ => text(""),
        };
        answer(&mut session, &s, &id, edit);
        cont(&mut session, &s);
        assert!(session.errors.is_empty(), "{id}: {:?}", session.errors);
    }
    assert_eq!(session.screen, Screen::Check);
    for hidden in [
        "young-carer-info",
        "assessment-date",
        "support-statements",
        "meeting-format",
        "contact-name",
    ] {
        assert!(!visited.iter().any(|v| v == hidden), "{hidden} should be skipped");
    }
    for shown in ["work-caring-balance", "why-not-used", "wellbeing-help"] {
        assert!(visited.iter().any(|v| v == shown), "{shown} should be shown");
    }
}

#[test]
fn progress_says_page_only_for_grouped_surveys() {
    let cat = Catalogue::english();
    let grouped = load_survey_value(&json!({ "formatVersion": 1, "id": "g", "version": "1", "title": "G", "pages": [
        { "id": "p1", "title": "About you", "questions": [ { "id": "a", "type": "text", "title": "A" }, { "id": "b", "type": "text", "title": "B" } ] },
        { "id": "p2", "title": "More", "questions": [ { "id": "c", "type": "text", "title": "C" } ] } ] }))
    .unwrap();
    let session = started(&grouped);
    assert_eq!(progress_text(&grouped, &session, &cat).as_deref(), Some("Page 1 of 2"));
    let carers = common::built_in("carers-strategy");
    let session = started(&carers);
    // Issue #8: every page that may be shown counts at the start, so the total only falls.
    assert_eq!(
        progress_text(&carers, &session, &cat).as_deref(),
        Some("Question 1 of 25")
    );
}

/// Found by the routing property test: an edit to a question on another page could hide the
/// page being shown.
#[test]
fn edits_apply_only_to_questions_on_the_current_page() {
    let s = branching();
    let mut session = started(&s);
    answer(&mut session, &s, "carer", Edit::Choose("yes".into()));
    cont(&mut session, &s);
    assert_eq!(current_question(&session, &s).as_deref(), Some("hours"));
    let outcomes = session.apply(
        &s,
        Command::Edit {
            question: q("carer"),
            edit: Edit::Choose("no".into()),
        },
        env(),
    );
    assert!(outcomes.is_empty());
    assert_eq!(session.result(&s)["carer"], json!("yes"));
    assert_eq!(current_question(&session, &s).as_deref(), Some("hours"));
}

/// Issue #8: the "Other" box has the length rule of a short text answer, by default 500.
#[test]
fn other_details_have_a_length_rule() {
    let with = |other: serde_json::Value| json!({ "id": "c", "type": "singleChoice", "title": "C", "choices": [ { "value": "a", "label": "A" } ], "other": other });
    let plain = with(json!({ "value": "other", "label": "Something else" }));
    let choose = |text: String| vec![Edit::Choose("other".into()), Edit::OtherText(text)];
    assert!(messages_for(plain.clone(), &choose("x".repeat(500))).is_empty());
    assert_eq!(
        messages_for(plain, &choose("x".repeat(501))),
        ["The details for ‘Something else’ must be 500 characters or less"]
    );
    let short = with(json!({ "value": "other", "label": "Something else", "maxLength": 20 }));
    assert_eq!(
        messages_for(short.clone(), &choose("x".repeat(21))),
        ["The details for ‘Something else’ must be 20 characters or less"]
    );
    // Spaces around the details do not count, as for any text answer.
    assert!(messages_for(short, &choose(format!("  {}  ", "x".repeat(20)))).is_empty());
}

/// Issue #8: "Check your answers" shows a rating with its scale.
#[test]
fn ratings_read_back_with_their_scale() {
    let cat = Catalogue::english();
    let rating = |min: i64, max: i64, labels: bool| {
        let mut q = json!({ "id": "r", "type": "rating", "title": "R", "min": min, "max": max });
        if labels {
            q["minLabel"] = json!("very poor");
            q["maxLabel"] = json!("very good");
        }
        survey(json!([q]))
    };
    let line = |s: &Survey, value: &str| {
        let mut session = started(s);
        answer(&mut session, s, "r", Edit::Choose(value.into()));
        check_rows(s, &session, &cat).remove(0).lines
    };
    let ten = rating(0, 10, false);
    assert_eq!(line(&ten, "2"), ["2 out of 10"]);
    let five = rating(1, 5, true);
    assert_eq!(line(&five, "3"), ["3 out of 5"]);
    assert_eq!(line(&five, "1"), ["1 out of 5 (very poor)"]);
    assert_eq!(line(&five, "5"), ["5 out of 5 (very good)"]);
    let centred = rating(-2, 2, false);
    assert_eq!(line(&centred, "-1"), ["-1 on a scale of -2 to 2"]);
}

/// Issue #8: "Check your answers" keeps the language of a choice answered in another language.
#[test]
fn check_rows_carry_the_language_of_choices() {
    let cat = Catalogue::english();
    let s = survey(json!([
        { "id": "one", "type": "singleChoice", "title": "Which language?", "lang": "en",
          "choices": [ { "value": "ur", "label": "اردو", "lang": "ur" }, { "value": "en", "label": "English" } ],
          "other": { "value": "other", "label": "Another" } },
        { "id": "many", "type": "multipleChoice", "title": "Which?", "required": false,
          "choices": [ { "value": "pl", "label": "Polski", "lang": "pl" }, { "value": "ro", "label": "Română", "lang": "ro" } ] }
    ]));
    // One question a page: answer the first, Continue, tick the second's, Continue.
    let rows_for = |one: &str, many: &[&str]| {
        let mut session = started(&s);
        answer(&mut session, &s, "one", Edit::Choose(one.into()));
        if one == "other" {
            answer(&mut session, &s, "one", Edit::OtherText("Welsh".into()));
        }
        cont(&mut session, &s);
        for v in many {
            answer(&mut session, &s, "many", Edit::Toggle((*v).into(), true));
        }
        cont(&mut session, &s);
        assert_eq!(session.screen, Screen::Check);
        check_rows(&s, &session, &cat)
            .into_iter()
            .map(|r| (r.lang, r.answer_lang))
            .collect::<Vec<_>>()
    };
    let some = |l: &str| Some(l.to_owned());
    assert_eq!(rows_for("ur", &["pl"]), [(some("en"), some("ur")), (None, some("pl"))]);
    // Mixed languages, a choice in the widget's language, "Other" and no answer: none.
    assert_eq!(rows_for("other", &["pl", "ro"]), [(some("en"), None), (None, None)]);
    assert_eq!(rows_for("en", &[]), [(some("en"), None), (None, None)]);
}

/// Issue #10: an abandoned session kept as an incomplete response holds only what was
/// answered on shown pages; a session with nothing answered, or already sent, yields nothing.
/// Issue #22: core builds the whole response, the event's context (marked incomplete) and the
/// locale included.
#[test]
fn an_abandoned_session_keeps_only_shown_answers() {
    let s = branching();
    let mut session = started(&s);
    let context = Context {
        event: "Carers' week".into(),
        event_id: "ev1".into(),
        device: "device-AB12".into(),
        incomplete: false,
    };
    let at_event = || Env {
        now_ms: 5.0,
        locale: "cy",
        context: Some(context.clone()),
        ..env()
    };
    assert_eq!(session.abandoned(&s, [1; 32], at_event()), None, "nothing answered");
    answer(&mut session, &s, "carer", Edit::Choose("no".into()));
    let kept = session.abandoned(&s, [1; 32], at_event()).unwrap();
    assert_eq!(kept.answers, *json!({ "carer": "no" }).as_object().unwrap());
    assert_eq!(kept.completed_at, 5.0);
    assert_eq!(kept.locale, "cy");
    assert_eq!(
        kept.context,
        Some(Context {
            incomplete: true,
            ..context.clone()
        })
    );
    cont(&mut session, &s);
    cont(&mut session, &s);
    cont(&mut session, &s);
    let outcomes = session.apply(&s, Command::Submit { entropy: [7; 32] }, at_event());
    let Some(Outcome::Completed(sent)) = outcomes.last() else {
        panic!("not completed: {outcomes:?}");
    };
    assert_eq!((sent.locale.as_str(), sent.context.as_ref()), ("cy", Some(&context)));
    assert_eq!(session.abandoned(&s, [1; 32], at_event()), None, "already sent");
    // Issue #24: whoever delivers them (a page, or the service worker with no page open),
    // responses taken at an event keep their answers on the device; others keep a receipt.
    assert!(sent.kept_after_delivery() && kept.kept_after_delivery());
    let mut elsewhere = started(&s);
    answer(&mut elsewhere, &s, "carer", Edit::Choose("no".into()));
    let alone = elsewhere.abandoned(&s, [1; 32], env()).unwrap();
    assert!(!alone.kept_after_delivery());
}

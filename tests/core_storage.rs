//! Scenario tests of what is kept on the device (issue #3): drafts, resuming, the download
//! file and the status line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{answer, built_in, cont, env};
use survey_widget::core::delivery::outbox::DeliveryStatus;
use survey_widget::core::delivery::outbox::OutboxEntry;
use survey_widget::core::device::record::Record;
use survey_widget::core::device::{
    answers_file, confirmation_keys, resume, Completion, DeviceState, Draft, Health, Network, Resumed,
};
use survey_widget::core::{Catalogue, Command, Edit, Outcome, QuestionId, Screen, Session};

fn half_filled() -> (survey_widget::core::Survey, Session) {
    let survey = built_in("carers-strategy");
    let mut s = Session::new();
    s.apply(&survey, Command::Start, env());
    let first = common::current_question(&s, &survey).unwrap();
    assert_eq!(first, "caring-for");
    answer(&mut s, &survey, &first, Edit::Toggle("parent".into(), true));
    cont(&mut s, &survey);
    assert_eq!(s.screen, Screen::Page { index: 1 }, "{:?}", s.errors);
    (survey, s)
}

#[test]
fn nothing_to_keep_means_no_draft() {
    let survey = built_in("carers-strategy");
    assert_eq!(Draft::of(&survey, &Session::new(), 1.0), None);
    let (survey, mut s) = half_filled();
    assert!(Draft::of(&survey, &s, 1.0).is_some());
    s.screen = Screen::Complete {
        reference: "KX7P-3M4Q".into(),
    };
    assert_eq!(Draft::of(&survey, &s, 1.0), None, "a finished response is not a draft");
}

#[test]
fn drafts_are_keyed_by_survey_and_version_and_carry_no_errors() {
    let (survey, mut s) = half_filled();
    s.apply(&survey, Command::Continue, env());
    let draft = Draft::of(&survey, &s, 42.0).unwrap();
    assert_eq!(draft.survey_id, survey.id);
    assert_eq!(draft.survey_version, survey.version);
    assert!(draft.session.errors.is_empty());
    let json = draft.to_value();
    assert!(
        json["surveyId"].is_string() && json["surveyVersion"].is_string(),
        "{json}"
    );
}

#[test]
fn resuming_drops_unknown_answers_and_leaves_hidden_pages() {
    let (survey, mut s) = half_filled();
    s.answers.insert(
        QuestionId::from("not-in-this-survey"),
        survey_widget::core::Answer::Text { value: "x".into() },
    );
    let resumed = resume(&survey, s.clone());
    assert!(!resumed.answers.contains_key(&QuestionId::from("not-in-this-survey")));

    // A page index past the end, as a tampered or corrupt record might hold.
    s.screen = Screen::Page { index: 10_000 };
    let resumed = resume(&survey, s.clone());
    let Screen::Page { index } = resumed.screen else {
        panic!("{:?}", resumed.screen)
    };
    assert!(resumed.visibility(&survey).pages[index]);

    s.screen = Screen::Complete { reference: "X".into() };
    assert_eq!(resume(&survey, s).screen, Screen::Start);
}

#[test]
fn the_download_file_has_titles_answers_and_unsaved_responses() {
    let (survey, s) = half_filled();
    let catalogue = Catalogue::english();
    let text = answers_file(Some(&survey), Some(&s), &[], &[], &catalogue, env().now_ms);
    let file: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["format"], "survey-widget-answers/1");
    assert_eq!(file["inProgress"]["surveyId"], survey.id.0.as_str());
    assert_eq!(file["inProgress"]["answers"][0]["questionId"], "caring-for");
    assert!(!file["inProgress"]["answers"][0]["answer"].as_str().unwrap().is_empty());
    assert!(file["downloadedAt"].as_str().unwrap().ends_with('Z'));

    // A one-question survey, completed, as if the response could not be stored.
    let small = survey_widget::core::survey::load::load_survey_value(&serde_json::json!({
        "formatVersion": 1, "id": "s", "version": "1", "title": "T",
        "pages": [{ "id": "p", "questions": [{ "id": "carer", "type": "yesNo", "title": "Are you a carer?" }] }]
    }))
    .unwrap();
    let mut s = Session::new();
    s.apply(&small, Command::Start, env());
    answer(&mut s, &small, "carer", Edit::Choose("no".into()));
    cont(&mut s, &small);
    let outcomes = s.apply(&small, Command::Submit { entropy: [7; 32] }, env());
    let Some(Outcome::Completed(response)) = outcomes.last().cloned() else {
        panic!("{outcomes:?}")
    };
    let entry = OutboxEntry::new(
        &response,
        Some("https://c.example/r".into()),
        vec![("X-A".into(), "1".into())],
    );
    assert_eq!(OutboxEntry::from_json(&entry.to_json()), Some(entry.clone()));
    assert_eq!(
        (entry.attempts, entry.reference.as_str()),
        (0, response.reference.as_str())
    );
    let text = answers_file(
        None,
        None,
        std::slice::from_ref(&response),
        &[],
        &catalogue,
        env().now_ms,
    );
    let file: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["completed"][0]["responseId"], response.response_id.as_str());
    assert!(file["inProgress"].is_null());
}

#[test]
fn every_status_line_has_a_message() {
    let catalogue = Catalogue::english();
    for health in [
        Health::Idle,
        Health::Saved,
        Health::Unavailable,
        Health::Full,
        Health::Failed,
    ] {
        for network in [Network::Online, Network::Offline, Network::BackOnline] {
            for (has_answers, paused) in [(false, false), (true, false), (true, true)] {
                let state = DeviceState {
                    health,
                    network,
                    has_answers,
                    paused,
                    resumed: Resumed::No,
                    ..DeviceState::default()
                };
                if let Some(key) = state.status_key() {
                    assert!(catalogue.has(key), "{key}");
                }
            }
            let statuses = [
                None,
                Some(DeliveryStatus::Waiting),
                Some(DeliveryStatus::Kept),
                Some(DeliveryStatus::NeedsAttention(None)),
                Some(DeliveryStatus::Received(0.0)),
            ];
            for completion in [
                Completion::None,
                Completion::Saving,
                Completion::Stored,
                Completion::Unsaved,
            ] {
                for status in &statuses {
                    for paused in [false, true] {
                        let (line, next) = confirmation_keys(completion, status.as_ref(), network, paused, false);
                        assert!(catalogue.has(next), "{next}");
                        if let Some(line) = line {
                            assert!(catalogue.has(line), "{line}");
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn records_read_back_and_reject_wrong_shapes() {
    let (survey, mut s) = half_filled();
    s.answers.insert(
        QuestionId::from("when"),
        survey_widget::core::Answer::Date {
            day: "1".into(),
            month: "2".into(),
            year: "2026".into(),
        },
    );
    s.answers.insert(
        QuestionId::from("rows"),
        survey_widget::core::Answer::Matrix {
            rows: [("a".to_owned(), "agree".to_owned())].into(),
        },
    );
    s.answers.insert(
        QuestionId::from("ok"),
        survey_widget::core::Answer::Consent { given: true },
    );
    s.returning_to_check = true;
    let draft = Draft::of(&survey, &s, 5.0).unwrap();
    assert_eq!(Draft::from_json(&draft.to_json()), Some(draft.clone()));
    for screen in [Screen::Start, Screen::Check, Screen::Complete { reference: "R".into() }] {
        assert_eq!(Screen::from_value(&screen.to_value()), Some(screen));
    }
    // Extra fields from a newer release are ignored; a wrong shape is refused, not guessed.
    let mut value = draft.to_value();
    value["addedLater"] = serde_json::json!(true);
    assert_eq!(Draft::from_value(&value), Some(draft.clone()));
    value["session"]["screen"] = serde_json::json!({ "screen": "page", "index": -1 });
    assert_eq!(Draft::from_value(&value), None);
    assert_eq!(Draft::from_json("not json"), None);
    assert_eq!(Draft::from_json(r#"{"surveyId": 3}"#), None);
}

/// Issue #22: a completed response records its locale; one stored by an earlier release,
/// without it, still reads, as English (every response then was given in English).
#[test]
fn a_stored_response_keeps_its_locale_and_older_ones_read_as_english() {
    use survey_widget::core::CompletedResponse;
    let welsh = CompletedResponse {
        response_id: "7e1d2a9e-0c3b-4d5e-8f7a-000000000001".into(),
        reference: "KX7P3M4Q".into(),
        survey_id: "co-production".into(),
        survey_version: "2026-11".into(),
        started_at: 1.0,
        completed_at: 2.0,
        answers: serde_json::Map::new(),
        locale: "cy".into(),
        languages_used: vec!["en".into(), "cy".into()],
        context: None,
    };
    assert_eq!(CompletedResponse::from_json(&welsh.to_json()), Some(welsh.clone()));
    let mut old: serde_json::Value = serde_json::from_str(&welsh.to_json()).unwrap();
    old.as_object_mut().unwrap().remove("locale");
    old.as_object_mut().unwrap().remove("languagesUsed");
    let read = CompletedResponse::from_json(&old.to_string()).unwrap();
    assert_eq!(
        read,
        CompletedResponse {
            locale: "en".into(),
            languages_used: Vec::new(),
            ..welsh
        }
    );
}

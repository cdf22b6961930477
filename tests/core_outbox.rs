//! Sync (issue #4): the protocol body, reply classification, the retry policy, and the
//! outbox state machine under any order of events.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use survey_widget::core::delivery::outbox::OutboxEntry;
use survey_widget::core::delivery::outbox::{
    anything_to_send, classify, retry_delay_ms, Attempt, Change, DeliveryStatus, EntryState, Outbox, Reply, Report,
    MAX_DELAY_MS, MAX_IN_FLIGHT, MIN_RETRY_AFTER_MS,
};
use survey_widget::core::delivery::protocol::{check_answers, check_body, request_body};
use survey_widget::core::device::record::Record;
use survey_widget::core::{CompletedResponse, SurveyId};

fn response(n: u32) -> CompletedResponse {
    CompletedResponse {
        response_id: format!("6f1d2a9e-0c3b-4d5e-8f7a-{n:012x}"),
        reference: "KX7P-3M4Q".into(),
        survey_id: SurveyId::from("carers-strategy"),
        survey_version: "2026-11".into(),
        started_at: 1_795_705_000_000.0,
        completed_at: 1_795_705_445_123.0,
        answers: json!({ "caring-hours": 35, "caring-for": ["parent"], "wellbeing-score": 7 })
            .as_object()
            .unwrap()
            .clone(),
        locale: "en".into(),
        languages_used: vec!["en".into()],
        context: None,
    }
}

#[test]
fn the_body_matches_the_documented_example() {
    let body = request_body(&response(1));
    let example: Value = serde_json::from_str(include_str!("fixtures/response-example.json")).unwrap();
    assert_eq!(
        body, example,
        "update tests/fixtures/response-example.json and docs/protocol.md together"
    );
    let checked = check_body(body, Some("6f1d2a9e-0c3b-4d5e-8f7a-000000000001")).unwrap();
    assert_eq!(checked.survey_id, "carers-strategy");
    assert_eq!(checked.answers["caring-hours"], 35);
    // Issue #21: the documented example fits the survey it names, as a collector run with
    // `--surveys public/surveys` checks it.
    let survey = survey_widget::core::load_survey(include_str!("../public/surveys/carers-strategy.json")).unwrap();
    assert_eq!(survey.version, "2026-11");
    assert_eq!(check_answers(&survey, &checked.answers), Vec::<String>::new());
}

/// Issue #21: a body's fields beyond the protocol's are dropped before it is stored, and
/// `client` holds only its name and version.
#[test]
fn fields_the_protocol_does_not_have_are_dropped() {
    let mut body = request_body(&response(3));
    let id = body["responseId"].as_str().unwrap().to_owned();
    body["padding"] = json!("x".repeat(1000));
    body["client"]["extra"] = json!({ "deep": [1, 2, 3] });
    body["context"] = json!({ "mode": "event", "event": "Café", "future": "kept out" });
    let checked = check_body(body, Some(&id)).unwrap();
    assert!(checked.body.get("padding").is_none());
    assert_eq!(
        checked.body["client"],
        json!({ "name": "survey-widget", "version": "0.1.0" })
    );
    assert_eq!(checked.body["context"], json!({ "mode": "event", "event": "Café" }));
    assert_eq!(checked.body["answers"]["caring-hours"], 35);
    let mut long_client = request_body(&response(4));
    long_client["client"]["name"] = json!("x".repeat(201));
    assert!(check_body(long_client, Some(&id)).is_err());
}

/// Issue #21: refusals never repeat an answer's value (they are logged).
#[test]
fn problems_never_quote_an_answer() {
    let survey = survey_widget::core::load_survey(include_str!("../public/surveys/carers-strategy.json")).unwrap();
    let canary = "Jane Doe 07700 900999";
    let answers = json!({
        "caring-years": canary,
        "support-statements": { "easy-to-find": canary, "made-up": "agree" },
    });
    let problems = check_answers(&survey, answers.as_object().unwrap());
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems.iter().all(|p| !p.contains("Jane")), "{problems:?}");
    let mut body = request_body(&response(5));
    let id = body["responseId"].as_str().unwrap().to_owned();
    body["answers"][canary] = json!("x");
    let problems = check_body(body, Some(&id)).unwrap_err();
    assert!(problems.iter().all(|p| !p.contains("Jane")), "{problems:?}");
}

/// Issue #21: the body limit follows the survey, at six bytes a character.
#[test]
fn the_body_limit_fits_the_longest_response_a_survey_allows() {
    let survey = survey_widget::core::load_survey(include_str!("../public/surveys/carers-strategy.json")).unwrap();
    let limit = survey_widget::core::delivery::protocol::body_limit(&survey);
    assert!(limit < 256 * 1024, "{limit}");
    // Every text answer at its longest, each character escaped as JSON's longest spelling.
    let mut body = request_body(&response(6));
    for (_, q) in survey.questions() {
        use survey_widget::core::survey::definition::QuestionKind;
        let chars = match &q.kind {
            QuestionKind::ShortText { max_length, .. } | QuestionKind::LongText { max_length, .. } => *max_length,
            QuestionKind::Email | QuestionKind::Phone => survey_widget::core::delivery::protocol::MAX_CONTACT_CHARS,
            _ => continue,
        };
        body["answers"][q.id.0.as_str()] = json!("\u{1}".repeat(chars as usize));
    }
    let text = body.to_string();
    assert!(text.len() <= limit, "{} > {limit}", text.len());
}

#[test]
fn the_collector_refuses_bodies_that_break_the_protocol() {
    let good = request_body(&response(2));
    let id = good["responseId"].as_str().unwrap().to_owned();
    assert!(check_body(good.clone(), None).unwrap_err()[0].contains("header is missing"));
    assert!(check_body(good.clone(), Some("another")).is_err());
    assert!(check_body(json!([1]), Some(&id)).is_err());
    for (field, value) in [
        ("formatVersion", json!(2)),
        ("responseId", json!("not-a-uuid")),
        ("surveyId", json!("")),
        ("startedAt", json!("yesterday")),
        ("answers", json!([])),
        ("client", json!({})),
    ] {
        let mut bad = good.clone();
        bad[field] = value;
        let key = if field == "responseId" { "not-a-uuid" } else { &id };
        let problems = check_body(bad, Some(key)).unwrap_err();
        assert!(problems.iter().any(|p| p.contains(field)), "{field}: {problems:?}");
    }
}

#[test]
fn the_collector_checks_bodies_as_the_json_schema_says() {
    let good = request_body(&response(3));
    let id = good["responseId"].as_str().unwrap().to_owned();
    // A UUID that is not version 4 (as the issue found accepted), and one with a bad variant.
    for (bad_id, why) in [
        ("6f1d2a9e-0c3b-1d5e-8f7a-000000000003", "version 1"),
        ("6f1d2a9e-0c3b-4d5e-cf7a-000000000003", "variant"),
    ] {
        let mut bad = good.clone();
        bad["responseId"] = json!(bad_id);
        assert!(check_body(bad, Some(bad_id)).is_err(), "{why}");
    }
    for stamp in [
        "=1+1+00000T00000000Z",
        "2026-13-01T00:00:00Z",
        "2026-02-30T00:00:00Z",
        "2026-11-26T24:00:00Z",
        "2026-11-26T15:04:05.Z",
        "2026-11-26T15:04:05+00:00",
        "2026-11-26 15:04:05Z",
    ] {
        let mut bad = good.clone();
        bad["startedAt"] = json!(stamp);
        assert!(check_body(bad, Some(&id)).is_err(), "{stamp}");
    }
    for stamp in [
        "2026-11-26T15:04:05Z",
        "2026-11-26T15:04:05.123Z",
        "2016-12-31T23:59:60Z",
    ] {
        let mut fine = good.clone();
        fine["completedAt"] = json!(stamp);
        assert!(check_body(fine, Some(&id)).is_ok(), "{stamp}");
    }
    let mut deep = json!("x");
    for _ in 0..127 {
        deep = json!([deep]);
    }
    for (answer, why) in [
        (deep, "nested arrays"),
        (json!([["a"]]), "a list in a list"),
        (json!({ "a": { "b": "c" } }), "an object in an object"),
        (json!(null), "null"),
        (json!("x".repeat(10_001)), "text over 10,000 characters"),
        (json!(vec!["a"; 201]), "over 200 items"),
    ] {
        let mut bad = good.clone();
        bad["answers"]["caring-for"] = answer;
        let problems = check_body(bad, Some(&id)).unwrap_err();
        assert!(problems[0].contains("answers.caring-for"), "{why}: {problems:?}");
    }
    let mut many = good.clone();
    many["answers"] = Value::Object((0..1001).map(|i| (format!("q{i}"), json!("x"))).collect());
    assert!(check_body(many, Some(&id)).unwrap_err()[0].contains("at most 1000"));
    let mut hostile_key = good.clone();
    hostile_key["answers"]["=cmd|' /C calc'!A0"] = json!("x");
    let problems = check_body(hostile_key, Some(&id)).unwrap_err();
    assert!(problems[0].contains("question ids"), "{problems:?}");
}

#[test]
fn answers_are_checked_against_the_survey_they_claim() {
    let survey = survey_widget::core::load_survey(include_str!("../public/surveys/co-production.json")).unwrap();
    let good = json!({
        "connection-to-care": { "value": "other", "other": "A neighbour" },
        "want-bigger-say": "yes",
        "ways-to-take-part": ["board", "surveys"],
        "why-not-involved": "Time",
        "format-preferences": { "in-person": "likely", "video": "unlikely" },
        "preferred-language": "polish",
    });
    assert_eq!(check_answers(&survey, good.as_object().unwrap()), Vec::<String>::new());
    for (key, value, why) in [
        ("made-up", json!("x"), "no such question"),
        ("want-bigger-say", json!("maybe"), "yes or no"),
        ("want-bigger-say", json!(true), "yes or no"),
        ("connection-to-care", json!("cousin"), "not one of the choices"),
        (
            "connection-to-care",
            json!({ "value": "carer", "other": "x" }),
            "choice value or",
        ),
        (
            "connection-to-care",
            json!({ "value": "other", "other": "x".repeat(501) }),
            "longer than",
        ),
        ("ways-to-take-part", json!(["board", "board"]), "twice"),
        ("ways-to-take-part", json!(["cake"]), "not one of the choices"),
        ("ways-to-take-part", json!("board"), "list of choice values"),
        ("why-not-involved", json!(3), "must be text"),
        (
            "format-preferences",
            json!({ "in-person": "never" }),
            "not one of the choices",
        ),
        (
            "format-preferences",
            json!({ "radio": "likely" }),
            "a statement the question does not have",
        ),
    ] {
        let mut bad = good.clone();
        bad[key] = value;
        let problems = check_answers(&survey, bad.as_object().unwrap());
        assert_eq!(problems.len(), 1, "{key}: {problems:?}");
        assert!(
            problems[0].contains(key) && problems[0].contains(why),
            "{key}: {problems:?}"
        );
    }
}

fn entry(n: u32, due: f64) -> OutboxEntry {
    let mut e = OutboxEntry::new(
        &response(n),
        Some("https://collector.example.gov.uk/responses".into()),
        vec![("X-Council".into(), "demo".into())],
    );
    e.state = EntryState::Waiting { next_attempt_at: due };
    e
}

#[test]
fn a_refused_response_does_not_hold_up_the_rest() {
    let mut outbox = Outbox::new();
    outbox.refresh(vec![entry(1, 0.0), entry(2, 1.0), entry(3, 2.0)]);
    let first = outbox.begin(10.0).unwrap();
    let change = outbox
        .finish(&first.response_id, Attempt::Rejected { status: 400 }, 10.0, 0.5)
        .unwrap();
    let Change::Update(kept) = change else { panic!() };
    assert_eq!(kept.state, EntryState::NeedsAttention { status: Some(400) });
    let second = outbox.begin(11.0).unwrap();
    assert_ne!(second.response_id, first.response_id);
    assert!(matches!(
        outbox.finish(&second.response_id, Attempt::Delivered, 11.0, 0.5),
        Some(Change::Acknowledge(_))
    ));
    assert!(
        outbox
            .finish(&second.response_id, Attempt::Delivered, 11.0, 0.5)
            .is_none(),
        "never acknowledged twice"
    );
}

/// Issue #24: different responses go in parallel, a few at a time, never two requests for
/// one response; a slow request holds up only its own response; a server's `Retry-After`
/// holds every response to that endpoint, and "Send now" lifts it.
#[test]
fn responses_go_in_parallel_and_retry_after_holds_the_endpoint() {
    let mut outbox = Outbox::new();
    outbox.refresh((0..10).map(|n| entry(n, 0.0)).collect());
    let started: Vec<OutboxEntry> = (0..10).filter_map(|_| outbox.begin(1.0)).collect();
    assert_eq!(started.len(), MAX_IN_FLIGHT, "a few at a time");
    let ids: BTreeSet<&String> = started.iter().map(|e| &e.response_id).collect();
    assert_eq!(ids.len(), MAX_IN_FLIGHT, "never two requests for one response");
    // The first hangs; the others finish, and their places go to the next responses.
    for e in &started[1..] {
        outbox.finish(&e.response_id, Attempt::Delivered, 2.0, 0.5).unwrap();
    }
    let next: Vec<OutboxEntry> = (0..10).filter_map(|_| outbox.begin(2.0)).collect();
    assert_eq!(next.len(), MAX_IN_FLIGHT - 1);
    assert!(next.iter().all(|e| e.response_id != started[0].response_id));
    // One reply says Retry-After: 120 s: nothing more goes to that endpoint until then.
    let change = outbox
        .finish(
            &next[0].response_id,
            Attempt::Retry {
                retry_after_ms: Some(120_000.0),
            },
            3.0,
            0.5,
        )
        .unwrap();
    assert!(matches!(change, Change::Update(_)));
    for e in &next[1..] {
        outbox.finish(&e.response_id, Attempt::Delivered, 3.0, 0.5).unwrap();
    }
    assert_eq!(outbox.begin(60_000.0), None, "held by the endpoint's Retry-After");
    assert_eq!(outbox.next_due(), Some(120_003.0));
    assert!(outbox.begin(120_003.0).is_some());
    outbox.refresh((0..10).map(|n| entry(n, 0.0)).collect());
    outbox.finish(
        &started[0].response_id,
        Attempt::Retry {
            retry_after_ms: Some(300_000.0),
        },
        4.0,
        0.5,
    );
    outbox.send_now(5.0);
    assert!(outbox.begin(5.0).is_some(), "Send now lifts the hold");
}

#[test]
fn unauthorized_pauses_sending_until_send_now() {
    let mut outbox = Outbox::new();
    outbox.refresh(vec![entry(1, 0.0), entry(2, 0.0)]);
    let e = outbox.begin(5.0).unwrap();
    outbox.finish(&e.response_id, Attempt::Unauthorized { status: 401 }, 5.0, 0.5);
    assert!(outbox.is_paused());
    assert_eq!(outbox.begin(1e15), None);
    assert_eq!(outbox.next_due(), None);
    outbox.send_now(6.0);
    assert!(outbox.begin(6.0).is_some());
}

#[test]
fn a_response_with_no_endpoint_stays_on_the_device() {
    let mut outbox = Outbox::new();
    let mut local = entry(1, 0.0);
    local.endpoint = None;
    outbox.refresh(vec![local]);
    assert_eq!(outbox.begin(1e15), None);
    assert_eq!(outbox.next_due(), None);
}

/// Issue #24: the sender's module tells the page what each attempt changed as JSON text (two
/// wasm modules share no memory); the page loads that module only when something waits.
#[test]
fn the_senders_report_reads_back_and_the_sender_loads_only_when_needed() {
    let mut outbox = Outbox::new();
    outbox.refresh(vec![entry(1, 0.0), entry(2, 0.0)]);
    let first = outbox.begin(5.0).unwrap();
    let kept = outbox
        .finish(&first.response_id, Attempt::Rejected { status: 422 }, 5.0, 0.5)
        .unwrap();
    let second = outbox.begin(6.0).unwrap();
    let delivered = outbox
        .finish(&second.response_id, Attempt::Delivered, 6.0, 0.5)
        .unwrap();
    for (change, paused) in [(kept, false), (delivered, true)] {
        let report = Report { change, paused };
        assert_eq!(Report::from_json(&report.to_json()), Some(report.clone()));
    }
    let waiting = Change::Update(entry(1, 0.0));
    assert_eq!(
        waiting.status(),
        (entry(1, 0.0).response_id.as_str(), DeliveryStatus::Waiting)
    );
    assert_eq!(
        Report::from_json(r#"{"paused": false}"#),
        None,
        "a report names its change"
    );
    assert_eq!(Report::from_json(r#"{"update": {}, "paused": false}"#), None);

    assert!(!anything_to_send(&[]));
    let mut local = entry(3, 0.0);
    local.endpoint = None;
    let mut refused = entry(4, 0.0);
    refused.state = EntryState::NeedsAttention { status: Some(422) };
    assert!(
        !anything_to_send(&[local.clone(), refused.clone()]),
        "nothing a sender could send"
    );
    assert!(
        anything_to_send(&[local, refused, entry(5, 1e15)]),
        "due later still needs its timer"
    );
}

#[test]
fn a_captive_portal_page_is_not_a_delivery() {
    let portal = Reply::Http {
        status: 200,
        html: true,
        retry_after: None,
    };
    assert!(matches!(classify(&portal, 0.0), Attempt::Retry { .. }));
}

#[derive(Clone, Debug)]
enum Event {
    Begin,
    Finish(u8, Option<u32>),
    Stale(u32),
    Tick(u32),
    Reload,
    SendNow,
    Refresh,
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        3 => Just(Event::Begin),
        3 => (any::<u8>(), prop::option::of(0u32..4_000)).prop_map(|(o, ra)| Event::Finish(o, ra)),
        1 => (0u32..20).prop_map(Event::Stale),
        2 => (0u32..400_000).prop_map(Event::Tick),
        1 => Just(Event::Reload),
        1 => Just(Event::SendNow),
        1 => Just(Event::Refresh),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// No entry is lost or acknowledged twice under any order of events, there are never more
    /// than `MAX_IN_FLIGHT` requests in flight and never two for one response, delays never
    /// exceed the cap, and `Retry-After` is honoured for the response and its endpoint.
    #[test]
    fn the_outbox_loses_nothing_and_acknowledges_once(count in 1u32..12, events in prop::collection::vec(event(), 1..300), jitter in 0.0f64..1.0) {
        let all: BTreeSet<String> = (0..count).map(|n| response(n).response_id).collect();
        let mut store: BTreeMap<String, OutboxEntry> = (0..count).map(|n| (response(n).response_id, entry(n, 0.0))).collect();
        let mut acknowledged = BTreeSet::new();
        let mut outbox = Outbox::new();
        outbox.refresh(store.values().cloned().collect());
        let mut now = 0.0;
        let mut in_flight: Vec<String> = Vec::new();
        // Every entry here goes to one endpoint: the latest Retry-After's end holds them all.
        let mut held_until = 0.0f64;
        let apply = |change: Change, store: &mut BTreeMap<String, OutboxEntry>, acknowledged: &mut BTreeSet<String>| {
            match change {
                Change::Update(e) => { store.insert(e.response_id.clone(), e); }
                Change::Acknowledge(r) => {
                    assert!(store.remove(&r.response_id).is_some(), "acknowledged an entry not stored");
                    assert!(acknowledged.insert(r.response_id), "acknowledged twice");
                }
            }
        };
        for ev in events {
            match ev {
                Event::Begin => if let Some(e) = outbox.begin(now) {
                    prop_assert!(in_flight.len() < MAX_IN_FLIGHT, "more than {} requests in flight", MAX_IN_FLIGHT);
                    prop_assert!(!in_flight.contains(&e.response_id), "two requests for one response");
                    prop_assert!(e.state.due_at().is_some_and(|due| due <= now));
                    prop_assert!(now >= held_until, "sent while the endpoint's Retry-After held it");
                    in_flight.push(e.response_id);
                },
                Event::Finish(kind, retry_after) => if !in_flight.is_empty() {
                    let id = in_flight.remove(usize::from(kind) % in_flight.len());
                    let attempt = match kind % 5 {
                        0 => Attempt::Delivered,
                        1 | 2 => Attempt::Retry { retry_after_ms: retry_after.map(|s| f64::from(s) * 1000.0) },
                        3 => Attempt::Rejected { status: 400 },
                        _ => Attempt::Unauthorized { status: 401 },
                    };
                    let change = outbox.finish(&id, attempt, now, jitter);
                    prop_assert!(change.is_some());
                    if let (Attempt::Retry { retry_after_ms }, Some(Change::Update(e))) = (attempt, &change) {
                        let delay = e.state.due_at().unwrap() - now;
                        prop_assert!(delay <= MAX_DELAY_MS, "delay {delay} over the cap");
                        if let Some(ra) = retry_after_ms {
                            prop_assert!(delay >= ra.clamp(MIN_RETRY_AFTER_MS, MAX_DELAY_MS), "Retry-After not honoured");
                            held_until = held_until.max(now + ra.clamp(MIN_RETRY_AFTER_MS, MAX_DELAY_MS));
                        }
                    }
                    apply(change.unwrap(), &mut store, &mut acknowledged);
                },
                Event::Stale(n) => {
                    let id = response(n).response_id;
                    if !in_flight.contains(&id) {
                        prop_assert!(outbox.finish(&id, Attempt::Delivered, now, jitter).is_none(), "a stale report changed something");
                    }
                }
                Event::Tick(ms) => now += f64::from(ms),
                Event::Reload => {
                    // The page goes away mid-request: the request's fate is unknown, the
                    // entry is still stored, and a new page starts from storage.
                    in_flight.clear();
                    held_until = 0.0;
                    outbox = Outbox::new();
                    outbox.refresh(store.values().cloned().collect());
                }
                Event::SendNow => {
                    held_until = 0.0;
                    for e in outbox.send_now(now) {
                        prop_assert!(store.contains_key(&e.response_id), "send now revived an acknowledged entry");
                        store.insert(e.response_id.clone(), e);
                    }
                }
                Event::Refresh => outbox.refresh(store.values().cloned().collect()),
            }
            let stored: BTreeSet<String> = store.keys().cloned().collect();
            prop_assert!(stored.is_disjoint(&acknowledged));
            prop_assert_eq!(stored.union(&acknowledged).cloned().collect::<BTreeSet<_>>(), all.clone(), "an entry was lost");
        }
        // Everything still waiting is eventually delivered once the server is well.
        for id in in_flight.drain(..) {
            let change = outbox.finish(&id, Attempt::Delivered, now, jitter).unwrap();
            apply(change, &mut store, &mut acknowledged);
        }
        for _ in 0..100 {
            outbox.send_now(now);
            let Some(e) = outbox.begin(now) else { break };
            let change = outbox.finish(&e.response_id, Attempt::Delivered, now, jitter).unwrap();
            apply(change, &mut store, &mut acknowledged);
        }
        prop_assert!(store.values().all(|e| e.state.due_at().is_none()), "a waiting entry was never sent");
        prop_assert_eq!(retry_delay_ms(u32::MAX, 1.0, None), MAX_DELAY_MS);
    }
}

/// Issue #24: a hung server costs a response 10 s on its first try rather than 30, while a
/// server that is only slow gets longer on each try, never more than the longest wait.
#[test]
fn requests_are_waited_for_longer_on_each_try() {
    use survey_widget::core::delivery::outbox::{request_timeout_ms, REQUEST_TIMEOUT_MS};
    let waits: Vec<f64> = (0..6).map(request_timeout_ms).collect();
    assert_eq!(waits[..3], [10_000.0, 15_000.0, REQUEST_TIMEOUT_MS]);
    assert!(waits.windows(2).all(|w| w[0] <= w[1]));
    assert!(waits.iter().all(|&w| w <= REQUEST_TIMEOUT_MS));
    assert_eq!(request_timeout_ms(u32::MAX), REQUEST_TIMEOUT_MS);
}

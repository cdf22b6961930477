//! Property tests of the engine's invariants (issue #2, section 5): routing never lands on a
//! hidden page, hidden answers never reach the result, loading arbitrary JSON never panics,
//! a saved draft resumes exactly (issue #3), and the save queue writes every change with
//! one write at a time.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::env;
use proptest::prelude::*;
use serde_json::Value;
use survey_widget::core::device::record::Record;
use survey_widget::core::device::{resume, Draft, SaveQueue};
use survey_widget::core::survey::load::load_survey_value;
use survey_widget::core::{load_survey, Command, DatePart, Edit, QuestionId, Screen, Session, Survey};

/// A random command against a survey: edits draw values from the survey's own choices, plus
/// junk, so every branch of the skip logic gets exercised.
fn command(survey: &Survey, pick: (u8, usize, usize, String)) -> Command {
    let (kind, qi, vi, text) = pick;
    let questions: Vec<_> = survey.questions().map(|(_, q)| q).collect();
    let q = questions[qi % questions.len()];
    let question = q.id.clone();
    use survey_widget::core::QuestionKind as K;
    let values: Vec<String> = match &q.kind {
        K::SingleChoice { choices, other, .. } => choices.iter().chain(other.iter()).map(|c| c.value.clone()).collect(),
        K::MultipleChoice { choices, none, .. } => choices.iter().chain(none.iter()).map(|c| c.value.clone()).collect(),
        K::YesNo { .. } => vec!["yes".into(), "no".into()],
        K::Rating { min, max, .. } => (*min..=*max).map(|n| n.to_string()).collect(),
        K::Likert { scale, .. } => scale.iter().map(|c| c.value.clone()).collect(),
        _ => vec![text.clone()],
    };
    let value = values[vi % values.len()].clone();
    match kind % 10 {
        0 => Command::Continue,
        1 => Command::Back,
        2 => Command::Change(question),
        3 => Command::Start,
        4 => Command::Edit {
            question,
            edit: Edit::Text(text),
        },
        5 => Command::Edit {
            question,
            edit: Edit::Choose(value),
        },
        6 => Command::Edit {
            question,
            edit: Edit::Toggle(value, vi % 3 != 0),
        },
        7 => match &q.kind {
            K::Likert { statements, .. } => Command::Edit {
                question,
                edit: Edit::Row(statements[vi % statements.len()].id.clone(), value),
            },
            _ => Command::Edit {
                question,
                edit: Edit::DatePart(DatePart::Year, text),
            },
        },
        8 => Command::Edit {
            question,
            edit: Edit::Consent(vi % 2 == 0),
        },
        _ => Command::Continue,
    }
}

/// Edits that answer `q` validly, the `v`-th of its valid answers (so different `v` take
/// different branches of the skip logic).
fn valid_edits(q: &survey_widget::core::Question, v: usize) -> Vec<Edit> {
    use survey_widget::core::QuestionKind as K;
    match &q.kind {
        K::ShortText { pattern: Some(_), .. } => vec![Edit::Text("LS6".into())],
        K::ShortText { .. } | K::LongText { .. } => vec![Edit::Text(format!("words {v}"))],
        K::Number { min, .. } => vec![Edit::Text(format!("{}", min.unwrap_or(1.0).max(1.0) as i64))],
        K::Date { .. } => vec![
            Edit::DatePart(DatePart::Day, "1".into()),
            Edit::DatePart(DatePart::Month, "6".into()),
            Edit::DatePart(DatePart::Year, "2025".into()),
        ],
        K::Email => vec![Edit::Text("someone@example.org".into())],
        K::Phone => vec![Edit::Text("01632 960001".into())],
        K::SingleChoice { choices, .. } => vec![Edit::Choose(choices[v % choices.len()].value.clone())],
        K::MultipleChoice { choices, .. } => vec![Edit::Toggle(choices[v % choices.len()].value.clone(), true)],
        K::YesNo { .. } => vec![Edit::Choose(if v % 2 == 0 { "yes" } else { "no" }.into())],
        K::Rating { min, max, .. } => vec![Edit::Choose((min + (v as i64).rem_euclid(max - min + 1)).to_string())],
        K::Likert { statements, scale } => statements
            .iter()
            .map(|st| Edit::Row(st.id.clone(), scale[v % scale.len()].value.clone()))
            .collect(),
        K::Consent { .. } => vec![Edit::Consent(true)],
        _ => Vec::new(),
    }
}

/// Answers every shown question of the current page validly, the answer for the `n`-th
/// question of the survey drawn by `picks[n]`.
fn answer_page(session: &mut Session, survey: &Survey, picks: &[usize]) {
    let Screen::Page { index } = session.screen else { return };
    let vis = session.visibility(survey);
    for q in &survey.pages[index].questions {
        if !vis.questions.contains(&q.id) {
            continue;
        }
        let n = survey.questions().position(|(_, other)| other.id == q.id).unwrap_or(0);
        answer(session, survey, q, picks[n % picks.len()]);
    }
}

/// Gives `q` its `pick`-th valid answer.
fn answer(session: &mut Session, survey: &Survey, q: &survey_widget::core::Question, pick: usize) {
    for edit in valid_edits(q, pick) {
        session.apply(
            survey,
            Command::Edit {
                question: q.id.clone(),
                edit,
            },
            env(),
        );
    }
}

/// Answers and continues until the check page; returns the pages visited on the way.
fn walk_to_check(session: &mut Session, survey: &Survey, picks: &[usize]) -> Vec<usize> {
    let mut visited = Vec::new();
    for _ in 0..200 {
        let Screen::Page { index } = session.screen else { break };
        visited.push(index);
        answer_page(session, survey, picks);
        session.apply(survey, Command::Continue, env());
    }
    visited
}

/// From the check page: follows the Change link of the `which`-th shown answerable question
/// and gives it its `pick`-th valid answer; returns that question.
fn change_answer(session: &mut Session, survey: &Survey, which: usize, pick: usize) -> survey_widget::core::Question {
    let vis = session.visibility(survey);
    let shown: Vec<_> = survey
        .questions()
        .filter(|(_, q)| q.kind.is_answerable() && vis.questions.contains(&q.id))
        .map(|(_, q)| q.clone())
        .collect();
    let q = shown[which % shown.len()].clone();
    session.apply(survey, Command::Change(q.id.clone()), env());
    answer(session, survey, &q, pick);
    q
}

fn pick() -> impl Strategy<Value = (u8, usize, usize, String)> {
    (
        any::<u8>(),
        any::<usize>(),
        any::<usize>(),
        prop_oneof!["[0-9]{1,3}", "[a-z ]{0,8}", Just(String::new())],
    )
}

fn check_invariants(survey: &Survey, session: &Session) -> Result<(), TestCaseError> {
    let vis = session.visibility(survey);
    if let Screen::Page { index } = session.screen {
        prop_assert!(vis.pages[index], "on hidden page {index}");
    }
    for key in session.result(survey).keys() {
        prop_assert!(
            vis.questions.contains(&QuestionId(key.clone())),
            "hidden answer {key} in result"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn routing_never_lands_on_a_hidden_page(survey_index in 0usize..3, picks in prop::collection::vec(pick(), 1..120)) {
        let survey = common::built_in(common::BUILT_IN[survey_index]);
        let mut session = Session::new();
        for p in picks {
            let cmd = command(&survey, p);
            session.apply(&survey, cmd, env());
            check_invariants(&survey, &session)?;
        }
    }

    /// A completed response holds exactly the answers of the questions shown when it was sent:
    /// answers given on a branch a later Change hid stay in the session but never reach the
    /// response. (Issue #22: the earlier version of this test never reached Submit.)
    #[test]
    fn completed_responses_hold_only_shown_answers(
        survey_index in 0usize..3,
        picks in prop::collection::vec(any::<usize>(), 1..40),
        changes in prop::collection::vec((any::<usize>(), any::<usize>()), 1..4),
        later in prop::collection::vec(any::<usize>(), 1..40),
    ) {
        let survey = common::built_in(common::BUILT_IN[survey_index]);
        let mut session = Session::new();
        session.apply(&survey, Command::Start, env());
        walk_to_check(&mut session, &survey, &picks);
        for (which, pick) in changes {
            change_answer(&mut session, &survey, which, pick);
            session.apply(&survey, Command::Continue, env());
            walk_to_check(&mut session, &survey, &later);
        }
        prop_assert_eq!(&session.screen, &Screen::Check);
        let shown = session.visibility(&survey);
        let outcomes = session.apply(&survey, Command::Submit { entropy: [1; 32] }, env());
        let response = outcomes.into_iter().find_map(|o| match o {
            survey_widget::core::Outcome::Completed(response) => Some(response),
            _ => None,
        });
        prop_assert!(response.is_some(), "Submit on a complete check page completes the response");
        let response = response.unwrap();
        let sent: Vec<&String> = response.answers.keys().collect();
        let expected: Vec<&String> = shown.values.keys().map(|q| &q.0).collect();
        prop_assert_eq!(sent, expected, "exactly the shown questions' answers");
    }

    /// Issue #8: on the way through (answering and pressing Continue, never Back), the
    /// progress total never rises, an edit never changes it, and the position only grows.
    #[test]
    fn the_progress_total_never_rises_on_the_way_through(survey_index in 0usize..3, picks in prop::collection::vec(pick(), 1..300)) {
        let survey = common::built_in(common::BUILT_IN[survey_index]);
        let mut session = Session::new();
        session.apply(&survey, Command::Start, env());
        let mut last: Option<(usize, usize, usize)> = None;
        for p in picks {
            let Screen::Page { index } = session.screen else { break };
            // Edits go to a question on the page being shown; anything else is Continue.
            let page = &survey.pages[index].questions;
            let on_page = (p.1 % page.len()) + survey.questions().position(|(_, q)| q.id == page[0].id).unwrap();
            let cmd = match command(&survey, (p.0, on_page, p.2, p.3)) {
                edit @ Command::Edit { .. } => edit,
                _ => Command::Continue,
            };
            let editing = matches!(cmd, Command::Edit { .. });
            session.apply(&survey, cmd, env());
            let Screen::Page { index: now } = session.screen else { continue };
            let Some((position, total)) = session.progress(&survey) else { continue };
            prop_assert!(position <= total, "question {position} of {total}");
            if let Some((was_index, was_position, was_total)) = last {
                prop_assert!(total <= was_total, "the total rose from {was_total} to {total}");
                prop_assert!(position >= was_position, "went back from {was_position} to {position}");
                if editing || now == was_index {
                    prop_assert_eq!(total, was_total, "an answer on the page changed the total");
                }
            }
            last = Some((now, position, total));
        }
    }

    /// Issue #21: changing the age to "Under 18" from "Check your answers" went straight back
    /// to Check, so "Support for young carers" never showed. After a Change, every page the
    /// change newly shows is visited before Check, on every built-in survey.
    #[test]
    fn after_a_change_every_newly_shown_page_is_visited(
        survey_index in 0usize..3,
        picks in prop::collection::vec(any::<usize>(), 1..40),
        changed in any::<usize>(),
        new_pick in any::<usize>(),
        later in prop::collection::vec(any::<usize>(), 1..40),
    ) {
        let survey = common::built_in(common::BUILT_IN[survey_index]);
        let mut session = Session::new();
        session.apply(&survey, Command::Start, env());
        walk_to_check(&mut session, &survey, &picks);
        prop_assert_eq!(&session.screen, &Screen::Check);
        let before = session.visibility(&survey);
        let q = change_answer(&mut session, &survey, changed, new_pick);
        let Screen::Page { index } = session.screen else {
            return Err(TestCaseError::fail("a Change link leads to the question's page"));
        };
        let mut visited = vec![index];
        session.apply(&survey, Command::Continue, env());
        visited.extend(walk_to_check(&mut session, &survey, &later));
        prop_assert_eq!(&session.screen, &Screen::Check);
        for page in session.visibility(&survey).shown_pages() {
            if !before.pages[page] {
                prop_assert!(
                    visited.contains(&page),
                    "page {} ({}) was newly shown by changing {} but never visited: {:?}",
                    page, survey.pages[page].id.0, q.id.0, visited
                );
            }
        }
    }

    #[test]
    fn a_saved_draft_resumes_exactly(survey_index in 0usize..3, picks in prop::collection::vec(pick(), 1..60)) {
        let survey = common::built_in(common::BUILT_IN[survey_index]);
        let mut session = Session::new();
        for p in picks {
            let cmd = command(&survey, p);
            session.apply(&survey, cmd, env());
        }
        // Through JSON text, as the IndexedDB adapter stores it.
        let Some(draft) = Draft::of(&survey, &session, 1.0) else {
            let finished = matches!(session.screen, Screen::Complete { .. });
            prop_assert!(session.answers.is_empty() || finished);
            return Ok(());
        };
        let back = Draft::from_json(&draft.to_json()).unwrap();
        let resumed = resume(&survey, back.session);
        session.errors.clear();
        // The pages seen before a Change are not kept with a draft (see `Session`).
        session.seen_before_change.clear();
        prop_assert_eq!(&resumed, &session);
        check_invariants(&survey, &resumed)?;
    }

    #[test]
    fn the_save_queue_writes_every_change_with_one_write_at_a_time(events in prop::collection::vec(any::<bool>(), 1..200)) {
        // true: a change; false: the running write (if any) ends.
        let mut queue = SaveQueue::default();
        let (mut running, mut last_change, mut last_write_start) = (false, None, None);
        for (t, change) in events.into_iter().enumerate() {
            if change {
                last_change = Some(t);
                if queue.changed() {
                    prop_assert!(!running, "two writes at once");
                    running = true;
                    last_write_start = Some(t);
                }
            } else if running {
                if queue.finished() {
                    last_write_start = Some(t);
                } else {
                    running = false;
                }
            }
        }
        // Let the running writes finish.
        let mut t = usize::MAX / 2;
        while running {
            t += 1;
            if queue.finished() { last_write_start = Some(t) } else { running = false }
        }
        prop_assert!(last_change <= last_write_start, "a change was never written");
    }

    #[test]
    fn loading_arbitrary_text_never_panics(text in ".{0,400}") {
        let _ = load_survey(&text);
    }

    #[test]
    fn loading_arbitrary_json_never_panics(value in arb_json()) {
        let _ = load_survey_value(&value);
    }

    #[test]
    fn loading_mutated_surveys_never_panics(survey_index in 0usize..3, path in prop::collection::vec(any::<usize>(), 1..6), replacement in arb_json()) {
        let text = std::fs::read_to_string(format!("{}/public/surveys/{}.json", env!("CARGO_MANIFEST_DIR"), common::BUILT_IN[survey_index])).unwrap();
        let mut value: Value = serde_json::from_str(&text).unwrap();
        // Walk down by index to a JSON pointer, then replace what is there.
        let mut pointer = String::new();
        for step in path {
            let next = match value.pointer(&pointer) {
                Some(Value::Object(map)) if !map.is_empty() => map.keys().nth(step % map.len()).cloned(),
                Some(Value::Array(items)) if !items.is_empty() => Some((step % items.len()).to_string()),
                _ => None,
            };
            let Some(key) = next else { break };
            pointer.push('/');
            pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
        }
        if let Some(node) = value.pointer_mut(&pointer) {
            *node = replacement;
        }
        let _ = load_survey_value(&value);
    }
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        prop_oneof![
            "[a-zA-Z]{0,8}",
            Just("formatVersion".into()),
            Just("pages".into()),
            Just("type".into()),
            Just("question".into())
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    "[a-z]{1,6}",
                    Just("id".to_owned()),
                    Just("type".to_owned()),
                    Just("showIf".to_owned()),
                    Just("questions".to_owned()),
                    Just("choices".to_owned()),
                    Just("all".to_owned()),
                    Just("not".to_owned())
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

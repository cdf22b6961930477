//! Shared helpers for the native scenario tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]
use survey_widget::core::{load_survey, Command, Date, Edit, Env, QuestionId, Screen, Session, Survey};

/// The built-in surveys, shared with the browser and end-to-end tiers.
pub const BUILT_IN: &[&str] = &["carers-strategy", "co-production", "discharge-reablement"];

pub fn built_in(name: &str) -> Survey {
    let path = format!("{}/public/surveys/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    load_survey(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub fn env() -> Env<'static> {
    Env {
        now_ms: 1_795_701_565_000.0,
        today: Date::new(2026, 11, 26).unwrap(),
        locale: "en",
        context: None,
    }
}

pub fn q(id: &str) -> QuestionId {
    QuestionId::from(id)
}

/// Applies an edit, failing the test if the session is not on a question page.
pub fn answer(s: &mut Session, survey: &Survey, id: &str, edit: Edit) {
    assert!(matches!(s.screen, Screen::Page { .. }), "not on a page: {:?}", s.screen);
    s.apply(survey, Command::Edit { question: q(id), edit }, env());
}

pub fn cont(s: &mut Session, survey: &Survey) {
    s.apply(survey, Command::Continue, env());
}

/// The id of the first question on the current page.
pub fn current_question(s: &Session, survey: &Survey) -> Option<String> {
    match s.screen {
        Screen::Page { index } => survey.pages[index].questions.first().map(|q| q.id.0.clone()),
        _ => None,
    }
}

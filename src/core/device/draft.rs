//! A response in progress as the device keeps it, and how a saved one is resumed safely on
//! the survey as it is now.

use crate::core::respond::session::{Screen, Session};
use crate::core::survey::definition::Survey;
use crate::core::survey::ids::SurveyId;

/// A response in progress, as saved on the device.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    /// The survey answered.
    pub survey_id: SurveyId,
    /// The version of the survey the answers belong to.
    pub survey_version: String,
    /// The session: answers and where the person is.
    pub session: Session,
    /// When it was last saved (ms since epoch).
    pub saved_at: f64,
}

impl Draft {
    /// The draft of `session` on `survey`, or `None` when there is nothing worth keeping
    /// (the start page with no answers, or a finished response), which means: delete it.
    pub fn of(survey: &Survey, session: &Session, now_ms: f64) -> Option<Self> {
        let empty = session.screen == Screen::Start && session.answers.is_empty();
        if empty || matches!(session.screen, Screen::Complete { .. }) {
            return None;
        }
        let mut session = session.clone();
        session.errors.clear();
        Some(Self {
            survey_id: survey.id.clone(),
            survey_version: survey.version.clone(),
            session,
            saved_at: now_ms,
        })
    }
}

/// Makes a saved session safe to show on `survey`: answers to questions the survey does not
/// have are dropped, and a screen that no longer makes sense moves to the nearest one that
/// does. Records come from storage, which other code and other tabs can write, so they are
/// checked like any other input.
pub fn resume(survey: &Survey, mut session: Session) -> Session {
    session.errors.clear();
    // Rebuilt rather than `retain`ed: map removal code is a few KB of wasm for nothing.
    let mut answers = std::collections::BTreeMap::new();
    for (id, answer) in std::mem::take(&mut session.answers) {
        if survey.question(&id).is_some_and(|(_, q)| q.kind.is_answerable()) {
            answers.insert(id, answer);
        }
    }
    session.answers = answers;
    let vis = session.visibility(survey);
    session.screen = match session.screen {
        Screen::Page { index } if vis.pages.get(index) == Some(&true) => Screen::Page { index },
        // A page that is gone or hidden: the last shown page before it, else the first.
        Screen::Page { index } => {
            let shown = vis.shown_pages();
            shown
                .iter()
                .rev()
                .find(|&&i| i < index)
                .or_else(|| shown.first())
                .map_or(Screen::Check, |&i| Screen::Page { index: i })
        }
        Screen::Complete { .. } => Screen::Start,
        other => other,
    };
    if session.screen == Screen::Start {
        session.returning_to_check = false;
        session.seen_before_change.clear();
    }
    session
}

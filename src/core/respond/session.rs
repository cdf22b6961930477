//! A person's way through a survey: answers, the current screen, errors, and the commands
//! that move it on. `apply` is pure: the caller passes the date and entropy, and carries out
//! the returned [`Outcome`]s (moving focus, saving, sending).
use super::context::Context;
use super::reference::{reference_code, uuid_v4};
use crate::core::survey::answer::{typed_value, Answer, Edit};
use crate::core::survey::date::Date;
use crate::core::survey::definition::Survey;
use crate::core::survey::ids::{QuestionId, SurveyId};
use crate::core::survey::validate::{validate, Violation};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The screen a session is on.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Screen {
    /// The start page.
    #[default]
    Start,
    /// A question page, by index into the survey's pages; always a visible page.
    Page {
        /// Index of the page.
        index: usize,
    },
    /// "Check your answers".
    Check,
    /// The confirmation page.
    Complete {
        /// The reference code shown to the person.
        reference: String,
    },
}

/// What a person does.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Command {
    /// "Start now" on the start page.
    Start,
    /// A change to one answer.
    Edit {
        /// The question answered.
        question: QuestionId,
        /// The change.
        edit: Edit,
    },
    /// "Continue" on a question page.
    Continue,
    /// The Back link.
    Back,
    /// A "Change" link on the check page.
    Change(QuestionId),
    /// "Send answers" on the check page; the entropy makes the response id and reference.
    Submit {
        /// 32 random bytes from a secure source.
        entropy: [u8; 32],
    },
    /// Discard everything and go back to the start page.
    StartAgain,
}

/// Facts from outside the engine.
#[derive(Clone, Debug, PartialEq)]
pub struct Env<'a> {
    /// Now, in milliseconds since the Unix epoch.
    pub now_ms: f64,
    /// Today's date where the person is.
    pub today: Date,
    /// The language the person is answering in (a BCP 47 tag); the response records it.
    pub locale: &'a str,
    /// Where the response is being collected: event mode's context, `None` elsewhere. Owned,
    /// so that completing moves it into the response rather than copying it.
    pub context: Option<Context>,
}

/// What the caller must do after a command.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Outcome {
    /// The screen changed: move focus to its heading and retitle the document.
    Navigated,
    /// The page has errors: focus the error summary and prefix the title with "Error:".
    Invalid,
    /// An answer changed: save the draft.
    Edited,
    /// The response is complete: store it and send it.
    Completed(Box<CompletedResponse>),
}

/// A finished response, as it will be stored and sent.
#[derive(Clone, Debug, PartialEq)]
pub struct CompletedResponse {
    /// Random UUID.
    pub response_id: String,
    /// Short code shown to the person.
    pub reference: String,
    /// The survey answered.
    pub survey_id: SurveyId,
    /// The survey version answered.
    pub survey_version: String,
    /// When the person pressed Start (ms since epoch).
    pub started_at: f64,
    /// When the person pressed Send (ms since epoch).
    pub completed_at: f64,
    /// Typed answers of the visible questions, keyed by question id.
    pub answers: Map<String, Value>,
    /// The language it was given in (a BCP 47 tag).
    pub locale: String,
    /// Every language the person used on the way, in the order first used (issue #23).
    pub languages_used: Vec<String>,
    /// Where it was collected, in event mode; `None` elsewhere.
    pub context: Option<Context>,
}

impl CompletedResponse {
    /// Whether its answers stay on the device once the collector has it: a response taken in
    /// event mode is kept until the event ends (the tablet's tally and export read it), so
    /// whoever sends it, a page or the service worker, keeps it. Elsewhere only a receipt stays.
    pub fn kept_after_delivery(&self) -> bool {
        self.context.is_some()
    }
}

/// One person's response in progress.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Session {
    /// Raw answers, including those to questions now hidden (kept so that changing an
    /// earlier answer back does not lose them; never part of the result).
    pub answers: BTreeMap<QuestionId, Answer>,
    /// The current screen.
    pub screen: Screen,
    /// Errors from the last Continue on this page.
    pub errors: Vec<Violation>,
    /// Set after a Change link: Continue goes back to the check page.
    pub returning_to_check: bool,
    /// After a Change link, per page: shown when it was followed, or visited since. A page a
    /// changed answer reveals is not, so Continue visits it before going back to the check
    /// page (GOV.UK's pattern; issue #21). Not saved with a draft: empty after a reload, when
    /// every later page counts as not seen.
    pub seen_before_change: Vec<bool>,
    /// When Start was pressed.
    pub started_at: Option<f64>,
    /// The language the person is answering in, kept with the draft so it resumes in it;
    /// empty before the first command.
    pub language: String,
    /// Every language a command was given in, in the order first used; the response records
    /// them as `languagesUsed`.
    pub languages_used: Vec<String>,
}

/// Which pages and questions are shown for a set of answers, and the typed answers of the
/// shown questions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Visibility {
    /// Per page: shown (its condition holds and at least one question on it is shown).
    pub pages: Vec<bool>,
    /// Ids of shown questions.
    pub questions: BTreeSet<QuestionId>,
    /// Typed answers of shown, answered questions.
    pub values: BTreeMap<QuestionId, Value>,
}

impl Visibility {
    /// Works out visibility in document order; conditions only look backwards, so one pass
    /// sees every answer a condition can refer to.
    pub fn of(survey: &Survey, answers: &BTreeMap<QuestionId, Answer>) -> Self {
        let mut v = Visibility::default();
        for page in &survey.pages {
            let page_shown = page
                .show_if
                .as_ref()
                .is_none_or(|c| c.eval(&|q| v.values.get(q).cloned()));
            let mut any = false;
            for q in &page.questions {
                let shown = page_shown
                    && q.show_if
                        .as_ref()
                        .is_none_or(|c| c.eval(&|id| v.values.get(id).cloned()));
                if !shown {
                    continue;
                }
                any = true;
                v.questions.insert(q.id.clone());
                if let Some(value) = answers.get(&q.id).and_then(|a| typed_value(q, a)) {
                    v.values.insert(q.id.clone(), value);
                }
            }
            v.pages.push(page_shown && any);
        }
        v
    }

    /// Indexes of the shown pages, in order.
    pub fn shown_pages(&self) -> Vec<usize> {
        self.pages
            .iter()
            .enumerate()
            .filter(|(_, s)| **s)
            .map(|(i, _)| i)
            .collect()
    }
}

impl Session {
    /// A fresh session on the start page.
    pub fn new() -> Self {
        Self::default()
    }

    /// Visibility for the current answers.
    pub fn visibility(&self, survey: &Survey) -> Visibility {
        Visibility::of(survey, &self.answers)
    }

    /// Errors on one page's shown questions.
    pub fn page_errors(&self, survey: &Survey, index: usize, vis: &Visibility, today: Date) -> Vec<Violation> {
        let mut errors = Vec::new();
        for q in survey.pages.get(index).map_or(&[][..], |p| &p.questions) {
            if vis.questions.contains(&q.id) {
                errors.extend(validate(q, self.answers.get(&q.id), today));
            }
        }
        errors
    }

    /// The typed answers that make up the response: shown questions only.
    pub fn result(&self, survey: &Survey) -> Map<String, Value> {
        let vis = self.visibility(survey);
        let mut result = Map::new();
        for (id, value) in vis.values {
            result.insert(id.0, value);
        }
        result
    }

    /// Carries out a command and says what the caller must do.
    pub fn apply(&mut self, survey: &Survey, command: Command, env: Env<'_>) -> Vec<Outcome> {
        if !matches!(command, Command::StartAgain) {
            self.use_language(env.locale);
        }
        match command {
            Command::Start => {
                if self.screen != Screen::Start {
                    return Vec::new();
                }
                self.started_at.get_or_insert(env.now_ms);
                let vis = self.visibility(survey);
                self.go(vis
                    .shown_pages()
                    .first()
                    .map_or(Screen::Check, |&index| Screen::Page { index }))
            }
            Command::Edit { question, edit } => {
                // Only questions on the page being shown can change: an edit from anywhere
                // else (a stale event, a second tab) could hide the current page under the
                // person's feet.
                let Screen::Page { index } = self.screen else {
                    return Vec::new();
                };
                let Some((page, q)) = survey.question(&question) else {
                    return Vec::new();
                };
                if page != index {
                    return Vec::new();
                }
                match Answer::edited(self.answers.get(&question), q, edit) {
                    Some(next) if self.answers.get(&question) != Some(&next) => {
                        self.answers.insert(question, next);
                        vec![Outcome::Edited]
                    }
                    _ => Vec::new(),
                }
            }
            Command::Continue => {
                let Screen::Page { index } = self.screen else {
                    return Vec::new();
                };
                let vis = self.visibility(survey);
                let errors = self.page_errors(survey, index, &vis, env.today);
                if !errors.is_empty() {
                    self.errors = errors;
                    return vec![Outcome::Invalid];
                }
                let next = if self.returning_to_check {
                    // A changed answer can reveal pages: each is visited (conditions only look
                    // back, so they come after this one), then any page that still needs an
                    // answer, then the check page.
                    let seen = &self.seen_before_change;
                    let revealed = vis
                        .shown_pages()
                        .into_iter()
                        .find(|&i| i > index && seen.get(i) != Some(&true));
                    match revealed.or_else(|| self.first_incomplete_page(survey, &vis, env.today)) {
                        Some(i) => {
                            if let Some(seen) = self.seen_before_change.get_mut(i) {
                                *seen = true;
                            }
                            Screen::Page { index: i }
                        }
                        None => Screen::Check,
                    }
                } else {
                    vis.shown_pages()
                        .into_iter()
                        .find(|&i| i > index)
                        .map_or(Screen::Check, |i| Screen::Page { index: i })
                };
                if next == Screen::Check {
                    self.returning_to_check = false;
                    self.seen_before_change.clear();
                }
                self.go(next)
            }
            Command::Back => {
                let vis = self.visibility(survey);
                let shown = vis.shown_pages();
                let previous = match self.screen {
                    Screen::Page { .. } if self.returning_to_check => {
                        self.returning_to_check = false;
                        self.seen_before_change.clear();
                        Screen::Check
                    }
                    Screen::Page { index } => shown
                        .iter()
                        .rev()
                        .find(|&&i| i < index)
                        .map_or(Screen::Start, |&i| Screen::Page { index: i }),
                    Screen::Check => shown.last().map_or(Screen::Start, |&i| Screen::Page { index: i }),
                    Screen::Start | Screen::Complete { .. } => return Vec::new(),
                };
                self.go(previous)
            }
            Command::Change(question) => {
                if self.screen != Screen::Check {
                    return Vec::new();
                }
                let vis = self.visibility(survey);
                match survey.question(&question) {
                    Some((index, _)) if vis.pages.get(index) == Some(&true) => {
                        self.returning_to_check = true;
                        self.seen_before_change = vis.pages;
                        self.go(Screen::Page { index })
                    }
                    _ => Vec::new(),
                }
            }
            Command::Submit { entropy } => {
                if self.screen != Screen::Check {
                    return Vec::new();
                }
                let vis = self.visibility(survey);
                if let Some(index) = self.first_incomplete_page(survey, &vis, env.today) {
                    self.screen = Screen::Page { index };
                    self.errors = self.page_errors(survey, index, &vis, env.today);
                    return vec![Outcome::Navigated, Outcome::Invalid];
                }
                let (mut id_bytes, mut ref_bytes) = ([0u8; 16], [0u8; 16]);
                id_bytes.copy_from_slice(&entropy[..16]);
                ref_bytes.copy_from_slice(&entropy[16..]);
                let response = CompletedResponse {
                    response_id: uuid_v4(&id_bytes),
                    reference: reference_code(&ref_bytes),
                    survey_id: survey.id.clone(),
                    survey_version: survey.version.clone(),
                    started_at: self.started_at.unwrap_or(env.now_ms),
                    completed_at: env.now_ms,
                    answers: self.result(survey),
                    locale: env.locale.to_owned(),
                    languages_used: std::mem::take(&mut self.languages_used),
                    context: env.context,
                };
                self.answers.clear();
                self.errors.clear();
                self.returning_to_check = false;
                self.seen_before_change.clear();
                self.started_at = None;
                self.screen = Screen::Complete {
                    reference: response.reference.clone(),
                };
                vec![Outcome::Navigated, Outcome::Completed(Box::new(response))]
            }
            Command::StartAgain => {
                *self = Session::new();
                vec![Outcome::Navigated, Outcome::Edited]
            }
        }
    }

    /// What a person who walked away had answered, as a response to keep flagged incomplete
    /// (event mode, when the event is set up so); `None` when nothing shown was answered.
    pub fn abandoned(&self, survey: &Survey, entropy: [u8; 32], env: Env<'_>) -> Option<CompletedResponse> {
        let now_ms = env.now_ms;
        let answers = self.result(survey);
        if answers.is_empty() || matches!(self.screen, Screen::Complete { .. }) {
            return None;
        }
        let (mut id_bytes, mut ref_bytes) = ([0u8; 16], [0u8; 16]);
        id_bytes.copy_from_slice(&entropy[..16]);
        ref_bytes.copy_from_slice(&entropy[16..]);
        Some(CompletedResponse {
            response_id: uuid_v4(&id_bytes),
            reference: reference_code(&ref_bytes),
            survey_id: survey.id.clone(),
            survey_version: survey.version.clone(),
            started_at: self.started_at.unwrap_or(now_ms),
            completed_at: now_ms,
            answers,
            locale: env.locale.to_owned(),
            languages_used: self.languages_used.clone(),
            context: env.context.map(|c| Context { incomplete: true, ..c }),
        })
    }

    /// Notes the language the person is answering in: the draft keeps it, and a language not
    /// used before joins `languages_used`.
    pub fn use_language(&mut self, locale: &str) {
        if self.language != locale {
            locale.clone_into(&mut self.language);
        }
        if !locale.is_empty() && !self.languages_used.iter().any(|l| l == locale) {
            self.languages_used.push(locale.to_owned());
        }
    }

    /// After the survey's language changed: errors showing on the page are worked out again,
    /// so their words (and the answer names in them) are the new language's.
    pub fn retranslate(&mut self, survey: &Survey, today: Date) {
        if let (Screen::Page { index }, false) = (&self.screen, self.errors.is_empty()) {
            let vis = self.visibility(survey);
            self.errors = self.page_errors(survey, *index, &vis, today);
        }
    }

    fn go(&mut self, screen: Screen) -> Vec<Outcome> {
        self.errors.clear();
        self.screen = screen;
        vec![Outcome::Navigated]
    }

    /// The first shown page with a question that fails validation.
    pub fn first_incomplete_page(&self, survey: &Survey, vis: &Visibility, today: Date) -> Option<usize> {
        vis.shown_pages()
            .into_iter()
            .find(|&i| !self.page_errors(survey, i, vis, today).is_empty())
    }

    /// Progress: (current, total) on a question page that asks something; `None` elsewhere,
    /// including information pages, which are never counted as questions.
    ///
    /// Answers on pages before the current one are settled; from the current page on they
    /// may still change. The total counts the pages that ask something and are shown, or may
    /// yet be: a page whose condition the settled answers do not decide counts as shown.
    /// Conditions are evaluated with three-valued logic ([`Condition::eval_partial`]), so
    /// moving on can only rule pages out: the total never rises on the way through, and
    /// ticking an option never changes it.
    ///
    /// [`Condition::eval_partial`]: crate::core::survey::condition::Condition::eval_partial
    pub fn progress(&self, survey: &Survey) -> Option<(usize, usize)> {
        let Screen::Page { index } = self.screen else {
            return None;
        };
        let vis = self.visibility(survey);
        let mut earlier: Vec<&QuestionId> = Vec::new();
        for page in survey.pages.iter().take(index) {
            earlier.extend(page.questions.iter().map(|q| &q.id));
        }
        let settled = |q: &QuestionId| earlier.contains(&q).then(|| vis.values.get(q).cloned());
        // On pages before this one every condition is settled, so this is exactly what is
        // shown there; from this page on it is what may be.
        let possible = |c: &Option<crate::core::survey::condition::Condition>| {
            c.as_ref().is_none_or(|c| c.eval_partial(&settled) != Some(false))
        };
        let (mut before, mut total, mut here) = (0, 0, false);
        for (i, page) in survey.pages.iter().enumerate() {
            let asks = |q: &crate::core::survey::definition::Question| q.kind.is_answerable() && possible(&q.show_if);
            if possible(&page.show_if) && page.questions.iter().any(asks) {
                total += 1;
                if i < index {
                    before += 1;
                }
                here |= i == index;
            }
        }
        here.then_some((before + 1, total))
    }
}

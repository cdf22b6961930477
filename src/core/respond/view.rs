//! Plain data the components render: headings, titles, DOM ids, the error summary and the
//! "Check your answers" rows. Components add no rules of their own.
use super::session::{Screen, Session};
use crate::core::survey::answer::{parse_date, Answer};
use crate::core::survey::definition::{yes_no_choices, QuestionKind, Survey};
use crate::core::survey::ids::QuestionId;
use crate::core::survey::validate::{format_date, localise, Target, Violation};
use crate::core::text::messages::Catalogue;

/// Deterministic DOM ids for one question, unique per widget instance on the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomIds {
    base: String,
}

impl DomIds {
    /// Ids for a question in a widget instance (`instance` is unique on the host page).
    pub fn new(instance: &str, question: &QuestionId) -> Self {
        Self {
            base: format!("{instance}-{question}"),
        }
    }

    /// The input, or the first radio or checkbox, which the error summary links to.
    pub fn input(&self) -> String {
        self.base.clone()
    }

    /// The hint.
    pub fn hint(&self) -> String {
        format!("{}-hint", self.base)
    }

    /// The error message.
    pub fn error(&self) -> String {
        format!("{}-error", self.base)
    }

    /// The fieldset legend or label heading.
    pub fn label(&self) -> String {
        format!("{}-label", self.base)
    }

    /// Option `i` of a radio or checkbox group; the first keeps the bare id.
    pub fn option(&self, i: usize) -> String {
        if i == 0 {
            self.base.clone()
        } else {
            format!("{}-{}", self.base, i + 1)
        }
    }

    /// A box of a date: `day`, `month` or `year`.
    pub fn part(&self, part: &str) -> String {
        format!("{}-{part}", self.base)
    }

    /// The "Other" details box.
    pub fn other(&self) -> String {
        format!("{}-other", self.base)
    }

    /// Radio `i` of a Likert statement's group.
    pub fn row_option(&self, statement: &str, i: usize) -> String {
        if i == 0 {
            format!("{}-{statement}", self.base)
        } else {
            format!("{}-{statement}-{}", self.base, i + 1)
        }
    }

    /// The error message of a Likert statement.
    pub fn row_error(&self, statement: &str) -> String {
        format!("{}-{statement}-error", self.base)
    }

    /// The control an error points at.
    pub fn target(&self, target: &Target) -> String {
        match target {
            Target::Main => self.input(),
            Target::Day | Target::WholeDate => self.part("day"),
            Target::Month => self.part("month"),
            Target::Year => self.part("year"),
            Target::Other => self.other(),
            Target::Row(s) => self.row_option(s, 0),
        }
    }
}

/// One entry of the error summary.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorItem {
    /// The question in error.
    pub question: QuestionId,
    /// Which control.
    pub target: Target,
    /// The DOM id of the control to link to and focus.
    pub control_id: String,
    /// The words.
    pub message: String,
}

/// The errors of the current page, in page order, with their words.
pub fn error_items(survey: &Survey, session: &Session, instance: &str, catalogue: &Catalogue) -> Vec<ErrorItem> {
    session
        .errors
        .iter()
        .filter_map(|v| error_item(survey, v, instance, catalogue))
        .collect()
}

fn error_item(survey: &Survey, v: &Violation, instance: &str, catalogue: &Catalogue) -> Option<ErrorItem> {
    let (_, q) = survey.question(&v.question)?;
    let localised = localise(v.clone(), catalogue);
    Some(ErrorItem {
        question: v.question.clone(),
        target: v.target.clone(),
        control_id: DomIds::new(instance, &v.question).target(&v.target),
        message: localised.message(q, catalogue),
    })
}

/// The page heading: the page's own title, or its only question's title (then the question's
/// label or legend is the heading, as GOV.UK does for one question per page).
pub fn page_heading(survey: &Survey, index: usize) -> Option<(String, bool)> {
    let page = survey.pages.get(index)?;
    match (&page.title, page.questions.as_slice()) {
        (Some(t), _) => Some((t.clone(), false)),
        (None, [only]) => Some((only.title.clone(), true)),
        (None, [first, ..]) => Some((first.title.clone(), false)),
        (None, []) => None,
    }
}

/// The document title for the session's screen, with "Error: " when the page has errors.
pub fn document_title(survey: &Survey, session: &Session, catalogue: &Catalogue) -> String {
    let page = match &session.screen {
        Screen::Start => return survey.title.clone(),
        Screen::Page { index } => page_heading(survey, *index).map(|(h, _)| h).unwrap_or_default(),
        Screen::Check => catalogue.get("check.heading").to_owned(),
        Screen::Complete { .. } => catalogue.get("done.heading").to_owned(),
    };
    let title = catalogue.format("title.page", &[("page", &page), ("survey", &survey.title)]);
    if session.errors.is_empty() {
        title
    } else {
        catalogue.format("title.error", &[("title", &title)])
    }
}

/// What the host page is told when the person moves to another screen (the `pagechange`
/// event): where they are, never what they answered.
#[derive(Clone, Debug, PartialEq)]
pub struct PageEvent {
    /// `start`, `question`, `check` or `complete`.
    pub screen: &'static str,
    /// The page's id, on a question page.
    pub page_id: Option<String>,
    /// The first question on the page, on a question page.
    pub question_id: Option<String>,
    /// (current, total) as "Question 3 of 12" counts them, on a question page.
    pub progress: Option<(usize, usize)>,
}

impl PageEvent {
    /// The event for the session's screen.
    pub fn of(survey: &Survey, session: &Session) -> Self {
        let (screen, page) = match &session.screen {
            Screen::Start => ("start", None),
            Screen::Page { index } => ("question", survey.pages.get(*index)),
            Screen::Check => ("check", None),
            Screen::Complete { .. } => ("complete", None),
        };
        PageEvent {
            screen,
            page_id: page.map(|p| p.id.to_string()),
            question_id: page.and_then(|p| p.questions.first()).map(|q| q.id.to_string()),
            progress: session.progress(survey),
        }
    }
}

/// "Question 3 of 12", counting the pages the skip logic shows; a survey made only of grouped
/// pages says "Page 3 of 12" instead.
pub fn progress_text(survey: &Survey, session: &Session, catalogue: &Catalogue) -> Option<String> {
    let (current, total) = session.progress(survey)?;
    let all_grouped = survey.pages.iter().all(|p| p.title.is_some() || p.questions.len() > 1);
    let key = if all_grouped {
        "progress.page"
    } else {
        "progress.question"
    };
    Some(catalogue.format(key, &[("current", &current.to_string()), ("total", &total.to_string())]))
}

/// A row of "Check your answers".
#[derive(Clone, Debug, PartialEq)]
pub struct CheckRow {
    /// The question, for its Change link.
    pub question: QuestionId,
    /// The question as asked.
    pub title: String,
    /// The answer, one line per part.
    pub lines: Vec<String>,
    /// The language of the title, when the survey gives one.
    pub lang: Option<String>,
    /// The language of the answer, when every line is a choice in that language (a
    /// language question's "اردو"); `None` for the widget's words and the person's own.
    pub answer_lang: Option<String>,
}

/// Rows for every shown question that takes an answer, in order.
pub fn check_rows(survey: &Survey, session: &Session, catalogue: &Catalogue) -> Vec<CheckRow> {
    let vis = session.visibility(survey);
    survey
        .questions()
        .filter(|(_, q)| q.kind.is_answerable() && vis.questions.contains(&q.id))
        .map(|(_, q)| {
            let answer = session.answers.get(&q.id).filter(|a| !a.is_blank());
            let lines = answer
                .map(|a| answer_lines(&q.kind, a, catalogue))
                .filter(|l| !l.is_empty())
                .unwrap_or_else(|| vec![catalogue.get("check.notAnswered").to_owned()]);
            CheckRow {
                question: q.id.clone(),
                title: q.title.clone(),
                lines,
                lang: q.lang.clone(),
                answer_lang: answer.and_then(|a| answer_lang(q, a)),
            }
        })
        .collect()
}

/// The language of an answer made only of choices that share one `lang`.
fn answer_lang(q: &crate::core::survey::definition::Question, answer: &Answer) -> Option<String> {
    let values: Vec<&String> = match answer {
        Answer::Choice { value, .. } => vec![value],
        Answer::Choices { values } => values.iter().collect(),
        Answer::Consent { given: true } => return q.texts_lang.clone(),
        _ => return None,
    };
    let choices: Vec<&crate::core::survey::definition::Choice> = match &q.kind {
        QuestionKind::SingleChoice { choices, .. } => choices.iter().collect(),
        QuestionKind::MultipleChoice { choices, none, .. } => choices.iter().chain(none).collect(),
        _ => return None,
    };
    let mut langs = values
        .into_iter()
        .map(|v| choices.iter().find(|c| &c.value == v).and_then(|c| c.lang.clone()));
    let first = langs.next().flatten()?;
    langs.all(|l| l.as_deref() == Some(&first)).then_some(first)
}

fn label_of<'a>(choices: impl IntoIterator<Item = &'a crate::core::survey::definition::Choice>, value: &str) -> String {
    choices
        .into_iter()
        .find(|c| c.value == value)
        .map_or_else(|| value.to_owned(), |c| c.label.clone())
}

/// How an answer reads back to the person.
pub fn answer_lines(kind: &QuestionKind, answer: &Answer, catalogue: &Catalogue) -> Vec<String> {
    match (kind, answer) {
        (QuestionKind::Number { suffix: Some(s), .. }, Answer::Text { value }) => vec![format!("{} {s}", value.trim())],
        (_, Answer::Text { value }) => value.trim().lines().map(str::to_owned).collect(),
        (_, Answer::Date { day, month, year }) => parse_date(day, month, year)
            .map(|d| vec![format_date(d, catalogue)])
            .unwrap_or_default(),
        (QuestionKind::SingleChoice { choices, other, .. }, Answer::Choice { value, other: text }) => {
            match other.as_ref().filter(|o| &o.value == value) {
                Some(o) => vec![format!("{}: {}", o.label, text.trim())],
                None => vec![label_of(choices, value)],
            }
        }
        (QuestionKind::YesNo { yes, no }, Answer::Choice { value, .. }) => {
            vec![label_of(&yes_no_choices(yes, no, catalogue, None), value)]
        }
        (
            QuestionKind::Rating {
                min,
                max,
                min_label,
                max_label,
            },
            Answer::Choice { value, .. },
        ) => vec![rating_line(value, *min, *max, min_label, max_label, catalogue)],
        (QuestionKind::MultipleChoice { choices, none, .. }, Answer::Choices { values }) => values
            .iter()
            .map(|v| label_of(choices.iter().chain(none.iter()), v))
            .collect(),
        (QuestionKind::Likert { statements, scale }, Answer::Matrix { rows }) => statements
            .iter()
            .filter_map(|s| rows.get(&s.id).map(|v| format!("{}: {}", s.text, label_of(scale, v))))
            .collect(),
        (QuestionKind::Consent { label, .. }, Answer::Consent { given: true }) => vec![label.clone()],
        _ => Vec::new(),
    }
}

/// A rating with its scale, as "2 out of 10", or "1 out of 5 (very badly)" at a labelled end;
/// a scale that does not start at 0 or 1 reads "-1 on a scale of -2 to 2".
fn rating_line(
    value: &str,
    min: i64,
    max: i64,
    min_label: &Option<String>,
    max_label: &Option<String>,
    catalogue: &Catalogue,
) -> String {
    let (lo, hi) = (min.to_string(), max.to_string());
    let key = if min == 0 || min == 1 {
        "rating.outOf"
    } else {
        "rating.scale"
    };
    let line = catalogue.format(key, &[("value", value), ("min", &lo), ("max", &hi)]);
    let end = if value == lo {
        min_label
    } else if value == hi {
        max_label
    } else {
        &None
    };
    match end {
        Some(label) => catalogue.format("rating.labelled", &[("answer", &line), ("label", label)]),
        None => line,
    }
}

/// "26 November 2026 at 3:04pm", as GOV.UK writes times.
pub fn date_time(date: crate::core::survey::date::Date, hour: u32, minute: u32, catalogue: &Catalogue) -> String {
    let (h12, half) = match hour {
        0 => (12, "am"),
        1..=11 => (hour, "am"),
        12 => (12, "pm"),
        _ => (hour - 12, "pm"),
    };
    let time = format!("{h12}:{minute:02}{half}");
    catalogue.format("time.at", &[("date", &format_date(date, catalogue)), ("time", &time)])
}

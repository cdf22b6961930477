//! Routes that cannot work (issue #25): a `showIf` that no answer can make true, which would
//! hide its page or question from everyone. Publishing is blocked with the reason; a route
//! that looks backwards or names a missing question is already refused when the survey
//! loads. Judged from the question each condition tests: a value that is not one of its
//! options, a number outside its range, a rating point off its scale.
use super::condition::{Comparison, Condition};
use super::definition::{QuestionKind, Survey};
use super::ids::QuestionId;
use crate::core::text::json::number_text;
use serde_json::Value;

/// A condition no answer can make true, where it is and why.
#[derive(Clone, Debug, PartialEq)]
pub struct NeverTrue {
    /// Its path in the definition, as `$.pages[3].showIf`.
    pub path: String,
    /// The question whose answers cannot meet it.
    pub question: String,
    /// Why: a value that is not one of its answers, or a number out of its range.
    pub reason: Unreachable,
}

/// Why a condition can never hold.
#[derive(Clone, Debug, PartialEq)]
pub enum Unreachable {
    /// Tests for a value the question cannot have (not one of its options).
    NoSuchAnswer(String),
    /// Compares with a number no answer can reach: the question's answers lie from `min` to
    /// `max` (either end may be open).
    OutOfRange {
        /// The lowest answer, if bounded.
        min: Option<f64>,
        /// The highest answer, if bounded.
        max: Option<f64>,
    },
}

impl std::fmt::Display for NeverTrue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let q = &self.question;
        match &self.reason {
            Unreachable::NoSuchAnswer(v) => {
                write!(
                    f,
                    "{}: never true, since `{v}` is not one of the answers to `{q}`",
                    self.path
                )
            }
            Unreachable::OutOfRange { min, max } => {
                let end = |n: &Option<f64>| n.map_or_else(|| "any".to_owned(), |n| n.to_string());
                write!(
                    f,
                    "{}: never true, since answers to `{q}` run from {} to {}",
                    self.path,
                    end(min),
                    end(max)
                )
            }
        }
    }
}

/// Every `showIf` in `survey` that no answer can make true.
pub fn never_true(survey: &Survey) -> Vec<NeverTrue> {
    let mut found = Vec::new();
    for (p, page) in survey.pages.iter().enumerate() {
        if let Some(c) = &page.show_if {
            check(survey, c, &format!("$.pages[{p}].showIf"), &mut found);
        }
        for (i, q) in page.questions.iter().enumerate() {
            if let Some(c) = &q.show_if {
                check(survey, c, &format!("$.pages[{p}].questions[{i}].showIf"), &mut found);
            }
        }
    }
    found
}

fn check(survey: &Survey, c: &Condition, path: &str, found: &mut Vec<NeverTrue>) {
    if let Some((question, reason)) = impossible(survey, c) {
        found.push(NeverTrue {
            path: path.to_owned(),
            question,
            reason,
        });
    }
}

/// Why `c` can never hold, naming the question it fails on; `None` when some answers meet it.
fn impossible(survey: &Survey, c: &Condition) -> Option<(String, Unreachable)> {
    match c {
        Condition::Equals(q, v) => no_such_answer(survey, q, v),
        Condition::AnyOf(q, vs) => {
            let reasons: Vec<_> = vs.iter().map(|v| no_such_answer(survey, q, v)).collect();
            if reasons.iter().all(Option::is_some) {
                reasons.into_iter().next().flatten()
            } else {
                None
            }
        }
        Condition::Compare(q, op, n) => {
            let (min, max) = range(survey, q)?;
            let fits = match op {
                Comparison::GreaterThan => max.is_none_or(|m| m > *n),
                Comparison::LessThan => min.is_none_or(|m| m < *n),
                Comparison::AtLeast => max.is_none_or(|m| m >= *n),
                Comparison::AtMost => min.is_none_or(|m| m <= *n),
            };
            (!fits).then(|| (q.0.clone(), Unreachable::OutOfRange { min, max }))
        }
        Condition::All(items) => items.iter().find_map(|i| impossible(survey, i)),
        Condition::Any(items) if !items.is_empty() => {
            let reasons: Vec<_> = items.iter().map(|i| impossible(survey, i)).collect();
            if reasons.iter().all(Option::is_some) {
                reasons.into_iter().next().flatten()
            } else {
                None
            }
        }
        _ => None,
    }
}

/// The value a condition tests, as the answers hold it.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => number_text(n),
        v => v.to_string(),
    }
}

fn no_such_answer(survey: &Survey, q: &QuestionId, v: &Value) -> Option<(String, Unreachable)> {
    let (_, question) = survey.question(q)?;
    let wanted = text(v);
    let possible = match &question.kind {
        QuestionKind::SingleChoice { choices, other, .. } => choices.iter().chain(other).any(|c| c.value == wanted),
        QuestionKind::MultipleChoice { choices, none, .. } => choices.iter().chain(none).any(|c| c.value == wanted),
        QuestionKind::YesNo { .. } => wanted == "yes" || wanted == "no",
        QuestionKind::Rating { min, max, .. } => wanted.parse::<i64>().is_ok_and(|n| (*min..=*max).contains(&n)),
        QuestionKind::Number { min, max, integer, .. } => wanted
            .parse::<f64>()
            .is_ok_and(|n| min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m) && (!integer || n.fract() == 0.0)),
        // Free text and dates can be anything typed.
        _ => true,
    };
    (!possible).then(|| (q.0.clone(), Unreachable::NoSuchAnswer(wanted)))
}

/// The lowest and highest numeric answer a question can have.
fn range(survey: &Survey, q: &QuestionId) -> Option<(Option<f64>, Option<f64>)> {
    let (_, question) = survey.question(q)?;
    match &question.kind {
        QuestionKind::Number { min, max, .. } => Some((*min, *max)),
        QuestionKind::Rating { min, max, .. } => Some((Some(*min as f64), Some(*max as f64))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::survey::load::load_survey_value;
    use serde_json::json;

    fn survey_with(show_if: Value) -> Survey {
        load_survey_value(&json!({
            "formatVersion": 1, "id": "s", "version": "1", "title": "S",
            "pages": [
                { "id": "p1", "questions": [
                    { "id": "colour", "type": "singleChoice", "title": "Colour",
                      "choices": [{ "value": "red", "label": "Red" }, { "value": "blue", "label": "Blue" }],
                      "other": { "value": "other", "label": "Other" } },
                    { "id": "ticks", "type": "multipleChoice", "title": "Ticks",
                      "choices": [{ "value": "a", "label": "A" }], "none": { "value": "none", "label": "None" } },
                    { "id": "ok", "type": "yesNo", "title": "OK?" },
                    { "id": "stars", "type": "rating", "title": "Stars", "min": 1, "max": 5 },
                    { "id": "hours", "type": "number", "title": "Hours", "integer": true, "min": 0, "max": 168 },
                    { "id": "age", "type": "number", "title": "Age" },
                    { "id": "name", "type": "text", "title": "Name" }
                ] },
                { "id": "p2", "showIf": show_if, "questions": [{ "id": "last", "type": "text", "title": "Last" }] }
            ]
        }))
        .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn conditions_some_answer_meets_are_fine() {
        for c in [
            json!({ "question": "colour", "equals": "red" }),
            json!({ "question": "colour", "equals": "other" }),
            json!({ "question": "ticks", "equals": "none" }),
            json!({ "question": "ok", "equals": "no" }),
            json!({ "question": "stars", "equals": 5 }),
            json!({ "question": "stars", "atMost": 1 }),
            json!({ "question": "hours", "greaterThan": 167 }),
            json!({ "question": "hours", "equals": 0 }),
            json!({ "question": "age", "greaterThan": 1000 }),
            json!({ "question": "name", "equals": "anything" }),
            json!({ "question": "colour", "anyOf": ["green", "blue"] }),
            json!({ "question": "colour", "notEquals": "green" }),
            json!({ "any": [{ "question": "colour", "equals": "green" }, { "question": "ok", "equals": "yes" }] }),
            json!({ "not": { "question": "colour", "equals": "green" } }),
        ] {
            assert_eq!(never_true(&survey_with(c.clone())), [], "{c}");
        }
    }

    #[test]
    fn conditions_no_answer_meets_are_found_with_their_path_and_reason() {
        let cases = [
            (
                json!({ "question": "colour", "equals": "green" }),
                "colour",
                Unreachable::NoSuchAnswer("green".into()),
            ),
            (
                json!({ "question": "ticks", "equals": "b" }),
                "ticks",
                Unreachable::NoSuchAnswer("b".into()),
            ),
            (
                json!({ "question": "ok", "equals": "maybe" }),
                "ok",
                Unreachable::NoSuchAnswer("maybe".into()),
            ),
            (
                json!({ "question": "stars", "equals": 6 }),
                "stars",
                Unreachable::NoSuchAnswer("6".into()),
            ),
            (
                json!({ "question": "hours", "equals": 1.5 }),
                "hours",
                Unreachable::NoSuchAnswer("1.5".into()),
            ),
            (
                json!({ "question": "stars", "greaterThan": 5 }),
                "stars",
                Unreachable::OutOfRange {
                    min: Some(1.0),
                    max: Some(5.0),
                },
            ),
            (
                json!({ "question": "hours", "lessThan": 0 }),
                "hours",
                Unreachable::OutOfRange {
                    min: Some(0.0),
                    max: Some(168.0),
                },
            ),
            (
                json!({ "question": "colour", "anyOf": ["green", "pink"] }),
                "colour",
                Unreachable::NoSuchAnswer("green".into()),
            ),
            (
                json!({ "all": [{ "question": "ok", "equals": "yes" }, { "question": "colour", "equals": "green" }] }),
                "colour",
                Unreachable::NoSuchAnswer("green".into()),
            ),
            (
                json!({ "any": [{ "question": "colour", "equals": "green" }, { "question": "ok", "equals": "maybe" }] }),
                "colour",
                Unreachable::NoSuchAnswer("green".into()),
            ),
        ];
        for (c, question, reason) in cases {
            let found = never_true(&survey_with(c.clone()));
            assert_eq!(
                found,
                [NeverTrue {
                    path: "$.pages[1].showIf".into(),
                    question: question.into(),
                    reason
                }],
                "{c}"
            );
        }
        let message = never_true(&survey_with(json!({ "question": "stars", "greaterThan": 5 })))[0].to_string();
        assert_eq!(
            message,
            "$.pages[1].showIf: never true, since answers to `stars` run from 1 to 5"
        );
    }

    #[test]
    fn the_built_in_surveys_have_no_route_that_cannot_work() {
        for name in ["carers-strategy", "co-production", "discharge-reablement"] {
            let text = std::fs::read_to_string(format!("{}/public/surveys/{name}.json", env!("CARGO_MANIFEST_DIR")))
                .unwrap_or_default();
            let survey = crate::core::survey::load::load_survey(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(never_true(&survey), [], "{name}");
        }
    }
}

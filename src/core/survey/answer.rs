//! What a person has entered, exactly as entered, and the typed value it stands for.
//!
//! Raw input is kept so an error can show what was typed ("12a" in a number box); the typed
//! value is what conditions compare and what the response carries.
use super::date::Date;
use super::definition::{Question, QuestionKind};
use serde_json::{Map, Number, Value};
use std::collections::BTreeMap;

/// A raw answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// Text, email, phone or number boxes.
    Text {
        /// What was typed.
        value: String,
    },
    /// The three boxes of a date.
    Date {
        /// Day box.
        day: String,
        /// Month box.
        month: String,
        /// Year box.
        year: String,
    },
    /// Radios (single choice, yes/no, rating).
    Choice {
        /// The chosen value.
        value: String,
        /// Text of the "Other" box, kept even when another choice is picked.
        other: String,
    },
    /// Checkboxes.
    Choices {
        /// Chosen values in choice order.
        values: Vec<String>,
    },
    /// A Likert matrix: statement id to scale value.
    Matrix {
        /// One entry per answered statement.
        rows: BTreeMap<String, String>,
    },
    /// A consent box.
    Consent {
        /// Whether it is ticked.
        given: bool,
    },
}

/// One box of a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DatePart {
    /// The day box.
    Day,
    /// The month box.
    Month,
    /// The year box.
    Year,
}

/// A change a person makes to one answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Replace the text of a box.
    Text(String),
    /// Replace one box of a date.
    DatePart(DatePart, String),
    /// Pick a radio.
    Choose(String),
    /// Replace the text of the "Other" box.
    OtherText(String),
    /// Tick or untick a checkbox.
    Toggle(String, bool),
    /// Pick a scale point for a Likert statement.
    Row(String, String),
    /// Tick or untick a consent box.
    Consent(bool),
}

impl Answer {
    /// Applies an edit for a question, returning the new answer; edits that do not fit the
    /// question's type leave it unchanged.
    pub fn edited(current: Option<&Answer>, question: &Question, edit: Edit) -> Option<Answer> {
        let mut next = current.cloned();
        match (&question.kind, edit) {
            (
                QuestionKind::ShortText { .. }
                | QuestionKind::LongText { .. }
                | QuestionKind::Number { .. }
                | QuestionKind::Email
                | QuestionKind::Phone,
                Edit::Text(value),
            ) => next = Some(Answer::Text { value }),
            (QuestionKind::Date { .. }, Edit::DatePart(part, text)) => {
                let (mut day, mut month, mut year) = match next {
                    Some(Answer::Date { day, month, year }) => (day, month, year),
                    _ => Default::default(),
                };
                match part {
                    DatePart::Day => day = text,
                    DatePart::Month => month = text,
                    DatePart::Year => year = text,
                }
                next = Some(Answer::Date { day, month, year });
            }
            (
                QuestionKind::SingleChoice { .. } | QuestionKind::YesNo { .. } | QuestionKind::Rating { .. },
                Edit::Choose(value),
            ) => {
                let other = match next {
                    Some(Answer::Choice { other, .. }) => other,
                    _ => String::new(),
                };
                next = Some(Answer::Choice { value, other });
            }
            (QuestionKind::SingleChoice { .. }, Edit::OtherText(other)) => {
                let value = match next {
                    Some(Answer::Choice { value, .. }) => value,
                    _ => String::new(),
                };
                next = Some(Answer::Choice { value, other });
            }
            (QuestionKind::MultipleChoice { choices, none, .. }, Edit::Toggle(value, on)) => {
                let mut selected = match next {
                    Some(Answer::Choices { values }) => values,
                    _ => Vec::new(),
                };
                let none_value = none.as_ref().map(|c| c.value.as_str());
                if on {
                    // "None of these" is exclusive both ways, as GOV.UK's checkboxes behave.
                    if Some(value.as_str()) == none_value {
                        selected.clear();
                    } else {
                        selected.retain(|v| Some(v.as_str()) != none_value);
                    }
                    if !selected.contains(&value) {
                        selected.push(value);
                    }
                } else {
                    selected.retain(|v| v != &value);
                }
                // Keep the stored order stable: the order of the choices in the survey.
                let selected: Vec<String> = choices
                    .iter()
                    .chain(none.iter())
                    .filter(|c| selected.contains(&c.value))
                    .map(|c| c.value.clone())
                    .collect();
                next = Some(Answer::Choices { values: selected });
            }
            (QuestionKind::Likert { .. }, Edit::Row(statement, value)) => {
                let mut rows = match next {
                    Some(Answer::Matrix { rows }) => rows,
                    _ => BTreeMap::new(),
                };
                rows.insert(statement, value);
                next = Some(Answer::Matrix { rows });
            }
            (QuestionKind::Consent { .. }, Edit::Consent(given)) => next = Some(Answer::Consent { given }),
            _ => {}
        }
        next
    }

    /// Whether anything at all has been entered.
    pub fn is_blank(&self) -> bool {
        match self {
            Answer::Text { value } => value.trim().is_empty(),
            Answer::Date { day, month, year } => {
                day.trim().is_empty() && month.trim().is_empty() && year.trim().is_empty()
            }
            Answer::Choice { value, .. } => value.is_empty(),
            Answer::Choices { values } => values.is_empty(),
            Answer::Matrix { rows } => rows.is_empty(),
            Answer::Consent { given } => !given,
        }
    }
}

/// `text` with Arabic-Indic digits (٠–٩, and the Persian and Urdu ۰–۹) written as 0–9, and
/// the Arabic decimal and thousands separators as `.` and `,`, so a number or a date typed on
/// an Urdu or Arabic keyboard is read as it is meant. What the person typed is kept as typed.
pub fn western_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            '\u{066B}' => '.',
            '\u{066C}' => ',',
            _ => c,
        })
        .collect()
}

/// Parses a number as people type it: spaces and thousands separators are ignored, and
/// Arabic-Indic digits read as digits.
pub fn parse_number(raw: &str) -> Option<f64> {
    let cleaned: String = western_digits(raw)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',')
        .collect();
    if cleaned.is_empty()
        || !cleaned
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'))
    {
        return None;
    }
    let (negative, unsigned) = match cleaned.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, cleaned.strip_prefix('+').unwrap_or(&cleaned)),
    };
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
        return None;
    }
    // Rebuild it as a JSON number ("007." becomes "7", ".5" becomes "0.5") and let serde_json,
    // already in the bundle, parse it: core's `f64::from_str` would add about 14 KB of tables.
    let whole = whole.trim_start_matches('0');
    let json = format!(
        "{}{}{}{}",
        if negative { "-" } else { "" },
        if whole.is_empty() { "0" } else { whole },
        if fraction.is_empty() { "" } else { "." },
        fraction
    );
    crate::core::text::json::parse(&json)
        .ok()?
        .as_f64()
        .filter(|n| n.is_finite())
}

/// Parses the three boxes of a date into a real date, if they make one.
pub fn parse_date(day: &str, month: &str, year: &str) -> Option<Date> {
    let (day, month, year) = (western_digits(day), western_digits(month), western_digits(year));
    let (d, m, y) = (day.trim(), month.trim(), year.trim());
    if y.len() != 4 {
        return None;
    }
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

fn number_value(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        Value::Number(Number::from(n as i64))
    } else {
        Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}

/// The typed value of an answer, or `None` when it is blank or does not parse.
///
/// Numbers and ratings are JSON numbers, dates `YYYY-MM-DD`, checkboxes an array of values,
/// a Likert matrix an object of statement id to value, consent `true`, an "Other" radio
/// `{"value": "other", "other": "…"}`'s text under `other`.
pub fn typed_value(question: &Question, answer: &Answer) -> Option<Value> {
    if answer.is_blank() {
        return None;
    }
    match (&question.kind, answer) {
        (QuestionKind::Number { .. }, Answer::Text { value }) => parse_number(value).map(number_value),
        (
            QuestionKind::ShortText { .. } | QuestionKind::LongText { .. } | QuestionKind::Email | QuestionKind::Phone,
            Answer::Text { value },
        ) => Some(Value::String(value.trim().to_owned())),
        (QuestionKind::Date { .. }, Answer::Date { day, month, year }) => {
            parse_date(day, month, year).map(|d| Value::String(d.to_string()))
        }
        (QuestionKind::Rating { .. }, Answer::Choice { value, .. }) => {
            value.parse::<i64>().ok().map(|n| Value::Number(n.into()))
        }
        (QuestionKind::SingleChoice { other, .. }, Answer::Choice { value, other: text }) => {
            if other.as_ref().is_some_and(|o| &o.value == value) {
                let mut obj = Map::new();
                obj.insert("value".into(), Value::String(value.clone()));
                obj.insert("other".into(), Value::String(text.trim().to_owned()));
                Some(Value::Object(obj))
            } else {
                Some(Value::String(value.clone()))
            }
        }
        (QuestionKind::YesNo { .. }, Answer::Choice { value, .. }) => Some(Value::String(value.clone())),
        (QuestionKind::MultipleChoice { .. }, Answer::Choices { values }) => {
            let mut items = Vec::with_capacity(values.len());
            for v in values {
                items.push(Value::String(v.clone()));
            }
            Some(Value::Array(items))
        }
        (QuestionKind::Likert { .. }, Answer::Matrix { rows }) => {
            // Inserting one by one: collecting into a map pulls in a sort (several KB of wasm).
            let mut obj = Map::new();
            for (k, v) in rows {
                obj.insert(k.clone(), Value::String(v.clone()));
            }
            Some(Value::Object(obj))
        }
        (QuestionKind::Consent { .. }, Answer::Consent { given: true }) => Some(Value::Bool(true)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_typed() {
        assert_eq!(parse_number(" 1,200 "), Some(1200.0));
        assert_eq!(parse_number("-3.5"), Some(-3.5));
        assert_eq!(parse_number("12a"), None);
        assert_eq!(parse_number("1e3"), None);
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("inf"), None);
        assert_eq!(parse_number("007"), Some(7.0));
        assert_eq!(parse_number(".5"), Some(0.5));
        assert_eq!(parse_number("-.5"), Some(-0.5));
        assert_eq!(parse_number("3."), Some(3.0));
        assert_eq!(parse_number("+4"), Some(4.0));
        assert_eq!(parse_number("."), None);
        assert_eq!(parse_number("1.2.3"), None);
        assert_eq!(parse_number("1-2"), None);
        assert_eq!(parse_number("--1"), None);
    }

    #[test]
    fn dates_need_four_digit_years() {
        assert_eq!(parse_date("1", "2", "2020"), Date::new(2020, 2, 1));
        assert_eq!(parse_date("1", "2", "20"), None);
        assert_eq!(parse_date("31", "2", "2020"), None);
    }

    #[test]
    fn number_values_are_integers_when_whole() {
        assert_eq!(number_value(3.0), Value::from(3));
        assert_eq!(number_value(3.25), Value::from(3.25));
    }
}

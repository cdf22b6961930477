//! Validation rules. A failure is data: a [`Violation`] naming the rule, the control to
//! focus and the message parameters; [`Violation::message`] turns it into words.
use super::answer::{parse_date, parse_number, Answer};
use super::date::Date;
use super::definition::{Question, QuestionKind, Statement};
use super::ids::QuestionId;
use crate::core::text::messages::Catalogue;

/// Which control of a question an error points at, for the error summary link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// The single input, or the first radio or checkbox.
    Main,
    /// The day box of a date.
    Day,
    /// The month box of a date.
    Month,
    /// The year box of a date.
    Year,
    /// A date as a whole (not real, out of range): every box is marked, the day box linked.
    WholeDate,
    /// The "Other" details box.
    Other,
    /// The first radio of a Likert statement.
    Row(String),
}

/// A rule a question's answer breaks.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    /// The question.
    pub question: QuestionId,
    /// The control to link to and mark.
    pub target: Target,
    /// Catalogue key of the default message.
    pub key: &'static str,
    /// Name of the rule a survey may override in `messages`.
    pub rule: &'static str,
    /// Placeholder values for the message.
    pub params: Vec<(&'static str, String)>,
}

impl Violation {
    fn new(question: &Question, target: Target, key: &'static str, rule: &'static str) -> Self {
        Self {
            question: question.id.clone(),
            target,
            key,
            rule,
            params: Vec::new(),
        }
    }

    fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.params.push((name, value.into()));
        self
    }

    /// The words shown: the survey's override for the rule if it has one, else the catalogue's.
    pub fn message(&self, question: &Question, catalogue: &Catalogue) -> String {
        let default_name = catalogue.get(match &question.kind {
            QuestionKind::SingleChoice { .. } | QuestionKind::YesNo { .. } | QuestionKind::Rating { .. } => {
                "name.choice"
            }
            QuestionKind::MultipleChoice { .. } => "name.multiple",
            QuestionKind::Date { .. } => "name.date",
            QuestionKind::Number { .. } => "name.number",
            _ => "name.text",
        });
        let name = question.error_name.as_deref().unwrap_or(default_name);
        let mut params: Vec<(&str, &str)> = vec![("name", name)];
        params.extend(self.params.iter().map(|(k, v)| (*k, v.as_str())));
        let template = question
            .messages
            .get(self.rule)
            .map_or_else(|| catalogue.get(self.key), String::as_str);
        crate::core::text::messages::fill(template, &params)
    }
}

/// Numbers in messages: whole numbers without a decimal point. Formatted through serde_json,
/// which the bundle already carries, rather than `f64`'s `Display` (about 10 KB of wasm).
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        (n as i64).to_string()
    } else {
        serde_json::Number::from_f64(n)
            .map(|n| n.to_string())
            .unwrap_or_default()
    }
}

/// A date as people write it, e.g. "5 January 2026".
pub fn format_date(d: Date, catalogue: &Catalogue) -> String {
    format!("{} {} {}", d.day, catalogue.get(&format!("month.{}", d.month)), d.year)
}

/// Whether text is a plausible email address. Deliberately loose: a typo check, not RFC 5322.
pub fn is_email(s: &str) -> bool {
    let s = s.trim();
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    s.len() <= 254
        && !local.is_empty()
        && !s.chars().any(char::is_whitespace)
        && !local.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

/// Whether text is a UK telephone number: 10 or 11 digits starting with 0, or +44 / 0044 and
/// 9 or 10 digits, with spaces, dashes, dots and brackets allowed.
pub fn is_uk_phone(s: &str) -> bool {
    let s = s.trim();
    if s.chars().any(|c| !(c.is_ascii_digit() || " -.()+".contains(c))) {
        return false;
    }
    let plus = s.starts_with('+');
    if s.chars().skip(1).any(|c| c == '+') {
        return false;
    }
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let national = if plus {
        digits.strip_prefix("44")
    } else if let Some(rest) = digits.strip_prefix("0044") {
        Some(rest)
    } else {
        // Mobile numbers (07…) always have 11 digits; a few geographic ones have 10.
        let len_ok = if digits.starts_with("07") {
            digits.len() == 11
        } else {
            (10..=11).contains(&digits.len())
        };
        return digits.starts_with('0') && len_ok;
    };
    // After the country code a leading 0 is sometimes written as (0).
    national
        .map(|n| n.strip_prefix('0').unwrap_or(n))
        .is_some_and(|n| (9..=10).contains(&n.len()) && !n.starts_with('0'))
}

/// Checks one visible question's answer. `today` is needed for "must be in the past".
pub fn validate(question: &Question, answer: Option<&Answer>, today: Date) -> Vec<Violation> {
    let q = question;
    let blank = answer.is_none_or(Answer::is_blank);
    if !q.kind.is_answerable() {
        return Vec::new();
    }
    if blank {
        if !q.required {
            return Vec::new();
        }
        if let QuestionKind::Likert { statements, .. } = &q.kind {
            // Issue #8: every unanswered statement gets its own error, each linked from the
            // summary, not just the first.
            return row_errors(q, statements, |_| true);
        }
        return vec![match &q.kind {
            QuestionKind::SingleChoice { .. }
            | QuestionKind::YesNo { .. }
            | QuestionKind::Rating { .. }
            | QuestionKind::MultipleChoice { .. } => {
                Violation::new(q, Target::Main, "error.required.choice", "required")
            }
            QuestionKind::Consent { .. } => Violation::new(q, Target::Main, "error.required.consent", "required"),
            QuestionKind::Date { .. } => Violation::new(q, Target::WholeDate, "error.required.text", "required"),
            _ => Violation::new(q, Target::Main, "error.required.text", "required"),
        }];
    }
    let Some(answer) = answer else { return Vec::new() };
    let mut out = Vec::new();
    match (&q.kind, answer) {
        (
            QuestionKind::ShortText {
                min_length,
                max_length,
                pattern,
                ..
            },
            Answer::Text { value },
        ) => {
            let value = value.trim();
            if let Some(v) = length_violation(q, value, *min_length, *max_length) {
                out.push(v);
            } else if pattern.as_ref().is_some_and(|p| !p.matcher.is_match(value)) {
                out.push(Violation::new(q, Target::Main, "error.pattern", "pattern"));
            }
        }
        (QuestionKind::LongText { min_length, max_length }, Answer::Text { value }) => {
            out.extend(length_violation(q, value.trim(), *min_length, *max_length));
        }
        (QuestionKind::Number { integer, min, max, .. }, Answer::Text { value }) => {
            match parse_number(value) {
                None => out.push(Violation::new(q, Target::Main, "error.number", "number")),
                Some(n) if *integer && n.fract() != 0.0 => {
                    out.push(Violation::new(q, Target::Main, "error.integer", "integer"))
                }
                Some(n) => {
                    let below = min.is_some_and(|m| n < m);
                    let above = max.is_some_and(|m| n > m);
                    match (min, max) {
                        (Some(lo), Some(hi)) if below || above => out.push(
                            Violation::new(q, Target::Main, "error.between", "between")
                                .with("min", format_number(*lo))
                                .with("max", format_number(*hi)),
                        ),
                        (Some(lo), _) if below => out
                            .push(Violation::new(q, Target::Main, "error.min", "min").with("min", format_number(*lo))),
                        (_, Some(hi)) if above => out
                            .push(Violation::new(q, Target::Main, "error.max", "max").with("max", format_number(*hi))),
                        _ => {}
                    }
                }
            }
        }
        (QuestionKind::Email, Answer::Text { value }) if !is_email(value) => {
            out.push(Violation::new(q, Target::Main, "error.email", "email"));
        }
        (QuestionKind::Phone, Answer::Text { value }) if !is_uk_phone(value) => {
            out.push(Violation::new(q, Target::Main, "error.phone", "phone"));
        }
        (QuestionKind::Date { min, max, past }, Answer::Date { day, month, year }) => {
            out.extend(validate_date(q, (day, month, year), *min, *max, *past, today));
        }
        (
            QuestionKind::SingleChoice {
                other: Some(other),
                other_max_length,
                ..
            },
            Answer::Choice { value, other: text },
        ) if value == &other.value => {
            let len = text.trim().chars().count();
            if len == 0 {
                out.push(
                    Violation::new(q, Target::Other, "error.otherDetails", "other").with("label", other.label.clone()),
                );
            } else if len > *other_max_length as usize {
                out.push(
                    Violation::new(q, Target::Other, "error.otherLength", "maxLength")
                        .with("label", other.label.clone())
                        .with("max", other_max_length.to_string()),
                );
            }
        }
        (
            QuestionKind::MultipleChoice {
                min_selected,
                max_selected,
                none,
                ..
            },
            Answer::Choices { values },
        ) => {
            let picked_none = none.as_ref().is_some_and(|n| values.contains(&n.value));
            let count = values.len() as u32;
            if !picked_none {
                if let Some(min) = min_selected.filter(|m| count < *m) {
                    out.push(
                        Violation::new(q, Target::Main, "error.minSelected", "minSelected")
                            .with("min", min.to_string()),
                    );
                }
            }
            if let Some(max) = max_selected.filter(|m| count > *m) {
                out.push(
                    Violation::new(q, Target::Main, "error.maxSelected", "maxSelected").with("max", max.to_string()),
                );
            }
        }
        (QuestionKind::Likert { statements, .. }, Answer::Matrix { rows }) if q.required => {
            // GOV.UK shows one message per group: every unanswered statement gets its own.
            out = row_errors(q, statements, |id| !rows.contains_key(id));
        }
        _ => {}
    }
    out
}

/// "Select an answer for ‘…’" for each statement `unanswered` picks out.
fn row_errors(q: &Question, statements: &[Statement], unanswered: impl Fn(&str) -> bool) -> Vec<Violation> {
    statements
        .iter()
        .filter(|s| unanswered(&s.id))
        .map(|s| {
            Violation::new(q, Target::Row(s.id.clone()), "error.required.row", "required")
                .with("statement", s.text.clone())
        })
        .collect()
}

/// Too long or too short, if either.
fn length_violation(q: &Question, text: &str, min: Option<u32>, max: u32) -> Option<Violation> {
    let len = text.chars().count();
    if len > max as usize {
        return Some(Violation::new(q, Target::Main, "error.maxLength", "maxLength").with("max", max.to_string()));
    }
    let min = min.filter(|m| len < *m as usize)?;
    Some(Violation::new(q, Target::Main, "error.minLength", "minLength").with("min", min.to_string()))
}

fn validate_date(
    q: &Question,
    (day, month, year): (&str, &str, &str),
    min: Option<Date>,
    max: Option<Date>,
    past: bool,
    today: Date,
) -> Vec<Violation> {
    let missing: Vec<(Target, &'static str)> = [
        (Target::Day, day, "parts.day"),
        (Target::Month, month, "parts.month"),
        (Target::Year, year, "parts.year"),
    ]
    .into_iter()
    .filter(|(_, v, _)| v.trim().is_empty())
    .map(|(t, _, k)| (t, k))
    .collect();
    if let Some((first, _)) = missing.first() {
        let keys: Vec<&str> = missing.iter().map(|(_, k)| *k).collect();
        return vec![Violation::new(q, first.clone(), "error.date.missing", "date").with("parts", keys.join("+"))];
    }
    let year = super::answer::western_digits(year);
    if year.trim().len() != 4 || !year.trim().chars().all(|c| c.is_ascii_digit()) {
        return vec![Violation::new(q, Target::Year, "error.date.year", "date")];
    }
    let Some(date) = parse_date(day, month, &year) else {
        return vec![Violation::new(q, Target::WholeDate, "error.date.real", "date")];
    };
    if past && date >= today {
        return vec![Violation::new(q, Target::WholeDate, "error.date.past", "past")];
    }
    if let Some(min) = min.filter(|m| date < *m) {
        return vec![Violation::new(q, Target::WholeDate, "error.date.min", "min").with("date", min.to_string())];
    }
    if let Some(max) = max.filter(|m| date > *m) {
        return vec![Violation::new(q, Target::WholeDate, "error.date.max", "max").with("date", max.to_string())];
    }
    Vec::new()
}

/// Resolves parameters that need the catalogue (date names, part lists) before formatting.
pub fn localise(mut v: Violation, catalogue: &Catalogue) -> Violation {
    for (k, value) in &mut v.params {
        if *k == "date" {
            if let Some(d) = Date::parse_iso(value) {
                *value = format_date(d, catalogue);
            }
        } else if *k == "parts" {
            let words: Vec<&str> = value.split('+').map(|p| catalogue.get(p)).collect();
            *value = match words.as_slice() {
                [one] => (*one).to_owned(),
                [init @ .., last] => format!("{} {} {last}", init.join(", "), catalogue.get("parts.and")),
                [] => String::new(),
            };
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert!(is_email("name@example.com"));
        assert!(is_email(" a.b+c@council.gov.uk "));
        assert!(!is_email("name@example"));
        assert!(!is_email("name example.com"));
        assert!(!is_email("@example.com"));
        assert!(!is_email("a@b@example.com"));
        assert!(!is_email("a@.example.com"));
        assert!(!is_email("a@example..com"));
    }

    #[test]
    fn uk_phones() {
        for ok in [
            "01632 960 001",
            "07700 900 982",
            "+44 808 157 0192",
            "+44 (0)20 7946 0000",
            "0044 7700 900982",
            "(01632) 960001",
            "020-7946-0000",
        ] {
            assert!(is_uk_phone(ok), "{ok}");
        }
        for bad in [
            "12345",
            "07700 900 98",
            "+1 202 555 0100",
            "0770090098222",
            "call me",
            "+44 0",
            "07700+900982",
        ] {
            assert!(!is_uk_phone(bad), "{bad}");
        }
    }

    #[test]
    fn number_formatting() {
        assert_eq!(format_number(18.0), "18");
        assert_eq!(format_number(2.5), "2.5");
    }
}

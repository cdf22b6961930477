//! The sync protocol: the body of the one `POST` per completed response, and its checking on
//! the receiving side (the reference collector uses this same code). `public/response.schema.json`
//! describes the same format for other backends.
use crate::core::respond::session::CompletedResponse;
use crate::core::survey::date::iso_timestamp;
use crate::core::survey::date::Date;
use crate::core::survey::definition::{Choice, QuestionKind, Survey};
use crate::core::survey::ids::is_valid_id;
use serde_json::{Map, Value};

/// Most problems listed in one refusal, so a hostile body cannot make a huge reply.
pub const MAX_PROBLEMS: usize = 20;

/// `s` in quotes for a problem message, cut short and with control characters escaped, since
/// it came from the request.
pub fn quoted(s: &str) -> String {
    let mut out: String = s.chars().take(64).flat_map(char::escape_debug).collect();
    if s.chars().count() > 64 {
        out.push('…');
    }
    format!("\"{out}\"")
}

/// The protocol's format version, sent as `formatVersion`.
pub const FORMAT_VERSION: u64 = 1;
/// The client's name, sent in every body.
pub const CLIENT_NAME: &str = env!("CARGO_PKG_NAME");
/// The client's version, sent in every body.
pub const CLIENT_VERSION: &str = env!("CARGO_PKG_VERSION");
/// The header that carries the response id, so a repeat is recognised.
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";

/// The request body for a completed response.
pub fn request_body(response: &CompletedResponse) -> Value {
    let mut client = Map::new();
    client.insert("name".into(), CLIENT_NAME.into());
    client.insert("version".into(), CLIENT_VERSION.into());
    let mut body = Map::new();
    body.insert("formatVersion".into(), FORMAT_VERSION.into());
    body.insert("responseId".into(), response.response_id.as_str().into());
    // Issue #12: the code lets the person look up their response's stage. Only a well-formed
    // code is sent, so a collector that checks it never refuses the answers over it.
    if crate::core::respond::reference::is_reference_code(&response.reference) {
        body.insert("reference".into(), response.reference.as_str().into());
    }
    body.insert("surveyId".into(), response.survey_id.0.as_str().into());
    body.insert("surveyVersion".into(), response.survey_version.as_str().into());
    body.insert("locale".into(), response.locale.as_str().into());
    if !response.languages_used.is_empty() {
        body.insert(
            "languagesUsed".into(),
            Value::Array(response.languages_used.iter().map(|l| l.as_str().into()).collect()),
        );
    }
    body.insert("startedAt".into(), iso_timestamp(response.started_at).into());
    body.insert("completedAt".into(), iso_timestamp(response.completed_at).into());
    body.insert("answers".into(), Value::Object(response.answers.clone()));
    if let Some(context) = &response.context {
        body.insert("context".into(), context.to_protocol());
    }
    body.insert("client".into(), Value::Object(client));
    Value::Object(body)
}

/// A checked request body.
#[derive(Clone, Debug, PartialEq)]
pub struct Submission {
    /// The response id (a UUID, lower case).
    pub response_id: String,
    /// The survey answered.
    pub survey_id: String,
    /// The survey version answered.
    pub survey_version: String,
    /// The reference code the person was shown, if the widget sent it (added in issue #12;
    /// older widgets send none).
    pub reference: Option<String>,
    /// The answers, keyed by question id.
    pub answers: Map<String, Value>,
    /// The whole body, as received.
    pub body: Value,
}

/// Most answers one body may carry: far more than any survey asks, few enough that a hostile
/// body cannot make an export slow.
pub const MAX_ANSWERS: usize = 1000;
/// Longest text in an answer, in characters (the longest a long-text question allows).
pub const MAX_ANSWER_CHARS: usize = 10_000;
/// Most items in a multiple-choice answer or statements in a Likert answer.
pub const MAX_ANSWER_ITEMS: usize = 200;
/// Longest email address or phone number an answer may be, in characters: the longest an
/// email address can be written (64 before the `@`, 255 after), far more than any phone number.
pub const MAX_CONTACT_CHARS: u32 = 320;

/// Whether `s` is a lower-case version 4 UUID, as `crypto.randomUUID()` makes.
pub fn is_uuid_v4(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            14 => c == '4',
            19 => matches!(c, '8' | '9' | 'a' | 'b'),
            _ => c.is_ascii_digit() || ('a'..='f').contains(&c),
        })
}

/// Whether `s` is an RFC 3339 timestamp in UTC, `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, with a real
/// date and time of day.
pub fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |range: std::ops::Range<usize>| b.get(range).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let number = |range: std::ops::Range<usize>| s.get(range).and_then(|t| t.parse::<u32>().ok());
    if b.len() < 20
        || !(digits(0..4) && digits(5..7) && digits(8..10) && digits(11..13) && digits(14..16) && digits(17..19))
    {
        return false;
    }
    if (b[4], b[7], b[10], b[13], b[16]) != (b'-', b'-', b'T', b':', b':') || b[b.len() - 1] != b'Z' {
        return false;
    }
    let fraction = &b[19..b.len() - 1];
    let fraction_ok = fraction.is_empty()
        || (fraction.len() >= 2
            && fraction.len() <= 10
            && fraction[0] == b'.'
            && fraction[1..].iter().all(u8::is_ascii_digit));
    let date_ok = s
        .get(..10)
        .and_then(crate::core::survey::date::Date::parse_iso)
        .is_some();
    // A leap second (:60) is valid RFC 3339.
    fraction_ok
        && date_ok
        && number(11..13).is_some_and(|h| h < 24)
        && number(14..16).is_some_and(|m| m < 60)
        && number(17..19).is_some_and(|s| s <= 60)
}

/// Why one answer's shape breaks the protocol (any survey), or `None` when it fits.
fn answer_shape_problem(value: &Value) -> Option<String> {
    let long = |s: &str| s.chars().count() > MAX_ANSWER_CHARS;
    match value {
        Value::String(s) if long(s) => Some(format!("text longer than {MAX_ANSWER_CHARS} characters")),
        Value::String(_) | Value::Number(_) | Value::Bool(_) => None,
        Value::Array(items) if items.len() > MAX_ANSWER_ITEMS => Some(format!("more than {MAX_ANSWER_ITEMS} items")),
        Value::Array(items) => items.iter().find_map(|item| match item {
            Value::String(s) if long(s) => Some(format!("text longer than {MAX_ANSWER_CHARS} characters")),
            Value::String(_) => None,
            _ => Some("a list may hold only strings".to_owned()),
        }),
        Value::Object(map) if map.len() > MAX_ANSWER_ITEMS => Some(format!("more than {MAX_ANSWER_ITEMS} entries")),
        Value::Object(map) => map.iter().find_map(|(k, v)| match v {
            _ if !is_valid_id(k) => Some("an object's keys must be ids".to_owned()),
            Value::String(s) if long(s) => Some(format!("text longer than {MAX_ANSWER_CHARS} characters")),
            Value::String(_) => None,
            _ => Some("an object may hold only strings".to_owned()),
        }),
        Value::Null => Some("an answer cannot be null".to_owned()),
    }
}

/// Checks a request body against the protocol. Every problem is listed, with its field.
///
/// # Errors
/// The list of problems, when there is at least one.
pub fn check_body(body: Value, idempotency_key: Option<&str>) -> Result<Submission, Vec<String>> {
    let mut problems = Vec::new();
    let Value::Object(map) = &body else {
        return Err(vec!["the body must be a JSON object".into()]);
    };
    let text = |key: &str, problems: &mut Vec<String>| match map.get(key) {
        Some(Value::String(s)) if !s.is_empty() && s.len() <= 200 => s.clone(),
        _ => {
            problems.push(format!("`{key}` must be a non-empty string of up to 200 characters"));
            String::new()
        }
    };
    if map.get("formatVersion").and_then(Value::as_u64) != Some(FORMAT_VERSION) {
        problems.push(format!("`formatVersion` must be {FORMAT_VERSION}"));
    }
    let response_id = text("responseId", &mut problems);
    if !response_id.is_empty() && !is_uuid_v4(&response_id) {
        problems.push("`responseId` must be a lower-case version 4 UUID".into());
    }
    match idempotency_key {
        Some(key) if key == response_id => {}
        Some(_) => problems.push(format!("the {IDEMPOTENCY_HEADER} header must equal `responseId`")),
        None => problems.push(format!("the {IDEMPOTENCY_HEADER} header is missing")),
    }
    let survey_id = text("surveyId", &mut problems);
    if !survey_id.is_empty() && !is_valid_id(&survey_id) {
        // Survey files allow only such ids, and the id ends up in export file names.
        problems.push("`surveyId` must be a survey id: letters, digits, `-` and `_`, starting with a letter".into());
    }
    let survey_version = text("surveyVersion", &mut problems);
    let reference = match map.get("reference") {
        None => None,
        Some(Value::String(code)) if crate::core::respond::reference::is_reference_code(code) => Some(code.clone()),
        Some(_) => {
            problems.push("`reference` must be a reference code such as KX7P-3M4Q".into());
            None
        }
    };
    let _locale = text("locale", &mut problems);
    match map.get("languagesUsed") {
        None => {}
        Some(Value::Array(tags))
            if tags.len() <= 20
                && tags
                    .iter()
                    .all(|t| t.as_str().is_some_and(crate::core::survey::load::is_lang_tag)) => {}
        Some(_) => problems.push("`languagesUsed` must be a list of at most 20 language tags".into()),
    }
    for key in ["startedAt", "completedAt"] {
        if !map.get(key).and_then(Value::as_str).is_some_and(is_timestamp) {
            problems.push(format!("`{key}` must be an RFC 3339 UTC timestamp"));
        }
    }
    let answers = match map.get("answers") {
        Some(Value::Object(a)) if a.len() > MAX_ANSWERS => {
            problems.push(format!("`answers` may hold at most {MAX_ANSWERS} answers"));
            Map::new()
        }
        Some(Value::Object(a)) => {
            for (key, value) in a {
                if !is_valid_id(key) {
                    // The key itself is not repeated: it came from the request and may hold
                    // anything a person typed, and problems are logged.
                    problems.push("`answers` keys must be question ids: letters, digits, `-` and `_`".into());
                } else if let Some(why) = answer_shape_problem(value) {
                    problems.push(format!("`answers.{key}`: {why}"));
                }
                if problems.len() >= MAX_PROBLEMS {
                    break;
                }
            }
            a.clone()
        }
        _ => {
            problems.push("`answers` must be an object keyed by question id".into());
            Map::new()
        }
    };
    let short_text = |v: Option<&Value>| v.and_then(Value::as_str).is_some_and(is_short_text);
    let client_ok = map
        .get("client")
        .and_then(Value::as_object)
        .is_some_and(|c| short_text(c.get("name")) && short_text(c.get("version")));
    if !client_ok {
        problems.push("`client` must have a `name` and a `version`, each up to 200 characters".into());
    }
    if let Some(context) = map.get("context") {
        context_problems(context, &mut problems);
    }
    problems.truncate(MAX_PROBLEMS);
    if problems.is_empty() {
        let body = known_fields(map);
        Ok(Submission {
            response_id,
            survey_id,
            survey_version,
            reference,
            answers,
            body,
        })
    } else {
        Err(problems)
    }
}

/// Whether `s` is a short one-line text: 1 to 200 characters, no control characters.
fn is_short_text(s: &str) -> bool {
    !s.is_empty() && s.chars().count() <= 200 && !s.chars().any(char::is_control)
}

/// The top-level fields of a body that the protocol defines. Anything else a body carries is
/// dropped before it is stored, so a post cannot make the store keep (and every export and
/// figure read) data the protocol does not have.
pub const BODY_FIELDS: [&str; 12] = [
    "formatVersion",
    "responseId",
    "reference",
    "surveyId",
    "surveyVersion",
    "locale",
    "languagesUsed",
    "startedAt",
    "completedAt",
    "answers",
    "context",
    "client",
];

/// The fields of `context` the protocol defines (issue #10).
pub const CONTEXT_FIELDS: [&str; 5] = ["mode", "event", "eventId", "device", "incomplete"];

/// A checked body with only the fields the protocol defines: unknown top-level fields,
/// unknown `context` fields and anything in `client` but its `name` and `version` are dropped.
fn known_fields(map: &Map<String, Value>) -> Value {
    let mut kept = Map::new();
    for key in BODY_FIELDS {
        let Some(value) = map.get(key) else { continue };
        let value = match (key, value) {
            ("context" | "client", Value::Object(inner)) => {
                let allowed: &[&str] = if key == "context" {
                    &CONTEXT_FIELDS
                } else {
                    &["name", "version"]
                };
                let only: Map<String, Value> = inner
                    .iter()
                    .filter(|(k, _)| allowed.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                Value::Object(only)
            }
            _ => value.clone(),
        };
        kept.insert(key.to_owned(), value);
    }
    Value::Object(kept)
}

/// The largest body a response to `survey` can need, in bytes, as the widget writes it: the
/// fixed fields, and for each question the longest answer it allows, each character counted at
/// six bytes (the longest a JSON string can spell one, `\u0000`). The collector refuses a
/// larger body for that survey, so nobody can store more than a real response holds.
pub fn body_limit(survey: &Survey) -> usize {
    /// Room for the fixed fields, `context` and `client`, each at its longest.
    const FIXED: usize = 4 * 1024;
    const PER_CHAR: usize = 6;
    let text = |max_chars: u32| max_chars as usize * PER_CHAR + 2;
    let choice = |c: &Choice| c.value.len() * PER_CHAR + 3;
    survey
        .questions()
        .filter(|(_, q)| q.kind.is_answerable())
        .map(|(_, q)| {
            let answer = match &q.kind {
                QuestionKind::ShortText { max_length, .. } | QuestionKind::LongText { max_length, .. } => {
                    text(*max_length)
                }
                QuestionKind::Email | QuestionKind::Phone => text(MAX_CONTACT_CHARS),
                QuestionKind::Number { .. } | QuestionKind::Rating { .. } => 32,
                QuestionKind::Date { .. } => 16,
                QuestionKind::YesNo { .. } | QuestionKind::Consent { .. } | QuestionKind::Info { .. } => 8,
                QuestionKind::SingleChoice {
                    choices,
                    other,
                    other_max_length,
                } => {
                    let longest = choices.iter().map(choice).max().unwrap_or(0);
                    let other = other.as_ref().map_or(0, |o| choice(o) + text(*other_max_length) + 24);
                    longest.max(other)
                }
                QuestionKind::MultipleChoice { choices, none, .. } => {
                    choices.iter().chain(none).map(choice).sum::<usize>() + 2
                }
                QuestionKind::Likert { statements, scale } => {
                    let point = scale.iter().map(choice).max().unwrap_or(0);
                    statements.iter().map(|s| s.id.len() + 4 + point).sum::<usize>() + 2
                }
            };
            q.id.0.len() + 4 + answer
        })
        .sum::<usize>()
        + FIXED
}

/// Checks the optional `context` (issue #10): where a response was collected. Old widgets
/// send none; new fields inside it are allowed, so it can grow without a new format version.
fn context_problems(context: &Value, problems: &mut Vec<String>) {
    let Value::Object(c) = context else {
        problems.push("`context` must be an object".into());
        return;
    };
    for key in ["mode", "event", "eventId", "device"] {
        match c.get(key) {
            None => {}
            Some(Value::String(s)) if s.chars().count() <= 200 && !s.chars().any(char::is_control) => {}
            Some(_) => problems.push(format!("`context.{key}` must be a string of up to 200 characters")),
        }
    }
    if c.get("incomplete").is_some_and(|v| !v.is_boolean()) {
        problems.push("`context.incomplete` must be true or false".into());
    }
}

/// Checks answers against the survey they claim to answer: every key is one of its questions,
/// and every value has that question's type, its choice values and its limits. Which answers
/// are required is not checked: conditions decide that on the device, and a person may leave
/// out what is optional. Returns the problems, at most [`MAX_PROBLEMS`].
pub fn check_answers(survey: &Survey, answers: &Map<String, Value>) -> Vec<String> {
    let mut problems = Vec::new();
    for (key, value) in answers {
        let Some((_, question)) = survey.questions().find(|(_, q)| q.id.0 == *key) else {
            problems.push(format!("`answers.{key}`: survey {} has no such question", survey.id.0));
            continue;
        };
        if let Some(why) = answer_problem(&question.kind, value) {
            problems.push(format!("`answers.{key}`: {why}"));
        }
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
    }
    problems
}

fn text_problem(value: &Value, max_chars: u32) -> Option<String> {
    match value {
        Value::String(s) if s.chars().count() > max_chars as usize => {
            Some(format!("longer than the question's {max_chars} characters"))
        }
        Value::String(_) => None,
        _ => Some("must be text".into()),
    }
}

fn choice_problem<'a>(value: &Value, mut allowed: impl Iterator<Item = &'a Choice>) -> Option<String> {
    match value {
        Value::String(v) if allowed.any(|c| c.value == *v) => None,
        // The value is not repeated: problems are logged, and answers never are.
        Value::String(_) => Some("is not one of the choices".into()),
        _ => Some("must be a choice value".into()),
    }
}

fn answer_problem(kind: &QuestionKind, value: &Value) -> Option<String> {
    match kind {
        QuestionKind::ShortText { max_length, .. } | QuestionKind::LongText { max_length, .. } => {
            text_problem(value, *max_length)
        }
        QuestionKind::Email | QuestionKind::Phone => text_problem(value, MAX_CONTACT_CHARS),
        QuestionKind::Number { integer, min, max, .. } => match value.as_f64() {
            None => Some("must be a number".into()),
            Some(n) if *integer && n.fract() != 0.0 => Some("must be a whole number".into()),
            Some(n) if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) => {
                Some("is outside the question's range".into())
            }
            Some(_) => None,
        },
        QuestionKind::Rating { min, max, .. } => match value.as_i64() {
            Some(n) if (*min..=*max).contains(&n) => None,
            _ => Some(format!("must be a whole number from {min} to {max}")),
        },
        QuestionKind::Date { .. } => match value.as_str().and_then(Date::parse_iso) {
            Some(_) => None,
            None => Some("must be a date, YYYY-MM-DD".into()),
        },
        QuestionKind::YesNo { .. } => match value.as_str() {
            Some("yes" | "no") => None,
            _ => Some("must be yes or no".into()),
        },
        QuestionKind::SingleChoice {
            choices,
            other,
            other_max_length,
        } => match (value, other) {
            (Value::Object(map), Some(o)) => {
                let chose_other = map.get("value").and_then(Value::as_str) == Some(o.value.as_str());
                if !chose_other || map.len() != 2 {
                    Some(format!(
                        "must be a choice value or {{\"value\": \"{}\", \"other\": text}}",
                        o.value
                    ))
                } else {
                    text_problem(map.get("other").unwrap_or(&Value::Null), *other_max_length)
                }
            }
            _ => choice_problem(value, choices.iter()),
        },
        QuestionKind::MultipleChoice { choices, none, .. } => match value {
            Value::Array(items) => {
                let mut seen = Vec::with_capacity(items.len());
                items.iter().find_map(|item| {
                    if seen.contains(&item) {
                        return Some("lists a choice twice".into());
                    }
                    seen.push(item);
                    choice_problem(item, choices.iter().chain(none))
                })
            }
            _ => Some("must be a list of choice values".into()),
        },
        QuestionKind::Likert { statements, scale } => match value {
            Value::Object(map) => map.iter().find_map(|(statement, point)| {
                if statements.iter().any(|s| s.id == *statement) {
                    choice_problem(point, scale.iter()).map(|why| format!("{statement}: {why}"))
                } else {
                    Some("names a statement the question does not have".into())
                }
            }),
            _ => Some("must be an object of statement id to scale value".into()),
        },
        QuestionKind::Consent { .. } => (value != &Value::Bool(true)).then(|| "must be true".into()),
        QuestionKind::Info { .. } => Some("is information, with no answer".into()),
    }
}

//! The sync protocol: the body of the one `POST` per completed response, and its checking on
//! the receiving side (the reference collector uses this same code). `public/response.schema.json`
//! describes the same format for other backends.
use super::date::iso_timestamp;
use super::session::CompletedResponse;
use serde_json::{Map, Value};

/// The protocol's format version, sent as `formatVersion`.
pub const FORMAT_VERSION: u64 = 1;
/// The client's name, sent in every body.
pub const CLIENT_NAME: &str = env!("CARGO_PKG_NAME");
/// The client's version, sent in every body.
pub const CLIENT_VERSION: &str = env!("CARGO_PKG_VERSION");
/// The header that carries the response id, so a repeat is recognised.
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";

/// The request body for a completed response.
pub fn request_body(response: &CompletedResponse, locale: &str) -> Value {
    let mut client = Map::new();
    client.insert("name".into(), CLIENT_NAME.into());
    client.insert("version".into(), CLIENT_VERSION.into());
    let mut body = Map::new();
    body.insert("formatVersion".into(), FORMAT_VERSION.into());
    body.insert("responseId".into(), response.response_id.as_str().into());
    body.insert("surveyId".into(), response.survey_id.0.as_str().into());
    body.insert("surveyVersion".into(), response.survey_version.as_str().into());
    body.insert("locale".into(), locale.into());
    body.insert("startedAt".into(), iso_timestamp(response.started_at).into());
    body.insert("completedAt".into(), iso_timestamp(response.completed_at).into());
    body.insert("answers".into(), Value::Object(response.answers.clone()));
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
    /// The answers, keyed by question id.
    pub answers: Map<String, Value>,
    /// The whole body, as received.
    pub body: Value,
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_digit() || ('a'..='f').contains(&c),
        })
}

fn is_timestamp(s: &str) -> bool {
    // RFC 3339 in UTC as the widget writes it; the collector stores it as text.
    s.len() >= 20 && s.ends_with('Z') && s.as_bytes().get(10) == Some(&b'T')
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
    if !response_id.is_empty() && !is_uuid(&response_id) {
        problems.push("`responseId` must be a lower-case UUID".into());
    }
    match idempotency_key {
        Some(key) if key == response_id => {}
        Some(_) => problems.push(format!("the {IDEMPOTENCY_HEADER} header must equal `responseId`")),
        None => problems.push(format!("the {IDEMPOTENCY_HEADER} header is missing")),
    }
    let survey_id = text("surveyId", &mut problems);
    let survey_version = text("surveyVersion", &mut problems);
    let _locale = text("locale", &mut problems);
    for key in ["startedAt", "completedAt"] {
        if !map.get(key).and_then(Value::as_str).is_some_and(is_timestamp) {
            problems.push(format!("`{key}` must be an RFC 3339 UTC timestamp"));
        }
    }
    let answers = match map.get("answers") {
        Some(Value::Object(a)) => a.clone(),
        _ => {
            problems.push("`answers` must be an object keyed by question id".into());
            Map::new()
        }
    };
    let client_ok = map
        .get("client")
        .and_then(Value::as_object)
        .is_some_and(|c| c.get("name").is_some_and(Value::is_string) && c.get("version").is_some_and(Value::is_string));
    if !client_ok {
        problems.push("`client` must have a `name` and a `version`".into());
    }
    if problems.is_empty() {
        Ok(Submission {
            response_id,
            survey_id,
            survey_version,
            answers,
            body,
        })
    } else {
        Err(problems)
    }
}

//! Protocol checks on `POST /responses`: the media type, the body as
//! `public/response.schema.json` describes it (with the widget's own code, so both ends
//! agree), and, when the collector knows the survey, each answer against its question.
//!
//! With `--surveys`, a response to a version of a known survey that the collector was not
//! given is *held*: stored, so the device that sent it can let go of it, but never counted in
//! figures, exported as columns or offered as a theme until its version's definition is given
//! and its answers fit it ([`is_counted`]). The console lists what is held.
use crate::config::Surveys;
use crate::store::NewResponse;
use hyper::header::CONTENT_TYPE;
use hyper::{HeaderMap, StatusCode};
use serde_json::Value;
use survey_widget::core::delivery::protocol::{check_answers, check_body, Submission, IDEMPOTENCY_HEADER};

/// A refused request: the status and the problems to list.
pub type Refusal = (StatusCode, Vec<String>);

/// Whether the request says its body is JSON.
pub fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|t| t.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
}

/// Checks a body and makes what to store.
///
/// # Errors
/// 400 with every problem found.
pub fn check(headers: &HeaderMap, body: &[u8], surveys: &Surveys) -> Result<(Submission, NewResponse), Refusal> {
    let parsed = serde_json::from_slice::<Value>(body)
        .map_err(|e| (StatusCode::BAD_REQUEST, vec![format!("the body is not JSON: {e}")]))?;
    let key = headers.get(IDEMPOTENCY_HEADER).and_then(|v| v.to_str().ok());
    let checked = check_value(parsed, key, surveys)?;
    // The limit follows the survey: no response to it can be larger, so nothing larger is
    // stored, whatever `--max-body-bytes` allows.
    if let Some(limit) = surveys.body_limit(&checked.0.survey_id, &checked.0.survey_version) {
        if body.len() > limit {
            return Err((
                StatusCode::PAYLOAD_TOO_LARGE,
                vec![format!(
                    "the body is larger than any response to survey {} can be ({limit} bytes)",
                    checked.0.survey_id
                )],
            ));
        }
    }
    Ok(checked)
}

/// Whether a stored response counts in figures, exports and suggested themes: always without
/// `--surveys`; with them, only when the collector knows its version and its answers fit it.
/// Anything else is held for review.
pub fn is_counted(surveys: &Surveys, survey: &str, version: &str, body: &Value) -> bool {
    if !surveys.is_closed_list() {
        return true;
    }
    let Some(definition) = surveys.version(survey, version) else {
        return false;
    };
    body.get("answers")
        .and_then(Value::as_object)
        .is_some_and(|answers| check_answers(definition, answers).is_empty())
}

/// The fields a problem is about (`answers.caring-years`, `responseId`), for the log: a
/// problem message may quote what was sent, and answers are never logged.
pub fn problem_fields(problems: &[String]) -> String {
    let fields: Vec<&str> = problems
        .iter()
        .map(|p| {
            p.strip_prefix('`')
                .and_then(|rest| rest.split_once('`'))
                .map_or("body", |(field, _)| field)
        })
        .collect();
    fields.join(", ")
}

/// Checks a parsed body, sent with `key` as its idempotency key, and makes what to store.
/// An imported event file goes through here too, so a file is held to what a post is.
///
/// # Errors
/// 400 with every problem found.
pub fn check_value(parsed: Value, key: Option<&str>, surveys: &Surveys) -> Result<(Submission, NewResponse), Refusal> {
    let submission = check_body(parsed, key).map_err(|p| (StatusCode::BAD_REQUEST, p))?;
    if surveys.is_closed_list() {
        if !surveys.knows(&submission.survey_id) {
            return Err((
                StatusCode::BAD_REQUEST,
                vec![format!(
                    "this collector does not take responses for survey {}",
                    submission.survey_id
                )],
            ));
        }
        // An unknown version of a known survey is held (see the module's notes): a device may
        // still hold a response to a version the council has since replaced, and refusing it
        // would leave those answers stuck on the device.
        if let Some(survey) = surveys.version(&submission.survey_id, &submission.survey_version) {
            let problems = check_answers(survey, &submission.answers);
            if !problems.is_empty() {
                return Err((StatusCode::BAD_REQUEST, problems));
            }
        }
    }
    let stored = NewResponse {
        response_id: submission.response_id.clone(),
        survey_id: submission.survey_id.clone(),
        survey_version: submission.survey_version.clone(),
        reference: submission.reference.clone(),
        body: submission.body.to_string(),
    };
    Ok((submission, stored))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue #21: refused answer text reached the log.
    #[test]
    fn the_log_names_fields_never_values() {
        let problems = vec![
            "`answers.caring-years`: is not one of the choices".to_owned(),
            "`responseId` must be a lower-case version 4 UUID".to_owned(),
            "the Idempotency-Key header is missing".to_owned(),
        ];
        assert_eq!(problem_fields(&problems), "answers.caring-years, responseId, body");
    }
}

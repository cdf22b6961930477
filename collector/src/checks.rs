//! Protocol checks on `POST /responses`: the media type, the body as
//! `public/response.schema.json` describes it (with the widget's own code, so both ends
//! agree), and, when the collector knows the survey, each answer against its question.
use crate::config::Surveys;
use crate::store::NewResponse;
use hyper::header::CONTENT_TYPE;
use hyper::{HeaderMap, StatusCode};
use serde_json::Value;
use survey_widget::core::protocol::{check_answers, check_body, quoted, Submission, IDEMPOTENCY_HEADER};

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
    check_value(parsed, key, surveys)
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
                    quoted(&submission.survey_id)
                )],
            ));
        }
        // An unknown version of a known survey is taken, checked for shape only: a device may
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

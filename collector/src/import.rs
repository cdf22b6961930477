//! `survey-collector import FILE`: stores the responses of an event export (a tablet that
//! never got a signal) exactly as if the device had posted them. Each response is checked as a
//! post is and inserted under its own id, so importing a file twice, or a file whose responses
//! were also sent online, adds nothing.
use crate::checks::check_value;
use crate::config::Surveys;
use crate::store::{Inserted, Store, StoreError};
use serde_json::Value;
use survey_widget::core::csv::{read_export, ExportError};

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Stored now for the first time.
    pub new: usize,
    /// Already stored (sent online, or imported before): left as they were.
    pub repeat: usize,
    /// Stored before with a different body under the same id: left as they were.
    pub conflict: Vec<String>,
    /// Refused by the protocol or survey checks, with the reasons.
    pub refused: Vec<(String, Vec<String>)>,
}

/// Why an import could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file is not a valid export.
    #[error(transparent)]
    File(#[from] ExportError),
    /// The store failed; what was stored before the failure stays stored, and importing the
    /// file again finishes the job.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Imports an export file's text into `store`.
///
/// # Errors
/// [`ImportError::File`] before anything is stored when the file fails its manifest check;
/// [`ImportError::Store`] when the store fails part way.
pub async fn import(store: &dyn Store, surveys: &Surveys, text: &str) -> Result<Report, ImportError> {
    let (_, bodies) = read_export(text)?;
    let mut report = Report::default();
    for body in bodies {
        let id = body.get("responseId").and_then(Value::as_str).unwrap_or("").to_owned();
        let key = id.clone();
        match check_value(body, Some(&key), surveys) {
            Err((_, problems)) => report.refused.push((id, problems)),
            Ok((_, stored)) => match store.insert(stored).await? {
                Inserted::New => report.new += 1,
                Inserted::Repeat => report.repeat += 1,
                Inserted::Conflict => report.conflict.push(id),
            },
        }
    }
    Ok(report)
}

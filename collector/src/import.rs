//! `survey-collector import FILE`: stores the responses of an event export (a tablet that
//! never got a signal) exactly as if the device had posted them. Each response is checked as a
//! post is and inserted under its own id, so importing a file twice, or a file whose responses
//! were also sent online, adds nothing. A file is taken whole or not at all: every response is
//! checked before any is stored, and they are stored in one transaction that a conflict rolls
//! back (issue #21), so a half-imported file never has to be untangled.
use crate::checks::check_value;
use crate::config::Surveys;
use crate::store::{Inserted, Store, StoreError};
use serde_json::Value;
use survey_widget::core::analysis::csv::{sha256_hex, EXPORT_FORMAT};

/// Why an export file cannot be imported.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// Not an event export file at all.
    #[error("not a survey widget event export: {0}")]
    NotAnExport(String),
    /// The responses are not the ones the manifest was made for (damaged or edited).
    #[error("the responses do not match the manifest's SHA-256 (the file is damaged or was edited)")]
    Checksum,
    /// The manifest's count disagrees with the file.
    #[error("the manifest counts {expected} responses but the file holds {found}")]
    Count {
        /// What the manifest says.
        expected: usize,
        /// What the file holds.
        found: usize,
    },
}

/// Reads an export file and checks it against its manifest: the `responses` array's bytes
/// must hash to the manifest's SHA-256, and the count must agree. Returns the bodies.
///
/// # Errors
/// [`ExportError`] when the file is not an export or does not match its manifest.
pub fn read_export(text: &str) -> Result<(Value, Vec<Value>), ExportError> {
    let not = |why: &str| ExportError::NotAnExport(why.to_owned());
    // The hash covers the `responses` array's own bytes, read as written.
    #[derive(serde::Deserialize)]
    struct File<'a> {
        format: Option<String>,
        manifest: Option<Value>,
        #[serde(borrow)]
        responses: Option<&'a serde_json::value::RawValue>,
    }
    let file: File = serde_json::from_str(text).map_err(|e| not(&e.to_string()))?;
    if file.format.as_deref() != Some(EXPORT_FORMAT) {
        return Err(not("`format` is missing or different"));
    }
    let manifest = file.manifest.ok_or_else(|| not("no `manifest`"))?;
    let raw = file.responses.ok_or_else(|| not("no `responses` array"))?.get();
    let Ok(Value::Array(bodies)) = serde_json::from_str::<Value>(raw) else {
        return Err(not("`responses` is not an array"));
    };
    let expected = manifest.get("sha256").and_then(Value::as_str).unwrap_or("");
    if sha256_hex(raw.as_bytes()) != expected {
        return Err(ExportError::Checksum);
    }
    let counted = manifest.get("responses").and_then(Value::as_u64).unwrap_or(0) as usize;
    if counted != bodies.len() {
        return Err(ExportError::Count {
            expected: counted,
            found: bodies.len(),
        });
    }
    Ok((manifest, bodies))
}

/// The largest export file `import` reads: far more than a day's event (a response is a few
/// kilobytes), small enough that a wrong file (`/dev/zero`) cannot exhaust memory.
pub const MAX_IMPORT_BYTES: u64 = 64 * 1024 * 1024;

/// Reads an export file, refusing one larger than [`MAX_IMPORT_BYTES`] before reading it all
/// (a device or a pipe says nothing of its size, so the read itself is bounded too).
///
/// # Errors
/// A message for the person running the command.
pub fn read_file(path: &std::path::Path) -> Result<String, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(MAX_IMPORT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_IMPORT_BYTES {
        return Err(format!(
            "larger than {} MiB, which no event export is; nothing was imported",
            MAX_IMPORT_BYTES / (1024 * 1024)
        ));
    }
    String::from_utf8(bytes).map_err(|_| "not UTF-8 text, so not an event export; nothing was imported".to_owned())
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Whether the file was stored; `false` when any response was refused or conflicting, in
    /// which case nothing was (the counts below then say what storing it would have done).
    pub stored: bool,
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

/// Imports an export file's text into `store`, all or nothing.
///
/// # Errors
/// [`ImportError::File`] before anything is stored when the file fails its manifest check;
/// [`ImportError::Store`] when the store fails (its transaction is then rolled back).
pub async fn import(store: &dyn Store, surveys: &Surveys, text: &str) -> Result<Report, ImportError> {
    let (_, bodies) = read_export(text)?;
    let mut report = Report::default();
    let mut checked = Vec::with_capacity(bodies.len());
    for body in bodies {
        let id = body.get("responseId").and_then(Value::as_str).unwrap_or("").to_owned();
        match check_value(body, Some(&id), surveys) {
            Err((_, problems)) => report.refused.push((id, problems)),
            Ok((_, stored)) => checked.push(stored),
        }
    }
    if !report.refused.is_empty() {
        return Ok(report);
    }
    let ids: Vec<String> = checked.iter().map(|r| r.response_id.clone()).collect();
    let outcomes = store.insert_all(checked).await?;
    for (id, outcome) in ids.into_iter().zip(outcomes) {
        match outcome {
            Inserted::New => report.new += 1,
            Inserted::Repeat => report.repeat += 1,
            Inserted::Conflict => report.conflict.push(id),
        }
    }
    report.stored = report.conflict.is_empty();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use survey_widget::core::analysis::csv::{export_file, Manifest};

    fn manifest() -> Manifest {
        Manifest {
            event: "Café".into(),
            event_id: "e1".into(),
            device: "device-K7QM".into(),
            exported_at: "2026-12-02T12:00:00.000Z".into(),
            responses: 0,
            received: 1,
            incomplete: 0,
            sha256: String::new(),
        }
    }

    #[test]
    fn an_export_reads_back_as_written() {
        let bodies = vec![
            json!({ "responseId": "a", "answers": { "q": "=1" } }),
            json!({ "responseId": "b", "context": { "incomplete": true }, "answers": {} }),
        ];
        let (text, m) = export_file(manifest(), &bodies);
        assert_eq!((m.responses, m.incomplete, m.received), (2, 1, 1));
        assert_eq!(
            m.sha256,
            sha256_hex(Value::Array(bodies.clone()).to_string().as_bytes())
        );
        let (read_manifest, read) = read_export(&text).unwrap();
        assert_eq!(read, bodies);
        assert_eq!(read_manifest["sha256"], m.sha256.as_str());
    }

    #[test]
    fn a_damaged_or_edited_export_is_refused() {
        let bodies = vec![json!({ "responseId": "a", "answers": { "q": "yes" } })];
        let (text, _) = export_file(manifest(), &bodies);
        let edited = text.replace("\"yes\"", "\"no\"");
        assert_eq!(read_export(&edited), Err(ExportError::Checksum));
        assert!(matches!(
            read_export(&text[..text.len() - 5]),
            Err(ExportError::NotAnExport(_))
        ));
        assert!(matches!(read_export("{}"), Err(ExportError::NotAnExport(_))));
        assert!(matches!(read_export("[1]"), Err(ExportError::NotAnExport(_))));
        let miscounted = text.replace("\"responses\":1,", "\"responses\":2,");
        assert_eq!(
            read_export(&miscounted),
            Err(ExportError::Count { expected: 2, found: 1 })
        );
    }

    #[test]
    fn text_that_looks_like_the_file_s_own_keys_does_not_confuse_the_reader() {
        let bodies = vec![json!({ "responseId": "a", "answers": { "q": "\"responses\":[] }" } })];
        let mut m = manifest();
        m.event = "\"responses\":[1]}".into();
        let (text, _) = export_file(m, &bodies);
        assert_eq!(read_export(&text).unwrap().1, bodies);
    }
}

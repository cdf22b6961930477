//! Exports: CSV for spreadsheets and Power BI (the original one-column-per-question CSV, and
//! the wide and long CSVs for analysis planned in `core::analysis::dictionary`), JSON for scripts. All stream: rows go from the
//! store to the client a chunk at a time, so an export of any size takes memory for a few rows
//! and work linear in its size, and other requests go on meanwhile.
use crate::config::Surveys;
use crate::store::{Rows, Store, StoreError, StoredRow};
use bytes::Bytes;
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::sync::Arc;
use tokio::sync::{mpsc, OwnedSemaphorePermit};

/// Bytes gathered before a chunk is sent.
const CHUNK: usize = 32 * 1024;

/// The chunks of an export body; an error ends the body early, so the client sees a failed
/// transfer rather than a file that looks complete.
pub type Chunks = mpsc::Receiver<Result<Bytes, std::io::Error>>;

pub use survey_widget::core::analysis::csv::FIXED_COLUMNS;
use survey_widget::core::analysis::csv::{header as csv_header, line};
use survey_widget::core::analysis::dictionary::{self, WideColumn};

/// The answer keys of a stored body.
fn answers(body: &Value) -> Option<&Map<String, Value>> {
    body.get("answers").and_then(Value::as_object)
}

/// Most columns made from answer keys of versions the collector has no definition for (only
/// without `--surveys`), so no file passes what spreadsheets open (Excel and Power BI stop at
/// 16,384 columns).
pub const MAX_EXTRA_COLUMNS: usize = 1_000;

/// The CSV's answer columns: the survey's questions in its order when the definition is known.
/// Without `--surveys`, then any other keys found in responses to versions the collector has no
/// definition for, in the order first seen, at most [`MAX_EXTRA_COLUMNS`]; with `--surveys`
/// those responses are held and make no columns. Linear: each such response is read once.
///
/// # Errors
/// When the store fails.
pub async fn columns(store: &dyn Store, surveys: &Surveys, survey: &str) -> Result<Vec<String>, StoreError> {
    let mut columns = surveys.columns(survey);
    if surveys.is_closed_list() {
        return Ok(columns);
    }
    let mut seen: HashSet<String> = columns.iter().cloned().collect();
    let limit = columns.len() + MAX_EXTRA_COLUMNS;
    for version in store.versions(survey.to_owned()).await? {
        if surveys.version(survey, &version).is_some() {
            continue;
        }
        let mut rows = store.rows(survey.to_owned(), Some(version)).await?;
        while let Some(row) = rows.recv().await {
            let body: Value = serde_json::from_str(&row?.body).unwrap_or(Value::Null);
            for key in answers(&body).into_iter().flat_map(Map::keys) {
                if columns.len() >= limit {
                    return Ok(columns);
                }
                if !seen.contains(key) {
                    seen.insert(key.clone());
                    columns.push(key.clone());
                }
            }
        }
    }
    Ok(columns)
}

/// Appends one element of the JSON export: the stored body with `receivedAt` added.
fn json_element(out: &mut String, first: bool, mut body: Value, row: &StoredRow) {
    if let Value::Object(map) = &mut body {
        map.insert("receivedAt".into(), row.received_at.clone().into());
    }
    if !first {
        out.push(',');
    }
    out.push_str(&body.to_string());
}

/// What an export is written as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shape {
    /// One row per response, a column per question, multiple choices joined with `; `.
    Csv(Vec<String>),
    /// An array of the stored bodies.
    Json,
    /// The wide CSV for analysis: answer codes, a 0/1 column per option (issue #12).
    Wide(Vec<WideColumn>),
    /// The long ("tidy") CSV: one row per answer part.
    Long,
}

/// The wide CSV's columns: every known version's, in the order the versions were given.
pub fn wide_columns(surveys: &Surveys, survey: &str) -> Vec<WideColumn> {
    let mut columns = Vec::new();
    for version in surveys.versions_of(survey) {
        dictionary::wide_columns(version, &mut columns);
    }
    columns
}

/// Which rows an export holds: those counted, or those held for review
/// ([`crate::checks::is_counted`]).
pub struct Keep {
    /// The survey definitions known when the export began.
    pub surveys: Arc<crate::Surveys>,
    /// The survey exported.
    pub survey: String,
    /// Only the held rows, rather than only the counted ones.
    pub held: bool,
}

/// Streams `rows` in `shape` as chunks, keeping only the rows `keep` says. `permit` is held
/// until the last chunk, so a running export counts against the request limit.
pub fn stream(shape: Shape, mut rows: Rows, permit: Option<OwnedSemaphorePermit>, keep: Keep) -> Chunks {
    let (tx, rx) = mpsc::channel(4);
    tokio::spawn(async move {
        let _permit = permit;
        let mut out = match &shape {
            Shape::Csv(columns) => csv_header(columns),
            Shape::Json => String::from("["),
            Shape::Wide(columns) => {
                let names: Vec<&str> = dictionary::WIDE_FIXED
                    .iter()
                    .copied()
                    .chain(columns.iter().map(|c| c.name.as_str()))
                    .collect();
                dictionary::header_line(&names)
            }
            Shape::Long => dictionary::header_line(&dictionary::LONG_COLUMNS),
        };
        let mut first = true;
        while let Some(row) = rows.recv().await {
            let row = match row {
                Ok(row) => row,
                Err(e) => {
                    eprintln!("collector: export stopped by a database error: {e}");
                    let _ = tx.send(Err(std::io::Error::other(e.to_string()))).await;
                    return;
                }
            };
            let body: Value = serde_json::from_str(&row.body).unwrap_or(Value::Null);
            let counted = crate::checks::is_counted(&keep.surveys, &keep.survey, &row.survey_version, &body);
            if counted == keep.held {
                continue;
            }
            match &shape {
                Shape::Csv(columns) => line(&mut out, columns, &body, &row.received_at),
                Shape::Json => json_element(&mut out, first, body, &row),
                Shape::Wide(columns) => dictionary::wide_line(&mut out, columns, &body, &row.received_at),
                Shape::Long => dictionary::long_lines(&mut out, &body, &row.received_at),
            }
            first = false;
            if out.len() >= CHUNK && tx.send(Ok(Bytes::from(std::mem::take(&mut out)))).await.is_err() {
                return;
            }
        }
        if shape == Shape::Json {
            out.push(']');
        }
        let _ = tx.send(Ok(Bytes::from(out))).await;
    });
    rx
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_line_has_a_cell_per_column_in_order() {
        let row = StoredRow {
            received_at: "2026-12-01T10:00:00.000Z".into(),
            response_id: "r".into(),
            survey_version: "1".into(),
            body: json!({
                "responseId": "r", "surveyVersion": "1", "locale": "en",
                "startedAt": "s", "completedAt": "c",
                "answers": { "b": "two", "a": ["x", "y"] }
            })
            .to_string(),
        };
        let mut out = String::new();
        let body: Value = serde_json::from_str(&row.body).unwrap_or(Value::Null);
        line(
            &mut out,
            &["a".into(), "missing".into(), "b".into()],
            &body,
            &row.received_at,
        );
        assert_eq!(out, "r,1,en,,s,c,2026-12-01T10:00:00.000Z,,,,\"x; y\",,two\r\n");
    }
}

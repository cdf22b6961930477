//! Exports: CSV for spreadsheets and Power BI (the original one-column-per-question CSV, and
//! the wide and long CSVs for analysis planned in `core::dictionary`), JSON for scripts. All stream: rows go from the
//! store to the client a chunk at a time, so an export of any size takes memory for a few rows
//! and work linear in its size, and other requests go on meanwhile.
use crate::config::Surveys;
use crate::store::{Rows, Store, StoreError, StoredRow};
use bytes::Bytes;
use serde_json::{Map, Value};
use std::collections::HashSet;
use tokio::sync::{mpsc, OwnedSemaphorePermit};

/// Bytes gathered before a chunk is sent.
const CHUNK: usize = 32 * 1024;

/// The chunks of an export body; an error ends the body early, so the client sees a failed
/// transfer rather than a file that looks complete.
pub type Chunks = mpsc::Receiver<Result<Bytes, std::io::Error>>;

pub use survey_widget::core::csv::FIXED_COLUMNS;
use survey_widget::core::csv::{header as csv_header, line};
use survey_widget::core::dictionary::{self, WideColumn};

/// The answer keys of a stored body.
fn answers(body: &Value) -> Option<&Map<String, Value>> {
    body.get("answers").and_then(Value::as_object)
}

/// The CSV's answer columns: the survey's questions in its order when the definition is known,
/// then any other keys found in responses to versions the collector has no definition for,
/// in the order first seen. Linear: each such response is read once, keys kept in a set.
///
/// # Errors
/// When the store fails.
pub async fn columns(store: &dyn Store, surveys: &Surveys, survey: &str) -> Result<Vec<String>, StoreError> {
    let mut columns = surveys.columns(survey);
    let mut seen: HashSet<String> = columns.iter().cloned().collect();
    for version in store.versions(survey.to_owned()).await? {
        if surveys.version(survey, &version).is_some() {
            continue;
        }
        let mut rows = store.rows(survey.to_owned(), Some(version)).await?;
        while let Some(row) = rows.recv().await {
            let body: Value = serde_json::from_str(&row?.body).unwrap_or(Value::Null);
            for key in answers(&body).into_iter().flat_map(Map::keys) {
                if !seen.contains(key) {
                    seen.insert(key.clone());
                    columns.push(key.clone());
                }
            }
        }
    }
    Ok(columns)
}

/// Appends one CSV line for a stored row.
fn csv_line(out: &mut String, columns: &[String], row: &StoredRow) {
    let body: Value = serde_json::from_str(&row.body).unwrap_or(Value::Null);
    line(out, columns, &body, &row.received_at);
}

/// Appends one element of the JSON export: the stored body with `receivedAt` added.
fn json_element(out: &mut String, first: bool, row: &StoredRow) {
    let mut body: Value = serde_json::from_str(&row.body).unwrap_or(Value::Null);
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

/// Streams `rows` in `shape` as chunks. `permit` is held until the last chunk, so a running
/// export counts against the request limit.
pub fn stream(shape: Shape, mut rows: Rows, permit: Option<OwnedSemaphorePermit>) -> Chunks {
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
            match &shape {
                Shape::Csv(columns) => csv_line(&mut out, columns, &row),
                Shape::Json => json_element(&mut out, first, &row),
                Shape::Wide(columns) => {
                    let body: Value = serde_json::from_str(&row.body).unwrap_or(Value::Null);
                    dictionary::wide_line(&mut out, columns, &body, &row.received_at);
                }
                Shape::Long => {
                    let body: Value = serde_json::from_str(&row.body).unwrap_or(Value::Null);
                    dictionary::long_lines(&mut out, &body, &row.received_at);
                }
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
            body: json!({
                "responseId": "r", "surveyVersion": "1", "locale": "en",
                "startedAt": "s", "completedAt": "c",
                "answers": { "b": "two", "a": ["x", "y"] }
            })
            .to_string(),
        };
        let mut out = String::new();
        csv_line(&mut out, &["a".into(), "missing".into(), "b".into()], &row);
        assert_eq!(out, "r,1,en,s,c,2026-12-01T10:00:00.000Z,,,,\"x; y\",,two\r\n");
    }
}

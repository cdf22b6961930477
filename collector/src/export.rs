//! Exports: CSV for spreadsheets and Power BI, JSON for scripts. Both stream: rows go from the
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

/// The columns every CSV export starts with.
pub const FIXED_COLUMNS: [&str; 6] = [
    "responseId",
    "surveyVersion",
    "locale",
    "startedAt",
    "completedAt",
    "receivedAt",
];

/// Whether text is a plain decimal number, which a spreadsheet should read as one.
fn is_plain_number(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    !whole.is_empty() && whole.bytes().all(|b| b.is_ascii_digit()) && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// Text that a spreadsheet would run as a formula, prefixed with `'` (answers are typed by the
/// public). Excel and LibreOffice skip leading spaces and line breaks, and read full-width
/// signs as their ASCII forms, so those count too; a plain number such as `-5` stays a number.
pub fn defuse(text: &str) -> String {
    let first = text.trim_start().chars().next();
    let triggers = matches!(
        first,
        Some('=' | '+' | '-' | '@' | '\u{FF1D}' | '\u{FF0B}' | '\u{FF0D}' | '\u{FF20}')
    );
    let control_start = text.starts_with(['\t', '\r', '\n']);
    if (triggers || control_start) && !is_plain_number(text) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// One CSV cell: defused, and quoted when it holds a separator, a quote or a line break.
pub fn cell(text: &str) -> String {
    let text = defuse(text);
    if text.contains([',', ';', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// An answer as text, each part defused, since a spreadsheet opened with `;` as its
/// separator splits joined answers apart again.
fn answer_text(value: &Value) -> String {
    match value {
        Value::String(s) => defuse(s),
        Value::Array(items) => items.iter().map(answer_text).collect::<Vec<_>>().join("; "),
        Value::Object(map) => {
            // "Other" radios carry {value, other}; Likert matrices statement → value.
            if let (Some(v), Some(o)) = (map.get("value"), map.get("other")) {
                format!("{}: {}", answer_text(v), answer_text(o))
            } else {
                map.iter()
                    .map(|(k, v)| format!("{}: {}", defuse(k), answer_text(v)))
                    .collect::<Vec<_>>()
                    .join("; ")
            }
        }
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

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
    let mut cells: Vec<String> = Vec::with_capacity(FIXED_COLUMNS.len() + columns.len());
    for key in &FIXED_COLUMNS[..5] {
        cells.push(cell(body.get(*key).and_then(Value::as_str).unwrap_or("")));
    }
    cells.push(cell(&row.received_at));
    let answers = answers(&body);
    for column in columns {
        let value = answers.and_then(|a| a.get(column)).map(answer_text).unwrap_or_default();
        // Parts are defused already; quoting is all that is left.
        cells.push(if value.contains([',', ';', '"', '\n', '\r']) {
            format!("\"{}\"", value.replace('"', "\"\""))
        } else {
            value
        });
    }
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

/// The CSV header line, with a byte-order mark so Excel reads UTF-8.
fn csv_header(columns: &[String]) -> String {
    let mut out = String::from("\u{feff}");
    let names: Vec<String> = FIXED_COLUMNS
        .iter()
        .map(|s| (*s).to_owned())
        .chain(columns.iter().cloned())
        .map(|h| cell(&h))
        .collect();
    out.push_str(&names.join(","));
    out.push_str("\r\n");
    out
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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One row per response, a column per question.
    Csv,
    /// An array of the stored bodies.
    Json,
}

/// Streams `rows` as `format` into chunks. `permit` is held until the last chunk, so a
/// running export counts against the request limit.
pub fn stream(format: Format, columns: Vec<String>, mut rows: Rows, permit: Option<OwnedSemaphorePermit>) -> Chunks {
    let (tx, rx) = mpsc::channel(4);
    tokio::spawn(async move {
        let _permit = permit;
        let mut out = match format {
            Format::Csv => csv_header(&columns),
            Format::Json => String::from("["),
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
            match format {
                Format::Csv => csv_line(&mut out, &columns, &row),
                Format::Json => json_element(&mut out, first, &row),
            }
            first = false;
            if out.len() >= CHUNK && tx.send(Ok(Bytes::from(std::mem::take(&mut out)))).await.is_err() {
                return;
            }
        }
        if format == Format::Json {
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
    fn formulas_are_defused_however_they_hide() {
        for text in [
            "=1+1",
            "+1+1",
            "-1+1",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "\n=1+1",
            " =1+1",
            "\u{FF1D}1+1",
            "\u{FF0B}1",
            "-",
            "+44 7700 900123",
        ] {
            assert!(defuse(text).starts_with('\''), "{text:?}");
        }
        for text in ["-5", "-5.25", "+4", "12", "0.5", "hello", "a=b", "", "5-3"] {
            assert_eq!(defuse(text), text, "{text:?}");
        }
    }

    #[test]
    fn every_part_of_a_joined_answer_is_defused() {
        assert_eq!(
            answer_text(&json!(["board", "=cmd|' /C calc'!A0"])),
            "board; '=cmd|' /C calc'!A0"
        );
        assert_eq!(
            answer_text(&json!({ "value": "other", "other": " =HYPERLINK(\"x\")" })),
            "other: ' =HYPERLINK(\"x\")"
        );
        assert_eq!(
            answer_text(&json!({ "video": "=1", "phone": "likely" })),
            "phone: likely; video: '=1"
        );
        assert_eq!(answer_text(&json!(-5)), "-5");
    }

    #[test]
    fn cells_are_quoted_for_comma_and_semicolon_separators() {
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("a; b"), "\"a; b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
    }

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
        assert_eq!(out, "r,1,en,s,c,2026-12-01T10:00:00.000Z,\"x; y\",,two\r\n");
    }
}

//! The CSV that the reference collector exports and an event device writes when it cannot
//! reach the council: one row per response, the same columns in the same order, so a file
//! from a tablet and a download from the collector line up in one spreadsheet. Also the
//! event export file (protocol bodies plus a manifest), which the collector imports and checks
//! (`collector/src/import.rs`).
use crate::core::survey::definition::Survey;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// The columns every CSV starts with, before one column per question.
pub const FIXED_COLUMNS: [&str; 10] = [
    "responseId",
    "surveyVersion",
    "locale",
    "languagesUsed",
    "startedAt",
    "completedAt",
    "receivedAt",
    "event",
    "device",
    "incomplete",
];

/// The answer columns for a survey: its answerable questions in survey order.
pub fn answer_columns(survey: &Survey, columns: &mut Vec<String>) {
    for (_, q) in survey.questions() {
        if q.kind.is_answerable() && !columns.contains(&q.id.0) {
            columns.push(q.id.0.clone());
        }
    }
}

/// Whether text is a plain decimal number, which a spreadsheet should read as one.
fn is_plain_number(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    !whole.is_empty() && whole.bytes().all(|b| b.is_ascii_digit()) && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// Whether a spreadsheet would run `text` as a formula: its first character after spaces and
/// line breaks is `=`, `+`, `-`, `@` or a full-width form of one, or it starts with a tab or a
/// line break; a plain number such as `-5` is not.
fn is_formula(text: &str) -> bool {
    let first = text.trim_start().chars().next();
    let triggers = matches!(
        first,
        Some('=' | '+' | '-' | '@' | '\u{FF1D}' | '\u{FF0B}' | '\u{FF0D}' | '\u{FF20}')
    );
    let control_start = text.starts_with(['\t', '\r', '\n']);
    (triggers || control_start) && !is_plain_number(text.trim())
}

/// Text that a spreadsheet would run as a formula, prefixed with `'` (answers are typed by the
/// public). Excel and LibreOffice skip leading spaces and line breaks, and read full-width
/// signs as their ASCII forms, so those count too; a plain number such as `-5` stays a number.
/// Each part after a `;`, a carriage return or a line feed is checked the same way (issue
/// #21): a spreadsheet that splits on `;` (the default separator across much of Europe) or
/// reads a line break as a new row would otherwise start a cell with what follows.
pub fn defuse(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    if is_formula(text) {
        out.push('\'');
    }
    let mut rest = text;
    while let Some(at) = rest.find([';', '\r', '\n']) {
        let (part, after) = rest.split_at(at + 1);
        out.push_str(part);
        if is_formula(after.split([';', '\r', '\n']).next().unwrap_or("")) {
            out.push('\'');
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

fn quote(text: String) -> String {
    if text.contains([',', ';', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// One CSV cell: defused, and quoted when it holds a separator, a quote or a line break.
pub fn cell(text: &str) -> String {
    quote(defuse(text))
}

/// An answer as text, each part defused, since a spreadsheet opened with `;` as its
/// separator splits joined answers apart again.
pub fn answer_text(value: &Value) -> String {
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

/// The header line, with a byte-order mark so Excel reads UTF-8.
pub fn header(columns: &[String]) -> String {
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

/// Appends the line for one protocol body, received at `received_at` (empty if not yet).
pub fn line(out: &mut String, columns: &[String], body: &Value, received_at: &str) {
    let mut cells: Vec<String> = Vec::with_capacity(FIXED_COLUMNS.len() + columns.len());
    for key in ["responseId", "surveyVersion", "locale"] {
        cells.push(cell(body.get(key).and_then(Value::as_str).unwrap_or("")));
    }
    // Issue #23: every language used on the way, as a multiple choice is written ("en; cy").
    cells.push(quote(body.get("languagesUsed").map(answer_text).unwrap_or_default()));
    for key in ["startedAt", "completedAt"] {
        cells.push(cell(body.get(key).and_then(Value::as_str).unwrap_or("")));
    }
    cells.push(cell(received_at));
    let context = body.get("context");
    for key in ["event", "device"] {
        cells.push(cell(
            context.and_then(|c| c.get(key)).and_then(Value::as_str).unwrap_or(""),
        ));
    }
    let incomplete = context.and_then(|c| c.get("incomplete")).and_then(Value::as_bool) == Some(true);
    cells.push(if incomplete { "yes".into() } else { String::new() });
    let answers = body.get("answers").and_then(Value::as_object);
    for column in columns {
        // Parts are defused already; quoting is all that is left.
        cells.push(quote(
            answers.and_then(|a| a.get(column)).map(answer_text).unwrap_or_default(),
        ));
    }
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

/// SHA-256 of some bytes, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    crate::core::text::hex(&Sha256::digest(bytes))
}

/// The `format` of an event export file.
pub const EXPORT_FORMAT: &str = "survey-widget-event-export";

/// What an event export says about itself, before its responses.
#[derive(Clone, Debug, PartialEq)]
pub struct Manifest {
    /// The event's name.
    pub event: String,
    /// The event's random id.
    pub event_id: String,
    /// The device's label.
    pub device: String,
    /// When the file was made (RFC 3339).
    pub exported_at: String,
    /// Responses in the file.
    pub responses: usize,
    /// Of which the council had acknowledged before the export.
    pub received: usize,
    /// Of which flagged incomplete.
    pub incomplete: usize,
    /// SHA-256 of the `responses` array exactly as written.
    pub sha256: String,
}

/// Writes the export file: `{"format", "formatVersion", "manifest", "responses"}`. The array
/// of bodies is written once and hashed as written, so a reader can check the exact bytes
/// (the collector's `import` does) without re-serialising anything.
pub fn export_file(mut manifest: Manifest, bodies: &[Value]) -> (String, Manifest) {
    let responses = Value::Array(bodies.to_vec()).to_string();
    manifest.responses = bodies.len();
    manifest.incomplete = bodies
        .iter()
        .filter(|b| b.pointer("/context/incomplete").and_then(Value::as_bool) == Some(true))
        .count();
    manifest.sha256 = sha256_hex(responses.as_bytes());
    let mut m = Map::new();
    m.insert("event".into(), manifest.event.as_str().into());
    m.insert("eventId".into(), manifest.event_id.as_str().into());
    m.insert("device".into(), manifest.device.as_str().into());
    m.insert("exportedAt".into(), manifest.exported_at.as_str().into());
    m.insert("responses".into(), manifest.responses.into());
    m.insert("received".into(), manifest.received.into());
    m.insert("incomplete".into(), manifest.incomplete.into());
    m.insert("sha256".into(), manifest.sha256.as_str().into());
    let head = format!(
        "{{\"format\":\"{EXPORT_FORMAT}\",\"formatVersion\":1,\"manifest\":{},\"responses\":",
        Value::Object(m)
    );
    (format!("{head}{responses}}}\n"), manifest)
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
        for text in [
            "-5", "-5.25", "+4", "12", "0.5", "hello", "a=b", "", "5-3", "a; -5", "x;\ny",
        ] {
            assert_eq!(defuse(text), text, "{text:?}");
        }
    }

    /// Issue #21: Excel set to split on `;` made `see;=1+1;x` a live cell.
    #[test]
    fn every_part_after_a_semicolon_or_line_break_is_defused() {
        assert_eq!(defuse("see;=1+1;x"), "see;'=1+1;x");
        assert_eq!(defuse("see; =1+1"), "see;' =1+1");
        assert_eq!(defuse("x\n=2+2"), "x\n'=2+2");
        assert_eq!(defuse("x\r\n@SUM(A1)"), "x\r\n'@SUM(A1)");
        assert_eq!(defuse("=1;=2"), "'=1;'=2");
        assert_eq!(defuse("\n=1+1"), "'\n'=1+1");
        assert_eq!(defuse("a;\u{FF1D}1"), "a;'\u{FF1D}1");
        assert_eq!(
            answer_text(&json!({ "value": "other", "other": "see;=1+1" })),
            "other: see;'=1+1"
        );
        assert_eq!(answer_text(&json!(["a;=1", "b"])), "a;'=1; b");
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
        let body = json!({
            "responseId": "r", "surveyVersion": "1", "locale": "cy", "languagesUsed": ["en", "cy"],
            "startedAt": "s", "completedAt": "c",
            "context": { "mode": "event", "event": "Café, Penrith", "device": "device-K7QM", "incomplete": true },
            "answers": { "b": "two", "a": ["x", "y"] }
        });
        let mut out = String::new();
        line(
            &mut out,
            &["a".into(), "missing".into(), "b".into()],
            &body,
            "2026-12-01T10:00:00.000Z",
        );
        assert_eq!(
            out,
            "r,1,cy,\"en; cy\",s,c,2026-12-01T10:00:00.000Z,\"Café, Penrith\",device-K7QM,yes,\"x; y\",,two\r\n"
        );
        let mut out = String::new();
        line(&mut out, &[], &json!({ "responseId": "r" }), "");
        assert_eq!(out, "r,,,,,,,,,\r\n", "no context: empty event columns");
        assert!(header(&[]).ends_with("receivedAt,event,device,incomplete\r\n"));
    }

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
    fn an_export_counts_and_hashes_what_it_holds() {
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
        assert!(text.ends_with(&format!(",\"responses\":{}}}\n", Value::Array(bodies))));
    }

    #[test]
    fn the_empty_sha256_is_the_known_one() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}

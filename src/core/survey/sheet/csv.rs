//! CSV in pyxform's layout: one file for the whole workbook, each sheet starting on a line
//! whose first cell is the sheet's name (its header in the same line's other cells), its rows
//! below with the first cell blank. A CSV whose first cell names no sheet is read as the
//! `survey` sheet alone, header first, as a spreadsheet program saves one sheet.
//!
//! Cells follow RFC 4180: quoted with `"` when they hold a comma, a quote or a line break, a
//! quote doubled inside. A byte order mark is skipped; lines may end in CRLF or LF.
use super::{Row, Sheet, Workbook};

/// A CSV file that cannot be read.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CsvError {
    /// A quoted cell is never closed.
    #[error("a quoted cell starting on line {0} is never closed")]
    Unclosed(usize),
    /// Text follows a closing quote in the same cell.
    #[error("line {0}: text after a closing quote (a quote inside a cell is written twice)")]
    AfterQuote(usize),
}

/// The sheets pyxform's layout may name.
const SHEETS: [&str; 3] = ["survey", "choices", "settings"];

/// Reads a CSV file into a workbook.
pub fn parse(text: &str) -> Result<Workbook, CsvError> {
    let records = records(text.strip_prefix('\u{feff}').unwrap_or(text))?;
    let first = records.iter().find(|r| !r.is_blank());
    let pyxform = first
        .and_then(|r| r.cells.first())
        .is_some_and(|c| SHEETS.iter().any(|s| c.trim().eq_ignore_ascii_case(s)));
    if !pyxform {
        let rows = records.into_iter().filter(|r| !r.is_blank()).collect();
        return Ok(Workbook {
            sheets: vec![Sheet {
                name: "survey".into(),
                rows,
            }],
        });
    }
    let mut sheets: Vec<Sheet> = Vec::new();
    for mut record in records {
        if record.is_blank() {
            continue;
        }
        let first = if record.cells.is_empty() {
            String::new()
        } else {
            record.cells.remove(0)
        };
        if !first.trim().is_empty() {
            sheets.push(Sheet {
                name: first.trim().to_owned(),
                rows: Vec::new(),
            });
        }
        if let Some(sheet) = sheets.last_mut() {
            sheet.rows.push(record);
        }
    }
    Ok(Workbook { sheets })
}

/// The records of a CSV text, each numbered by the line it starts on.
fn records(text: &str) -> Result<Vec<Row>, CsvError> {
    let mut rows = Vec::new();
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut line = 1;
    let mut start = 1;
    let mut chars = text.chars().peekable();
    let mut quoted_cell = false;
    while let Some(c) = chars.next() {
        match c {
            '"' if cell.is_empty() && !quoted_cell => {
                quoted_cell = true;
                let opened = line;
                loop {
                    match chars.next() {
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            cell.push('"');
                        }
                        Some('"') => break,
                        Some(c) => {
                            if c == '\n' {
                                line += 1;
                            }
                            cell.push(c);
                        }
                        None => return Err(CsvError::Unclosed(opened)),
                    }
                }
            }
            ',' => {
                cells.push(std::mem::take(&mut cell));
                quoted_cell = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                cells.push(std::mem::take(&mut cell));
                quoted_cell = false;
                rows.push(Row {
                    number: start,
                    cells: std::mem::take(&mut cells),
                });
                line += 1;
                start = line;
            }
            _ if quoted_cell => return Err(CsvError::AfterQuote(line)),
            c => cell.push(c),
        }
    }
    if !cell.is_empty() || !cells.is_empty() || quoted_cell {
        cells.push(cell);
        rows.push(Row { number: start, cells });
    }
    Ok(rows)
}

/// Writes a workbook in pyxform's CSV layout, lines ending in CRLF as RFC 4180 asks.
pub fn write(book: &Workbook) -> String {
    let mut out = String::new();
    for sheet in &book.sheets {
        for (i, row) in sheet.rows.iter().enumerate() {
            let name = if i == 0 { sheet.name.as_str() } else { "" };
            let line: Vec<String> = std::iter::once(name)
                .chain(row.cells.iter().map(String::as_str))
                .map(quote)
                .collect();
            out.push_str(&line.join(","));
            out.push_str("\r\n");
        }
    }
    out
}

fn quote(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) || cell.starts_with(' ') || cell.ends_with(' ') {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_owned()
    }
}

//! Spreadsheet files for `survey import` and `survey export` (issue #25): `.xlsx`, `.xls`
//! and `.ods` read with `calamine`, `.xlsx` written with `rust_xlsxwriter`, CSV read and
//! written by the widget's core. The survey itself is read and written by
//! `core::survey::sheet`, which sees only text in cells.
use calamine::{Data, Reader};
use std::io::Cursor;
use std::path::Path;
use survey_widget::core::survey::sheet::{csv, Row, Sheet, Workbook};

/// A spreadsheet file that could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    /// The file could not be read from or written to disk.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// Not a spreadsheet this reads, or a damaged one.
    #[error("not a spreadsheet that can be read (.xlsx, .xls, .ods or .csv): {0}")]
    Unreadable(String),
    /// A CSV file that breaks its rules.
    #[error("{0}")]
    Csv(#[from] csv::CsvError),
    /// A CSV file that is not UTF-8.
    #[error("the CSV file is not UTF-8 text: save it as \"CSV UTF-8\"")]
    NotUtf8,
    /// A format this cannot write.
    #[error("spreadsheets are written as .xlsx or .csv")]
    CannotWrite,
    /// The `.xlsx` writer failed.
    #[error("{0}")]
    Xlsx(String),
}

/// Reads a spreadsheet file, its kind from its name's ending (CSV), else from its content.
pub fn read(path: &Path) -> Result<Workbook, SheetError> {
    let bytes = std::fs::read(path)?;
    let csv = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if csv {
        let text = String::from_utf8(bytes).map_err(|_| SheetError::NotUtf8)?;
        return Ok(csv::parse(&text)?);
    }
    read_bytes(bytes)
}

/// Reads an `.xlsx`, `.xls` or `.ods` file's bytes.
pub fn read_bytes(bytes: Vec<u8>) -> Result<Workbook, SheetError> {
    let mut book =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| SheetError::Unreadable(e.to_string()))?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| SheetError::Unreadable(e.to_string()))?;
        let (top, left) = range.start().unwrap_or((0, 0));
        let rows = range
            .rows()
            .enumerate()
            .map(|(i, cells)| Row {
                number: top as usize + i + 1,
                // Cells before the range's first column are empty, not missing.
                cells: std::iter::repeat_n(String::new(), left as usize)
                    .chain(cells.iter().map(text))
                    .collect(),
            })
            .collect();
        sheets.push(Sheet { name, rows });
    }
    Ok(Workbook { sheets })
}

/// A cell as the person sees it: whole numbers without a decimal point, dates as `YYYY-MM-DD`.
fn text(cell: &Data) -> String {
    match cell {
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::DateTime(d) if !d.is_duration() => date(d.as_f64()),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// An Excel date serial (days since 1899-12-30) as `YYYY-MM-DD`.
fn date(serial: f64) -> String {
    // Howard Hinnant's days-to-civil, from 1970-01-01 (serial 25569).
    let z = serial.floor() as i64 - 25_569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Writes a workbook to `path`: `.xlsx` (header rows bold and frozen, so a translator keeps
/// the column names in view) or `.csv`.
pub fn write(book: &Workbook, path: &Path) -> Result<(), SheetError> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let bytes = match ext.as_deref() {
        Some("csv") => csv::write(book).into_bytes(),
        Some("xlsx") => xlsx(book)?,
        _ => return Err(SheetError::CannotWrite),
    };
    std::fs::write(path, bytes)?;
    Ok(())
}

/// A workbook as `.xlsx` bytes.
pub fn xlsx(book: &Workbook) -> Result<Vec<u8>, SheetError> {
    let err = |e: rust_xlsxwriter::XlsxError| SheetError::Xlsx(e.to_string());
    let mut out = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let wrap = rust_xlsxwriter::Format::new().set_text_wrap();
    for sheet in &book.sheets {
        let ws = out.add_worksheet();
        ws.set_name(&sheet.name).map_err(err)?;
        for (r, row) in sheet.rows.iter().enumerate() {
            for (c, cell) in row.cells.iter().enumerate() {
                if cell.is_empty() {
                    continue;
                }
                let (r, c) = (r as u32, c as u16);
                // Text, always: "1" stays a choice's name, not a number.
                if r == 0 {
                    ws.write_string_with_format(r, c, cell, &bold).map_err(err)?;
                } else if cell.contains('\n') {
                    ws.write_string_with_format(r, c, cell, &wrap).map_err(err)?;
                } else {
                    ws.write_string(r, c, cell).map_err(err)?;
                }
            }
        }
        ws.set_freeze_panes(1, 0).map_err(err)?;
        for (c, header) in sheet
            .rows
            .first()
            .map(|r| r.cells.as_slice())
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let wide = header.starts_with("label") || header.starts_with("hint") || header.starts_with("form_title");
            ws.set_column_width(c as u16, if wide { 40 } else { 16 }).map_err(err)?;
        }
    }
    out.save_to_buffer().map_err(err)
}

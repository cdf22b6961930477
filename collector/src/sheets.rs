//! Spreadsheet files for `survey import` and `survey export` (issue #25): `.xlsx`, `.xls`
//! and `.ods` read by the widget's core (`calamine`), `.xlsx` written with `rust_xlsxwriter`, CSV read and
//! written by the widget's core. The survey itself is read and written by
//! `core::survey::sheet`, which sees only text in cells.
use std::path::Path;
use survey_widget::core::survey::sheet::{csv, files, Workbook};

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

/// Reads an `.xlsx`, `.xls` or `.ods` file's bytes (the widget's core reads them, so the
/// survey editor in a browser reads them alike).
///
/// # Errors
/// [`SheetError::Unreadable`] for a file that is not one of those or is damaged.
pub fn read_bytes(bytes: Vec<u8>) -> Result<Workbook, SheetError> {
    files::read(bytes).map_err(SheetError::Unreadable)
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

//! Spreadsheet files read into a [`Workbook`] (the `spreadsheets` feature): `.xlsx`, `.xls`
//! and `.ods` with `calamine`, so the collector's `survey import` and the survey editor in
//! the browser read them alike. Cells become the text a person sees in them.
use super::{Row, Sheet, Workbook};
use calamine::{Data, Reader};
use std::io::Cursor;

/// Reads an `.xlsx`, `.xls` or `.ods` file's bytes.
///
/// # Errors
/// The reader's message, for a file that is not one of those or is damaged.
pub fn read(bytes: Vec<u8>) -> Result<Workbook, String> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(|e| e.to_string())?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_dates_read_as_iso_days() {
        assert_eq!(date(45_000.0), "2023-03-15");
        assert_eq!(date(25_569.0), "1970-01-01");
        assert_eq!(date(46_364.5), "2026-12-08");
    }

    #[test]
    fn a_file_that_is_not_a_spreadsheet_is_refused_with_the_readers_reason() {
        assert!(read(b"hello".to_vec()).is_err());
    }
}

//! Surveys as spreadsheets (issue #25): an XLSForm subset read into a survey definition and
//! written back, so a survey can be drafted in the tool people already have and handed to
//! translators as a table.
//!
//! A workbook here is only text in cells: [`files`] reads `.xlsx`, `.xls` and `.ods` with
//! `calamine` (the `spreadsheets` feature: the collector and the editor), and CSV is read and written by
//! [`csv`] in the pyxform layout (the sheet's name in the first column). Reading never drops
//! anything silently: every row or cell it cannot take is listed with its sheet and row.
//!
//! What is XLSForm and what is this project's own is documented in `docs/spreadsheets.md`;
//! in short, ODK's `survey`, `choices` and `settings` sheets, with `text` questions taking
//! the appearances `multiline`, `email` and `phone`, `range` for a rating, `acknowledge` for a
//! consent, and a `likert SCALE STATEMENTS` type, plus columns for what XLSForm has no place
//! for (`error_name`, `suffix`, `min_label`, `message_between`, `extra` …).
pub mod csv;
mod export;
pub mod expr;
#[cfg(feature = "spreadsheets")]
pub mod files;
mod import;

pub use export::to_workbook;
pub use import::from_workbook;

use std::fmt;

/// A question's texts that have a column of their own (beside `label`, `hint` and the
/// messages), as (JSON key, column): one list for reading and writing.
pub(crate) const QUESTION_TEXTS: [(&str, &str); 4] = [
    ("errorName", "error_name"),
    ("suffix", "suffix"),
    ("minLabel", "min_label"),
    ("maxLabel", "max_label"),
];

/// One sheet: its name and its rows of cells, as text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sheet {
    /// The sheet's name (`survey`, `choices`, `settings`).
    pub name: String,
    /// Its rows, in order.
    pub rows: Vec<Row>,
}

/// One row of a sheet.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Row {
    /// The row's number as the person sees it in their spreadsheet (or the line in a CSV file).
    pub number: usize,
    /// The cells' text, from the first column.
    pub cells: Vec<String>,
}

impl Row {
    /// Whether every cell is blank.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

/// A workbook: its sheets in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Workbook {
    /// The sheets.
    pub sheets: Vec<Sheet>,
}

impl Workbook {
    /// The sheet called `name`, ignoring case and spaces around it.
    pub fn sheet(&self, name: &str) -> Option<&Sheet> {
        self.sheets.iter().find(|s| s.name.trim().eq_ignore_ascii_case(name))
    }
}

/// A spreadsheet read into a survey, with what could not be taken.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    /// The survey's definition, to check with `load_survey_value` and review.
    pub survey: serde_json::Value,
    /// Everything left out, in sheet and row order.
    pub left_out: Vec<LeftOut>,
}

/// A row or cell the import did not take, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct LeftOut {
    /// The sheet's name.
    pub sheet: String,
    /// The row's number as the spreadsheet shows it.
    pub row: usize,
    /// Why.
    pub reason: Reason,
}

/// Why a row or a cell was left out. Each has a catalogue key for the editor and English
/// words for the command line.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Reason {
    /// A question type the widget does not have (`geopoint`, `image`, `calculate` …).
    UnsupportedType(String),
    /// A metadata field (`start`, `deviceid` …): the widget records nothing about the device.
    Metadata(String),
    /// A row with a type but no `name`.
    NoName,
    /// A row with a name but no `type`.
    NoType,
    /// A `select_one` or `select_multiple` whose list is not on the `choices` sheet.
    NoList(String),
    /// A column the import does not use, with its text.
    UnusedColumn(String),
    /// A `relevant` it could not read: the question or page is kept and shown to everyone.
    Relevant(String),
    /// A `constraint` it could not read: the question is kept without that check.
    Constraint(String),
    /// An `appearance` it does not use.
    Appearance(String),
    /// A `required` that is not yes or no (an expression): the question is kept optional.
    Required(String),
    /// A `range` whose parameters are not whole `start` and `end` with step 1.
    Parameters(String),
    /// A group inside a group: its questions join the outer page.
    NestedGroup,
    /// An `end group` with no group open.
    UnmatchedEnd,
    /// A repeat and everything in it: the widget asks each question once.
    Repeat,
    /// A choice row without a list name or a name, or repeating one already in its list.
    BadChoice,
    /// An `extra` cell that is not a JSON object.
    Extra(String),
    /// A column's language with no code (`label::Polish` rather than `label::Polski (pl)`).
    Language(String),
}

impl Reason {
    /// The catalogue key of its message.
    pub fn key(&self) -> &'static str {
        match self {
            Self::UnsupportedType(_) => "sheet.type",
            Self::Metadata(_) => "sheet.metadata",
            Self::NoName => "sheet.no-name",
            Self::NoType => "sheet.no-type",
            Self::NoList(_) => "sheet.no-list",
            Self::UnusedColumn(_) => "sheet.column",
            Self::Relevant(_) => "sheet.relevant",
            Self::Constraint(_) => "sheet.constraint",
            Self::Appearance(_) => "sheet.appearance",
            Self::Required(_) => "sheet.required",
            Self::Parameters(_) => "sheet.parameters",
            Self::NestedGroup => "sheet.nested-group",
            Self::UnmatchedEnd => "sheet.unmatched-end",
            Self::Repeat => "sheet.repeat",
            Self::BadChoice => "sheet.bad-choice",
            Self::Extra(_) => "sheet.extra",
            Self::Language(_) => "sheet.language",
        }
    }

    /// The text its message names (`{what}`), if any.
    pub fn what(&self) -> Option<&str> {
        match self {
            Self::UnsupportedType(s)
            | Self::Metadata(s)
            | Self::NoList(s)
            | Self::UnusedColumn(s)
            | Self::Relevant(s)
            | Self::Constraint(s)
            | Self::Appearance(s)
            | Self::Required(s)
            | Self::Parameters(s)
            | Self::Extra(s)
            | Self::Language(s) => Some(s),
            _ => None,
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnsupportedType(t) => write!(f, "the question type `{t}` is not one the widget has"),
            Self::Metadata(t) => write!(f, "`{t}` is device metadata, which the widget never records"),
            Self::NoName => f.write_str("the row has a type but no name"),
            Self::NoType => f.write_str("the row has a name but no type"),
            Self::NoList(l) => write!(f, "the list `{l}` is not on the choices sheet"),
            Self::UnusedColumn(c) => write!(f, "the column `{c}` is not used"),
            Self::Relevant(e) => write!(f, "the relevant `{e}` could not be read, so this is shown to everyone"),
            Self::Constraint(e) => write!(f, "the constraint `{e}` could not be read, so it is not checked"),
            Self::Appearance(a) => write!(f, "the appearance `{a}` is not used"),
            Self::Required(r) => write!(f, "required `{r}` is not yes or no, so the question is optional"),
            Self::Parameters(p) => write!(f, "the parameters `{p}` need a whole start and end, step 1"),
            Self::NestedGroup => f.write_str("a group inside a group: its questions join the outer page"),
            Self::UnmatchedEnd => f.write_str("`end group` with no group open"),
            Self::Repeat => f.write_str("repeats are not supported: each question is asked once"),
            Self::BadChoice => f.write_str("the choice needs a list name and a name not used before in its list"),
            Self::Extra(e) => write!(f, "`extra` must be a JSON object: {e}"),
            Self::Language(l) => write!(f, "the language `{l}` needs its code in brackets, as in `Polski (pl)`"),
        }
    }
}

/// Why a spreadsheet could not be taken at all.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// There is no sheet called `survey`.
    #[error("there is no sheet called `survey`")]
    NoSurveySheet,
    /// The `survey` sheet has no `type` and `name` columns.
    #[error("the `survey` sheet needs `type` and `name` columns in its first row")]
    NoHeader,
    /// Not one question could be taken.
    #[error("no question on the `survey` sheet could be taken")]
    NoQuestions,
}

/// A column header: its name and, for a text in several languages, the language.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Header {
    /// The name, lower case, spaces as `_` (`list name` is `list_name`).
    pub base: String,
    /// `Cymraeg (cy)` in `label::Cymraeg (cy)`.
    pub language: Option<String>,
}

impl Header {
    pub(crate) fn parse(text: &str) -> Self {
        let text = text.trim();
        // `media::image` names a column, not a language.
        if text.to_ascii_lowercase().starts_with("media::") {
            return Header {
                base: text.to_ascii_lowercase(),
                language: None,
            };
        }
        let (base, language) = match text.split_once("::") {
            Some((b, l)) => (b, Some(l.trim().to_owned())),
            None => (text, None),
        };
        Header {
            base: base.trim().to_ascii_lowercase().replace(' ', "_"),
            language,
        }
    }
}

/// A language as a column names it: `Cymraeg (cy)` gives ("cy", "Cymraeg"). A bare code
/// (`cy`) or a name this project knows (`English`, `Welsh`) is also read.
pub(crate) fn language_of(label: &str) -> Option<(String, String)> {
    let label = label.trim();
    if let Some(open) = label.rfind('(') {
        let code = label[open + 1..].strip_suffix(')')?.trim();
        let name = label[..open].trim();
        return is_code(code).then(|| (code.to_owned(), if name.is_empty() { code } else { name }.to_owned()));
    }
    let known = [
        ("english", "en", "English"),
        ("welsh", "cy", "Cymraeg"),
        ("cymraeg", "cy", "Cymraeg"),
        ("urdu", "ur", "اردو"),
        ("اردو", "ur", "اردو"),
    ];
    if let Some((_, code, name)) = known.iter().find(|(n, _, _)| label.eq_ignore_ascii_case(n)) {
        return Some(((*code).to_owned(), (*name).to_owned()));
    }
    is_code(label).then(|| (label.to_owned(), label.to_owned()))
}

/// A BCP 47 tag of the simple kind surveys use: `cy`, `pa-Guru`, `en-GB`.
fn is_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let first = parts.next().unwrap_or_default();
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// How a language is written in column headers: `Cymraeg (cy)`.
pub(crate) fn language_label(code: &str, name: &str) -> String {
    format!("{name} ({code})")
}

/// Whether a cell says yes (`yes`, `true`, `true()`, `1`), no (blank, `no`, `false`,
/// `false()`, `0`), or something else.
pub(crate) fn yes_no(cell: &str) -> Option<bool> {
    match cell.trim().to_ascii_lowercase().as_str() {
        "yes" | "true" | "true()" | "1" | "y" => Some(true),
        "" | "no" | "false" | "false()" | "0" | "n" => Some(false),
        _ => None,
    }
}

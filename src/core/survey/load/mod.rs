//! Loading a survey definition from JSON: every rule is checked and every fault is reported
//! with its JSON path, so an author can fix them all in one go.
use crate::core::survey::definition::Survey;
use serde_json::Value;
use std::fmt;

mod conditions;
mod kinds;
mod reader;
mod structure;
mod values;

use reader::Cx;
use structure::survey;
pub use values::{is_allowed_endpoint, is_lang_tag, is_safe_link};

/// Longest pattern source accepted; patterns are for formats such as postcodes, not programs.
pub(super) const MAX_PATTERN_LEN: usize = 200;
/// Default and ceiling for short text answers.
pub(super) const SHORT_TEXT_MAX: u32 = 500;
/// Default and ceiling for long text answers.
pub(super) const LONG_TEXT_MAX: u32 = 10_000;
/// Most points a rating scale may have (0–10 is eleven).
pub(super) const RATING_MAX_POINTS: i64 = 11;

/// Rule names a question's `messages` may override.
pub const MESSAGE_RULES: &[&str] = &[
    "required",
    "minLength",
    "maxLength",
    "pattern",
    "number",
    "integer",
    "min",
    "max",
    "between",
    "email",
    "phone",
    "date",
    "past",
    "minSelected",
    "maxSelected",
    "other",
];

/// What is wrong at one place in a definition.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DefinitionErrorKind {
    /// The file is not JSON at all.
    #[error("not valid JSON: {0}")]
    Syntax(String),
    /// A required field is absent.
    #[error("missing required field `{0}`")]
    Missing(&'static str),
    /// A field this format does not have, often a typo.
    #[error("unknown field `{0}`")]
    UnknownField(String),
    /// A value of the wrong JSON type or shape.
    #[error("expected {0}")]
    WrongType(&'static str),
    /// The file declares a format version this build does not read.
    #[error("unsupported format version {0}, this build reads version 1")]
    UnsupportedVersion(String),
    /// An id used twice where it must be unique.
    #[error("duplicate id `{0}`")]
    DuplicateId(String),
    /// An id with characters other than letters, digits, `-` and `_`.
    #[error("invalid id `{0}`: use letters, digits, `-` and `_`, starting with a letter")]
    InvalidId(String),
    /// A question type this format does not have.
    #[error("unknown question type `{0}`")]
    UnknownType(String),
    /// A condition names a question that does not exist.
    #[error("condition refers to unknown question `{0}`")]
    UnknownReference(String),
    /// A condition names a question that is not asked before it.
    #[error("condition refers to `{0}`, which is not asked before this point")]
    ForwardReference(String),
    /// A condition names an information block, which has no answer.
    #[error("condition refers to `{0}`, which has no answer")]
    NotAnswerable(String),
    /// A numeric comparison on a question that has no numeric answer.
    #[error("numeric comparison on `{0}`, which is not a number or rating question")]
    NotNumeric(String),
    /// A choice list with nothing in it.
    #[error("list must not be empty")]
    Empty,
    /// A pattern that does not compile or is too large.
    #[error("invalid pattern: {0}")]
    BadPattern(String),
    /// A link that is not `https:`, `mailto:` or `tel:`.
    #[error("link `{0}` is not allowed: use https:, mailto: or tel:")]
    UnsafeLink(String),
    /// An endpoint that is not https (or http on localhost).
    #[error("endpoint `{0}` must use https (http is allowed only for localhost)")]
    InsecureEndpoint(String),
    /// A value out of its allowed range.
    #[error("{0}")]
    OutOfRange(String),
    /// A text keyed by a language the survey does not declare in `languages`.
    #[error("`{0}` is not one of the survey's languages")]
    UnknownLanguage(String),
    /// A text without its version in one of the survey's languages, in a survey not marked
    /// `draft`.
    #[error("no text in `{0}`: every text needs each of the survey's languages (mark the survey `draft` to preview it unfinished)")]
    MissingTranslation(String),
    /// A language the widget has no words of its own in yet.
    #[error("the widget has no catalogue for `{0}` yet; it has {1}")]
    NoCatalogue(String, &'static str),
}

/// One fault in a definition and where it is.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{path}: {kind}")]
pub struct DefinitionError {
    /// JSON path of the fault, e.g. `$.pages[2].questions[0].choices`.
    pub path: String,
    /// What is wrong.
    pub kind: DefinitionErrorKind,
}

/// Every fault found in a definition.
#[derive(Clone, Debug, PartialEq)]
pub struct DefinitionErrors(pub Vec<DefinitionError>);

impl fmt::Display for DefinitionErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "survey definition has {} problem(s)", self.0.len())?;
        for e in &self.0 {
            write!(f, "\n  {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for DefinitionErrors {}

/// Loads and checks a survey definition, in its default language.
///
/// # Errors
/// Every fault found, each with its JSON path; never panics, whatever the input.
pub fn load_survey(json: &str) -> Result<Survey, DefinitionErrors> {
    load_survey_value(&parse(json)?)
}

/// Parses a definition's JSON, the one fault reported as at `$`.
///
/// # Errors
/// When the text is not JSON.
pub fn parse(json: &str) -> Result<Value, DefinitionErrors> {
    crate::core::text::json::parse(json).map_err(|e| {
        DefinitionErrors(vec![DefinitionError {
            path: "$".into(),
            kind: DefinitionErrorKind::Syntax(e),
        }])
    })
}

/// Loads and checks a survey definition that is already parsed JSON, in its default language.
///
/// # Errors
/// Every fault found, each with its JSON path.
pub fn load_survey_value(value: &Value) -> Result<Survey, DefinitionErrors> {
    load_survey_in(value, &[])
}

/// Loads and checks a survey definition that is already parsed JSON, its texts in the first
/// of `preferred` that the survey is written in (see [`choose_language`]), else its default.
///
/// # Errors
/// Every fault found, each with its JSON path.
pub fn load_survey_in(value: &Value, preferred: &[&str]) -> Result<Survey, DefinitionErrors> {
    let mut cx = Cx::default();
    let survey = survey(value, preferred, &mut cx);
    cx.resolve_references();
    match survey {
        Some(s) if cx.errors.is_empty() => Ok(s),
        _ => Err(DefinitionErrors(cx.errors)),
    }
}

/// One text of a survey in each of its languages, for a translation checker.
#[derive(Clone, Debug, PartialEq)]
pub struct TextVersions {
    /// Where the text is, such as `$.pages[0].questions[1].hint`.
    pub path: String,
    /// Each of the survey's languages (the default first) with its text, `None` where it has
    /// none yet.
    pub texts: Vec<(String, Option<String>)>,
}

/// Every text of a survey definition with its version in each of the survey's languages, in
/// the order the file has them, for checking a translation side by side (preview.html). A
/// definition with faults gives the texts that could be read.
pub fn side_by_side(value: &Value) -> Vec<TextVersions> {
    let mut cx = Cx {
        keep: Some(reader::keep),
        ..Cx::default()
    };
    let _ = survey(value, &[], &mut cx);
    cx.texts
}

/// Which of a survey's languages (codes, the default first) to show for a list of wishes in
/// order of preference: the first wish the survey has, matched exactly or by its primary
/// language (`cy-GB` finds `cy`; `en` finds `en-GB`), else the default (index 0).
pub fn choose_language(languages: &[&str], preferred: &[&str]) -> usize {
    let primary = |tag: &str| tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
    for wish in preferred {
        if let Some(i) = languages.iter().position(|l| l.eq_ignore_ascii_case(wish)) {
            return i;
        }
        if let Some(i) = languages.iter().position(|l| primary(l) == primary(wish)) {
            return i;
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::survey::definition::Link;

    #[test]
    fn links_are_restricted() {
        assert!(is_safe_link("https://example.gov.uk/privacy"));
        assert!(is_safe_link("mailto:carers@example.gov.uk"));
        assert!(is_safe_link("tel:01632960001"));
        assert!(!is_safe_link("javascript:alert(1)"));
        assert!(!is_safe_link("JaVaScRiPt:alert(1)"));
        assert!(!is_safe_link("http://example.com"));
        assert!(!is_safe_link("data:text/html,hi"));
        assert!(!is_safe_link("https://"));
        assert!(!is_safe_link("https://a b"));
        assert!(!is_safe_link("/relative"));
    }

    #[test]
    fn only_web_links_open_a_new_tab() {
        let link = |href: &str| Link {
            text: "t".into(),
            href: href.into(),
            lang: None,
        };
        assert!(link("https://example.gov.uk").new_tab());
        assert!(link("HTTPS://example.gov.uk").new_tab(), "loading accepts any case");
        assert!(!link("tel:01632960001").new_tab());
        assert!(!link("mailto:a@example.gov.uk").new_tab());
    }

    #[test]
    fn language_tags_are_plain() {
        for ok in ["cy", "en-GB", "pa-Guru", "zh-Hant-HK", "ur"] {
            assert!(is_lang_tag(ok), "{ok}");
        }
        for bad in [
            "",
            "e",
            "english language",
            "en_GB",
            "en-",
            "x\"><b>",
            "abcdefghi",
            "en-abcdefghi",
        ] {
            assert!(!is_lang_tag(bad), "{bad}");
        }
    }

    #[test]
    fn endpoints_are_https_or_loopback() {
        assert!(is_allowed_endpoint("https://collector.example.gov.uk/responses"));
        assert!(is_allowed_endpoint("http://127.0.0.1:8787/responses"));
        assert!(is_allowed_endpoint("http://localhost/responses"));
        assert!(is_allowed_endpoint("http://[::1]:80/r"));
        assert!(!is_allowed_endpoint("http://example.com/r"));
        assert!(!is_allowed_endpoint("http://localhost.evil.com/r"));
        assert!(is_allowed_endpoint("http://collect.council.localhost:8787/r"));
        assert!(!is_allowed_endpoint("http://collect.council.localhost.evil.com/r"));
        assert!(!is_allowed_endpoint("ftp://localhost/r"));
    }

    #[test]
    fn the_outcomes_feed_follows_the_endpoint_rule() {
        let survey = |outcomes: &str| {
            format!(
                r#"{{"formatVersion": 1, "id": "s", "version": "1", "title": "S", "outcomes": "{outcomes}",
                    "pages": [{{"id": "p", "questions": [{{"id": "q", "type": "yesNo", "title": "Q"}}]}}]}}"#
            )
        };
        let ok = load_survey(&survey("https://collector.example.gov.uk/surveys/s/outcomes.json"));
        assert_eq!(
            ok.map(|s| s.outcomes).ok().flatten().as_deref(),
            Some("https://collector.example.gov.uk/surveys/s/outcomes.json")
        );
        let Err(errors) = load_survey(&survey("http://example.com/feed.json")) else {
            panic!("an http feed off this machine is refused");
        };
        assert!(errors.to_string().contains("$.outcomes"), "{errors}");
    }
}

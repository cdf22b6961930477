//! Loading a survey definition from JSON: every rule is checked and every fault is reported
//! with its JSON path, so an author can fix them all in one go.
use super::condition::{Comparison, Condition};
use super::date::Date;
use super::definition::{Choice, Link, Page, Pattern, Question, QuestionKind, Statement, Survey, FORMAT_VERSION};
use super::ids::{is_valid_id, PageId, QuestionId, SurveyId};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// Longest pattern source accepted; patterns are for formats such as postcodes, not programs.
const MAX_PATTERN_LEN: usize = 200;
/// Default and ceiling for short text answers.
const SHORT_TEXT_MAX: u32 = 500;
/// Default and ceiling for long text answers.
const LONG_TEXT_MAX: u32 = 10_000;
/// Most points a rating scale may have (0–10 is eleven).
const RATING_MAX_POINTS: i64 = 11;

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

/// Loads and checks a survey definition.
///
/// # Errors
/// Every fault found, each with its JSON path; never panics, whatever the input.
pub fn load_survey(json: &str) -> Result<Survey, DefinitionErrors> {
    let value: Value = serde_json::from_str(json).map_err(|e| {
        DefinitionErrors(vec![DefinitionError {
            path: "$".into(),
            kind: DefinitionErrorKind::Syntax(e.to_string()),
        }])
    })?;
    load_survey_value(&value)
}

/// Loads and checks a survey definition that is already parsed JSON.
///
/// # Errors
/// Every fault found, each with its JSON path.
pub fn load_survey_value(value: &Value) -> Result<Survey, DefinitionErrors> {
    let mut cx = Cx::default();
    let survey = survey(value, &mut cx);
    cx.resolve_references();
    match survey {
        Some(s) if cx.errors.is_empty() => Ok(s),
        _ => Err(DefinitionErrors(cx.errors)),
    }
}

/// A question as seen by later conditions.
struct Seen {
    id: QuestionId,
    numeric: bool,
    answerable: bool,
}

/// A condition's references, checked once every question is known.
struct PendingRef {
    path: String,
    id: QuestionId,
    numeric: bool,
    /// How many questions were asked before the condition's place.
    asked_before: usize,
}

#[derive(Default)]
struct Cx {
    errors: Vec<DefinitionError>,
    questions: Vec<Seen>,
    pending: Vec<PendingRef>,
}

impl Cx {
    fn err(&mut self, path: impl Into<String>, kind: DefinitionErrorKind) {
        self.errors.push(DefinitionError {
            path: path.into(),
            kind,
        });
    }

    fn resolve_references(&mut self) {
        for p in std::mem::take(&mut self.pending) {
            let kind = match self.questions.iter().position(|q| q.id == p.id) {
                None => Some(DefinitionErrorKind::UnknownReference(p.id.0.clone())),
                Some(i) if i >= p.asked_before => Some(DefinitionErrorKind::ForwardReference(p.id.0.clone())),
                Some(i) if !self.questions[i].answerable => Some(DefinitionErrorKind::NotAnswerable(p.id.0.clone())),
                Some(i) if p.numeric && !self.questions[i].numeric => {
                    Some(DefinitionErrorKind::NotNumeric(p.id.0.clone()))
                }
                Some(_) => None,
            };
            if let Some(kind) = kind {
                self.err(p.path, kind);
            }
        }
    }
}

/// A JSON object being read, with the path it sits at.
struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

impl<'a> Obj<'a> {
    /// Reads `value` as an object whose keys must all be in `allowed`.
    fn new(value: &'a Value, path: String, allowed: &[&str], cx: &mut Cx) -> Option<Self> {
        let Value::Object(map) = value else {
            cx.err(path, DefinitionErrorKind::WrongType("an object"));
            return None;
        };
        for key in map.keys() {
            if !allowed.contains(&key.as_str()) {
                cx.err(format!("{path}.{key}"), DefinitionErrorKind::UnknownField(key.clone()));
            }
        }
        Some(Self { map, path })
    }

    fn at(&self, key: &str) -> String {
        format!("{}.{key}", self.path)
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key)
    }

    /// A non-blank string; `required` reports its absence.
    fn string(&self, key: &'static str, required: bool, cx: &mut Cx) -> Option<String> {
        match self.get(key) {
            None if required => {
                cx.err(self.path.clone(), DefinitionErrorKind::Missing(key));
                None
            }
            None => None,
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            Some(_) => {
                cx.err(self.at(key), DefinitionErrorKind::WrongType("a non-empty string"));
                None
            }
        }
    }

    fn bool(&self, key: &str, cx: &mut Cx) -> Option<bool> {
        match self.get(key)? {
            Value::Bool(b) => Some(*b),
            _ => {
                cx.err(self.at(key), DefinitionErrorKind::WrongType("true or false"));
                None
            }
        }
    }

    fn number(&self, key: &str, cx: &mut Cx) -> Option<f64> {
        match self.get(key)? {
            Value::Number(n) => n.as_f64(),
            _ => {
                cx.err(self.at(key), DefinitionErrorKind::WrongType("a number"));
                None
            }
        }
    }

    fn integer(&self, key: &str, cx: &mut Cx) -> Option<i64> {
        match self.get(key)? {
            Value::Number(n) if n.as_i64().is_some() => n.as_i64(),
            _ => {
                cx.err(self.at(key), DefinitionErrorKind::WrongType("a whole number"));
                None
            }
        }
    }

    fn count(&self, key: &str, cx: &mut Cx) -> Option<u32> {
        match self.get(key)? {
            Value::Number(n) if n.as_u64().is_some_and(|n| n <= u64::from(u32::MAX)) => {
                n.as_u64().and_then(|n| u32::try_from(n).ok())
            }
            _ => {
                cx.err(
                    self.at(key),
                    DefinitionErrorKind::WrongType("a whole number, 0 or more"),
                );
                None
            }
        }
    }

    /// A present array; `required` reports its absence, and `non_empty` an empty one.
    fn array(&self, key: &'static str, required: bool, cx: &mut Cx) -> Option<&'a Vec<Value>> {
        match self.get(key) {
            None if required => {
                cx.err(self.path.clone(), DefinitionErrorKind::Missing(key));
                None
            }
            None => None,
            Some(Value::Array(items)) => Some(items),
            Some(_) => {
                cx.err(self.at(key), DefinitionErrorKind::WrongType("an array"));
                None
            }
        }
    }

    /// Paragraphs: a string or an array of strings.
    fn paragraphs(&self, key: &'static str, cx: &mut Cx) -> Vec<String> {
        match self.get(key) {
            None => Vec::new(),
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .filter_map(|(i, v)| match v {
                    Value::String(s) => Some(s.clone()),
                    _ => {
                        cx.err(
                            format!("{}[{i}]", self.at(key)),
                            DefinitionErrorKind::WrongType("a string"),
                        );
                        None
                    }
                })
                .collect(),
            Some(_) => {
                cx.err(
                    self.at(key),
                    DefinitionErrorKind::WrongType("a string or an array of strings"),
                );
                Vec::new()
            }
        }
    }

    /// An optional `lang`: a BCP 47 language tag such as `cy`, `ur` or `pa-Guru`.
    fn lang(&self, cx: &mut Cx) -> Option<String> {
        let tag = self.string("lang", false, cx)?;
        if is_lang_tag(&tag) {
            Some(tag)
        } else {
            cx.err(
                self.at("lang"),
                DefinitionErrorKind::WrongType("a language tag such as cy, ur or pa-Guru"),
            );
            None
        }
    }

    fn id(&self, cx: &mut Cx) -> Option<String> {
        let id = self.string("id", true, cx)?;
        if is_valid_id(&id) {
            Some(id)
        } else {
            cx.err(self.at("id"), DefinitionErrorKind::InvalidId(id));
            None
        }
    }
}

fn survey(value: &Value, cx: &mut Cx) -> Option<Survey> {
    const KEYS: &[&str] = &[
        "$schema",
        "formatVersion",
        "id",
        "version",
        "title",
        "description",
        "lang",
        "estimatedMinutes",
        "privacyNotice",
        "endpoint",
        "outcomes",
        "pages",
    ];
    let obj = Obj::new(value, "$".into(), KEYS, cx)?;
    match obj.get("formatVersion") {
        None => cx.err("$", DefinitionErrorKind::Missing("formatVersion")),
        Some(Value::Number(n)) if n.as_u64() == Some(FORMAT_VERSION) => {}
        Some(other) => cx.err(
            "$.formatVersion",
            DefinitionErrorKind::UnsupportedVersion(other.to_string()),
        ),
    }
    let id = obj.id(cx);
    let version = match obj.get("version") {
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => obj.string("version", true, cx),
    };
    let title = obj.string("title", true, cx);
    let description = obj.paragraphs("description", cx);
    let lang = obj.lang(cx);
    let estimated_minutes = obj.count("estimatedMinutes", cx);
    let privacy_notice = obj
        .get("privacyNotice")
        .and_then(|v| link(v, obj.at("privacyNotice"), cx));
    // Where responses go, and (issue #12) where the council publishes "You said, we did":
    // both fetched by the widget, so both https (or http on loopback).
    let mut url = |key: &'static str| {
        obj.string(key, false, cx).and_then(|e| {
            if is_allowed_endpoint(&e) {
                Some(e)
            } else {
                cx.err(obj.at(key), DefinitionErrorKind::InsecureEndpoint(e));
                None
            }
        })
    };
    let endpoint = url("endpoint");
    let outcomes = url("outcomes");
    let mut pages = Vec::new();
    let mut page_ids: Vec<PageId> = Vec::new();
    if let Some(items) = obj.array("pages", true, cx) {
        if items.is_empty() {
            cx.err(obj.at("pages"), DefinitionErrorKind::Empty);
        }
        for (i, item) in items.iter().enumerate() {
            if let Some(p) = page(item, format!("$.pages[{i}]"), cx) {
                if page_ids.contains(&p.id) {
                    cx.err(
                        format!("$.pages[{i}].id"),
                        DefinitionErrorKind::DuplicateId(p.id.0.clone()),
                    );
                }
                page_ids.push(p.id.clone());
                pages.push(p);
            }
        }
    }
    Some(Survey {
        id: SurveyId(id?),
        version: version?,
        title: title?,
        description,
        lang,
        estimated_minutes,
        privacy_notice,
        endpoint,
        outcomes,
        pages,
    })
}

/// Whether a link target is safe to put in an `href`.
pub fn is_safe_link(href: &str) -> bool {
    let lower = href.trim().to_ascii_lowercase();
    !href.chars().any(|c| c.is_control() || c.is_whitespace())
        && ["https://", "mailto:", "tel:"]
            .iter()
            .any(|scheme| lower.starts_with(scheme) && lower.len() > scheme.len())
}

/// Whether `tag` looks like a BCP 47 language tag: a 2–8 letter language, then subtags of
/// 1–8 letters or digits, 35 characters at most. It ends up in a `lang` attribute.
pub fn is_lang_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or_default();
    tag.len() <= 35
        && (2..=8).contains(&language.len())
        && language.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Whether an endpoint URL may receive responses: https anywhere, http only on loopback.
pub fn is_allowed_endpoint(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return false;
    }
    if let Some(rest) = lower.strip_prefix("https://") {
        return !rest.is_empty();
    }
    let Some(rest) = lower.strip_prefix("http://") else {
        return false;
    };
    let host_port = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host_port.split(':').next().unwrap_or_default(),
    };
    // Names under `.localhost` are loopback too (RFC 6761; browsers resolve them so).
    host == "localhost" || host.ends_with(".localhost") || host == "::1" || host.starts_with("127.")
}

fn link(value: &Value, path: String, cx: &mut Cx) -> Option<Link> {
    let obj = Obj::new(value, path, &["text", "href", "lang"], cx)?;
    let text = obj.string("text", true, cx);
    let lang = obj.lang(cx);
    let href = obj.string("href", true, cx)?;
    if !is_safe_link(&href) {
        cx.err(obj.at("href"), DefinitionErrorKind::UnsafeLink(href));
        return None;
    }
    Some(Link {
        text: text?,
        href: href.trim().to_owned(),
        lang,
    })
}

fn page(value: &Value, path: String, cx: &mut Cx) -> Option<Page> {
    let obj = Obj::new(value, path, &["id", "title", "lang", "showIf", "questions"], cx)?;
    let id = obj.id(cx);
    let title = obj.string("title", false, cx);
    let lang = obj.lang(cx);
    let asked_before = cx.questions.len();
    let show_if = obj
        .get("showIf")
        .and_then(|v| condition(v, obj.at("showIf"), cx, asked_before));
    let mut questions = Vec::new();
    if let Some(items) = obj.array("questions", true, cx) {
        if items.is_empty() {
            cx.err(obj.at("questions"), DefinitionErrorKind::Empty);
        }
        for (i, item) in items.iter().enumerate() {
            let qpath = format!("{}.questions[{i}]", obj.path);
            match question(item, qpath.clone(), cx) {
                Some(q) => {
                    if cx.questions.iter().any(|s| s.id == q.id) {
                        cx.err(format!("{qpath}.id"), DefinitionErrorKind::DuplicateId(q.id.0.clone()));
                    }
                    cx.questions.push(Seen {
                        id: q.id.clone(),
                        numeric: q.kind.is_numeric(),
                        answerable: q.kind.is_answerable(),
                    });
                    questions.push(q);
                }
                // A question with faults elsewhere still counts as asked here, so conditions
                // that name it are not also reported as unknown.
                None => {
                    let field = |k: &str| item.get(k).and_then(Value::as_str);
                    if let (Some(id), Some(t)) = (field("id"), field("type")) {
                        cx.questions.push(Seen {
                            id: QuestionId(id.to_owned()),
                            numeric: matches!(t, "number" | "rating"),
                            answerable: t != "info",
                        });
                    }
                }
            }
        }
    }
    Some(Page {
        id: PageId(id?),
        title,
        lang,
        show_if,
        questions,
    })
}

const COMMON_KEYS: &[&str] = &[
    "id",
    "type",
    "title",
    "hint",
    "lang",
    "required",
    "showIf",
    "errorName",
    "messages",
    "personal",
];

fn question(value: &Value, path: String, cx: &mut Cx) -> Option<Question> {
    let Value::Object(map) = value else {
        cx.err(path, DefinitionErrorKind::WrongType("an object"));
        return None;
    };
    let type_name = match map.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(_) => {
            cx.err(format!("{path}.type"), DefinitionErrorKind::WrongType("a string"));
            return None;
        }
        None => {
            cx.err(path, DefinitionErrorKind::Missing("type"));
            return None;
        }
    };
    let extra: &[&str] = match type_name {
        "text" => &["minLength", "maxLength", "pattern", "autocomplete"],
        "longText" => &["minLength", "maxLength"],
        "number" => &["integer", "min", "max", "suffix"],
        "date" => &["min", "max", "past"],
        "email" | "phone" | "yesNo" => &[],
        "singleChoice" => &["choices", "other"],
        "multipleChoice" => &["choices", "none", "minSelected", "maxSelected"],
        "rating" => &["min", "max", "minLabel", "maxLabel"],
        "likert" => &["statements", "scale"],
        "consent" => &["label", "privacyNotice"],
        "info" => &["body", "links"],
        other => {
            cx.err(
                format!("{path}.type"),
                DefinitionErrorKind::UnknownType(other.to_owned()),
            );
            return None;
        }
    };
    let allowed: Vec<&str> = COMMON_KEYS.iter().chain(extra).copied().collect();
    let obj = Obj::new(value, path, &allowed, cx)?;
    let id = obj.id(cx);
    let title = obj.string("title", true, cx);
    let hint = obj.string("hint", false, cx);
    let lang = obj.lang(cx);
    let required = obj.bool("required", cx).unwrap_or(true);
    // Conditions see only the questions before this one.
    let asked_before = cx.questions.len();
    let show_if = obj
        .get("showIf")
        .and_then(|v| condition(v, obj.at("showIf"), cx, asked_before));
    let error_name = obj.string("errorName", false, cx);
    let messages = messages(&obj, cx);
    let personal = obj.bool("personal", cx);
    let kind = kind(type_name, &obj, cx)?;
    Some(Question {
        personal,
        id: QuestionId(id?),
        title: title?,
        hint,
        lang,
        required: required && kind.is_answerable(),
        show_if,
        error_name,
        messages,
        kind,
    })
}

fn messages(obj: &Obj<'_>, cx: &mut Cx) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Some(value) = obj.get("messages") else {
        return out;
    };
    let Value::Object(map) = value else {
        cx.err(obj.at("messages"), DefinitionErrorKind::WrongType("an object"));
        return out;
    };
    for (k, v) in map {
        let path = format!("{}.{k}", obj.at("messages"));
        match v {
            _ if !MESSAGE_RULES.contains(&k.as_str()) => cx.err(path, DefinitionErrorKind::UnknownField(k.clone())),
            Value::String(s) if !s.trim().is_empty() => {
                out.insert(k.clone(), s.clone());
            }
            _ => cx.err(path, DefinitionErrorKind::WrongType("a non-empty string")),
        }
    }
    out
}

fn text_bounds(obj: &Obj<'_>, ceiling: u32, cx: &mut Cx) -> (Option<u32>, u32) {
    let min = obj.count("minLength", cx);
    let max = obj.count("maxLength", cx).unwrap_or(ceiling);
    if max == 0 || max > ceiling {
        cx.err(
            obj.at("maxLength"),
            DefinitionErrorKind::OutOfRange(format!("maxLength must be between 1 and {ceiling}")),
        );
    }
    if min.is_some_and(|m| m > max) {
        cx.err(
            obj.at("minLength"),
            DefinitionErrorKind::OutOfRange("minLength is more than maxLength".into()),
        );
    }
    (min, max.clamp(1, ceiling))
}

fn kind(type_name: &str, obj: &Obj<'_>, cx: &mut Cx) -> Option<QuestionKind> {
    Some(match type_name {
        "text" => {
            let (min_length, max_length) = text_bounds(obj, SHORT_TEXT_MAX, cx);
            let pattern = obj
                .string("pattern", false, cx)
                .and_then(|p| compile_pattern(&p, obj.at("pattern"), cx));
            let autocomplete = obj.string("autocomplete", false, cx);
            QuestionKind::ShortText {
                min_length,
                max_length,
                pattern,
                autocomplete,
            }
        }
        "longText" => {
            let (min_length, max_length) = text_bounds(obj, LONG_TEXT_MAX, cx);
            QuestionKind::LongText { min_length, max_length }
        }
        "number" => {
            let integer = obj.bool("integer", cx).unwrap_or(false);
            let (min, max) = (obj.number("min", cx), obj.number("max", cx));
            if let (Some(lo), Some(hi)) = (min, max) {
                if lo > hi {
                    cx.err(
                        obj.at("min"),
                        DefinitionErrorKind::OutOfRange("min is more than max".into()),
                    );
                }
            }
            QuestionKind::Number {
                integer,
                min,
                max,
                suffix: obj.string("suffix", false, cx),
            }
        }
        "date" => {
            let mut date = |key: &'static str| {
                let s = obj.string(key, false, cx)?;
                let d = Date::parse_iso(&s);
                if d.is_none() {
                    cx.err(obj.at(key), DefinitionErrorKind::WrongType("a date as YYYY-MM-DD"));
                }
                d
            };
            let (min, max) = (date("min"), date("max"));
            if let (Some(lo), Some(hi)) = (min, max) {
                if lo > hi {
                    cx.err(
                        obj.at("min"),
                        DefinitionErrorKind::OutOfRange("min is after max".into()),
                    );
                }
            }
            QuestionKind::Date {
                min,
                max,
                past: obj.bool("past", cx).unwrap_or(false),
            }
        }
        "email" => QuestionKind::Email,
        "phone" => QuestionKind::Phone,
        "yesNo" => QuestionKind::YesNo,
        "singleChoice" => {
            let mut values = Vec::new();
            let choices = choice_list(obj, "choices", &mut values, cx);
            // The "Other" box has the same length rule as a short text answer.
            let mut other_max_length = SHORT_TEXT_MAX;
            let other = obj
                .get("other")
                .and_then(|v| choice(v, obj.at("other"), &mut values, cx, Some(&mut other_max_length)));
            QuestionKind::SingleChoice {
                choices,
                other,
                other_max_length,
            }
        }
        "multipleChoice" => {
            let mut values = Vec::new();
            let choices = choice_list(obj, "choices", &mut values, cx);
            let none = obj
                .get("none")
                .and_then(|v| choice(v, obj.at("none"), &mut values, cx, None));
            let min_selected = obj.count("minSelected", cx);
            let max_selected = obj.count("maxSelected", cx);
            if let (Some(lo), Some(hi)) = (min_selected, max_selected) {
                if lo > hi {
                    cx.err(
                        obj.at("minSelected"),
                        DefinitionErrorKind::OutOfRange("minSelected is more than maxSelected".into()),
                    );
                }
            }
            if max_selected == Some(0) {
                cx.err(
                    obj.at("maxSelected"),
                    DefinitionErrorKind::OutOfRange("maxSelected must be 1 or more".into()),
                );
            }
            QuestionKind::MultipleChoice {
                choices,
                none,
                min_selected,
                max_selected,
            }
        }
        "rating" => {
            let min = obj.integer("min", cx).unwrap_or(1);
            let max = obj.integer("max", cx).unwrap_or(5);
            if min >= max || max - min >= RATING_MAX_POINTS {
                cx.err(
                    obj.at("max"),
                    DefinitionErrorKind::OutOfRange(format!(
                        "a rating scale needs min below max and at most {RATING_MAX_POINTS} points"
                    )),
                );
            }
            QuestionKind::Rating {
                min,
                max,
                min_label: obj.string("minLabel", false, cx),
                max_label: obj.string("maxLabel", false, cx),
            }
        }
        "likert" => {
            let mut ids = Vec::new();
            let mut statements = Vec::new();
            if let Some(items) = obj.array("statements", true, cx) {
                if items.is_empty() {
                    cx.err(obj.at("statements"), DefinitionErrorKind::Empty);
                }
                for (i, item) in items.iter().enumerate() {
                    let path = format!("{}[{i}]", obj.at("statements"));
                    let Some(s) = Obj::new(item, path, &["id", "text", "lang"], cx) else {
                        continue;
                    };
                    let (id, text, lang) = (s.id(cx), s.string("text", true, cx), s.lang(cx));
                    if let Some(id) = &id {
                        if ids.contains(id) {
                            cx.err(s.at("id"), DefinitionErrorKind::DuplicateId(id.clone()));
                        }
                        ids.push(id.clone());
                    }
                    if let (Some(id), Some(text)) = (id, text) {
                        statements.push(Statement { id, text, lang });
                    }
                }
            }
            let scale = choice_list(obj, "scale", &mut Vec::new(), cx);
            QuestionKind::Likert { statements, scale }
        }
        "consent" => QuestionKind::Consent {
            label: obj.string("label", true, cx)?,
            privacy_notice: obj
                .get("privacyNotice")
                .and_then(|v| link(v, obj.at("privacyNotice"), cx)),
        },
        "info" => {
            let body = obj.paragraphs("body", cx);
            let links = obj
                .array("links", false, cx)
                .map(|items| {
                    items
                        .iter()
                        .enumerate()
                        .filter_map(|(i, v)| link(v, format!("{}[{i}]", obj.at("links")), cx))
                        .collect()
                })
                .unwrap_or_default();
            QuestionKind::Info { body, links }
        }
        _ => return None,
    })
}

fn compile_pattern(source: &str, path: String, cx: &mut Cx) -> Option<Pattern> {
    if source.len() > MAX_PATTERN_LEN {
        cx.err(
            path,
            DefinitionErrorKind::BadPattern(format!("longer than {MAX_PATTERN_LEN} characters")),
        );
        return None;
    }
    match super::pattern::Pattern::new(source) {
        Ok(matcher) => Some(Pattern {
            source: source.to_owned(),
            matcher,
        }),
        Err(e) => {
            cx.err(path, DefinitionErrorKind::BadPattern(e));
            None
        }
    }
}

fn choice_list(obj: &Obj<'_>, key: &'static str, values: &mut Vec<String>, cx: &mut Cx) -> Vec<Choice> {
    let Some(items) = obj.array(key, true, cx) else {
        return Vec::new();
    };
    if items.is_empty() {
        cx.err(obj.at(key), DefinitionErrorKind::Empty);
    }
    items
        .iter()
        .enumerate()
        .filter_map(|(i, v)| choice(v, format!("{}[{i}]", obj.at(key)), values, cx, None))
        .collect()
}

/// A choice; `max_length` is given for an "Other" choice, which may set the `maxLength` of
/// its details box.
fn choice(
    value: &Value,
    path: String,
    values: &mut Vec<String>,
    cx: &mut Cx,
    max_length: Option<&mut u32>,
) -> Option<Choice> {
    let keys: &[&str] = &["value", "label", "hint", "lang", "maxLength"];
    let obj = Obj::new(value, path, &keys[..if max_length.is_some() { 5 } else { 4 }], cx)?;
    if let Some(max) = max_length {
        *max = text_bounds(&obj, SHORT_TEXT_MAX, cx).1;
    }
    let value = match obj.get("value") {
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => obj.string("value", true, cx),
    };
    let label = obj.string("label", true, cx);
    let hint = obj.string("hint", false, cx);
    let lang = obj.lang(cx);
    let value = value?;
    if values.contains(&value) {
        cx.err(obj.at("value"), DefinitionErrorKind::DuplicateId(value.clone()));
    }
    values.push(value.clone());
    Some(Choice {
        value,
        label: label?,
        hint,
        lang,
    })
}

fn condition(value: &Value, path: String, cx: &mut Cx, asked_before: usize) -> Option<Condition> {
    let Value::Object(map) = value else {
        cx.err(path, DefinitionErrorKind::WrongType("a condition object"));
        return None;
    };
    let list = |key: &str, cx: &mut Cx| -> Option<Vec<Condition>> {
        let Some(Value::Array(items)) = map.get(key) else {
            cx.err(
                format!("{path}.{key}"),
                DefinitionErrorKind::WrongType("an array of conditions"),
            );
            return None;
        };
        let parsed: Vec<_> = items
            .iter()
            .enumerate()
            .map(|(i, v)| condition(v, format!("{path}.{key}[{i}]"), cx, asked_before))
            .collect();
        parsed.into_iter().collect()
    };
    if map.len() == 1 {
        if map.contains_key("all") {
            return list("all", cx).map(Condition::All);
        }
        if map.contains_key("any") {
            return list("any", cx).map(Condition::Any);
        }
        if let Some(inner) = map.get("not") {
            return condition(inner, format!("{path}.not"), cx, asked_before).map(|c| Condition::Not(Box::new(c)));
        }
    }
    const OPERATORS: &[&str] = &[
        "equals",
        "notEquals",
        "anyOf",
        "answered",
        "greaterThan",
        "lessThan",
        "atLeast",
        "atMost",
    ];
    let obj = Obj::new(value, path.clone(), &[&["question"], OPERATORS].concat(), cx)?;
    let question = QuestionId(obj.string("question", true, cx)?);
    let ops: Vec<&str> = OPERATORS.iter().copied().filter(|k| map.contains_key(*k)).collect();
    let [op] = ops.as_slice() else {
        cx.err(
            path,
            DefinitionErrorKind::WrongType("exactly one of all, any, not, or question with one operator"),
        );
        return None;
    };
    let operand = &map[*op];
    let op_path = obj.at(op);
    let scalar = |v: &Value| matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_));
    let numeric = matches!(*op, "greaterThan" | "lessThan" | "atLeast" | "atMost");
    let condition = match *op {
        "equals" | "notEquals" if scalar(operand) => {
            if *op == "equals" {
                Condition::Equals(question.clone(), operand.clone())
            } else {
                Condition::NotEquals(question.clone(), operand.clone())
            }
        }
        "anyOf" => match operand {
            Value::Array(items) if !items.is_empty() && items.iter().all(scalar) => {
                Condition::AnyOf(question.clone(), items.clone())
            }
            _ => {
                cx.err(op_path, DefinitionErrorKind::WrongType("a non-empty array of values"));
                return None;
            }
        },
        "answered" => match operand {
            Value::Bool(true) => Condition::Answered(question.clone()),
            Value::Bool(false) => Condition::NotAnswered(question.clone()),
            _ => {
                cx.err(op_path, DefinitionErrorKind::WrongType("true or false"));
                return None;
            }
        },
        _ if numeric => {
            let Some(n) = operand.as_f64() else {
                cx.err(op_path, DefinitionErrorKind::WrongType("a number"));
                return None;
            };
            let cmp = match *op {
                "greaterThan" => Comparison::GreaterThan,
                "lessThan" => Comparison::LessThan,
                "atLeast" => Comparison::AtLeast,
                _ => Comparison::AtMost,
            };
            Condition::Compare(question.clone(), cmp, n)
        }
        _ => {
            cx.err(op_path, DefinitionErrorKind::WrongType("a string, number or boolean"));
            return None;
        }
    };
    cx.pending.push(PendingRef {
        path: obj.at("question"),
        id: question,
        numeric,
        asked_before,
    });
    Some(condition)
}

#[cfg(test)]
mod tests {
    use super::*;

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

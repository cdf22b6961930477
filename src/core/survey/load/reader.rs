//! Reading JSON with its path: the context that gathers every fault, and an object reader
//! that checks each key's type and reports keys it does not know.

use super::values::is_lang_tag;
use super::{DefinitionError, DefinitionErrorKind, TextVersions};
use crate::core::survey::definition::MissingText;
use crate::core::survey::ids::{is_valid_id, QuestionId};
use crate::core::text::json::whole;
use serde_json::{Map, Value};

/// A question as seen by later conditions.
pub(super) struct Seen {
    pub(super) id: QuestionId,
    pub(super) numeric: bool,
    pub(super) answerable: bool,
}

/// A condition's references, checked once every question is known.
pub(super) struct PendingRef {
    pub(super) path: String,
    pub(super) id: QuestionId,
    pub(super) numeric: bool,
    /// How many questions were asked before the condition's place.
    pub(super) asked_before: usize,
}

#[derive(Default)]
pub(super) struct Cx {
    pub(super) errors: Vec<DefinitionError>,
    pub(super) questions: Vec<Seen>,
    pub(super) pending: Vec<PendingRef>,
    /// The survey's language codes, the default first (`en` when it declares none).
    pub(super) languages: Vec<String>,
    /// Which of them the texts are read in.
    pub(super) target: usize,
    /// Each text without a version in one of the languages: its path and the language.
    pub(super) missing: Vec<MissingText>,
    /// Set when a text was read in the default language for want of the target's; the item
    /// that owns it takes it (`take_fallback`) to mark itself with the default's `lang`.
    pub(super) fell_back: bool,
    /// For a translation checker (`super::side_by_side`): every text with each of its
    /// versions, collected only when asked.
    pub(super) texts: Vec<TextVersions>,
    /// Set only by `side_by_side`: keeps each text's versions. A function pointer rather than
    /// a flag, so the widget, which never sets it, carries none of that code (a flag measured
    /// 0.7 KB more in its first load).
    pub(super) keep: Option<Keep>,
}

/// Keeps one text's versions (its path, each version with its path, and whether it is
/// paragraphs).
pub(super) type Keep = fn(&mut Cx, &str, &[(String, &Value)], bool);

/// The [`Keep`] that `side_by_side` sets.
pub(super) fn keep(cx: &mut Cx, path: &str, versions: &[(String, &Value)], paragraphs: bool) {
    let text = |v: &Value| match v {
        Value::Array(items) if paragraphs => items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("\n\n"),
        other => other.as_str().unwrap_or_default().to_owned(),
    };
    let default = cx.languages.first().cloned().unwrap_or_default();
    let find = |lang: &str| {
        versions.iter().find_map(|(p, v)| {
            let own = p.strip_prefix(path).and_then(|rest| rest.strip_prefix('.'));
            (own.unwrap_or(&default) == lang).then(|| text(v))
        })
    };
    let texts = cx.languages.iter().map(|l| (l.clone(), find(l))).collect();
    cx.texts.push(TextVersions {
        path: path.to_owned(),
        texts,
    });
}

impl Cx {
    pub(super) fn err(&mut self, path: impl Into<String>, kind: DefinitionErrorKind) {
        self.errors.push(DefinitionError {
            path: path.into(),
            kind,
        });
    }

    /// The language versions of a text at `path`: a string (or another plain value) is the
    /// default language's; an object has one per language, each key one the survey
    /// declares. Each version comes with its path; the second value is the one to show (the
    /// target language's, else the default's, else the first).
    pub(super) fn versions<'v>(&mut self, value: &'v Value, path: &str) -> (Vec<(String, &'v Value)>, usize) {
        let Value::Object(map) = value else {
            for lang in self.languages.iter().skip(1) {
                self.missing.push(MissingText {
                    path: path.to_owned(),
                    lang: lang.clone(),
                });
            }
            self.fell_back |= self.target != 0;
            return (vec![(path.to_owned(), value)], 0);
        };
        for key in map.keys() {
            if !self.languages.contains(key) {
                self.err(
                    format!("{path}.{key}"),
                    DefinitionErrorKind::UnknownLanguage(key.clone()),
                );
            }
        }
        let mut versions = Vec::new();
        let (mut target, mut default) = (None, None);
        for (i, lang) in self.languages.iter().enumerate() {
            match map.get(lang) {
                Some(v) => {
                    if i == self.target {
                        target = Some(versions.len());
                    }
                    if i == 0 {
                        default = Some(versions.len());
                    }
                    versions.push((format!("{path}.{lang}"), v));
                }
                None => self.missing.push(MissingText {
                    path: path.to_owned(),
                    lang: lang.clone(),
                }),
            }
        }
        if versions.is_empty() {
            self.err(
                path,
                DefinitionErrorKind::WrongType("a text in at least one of the survey's languages"),
            );
        }
        self.fell_back |= target.is_none();
        (versions, target.or(default).unwrap_or(0))
    }

    /// Whether a text read since the last call fell back to the default language.
    pub(super) fn take_fallback(&mut self) -> Option<String> {
        std::mem::take(&mut self.fell_back).then(|| self.languages.first().cloned().unwrap_or_default())
    }

    pub(super) fn resolve_references(&mut self) {
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
pub(super) struct Obj<'a> {
    pub(super) map: &'a Map<String, Value>,
    pub(super) path: String,
}

impl<'a> Obj<'a> {
    /// Reads `value` as an object whose keys must all be in `allowed`.
    pub(super) fn new(value: &'a Value, path: String, allowed: &[&str], cx: &mut Cx) -> Option<Self> {
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

    pub(super) fn at(&self, key: &str) -> String {
        format!("{}.{key}", self.path)
    }

    pub(super) fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key)
    }

    /// A non-blank string; `required` reports its absence.
    pub(super) fn string(&self, key: &'static str, required: bool, cx: &mut Cx) -> Option<String> {
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

    pub(super) fn bool(&self, key: &str, cx: &mut Cx) -> Option<bool> {
        match self.get(key)? {
            Value::Bool(b) => Some(*b),
            _ => {
                cx.err(self.at(key), DefinitionErrorKind::WrongType("true or false"));
                None
            }
        }
    }

    pub(super) fn number(&self, key: &str, cx: &mut Cx) -> Option<f64> {
        match self.get(key)? {
            Value::Number(n) => n.as_f64(),
            _ => {
                cx.err(self.at(key), DefinitionErrorKind::WrongType("a number"));
                None
            }
        }
    }

    pub(super) fn integer(&self, key: &str, cx: &mut Cx) -> Option<i64> {
        match self.get(key)? {
            Value::Number(n) if whole(n).is_some() => whole(n),
            _ => {
                cx.err(self.at(key), DefinitionErrorKind::WrongType("a whole number"));
                None
            }
        }
    }

    pub(super) fn count(&self, key: &str, cx: &mut Cx) -> Option<u32> {
        match self.get(key)? {
            Value::Number(n) if whole(n).is_some_and(|n| u32::try_from(n).is_ok()) => {
                whole(n).and_then(|n| u32::try_from(n).ok())
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
    pub(super) fn array(&self, key: &'static str, required: bool, cx: &mut Cx) -> Option<&'a Vec<Value>> {
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

    /// A text a person reads: a non-blank string, or an object with one per language (see
    /// [`Cx::versions`]), read in the target language; `required` reports its absence.
    pub(super) fn text(&self, key: &'static str, required: bool, cx: &mut Cx) -> Option<String> {
        let Some(value) = self.get(key) else {
            if required {
                cx.err(self.path.clone(), DefinitionErrorKind::Missing(key));
            }
            return None;
        };
        let at = self.at(key);
        let (versions, shown) = cx.versions(value, &at);
        if let Some(keep) = cx.keep {
            keep(cx, &at, &versions, false);
        }
        let mut out = None;
        for (i, (path, v)) in versions.into_iter().enumerate() {
            match v {
                Value::String(s) if !s.trim().is_empty() => {
                    if i == shown {
                        out = Some(s.clone());
                    }
                }
                _ => cx.err(path, DefinitionErrorKind::WrongType("a non-empty string")),
            }
        }
        out
    }

    /// Paragraphs: a string or an array of strings, or an object with one of those per
    /// language.
    pub(super) fn paragraphs(&self, key: &'static str, cx: &mut Cx) -> Vec<String> {
        let Some(value) = self.get(key) else {
            return Vec::new();
        };
        let at = self.at(key);
        let (versions, shown) = cx.versions(value, &at);
        if let Some(keep) = cx.keep {
            keep(cx, &at, &versions, true);
        }
        let mut out = Vec::new();
        for (n, (path, v)) in versions.into_iter().enumerate() {
            let paragraphs = match v {
                Value::String(s) => vec![s.clone()],
                Value::Array(items) => items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, v)| match v {
                        Value::String(s) => Some(s.clone()),
                        _ => {
                            cx.err(format!("{path}[{i}]"), DefinitionErrorKind::WrongType("a string"));
                            None
                        }
                    })
                    .collect(),
                _ => {
                    cx.err(path, DefinitionErrorKind::WrongType("a string or an array of strings"));
                    Vec::new()
                }
            };
            if n == shown {
                out = paragraphs;
            }
        }
        out
    }

    /// An optional `lang`: a BCP 47 language tag such as `cy`, `ur` or `pa-Guru`.
    pub(super) fn lang(&self, cx: &mut Cx) -> Option<String> {
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

    pub(super) fn id(&self, cx: &mut Cx) -> Option<String> {
        let id = self.string("id", true, cx)?;
        if is_valid_id(&id) {
            Some(id)
        } else {
            cx.err(self.at("id"), DefinitionErrorKind::InvalidId(id));
            None
        }
    }
}

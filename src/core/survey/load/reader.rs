//! Reading JSON with its path: the context that gathers every fault, and an object reader
//! that checks each key's type and reports keys it does not know.

use super::values::is_lang_tag;
use super::{DefinitionError, DefinitionErrorKind};
use crate::core::survey::ids::{is_valid_id, QuestionId};
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
}

impl Cx {
    pub(super) fn err(&mut self, path: impl Into<String>, kind: DefinitionErrorKind) {
        self.errors.push(DefinitionError {
            path: path.into(),
            kind,
        });
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
            Value::Number(n) if n.as_i64().is_some() => n.as_i64(),
            _ => {
                cx.err(self.at(key), DefinitionErrorKind::WrongType("a whole number"));
                None
            }
        }
    }

    pub(super) fn count(&self, key: &str, cx: &mut Cx) -> Option<u32> {
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

    /// Paragraphs: a string or an array of strings.
    pub(super) fn paragraphs(&self, key: &'static str, cx: &mut Cx) -> Vec<String> {
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

//! One question as the editor asks for it, GOV.UK Forms' way: first the kind of answer, then
//! the question and its hint, then the options (one per line, with "None of the above" and
//! "Other" as ticks), then a check of the whole.
use serde_json::{json, Map, Value};

/// The kinds of answer the editor offers, as survey files name them. A consent box and a grid
/// (`likert`) are written in the JSON ("Advanced"), which the editor keeps as they are.
pub const KINDS: [&str; 11] = [
    "text",
    "longText",
    "number",
    "date",
    "email",
    "phone",
    "singleChoice",
    "multipleChoice",
    "yesNo",
    "rating",
    "info",
];

/// Whether a kind of question has options the person lists.
pub fn has_options(kind: &str) -> bool {
    matches!(kind, "singleChoice" | "multipleChoice")
}

/// A question's fields the editor's pages show, in the survey's default language.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QuestionForm {
    /// The kind of answer (`text`, `singleChoice` …).
    pub kind: String,
    /// The question.
    pub title: String,
    /// The hint under it; empty for none.
    pub hint: String,
    /// Whether people must answer it.
    pub required: bool,
    /// The options' labels, in order (choice questions).
    pub options: Vec<String>,
    /// "None of the above" (checkboxes): its label, when offered.
    pub none: Option<String>,
    /// "Other" with a text box (radios): its label, when offered.
    pub other: Option<String>,
}

/// A text as the default language reads it: a string, or that language's entry of an object.
pub fn text_in(value: Option<&Value>, lang: &str) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Object(by_lang)) => by_lang.get(lang).and_then(Value::as_str).unwrap_or_default().to_owned(),
        _ => String::new(),
    }
}

/// Sets a text's default-language version, keeping the others (which may now need a check).
/// Returns whether it changed.
pub fn set_text(slot: &mut Map<String, Value>, key: &str, text: &str, lang: &str) -> bool {
    let text = text.trim();
    if text.is_empty() && !slot.contains_key(key) {
        return false;
    }
    match slot.get_mut(key) {
        Some(Value::Object(by_lang)) => {
            if by_lang.get(lang).and_then(Value::as_str) == Some(text) {
                return false;
            }
            by_lang.insert(lang.to_owned(), json!(text));
            true
        }
        Some(Value::String(s)) if s == text => false,
        _ => {
            slot.insert(key.to_owned(), json!(text));
            true
        }
    }
}

impl QuestionForm {
    /// Reads a question's JSON in language `lang`.
    pub fn read(q: &Value, lang: &str) -> Self {
        let label = |c: &Value| text_in(c.get("label"), lang);
        let list = q.get("choices").and_then(Value::as_array);
        QuestionForm {
            kind: q.get("type").and_then(Value::as_str).unwrap_or_default().to_owned(),
            title: text_in(q.get("title"), lang),
            // Information has paragraphs where a question has its hint.
            hint: if q.get("type").and_then(Value::as_str) == Some("info") {
                body_in(q.get("body"), lang)
            } else {
                text_in(q.get("hint"), lang)
            },
            required: q.get("required") != Some(&Value::Bool(false)),
            options: list.into_iter().flatten().map(label).collect(),
            none: q.get("none").map(label),
            other: q.get("other").map(label),
        }
    }

    /// Writes the form into a question's JSON (`q`, which keeps every key the form has no
    /// field for), in language `lang`. Options keep their stored values where their label is
    /// unchanged, so answers already given keep meaning the same option.
    pub fn write(&self, q: &mut Map<String, Value>, lang: &str) {
        q.insert("type".into(), json!(self.kind));
        set_text(q, "title", &self.title, lang);
        if self.kind == "info" {
            set_body(q, &self.hint, lang);
        } else if self.hint.trim().is_empty() {
            if !matches!(q.get("hint"), Some(Value::Object(o)) if o.len() > 1) {
                q.remove("hint");
            }
        } else {
            set_text(q, "hint", &self.hint, lang);
        }
        match (self.required, q.contains_key("required")) {
            _ if matches!(self.kind.as_str(), "info" | "consent") => {
                q.remove("required");
            }
            (true, true) => {
                q.remove("required");
            }
            (false, _) => {
                q.insert("required".into(), json!(false));
            }
            (true, false) => {}
        }
        if self.kind == "rating" {
            // A new rating scale runs from 1 to 5 until the JSON says otherwise.
            q.entry("min").or_insert_with(|| json!(1));
            q.entry("max").or_insert_with(|| json!(5));
        }
        if !has_options(&self.kind) {
            for key in ["choices", "none", "other"] {
                q.remove(key);
            }
            return;
        }
        let old: Vec<Value> = q.get("choices").and_then(Value::as_array).cloned().unwrap_or_default();
        let mut taken: Vec<String> = Vec::new();
        let mut choices = Vec::new();
        for label in self.options.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
            let kept = old.iter().find(|c| {
                text_in(c.get("label"), lang) == label
                    && c.get("value")
                        .and_then(Value::as_str)
                        .is_some_and(|v| !taken.iter().any(|t| t == v))
            });
            let choice = match kept {
                Some(c) => c.clone(),
                None => json!({ "value": unique_value(label, &taken, &old), "label": label }),
            };
            if let Some(v) = choice.get("value").and_then(Value::as_str) {
                taken.push(v.to_owned());
            }
            choices.push(choice);
        }
        q.insert("choices".into(), Value::Array(choices));
        let special = |key: &str, wanted: &Option<String>, q: &mut Map<String, Value>, value: &str| match wanted {
            Some(label) => {
                let mut c = q.get(key).and_then(Value::as_object).cloned().unwrap_or_else(|| {
                    let mut c = Map::new();
                    c.insert("value".into(), json!(value));
                    c
                });
                set_text(&mut c, "label", label, lang);
                q.insert(key.to_owned(), Value::Object(c));
            }
            None => {
                q.remove(key);
            }
        };
        let (none, other) = match self.kind.as_str() {
            "multipleChoice" => (self.none.clone(), None),
            _ => (None, self.other.clone()),
        };
        special("none", &none, q, "none");
        special("other", &other, q, "other");
    }

    /// What is missing before the question can be saved: the message keys of the editor's
    /// catalogue, with the field each belongs to.
    pub fn problems(&self) -> Vec<(&'static str, &'static str)> {
        let mut out = Vec::new();
        if !KINDS.contains(&self.kind.as_str()) {
            out.push(("kind", "editor.error.kind"));
        }
        if self.title.trim().is_empty() {
            out.push(("title", "editor.error.title"));
        }
        if has_options(&self.kind) && self.options.iter().filter(|o| !o.trim().is_empty()).count() < 2 {
            out.push(("options", "editor.error.options"));
        }
        out
    }
}

/// An information block's paragraphs in one language, one per line.
fn body_in(value: Option<&Value>, lang: &str) -> String {
    let paras = match value {
        Some(Value::Object(by_lang)) => by_lang.get(lang),
        other => other,
    };
    match paras {
        Some(Value::Array(p)) => p.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("\n"),
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    }
}

/// Sets an information block's paragraphs (one per line) in one language, unless unchanged.
fn set_body(q: &mut Map<String, Value>, text: &str, lang: &str) {
    if body_in(q.get("body"), lang) == text.trim() {
        return;
    }
    let paras: Vec<Value> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| json!(l))
        .collect();
    let new = if paras.is_empty() {
        None
    } else {
        Some(Value::Array(paras))
    };
    match (q.get_mut("body"), new) {
        (Some(Value::Object(by_lang)), Some(v)) => {
            by_lang.insert(lang.to_owned(), v);
        }
        (_, Some(v)) => {
            q.insert("body".into(), v);
        }
        (_, None) => {
            q.remove("body");
        }
    }
}

/// An option's stored value from its label: its words as an id, unique in the question.
fn unique_value(label: &str, taken: &[String], old: &[Value]) -> String {
    let base = crate::core::survey::paste::slug(label).unwrap_or_else(|| "option".into());
    let used =
        |v: &str| taken.iter().any(|t| t == v) || old.iter().any(|c| c.get("value").and_then(Value::as_str) == Some(v));
    let mut value = base.clone();
    let mut n = 2;
    while used(&value) {
        value = format!("{base}-{n}");
        n += 1;
    }
    value
}

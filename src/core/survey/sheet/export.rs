//! A survey definition written as a workbook in the same XLSForm subset the import reads, so
//! that reading it back gives the same survey.
use super::expr::{self, Checks};
use super::{language_label, Row, Sheet, Workbook};
use crate::core::survey::load::MESSAGE_RULES;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The `message_<rule>` columns, in this order: every rule but `required`, which has
/// XLSForm's own `required_message`.
fn message_rules() -> impl Iterator<Item = &'static str> {
    MESSAGE_RULES.iter().copied().filter(|r| *r != "required")
}

/// Texts in the survey sheet, in column order (each one column per language).
const SURVEY_TEXTS: [&str; 4] = ["label", "hint", "required_message", "constraint_message"];
/// Texts after the rules and settings.
const LATER_TEXTS: [&str; 8] = [
    "error_name",
    "suffix",
    "min_label",
    "max_label",
    "consent_label",
    "body",
    "privacy_notice",
    "privacy_notice_url",
];

struct Langs {
    /// (code, name)
    list: Vec<(String, String)>,
}

impl Langs {
    /// The columns of a text: one per language, or one for a survey in one language.
    fn headers(&self, base: &str) -> Vec<String> {
        if self.list.is_empty() {
            vec![base.to_owned()]
        } else {
            self.list
                .iter()
                .map(|(c, n)| format!("{base}::{}", language_label(c, n)))
                .collect()
        }
    }
}

/// Cells by header, for one row.
type Cells = HashMap<String, String>;

/// A sheet being written: its rows' cells by header, its columns in order.
struct Table {
    name: &'static str,
    columns: Vec<String>,
    keep: Vec<String>,
    rows: Vec<Cells>,
}

impl Table {
    fn sheet(self) -> Sheet {
        let used: Vec<&String> = self
            .columns
            .iter()
            .filter(|c| self.keep.contains(c) || self.rows.iter().any(|r| r.get(*c).is_some_and(|v| !v.is_empty())))
            .collect();
        let mut rows = vec![Row {
            number: 1,
            cells: used.iter().map(|c| (*c).clone()).collect(),
        }];
        for (i, r) in self.rows.iter().enumerate() {
            rows.push(Row {
                number: i + 2,
                cells: used.iter().map(|c| r.get(*c).cloned().unwrap_or_default()).collect(),
            });
        }
        Sheet {
            name: self.name.into(),
            rows,
        }
    }
}

/// Puts a text (a string, or one per language; paragraphs joined by a blank line) in its
/// columns.
fn put_text(cells: &mut Cells, langs: &Langs, base: &str, text: &Value) {
    let flat = |v: &Value| -> String {
        match v {
            Value::Array(paras) => paras.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("\n\n"),
            v => v.as_str().unwrap_or_default().to_owned(),
        }
    };
    let headers = langs.headers(base);
    match text {
        Value::Object(by_lang) if !langs.list.is_empty() => {
            for ((code, _), header) in langs.list.iter().zip(&headers) {
                if let Some(t) = by_lang.get(code) {
                    cells.insert(header.clone(), flat(t));
                }
            }
        }
        t => {
            if let Some(h) = headers.first() {
                cells.insert(h.clone(), flat(t));
            }
        }
    }
}

fn put(cells: &mut Cells, header: &str, text: impl Into<String>) {
    cells.insert(header.to_owned(), text.into());
}

fn put_extra(cells: &mut Cells, rest: Map<String, Value>) {
    if !rest.is_empty() {
        put(cells, "extra", Value::Object(rest).to_string());
    }
}

fn cell_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        v => v.to_string(),
    }
}

/// Writes a survey definition as a workbook: `survey`, `choices` and `settings` sheets.
pub fn to_workbook(survey: &Value) -> Workbook {
    let mut top = survey.as_object().cloned().unwrap_or_default();
    let mut rtl = Vec::new();
    let langs = Langs {
        list: match top.remove("languages") {
            Some(Value::Array(list)) => list
                .iter()
                .filter_map(|l| {
                    let code = l.get("code")?.as_str()?.to_owned();
                    if l.get("dir").and_then(Value::as_str) == Some("rtl") {
                        rtl.push(code.clone());
                    }
                    Some((
                        code.clone(),
                        l.get("name").and_then(Value::as_str).unwrap_or(&code).to_owned(),
                    ))
                })
                .collect(),
            _ => Vec::new(),
        },
    };
    let several: Vec<String> = top
        .get("pages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|p| p.get("questions").and_then(Value::as_array).into_iter().flatten())
        .filter(|q| q.get("type").and_then(Value::as_str) == Some("multipleChoice"))
        .filter_map(|q| q.get("id").and_then(Value::as_str).map(str::to_owned))
        .collect();
    let is_several = |q: &str| several.iter().any(|s| s == q);

    let mut survey_columns = vec!["type".to_owned(), "name".to_owned()];
    for base in SURVEY_TEXTS.iter().take(2) {
        survey_columns.extend(langs.headers(base));
    }
    survey_columns.push("required".into());
    survey_columns.extend(langs.headers("required_message"));
    survey_columns.extend(["relevant".to_owned(), "constraint".to_owned()]);
    for rule in message_rules() {
        survey_columns.extend(langs.headers(&format!("message_{rule}")));
    }
    survey_columns.extend(["appearance".to_owned(), "parameters".to_owned()]);
    for base in LATER_TEXTS {
        survey_columns.extend(langs.headers(base));
    }
    survey_columns.push("extra".into());
    let mut survey_rows: Vec<Cells> = Vec::new();

    let mut choice_columns = vec!["list_name".to_owned(), "name".to_owned()];
    choice_columns.extend(langs.headers("label"));
    choice_columns.extend(langs.headers("hint"));
    choice_columns.extend(["kind".to_owned(), "extra".to_owned()]);
    let mut choice_rows: Vec<Cells> = Vec::new();
    let mut list_names: Vec<String> = Vec::new();
    let mut new_list = |wanted: &str| -> String {
        let mut name = wanted.to_owned();
        let mut n = 2;
        while list_names.contains(&name) {
            name = format!("{wanted}-{n}");
            n += 1;
        }
        list_names.push(name.clone());
        name
    };

    let pages = match top.remove("pages") {
        Some(Value::Array(p)) => p,
        _ => Vec::new(),
    };
    for page in pages {
        let mut page = page.as_object().cloned().unwrap_or_default();
        let questions = match page.remove("questions") {
            Some(Value::Array(q)) => q,
            _ => Vec::new(),
        };
        let id = page.remove("id").unwrap_or_default();
        let alone = page.is_empty() && questions.len() == 1 && questions[0].get("id") == Some(&id);
        if !alone {
            let mut cells = Cells::new();
            put(&mut cells, "type", "begin_group");
            put(&mut cells, "name", cell_of(&id));
            if let Some(t) = page.remove("title") {
                put_text(&mut cells, &langs, "label", &t);
            }
            if let Some(c) = page.remove("showIf") {
                relevant(&mut cells, &mut page, c, &is_several);
            }
            put_extra(&mut cells, page);
            survey_rows.push(cells);
        }
        for q in questions {
            let q = q.as_object().cloned().unwrap_or_default();
            survey_rows.push(question(q, &langs, &is_several, &mut choice_rows, &mut new_list));
        }
        if !alone {
            let mut cells = Cells::new();
            put(&mut cells, "type", "end_group");
            survey_rows.push(cells);
        }
    }

    let mut settings = Cells::new();
    let mut settings_columns = langs.headers("form_title");
    settings_columns.extend(["form_id", "version", "default_language"].map(str::to_owned));
    settings_columns.extend(langs.headers("description"));
    settings_columns.push("estimated_minutes".into());
    settings_columns.extend(langs.headers("privacy_notice"));
    settings_columns.extend(langs.headers("privacy_notice_url"));
    settings_columns.extend(["right_to_left", "draft", "endpoint", "outcomes", "extra"].map(str::to_owned));
    if let Some(t) = top.remove("title") {
        put_text(&mut settings, &langs, "form_title", &t);
    }
    for (key, col) in [
        ("id", "form_id"),
        ("version", "version"),
        ("estimatedMinutes", "estimated_minutes"),
    ] {
        if let Some(v) = top.remove(key) {
            put(&mut settings, col, cell_of(&v));
        }
    }
    if let Some((code, name)) = langs.list.first() {
        put(&mut settings, "default_language", language_label(code, name));
    }
    if let Some(d) = top.remove("description") {
        put_text(&mut settings, &langs, "description", &d);
    }
    privacy(&mut settings, &mut top, &langs);
    if !rtl.is_empty() {
        put(&mut settings, "right_to_left", rtl.join(" "));
    }
    if top.get("draft") == Some(&Value::Bool(true)) {
        top.remove("draft");
        put(&mut settings, "draft", "yes");
    }
    for key in ["endpoint", "outcomes"] {
        if let Some(Value::String(v)) = top.get(key) {
            put(&mut settings, key, v.clone());
            top.remove(key);
        }
    }
    if top.get("formatVersion") == Some(&Value::from(1)) {
        top.remove("formatVersion");
    }
    put_extra(&mut settings, top);

    let survey = Table {
        name: "survey",
        columns: survey_columns,
        keep: vec!["type".into(), "name".into()],
        rows: survey_rows,
    };
    let choices = Table {
        name: "choices",
        columns: choice_columns,
        keep: vec!["list_name".into(), "name".into()],
        rows: choice_rows,
    };
    let keep = langs
        .headers("form_title")
        .into_iter()
        .chain(["form_id".to_owned(), "version".to_owned()])
        .collect();
    let settings = Table {
        name: "settings",
        columns: settings_columns,
        keep,
        rows: vec![settings],
    };
    Workbook {
        sheets: vec![survey.sheet(), choices.sheet(), settings.sheet()],
    }
}

/// A `showIf` as a `relevant`; one it cannot write stays in `extra`.
fn relevant(cells: &mut Cells, rest: &mut Map<String, Value>, c: Value, several: &dyn Fn(&str) -> bool) {
    match expr::relevant(&c, several) {
        Some(text) => put(cells, "relevant", text),
        None => {
            rest.insert("showIf".into(), c);
        }
    }
}

/// A privacy notice of text and address as two columns; any other shape stays in `extra`.
fn privacy(cells: &mut Cells, rest: &mut Map<String, Value>, langs: &Langs) {
    let Some(Value::Object(p)) = rest.get("privacyNotice") else {
        return;
    };
    if p.keys().any(|k| k != "text" && k != "href") {
        return;
    }
    if let Some(t) = p.get("text") {
        put_text(cells, langs, "privacy_notice", t);
    }
    if let Some(h) = p.get("href") {
        put_text(cells, langs, "privacy_notice_url", h);
    }
    rest.remove("privacyNotice");
}

fn question(
    mut q: Map<String, Value>,
    langs: &Langs,
    several: &dyn Fn(&str) -> bool,
    choice_rows: &mut Vec<Cells>,
    new_list: &mut dyn FnMut(&str) -> String,
) -> Cells {
    let mut cells = Cells::new();
    let id = q.remove("id").map(|v| cell_of(&v)).unwrap_or_default();
    let kind = q.remove("type").map(|v| cell_of(&v)).unwrap_or_default();
    put(&mut cells, "name", id.clone());
    let mut checks = None;
    let ty = match kind.as_str() {
        "text" => {
            checks = Some(Checks::Text);
            "text".to_owned()
        }
        "longText" | "email" | "phone" => {
            let appearance = match kind.as_str() {
                "longText" => {
                    checks = Some(Checks::Text);
                    "multiline"
                }
                k => k,
            };
            put(&mut cells, "appearance", appearance);
            "text".to_owned()
        }
        "number" => {
            checks = Some(Checks::Number);
            if q.get("integer") == Some(&Value::Bool(true)) {
                q.remove("integer");
                "integer".to_owned()
            } else {
                "decimal".to_owned()
            }
        }
        "date" => {
            checks = Some(Checks::Date);
            "date".to_owned()
        }
        "info" => "note".to_owned(),
        "consent" => "acknowledge".to_owned(),
        "rating" => match (
            q.get("min").and_then(Value::as_i64),
            q.get("max").and_then(Value::as_i64),
        ) {
            (Some(min), Some(max)) => {
                q.remove("min");
                q.remove("max");
                put(&mut cells, "parameters", format!("start={min} end={max}"));
                "range".to_owned()
            }
            _ => "range".to_owned(),
        },
        "singleChoice" | "multipleChoice" => {
            let list = new_list(&id);
            let rows = q
                .remove("choices")
                .and_then(|c| c.as_array().cloned())
                .unwrap_or_default();
            for c in rows {
                choice_rows.push(choice(&list, c, "value", "label", "", langs));
            }
            for special in ["other", "none"] {
                if let Some(c) = q.remove(special) {
                    choice_rows.push(choice(&list, c, "value", "label", special, langs));
                }
            }
            if kind == "singleChoice" {
                format!("select_one {list}")
            } else {
                checks = Some(Checks::Ticks);
                format!("select_multiple {list}")
            }
        }
        "yesNo" => {
            let list = new_list(&id);
            for answer in ["yes", "no"] {
                let mut c = Cells::new();
                put(&mut c, "list_name", list.clone());
                put(&mut c, "name", answer);
                if let Some(label) = q.remove(answer) {
                    put_text(&mut c, langs, "label", &label);
                }
                choice_rows.push(c);
            }
            format!("select_one {list}")
        }
        "likert" => {
            let scale = new_list(&id);
            let statements = new_list(&format!("{id}-statements"));
            for c in q
                .remove("scale")
                .and_then(|c| c.as_array().cloned())
                .unwrap_or_default()
            {
                choice_rows.push(choice(&scale, c, "value", "label", "", langs));
            }
            for c in q
                .remove("statements")
                .and_then(|c| c.as_array().cloned())
                .unwrap_or_default()
            {
                choice_rows.push(choice(&statements, c, "id", "text", "", langs));
            }
            format!("likert {scale} {statements}")
        }
        other => other.to_owned(),
    };
    put(&mut cells, "type", ty);
    if let Some(t) = q.remove("title") {
        put_text(&mut cells, langs, "label", &t);
    }
    if let Some(t) = q.remove("hint") {
        put_text(&mut cells, langs, "hint", &t);
    }
    match q.get("required") {
        _ if matches!(kind.as_str(), "info" | "consent") => {}
        Some(Value::Bool(false)) => {
            q.remove("required");
        }
        Some(Value::Bool(true)) | None => {
            q.remove("required");
            put(&mut cells, "required", "yes");
        }
        Some(_) => {}
    }
    if let Some(c) = q.remove("showIf") {
        relevant(&mut cells, &mut q, c, several);
    }
    if let Some(checks) = checks {
        if let Some((text, used)) = expr::constraint_of(&q, checks) {
            put(&mut cells, "constraint", text);
            for key in used {
                q.remove(key);
            }
        }
    }
    if let Some(Value::Object(mut messages)) = q.remove("messages") {
        if let Some(m) = messages.remove("required") {
            put_text(&mut cells, langs, "required_message", &m);
        }
        for rule in message_rules() {
            if let Some(m) = messages.remove(rule) {
                put_text(&mut cells, langs, &format!("message_{rule}"), &m);
            }
        }
        if !messages.is_empty() {
            q.insert("messages".into(), Value::Object(messages));
        }
    }
    for (key, col) in super::QUESTION_TEXTS.into_iter().chain([("body", "body")]) {
        if let Some(t) = q.remove(key) {
            put_text(&mut cells, langs, col, &t);
        }
    }
    if kind == "consent" {
        if let Some(t) = q.remove("label") {
            put_text(&mut cells, langs, "consent_label", &t);
        }
    }
    privacy(&mut cells, &mut q, langs);
    put_extra(&mut cells, q);
    cells
}

/// A choice, statement or point of a scale as a row of the `choices` sheet.
fn choice(list: &str, c: Value, value_key: &str, text_key: &str, kind: &str, langs: &Langs) -> Cells {
    let mut c = c.as_object().cloned().unwrap_or_default();
    let mut cells = Cells::new();
    put(&mut cells, "list_name", list);
    if let Some(v) = c.remove(value_key) {
        put(&mut cells, "name", cell_of(&v));
    }
    if let Some(t) = c.remove(text_key) {
        put_text(&mut cells, langs, "label", &t);
    }
    if let Some(t) = c.remove("hint") {
        put_text(&mut cells, langs, "hint", &t);
    }
    if !kind.is_empty() {
        put(&mut cells, "kind", kind);
    }
    put_extra(&mut cells, c);
    cells
}

//! A workbook read into a survey definition.
use super::expr::{self, Answers, Checks};
use super::{language_of, yes_no, Header, ImportError, Imported, LeftOut, Reason, Row, Sheet, Workbook};
use crate::core::survey::load::MESSAGE_RULES;
use crate::core::text::json;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// Device metadata an ODK form may ask for; the widget records none of it.
const METADATA: [&str; 12] = [
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
    "start-geopoint",
    "background-audio",
];

/// Survey sheet columns the import reads; any other column with text in it is listed.
const SURVEY_COLUMNS: [&str; 19] = [
    "type",
    "name",
    "label",
    "hint",
    "required",
    "required_message",
    "relevant",
    "constraint",
    "constraint_message",
    "appearance",
    "parameters",
    "error_name",
    "suffix",
    "min_label",
    "max_label",
    "consent_label",
    "body",
    "privacy_notice",
    "privacy_notice_url",
];

/// The columns of one sheet, by name, with their languages.
struct Columns {
    sheet: String,
    /// (index, name, language code or `None` for the default)
    cols: Vec<(usize, String, Option<String>)>,
}

/// The languages found in column headers, the default first.
struct Languages {
    /// (code, name)
    list: Vec<(String, String)>,
}

impl Languages {
    fn default_code(&self) -> Option<&str> {
        self.list.first().map(|(c, _)| c.as_str())
    }
}

struct Reader<'a> {
    langs: &'a Languages,
    left_out: Vec<LeftOut>,
}

impl Columns {
    fn new(sheet: &Sheet, header: &Row, langs: &Languages, left_out: &mut Vec<LeftOut>) -> Self {
        let mut cols = Vec::new();
        for (i, cell) in header.cells.iter().enumerate() {
            if cell.trim().is_empty() {
                continue;
            }
            let h = Header::parse(cell);
            let code = match &h.language {
                None => None,
                Some(label) => match language_of(label) {
                    Some((code, _)) => Some(code),
                    None => {
                        left_out.push(LeftOut {
                            sheet: sheet.name.clone(),
                            row: header.number,
                            reason: Reason::Language(label.clone()),
                        });
                        continue;
                    }
                },
            };
            let code = code.filter(|c| Some(c.as_str()) != langs.default_code());
            cols.push((i, h.base, code));
        }
        Columns {
            sheet: sheet.name.clone(),
            cols,
        }
    }

    fn has(&self, base: &str) -> bool {
        self.cols.iter().any(|(_, b, _)| b == base)
    }

    /// The cell of a column without language (or in the default language), trimmed.
    fn cell<'r>(&self, row: &'r Row, base: &str) -> &'r str {
        self.cols
            .iter()
            .filter(|(_, b, _)| b == base)
            .map(|(i, _, _)| row.cells.get(*i).map_or("", |c| c.trim()))
            .find(|c| !c.is_empty())
            .unwrap_or("")
    }

    /// A text in the survey's languages: a string when only the default language has one,
    /// else an object keyed by language.
    fn text(&self, row: &Row, base: &str, langs: &Languages) -> Option<Value> {
        let mut by_lang: Vec<(Option<&str>, &str)> = Vec::new();
        for (i, b, code) in &self.cols {
            let cell = row.cells.get(*i).map_or("", |c| c.trim());
            if b == base && !cell.is_empty() && !by_lang.iter().any(|(c, _)| *c == code.as_deref()) {
                by_lang.push((code.as_deref(), cell));
            }
        }
        match by_lang.as_slice() {
            [] => None,
            [(None, text)] => Some(json!(text)),
            _ => {
                let mut obj = Map::new();
                for (code, _) in &langs.list {
                    let wanted = (Some(code.as_str()) != langs.default_code()).then_some(code.as_str());
                    if let Some((_, text)) = by_lang.iter().find(|(c, _)| *c == wanted) {
                        obj.insert(code.clone(), json!(text));
                    }
                }
                Some(Value::Object(obj))
            }
        }
    }

    /// Like [`Self::text`], paragraphs split at blank lines.
    fn paragraphs(&self, row: &Row, base: &str, langs: &Languages) -> Option<Value> {
        let split = |t: &Value| -> Value {
            let text = t.as_str().unwrap_or_default().replace("\r\n", "\n");
            let paras: Vec<&str> = text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect();
            if paras.len() > 1 {
                json!(paras)
            } else {
                json!(text.trim())
            }
        };
        match self.text(row, base, langs)? {
            Value::Object(obj) => Some(Value::Object(obj.iter().map(|(k, v)| (k.clone(), split(v))).collect())),
            t => Some(split(&t)),
        }
    }

    /// Lists every filled cell of a column not in `known`.
    fn unused(&self, row: &Row, known: &dyn Fn(&str) -> bool, left_out: &mut Vec<LeftOut>) {
        for (i, base, _) in &self.cols {
            if !known(base) && row.cells.get(*i).is_some_and(|c| !c.trim().is_empty()) {
                left_out.push(LeftOut {
                    sheet: self.sheet.clone(),
                    row: row.number,
                    reason: Reason::UnusedColumn(base.clone()),
                });
            }
        }
    }
}

fn header_of(sheet: &Sheet) -> Option<(&Row, &[Row])> {
    let at = sheet.rows.iter().position(|r| !r.is_blank())?;
    Some((&sheet.rows[at], &sheet.rows[at + 1..]))
}

/// Reads a workbook in the XLSForm subset into a survey definition.
pub fn from_workbook(book: &Workbook) -> Result<Imported, ImportError> {
    let survey_sheet = book.sheet("survey").ok_or(ImportError::NoSurveySheet)?;
    let (survey_header, survey_rows) = header_of(survey_sheet).ok_or(ImportError::NoHeader)?;
    let settings = book.sheet("settings").and_then(header_of);
    let choices = book.sheet("choices").and_then(header_of);

    let langs = languages(book, settings);
    let mut r = Reader {
        langs: &langs,
        left_out: Vec::new(),
    };
    let cols = Columns::new(survey_sheet, survey_header, &langs, &mut r.left_out);
    if !cols.has("type") || !cols.has("name") {
        return Err(ImportError::NoHeader);
    }
    let lists = match (book.sheet("choices"), choices) {
        (Some(sheet), Some((header, rows))) => r.lists(sheet, header, rows),
        _ => Vec::new(),
    };
    let mut survey = match (book.sheet("settings"), settings) {
        (Some(sheet), Some((header, rows))) => r.settings(sheet, header, rows),
        _ => Map::new(),
    };
    let pages = r.pages(&cols, survey_rows, &lists);
    if pages.is_empty() {
        return Err(ImportError::NoQuestions);
    }
    finish(&mut survey, &langs, pages);
    let mut left_out = r.left_out;
    left_out.sort_by_key(|l| (sheet_order(&l.sheet), l.row));
    Ok(Imported {
        survey: Value::Object(survey),
        left_out,
    })
}

fn sheet_order(name: &str) -> usize {
    ["survey", "choices", "settings"]
        .iter()
        .position(|s| name.trim().eq_ignore_ascii_case(s))
        .unwrap_or(3)
}

/// The languages the columns name, the settings' `default_language` (or the first named) first.
fn languages(book: &Workbook, settings: Option<(&Row, &[Row])>) -> Languages {
    let mut list: Vec<(String, String)> = Vec::new();
    if let Some((header, rows)) = settings {
        let at = header
            .cells
            .iter()
            .position(|c| Header::parse(c).base == "default_language");
        if let Some(label) = at.and_then(|i| rows.iter().find(|r| !r.is_blank())?.cells.get(i)) {
            if let Some(lang) = language_of(label) {
                list.push(lang);
            }
        }
    }
    let mut named = false;
    for sheet in &book.sheets {
        if let Some((header, _)) = header_of(sheet) {
            for cell in &header.cells {
                if let Some(label) = Header::parse(cell).language {
                    if let Some((code, name)) = language_of(&label) {
                        named = true;
                        match list.iter_mut().find(|(c, _)| *c == code) {
                            // A default given by code alone takes its name from a column.
                            Some(entry) if entry.1 == entry.0 => entry.1 = name,
                            Some(_) => {}
                            None => list.push((code, name)),
                        }
                    }
                }
            }
        }
    }
    if !named {
        list.clear();
    }
    Languages { list }
}

fn finish(survey: &mut Map<String, Value>, langs: &Languages, pages: Vec<Value>) {
    survey.insert("formatVersion".into(), json!(1));
    let title = survey.get("title").cloned();
    if !survey.contains_key("id") {
        let from_title = title.as_ref().and_then(|t| match t {
            Value::Object(o) => o
                .values()
                .next()
                .and_then(Value::as_str)
                .and_then(crate::core::survey::paste::slug),
            t => t.as_str().and_then(crate::core::survey::paste::slug),
        });
        survey.insert("id".into(), json!(from_title.unwrap_or_else(|| "survey".into())));
    }
    if title.is_none() {
        let id = survey.get("id").cloned().unwrap_or_default();
        survey.insert("title".into(), id);
    }
    survey.entry("version").or_insert_with(|| json!("1"));
    if !langs.list.is_empty() && !survey.contains_key("languages") {
        let rtl: Vec<String> = survey
            .remove("rightToLeft")
            .and_then(|v| {
                v.as_str().map(|s| {
                    s.split([' ', ','])
                        .filter(|c| !c.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
            })
            .unwrap_or_default();
        let list: Vec<Value> = langs
            .list
            .iter()
            .map(|(code, name)| {
                if rtl.contains(code) {
                    json!({ "code": code, "name": name, "dir": "rtl" })
                } else {
                    json!({ "code": code, "name": name })
                }
            })
            .collect();
        survey.insert("languages".into(), Value::Array(list));
    }
    survey.remove("rightToLeft");
    survey.insert("pages".into(), Value::Array(pages));
}

/// A choice from the `choices` sheet.
struct Choice {
    name: String,
    label: Option<Value>,
    hint: Option<Value>,
    kind: String,
    extra: Map<String, Value>,
}

impl Choice {
    fn json(&self, value_key: &str, text_key: &str) -> Value {
        let mut c = Map::new();
        c.insert(value_key.into(), json!(self.name));
        if let Some(label) = &self.label {
            c.insert(text_key.into(), label.clone());
        }
        if let Some(hint) = &self.hint {
            c.insert("hint".into(), hint.clone());
        }
        c.extend(self.extra.clone());
        Value::Object(c)
    }
}

type Lists = Vec<(String, Vec<Choice>)>;

impl Reader<'_> {
    fn leave(&mut self, sheet: &str, row: usize, reason: Reason) {
        self.left_out.push(LeftOut {
            sheet: sheet.to_owned(),
            row,
            reason,
        });
    }

    /// An `extra` cell: a JSON object of settings the columns have no place for.
    fn extra(&mut self, cols: &Columns, row: &Row) -> Map<String, Value> {
        let cell = cols.cell(row, "extra");
        if cell.is_empty() {
            return Map::new();
        }
        match json::parse(cell) {
            Ok(Value::Object(obj)) => obj,
            Ok(_) => {
                self.leave(&cols.sheet, row.number, Reason::Extra("not an object".into()));
                Map::new()
            }
            Err(e) => {
                self.leave(&cols.sheet, row.number, Reason::Extra(e));
                Map::new()
            }
        }
    }

    fn lists(&mut self, sheet: &Sheet, header: &Row, rows: &[Row]) -> Lists {
        let cols = Columns::new(sheet, header, self.langs, &mut self.left_out);
        let mut lists: Lists = Vec::new();
        for row in rows.iter().filter(|r| !r.is_blank()) {
            let list = cols.cell(row, "list_name");
            let name = cols.cell(row, "name");
            cols.unused(
                row,
                &|b| ["list_name", "name", "label", "hint", "kind", "extra"].contains(&b),
                &mut self.left_out,
            );
            let taken = lists
                .iter()
                .any(|(l, cs)| l == list && cs.iter().any(|c| c.name == name));
            if list.is_empty() || name.is_empty() || taken {
                self.leave(&sheet.name, row.number, Reason::BadChoice);
                continue;
            }
            let choice = Choice {
                name: name.to_owned(),
                label: cols.text(row, "label", self.langs),
                hint: cols.text(row, "hint", self.langs),
                kind: cols.cell(row, "kind").to_ascii_lowercase(),
                extra: self.extra(&cols, row),
            };
            match lists.iter_mut().find(|(l, _)| l == list) {
                Some((_, cs)) => cs.push(choice),
                None => lists.push((list.to_owned(), vec![choice])),
            }
        }
        lists
    }

    fn settings(&mut self, sheet: &Sheet, header: &Row, rows: &[Row]) -> Map<String, Value> {
        let cols = Columns::new(sheet, header, self.langs, &mut self.left_out);
        let mut out = Map::new();
        let Some(row) = rows.iter().find(|r| !r.is_blank()) else {
            return out;
        };
        let known = [
            "form_title",
            "form_id",
            "version",
            "default_language",
            "description",
            "estimated_minutes",
            "privacy_notice",
            "privacy_notice_url",
            "right_to_left",
            "draft",
            "endpoint",
            "outcomes",
            "extra",
        ];
        cols.unused(row, &|b| known.contains(&b), &mut self.left_out);
        let langs = self.langs;
        let plain = |k: &str| Some(cols.cell(row, k)).filter(|c| !c.is_empty()).map(|c| json!(c));
        if let Some(id) = plain("form_id") {
            out.insert("id".into(), id);
        }
        if let Some(v) = plain("version") {
            out.insert("version".into(), v);
        }
        if let Some(t) = cols.text(row, "form_title", langs) {
            out.insert("title".into(), t);
        }
        if let Some(d) = cols.paragraphs(row, "description", langs) {
            out.insert("description".into(), d);
        }
        if let Some(m) = plain("estimated_minutes") {
            let n = m.as_str().and_then(|m| m.parse::<u64>().ok());
            out.insert("estimatedMinutes".into(), n.map_or(m, |n| json!(n)));
        }
        if let Some(p) = privacy(&cols, row, langs) {
            out.insert("privacyNotice".into(), p);
        }
        for (col, key) in [
            ("endpoint", "endpoint"),
            ("outcomes", "outcomes"),
            ("right_to_left", "rightToLeft"),
        ] {
            if let Some(v) = plain(col) {
                out.insert(key.into(), v);
            }
        }
        if let Some(d) = yes_no(cols.cell(row, "draft")).filter(|d| *d) {
            out.insert("draft".into(), json!(d));
        }
        out.extend(self.extra(&cols, row));
        out
    }

    fn pages(&mut self, cols: &Columns, rows: &[Row], lists: &Lists) -> Vec<Value> {
        let mut pages: Vec<Value> = Vec::new();
        let mut group: Option<Map<String, Value>> = None;
        let mut nested = 0usize;
        let mut repeat = 0usize;
        let mut kinds: HashMap<String, Answers> = HashMap::new();
        let sheet = cols.sheet.clone();
        for row in rows.iter().filter(|r| !r.is_blank()) {
            let ty = normalise_type(cols.cell(row, "type"));
            let name = cols.cell(row, "name").to_owned();
            let words: Vec<&str> = ty.split_whitespace().collect();
            let first = words.first().copied().unwrap_or("");
            if repeat > 0 || first == "begin_repeat" {
                repeat = match first {
                    "begin_repeat" => repeat + 1,
                    "end_repeat" => repeat - 1,
                    _ => repeat,
                };
                self.leave(&sheet, row.number, Reason::Repeat);
                continue;
            }
            match first {
                "begin_group" => {
                    if group.is_some() {
                        nested += 1;
                        self.leave(&sheet, row.number, Reason::NestedGroup);
                    } else if name.is_empty() {
                        nested += 1;
                        self.leave(&sheet, row.number, Reason::NoName);
                    } else {
                        group = Some(self.page(cols, row, &name, &kinds));
                    }
                    continue;
                }
                "end_group" => {
                    if nested > 0 {
                        nested -= 1;
                    } else if let Some(mut page) = group.take() {
                        let has_questions = page
                            .get("questions")
                            .and_then(Value::as_array)
                            .is_some_and(|q| !q.is_empty());
                        if has_questions {
                            page.entry("questions").or_insert_with(|| json!([]));
                            pages.push(Value::Object(page));
                        }
                    } else {
                        self.leave(&sheet, row.number, Reason::UnmatchedEnd);
                    }
                    continue;
                }
                "" => {
                    self.leave(&sheet, row.number, Reason::NoType);
                    continue;
                }
                _ => {}
            }
            if METADATA.contains(&first) {
                self.leave(&sheet, row.number, Reason::Metadata(first.to_owned()));
                continue;
            }
            if name.is_empty() {
                self.leave(&sheet, row.number, Reason::NoName);
                continue;
            }
            let Some(q) = self.question(cols, row, &words, &name, lists, &kinds) else {
                continue;
            };
            let answers = match q.get("type").and_then(Value::as_str) {
                Some("multipleChoice") => Answers::Several,
                Some("number" | "rating") => Answers::Number,
                _ => Answers::One,
            };
            kinds.insert(name.clone(), answers);
            match group.as_mut() {
                Some(page) => {
                    if let Some(Value::Array(qs)) = page.get_mut("questions") {
                        qs.push(q);
                    }
                }
                None => pages.push(json!({ "id": name, "questions": [q] })),
            }
        }
        if let Some(page) = group {
            if page
                .get("questions")
                .and_then(Value::as_array)
                .is_some_and(|q| !q.is_empty())
            {
                pages.push(Value::Object(page));
            }
        }
        pages
    }

    /// A `begin group` row as a page, its questions still to come.
    fn page(&mut self, cols: &Columns, row: &Row, name: &str, kinds: &HashMap<String, Answers>) -> Map<String, Value> {
        let mut page = Map::new();
        page.insert("id".into(), json!(name));
        if let Some(t) = cols.text(row, "label", self.langs) {
            page.insert("title".into(), t);
        }
        if let Some(c) = self.relevant(cols, row, kinds) {
            page.insert("showIf".into(), c);
        }
        let appearance = cols.cell(row, "appearance");
        if !appearance.is_empty() && appearance != "field-list" {
            self.leave(&cols.sheet, row.number, Reason::Appearance(appearance.to_owned()));
        }
        cols.unused(
            row,
            &|b| ["type", "name", "label", "relevant", "appearance", "extra"].contains(&b),
            &mut self.left_out,
        );
        page.extend(self.extra(cols, row));
        page.insert("questions".into(), json!([]));
        page
    }

    fn relevant(&mut self, cols: &Columns, row: &Row, kinds: &HashMap<String, Answers>) -> Option<Value> {
        let text = cols.cell(row, "relevant");
        if text.is_empty() {
            return None;
        }
        let kind = |q: &str| kinds.get(q).copied();
        match expr::parse(text).and_then(|e| expr::condition(&e, &kind)) {
            Ok(c) => Some(c),
            Err(_) => {
                self.leave(&cols.sheet, row.number, Reason::Relevant(text.to_owned()));
                None
            }
        }
    }

    fn question(
        &mut self,
        cols: &Columns,
        row: &Row,
        words: &[&str],
        name: &str,
        lists: &Lists,
        kinds: &HashMap<String, Answers>,
    ) -> Option<Value> {
        let langs = self.langs;
        let sheet = cols.sheet.clone();
        let appearance = cols.cell(row, "appearance").to_ascii_lowercase();
        let mut appearance_used = false;
        let mut q = Map::new();
        q.insert("id".into(), json!(name));
        let list = |n: usize| -> Result<&Vec<Choice>, Reason> {
            let wanted = words.get(n).copied().unwrap_or("");
            lists
                .iter()
                .find(|(l, _)| l == wanted)
                .map(|(_, c)| c)
                .ok_or_else(|| Reason::NoList(wanted.to_owned()))
        };
        let (kind, checks) = match words[0] {
            "text" => {
                appearance_used = ["multiline", "email", "phone"].contains(&appearance.as_str());
                match appearance.as_str() {
                    "multiline" => ("longText", Some(Checks::Text)),
                    "email" => ("email", None),
                    "phone" => ("phone", None),
                    _ => ("text", Some(Checks::Text)),
                }
            }
            "integer" => {
                q.insert("integer".into(), json!(true));
                ("number", Some(Checks::Number))
            }
            "decimal" => ("number", Some(Checks::Number)),
            "date" => ("date", Some(Checks::Date)),
            "note" => ("info", None),
            "acknowledge" => ("consent", None),
            "range" => {
                let params = cols.cell(row, "parameters");
                match range(params) {
                    Some((min, max)) => {
                        q.insert("min".into(), json!(min));
                        q.insert("max".into(), json!(max));
                    }
                    None => {
                        self.leave(&sheet, row.number, Reason::Parameters(params.to_owned()));
                        return None;
                    }
                }
                ("rating", None)
            }
            "select_one" | "select_multiple" => {
                let choices = match list(1) {
                    Ok(c) => c,
                    Err(reason) => {
                        self.leave(&sheet, row.number, reason);
                        return None;
                    }
                };
                let single = words[0] == "select_one";
                let plain = choices
                    .iter()
                    .all(|c| c.kind.is_empty() && c.extra.is_empty() && c.hint.is_none());
                let names: Vec<&str> = choices.iter().map(|c| c.name.as_str()).collect();
                if single && plain && names == ["yes", "no"] {
                    for c in choices {
                        if let Some(label) = &c.label {
                            q.insert(c.name.clone(), label.clone());
                        }
                    }
                    ("yesNo", None)
                } else {
                    let mut options = Vec::new();
                    for c in choices {
                        match c.kind.as_str() {
                            "other" => {
                                q.insert("other".into(), c.json("value", "label"));
                            }
                            "none" => {
                                q.insert("none".into(), c.json("value", "label"));
                            }
                            _ => options.push(c.json("value", "label")),
                        }
                    }
                    q.insert("choices".into(), Value::Array(options));
                    if words.get(2) == Some(&"or_other") {
                        q.insert("other".into(), json!({ "value": "other", "label": "Other" }));
                    }
                    if single {
                        ("singleChoice", None)
                    } else {
                        ("multipleChoice", Some(Checks::Ticks))
                    }
                }
            }
            "likert" => {
                let (scale, statements) = match (list(1), list(2)) {
                    (Ok(s), Ok(t)) => (s, t),
                    (Err(reason), _) | (_, Err(reason)) => {
                        self.leave(&sheet, row.number, reason);
                        return None;
                    }
                };
                q.insert(
                    "statements".into(),
                    statements.iter().map(|c| c.json("id", "text")).collect(),
                );
                q.insert("scale".into(), scale.iter().map(|c| c.json("value", "label")).collect());
                ("likert", None)
            }
            other => {
                self.leave(&sheet, row.number, Reason::UnsupportedType(other.to_owned()));
                return None;
            }
        };
        q.insert("type".into(), json!(kind));
        if !appearance.is_empty() && !appearance_used {
            self.leave(&sheet, row.number, Reason::Appearance(appearance.clone()));
        }
        if let Some(t) = cols.text(row, "label", langs) {
            q.insert("title".into(), t);
        }
        if let Some(t) = cols.text(row, "hint", langs) {
            q.insert("hint".into(), t);
        }
        let required = cols.cell(row, "required");
        match yes_no(required) {
            _ if matches!(kind, "info" | "consent") => {}
            Some(true) => {}
            Some(false) => {
                q.insert("required".into(), json!(false));
            }
            None => {
                self.leave(&sheet, row.number, Reason::Required(required.to_owned()));
                q.insert("required".into(), json!(false));
            }
        }
        if let Some(c) = self.relevant(cols, row, kinds) {
            q.insert("showIf".into(), c);
        }
        let mut messages = Map::new();
        if let Some(m) = cols.text(row, "required_message", langs) {
            messages.insert("required".into(), m);
        }
        let constraint = cols.cell(row, "constraint");
        if !constraint.is_empty() {
            let read = checks
                .ok_or(expr::ExprError)
                .and_then(|c| expr::parse(constraint).and_then(|e| expr::constraint(&e, c)));
            match read {
                Ok((settings, rules)) => {
                    q.extend(settings);
                    if let Some(m) = cols.text(row, "constraint_message", langs) {
                        for rule in rules {
                            messages.insert(rule.into(), m.clone());
                        }
                    }
                }
                Err(_) => self.leave(&sheet, row.number, Reason::Constraint(constraint.to_owned())),
            }
        }
        for rule in MESSAGE_RULES {
            if let Some(m) = cols.text(row, &format!("message_{}", rule.to_ascii_lowercase()), langs) {
                messages.insert((*rule).into(), m);
            }
        }
        if !messages.is_empty() {
            q.insert("messages".into(), Value::Object(messages));
        }
        for (key, col) in super::QUESTION_TEXTS.into_iter().chain([("label", "consent_label")]) {
            if let Some(t) = cols.text(row, col, langs) {
                q.insert(key.into(), t);
            }
        }
        if let Some(b) = cols.paragraphs(row, "body", langs) {
            q.insert("body".into(), b);
        }
        if let Some(p) = privacy(cols, row, langs) {
            q.insert("privacyNotice".into(), p);
        }
        let message_columns: Vec<String> = MESSAGE_RULES
            .iter()
            .map(|r| format!("message_{}", r.to_ascii_lowercase()))
            .collect();
        cols.unused(
            row,
            &|b| SURVEY_COLUMNS.contains(&b) || b == "extra" || message_columns.iter().any(|m| m == b),
            &mut self.left_out,
        );
        if constraint.is_empty() && !cols.cell(row, "constraint_message").is_empty() {
            self.leave(&sheet, row.number, Reason::UnusedColumn("constraint_message".into()));
        }
        q.extend(self.extra(cols, row));
        Some(Value::Object(q))
    }
}

/// A privacy notice from `privacy_notice` (its text) and `privacy_notice_url`.
fn privacy(cols: &Columns, row: &Row, langs: &Languages) -> Option<Value> {
    let text = cols.text(row, "privacy_notice", langs);
    let href = cols.text(row, "privacy_notice_url", langs);
    if text.is_none() && href.is_none() {
        return None;
    }
    let mut p = Map::new();
    if let Some(t) = text {
        p.insert("text".into(), t);
    }
    if let Some(h) = href {
        p.insert("href".into(), h);
    }
    Some(Value::Object(p))
}

/// `start=1 end=10 step=1` as (1, 10).
fn range(params: &str) -> Option<(i64, i64)> {
    let mut start = None;
    let mut end = None;
    for part in params.split_whitespace() {
        let (k, v) = part.split_once('=')?;
        let n: f64 = v.trim().parse().ok()?;
        let whole = (n.fract() == 0.0 && n.abs() < 1e9).then_some(n as i64)?;
        match k.trim() {
            "start" => start = Some(whole),
            "end" => end = Some(whole),
            "step" if whole == 1 => {}
            _ => return None,
        }
    }
    Some((start?, end?))
}

/// `select one x` and `begin group` as pyxform writes them: `select_one x`, `begin_group`.
/// Only the type's own words are lower-cased: list names keep their case.
fn normalise_type(ty: &str) -> String {
    let words: Vec<&str> = ty.split_whitespace().collect();
    let lower: Vec<String> = words.iter().map(|w| w.to_ascii_lowercase()).collect();
    let rest = |n: usize| words.get(n..).unwrap_or_default().join(" ");
    match lower.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["select", "one", ..] => format!("select_one {}", rest(2)),
        ["select", "multiple", ..] => format!("select_multiple {}", rest(2)),
        ["begin", kind, ..] => format!("begin_{kind}"),
        ["end", kind, ..] => format!("end_{kind}"),
        [first, ..] => {
            let mut out = vec![(*first).to_owned()];
            // `or_other` is a keyword, whatever its case; list names keep theirs.
            out.extend(words[1..].iter().map(|w| {
                if w.eq_ignore_ascii_case("or_other") {
                    "or_other".to_owned()
                } else {
                    (*w).to_owned()
                }
            }));
            out.join(" ")
        }
        [] => String::new(),
    }
}

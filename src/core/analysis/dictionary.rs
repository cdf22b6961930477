//! The analysis exports' plan (issue #12): the wide CSV's columns, the long ("tidy") CSV's
//! rows, and the data dictionary that says what every column and code means. Pure, so the
//! collector streams exports from it and tests check it without a server.
//!
//! - Wide: one row per response; the fixed columns, then per question in survey order one
//!   column (`question`), or for multiple choice one 0/1 column per option
//!   (`question.option`), for a Likert matrix one column per statement
//!   (`question.statement`), and for single choice with Other a `question.other` column for
//!   the typed text. Cells hold answer codes; the dictionary has the labels. A multiple-choice
//!   question the person was not shown (or skipped) has empty cells, not zeros.
//! - Long: `response_id, question_id, option, value, locale, received_at, event`; one row per
//!   answer, one per chosen option of a multiple choice (`value` 1), one per Likert statement
//!   (`option` the statement, `value` the scale code).
//! - Question ids cannot contain `.`, so column names cannot collide.
use super::csv::cell;
use crate::core::survey::definition::{rating_points, yes_no_choices, QuestionKind, Survey};
use crate::core::text::messages::Catalogue;
use serde_json::Value;

/// The wide CSV's first columns.
pub const WIDE_FIXED: [&str; 9] = [
    "response_id",
    "survey_version",
    "locale",
    "languages_used",
    "started_at",
    "completed_at",
    "received_at",
    "event",
    "device",
];

/// The long CSV's columns.
pub const LONG_COLUMNS: [&str; 8] = [
    "response_id",
    "question_id",
    "option",
    "value",
    "locale",
    "languages_used",
    "received_at",
    "event",
];

/// The questions file's columns.
pub const QUESTION_COLUMNS: [&str; 9] = [
    "survey_id",
    "survey_version",
    "question_id",
    "position",
    "page_id",
    "type",
    "required",
    "language",
    "title",
];

/// The options file's columns.
pub const OPTION_COLUMNS: [&str; 9] = [
    "survey_id",
    "survey_version",
    "question_id",
    "kind",
    "code",
    "position",
    "language",
    "label",
    "wide_column",
];

/// What a wide column holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WideCell {
    /// The answer's code or text.
    Answer(String),
    /// 1 if this option of a multiple choice was chosen, 0 if not, empty if unanswered.
    Chosen(String, String),
    /// One statement's scale code.
    Statement(String, String),
    /// The text typed into a single choice's "Other".
    OtherText(String),
}

/// A wide column: its name and what it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WideColumn {
    /// The header.
    pub name: String,
    /// Its content.
    pub cell: WideCell,
}

/// The type name used in survey files, for the dictionary.
pub fn type_name(kind: &QuestionKind) -> &'static str {
    match kind {
        QuestionKind::ShortText { .. } => "text",
        QuestionKind::LongText { .. } => "longText",
        QuestionKind::Number { .. } => "number",
        QuestionKind::Date { .. } => "date",
        QuestionKind::Email => "email",
        QuestionKind::Phone => "phone",
        QuestionKind::SingleChoice { .. } => "singleChoice",
        QuestionKind::MultipleChoice { .. } => "multipleChoice",
        QuestionKind::YesNo { .. } => "yesNo",
        QuestionKind::Rating { .. } => "rating",
        QuestionKind::Likert { .. } => "likert",
        QuestionKind::Consent { .. } => "consent",
        QuestionKind::Info { .. } => "info",
    }
}

/// Appends `survey`'s wide columns that `columns` does not have yet, so the columns of several
/// versions of one survey form one stable list: the first version's, then what later ones add.
pub fn wide_columns(survey: &Survey, columns: &mut Vec<WideColumn>) {
    let mut push = |name: String, cell: WideCell| {
        if !columns.iter().any(|c| c.name == name) {
            columns.push(WideColumn { name, cell });
        }
    };
    for (_, q) in survey.questions() {
        let id = &q.id.0;
        match &q.kind {
            QuestionKind::Info { .. } => {}
            QuestionKind::MultipleChoice { choices, none, .. } => {
                for c in choices.iter().chain(none) {
                    push(
                        format!("{id}.{}", c.value),
                        WideCell::Chosen(id.clone(), c.value.clone()),
                    );
                }
            }
            QuestionKind::Likert { statements, .. } => {
                for s in statements {
                    push(format!("{id}.{}", s.id), WideCell::Statement(id.clone(), s.id.clone()));
                }
            }
            QuestionKind::SingleChoice { other, .. } => {
                push(id.clone(), WideCell::Answer(id.clone()));
                if other.is_some() {
                    push(format!("{id}.other"), WideCell::OtherText(id.clone()));
                }
            }
            _ => push(id.clone(), WideCell::Answer(id.clone())),
        }
    }
}

/// A scalar answer as its code: strings as they are, numbers as numbers, `true` as 1.
fn code(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Bool(true) => "1".into(),
        Value::Bool(false) => "0".into(),
        Value::Number(n) => n.to_string(),
        Value::Object(o) => o.get("value").map(code).unwrap_or_default(),
        _ => String::new(),
    }
}

fn csv_line(out: &mut String, cells: &[String]) {
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

/// The header line of a CSV with these column names, with a byte-order mark for Excel.
pub fn header_line<S: AsRef<str>>(names: &[S]) -> String {
    let mut out = String::from("\u{feff}");
    let cells: Vec<String> = names.iter().map(|n| cell(n.as_ref())).collect();
    csv_line(&mut out, &cells);
    out
}

/// Every language used on the way (issue #23), as `en; cy`.
fn languages_used(body: &Value) -> String {
    body.get("languagesUsed")
        .and_then(Value::as_array)
        .map(|l| l.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("; "))
        .unwrap_or_default()
}

fn fixed_cells(body: &Value) -> [String; 4] {
    let text = |key: &str| body.get(key).and_then(Value::as_str).unwrap_or("").to_owned();
    [
        text("responseId"),
        text("locale"),
        languages_used(body),
        body.pointer("/context/event")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned(),
    ]
}

/// Appends one wide line for a stored body.
pub fn wide_line(out: &mut String, columns: &[WideColumn], body: &Value, received_at: &str) {
    let text = |key: &str| body.get(key).and_then(Value::as_str).unwrap_or("");
    let context = |key: &str| {
        body.get("context")
            .and_then(|c| c.get(key))
            .and_then(Value::as_str)
            .unwrap_or("")
    };
    let used = languages_used(body);
    let mut cells: Vec<String> = [
        text("responseId"),
        text("surveyVersion"),
        text("locale"),
        &used,
        text("startedAt"),
        text("completedAt"),
        received_at,
        context("event"),
        context("device"),
    ]
    .iter()
    .map(|t| cell(t))
    .collect();
    let answers = body.get("answers").and_then(Value::as_object);
    let answer = |id: &str| answers.and_then(|a| a.get(id));
    for column in columns {
        let value = match &column.cell {
            WideCell::Answer(id) => answer(id).map(code).unwrap_or_default(),
            WideCell::Chosen(id, option) => match answer(id).and_then(Value::as_array) {
                Some(chosen) => if chosen.iter().any(|v| v.as_str() == Some(option)) {
                    "1"
                } else {
                    "0"
                }
                .into(),
                None => String::new(),
            },
            WideCell::Statement(id, statement) => {
                answer(id).and_then(|a| a.get(statement)).map(code).unwrap_or_default()
            }
            WideCell::OtherText(id) => answer(id)
                .and_then(|a| a.get("other"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
        };
        cells.push(cell(&value));
    }
    csv_line(out, &cells);
}

/// Appends the long lines of one stored body: one per answer, chosen option or statement.
pub fn long_lines(out: &mut String, body: &Value, received_at: &str) {
    let [id, locale, used, event] = fixed_cells(body).map(|c| cell(&c));
    let received = cell(received_at);
    let Some(answers) = body.get("answers").and_then(Value::as_object) else {
        return;
    };
    let mut row = |question: &str, option: &str, value: &str| {
        let cells = [
            id.clone(),
            cell(question),
            cell(option),
            cell(value),
            locale.clone(),
            used.clone(),
            received.clone(),
            event.clone(),
        ];
        csv_line(out, &cells);
    };
    for (question, value) in answers {
        match value {
            Value::Array(chosen) => {
                for option in chosen.iter().filter_map(Value::as_str) {
                    row(question, option, "1");
                }
            }
            Value::Object(map) if map.contains_key("value") => {
                row(question, "", &code(value));
                if let Some(other) = map.get("other").and_then(Value::as_str) {
                    row(question, "other", other);
                }
            }
            Value::Object(statements) => {
                for (statement, v) in statements {
                    row(question, statement, &code(v));
                }
            }
            other => row(question, "", &code(other)),
        }
    }
}

/// The language of the survey's texts: the one it was loaded in (issue #23), or what a
/// single-language file names as its own.
fn language(survey: &Survey) -> &str {
    survey.lang.as_deref().unwrap_or(&survey.locale)
}

/// `questions.csv` for one version in one language: a row per answerable question (the
/// collector writes the rows of each of the survey's languages).
pub fn questions_csv(survey: &Survey) -> String {
    let mut out = header_line(&QUESTION_COLUMNS);
    let lang = language(survey);
    let mut position = 0;
    for page in &survey.pages {
        for q in page.questions.iter().filter(|q| q.kind.is_answerable()) {
            position += 1;
            let cells = [
                survey.id.0.as_str(),
                survey.version.as_str(),
                q.id.0.as_str(),
                &position.to_string(),
                page.id.0.as_str(),
                type_name(&q.kind),
                if q.required { "yes" } else { "no" },
                q.lang.as_deref().unwrap_or(lang),
                &q.title,
            ]
            .map(cell);
            csv_line(&mut out, &cells);
        }
    }
    out
}

/// One coded option of a question, as the data dictionary lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodedOption {
    /// `choice`, `other`, `none`, `point`, `statement` or `scale`.
    pub kind: &'static str,
    /// The code stored in answers.
    pub code: String,
    /// What the person read.
    pub label: String,
    /// The wide column it fills (empty for a Likert scale point, which fills its statements').
    pub wide_column: String,
}

/// Every coded option of question `id`, in the survey's order: choices with their "Other" or
/// "none of these", yes and no, rating points (labelled at the ends), Likert statements then
/// scale points, and consent's one box. Yes and no are labelled from `catalogue`, as the
/// widget shows them.
pub fn coded_options(id: &str, kind: &QuestionKind, catalogue: &Catalogue) -> Vec<CodedOption> {
    let row = |kind, code: &str, label: &str, wide_column: String| CodedOption {
        kind,
        code: code.to_owned(),
        label: label.to_owned(),
        wide_column,
    };
    let mut rows = Vec::new();
    match kind {
        QuestionKind::SingleChoice { choices, other, .. } => {
            rows.extend(choices.iter().map(|c| row("choice", &c.value, &c.label, id.to_owned())));
            if let Some(o) = other {
                rows.push(row("other", &o.value, &o.label, format!("{id}.other")));
            }
        }
        QuestionKind::MultipleChoice { choices, none, .. } => {
            rows.extend(
                choices
                    .iter()
                    .map(|c| row("choice", &c.value, &c.label, format!("{id}.{}", c.value))),
            );
            if let Some(n) = none {
                rows.push(row("none", &n.value, &n.label, format!("{id}.{}", n.value)));
            }
        }
        QuestionKind::YesNo { yes, no } => {
            rows.extend(
                yes_no_choices(yes, no, catalogue, None)
                    .iter()
                    .map(|c| row("choice", &c.value, &c.label, id.to_owned())),
            );
        }
        QuestionKind::Rating {
            min,
            max,
            min_label,
            max_label,
        } => {
            // Labelled at the ends, as the widget shows them; the points between by number.
            rows.extend(
                rating_points(*min, *max, min_label, max_label, None)
                    .iter()
                    .map(|c| row("point", &c.value, c.hint.as_ref().unwrap_or(&c.label), id.to_owned())),
            );
        }
        QuestionKind::Likert { statements, scale } => {
            rows.extend(
                statements
                    .iter()
                    .map(|s| row("statement", &s.id, &s.text, format!("{id}.{}", s.id))),
            );
            rows.extend(scale.iter().map(|c| row("scale", &c.value, &c.label, String::new())));
        }
        QuestionKind::Consent { label, .. } => rows.push(row("choice", "1", label, id.to_owned())),
        _ => {}
    }
    rows
}

/// `options.csv` for one version: a row per coded option ([`coded_options`]), with the wide
/// column each one fills.
pub fn options_csv(survey: &Survey) -> String {
    let mut out = header_line(&OPTION_COLUMNS);
    let lang = language(survey);
    let catalogue = Catalogue::english();
    for (_, q) in survey.questions() {
        let id = q.id.0.as_str();
        for (position, o) in coded_options(id, &q.kind, &catalogue).iter().enumerate() {
            let cells = [
                survey.id.0.as_str(),
                survey.version.as_str(),
                id,
                o.kind,
                &o.code,
                &(position + 1).to_string(),
                q.lang.as_deref().unwrap_or(lang),
                &o.label,
                &o.wide_column,
            ]
            .map(cell);
            csv_line(&mut out, &cells);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn survey() -> Survey {
        let text = r#"{ "formatVersion": 1, "id": "s", "version": "2", "title": "S", "lang": "cy", "pages": [ { "id": "p1", "questions": [
            { "id": "pick", "type": "singleChoice", "title": "Dewis", "choices": [ { "value": "a", "label": "A" } ], "other": { "value": "other", "label": "Arall" } },
            { "id": "many", "type": "multipleChoice", "title": "Many", "choices": [ { "value": "x", "label": "X" }, { "value": "y", "label": "Y" } ], "none": { "value": "none", "label": "None" } },
            { "id": "agree", "type": "likert", "title": "Agree", "statements": [ { "id": "s1", "text": "One" } ], "scale": [ { "value": "1", "label": "No" } ] },
            { "id": "info", "type": "info", "title": "Info", "body": ["x"] },
            { "id": "ok", "type": "consent", "title": "OK", "label": "I agree" }
        ] } ] }"#;
        crate::core::survey::load::load_survey(text).unwrap()
    }

    #[test]
    fn wide_columns_follow_the_survey_and_are_stable() {
        let mut columns = Vec::new();
        wide_columns(&survey(), &mut columns);
        let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            ["pick", "pick.other", "many.x", "many.y", "many.none", "agree.s1", "ok"]
        );
        let again = columns.clone();
        wide_columns(&survey(), &mut columns);
        assert_eq!(columns, again, "a second version with the same questions adds nothing");
    }

    #[test]
    fn wide_lines_hold_codes_and_zero_one() {
        let mut columns = Vec::new();
        wide_columns(&survey(), &mut columns);
        let body = json!({ "responseId": "r", "surveyVersion": "2", "locale": "cy", "languagesUsed": ["en", "cy"],
            "startedAt": "a", "completedAt": "b", "context": { "event": "Café" },
            "answers": { "pick": { "value": "other", "other": "=cmd" }, "many": ["y"], "agree": { "s1": "1" }, "ok": true } });
        let mut out = String::new();
        wide_line(&mut out, &columns, &body, "t");
        assert_eq!(out, "r,2,cy,\"en; cy\",a,b,t,Café,,other,'=cmd,0,1,0,1,1\r\n");
        let mut out = String::new();
        wide_line(&mut out, &columns, &json!({ "responseId": "r", "answers": {} }), "t");
        assert!(out.ends_with(",,,,,,,\r\n"), "unanswered is empty, not 0: {out}");
    }

    #[test]
    fn long_lines_are_one_per_answer_part() {
        let body = json!({ "responseId": "r", "locale": "en", "answers": {
            "pick": { "value": "other", "other": "text" }, "many": ["x", "y"], "agree": { "s1": "1" }, "n": 4 } });
        let mut out = String::new();
        long_lines(&mut out, &body, "t");
        assert_eq!(
            out,
            "r,agree,s1,1,en,,t,\r\nr,many,x,1,en,,t,\r\nr,many,y,1,en,,t,\r\nr,n,,4,en,,t,\r\nr,pick,,other,en,,t,\r\nr,pick,other,text,en,,t,\r\n"
        );
    }

    #[test]
    fn the_dictionary_names_every_code_with_its_language() {
        let q = questions_csv(&survey());
        assert!(q.starts_with(
            "\u{feff}survey_id,survey_version,question_id,position,page_id,type,required,language,title\r\n"
        ));
        assert!(q.contains("s,2,pick,1,p1,singleChoice,yes,cy,Dewis\r\n"), "{q}");
        assert!(!q.contains(",info,"));
        let o = options_csv(&survey());
        assert!(o.contains("s,2,pick,other,other,2,cy,Arall,pick.other\r\n"), "{o}");
        assert!(o.contains("s,2,many,none,none,3,cy,None,many.none\r\n"));
        assert!(o.contains("s,2,agree,statement,s1,1,cy,One,agree.s1\r\n"));
        assert!(o.contains("s,2,agree,scale,1,2,cy,No,\r\n"));
    }
}

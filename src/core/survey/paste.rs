//! Questions pasted as text (issue #25): what people copy out of a Word document or a form
//! they cannot export, turned into a survey definition to review. A numbered line is a
//! question; lines below it marked as options (`a)`, `-`, `•`, `☐` …) are its options, and
//! an unmarked line before any option is its hint. Every line it cannot place is listed with
//! its number, never dropped silently.
//!
//! What it guesses, the person reviews in the preview: options "Yes" and "No" alone make a
//! yes/no question, "tick all" or "all that apply" in the question makes checkboxes, an option
//! called "Other" becomes the question's "other" (with its text box), "None of these" the
//! checkboxes' exclusive "none", and a question with no options a long answer. Every
//! question starts optional: whether one must be answered is the author's choice.
use serde_json::{json, Map, Value};

/// What a paste came to: the survey's JSON and the lines that were not taken.
#[derive(Clone, Debug, PartialEq)]
pub struct Pasted {
    /// A survey definition (format version 1) to review.
    pub survey: Value,
    /// Each line that was not taken: its number (from 1) and its text.
    pub left_out: Vec<(usize, String)>,
}

struct Draft {
    title: String,
    hint: Vec<String>,
    options: Vec<String>,
}

/// Reads pasted text into a survey called `title` (the first unnumbered line before the
/// first question, when there is one, is the title instead).
pub fn from_text(text: &str, title: &str) -> Pasted {
    let mut drafts: Vec<Draft> = Vec::new();
    let mut left_out = Vec::new();
    let mut heading: Option<String> = None;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(question) = numbered(line) {
            drafts.push(Draft {
                title: question.to_owned(),
                hint: Vec::new(),
                options: Vec::new(),
            });
            continue;
        }
        let option = marked(line);
        match (drafts.last_mut(), option) {
            (Some(d), Some(option)) => d.options.push(option.to_owned()),
            (Some(d), None) if d.options.is_empty() => d.hint.push(line.to_owned()),
            // An unmarked line among options is one more option (Word drops the bullets).
            (Some(d), None) => d.options.push(line.to_owned()),
            (None, None) if heading.is_none() => heading = Some(line.to_owned()),
            (None, _) => left_out.push((n + 1, line.to_owned())),
        }
    }
    let mut ids: Vec<String> = Vec::new();
    let pages: Vec<Value> = drafts
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let id = unique_id(&d.title, i, &mut ids);
            json!({ "id": id.clone(), "questions": [question(d, id)] })
        })
        .collect();
    let title = heading.unwrap_or_else(|| title.to_owned());
    let survey = json!({
        "formatVersion": 1,
        "id": slug(&title).unwrap_or_else(|| "pasted-survey".to_owned()),
        "version": "1",
        "title": title,
        "pages": pages,
    });
    Pasted { survey, left_out }
}

fn question(d: &Draft, id: String) -> Value {
    let mut q = Map::new();
    q.insert("id".into(), json!(id));
    q.insert("title".into(), json!(d.title));
    if !d.hint.is_empty() {
        q.insert("hint".into(), json!(d.hint.join(" ")));
    }
    q.insert("required".into(), json!(false));
    let lower = d.title.to_ascii_lowercase();
    let is = |option: &str, words: &[&str]| words.contains(&option.trim().to_ascii_lowercase().as_str());
    let multiple = ["tick all", "select all", "all that apply", "choose all"]
        .iter()
        .any(|w| lower.contains(w));
    let kind = if d.options.is_empty() {
        "longText"
    } else if d.options.len() == 2 && is(&d.options[0], &["yes"]) && is(&d.options[1], &["no"]) {
        "yesNo"
    } else if multiple {
        "multipleChoice"
    } else {
        "singleChoice"
    };
    q.insert("type".into(), json!(kind));
    match kind {
        "longText" => {
            q.insert("maxLength".into(), json!(1000));
        }
        "singleChoice" | "multipleChoice" => {
            let mut values: Vec<String> = Vec::new();
            let mut choices = Vec::new();
            for option in &d.options {
                let value = unique_id(option, choices.len(), &mut values);
                let choice = json!({ "value": value, "label": option });
                if kind == "singleChoice" && is(option, &["other", "something else"]) {
                    q.insert("other".into(), choice);
                } else if kind == "multipleChoice" && is(option, &["none of these", "none of the above", "none"]) {
                    q.insert("none".into(), choice);
                } else {
                    choices.push(choice);
                }
            }
            q.insert("choices".into(), Value::Array(choices));
        }
        _ => {}
    }
    Value::Object(q)
}

/// The text of a numbered line ("1. …", "2) …", "Q3: …", "Question 4 - …"), if it is one.
fn numbered(line: &str) -> Option<&str> {
    let lower = line.to_ascii_lowercase();
    let start = ["question", "q"]
        .iter()
        .find(|p| lower.starts_with(**p) && lower[p.len()..].trim_start().starts_with(|c: char| c.is_ascii_digit()))
        .map_or(0, |p| p.len());
    let rest = line.get(start..)?.trim_start();
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 3 {
        return None;
    }
    let after = rest.get(digits..)?;
    // "1. How …", "2) What …"; after "Q3" the mark may be missing. "1.5 hours" is not one.
    let text = after
        .strip_prefix(['.', ')', ':', '-'])
        .or_else(|| (start > 0).then_some(after))?;
    (text.starts_with(char::is_whitespace) && !text.trim().is_empty()).then(|| text.trim())
}

/// The text of a line marked as an option ("a) …", "B. …", "- …", "• …", "☐ …"), if it is one.
fn marked(line: &str) -> Option<&str> {
    for bullet in ['-', '*', '•', '◦', '▪', '☐', '□', '○', '❏'] {
        if let Some(rest) = line.strip_prefix(bullet) {
            let rest = rest.trim();
            return (!rest.is_empty()).then_some(rest);
        }
    }
    let mut chars = line.chars();
    let letter = chars.next()?;
    let mark = chars.next()?;
    let rest = chars.as_str();
    (letter.is_ascii_alphabetic() && matches!(mark, ')' | '.') && rest.starts_with(' '))
        .then(|| rest.trim())
        .filter(|r| !r.is_empty())
}

/// An id from `text`: its first words, lower case, joined by hyphens; unique among `taken`.
fn unique_id(text: &str, index: usize, taken: &mut Vec<String>) -> String {
    let base = slug(text).unwrap_or_else(|| format!("q{}", index + 1));
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    taken.push(id.clone());
    id
}

/// Up to four words of `text` as an id (`how-did-you-hear`), or `None` when it has no letters
/// or digits a survey id may hold. Always a valid id (`ids::is_valid_id`).
pub(crate) fn slug(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(4)
        .map(str::to_ascii_lowercase)
        .collect();
    let id = words.join("-");
    // Ids start with a letter.
    match id.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => Some(id),
        Some(_) => Some(format!("q-{id}")),
        None => None,
    }
}

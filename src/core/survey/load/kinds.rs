//! Each question kind's own keys, and its choices and pattern.

use super::reader::{Cx, Obj};
use super::values::is_safe_link;
use super::{DefinitionErrorKind, LONG_TEXT_MAX, MAX_PATTERN_LEN, RATING_MAX_POINTS, SHORT_TEXT_MAX};
use crate::core::survey::date::Date;
use crate::core::survey::definition::{Choice, Link, Pattern, QuestionKind, Statement};
use serde_json::Value;

pub(super) fn link(value: &Value, path: String, cx: &mut Cx) -> Option<Link> {
    let obj = Obj::new(value, path, &["text", "href", "lang"], cx)?;
    let text = obj.text("text", true, cx);
    let lang = obj.lang(cx).or(cx.take_fallback());
    let href = href(&obj, cx)?;
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

/// A link's target: one address, or one per language (a Welsh privacy notice beside the
/// English one). A language without its own address uses the default's, unreported: one page
/// may well serve every language. Every address given must be safe.
fn href(obj: &Obj<'_>, cx: &mut Cx) -> Option<String> {
    let Some(Value::Object(map)) = obj.get("href") else {
        return obj.string("href", true, cx);
    };
    let mut safe = true;
    for (lang, target) in map {
        let path = format!("{}.{lang}", obj.at("href"));
        match target.as_str() {
            _ if !cx.languages.contains(lang) => cx.err(path, DefinitionErrorKind::UnknownLanguage(lang.clone())),
            Some(target) if is_safe_link(target) => {}
            Some(target) => {
                cx.err(path, DefinitionErrorKind::UnsafeLink(target.to_owned()));
                safe = false;
            }
            None => cx.err(path, DefinitionErrorKind::WrongType("a link")),
        }
    }
    let chosen = [cx.languages.get(cx.target), cx.languages.first()]
        .into_iter()
        .flatten()
        .find_map(|lang| map.get(lang).and_then(Value::as_str));
    match chosen {
        Some(target) if safe => Some(target.to_owned()),
        Some(_) => None,
        None => {
            cx.err(obj.at("href"), DefinitionErrorKind::Missing("href"));
            None
        }
    }
}

pub(super) fn text_bounds(obj: &Obj<'_>, ceiling: u32, cx: &mut Cx) -> (Option<u32>, u32) {
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

/// The kind a question's `type` names, with that kind's own keys read; `None` for a type
/// that does not exist.
pub(super) fn kind(type_name: &str, obj: &Obj<'_>, cx: &mut Cx) -> Option<QuestionKind> {
    Some(match type_name {
        "text" => short_text(obj, cx),
        "longText" => long_text(obj, cx),
        "number" => number(obj, cx),
        "date" => date(obj, cx),
        "email" => QuestionKind::Email,
        "phone" => QuestionKind::Phone,
        "yesNo" => QuestionKind::YesNo {
            yes: obj.text("yes", false, cx),
            no: obj.text("no", false, cx),
        },
        "singleChoice" => single_choice(obj, cx),
        "multipleChoice" => multiple_choice(obj, cx),
        "rating" => rating(obj, cx),
        "likert" => likert(obj, cx),
        "consent" => consent(obj, cx)?,
        "info" => info(obj, cx),
        _ => return None,
    })
}

/// A short text answer: its length bounds, pattern and autocomplete hint.
fn short_text(obj: &Obj<'_>, cx: &mut Cx) -> QuestionKind {
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

/// A long text answer: its length bounds.
fn long_text(obj: &Obj<'_>, cx: &mut Cx) -> QuestionKind {
    let (min_length, max_length) = text_bounds(obj, LONG_TEXT_MAX, cx);
    QuestionKind::LongText { min_length, max_length }
}

/// A number: whole or not, its range and suffix.
fn number(obj: &Obj<'_>, cx: &mut Cx) -> QuestionKind {
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
        suffix: obj.text("suffix", false, cx),
    }
}

/// A date: its range, and whether it must be in the past.
fn date(obj: &Obj<'_>, cx: &mut Cx) -> QuestionKind {
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

/// One choice of several, with an optional "Other" and its text box.
fn single_choice(obj: &Obj<'_>, cx: &mut Cx) -> QuestionKind {
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

/// Any of several choices, with an optional exclusive "None of these" and bounds on how many.
fn multiple_choice(obj: &Obj<'_>, cx: &mut Cx) -> QuestionKind {
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

/// A rating scale: its points and end labels.
fn rating(obj: &Obj<'_>, cx: &mut Cx) -> QuestionKind {
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
        min_label: obj.text("minLabel", false, cx),
        max_label: obj.text("maxLabel", false, cx),
    }
}

/// A grid of statements on one scale.
fn likert(obj: &Obj<'_>, cx: &mut Cx) -> QuestionKind {
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
            let (id, text) = (s.id(cx), s.text("text", true, cx));
            let lang = s.lang(cx).or(cx.take_fallback());
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

/// A consent box and its privacy notice.
fn consent(obj: &Obj<'_>, cx: &mut Cx) -> Option<QuestionKind> {
    Some(QuestionKind::Consent {
        label: obj.text("label", true, cx)?,
        privacy_notice: obj
            .get("privacyNotice")
            .and_then(|v| link(v, obj.at("privacyNotice"), cx)),
    })
}

/// Text to read, with links; asks nothing.
fn info(obj: &Obj<'_>, cx: &mut Cx) -> QuestionKind {
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

pub(super) fn compile_pattern(source: &str, path: String, cx: &mut Cx) -> Option<Pattern> {
    if source.len() > MAX_PATTERN_LEN {
        cx.err(
            path,
            DefinitionErrorKind::BadPattern(format!("longer than {MAX_PATTERN_LEN} characters")),
        );
        return None;
    }
    match crate::core::survey::pattern::Pattern::new(source) {
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

pub(super) fn choice_list(obj: &Obj<'_>, key: &'static str, values: &mut Vec<String>, cx: &mut Cx) -> Vec<Choice> {
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
pub(super) fn choice(
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
        Some(Value::Number(n)) => Some(crate::core::text::json::number_text(n)),
        _ => obj.string("value", true, cx),
    };
    let label = obj.text("label", true, cx);
    let label_fell_back = cx.take_fallback();
    let hint = obj.text("hint", false, cx);
    let hint_lang = cx.take_fallback();
    let lang = obj.lang(cx).or(label_fell_back);
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
        hint_lang,
    })
}

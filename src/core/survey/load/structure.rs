//! The survey, its pages, questions and links: the shape around the questions' kinds.

use super::choose_language;
use super::conditions::condition;
use super::kinds::{kind, link};
use super::reader::{Cx, Obj, Seen};
use super::values::is_allowed_endpoint;
use super::values::is_lang_tag;
use super::DefinitionErrorKind;
use super::MESSAGE_RULES;
use crate::core::survey::definition::{Language, MissingText, Page, Question, Survey, FORMAT_VERSION};
use crate::core::survey::ids::{PageId, QuestionId, SurveyId};
use crate::core::text::json::{number_text, whole};
use crate::core::text::{DEFAULT_LOCALE, LOCALES, LOCALES_IN_WORDS};
use serde_json::Value;
use std::collections::BTreeMap;

/// The survey's `languages`: each code (a language tag the widget has a catalogue for, once
/// only), its name in itself and its direction. None declared is English alone.
fn languages(obj: &Obj<'_>, cx: &mut Cx) -> Vec<Language> {
    let Some(items) = obj.array("languages", false, cx) else {
        return vec![Language {
            code: DEFAULT_LOCALE.into(),
            name: "English".into(),
            rtl: false,
        }];
    };
    if items.is_empty() {
        cx.err(obj.at("languages"), DefinitionErrorKind::Empty);
    }
    let mut out: Vec<Language> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Some(l) = Obj::new(
            item,
            format!("{}[{i}]", obj.at("languages")),
            &["code", "name", "dir"],
            cx,
        ) else {
            continue;
        };
        let code = l.string("code", true, cx);
        let name = l.string("name", true, cx);
        let rtl = match l.string("dir", false, cx).as_deref() {
            None | Some("ltr") => false,
            Some("rtl") => true,
            Some(_) => {
                cx.err(l.at("dir"), DefinitionErrorKind::WrongType("\"ltr\" or \"rtl\""));
                false
            }
        };
        let Some(code) = code else { continue };
        if !is_lang_tag(&code) {
            cx.err(
                l.at("code"),
                DefinitionErrorKind::WrongType("a language tag such as cy, ur or pa-Guru"),
            );
        } else if !LOCALES.contains(&code.as_str()) {
            cx.err(
                l.at("code"),
                DefinitionErrorKind::NoCatalogue(code.clone(), LOCALES_IN_WORDS),
            );
        }
        if out.iter().any(|o| o.code == code) {
            cx.err(l.at("code"), DefinitionErrorKind::DuplicateId(code.clone()));
        }
        if let Some(name) = name {
            out.push(Language { code, name, rtl });
        }
    }
    out
}

pub(super) fn survey(value: &Value, preferred: &[&str], cx: &mut Cx) -> Option<Survey> {
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
        "languages",
        "draft",
    ];
    let obj = Obj::new(value, "$".into(), KEYS, cx)?;
    // The languages first: every text after is read in the chosen one.
    let languages = languages(&obj, cx);
    cx.languages = languages.iter().map(|l| l.code.clone()).collect();
    let codes: Vec<&str> = cx.languages.iter().map(String::as_str).collect();
    cx.target = choose_language(&codes, preferred);
    let locale = cx.languages.get(cx.target).cloned().unwrap_or_default();
    let draft = obj.bool("draft", cx).unwrap_or(false);
    match obj.get("formatVersion") {
        None => cx.err("$", DefinitionErrorKind::Missing("formatVersion")),
        Some(Value::Number(n)) if whole(n) == i64::try_from(FORMAT_VERSION).ok() => {}
        Some(Value::Number(n)) => cx.err(
            "$.formatVersion",
            DefinitionErrorKind::UnsupportedVersion(number_text(n)),
        ),
        Some(other) => cx.err(
            "$.formatVersion",
            DefinitionErrorKind::UnsupportedVersion(other.to_string()),
        ),
    }
    let id = obj.id(cx);
    let version = match obj.get("version") {
        Some(Value::Number(n)) => Some(number_text(n)),
        _ => obj.string("version", true, cx),
    };
    let title = obj.text("title", true, cx);
    let title_fell_back = cx.take_fallback();
    let description = obj.paragraphs("description", cx);
    let declared = obj.lang(cx);
    let description_lang = declared.clone().or(cx.take_fallback());
    let lang = declared.or(title_fell_back);
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
    let missing = finish_translations(draft, cx);
    Some(Survey {
        id: SurveyId(id?),
        version: version?,
        title: title?,
        description,
        lang,
        description_lang,
        estimated_minutes,
        privacy_notice,
        endpoint,
        outcomes,
        pages,
        languages,
        locale,
        draft,
        missing,
    })
}

/// A draft keeps the list of missing translations to show; a survey to publish is refused
/// with each of them.
fn finish_translations(draft: bool, cx: &mut Cx) -> Vec<MissingText> {
    let missing = std::mem::take(&mut cx.missing);
    if draft {
        return missing;
    }
    for m in missing {
        cx.err(m.path, DefinitionErrorKind::MissingTranslation(m.lang));
    }
    Vec::new()
}

pub(super) fn page(value: &Value, path: String, cx: &mut Cx) -> Option<Page> {
    let obj = Obj::new(value, path, &["id", "title", "lang", "showIf", "questions"], cx)?;
    let id = obj.id(cx);
    let title = obj.text("title", false, cx);
    let lang = obj.lang(cx).or(cx.take_fallback());
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

pub(super) const COMMON_KEYS: &[&str] = &[
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

pub(super) fn question(value: &Value, path: String, cx: &mut Cx) -> Option<Question> {
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
        "email" | "phone" => &[],
        "yesNo" => &["yes", "no"],
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
    // Each text read is followed by taking the fallback flag, so a draft marks each string
    // shown in the default language, not the whole question.
    let title = obj.text("title", true, cx);
    let title_fell_back = cx.take_fallback();
    let hint = obj.text("hint", false, cx);
    let hint_fell_back = cx.take_fallback();
    let lang = obj.lang(cx);
    let required = obj.bool("required", cx).unwrap_or(true);
    // Conditions see only the questions before this one.
    let asked_before = cx.questions.len();
    let show_if = obj
        .get("showIf")
        .and_then(|v| condition(v, obj.at("showIf"), cx, asked_before));
    let error_name = obj.text("errorName", false, cx);
    let messages = messages(&obj, cx);
    let personal = obj.bool("personal", cx);
    // The question's other texts, and its kind's; choices take their own first.
    let own = cx.take_fallback();
    let kind = kind(type_name, &obj, cx);
    let texts_lang = lang.clone().or(own).or(cx.take_fallback());
    let kind = kind?;
    Some(Question {
        personal,
        id: QuestionId(id?),
        title: title?,
        hint,
        hint_lang: lang.clone().or(hint_fell_back),
        texts_lang,
        lang: lang.or(title_fell_back),
        required: required && kind.is_answerable(),
        show_if,
        error_name,
        messages,
        kind,
    })
}

pub(super) fn messages(obj: &Obj<'_>, cx: &mut Cx) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Some(value) = obj.get("messages") else {
        return out;
    };
    let Some(rules) = Obj::new(value, obj.at("messages"), MESSAGE_RULES, cx) else {
        return out;
    };
    for k in rules.map.keys() {
        if let Some(rule) = MESSAGE_RULES.iter().find(|r| **r == k.as_str()) {
            if let Some(text) = rules.text(rule, false, cx) {
                out.insert(k.clone(), text);
            }
        }
    }
    out
}

//! The survey being shaped: its questions, their order and routes, its details, and the task
//! list. Every change works on the survey's JSON and is checked by loading the result, so the
//! editor can never make a survey the widget would refuse for a reason the change caused.
use super::question::{set_text, text_in, QuestionForm};
use crate::core::survey::load::{load_survey_value, DefinitionErrorKind};
use serde_json::{json, Map, Value};

/// A question as the task list and the questions page list it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Its id.
    pub id: String,
    /// Its question, in the default language.
    pub title: String,
    /// Its kind of answer.
    pub kind: String,
    /// Whether it (or its page) is shown only after some answers.
    pub routed: bool,
}

/// Why a change was refused; the survey is left as it was.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Refused {
    /// No question has this id.
    #[error("no question `{0}`")]
    NoQuestion(String),
    /// It is first (or last) already.
    #[error("it cannot move further")]
    AtEnd,
    /// Moving it would put a question before the answer its route depends on.
    #[error("`{0}` depends on an answer that would come after it")]
    RouteOrder(String),
    /// Other questions' routes depend on its answer.
    #[error("routes depend on it: {0:?}")]
    DependedOn(Vec<String>),
    /// A route on a question that is not asked before, or has no such answer.
    #[error("that route cannot be used")]
    BadRoute,
}

/// The tasks of GOV.UK Forms' task list, in order.
pub const TASKS: [&str; 5] = ["details", "questions", "routes", "languages", "check"];

/// Where a task is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Nothing done yet.
    NotStarted,
    /// Begun.
    InProgress,
    /// Done.
    Completed,
    /// Needs another task first.
    CannotStart,
    /// Up to the author: nothing needed.
    Optional,
}

impl Status {
    /// The catalogue key of its tag.
    pub fn key(self) -> &'static str {
        match self {
            Self::NotStarted => "editor.status.notStarted",
            Self::InProgress => "editor.status.inProgress",
            Self::Completed => "editor.status.completed",
            Self::CannotStart => "editor.status.cannotStart",
            Self::Optional => "editor.status.optional",
        }
    }
}

/// A new survey called `title`.
pub fn new_survey(title: &str) -> Value {
    let id = crate::core::survey::paste::slug(title).unwrap_or_else(|| "survey".into());
    json!({ "formatVersion": 1, "id": id, "version": "1", "title": title.trim(), "pages": [] })
}

/// The survey's default language: its first declared one, else English.
pub fn default_language(survey: &Value) -> String {
    survey
        .get("languages")
        .and_then(Value::as_array)
        .and_then(|l| l.first())
        .and_then(|l| l.get("code"))
        .and_then(Value::as_str)
        .unwrap_or("en")
        .to_owned()
}

fn pages(survey: &Value) -> &[Value] {
    survey.get("pages").and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

fn pages_mut(survey: &mut Value) -> Option<&mut Vec<Value>> {
    survey.get_mut("pages").and_then(Value::as_array_mut)
}

/// Where a question is: its page's index and its index on the page.
pub fn find(survey: &Value, id: &str) -> Option<(usize, usize)> {
    pages(survey).iter().enumerate().find_map(|(p, page)| {
        let qs = page.get("questions").and_then(Value::as_array)?;
        qs.iter()
            .position(|q| q.get("id").and_then(Value::as_str) == Some(id))
            .map(|i| (p, i))
    })
}

/// A question's JSON.
pub fn question<'a>(survey: &'a Value, id: &str) -> Option<&'a Value> {
    let (p, i) = find(survey, id)?;
    pages(survey).get(p)?.get("questions")?.get(i)
}

/// Every question, in order.
pub fn rows(survey: &Value) -> Vec<Row> {
    let lang = default_language(survey);
    pages(survey)
        .iter()
        .flat_map(|page| {
            let page_routed = page.get("showIf").is_some();
            page.get("questions")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(move |q| (page_routed, q))
        })
        .map(|(page_routed, q)| Row {
            id: q.get("id").and_then(Value::as_str).unwrap_or_default().to_owned(),
            title: text_in(q.get("title"), &lang),
            kind: q.get("type").and_then(Value::as_str).unwrap_or_default().to_owned(),
            routed: page_routed || q.get("showIf").is_some(),
        })
        .collect()
}

/// Every question id and page id in use.
fn ids(survey: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for page in pages(survey) {
        out.extend(page.get("id").and_then(Value::as_str).map(str::to_owned));
        for q in page.get("questions").and_then(Value::as_array).into_iter().flatten() {
            out.extend(q.get("id").and_then(Value::as_str).map(str::to_owned));
        }
    }
    out
}

/// A new id from a question's words, unused by any question or page.
fn new_id(survey: &Value, title: &str) -> String {
    let taken = ids(survey);
    let base = crate::core::survey::paste::slug(title).unwrap_or_else(|| "question".into());
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// Adds a question on a page of its own after the last (one thing per page, as GOV.UK asks);
/// returns its id.
pub fn add(survey: &mut Value, form: &QuestionForm) -> String {
    let lang = default_language(survey);
    let id = new_id(survey, &form.title);
    let mut q = Map::new();
    q.insert("id".into(), json!(id));
    form.write(&mut q, &lang);
    // The page's id is the question's, which no other page or question has.
    let page = json!({ "id": id, "questions": [Value::Object(q)] });
    if let Some(all) = pages_mut(survey) {
        all.push(page);
    } else if let Some(obj) = survey.as_object_mut() {
        obj.insert("pages".into(), json!([page]));
    }
    id
}

/// The questions whose routes depend on `id`'s answer.
pub fn dependants(survey: &Value, id: &str) -> Vec<String> {
    let mut out = Vec::new();
    for page in pages(survey) {
        let page_depends = page.get("showIf").is_some_and(|c| refers_to(c, id));
        for q in page.get("questions").and_then(Value::as_array).into_iter().flatten() {
            let qid = q.get("id").and_then(Value::as_str).unwrap_or_default();
            if qid != id && (page_depends || q.get("showIf").is_some_and(|c| refers_to(c, id))) {
                out.push(qid.to_owned());
            }
        }
    }
    out
}

fn refers_to(condition: &Value, id: &str) -> bool {
    match condition {
        Value::Object(o) => {
            o.get("question").and_then(Value::as_str) == Some(id) || o.values().any(|v| refers_to(v, id))
        }
        Value::Array(items) => items.iter().any(|i| refers_to(i, id)),
        _ => false,
    }
}

/// Changes a question. A new kind of answer makes a new id (a published id keeps its kind),
/// so it is refused while routes depend on the old answer. Returns its id.
///
/// # Errors
/// [`Refused::NoQuestion`], or [`Refused::DependedOn`] for a new kind others' routes use.
pub fn change(survey: &mut Value, id: &str, form: &QuestionForm) -> Result<String, Refused> {
    let lang = default_language(survey);
    let (p, i) = find(survey, id).ok_or_else(|| Refused::NoQuestion(id.to_owned()))?;
    let old_kind = question(survey, id)
        .and_then(|q| q.get("type"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let new_kind = old_kind != form.kind;
    if new_kind {
        let depending = dependants(survey, id);
        if !depending.is_empty() {
            return Err(Refused::DependedOn(depending));
        }
    }
    let fresh = new_kind.then(|| new_id(survey, &form.title));
    let Some(page) = pages_mut(survey).and_then(|all| all.get_mut(p)) else {
        return Err(Refused::NoQuestion(id.to_owned()));
    };
    let page_id_was_question = page.get("id").and_then(Value::as_str) == Some(id);
    if let (Some(fresh), true) = (&fresh, page_id_was_question) {
        page["id"] = json!(fresh);
    }
    let Some(q) = page
        .get_mut("questions")
        .and_then(|qs| qs.get_mut(i))
        .and_then(Value::as_object_mut)
    else {
        return Err(Refused::NoQuestion(id.to_owned()));
    };
    if let Some(fresh) = &fresh {
        // A different question: what the old kind had is no longer meant.
        let keep: Vec<String> = ["showIf", "lang", "personal"].iter().map(|k| (*k).to_owned()).collect();
        q.retain(|k, _| keep.contains(k));
        q.insert("id".into(), json!(fresh));
    }
    form.write(q, &lang);
    Ok(fresh.unwrap_or_else(|| id.to_owned()))
}

/// Which way to move a question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Towards the start.
    Up,
    /// Towards the end.
    Down,
}

/// Moves a question one place: within its page when it shares one, else its whole page past
/// the next page.
///
/// # Errors
/// [`Refused::AtEnd`], or [`Refused::RouteOrder`] when a route would then look forward.
pub fn move_question(survey: &mut Value, id: &str, direction: Direction) -> Result<(), Refused> {
    let (p, i) = find(survey, id).ok_or_else(|| Refused::NoQuestion(id.to_owned()))?;
    let before = survey.clone();
    let all = pages_mut(survey).ok_or_else(|| Refused::NoQuestion(id.to_owned()))?;
    let on_page = all[p].get("questions").and_then(Value::as_array).map_or(0, Vec::len);
    let within = match direction {
        Direction::Up => i > 0,
        Direction::Down => i + 1 < on_page,
    };
    if within {
        if let Some(qs) = all[p].get_mut("questions").and_then(Value::as_array_mut) {
            let j = if direction == Direction::Up { i - 1 } else { i + 1 };
            qs.swap(i, j);
        }
    } else {
        let q = match direction {
            Direction::Up if p > 0 => p - 1,
            Direction::Down if p + 1 < all.len() => p + 1,
            _ => return Err(Refused::AtEnd),
        };
        all.swap(p, q);
    }
    if let Some(blocked) = forward_reference(survey) {
        *survey = before;
        return Err(Refused::RouteOrder(blocked));
    }
    Ok(())
}

/// The first question (or page) whose route now looks at an answer given after it.
fn forward_reference(survey: &Value) -> Option<String> {
    let Err(errors) = load_survey_value(survey) else {
        return None;
    };
    let error = errors
        .0
        .iter()
        .find(|e| matches!(e.kind, DefinitionErrorKind::ForwardReference(_)))?;
    // `$.pages[3].questions[0].showIf…` or `$.pages[3].showIf…`: name what holds the route.
    let page: usize = error.path.strip_prefix("$.pages[")?.split(']').next()?.parse().ok()?;
    let page_json = pages(survey).get(page)?;
    let question = error
        .path
        .split(".questions[")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(0);
    page_json
        .get("questions")
        .and_then(|qs| qs.get(question))
        .and_then(|q| q.get("id"))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// Removes a question (and its page, when it was the page's only one).
///
/// # Errors
/// [`Refused::DependedOn`] while other questions' routes depend on its answer.
pub fn remove(survey: &mut Value, id: &str) -> Result<(), Refused> {
    let (p, i) = find(survey, id).ok_or_else(|| Refused::NoQuestion(id.to_owned()))?;
    let depending = dependants(survey, id);
    if !depending.is_empty() {
        return Err(Refused::DependedOn(depending));
    }
    if let Some(all) = pages_mut(survey) {
        let now_empty = match all[p].get_mut("questions").and_then(Value::as_array_mut) {
            Some(qs) => {
                qs.remove(i);
                qs.is_empty()
            }
            None => true,
        };
        if now_empty {
            all.remove(p);
        }
    }
    Ok(())
}

/// A route: show a question only when an earlier question's answer is one of `answers`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// The earlier question.
    pub question: String,
    /// The answers that lead to it (stored values).
    pub answers: Vec<String>,
}

/// An earlier question a route may depend on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// Its id.
    pub id: String,
    /// Its question, in the default language.
    pub title: String,
    /// Its answers: (stored value, label; empty for yes/no's own words).
    pub answers: Vec<(String, String)>,
}

/// The earlier questions a route on `id` may depend on, with each one's answers: the choice
/// and yes/no questions before it.
pub fn route_sources(survey: &Value, id: &str) -> Vec<Source> {
    let lang = default_language(survey);
    let mut out = Vec::new();
    for page in pages(survey) {
        for q in page.get("questions").and_then(Value::as_array).into_iter().flatten() {
            let qid = q.get("id").and_then(Value::as_str).unwrap_or_default();
            if qid == id {
                return out;
            }
            let answers: Vec<(String, String)> = match q.get("type").and_then(Value::as_str) {
                Some("yesNo") => vec![
                    ("yes".into(), text_or(q.get("yes"), &lang, "")),
                    ("no".into(), text_or(q.get("no"), &lang, "")),
                ],
                Some("singleChoice" | "multipleChoice") => q
                    .get("choices")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .chain(q.get("other"))
                    .chain(q.get("none"))
                    .filter_map(|c| Some((c.get("value")?.as_str()?.to_owned(), text_in(c.get("label"), &lang))))
                    .collect(),
                _ => continue,
            };
            out.push(Source {
                id: qid.to_owned(),
                title: text_in(q.get("title"), &lang),
                answers,
            });
        }
    }
    out
}

fn text_or(v: Option<&Value>, lang: &str, or: &str) -> String {
    let t = text_in(v, lang);
    if t.is_empty() {
        or.to_owned()
    } else {
        t
    }
}

/// A question's route as the routes page edits it, when it has one of that shape.
pub fn route(survey: &Value, id: &str) -> Option<Route> {
    let c = question(survey, id)?.get("showIf")?;
    let question = c.get("question")?.as_str()?.to_owned();
    let answers = match (c.get("equals"), c.get("anyOf")) {
        (Some(Value::String(v)), _) => vec![v.clone()],
        (_, Some(Value::Array(vs))) => vs.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect(),
        _ => return None,
    };
    Some(Route { question, answers })
}

/// Sets or clears a question's route.
///
/// # Errors
/// [`Refused::BadRoute`] for a question not asked before it or answers it does not have.
pub fn set_route(survey: &mut Value, id: &str, route: Option<&Route>) -> Result<(), Refused> {
    let (p, i) = find(survey, id).ok_or_else(|| Refused::NoQuestion(id.to_owned()))?;
    let condition = match route {
        None => None,
        Some(r) => {
            let sources = route_sources(survey, id);
            let Some(source) = sources.iter().find(|s| s.id == r.question) else {
                return Err(Refused::BadRoute);
            };
            if r.answers.is_empty() || r.answers.iter().any(|a| !source.answers.iter().any(|(v, _)| v == a)) {
                return Err(Refused::BadRoute);
            }
            Some(match r.answers.as_slice() {
                [one] => json!({ "question": r.question, "equals": one }),
                many => json!({ "question": r.question, "anyOf": many }),
            })
        }
    };
    let q = pages_mut(survey)
        .and_then(|all| all.get_mut(p))
        .and_then(|page| page.get_mut("questions"))
        .and_then(|qs| qs.get_mut(i))
        .and_then(Value::as_object_mut)
        .ok_or_else(|| Refused::NoQuestion(id.to_owned()))?;
    match condition {
        Some(c) => {
            q.insert("showIf".into(), c);
        }
        None => {
            q.remove("showIf");
        }
    }
    Ok(())
}

/// The survey's details as the details page asks for them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Details {
    /// Its title.
    pub title: String,
    /// Why it is asked: paragraphs, one per line.
    pub description: String,
    /// The privacy notice's link text.
    pub privacy_text: String,
    /// The privacy notice's address.
    pub privacy_href: String,
}

/// The survey's details in its default language.
pub fn details(survey: &Value) -> Details {
    let lang = default_language(survey);
    let description = match survey.get("description") {
        Some(Value::Object(by_lang)) => by_lang.get(&lang).cloned(),
        other => other.cloned(),
    };
    let description = match description {
        Some(Value::Array(paras)) => paras.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("\n"),
        Some(Value::String(s)) => s,
        _ => String::new(),
    };
    let privacy = survey.get("privacyNotice");
    Details {
        title: text_in(survey.get("title"), &lang),
        description,
        privacy_text: text_in(privacy.and_then(|p| p.get("text")), &lang),
        privacy_href: text_in(privacy.and_then(|p| p.get("href")), &lang),
    }
}

/// Writes the survey's details, keeping their other languages.
pub fn set_details(survey: &mut Value, d: &Details) {
    let lang = default_language(survey);
    let Some(top) = survey.as_object_mut() else {
        return;
    };
    set_text(top, "title", &d.title, &lang);
    let paras: Vec<Value> = d
        .description
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| json!(l))
        .collect();
    let unchanged = {
        let current = match top.get("description") {
            Some(Value::Object(by_lang)) => by_lang.get(&lang).cloned(),
            other => other.cloned(),
        };
        match current {
            Some(Value::Array(a)) => a == paras,
            Some(Value::String(s)) => paras.len() == 1 && paras[0] == json!(s),
            None => paras.is_empty(),
            _ => false,
        }
    };
    if !unchanged {
        let new = match paras.len() {
            0 => None,
            1 => Some(paras[0].clone()),
            _ => Some(Value::Array(paras)),
        };
        match (top.get_mut("description"), new) {
            (Some(Value::Object(by_lang)), Some(v)) => {
                by_lang.insert(lang.clone(), v);
            }
            (_, Some(v)) => {
                top.insert("description".into(), v);
            }
            (_, None) => {
                top.remove("description");
            }
        }
    }
    if d.privacy_text.trim().is_empty() && d.privacy_href.trim().is_empty() {
        top.remove("privacyNotice");
    } else {
        let mut notice = top
            .get("privacyNotice")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        set_text(&mut notice, "text", &d.privacy_text, &lang);
        set_text(&mut notice, "href", &d.privacy_href, &lang);
        top.insert("privacyNotice".into(), Value::Object(notice));
    }
}

/// The task list's statuses, in the order of [`TASKS`]. Languages and routes are optional;
/// checking needs questions.
pub fn tasks(survey: &Value) -> Vec<(&'static str, Status)> {
    let d = details(survey);
    let questions = rows(survey);
    let details = match (d.title.is_empty(), d.privacy_href.is_empty()) {
        (false, false) => Status::Completed,
        (true, true) => Status::NotStarted,
        _ => Status::InProgress,
    };
    let has_questions = if questions.is_empty() {
        Status::NotStarted
    } else {
        Status::Completed
    };
    let routes = match (questions.len(), questions.iter().any(|q| q.routed)) {
        (0 | 1, _) => Status::CannotStart,
        (_, true) => Status::Completed,
        _ => Status::Optional,
    };
    let languages = if survey.get("languages").is_some() {
        Status::Completed
    } else {
        Status::Optional
    };
    let check = if questions.is_empty() {
        Status::CannotStart
    } else {
        Status::NotStarted
    };
    vec![
        ("details", details),
        ("questions", has_questions),
        ("routes", routes),
        ("languages", languages),
        ("check", check),
    ]
}

/// The survey as a file: indented by two spaces, keys in the order they came, ending in a
/// line break, as the built-in surveys are written. A file opened and saved unchanged is
/// the same file, when it was written this way (and with `serde_json`'s `preserve_order`, as
/// the editor's build has).
pub fn to_file(survey: &Value) -> String {
    let mut text = serde_json::to_string_pretty(survey).unwrap_or_default();
    text.push('\n');
    text
}

//! The message catalogue: every word the widget itself shows comes from here, so a new
//! language is a new file beside `locales/en.json`.
use std::collections::BTreeMap;

/// English, built in.
const EN: &str = include_str!("locales/en.json");
/// English for event mode's screens (issue #10), built into the event build only.
#[cfg(any(feature = "event", test))]
const EN_EVENT: &str = include_str!("locales/en.event.json");

/// The language of the built-in catalogue, and of responses stored before each recorded its own.
pub const DEFAULT_LOCALE: &str = "en";

/// The languages the widget has a catalogue for (`locales/<code>.json`); a survey may be
/// written in these. English is built in; each other is fetched when it is chosen.
pub const LOCALES: &[&str] = &["en", "cy", "ur"];
/// [`LOCALES`] for a message.
pub const LOCALES_IN_WORDS: &str = "en, cy and ur";

/// A catalogue of messages keyed by id, with `{name}` placeholders.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Catalogue {
    messages: BTreeMap<String, String>,
    locale: String,
}

/// Failure to read a catalogue file.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("message catalogue is not a JSON object of strings: {0}")]
pub struct CatalogueError(pub String);

impl Catalogue {
    /// Reads a catalogue from a JSON object of id to text.
    ///
    /// # Errors
    /// When the text is not a JSON object whose values are all strings.
    pub fn from_json(json: &str) -> Result<Self, CatalogueError> {
        // Through `Value`, which survey loading already needs, rather than a typed map: a
        // second deserializer instantiation would cost wasm size for nothing.
        let value = super::json::parse(json).map_err(CatalogueError)?;
        let serde_json::Value::Object(entries) = value else {
            return Err(CatalogueError("not an object".into()));
        };
        let mut messages = BTreeMap::new();
        for (key, text) in entries {
            let serde_json::Value::String(text) = text else {
                return Err(CatalogueError(format!("`{key}` is not a string")));
            };
            messages.insert(key, text);
        }
        Ok(Self {
            messages,
            locale: String::new(),
        })
    }

    /// The built-in English catalogue.
    pub fn english() -> Self {
        // The files are compiled in and checked by a test, so this cannot fail in a release.
        #[cfg_attr(not(feature = "event"), allow(unused_mut))]
        let mut catalogue = Self::from_json(EN).unwrap_or_default();
        #[cfg(feature = "event")]
        if let Ok(event) = Self::from_json(EN_EVENT) {
            catalogue.messages.extend(event.messages);
        }
        catalogue.locale = DEFAULT_LOCALE.to_owned();
        catalogue
    }

    /// The language of the catalogue (a BCP 47 tag), which responses given with it record.
    pub fn locale(&self) -> &str {
        &self.locale
    }

    /// The text for a key; a missing key shows as the key itself rather than failing.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.messages.get(key).map_or(key, String::as_str)
    }

    /// The text for a key with `{placeholder}`s filled in. `{Name}` is `{name}` with a capital.
    pub fn format(&self, key: &str, params: &[(&str, &str)]) -> String {
        fill(self.get(key), params)
    }

    /// Reads a catalogue in language `locale` (a BCP 47 tag) from a JSON object of id to text.
    ///
    /// # Errors
    /// As [`Catalogue::from_json`].
    pub fn in_language(json: &str, locale: &str) -> Result<Self, CatalogueError> {
        let mut catalogue = Self::from_json(json)?;
        catalogue.locale = locale.to_owned();
        Ok(catalogue)
    }

    /// The message `key.<category>` for whole number `n` in this catalogue's language (see
    /// [`super::plural`]), with `{count}` and `params` filled; `key.other` when the language's
    /// category is missing.
    pub fn plural(&self, key: &str, n: u64, params: &[(&str, &str)]) -> String {
        let category = super::plural::category(&self.locale, n).as_str();
        let exact = format!("{key}.{category}");
        let key = if self.has(&exact) {
            exact
        } else {
            format!("{key}.other")
        };
        let count = n.to_string();
        let mut all = vec![("count", count.as_str())];
        all.extend_from_slice(params);
        self.format(&key, &all)
    }

    /// Whether the catalogue has a key.
    pub fn has(&self, key: &str) -> bool {
        self.messages.contains_key(key)
    }
}

/// Fills `{placeholder}`s in a template. `{Name}` is the `name` parameter with its first
/// letter in capitals, as error messages start sentences with it.
pub fn fill(template: &str, params: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let key = &after[..end];
        let lower = lowercase_first(key);
        match params.iter().find(|(k, _)| *k == key || *k == lower) {
            Some((k, v)) if *k != key => out.push_str(&capitalise(v)),
            Some((_, v)) => out.push_str(v),
            None => {
                out.push('{');
                out.push_str(key);
                out.push('}');
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

// ASCII-only on purpose: Unicode case tables would add about 30 KB to the wasm bundle. A
// catalogue for a language whose names start with a non-ASCII capital writes the capital
// form into the template instead of using `{Name}`.
fn lowercase_first(s: &str) -> String {
    let mut out = s.to_owned();
    if let Some(first) = out.get_mut(..1) {
        first.make_ascii_lowercase();
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut out = s.to_owned();
    if let Some(first) = out.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    out
}

/// Message keys the engine and components use; a test checks each is in every catalogue.
pub struct MsgKey;

impl MsgKey {
    /// Every key in use, for the completeness test.
    pub const ALL: &'static [&'static str] = &[
        "widget.loading",
        "widget.broken.heading",
        "widget.broken.body",
        "widget.unreachable.body",
        "widget.retry",
        "start.button",
        "start.time.one",
        "start.time.other",
        "start.privacy",
        "start.saving",
        "nav.back",
        "nav.continue",
        "question.optional",
        "progress.question",
        "progress.page",
        "errors.title",
        "errors.prefix",
        "title.error",
        "title.page",
        "choice.or",
        "choice.other.details",
        "answer.yes",
        "answer.no",
        "rating.outOf",
        "rating.scale",
        "rating.labelled",
        "date.day",
        "date.month",
        "date.year",
        "count.limit",
        "count.remaining.one",
        "count.remaining.other",
        "count.over.one",
        "count.over.other",
        "check.heading",
        "check.change",
        "check.notAnswered",
        "check.send.heading",
        "check.send.body",
        "check.send.button",
        "done.heading",
        "done.reference",
        "done.next.heading",
        "done.next.open",
        "done.next.close",
        "done.next.later",
        "done.again",
        "month.1",
        "month.2",
        "month.3",
        "month.4",
        "month.5",
        "month.6",
        "month.7",
        "month.8",
        "month.9",
        "month.10",
        "month.11",
        "month.12",
        "name.text",
        "name.choice",
        "name.multiple",
        "name.date",
        "name.number",
        "error.required.text",
        "error.required.choice",
        "error.required.consent",
        "error.required.row",
        "error.otherDetails",
        "error.otherLength",
        "error.minLength",
        "error.maxLength",
        "error.pattern",
        "error.number",
        "error.integer",
        "error.between",
        "error.min",
        "error.max",
        "error.email",
        "error.phone",
        "error.date.real",
        "error.date.missing",
        "error.date.year",
        "error.date.past",
        "error.date.min",
        "error.date.max",
        "error.minSelected",
        "error.maxSelected",
        "parts.day",
        "parts.month",
        "parts.year",
        "parts.and",
        "link.newTab",
        "status.saved",
        "status.offline",
        "status.offlineShort",
        "status.online",
        "status.unavailable",
        "status.full",
        "status.failed",
        "status.deleted",
        "banner.important",
        "resume.heading",
        "resume.body",
        "resume.startAgain",
        "resume.confirm",
        "resume.confirm.yes",
        "resume.confirm.no",
        "risk.unavailable.heading",
        "risk.unavailable.body",
        "risk.full.heading",
        "risk.full.body",
        "risk.failed.heading",
        "risk.failed.body",
        "risk.download",
        "risk.download.hint",
        "older.heading",
        "older.body",
        "older.download",
        "done.stored",
        "done.saving",
        "done.unsaved",
        "status.paused",
        "done.waiting",
        "done.sending",
        "done.paused",
        "done.kept",
        "done.attention",
        "done.received",
        "responses.link",
        "responses.heading",
        "responses.none",
        "responses.summary",
        "responses.reference",
        "responses.waiting",
        "responses.sending",
        "responses.kept",
        "responses.attention",
        "responses.received",
        "responses.sendNow",
        "responses.back",
        "time.at",
        "event.unset.heading",
        "event.unset.body",
        "event.unset.link",
        "event.other.heading",
        "event.other.body",
        "event.other.link",
        "event.welcome.heading",
        "event.welcome.shared",
        "event.officer",
        "event.fullscreen",
        "event.idle.heading",
        "event.idle.body.one",
        "event.idle.body.other",
        "event.idle.continue",
        "event.idle.leave",
        "event.next.keep",
        "event.next.body",
        "event.next.button",
        "responses.progress",
        "outcomes.heading",
        "outcomes.status.open",
        "outcomes.status.closed",
        "outcomes.status.analysing",
        "outcomes.status.published",
        "outcomes.youSaid",
        "outcomes.weDid",
        "outcomes.people.one",
        "outcomes.people.other",
        "language.nav",
        "language.failed",
        "outcomes.action.planned",
        "outcomes.action.in-progress",
        "outcomes.action.done",
        "outcomes.action.not-doing",
        "outcomes.evidence",
        "outcomes.updated",
        "outcomes.stage.saved",
        "outcomes.stage.received",
        "outcomes.stage.analysing",
        "outcomes.stage.published",
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_has_every_key_and_nothing_else() {
        let mut en = Catalogue::from_json(EN).expect("en.json parses");
        let event = Catalogue::from_json(EN_EVENT).expect("en.event.json parses");
        assert!(
            event.messages.keys().all(|k| k.starts_with("event.")),
            "only event mode's keys in en.event.json"
        );
        assert!(
            !en.messages.keys().any(|k| k.starts_with("event.")),
            "event mode's keys are in en.event.json"
        );
        en.messages.extend(event.messages);
        for key in MsgKey::ALL {
            assert!(en.has(key), "missing {key}");
        }
        assert_eq!(en.messages.len(), MsgKey::ALL.len(), "en.json has unused keys");
    }

    #[test]
    fn placeholders_fill_and_capitalise() {
        assert_eq!(fill("Enter {name}", &[("name", "your age")]), "Enter your age");
        assert_eq!(
            fill("{Name} must be a number", &[("name", "your age")]),
            "Your age must be a number"
        );
        assert_eq!(fill("{missing} and {", &[]), "{missing} and {");
        assert_eq!(fill("{a}{b}", &[("a", "1"), ("b", "2")]), "12");
        assert_eq!(Catalogue::english().get("no.such.key"), "no.such.key");
    }
}

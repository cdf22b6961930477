//! "You said, we did": a survey's outcomes record as the council's officers keep it, its
//! checks, the words of the audit trail, and the public feeds (JSON and Atom) made from it.
//!
//! The record is public once saved: the console says so beside the form. Counts in the
//! public feed under the suppression threshold are withheld, so nobody is identifiable.
use crate::words::{Words, EN};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Most themes and actions one record holds, so the feed stays small for phones.
pub const MAX_ITEMS: usize = 30;
/// Longest theme, action or reason text, in characters.
pub const MAX_TEXT: usize = 600;
/// Longest owner name or evidence link.
pub const MAX_SHORT: usize = 300;
/// The feed's format version.
pub const FEED_VERSION: u64 = 1;

/// Where a survey is in its life.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SurveyStatus {
    /// Taking responses.
    #[default]
    Open,
    /// No longer taking responses.
    Closed,
    /// The council is reading what came back.
    Analysing,
    /// "You said, we did" is published.
    Published,
}

impl SurveyStatus {
    /// Every status, in the order a survey goes through them.
    pub const ALL: [Self; 4] = [Self::Open, Self::Closed, Self::Analysing, Self::Published];

    /// The value used in forms and feeds.
    pub fn code(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
            Self::Analysing => "analysing",
            Self::Published => "published",
        }
    }

    /// Words for people, in English (the staff console's).
    pub fn label(self) -> &'static str {
        self.in_words(&EN)
    }

    /// The status a form value names.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Words for people in `words`' language.
    pub fn in_words(self, words: &Words) -> &'static str {
        word_for(&Self::ALL, self, &words.statuses)
    }
}

/// The word for `item` in `words`, which has one per item of `all`, in the same order (both
/// four long, so the word is always there).
fn word_for<T: PartialEq>(all: &[T; 4], item: T, words: &[&'static str; 4]) -> &'static str {
    all.iter()
        .zip(words)
        .find_map(|(s, word)| (*s == item).then_some(*word))
        .unwrap_or_default()
}

/// Where an action is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActionStatus {
    /// Agreed, not started.
    #[default]
    Planned,
    /// Under way.
    InProgress,
    /// Finished.
    Done,
    /// Decided against, with a reason.
    NotDoing,
}

impl ActionStatus {
    /// Every status.
    pub const ALL: [Self; 4] = [Self::Planned, Self::InProgress, Self::Done, Self::NotDoing];

    /// The value used in forms and feeds.
    pub fn code(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::InProgress => "in-progress",
            Self::Done => "done",
            Self::NotDoing => "not-doing",
        }
    }

    /// Words for people, in English (the staff console's).
    pub fn label(self) -> &'static str {
        self.in_words(&EN)
    }

    /// The status a form value names.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Words for people in `words`' language.
    pub fn in_words(self, words: &Words) -> &'static str {
        word_for(&Self::ALL, self, &words.actions)
    }
}

/// One theme of "You said": what people said, with how many said it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Theme {
    /// The theme in plain words.
    pub text: String,
    /// How many responses said it, if the officer counted.
    pub count: Option<u64>,
    /// The theme in Welsh, if the council wrote it (issue #23).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text_cy: String,
}

/// One action of "We did".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    /// What the council does.
    pub text: String,
    /// Who is responsible (a team or role).
    pub owner: String,
    /// Where it is.
    pub status: ActionStatus,
    /// Why not, when it is not being done.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// When it was done or is due, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub date: String,
    /// A link to evidence (a report, a minute, a web page).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub evidence: String,
    /// What the council does, in Welsh, if the council wrote it (issue #23).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text_cy: String,
    /// Who is responsible, in Welsh.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub owner_cy: String,
    /// Why not, in Welsh.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason_cy: String,
}

/// A text with its Welsh beside it, as the feed carries it: a string when there is no Welsh,
/// else an object keyed by language (as a survey's texts are).
fn in_languages(english: &str, welsh: &str) -> Value {
    if welsh.is_empty() {
        Value::from(english)
    } else {
        json!({ "en": english, "cy": welsh })
    }
}

/// The text to show in language `lang` (`cy` or `en`) and the language it is in: the Welsh
/// where the council wrote it, else the English.
pub fn in_language<'a>(english: &'a str, welsh: &'a str, lang: &str) -> (&'a str, &'static str) {
    if lang == "cy" && !welsh.is_empty() {
        (welsh, "cy")
    } else {
        (english, "en")
    }
}

/// A survey's outcomes record.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Where the survey is.
    pub status: SurveyStatus,
    /// "You said".
    #[serde(default)]
    pub you_said: Vec<Theme>,
    /// "We did".
    #[serde(default)]
    pub we_did: Vec<Action>,
}

fn too_long(text: &str, max: usize) -> bool {
    text.chars().count() > max
}

/// Whether `date` is a real calendar date `YYYY-MM-DD`.
pub fn is_date(date: &str) -> bool {
    survey_widget::core::survey::date::Date::parse_iso(date).is_some()
}

/// Whether `link` is an absolute http(s) link: evidence is shown to the public as a link,
/// so nothing else (`javascript:`, `data:`) is let through.
pub fn is_link(link: &str) -> bool {
    let rest = link.strip_prefix("https://").or_else(|| link.strip_prefix("http://"));
    rest.is_some_and(|r| {
        !r.is_empty() && !r.starts_with('/') && !r.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

/// A problem with one field of the form: its id (for the error summary's link) and message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldProblem {
    /// The form field's id.
    pub field: String,
    /// What to fix, in the GOV.UK pattern's words.
    pub message: String,
}

impl Record {
    /// The problems that stop it being saved, each naming its field.
    pub fn problems(&self) -> Vec<FieldProblem> {
        let mut problems = Vec::new();
        let mut add = |field: String, message: String| problems.push(FieldProblem { field, message });
        if self.you_said.len() > MAX_ITEMS || self.we_did.len() > MAX_ITEMS {
            add(
                "you-said".into(),
                format!("Keep to {MAX_ITEMS} themes and {MAX_ITEMS} actions"),
            );
        }
        for (i, t) in self.you_said.iter().enumerate() {
            if too_long(&t.text_cy, MAX_TEXT) {
                add(
                    format!("theme-{i}-text-cy"),
                    format!("The Welsh of theme {} must be {MAX_TEXT} characters or fewer", i + 1),
                );
            }
            if too_long(&t.text, MAX_TEXT) {
                add(
                    format!("theme-{i}-text"),
                    format!("Theme {} must be {MAX_TEXT} characters or fewer", i + 1),
                );
            }
        }
        for (i, a) in self.we_did.iter().enumerate() {
            let n = i + 1;
            if too_long(&a.text, MAX_TEXT) {
                add(
                    format!("action-{i}-text"),
                    format!("Action {n} must be {MAX_TEXT} characters or fewer"),
                );
            }
            if a.owner.trim().is_empty() {
                add(format!("action-{i}-owner"), format!("Enter who owns action {n}"));
            } else if too_long(&a.owner, MAX_SHORT) {
                add(
                    format!("action-{i}-owner"),
                    format!("The owner of action {n} must be {MAX_SHORT} characters or fewer"),
                );
            }
            if a.status == ActionStatus::NotDoing && a.reason.trim().is_empty() {
                add(
                    format!("action-{i}-reason"),
                    format!("Enter why action {n} is not being done"),
                );
            } else if too_long(&a.reason, MAX_TEXT) {
                add(
                    format!("action-{i}-reason"),
                    format!("The reason for action {n} must be {MAX_TEXT} characters or fewer"),
                );
            }
            for (field, text, max) in [
                ("text-cy", &a.text_cy, MAX_TEXT),
                ("owner-cy", &a.owner_cy, MAX_SHORT),
                ("reason-cy", &a.reason_cy, MAX_TEXT),
            ] {
                if too_long(text, max) {
                    add(
                        format!("action-{i}-{field}"),
                        format!("The Welsh of action {n} must be {max} characters or fewer"),
                    );
                }
            }
            if !a.date.is_empty() && !is_date(&a.date) {
                add(
                    format!("action-{i}-date"),
                    format!("The date of action {n} must be a real date, like 2027-03-31"),
                );
            }
            if !a.evidence.is_empty() && (!is_link(&a.evidence) || too_long(&a.evidence, MAX_SHORT)) {
                add(
                    format!("action-{i}-evidence"),
                    format!("The evidence link of action {n} must start with https:// and be {MAX_SHORT} characters or fewer"),
                );
            }
        }
        problems
    }

    /// Reads the console's form. Rows whose text is empty are left out (that is how a row is
    /// removed); a count that is not a whole number is kept as a problem.
    pub fn from_form(fields: &[(String, String)]) -> (Self, Vec<FieldProblem>) {
        let get = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| k == name)
                .map_or("", |(_, v)| v.as_str())
                .trim()
                .to_owned()
        };
        let mut problems = Vec::new();
        let status = SurveyStatus::from_code(&get("status")).unwrap_or_else(|| {
            problems.push(FieldProblem {
                field: "status".into(),
                message: "Choose the survey's status".into(),
            });
            SurveyStatus::Open
        });
        let mut you_said = Vec::new();
        for i in 0..=MAX_ITEMS {
            let text = get(&format!("theme-{i}-text"));
            let count_text = get(&format!("theme-{i}-count"));
            if text.is_empty() {
                continue;
            }
            let count = if count_text.is_empty() {
                None
            } else if let Ok(n) = count_text.parse::<u64>() {
                Some(n)
            } else {
                // Ids follow the rows as kept, which is how the form is shown again.
                problems.push(FieldProblem {
                    field: format!("theme-{}-count", you_said.len()),
                    message: format!(
                        "The count of theme {} must be a whole number, like 12",
                        you_said.len() + 1
                    ),
                });
                None
            };
            you_said.push(Theme {
                text,
                count,
                text_cy: get(&format!("theme-{i}-text-cy")),
            });
        }
        let mut we_did = Vec::new();
        for i in 0..=MAX_ITEMS {
            let text = get(&format!("action-{i}-text"));
            if text.is_empty() {
                continue;
            }
            let status = ActionStatus::from_code(&get(&format!("action-{i}-status"))).unwrap_or_default();
            we_did.push(Action {
                text,
                owner: get(&format!("action-{i}-owner")),
                status,
                reason: get(&format!("action-{i}-reason")),
                date: get(&format!("action-{i}-date")),
                evidence: get(&format!("action-{i}-evidence")),
                text_cy: get(&format!("action-{i}-text-cy")),
                owner_cy: get(&format!("action-{i}-owner-cy")),
                reason_cy: get(&format!("action-{i}-reason-cy")),
            });
        }
        let record = Self {
            status,
            you_said,
            we_did,
        };
        let mut all = problems;
        all.extend(record.problems());
        (record, all)
    }

    /// What changed from `before`, in words, for the audit trail (officers only, in English:
    /// counts as typed).
    pub fn changes_from(&self, before: Option<&Self>) -> String {
        self.describe_changes(before, &EN, &|count| {
            count.map_or_else(|| EN.history.none.to_owned(), |n| n.to_string())
        })
    }

    /// What changed from `before`, in `words`' language, for the public (the Atom feed):
    /// counts under `threshold` are withheld as they are in the JSON feed, and a change
    /// between two withheld counts is not mentioned at all; the council's texts in that
    /// language where it wrote them.
    pub fn public_changes_from(&self, before: Option<&Self>, threshold: u64, words: &Words) -> String {
        let counts = |count: Option<u64>| match count {
            None => words.history.none.to_owned(),
            Some(n) => {
                published_count(n, threshold).map_or_else(|| (words.history.fewer_than)(threshold), |n| n.to_string())
            }
        };
        self.describe_changes(before, words, &counts)
    }

    fn describe_changes(
        &self,
        before: Option<&Self>,
        words: &Words,
        count_words: &dyn Fn(Option<u64>) -> String,
    ) -> String {
        let h = &words.history;
        let Some(old) = before else {
            return (h.started)(self.status.in_words(words), self.you_said.len(), self.we_did.len());
        };
        let text = |english: &str, welsh: &str| short(in_language(english, welsh, words.code).0);
        let dash = |value: &str| {
            if value.is_empty() {
                h.none.to_owned()
            } else {
                value.to_owned()
            }
        };
        let mut out: Vec<String> = Vec::new();
        if old.status != self.status {
            out.push(format!(
                "{}: {} → {}",
                h.status,
                old.status.in_words(words),
                self.status.in_words(words)
            ));
        }
        for t in &self.you_said {
            let name = text(&t.text, &t.text_cy);
            match old.you_said.iter().find(|o| o.text == t.text) {
                None => out.push(format!("{}: “{name}”", h.theme_added)),
                Some(o) if count_words(o.count) != count_words(t.count) => out.push(format!(
                    "{} “{name}”: {} {} → {}",
                    h.theme,
                    h.count,
                    count_words(o.count),
                    count_words(t.count)
                )),
                Some(o) if o.text_cy != t.text_cy => out.push(format!("{} “{name}”: {}", h.theme, h.welsh_changed)),
                Some(_) => {}
            }
        }
        for o in &old.you_said {
            if !self.you_said.iter().any(|t| t.text == o.text) {
                out.push(format!("{}: “{}”", h.theme_removed, text(&o.text, &o.text_cy)));
            }
        }
        for a in &self.we_did {
            let name = text(&a.text, &a.text_cy);
            match old.we_did.iter().find(|o| o.text == a.text) {
                None => out.push(format!("{}: “{name}” ({})", h.action_added, a.status.in_words(words))),
                Some(o) if o != a => {
                    let mut what = Vec::new();
                    if o.status != a.status {
                        what.push(format!("{} → {}", o.status.in_words(words), a.status.in_words(words)));
                    }
                    if o.owner != a.owner {
                        what.push(format!(
                            "{} {} → {}",
                            h.owner,
                            in_language(&o.owner, &o.owner_cy, words.code).0,
                            in_language(&a.owner, &a.owner_cy, words.code).0
                        ));
                    }
                    if o.date != a.date {
                        what.push(format!("{} {} → {}", h.date, dash(&o.date), dash(&a.date)));
                    }
                    if o.evidence != a.evidence {
                        what.push(h.evidence_changed.into());
                    }
                    if o.reason != a.reason {
                        what.push(h.reason_changed.into());
                    }
                    if (&o.text_cy, &o.owner_cy, &o.reason_cy) != (&a.text_cy, &a.owner_cy, &a.reason_cy) {
                        what.push(h.welsh_changed.into());
                    }
                    out.push(format!("{} “{name}”: {}", h.action, what.join(", ")));
                }
                Some(_) => {}
            }
        }
        for o in &old.we_did {
            if !self.we_did.iter().any(|a| a.text == o.text) {
                out.push(format!("{}: “{}”", h.action_removed, text(&o.text, &o.text_cy)));
            }
        }
        if out.is_empty() {
            h.no_changes.into()
        } else {
            out.join("; ")
        }
    }
}

/// Text cut to 80 characters for a one-line summary.
fn short(text: &str) -> String {
    let mut out: String = text.chars().take(80).collect();
    if text.chars().count() > 80 {
        out.push('…');
    }
    out
}

/// A count as the public may see it: withheld (`null`) when under `threshold`, since a small
/// number can point at a person. Zero is shown: it identifies nobody.
pub fn published_count(count: u64, threshold: u64) -> Option<u64> {
    (count == 0 || count >= threshold).then_some(count)
}

/// Everything the public feed says about a survey.
pub struct Feed<'a> {
    /// The survey's id.
    pub survey_id: &'a str,
    /// Its title, when the collector knows the definition.
    pub title: Option<&'a str>,
    /// The record.
    pub record: &'a Record,
    /// When it was last saved; `None` before the first save.
    pub updated_at: Option<&'a str>,
    /// Responses received, published once an officer has saved the record.
    pub responses: Option<u64>,
    /// The suppression threshold.
    pub threshold: u64,
}

impl Feed<'_> {
    /// The JSON feed (`public/outcomes.schema.json`).
    pub fn json(&self) -> Value {
        let you_said: Vec<Value> = self
            .record
            .you_said
            .iter()
            .map(|t| {
                json!({
                    "theme": in_languages(&t.text, &t.text_cy),
                    "count": t.count.and_then(|n| published_count(n, self.threshold)),
                })
            })
            .collect();
        let we_did: Vec<Value> = self
            .record
            .we_did
            .iter()
            .map(|a| {
                let mut v = json!({
                    "action": in_languages(&a.text, &a.text_cy),
                    "owner": in_languages(&a.owner, &a.owner_cy),
                    "status": a.status.code(),
                });
                if !a.reason.is_empty() {
                    v["reason"] = in_languages(&a.reason, &a.reason_cy);
                }
                for (key, value) in [("date", &a.date), ("evidence", &a.evidence)] {
                    if !value.is_empty() {
                        v[key] = value.as_str().into();
                    }
                }
                v
            })
            .collect();
        json!({
            "formatVersion": FEED_VERSION,
            "surveyId": self.survey_id,
            "title": self.title,
            "status": self.record.status.code(),
            "updatedAt": self.updated_at,
            "responses": self.responses.and_then(|n| published_count(n, self.threshold)),
            "suppressedBelow": self.threshold,
            "youSaid": you_said,
            "weDid": we_did,
        })
    }
}

/// Whether XML 1.0 allows `c` in a document (its `Char` production), and HTML does not treat
/// it as an error: not a control character other than tab and line breaks, and not U+FFFE or
/// U+FFFF (issue #21: officer text with U+FFFF made the Atom feed ill-formed).
fn is_xml_char(c: char) -> bool {
    (!c.is_control() || matches!(c, '\t' | '\n' | '\r')) && !matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// Escapes text for XML and HTML (element content and quoted attributes): the widget's own
/// escaping, after dropping the characters XML does not allow, which come only from what
/// people typed.
pub fn escape(text: &str) -> String {
    let allowed: String = text.chars().filter(|c| is_xml_char(*c)).collect();
    survey_widget::core::text::escape_html(&allowed)
}

/// One entry of the Atom feed: a saved change.
pub struct AtomEntry<'a> {
    /// When.
    pub at: &'a str,
    /// What changed.
    pub summary: &'a str,
}

/// The Atom feed of a survey's outcomes: one entry per saved change, newest first, so people
/// who follow it hear about every step. Who made a change is not published.
/// The feed and its entries are in `words`' language (`xml:lang`); the English feed keeps its
/// address, another language's adds `?lang=`.
pub fn atom(feed: &Feed<'_>, base: &str, publisher: &str, entries: &[AtomEntry<'_>], words: &Words) -> String {
    let title = feed.title.unwrap_or(feed.survey_id);
    let lang = if words.code == EN.code {
        String::new()
    } else {
        format!("?lang={}", words.code)
    };
    let id = format!("{base}/surveys/{}/outcomes.atom{lang}", feed.survey_id);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n\
         <title>{} – {}</title>\n<id>{}</id>\n<updated>{}</updated>\n\
         <author><name>{}</name></author>\n<link rel=\"self\" href=\"{}\"/>\n\
         <link rel=\"alternate\" type=\"application/json\" href=\"{base}/surveys/{}/outcomes.json\"/>\n",
        words.code,
        escape(title),
        escape(words.feed_title),
        escape(&id),
        escape(feed.updated_at.unwrap_or("1970-01-01T00:00:00.000Z")),
        escape(publisher),
        escape(&id),
        escape(feed.survey_id),
    );
    for (n, e) in entries.iter().enumerate() {
        out.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{}#change-{}</id>\n<updated>{}</updated>\n<content type=\"text\">{}</content>\n</entry>\n",
            escape(&short(e.summary)),
            escape(&id),
            entries.len() - n,
            escape(e.at),
            escape(e.summary),
        ));
    }
    out.push_str("</feed>\n");
    out
}

/// The saved record of a survey, or an empty one.
pub(crate) async fn saved(c: &crate::Collector, id: &str) -> Result<Option<Record>, crate::store::StoreError> {
    Ok(c.store
        .outcomes(id.to_owned())
        .await?
        .and_then(|s| serde_json::from_str::<Record>(&s.body).ok()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn the_form_reads_rows_and_skips_empty_ones() {
        let (record, problems) = Record::from_form(&form(&[
            ("status", "analysing"),
            ("theme-0-text", "Carers did not hear about the strategy"),
            ("theme-0-count", "41"),
            ("theme-1-text", ""),
            ("theme-2-text", "Evening meetings"),
            ("action-0-text", "Carers' newsletter"),
            ("action-0-owner", "Engagement team"),
            ("action-0-status", "done"),
            ("action-0-date", "2027-01-31"),
            ("action-0-evidence", "https://www.council.gov.uk/newsletter"),
        ]));
        assert_eq!(problems, vec![]);
        assert_eq!(record.status, SurveyStatus::Analysing);
        assert_eq!(record.you_said.len(), 2);
        assert_eq!(record.you_said[0].count, Some(41));
        assert_eq!(record.you_said[1].count, None);
        assert_eq!(record.we_did[0].status, ActionStatus::Done);
    }

    #[test]
    fn bad_fields_are_named() {
        let (_, problems) = Record::from_form(&form(&[
            ("status", "nonsense"),
            ("theme-0-text", "x"),
            ("theme-0-count", "twelve"),
            ("action-0-text", "y"),
            ("action-0-status", "not-doing"),
            ("action-0-date", "2027-02-30"),
            ("action-0-evidence", "javascript:alert(1)"),
        ]));
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "status",
                "theme-0-count",
                "action-0-owner",
                "action-0-reason",
                "action-0-date",
                "action-0-evidence"
            ]
        );
    }

    #[test]
    fn changes_are_described_for_the_audit_trail() {
        let (before, _) = Record::from_form(&form(&[
            ("status", "open"),
            ("action-0-text", "Newsletter"),
            ("action-0-owner", "Team"),
        ]));
        assert!(before.changes_from(None).starts_with("Record started"));
        let (after, _) = Record::from_form(&form(&[
            ("status", "published"),
            ("theme-0-text", "Evenings"),
            ("action-0-text", "Newsletter"),
            ("action-0-owner", "Team"),
            ("action-0-status", "done"),
        ]));
        assert_eq!(
            after.changes_from(Some(&before)),
            "Status: Open for responses → Outcomes published; Theme added: “Evenings”; Action “Newsletter”: Planned → Done"
        );
        assert_eq!(after.changes_from(Some(&after)), "Saved with no changes");
        // Issue #23: the public feed in Welsh, with the council's Welsh where it wrote one.
        let mut welsh = after.clone();
        welsh.you_said[0].text_cy = "Gyda’r nos".into();
        assert_eq!(
            welsh.public_changes_from(Some(&before), 5, &crate::words::CY),
            "Statws: Ar agor i ymatebion → Canlyniadau wedi’u cyhoeddi; Thema wedi’i hychwanegu: “Gyda’r nos”; Cam “Newsletter”: Wedi’i gynllunio → Wedi’i wneud"
        );
        assert_eq!(
            welsh.public_changes_from(Some(&welsh), 5, &crate::words::UR),
            "بغیر تبدیلی کے محفوظ کیا گیا"
        );
    }

    /// Issue #21: the Atom feed said "count 7 → 3" where the JSON feed withheld the 3.
    #[test]
    fn public_changes_withhold_small_counts() {
        let theme = |count| Record {
            you_said: vec![Theme {
                text: "Evenings".into(),
                count: Some(count),
                ..Theme::default()
            }],
            ..Record::default()
        };
        assert_eq!(theme(3).changes_from(Some(&theme(7))), "Theme “Evenings”: count 7 → 3");
        assert_eq!(
            theme(3).public_changes_from(Some(&theme(7)), 5, &EN),
            "Theme “Evenings”: count 7 → fewer than 5"
        );
        assert_eq!(
            theme(2).public_changes_from(Some(&theme(3)), 5, &EN),
            "Saved with no changes",
            "nothing to say between two withheld counts"
        );
        assert!(!theme(4).public_changes_from(Some(&theme(9)), 5, &EN).contains('4'));
    }

    #[test]
    fn small_counts_are_withheld_from_the_public() {
        assert_eq!(published_count(0, 5), Some(0));
        assert_eq!(published_count(4, 5), None);
        assert_eq!(published_count(5, 5), Some(5));
        let record = Record {
            status: SurveyStatus::Published,
            you_said: vec![
                Theme {
                    text: "a".into(),
                    count: Some(3),
                    ..Theme::default()
                },
                Theme {
                    text: "b".into(),
                    count: Some(9),
                    ..Theme::default()
                },
            ],
            we_did: vec![],
        };
        let feed = Feed {
            survey_id: "s",
            title: None,
            record: &record,
            updated_at: Some("t"),
            responses: Some(4),
            threshold: 5,
        };
        let v = feed.json();
        assert_eq!(v["responses"], Value::Null);
        assert_eq!(v["youSaid"][0]["count"], Value::Null);
        assert_eq!(v["youSaid"][1]["count"], 9);
    }

    #[test]
    fn dates_links_and_xml() {
        assert!(is_date("2028-02-29") && !is_date("2027-02-29") && !is_date("2027-13-01") && !is_date("27-01-01"));
        assert!(is_link("https://example.org/a") && !is_link("javascript:alert(1)") && !is_link("https://"));
        assert!(!is_link("https:///x") && !is_link("https://a b"));
        assert_eq!(
            escape("<a href=\"x\">&'\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        // Issue #21: characters XML forbids are dropped; others outside the BMP stay.
        assert_eq!(escape("a\u{FFFF}b\u{FFFE}c\u{1F600}\u{FFFD}"), "abc\u{1F600}\u{FFFD}");
    }
}

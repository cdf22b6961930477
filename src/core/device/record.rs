//! How sessions, drafts and responses are written as JSON for storage, by hand.
//!
//! Written out rather than derived: serde's derived deserializers (an internally tagged enum
//! most of all) cost tens of KB of wasm each, while going through `serde_json::Value`, which
//! survey loading already needs, costs little. Reading is strict about shape but forgiving
//! about extra fields, so a record written by a newer release still reads.
use super::draft::Draft;
use crate::core::delivery::outbox::{Change, EntryState, OutboxEntry, Receipt, Report};
use crate::core::respond::session::{CompletedResponse, Screen, Session};
use crate::core::survey::answer::Answer;
use crate::core::survey::ids::{QuestionId, SurveyId};
use crate::core::text::DEFAULT_LOCALE;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A value kept in storage as JSON.
pub trait Record: Sized {
    /// The JSON form.
    fn to_value(&self) -> Value;
    /// Reads the JSON form back; `None` when the shape is wrong.
    fn from_value(value: &Value) -> Option<Self>;

    /// The JSON text.
    fn to_json(&self) -> String {
        self.to_value().to_string()
    }

    /// Reads JSON text; `None` when it is not JSON or has the wrong shape.
    fn from_json(text: &str) -> Option<Self> {
        Self::from_value(&crate::core::text::json::parse(text).ok()?)
    }
}

fn object(pairs: Vec<(&str, Value)>) -> Value {
    let mut map = Map::new();
    for (k, v) in pairs {
        map.insert(k.to_owned(), v);
    }
    Value::Object(map)
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key)?.as_str().map(str::to_owned)
}

fn string_list(list: &[String]) -> Value {
    Value::Array(list.iter().map(|s| Value::String(s.clone())).collect())
}

/// A list of strings, empty when absent (records saved before it existed).
fn read_strings(v: &Value, key: &str) -> Vec<String> {
    v.get(key).and_then(strings).unwrap_or_default()
}

fn number(v: &Value, key: &str) -> Option<f64> {
    v.get(key)?.as_f64()
}

// Loops rather than `collect::<Option<_>>()`: collecting into a map sorts its input, and the
// sort and short-circuit adapters cost far more wasm than these few lines.
fn strings(v: &Value) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for s in v.as_array()? {
        out.push(s.as_str()?.to_owned());
    }
    Some(out)
}

fn header_pairs(v: Option<&Value>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for pair in v.and_then(Value::as_array).into_iter().flatten() {
        if let (Some(k), Some(v)) = (pair.get(0).and_then(Value::as_str), pair.get(1).and_then(Value::as_str)) {
            out.push((k.to_owned(), v.to_owned()));
        }
    }
    out
}

fn string_map(v: &Value) -> Option<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for (k, s) in v.as_object()? {
        out.insert(k.clone(), s.as_str()?.to_owned());
    }
    Some(out)
}

impl Record for Answer {
    fn to_value(&self) -> Value {
        match self {
            Answer::Text { value } => object(vec![("kind", "text".into()), ("value", value.as_str().into())]),
            Answer::Date { day, month, year } => object(vec![
                ("kind", "date".into()),
                ("day", day.as_str().into()),
                ("month", month.as_str().into()),
                ("year", year.as_str().into()),
            ]),
            Answer::Choice { value, other } => object(vec![
                ("kind", "choice".into()),
                ("value", value.as_str().into()),
                ("other", other.as_str().into()),
            ]),
            Answer::Choices { values } => object(vec![("kind", "choices".into()), ("values", values.clone().into())]),
            Answer::Matrix { rows } => object(vec![
                ("kind", "matrix".into()),
                (
                    "rows",
                    Value::Object(rows.iter().fold(Map::new(), |mut m, (k, v)| {
                        m.insert(k.clone(), v.as_str().into());
                        m
                    })),
                ),
            ]),
            Answer::Consent { given } => object(vec![("kind", "consent".into()), ("given", (*given).into())]),
        }
    }

    fn from_value(v: &Value) -> Option<Self> {
        Some(match v.get("kind")?.as_str()? {
            "text" => Answer::Text {
                value: text(v, "value")?,
            },
            "date" => Answer::Date {
                day: text(v, "day")?,
                month: text(v, "month")?,
                year: text(v, "year")?,
            },
            "choice" => Answer::Choice {
                value: text(v, "value")?,
                other: text(v, "other").unwrap_or_default(),
            },
            "choices" => Answer::Choices {
                values: strings(v.get("values")?)?,
            },
            "matrix" => Answer::Matrix {
                rows: string_map(v.get("rows")?)?,
            },
            "consent" => Answer::Consent {
                given: v.get("given")?.as_bool()?,
            },
            _ => return None,
        })
    }
}

impl Record for Screen {
    fn to_value(&self) -> Value {
        match self {
            Screen::Start => object(vec![("screen", "start".into())]),
            Screen::Page { index } => object(vec![("screen", "page".into()), ("index", (*index as u64).into())]),
            Screen::Check => object(vec![("screen", "check".into())]),
            Screen::Complete { reference } => object(vec![
                ("screen", "complete".into()),
                ("reference", reference.as_str().into()),
            ]),
        }
    }

    fn from_value(v: &Value) -> Option<Self> {
        Some(match v.get("screen")?.as_str()? {
            "start" => Screen::Start,
            "page" => Screen::Page {
                index: usize::try_from(v.get("index")?.as_u64()?).ok()?,
            },
            "check" => Screen::Check,
            "complete" => Screen::Complete {
                reference: text(v, "reference")?,
            },
            _ => return None,
        })
    }
}

impl Record for Session {
    fn to_value(&self) -> Value {
        let mut answers = Map::new();
        for (id, answer) in &self.answers {
            answers.insert(id.0.clone(), answer.to_value());
        }
        object(vec![
            ("answers", Value::Object(answers)),
            ("screen", self.screen.to_value()),
            ("returningToCheck", self.returning_to_check.into()),
            ("startedAt", self.started_at.into()),
            ("language", self.language.as_str().into()),
            ("languagesUsed", string_list(&self.languages_used)),
        ])
    }

    fn from_value(v: &Value) -> Option<Self> {
        let mut answers = BTreeMap::new();
        for (id, a) in v.get("answers")?.as_object()? {
            answers.insert(QuestionId(id.clone()), Answer::from_value(a)?);
        }
        Some(Session {
            answers,
            screen: Screen::from_value(v.get("screen")?)?,
            errors: Vec::new(),
            returning_to_check: v.get("returningToCheck").and_then(Value::as_bool).unwrap_or(false),
            // Not kept (it would cost the first load a quarter of a kilobyte): after a reload in
            // the middle of a Change, Continue walks on through every later page, so a page the
            // change revealed is still visited.
            seen_before_change: Vec::new(),
            started_at: number(v, "startedAt"),
            // Drafts saved before languages were kept were all in English, and say nothing.
            language: text(v, "language").unwrap_or_default(),
            languages_used: read_strings(v, "languagesUsed"),
        })
    }
}

impl Record for Draft {
    fn to_value(&self) -> Value {
        object(vec![
            ("surveyId", self.survey_id.0.as_str().into()),
            ("surveyVersion", self.survey_version.as_str().into()),
            ("session", self.session.to_value()),
            ("savedAt", self.saved_at.into()),
        ])
    }

    fn from_value(v: &Value) -> Option<Self> {
        Some(Draft {
            survey_id: SurveyId(text(v, "surveyId")?),
            survey_version: text(v, "surveyVersion")?,
            session: Session::from_value(v.get("session")?)?,
            saved_at: number(v, "savedAt").unwrap_or(0.0),
        })
    }
}

impl Record for CompletedResponse {
    fn to_value(&self) -> Value {
        object(vec![
            ("responseId", self.response_id.as_str().into()),
            ("reference", self.reference.as_str().into()),
            ("surveyId", self.survey_id.0.as_str().into()),
            ("surveyVersion", self.survey_version.as_str().into()),
            ("startedAt", self.started_at.into()),
            ("completedAt", self.completed_at.into()),
            ("answers", Value::Object(self.answers.clone())),
            ("locale", self.locale.as_str().into()),
            ("languagesUsed", string_list(&self.languages_used)),
            (
                "context",
                self.context.as_ref().map_or(Value::Null, |c| c.to_protocol()),
            ),
        ])
    }

    fn from_value(v: &Value) -> Option<Self> {
        Some(CompletedResponse {
            response_id: text(v, "responseId")?,
            reference: text(v, "reference")?,
            survey_id: SurveyId(text(v, "surveyId")?),
            survey_version: text(v, "surveyVersion")?,
            started_at: number(v, "startedAt")?,
            completed_at: number(v, "completedAt")?,
            answers: v.get("answers")?.as_object()?.clone(),
            // Responses stored before the locale was recorded were all given in English.
            locale: text(v, "locale").unwrap_or_else(|| DEFAULT_LOCALE.to_owned()),
            languages_used: read_strings(v, "languagesUsed"),
            context: v
                .get("context")
                .and_then(crate::core::respond::context::Context::from_protocol),
        })
    }
}

impl Record for OutboxEntry {
    fn to_value(&self) -> Value {
        object(vec![
            ("responseId", self.response_id.as_str().into()),
            ("reference", self.reference.as_str().into()),
            ("surveyId", self.survey_id.0.as_str().into()),
            ("queuedAt", self.queued_at.into()),
            ("attempts", self.attempts.into()),
            // Flat in storage, so the records read plainly in the browser's developer tools.
            ("nextAttemptAt", self.state.due_at().into()),
            (
                "state",
                match self.state {
                    EntryState::Waiting { .. } => "waiting",
                    EntryState::NeedsAttention { .. } => "needsAttention",
                }
                .into(),
            ),
            (
                "lastStatus",
                match self.state {
                    EntryState::NeedsAttention { status } => status.into(),
                    EntryState::Waiting { .. } => Value::Null,
                },
            ),
            ("endpoint", self.endpoint.as_deref().into()),
            (
                "headers",
                Value::Array(
                    self.headers
                        .iter()
                        .map(|(k, v)| Value::Array(vec![k.as_str().into(), v.as_str().into()]))
                        .collect(),
                ),
            ),
        ])
    }

    fn from_value(v: &Value) -> Option<Self> {
        let queued_at = number(v, "queuedAt")?;
        Some(OutboxEntry {
            response_id: text(v, "responseId")?,
            reference: text(v, "reference")?,
            survey_id: SurveyId(text(v, "surveyId")?),
            queued_at,
            attempts: u32::try_from(v.get("attempts")?.as_u64()?).ok()?,
            state: match v.get("state").and_then(Value::as_str) {
                Some("needsAttention") => EntryState::NeedsAttention {
                    status: v
                        .get("lastStatus")
                        .and_then(Value::as_u64)
                        .and_then(|s| u16::try_from(s).ok()),
                },
                // Entries written before these fields existed are waiting and due at once.
                _ => EntryState::Waiting {
                    next_attempt_at: number(v, "nextAttemptAt").unwrap_or(queued_at),
                },
            },
            endpoint: text(v, "endpoint"),
            headers: header_pairs(v.get("headers")),
        })
    }
}

impl Record for Receipt {
    fn to_value(&self) -> Value {
        object(vec![
            ("responseId", self.response_id.as_str().into()),
            ("reference", self.reference.as_str().into()),
            ("surveyId", self.survey_id.0.as_str().into()),
            ("sentAt", self.sent_at.into()),
        ])
    }

    fn from_value(v: &Value) -> Option<Self> {
        Some(Receipt {
            response_id: text(v, "responseId")?,
            reference: text(v, "reference")?,
            survey_id: SurveyId(text(v, "surveyId")?),
            sent_at: number(v, "sentAt")?,
        })
    }
}

/// Passed from the sender's module to the page as JSON text (two wasm modules share no
/// memory): `{"update": entry}` or `{"acknowledge": receipt}`, with `paused`.
impl Record for Report {
    fn to_value(&self) -> Value {
        let change = match &self.change {
            Change::Update(entry) => ("update", entry.to_value()),
            Change::Acknowledge(receipt) => ("acknowledge", receipt.to_value()),
        };
        object(vec![change, ("paused", self.paused.into())])
    }

    fn from_value(v: &Value) -> Option<Self> {
        let change = match (v.get("update"), v.get("acknowledge")) {
            (Some(entry), None) => Change::Update(OutboxEntry::from_value(entry)?),
            (None, Some(receipt)) => Change::Acknowledge(Receipt::from_value(receipt)?),
            _ => return None,
        };
        Some(Report {
            change,
            paused: v.get("paused")?.as_bool()?,
        })
    }
}

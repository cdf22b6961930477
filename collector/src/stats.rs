//! What came back, in figures: responses by day, event, device and language, completion time,
//! and per question the distribution of answers. Built in one pass over the stored rows, with
//! memory for the tallies (and one number per numeric answer), not for the rows.
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use survey_widget::core::delivery::protocol::is_timestamp;
use survey_widget::core::survey::date::Date;
use survey_widget::core::survey::definition::{QuestionKind, Survey};

/// The tally of one question's answers.
#[derive(Clone, Debug, PartialEq)]
pub enum Tally {
    /// Single choice, yes/no, rating and multiple choice: how many chose each value.
    Choices(HashMap<String, u64>),
    /// Likert: per statement, how many chose each scale value.
    Likert(HashMap<String, HashMap<String, u64>>),
    /// Numbers: every value, for the median and quartiles.
    Numbers(Vec<f64>),
    /// Text, dates, email, phone, consent: answered or not.
    Answered,
}

/// One question's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct QuestionStats {
    /// Responses that answered it.
    pub answered: u64,
    /// The distribution.
    pub tally: Tally,
}

/// The figures of one survey.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stats {
    /// Responses received.
    pub total: u64,
    /// By the day they were received (UTC), `YYYY-MM-DD`.
    pub by_day: BTreeMap<String, u64>,
    /// By event name; responses not from an event are under "".
    pub by_event: BTreeMap<String, u64>,
    /// By device label, for responses from event mode.
    pub by_device: BTreeMap<String, u64>,
    /// By the language answered in.
    pub by_language: BTreeMap<String, u64>,
    /// Kept from event mode though the person walked away before sending.
    pub incomplete: u64,
    /// Seconds from Start to Send, per response whose times are readable.
    durations: Vec<f64>,
    /// Per question id.
    pub questions: HashMap<String, QuestionStats>,
    /// Responses held for review (a version the collector was not given, or answers that do
    /// not fit it), by version: stored, never counted above.
    pub held: BTreeMap<String, u64>,
}

/// Figures as last counted, with what is needed to add only the responses that arrived since.
#[derive(Clone, Debug, Default)]
pub struct Counted {
    /// The survey's (stored count, latest arrival) when counted; `None` before any response.
    pub at: Option<(u64, String)>,
    /// The figures.
    pub stats: std::sync::Arc<Stats>,
    /// The latest arrival read.
    pub latest: String,
    /// The ids of responses read that arrived within [`OVERLAP_MS`] of `latest`: the next
    /// count re-reads that window (a response's time is set when its transaction starts, so one
    /// may commit after a later one was read) and skips these.
    pub recent: HashSet<String>,
}

/// How far back each update re-reads, in milliseconds: longer than any insert transaction.
pub const OVERLAP_MS: f64 = 60_000.0;

impl Stats {
    /// Responses read: counted and held.
    pub fn seen(&self) -> u64 {
        self.total + self.held.values().sum::<u64>()
    }

    /// Notes one response held for review.
    pub fn hold(&mut self, version: &str) {
        *self.held.entry(version.to_owned()).or_default() += 1;
    }
}

/// Milliseconds since the epoch of an RFC 3339 UTC timestamp, `YYYY-MM-DDTHH:MM:SS(.f+)Z`,
/// as the protocol's own check (`core::delivery::protocol::is_timestamp`) accepts it.
pub fn parse_timestamp(text: &str) -> Option<f64> {
    if !is_timestamp(text) {
        return None;
    }
    // The check fixed every position, so the parts are where it found them.
    let part = |from: usize| text.get(from..from + 2)?.parse::<u32>().ok();
    let days = Date::parse_iso(text.get(..10)?)?.days_since_epoch();
    let (h, m, s) = (part(11)?, part(14)?, part(17)?);
    let fraction = text.get(19..text.len() - 1).unwrap_or("");
    let millis = if fraction.is_empty() {
        0.0
    } else {
        format!("0{fraction}").parse::<f64>().ok()? * 1000.0
    };
    Some(days as f64 * 86_400_000.0 + f64::from(h * 3600 + m * 60 + s) * 1000.0 + millis)
}

/// The `q`-quantile of sorted values (linear between points, as Excel's `QUARTILE.INC`).
pub fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let at = q.clamp(0.0, 1.0) * last as f64;
    let (low, high) = (at.floor() as usize, at.ceil() as usize);
    let (a, b) = (sorted[low], sorted[high.min(last)]);
    Some(a + (b - a) * (at - low as f64))
}

fn bump(map: &mut HashMap<String, u64>, key: &str) {
    if let Some(n) = map.get_mut(key) {
        *n += 1;
    } else {
        map.insert(key.to_owned(), 1);
    }
}

fn empty_tally(kind: &QuestionKind) -> Tally {
    match kind {
        QuestionKind::SingleChoice { .. }
        | QuestionKind::MultipleChoice { .. }
        | QuestionKind::YesNo { .. }
        | QuestionKind::Rating { .. } => Tally::Choices(HashMap::new()),
        QuestionKind::Likert { .. } => Tally::Likert(HashMap::new()),
        QuestionKind::Number { .. } => Tally::Numbers(Vec::new()),
        _ => Tally::Answered,
    }
}

impl Stats {
    /// Empty figures, with a tally ready for each answerable question of `survey`.
    pub fn new(survey: Option<&Survey>) -> Self {
        let mut stats = Self::default();
        for (_, q) in survey.into_iter().flat_map(Survey::questions) {
            if q.kind.is_answerable() {
                stats.questions.insert(
                    q.id.0.clone(),
                    QuestionStats {
                        answered: 0,
                        tally: empty_tally(&q.kind),
                    },
                );
            }
        }
        stats
    }

    /// Counts one stored response.
    pub fn add(&mut self, received_at: &str, body: &Value) {
        self.total += 1;
        let day = received_at.get(..10).unwrap_or("");
        *self.by_day.entry(day.to_owned()).or_default() += 1;
        let context = body.get("context");
        let text_of = |key: &str| context.and_then(|c| c.get(key)).and_then(Value::as_str);
        *self
            .by_event
            .entry(text_of("event").unwrap_or("").to_owned())
            .or_default() += 1;
        if let Some(device) = text_of("device") {
            *self.by_device.entry(device.to_owned()).or_default() += 1;
        }
        if context.and_then(|c| c.get("incomplete")).and_then(Value::as_bool) == Some(true) {
            self.incomplete += 1;
        }
        let locale = body.get("locale").and_then(Value::as_str).unwrap_or("");
        *self.by_language.entry(locale.to_owned()).or_default() += 1;
        let started = body.get("startedAt").and_then(Value::as_str).and_then(parse_timestamp);
        let completed = body
            .get("completedAt")
            .and_then(Value::as_str)
            .and_then(parse_timestamp);
        if let (Some(a), Some(b)) = (started, completed) {
            if b >= a {
                self.durations.push((b - a) / 1000.0);
            }
        }
        let Some(answers) = body.get("answers").and_then(Value::as_object) else {
            return;
        };
        for (id, value) in answers {
            // Only the definition's questions are tallied: keys from unknown versions are
            // in the exports, not in these figures.
            let Some(q) = self.questions.get_mut(id) else {
                continue;
            };
            q.answered += 1;
            match (&mut q.tally, value) {
                (Tally::Choices(counts), Value::Array(values)) => {
                    for v in values.iter().filter_map(Value::as_str) {
                        bump(counts, v);
                    }
                }
                (Tally::Choices(counts), Value::Object(other)) => {
                    bump(counts, other.get("value").and_then(Value::as_str).unwrap_or("other"));
                }
                (Tally::Choices(counts), Value::String(v)) => bump(counts, v),
                (Tally::Choices(counts), Value::Number(n)) => bump(counts, &n.to_string()),
                (Tally::Likert(rows), Value::Object(statements)) => {
                    for (statement, v) in statements {
                        if let Some(v) = v.as_str() {
                            if let Some(row) = rows.get_mut(statement) {
                                bump(row, v);
                            } else {
                                rows.insert(statement.clone(), HashMap::from([(v.to_owned(), 1)]));
                            }
                        }
                    }
                }
                (Tally::Numbers(values), Value::Number(n)) => {
                    if let Some(n) = n.as_f64() {
                        values.push(n);
                    }
                }
                _ => {}
            }
        }
    }

    /// Sorts what needs sorting once every response is in.
    pub fn finish(&mut self) {
        self.durations.sort_by(f64::total_cmp);
        for q in self.questions.values_mut() {
            if let Tally::Numbers(values) = &mut q.tally {
                values.sort_by(f64::total_cmp);
            }
        }
    }

    /// The median time from Start to Send, in seconds.
    pub fn median_seconds(&self) -> Option<f64> {
        quantile(&self.durations, 0.5)
    }
}

/// Figures for publication: a count under `threshold` (but not zero) is withheld.
pub fn shown(count: u64, threshold: u64, publication: bool) -> Option<u64> {
    if publication {
        crate::outcomes::published_count(count, threshold)
    } else {
        Some(count)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    const SURVEY: &str = r#"{ "formatVersion": 1, "id": "s", "version": "1", "title": "S", "pages": [ { "id": "p", "questions": [
        { "id": "pick", "type": "singleChoice", "title": "Pick", "choices": [ { "value": "a", "label": "A" }, { "value": "b", "label": "B" } ], "other": { "value": "other", "label": "Other" } },
        { "id": "many", "type": "multipleChoice", "title": "Many", "choices": [ { "value": "x", "label": "X" }, { "value": "y", "label": "Y" } ] },
        { "id": "agree", "type": "likert", "title": "Agree", "statements": [ { "id": "s1", "text": "One" } ], "scale": [ { "value": "1", "label": "No" }, { "value": "2", "label": "Yes" } ] },
        { "id": "hours", "type": "number", "title": "Hours" },
        { "id": "why", "type": "longText", "title": "Why" }
    ] } ] }"#;

    #[test]
    fn one_pass_counts_everything() {
        let survey = survey_widget::core::load_survey(SURVEY).unwrap();
        let mut stats = Stats::new(Some(&survey));
        let bodies = [
            json!({ "locale": "en", "startedAt": "2026-12-01T10:00:00Z", "completedAt": "2026-12-01T10:04:00.500Z",
                    "answers": { "pick": "a", "many": ["x", "y"], "agree": { "s1": "2" }, "hours": 10, "why": "t" } }),
            json!({ "locale": "cy", "startedAt": "2026-12-01T10:00:00Z", "completedAt": "2026-12-01T10:02:00Z",
                    "context": { "mode": "event", "event": "Café", "device": "device-K7QM" },
                    "answers": { "pick": { "value": "other", "other": "c" }, "many": ["y"], "hours": 20, "unknown": 1 } }),
            json!({ "locale": "en", "answers": { "hours": 40 } }),
        ];
        for (i, body) in bodies.iter().enumerate() {
            stats.add(&format!("2026-12-0{}T09:00:00.000Z", 1 + i / 2), body);
        }
        stats.finish();
        assert_eq!(stats.total, 3);
        assert_eq!(stats.by_day.get("2026-12-01"), Some(&2));
        assert_eq!(stats.by_event.get("Café"), Some(&1));
        assert_eq!(stats.by_event.get(""), Some(&2));
        assert_eq!(stats.by_device.get("device-K7QM"), Some(&1));
        assert_eq!(stats.by_language.get("cy"), Some(&1));
        assert_eq!(stats.median_seconds(), Some(180.25));
        let pick = &stats.questions["pick"];
        assert_eq!(pick.answered, 2);
        assert_eq!(
            pick.tally,
            Tally::Choices(HashMap::from([("a".into(), 1), ("other".into(), 1)]))
        );
        let Tally::Choices(many) = &stats.questions["many"].tally else {
            panic!()
        };
        assert_eq!((many["x"], many["y"]), (1, 2));
        let Tally::Likert(agree) = &stats.questions["agree"].tally else {
            panic!()
        };
        assert_eq!(agree["s1"]["2"], 1);
        let Tally::Numbers(hours) = &stats.questions["hours"].tally else {
            panic!()
        };
        assert_eq!(hours, &[10.0, 20.0, 40.0]);
        assert_eq!(stats.questions["why"].answered, 1);
        assert!(!stats.questions.contains_key("unknown"));
    }

    #[test]
    fn quantiles_interpolate_like_a_spreadsheet() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile(&v, 0.5), Some(2.5));
        assert_eq!(quantile(&v, 0.25), Some(1.75));
        assert_eq!(quantile(&v, 1.0), Some(4.0));
        assert_eq!(quantile(&[], 0.5), None);
    }

    #[test]
    fn timestamps_parse() {
        assert_eq!(parse_timestamp("1970-01-01T00:00:01.5Z"), Some(1500.0));
        assert_eq!(parse_timestamp("2026-12-01T10:00:00Z").map(|t| t > 0.0), Some(true));
        assert_eq!(parse_timestamp("2026-12-01T1:00:00Z"), None);
        assert_eq!(parse_timestamp("2026-12-01 10:00:00Z"), None);
    }

    #[test]
    fn publication_withholds_small_counts() {
        assert_eq!(shown(3, 5, false), Some(3));
        assert_eq!(shown(3, 5, true), None);
        assert_eq!(shown(0, 5, true), Some(0));
    }
}

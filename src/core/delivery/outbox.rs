//! Sending completed responses: what a server's reply means, how long to wait before trying
//! again, and the outbox state machine that makes sure every response is delivered once.
//!
//! Pure: the adapter reports each reply (or network failure) with the time and a random
//! number for the jitter, and carries out the returned change (write the entry back, or
//! swap the response for a receipt).
use crate::core::respond::session::CompletedResponse;
use crate::core::survey::date::Date;
use crate::core::survey::ids::SurveyId;
use std::collections::{BTreeMap, BTreeSet};

/// A completed response waiting to be sent.
#[derive(Clone, Debug, PartialEq)]
pub struct OutboxEntry {
    /// The response to send.
    pub response_id: String,
    /// Its reference code, for the person's list of responses.
    pub reference: String,
    /// The survey answered.
    pub survey_id: SurveyId,
    /// When it joined the outbox (ms since epoch).
    pub queued_at: f64,
    /// Delivery attempts so far.
    pub attempts: u32,
    /// Waiting (and when the next attempt is due), or refused by the server and kept for an
    /// officer.
    pub state: EntryState,
    /// Where to send it, fixed when the response was completed; `None` keeps it on the
    /// device.
    pub endpoint: Option<String>,
    /// Extra request headers set by the host page (not secret).
    pub headers: Vec<(String, String)>,
}

impl OutboxEntry {
    /// A new entry for a response just completed, due at once, to go to `endpoint`.
    pub fn new(response: &CompletedResponse, endpoint: Option<String>, headers: Vec<(String, String)>) -> Self {
        Self {
            response_id: response.response_id.clone(),
            reference: response.reference.clone(),
            survey_id: response.survey_id.clone(),
            queued_at: response.completed_at,
            attempts: 0,
            state: EntryState::Waiting {
                next_attempt_at: response.completed_at,
            },
            endpoint,
            headers,
        }
    }
}

/// First retry ceiling: the random wait after the first failure is up to this.
pub const BASE_DELAY_MS: f64 = 2_000.0;
/// No wait is ever longer than this, `Retry-After` included.
pub const MAX_DELAY_MS: f64 = 300_000.0;
/// A `Retry-After` shorter than this is raised to it, so a server cannot make clients spin.
pub const MIN_RETRY_AFTER_MS: f64 = 1_000.0;
/// The longest a request is waited for before it is abandoned and counted as a network
/// failure (see [`request_timeout_ms`]).
pub const REQUEST_TIMEOUT_MS: f64 = 30_000.0;

/// How long a response's next request is waited for, by how many attempts it has had: 10 s
/// first, 15 s for the second, then [`REQUEST_TIMEOUT_MS`]. A response is a few KB, which a
/// poor phone connection sends in a second or two, so a first request still unanswered after
/// 10 s is most likely lost in a hung server; a server that is only slow (one starting up)
/// gets longer on each try. Abandoning one is safe: the idempotency key makes the retry store
/// nothing twice (issue #24: 60 responses against a server hanging on 5% of requests took
/// 64 s with 30 s throughout).
pub fn request_timeout_ms(attempts: u32) -> f64 {
    match attempts {
        0 => 10_000.0,
        1 => 15_000.0,
        _ => REQUEST_TIMEOUT_MS,
    }
}

/// What came back from one attempt, as the adapter saw it.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    /// An HTTP response.
    Http {
        /// Status code.
        status: u16,
        /// Whether the body is an HTML page (a captive portal's "200 OK" login page).
        html: bool,
        /// The `Retry-After` header, if any.
        retry_after: Option<String>,
    },
    /// No response: offline, DNS, refused, reset, CORS, or the connection dropped.
    NetworkError,
    /// No response within [`request_timeout_ms`].
    Timeout,
}

/// What an attempt means for the response.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Attempt {
    /// The server has it: remove it from the outbox.
    Delivered,
    /// Try again later; the server may have said when (ms from now).
    Retry {
        /// `Retry-After`, in ms from now, already parsed.
        retry_after_ms: Option<f64>,
    },
    /// The server refused this response (a 4xx other than 401, 403, 408 and 429): keep it,
    /// mark it for attention, and carry on with the others.
    Rejected {
        /// The status code.
        status: u16,
    },
    /// The server refused the client (401 or 403): stop sending to this endpoint until the
    /// next start or an officer's "Send now".
    Unauthorized {
        /// The status code.
        status: u16,
    },
}

/// Classifies a reply. Only a 2xx that is not an HTML page is a delivery: captive portals
/// answer every request with "200 OK" and a login page.
pub fn classify(reply: &Reply, now_ms: f64) -> Attempt {
    match reply {
        Reply::NetworkError | Reply::Timeout => Attempt::Retry { retry_after_ms: None },
        Reply::Http {
            status,
            html,
            retry_after,
        } => match status {
            200..=299 if !html => Attempt::Delivered,
            200..=299 => Attempt::Retry { retry_after_ms: None },
            401 | 403 => Attempt::Unauthorized { status: *status },
            408 | 429 | 500..=599 => Attempt::Retry {
                retry_after_ms: retry_after.as_deref().and_then(|v| parse_retry_after(v, now_ms)),
            },
            400..=499 => Attempt::Rejected { status: *status },
            // 1xx and 3xx cannot reach here through fetch; treat anything odd as transient.
            _ => Attempt::Retry { retry_after_ms: None },
        },
    }
}

/// Reads `Retry-After`: a number of seconds, or an HTTP date (`Sun, 06 Nov 1994 08:49:37
/// GMT`). Returns ms from now (0 for a date in the past), or `None` when unreadable.
pub fn parse_retry_after(value: &str, now_ms: f64) -> Option<f64> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Long digit strings saturate rather than fail: they are clamped anyway.
        let seconds = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(seconds.min(1 << 40) as f64 * 1000.0);
    }
    let at = parse_http_date(value)?;
    Some((at - now_ms).max(0.0))
}

/// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) to ms since the epoch.
fn parse_http_date(value: &str) -> Option<f64> {
    let mut parts = value.split_whitespace();
    let _weekday = parts.next()?.strip_suffix(',')?;
    let day: u32 = parts.next()?.parse().ok()?;
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month_name = parts.next()?;
    let month = MONTHS.iter().position(|m| *m == month_name)? as u32 + 1;
    let year: i32 = parts.next()?.parse().ok()?;
    let mut clock = parts.next()?.split(':');
    let (h, m, s): (u32, u32, u32) = (
        clock.next()?.parse().ok()?,
        clock.next()?.parse().ok()?,
        clock.next()?.parse().ok()?,
    );
    if parts.next()? != "GMT" || parts.next().is_some() || clock.next().is_some() || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let days = Date::new(year, month, day)?.days_since_epoch();
    Some((days as f64 * 86_400.0 + f64::from(h * 3600 + m * 60 + s)) * 1000.0)
}

/// How long to wait before attempt `attempts + 1`, after `attempts` failures: exponential
/// backoff with full jitter (a random wait up to `BASE_DELAY_MS × 2^(attempts-1)`, capped at
/// [`MAX_DELAY_MS`]), and never less than a `Retry-After`, which is itself clamped to
/// `MIN_RETRY_AFTER_MS..=MAX_DELAY_MS`. `jitter` is a random number in `[0, 1)`.
pub fn retry_delay_ms(attempts: u32, jitter: f64, retry_after_ms: Option<f64>) -> f64 {
    let exponent = attempts.saturating_sub(1).min(30);
    let ceiling = (BASE_DELAY_MS * f64::from(1u32 << exponent.min(20))).min(MAX_DELAY_MS);
    let jitter = if jitter.is_finite() {
        jitter.clamp(0.0, 1.0)
    } else {
        0.5
    };
    let random = jitter * ceiling;
    match retry_after_ms {
        Some(ms) if ms.is_finite() => ms.clamp(MIN_RETRY_AFTER_MS, MAX_DELAY_MS).max(random),
        _ => random,
    }
}

/// Where a response waiting to be sent stands.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum EntryState {
    /// Waiting for its next attempt, due at this time (ms since epoch).
    Waiting {
        /// When the next attempt is due.
        next_attempt_at: f64,
    },
    /// The server refused it: kept, shown to an officer, not retried on its own.
    NeedsAttention {
        /// The HTTP status of the refusal (`None` if it could not be sent at all).
        status: Option<u16>,
    },
}

impl EntryState {
    /// When a waiting entry is next due; `None` for one needing attention.
    pub fn due_at(self) -> Option<f64> {
        match self {
            EntryState::Waiting { next_attempt_at } => Some(next_attempt_at),
            EntryState::NeedsAttention { .. } => None,
        }
    }
}

impl OutboxEntry {
    /// Where this response stands, as people are told.
    pub fn delivery_status(&self) -> DeliveryStatus {
        match (self.state, &self.endpoint) {
            (EntryState::NeedsAttention { status }, _) => DeliveryStatus::NeedsAttention(status),
            (EntryState::Waiting { .. }, None) => DeliveryStatus::Kept,
            (EntryState::Waiting { .. }, Some(_)) => DeliveryStatus::Waiting,
        }
    }
}

/// A delivered response's receipt: what stays on the device once its answers are gone.
#[derive(Clone, Debug, PartialEq)]
pub struct Receipt {
    /// The response.
    pub response_id: String,
    /// Its reference code.
    pub reference: String,
    /// The survey answered.
    pub survey_id: SurveyId,
    /// When the server acknowledged it (ms since epoch).
    pub sent_at: f64,
}

/// What the adapter must store after an attempt.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// Write the entry back (new attempt count, next attempt time or state).
    Update(OutboxEntry),
    /// In one transaction: delete the response and its entry, and write this receipt.
    Acknowledge(Receipt),
}

impl Change {
    /// The response it is about, and where that response stands after it.
    pub fn status(&self) -> (&str, DeliveryStatus) {
        match self {
            Change::Update(e) => (&e.response_id, e.delivery_status()),
            Change::Acknowledge(r) => (&r.response_id, DeliveryStatus::Received(r.sent_at)),
        }
    }

    /// The survey the response answers.
    pub fn survey(&self) -> &SurveyId {
        match self {
            Change::Update(e) => &e.survey_id,
            Change::Acknowledge(r) => &r.survey_id,
        }
    }
}

/// What one attempt changed, as the sender's own module (issue #24) tells the page that asked
/// it to send: the change, for the list people see and the host page's events, and whether
/// sending to some endpoint is now paused, for the notice that says so.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// What the attempt changed.
    pub change: Change,
    /// Whether an endpoint refused the client, so sending to it waits for "Send now".
    pub paused: bool,
}

/// Whether anything on the device waits to be sent: only then does a page load the sender.
pub fn anything_to_send(entries: &[OutboxEntry]) -> bool {
    entries
        .iter()
        .any(|e| e.endpoint.is_some() && e.state.due_at().is_some())
}

/// Most requests in flight at once, each for a different response (issue #24): one slow or
/// hanging request holds up its own response only, while a few at a time keep a busy
/// collector from being flooded by a device that was offline all day.
pub const MAX_IN_FLIGHT: usize = 4;

/// The outbox of one tab's sender: entries read from storage, which of them have a request in
/// flight, which endpoints have refused the client, and which asked to be left alone a while.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outbox {
    entries: BTreeMap<String, OutboxEntry>,
    in_flight: BTreeSet<String>,
    paused: BTreeSet<String>,
    /// Endpoints whose `Retry-After` holds every response to them until then (ms since
    /// epoch), not only the one it answered.
    held: BTreeMap<String, f64>,
}

impl Outbox {
    /// An empty outbox.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes in what storage holds now. Entries gone from storage (another tab delivered
    /// them) are dropped, except those in flight here, whose replies still need handling.
    pub fn refresh(&mut self, stored: Vec<OutboxEntry>) {
        let mut next = BTreeMap::new();
        for entry in stored {
            next.insert(entry.response_id.clone(), entry);
        }
        for id in &self.in_flight {
            if let Some(entry) = self.entries.remove(id) {
                next.entry(id.clone()).or_insert(entry);
            }
        }
        self.entries = next;
    }

    /// The entries, in response-id order.
    pub fn entries(&self) -> impl Iterator<Item = &OutboxEntry> {
        self.entries.values()
    }

    /// Whether sending to some endpoint is paused because it refused the client.
    pub fn is_paused(&self) -> bool {
        !self.paused.is_empty()
    }

    /// When `entry` may be sent: it has an endpoint, is waiting, has no request in flight and
    /// its endpoint is not paused; then at its own due time, or when its endpoint's
    /// `Retry-After` ends if that is later.
    fn sendable(&self, entry: &OutboxEntry) -> Option<f64> {
        let due = entry.state.due_at()?;
        let endpoint = entry.endpoint.as_ref()?;
        if self.paused.contains(endpoint) || self.in_flight.contains(&entry.response_id) {
            return None;
        }
        Some(self.held.get(endpoint).map_or(due, |until| due.max(*until)))
    }

    /// Whether a request is in flight.
    pub fn is_busy(&self) -> bool {
        !self.in_flight.is_empty()
    }

    /// "Send now": resume paused endpoints and make every waiting entry due at once, with
    /// its backoff started afresh. Returns the changed entries, for storage.
    pub fn send_now(&mut self, now_ms: f64) -> Vec<OutboxEntry> {
        self.paused.clear();
        self.held.clear();
        let mut changed = Vec::new();
        for entry in self.entries.values_mut() {
            if let Some(due) = entry.state.due_at() {
                if due > now_ms || entry.attempts > 0 {
                    entry.state = EntryState::Waiting {
                        next_attempt_at: due.min(now_ms),
                    };
                    entry.attempts = 0;
                    changed.push(entry.clone());
                }
            }
        }
        changed
    }

    /// Picks the next response to send and marks it in flight. `None` while
    /// [`MAX_IN_FLIGHT`] requests are in flight, or when nothing else is due (a response
    /// already in flight, a paused endpoint and a held one are not).
    pub fn begin(&mut self, now_ms: f64) -> Option<OutboxEntry> {
        if self.in_flight.len() >= MAX_IN_FLIGHT {
            return None;
        }
        let entry = self
            .entries
            .values()
            .filter_map(|e| self.sendable(e).filter(|due| *due <= now_ms).map(|due| (due, e)))
            .min_by(|a, b| a.0.total_cmp(&b.0))?
            .1
            .clone();
        self.in_flight.insert(entry.response_id.clone());
        Some(entry)
    }

    /// When the next waiting entry falls due, for the timer; `None` when nothing waits (an
    /// entry in flight is not waiting).
    pub fn next_due(&self) -> Option<f64> {
        self.entries
            .values()
            .filter_map(|e| self.sendable(e))
            .min_by(f64::total_cmp)
    }

    /// The in-flight request for `id` ended with `attempt`. Returns what to store, or `None`
    /// when `id` was not in flight (a stale or repeated report, which changes nothing).
    pub fn finish(&mut self, id: &str, attempt: Attempt, now_ms: f64, jitter: f64) -> Option<Change> {
        if !self.in_flight.remove(id) {
            return None;
        }
        let mut entry = self.entries.remove(id)?;
        let change = match attempt {
            Attempt::Delivered => {
                return Some(Change::Acknowledge(Receipt {
                    response_id: entry.response_id,
                    reference: entry.reference,
                    survey_id: entry.survey_id,
                    sent_at: now_ms,
                }))
            }
            Attempt::Retry { retry_after_ms } => {
                // The server asked the client, not this response, to wait.
                if let (Some(after), Some(endpoint)) = (retry_after_ms, &entry.endpoint) {
                    let until = now_ms + after.clamp(MIN_RETRY_AFTER_MS, MAX_DELAY_MS);
                    let held = self.held.entry(endpoint.clone()).or_insert(until);
                    *held = held.max(until);
                }
                entry.attempts = entry.attempts.saturating_add(1);
                entry.state = EntryState::Waiting {
                    next_attempt_at: now_ms + retry_delay_ms(entry.attempts, jitter, retry_after_ms),
                };
                entry.clone()
            }
            Attempt::Rejected { status } => {
                entry.attempts = entry.attempts.saturating_add(1);
                entry.state = EntryState::NeedsAttention { status: Some(status) };
                entry.clone()
            }
            Attempt::Unauthorized { .. } => {
                // Not the response's fault: it keeps its place and is sent after the pause.
                if let Some(endpoint) = &entry.endpoint {
                    self.paused.insert(endpoint.clone());
                }
                entry.clone()
            }
        };
        self.entries.insert(entry.response_id.clone(), entry);
        Some(Change::Update(change))
    }
}

/// Where one of the person's responses stands, for the confirmation page and the list of
/// responses on this device.
#[derive(Clone, Debug, PartialEq)]
pub enum DeliveryStatus {
    /// Waiting to be sent.
    Waiting,
    /// No endpoint is configured: it stays on the device.
    Kept,
    /// The server refused it, with this status.
    NeedsAttention(Option<u16>),
    /// Received by the server at this time (ms since epoch).
    Received(f64),
}

/// One response on this device.
#[derive(Clone, Debug, PartialEq)]
pub struct Delivery {
    /// The response.
    pub response_id: String,
    /// Its reference code.
    pub reference: String,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// When it was completed or received, for ordering (ms since epoch).
    pub at: f64,
}

/// The responses to `survey` on this device, oldest first: those waiting (from the outbox)
/// and those received (from the receipts).
pub fn deliveries(survey: &SurveyId, entries: &[OutboxEntry], receipts: &[Receipt]) -> Vec<Delivery> {
    let mut out: Vec<Delivery> = entries
        .iter()
        .filter(|e| &e.survey_id == survey)
        .map(|e| Delivery {
            response_id: e.response_id.clone(),
            reference: e.reference.clone(),
            status: e.delivery_status(),
            at: e.queued_at,
        })
        .collect();
    for r in receipts.iter().filter(|r| &r.survey_id == survey) {
        if !out.iter().any(|d| d.response_id == r.response_id) {
            out.push(Delivery {
                response_id: r.response_id.clone(),
                reference: r.reference.clone(),
                status: DeliveryStatus::Received(r.sent_at),
                at: r.sent_at,
            });
        }
    }
    // Insertion order by time without a sort routine: the list is short.
    let mut ordered: Vec<Delivery> = Vec::with_capacity(out.len());
    for d in out {
        let at = ordered.iter().position(|o| o.at > d.at).unwrap_or(ordered.len());
        ordered.insert(at, d);
    }
    ordered
}

#[cfg(test)]
mod tests {
    use super::*;

    fn http(status: u16) -> Reply {
        Reply::Http {
            status,
            html: false,
            retry_after: None,
        }
    }

    #[test]
    fn replies_are_classified_as_the_protocol_says() {
        assert_eq!(classify(&http(201), 0.0), Attempt::Delivered);
        let portal = Reply::Http {
            status: 200,
            html: true,
            retry_after: None,
        };
        assert_eq!(classify(&portal, 0.0), Attempt::Retry { retry_after_ms: None });
        for status in [408, 429, 500, 502, 503, 504] {
            assert!(
                matches!(classify(&http(status), 0.0), Attempt::Retry { .. }),
                "{status}"
            );
        }
        assert_eq!(classify(&http(401), 0.0), Attempt::Unauthorized { status: 401 });
        assert_eq!(classify(&http(403), 0.0), Attempt::Unauthorized { status: 403 });
        for status in [400, 404, 409, 410, 413, 422] {
            assert_eq!(classify(&http(status), 0.0), Attempt::Rejected { status }, "{status}");
        }
        assert_eq!(classify(&Reply::Timeout, 0.0), Attempt::Retry { retry_after_ms: None });
        assert_eq!(
            classify(&Reply::NetworkError, 0.0),
            Attempt::Retry { retry_after_ms: None }
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(parse_retry_after("120", 0.0), Some(120_000.0));
        assert_eq!(parse_retry_after(" 0 ", 0.0), Some(0.0));
        // 1994-11-06T08:49:37Z is 784111777 s after the epoch.
        let at = 784_111_777_000.0;
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", at - 5_000.0),
            Some(5_000.0)
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", at + 5_000.0),
            Some(0.0)
        );
        for bad in [
            "",
            "-1",
            "1.5",
            "soon",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 31 Feb 1994 08:49:37 GMT",
        ] {
            assert_eq!(parse_retry_after(bad, 0.0), None, "{bad}");
        }
        assert_eq!(
            parse_retry_after("99999999999999999999999", 0.0),
            Some((1u64 << 40) as f64 * 1000.0)
        );
    }

    #[test]
    fn delays_grow_with_full_jitter_and_stay_under_the_cap() {
        assert_eq!(retry_delay_ms(1, 0.5, None), 1_000.0);
        assert_eq!(retry_delay_ms(2, 0.5, None), 2_000.0);
        assert_eq!(retry_delay_ms(3, 1.0, None), 8_000.0);
        assert_eq!(retry_delay_ms(40, 1.0, None), MAX_DELAY_MS);
        assert_eq!(retry_delay_ms(1, 0.0, None), 0.0);
        assert_eq!(retry_delay_ms(1, 0.0, Some(10.0)), MIN_RETRY_AFTER_MS);
        assert_eq!(retry_delay_ms(1, 0.0, Some(30_000.0)), 30_000.0);
        assert_eq!(retry_delay_ms(1, 0.0, Some(1e12)), MAX_DELAY_MS);
        assert_eq!(retry_delay_ms(1, f64::NAN, Some(f64::INFINITY)), 1_000.0);
    }
}

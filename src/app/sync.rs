//! When the widget sends: at start-up, after a completion, on `online`, by the timer and on
//! "Send now", and what it shows while it does. The sending itself happens in the sender's
//! own module (issue #24, `platform::sender_link`), loaded only when something waits, under
//! the lock every tab takes; the rules (what a reply means, how long to wait, what to store)
//! are `core::delivery::outbox`.
use super::Widget;
use crate::core::delivery::outbox::{
    anything_to_send, deliveries, Change, Delivery, DeliveryStatus, OutboxEntry, Receipt, Report,
};
use crate::core::device::{OUTBOX, RECEIPTS};
use crate::core::CompletedResponse;
use crate::platform;
use crate::platform::idb::read_all;
use crate::platform::sender_link::{self, send_round, Round};
use leptos::leptos_dom::helpers::TimeoutHandle;
use leptos::prelude::*;
use std::time::Duration;

/// How soon to try again when another tab holds the lock (it may close).
const LOCK_RETRY_MS: f64 = 5_000.0;
/// How soon to try again when the sender's module could not be loaded (a bad connection).
const LOAD_RETRY_MS: f64 = 30_000.0;

/// Sending state of one widget.
#[derive(Clone, Copy)]
pub struct Sync {
    /// This survey's responses on the device and where each stands.
    pub deliveries: RwSignal<Vec<Delivery>>,
    /// Whether "Your responses on this device" is showing.
    pub showing_list: RwSignal<bool>,
    /// Whether an endpoint is configured for new responses.
    pub has_endpoint: bool,
    /// Keep a delivered response's answers (event mode) instead of swapping them for a receipt.
    keep_answers: bool,
    state: StoredValue<State>,
    config: StoredValue<Destination>,
}

/// Where new responses go, as the host page and survey configured it.
#[derive(Clone, Default)]
struct Destination {
    endpoint: Option<String>,
    headers: Vec<(String, String)>,
}

#[derive(Default)]
struct State {
    running: bool,
    again: bool,
    /// "Send now" was pressed: applied by the sender, under the lock, at its next read of
    /// storage, so it can never write back an entry that was delivered meanwhile; kept until
    /// a round has run.
    send_now: bool,
    wake: Option<TimeoutHandle>,
}

impl Sync {
    /// Sending state for responses that go to `endpoint` with `headers`.
    pub fn new(endpoint: Option<String>, headers: Vec<(String, String)>, keep_answers: bool) -> Self {
        Self {
            keep_answers,
            deliveries: RwSignal::new(Vec::new()),
            showing_list: RwSignal::new(false),
            has_endpoint: endpoint.is_some(),
            state: StoredValue::new(State::default()),
            config: StoredValue::new(Destination { endpoint, headers }),
        }
    }

    /// The outbox entry for a response completed now.
    pub fn entry_for(&self, response: &CompletedResponse) -> OutboxEntry {
        let Destination { endpoint, headers } = self.config.get_value();
        OutboxEntry::new(response, endpoint, headers)
    }
}

/// Re-reads this survey's responses from storage (another tab may have sent some); says
/// whether anything on the device (any survey's) waits to be sent.
pub async fn refresh_list(w: Widget) -> bool {
    let (Ok(entries), Ok(receipts)) = (
        read_all::<OutboxEntry>(OUTBOX).await,
        read_all::<Receipt>(RECEIPTS).await,
    ) else {
        return false;
    };
    let waiting = anything_to_send(&entries);
    if !w.alive() {
        return waiting;
    }
    let list = w.survey.with_value(|s| deliveries(&s.id, &entries, &receipts));
    if w.sync.deliveries.with_untracked(|d| d != &list) {
        w.sync.deliveries.set(list);
    }
    waiting
}

/// Starts sending whatever is due, unless this tab is already at it (then it goes round once
/// more when done). Called at start-up, after a completion, on `online`, by the timer and by
/// "Send now".
pub fn pump(w: Widget) {
    // Offline, every attempt would fail at once and only push the retries further out; the
    // `online` event starts sending again. The list is still brought up to date, so a
    // response completed offline shows as waiting to be sent.
    if !platform::is_online() {
        leptos::task::spawn_local(async move {
            if refresh_list(w).await {
                sender_link::send_later();
            }
        });
        return;
    }
    let busy = w.sync.state.try_update_value(|s| {
        if s.running {
            s.again = true;
            true
        } else {
            s.running = true;
            if let Some(wake) = s.wake.take() {
                wake.clear();
            }
            false
        }
    });
    if busy != Some(false) {
        return;
    }
    leptos::task::spawn_local(async move {
        // Show what is queued before sending starts, so each change is seen (and announced).
        let waiting = refresh_list(w).await;
        let send_now = w.sync.state.with_value(|s| s.send_now);
        // With nothing waiting, the sender's module is never loaded.
        let round = if waiting {
            send_round(w.sync.keep_answers, send_now, move |report| attempted(w, &report)).await
        } else {
            Round::Ran(None)
        };
        if matches!(round, Round::Ran(_)) {
            w.sync.state.update_value(|s| s.send_now = false);
            if waiting {
                refresh_list(w).await;
            }
        }
        if !w.alive() {
            return;
        }
        let again = w
            .sync
            .state
            .try_update_value(|s| {
                s.running = false;
                std::mem::take(&mut s.again)
            })
            .unwrap_or(false);
        if again {
            pump(w);
            return;
        }
        let next = match round {
            Round::Ran(Some(next)) => {
                sender_link::send_later();
                Some(next)
            }
            Round::Ran(None) => None,
            Round::Busy => Some(platform::now_ms() + LOCK_RETRY_MS),
            Round::Unavailable => Some(platform::now_ms() + LOAD_RETRY_MS),
        };
        if let Some(at) = next {
            wake_at(w, at);
        }
    });
}

/// "Send now": resume a paused endpoint and try everything waiting at once, with the backoff
/// started afresh.
pub fn send_now(w: Widget) {
    w.sync.state.update_value(|s| s.send_now = true);
    w.saving.change(|d| d.paused = false);
    pump(w);
}

/// The widget is going: no more retries from its timer.
pub fn stop(w: Widget) {
    if let Some(wake) = w.sync.state.try_update_value(|s| s.wake.take()).flatten() {
        wake.clear();
    }
}

fn wake_at(w: Widget, at: f64) {
    let delay = (at - platform::now_ms()).max(0.0);
    let handle = set_timeout_with_handle(move || pump(w), Duration::from_millis(delay as u64)).ok();
    w.sync.state.update_value(|s| {
        if let Some(old) = std::mem::replace(&mut s.wake, handle) {
            old.clear();
        }
    });
}

/// One attempt finished in the sender: the paused notice and the list people see follow it.
fn attempted(w: Widget, report: &Report) {
    if !w.alive() {
        return;
    }
    w.saving.change(|d| d.paused = report.paused);
    show(w, &report.change);
}

/// Updates the list people see for one attempt, without re-reading storage, and tells the
/// host page when a response arrived (`delivered`) or needs attention (`error`).
fn show(w: Widget, change: &Change) {
    let (id, status) = change.status();
    match (&status, change) {
        (DeliveryStatus::Received(_), Change::Acknowledge(r)) => w.emit(
            "delivered",
            &[
                ("reference", r.reference.as_str().into()),
                ("responseId", r.response_id.as_str().into()),
                ("surveyId", r.survey_id.as_str().into()),
            ],
        ),
        (DeliveryStatus::NeedsAttention(code), _) => w.emit(
            "error",
            &[
                ("kind", "delivery".into()),
                (
                    "message",
                    format!("the server refused response {id} (HTTP {})", code.unwrap_or(0)).into(),
                ),
                ("responseId", id.into()),
            ],
        ),
        _ => {}
    }
    set_status(w, id, status);
}

/// Shows response `id` at `status` in the list, if it is there with another; says whether it
/// is there at all.
fn set_status(w: Widget, id: &str, status: DeliveryStatus) -> bool {
    let (listed, changed) = w.sync.deliveries.with_untracked(|l| {
        l.iter()
            .find(|d| d.response_id == id)
            .map_or((false, false), |d| (true, d.status != status))
    });
    if changed {
        w.sync.deliveries.update(|list| {
            if let Some(d) = list.iter_mut().find(|d| d.response_id == id) {
                d.status = status;
            }
        });
    }
    listed
}

/// Listens, once per page, for attempts made elsewhere (another tab, or another widget's round
/// on this page): each widget the page has then shows them live (the list and the paused
/// notice); the host page's events stay with the tab that sent.
pub fn listen() {
    sender_link::listen(|report| {
        for w in super::loaded() {
            heard(w, &report);
        }
    });
}

fn heard(w: Widget, report: &Report) {
    if !w.alive() || !w.survey.with_value(|s| &s.id == report.change.survey()) {
        return;
    }
    w.saving.change(|d| d.paused = report.paused);
    let (id, status) = report.change.status();
    // A response this list has not seen (completed in another tab) needs the list read again.
    if !set_status(w, id, status) {
        leptos::task::spawn_local(async move {
            refresh_list(w).await;
        });
    }
}

//! When the widget sends: at start-up, after a completion, on `online`, by the timer and on
//! "Send now", one tab at a time (a Web Lock), and what it shows while it does. The send loop
//! itself is `platform::sender`, shared with the officer console; the rules (what a reply
//! means, how long to wait, what to store) are `core::delivery::outbox`.
use super::Widget;
use crate::core::delivery::outbox::{deliveries, Change, Delivery, DeliveryStatus, Outbox, OutboxEntry, Receipt};
use crate::core::device::{OUTBOX, RECEIPTS};
use crate::core::CompletedResponse;
use crate::platform::idb::read_all;
use crate::platform::sender::{send_due, SendHost, LOCK};
use crate::platform::{self, net};
use leptos::leptos_dom::helpers::TimeoutHandle;
use leptos::prelude::*;
use std::time::Duration;

/// How soon to try again when another tab holds the lock (it may close).
const LOCK_RETRY_MS: f64 = 5_000.0;

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
    outbox: Outbox,
    running: bool,
    again: bool,
    /// "Send now" was pressed: applied by the sender, under the lock, at its next read of
    /// storage, so it can never write back an entry that was delivered meanwhile.
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

/// Re-reads this survey's responses from storage (another tab may have sent some).
pub async fn refresh_list(w: Widget) {
    let (Ok(entries), Ok(receipts)) = (
        read_all::<OutboxEntry>(OUTBOX).await,
        read_all::<Receipt>(RECEIPTS).await,
    ) else {
        return;
    };
    if !w.alive() {
        return;
    }
    let list = w.survey.with_value(|s| deliveries(&s.id, &entries, &receipts));
    if w.sync.deliveries.with_untracked(|d| d != &list) {
        w.sync.deliveries.set(list);
    }
}

/// Starts sending whatever is due, unless this tab is already at it (then it goes round once
/// more when done). Called at start-up, after a completion, on `online`, by the timer and by
/// "Send now".
pub fn pump(w: Widget) {
    // Offline, every attempt would fail at once and only push the retries further out; the
    // `online` event starts sending again. The list is still brought up to date, so a
    // response completed offline shows as waiting to be sent.
    if !platform::is_online() {
        leptos::task::spawn_local(refresh_list(w));
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
        refresh_list(w).await;
        let sent = net::with_lock(LOCK, Box::pin(async move { send_due(&WidgetSender(w)).await })).await;
        refresh_list(w).await;
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
        let next = if sent {
            w.sync.state.with_value(|s| s.outbox.next_due())
        } else {
            Some(platform::now_ms() + LOCK_RETRY_MS)
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

/// The widget as the send loop's host: its outbox state lives in the widget's `Sync`, and
/// each attempt updates the list people see and the paused notice.
struct WidgetSender(Widget);

impl SendHost for WidgetSender {
    fn alive(&self) -> bool {
        self.0.alive()
    }

    fn outbox<R>(&self, f: impl FnOnce(&mut Outbox) -> R) -> Option<R> {
        self.0.sync.state.try_update_value(|s| f(&mut s.outbox))
    }

    fn refresh(&self, stored: Vec<OutboxEntry>, now_ms: f64) -> Vec<OutboxEntry> {
        self.0
            .sync
            .state
            .try_update_value(|s| {
                s.outbox.refresh(stored);
                if std::mem::take(&mut s.send_now) {
                    s.outbox.send_now(now_ms)
                } else {
                    Vec::new()
                }
            })
            .unwrap_or_default()
    }

    fn keep_answers(&self) -> bool {
        self.0.sync.keep_answers
    }

    fn attempted(&self, change: &Change) {
        let w = self.0;
        let paused = w.sync.state.with_value(|s| s.outbox.is_paused());
        w.saving.change(|d| d.paused = paused);
        show(w, change);
    }
}

/// Updates the list people see for one attempt, without re-reading storage, and tells the
/// host page when a response arrived (`delivered`) or needs attention (`error`).
fn show(w: Widget, change: &Change) {
    let (id, status) = match change {
        Change::Update(e) => (&e.response_id, e.delivery_status()),
        Change::Acknowledge(r) => (&r.response_id, DeliveryStatus::Received(r.sent_at)),
    };
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
                ("responseId", id.as_str().into()),
            ],
        ),
        _ => {}
    }
    let listed = w
        .sync
        .deliveries
        .with_untracked(|l| l.iter().any(|d| &d.response_id == id && d.status != status));
    if listed {
        w.sync.deliveries.update(|list| {
            if let Some(d) = list.iter_mut().find(|d| &d.response_id == id) {
                d.status = status;
            }
        });
    }
}

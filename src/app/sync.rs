//! Sending completed responses to the configured endpoint: one tab at a time (a Web Lock),
//! one request at a time, each response until the server acknowledges it; then its answers
//! are swapped for a receipt. The rules (what a reply means, how long to wait, what to store)
//! are `core::delivery::outbox`; this module runs them against the network and IndexedDB.
use super::Widget;
use crate::core::delivery::outbox::OutboxEntry;
use crate::core::delivery::outbox::{
    classify, deliveries, Change, Delivery, DeliveryStatus, Outbox, Receipt, REQUEST_TIMEOUT_MS,
};
use crate::core::delivery::protocol::{request_body, IDEMPOTENCY_HEADER};
use crate::core::device::record::Record;
use crate::core::device::{OUTBOX, RECEIPTS, RESPONSES};
use crate::core::CompletedResponse;
use crate::platform::idb::{self, read_all, Key, Op};
use crate::platform::{self, console_error, net};
use leptos::leptos_dom::helpers::TimeoutHandle;
use leptos::prelude::*;
use std::time::Duration;

/// The Web Lock every tab of the origin takes before sending.
const LOCK: &str = "survey-widget-outbox";
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
        let sent = net::with_lock(LOCK, Box::pin(send_due(w))).await;
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

/// Sends due responses one at a time until none is due. Holds the cross-tab lock throughout.
async fn send_due(w: Widget) {
    // Storage is read when the round starts and again whenever nothing more is due (another
    // tab or widget may have queued something meanwhile), not before every request: with
    // hundreds queued, re-reading each time would make a round quadratic.
    let mut reread = true;
    while platform::is_online() {
        if reread {
            let Ok(stored) = read_all::<OutboxEntry>(OUTBOX).await else {
                return;
            };
            if !w.alive() {
                return;
            }
            let now = platform::now_ms();
            let restarted = w
                .sync
                .state
                .try_update_value(|s| {
                    s.outbox.refresh(stored);
                    if std::mem::take(&mut s.send_now) {
                        s.outbox.send_now(now)
                    } else {
                        Vec::new()
                    }
                })
                .unwrap_or_default();
            if !restarted.is_empty() {
                let ops: Vec<Op> = restarted.iter().map(|e| Op::Put(OUTBOX, e.to_json())).collect();
                if let Err(e) = idb::write(&ops, false).await {
                    console_error(&format!("survey widget: Send now: {e}"));
                }
            }
        }
        let now = platform::now_ms();
        let Some(entry) = w.sync.state.try_update_value(|s| s.outbox.begin(now)).flatten() else {
            if reread {
                return;
            }
            reread = true;
            continue;
        };
        reread = false;
        let reply = match (&entry.endpoint, load_response(&entry.response_id).await) {
            (Some(endpoint), Some(response)) => {
                let body = request_body(&response, "en").to_string();
                let mut headers = entry.headers.clone();
                headers.push((IDEMPOTENCY_HEADER.to_owned(), entry.response_id.clone()));
                net::post_json(endpoint, &body, &headers, REQUEST_TIMEOUT_MS).await
            }
            _ => {
                console_error(&format!(
                    "survey widget: response {} is missing from storage",
                    entry.response_id
                ));
                crate::core::delivery::outbox::Reply::Http {
                    status: 410,
                    html: false,
                    retry_after: None,
                }
            }
        };
        if !w.alive() {
            // The server's idempotency makes the resend on the next visit harmless.
            return;
        }
        let finished = platform::now_ms();
        let attempt = classify(&reply, finished);
        let change = w
            .sync
            .state
            .try_update_value(|s| s.outbox.finish(&entry.response_id, attempt, finished, net::jitter()))
            .flatten();
        let paused = w.sync.state.with_value(|s| s.outbox.is_paused());
        w.saving.change(|d| d.paused = paused);
        if let Some(change) = &change {
            show(w, change);
        }
        let written = match change {
            Some(Change::Update(entry)) => idb::write(&[Op::Put(OUTBOX, entry.to_json())], false).await,
            Some(Change::Acknowledge(receipt)) => {
                let id = Key::Text(receipt.response_id.clone());
                let mut ops = vec![Op::Delete(OUTBOX, id.clone()), Op::Put(RECEIPTS, receipt.to_json())];
                if !w.sync.keep_answers {
                    ops.push(Op::Delete(RESPONSES, id));
                }
                idb::write(&ops, true).await
            }
            None => Ok(()),
        };
        if let Err(e) = written {
            // The server's idempotency makes the resend after this harmless.
            console_error(&format!("survey widget: recording a delivery attempt failed: {e}"));
            return;
        }
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

async fn load_response(id: &str) -> Option<CompletedResponse> {
    let json = idb::get(RESPONSES, &Key::Text(id.to_owned())).await.ok()??;
    CompletedResponse::from_json(&json)
}

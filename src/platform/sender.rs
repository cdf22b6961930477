//! The one send loop, run by the sender's own module (`src/entries/sender`) for the widget and
//! the officer console alike: it runs core's outbox (`core::delivery::outbox`) against
//! IndexedDB and the network, a few requests at a time for different responses, under the
//! cross-tab lock. Its host says, through [`SendHost`], where the outbox state is kept and
//! whom to tell after each attempt; the loop itself decides nothing and holds no signals.
use super::idb::{self, read_all, Key, Op};
use super::{console_error, is_online, net, now_ms};
use crate::core::delivery::outbox::{classify, request_timeout_ms, Change, Outbox, OutboxEntry, Reply};
use crate::core::delivery::protocol::{request_body, IDEMPOTENCY_HEADER};
use crate::core::device::record::Record;
use crate::core::device::{OUTBOX, RECEIPTS, RESPONSES};
use crate::core::CompletedResponse;
use futures::stream::{FuturesUnordered, StreamExt};

/// The Web Lock every tab and page of the origin takes before sending.
pub const LOCK: &str = "survey-widget-outbox";

/// What the send loop needs from whoever runs it.
pub trait SendHost {
    /// Runs `f` on the outbox state this host keeps; `None` once the host is gone.
    fn outbox<R>(&self, f: impl FnOnce(&mut Outbox) -> R) -> Option<R>;
    /// Brings the outbox up to date with `stored` and, when "Send now" is pending, restarts
    /// everything waiting (paused endpoints resume, all is due at once); returns the
    /// restarted entries, to be written back.
    fn refresh(&self, stored: Vec<OutboxEntry>, now_ms: f64) -> Vec<OutboxEntry>;
    /// Keep every delivered response's answers (the event page: until the event ends) instead
    /// of swapping them for a receipt; a response taken in event mode is kept regardless.
    fn keep_answers(&self) -> bool;
    /// One attempt finished, with what changed; called before the change is written.
    fn attempted(&self, change: &Change);
}

/// Sends due responses, up to [`MAX_IN_FLIGHT`](crate::core::delivery::outbox::MAX_IN_FLIGHT) at a time and never two for one response,
/// until none is due or the device goes offline. The caller holds [`LOCK`] throughout.
pub async fn send_due(host: &impl SendHost) {
    // Storage is read when the round starts and again whenever nothing more is due (another
    // tab or widget may have queued something meanwhile), not before every request: with
    // hundreds queued, re-reading each time would make a round quadratic.
    let mut reread = true;
    let mut running = FuturesUnordered::new();
    loop {
        if reread && running.is_empty() {
            if !is_online() {
                return;
            }
            let Ok(stored) = read_all::<OutboxEntry>(OUTBOX).await else {
                return;
            };
            let restarted = host.refresh(stored, now_ms());
            if !restarted.is_empty() {
                let ops: Vec<Op> = restarted.iter().map(|e| Op::Put(OUTBOX, e.to_json())).collect();
                if let Err(e) = idb::write(&ops, false).await {
                    console_error(&format!("survey widget: Send now: {e}"));
                }
            }
        }
        // Fill the free places with what is due; offline, let what is in flight finish.
        while is_online() {
            let Some(entry) = host.outbox(|o| o.begin(now_ms())).flatten() else {
                break;
            };
            reread = false;
            running.push(attempt(entry));
        }
        let Some((id, reply, kept)) = running.next().await else {
            if reread || !is_online() {
                return;
            }
            reread = true;
            continue;
        };
        let finished = now_ms();
        let attempt = classify(&reply, finished);
        let change = host
            .outbox(|o| o.finish(&id, attempt, finished, net::jitter()))
            .flatten();
        if let Some(change) = &change {
            host.attempted(change);
        }
        let written = match change {
            Some(Change::Update(entry)) => idb::write(&[Op::Put(OUTBOX, entry.to_json())], false).await,
            Some(Change::Acknowledge(receipt)) => {
                let id = Key::Text(receipt.response_id.clone());
                let mut ops = vec![Op::Delete(OUTBOX, id.clone()), Op::Put(RECEIPTS, receipt.to_json())];
                if !host.keep_answers() && !kept {
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

/// One request for `entry`'s response, what came back, and whether its answers stay once
/// delivered.
async fn attempt(entry: OutboxEntry) -> (String, Reply, bool) {
    let response = load_response(&entry.response_id).await;
    let kept = response.as_ref().is_some_and(CompletedResponse::kept_after_delivery);
    let reply = match (&entry.endpoint, response) {
        (Some(endpoint), Some(response)) => {
            let body = request_body(&response).to_string();
            let mut headers = entry.headers.clone();
            headers.push((IDEMPOTENCY_HEADER.to_owned(), entry.response_id.clone()));
            net::post_json(endpoint, &body, &headers, request_timeout_ms(entry.attempts)).await
        }
        // Issue #22: a response missing from storage finishes its attempt like a refusal
        // (kept for an officer, never retried in a loop), so the rest still go.
        _ => {
            console_error(&format!(
                "survey widget: response {} is missing from storage",
                entry.response_id
            ));
            Reply::Http {
                status: 410,
                html: false,
                retry_after: None,
            }
        }
    };
    (entry.response_id, reply, kept)
}

async fn load_response(id: &str) -> Option<CompletedResponse> {
    let json = idb::get(RESPONSES, &Key::Text(id.to_owned())).await.ok()??;
    CompletedResponse::from_json(&json)
}

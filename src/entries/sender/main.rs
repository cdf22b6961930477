//! The sender (issue #24): the send loop in a wasm module of its own, beside the widget's, so
//! a carer's first load carries none of it. `embed.js` loads it for a page only when something
//! waits in the outbox (never for a page with nothing to send), and the service worker
//! precaches it, so a visit offline needs nothing more. The service worker runs it too, on a
//! Background Sync, to send what waits with no page open: its JS glue is a classic script
//! (wasm-bindgen's `no-modules`), which a service worker can import and a page can add as a
//! `<script>`; the build names its global `surveySender`. The loop is `platform::sender`, the
//! same the officer console runs; the outbox state lives here, one per page, shared by the
//! page's widgets, whose rounds the cross-tab lock keeps to one at a time.
use std::cell::{Cell, RefCell};
use survey_widget::core::delivery::outbox::{Change, Outbox, OutboxEntry, Report};
use survey_widget::core::device::record::Record;
use survey_widget::platform::net;
use survey_widget::platform::sender::{send_due, SendHost, LOCK};
use survey_widget::platform::sender_link;
use wasm_bindgen::prelude::*;

thread_local! {
    static OUTBOX: RefCell<Outbox> = RefCell::new(Outbox::new());
}

fn main() {}

/// Sends what is due, under the lock every tab takes, and tells `on_attempt` (a function of
/// one string, a [`Report`] as JSON) after each attempt. `keep_answers` keeps a delivered
/// response's answers (event mode); `send_now` restarts everything waiting first. Resolves
/// to `undefined` when another tab holds the lock, else to when the next entry falls due
/// (ms since epoch), or `null` when nothing waits.
#[wasm_bindgen(js_name = sendDue)]
pub async fn send(keep_answers: bool, send_now: bool, on_attempt: js_sys::Function) -> JsValue {
    let page = Page {
        keep_answers,
        send_now: Cell::new(send_now),
        on_attempt,
    };
    if !net::with_lock(LOCK, Box::pin(async move { send_due(&page).await })).await {
        return JsValue::UNDEFINED;
    }
    OUTBOX
        .with(|o| o.try_borrow().ok().and_then(|o| o.next_due()))
        .map_or(JsValue::NULL, JsValue::from_f64)
}

/// The page that asked for a round, as the send loop's host.
struct Page {
    keep_answers: bool,
    send_now: Cell<bool>,
    on_attempt: js_sys::Function,
}

impl SendHost for Page {
    fn outbox<R>(&self, f: impl FnOnce(&mut Outbox) -> R) -> Option<R> {
        OUTBOX.with(|o| o.try_borrow_mut().ok().map(|mut o| f(&mut o)))
    }

    fn refresh(&self, stored: Vec<OutboxEntry>, now_ms: f64) -> Vec<OutboxEntry> {
        self.outbox(|o| {
            o.refresh(stored);
            if self.send_now.replace(false) {
                o.send_now(now_ms)
            } else {
                Vec::new()
            }
        })
        .unwrap_or_default()
    }

    fn keep_answers(&self) -> bool {
        self.keep_answers
    }

    fn attempted(&self, change: &Change) {
        let report = Report {
            change: change.clone(),
            paused: self.outbox(|o| o.is_paused()).unwrap_or(false),
        };
        // A page that has gone away leaves nothing to tell; the attempt is stored regardless.
        let json = report.to_json();
        let _ = self.on_attempt.call1(&JsValue::NULL, &JsValue::from_str(&json));
        // Widgets in other tabs, and others on this page, show it live.
        sender_link::broadcast(&json);
    }
}

//! The page's way to the sender (issue #24), a wasm module of its own beside the widget's.
//! `embed.js` hands each widget build a function that loads that module (once per page; the
//! service worker has it cached for offline visits); a round of sending is one call into it,
//! with a callback for each attempt. Nothing here decides anything: `core::delivery` does.
use super::js_text;
use crate::core::delivery::outbox::Report;
use crate::core::device::record::Record;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

thread_local! {
    static LOADER: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
    static LATER: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

#[wasm_bindgen]
extern "C" {
    /// The sender's module, as its JS glue exports it (`src/entries/sender/main.rs`).
    type SenderModule;

    #[wasm_bindgen(method, js_name = sendDue)]
    fn send_due(this: &SenderModule, keep_answers: bool, send_now: bool, on_attempt: &JsValue) -> js_sys::Promise;
}

/// Keeps the function that loads the sender's module (a promise of it), from `embed.js`, and
/// the one that leaves what waits to the service worker (see [`send_later`]), where given.
pub fn use_loader(loader: js_sys::Function, later: Option<js_sys::Function>) {
    LOADER.with(|l| *l.borrow_mut() = Some(loader));
    LATER.with(|l| *l.borrow_mut() = later);
}

/// Something waits and this page cannot send it now (offline, or the collector said later):
/// asks the service worker to send it once the device is online, even if no page of the site
/// is open by then (Background Sync, where the browser has it and a worker is registered;
/// elsewhere the next visit sends it, as always).
pub fn send_later() {
    if let Some(later) = LATER.with(|l| l.borrow().clone()) {
        let _ = later.call0(&JsValue::NULL);
    }
}

/// How a round of sending ended.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Round {
    /// It ran; the next entry falls due then (ms since epoch), if any waits.
    Ran(Option<f64>),
    /// Another tab is sending: try again soon.
    Busy,
    /// The sender's module could not be had (offline before it was ever cached, or a page
    /// that loaded the widget's code without `embed.js`): try again later.
    Unavailable,
}

/// Runs one round of sending in the sender's module, calling `on_attempt` with each attempt's
/// report. The callback lives exactly as long as the round.
pub async fn send_round(keep_answers: bool, send_now: bool, on_attempt: impl FnMut(Report) + 'static) -> Round {
    let Some(loader) = LOADER.with(|l| l.borrow().clone()) else {
        super::console_error("survey widget: no sender loaded; load the widget with embed.js to send responses");
        return Round::Unavailable;
    };
    let loaded = match loader.call0(&JsValue::NULL).map(js_sys::Promise::from) {
        Ok(promise) => JsFuture::from(promise).await,
        Err(e) => Err(e),
    };
    let module: SenderModule = match loaded {
        Ok(module) => module.unchecked_into(),
        Err(e) => {
            super::console_error(&format!("survey widget: the sender could not load: {}", js_text(&e)));
            return Round::Unavailable;
        }
    };
    let mut on_attempt = on_attempt;
    let callback = Closure::<dyn FnMut(String)>::new(move |json: String| {
        if let Some(report) = Report::from_json(&json) {
            on_attempt(report);
        }
    });
    let next = JsFuture::from(module.send_due(keep_answers, send_now, callback.as_ref())).await;
    drop(callback);
    match next {
        Ok(v) if v.is_undefined() => Round::Busy,
        Ok(v) => Round::Ran(v.as_f64()),
        Err(e) => {
            super::console_error(&format!("survey widget: sending stopped: {}", js_text(&e)));
            Round::Unavailable
        }
    }
}

/// The channel on which every tab's sender says what each attempt changed, so a widget in
/// another tab shows it live.
pub const CHANNEL: &str = "survey-widget-outbox";

/// Tells every other listener on the origin (other tabs, other widgets) about one attempt:
/// `report` is a [`Report`] as JSON. Where the browser has no `BroadcastChannel`, nothing.
pub fn broadcast(report: &str) {
    if let Ok(channel) = web_sys::BroadcastChannel::new(CHANNEL) {
        let _ = channel.post_message(&JsValue::from_str(report));
        channel.close();
    }
}

/// A listener on [`CHANNEL`]: the channel and its handler, which go together.
type Listener = (web_sys::BroadcastChannel, Closure<dyn FnMut(web_sys::MessageEvent)>);

thread_local! {
    /// The page's one listener.
    static LISTENING: RefCell<Option<Listener>> = const { RefCell::new(None) };
}

/// Calls `on_report` with each report broadcast from elsewhere, for as long as the page lives:
/// it serves every widget the page has then (`on_report` finds them). Once per page; later
/// calls do nothing.
pub fn listen(on_report: fn(Report)) {
    if LISTENING.with(|l| l.borrow().is_some()) {
        return;
    }
    let Ok(channel) = web_sys::BroadcastChannel::new(CHANNEL) else {
        return;
    };
    let closure = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        if let Some(report) = event.data().as_string().and_then(|json| Report::from_json(&json)) {
            on_report(report);
        }
    });
    channel.set_onmessage(Some(closure.as_ref().unchecked_ref()));
    LISTENING.with(|l| *l.borrow_mut() = Some((channel, closure)));
}

//! The global scope, whichever it is: a page's `window`, or the service worker's, where the
//! sender also runs when no page is open (issue #24). Only what both have is bound here, so
//! the send loop and IndexedDB work in either without asking which.
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `globalThis`: a `Window` or a `WorkerGlobalScope`.
    pub type Global;

    #[wasm_bindgen(method, getter, js_name = indexedDB, catch)]
    pub fn indexed_db(this: &Global) -> Result<Option<web_sys::IdbFactory>, JsValue>;

    #[wasm_bindgen(method, js_name = fetch)]
    pub fn fetch_with_request(this: &Global, request: &web_sys::Request) -> js_sys::Promise;

    #[wasm_bindgen(method, js_name = setTimeout, catch)]
    pub fn set_timeout(this: &Global, handler: &JsValue, ms: i32) -> Result<i32, JsValue>;

    #[wasm_bindgen(method, js_name = clearTimeout)]
    pub fn clear_timeout(this: &Global, id: i32);

    #[wasm_bindgen(method, getter)]
    pub fn navigator(this: &Global) -> Navigator;

    /// `navigator`: a page's `Navigator` or a worker's `WorkerNavigator`.
    pub type Navigator;

    #[wasm_bindgen(method, getter, js_name = onLine)]
    pub fn on_line(this: &Navigator) -> bool;

    /// `navigator.locks`, `undefined` where the browser has no Web Locks.
    #[wasm_bindgen(method, getter)]
    pub fn locks(this: &Navigator) -> JsValue;
}

/// The global scope this code runs in.
pub fn global() -> Global {
    js_sys::global().unchecked_into()
}

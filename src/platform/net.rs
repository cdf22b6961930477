//! Sending: one `POST` with a timeout, and the cross-tab lock that lets only one tab send.
use super::js_text;
use crate::core::delivery::outbox::Reply;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Request, RequestCredentials, RequestInit, RequestMode, Response};

/// Posts `body` as JSON to `url` with `headers`, without cookies, abandoning it after
/// `timeout_ms`. What comes back is reduced to what the retry policy needs.
pub async fn post_json(url: &str, body: &str, headers: &[(String, String)], timeout_ms: f64) -> Reply {
    let global = super::global::global();
    let Ok(controller) = AbortController::new() else {
        return Reply::NetworkError;
    };
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_mode(RequestMode::Cors);
    // No cookies or HTTP auth: the protocol carries everything in the body and headers.
    init.set_credentials(RequestCredentials::Omit);
    init.set_body(&JsValue::from_str(body));
    init.set_signal(Some(&controller.signal()));
    let Ok(request) = Request::new_with_str_and_init(url, &init) else {
        return Reply::NetworkError;
    };
    let request_headers = request.headers();
    for (name, value) in headers {
        let _ = request_headers.set(name, value);
    }
    let _ = request_headers.set("Content-Type", "application/json");
    let abort = controller.clone();
    let timer = Closure::once_into_js(move || abort.abort());
    let timeout = global.set_timeout(&timer, timeout_ms as i32).ok();
    let reply = read(global.fetch_with_request(&request), &controller).await;
    if let Some(id) = timeout {
        global.clear_timeout(id);
    }
    reply
}

async fn read(fetch: js_sys::Promise, controller: &AbortController) -> Reply {
    let response: Response = match JsFuture::from(fetch).await.and_then(|r| r.dyn_into()) {
        Ok(r) => r,
        Err(_) if controller.signal().aborted() => return Reply::Timeout,
        Err(_) => return Reply::NetworkError,
    };
    let headers = response.headers();
    let content_type = headers.get("Content-Type").ok().flatten().unwrap_or_default();
    let retry_after = headers.get("Retry-After").ok().flatten();
    // The body is read to the end: a connection that drops mid-body is not a delivery.
    let text = match response.text() {
        Ok(p) => JsFuture::from(p).await,
        Err(e) => Err(e),
    };
    let Ok(text) = text else {
        return if controller.signal().aborted() {
            Reply::Timeout
        } else {
            Reply::NetworkError
        };
    };
    let text = text.as_string().unwrap_or_default();
    let start = text.trim_start().get(..15).unwrap_or_default().to_ascii_lowercase();
    let html = content_type.to_ascii_lowercase().contains("html")
        || start.starts_with("<!doctype")
        || start.starts_with("<html");
    Reply::Http {
        status: response.status(),
        html,
        retry_after,
    }
}

/// Runs `work` while holding the page-wide Web Lock `name`, if no other tab holds it.
/// Returns `false`, without running `work`, when another tab does. Browsers without Web
/// Locks run it anyway: there, two tabs can both send, which the server's idempotency
/// (one stored response per id) makes safe.
pub async fn with_lock(name: &str, work: std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>) -> bool {
    let locks = super::global::global().navigator().locks();
    if locks.is_undefined() || locks.is_null() {
        work.await;
        return true;
    }
    let request: Option<js_sys::Function> = js_sys::Reflect::get(&locks, &JsValue::from_str("request"))
        .ok()
        .and_then(|f| f.dyn_into().ok());
    let Some(request) = request else {
        work.await;
        return true;
    };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &JsValue::from_str("ifAvailable"), &JsValue::TRUE);
    let mut work = Some(work);
    let callback = Closure::once_into_js(move |lock: JsValue| -> JsValue {
        match (lock.is_null(), work.take()) {
            (false, Some(work)) => wasm_bindgen_futures::future_to_promise(async move {
                work.await;
                Ok(JsValue::TRUE)
            })
            .into(),
            _ => JsValue::FALSE,
        }
    });
    match request.call3(&locks, &JsValue::from_str(name), &options, &callback) {
        Ok(promise) => match promise.dyn_into::<js_sys::Promise>() {
            Ok(p) => JsFuture::from(p).await.is_ok_and(|v| v.is_truthy()),
            Err(_) => false,
        },
        Err(e) => {
            super::console_error(&format!("survey widget: Web Locks: {}", js_text(&e)));
            false
        }
    }
}

/// A random number in `[0, 1)` for retry jitter (not for ids: those use `crypto`).
pub fn jitter() -> f64 {
    js_sys::Math::random()
}

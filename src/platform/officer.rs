//! Browser calls only the officer console makes (issue #10): deriving the PIN hash through
//! WebCrypto, and what the device says about its storage. Kept apart so the respondent's
//! widget never links them.
use super::{js_text, PlatformError};
use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

fn set(obj: &Object, key: &str, value: &JsValue) -> Result<(), PlatformError> {
    Reflect::set(obj, &JsValue::from_str(key), value)
        .map(|_| ())
        .map_err(|e| PlatformError::Network(js_text(&e)))
}

/// PBKDF2-HMAC-SHA256 of `pin` with `salt`, 32 bytes, through `crypto.subtle`, as hex. The PIN
/// never leaves this call; only the derived key is kept.
///
/// # Errors
/// [`PlatformError::Unsupported`] without WebCrypto (an `http:` page other than localhost).
pub async fn derive_pin(pin: &str, salt: &[u8], iterations: u32) -> Result<String, PlatformError> {
    let subtle = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.subtle())
        .ok_or(PlatformError::Unsupported("crypto.subtle"))?;
    let failed = |e: JsValue| PlatformError::Network(js_text(&e));
    let usages = js_sys::Array::of1(&JsValue::from_str("deriveBits"));
    let key_data = Uint8Array::from(pin.as_bytes());
    let key = JsFuture::from(
        subtle
            .import_key_with_str("raw", &key_data, "PBKDF2", false, &usages)
            .map_err(failed)?,
    )
    .await
    .map_err(failed)?;
    let key: web_sys::CryptoKey = key.dyn_into().map_err(failed)?;
    let params = Object::new();
    set(&params, "name", &JsValue::from_str("PBKDF2"))?;
    set(&params, "hash", &JsValue::from_str("SHA-256"))?;
    set(&params, "salt", &Uint8Array::from(salt))?;
    set(&params, "iterations", &JsValue::from_f64(f64::from(iterations)))?;
    let bits = JsFuture::from(subtle.derive_bits_with_object(&params, &key, 256).map_err(failed)?)
        .await
        .map_err(failed)?;
    Ok(crate::core::text::hex(&Uint8Array::new(&bits).to_vec()))
}

/// Storage used and available to this origin, in bytes, if the browser says.
pub async fn storage_estimate() -> Option<(f64, f64)> {
    let storage = web_sys::window()?.navigator().storage();
    let estimate = JsFuture::from(storage.estimate().ok()?).await.ok()?;
    let get = |k: &str| Reflect::get(&estimate, &JsValue::from_str(k)).ok()?.as_f64();
    Some((get("usage")?, get("quota")?))
}

/// Whether the browser has made this origin's storage persistent (not evicted under pressure).
pub async fn storage_persisted() -> Option<bool> {
    let storage = web_sys::window()?.navigator().storage();
    JsFuture::from(storage.persisted().ok()?).await.ok()?.as_bool()
}

/// Whether this page has a service worker at all (`navigator.serviceWorker`), and whether one
/// controls it now.
pub fn service_worker() -> (bool, bool) {
    let Some(window) = web_sys::window() else {
        return (false, false);
    };
    let navigator: JsValue = window.navigator().into();
    let container = Reflect::get(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(JsValue::UNDEFINED);
    if container.is_undefined() || container.is_null() {
        return (false, false);
    }
    let controller = Reflect::get(&container, &JsValue::from_str("controller")).unwrap_or(JsValue::NULL);
    (true, !controller.is_null() && !controller.is_undefined())
}

/// The value of `name` in this page's address (`?name=…`), if it has one.
/// This page's address with `name` set to `value` in its query, the rest kept (a language
/// link to the same screen).
pub fn with_query_param(name: &str, value: &str) -> Option<String> {
    let href = web_sys::window()?.location().href().ok()?;
    let url = web_sys::Url::new(&href).ok()?;
    url.search_params().set(name, value);
    Some(url.href())
}

/// Sets the page's own language, for a page that is wholly the widget's (the console).
pub fn set_page_lang(lang: &str) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", lang);
    }
}

pub fn query_param(name: &str) -> Option<String> {
    let href = web_sys::window()?.location().href().ok()?;
    web_sys::Url::new(&href).ok()?.search_params().get(name)
}

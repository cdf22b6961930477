//! Browser calls only the web teams' preview page makes (issue #11): handing a survey to its
//! preview frames, reading a chosen file, copying the embed code, and where the page is. Kept
//! apart so the respondent's widget never links them.
use super::console_error;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// This page's address, as the browser shows it.
pub fn page_url() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
}

/// Sends `definition` to a preview frame, which must be on this page's origin (the artefact
/// folder), so no other page can read it.
pub fn post_to_frame(frame: &web_sys::HtmlIFrameElement, definition: &str) {
    let Some(window) = frame.content_window() else {
        return;
    };
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"source".into(), &"council-survey-preview".into());
    let _ = js_sys::Reflect::set(&message, &"definition".into(), &JsValue::from_str(definition));
    if let Err(e) = window.post_message(&message, &origin) {
        console_error(&format!("preview: {}", super::js_text(&e)));
    }
}

/// The text of the file chosen in `input`.
///
/// # Errors
/// When no file is chosen or it cannot be read as text, with the reason.
pub async fn read_chosen_file(input: &web_sys::HtmlInputElement) -> Result<String, String> {
    let file = input
        .files()
        .and_then(|f| f.get(0))
        .ok_or_else(|| "no file chosen".to_owned())?;
    JsFuture::from(file.text())
        .await
        .map_err(|e| super::js_text(&e))?
        .as_string()
        .ok_or_else(|| "not text".to_owned())
}

/// Copies `text` to the clipboard; `false` when the browser refuses.
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    JsFuture::from(window.navigator().clipboard().write_text(text))
        .await
        .is_ok()
}

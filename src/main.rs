//! Entry point of the browser build: mounts the widget into every `[data-survey-widget]`
//! host element, and exports what `embed.js` calls for each `<council-survey>` element.
//! The exports live here, not in the library, so the console's and preview's wasm (which
//! link the library too) do not carry the whole widget.
use wasm_bindgen::prelude::wasm_bindgen;

fn main() {
    survey_widget::app::boot();
}

/// A mounted `<council-survey>` widget; `free()` unmounts it.
#[wasm_bindgen]
pub struct Mounted(survey_widget::app::Mounted);

#[wasm_bindgen]
impl Mounted {
    /// Event mode: shows the welcome screen for the next person (see README, "Events and
    /// methods"); false elsewhere.
    pub fn reset(&self) -> bool {
        self.0.reset()
    }
}

/// Mounts a widget for the `<council-survey>` element `host` into `target`, an element of
/// its shadow root.
#[wasm_bindgen(js_name = mountElement)]
pub fn mount_element(host: web_sys::HtmlElement, target: web_sys::HtmlElement) -> Mounted {
    Mounted(survey_widget::app::mount_element(host, target))
}

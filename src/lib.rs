//! Survey widget: an accessible, offline-first survey renderer for UK councils.
//!
//! Layers, one direction (see `../shared/STYLE.md`): [`core`] is pure Rust and builds natively;
//! `platform` (browser calls), `app` (composition root) and `ui` (components) need a browser
//! and sit behind the `web` feature.
pub mod core;

#[cfg(feature = "web")]
pub mod app;
#[cfg(feature = "web")]
pub mod components;
#[cfg(feature = "web")]
pub mod platform;
#[cfg(feature = "web")]
pub mod ui;

/// The wasm exports that `embed.js` calls for each `<council-survey>` element, for a binary
/// that mounts the widget (`src/main.rs`, and `src/entries/event/main.rs` with event mode).
/// A macro, not items of this library: exports in the library would make every binary that
/// links it (the console, the preview) carry the whole widget.
#[cfg(feature = "web")]
#[macro_export]
macro_rules! widget_exports {
    () => {
        /// A mounted `<council-survey>` widget; `free()` unmounts it.
        #[wasm_bindgen::prelude::wasm_bindgen]
        pub struct Mounted($crate::app::Mounted);

        #[wasm_bindgen::prelude::wasm_bindgen]
        impl Mounted {
            /// Event mode: shows the welcome screen for the next person (see docs/embedding.md, "Events
            /// and methods"); false elsewhere.
            pub fn reset(&self) -> bool {
                self.0.reset()
            }
        }

        /// Mounts a widget for the `<council-survey>` element `host` into `target`, an element
        /// of its shadow root.
        #[wasm_bindgen::prelude::wasm_bindgen(js_name = mountElement)]
        pub fn mount_element(host: web_sys::HtmlElement, target: web_sys::HtmlElement) -> Mounted {
            Mounted($crate::app::mount_element(host, target))
        }

        /// Gives the widget the function that loads the sender's module (issue #24) and the one
        /// that leaves what waits to the service worker; embed.js calls it once this build's
        /// code has started.
        #[wasm_bindgen::prelude::wasm_bindgen(js_name = useSender)]
        pub fn use_sender(loader: js_sys::Function, later: Option<js_sys::Function>) {
            $crate::platform::sender_link::use_loader(loader, later)
        }
    };
}

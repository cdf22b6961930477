//! What every component of one widget instance can reach: the survey, the session, the
//! catalogue, and the few things a component may ask the app to do (move focus, tell the local
//! time, send now, download the answers). Components import only this from `app`, never the
//! composition root, so `app` and `ui` do not import each other in a circle. Each request is a
//! method here that hands over to the module that carries it out (storage, sync, platform).
use super::event;
use super::storage::Saving;
use super::sync::Sync;
use crate::core::{Catalogue, Command, Date, Session, Survey};
use crate::platform;
use leptos::prelude::*;
use std::sync::Arc;

/// What every component of one widget instance can reach.
#[derive(Clone, Copy)]
pub struct Widget {
    /// The loaded survey.
    pub survey: StoredValue<Arc<Survey>>,
    /// The person's session.
    pub session: RwSignal<Session>,
    /// The message catalogue.
    pub catalogue: StoredValue<Arc<Catalogue>>,
    /// A prefix unique on the host page, for DOM ids and radio names.
    pub instance: StoredValue<String>,
    /// Carries out a command.
    pub dispatch: Callback<Command>,
    /// How saving on the device is going.
    pub saving: Saving,
    /// Sending completed responses.
    pub sync: Sync,
    /// Event mode, when the host chose it and an officer has set the device up.
    pub event: Option<event::EventMode>,
    /// Whether the host let the widget name the tab (`manage-title`).
    pub manage_title: bool,
    /// preview.html's live preview: nothing is saved on the device or sent.
    pub preview: bool,
    /// The tab's history follows the person's way through the survey (the host's
    /// `history`), so the browser's Back button goes to the previous question.
    pub history: bool,
    /// The survey's published outcomes as the device keeps them (`core::outcomes::to_cache`),
    /// empty until it has them (issue #12). Text, not a parsed type: a signal of a new type
    /// costs the first load more than parsing a small feed again when it is shown.
    pub outcomes: RwSignal<String>,
    /// The survey's definition, to show it in another language (`None` for a survey given
    /// already loaded, which stays in its one language).
    pub source: StoredValue<Option<Arc<serde_json::Value>>>,
    /// The language shown and whether it is written right to left; the widget's root carries
    /// both, and the screens are drawn again when it changes.
    pub locale: RwSignal<(String, bool)>,
    /// The last language switch could not load the language (offline before it was cached).
    pub language_failed: RwSignal<bool>,
}

impl Widget {
    /// The message catalogue (shared, not copied).
    pub fn messages(&self) -> Arc<Catalogue> {
        self.catalogue.get_value()
    }

    /// A catalogue message.
    pub fn t(&self, key: &str) -> String {
        self.messages().get(key).to_owned()
    }

    /// A catalogue message with placeholders filled.
    pub fn tf(&self, key: &str, params: &[(&str, &str)]) -> String {
        self.messages().format(key, params)
    }

    /// Whether the widget is still mounted. Work that outlives an `await` (a storage write,
    /// a request) checks this before touching the widget's state, which goes with it.
    pub fn alive(&self) -> bool {
        self.session.try_with_untracked(|_| ()).is_some()
    }

    /// The DOM id of an element of this instance, e.g. `heading`.
    pub fn dom_id(&self, suffix: &str) -> String {
        self.instance.with_value(|i| format!("{i}-{suffix}"))
    }

    /// Names the tab, when the host lets the widget (`manage-title`).
    pub fn set_title(&self, title: &str) {
        if self.manage_title {
            platform::set_title(title);
        }
    }

    /// Tells the host page what happened: a composed `CustomEvent` from the widget's root
    /// (see docs/embedding.md, "Events and methods"). Never answer content.
    pub fn emit(&self, name: &str, detail: &[(&str, wasm_bindgen::JsValue)]) {
        platform::emit(&self.dom_id("root"), name, detail);
    }
}

/// What components ask of the app, beyond dispatching commands to the session.
impl Widget {
    /// Sends the response: the app draws the entropy for its id and reference code. `false`
    /// when the browser has no secure random source, so nothing was sent.
    pub fn submit(&self) -> bool {
        match platform::random_bytes::<32>() {
            Ok(entropy) => {
                self.dispatch.run(Command::Submit { entropy });
                true
            }
            Err(e) => {
                platform::console_error(&format!("survey widget: {e}"));
                false
            }
        }
    }

    /// Moves focus to the element with `id`.
    pub fn focus(&self, id: &str) {
        platform::focus(id);
    }

    /// The local date and time (hour, minute) of a moment (ms since the epoch), to show.
    pub fn local_time(&self, at_ms: f64) -> (Date, u32, u32) {
        platform::local_time(at_ms)
    }

    /// Asks for full screen (event mode's officer bar).
    pub fn enter_full_screen(&self) {
        platform::enter_full_screen();
    }

    /// "Send now": resume a paused endpoint and try everything waiting at once.
    pub fn send_now(&self) {
        super::sync::send_now(*self);
    }

    /// Re-reads this survey's responses on the device for the list.
    pub fn refresh_responses(&self) {
        let w = *self;
        leptos::task::spawn_local(async move {
            super::sync::refresh_list(w).await;
        });
    }

    /// Downloads the answers kept in memory (with the one in progress, when
    /// `include_current`), when the device cannot keep them.
    pub fn download_answers(&self, include_current: bool) {
        super::storage::download_answers(*self, include_current);
    }

    /// Event mode: back to the welcome screen for the next person (`abandoned`: the last one
    /// walked away).
    pub fn next_person(&self, abandoned: bool) {
        event::next_person(*self, abandoned);
    }

    /// Marks the widget's root with the language `survey` is shown in and its direction, and
    /// redraws the screens in it. Set on the element rather than bound in the view: a bound
    /// attribute on the root measured about 1 KB more.
    pub fn show_language(&self, survey: &Survey) {
        let rtl = survey.language().is_some_and(|l| l.rtl);
        platform::mark_language(&self.dom_id("root"), &survey.locale, rtl);
        self.locale.set((survey.locale.clone(), rtl));
    }

    /// A click in the language switch: a plain click on another language's link shows the
    /// survey in that language in place (issue #23); one with a modifier key (a new tab)
    /// follows the link.
    pub fn language_link(&self, event: &web_sys::MouseEvent) {
        if let Some(code) = platform::link_language(event) {
            super::language::switch(*self, code, true);
        }
    }

    /// Whether this device is shared by many people (event mode), so that nothing typed by
    /// one is offered to the next.
    pub fn shared_device(&self) -> bool {
        event::BUILT_IN && self.event.is_some()
    }
}

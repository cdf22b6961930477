//! The officer console (issue #10): its own page and wasm, sharing `core` and `platform` with
//! the respondent's widget and reading the same IndexedDB, so a carer's phone never downloads
//! it. Set up an event, sign in with the PIN, see what was collected and what the council has
//! received, read "What we heard today", export, send, and end the event.
mod data;
mod views;

use leptos::prelude::*;
use std::sync::Arc;
use survey_widget::core::event::EventSetup;
use survey_widget::core::survey::load::{choose_language, load_survey_in, parse};
use survey_widget::core::{Catalogue, Survey};
use survey_widget::platform::{self, console_error, officer};
use wasm_bindgen::JsCast;

const MESSAGES: &str = include_str!("en.json");
/// The console's words in Welsh (issue #23), and the widget's own Welsh for the answers'
/// labels ("Ie", "Na", the months). Built in: the console is an officer's page, not a
/// respondent's first load.
const MESSAGES_CY: &str = include_str!("cy.json");
const ANSWERS_CY: &str = include_str!("../../core/text/locales/cy.json");
/// The console's languages: each code and its name in itself.
pub const LANGUAGES: [(&str, &str); 2] = [("en", "English"), ("cy", "Cymraeg")];

/// Which screen the console shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    /// Reading the device.
    Loading,
    /// No event yet, or changing it.
    Setup {
        /// Changing an event that exists (the PIN may stay).
        changing: bool,
    },
    /// The PIN.
    Unlock,
    /// Recovery without the PIN.
    Forgot,
    /// The dashboard.
    Dashboard,
    /// "Are you sure you want to end the event?"
    EndConfirm,
}

/// What every part of the console can reach.
#[derive(Clone, Copy)]
pub struct Console {
    /// The console's messages.
    pub cat: StoredValue<Arc<Catalogue>>,
    /// The respondent catalogue, for answer labels such as Yes and No.
    pub answers_cat: StoredValue<Arc<Catalogue>>,
    /// The event's survey.
    pub survey: RwSignal<Option<Arc<Survey>>>,
    /// The event set up on the device.
    pub setup: RwSignal<Option<EventSetup>>,
    /// What shows.
    pub screen: RwSignal<Screen>,
    /// This event's responses and where each stands.
    pub data: RwSignal<data::Snapshot>,
    /// A status or problem to announce.
    pub message: RwSignal<Option<String>>,
    /// Where the survey page is, for the way back.
    pub survey_page: StoredValue<String>,
    /// Where the survey shown was loaded from (an absolute URL), recorded with a new event.
    pub survey_src: RwSignal<Option<String>>,
    /// The console's language: `?lang=`, else the browser's languages, else English.
    pub lang: &'static str,
}

impl Console {
    /// A message.
    pub fn t(&self, key: &str) -> String {
        self.cat.with_value(|c| c.get(key).to_owned())
    }

    /// A message with placeholders filled.
    pub fn tf(&self, key: &str, params: &[(&str, &str)]) -> String {
        self.cat.with_value(|c| c.format(key, params))
    }

    /// Shows `screen`, moving focus to its heading and retitling the tab.
    pub fn go(&self, screen: Screen) {
        self.screen.set(screen);
        self.message.set(None);
        let title = self.t("title");
        request_animation_frame(move || {
            let heading = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.query_selector("#console-heading").ok().flatten());
            let text = heading.as_ref().and_then(|h| h.text_content()).unwrap_or_default();
            platform::set_title(&format!("{text} – {title}"));
            if let Some(h) = heading.and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = h.focus();
            }
        });
    }
}

/// Gives the console the function that loads the sender's module (its start script calls it,
/// issue #24).
#[wasm_bindgen::prelude::wasm_bindgen(js_name = useSender)]
pub fn use_sender(loader: js_sys::Function) {
    survey_widget::platform::sender_link::use_loader(loader, None);
}

fn main() {
    let Some(host) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("[data-event-console]").ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        console_error("event console: the page has no [data-event-console] element");
        return;
    };
    // The event page's "not ready" link names its survey; the page's own default otherwise.
    let src = officer::query_param("survey").or_else(|| host.get_attribute("data-survey-src"));
    let survey_page = host
        .get_attribute("data-event-page")
        .unwrap_or_else(|| "../event.html".into());
    let codes = LANGUAGES.map(|(code, _)| code);
    let mut wishes: Vec<String> = officer::query_param("lang").into_iter().collect();
    wishes.extend(platform::browser_languages());
    let wishes: Vec<&str> = wishes.iter().map(String::as_str).collect();
    let lang = codes[choose_language(&codes, &wishes)];
    officer::set_page_lang(lang);
    let (messages, answers) = if lang == "cy" {
        (MESSAGES_CY, Catalogue::in_language(ANSWERS_CY, lang))
    } else {
        (MESSAGES, Ok(Catalogue::english()))
    };
    let cat = match Catalogue::in_language(messages, lang) {
        Ok(c) => Arc::new(c),
        Err(e) => {
            console_error(&format!("event console: messages: {e}"));
            return;
        }
    };
    let answers = Arc::new(answers.unwrap_or_else(|_| Catalogue::english()));
    let handle = leptos::mount::mount_to(host, move || {
        let c = Console {
            cat: StoredValue::new(cat),
            answers_cat: StoredValue::new(answers),
            survey: RwSignal::new(None),
            setup: RwSignal::new(None),
            screen: RwSignal::new(Screen::Loading),
            data: RwSignal::new(data::Snapshot::default()),
            message: RwSignal::new(None),
            survey_page: StoredValue::new(survey_page),
            survey_src: RwSignal::new(None),
            lang,
        };
        provide_context(c);
        leptos::task::spawn_local(start(c, src));
        data::watch(c);
        view! { <views::ConsoleView /> }
    });
    handle.forget();
}

/// Loads the survey at `src` into the console; false (and a console message) when it cannot.
pub async fn load(c: Console, src: &str) -> bool {
    let Some(absolute) = platform::absolute_url(src) else {
        return false;
    };
    let loaded = match platform::fetch_text(&absolute, false).await {
        Ok(text) => parse(&text)
            .and_then(|value| load_survey_in(&value, &[c.lang]))
            .map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    match loaded {
        Ok(s) => {
            c.survey.set(Some(Arc::new(s)));
            c.survey_src.set(Some(absolute));
            true
        }
        Err(e) => {
            console_error(&format!("event console: {absolute}: {e}"));
            false
        }
    }
}

async fn start(c: Console, src: Option<String>) {
    let setup = platform::idb::event_setup().await;
    // The survey the event was set up for comes first (issue #21: pointed at another survey,
    // the console summarised the wrong one); a new event takes the one the link names.
    let recorded = setup
        .as_ref()
        .ok()
        .and_then(|s| s.as_ref())
        .and_then(|s| s.survey.clone());
    let mut problem = None;
    match (&recorded, &src) {
        (Some(survey), _) => {
            if !load(c, &survey.src).await {
                problem = Some(c.tf("survey.unavailable", &[("survey", &survey.id)]));
            }
        }
        (None, Some(src)) => {
            load(c, src).await;
        }
        (None, None) => {}
    }
    match setup {
        Ok(Some(setup)) => {
            c.setup.set(Some(setup));
            c.go(Screen::Unlock);
            if problem.is_some() {
                c.message.set(problem);
            }
        }
        Ok(None) => c.go(Screen::Setup { changing: false }),
        Err(e) => {
            c.go(Screen::Setup { changing: false });
            c.message
                .set(Some(c.tf("storage.failed", &[("reason", &e.to_string())])));
        }
    }
}

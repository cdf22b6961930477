//! The widget's languages (issue #23): which one a person sees first, the catalogue of each
//! (English built in, every other fetched from `locales/` beside the widget's code when it is
//! first chosen, and cached by the service worker), and switching in place.
use super::context::Widget;
use crate::core::respond::language::{choose, Wishes};
use crate::core::survey::load::load_survey_in;
use crate::core::text::{Catalogue, DEFAULT_LOCALE};
use crate::core::Survey;
use crate::platform::{self, HostConfig, PlatformError};
use leptos::prelude::*;
use serde_json::Value;
use std::sync::Arc;

thread_local! {
    /// The catalogues fetched so far on this page, shared by every widget on it.
    static CATALOGUES: std::cell::RefCell<Vec<Arc<Catalogue>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The catalogue of language `code`: English from the build, any other from its file,
/// fetched once per page.
pub async fn catalogue(code: &str) -> Result<Arc<Catalogue>, PlatformError> {
    if code == DEFAULT_LOCALE {
        return Ok(Arc::new(Catalogue::english()));
    }
    if let Some(c) = CATALOGUES.with_borrow(|all| all.iter().find(|c| c.locale() == code).cloned()) {
        return Ok(c);
    }
    let url = platform::beside_code(&format!("locales/{code}.json"));
    let text = platform::fetch_text(&url, false).await?;
    let catalogue = Catalogue::in_language(&text, code)
        .map(Arc::new)
        .map_err(|e| PlatformError::Unreadable(e.to_string()))?;
    CATALOGUES.with_borrow_mut(|all| all.push(catalogue.clone()));
    Ok(catalogue)
}

/// The survey in language `code` (or its default, for a code it does not have) with the
/// catalogue of the language it is then in; `None` when that catalogue cannot be fetched (the
/// definition itself was checked when the widget loaded).
async fn in_language(source: &Value, code: &str) -> Option<(Arc<Survey>, Arc<Catalogue>)> {
    let survey = load_survey_in(source, &[code]).ok()?;
    match catalogue(&survey.locale).await {
        Ok(catalogue) => Some((Arc::new(survey), catalogue)),
        Err(e) => {
            platform::console_error(&format!("survey widget: the words of language {code}: {e}"));
            None
        }
    }
}

/// The survey in the language the person should see first, with its catalogue. `survey` is
/// the survey in its default language; `saved` the language of the person's draft. When a
/// catalogue cannot be fetched (offline before it was ever cached), the survey's default
/// language is shown, or English words around it.
pub async fn first(
    source: &Value,
    survey: Arc<Survey>,
    config: &HostConfig,
    saved: Option<&str>,
) -> (Arc<Survey>, Arc<Catalogue>) {
    let address = platform::address_lang();
    let browser = platform::browser_languages();
    let wishes = Wishes {
        host: config.lang.as_deref(),
        address: address.as_deref(),
        saved,
        browser: &browser,
    };
    let (index, notes) = choose(&survey.languages, &wishes);
    for note in notes {
        platform::console_error(&note);
    }
    let code = survey.languages.get(index).map_or(DEFAULT_LOCALE, |l| l.code.as_str());
    // The default language's survey is loaded a second time here, on purpose: handing the one
    // already loaded through measured 0.26 KB more in the first load, about what the second
    // walk of the definition costs in time.
    match in_language(source, code).await {
        Some(shown) => shown,
        // Offline before that language was ever fetched: the survey's default language,
        // with the widget's own words in English.
        None => (survey, Arc::new(Catalogue::english())),
    }
}

/// Switches the widget to language `code` in place: the page the person is on stays, with
/// everything typed on it, and errors showing are written again in the new language; focus
/// stays on the switch. When the language cannot be loaded, nothing changes and the person
/// is told. `from_switch`: the person pressed the switch, which keeps focus.
pub fn switch(w: Widget, code: String, from_switch: bool) {
    w.language_failed.set(false);
    leptos::task::spawn_local(async move {
        let Some(source) = w.source.get_value() else {
            return;
        };
        let shown = in_language(&source, &code).await;
        if !w.alive() {
            return;
        }
        let Some((survey, catalogue)) = shown else {
            w.language_failed.set(true);
            return;
        };
        // The survey and its words first: the session and language updates below redraw.
        w.survey.set_value(survey.clone());
        w.catalogue.set_value(catalogue.clone());
        let today = platform::today();
        w.session.update(|s| {
            s.language.clone_from(&survey.locale);
            s.retranslate(&survey, today);
        });
        w.show_language(&survey);
        let title = w
            .session
            .with_untracked(|s| crate::core::respond::view::document_title(&survey, s, &catalogue));
        w.set_title(&title);
        super::storage::request_save(w);
        if from_switch {
            let target = w.dom_id("language-current");
            request_animation_frame(move || platform::focus(&target));
        }
    });
}

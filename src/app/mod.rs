//! The composition root: finds host elements, loads each survey and its saved draft, owns
//! the signals, and carries out the outcomes of commands (focus, titles, saving).
pub mod context;
pub mod event;
pub mod history;
pub mod language;
pub mod outcomes;
pub mod storage;
pub mod sync;

use crate::core::device::{resume, Draft, Health};
use crate::core::respond::context::Context;
use crate::core::respond::view;
use crate::core::survey::answer::Edit;
use crate::core::survey::load::is_allowed_endpoint;
use crate::core::survey::load::{load_survey_value, parse};
use crate::core::{Catalogue, Command, Env, Outcome, Screen, Survey};
use crate::platform::idb::StoreError;
use crate::platform::HostConfig;
use crate::platform::{self, PlatformError};
use crate::ui;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use std::sync::Arc;
use storage::Saving;
use sync::Sync;

pub use context::Widget;

thread_local! {
    /// How many widgets this page has mounted: numbers their DOM id prefixes.
    static MOUNTED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// The widgets on the page that have loaded their survey, for the element's methods.
    static LOADED: std::cell::RefCell<Vec<Widget>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The widgets on the page that have loaded their survey.
fn loaded() -> Vec<Widget> {
    LOADED.with_borrow(Clone::clone)
}

/// A DOM id prefix no other widget on the page has, including one of the other build (a page
/// with both kinds of widget runs both builds, each with its own count and prefix).
fn next_instance() -> String {
    let n = MOUNTED.with(|m| {
        m.set(m.get() + 1);
        m.get()
    });
    event::instance(n)
}

/// Mounts a widget into every `[data-survey-widget]` host element on the page that is this
/// build's to mount (`event::HOSTS`).
pub fn boot() {
    for host in platform::host_elements(event::HOSTS) {
        let config = platform::host_config(&host);
        mount(host, config, next_instance());
    }
}

/// Mounts one widget into `host`, set up by `config` (at least the survey's URL). `instance`
/// must be unique on the page: it prefixes every DOM id and radio name.
pub fn mount(host: web_sys::HtmlElement, config: HostConfig, instance: String) {
    crate::core::text::plural::use_browser_rules(platform::intl_plural);
    host.set_attribute("data-survey-widget-state", "mounted").ok();
    let handle = leptos::mount::mount_to(host, move || view! { <Root config instance /> });
    // A `[data-survey-widget]` host lives as long as the page.
    handle.forget();
}

/// A widget that a `<council-survey>` element mounted (see `public/embed/embed.js`, and the
/// wasm export in `src/main.rs`). Dropping it (the element left the page) unmounts the
/// widget: its timers, listeners and tasks go too, after a last save.
pub struct Mounted {
    /// Unmounts the view when dropped.
    _handle: Box<dyn std::any::Any>,
    instance: String,
    root: Option<web_sys::ShadowRoot>,
}

impl Mounted {
    /// Event mode: ends this person's turn and shows the welcome screen for the next, as the
    /// "Next person" button does. Returns false (and says why on the console) elsewhere.
    pub fn reset(&self) -> bool {
        match self.widget() {
            Some(w) if w.event.is_some() => {
                let answering = w
                    .session
                    .with_untracked(|s| !matches!(s.screen, Screen::Start | Screen::Complete { .. }));
                event::next_person(w, answering);
                true
            }
            _ => {
                platform::console_error(
                    "council-survey: reset() is for event mode (mode=\"event\") once the survey has loaded",
                );
                false
            }
        }
    }

    fn widget(&self) -> Option<Widget> {
        LOADED.with_borrow(|l| {
            l.iter()
                .copied()
                .find(|w| w.instance.with_value(|i| *i == self.instance))
        })
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(w) = self.widget() {
            storage::flush(w);
        }
        if let Some(root) = &self.root {
            platform::remove_root(root);
        }
    }
}

/// Mounts a widget for `<council-survey>` element `host` into `target`, an element of the
/// host's shadow root; the settings are the host's attributes.
pub fn mount_element(host: web_sys::HtmlElement, target: web_sys::HtmlElement) -> Mounted {
    use wasm_bindgen::JsCast;
    let config = platform::host_config(&host);
    let root = target.get_root_node().dyn_into::<web_sys::ShadowRoot>().ok();
    if let Some(root) = &root {
        platform::add_root(root.clone());
    }
    let instance = next_instance();
    let id = instance.clone();
    let handle = leptos::mount::mount_to(target, move || view! { <Root config instance=id /> });
    Mounted {
        _handle: Box::new(handle),
        instance,
        root,
    }
}

/// Mounts one widget for a survey that is already loaded (tests, and hosts that bundle the
/// definition). It is the page's survey, so it names the tab as the person moves on.
pub fn mount_survey(host: web_sys::HtmlElement, survey: Survey, instance: String) {
    let handle = leptos::mount::mount_to(host, move || {
        let root_id = format!("{instance}-root");
        view! {
            <div class="sw-widget" lang="en" id=root_id>
                <Loaded survey=Arc::new(survey) source=None drafts=Ok(Vec::new()) catalogue=Arc::new(Catalogue::english()) instance config=HostConfig { manage_title: true, ..HostConfig::default() } event=None />
            </div>
        }
    });
    handle.forget();
}

/// The `error` event's message when the survey cannot be shown (the console says more).
const LOAD_ERROR: &str = "the survey could not be shown; the browser console says why";

/// Why a survey could not be shown.
#[derive(Clone, Debug, PartialEq)]
enum LoadFailure {
    /// The definition is broken: nothing the person can do.
    Broken,
    /// The file could not be fetched: trying again may help.
    Unreachable,
    /// Event mode on a device no officer has set up yet.
    #[cfg(feature = "event")]
    NotSetUp,
    /// Event mode on a device set up for another survey (issue #21).
    #[cfg(feature = "event")]
    OtherSurvey,
}

/// A survey's definition as parsed JSON (kept to show it in another language) and the survey
/// in its default language.
type Source = (Arc<serde_json::Value>, Arc<Survey>);

/// Parses and loads a definition in its default language; `from` names it in the console.
fn read_definition(text: &str, from: &str) -> Result<Source, LoadFailure> {
    let loaded = parse(text).and_then(|value| load_survey_value(&value).map(|survey| (value, survey)));
    loaded
        .map(|(value, survey)| (Arc::new(value), Arc::new(survey)))
        .map_err(|errors| {
            platform::console_error(&format!("survey widget: {from}: {errors}"));
            LoadFailure::Broken
        })
}

async fn load(src: Option<String>, definition: Option<String>) -> Result<Source, LoadFailure> {
    if let Some(text) = definition {
        return read_definition(&text, "preview");
    }
    let Some(src) = src else {
        platform::console_error("survey widget: the host element has no data-survey-src");
        return Err(LoadFailure::Broken);
    };
    let text = match platform::fetch_text(&src, false).await {
        Ok(text) => text,
        Err(e @ PlatformError::Status(404)) => {
            platform::console_error(&format!("survey widget: {src}: {e}"));
            return Err(LoadFailure::Broken);
        }
        Err(e) => {
            platform::console_error(&format!("survey widget: {src}: {e}"));
            return Err(LoadFailure::Unreachable);
        }
    };
    read_definition(&text, &src)
}

/// A loaded survey with what the device holds for it.
#[derive(Clone)]
struct Ready {
    survey: Arc<Survey>,
    /// The definition, to show it in another language.
    source: Arc<serde_json::Value>,
    /// The widget's words in the survey's language.
    catalogue: Arc<Catalogue>,
    drafts: Result<Vec<Draft>, StoreError>,
    /// In event mode, the event set up on the device: `None` until an officer sets it up.
    event: Option<event::Setup>,
}

/// Where loading the survey has got to.
#[derive(Clone)]
enum LoadState {
    Loading,
    Ready(Box<Ready>),
    Failed(LoadFailure),
}

/// Fetches the survey and reads the saved drafts (and in event mode the event) side by side.
async fn load_with_drafts(config: &HostConfig) -> Result<Ready, LoadFailure> {
    let (src, definition, event_mode) = (config.survey_src.clone(), config.definition.clone(), config.event_mode);
    let preview = definition.is_some();
    let (survey, drafts) = futures::future::join(load(src, definition), async {
        // The survey id is not known yet, so read them all and pick after. A preview starts
        // afresh every time.
        if preview {
            Ok(Vec::new())
        } else {
            storage::all_drafts().await
        }
    })
    .await;
    let (source, survey) = survey?;
    let drafts: Result<Vec<Draft>, StoreError> =
        drafts.map(|all| all.into_iter().filter(|d| d.survey_id == survey.id).collect());
    // The language the person's draft of this version was in resumes with it.
    let saved = drafts.as_ref().ok().and_then(|all| {
        all.iter()
            .find(|d| d.survey_version == survey.version && !d.session.language.is_empty())
            .map(|d| d.session.language.clone())
    });
    let (survey, catalogue) = language::first(&source, survey, config, saved.as_deref()).await;
    let event = if event_mode { event::read_setup().await } else { None };
    Ok(Ready {
        survey,
        source,
        catalogue,
        drafts,
        event,
    })
}

#[component]
fn Root(config: HostConfig, instance: String) -> impl IntoView {
    let event_mode = config.event_mode;
    let root_id = format!("{instance}-root");
    let load_config = config.clone();
    let error_target = root_id.clone();
    let catalogue = Arc::new(Catalogue::english());
    // A plain signal and a spawned task rather than a resource with Suspense: the same
    // behaviour for a fraction of the wasm size.
    let state = RwSignal::new(LoadState::Loading);
    let fetch = move || {
        let config = load_config.clone();
        state.set(LoadState::Loading);
        let root_id = error_target.clone();
        leptos::task::spawn_local(async move {
            let next = if event_mode != event::BUILT_IN {
                // embed.js loads the right build for each widget, so this is a page that
                // loads a build's files by hand.
                platform::console_error(event::OTHER_BUILD);
                LoadState::Failed(LoadFailure::Broken)
            } else {
                match load_with_drafts(&config).await {
                    #[cfg(feature = "event")]
                    Ok(ready) if event_mode && ready.event.is_none() => LoadState::Failed(LoadFailure::NotSetUp),
                    #[cfg(feature = "event")]
                    Ok(ready)
                        if ready
                            .event
                            .as_ref()
                            .is_some_and(|e| e.is_for_another_survey(&ready.survey.id.0)) =>
                    {
                        platform::console_error(&format!(
                            "survey widget: this device is set up for another survey than {}; end that event in the officer console first",
                            ready.survey.id.0
                        ));
                        LoadState::Failed(LoadFailure::OtherSurvey)
                    }
                    Ok(ready) => LoadState::Ready(Box::new(ready)),
                    Err(failure) => LoadState::Failed(failure),
                }
            };
            if let LoadState::Failed(failure) = &next {
                let kind = match failure {
                    LoadFailure::Broken => "survey-broken",
                    LoadFailure::Unreachable => "survey-unreachable",
                    #[cfg(feature = "event")]
                    LoadFailure::NotSetUp => "event-not-set-up",
                    #[cfg(feature = "event")]
                    LoadFailure::OtherSurvey => "event-other-survey",
                };
                let id = root_id.clone();
                request_animation_frame(move || {
                    platform::emit(&id, "error", &[("kind", kind.into()), ("message", LOAD_ERROR.into())]);
                });
            }
            // The widget may have gone while the survey loaded.
            let _ = state.try_set(next);
        });
    };
    fetch();
    let retry = StoredValue::new(fetch);
    view! {
        <div class="sw-widget" lang="en" id=root_id>
            {move || {
                let t = |key: &str| catalogue.get(key).to_owned();
                ui::Fresh(match state.get() {
                    LoadState::Loading => EitherOf3::A(view! { <p class="sw-body" role="status">{t("widget.loading")}</p> }),
                    LoadState::Ready(ready) => {
                        let Ready { survey, source, catalogue, drafts, event } = *ready;
                        EitherOf3::B(view! { <Loaded survey source=Some(source) drafts catalogue instance=instance.clone() config=config.clone() event /> })
                    }
                    LoadState::Failed(failure) => {
                        let (heading, body) = match failure {
                            LoadFailure::Broken => (t("widget.broken.heading"), t("widget.broken.body")),
                            LoadFailure::Unreachable => (t("widget.broken.heading"), t("widget.unreachable.body")),
                            #[cfg(feature = "event")]
                            LoadFailure::NotSetUp => (t("event.unset.heading"), t("event.unset.body")),
                            #[cfg(feature = "event")]
                            LoadFailure::OtherSurvey => (t("event.other.heading"), t("event.other.body")),
                        };
                        // The console opens with this page's survey, which a new event then
                        // records (issue #21).
                        #[cfg(feature = "event")]
                        let link = match failure {
                            LoadFailure::NotSetUp => Some(t("event.unset.link")),
                            LoadFailure::OtherSurvey => Some(t("event.other.link")),
                            _ => None,
                        }
                        .map(|text| (text, event::console_link(config.console_url.as_deref(), config.survey_src.as_deref())));
                        #[cfg(not(feature = "event"))]
                        let link = None;
                        let retry_button = (failure == LoadFailure::Unreachable).then(|| {
                            view! {
                                <button type="button" class="sw-button" on:click=move |_| retry.with_value(|f| f())>
                                    {t("widget.retry")}
                                </button>
                            }
                        });
                        EitherOf3::C(view! { <ui::Broken heading body link /> {retry_button} })
                    }
                })
            }}
        </div>
    }
}

#[component]
fn Loaded(
    survey: Arc<Survey>,
    source: Option<Arc<serde_json::Value>>,
    drafts: Result<Vec<Draft>, StoreError>,
    catalogue: Arc<Catalogue>,
    instance: String,
    config: HostConfig,
    event: Option<event::Setup>,
) -> impl IntoView {
    let locale = RwSignal::new((survey.locale.clone(), survey.language().is_some_and(|l| l.rtl)));
    // A draft of this version resumes; drafts of older versions are kept and offered as a
    // download, never deleted.
    let (health, current, older) = match drafts {
        Ok(drafts) => {
            let (current, older): (Vec<_>, Vec<_>) =
                drafts.into_iter().partition(|d| d.survey_version == survey.version);
            // In event mode a draft left by a reload or a crash is the same person's only if
            // the event keeps abandoned answers; otherwise it is deleted unseen (below).
            let keeps = event.as_ref().is_none_or(event::keeps_abandoned);
            let current = current
                .into_iter()
                .next()
                .filter(|_| keeps)
                .map(|d| resume(&survey, d.session));
            let health = if current.is_some() { Health::Saved } else { Health::Idle };
            (health, current, older)
        }
        Err(e) => {
            platform::console_error(&format!("survey widget: saved answers could not be read: {e}"));
            let health = match e {
                StoreError::Unavailable(_) => Health::Unavailable,
                _ => Health::Failed,
            };
            (health, None, Vec::new())
        }
    };
    let resumed = current.is_some();
    let session = RwSignal::new(current.unwrap_or_default());
    let saving = Saving::new(health, resumed, older);
    // The host page's endpoint wins over the survey's own; either must be https (or http on
    // this machine), else responses stay on the device.
    let preview = config.definition.is_some();
    let endpoint = config
        .endpoint
        .or_else(|| survey.endpoint.clone())
        .filter(|_| !preview)
        .filter(|e| {
            let ok = is_allowed_endpoint(e);
            if !ok {
                platform::console_error(&format!(
                    "survey widget: endpoint {e} must use https; responses stay on this device"
                ));
            }
            ok
        });
    let outcomes_url = config
        .outcomes
        .or_else(|| survey.outcomes.clone())
        .filter(|u| !preview && is_allowed_endpoint(u));
    // An event device keeps the answers of delivered responses until the officer ends the
    // event, so "What we heard today" covers everyone.
    let sync = Sync::new(endpoint, config.headers, event.is_some());
    let discard_draft = event.is_some() && !resumed;
    let event = event.map(|e| event::EventMode::new(e, config.console_url.clone()));
    let survey = StoredValue::new(survey);
    let catalogue = StoredValue::new(catalogue);
    let instance = StoredValue::new(instance);
    let widget = StoredValue::new(None::<Widget>);
    let dispatch = Callback::new(move |command: Command| {
        let w = widget.get_value();
        let back = matches!(command, Command::Back);
        // With history, the Back link goes back in the tab's history, and the `popstate`
        // moves the widget, so the browser's entries and the widget's pages agree.
        if back && w.is_some_and(|w| w.history) && history::back() {
            return;
        }
        // Text is kept composed (NFC), so "ŵ" typed as two code points counts, is checked and
        // is sent as the one character it is. Two arms rather than one match over the edit:
        // the same work, and the shorter form measured 0.12 KB more in the first load.
        let command = match command {
            Command::Edit {
                question,
                edit: Edit::Text(text),
            } => Command::Edit {
                question,
                edit: Edit::Text(platform::composed(&text)),
            },
            Command::Edit {
                question,
                edit: Edit::OtherText(text),
            } => Command::Edit {
                question,
                edit: Edit::OtherText(platform::composed(&text)),
            },
            other => other,
        };
        let survey = survey.get_value();
        let env = env(&survey.locale, w.and_then(event::context));
        let outcomes = session
            .try_update(|s| s.apply(&survey, command, env))
            .unwrap_or_default();
        if let Some(w) = w {
            carry_out(w, outcomes, !back);
        }
    });
    let w = Widget {
        survey,
        session,
        catalogue,
        instance,
        dispatch,
        saving,
        sync,
        event,
        manage_title: config.manage_title,
        preview,
        history: config.history && !preview,
        outcomes: RwSignal::new(String::new()),
        source: StoredValue::new(source),
        locale,
        language_failed: RwSignal::new(false),
    };
    widget.set_value(Some(w));
    LOADED.with_borrow_mut(|l| l.push(w));
    on_cleanup(move || LOADED.with_borrow_mut(|l| l.retain(|o| o.instance != w.instance)));
    if discard_draft {
        storage::request_save(w);
    }
    event::run(w);
    if w.history {
        history::keep(w);
    }
    storage::watch_page(w);
    // Start-up: send whatever earlier visits left waiting. The retry timer goes with the
    // widget; tasks in flight check `alive` after each await.
    sync::pump(w);
    on_cleanup(move || sync::stop(w));
    sync::listen();
    if let Some(url) = outcomes_url {
        outcomes::load(w, url);
    }
    if resumed {
        let title = session
            .with_untracked(|s| survey.with_value(|sv| catalogue.with_value(|c| view::document_title(sv, s, c))));
        w.set_title(&title);
    }
    let mode = if w.event.is_some() { "event" } else { "standard" };
    request_animation_frame(move || {
        if w.alive() {
            w.survey.with_value(|s| w.show_language(s));
            let (id, version) = w.survey.with_value(|s| (s.id.to_string(), s.version.clone()));
            w.emit(
                "ready",
                &[
                    ("surveyId", id.into()),
                    ("surveyVersion", version.into()),
                    ("mode", mode.into()),
                ],
            );
        }
    });
    provide_context(w);
    view! { <ui::SurveyView /> }
}

/// Tells the host page that the person moved (`pagechange`).
fn page_change(w: Widget) {
    use wasm_bindgen::JsValue;
    let page = w
        .session
        .with_untracked(|s| w.survey.with_value(|survey| view::PageEvent::of(survey, s)));
    let text = |v: Option<String>| v.map_or(JsValue::NULL, JsValue::from);
    let progress = page.progress.map_or(JsValue::NULL, |(current, total)| {
        let o = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&o, &"current".into(), &(current as u32).into());
        let _ = js_sys::Reflect::set(&o, &"total".into(), &(total as u32).into());
        o.into()
    });
    w.emit(
        "pagechange",
        &[
            ("screen", page.screen.into()),
            ("pageId", text(page.page_id)),
            ("questionId", text(page.question_id)),
            ("progress", progress),
        ],
    );
}

/// The facts a command needs from outside core: the clock, the language the survey is shown
/// in, and where the response is collected.
fn env(locale: &str, context: Option<Context>) -> Env<'_> {
    Env {
        now_ms: platform::now_ms(),
        today: platform::today(),
        locale,
        context,
    }
}

/// Carries out what a command's outcomes ask; `forward` for any command but Back.
fn carry_out(w: Widget, outcomes: Vec<Outcome>, forward: bool) {
    for outcome in outcomes {
        let navigated = matches!(outcome, Outcome::Navigated);
        match outcome {
            Outcome::Navigated | Outcome::Invalid => {
                let invalid = w.session.with_untracked(|s| !s.errors.is_empty());
                let title = w.session.with_untracked(|s| {
                    w.survey
                        .with_value(|survey| w.catalogue.with_value(|c| view::document_title(survey, s, c)))
                });
                let target = w.dom_id(if invalid { "error-summary" } else { "heading" });
                // Wait for the view to update before moving focus to what it renders.
                request_animation_frame(move || {
                    w.set_title(&title);
                    platform::focus(&target);
                });
                if navigated {
                    page_change(w);
                    if w.history {
                        history::navigated(w, forward);
                    }
                }
                // Where the person is matters as much as what they typed: resuming puts
                // them back on the same question.
                w.saving.change(crate::core::device::DeviceState::navigated);
                let finished = w
                    .session
                    .with_untracked(|s| matches!(s.screen, Screen::Complete { .. }));
                if !finished {
                    storage::request_save(w);
                }
            }
            Outcome::Edited => {
                w.saving.change(crate::core::device::DeviceState::edited);
                storage::request_save(w);
            }
            Outcome::Completed(response) => storage::store_completed(w, *response),
        }
    }
}

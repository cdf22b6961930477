//! The composition root: finds host elements, loads each survey and its saved draft, owns
//! the signals, and carries out the outcomes of commands (focus, titles, saving).
pub mod event;
pub mod storage;
pub mod sync;

use crate::core::load::is_allowed_endpoint;
use crate::core::storage::{resume, Draft, Health};
use crate::core::{load_survey, view, Catalogue, Command, Env, Outcome, Screen, Session, Survey};
use crate::platform::idb::StoreError;
use crate::platform::HostConfig;
use crate::platform::{self, PlatformError};
use crate::ui;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use std::sync::Arc;
use storage::Saving;
use sync::Sync;

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
}

impl Widget {
    /// A catalogue message.
    pub fn t(&self, key: &str) -> String {
        self.catalogue.with_value(|c| c.get(key).to_owned())
    }

    /// A catalogue message with placeholders filled.
    pub fn tf(&self, key: &str, params: &[(&str, &str)]) -> String {
        self.catalogue.with_value(|c| c.format(key, params))
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
}

/// Mounts a widget into every host element on the page.
pub fn boot() {
    for (n, host) in platform::host_elements().into_iter().enumerate() {
        let config = platform::host_config(&host);
        mount(host, config, format!("sw{}", n + 1));
    }
}

/// Mounts one widget into `host`, set up by `config` (at least the survey's URL). `instance`
/// must be unique on the page: it prefixes every DOM id and radio name.
pub fn mount(host: web_sys::HtmlElement, config: HostConfig, instance: String) {
    host.set_attribute("data-survey-widget-state", "mounted").ok();
    let handle = leptos::mount::mount_to(host, move || view! { <Root config instance /> });
    // The widget lives as long as the page.
    handle.forget();
}

/// Mounts one widget for a survey that is already loaded (tests, and hosts that bundle the
/// definition).
pub fn mount_survey(host: web_sys::HtmlElement, survey: Survey, instance: String) {
    let handle = leptos::mount::mount_to(host, move || {
        let root_id = format!("{instance}-root");
        view! {
            <div class="sw-widget" lang="en" id=root_id>
                <Loaded survey=Arc::new(survey) drafts=Ok(Vec::new()) catalogue=Arc::new(Catalogue::english()) instance config=HostConfig::default() event=None />
            </div>
        }
    });
    handle.forget();
}

/// Why a survey could not be shown.
#[derive(Clone, Debug, PartialEq)]
enum LoadFailure {
    /// The definition is broken: nothing the person can do.
    Broken,
    /// The file could not be fetched: trying again may help.
    Unreachable,
    /// Event mode on a device no officer has set up yet.
    NotSetUp,
}

async fn load(src: Option<String>) -> Result<Arc<Survey>, LoadFailure> {
    let Some(src) = src else {
        platform::console_error("survey widget: the host element has no data-survey-src");
        return Err(LoadFailure::Broken);
    };
    let text = match platform::fetch_text(&src).await {
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
    load_survey(&text).map(Arc::new).map_err(|errors| {
        platform::console_error(&format!("survey widget: {src}: {errors}"));
        LoadFailure::Broken
    })
}

/// A loaded survey with what the device holds for it.
#[derive(Clone)]
struct Ready {
    survey: Arc<Survey>,
    drafts: Result<Vec<Draft>, StoreError>,
    /// In event mode, the event set up on the device: `None` until an officer sets it up.
    event: Option<crate::core::event::EventSetup>,
}

/// Where loading the survey has got to.
#[derive(Clone)]
enum LoadState {
    Loading,
    Ready(Box<Ready>),
    Failed(LoadFailure),
}

/// Fetches the survey and reads the saved drafts (and in event mode the event) side by side.
async fn load_with_drafts(src: Option<String>, event_mode: bool) -> Result<Ready, LoadFailure> {
    let (survey, drafts) = futures::future::join(load(src), async {
        // The survey id is not known yet, so read them all and pick after.
        storage::all_drafts().await
    })
    .await;
    let survey = survey?;
    let drafts = drafts.map(|all| all.into_iter().filter(|d| d.survey_id == survey.id).collect());
    let event = if event_mode {
        crate::platform::idb::event_setup().await.unwrap_or_else(|e| {
            platform::console_error(&format!("survey widget: the event setup could not be read: {e}"));
            None
        })
    } else {
        None
    };
    Ok(Ready { survey, drafts, event })
}

#[component]
fn Root(config: HostConfig, instance: String) -> impl IntoView {
    let src = config.survey_src.clone();
    let event_mode = config.event_mode;
    let catalogue = Arc::new(Catalogue::english());
    // A plain signal and a spawned task rather than a resource with Suspense: the same
    // behaviour for a fraction of the wasm size.
    let state = RwSignal::new(LoadState::Loading);
    let fetch = move || {
        let src = src.clone();
        state.set(LoadState::Loading);
        leptos::task::spawn_local(async move {
            state.set(match load_with_drafts(src, event_mode).await {
                Ok(ready) if event_mode && ready.event.is_none() => LoadState::Failed(LoadFailure::NotSetUp),
                Ok(ready) => LoadState::Ready(Box::new(ready)),
                Err(failure) => LoadState::Failed(failure),
            });
        });
    };
    fetch();
    let retry = StoredValue::new(fetch);
    let root_id = format!("{instance}-root");
    view! {
        <div class="sw-widget" lang="en" id=root_id>
            {move || {
                let t = |key: &str| catalogue.get(key).to_owned();
                ui::Fresh(match state.get() {
                    LoadState::Loading => EitherOf3::A(view! { <p class="sw-body" role="status">{t("widget.loading")}</p> }),
                    LoadState::Ready(ready) => {
                        let Ready { survey, drafts, event } = *ready;
                        EitherOf3::B(view! { <Loaded survey drafts catalogue=catalogue.clone() instance=instance.clone() config=config.clone() event /> })
                    }
                    LoadState::Failed(failure) => {
                        let (heading, body) = match failure {
                            LoadFailure::Broken => (t("widget.broken.heading"), t("widget.broken.body")),
                            LoadFailure::Unreachable => (t("widget.broken.heading"), t("widget.unreachable.body")),
                            LoadFailure::NotSetUp => (t("event.unset.heading"), t("event.unset.body")),
                        };
                        let link = (failure == LoadFailure::NotSetUp)
                            .then(|| (t("event.unset.link"), config.console_url.clone().unwrap_or_else(|| "console/".into())));
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
    drafts: Result<Vec<Draft>, StoreError>,
    catalogue: Arc<Catalogue>,
    instance: String,
    config: HostConfig,
    event: Option<crate::core::event::EventSetup>,
) -> impl IntoView {
    // A draft of this version resumes; drafts of older versions are kept and offered as a
    // download, never deleted.
    let (health, current, older) = match drafts {
        Ok(drafts) => {
            let (current, older): (Vec<_>, Vec<_>) =
                drafts.into_iter().partition(|d| d.survey_version == survey.version);
            // In event mode a draft left by a reload or a crash is the same person's only if
            // the event keeps abandoned answers; otherwise it is deleted unseen (below).
            let keeps = event
                .as_ref()
                .is_none_or(|e| e.abandoned == crate::core::event::Abandoned::KeepIncomplete);
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
    let endpoint = config.endpoint.or_else(|| survey.endpoint.clone()).filter(|e| {
        let ok = is_allowed_endpoint(e);
        if !ok {
            platform::console_error(&format!(
                "survey widget: endpoint {e} must use https; responses stay on this device"
            ));
        }
        ok
    });
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
        let env = Env {
            now_ms: platform::now_ms(),
            today: platform::today(),
        };
        let survey = survey.get_value();
        let outcomes = session
            .try_update(|s| s.apply(&survey, command, env))
            .unwrap_or_default();
        if let Some(w) = widget.get_value() {
            carry_out(w, outcomes);
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
    };
    widget.set_value(Some(w));
    if discard_draft {
        storage::request_save(w);
    }
    event::run(w);
    storage::watch_page(w);
    // Start-up: send whatever earlier visits left waiting. The retry timer goes with the
    // widget; tasks in flight check `alive` after each await.
    sync::pump(w);
    on_cleanup(move || sync::stop(w));
    if resumed {
        let title = session
            .with_untracked(|s| survey.with_value(|sv| catalogue.with_value(|c| view::document_title(sv, s, c))));
        platform::set_title(&title);
    }
    provide_context(w);
    view! { <ui::SurveyView /> }
}

fn carry_out(w: Widget, outcomes: Vec<Outcome>) {
    for outcome in outcomes {
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
                    platform::set_title(&title);
                    platform::focus(&target);
                });
                // Where the person is matters as much as what they typed: resuming puts
                // them back on the same question.
                w.saving.change(crate::core::storage::DeviceState::navigated);
                let finished = w
                    .session
                    .with_untracked(|s| matches!(s.screen, Screen::Complete { .. }));
                if !finished {
                    storage::request_save(w);
                }
            }
            Outcome::Edited => {
                w.saving.change(crate::core::storage::DeviceState::edited);
                storage::request_save(w);
            }
            Outcome::Completed(mut response) => {
                if let Some(ev) = w.event {
                    response.context = Some(ev.setup.with_value(|s| s.context(false)));
                }
                storage::store_completed(w, *response)
            }
        }
    }
}

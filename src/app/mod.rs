//! The composition root: finds host elements, loads each survey, owns the signals, and
//! carries out the outcomes of commands (focus, titles; later storage and sync).
use crate::core::{load_survey, view, Catalogue, Command, Env, Outcome, Session, Survey};
use crate::platform::{self, PlatformError};
use crate::ui;
use leptos::either::EitherOf3;
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
    /// Text of the polite live region.
    pub status: RwSignal<String>,
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

    /// The DOM id of an element of this instance, e.g. `heading`.
    pub fn dom_id(&self, suffix: &str) -> String {
        self.instance.with_value(|i| format!("{i}-{suffix}"))
    }
}

/// Mounts a widget into every host element on the page.
pub fn boot() {
    for (n, host) in platform::host_elements().into_iter().enumerate() {
        let config = platform::host_config(&host);
        mount(host, config.survey_src, format!("sw{}", n + 1));
    }
}

/// Mounts one widget that loads its survey from `src` into `host`. `instance` must be
/// unique on the page: it prefixes every DOM id and radio name.
pub fn mount(host: web_sys::HtmlElement, src: Option<String>, instance: String) {
    host.set_attribute("data-survey-widget-state", "mounted").ok();
    let handle = leptos::mount::mount_to(host, move || view! { <Root src instance /> });
    // The widget lives as long as the page.
    handle.forget();
}

/// Mounts one widget for a survey that is already loaded (tests, and hosts that bundle the
/// definition).
pub fn mount_survey(host: web_sys::HtmlElement, survey: Survey, instance: String) {
    let handle = leptos::mount::mount_to(host, move || {
        view! {
            <div class="sw-widget" lang="en">
                <Loaded survey=Arc::new(survey) catalogue=Arc::new(Catalogue::english()) instance />
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

/// Where loading the survey has got to.
#[derive(Clone)]
enum LoadState {
    Loading,
    Ready(Arc<Survey>),
    Failed(LoadFailure),
}

#[component]
fn Root(src: Option<String>, instance: String) -> impl IntoView {
    let catalogue = Arc::new(Catalogue::english());
    // A plain signal and a spawned task rather than a resource with Suspense: the same
    // behaviour for a fraction of the wasm size.
    let state = RwSignal::new(LoadState::Loading);
    let fetch = move || {
        let src = src.clone();
        state.set(LoadState::Loading);
        leptos::task::spawn_local(async move {
            state.set(match load(src).await {
                Ok(survey) => LoadState::Ready(survey),
                Err(failure) => LoadState::Failed(failure),
            });
        });
    };
    fetch();
    let retry = StoredValue::new(fetch);
    view! {
        <div class="sw-widget" lang="en">
            {move || {
                let t = |key: &str| catalogue.get(key).to_owned();
                match state.get() {
                    LoadState::Loading => EitherOf3::A(view! { <p class="sw-body" role="status">{t("widget.loading")}</p> }),
                    LoadState::Ready(survey) => {
                        EitherOf3::B(view! { <Loaded survey catalogue=catalogue.clone() instance=instance.clone() /> })
                    }
                    LoadState::Failed(failure) => {
                        let body = t(if failure == LoadFailure::Broken { "widget.broken.body" } else { "widget.unreachable.body" });
                        let retry_button = (failure == LoadFailure::Unreachable).then(|| {
                            view! {
                                <button type="button" class="sw-button" on:click=move |_| retry.with_value(|f| f())>
                                    {t("widget.retry")}
                                </button>
                            }
                        });
                        EitherOf3::C(view! { <ui::Broken heading=t("widget.broken.heading") body /> {retry_button} })
                    }
                }
            }}
        </div>
    }
}

#[component]
fn Loaded(survey: Arc<Survey>, catalogue: Arc<Catalogue>, instance: String) -> impl IntoView {
    let session = RwSignal::new(Session::new());
    let status = RwSignal::new(String::new());
    let survey = StoredValue::new(survey);
    let catalogue = StoredValue::new(catalogue);
    let instance = StoredValue::new(instance);
    let dispatch = Callback::new(move |command: Command| {
        let env = Env {
            now_ms: platform::now_ms(),
            today: platform::today(),
        };
        let survey = survey.get_value();
        let outcomes = session
            .try_update(|s| s.apply(&survey, command, env))
            .unwrap_or_default();
        carry_out(outcomes, survey, session, catalogue.get_value(), instance.get_value());
    });
    let widget = Widget {
        survey,
        session,
        catalogue,
        instance,
        dispatch,
        status,
    };
    provide_context(widget);
    view! { <ui::SurveyView /> }
}

fn carry_out(
    outcomes: Vec<Outcome>,
    survey: Arc<Survey>,
    session: RwSignal<Session>,
    catalogue: Arc<Catalogue>,
    instance: String,
) {
    for outcome in outcomes {
        match outcome {
            Outcome::Navigated | Outcome::Invalid => {
                let invalid = session.with_untracked(|s| !s.errors.is_empty());
                let title = session.with_untracked(|s| view::document_title(&survey, s, &catalogue));
                let target = if invalid {
                    format!("{instance}-error-summary")
                } else {
                    format!("{instance}-heading")
                };
                // Wait for the view to update before moving focus to what it renders.
                request_animation_frame(move || {
                    platform::set_title(&title);
                    platform::focus(&target);
                });
            }
            // Drafts and the outbox arrive with offline storage (issue 3).
            Outcome::Edited | Outcome::Completed(_) => {}
        }
    }
}

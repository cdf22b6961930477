//! Components: they render views of core state and dispatch commands, nothing else.
//! Markup follows the GOV.UK Design System, with every class prefixed `sw-`.
mod delivery;
mod event;
mod fields;
mod fresh;
mod notices;
mod outcomes;
mod page;
/// "Your responses on this device": not in the event build, where a shared device never
/// offers one person's list to the next (issue #10).
#[cfg(not(feature = "event"))]
mod responses;

use crate::app::context::Widget;
use crate::core::respond::view as cv;
use crate::core::survey::definition::Link;
use crate::core::{Command, Screen};
use leptos::either::EitherOf4;
use leptos::prelude::*;

pub use fresh::Fresh;
pub use page::QuestionPage;

/// Which kind of screen is showing; the view is rebuilt only when this changes.
#[derive(Clone, Debug, PartialEq)]
enum ScreenKey {
    Start,
    Page(usize),
    Check,
    Complete(String),
}

/// The whole widget for a loaded survey.
#[component]
pub fn SurveyView() -> impl IntoView {
    let w = expect_context::<Widget>();
    // The screen is drawn again when the person switches language: what they typed is in the
    // session, so it is drawn again too.
    let screen = Memo::new(move |_| {
        let key = w.session.with(|s| match &s.screen {
            Screen::Start => ScreenKey::Start,
            Screen::Page { index } => ScreenKey::Page(*index),
            Screen::Check => ScreenKey::Check,
            Screen::Complete { reference } => ScreenKey::Complete(reference.clone()),
        });
        (key, w.locale.get().0)
    });
    view! {
        <LanguageSwitch />
        <notices::StatusLine />
        <notices::Banners />
        {event::screens_or_list(w, move || Fresh(match screen.get().0 {
            ScreenKey::Start => EitherOf4::A(view! { <StartPage /> }),
            ScreenKey::Page(index) => EitherOf4::B(view! { <QuestionPage index /> }),
            ScreenKey::Check => EitherOf4::C(view! { <CheckAnswers /> }),
            ScreenKey::Complete(reference) => EitherOf4::D(view! { <Confirmation reference /> }),
        }))}
        {event::idle_warning()}
    }
}

/// The language switch, where a survey has several (GOV.UK's language select): a `nav`
/// named "Language", its list made by `core::respond::language::switch_html`. A language's
/// link switches in place.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let w = expect_context::<Widget>();
    let several = w.survey.with_value(|s| s.languages.len() > 1) && w.source.with_value(Option::is_some);
    several.then(|| {
        let list = move || {
            w.locale.track();
            let id = w.dom_id("language-current");
            w.survey.with_value(|s| crate::core::respond::language::switch_html(s, &id))
        };
        view! {
            <nav class="sw-language-select" aria-label=move || { w.locale.track(); w.t("language.nav") } on:click=move |e| w.language_link(&e)>
                <div inner_html=list></div>
                <p class="sw-error-message" role="alert" hidden=move || !w.language_failed.get()>{move || { w.locale.track(); w.t("language.failed") }}</p>
            </nav>
        }
    })
}

/// "This survey can't be shown", or in event mode "This device is not ready yet" with the
/// way to the officer console.
#[component]
pub fn Broken(heading: String, body: String, link: Option<(String, String)>) -> impl IntoView {
    view! {
        <div class="sw-notice sw-notice--broken" role="alert">
            <h1 class="sw-heading-l">{heading}</h1>
            <p class="sw-body">{body}</p>
            {link.map(|(text, href)| view! { <p class="sw-body"><a class="sw-link" href=href>{text}</a></p> })}
        </div>
    }
}

/// A link out of the survey. A web page opens in a new tab, so answers on screen are not
/// lost, and says so; `mailto:` and `tel:` links open an app and say nothing of tabs.
#[component]
fn ExternalLink(link: Link) -> impl IntoView {
    let w = expect_context::<Widget>();
    let new_tab = link.new_tab();
    view! {
        <a class="sw-link" href=link.href target=new_tab.then_some("_blank") rel=new_tab.then_some("noopener noreferrer")>
            <span lang=link.lang>{link.text}</span>{new_tab.then(|| format!(" {}", w.t("link.newTab")))}
        </a>
    }
}

#[component]
fn BackLink() -> impl IntoView {
    let w = expect_context::<Widget>();
    view! {
        <button type="button" class="sw-back-link" on:click=move |_| w.dispatch.run(Command::Back)>
            {w.t("nav.back")}
        </button>
    }
}

#[component]
fn StartPage() -> impl IntoView {
    let w = expect_context::<Widget>();
    let survey = w.survey.get_value();
    let time = survey
        .estimated_minutes
        .map(|m| w.messages().plural("start.time", u64::from(m), &[]));
    let privacy = survey.privacy_notice.clone().map(|link| {
        view! { <p class="sw-body">{w.t("start.privacy")}" " <ExternalLink link /></p> }
    });
    // Issue #8: the promise matches what this device can do. Issue #10: on a shared event
    // device the promise is the opposite, that nothing stays for the next person.
    let event = w.event.is_some();
    let saving = if event {
        Some(w.t("event.welcome.shared"))
    } else {
        // A preview saves nothing, so it promises nothing either.
        (!w.preview && !w.saving.device.with_untracked(|d| d.health.at_risk())).then(|| w.t("start.saving"))
    };
    let lang = survey.lang.clone();
    // Event mode's welcome screen invites the next person, with the survey's title under it.
    let (heading, heading_lang) = if event {
        (w.t("event.welcome.heading"), None)
    } else {
        (survey.title.clone(), lang.clone())
    };
    view! {
        <div class="sw-page">
            <h1 class="sw-heading-xl" id=w.dom_id("heading") tabindex="-1" lang=heading_lang>{heading}</h1>
            {event.then(|| view! { <p class="sw-heading-m" lang=lang.clone()>{survey.title.clone()}</p> })}
            {survey.description.iter().map(|p| view! { <p class="sw-body" lang=survey.description_lang.clone()>{p.clone()}</p> }).collect_view()}
            {time.map(|t| view! { <p class="sw-body">{t}</p> })}
            {saving.map(|t| view! { <p class="sw-body">{t}</p> })}
            {privacy}
            <button type="button" class="sw-button sw-button--start" on:click=move |_| w.dispatch.run(Command::Start)>
                {w.t("start.button")}
                <svg class="sw-button__start-icon" xmlns="http://www.w3.org/2000/svg" width="17.5" height="19" viewBox="0 0 33 40" aria-hidden="true" focusable="false">
                    <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z" />
                </svg>
            </button>
            {event::start_links(w)}
            <outcomes::OutcomesView />
        </div>
    }
}

#[component]
fn CheckAnswers() -> impl IntoView {
    let w = expect_context::<Widget>();
    let rows = w.session.with_untracked(|s| {
        w.survey
            .with_value(|survey| w.catalogue.with_value(|c| cv::check_rows(survey, s, c)))
    });
    let change = w.t("check.change");
    let entropy_failed = RwSignal::new(false);
    let submit = move |_| {
        if !w.submit() {
            entropy_failed.set(true);
        }
    };
    view! {
        <div class="sw-page">
            <BackLink />
            <h1 class="sw-heading-l" id=w.dom_id("heading") tabindex="-1">{w.t("check.heading")}</h1>
            <dl class="sw-summary-list">
                {rows.into_iter().map(|row| {
                    let question = row.question.clone();
                    view! {
                        <div class="sw-summary-list__row">
                            <dt class="sw-summary-list__key" lang=row.lang>{row.title.clone()}</dt>
                            <dd class="sw-summary-list__value" lang=row.answer_lang>
                                {row.lines.into_iter().map(|l| view! { <p class="sw-summary-list__line" dir="auto">{l}</p> }).collect_view()}
                            </dd>
                            <dd class="sw-summary-list__actions">
                                <button type="button" class="sw-link-button" on:click=move |_| w.dispatch.run(Command::Change(question.clone()))>
                                    {change.clone()}<span class="sw-visually-hidden">" "{row.title}</span>
                                </button>
                            </dd>
                        </div>
                    }
                }).collect_view()}
            </dl>
            <h2 class="sw-heading-m">{w.t("check.send.heading")}</h2>
            <p class="sw-body">{w.t("check.send.body")}</p>
            <button type="button" class="sw-button" on:click=submit>{w.t("check.send.button")}</button>
            <p class="sw-error-message" role="alert" hidden=move || !entropy_failed.get()>{w.t("widget.broken.body")}</p>
        </div>
    }
}

#[component]
fn Confirmation(reference: String) -> impl IntoView {
    let w = expect_context::<Widget>();
    let line_reference = reference.clone();
    view! {
        <div class="sw-page">
            <div class="sw-panel">
                <h1 class="sw-panel__title" id=w.dom_id("heading") tabindex="-1">{w.t("done.heading")}</h1>
                <div class="sw-panel__body">
                    {w.t("done.reference")}<br /><strong class="sw-reference" dir="ltr">{reference}</strong>
                </div>
            </div>
            <delivery::DeliveryLine reference=line_reference />
            {event::after_confirmation(w)}
        </div>
    }
}

//! Event mode's parts on the respondent's side (issue #10): the officer's controls on the
//! welcome screen (the start page, retitled "Have your say"), "Are you still there?", and the
//! confirmation's "Next person". The event build has event mode only (`app/event/mod.rs`).
use crate::app::context::Widget;
use crate::core::event::seconds_left;
use leptos::prelude::*;

/// The survey's screens. The event build is for event mode only, so it has no "Your
/// responses on this device": a shared device never offers one person's list to the next.
pub fn screens_or_list<V: IntoView + 'static>(
    _w: Widget,
    screens: impl Fn() -> V + Send + Sync + 'static,
) -> impl IntoView {
    screens
}

/// Under Start: the officer's controls.
pub fn start_links(_w: Widget) -> impl IntoView {
    view! { <OfficerBar /> }
}

/// Under the confirmation: "Next person" (the next person never sees this person's list).
pub fn after_confirmation(_w: Widget) -> impl IntoView {
    view! { <NextPerson /> }
}

/// "Are you still there?", in the DOM of every event-mode widget.
pub fn idle_warning() -> impl IntoView {
    view! { <IdleWarning /> }
}

/// The officer's controls under Start on the welcome screen: small, but labelled.
#[component]
pub fn OfficerBar() -> impl IntoView {
    let w = expect_context::<Widget>();
    let console = w.event.map(|e| e.console_url.get_value()).unwrap_or_default();
    view! {
        <div class="sw-officer-bar">
            <a class="sw-link" href=console>{w.t("event.officer")}</a>
            <button type="button" class="sw-link-button" on:click=move |_| w.enter_full_screen()>
                {w.t("event.fullscreen")}
            </button>
        </div>
    }
}

/// "Are you still there?": a modal notice over a question page, with a countdown. Always in
/// the DOM and hidden until needed: a static tree costs a fraction of the wasm of one built on
/// demand. The visible count changes every second; the polite live region only every ten, so
/// a screen reader is told without being talked over.
#[component]
pub fn IdleWarning() -> impl IntoView {
    let w = expect_context::<Widget>();
    let ev = w.event?;
    let left = move || ev.warning.get().map(|at| seconds_left(at, ev.now.get()));
    let say = move |s: u32| w.messages().plural("event.idle.body", u64::from(s), &[]);
    Some(view! {
        <div class="sw-idle" role="alertdialog" aria-modal="true" aria-labelledby=w.dom_id("idle-heading")
            hidden=move || ev.warning.with(Option::is_none)>
            <div class="sw-idle__box">
                <h2 class="sw-heading-l" id=w.dom_id("idle-heading") tabindex="-1">{w.t("event.idle.heading")}</h2>
                <p class="sw-body" aria-hidden="true">{move || left().map(say)}</p>
                <p class="sw-visually-hidden" aria-live="polite">{move || left().map(|s| say(s.div_ceil(10) * 10))}</p>
                <button type="button" class="sw-button" on:click=move |_| ev.active()>{w.t("event.idle.continue")}</button>
                " "
                <button type="button" class="sw-button sw-button--secondary" on:click=move |_| w.next_person(true)>
                    {w.t("event.idle.leave")}
                </button>
            </div>
        </div>
    })
}

/// The confirmation's way back to the welcome screen, with the time left.
#[component]
pub fn NextPerson() -> impl IntoView {
    let w = expect_context::<Widget>();
    view! {
        <p class="sw-body">{w.t("event.next.body")}</p>
        <button type="button" class="sw-button" id=w.dom_id("next-person") on:click=move |_| w.next_person(false)>
            {w.t("event.next.button")}
        </button>
    }
}

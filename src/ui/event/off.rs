//! The respondent's build has no event mode (see `app/event/mod.rs`): the standard
//! controls, "Your responses on this device", and no idle warning.
use crate::app::context::Widget;
use crate::core::Command;
use crate::ui::responses::{ResponsesLink, ResponsesView};
use crate::ui::Fresh;
use leptos::either::Either;
use leptos::prelude::*;

/// The survey's screens, or "Your responses on this device" while it is open.
pub fn screens_or_list<V: IntoView + 'static>(
    w: Widget,
    screens: impl Fn() -> V + Clone + Send + Sync + 'static,
) -> impl IntoView {
    move || {
        Fresh(if w.sync.showing_list.get() {
            Either::Left(view! { <ResponsesView /> })
        } else {
            Either::Right(screens.clone())
        })
    }
}

/// Under Start: the way to this device's responses, once it has some.
pub fn start_links(_w: Widget) -> impl IntoView {
    view! { <ResponsesLink always=false /> }
}

/// Under the confirmation: another response, and this device's list.
pub fn after_confirmation(w: Widget) -> impl IntoView {
    view! {
        <button type="button" class="sw-button sw-button--secondary" on:click=move |_| w.dispatch.run(Command::StartAgain)>
            {w.t("done.again")}
        </button>
        <ResponsesLink always=true />
    }
}

/// No idle warning without event mode.
pub fn idle_warning() -> impl IntoView {}

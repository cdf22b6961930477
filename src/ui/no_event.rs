//! The respondent's build has no event mode (see `src/app/no_event.rs`): the standard
//! controls only, and no idle warning.
use crate::app::Widget;
use leptos::prelude::*;

/// Under Start: the way to this device's responses.
pub fn start_links(_w: Widget) -> impl IntoView {
    super::start_links()
}

/// Under the confirmation: another response, and this device's list.
pub fn after_confirmation(w: Widget) -> impl IntoView {
    super::after_confirmation(w)
}

/// No idle warning without event mode.
pub fn idle_warning() -> impl IntoView {}

//! "You said, we did" (issue #12): the survey's published outcomes on the start page and under
//! "Your responses on this device", and where each response stands beside its reference. The
//! markup is made in `core::outcomes`, where it is tested; this only places it.
use crate::app::context::Widget;
use crate::core::outcomes::{from_cache, html};
#[cfg(not(feature = "event"))]
use crate::core::outcomes::{steps_html, Stage};
use crate::core::respond::view::date_time;
use leptos::prelude::*;

/// The outcomes, when the device has them: nothing at all until then.
#[component]
pub(super) fn OutcomesView() -> impl IntoView {
    let w = expect_context::<Widget>();
    let id = w.dom_id("outcomes");
    let markup = move || {
        w.outcomes.with(|kept| {
            let (feed, fetched_at) = from_cache(kept)?;
            let (date, hour, minute) = w.local_time(fetched_at);
            // A text given as a plain string is in the survey's default language.
            let default = w.survey.with_value(|s| s.languages.first().map(|l| l.code.clone()))?;
            w.catalogue
                .with_value(|c| html(&feed, &id, &date_time(date, hour, minute, c), c, &default))
        })
    };
    view! { <div inner_html=move || markup().unwrap_or_default()></div> }
}

/// Received → analysing → outcomes published, with the current step marked, in "Your
/// responses on this device" (not in the event build).
#[cfg(not(feature = "event"))]
pub(super) fn steps(w: Widget, stage: Stage) -> impl IntoView {
    view! { <div inner_html=w.catalogue.with_value(|c| steps_html(stage, c))></div> }
}

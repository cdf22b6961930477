//! "You said, we did" (issue #12): the survey's outcomes feed, shown on the start page and in
//! "Your responses on this device". It must not slow the first question, so the device's copy
//! is read and the feed fetched only after the survey has rendered; a fetched feed is kept for
//! offline. Failing to fetch is not an error to the person: the copy's date says how fresh it is.
use super::Widget;
use crate::core::outcomes::{from_cache, to_cache};
use crate::platform;
use leptos::prelude::*;

fn key(w: Widget) -> String {
    w.survey.with_value(|s| format!("survey-widget:outcomes:{}", s.id))
}

/// Shows the device's copy, then fetches `url` and shows and keeps what it says.
pub fn load(w: Widget, url: String) {
    request_animation_frame(move || {
        if !w.alive() {
            return;
        }
        let key = key(w);
        if let Some(kept) = platform::load_local(&key).filter(|c| from_cache(c).is_some()) {
            w.outcomes.set(kept);
        }
        leptos::task::spawn_local(async move {
            let Ok(feed) = platform::fetch_text(&url, true).await else {
                return;
            };
            let now = platform::now_ms();
            if let Some(kept) = to_cache(now, &feed) {
                platform::save_local(&key, &kept);
                let _ = w.outcomes.try_set(kept);
            }
        });
    });
}

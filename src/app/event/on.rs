//! Event mode on the respondent's side (issue #10): the idle timer and its warning, the reset
//! between two people, the back/forward cache, and keeping the screen on. The rules are
//! `core::event`; this runs them against the clock and the page.
use crate::app::context::Widget;
use crate::app::storage;
use crate::core::event::{Abandoned, EventSetup, IdleScreen, IdleStep};
use crate::core::respond::context::Context;
use crate::core::{Command, Screen};
use crate::platform::{self, console_error};
use leptos::prelude::*;
use std::time::Duration;

/// This build has event mode (the `event` feature), and only event mode: a widget without
/// `mode="event"` is the respondent's build's (`embed.js` loads each widget's build).
pub const BUILT_IN: bool = true;

/// The `data-survey-widget` hosts this build mounts at start: `embed.js` names each host's
/// build (`data-survey-widget-build`), so that on a page with both kinds each build mounts its
/// own. A host it does not name (a page that loads a build by hand) is mounted, and refused if
/// it is of the other kind.
pub const HOSTS: &str = "[data-survey-widget]:not([data-survey-widget-build=respondent])";

/// The DOM id prefix of this build's widget number `n`: `swe1`, `swe2`, … (the
/// respondent's build's are `sw1`, …), so that ids and radio names stay unique on a page
/// that runs both builds.
pub fn instance(n: usize) -> String {
    format!("swe{n}")
}

/// Why a widget without `mode="event"` is refused by this build.
pub const OTHER_BUILD: &str = "survey widget: this is the event build, for mode=\"event\" only; any other widget needs the respondent's build (survey-widget-*.js), which embed.js loads for it";

/// The event an officer set up on the device, as the widget reads it at start.
pub type Setup = EventSetup;

/// The officer console's address, naming the page's survey (`?survey=`, absolute) so that a
/// new event records the survey this page shows.
pub fn console_link(console: Option<&str>, survey: Option<&str>) -> String {
    let console = console.unwrap_or("console/");
    match survey.and_then(platform::absolute_url) {
        Some(survey) => {
            let separator = if console.contains('?') { '&' } else { '?' };
            format!("{console}{separator}survey={}", platform::encode_component(&survey))
        }
        None => console.to_owned(),
    }
}

/// The event set up on this device, if any; `None` (and a console message) when it cannot
/// be read.
pub async fn read_setup() -> Option<Setup> {
    platform::idb::event_setup().await.unwrap_or_else(|e| {
        console_error(&format!("survey widget: the event setup could not be read: {e}"));
        None
    })
}

/// Whether a draft left by a reload or a crash is resumed: on a shared device only if the
/// event keeps abandoned answers, since it may be the previous person's.
pub fn keeps_abandoned(setup: &Setup) -> bool {
    setup.abandoned == Abandoned::KeepIncomplete
}

/// The `context` a response completed in event mode carries (`None` elsewhere).
pub fn context(w: Widget) -> Option<Context> {
    w.event.map(|ev| ev.setup.with_value(|s| s.context(false)))
}

/// Event mode's state in one widget.
#[derive(Clone, Copy)]
pub struct EventMode {
    /// The event set up on this device.
    pub setup: StoredValue<EventSetup>,
    /// Where the officer console is.
    pub console_url: StoredValue<String>,
    /// While "Are you still there?" shows: when the reset happens.
    pub warning: RwSignal<Option<f64>>,
    /// The clock, ticking once a second, for the countdowns.
    pub now: RwSignal<f64>,
    last_input: StoredValue<f64>,
}

impl EventMode {
    /// Event mode for `setup`.
    pub fn new(setup: EventSetup, console_url: Option<String>) -> Self {
        Self {
            setup: StoredValue::new(setup),
            console_url: StoredValue::new(console_url.unwrap_or_else(|| "console/".into())),
            warning: RwSignal::new(None),
            now: RwSignal::new(platform::now_ms()),
            last_input: StoredValue::new(platform::now_ms()),
        }
    }

    /// Someone touched the screen: the idle time starts again and any warning goes.
    pub fn active(&self) {
        self.last_input.set_value(platform::now_ms());
        if self.warning.get_untracked().is_some() {
            self.warning.set(None);
        }
    }
}

fn idle_screen(screen: &Screen) -> IdleScreen {
    match screen {
        Screen::Start => IdleScreen::Welcome,
        Screen::Page { .. } | Screen::Check => IdleScreen::Answering,
        Screen::Complete { .. } => IdleScreen::Confirmation,
    }
}

/// "Next person", the idle reset and the return from the confirmation: back to the welcome
/// screen with nothing of the last person left. An abandoned draft is kept as an incomplete
/// response when the event is set up so; otherwise it is deleted with the session.
pub fn next_person(w: Widget, abandoned: bool) {
    let Some(ev) = w.event else {
        return;
    };
    if abandoned && ev.setup.with_value(keeps_abandoned) {
        let kept = platform::random_bytes::<32>().ok().and_then(|entropy| {
            w.survey.with_value(|sv| {
                let env = crate::app::env(&sv.locale, context(w));
                w.session.with_untracked(|s| s.abandoned(sv, entropy, env))
            })
        });
        if let Some(response) = kept {
            storage::store_completed(w, response);
        }
    }
    ev.warning.set(None);
    w.dispatch.run(Command::StartAgain);
    ev.active();
    // The next person starts in the event's default language (issue #23).
    let default = w.survey.with_value(|s| {
        let default = s.languages.first().map(|l| l.code.clone()).unwrap_or_default();
        (default != s.locale).then_some(default)
    });
    if let Some(code) = default {
        crate::app::language::switch(w, code, false);
    }
    // With history the start again begins a new person's entries, whose earlier ones lead
    // nowhere (`app::history`); without it the entry is made bare.
    if !w.history {
        platform::forget_history();
    }
}

/// Runs event mode for the widget's lifetime: the once-a-second idle check, input listeners,
/// the back/forward cache reset and the wake lock.
pub fn run(w: Widget) {
    let Some(ev) = w.event else {
        return;
    };
    platform::keep_screen_on();
    if !w.history {
        platform::forget_history();
    }
    let tick = set_interval_with_handle(
        move || {
            if !w.alive() {
                return;
            }
            let now = platform::now_ms();
            ev.now.set(now);
            let screen = w.session.with_untracked(|s| idle_screen(&s.screen));
            let policy = ev.setup.with_value(EventSetup::idle);
            match policy.step(screen, ev.last_input.get_value(), now) {
                IdleStep::Wait { .. } => {}
                IdleStep::Warn { resets_at } => {
                    if ev.warning.get_untracked().is_none() {
                        ev.warning.set(Some(resets_at));
                        let target = w.dom_id("idle-heading");
                        request_animation_frame(move || platform::focus(&target));
                    }
                }
                IdleStep::Reset => next_person(w, screen == IdleScreen::Answering),
            }
        },
        Duration::from_millis(1000),
    );
    if let Err(e) = &tick {
        console_error(&format!(
            "survey widget: the idle timer could not start: {}",
            platform::js_text(e)
        ));
    }
    let listeners: Vec<_> = ["pointerdown", "keydown", "input"]
        .into_iter()
        .map(|name| {
            window_event_listener_untyped(name, move |_| {
                // While the warning shows, only its own button carries on.
                if ev.warning.get_untracked().is_none() {
                    ev.active();
                }
            })
        })
        .collect();
    let pageshow = window_event_listener_untyped("pageshow", move |e| {
        if platform::restored_from_cache(&e) {
            next_person(w, true);
        }
    });
    let visible = window_event_listener_untyped("visibilitychange", move |_| {
        let shown = web_sys::window()
            .and_then(|win| win.document())
            .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Visible);
        if shown {
            platform::keep_screen_on();
        }
    });
    on_cleanup(move || {
        if let Ok(tick) = tick {
            tick.clear();
        }
        for l in listeners {
            l.remove();
        }
        pageshow.remove();
        visible.remove();
    });
    // The screen moved on: that counts as activity, and a new screen starts its own time.
    Effect::new(move |_| {
        w.session.with(|s| std::mem::discriminant(&s.screen));
        ev.active();
    });
}

//! Event mode when it is not built in (the respondent's build, without the `event` feature):
//! the same names as `on.rs`, with types that cannot be made, so every event-mode branch
//! of the widget is known to be dead and compiled out. A page that asks for
//! `mode="event"` gets the event build from `embed.js`; this build refuses it (see `Root`).
use crate::app::context::Widget;
use crate::core::respond::context::Context;

/// This build has no event mode.
pub const BUILT_IN: bool = false;

/// The `data-survey-widget` hosts this build mounts at start: `embed.js` names each host's
/// build (`data-survey-widget-build`), so that on a page with both kinds each build mounts its
/// own. A host it does not name (a page that loads a build by hand) is mounted, and refused if
/// it is of the other kind.
pub const HOSTS: &str = "[data-survey-widget]:not([data-survey-widget-build=event])";

/// The DOM id prefix of this build's widget number `n`: `sw1`, `sw2`, … (the event
/// build's are `swe1`, …), so that ids and radio names stay unique on a page that runs both
/// builds.
pub fn instance(n: usize) -> String {
    format!("sw{n}")
}

/// Why a `mode="event"` widget is refused by this build.
pub const OTHER_BUILD: &str =
    "survey widget: mode=\"event\" needs the event build (survey-event-*.js), which embed.js loads";

/// No event can be set up in this build.
#[derive(Clone, Copy, Debug)]
pub enum Setup {}

/// No event is read in this build.
pub async fn read_setup() -> Option<Setup> {
    None
}

/// Never called: there is no setup to ask.
pub fn keeps_abandoned(setup: &Setup) -> bool {
    match *setup {}
}

/// No response of this build comes from an event.
pub fn context(_w: Widget) -> Option<Context> {
    None
}

/// Event mode's state, which this build never has.
#[derive(Clone, Copy)]
pub enum EventMode {}

impl EventMode {
    /// Never called: there is no setup to start from.
    pub fn new(setup: Setup, _console_url: Option<String>) -> Self {
        match setup {}
    }
}

/// Nothing to reset without event mode.
pub fn next_person(_w: Widget, _abandoned: bool) {}

/// Nothing to run without event mode.
pub fn run(_w: Widget) {}

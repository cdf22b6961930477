//! The seam between the respondent's build and event mode (issue #10): every item the rest of
//! the widget uses from event mode, named once below. The `event` feature builds `on.rs`;
//! without it, `off.rs` gives the same names with types that cannot be made, so every
//! event-mode branch of the respondent's build is known to be dead and compiled out.
#[cfg(not(feature = "event"))]
#[path = "off.rs"]
mod imp;
#[cfg(feature = "event")]
#[path = "on.rs"]
mod imp;

/// Only in event mode: the link that opens the officer console for this survey.
#[cfg(feature = "event")]
pub use imp::console_link;
pub use imp::{
    context, instance, keeps_abandoned, next_person, read_setup, run, EventMode, Setup, BUILT_IN, HOSTS, OTHER_BUILD,
};

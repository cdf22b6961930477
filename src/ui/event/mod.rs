//! The seam between the respondent's build and event mode in the components: what event mode
//! draws, named once below (`on.rs` with the `event` feature, `off.rs` without; see
//! `app/event/mod.rs`).
#[cfg(not(feature = "event"))]
#[path = "off.rs"]
mod imp;
#[cfg(feature = "event")]
#[path = "on.rs"]
mod imp;

pub use imp::{after_confirmation, idle_warning, screens_or_list, start_links};

//! GOV.UK Design System pieces that more than one entry point draws, one folder per component
//! as GOV.UK Frontend keeps them. Each takes its words from its caller (who has them from a
//! catalogue) and renders the Design System's markup with the `sw-` prefix; none calls the
//! browser.
pub mod error_summary;

pub use error_summary::{ErrorSummary, Problem};

//! GOV.UK Design System pieces that more than one entry point draws, one folder per component
//! as GOV.UK Frontend keeps them. Each takes its words from its caller (who has them from a
//! catalogue) and renders the Design System's markup with the `sw-` prefix; none calls the
//! browser.
//!
//! The officer console and the preview page draw all three, and the respondent's widget the
//! error summary (0.39 KB brotli more on a carer's first load than its own copy). The widget
//! keeps its own form groups (`ui/fields.rs`) and "Check your answers" list (`ui/mod.rs`),
//! whose error state follows a signal and whose rows carry `lang` and a Change link, and the
//! notification banner, which only it draws (`ui/notices.rs`).
pub mod error_summary;
pub mod form_group;
pub mod summary_list;

pub use error_summary::{ErrorSummary, Problem};
pub use form_group::{describedby, FormGroup};
pub use summary_list::SummaryRow;

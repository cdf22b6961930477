//! GOV.UK Design System pieces that more than one entry point draws, one folder per component
//! as GOV.UK Frontend keeps them. Each takes its words from its caller (who has them from a
//! catalogue) and renders the Design System's markup with the `sw-` prefix; none calls the
//! browser.
//!
//! The officer console and the preview page draw all three. The respondent's widget keeps its
//! own copies in `ui/` (the error summary in `ui/page.rs`, form groups in `ui/fields.rs`,
//! the summary list of "Check your answers" in `ui/mod.rs`) and the notification banner,
//! which only it draws, in `ui/notices.rs`: its groups' error state follows a signal and its
//! rows carry `lang` and a Change link, and the shared error summary alone measured 0.19 KB
//! brotli more on a carer's first load.
pub mod error_summary;
pub mod form_group;
pub mod summary_list;

pub use error_summary::{ErrorSummary, Problem};
pub use form_group::{describedby, FormGroup};
pub use summary_list::SummaryRow;

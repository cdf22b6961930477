//! GOV.UK's summary list: key and value pairs in a `<dl>`, one row each.
use leptos::prelude::*;

/// One row: the key's words, and the value (`children`) under the element id `id` when given,
/// so a test or a live update can find it.
#[component]
pub fn SummaryRow(
    /// The key's words.
    key: String,
    /// The value's id.
    #[prop(default = None)]
    id: Option<&'static str>,
    /// The value.
    children: Children,
) -> impl IntoView {
    view! {
        <div class="sw-summary-list__row">
            <dt class="sw-summary-list__key">{key}</dt>
            <dd class="sw-summary-list__value" id=id>{children()}</dd>
        </div>
    }
}

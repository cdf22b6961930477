//! The confirmation page's line about the response just completed: saved, being sent, or
//! received by the council, updated as sending happens.
use crate::app::context::Widget;
use crate::core::device::confirmation_keys;
use leptos::prelude::*;

/// The confirmation page's line about this response (saved, being sent, received) and what
/// happens next, as `core::device::confirmation_keys` decides.
#[component]
pub(super) fn DeliveryLine(reference: String) -> impl IntoView {
    let w = expect_context::<Widget>();
    let keys = Memo::new(move |_| {
        let d = w.saving.device.get();
        w.sync.deliveries.with(|list| {
            let status = list.iter().find(|x| x.reference == reference).map(|x| &x.status);
            confirmation_keys(d.completion, status, d.network, d.paused, w.event.is_some())
        })
    });
    // A live region, so "received by the council" is announced when it happens.
    view! {
        <p class="sw-body" role="status">{move || keys.get().0.map(|k| w.t(k))}</p>
        <h2 class="sw-heading-m">{w.t("done.next.heading")}</h2>
        <p class="sw-body">{move || w.t(keys.get().1)}</p>
    }
}

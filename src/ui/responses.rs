//! "Your responses on this device": each response's reference code and whether the council
//! has received it, updated as sending happens, and the line on the confirmation page.
use crate::app::storage::Completion;
use crate::app::{sync, Widget};
use crate::core::outbox::{Delivery, DeliveryStatus};
use crate::core::view::date_time;
use crate::platform;
use leptos::prelude::*;

fn status_text(w: Widget, status: &DeliveryStatus) -> String {
    match status {
        DeliveryStatus::Waiting => w.t("responses.waiting"),
        DeliveryStatus::Kept => w.t("responses.kept"),
        DeliveryStatus::NeedsAttention(code) => {
            let code = code.map_or_else(|| "?".to_owned(), |c| c.to_string());
            w.tf("responses.attention", &[("status", &code)])
        }
        DeliveryStatus::Received(at) => {
            let (date, hour, minute) = platform::local_time(*at);
            let when = w.catalogue.with_value(|c| date_time(date, hour, minute, c));
            w.tf("responses.received", &[("when", &when)])
        }
    }
}

/// Opens or closes the list, moving focus to the heading of what shows next.
pub(super) fn show_list(w: Widget, open: bool) {
    w.sync.showing_list.set(open);
    let title = if open {
        w.survey.with_value(|s| {
            w.tf(
                "title.page",
                &[("page", &w.t("responses.heading")), ("survey", &s.title)],
            )
        })
    } else {
        w.session.with_untracked(|s| {
            w.survey.with_value(|survey| {
                w.catalogue
                    .with_value(|c| crate::core::view::document_title(survey, s, c))
            })
        })
    };
    let target = w.dom_id("heading");
    request_animation_frame(move || {
        platform::set_title(&title);
        platform::focus(&target);
    });
    if open {
        leptos::task::spawn_local(sync::refresh_list(w));
    }
}

/// The link to the list, shown when this survey has responses on the device.
#[component]
pub(super) fn ResponsesLink(always: bool) -> impl IntoView {
    let w = expect_context::<Widget>();
    let shown = move || always || w.sync.deliveries.with(|d| !d.is_empty());
    view! {
        <p class="sw-body" hidden=move || !shown()>
            <button type="button" class="sw-link-button" on:click=move |_| show_list(w, true)>{w.t("responses.link")}</button>
        </p>
    }
}

/// The list of this survey's responses on the device.
#[component]
pub(super) fn ResponsesView() -> impl IntoView {
    let w = expect_context::<Widget>();
    let summary = move || {
        w.sync.deliveries.with(|list| {
            if list.is_empty() {
                return w.t("responses.none");
            }
            let received = list
                .iter()
                .filter(|d| matches!(d.status, DeliveryStatus::Received(_)))
                .count();
            w.tf(
                "responses.summary",
                &[("received", &received.to_string()), ("total", &list.len().to_string())],
            )
        })
    };
    let waiting = move || {
        w.sync.has_endpoint
            && w.sync
                .deliveries
                .with(|list| list.iter().any(|d| d.status == DeliveryStatus::Waiting))
    };
    let rows = move || {
        let rows = w
            .sync
            .deliveries
            .get()
            .into_iter()
            .map(|d: Delivery| {
                view! {
                    <tr class="sw-table__row">
                        <td class="sw-table__cell sw-reference-cell">{d.reference.clone()}</td>
                        <td class="sw-table__cell">{status_text(w, &d.status)}</td>
                    </tr>
                }
            })
            .collect_view();
        super::Fresh(rows)
    };
    view! {
        <div class="sw-page">
            <button type="button" class="sw-back-link" on:click=move |_| show_list(w, false)>{w.t("responses.back")}</button>
            <h1 class="sw-heading-l" id=w.dom_id("heading") tabindex="-1">{w.t("responses.heading")}</h1>
            // A live region: "2 of 3 received by the council" is announced as it changes.
            <p class="sw-body" role="status">{summary}</p>
            <table class="sw-table" hidden=move || w.sync.deliveries.with(Vec::is_empty)>
                <thead>
                    <tr class="sw-table__row">
                        <th scope="col" class="sw-table__header">{w.t("responses.reference")}</th>
                        <th scope="col" class="sw-table__header">{w.t("responses.status")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <button type="button" class="sw-button" hidden=move || !waiting() on:click=move |_| sync::send_now(w)>
                {w.t("responses.sendNow")}
            </button>
        </div>
    }
}

/// The confirmation page's line about this response: saved, waiting, received.
#[component]
pub(super) fn DeliveryLine(reference: String) -> impl IntoView {
    let w = expect_context::<Widget>();
    let key =
        move || match w.saving.device.with(|d| d.completion) {
            Completion::None | Completion::Unsaved => None,
            Completion::Saving => Some("done.saving"),
            Completion::Stored => Some(w.sync.deliveries.with(|list| {
                match list.iter().find(|d| d.reference == reference).map(|d| &d.status) {
                    Some(DeliveryStatus::Waiting) => "done.waiting",
                    Some(DeliveryStatus::Kept) => "done.kept",
                    Some(DeliveryStatus::NeedsAttention(_)) => "done.attention",
                    Some(DeliveryStatus::Received(_)) => "done.received",
                    None => "done.stored",
                }
            })),
        };
    // A live region, so "received by the council" is announced when it happens.
    view! { <p class="sw-body" role="status">{move || key().map(|k| w.t(k))}</p> }
}

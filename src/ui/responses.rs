//! "Your responses on this device": each response's reference code and whether the council
//! has received it, updated as sending happens.
use crate::app::context::Widget;
use crate::core::delivery::outbox::{Delivery, DeliveryStatus};
use crate::core::outcomes::Stage;
use crate::core::respond::view::date_time;
use leptos::prelude::*;

fn status_text(w: Widget, status: &DeliveryStatus, online: bool) -> String {
    match status {
        DeliveryStatus::Waiting if online => w.t("responses.sending"),
        DeliveryStatus::Waiting => w.t("responses.waiting"),
        DeliveryStatus::Kept => w.t("responses.kept"),
        DeliveryStatus::NeedsAttention(code) => {
            let code = code.map_or_else(|| "?".to_owned(), |c| c.to_string());
            w.tf("responses.attention", &[("status", &code)])
        }
        DeliveryStatus::Received(at) => {
            let (date, hour, minute) = w.local_time(*at);
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
                    .with_value(|c| crate::core::respond::view::document_title(survey, s, c))
            })
        })
    };
    let target = w.dom_id("heading");
    request_animation_frame(move || {
        w.set_title(&title);
        w.focus(&target);
    });
    if open {
        w.refresh_responses();
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
        let online = w.saving.device.with(|d| d.network.is_online());
        let status = w.outcomes.with(|kept| crate::core::outcomes::status(kept));
        let rows = w
            .sync
            .deliveries
            .get()
            .into_iter()
            .map(|d: Delivery| {
                let received = matches!(d.status, DeliveryStatus::Received(_));
                let stage = Stage::of(received, status.as_deref());
                view! {
                    // Two columns, the status over the steps: three were too narrow at 320 px
                    // (issue #21).
                    <tr class="sw-table__row">
                        <td class="sw-table__cell sw-reference-cell" dir="ltr">{d.reference.clone()}</td>
                        <td class="sw-table__cell sw-step-cell">
                            {status_text(w, &d.status, online)}
                            {super::outcomes::steps(w, stage)}
                        </td>
                    </tr>
                }
            })
            .collect_view();
        super::Fresh(rows)
    };
    let summary_id = w.dom_id("responses-summary");
    let focus_summary = summary_id.clone();
    view! {
        <div class="sw-page">
            <button type="button" class="sw-back-link" on:click=move |_| show_list(w, false)>{w.t("responses.back")}</button>
            <h1 class="sw-heading-l" id=w.dom_id("heading") tabindex="-1">{w.t("responses.heading")}</h1>
            // A live region: "2 of 3 received by the council" is announced as it changes.
            <p class="sw-body" role="status" id=summary_id tabindex="-1">{summary}</p>
            <table class="sw-table" hidden=move || w.sync.deliveries.with(Vec::is_empty)>
                <thead>
                    <tr class="sw-table__row">
                        <th scope="col" class="sw-table__header">{w.t("responses.reference")}</th>
                        <th scope="col" class="sw-table__header">{w.t("responses.progress")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            // Issue #8: the button goes once everything is sent, so focus moves to the summary,
            // which announces the progress, rather than falling to the page body.
            <button type="button" class="sw-button" hidden=move || !waiting() on:click=move |_| {
                w.send_now();
                w.focus(&focus_summary);
            }>
                {w.t("responses.sendNow")}
            </button>
            <super::outcomes::OutcomesView />
        </div>
    }
}

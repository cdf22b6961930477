//! What the person is told about their answers on this device: the status line (a polite
//! live region) and GOV.UK notification banners. Which banners show, and what they say, is
//! decided in `core::device::notices`; this module only draws them and runs their buttons.
use crate::app::context::Widget;
use crate::core::device::{notices, Action, DeviceState, Notice, Resumed};
use crate::core::{Command, Screen};
use leptos::prelude::*;

/// What the device holds and how saving goes, with what the view knows of the session.
fn device(w: Widget) -> DeviceState {
    let (on_start, done, has_answers) = w.session.with(|s| {
        (
            s.screen == Screen::Start,
            matches!(s.screen, Screen::Complete { .. }),
            s.answers.values().any(|a| !a.is_blank()),
        )
    });
    DeviceState {
        on_start,
        finished: done || w.sync.showing_list.get(),
        has_answers,
        ..w.saving.device.get()
    }
}

/// The one-line status: offline, back online, saved on this device, or a storage problem
/// (then, once the banner has explained it, with the download beside it).
#[component]
pub(super) fn StatusLine() -> impl IntoView {
    let w = expect_context::<Widget>();
    let state = Memo::new(move |_| {
        let d = device(w);
        w.locale.track();
        (
            d.status_key().map(|k| w.t(k)).unwrap_or_default(),
            d.offers_download(),
            w.t("risk.download"),
        )
    });
    // The region stays in the page so that changes to its text are announced.
    view! {
        <p class="sw-status" role="status" hidden=move || state.with(|s| s.0.is_empty())>{move || state.get().0}</p>
        <p class="sw-body" hidden=move || !state.get().1>
            <button type="button" class="sw-link-button" id=w.dom_id("download") on:click=move |_| run(w, Action::DownloadAnswers)>{move || state.get().2}</button>
        </p>
    }
}

fn run(w: Widget, action: Action) {
    let focus_later = |target: String| request_animation_frame(move || w.focus(&target));
    match action {
        Action::DownloadAnswers => w.download_answers(true),
        Action::DownloadEarlier => w.download_answers(false),
        Action::AskStartAgain => {
            w.saving.change(|d| d.resumed = Resumed::Confirming);
            focus_later(w.dom_id("resumed-body"));
        }
        Action::ConfirmStartAgain => {
            w.saving.change(|d| d.resumed = Resumed::No);
            w.dispatch.run(Command::StartAgain);
            w.saving.change(|d| d.note = Some("status.deleted"));
        }
        Action::KeepAnswers => {
            w.saving.change(|d| d.resumed = Resumed::Shown);
            focus_later(w.dom_id("resumed-title"));
        }
    }
}

/// One GOV.UK notification banner: a titled region, so it can be found by landmark.
fn banner(w: Widget, notice: Notice) -> impl IntoView {
    let title_id = w.dom_id(&format!("{}-title", notice.id));
    let labelled_by = title_id.clone();
    let buttons = notice.actions.iter().map(|&(key, action)| {
        let class = if action == Action::ConfirmStartAgain {
            "sw-button sw-button--warning"
        } else {
            "sw-button sw-button--secondary"
        };
        view! { <button type="button" class=class on:click=move |_| run(w, action)>{w.t(key)}</button> }
    });
    view! {
        <div class="sw-banner" role="region" aria-labelledby=labelled_by id=w.dom_id(notice.id)>
            <div class="sw-banner__header">
                <h2 class="sw-banner__title" id=title_id tabindex="-1">{w.t("banner.important")}</h2>
            </div>
            <div class="sw-banner__content">
                <p class="sw-banner__heading">{w.t(notice.heading)}</p>
                <div id=w.dom_id(&format!("{}-body", notice.id)) tabindex="-1">
                    {notice.body.iter().map(|key| view! { <p class="sw-body">{w.t(key)}</p> }).collect_view()}
                </div>
                <div class="sw-button-group">{buttons.collect_view()}</div>
            </div>
        </div>
    }
}

/// The banners above the current screen.
#[component]
pub(super) fn Banners() -> impl IntoView {
    let w = expect_context::<Widget>();
    let shown = Memo::new(move |_| notices(device(w)));
    move || {
        w.locale.track();
        super::Fresh(shown.get().into_iter().map(|n| banner(w, n)).collect_view())
    }
}

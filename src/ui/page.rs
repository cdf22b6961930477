//! A question page: Back, progress, error summary, the questions, Continue.
use super::fields::{PageState, QuestionField};
use super::BackLink;
use crate::app::context::Widget;
use crate::components::{self, Problem};
use crate::core::respond::view::{self as cv, ErrorItem};
use crate::core::Command;
use leptos::prelude::*;
use std::sync::Arc;

/// One question page of the survey.
#[component]
pub fn QuestionPage(index: usize) -> impl IntoView {
    let w = expect_context::<Widget>();
    let survey = w.survey.get_value();
    let page = survey.pages.get(index).cloned()?;
    let errors = Memo::new(move |_| {
        w.session.with(|s| {
            w.survey.with_value(|survey| {
                w.catalogue
                    .with_value(|c| w.instance.with_value(|i| cv::error_items(survey, s, i, c)))
            })
        })
    });
    let visibility = Memo::new(move |_| {
        w.session
            .with(|s| w.survey.with_value(|survey| Arc::new(s.visibility(survey))))
    });
    let state = PageState { errors, visibility };
    let progress = Memo::new(move |_| {
        w.session.with(|s| {
            w.survey
                .with_value(|survey| w.catalogue.with_value(|c| cv::progress_text(survey, s, c)))
        })
    });
    let (heading, single) = cv::page_heading(&survey, index).unwrap_or_default();
    let lang = if single { None } else { page.lang.clone() };
    let page_heading = (!single)
        .then(|| view! { <h1 class="sw-heading-l" id=w.dom_id("heading") tabindex="-1" lang=lang>{heading}</h1> });
    let questions = page
        .questions
        .into_iter()
        .map(|q| view! { <QuestionField question=q heading=single state /> })
        .collect_view();
    Some(view! {
        <div class="sw-page">
            <BackLink />
            // GOV.UK order: the error summary first, then the caption with the heading.
            <ErrorSummary errors />
            <p class="sw-caption" hidden=move || progress.with(Option::is_none)>{move || progress.get()}</p>
            {page_heading}
            <form class="sw-form" novalidate on:submit=move |ev| {
                ev.prevent_default();
                w.dispatch.run(Command::Continue);
            }>
                {questions}
                <button type="submit" class="sw-button">{w.t("nav.continue")}</button>
            </form>
        </div>
    })
}

/// "There is a problem" with a link to each control in error (the shared GOV.UK component);
/// takes focus when shown.
#[component]
fn ErrorSummary(errors: Memo<Vec<ErrorItem>>) -> impl IntoView {
    let w = expect_context::<Widget>();
    let title_id = w.dom_id("error-summary-title");
    let title = w.t("errors.title");
    let summary_id = w.dom_id("error-summary");
    // Focus the control without touching the host page's URL.
    let on_link = Callback::new(move |target: String| w.focus(&target));
    // Rebuilt whole when the errors change (only on Continue), which also makes screen
    // readers announce the alert afresh.
    move || {
        let items = errors.get();
        super::Fresh((!items.is_empty()).then(|| {
            let problems = items
                .into_iter()
                .map(|item| Problem {
                    text: item.message,
                    target: item.control_id,
                })
                .collect();
            view! {
                <components::ErrorSummary id=summary_id.clone() title=title.clone() problems
                    title_id=Some(title_id.clone()) on_link=Some(on_link) />
            }
        }))
    }
}

//! GOV.UK's error summary: "There is a problem", then one link per problem to the control at
//! fault. It sits at the top of the page, carries `role="alert"` on an inner element so that
//! screen readers announce it when it appears, and takes `tabindex="-1"` so the caller can move
//! focus to it (by its `id`).
use leptos::prelude::*;

/// One line of the summary.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// The words.
    pub text: String,
    /// The id of the control at fault, which the line links to.
    pub target: String,
}

/// The error summary. `title_id`, when given, labels the summary by its title; `intro` is a
/// paragraph between the title and the list; `on_link`, when given, is run with a link's
/// target instead of following it (to move focus without touching the page's URL).
#[component]
pub fn ErrorSummary(
    /// The summary's id, for moving focus to it.
    id: String,
    /// "There is a problem", or the caller's own title.
    title: String,
    /// The problems, in the order of the page.
    problems: Vec<Problem>,
    /// Labels the summary by its title.
    #[prop(default = None)]
    title_id: Option<String>,
    /// A paragraph under the title.
    #[prop(default = None)]
    intro: Option<String>,
    /// Runs instead of following a link.
    #[prop(default = None)]
    on_link: Option<Callback<String>>,
) -> impl IntoView {
    let items = problems
        .into_iter()
        .map(|p| {
            let href = format!("#{}", p.target);
            let target = p.target;
            let click = move |ev: leptos::ev::MouseEvent| {
                if let Some(run) = on_link {
                    ev.prevent_default();
                    run.run(target.clone());
                }
            };
            view! { <li><a class="sw-error-summary__link" href=href on:click=click>{p.text}</a></li> }
        })
        .collect_view();
    let labelled_by = title_id.clone();
    view! {
        <div class="sw-error-summary" id=id tabindex="-1" aria-labelledby=labelled_by>
            <div role="alert">
                <h2 class="sw-error-summary__title" id=title_id>{title}</h2>
                {intro.map(|text| view! { <p class="sw-body">{text}</p> })}
                <ul class="sw-error-summary__list">{items}</ul>
            </div>
        </div>
    }
}

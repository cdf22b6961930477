//! GOV.UK's form group: the label, then the hint and the error message a control points to
//! with `aria-describedby`, then the control. The group takes the error style when there is
//! an error, and the message starts with a visually hidden prefix ("Error:") so a screen
//! reader says what kind of text it is.
use crate::core::respond::field::described_by;
use leptos::prelude::*;

/// The ids a control in a [`FormGroup`] with this `id` is described by: its hint's and its
/// error's, when it has them.
pub fn describedby(id: &str, hint: bool, error: bool) -> Option<String> {
    described_by(&[hint.then(|| format!("{id}-hint")), error.then(|| format!("{id}-error"))])
}

/// A label, an optional hint and error, and the control (`children`), whose id is `id`.
#[component]
pub fn FormGroup(
    /// The control's id, which the label is for; the hint and error take `{id}-hint` and
    /// `{id}-error`.
    id: String,
    /// The label's words.
    label: String,
    /// A hint under the label.
    #[prop(default = None)]
    hint: Option<String>,
    /// The error message, with the caller's hidden prefix ("Error:", from its catalogue).
    #[prop(default = None)]
    error: Option<(String, String)>,
    /// The control.
    children: Children,
) -> impl IntoView {
    let class = if error.is_some() {
        "sw-form-group sw-form-group--error"
    } else {
        "sw-form-group"
    };
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    view! {
        <div class=class>
            <label class="sw-label" for=id>{label}</label>
            {hint.map(|h| view! { <div class="sw-hint" id=hint_id>{h}</div> })}
            {error.map(|(prefix, e)| view! {
                <p class="sw-error-message" id=error_id><span class="sw-visually-hidden">{prefix}" "</span>{e}</p>
            })}
            {children()}
        </div>
    }
}

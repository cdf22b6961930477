//! The markup of each control a question can have (`core::respond::field::Control`), following
//! the GOV.UK Design System: visible labels, fieldset and legend for groups, hint then error
//! in `aria-describedby`. What to draw and which edit each input makes are decided in core.
use super::ExternalLink;
use crate::app::context::Widget;
use crate::core::respond::field::{self, Control, InputView};
use crate::core::respond::session::Visibility;
use crate::core::respond::view::{DomIds, ErrorItem};
use crate::core::survey::definition::{Choice, Question};
use crate::core::survey::validate::Target;
use crate::core::{Answer, Command, DatePart, Edit};
use leptos::either::{Either, EitherOf6};
use leptos::prelude::*;
use std::sync::Arc;
use std::time::Duration;

/// Page-wide state each question reads.
#[derive(Clone, Copy)]
pub(super) struct PageState {
    /// Errors from the last Continue, with their words and targets.
    pub errors: Memo<Vec<ErrorItem>>,
    /// What is shown for the current answers.
    pub visibility: Memo<Arc<Visibility>>,
}

/// A question, shown while its condition holds.
#[component]
pub(super) fn QuestionField(question: Question, heading: bool, state: PageState) -> impl IntoView {
    let w = expect_context::<Widget>();
    let ids = Arc::new(DomIds::new(&w.instance.get_value(), &question.id));
    let (q1, q2, q3) = (question.id.clone(), question.id.clone(), question.id.clone());
    let visible = Memo::new(move |_| state.visibility.with(|v| v.questions.contains(&q1)));
    let answer = Memo::new(move |_| w.session.with(|s| s.answers.get(&q2).cloned()));
    let errors = Memo::new(move |_| {
        state
            .errors
            .with(|es| es.iter().filter(|e| e.question == q3).cloned().collect::<Vec<_>>())
    });
    let main_error = Memo::new(move |_| {
        errors.with(|es| {
            es.iter()
                // Row and "Other" errors show beside their own controls, not on the group.
                .find(|e| !matches!(e.target, Target::Row(_) | Target::Other))
                .map(|e| e.message.clone())
        })
    });
    let field = Field {
        w,
        q: Arc::new(question),
        ids,
        answer,
        errors,
        main_error,
        heading,
    };
    // Rendered untracked: only the nested closures follow answers, so typing never rebuilds
    // (and never unfocuses) a control.
    let id = field.q.id.0.clone();
    move || {
        super::Fresh(visible.get().then(|| {
            let id = id.clone();
            untrack(|| view! { <div class="sw-question" data-question=id>{render(field.clone())}</div> })
        }))
    }
}

#[derive(Clone)]
struct Field {
    w: Widget,
    q: Arc<Question>,
    ids: Arc<DomIds>,
    answer: Memo<Option<Answer>>,
    errors: Memo<Vec<ErrorItem>>,
    main_error: Memo<Option<String>>,
    heading: bool,
}

impl Field {
    fn edit(&self, edit: Edit) {
        self.w.dispatch.run(Command::Edit {
            question: self.q.id.clone(),
            edit,
        });
    }

    /// The question as asked, in its own language, then "(optional)" in the widget's.
    fn title(&self) -> impl IntoView + use<> {
        let optional =
            (!self.q.required && self.q.kind.is_answerable()).then(|| format!(" {}", self.w.t("question.optional")));
        view! { <span lang=self.q.lang.clone()>{self.q.title.clone()}</span>{optional} }
    }

    fn hint(&self) -> Option<impl IntoView + use<>> {
        let hint = self.q.hint.clone()?;
        Some(view! { <div class="sw-hint" id=self.ids.hint() lang=self.q.hint_lang.clone()>{hint}</div> })
    }

    /// `aria-describedby` for the control: hint, then `extra` (e.g. a character count), then
    /// the error when there is one.
    fn described_by(&self, extra: Option<String>) -> impl Fn() -> Option<String> + Send + Sync + 'static {
        let (ids, has_hint, main_error) = (self.ids.clone(), self.q.hint.is_some(), self.main_error);
        move || {
            let error = main_error.with(Option::is_some).then(|| ids.error());
            field::described_by(&[has_hint.then(|| ids.hint()), extra.clone(), error])
        }
    }

    fn error(&self) -> impl IntoView {
        error_view(self.ids.error(), self.w.t("errors.prefix"), self.main_error)
    }

    fn group_class(&self) -> impl Fn() -> &'static str + Send + Sync + 'static {
        let main_error = self.main_error;
        move || {
            if main_error.with(Option::is_some) {
                "sw-form-group sw-form-group--error"
            } else {
                "sw-form-group"
            }
        }
    }

    fn invalid(&self) -> impl Fn() -> Option<&'static str> + Send + Sync + 'static {
        let main_error = self.main_error;
        move || main_error.with(Option::is_some).then_some("true")
    }

    /// The legend of a group; on a one-question page it holds the page's `h1`.
    fn legend(&self) -> impl IntoView {
        if self.heading {
            Either::Left(view! {
                <legend class="sw-fieldset__legend sw-fieldset__legend--l">
                    <h1 class="sw-fieldset__heading" id=self.w.dom_id("heading") tabindex="-1">{self.title()}</h1>
                </legend>
            })
        } else {
            Either::Right(view! { <legend class="sw-fieldset__legend sw-fieldset__legend--m">{self.title()}</legend> })
        }
    }

    /// The label of a single control; on a one-question page it sits in the page's `h1`.
    fn label(&self) -> impl IntoView {
        if self.heading {
            Either::Left(view! {
                <h1 class="sw-label-wrapper" id=self.w.dom_id("heading") tabindex="-1">
                    <label class="sw-label sw-label--l" for=self.ids.input()>{self.title()}</label>
                </h1>
            })
        } else {
            Either::Right(view! { <label class="sw-label sw-label--m" for=self.ids.input()>{self.title()}</label> })
        }
    }

    fn text_value(&self) -> impl Fn() -> String + Send + Sync + 'static {
        let answer = self.answer;
        move || answer.with(|a| field::text(a.as_ref()).to_owned())
    }
}

fn render(f: Field) -> impl IntoView {
    let shared = f.w.shared_device();
    let q = f.q.clone();
    match field::control(&q.kind, q.texts_lang.as_ref(), &f.w.messages(), shared) {
        Control::Input(input) => EitherOf6::A(text_input(f, input)),
        Control::LongText { max } => EitherOf6::B(long_text(f, max)),
        Control::Date => EitherOf6::C(date_input(f)),
        Control::Group(g) => {
            let after = match (&g.other, g.link) {
                (Some(other), _) => Some(other_details(&f, other.clone())),
                (None, Some(link)) => {
                    let link = link.clone();
                    Some(view! { <p class="sw-body"><ExternalLink link /></p> }.into_any())
                }
                (None, None) => None,
            };
            let kind = if g.multiple { "checkbox" } else { "radio" };
            EitherOf6::D(group(f, kind, g.class, g.choices, after, g.divider))
        }
        Control::Grid { statements, scale } => EitherOf6::E(likert(f, statements.to_vec(), scale.to_vec())),
        Control::Info { body, links } => EitherOf6::F(info(f, body.to_vec(), links.to_vec())),
    }
}

fn text_input(f: Field, input: InputView<'_>) -> impl IntoView {
    let InputView {
        input_type,
        inputmode,
        autocomplete,
        spellcheck,
        suffix,
        width,
        dir,
    } = input;
    let autocomplete = autocomplete.map(str::to_owned);
    let class = {
        let main_error = f.main_error;
        move || {
            format!(
                "sw-input {width}{}",
                if main_error.with(Option::is_some) {
                    " sw-input--error"
                } else {
                    ""
                }
            )
        }
    };
    let g = f.clone();
    let suffix = suffix.map(|s| view! { <div class="sw-input__suffix" aria-hidden="true">{s.to_owned()}</div> });
    view! {
        <div class=f.group_class()>
            {f.label()}
            {f.hint()}
            {f.error()}
            <div class="sw-input__wrapper">
                <input class=class id=f.ids.input() name=f.ids.input() type=input_type inputmode=inputmode
                    autocomplete=autocomplete spellcheck=spellcheck dir=dir
                    aria-describedby=f.described_by(None) aria-invalid=f.invalid()
                    prop:value=f.text_value()
                    on:input:target=move |ev| g.edit(Edit::Text(ev.target().value())) />
                {suffix}
            </div>
        </div>
    }
}

fn long_text(f: Field, max: u32) -> impl IntoView {
    let count_id = format!("{}-info", f.ids.input());
    let answer = f.answer;
    let w = f.w;
    let used = Memo::new(move |_| answer.with(|a| field::characters_used(a.as_ref())));
    let count_for = move |used: usize| field::character_count(used, max, &w.messages());
    let count_text = move || count_for(used.get());
    let over = move || used.get() > max as usize;
    let class = {
        let main_error = f.main_error;
        move || {
            if main_error.with(Option::is_some) || over() {
                "sw-textarea sw-textarea--error"
            } else {
                "sw-textarea"
            }
        }
    };
    // As GOV.UK's character count does, screen readers hear the count once typing pauses,
    // not on every key.
    let announced = RwSignal::new(String::new());
    let pending: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);
    let cancel = move || {
        if let Some(handle) = pending.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    };
    // Issue #8: the timer reads this field's signals, so it must never outlive the field
    // (Continue or Back within the second after typing used to panic in the wasm).
    on_cleanup(cancel);
    let g = f.clone();
    let on_input = move |text: String| {
        g.edit(Edit::Text(text));
        cancel();
        // Cleared when the field goes (above); should a timer fire anyway (a fake clock's ids do
        // not fit Leptos's i32 handle, so clearing misses), it finds the field gone.
        let announce = move || {
            if let Some(n) = used.try_get_untracked() {
                announced.set(count_for(n));
            }
        };
        let handle = set_timeout_with_handle(announce, Duration::from_millis(1000)).ok();
        pending.set_value(handle);
    };
    view! {
        <div class=f.group_class()>
            {f.label()}
            {f.hint()}
            {f.error()}
            <textarea class=class id=f.ids.input() name=f.ids.input() rows="5" dir="auto"
                aria-describedby=f.described_by(Some(count_id.clone())) aria-invalid=f.invalid()
                prop:value=f.text_value()
                on:input:target=move |ev| on_input(ev.target().value())></textarea>
            <div class="sw-hint sw-character-count__message" id=count_id>
                <span class="sw-visually-hidden">{w.tf("count.limit", &[("max", &max.to_string())])}". "</span>
                <span aria-hidden="true" class=move || if over() { "sw-character-count--over" } else { "" }>{count_text}</span>
            </div>
            <div class="sw-visually-hidden" aria-live="polite">{move || announced.get()}</div>
        </div>
    }
}

fn date_input(f: Field) -> impl IntoView {
    let answer = f.answer;
    let errors = f.errors;
    let boxes = [
        (DatePart::Day, "day", "date.day", 2),
        (DatePart::Month, "month", "date.month", 2),
        (DatePart::Year, "year", "date.year", 4),
    ]
    .into_iter()
    .map(|(which, name, key, width)| {
        let id = f.ids.part(name);
        let g = f.clone();
        let target = match which {
            DatePart::Day => Target::Day,
            DatePart::Month => Target::Month,
            DatePart::Year => Target::Year,
        };
        // GOV.UK marks the boxes at fault; a whole-date error marks all three.
        let class = move || {
            let bad = errors.with(|es| es.iter().any(|e| e.target == target || e.target == Target::WholeDate));
            format!(
                "sw-input sw-date-input__input sw-input--width-{width}{}",
                if bad { " sw-input--error" } else { "" }
            )
        };
        let value = move || answer.with(|a| field::date_part(a.as_ref(), which).to_owned());
        view! {
            <div class="sw-date-input__item">
                <label class="sw-label sw-date-input__label" for=id.clone()>{f.w.t(key)}</label>
                <input class=class id=id.clone() name=id type="text" inputmode="numeric"
                    prop:value=value
                    on:input:target=move |ev| g.edit(Edit::DatePart(which, ev.target().value())) />
            </div>
        }
    })
    .collect_view();
    view! {
        <div class=f.group_class()>
            <fieldset class="sw-fieldset" role="group" aria-describedby=f.described_by(None)>
                {f.legend()}
                {f.hint()}
                {f.error()}
                <div class="sw-date-input" id=f.ids.input()>{boxes}</div>
            </fieldset>
        </div>
    }
}

/// The values ticked or chosen in a group (for a Likert row, that row's), as one list, so that
/// every radio and checkbox renders through the same code.
fn selected_values(answer: Memo<Option<Answer>>, row: Option<String>) -> Memo<Vec<String>> {
    Memo::new(move |_| answer.with(|a| field::selected(a.as_ref(), row.as_deref())))
}

/// What ticking or choosing `value` means for this question (and Likert row).
fn choice_edit(f: &Field, row: Option<String>) -> Callback<(String, bool)> {
    let g = f.clone();
    Callback::new(move |(value, on): (String, bool)| g.edit(field::choice_edit(&g.q.kind, row.as_deref(), value, on)))
}

/// One radio or checkbox, GOV.UK style.
fn option_item(
    kind: &'static str,
    id: String,
    name: String,
    choice: Choice,
    selected: Memo<Vec<String>>,
    on_change: Callback<(String, bool)>,
) -> impl IntoView {
    let hint_id = format!("{id}-item-hint");
    let (value, v2) = (choice.value.clone(), choice.value.clone());
    let described = choice.hint.is_some().then(|| hint_id.clone());
    let lang = choice.lang;
    let hint_lang = choice.hint_lang;
    let hint = choice
        .hint
        .map(|h| view! { <div class="sw-hint sw-option__hint" id=hint_id lang=hint_lang>{h}</div> });
    let (item, input, label) = if kind == "radio" {
        ("sw-radios__item", "sw-radios__input", "sw-label sw-radios__label")
    } else {
        (
            "sw-checkboxes__item",
            "sw-checkboxes__input",
            "sw-label sw-checkboxes__label",
        )
    };
    view! {
        <div class=item>
            <input class=input id=id.clone() name=name type=kind value=value.clone() aria-describedby=described
                prop:checked=move || selected.with(|s| s.contains(&value))
                on:change:target=move |ev| on_change.run((v2.clone(), ev.target().checked())) />
            <label class=label for=id lang=lang>{choice.label}</label>
            {hint}
        </div>
    }
}

/// A radio or checkbox group in a fieldset. `after` is shown after the options (the "Other"
/// details box or a privacy link), and `divider` puts GOV.UK's "or" before the option at
/// that index ("None of these").
fn group(
    f: Field,
    kind: &'static str,
    class: &'static str,
    choices: Vec<Choice>,
    after: Option<AnyView>,
    divider: Option<usize>,
) -> impl IntoView {
    let selected = selected_values(f.answer, None);
    let on_change = choice_edit(&f, None);
    let name = f.ids.input();
    let or = f.w.t("choice.or");
    let items = choices
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let divider =
                (divider == Some(i)).then(|| view! { <div class="sw-checkboxes__divider">{or.clone()}</div> });
            view! { {divider}{option_item(kind, f.ids.option(i), name.clone(), c, selected, on_change)} }
        })
        .collect_view();
    view! {
        <div class=f.group_class()>
            <fieldset class="sw-fieldset" aria-describedby=f.described_by(None)>
                {f.legend()}
                {f.hint()}
                {f.error()}
                <div class=class>{items}</div>
                {after}
            </fieldset>
        </div>
    }
}

/// The "Please give details" box revealed under a chosen "Other" radio.
fn other_details(f: &Field, other_value: String) -> AnyView {
    let selected = selected_values(f.answer, None);
    let errors = f.errors;
    let other_error =
        Memo::new(move |_| errors.with(|es| es.iter().find(|e| e.target == Target::Other).map(|e| e.message.clone())));
    let (label, prefix, other_id, answer, g) = (
        f.w.t("choice.other.details"),
        f.w.t("errors.prefix"),
        f.ids.other(),
        f.answer,
        f.clone(),
    );
    let error_id = format!("{other_id}-error");
    view! {
        <div class="sw-radios__conditional" hidden=move || selected.with(|s| !s.contains(&other_value))>
            <div class=move || if other_error.with(Option::is_some) { "sw-form-group sw-form-group--error" } else { "sw-form-group" }>
                <label class="sw-label" for=other_id.clone()>{label}</label>
                {error_view(error_id.clone(), prefix, other_error)}
                <input class="sw-input sw-input--width-20" id=other_id.clone() name=other_id type="text" dir="auto"
                    aria-describedby=move || other_error.with(Option::is_some).then(|| error_id.clone())
                    prop:value=move || answer.with(|a| field::other_text(a.as_ref()).to_owned())
                    on:input:target=move |ev| g.edit(Edit::OtherText(ev.target().value())) />
            </div>
        </div>
    }
    .into_any()
}

/// An error message that appears when `message` has one.
fn error_view(id: String, prefix: String, message: Memo<Option<String>>) -> impl IntoView {
    move || {
        super::Fresh(message.get().map(|m| {
            view! { <p class="sw-error-message" id=id.clone()><span class="sw-visually-hidden">{prefix.clone()}" "</span>{m}</p> }
        }))
    }
}

fn likert(f: Field, statements: Vec<crate::core::survey::definition::Statement>, scale: Vec<Choice>) -> impl IntoView {
    let errors = f.errors;
    let prefix = f.w.t("errors.prefix");
    let heading = if f.heading {
        Either::Left(view! { <h1 class="sw-heading-l" id=f.w.dom_id("heading") tabindex="-1">{f.title()}</h1> })
    } else {
        Either::Right(view! { <h2 class="sw-heading-m">{f.title()}</h2> })
    };
    let hint_id = f.q.hint.as_ref().map(|_| f.ids.hint());
    let rows = statements
        .into_iter()
        .map(|s| {
            let error_id = f.ids.row_error(&s.id);
            let row_error = {
                let target = Target::Row(s.id.clone());
                Memo::new(move |_| errors.with(|es| es.iter().find(|e| e.target == target).map(|e| e.message.clone())))
            };
            let selected = selected_values(f.answer, Some(s.id.clone()));
            let on_change = choice_edit(&f, Some(s.id.clone()));
            let name = format!("{}-{}", f.ids.input(), s.id);
            let options = scale
                .iter()
                .enumerate()
                .map(|(i, c)| option_item("radio", f.ids.row_option(&s.id, i), name.clone(), c.clone(), selected, on_change))
                .collect_view();
            let (e1, hint_id) = (error_id.clone(), hint_id.clone());
            view! {
                <div class=move || if row_error.with(Option::is_some) { "sw-form-group sw-form-group--error sw-likert__row" } else { "sw-form-group sw-likert__row" }>
                    <fieldset class="sw-fieldset"
                        aria-describedby=move || field::described_by(&[hint_id.clone(), row_error.with(Option::is_some).then(|| e1.clone())])>
                        <legend class="sw-fieldset__legend sw-fieldset__legend--s" lang=s.lang.clone()>{s.text.clone()}</legend>
                        {error_view(error_id, prefix.clone(), row_error)}
                        <div class="sw-radios sw-scale">{options}</div>
                    </fieldset>
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="sw-likert">
            {heading}
            {f.hint()}
            {rows}
        </div>
    }
}

fn info(f: Field, body: Vec<String>, links: Vec<crate::core::survey::definition::Link>) -> impl IntoView {
    let heading = if f.heading {
        Either::Left(view! { <h1 class="sw-heading-l" id=f.w.dom_id("heading") tabindex="-1">{f.title()}</h1> })
    } else {
        Either::Right(view! { <h2 class="sw-heading-m">{f.title()}</h2> })
    };
    let (hint_lang, lang) = (f.q.hint_lang.clone(), f.q.texts_lang.clone());
    view! {
        <div class="sw-info">
            {heading}
            {f.q.hint.clone().map(|h| view! { <p class="sw-hint" lang=hint_lang>{h}</p> })}
            {body.into_iter().map(|p| view! { <p class="sw-body" lang=lang.clone()>{p}</p> }).collect_view()}
            {(!links.is_empty()).then(|| view! {
                <ul class="sw-list">{links.into_iter().map(|link| view! { <li><ExternalLink link /></li> }).collect_view()}</ul>
            })}
        </div>
    }
}

//! One component per question type, following GOV.UK Design System markup: visible labels,
//! fieldset and legend for groups, hint then error in `aria-describedby`.
use super::page::PageState;
use super::ExternalLink;
use crate::app::Widget;
use crate::core::definition::{Choice, Question, QuestionKind};
use crate::core::validate::Target;
use crate::core::view::{DomIds, ErrorItem};
use crate::core::{Answer, Command, DatePart, Edit};
use leptos::prelude::*;
use std::sync::Arc;

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
                .find(|e| !matches!(e.target, Target::Row(_)))
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
        visible.get().then(|| {
            let id = id.clone();
            untrack(|| view! { <div class="sw-question" data-question=id>{render(field.clone())}</div> })
        })
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

    fn title(&self) -> String {
        if self.q.required || !self.q.kind.is_answerable() {
            self.q.title.clone()
        } else {
            format!("{} {}", self.q.title, self.w.t("question.optional"))
        }
    }

    fn hint(&self) -> Option<AnyView> {
        let hint = self.q.hint.clone()?;
        Some(view! { <div class="sw-hint" id=self.ids.hint()>{hint}</div> }.into_any())
    }

    /// `aria-describedby` for the control: hint, then `extra` (e.g. a character count), then
    /// the error when there is one.
    fn described_by(&self, extra: Option<String>) -> impl Fn() -> Option<String> + Send + Sync + 'static {
        let (ids, has_hint, main_error) = (self.ids.clone(), self.q.hint.is_some(), self.main_error);
        move || {
            let mut parts: Vec<String> = Vec::new();
            if has_hint {
                parts.push(ids.hint());
            }
            parts.extend(extra.clone());
            if main_error.with(Option::is_some) {
                parts.push(ids.error());
            }
            (!parts.is_empty()).then(|| parts.join(" "))
        }
    }

    fn error(&self) -> impl IntoView {
        let (id, prefix, main_error) = (self.ids.error(), self.w.t("errors.prefix"), self.main_error);
        move || {
            main_error.get().map(|m| {
                view! { <p class="sw-error-message" id=id.clone()><span class="sw-visually-hidden">{prefix.clone()}" "</span>{m}</p> }
            })
        }
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
    fn legend(&self) -> AnyView {
        if self.heading {
            view! {
                <legend class="sw-fieldset__legend sw-fieldset__legend--l">
                    <h1 class="sw-fieldset__heading" id=self.w.dom_id("heading") tabindex="-1">{self.title()}</h1>
                </legend>
            }
            .into_any()
        } else {
            view! { <legend class="sw-fieldset__legend sw-fieldset__legend--m">{self.title()}</legend> }.into_any()
        }
    }

    /// The label of a single control; on a one-question page it sits in the page's `h1`.
    fn label(&self) -> AnyView {
        if self.heading {
            view! {
                <h1 class="sw-label-wrapper" id=self.w.dom_id("heading") tabindex="-1">
                    <label class="sw-label sw-label--l" for=self.ids.input()>{self.title()}</label>
                </h1>
            }
            .into_any()
        } else {
            view! { <label class="sw-label sw-label--m" for=self.ids.input()>{self.title()}</label> }.into_any()
        }
    }

    fn text_value(&self) -> impl Fn() -> String + Send + Sync + 'static {
        let answer = self.answer;
        move || {
            answer.with(|a| match a {
                Some(Answer::Text { value }) => value.clone(),
                _ => String::new(),
            })
        }
    }

    fn chosen(&self) -> Memo<String> {
        let answer = self.answer;
        Memo::new(move |_| {
            answer.with(|a| match a {
                Some(Answer::Choice { value, .. }) => value.clone(),
                _ => String::new(),
            })
        })
    }
}

fn render(f: Field) -> AnyView {
    match f.q.kind.clone() {
        QuestionKind::ShortText { autocomplete, .. } => {
            text_input(f, "text", None, autocomplete, None, "sw-input--width-20")
        }
        QuestionKind::Email => text_input(f, "email", None, Some("email".into()), None, "sw-input--width-30"),
        QuestionKind::Phone => text_input(f, "tel", None, Some("tel".into()), None, "sw-input--width-20"),
        QuestionKind::Number { integer, suffix, .. } => {
            let mode = if integer { "numeric" } else { "decimal" };
            text_input(f, "text", Some(mode), None, suffix, "sw-input--width-5")
        }
        QuestionKind::LongText { max_length, .. } => long_text(f, max_length),
        QuestionKind::Date { .. } => date_input(f),
        QuestionKind::SingleChoice { choices, other } => radios(f, choices, other, false, None),
        QuestionKind::YesNo => {
            let choices = vec![
                Choice {
                    value: "yes".into(),
                    label: f.w.t("answer.yes"),
                    hint: None,
                },
                Choice {
                    value: "no".into(),
                    label: f.w.t("answer.no"),
                    hint: None,
                },
            ];
            radios(f, choices, None, true, None)
        }
        QuestionKind::Rating {
            min,
            max,
            min_label,
            max_label,
        } => {
            let choices = (min..=max)
                .map(|n| Choice {
                    value: n.to_string(),
                    label: n.to_string(),
                    hint: None,
                })
                .collect();
            let ends = match (min_label, max_label) {
                (Some(lo), Some(hi)) => Some(f.w.tf(
                    "rating.ends",
                    &[
                        ("min", &min.to_string()),
                        ("minLabel", &lo),
                        ("max", &max.to_string()),
                        ("maxLabel", &hi),
                    ],
                )),
                _ => None,
            };
            radios(f, choices, None, true, ends)
        }
        QuestionKind::MultipleChoice { choices, none, .. } => checkboxes(f, choices, none),
        QuestionKind::Likert { statements, scale } => likert(f, statements, scale),
        QuestionKind::Consent { label, privacy_notice } => consent(f, label, privacy_notice),
        QuestionKind::Info { body, links } => info(f, body, links),
    }
}

fn text_input(
    f: Field,
    kind: &'static str,
    inputmode: Option<&'static str>,
    autocomplete: Option<String>,
    suffix: Option<String>,
    width: &'static str,
) -> AnyView {
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
    let spellcheck = matches!(kind, "email" | "tel").then_some("false");
    let g = f.clone();
    let input = view! {
        <input class=class id=f.ids.input() name=f.ids.input() type=kind inputmode=inputmode
            autocomplete=autocomplete spellcheck=spellcheck
            aria-describedby=f.described_by(None) aria-invalid=f.invalid()
            prop:value=f.text_value()
            on:input:target=move |ev| g.edit(Edit::Text(ev.target().value())) />
    };
    let control = match suffix {
        Some(s) => view! { <div class="sw-input__wrapper">{input}<div class="sw-input__suffix" aria-hidden="true">{s}</div></div> }.into_any(),
        None => input.into_any(),
    };
    view! {
        <div class=f.group_class()>
            {f.label()}
            {f.hint()}
            {f.error()}
            {control}
        </div>
    }
    .into_any()
}

fn long_text(f: Field, max: u32) -> AnyView {
    let count_id = format!("{}-info", f.ids.input());
    let answer = f.answer;
    let w = f.w;
    let used = Memo::new(move |_| {
        answer.with(|a| match a {
            Some(Answer::Text { value }) => value.trim().chars().count(),
            _ => 0,
        })
    });
    let count_text = move || {
        let used = used.get();
        let max = max as usize;
        match used.cmp(&max) {
            std::cmp::Ordering::Greater if used - max == 1 => w.t("count.over.one"),
            std::cmp::Ordering::Greater => w.tf("count.over.many", &[("count", &(used - max).to_string())]),
            _ if max - used == 1 => w.t("count.remaining.one"),
            _ => w.tf("count.remaining.many", &[("count", &(max - used).to_string())]),
        }
    };
    let over = move || used.get() > max as usize;
    let class = {
        let main_error = f.main_error;
        move || {
            format!(
                "sw-textarea{}",
                if main_error.with(Option::is_some) || over() {
                    " sw-textarea--error"
                } else {
                    ""
                }
            )
        }
    };
    let g = f.clone();
    view! {
        <div class=f.group_class()>
            {f.label()}
            {f.hint()}
            {f.error()}
            <textarea class=class id=f.ids.input() name=f.ids.input() rows="5"
                aria-describedby=f.described_by(Some(count_id.clone())) aria-invalid=f.invalid()
                prop:value=f.text_value()
                on:input:target=move |ev| g.edit(Edit::Text(ev.target().value()))></textarea>
            <div class="sw-hint sw-character-count__message" id=count_id>
                <span class="sw-visually-hidden">{w.tf("count.limit", &[("max", &max.to_string())])}". "</span>
                <span aria-hidden="true" class=move || if over() { "sw-character-count--over" } else { "" }>{count_text}</span>
            </div>
        </div>
    }
    .into_any()
}

fn date_input(f: Field) -> AnyView {
    let answer = f.answer;
    let errors = f.errors;
    let part = move |which: DatePart| {
        answer.with(|a| match a {
            Some(Answer::Date { day, month, year }) => match which {
                DatePart::Day => day.clone(),
                DatePart::Month => month.clone(),
                DatePart::Year => year.clone(),
            },
            _ => String::new(),
        })
    };
    let boxes = [
        (DatePart::Day, "day", "date.day", "sw-input--width-2", "bday-day"),
        (
            DatePart::Month,
            "month",
            "date.month",
            "sw-input--width-2",
            "bday-month",
        ),
        (DatePart::Year, "year", "date.year", "sw-input--width-4", "bday-year"),
    ]
    .into_iter()
    .map(|(which, name, key, width, _)| {
        let id = f.ids.part(name);
        let g = f.clone();
        let target = match which {
            DatePart::Day => Target::Day,
            DatePart::Month => Target::Month,
            DatePart::Year => Target::Year,
        };
        // GOV.UK marks only the boxes at fault; a whole-date error marks all three.
        let class = move || {
            let bad = errors.with(|es| es.iter().any(|e| e.target == target || e.target == Target::WholeDate));
            format!(
                "sw-input sw-date-input__input {width}{}",
                if bad { " sw-input--error" } else { "" }
            )
        };
        view! {
            <div class="sw-date-input__item">
                <label class="sw-label sw-date-input__label" for=id.clone()>{f.w.t(key)}</label>
                <input class=class id=id.clone() name=id type="text" inputmode="numeric"
                    prop:value=move || part(which)
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
    .into_any()
}

fn radio_item(f: &Field, chosen: Memo<String>, choice: Choice, index: usize, name: String) -> impl IntoView {
    let id = f.ids.option(index);
    let hint_id = format!("{id}-item-hint");
    let value = choice.value.clone();
    let v2 = value.clone();
    let g = f.clone();
    let hint = choice
        .hint
        .clone()
        .map(|h| view! { <div class="sw-hint sw-radios__hint" id=hint_id.clone()>{h}</div> });
    view! {
        <div class="sw-radios__item">
            <input class="sw-radios__input" id=id.clone() name=name type="radio" value=value.clone()
                aria-describedby=choice.hint.is_some().then(|| hint_id.clone())
                prop:checked=move || chosen.with(|c| c == &value)
                on:change=move |_| g.edit(Edit::Choose(v2.clone())) />
            <label class="sw-label sw-radios__label" for=id>{choice.label}</label>
            {hint}
        </div>
    }
}

fn radios(f: Field, choices: Vec<Choice>, other: Option<Choice>, inline: bool, ends: Option<String>) -> AnyView {
    let chosen = f.chosen();
    let name = f.ids.input();
    let count = choices.len();
    let items = choices
        .into_iter()
        .enumerate()
        .map(|(i, c)| radio_item(&f, chosen, c, i, name.clone()))
        .collect_view();
    let other_view = other.map(|o| {
        let other_value = o.value.clone();
        let label = f.w.t("choice.other.details");
        let other_id = f.ids.other();
        let answer = f.answer;
        let g = f.clone();
        let errors = f.errors;
        let error_id = format!("{other_id}-error");
        let prefix = f.w.t("errors.prefix");
        let other_error = Memo::new(move |_| errors.with(|es| es.iter().find(|e| e.target == Target::Other).map(|e| e.message.clone())));
        let item = radio_item(&f, chosen, o, count, name.clone());
        let (eid, eid2) = (error_id.clone(), error_id.clone());
        view! {
            {item}
            {move || chosen.with(|c| c == &other_value).then(|| {
                let (eid, eid2, prefix, g) = (eid.clone(), eid2.clone(), prefix.clone(), g.clone());
                untrack(|| view! {
                <div class="sw-radios__conditional">
                    <div class=move || if other_error.with(Option::is_some) { "sw-form-group sw-form-group--error" } else { "sw-form-group" }>
                        <label class="sw-label" for=other_id.clone()>{label.clone()}</label>
                        {move || other_error.get().map(|m| view! { <p class="sw-error-message" id=eid.clone()><span class="sw-visually-hidden">{prefix.clone()}" "</span>{m}</p> })}
                        <input class="sw-input sw-input--width-20" id=other_id.clone() name=other_id.clone() type="text"
                            aria-describedby=move || other_error.with(Option::is_some).then(|| eid2.clone())
                            prop:value=move || answer.with(|a| match a { Some(Answer::Choice { other, .. }) => other.clone(), _ => String::new() })
                            on:input:target=move |ev| g.edit(Edit::OtherText(ev.target().value())) />
                    </div>
                </div>
                })
            })}
        }
    });
    let ends_id = format!("{}-ends", f.ids.input());
    let ends_view = ends.map(|e| view! { <div class="sw-hint" id=ends_id.clone()>{e}</div> });
    let class = if inline {
        "sw-radios sw-radios--inline"
    } else {
        "sw-radios"
    };
    let described_by = f.described_by(ends_view.as_ref().map(|_| ends_id.clone()));
    view! {
        <div class=f.group_class()>
            <fieldset class="sw-fieldset" aria-describedby=described_by>
                {f.legend()}
                {f.hint()}
                {ends_view}
                {f.error()}
                <div class=class>{items}{other_view}</div>
            </fieldset>
        </div>
    }
    .into_any()
}

fn checkboxes(f: Field, choices: Vec<Choice>, none: Option<Choice>) -> AnyView {
    let answer = f.answer;
    let selected = Memo::new(move |_| {
        answer.with(|a| match a {
            Some(Answer::Choices { values }) => values.clone(),
            _ => Vec::new(),
        })
    });
    let item = |c: Choice, i: usize, exclusive: bool| {
        let id = f.ids.option(i);
        let hint_id = format!("{id}-item-hint");
        let (value, v2) = (c.value.clone(), c.value.clone());
        let g = f.clone();
        let hint = c
            .hint
            .clone()
            .map(|h| view! { <div class="sw-hint sw-checkboxes__hint" id=hint_id.clone()>{h}</div> });
        view! {
            <div class="sw-checkboxes__item">
                <input class="sw-checkboxes__input" id=id.clone() name=f.ids.input() type="checkbox" value=value.clone()
                    data-exclusive=exclusive.then_some("true")
                    aria-describedby=c.hint.is_some().then(|| hint_id.clone())
                    prop:checked=move || selected.with(|s| s.contains(&value))
                    on:change:target=move |ev| g.edit(Edit::Toggle(v2.clone(), ev.target().checked())) />
                <label class="sw-label sw-checkboxes__label" for=id>{c.label}</label>
                {hint}
            </div>
        }
    };
    let count = choices.len();
    let items = choices
        .into_iter()
        .enumerate()
        .map(|(i, c)| item(c, i, false))
        .collect_view();
    let none_view =
        none.map(|n| view! { <div class="sw-checkboxes__divider">{f.w.t("choice.or")}</div> {item(n, count, true)} });
    view! {
        <div class=f.group_class()>
            <fieldset class="sw-fieldset" aria-describedby=f.described_by(None)>
                {f.legend()}
                {f.hint()}
                {f.error()}
                <div class="sw-checkboxes">{items}{none_view}</div>
            </fieldset>
        </div>
    }
    .into_any()
}

fn likert(f: Field, statements: Vec<crate::core::definition::Statement>, scale: Vec<Choice>) -> AnyView {
    let answer = f.answer;
    let errors = f.errors;
    let prefix = f.w.t("errors.prefix");
    let heading = if f.heading {
        view! { <h1 class="sw-heading-l" id=f.w.dom_id("heading") tabindex="-1">{f.title()}</h1> }.into_any()
    } else {
        view! { <h2 class="sw-heading-m">{f.title()}</h2> }.into_any()
    };
    let rows = statements
        .into_iter()
        .map(|s| {
            let sid = s.id.clone();
            let error_id = f.ids.row_error(&s.id);
            let row_error = {
                let sid = sid.clone();
                Memo::new(move |_| errors.with(|es| es.iter().find(|e| e.target == Target::Row(sid.clone())).map(|e| e.message.clone())))
            };
            let chosen = {
                let sid = sid.clone();
                Memo::new(move |_| answer.with(|a| match a {
                    Some(Answer::Matrix { rows }) => rows.get(&sid).cloned().unwrap_or_default(),
                    _ => String::new(),
                }))
            };
            let name = format!("{}-{}", f.ids.input(), s.id);
            let options = scale
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let id = f.ids.row_option(&s.id, i);
                    let (value, v2, sid) = (c.value.clone(), c.value.clone(), sid.clone());
                    let g = f.clone();
                    view! {
                        <div class="sw-radios__item">
                            <input class="sw-radios__input" id=id.clone() name=name.clone() type="radio" value=value.clone()
                                prop:checked=move || chosen.with(|c| c == &value)
                                on:change=move |_| g.edit(Edit::Row(sid.clone(), v2.clone())) />
                            <label class="sw-label sw-radios__label" for=id>{c.label.clone()}</label>
                        </div>
                    }
                })
                .collect_view();
            let (e1, e2, prefix) = (error_id.clone(), error_id.clone(), prefix.clone());
            let hint_id = f.q.hint.as_ref().map(|_| f.ids.hint());
            view! {
                <div class=move || if row_error.with(Option::is_some) { "sw-form-group sw-form-group--error sw-likert__row" } else { "sw-form-group sw-likert__row" }>
                    <fieldset class="sw-fieldset"
                        aria-describedby=move || {
                            let parts: Vec<String> = hint_id.clone().into_iter().chain(row_error.with(Option::is_some).then(|| e1.clone())).collect();
                            (!parts.is_empty()).then(|| parts.join(" "))
                        }>
                        <legend class="sw-fieldset__legend sw-fieldset__legend--s">{s.text.clone()}</legend>
                        {move || row_error.get().map(|m| view! { <p class="sw-error-message" id=e2.clone()><span class="sw-visually-hidden">{prefix.clone()}" "</span>{m}</p> })}
                        <div class="sw-radios sw-radios--inline sw-radios--small">{options}</div>
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
    .into_any()
}

fn consent(f: Field, label: String, privacy: Option<crate::core::definition::Link>) -> AnyView {
    let answer = f.answer;
    let g = f.clone();
    let id = f.ids.input();
    let link = privacy.map(|link| view! { <p class="sw-body">{ view! { <ExternalLink link /> } }</p> });
    view! {
        <div class=f.group_class()>
            <fieldset class="sw-fieldset" aria-describedby=f.described_by(None)>
                {f.legend()}
                {f.hint()}
                {link}
                {f.error()}
                <div class="sw-checkboxes">
                    <div class="sw-checkboxes__item">
                        <input class="sw-checkboxes__input" id=id.clone() name=id.clone() type="checkbox" value="yes"
                            prop:checked=move || matches!(answer.get(), Some(Answer::Consent { given: true }))
                            on:change:target=move |ev| g.edit(Edit::Consent(ev.target().checked())) />
                        <label class="sw-label sw-checkboxes__label" for=id>{label}</label>
                    </div>
                </div>
            </fieldset>
        </div>
    }
    .into_any()
}

fn info(f: Field, body: Vec<String>, links: Vec<crate::core::definition::Link>) -> AnyView {
    let heading = if f.heading {
        view! { <h1 class="sw-heading-l" id=f.w.dom_id("heading") tabindex="-1">{f.q.title.clone()}</h1> }.into_any()
    } else {
        view! { <h2 class="sw-heading-m">{f.q.title.clone()}</h2> }.into_any()
    };
    view! {
        <div class="sw-info">
            {heading}
            {f.q.hint.clone().map(|h| view! { <p class="sw-hint">{h}</p> })}
            {body.into_iter().map(|p| view! { <p class="sw-body">{p}</p> }).collect_view()}
            {(!links.is_empty()).then(|| view! {
                <ul class="sw-list">{links.into_iter().map(|link| view! { <li><ExternalLink link /></li> }).collect_view()}</ul>
            })}
        </div>
    }
    .into_any()
}

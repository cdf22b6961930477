//! editor.html (issue #25): shaping a survey without writing JSON. GOV.UK Forms' way: a task
//! list for the survey, then one question at a time (the kind of answer, the question and its
//! hint, the options, a check of the question with its live preview), routes on a page of
//! their own, and a check of the whole survey with GOV.UK's guidance, previews at phone and
//! computer widths, downloads and the JSON one click away. Its own wasm, beside preview.html
//! in the artefact: a respondent's page never loads it. Every survey being shaped is saved on
//! the device after each change, so it survives a reload with no signal.
//!
//! The rules are `core::author`'s; this file holds the page's state and renders it.
use leptos::html::Iframe;
use leptos::prelude::*;
use serde_json::Value;
use std::sync::Arc;
use survey_widget::components::{describedby, ErrorSummary, FormGroup, Problem};
use survey_widget::core::author::comments::{self, Comments, Decided, Item};
use survey_widget::core::author::draft::{self, Details, Direction, Refused, Route, Status};
use survey_widget::core::author::question::{has_options, QuestionForm, KINDS};
use survey_widget::core::author::store::Saved;
use survey_widget::core::author::translations::changed_sources;
use survey_widget::core::survey::advice::advise;
use survey_widget::core::survey::load::{load_survey_value, side_by_side};
use survey_widget::core::survey::routes::never_true;
use survey_widget::core::survey::sheet::{csv, files, from_workbook, to_workbook};
use survey_widget::core::text::json;
use survey_widget::core::Catalogue;
use survey_widget::platform::{self, console_error, editor, preview};

const MESSAGES: &str = include_str!("en.json");
/// The advice's words are the preview page's, so both pages say the same.
const ADVICE: &str = include_str!("../preview/en.json");

/// The languages the widget has its own words in, which a survey may add: (code, name, right
/// to left).
const LANGUAGES: [(&str, &str, bool); 2] = [("cy", "Cymraeg", false), ("ur", "اردو", true)];

/// The page being shown.
#[derive(Clone, Debug, PartialEq)]
enum Screen {
    Start,
    Tasks,
    Details,
    Questions,
    Kind,
    Text,
    Options,
    Review,
    Routes,
    Route(String),
    Languages,
    Check,
    Advanced,
    Print,
    /// Co-design: the officer's list of comments to decide.
    Comments,
    /// Co-design, for someone commenting (`editor.html?comment`): their name and the file.
    CommentStart,
    /// Co-design: comments and suggested words, question by question.
    Commenting,
}

/// The page's state: every screen reads and changes these.
#[derive(Clone, Copy)]
struct Ed {
    screen: RwSignal<Screen>,
    survey: RwSignal<Value>,
    /// The survey's key on the device; empty before one is opened.
    key: RwSignal<String>,
    /// The question being added or changed, and its id when changed.
    pending: RwSignal<QuestionForm>,
    editing: RwSignal<Option<String>>,
    /// The current form's problems: (field id, message).
    problems: RwSignal<Vec<(String, String)>>,
    /// A success message for the screen shown next.
    notice: RwSignal<String>,
    /// Whether the device saved the last change.
    saving: RwSignal<String>,
    drafts: RwSignal<Vec<Saved>>,
    /// Rows of an opened spreadsheet that were not taken.
    left_out: RwSignal<Vec<String>>,
    /// Texts whose translations need reading again, by their default-language words.
    needs_check: RwSignal<Vec<String>>,
    /// Co-design suggestions decided, kept with the survey.
    history: RwSignal<Vec<Decided>>,
    /// Co-design comments opened and not yet decided: who, and what.
    incoming: RwSignal<Vec<(String, Item)>>,
    /// The comments being written in comment mode.
    commenting: RwSignal<Comments>,
}

impl Ed {
    fn go(self, screen: Screen) {
        self.problems.set(Vec::new());
        self.screen.set(screen);
        request_animation_frame(|| platform::focus("ed-heading"));
    }

    /// Shows problems, focusing their summary.
    fn refuse(self, problems: Vec<(String, String)>) {
        self.problems.set(problems);
        request_animation_frame(|| platform::focus("ed-problems"));
    }

    /// Changes the survey and saves it on the device.
    fn change(self, f: impl FnOnce(&mut Value)) {
        let before = self.survey.get_untracked();
        self.survey.update(f);
        let changed = changed_sources(&before, &self.survey.get_untracked());
        if !changed.is_empty() {
            self.needs_check.update(|n| {
                for text in changed {
                    if !n.contains(&text) {
                        n.push(text);
                    }
                }
            });
        }
        self.save();
    }

    fn save(self) {
        let saved = Saved {
            key: self.key.get_untracked(),
            saved_at: platform::now_ms(),
            survey: draft::to_file(&self.survey.get_untracked()),
            needs_check: self.needs_check.get_untracked(),
            history: self.history.get_untracked(),
        };
        if saved.key.is_empty() {
            return;
        }
        leptos::task::spawn_local(async move {
            let result = editor::save(&saved).await.map_err(|e| e.to_string());
            let _ = self.saving.try_set(result.err().unwrap_or_default());
        });
    }

    fn open(self, survey: Value) {
        let key = platform::random_bytes::<8>()
            .map(|b| b.iter().map(|x| format!("{x:02x}")).collect::<String>())
            .unwrap_or_else(|_| format!("{}", platform::now_ms()));
        self.key.set(key);
        self.survey.set(survey);
        self.needs_check.set(Vec::new());
        self.history.set(Vec::new());
        self.incoming.set(Vec::new());
        self.save();
        self.go(Screen::Tasks);
    }

    fn refresh_drafts(self) {
        leptos::task::spawn_local(async move {
            match editor::list().await {
                Ok(list) => {
                    let _ = self.drafts.try_set(list);
                }
                Err(e) => console_error(&format!("editor: {e}")),
            }
        });
    }
}

/// A refusal in words.
fn refusal(cat: &Catalogue, survey: &Value, refused: &Refused) -> String {
    let title_of = |id: &str| {
        draft::rows(survey)
            .into_iter()
            .find(|r| r.id == id)
            .map_or(id.to_owned(), |r| r.title)
    };
    match refused {
        Refused::AtEnd => cat.format("refused.atEnd", &[]),
        Refused::RouteOrder(id) => cat.format("refused.routeOrder", &[("title", &title_of(id))]),
        Refused::DependedOn(ids) => {
            let names: Vec<String> = ids.iter().map(|id| format!("“{}”", title_of(id))).collect();
            cat.format("refused.dependedOn", &[("questions", &names.join(", "))])
        }
        _ => cat.get("refused.badRoute").to_owned(),
    }
}

/// Sends a survey to a preview frame.
fn post(frame: &NodeRef<Iframe>, definition: &str) {
    if let Some(frame) = frame.get_untracked() {
        preview::post_to_frame(&frame, definition);
    }
}

/// The preview at a phone's width and a computer's, marked as a draft, kept up to date.
fn frames(cat: &Catalogue, definition: Signal<String>, caption: String) -> impl IntoView {
    let phone = NodeRef::<Iframe>::new();
    let desktop = NodeRef::<Iframe>::new();
    Effect::new(move |_| {
        let d = definition.get();
        post(&phone, &d);
        post(&desktop, &d);
    });
    let frame = move |node: NodeRef<Iframe>, class: &'static str, title: String| {
        // The phone frame keeps its 375 px and scrolls inside its figure on a narrow screen,
        // so the keyboard must reach it (WCAG 2.1.1).
        let scrolls = class.contains("phone").then_some("0");
        view! {
            <figure class=class tabindex=scrolls>
                <figcaption>{title.clone()}</figcaption>
                <iframe node_ref=node title=title src="frame.html?preview"
                    on:load=move |_| post(&node, &definition.get_untracked()) />
            </figure>
        }
    };
    view! {
        <h2 class="sw-heading-m">{caption}</h2>
        <div class="pv-frames">
            {frame(phone, "pv-frame pv-frame--phone", cat.get("preview.phone").to_owned())}
            {frame(desktop, "pv-frame pv-frame--desktop", cat.get("preview.desktop").to_owned())}
        </div>
    }
}

/// Opens a question to change, at its check page.
fn edit_question(ed: Ed, id: &str) {
    let survey = ed.survey.get_untracked();
    let lang = draft::default_language(&survey);
    if let Some(q) = draft::question(&survey, id) {
        ed.pending.set(QuestionForm::read(q, &lang));
        ed.editing.set(Some(id.to_owned()));
        ed.notice.set(String::new());
        ed.go(Screen::Review);
    }
}

/// The file input an event came from.
fn file_input(ev: &web_sys::Event) -> Option<web_sys::HtmlInputElement> {
    ev.target()
        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok())
}

/// The back link, GOV.UK's, as a button: the page has no addresses of its own.
fn back(cat: &Catalogue, ed: Ed, to: Screen) -> impl IntoView {
    view! { <button type="button" class="sw-back-link sw-link-button" on:click=move |_| ed.go(to.clone())>{cat.get("back").to_owned()}</button> }
}

/// The error summary for the current problems, each linked to its field.
fn problems_summary(cat: &Catalogue, ed: Ed) -> impl IntoView {
    let title = cat.get("error.title").to_owned();
    move || {
        let problems = ed.problems.get();
        (!problems.is_empty()).then(|| {
            let problems = problems
                .into_iter()
                .map(|(target, text)| Problem { text, target })
                .collect();
            view! { <ErrorSummary id="ed-problems".to_owned() title=title.clone() problems /> }
        })
    }
}

/// The error message of a field, for its form group.
fn field_error(cat: &Catalogue, ed: Ed, field: &str) -> Option<(String, String)> {
    // Tracked: call it only inside the closure that renders the field, so a problem redraws
    // its field and not the whole screen (which would lose what was typed elsewhere).
    ed.problems.with(|problems| {
        problems
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| (cat.get("error.prefix").to_owned(), m.clone()))
    })
}

fn banner(ed: Ed) -> impl IntoView {
    move || {
        let text = ed.notice.get();
        (!text.is_empty())
            .then(|| view! { <div class="sw-inset-text ed-notice" role="status"><p class="sw-body">{text}</p></div> })
    }
}

fn saving_line(cat: &Catalogue, ed: Ed) -> impl IntoView {
    let cat = cat.clone();
    move || {
        let failed = ed.saving.get();
        if failed.is_empty() {
            view! { <p class="sw-hint" id="ed-saved">{cat.get("saved.device").to_owned()}</p> }.into_any()
        } else {
            view! { <p class="pv-warning" role="alert">{cat.format("saved.failed", &[("reason", &failed)])}</p> }
                .into_any()
        }
    }
}

fn kind_name(cat: &Catalogue, kind: &str) -> String {
    cat.get(&format!("kind.{kind}")).to_owned()
}

fn start(cat: Arc<Catalogue>, ed: Ed) -> impl IntoView {
    ed.refresh_drafts();
    let title = RwSignal::new(String::new());
    let c = cat.clone();
    let create = move |_| {
        let t = title.get_untracked();
        if t.trim().is_empty() {
            ed.refuse(vec![("ed-new-title".into(), c.get("error.newTitle").to_owned())]);
            return;
        }
        ed.left_out.set(Vec::new());
        ed.open(draft::new_survey(&t));
    };
    let c = cat.clone();
    let list = move || {
        let drafts = ed.drafts.get();
        if drafts.is_empty() {
            return view! { <p class="sw-body" id="ed-drafts">{c.get("start.none").to_owned()}</p> }.into_any();
        }
        let rows = drafts
            .into_iter()
            .map(|d| {
                let value = json::parse(&d.survey).unwrap_or(Value::Null);
                let name = draft::details(&value).title;
                let (date, h, m) = platform::local_time(d.saved_at);
                let when = format!("{date} {h:02}:{m:02}");
                let (key, key2) = (d.key.clone(), d.key.clone());
                let needs_check = d.needs_check.clone();
                let history = d.history.clone();
                let hidden = format!(": {name}");
                view! {
                    <tr class="sw-table__row">
                        <th scope="row" class="sw-table__header">{name.clone()}</th>
                        <td class="sw-table__cell">{when}</td>
                        <td class="sw-table__cell">
                            <button type="button" class="sw-link-button" on:click=move |_| {
                                ed.key.set(key.clone());
                                ed.survey.set(value.clone());
                                ed.needs_check.set(needs_check.clone());
                                ed.history.set(history.clone());
                                ed.incoming.set(Vec::new());
                                ed.left_out.set(Vec::new());
                                ed.go(Screen::Tasks);
                            }>{c.get("start.open").to_owned()}<span class="sw-visually-hidden">{hidden.clone()}</span></button>
                            " "
                            <button type="button" class="sw-link-button" on:click=move |_| {
                                let key = key2.clone();
                                leptos::task::spawn_local(async move {
                                    if let Err(e) = editor::delete(&key).await {
                                        console_error(&format!("editor: {e}"));
                                    }
                                    ed.refresh_drafts();
                                });
                            }>{c.get("start.delete").to_owned()}<span class="sw-visually-hidden">{hidden}</span></button>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="sw-table" id="ed-drafts">
                <caption class="sw-visually-hidden">{c.get("start.drafts").to_owned()}</caption>
                <thead><tr class="sw-table__row">
                    <th scope="col" class="sw-table__header">{c.get("start.survey").to_owned()}</th>
                    <th scope="col" class="sw-table__header">{c.get("start.savedAt").to_owned()}</th>
                    <th scope="col" class="sw-table__header"><span class="sw-visually-hidden">{c.get("start.open").to_owned()}</span></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    let c = cat.clone();
    let on_file = move |ev: web_sys::Event| {
        let Some(input) = file_input(&ev) else {
            return;
        };
        let name = input
            .files()
            .and_then(|f| f.get(0))
            .map(|f| f.name())
            .unwrap_or_default();
        let c = c.clone();
        leptos::task::spawn_local(async move {
            let lower = name.to_ascii_lowercase();
            let spreadsheet = [".xlsx", ".xls", ".ods"].iter().any(|e| lower.ends_with(e));
            let read = if spreadsheet {
                editor::read_chosen_bytes(&input)
                    .await
                    .map(|bytes| (String::new(), Some(bytes)))
            } else {
                preview::read_chosen_file(&input).await.map(|text| (text, None))
            };
            let (text, bytes) = match read {
                Ok(r) => r,
                Err(reason) => {
                    ed.refuse(vec![("ed-file".into(), c.format("error.file", &[("reason", &reason)]))]);
                    return;
                }
            };
            if spreadsheet || lower.ends_with(".csv") {
                let book = match bytes {
                    Some(bytes) => files::read(bytes),
                    None => csv::parse(&text).map_err(|e| e.to_string()),
                };
                let imported = book.and_then(|book| from_workbook(&book).map_err(|e| e.to_string()));
                match imported {
                    Ok(i) => {
                        let lines = i
                            .left_out
                            .iter()
                            .map(|l| {
                                c.format(
                                    "start.leftOutItem",
                                    &[
                                        ("sheet", &l.sheet),
                                        ("row", &l.row.to_string()),
                                        ("reason", &l.reason.to_string()),
                                    ],
                                )
                            })
                            .collect();
                        ed.left_out.set(lines);
                        ed.open(i.survey);
                    }
                    Err(reason) => ed.refuse(vec![("ed-file".into(), c.format("error.file", &[("reason", &reason)]))]),
                }
            } else {
                match json::parse(&text) {
                    Ok(v @ Value::Object(_)) => {
                        ed.left_out.set(Vec::new());
                        ed.open(v);
                    }
                    _ => ed.refuse(vec![("ed-file".into(), c.get("error.fileJson").to_owned())]),
                }
            }
        });
    };
    let c = cat.clone();
    let title_group = move || {
        let error = field_error(&c, ed, "ed-new-title");
        let described = describedby("ed-new-title", true, error.is_some());
        view! {
            <FormGroup id="ed-new-title".to_owned() label=c.get("start.newTitle").to_owned()
                hint=Some(c.get("start.newTitle.hint").to_owned()) error>
                <input type="text" class="sw-input" id="ed-new-title" spellcheck="true" aria-describedby=described
                    prop:value=move || title.get() on:input:target=move |ev| title.set(ev.target().value()) />
            </FormGroup>
        }
    };
    let c = cat.clone();
    let file_group = move || {
        let error = field_error(&c, ed, "ed-file");
        let described = describedby("ed-file", true, error.is_some());
        let on_file = on_file.clone();
        view! {
            <FormGroup id="ed-file".to_owned() label=c.get("start.file").to_owned()
                hint=Some(c.get("start.file.hint").to_owned()) error>
                <input type="file" id="ed-file" accept=".json,.csv,.xlsx,.xls,.ods" aria-describedby=described
                    on:change=on_file />
            </FormGroup>
        }
    };
    view! {
        {problems_summary(&cat, ed)}
        <h1 class="sw-heading-xl" id="ed-heading" tabindex="-1">{cat.get("title").to_owned()}</h1>
        <p class="sw-body">{cat.get("intro").to_owned()}</p>
        {banner(ed)}
        <h2 class="sw-heading-l">{cat.get("start.drafts").to_owned()}</h2>
        {list}
        <h2 class="sw-heading-l">{cat.get("start.new").to_owned()}</h2>
        {title_group}
        <button type="button" class="sw-button" id="ed-create" on:click=create>{cat.get("start.create").to_owned()}</button>
        <h2 class="sw-heading-l">{cat.get("start.file").to_owned()}</h2>
        {file_group}
    }
}

fn tasks(cat: Arc<Catalogue>, ed: Ed) -> impl IntoView {
    let c = cat.clone();
    let items = move || {
        let survey = ed.survey.get();
        let count = draft::rows(&survey).len();
        draft::tasks(&survey)
            .into_iter()
            .enumerate()
            .map(|(n, (task, status))| {
                let name = match task {
                    "questions" => format!("{} ({count})", c.get("tasks.questions")),
                    other => c.get(&format!("tasks.{other}")).to_owned(),
                };
                let to = match task {
                    "details" => Screen::Details,
                    "questions" => Screen::Questions,
                    "routes" => Screen::Routes,
                    "languages" => Screen::Languages,
                    _ => Screen::Check,
                };
                let tag_id = format!("ed-task-{task}-status");
                let blocked = status == Status::CannotStart;
                let tag_class = match status {
                    Status::Completed => "sw-tag",
                    _ => "sw-tag sw-tag--grey",
                };
                let label = format!("{}. {name}", n + 1);
                view! {
                    <li class="ed-task">
                        {if blocked {
                            view! { <span class="ed-task__name">{label}</span> }.into_any()
                        } else {
                            view! {
                                <button type="button" class="sw-link-button ed-task__name" id=format!("ed-task-{task}")
                                    aria-describedby=tag_id.clone() on:click=move |_| ed.go(to.clone())>{label}</button>
                            }
                            .into_any()
                        }}
                        <strong class=tag_class id=tag_id>{c.get(status.key()).to_owned()}</strong>
                    </li>
                }
            })
            .collect_view()
    };
    let c = cat.clone();
    let left_out = move || {
        let lines = ed.left_out.get();
        (!lines.is_empty()).then(|| {
            let items = lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view();
            view! {
                <div class="sw-warning" id="ed-left-out">
                    <p class="sw-body">{c.get("start.leftOut").to_owned()}</p>
                    <ul class="sw-list">{items}</ul>
                </div>
            }
        })
    };
    let c_comments = cat.clone();
    view! {
        {back(&cat, ed, Screen::Start)}
        {problems_summary(&cat, ed)}
        <span class="sw-caption">{cat.get("tasks.caption").to_owned()}</span>
        <h1 class="sw-heading-xl" id="ed-heading" tabindex="-1">{move || draft::details(&ed.survey.get()).title}</h1>
        {saving_line(&cat, ed)}
        {banner(ed)}
        {left_out}
        <p class="sw-body">{cat.get("tasks.intro").to_owned()}</p>
        <ol class="ed-tasks">{items}</ol>
        <h2 class="sw-heading-m">{cat.get("tasks.share").to_owned()}</h2>
        <p class="sw-body">{cat.get("tasks.share.intro").to_owned()}</p>
        <ul class="sw-list">
            <li><button type="button" class="sw-link-button" id="ed-for-comment" on:click={
                let c = cat.clone();
                move |_| {
                    let survey = ed.survey.get_untracked();
                    if let Err(e) = platform::download(&file_name(&survey, "draft.json"), "application/json", &draft::to_file(&survey)) {
                        ed.refuse(vec![("ed-for-comment".into(), c.format("error.download", &[("reason", &e.to_string())]))]);
                    }
                }
            }>{cat.get("tasks.forComment").to_owned()}</button></li>
            <li><button type="button" class="sw-link-button" id="ed-comments" on:click=move |_| ed.go(Screen::Comments)>
                {move || {
                    let n = ed.incoming.get().len();
                    if n == 0 { c_comments.get("tasks.comments").to_owned() } else { c_comments.format("tasks.commentsWaiting", &[("count", &n.to_string())]) }
                }}</button></li>
            <li><button type="button" class="sw-link-button" id="ed-large-print" on:click=move |_| ed.go(Screen::Print)>{cat.get("tasks.print").to_owned()}</button></li>
        </ul>
    }
}

fn details(cat: Arc<Catalogue>, ed: Ed) -> impl IntoView {
    let d = draft::details(&ed.survey.get_untracked());
    let title = RwSignal::new(d.title);
    let description = RwSignal::new(d.description);
    let privacy_text = RwSignal::new(d.privacy_text);
    let privacy_href = RwSignal::new(d.privacy_href);
    let c = cat.clone();
    let save = move |_| {
        let d = Details {
            title: title.get_untracked(),
            description: description.get_untracked(),
            privacy_text: privacy_text.get_untracked(),
            privacy_href: privacy_href.get_untracked(),
        };
        let mut problems = Vec::new();
        if d.title.trim().is_empty() {
            problems.push(("ed-title".to_owned(), c.get("error.title.empty").to_owned()));
        }
        let href = d.privacy_href.trim();
        if !d.privacy_text.trim().is_empty() && !href.starts_with("https://")
            || !href.is_empty() && !href.starts_with("https://")
        {
            problems.push(("ed-privacy-href".to_owned(), c.get("error.privacyHref").to_owned()));
        }
        if !problems.is_empty() {
            ed.refuse(problems);
            return;
        }
        ed.change(|s| draft::set_details(s, &d));
        ed.notice.set(String::new());
        ed.go(Screen::Tasks);
    };
    let c = cat.clone();
    let input = move |id: &'static str, key: &'static str, value: RwSignal<String>| {
        let cat = c.clone();
        move || {
            let error = field_error(&cat, ed, id);
            let described = describedby(id, true, error.is_some());
            view! {
                <FormGroup id=id.to_owned() label=cat.get(key).to_owned() hint=Some(cat.get(&format!("{key}.hint")).to_owned()) error>
                    <input type="text" class="sw-input" id=id aria-describedby=described
                        prop:value=move || value.get() on:input:target=move |ev| value.set(ev.target().value()) />
                </FormGroup>
            }
        }
    };
    view! {
        {back(&cat, ed, Screen::Tasks)}
        {problems_summary(&cat, ed)}
        <h1 class="sw-heading-l" id="ed-heading" tabindex="-1">{cat.get("details.title").to_owned()}</h1>
        {input("ed-title", "details.surveyTitle", title)}
        <FormGroup id="ed-description".to_owned() label=cat.get("details.description").to_owned() hint=Some(cat.get("details.description.hint").to_owned())>
            <textarea class="sw-textarea" id="ed-description" rows="4" aria-describedby="ed-description-hint"
                prop:value=move || description.get() on:input:target=move |ev| description.set(ev.target().value())></textarea>
        </FormGroup>
        {input("ed-privacy-text", "details.privacyText", privacy_text)}
        {input("ed-privacy-href", "details.privacyHref", privacy_href)}
        <button type="button" class="sw-button" id="ed-save-details" on:click=save>{cat.get("details.save").to_owned()}</button>
    }
}

fn questions(cat: Arc<Catalogue>, ed: Ed) -> impl IntoView {
    let c = cat.clone();
    let list = move || {
        let rows = draft::rows(&ed.survey.get());
        if rows.is_empty() {
            return view! { <p class="sw-body">{c.get("questions.none").to_owned()}</p> }.into_any();
        }
        let c = c.clone();
        let items = rows
            .into_iter()
            .enumerate()
            .map(|(n, row)| {
                let number = c.format("questions.number", &[("n", &(n + 1).to_string())]);
                let hidden = format!(" {number}: {}", row.title);
                let (id1, id2, id3, id4) = (row.id.clone(), row.id.clone(), row.id.clone(), row.id.clone());
                let moving = move |id: String, direction: Direction, c: Arc<Catalogue>| {
                    let mut s = ed.survey.get_untracked();
                    match draft::move_question(&mut s, &id, direction) {
                        Ok(()) => {
                            ed.change(|v| *v = s);
                            ed.problems.set(Vec::new());
                            ed.notice.set(c.get("questions.moved").to_owned());
                            let focus = format!("ed-{}-{id}", if direction == Direction::Up { "up" } else { "down" });
                            request_animation_frame(move || platform::focus(&focus));
                        }
                        Err(e) => {
                            let text = refusal(&c, &s, &e);
                            ed.refuse(vec![(format!("ed-up-{id}"), text)]);
                        }
                    }
                };
                let (c1, c2, c3) = (c.clone(), c.clone(), c.clone());
                view! {
                    <li class="ed-question" id=format!("ed-q-{}", row.id)>
                        <span class="ed-question__number">{number}</span>
                        <span class="ed-question__title">{row.title.clone()}</span>
                        <span class="sw-hint ed-question__kind">{kind_name(&c, &row.kind)}
                            {row.routed.then(|| format!(" · {}", c.get("questions.routed")))}</span>
                        <span class="ed-question__actions">
<button type="button" class="sw-link-button" id=format!("ed-edit-{}", row.id) on:click=move |_| edit_question(ed, &id1)>{c.get("questions.edit").to_owned()}<span class="sw-visually-hidden">{hidden.clone()}</span></button>
                            <button type="button" class="sw-link-button" id=format!("ed-up-{}", row.id)
                                on:click=move |_| moving(id2.clone(), Direction::Up, c1.clone())>
                                {c.get("questions.up").to_owned()}<span class="sw-visually-hidden">{hidden.clone()}</span></button>
                            <button type="button" class="sw-link-button" id=format!("ed-down-{}", row.id)
                                on:click=move |_| moving(id3.clone(), Direction::Down, c2.clone())>
                                {c.get("questions.down").to_owned()}<span class="sw-visually-hidden">{hidden.clone()}</span></button>
                            <button type="button" class="sw-link-button" id=format!("ed-remove-{}", row.id) on:click=move |_| {
                                let mut s = ed.survey.get_untracked();
                                match draft::remove(&mut s, &id4) {
                                    Ok(()) => {
                                        ed.change(|v| *v = s);
                                        ed.problems.set(Vec::new());
                                        ed.notice.set(c3.get("questions.removed").to_owned());
                                        request_animation_frame(|| platform::focus("ed-heading"));
                                    }
                                    Err(e) => {
                                        let text = refusal(&c3, &s, &e);
                                        ed.refuse(vec![(format!("ed-remove-{id4}"), text)]);
                                    }
                                }
                            }>{c.get("questions.remove").to_owned()}<span class="sw-visually-hidden">{hidden}</span></button>
                        </span>
                    </li>
                }
            })
            .collect_view();
        view! { <ol class="ed-questions" id="ed-questions">{items}</ol> }.into_any()
    };
    view! {
        {back(&cat, ed, Screen::Tasks)}
        {problems_summary(&cat, ed)}
        <h1 class="sw-heading-l" id="ed-heading" tabindex="-1">{cat.get("questions.title").to_owned()}</h1>
        {saving_line(&cat, ed)}
        {banner(ed)}
        {list}
        <div class="sw-button-group">
            <button type="button" class="sw-button" id="ed-add" on:click=move |_| {
                ed.pending.set(QuestionForm { required: true, ..QuestionForm::default() });
                ed.editing.set(None);
                ed.notice.set(String::new());
                ed.go(Screen::Kind);
            }>{cat.get("questions.add").to_owned()}</button>
            <button type="button" class="sw-button sw-button--secondary" id="ed-to-tasks" on:click=move |_| {
                ed.notice.set(String::new());
                ed.go(Screen::Tasks);
            }>{cat.get("questions.tasks").to_owned()}</button>
        </div>
    }
}

/// Where Continue goes from each step of a question, and Back to.
fn after_text(kind: &str) -> Screen {
    if has_options(kind) {
        Screen::Options
    } else {
        Screen::Review
    }
}

fn kind(cat: Arc<Catalogue>, ed: Ed) -> impl IntoView {
    let chosen = RwSignal::new(ed.pending.get_untracked().kind);
    let c = cat.clone();
    let radios = KINDS
        .iter()
        .map(|k| {
            let id = format!("ed-kind-{k}");
            let hint_id = format!("{id}-hint");
            let hint = cat.get(&format!("kind.{k}.hint")).to_owned();
            let described = (!hint.is_empty()).then(|| hint_id.clone());
            view! {
                <div class="sw-radios__item">
                    <input class="sw-radios__input" id=id.clone() name="ed-kind" type="radio" value=*k aria-describedby=described
                        prop:checked=move || chosen.get() == *k on:change=move |_| chosen.set((*k).to_owned()) />
                    <label class="sw-label sw-radios__label" for=id>{kind_name(&c, k)}</label>
                    {(!hint.is_empty()).then(|| view! { <div class="sw-hint sw-option__hint" id=hint_id>{hint}</div> })}
                </div>
            }
        })
        .collect_view();
    let c = cat.clone();
    let next = move |_| {
        let k = chosen.get_untracked();
        if !KINDS.contains(&k.as_str()) {
            ed.refuse(vec![("ed-kind-text".into(), c.get("editor.error.kind").to_owned())]);
            return;
        }
        ed.pending.update(|p| p.kind = k);
        ed.go(Screen::Text);
    };
    let back_to = if ed.editing.get_untracked().is_some() {
        Screen::Review
    } else {
        Screen::Questions
    };
    let has_error = move || ed.problems.with(|p| !p.is_empty());
    let c = cat.clone();
    let message = move || {
        field_error(&c, ed, "ed-kind-text").map(|(prefix, m)| {
            view! { <p class="sw-error-message" id="ed-kind-error"><span class="sw-visually-hidden">{prefix}" "</span>{m}</p> }
        })
    };
    view! {
        {back(&cat, ed, back_to)}
        {problems_summary(&cat, ed)}
        <div class=move || if has_error() { "sw-form-group sw-form-group--error" } else { "sw-form-group" }>
            <fieldset class="sw-fieldset" aria-describedby=move || has_error().then_some("ed-kind-error")>
                <legend class="sw-fieldset__legend sw-fieldset__legend--l">
                    <h1 class="sw-fieldset__heading" id="ed-heading" tabindex="-1">{cat.get("kind.title").to_owned()}</h1>
                </legend>
                {message}
                <div class="sw-radios">{radios}</div>
            </fieldset>
        </div>
        <button type="button" class="sw-button" id="ed-continue" on:click=next>{cat.get("continue").to_owned()}</button>
    }
}

fn text(cat: Arc<Catalogue>, ed: Ed) -> impl IntoView {
    let p = ed.pending.get_untracked();
    let info = p.kind == "info";
    let title = RwSignal::new(p.title);
    let hint = RwSignal::new(p.hint);
    let optional = RwSignal::new(!p.required);
    let c = cat.clone();
    let next = move |_| {
        let t = title.get_untracked();
        if t.trim().is_empty() {
            ed.refuse(vec![("ed-question".into(), c.get("editor.error.title").to_owned())]);
            return;
        }
        ed.pending.update(|p| {
            p.title = t.trim().to_owned();
            p.hint = hint.get_untracked();
            p.required = !optional.get_untracked();
        });
        let kind = ed.pending.get_untracked().kind;
        ed.go(after_text(&kind));
    };
    let (label, hint_label, hint_hint) = if info {
        ("text.infoTitle", "text.body", "text.body.hint")
    } else {
        ("text.question", "text.hint", "text.hint.hint")
    };
    let c = cat.clone();
    let question_group = move || {
        let error = field_error(&c, ed, "ed-question");
        let described = describedby("ed-question", !info, error.is_some());
        view! {
            <FormGroup id="ed-question".to_owned() label=c.get(label).to_owned() hint=(!info).then(|| c.get("text.question.hint").to_owned()) error>
                <input type="text" class="sw-input" id="ed-question" aria-describedby=described
                    prop:value=move || title.get() on:input:target=move |ev| title.set(ev.target().value()) />
            </FormGroup>
        }
    };
    view! {
        {back(&cat, ed, Screen::Kind)}
        {problems_summary(&cat, ed)}
        <span class="sw-caption">{kind_name(&cat, &ed.pending.get_untracked().kind)}</span>
        <h1 class="sw-heading-l" id="ed-heading" tabindex="-1">{cat.get("text.title").to_owned()}</h1>
        {question_group}
        <FormGroup id="ed-hint".to_owned() label=cat.get(hint_label).to_owned() hint=Some(cat.get(hint_hint).to_owned())>
            <textarea class="sw-textarea" id="ed-hint" rows="3" aria-describedby="ed-hint-hint"
                prop:value=move || hint.get() on:input:target=move |ev| hint.set(ev.target().value())></textarea>
        </FormGroup>
        {(!info).then(|| view! {
            <div class="sw-form-group">
                <div class="sw-checkboxes">
                    <div class="sw-checkboxes__item">
                        <input class="sw-checkboxes__input" id="ed-optional" type="checkbox"
                            prop:checked=move || optional.get() on:change:target=move |ev| optional.set(ev.target().checked()) />
                        <label class="sw-label sw-checkboxes__label" for="ed-optional">{cat.get("text.optional").to_owned()}</label>
                    </div>
                </div>
            </div>
        })}
        <button type="button" class="sw-button" id="ed-continue" on:click=next>{cat.get("continue").to_owned()}</button>
    }
}

fn options(cat: Arc<Catalogue>, ed: Ed) -> impl IntoView {
    let p = ed.pending.get_untracked();
    let several = p.kind == "multipleChoice";
    let lines = RwSignal::new(p.options.join("\n"));
    let extra = RwSignal::new(if several { p.none.is_some() } else { p.other.is_some() });
    let c = cat.clone();
    let next = move |_| {
        let options: Vec<String> = lines
            .get_untracked()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        let mut form = ed.pending.get_untracked();
        form.options = options;
        let (none_label, other_label) = (
            c.get("options.noneLabel").to_owned(),
            c.get("options.otherLabel").to_owned(),
        );
        if several {
            form.none = extra.get_untracked().then(|| form.none.clone().unwrap_or(none_label));
        } else {
            form.other = extra.get_untracked().then(|| form.other.clone().unwrap_or(other_label));
        }
        if let Some((_, key)) = form.problems().into_iter().find(|(f, _)| *f == "options") {
            ed.refuse(vec![("ed-options".into(), c.get(key).to_owned())]);
            return;
        }
        ed.pending.set(form);
        ed.go(Screen::Review);
    };
    let extra_label = if several { "options.none" } else { "options.other" };
    let c = cat.clone();
    let options_group = move || {
        let error = field_error(&c, ed, "ed-options");
        let described = describedby("ed-options", true, error.is_some());
        view! {
            <FormGroup id="ed-options".to_owned() label=c.get("options.label").to_owned() hint=Some(c.get("options.hint").to_owned()) error>
                <textarea class="sw-textarea" id="ed-options" rows="8" aria-describedby=described
                    prop:value=move || lines.get() on:input:target=move |ev| lines.set(ev.target().value())></textarea>
            </FormGroup>
        }
    };
    view! {
        {back(&cat, ed, Screen::Text)}
        {problems_summary(&cat, ed)}
        <span class="sw-caption">{ed.pending.get_untracked().title}</span>
        <h1 class="sw-heading-l" id="ed-heading" tabindex="-1">{cat.get("options.title").to_owned()}</h1>
        {options_group}
        <div class="sw-form-group">
            <div class="sw-checkboxes">
                <div class="sw-checkboxes__item">
                    <input class="sw-checkboxes__input" id="ed-extra" type="checkbox"
                        prop:checked=move || extra.get() on:change:target=move |ev| extra.set(ev.target().checked()) />
                    <label class="sw-label sw-checkboxes__label" for="ed-extra">{cat.get(extra_label).to_owned()}</label>
                </div>
            </div>
        </div>
        <button type="button" class="sw-button" id="ed-continue" on:click=next>{cat.get("continue").to_owned()}</button>
    }
}

/// The survey with only the pending question, for its preview.
fn one_question(survey: &Value, form: &QuestionForm, editing: Option<&str>) -> String {
    let lang = draft::default_language(survey);
    let mut q = editing
        .and_then(|id| draft::question(survey, id))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    q.insert("id".into(), Value::from(editing.unwrap_or("question")));
    q.remove("showIf");
    form.write(&mut q, &lang);
    let mut s = survey.clone();
    if let Some(top) = s.as_object_mut() {
        top.insert(
            "pages".into(),
            serde_json::json!([{ "id": "page", "questions": [Value::Object(q)] }]),
        );
        // A preview of one question says nothing about translations still to come.
        top.remove("draft");
        if top.contains_key("languages") {
            top.insert("draft".into(), Value::Bool(true));
        }
    }
    s.to_string()
}

fn review(cat: Arc<Catalogue>, ed: Ed) -> impl IntoView {
    let form = ed.pending.get_untracked();
    let row = |key: &str, value: String, to: Screen, field: &str| {
        let hidden = format!(" {}", cat.get(key).to_lowercase());
        view! {
            <div class="sw-summary-list__row">
                <dt class="sw-summary-list__key">{cat.get(key).to_owned()}</dt>
                <dd class="sw-summary-list__value" id=format!("ed-review-{field}")>{value}</dd>
                <dd class="sw-summary-list__actions">
                    <button type="button" class="sw-link-button" on:click=move |_| ed.go(to.clone())>
                        {cat.get("check.change").to_owned()}<span class="sw-visually-hidden">{hidden}</span></button>
                </dd>
            </div>
        }
    };
    let none = cat.get("check.none").to_owned();
    let mut options = form.options.clone();
    options.extend(form.none.clone());
    options.extend(form.other.clone());
    let c = cat.clone();
    let save = move |_| {
        let form = ed.pending.get_untracked();
        if let Some((field, key)) = form.problems().into_iter().next() {
            let target = match field {
                "options" => "ed-review-options",
                "kind" => "ed-review-kind",
                _ => "ed-review-title",
            };
            ed.refuse(vec![(target.into(), c.get(key).to_owned())]);
            return;
        }
        let mut s = ed.survey.get_untracked();
        let result = match ed.editing.get_untracked() {
            Some(id) => draft::change(&mut s, &id, &form),
            None => Ok(draft::add(&mut s, &form)),
        };
        match result {
            Ok(_) => {
                ed.change(|v| *v = s);
                ed.notice.set(c.get("questions.saved").to_owned());
                ed.go(Screen::Questions);
            }
            Err(e) => {
                let text = refusal(&c, &s, &e);
                ed.refuse(vec![("ed-review-kind".into(), text)]);
            }
        }
    };
    let definition =
        Signal::derive(move || one_question(&ed.survey.get(), &ed.pending.get(), ed.editing.get().as_deref()));
    // A question opened from the list goes back to the list; a new one to its last step.
    let back_to = if ed.editing.get_untracked().is_some() {
        Screen::Questions
    } else {
        after_text(&form.kind)
    };
    view! {
        {back(&cat, ed, back_to)}
        {problems_summary(&cat, ed)}
        <h1 class="sw-heading-l" id="ed-heading" tabindex="-1">{cat.get("check.title").to_owned()}</h1>
        <dl class="sw-summary-list">
            {row("check.kind", kind_name(&cat, &form.kind), Screen::Kind, "kind")}
            {row("check.question", form.title.clone(), Screen::Text, "title")}
            {row("check.hint", if form.hint.trim().is_empty() { none.clone() } else { form.hint.clone() }, Screen::Text, "hint")}
            {(form.kind != "info").then(|| row(
                "check.optional",
                cat.get(if form.required { "check.required.yes" } else { "check.required.no" }).to_owned(),
                Screen::Text,
                "required",
            ))}
            {has_options(&form.kind).then(|| row("check.options", options.join(", "), Screen::Options, "options"))}
        </dl>
        <button type="button" class="sw-button" id="ed-save-question" on:click=save>{cat.get("check.save").to_owned()}</button>
        {frames(&cat, definition, cat.get("review.preview").to_owned())}
    }
}

fn routes(cat: Arc<Catalogue>, ed: Ed) -> impl IntoView {
    let c = cat.clone();
    let list = move || {
        let survey = ed.survey.get();
        let rows = draft::rows(&survey);
        let items = rows
            .iter()
            .enumerate()
            .skip(1)
            .map(|(n, row)| {
                let sources = draft::route_sources(&survey, &row.id);
                let shown = match draft::route(&survey, &row.id) {
                    Some(Route { question, answers }) => {
                        let source = sources.iter().find(|s| s.id == question);
                        let label = |v: &String| {
                            let found = source
                                .and_then(|s| s.answers.iter().find(|(value, _)| value == v))
                                .map(|(_, l)| l.clone())
                                .filter(|l| !l.is_empty());
                            format!("“{}”", found.unwrap_or_else(|| v.clone()))
                        };
                        let answers: Vec<String> = answers.iter().map(label).collect();
                        let title = source.map_or(question.clone(), |s| s.title.clone());
                        c.format("routes.when", &[("question", &title), ("answers", &answers.join(c.get("routes.or")))])
                    }
                    None if row.routed => c.get("routes.complex").to_owned(),
                    None => c.get("routes.everyone").to_owned(),
                };
                let next = rows.get(n + 1).map_or(c.get("routes.end").to_owned(), |r| format!("“{}”", r.title));
                let id = row.id.clone();
                let can = !sources.is_empty();
                let hidden = format!(": {}", row.title);
                view! {
                    <div class="sw-summary-list__row">
                        <dt class="sw-summary-list__key">{format!("{}. {}", n + 1, row.title)}</dt>
                        <dd class="sw-summary-list__value">
                            <p class="sw-body">{shown}</p>
                            <p class="sw-hint">{c.format("routes.next", &[("next", &next)])}</p>
                        </dd>
                        <dd class="sw-summary-list__actions">
                            {can.then(|| view! {
                                <button type="button" class="sw-link-button" id=format!("ed-route-{id}") on:click=move |_| {
                                    ed.notice.set(String::new());
                                    ed.go(Screen::Route(id.clone()));
                                }>{c.get("routes.change").to_owned()}<span class="sw-visually-hidden">{hidden}</span></button>
                            })}
                        </dd>
                    </div>
                }
            })
            .collect_view();
        view! { <dl class="sw-summary-list" id="ed-routes">{items}</dl> }
    };
    view! {
        {back(&cat, ed, Screen::Tasks)}
        <h1 class="sw-heading-l" id="ed-heading" tabindex="-1">{cat.get("routes.title").to_owned()}</h1>
        {banner(ed)}
        <p class="sw-body">{cat.get("routes.intro").to_owned()}</p>
        {list}
        <button type="button" class="sw-button sw-button--secondary" id="ed-to-tasks" on:click=move |_| {
            ed.notice.set(String::new());
            ed.go(Screen::Tasks);
        }>{cat.get("questions.tasks").to_owned()}</button>
    }
}

fn route(cat: Arc<Catalogue>, ed: Ed, id: String) -> impl IntoView {
    let survey = ed.survey.get_untracked();
    let sources = draft::route_sources(&survey, &id);
    let current = draft::route(&survey, &id);
    let title = draft::rows(&survey)
        .into_iter()
        .find(|r| r.id == id)
        .map_or(id.clone(), |r| r.title);
    let source = RwSignal::new(current.as_ref().map(|r| r.question.clone()).unwrap_or_default());
    let answers = RwSignal::new(current.map(|r| r.answers).unwrap_or_default());
    let c = cat.clone();
    let options = sources
        .iter()
        .map(
            |s| view! { <option value=s.id.clone() selected=source.get_untracked() == s.id>{s.title.clone()}</option> },
        )
        .collect_view();
    let sources_for_boxes = sources.clone();
    let boxes = move || {
        let chosen = source.get();
        let s = sources_for_boxes.iter().find(|s| s.id == chosen)?;
        let items = s
            .answers
            .iter()
            .enumerate()
            .map(|(i, (value, label))| {
                let box_id = format!("ed-answer-{i}");
                let v = value.clone();
                let v2 = value.clone();
                let shown = if label.is_empty() {
                    c.get(&format!("check.required.{value}")).to_owned()
                } else {
                    label.clone()
                };
                view! {
                    <div class="sw-checkboxes__item">
                        <input class="sw-checkboxes__input" id=box_id.clone() type="checkbox" value=value.clone()
                            prop:checked=move || answers.get().contains(&v)
                            on:change:target=move |ev| {
                                let on = ev.target().checked();
                                answers.update(|a| {
                                    a.retain(|x| *x != v2);
                                    if on {
                                        a.push(v2.clone());
                                    }
                                });
                            } />
                        <label class="sw-label sw-checkboxes__label" for=box_id>{shown}</label>
                    </div>
                }
            })
            .collect_view();
        Some(view! {
            <fieldset class="sw-fieldset">
                <legend class="sw-fieldset__legend sw-fieldset__legend--s">{c.get("route.answers").to_owned()}</legend>
                <div class="sw-checkboxes" id="ed-answers">{items}</div>
            </fieldset>
        })
    };
    let c = cat.clone();
    let (id1, id2) = (id.clone(), id);
    let save = move |_| {
        let chosen = answers.get_untracked();
        let r = Route {
            question: source.get_untracked(),
            answers: chosen,
        };
        let mut s = ed.survey.get_untracked();
        match draft::set_route(&mut s, &id1, Some(&r)) {
            Ok(()) => {
                ed.change(|v| *v = s);
                ed.notice.set(c.get("route.saved").to_owned());
                ed.go(Screen::Routes);
            }
            Err(e) => {
                let text = refusal(&c, &s, &e);
                ed.refuse(vec![("ed-source".into(), text)]);
            }
        }
    };
    let c = cat.clone();
    let clear = move |_| {
        let mut s = ed.survey.get_untracked();
        if draft::set_route(&mut s, &id2, None).is_ok() {
            ed.change(|v| *v = s);
            ed.notice.set(c.get("route.saved").to_owned());
            ed.go(Screen::Routes);
        }
    };
    let choose = cat.get("route.choose").to_owned();
    view! {
        {back(&cat, ed, Screen::Routes)}
        {problems_summary(&cat, ed)}
        <h1 class="sw-heading-l" id="ed-heading" tabindex="-1">{cat.format("route.title", &[("question", &title)])}</h1>
        <FormGroup id="ed-source".to_owned() label=cat.get("route.source").to_owned()>
            <select class="sw-select" id="ed-source" on:change:target=move |ev| {
                source.set(ev.target().value());
                answers.set(Vec::new());
            }>
                <option value="" selected=source.get_untracked().is_empty()>{choose}</option>
                {options}
            </select>
        </FormGroup>
        {boxes}
        <div class="sw-button-group">
            <button type="button" class="sw-button" id="ed-save-route" on:click=save>{cat.get("route.save").to_owned()}</button>
            <button type="button" class="sw-button sw-button--secondary" id="ed-clear-route" on:click=clear>{cat.get("route.remove").to_owned()}</button>
        </div>
    }
}

fn languages(cat: Arc<Catalogue>, ed: Ed) -> impl IntoView {
    let c = cat.clone();
    let body = move || {
        let survey = ed.survey.get();
        let declared: Vec<(String, String)> = survey
            .get("languages")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|l| Some((l.get("code")?.as_str()?.to_owned(), l.get("name")?.as_str()?.to_owned())))
            .collect();
        let summary = if declared.is_empty() {
            c.get("languages.one").to_owned()
        } else {
            let names: Vec<&str> = declared.iter().map(|(_, n)| n.as_str()).collect();
            c.format("languages.list", &[("languages", &names.join(", "))])
        };
        let adds = LANGUAGES
            .iter()
            .filter(|(code, _, _)| !declared.iter().any(|(c, _)| c == code))
            .map(|(code, name, rtl)| {
                let (code, name, rtl) = (*code, *name, *rtl);
                view! {
                    <button type="button" class="sw-button sw-button--secondary" id=format!("ed-add-{code}") on:click=move |_| {
                        ed.change(|s| add_language(s, code, name, rtl));
                    }>{c.format("languages.add", &[("language", name)])}</button>
                }
            })
            .collect_view();
        let marked = survey.get("draft") == Some(&Value::Bool(true));
        let flagged = ed.needs_check.get();
        let table = (!declared.is_empty()).then(|| {
            let rtl_of = |code: &str| LANGUAGES.iter().any(|(c, _, rtl)| *c == code && *rtl);
            let header = declared
                .iter()
                .map(|(code, name)| {
                    view! { <th scope="col" class="sw-table__header" lang=code.clone() dir=if rtl_of(code) { "rtl" } else { "ltr" }>{name.clone()}</th> }
                })
                .collect_view();
            let rows = side_by_side(&survey)
                .into_iter()
                .map(|t| {
                    let stale = t.texts.first().and_then(|(_, x)| x.as_ref()).is_some_and(|x| flagged.contains(x))
                        && t.texts.iter().skip(1).any(|(_, x)| x.is_some());
                    let cells = t
                        .texts
                        .into_iter()
                        .enumerate()
                        .map(|(i, (code, text))| {
                            let dir = if rtl_of(&code) { "rtl" } else { "ltr" };
                            match text {
                                Some(text) => view! {
                                    <td class="sw-table__cell" lang=code dir=dir>
                                        {text}
                                        {(stale && i > 0).then(|| view! { " " <strong class="sw-tag sw-tag--grey ed-stale">{c.get("languages.stale").to_owned()}</strong> })}
                                    </td>
                                }
                                .into_any(),
                                None => view! { <td class="sw-table__cell pv-untranslated"><strong>{c.get("languages.none").to_owned()}</strong></td> }.into_any(),
                            }
                        })
                        .collect_view();
                    view! { <tr class="sw-table__row"><th scope="row" class="sw-table__header pv-path">{t.path}</th>{cells}</tr> }
                })
                .collect_view();
            view! {
                <h2 class="sw-heading-m" id="ed-texts-title">{c.get("languages.table").to_owned()}</h2>
                <div class="pv-texts" role="region" aria-labelledby="ed-texts-title" tabindex="0">
                    <table class="sw-table" id="ed-texts">
                        <thead><tr class="sw-table__row"><th scope="col" class="sw-table__header">{c.get("languages.where").to_owned()}</th>{header}</tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
        });
        let any_stale = !flagged.is_empty();
        view! {
            <p class="sw-body" id="ed-languages">{summary}</p>
            {marked.then(|| view! { <p class="sw-body">{c.get("languages.draft").to_owned()}</p> })}
            <div class="sw-button-group">{adds}</div>
            {table}
            {any_stale.then(|| view! {
                <button type="button" class="sw-button sw-button--secondary" id="ed-checked" on:click=move |_| {
                    ed.needs_check.set(Vec::new());
                    ed.save();
                }>{c.get("languages.checked").to_owned()}</button>
            })}
        }
    };
    let c = cat.clone();
    view! {
        {back(&cat, ed, Screen::Tasks)}
        <h1 class="sw-heading-l" id="ed-heading" tabindex="-1">{cat.get("languages.title").to_owned()}</h1>
        {body}
        <button type="button" class="sw-button" id="ed-sheet" on:click=move |_| download_sheet(&c, ed)>{cat.get("languages.sheet").to_owned()}</button>
    }
}

/// Adds a language the widget has words in, marking the survey as a draft until it is
/// translated.
fn add_language(survey: &mut Value, code: &str, name: &str, rtl: bool) {
    let Some(top) = survey.as_object_mut() else {
        return;
    };
    let list = top
        .entry("languages")
        .or_insert_with(|| serde_json::json!([{ "code": "en", "name": "English" }]));
    if let Some(list) = list.as_array_mut() {
        let mut entry = serde_json::json!({ "code": code, "name": name });
        if rtl {
            entry["dir"] = Value::from("rtl");
        }
        list.push(entry);
    }
    top.insert("draft".into(), Value::Bool(true));
}

fn file_name(survey: &Value, ext: &str) -> String {
    let id = survey.get("id").and_then(Value::as_str).unwrap_or("survey");
    format!("{id}.{ext}")
}

fn download_sheet(cat: &Catalogue, ed: Ed) {
    let survey = ed.survey.get_untracked();
    let text = csv::write(&to_workbook(&survey));
    if let Err(e) = platform::download(&file_name(&survey, "csv"), "text/csv", &text) {
        ed.refuse(vec![(
            "ed-sheet".into(),
            cat.format("error.download", &[("reason", &e.to_string())]),
        )]);
    }
}

/// Where the council's own jargon list is kept on the device, for every survey shaped on it.
const JARGON_KEY: &str = "survey-editor-jargon";

fn check(cat: Arc<Catalogue>, advice_words: Arc<Catalogue>, ed: Ed) -> impl IntoView {
    let jargon = RwSignal::new(platform::load_local(JARGON_KEY).unwrap_or_default());
    let c = cat.clone();
    let findings = move || {
        let survey = ed.survey.get();
        let council_words: Vec<String> = jargon.with(|j| {
            j.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect()
        });
        match load_survey_value(&survey) {
            Err(e) => {
                let items = e
                    .0
                    .iter()
                    .map(|p| view! { <li><code class="pv-path">{p.path.clone()}</code>": "{p.kind.to_string()}</li> })
                    .collect_view();
                view! {
                    <div class="sw-warning" id="ed-findings">
                        <h2 class="sw-heading-m">{c.get("check.problems").to_owned()}</h2>
                        <ul class="sw-list">{items}</ul>
                    </div>
                }
                .into_any()
            }
            Ok(loaded) => {
                let never = never_true(&loaded);
                let advice = advise(&loaded, &council_words);
                let never_items = never
                    .iter()
                    .map(|n| view! { <li>{c.format("check.never", &[("reason", &n.to_string())])}</li> })
                    .collect_view();
                let advice_items = advice
                    .iter()
                    .map(|a| {
                        let params = a.kind.params();
                        let params: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
                        view! { <li><code class="pv-path">{a.path.clone()}</code>": "{advice_words.format(a.kind.key(), &params)}</li> }
                    })
                    .collect_view();
                view! {
                    {if never.is_empty() {
                        view! { <div class="sw-inset-text" id="ed-findings"><p class="sw-body">{c.get("check.fine").to_owned()}</p></div> }.into_any()
                    } else {
                        view! {
                            <div class="sw-warning" id="ed-findings">
                                <h2 class="sw-heading-m">{c.get("check.problems").to_owned()}</h2>
                                <ul class="sw-list">{never_items}</ul>
                            </div>
                        }
                        .into_any()
                    }}
                    <h2 class="sw-heading-m">{c.get("check.advice").to_owned()}</h2>
                    {if advice.is_empty() {
                        view! { <p class="sw-body" id="ed-advice">{c.get("check.advice.none").to_owned()}</p> }.into_any()
                    } else {
                        view! {
                            <p class="sw-body">{c.get("check.advice.intro").to_owned()}</p>
                            <ul class="sw-list sw-list--bullet" id="ed-advice">{advice_items}</ul>
                        }
                        .into_any()
                    }}
                }
                .into_any()
            }
        }
    };
    let definition = Signal::derive(move || ed.survey.get().to_string());
    let c = cat.clone();
    let download = move |_| {
        let survey = ed.survey.get_untracked();
        if let Err(e) = platform::download(
            &file_name(&survey, "json"),
            "application/json",
            &draft::to_file(&survey),
        ) {
            ed.refuse(vec![(
                "ed-download".into(),
                c.format("error.download", &[("reason", &e.to_string())]),
            )]);
        }
    };
    let c = cat.clone();
    view! {
        {back(&cat, ed, Screen::Tasks)}
        {problems_summary(&cat, ed)}
        <h1 class="sw-heading-l" id="ed-heading" tabindex="-1">{cat.get("check.page.title").to_owned()}</h1>
        {findings}
        <div class="sw-button-group">
            <button type="button" class="sw-button" id="ed-download" on:click=download>{cat.get("check.download").to_owned()}</button>
            <button type="button" class="sw-button sw-button--secondary" id="ed-sheet" on:click=move |_| download_sheet(&c, ed)>{cat.get("check.downloadSheet").to_owned()}</button>
        </div>
        <FormGroup id="ed-jargon".to_owned() label=cat.get("check.jargon").to_owned() hint=Some(cat.get("check.jargon.hint").to_owned())>
            <textarea class="sw-textarea" id="ed-jargon" rows="3" spellcheck="false" aria-describedby="ed-jargon-hint"
                prop:value=move || jargon.get() on:input:target=move |ev| {
                    let text = ev.target().value();
                    platform::save_local(JARGON_KEY, &text);
                    jargon.set(text);
                }></textarea>
        </FormGroup>
        <p class="sw-body">{cat.get("check.publish").to_owned()}</p>
        <p class="sw-body"><button type="button" class="sw-link-button" id="ed-advanced" on:click=move |_| ed.go(Screen::Advanced)>{cat.get("check.advanced").to_owned()}</button></p>
        {frames(&cat, definition, cat.get("check.preview").to_owned())}
        <h2 class="sw-heading-m">{cat.get("check.editHeading").to_owned()}</h2>
        <ul class="sw-list" id="ed-edit-links">
            {move || draft::rows(&ed.survey.get()).into_iter().enumerate().map(|(n, row)| {
                let id = row.id.clone();
                view! {
                    <li><button type="button" class="sw-link-button" on:click=move |_| edit_question(ed, &id)>
                        {format!("{}. {}", n + 1, row.title)}</button></li>
                }
            }).collect_view()}
        </ul>
    }
}

fn advanced(cat: Arc<Catalogue>, ed: Ed) -> impl IntoView {
    let text = RwSignal::new(draft::to_file(&ed.survey.get_untracked()));
    let c = cat.clone();
    let apply = move |_| match json::parse(&text.get_untracked()) {
        Ok(v @ Value::Object(_)) => {
            ed.change(|s| *s = v);
            ed.notice.set(c.get("advanced.applied").to_owned());
            ed.go(Screen::Check);
        }
        Ok(_) => ed.refuse(vec![("ed-json".into(), c.get("error.jsonObject").to_owned())]),
        Err(reason) => ed.refuse(vec![("ed-json".into(), c.format("error.json", &[("reason", &reason)]))]),
    };
    let c = cat.clone();
    let json_group = move || {
        let error = field_error(&c, ed, "ed-json");
        let described = describedby("ed-json", true, error.is_some());
        view! {
            <FormGroup id="ed-json".to_owned() label=c.get("advanced.label").to_owned() hint=Some(c.get("advanced.hint").to_owned()) error>
                <textarea class="sw-textarea ed-json" id="ed-json" rows="24" spellcheck="false" aria-describedby=described
                    prop:value=move || text.get() on:input:target=move |ev| text.set(ev.target().value())></textarea>
            </FormGroup>
        }
    };
    view! {
        {back(&cat, ed, Screen::Check)}
        {problems_summary(&cat, ed)}
        <h1 class="sw-heading-l" id="ed-heading" tabindex="-1">{cat.get("advanced.title").to_owned()}</h1>
        {json_group}
        <button type="button" class="sw-button" id="ed-apply" on:click=apply>{cat.get("advanced.apply").to_owned()}</button>
    }
}

/// Co-design, the officer's side: comments files opened, each suggestion accepted or declined,
/// and the history of what was decided.
fn comments_page(cat: Arc<Catalogue>, ed: Ed) -> impl IntoView {
    let c = cat.clone();
    let on_file = move |ev: web_sys::Event| {
        let Some(input) = file_input(&ev) else {
            return;
        };
        let c = c.clone();
        leptos::task::spawn_local(async move {
            let text = match preview::read_chosen_file(&input).await {
                Ok(t) => t,
                Err(reason) => {
                    ed.refuse(vec![(
                        "ed-comments-file".into(),
                        c.format("error.file", &[("reason", &reason)]),
                    )]);
                    return;
                }
            };
            match Comments::read(&text, &ed.survey.get_untracked()) {
                Ok(file) => {
                    ed.problems.set(Vec::new());
                    ed.incoming.update(|list| {
                        for item in file.items {
                            if !item.is_empty() && !list.iter().any(|(by, i)| *by == file.by && *i == item) {
                                list.push((file.by.clone(), item));
                            }
                        }
                    });
                }
                Err(comments::CommentsError::OtherSurvey(other)) => ed.refuse(vec![(
                    "ed-comments-file".into(),
                    c.format("comments.otherSurvey", &[("survey", &other)]),
                )]),
                Err(_) => ed.refuse(vec![(
                    "ed-comments-file".into(),
                    c.get("comments.notComments").to_owned(),
                )]),
            }
        });
    };
    let c = cat.clone();
    let pending = move || {
        let list = ed.incoming.get();
        if list.is_empty() {
            return view! { <p class="sw-body" id="ed-incoming">{c.get("comments.none").to_owned()}</p> }.into_any();
        }
        let survey = ed.survey.get();
        let rows = draft::rows(&survey);
        let items = list
            .into_iter()
            .enumerate()
            .map(|(n, (by, item))| {
                let title = rows.iter().position(|r| r.id == item.question).map_or_else(
                    || item.question.clone(),
                    |i| format!("{}. {}", i + 1, rows[i].title),
                );
                let decide = {
                    let c = c.clone();
                    let (by, item) = (by.clone(), item.clone());
                    move |accept: bool| {
                        let mut decided = None;
                        let mut refused = None;
                        ed.change(|s| match comments::decide(s, &by, &item, accept) {
                            Ok(d) => decided = Some(d),
                            Err(e) => refused = Some(e),
                        });
                        if let Some(d) = decided {
                            ed.history.update(|h| h.push(d));
                            ed.incoming.update(|l| {
                                if n < l.len() {
                                    l.remove(n);
                                }
                            });
                            ed.save();
                            request_animation_frame(|| platform::focus("ed-heading"));
                        } else if let Some(e) = refused {
                            let text = refusal(&c, &ed.survey.get_untracked(), &e);
                            ed.refuse(vec![("ed-incoming".into(), text)]);
                        }
                    }
                };
                let (accept, decline) = (decide.clone(), decide);
                let has_words = !item.wording.trim().is_empty();
                view! {
                    <li class="ed-comment">
                        <h3 class="sw-heading-s">{title}</h3>
                        <p class="sw-hint">{c.format("comments.from", &[("name", &by)])}</p>
                        {(!item.comment.trim().is_empty()).then(|| view! { <p class="sw-body">{c.format("comments.comment", &[("text", item.comment.trim())])}</p> })}
                        {has_words.then(|| view! { <p class="sw-body">{c.format("comments.wording", &[("text", item.wording.trim())])}</p> })}
                        <div class="sw-button-group">
                            {has_words.then(|| view! {
                                <button type="button" class="sw-button" on:click=move |_| accept(true)>{c.get("comments.accept").to_owned()}</button>
                            })}
                            <button type="button" class="sw-button sw-button--secondary" on:click=move |_| decline(false)>
                                {c.get(if has_words { "comments.decline" } else { "comments.noted" }).to_owned()}</button>
                        </div>
                    </li>
                }
            })
            .collect_view();
        view! { <ol class="ed-comments" id="ed-incoming">{items}</ol> }.into_any()
    };
    let c = cat.clone();
    let history = move || {
        let h = ed.history.get();
        (!h.is_empty()).then(|| {
            let rows = h
                .into_iter()
                .map(|d| {
                    let said = [
                        (!d.comment.trim().is_empty())
                            .then(|| c.format("comments.comment", &[("text", d.comment.trim())])),
                        (!d.wording.trim().is_empty())
                            .then(|| c.format("comments.wording", &[("text", d.wording.trim())])),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                    let outcome = if d.accepted {
                        c.get("comments.accepted").to_owned()
                    } else if d.wording.trim().is_empty() {
                        c.get("comments.wasNoted").to_owned()
                    } else {
                        c.get("comments.declined").to_owned()
                    };
                    view! {
                        <tr class="sw-table__row">
                            <th scope="row" class="sw-table__header">{d.title}</th>
                            <td class="sw-table__cell">{d.by}</td>
                            <td class="sw-table__cell">{said}</td>
                            <td class="sw-table__cell">{outcome}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <h2 class="sw-heading-m" id="ed-history-title">{c.get("comments.history").to_owned()}</h2>
                <div class="pv-texts" role="region" aria-labelledby="ed-history-title" tabindex="0">
                    <table class="sw-table" id="ed-history">
                        <thead><tr class="sw-table__row">
                            <th scope="col" class="sw-table__header">{c.get("comments.question").to_owned()}</th>
                            <th scope="col" class="sw-table__header">{c.get("comments.who").to_owned()}</th>
                            <th scope="col" class="sw-table__header">{c.get("comments.said").to_owned()}</th>
                            <th scope="col" class="sw-table__header">{c.get("comments.decision").to_owned()}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
        })
    };
    let c = cat.clone();
    let file_group = move || {
        let error = field_error(&c, ed, "ed-comments-file");
        let described = describedby("ed-comments-file", true, error.is_some());
        let on_file = on_file.clone();
        view! {
            <FormGroup id="ed-comments-file".to_owned() label=c.get("comments.file").to_owned() hint=Some(c.get("comments.file.hint").to_owned()) error>
                <input type="file" id="ed-comments-file" accept=".json,application/json" aria-describedby=described on:change=on_file />
            </FormGroup>
        }
    };
    view! {
        {back(&cat, ed, Screen::Tasks)}
        {problems_summary(&cat, ed)}
        <h1 class="sw-heading-l" id="ed-heading" tabindex="-1">{cat.get("comments.title").to_owned()}</h1>
        <p class="sw-body">{cat.get("comments.intro").to_owned()}</p>
        {file_group}
        {pending}
        {history}
    }
}

/// The comments of one person on one draft, kept on their device (`localStorage`) as they
/// write, so a reload or a lost signal loses nothing.
fn comments_key(c: &Comments) -> String {
    format!("survey-editor-comments:{}:{}:{}", c.survey, c.version, c.by)
}

/// Co-design, for someone commenting: their name, then the draft's file.
fn comment_start(cat: Arc<Catalogue>, ed: Ed) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let c = cat.clone();
    let on_file = move |ev: web_sys::Event| {
        let Some(input) = file_input(&ev) else {
            return;
        };
        let c = c.clone();
        leptos::task::spawn_local(async move {
            let who = name.get_untracked();
            if who.trim().is_empty() {
                input.set_value("");
                ed.refuse(vec![("ed-name".into(), c.get("comment.error.name").to_owned())]);
                return;
            }
            let survey = match preview::read_chosen_file(&input).await.map(|t| json::parse(&t)) {
                Ok(Ok(v @ Value::Object(_))) => v,
                _ => {
                    ed.refuse(vec![("ed-draft-file".into(), c.get("error.fileJson").to_owned())]);
                    return;
                }
            };
            let fresh = Comments::on(&survey, &who);
            let kept = platform::load_local(&comments_key(&fresh))
                .and_then(|t| Comments::read(&t, &survey).ok())
                .unwrap_or(fresh);
            ed.commenting.set(kept);
            ed.survey.set(survey);
            ed.go(Screen::Commenting);
        });
    };
    let c = cat.clone();
    let groups = move || {
        let (name_error, file_error) = (field_error(&c, ed, "ed-name"), field_error(&c, ed, "ed-draft-file"));
        let (name_described, file_described) = (
            describedby("ed-name", true, name_error.is_some()),
            describedby("ed-draft-file", true, file_error.is_some()),
        );
        let on_file = on_file.clone();
        view! {
            <FormGroup id="ed-name".to_owned() label=c.get("comment.name").to_owned() hint=Some(c.get("comment.name.hint").to_owned()) error=name_error>
                <input type="text" class="sw-input sw-input--width-20" id="ed-name" autocomplete="name" aria-describedby=name_described
                    prop:value=move || name.get() on:input:target=move |ev| name.set(ev.target().value()) />
            </FormGroup>
            <FormGroup id="ed-draft-file".to_owned() label=c.get("comment.file").to_owned() hint=Some(c.get("comment.file.hint").to_owned()) error=file_error>
                <input type="file" id="ed-draft-file" accept=".json,application/json" aria-describedby=file_described on:change=on_file />
            </FormGroup>
        }
    };
    view! {
        {problems_summary(&cat, ed)}
        <h1 class="sw-heading-xl" id="ed-heading" tabindex="-1">{cat.get("comment.title").to_owned()}</h1>
        <p class="sw-body">{cat.get("comment.intro").to_owned()}</p>
        {groups}
    }
}

/// Co-design, for someone commenting: every question, with a box for a comment and one for
/// other words, saved on the device as they type; then their comments as a file to send.
fn commenting_page(cat: Arc<Catalogue>, ed: Ed) -> impl IntoView {
    let survey = ed.survey.get_untracked();
    let lang = draft::default_language(&survey);
    let d = draft::details(&survey);
    let started = ed.commenting.get_untracked();
    let items = draft::rows(&survey)
        .into_iter()
        .enumerate()
        .map(|(n, row)| {
            let form = draft::question(&survey, &row.id).map(|q| QuestionForm::read(q, &lang)).unwrap_or_default();
            let said = started.get(&row.id);
            let box_for = |wording: bool, label: String, value: String| {
                let id = format!("ed-{}-{}", if wording { "wording" } else { "comment" }, row.id);
                let question = row.id.clone();
                view! {
                    <div class="sw-form-group">
                        <label class="sw-label" for=id.clone()>{label}</label>
                        <textarea class="sw-textarea" id=id rows="3" prop:value=value on:input:target=move |ev| {
                            let text = ev.target().value();
                            ed.commenting.update(|c| c.set(&question, wording, &text));
                            let c = ed.commenting.get_untracked();
                            platform::save_local(&comments_key(&c), &c.to_json());
                        }></textarea>
                    </div>
                }
            };
            let mut options = form.options.clone();
            options.extend(form.none.clone());
            options.extend(form.other.clone());
            view! {
                <li class="ed-comment">
                    <h2 class="sw-heading-m">{format!("{}. {}", n + 1, form.title)}</h2>
                    {(!form.hint.is_empty()).then(|| view! { <p class="sw-hint">{form.hint.clone()}</p> })}
                    {(!options.is_empty()).then(|| view! { <ul class="sw-list sw-list--bullet">{options.into_iter().map(|o| view! { <li>{o}</li> }).collect_view()}</ul> })}
                    {box_for(false, cat.format("comment.comment", &[("n", &(n + 1).to_string())]), said.comment)}
                    {box_for(true, cat.format("comment.wording", &[("n", &(n + 1).to_string())]), said.wording)}
                </li>
            }
        })
        .collect_view();
    let c = cat.clone();
    let download = move |_| {
        let comments = ed.commenting.get_untracked();
        let name = format!(
            "{}-comments-{}.json",
            comments.survey,
            comments.by.replace(|ch: char| !ch.is_alphanumeric(), "-")
        );
        if let Err(e) = platform::download(&name, "application/json", &comments.to_json()) {
            ed.refuse(vec![(
                "ed-send".into(),
                c.format("error.download", &[("reason", &e.to_string())]),
            )]);
        }
    };
    view! {
        {problems_summary(&cat, ed)}
        <span class="sw-caption">{cat.get("comment.caption").to_owned()}</span>
        <h1 class="sw-heading-xl" id="ed-heading" tabindex="-1">{d.title}</h1>
        <p class="sw-body">{cat.get("comment.how").to_owned()}</p>
        <ol class="ed-comments">{items}</ol>
        <button type="button" class="sw-button" id="ed-send" on:click=download>{cat.get("comment.download").to_owned()}</button>
        <p class="sw-body">{cat.get("comment.after").to_owned()}</p>
    }
}

/// The draft in large print, to print for a group that meets on paper: every question
/// numbered, its options as boxes to tick, lines to write on, and its route in words.
fn print(cat: Arc<Catalogue>, ed: Ed) -> impl IntoView {
    let survey = ed.survey.get_untracked();
    let lang = draft::default_language(&survey);
    let d = draft::details(&survey);
    let rows = draft::rows(&survey);
    let number_of = |id: &str| rows.iter().position(|r| r.id == id).map_or(0, |n| n + 1);
    let items = rows
        .iter()
        .map(|row| {
            let q = draft::question(&survey, &row.id).cloned().unwrap_or(Value::Null);
            let form = QuestionForm::read(&q, &lang);
            let route = draft::route(&survey, &row.id).map(|r| {
                let source = draft::route_sources(&survey, &row.id).into_iter().find(|s| s.id == r.question);
                let answers: Vec<String> = r
                    .answers
                    .iter()
                    .map(|v| {
                        let label = source
                            .as_ref()
                            .and_then(|s| s.answers.iter().find(|(value, _)| value == v))
                            .map(|(_, l)| l.clone())
                            .filter(|l| !l.is_empty())
                            .unwrap_or_else(|| cat.get(&format!("check.required.{v}")).to_owned());
                        format!("“{label}”")
                    })
                    .collect();
                cat.format(
                    "print.route",
                    &[("number", &number_of(&r.question).to_string()), ("answers", &answers.join(cat.get("routes.or")))],
                )
            });
            let mut options = form.options.clone();
            options.extend(form.none.clone());
            options.extend(form.other.clone());
            if row.kind == "yesNo" {
                options = vec![cat.get("check.required.yes").to_owned(), cat.get("print.no").to_owned()];
            }
            if row.kind == "rating" {
                let (min, max) = (q.get("min").and_then(Value::as_i64).unwrap_or(1), q.get("max").and_then(Value::as_i64).unwrap_or(5));
                options = (min..=max).map(|n| n.to_string()).collect();
            }
            let answer = if !options.is_empty() {
                let boxes = options
                    .into_iter()
                    .map(|o| view! { <li class="ed-print__option"><span class="ed-print__box" aria-hidden="true"></span>{o}</li> })
                    .collect_view();
                Some(view! { <ul class="ed-print__options">{boxes}</ul> }.into_any())
            } else if row.kind == "info" {
                None
            } else {
                let lines = if row.kind == "longText" { "ed-print__lines ed-print__lines--long" } else { "ed-print__lines" };
                Some(view! { <div class=lines aria-hidden="true"></div> }.into_any())
            };
            let number = number_of(&row.id);
            view! {
                <li class="ed-print__question">
                    <h2 class="ed-print__title">{format!("{number}. {}", form.title)}</h2>
                    {route.map(|r| view! { <p class="ed-print__route">{r}</p> })}
                    {(!form.hint.is_empty()).then(|| view! { <p class="ed-print__hint">{form.hint.clone()}</p> })}
                    {(!form.required && row.kind != "info").then(|| view! { <p class="ed-print__hint">{cat.get("print.optional").to_owned()}</p> })}
                    {answer}
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="ed-no-print">
            {back(&cat, ed, Screen::Tasks)}
            <p class="sw-body">{cat.get("print.intro").to_owned()}</p>
            <button type="button" class="sw-button" id="ed-print" on:click=move |_| editor::print_page()>{cat.get("print.button").to_owned()}</button>
        </div>
        <article class="ed-print" aria-labelledby="ed-heading">
            <h1 class="ed-print__heading" id="ed-heading" tabindex="-1">{d.title}</h1>
            {d.description.lines().map(|p| view! { <p class="ed-print__text">{p.to_owned()}</p> }).collect_view()}
            <p class="ed-print__text">{cat.get("print.draft").to_owned()}</p>
            <ol class="ed-print__questions">{items}</ol>
        </article>
    }
}

#[component]
fn Editor(cat: Arc<Catalogue>, advice_words: Arc<Catalogue>, commenting: bool) -> impl IntoView {
    let ed = Ed {
        screen: RwSignal::new(if commenting {
            Screen::CommentStart
        } else {
            Screen::Start
        }),
        survey: RwSignal::new(Value::Null),
        key: RwSignal::new(String::new()),
        pending: RwSignal::new(QuestionForm::default()),
        editing: RwSignal::new(None),
        problems: RwSignal::new(Vec::new()),
        notice: RwSignal::new(String::new()),
        saving: RwSignal::new(String::new()),
        drafts: RwSignal::new(Vec::new()),
        left_out: RwSignal::new(Vec::new()),
        needs_check: RwSignal::new(Vec::new()),
        history: RwSignal::new(Vec::new()),
        incoming: RwSignal::new(Vec::new()),
        commenting: RwSignal::new(Comments::default()),
    };
    let page = move || {
        let (cat, words) = (cat.clone(), advice_words.clone());
        match ed.screen.get() {
            Screen::Start => start(cat, ed).into_any(),
            Screen::Tasks => tasks(cat, ed).into_any(),
            Screen::Details => details(cat, ed).into_any(),
            Screen::Questions => questions(cat, ed).into_any(),
            Screen::Kind => kind(cat, ed).into_any(),
            Screen::Text => text(cat, ed).into_any(),
            Screen::Options => options(cat, ed).into_any(),
            Screen::Review => review(cat, ed).into_any(),
            Screen::Routes => routes(cat, ed).into_any(),
            Screen::Route(id) => route(cat, ed, id).into_any(),
            Screen::Languages => languages(cat, ed).into_any(),
            Screen::Check => check(cat, words, ed).into_any(),
            Screen::Advanced => advanced(cat, ed).into_any(),
            Screen::Print => print(cat, ed).into_any(),
            Screen::Comments => comments_page(cat, ed).into_any(),
            Screen::CommentStart => comment_start(cat, ed).into_any(),
            Screen::Commenting => commenting_page(cat, ed).into_any(),
        }
    };
    view! { <div class="sw-widget ed">{page}</div> }
}

fn main() {
    let Some(host) = platform::host_elements("[data-survey-editor]").into_iter().next() else {
        console_error("editor: the page has no [data-survey-editor] element");
        return;
    };
    let (cat, advice_words) = match (Catalogue::from_json(MESSAGES), Catalogue::from_json(ADVICE)) {
        (Ok(c), Ok(a)) => (Arc::new(c), Arc::new(a)),
        (Err(e), _) | (_, Err(e)) => {
            console_error(&format!("editor: messages: {e}"));
            return;
        }
    };
    // `editor.html?comment`: co-design, for someone who comments rather than edits.
    let commenting = preview::page_url()
        .split(['?', '#'])
        .nth(1)
        .is_some_and(|q| q.split('&').any(|p| p == "comment"));
    // The editor is the whole page and lives as long as it.
    leptos::mount::mount_to(host, move || view! { <Editor cat advice_words commenting /> }).forget();
}

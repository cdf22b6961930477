//! The console's screens, in GOV.UK markup. They render the console's state and call
//! `data` for anything that touches the device.
use super::data::{self, Offline, Snapshot};
use super::{Console, Screen};
use leptos::either::Either;
use leptos::prelude::*;
use survey_widget::components::{describedby, ErrorSummary, FormGroup, Problem, SummaryRow};
use survey_widget::core::analysis::summary::{bytes_text, summarise, Bar, Figures, QuestionSummary};
use survey_widget::core::delivery::outbox::DeliveryStatus;
use survey_widget::core::event::{check_setup, seconds_left, Abandoned, DEFAULT_IDLE_SECS};
use survey_widget::core::respond::view::date_time;
use survey_widget::platform;

fn when(c: Console, ms: f64) -> String {
    let (date, hour, minute) = platform::local_time(ms);
    c.answers_cat.with_value(|cat| date_time(date, hour, minute, cat))
}

/// The whole console.
#[component]
pub fn ConsoleView() -> impl IntoView {
    let c = expect_context::<Console>();
    view! {
        <div class="sw-widget sw-console" lang=c.lang>
            <LanguageSwitch />
            <p class="sw-body"><a class="sw-link" href=c.survey_page.get_value()>{c.t("back")}</a></p>
            {move || match c.screen.get() {
                Screen::Loading => view! { <p class="sw-body" role="status">{c.t("loading")}</p> }.into_any(),
                Screen::Setup { changing } => view! { <Setup changing /> }.into_any(),
                Screen::Unlock => view! { <Unlock /> }.into_any(),
                Screen::Forgot => view! { <Forgot /> }.into_any(),
                Screen::Dashboard => view! { <Dashboard /> }.into_any(),
                Screen::EndConfirm => view! { <EndConfirm /> }.into_any(),
            }}
        </div>
    }
}

/// GOV.UK's language select: English or Welsh (issue #23). A link to this page in the other
/// language: the console opens again in it, locked as it always opens.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let c = expect_context::<Console>();
    let items = crate::LANGUAGES
        .into_iter()
        .map(|(code, name)| {
            if code == c.lang {
                view! {
                    <li class="sw-language-select__item"><span class="sw-language-select__current" aria-current="true" lang=code>{name}</span></li>
                }
                .into_any()
            } else {
                let href = platform::officer::with_query_param("lang", code).unwrap_or_else(|| format!("?lang={code}"));
                view! {
                    <li class="sw-language-select__item"><a class="sw-link" href=href hreflang=code lang=code>{name}</a></li>
                }
                .into_any()
            }
        })
        .collect_view();
    view! {
        <nav class="sw-language-select" aria-label=c.t("language.nav")>
            <ul class="sw-language-select__list">{items}</ul>
        </nav>
    }
}

/// The error summary and its links, GOV.UK style.
fn error_summary(c: Console, errors: Vec<(String, String)>) -> impl IntoView {
    (!errors.is_empty()).then(|| {
        let problems = errors
            .into_iter()
            .map(|(target, text)| Problem { text, target })
            .collect();
        view! { <ErrorSummary id="console-errors".to_owned() title=c.t("error.title") problems /> }
    })
}

fn focus_errors() {
    request_animation_frame(|| platform::focus("console-errors"));
}

fn input(id: &str) -> Option<web_sys::HtmlInputElement> {
    use wasm_bindgen::JsCast;
    web_sys::window()?.document()?.get_element_by_id(id)?.dyn_into().ok()
}

fn input_value(id: &str) -> String {
    input(id).map(|i| i.value()).unwrap_or_default()
}

fn checked(id: &str) -> bool {
    input(id).is_some_and(|i| i.checked())
}

/// One text field with its label, hint and error.
fn field(
    id: &'static str,
    label: String,
    hint: Option<String>,
    error: Option<String>,
    kind: &'static str,
    value: String,
) -> impl IntoView {
    let described = describedby(id, hint.is_some(), error.is_some());
    let numeric = matches!(kind, "password" | "number-text");
    let invalid = error.is_some();
    let error = error.map(|e| (expect_context::<Console>().t("error.prefix"), e));
    view! {
        <FormGroup id=id.to_owned() label hint error>
            <input class=if invalid { "sw-input sw-input--error" } else { "sw-input" } id=id name=id
                type=if kind == "password" { "password" } else { "text" }
                inputmode=numeric.then_some("numeric") autocomplete="off"
                aria-describedby=described aria-invalid=invalid.then_some("true")
                value=value />
        </FormGroup>
    }
}

#[component]
fn Setup(changing: bool) -> impl IntoView {
    let c = expect_context::<Console>();
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let saving = RwSignal::new(false);
    let existing = c.setup.get_untracked().filter(|_| changing);
    let name = existing.as_ref().map(|e| e.name.clone()).unwrap_or_default();
    let idle = existing.as_ref().map_or(String::new(), |e| e.idle_secs.to_string());
    let keep = existing
        .as_ref()
        .is_some_and(|e| e.abandoned == Abandoned::KeepIncomplete);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let abandoned = if checked("abandoned-keep") { "keep" } else { "discard" };
        match check_setup(
            &input_value("name"),
            &input_value("pin"),
            &input_value("pin-again"),
            &input_value("idle"),
            abandoned,
            !changing,
        ) {
            Err(problems) => {
                errors.set(problems.iter().map(|p| (p.field.to_owned(), c.t(p.key))).collect());
                platform::set_title(&format!(
                    "{} {} – {}",
                    c.t("error.prefix"),
                    c.t(if changing {
                        "setup.change.heading"
                    } else {
                        "setup.heading"
                    }),
                    c.t("title")
                ));
                focus_errors();
            }
            Ok(form) => {
                errors.set(Vec::new());
                saving.set(true);
                leptos::task::spawn_local(async move {
                    let result = data::save_setup(c, form).await;
                    saving.set(false);
                    match result {
                        Ok(()) => {
                            data::refresh(c).await;
                            c.go(Screen::Dashboard);
                        }
                        Err(e) => c.message.set(Some(c.tf("storage.failed", &[("reason", &e)]))),
                    }
                });
            }
        }
    };
    let err = move |f: &str| errors.with(|e| e.iter().find(|(k, _)| k == f).map(|(_, t)| t.clone()));
    view! {
        <h1 class="sw-heading-l" id="console-heading" tabindex="-1">{c.t(if changing { "setup.change.heading" } else { "setup.heading" })}</h1>
        {move || error_summary(c, errors.get())}
        <p class="sw-error-message" role="alert">{move || c.message.get()}</p>
        <p class="sw-body">{c.t("setup.intro")}</p>
        <p class="sw-body" id="setup-survey">{move || c.survey.with(|s| match s {
            Some(s) => c.tf("setup.survey", &[("title", &s.title)]),
            None => c.t("setup.survey.none"),
        })}</p>
        <form novalidate on:submit=submit>
            {move || {
                let name = name.clone();
                let idle = idle.clone();
                view! {
                    {field("name", c.t("setup.name"), Some(c.t("setup.name.hint")), err("name"), "text", name)}
                    {field("pin", c.t("setup.pin"), Some(c.t(if changing { "setup.pin.change.hint" } else { "setup.pin.hint" })), err("pin"), "password", String::new())}
                    {field("pin-again", c.t("setup.pinAgain"), None, err("pin-again"), "password", String::new())}
                    {field("idle", c.t("setup.idle"), Some(c.t("setup.idle.hint").replace("90", &DEFAULT_IDLE_SECS.to_string())), err("idle"), "number-text", idle)}
                }
            }}
            <div class="sw-form-group">
                <fieldset class="sw-fieldset">
                    <legend class="sw-fieldset__legend sw-fieldset__legend--m">{c.t("setup.abandoned")}</legend>
                    <div class="sw-radios">
                        <div class="sw-radios__item">
                            <input class="sw-radios__input" id="abandoned-discard" name="abandoned" type="radio" value="discard" checked=!keep />
                            <label class="sw-label sw-radios__label" for="abandoned-discard">{c.t("setup.abandoned.discard")}</label>
                        </div>
                        <div class="sw-radios__item">
                            <input class="sw-radios__input" id="abandoned-keep" name="abandoned" type="radio" value="keep" checked=keep />
                            <label class="sw-label sw-radios__label" for="abandoned-keep">{c.t("setup.abandoned.keep")}</label>
                        </div>
                    </div>
                </fieldset>
            </div>
            <button type="submit" class="sw-button">{c.t("setup.save")}</button>
            <p class="sw-body" role="status">{move || saving.get().then(|| c.t("setup.saving"))}</p>
        </form>
    }
}

#[component]
fn Unlock() -> impl IntoView {
    let c = expect_context::<Console>();
    let problem = RwSignal::new(None::<String>);
    let locked_until = RwSignal::new(
        c.setup
            .with_untracked(|s| s.as_ref().and_then(|s| s.lockout.check(platform::now_ms()).err())),
    );
    let checking = RwSignal::new(false);
    let now = RwSignal::new(platform::now_ms());
    // The refusal's countdown; the timer goes with this screen.
    let tick = set_interval_with_handle(
        move || now.set(platform::now_ms()),
        std::time::Duration::from_millis(1000),
    );
    on_cleanup(move || {
        if let Ok(t) = tick {
            t.clear();
        }
    });
    let locked_text = move || {
        locked_until
            .get()
            .filter(|u| *u > now.get())
            .map(|u| c.tf("unlock.locked", &[("seconds", &seconds_left(u, now.get()).to_string())]))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if checking.get_untracked() {
            return;
        }
        let pin = input_value("unlock-pin");
        checking.set(true);
        leptos::task::spawn_local(async move {
            let result = data::unlock(c, &pin).await;
            checking.set(false);
            // A wrong or refused PIN is not kept in the field: the next try starts empty, and
            // nobody walking past can reveal it.
            if !matches!(result, Ok(true)) {
                if let Some(field) = input("unlock-pin") {
                    field.set_value("");
                }
            }
            match result {
                Ok(true) => {
                    data::refresh(c).await;
                    c.go(Screen::Dashboard);
                }
                Ok(false) => {
                    let tries = c
                        .setup
                        .with_untracked(|s| s.as_ref().map_or(0, |s| s.lockout.tries_left()));
                    problem.set(Some(c.tf("unlock.wrong", &[("tries", &tries.to_string())])));
                    focus_errors();
                }
                Err(until) => {
                    locked_until.set(Some(until));
                    now.set(platform::now_ms());
                    problem.set(None);
                    focus_errors();
                }
            }
        });
    };
    view! {
        <h1 class="sw-heading-l" id="console-heading" tabindex="-1">{c.t("unlock.heading")}</h1>
        <p class="sw-body">{move || c.setup.with(|s| s.as_ref().map(|s| c.tf("dash.heading", &[("name", &s.name)])))}</p>
        {move || {
            let errors: Vec<(String, String)> = locked_text().or_else(|| problem.get()).map(|t| ("unlock-pin".to_owned(), t)).into_iter().collect();
            error_summary(c, errors)
        }}
        <form novalidate on:submit=submit>
            {field("unlock-pin", c.t("unlock.pin"), None, None, "password", String::new())}
            <button type="submit" class="sw-button">{c.t("unlock.button")}</button>
            <p class="sw-body" role="status">{move || checking.get().then(|| c.t("unlock.checking"))}</p>
        </form>
        <p class="sw-body">
            <button type="button" class="sw-link-button" on:click=move |_| {
                leptos::task::spawn_local(async move {
                    data::refresh(c).await;
                    c.go(Screen::Forgot);
                });
            }>{c.t("unlock.forgot")}</button>
        </p>
    }
}

#[component]
fn Forgot() -> impl IntoView {
    let c = expect_context::<Console>();
    // Counted without showing anything of the answers.
    let pending = c.data.with_untracked(|d| d.items.len() - d.received());
    view! {
        <h1 class="sw-heading-l" id="console-heading" tabindex="-1">{c.t("forgot.heading")}</h1>
        {if pending > 0 {
            Either::Left(view! { <p class="sw-body">{c.tf("forgot.pending", &[("count", &pending.to_string())])}</p> })
        } else {
            Either::Right(view! {
                <p class="sw-body">{c.t("forgot.ready")}</p>
                <button type="button" class="sw-button sw-button--warning" on:click=move |_| {
                    leptos::task::spawn_local(async move {
                        match data::end_event(c).await {
                            Ok(()) => c.go(Screen::Setup { changing: false }),
                            Err(e) => c.message.set(Some(c.tf("storage.failed", &[("reason", &e)]))),
                        }
                    });
                }>{c.t("forgot.reset")}</button>
            })
        }}
        <p class="sw-body"><button type="button" class="sw-link-button" on:click=move |_| c.go(Screen::Unlock)>{c.t("end.cancel")}</button></p>
    }
}

/// One row of a GOV.UK summary list: the message `key`, and `value` under the element id `id`.
fn summary_row(c: Console, key: &str, value: String, id: &'static str) -> impl IntoView {
    view! { <SummaryRow key=c.t(key) id=Some(id)>{value}</SummaryRow> }
}

fn status_rows(c: Console, d: &Snapshot) -> impl IntoView {
    let today = platform::today();
    let collected_today = d
        .items
        .iter()
        .filter(|i| platform::local_time(i.response.completed_at).0 == today)
        .count();
    let waiting: Vec<_> = d
        .items
        .iter()
        .filter(|i| matches!(i.status, DeliveryStatus::Waiting | DeliveryStatus::Kept))
        .collect();
    let next = waiting
        .iter()
        .filter_map(|i| i.next_attempt)
        .fold(None::<f64>, |m, t| Some(m.map_or(t, |m| m.min(t))));
    let attention: Vec<_> = d
        .items
        .iter()
        .filter_map(|i| match i.status {
            DeliveryStatus::NeedsAttention(status) => Some(c.tf(
                "dash.attention.item",
                &[
                    ("reference", &i.response.reference),
                    ("status", &status.map_or_else(|| "?".to_owned(), |s| s.to_string())),
                ],
            )),
            _ => None,
        })
        .collect();
    let last = d
        .items
        .iter()
        .filter_map(|i| match i.status {
            DeliveryStatus::Received(at) => Some(at),
            _ => None,
        })
        .fold(None::<f64>, |m, t| Some(m.map_or(t, |m| m.max(t))));
    let waiting_text = match (waiting.len(), next) {
        (0, _) => "0".to_owned(),
        (n, _) if !platform::is_online() => format!("{n} ({})", c.t("dash.offline")),
        (n, Some(at)) => format!(
            "{n} ({})",
            c.tf("dash.nextAttempt", &[("when", &when(c, at.max(platform::now_ms())))])
        ),
        (n, None) => n.to_string(),
    };
    let storage = d.estimate.map_or_else(
        || c.t("dash.storage.unknown"),
        |(used, quota)| {
            c.tf(
                "dash.storage.value",
                &[("used", &bytes_text(used)), ("quota", &bytes_text(quota))],
            )
        },
    );
    let offline = match d.offline {
        Offline::Checking => c.t("dash.offline.checking"),
        Offline::Unsupported => c.t("dash.offline.unsupported"),
        Offline::NotYet(0) => c.t("dash.offline.starting"),
        Offline::NotYet(n) => c.tf("dash.offline.notYet", &[("count", &n.to_string())]),
        Offline::Ready => c.t("dash.offline.yes"),
    };
    let persisted = match d.persisted {
        Some(true) => c.t("dash.yes"),
        Some(false) => c.t("dash.no"),
        None => c.t("dash.storage.unknown"),
    };
    let row = |key: &str, value: String, id: &'static str| summary_row(c, key, value, id);
    let attention_count = attention.len();
    view! {
        <dl class="sw-summary-list">
            {row("dash.today", collected_today.to_string(), "count-today")}
            {row("dash.total", d.items.len().to_string(), "count-total")}
            {row("dash.received", d.received().to_string(), "count-received")}
            {row("dash.waiting", waiting_text, "count-waiting")}
            <SummaryRow key=c.t("dash.attention") id=Some("count-attention")>
                {attention_count.to_string()}
                {attention.into_iter().map(|a| view! { <p class="sw-summary-list__line">{a}</p> }).collect_view()}
            </SummaryRow>
            {row("dash.lastReceived", last.map_or_else(|| c.t("dash.never"), |at| when(c, at)), "last-received")}
            {row("dash.storage", storage, "storage-used")}
            {row("dash.persistent", persisted, "storage-persistent")}
            {row("dash.offline.ready", offline, "offline-ready")}
        </dl>
    }
}

#[component]
fn Dashboard() -> impl IntoView {
    let c = expect_context::<Console>();
    let exported = RwSignal::new(None::<String>);
    let export = move |json: bool| {
        leptos::task::spawn_local(async move {
            match data::export(c, json).await {
                Ok(n) => exported.set(Some(c.tf(
                    "export.done",
                    &[("count", &n.to_string()), ("when", &when(c, platform::now_ms()))],
                ))),
                Err(e) => exported.set(Some(c.tf("storage.failed", &[("reason", &e)]))),
            }
        });
    };
    let setup = c.setup.get_untracked();
    let name = setup.as_ref().map(|s| s.name.clone()).unwrap_or_default();
    let device = setup.as_ref().map(|s| s.device.clone()).unwrap_or_default();
    view! {
        <h1 class="sw-heading-l" id="console-heading" tabindex="-1">{c.tf("dash.heading", &[("name", &name)])}</h1>
        <p class="sw-body">{c.tf("dash.device", &[("device", &device)])}</p>
        <p class="sw-error-message" role="alert">{move || c.message.get()}</p>
        <h2 class="sw-heading-m">{c.t("dash.status")}</h2>
        <div aria-live="polite" id="console-status">
            {move || c.data.with(|d| status_rows(c, d))}
            <p class="sw-body">{move || c.data.with(|d| (!d.items.is_empty() && d.received() == d.items.len()).then(|| c.t("dash.allReceived")))}</p>
        </div>
        <div class="sw-button-group">
            <button type="button" class="sw-button" on:click=move |_| data::send_now(c)>
                {move || if c.data.with(|d| d.sending) { c.t("dash.sending") } else { c.t("dash.sendNow") }}
            </button>
            <button type="button" class="sw-button sw-button--secondary" on:click=move |_| c.go(Screen::Setup { changing: true })>{c.t("dash.change")}</button>
            <button type="button" class="sw-button sw-button--secondary" on:click=move |_| c.go(Screen::Unlock)>{c.t("dash.lock")}</button>
        </div>
        // Export and End come before the long "What we heard today" (issue #21: they were
        // 12,000 px down a phone's page).
        <h2 class="sw-heading-m" id="export">{c.t("export.heading")}</h2>
        <p class="sw-body">{c.t("export.body")}</p>
        <div class="sw-button-group">
            <button type="button" class="sw-button sw-button--secondary" id="export-json" on:click=move |_| export(true)>{c.t("export.json")}</button>
            <button type="button" class="sw-button sw-button--secondary" id="export-csv" on:click=move |_| export(false)>{c.t("export.csv")}</button>
        </div>
        <p class="sw-body" role="status">{move || exported.get()}</p>
        <h2 class="sw-heading-m" id="end">{c.t("end.heading")}</h2>
        <p class="sw-body">{c.t("end.body")}</p>
        <button type="button" class="sw-button sw-button--warning" on:click=move |_| c.go(Screen::EndConfirm)>{c.t("end.button")}</button>
        <Heard />
    }
}

/// A bar chart in HTML: each bar under its answer's label, with its count and percentage
/// beside it, so no label is missing and no value is cut off at any width (issue #21: an SVG
/// had bars without labels and clipped "3 (100%"). Hidden from screen readers, which read
/// the table. Widths are set through CSSOM (`style:`), which a strict policy allows.
fn chart(bars: &[Bar]) -> impl IntoView {
    let max = bars.iter().map(|b| b.count).max().unwrap_or(0).max(1) as f64;
    view! {
        <ul class="sw-bars" aria-hidden="true">
            {bars.iter().map(|b| {
                let share = b.count as f64 / max;
                view! {
                    <li class="sw-bars__item">
                        <span class="sw-bars__label">{b.label.clone()}</span>
                        <span class="sw-bars__row">
                            <span class={if b.count > 0 { "sw-bars__bar sw-bars__bar--some" } else { "sw-bars__bar" }} style:width=format!("calc((100% - 6em) * {share:.3})")></span>
                            <span class="sw-bars__value">{format!("{} ({}%)", b.count, b.percent)}</span>
                        </span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

fn table(c: Console, caption: String, bars: &[Bar]) -> impl IntoView {
    view! {
        <table class="sw-table">
            <caption class="sw-table__caption">{caption}</caption>
            <thead><tr>
                <th scope="col" class="sw-table__header">{c.t("heard.option")}</th>
                <th scope="col" class="sw-table__header sw-table__header--numeric">{c.t("heard.count")}</th>
                <th scope="col" class="sw-table__header sw-table__header--numeric">{c.t("heard.percent")}</th>
            </tr></thead>
            <tbody>
                {bars.iter().map(|b| view! {
                    <tr>
                        <th scope="row" class="sw-table__cell">{b.label.clone()}</th>
                        <td class="sw-table__cell sw-table__cell--numeric">{b.count}</td>
                        <td class="sw-table__cell sw-table__cell--numeric">{format!("{}%", b.percent)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

fn number(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{n:.0}")
    } else {
        format!("{n:.1}")
    }
}

fn question(c: Console, q: QuestionSummary) -> impl IntoView {
    let answered = c.tf("heard.answered", &[("count", &q.answered.to_string())]);
    let figures = match q.figures {
        Figures::Counts { bars, others, multiple } => view! {
            <div class="sw-chart-pair">
                {chart(&bars)}
                {table(c, q.title.clone(), &bars)}
            </div>
            {multiple.then(|| view! { <p class="sw-hint">{c.t("heard.multiple")}</p> })}
            {(!others.is_empty()).then(|| view! {
                <h4 class="sw-heading-s">{c.t("heard.others")}</h4>
                <ul class="sw-list sw-list--bullet">{others.into_iter().map(|o| view! { <li>{o}</li> }).collect_view()}</ul>
            })}
        }
        .into_any(),
        Figures::Likert(rows) => rows
            .into_iter()
            .map(|(statement, bars)| {
                view! {
                    <div class="sw-chart-pair">
                        {chart(&bars)}
                        {table(c, statement, &bars)}
                    </div>
                }
            })
            .collect_view()
            .into_any(),
        Figures::Numbers(Some(n)) => view! {
            <dl class="sw-summary-list">
                <SummaryRow key=c.t("heard.median")>{number(n.median)}</SummaryRow>
                <SummaryRow key=c.t("heard.range")>{format!("{} – {}", number(n.min), number(n.max))}</SummaryRow>
            </dl>
        }
        .into_any(),
        Figures::Numbers(None) => view! { <p class="sw-body">{c.t("heard.noAnswers")}</p> }.into_any(),
        Figures::Personal => view! { <p class="sw-body">{c.t("heard.personal")}</p> }.into_any(),
        Figures::Texts(texts) if texts.is_empty() => view! { <p class="sw-body">{c.t("heard.noAnswers")}</p> }.into_any(),
        Figures::Texts(texts) => view! {
            <ul class="sw-list sw-list--bullet sw-heard__texts">{texts.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
        }
        .into_any(),
    };
    view! {
        <section class="sw-heard__question" aria-labelledby=format!("heard-{}", q.id)>
            <h3 class="sw-heading-s" id=format!("heard-{}", q.id)>{q.title.clone()}</h3>
            <p class="sw-hint">{answered}</p>
            {figures}
        </section>
    }
}

/// "What we heard today": this event's answers, question by question.
#[component]
fn Heard() -> impl IntoView {
    let c = expect_context::<Console>();
    let summaries = Memo::new(move |_| {
        let started = platform::now_ms();
        // Only this survey's responses are summed up; any to another survey are counted
        // and said (issue #21: every question read "0 answered", with no warning).
        let (out, other) = c.survey.with(|s| match s {
            Some(survey) => c.data.with(|d| {
                let (mine, other): (Vec<_>, Vec<_>) = d.items.iter().partition(|i| i.response.survey_id == survey.id);
                let answers: Vec<_> = mine.iter().map(|i| &i.response.answers).collect();
                let out = c.answers_cat.with_value(|cat| summarise(survey, &answers, cat));
                (Some(out), other.len())
            }),
            None => (None, c.data.with(|d| d.items.len())),
        });
        let ms = platform::now_ms() - started;
        (out, ms, c.data.with(|d| d.items.len()), other)
    });
    view! {
        <section class="sw-heard" aria-labelledby="heard-heading" data-summary-ms=move || format!("{:.1}", summaries.with(|s| s.1))>
            <h2 class="sw-heading-m" id="heard-heading">{c.t("heard.heading")}</h2>
            {move || {
                let (list, _, count, other) = summaries.get();
                if count == 0 {
                    return Either::Left(view! { <p class="sw-body">{c.t("heard.none")}</p> });
                }
                let warning = (other > 0).then(|| {
                    let text = match c.survey.with(|s| s.as_ref().map(|s| s.title.clone())) {
                        Some(title) => c.tf("heard.otherSurvey", &[("count", &other.to_string()), ("title", &title)]),
                        None => c.tf("heard.noSurvey", &[("count", &other.to_string())]),
                    };
                    view! { <div class="sw-warning-text" id="heard-other"><strong class="sw-warning-text__text">{text}</strong></div> }
                });
                Either::Right(view! {
                    {warning}
                    {list.unwrap_or_default().into_iter().map(|q| question(c, q)).collect_view()}
                })
            }}
        </section>
    }
}

#[component]
fn EndConfirm() -> impl IntoView {
    let c = expect_context::<Console>();
    let error = RwSignal::new(false);
    let ending = move || c.data.with(Snapshot::ending);
    let end = move |_| {
        if ending().at_risk > 0 && !checked("end-confirm") {
            error.set(true);
            focus_errors();
            return;
        }
        leptos::task::spawn_local(async move {
            match data::end_event(c).await {
                Ok(()) => c.go(Screen::Setup { changing: false }),
                Err(e) => c.message.set(Some(c.tf("storage.failed", &[("reason", &e)]))),
            }
        });
    };
    let row = move |key: &str, n: usize, id: &'static str| summary_row(c, key, n.to_string(), id);
    view! {
        <h1 class="sw-heading-l" id="console-heading" tabindex="-1">{c.t("end.confirm.heading")}</h1>
        <p class="sw-error-message" role="alert">{move || c.message.get()}</p>
        {move || {
            let e = ending();
            // Exactly what is where (issue #21), then what ending does to it.
            let counts = view! {
                <dl class="sw-summary-list" id="end-counts">
                    {row("end.count.total", e.total, "end-total")}
                    {row("end.count.received", e.received, "end-received")}
                    {row("end.count.exported", e.exported_only, "end-exported")}
                    {row("end.count.atRisk", e.at_risk, "end-at-risk")}
                </dl>
            };
            let file = (e.exported_only > 0).then(|| view! { <p class="sw-body">{c.t("end.confirm.keepFile")}</p> });
            if e.at_risk == 0 {
                Either::Left(view! { {counts} <p class="sw-body">{c.t("end.confirm.safe")}</p> {file} })
            } else {
                let n = e.at_risk.to_string();
                let errors = if error.get() { vec![("end-confirm".to_owned(), c.tf("end.confirm.tick.error", &[("count", &n)]))] } else { Vec::new() };
                Either::Right(view! {
                    {error_summary(c, errors)}
                    {counts}
                    <div class="sw-warning-text"><strong class="sw-warning-text__text">{c.tf("end.confirm.unsafe", &[("count", &n)])}</strong></div>
                    {file}
                    <div class="sw-checkboxes">
                        <div class="sw-checkboxes__item">
                            <input class="sw-checkboxes__input" type="checkbox" id="end-confirm" />
                            <label class="sw-label sw-checkboxes__label" for="end-confirm">{c.tf("end.confirm.tick", &[("count", &n)])}</label>
                        </div>
                    </div>
                })
            }
        }}
        <div class="sw-button-group">
            <button type="button" class="sw-button sw-button--warning" id="end-event" on:click=end>{c.t("end.confirm.button")}</button>
            <button type="button" class="sw-button sw-button--secondary" on:click=move |_| c.go(Screen::Dashboard)>{c.t("end.cancel")}</button>
        </div>
    }
}

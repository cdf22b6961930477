//! preview.html (issue #11): the web teams' page in the release artefact. Its own wasm, so a
//! respondent never downloads it. Check a survey file with the widget's own loading checks,
//! preview it live in a phone-sized and a desktop frame (frame.html, which neither saves nor
//! sends in preview), choose theme colours with their contrast checked, and copy the embed
//! code. Everything runs in the browser, offline.
use leptos::prelude::*;
use std::sync::Arc;
use survey_widget::components::{describedby, ErrorSummary, FormGroup, Problem};
use survey_widget::core::embed::{self, EmbedChoices, Rgb, Theme};
use survey_widget::core::survey::advice::advise;
use survey_widget::core::survey::load::{load_survey_value, parse, side_by_side, TextVersions};
use survey_widget::core::survey::paste;
use survey_widget::core::{Catalogue, DefinitionErrors, Survey};
use survey_widget::platform::{self, console_error, preview};

const MESSAGES: &str = include_str!("en.json");

/// What the check of the pasted survey found.
#[derive(Clone, Debug, PartialEq)]
enum Checked {
    /// Nothing checked yet.
    Nothing,
    /// Nothing to check.
    Empty,
    /// The file could not be read.
    Unreadable(String),
    /// The widget would refuse it: every problem, with its JSON path.
    Problems(Vec<(String, String)>),
    /// It loads.
    Fine {
        summary: String,
        /// Advice on its wording and accessibility (issue #25): where, and what, worded.
        advice: Vec<(String, String)>,
        definition: String,
        /// Its languages (code, name, right to left), the default first.
        languages: Vec<(String, String, bool)>,
        /// In a draft, each text without one of the languages: its path and the language.
        missing: Vec<(String, String)>,
        /// Every text in each language, for a checker.
        texts: Vec<TextVersions>,
    },
}

fn check(text: &str, cat: &Catalogue) -> Checked {
    if text.trim().is_empty() {
        return Checked::Empty;
    }
    // Parsed once: loading and the side-by-side texts both read the same value.
    match parse(text).and_then(|value| load_survey_value(&value).map(|survey| (value, survey))) {
        Ok((value, survey)) => Checked::Fine {
            summary: summary(&survey, cat),
            advice: advise(&survey, &[])
                .into_iter()
                .map(|a| {
                    let params = a.kind.params();
                    let params: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    (a.path, cat.format(a.kind.key(), &params))
                })
                .collect(),
            definition: text.to_owned(),
            languages: survey
                .languages
                .iter()
                .map(|l| (l.code.clone(), l.name.clone(), l.rtl))
                .collect(),
            missing: survey
                .missing
                .iter()
                .map(|m| (m.path.clone(), m.lang.clone()))
                .collect(),
            texts: side_by_side(&value),
        },
        Err(DefinitionErrors(errors)) => {
            Checked::Problems(errors.into_iter().map(|e| (e.path, e.kind.to_string())).collect())
        }
    }
}

fn summary(survey: &Survey, cat: &Catalogue) -> String {
    let questions = survey
        .pages
        .iter()
        .flat_map(|p| &p.questions)
        .filter(|q| q.kind.is_answerable())
        .count();
    cat.format(
        "problems.none",
        &[
            ("title", &survey.title),
            ("version", &survey.version),
            ("pages", &survey.pages.len().to_string()),
            ("questions", &questions.to_string()),
        ],
    )
}

/// Advice on the survey as written (issue #25): never a problem, so beside the result, not in
/// the error summary; each item says where in the file.
#[component]
fn Advice(cat: Arc<Catalogue>, advice: Vec<(String, String)>) -> impl IntoView {
    let intro = if advice.is_empty() {
        cat.get("advice.none").to_owned()
    } else {
        cat.plural("advice.intro", advice.len() as u64, &[])
    };
    let items = advice
        .into_iter()
        .map(|(path, text)| view! { <li><code class="pv-path">{path}</code>": "{text}</li> })
        .collect::<Vec<_>>();
    view! {
        <section class="pv-advice" aria-labelledby="pv-advice-title">
            <h3 class="sw-heading-s" id="pv-advice-title">{cat.get("advice.heading").to_owned()}</h3>
            <p class="sw-body">{intro}</p>
            <ul class="sw-list sw-list--bullet" id="pv-advice">{items}</ul>
        </section>
    }
}

/// The six themable colours, by property name, with their message keys.
const COLOURS: [(&str, &str); 6] = [
    ("brand", "colour.brand"),
    ("text", "colour.text"),
    ("link", "colour.link"),
    ("focus", "colour.focus"),
    ("error", "colour.error"),
    ("background", "colour.background"),
];

fn colour(t: &Theme, name: &str) -> Rgb {
    match name {
        "brand" => t.brand,
        "text" => t.text,
        "link" => t.link,
        "focus" => t.focus,
        "error" => t.error,
        _ => t.background,
    }
}

fn set_colour(t: &mut Theme, name: &str, value: Rgb) {
    match name {
        "brand" => t.brand = value,
        "text" => t.text = value,
        "link" => t.link = value,
        "focus" => t.focus = value,
        "error" => t.error = value,
        _ => t.background = value,
    }
}

/// Sends the survey to a preview frame.
fn post(frame: &NodeRef<leptos::html::Iframe>, definition: &str) {
    if let Some(frame) = frame.get_untracked() {
        preview::post_to_frame(&frame, definition);
    }
}

#[component]
fn Preview(cat: Arc<Catalogue>) -> impl IntoView {
    let t = {
        let cat = cat.clone();
        move |key: &str| cat.get(key).to_owned()
    };
    let text = RwSignal::new(String::new());
    let pasted = RwSignal::new(String::new());
    // The lines of a paste that were not taken (issue #25): number and text.
    let left_out = RwSignal::new(Vec::<(usize, String)>::new());
    let checked = RwSignal::new(Checked::Nothing);
    let theme_choice = RwSignal::new(Theme::default());
    let survey_url = RwSignal::new(String::from("/surveys/your-survey.json"));
    let endpoint = RwSignal::new(String::new());
    let parent = RwSignal::new(String::new());
    let copied = RwSignal::new(String::new());
    let phone = NodeRef::<leptos::html::Iframe>::new();
    let desktop = NodeRef::<leptos::html::Iframe>::new();
    let here = preview::page_url();
    let embed_js = here
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .rsplit_once('/')
        .map(|(dir, _)| format!("{dir}/embed.js"))
        .unwrap_or_else(|| "embed.js".into());

    let definition = move || match checked.get() {
        Checked::Fine { definition, .. } => Some(definition),
        _ => None,
    };
    let run_check = {
        let cat = cat.clone();
        move || {
            let result = check(&text.get_untracked(), &cat);
            if let Checked::Fine { definition, .. } = &result {
                post(&phone, definition);
                post(&desktop, definition);
            }
            checked.set(result);
            request_animation_frame(|| platform::focus("pv-result"));
        }
    };
    let run_check = StoredValue::new(run_check);
    // The language the frames preview the survey in (the frame page's `?lang=`).
    let preview_lang = RwSignal::new(String::new());
    let frame_src = move || {
        let mut src = String::from("frame.html?preview");
        let lang = preview_lang.get();
        if !lang.is_empty() {
            src.push_str(&format!("&lang={}", embed::encode_query(&lang)));
        }
        let default = Theme::default();
        let chosen = theme_choice.get();
        for (name, _) in COLOURS {
            let value = colour(&chosen, name);
            if value != colour(&default, name) {
                src.push_str(&format!("&{name}={}", embed::encode_query(&value.hex())));
            }
        }
        src
    };
    let choices = move || EmbedChoices {
        embed_js: embed_js.clone(),
        survey: survey_url.get(),
        endpoint: endpoint.get(),
        parent_origin: parent.get(),
        theme: theme_choice.get(),
    };
    let choices = StoredValue::new(choices);
    let element_code = move || choices.with_value(|c| embed::element_code(&c()));
    let iframe_code = move || choices.with_value(|c| embed::iframe_code(&c()));
    let copy_button = {
        let cat = cat.clone();
        move |code: String| {
            let (yes, no) = (cat.get("code.copied").to_owned(), cat.get("code.notCopied").to_owned());
            leptos::task::spawn_local(async move {
                let ok = preview::copy_text(&code).await;
                let _ = copied.try_set(if ok { yes } else { no });
            });
        }
    };
    let copy_element = copy_button.clone();

    let result = {
        let cat = cat.clone();
        move || {
            let cat = cat.clone();
            match checked.get() {
                Checked::Nothing => None,
                Checked::Empty | Checked::Unreadable(_) | Checked::Problems(_) => {
                    let (title, items) = match checked.get() {
                        Checked::Empty => (cat.get("problems.empty").to_owned(), Vec::new()),
                        Checked::Unreadable(reason) => (cat.format("problems.file", &[("reason", &reason)]), Vec::new()),
                        Checked::Problems(p) if p.len() == 1 => (cat.get("problems.one").to_owned(), p),
                        Checked::Problems(p) => (cat.format("problems.many", &[("count", &p.len().to_string())]), p),
                        _ => (String::new(), Vec::new()),
                    };
                    let intro = (!items.is_empty()).then(|| cat.get("problems.intro").to_owned());
                    let problems = items
                        .into_iter()
                        // Each problem links to the box that holds the JSON, as GOV.UK's summary
                        // links every error to its field; the path says where in it.
                        .map(|(path, text)| Problem {
                            text: format!("{path}: {text}"),
                            target: "pv-json".to_owned(),
                        })
                        .collect();
                    Some(
                        view! {
                            <ErrorSummary id="pv-result".to_owned() title_id=Some("pv-result-title".to_owned())
                                title intro problems />
                        }
                        .into_any(),
                    )
                }
                Checked::Fine { summary, advice, .. } => Some(
                    view! {
                        <div class="sw-inset-text" id="pv-result" tabindex="-1" role="status"><p class="sw-body">{summary}</p></div>
                        <Advice cat=cat.clone() advice />
                    }
                    .into_any(),
                ),
            }
        }
    };

    let colour_fields = COLOURS
        .into_iter()
        .map(|(name, key)| {
            let id = format!("pv-colour-{name}");
            let hint_id = format!("{id}-contrast");
            let cat = cat.clone();
            let contrast = move || {
                embed::checks(&theme_choice.get())
                    .into_iter()
                    .filter(|c| c.property == name)
                    .map(|c| {
                        let params = [
                            ("ratio", embed::ratio_text(c.ratio)),
                            ("against", cat.get(c.against).to_owned()),
                            ("needed", embed::ratio_text(c.needed)),
                        ];
                        let params: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
                        if c.passes() {
                            view! { <p class="sw-hint pv-contrast">{cat.format("contrast.pass", &params)}</p> }.into_any()
                        } else {
                            view! {
                                <p class="pv-warning"><span class="sw-visually-hidden">{cat.get("warning").to_owned()}": "</span>{cat.format("contrast.fail", &params)}</p>
                            }
                            .into_any()
                        }
                    })
                    .collect_view()
            };
            view! {
                <FormGroup id=id.clone() label=t(key)>
                    <input type="color" class="pv-colour" id=id aria-describedby=hint_id.clone()
                        prop:value=move || colour(&theme_choice.get(), name).hex()
                        on:change:target=move |ev| {
                            if let Some(rgb) = Rgb::parse(&ev.target().value()) {
                                theme_choice.update(|t| set_colour(t, name, rgb));
                            }
                        } />
                    <div id=hint_id aria-live="polite">{contrast}</div>
                </FormGroup>
            }
        })
        .collect_view();

    // Issue #23: a survey in several languages, each to preview, what is not translated yet,
    // and every text side by side for a Welsh language officer or a translator to check.
    let languages = {
        let cat = cat.clone();
        move || {
            let Checked::Fine {
                languages,
                missing,
                texts,
                ..
            } = checked.get()
            else {
                return None;
            };
            if languages.len() < 2 && missing.is_empty() {
                return None;
            }
            let names: Vec<String> = languages.iter().map(|(_, name, _)| name.clone()).collect();
            let name_of = |code: &str| {
                languages
                    .iter()
                    .find(|(c, _, _)| c == code)
                    .map_or(code.to_owned(), |(_, n, _)| n.clone())
            };
            let status = if missing.is_empty() {
                view! { <p class="sw-body">{cat.get("languages.complete").to_owned()}</p> }.into_any()
            } else {
                let items = missing
                    .iter()
                    .map(|(path, lang)| {
                        let line = cat.format("languages.missingItem", &[("path", path), ("language", &name_of(lang))]);
                        view! { <li>{line}</li> }
                    })
                    .collect_view();
                view! {
                    <div class="sw-warning" id="pv-missing">
                        <p class="sw-body">{cat.get("languages.missing").to_owned()}</p>
                        <ul class="sw-list">{items}</ul>
                    </div>
                }
                .into_any()
            };
            let options = languages
                .iter()
                .map(|(code, name, _)| {
                    let selected = preview_lang.get_untracked() == *code;
                    view! { <option value=code.clone() lang=code.clone() selected=selected>{name.clone()}</option> }
                })
                .collect_view();
            let header = languages
                .iter()
                .map(|(code, name, rtl)| {
                    view! { <th scope="col" class="sw-table__header" lang=code.clone() dir=if *rtl { "rtl" } else { "ltr" }>{name.clone()}</th> }
                })
                .collect_view();
            let rows = texts
                .into_iter()
                .map(|t| {
                    let cells = t
                        .texts
                        .into_iter()
                        .map(|(code, text)| {
                            let rtl = languages.iter().any(|(c, _, r)| *c == code && *r);
                            match text {
                                Some(text) => view! {
                                    <td class="sw-table__cell" lang=code dir=if rtl { "rtl" } else { "ltr" }>{text}</td>
                                }
                                .into_any(),
                                None => view! {
                                    <td class="sw-table__cell pv-untranslated"><strong>{cat.get("languages.none").to_owned()}</strong></td>
                                }
                                .into_any(),
                            }
                        })
                        .collect_view();
                    view! { <tr class="sw-table__row"><th scope="row" class="sw-table__header pv-path">{t.path}</th>{cells}</tr> }
                })
                .collect_view();
            Some(view! {
                <h2 class="sw-heading-l">{cat.get("languages.heading").to_owned()}</h2>
                <p class="sw-body">{cat.format("languages.intro", &[("languages", &names.join(", "))])}</p>
                {status}
                <FormGroup id="pv-language".to_owned() label=cat.get("languages.preview").to_owned()>
                    <select class="sw-select" id="pv-language" on:change:target=move |ev| preview_lang.set(ev.target().value())>{options}</select>
                </FormGroup>
                <h3 class="sw-heading-m" id="pv-texts-title">{cat.get("languages.table").to_owned()}</h3>
                <div class="pv-texts" role="region" aria-labelledby="pv-texts-title" tabindex="0">
                    <table class="sw-table" id="pv-texts">
                        <thead><tr class="sw-table__row"><th scope="col" class="sw-table__header">{cat.get("languages.where").to_owned()}</th>{header}</tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            })
        }
    };

    let frame = move |node: NodeRef<leptos::html::Iframe>, class: &'static str, title: String, caption: String| {
        // The phone's frame keeps its 375 px and scrolls sideways inside its figure on a
        // narrower screen, so a keyboard must be able to reach and scroll it (WCAG 2.1.1).
        let scrolls = class.contains("phone").then_some("0");
        view! {
            <figure class=class tabindex=scrolls>
                <figcaption>{caption}</figcaption>
                <iframe node_ref=node title=title src=frame_src
                    on:load=move |_| if let Some(d) = definition() { post(&node, &d) } />
            </figure>
        }
    };

    view! {
        <div class="sw-widget">
            <h1 class="sw-heading-xl">{t("title")}</h1>
            <p class="sw-body">{t("intro")}</p>

            <h2 class="sw-heading-l">{t("survey.heading")}</h2>
            <FormGroup id="pv-file".to_owned() label=t("survey.file")>
                <input type="file" id="pv-file" accept=".json,application/json"
                    on:change:target=move |ev| {
                        let input = ev.target();
                        leptos::task::spawn_local(async move {
                            match preview::read_chosen_file(&input).await {
                                Ok(contents) => {
                                    let _ = text.try_set(contents);
                                    let _ = run_check.try_with_value(|f| f());
                                }
                                Err(reason) => {
                                    let _ = checked.try_set(Checked::Unreadable(reason));
                                }
                            }
                        });
                    } />
            </FormGroup>
            <FormGroup id="pv-paste".to_owned() label=t("paste.label") hint=Some(t("paste.hint"))>
                <textarea class="sw-textarea" id="pv-paste" rows="8" aria-describedby="pv-paste-hint"
                    prop:value=move || pasted.get()
                    on:input:target=move |ev| pasted.set(ev.target().value())></textarea>
            </FormGroup>
            <button type="button" class="sw-button sw-button--secondary" id="pv-paste-button"
                on:click={
                    let untitled = t("paste.untitled");
                    move |_| {
                        let result = paste::from_text(&pasted.get_untracked(), &untitled);
                        let json = serde_json::to_string_pretty(&result.survey).unwrap_or_else(|_| result.survey.to_string());
                        left_out.set(result.left_out);
                        text.set(json);
                        run_check.with_value(|f| f());
                    }
                }>{t("paste.button")}</button>
            {
                let cat = cat.clone();
                move || {
                    let lines = left_out.get();
                    (!lines.is_empty()).then(|| {
                        let items = lines
                            .into_iter()
                            .map(|(n, line)| view! { <li>{cat.format("paste.line", &[("number", &n.to_string()), ("text", &line)])}</li> })
                            .collect::<Vec<_>>();
                        view! {
                            <div class="sw-inset-text" id="pv-left-out">
                                <p class="sw-body">{cat.get("paste.leftOut").to_owned()}</p>
                                <ul class="sw-list sw-list--bullet">{items}</ul>
                            </div>
                        }
                    })
                }
            }
            <FormGroup id="pv-json".to_owned() label=t("survey.json") hint=Some(t("survey.json.hint"))>
                <textarea class="sw-textarea" id="pv-json" rows="14" spellcheck="false" aria-describedby="pv-json-hint"
                    prop:value=move || text.get()
                    on:input:target=move |ev| text.set(ev.target().value())></textarea>
            </FormGroup>
            <button type="button" class="sw-button" on:click=move |_| run_check.with_value(|f| f())>{t("survey.check")}</button>
            {result}

            {languages}

            <h2 class="sw-heading-l">{t("preview.heading")}</h2>
            <p class="sw-body">{
                let (ready, waiting) = (t("preview.intro"), t("preview.waiting"));
                move || if definition().is_some() { ready.clone() } else { waiting.clone() }
            }</p>
            <div class="pv-frames">
                {frame(phone, "pv-frame pv-frame--phone", t("preview.phone"), t("preview.phone"))}
                {frame(desktop, "pv-frame pv-frame--desktop", t("preview.desktop"), t("preview.desktop"))}
            </div>

            <h2 class="sw-heading-l">{t("colours.heading")}</h2>
            <p class="sw-body">{t("colours.intro")}</p>
            <div class="pv-colours">{colour_fields}</div>

            <h2 class="sw-heading-l">{t("code.heading")}</h2>
            {[("pv-survey", "code.survey", survey_url), ("pv-endpoint", "code.endpoint", endpoint), ("pv-parent", "code.parent", parent)]
                .into_iter()
                .map(|(id, key, value)| {
                    view! {
                        <FormGroup id=id.to_owned() label=t(key) hint=Some(t(&format!("{key}.hint")))>
                            <input type="text" class="sw-input" id=id aria-describedby=describedby(id, true, false) spellcheck="false" autocomplete="off"
                                prop:value=move || value.get() on:input:target=move |ev| value.set(ev.target().value()) />
                        </FormGroup>
                    }
                })
                .collect_view()}
            <h3 class="sw-heading-m">{t("code.element")}</h3>
            <p class="sw-body">{t("code.element.hint")}</p>
            <pre class="pv-code" id="pv-element-code">{element_code}</pre>
            <button type="button" class="sw-button sw-button--secondary" on:click=move |_| copy_element(element_code())>{t("code.copy.element")}</button>
            <h3 class="sw-heading-m">{t("code.iframe")}</h3>
            <pre class="pv-code" id="pv-iframe-code">{iframe_code}</pre>
            <button type="button" class="sw-button sw-button--secondary" on:click=move |_| copy_button(iframe_code())>{t("code.copy.iframe")}</button>
            <p class="sw-body" role="status">{move || copied.get()}</p>
        </div>
    }
}

fn main() {
    let Some(host) = platform::host_elements("[data-survey-preview]").into_iter().next() else {
        console_error("preview: the page has no [data-survey-preview] element");
        return;
    };
    let cat = match Catalogue::from_json(MESSAGES) {
        Ok(c) => Arc::new(c),
        Err(e) => {
            console_error(&format!("preview: messages: {e}"));
            return;
        }
    };
    // The preview is the whole page and lives as long as it.
    leptos::mount::mount_to(host, move || view! { <Preview cat /> }).forget();
}

//! A survey's versions and draft in the console (issue #25): the published versions (which
//! never change) with who published each and when, the live one's public address, and the one
//! draft: edited as JSON here or brought from the editor or a spreadsheet, checked as it
//! would be published (what blocks it, how the export's columns change, advice on the
//! wording), published by the signed-in officer, or discarded.
use super::{field, message_page, unavailable, Signed};
use crate::html::{self, esc, html_reply, query_value, see_other, Layout};
use crate::publishing::{review, Refused, Review};
use crate::reply::Reply;
use crate::Collector;
use hyper::StatusCode;

/// The largest definition the draft form takes; the form's own limit is larger.
pub(crate) const MAX_DEFINITION_BYTES: usize = 200 * 1024;

/// `GET /console/surveys/{id}/versions`.
pub(crate) async fn show(c: &Collector, signed: &Signed, id: &str, query: Option<&str>) -> Reply {
    let banner = match (query_value(query, "published"), query_value(query, "done")) {
        (Some(v), _) => Some((
            "Success",
            format!("Version {v} is published. People loading the survey from the collector get it within a minute."),
        )),
        (_, Some(d)) if d == "saved" => Some(("Success", "The draft is saved.".to_owned())),
        (_, Some(d)) if d == "discarded" => Some((
            "Success",
            "The draft is discarded. The published versions are unchanged.".to_owned(),
        )),
        _ => None,
    };
    page(
        c,
        signed,
        id,
        None,
        &[],
        banner.as_ref().map(|(t, s)| (*t, s.as_str())),
        StatusCode::OK,
    )
    .await
}

/// Renders the page; `edited` is a definition sent back with its problems.
async fn page(
    c: &Collector,
    signed: &Signed,
    id: &str,
    edited: Option<&str>,
    problems: &[(String, String)],
    banner: Option<(&str, &str)>,
    status: StatusCode,
) -> Reply {
    let (published, draft) = match (
        c.store().published(Some(id.to_owned())).await,
        c.store().draft(id.to_owned()).await,
    ) {
        (Ok(p), Ok(d)) => (p, d),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("collector: console: {e}");
            return unavailable();
        }
    };
    let surveys = c.surveys();
    let title = surveys.latest(id).map_or(id, |s| s.title.as_str());
    let mut main = String::new();
    match published.last() {
        Some(live) => {
            let address = format!("{}/surveys/{id}/survey.json", c.config.public_url);
            main.push_str(&html::summary_list(&[
                ("Live version", esc(&live.version)),
                ("Published", format!("{} by {}", esc(&html::day_text(&live.published_at)), esc(&live.published_by))),
                ("Public address", format!("<code>{}</code>", esc(&address))),
            ]));
            main.push_str(
                "<p class=\"c-hint\">A web page loads the live version from the public address \
                 (<code>data-survey</code>, or <code>src</code> on <code>&lt;council-survey&gt;</code>). \
                 A published version never changes: each change is a new version, and every response records the version it answered.</p>",
            );
            let rows: Vec<Vec<String>> = published
                .iter()
                .rev()
                .map(|v| {
                    vec![
                        format!("<a href=\"/surveys/{}/versions/{}.json\">{}</a>", esc(id), esc(&v.version), esc(&v.version)),
                        esc(&html::day_text(&v.published_at)),
                        esc(&v.published_by),
                    ]
                })
                .collect();
            main.push_str(&html::table("Published versions, newest first", &["Version", "Published", "By"], &rows, 3));
        }
        None => main.push_str(
            "<p>No version of this survey is published through the collector yet. Save a draft below, check it, then publish it.</p>",
        ),
    }
    let csrf = esc(&signed.csrf);
    main.push_str("<h2 class=\"c-heading-m\">Draft</h2>");
    if let Some(d) = &draft {
        main.push_str(&format!(
            "<p>Saved {} by {}.</p>",
            esc(&html::day_text(&d.updated_at)),
            esc(&d.updated_by)
        ));
        let mut r = review(&surveys, &d.body, Some(id), &c.config.jargon);
        // A version's name is used once: said here, before the officer presses Publish.
        if let Some(same) = published.iter().find(|v| Some(&v.version) == r.version.as_ref()) {
            r.problems.push(if same.body == d.body {
                format!("The draft is version {} exactly as it is published: there is nothing new to publish", same.version)
            } else {
                format!("Version {} is already published, and a published version never changes: give the draft a new version", same.version)
            });
        }
        main.push_str(&checks(&r));
        if r.can_publish() {
            main.push_str(&format!(
                "<form method=\"post\" action=\"/console/surveys/{id}/versions\" class=\"c-inline-form\">\
                 <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\"><input type=\"hidden\" name=\"action\" value=\"publish\">\
                 <button type=\"submit\" class=\"c-button\">Publish version {}</button></form>",
                esc(r.version.as_deref().unwrap_or_default()),
                id = esc(id)
            ));
        }
        main.push_str(&format!(
            "<form method=\"post\" action=\"/console/surveys/{id}/versions\" class=\"c-inline-form\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\"><input type=\"hidden\" name=\"action\" value=\"discard\">\
             <button type=\"submit\" class=\"c-button c-button--warning\">Discard the draft</button></form>",
            id = esc(id)
        ));
    } else {
        main.push_str("<p>There is no draft. A survey has at most one, the next version being prepared.</p>");
    }
    let text = edited
        .map(str::to_owned)
        .or_else(|| draft.as_ref().map(|d| d.body.clone()))
        .or_else(|| published.last().map(|v| v.body.clone()))
        .unwrap_or_default();
    main.push_str(&format!(
        "<form method=\"post\" action=\"/console/surveys/{id}/versions\" novalidate>\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\"><input type=\"hidden\" name=\"action\" value=\"save\">\
         <div class=\"c-field\"><label class=\"c-label\" for=\"definition\">The draft's survey file (JSON)</label>\
         <p class=\"c-hint\" id=\"definition-hint\">Paste the file the survey editor or <code>survey-collector survey import</code> made, \
         or change it here. Give the next version a new <code>version</code>.</p>{}\
         <textarea class=\"c-textarea c-textarea--code\" id=\"definition\" name=\"definition\" rows=\"16\" spellcheck=\"false\"{}>{}</textarea></div>\
         <button type=\"submit\" class=\"c-button c-button--secondary\">Save the draft</button></form>",
        html::field_error(problems, "definition"),
        if problems.iter().any(|(f, _)| f == "definition") {
            " aria-describedby=\"definition-hint definition-error\" aria-invalid=\"true\""
        } else {
            " aria-describedby=\"definition-hint\""
        },
        esc(&text),
        id = esc(id)
    ));
    let breadcrumbs = [
        ("Surveys", "/console".to_owned()),
        (title, format!("/console/surveys/{id}")),
    ];
    let heading = format!("Versions of {title}");
    let layout = Layout {
        title: &heading,
        signed_in: Some((&signed.user, &signed.csrf)),
        breadcrumbs: &breadcrumbs,
        problems,
        banner,
    };
    html_reply(status, html::page(&layout, &main))
}

/// What the checks found, as the officer reads them before publishing.
fn checks(r: &Review) -> String {
    let mut out = String::new();
    if r.problems.is_empty() {
        out.push_str(&format!(
            "<p>Ready to publish as version <strong>{}</strong>.</p>",
            esc(r.version.as_deref().unwrap_or_default())
        ));
    } else {
        let items: String = r.problems.iter().map(|p| format!("<li>{}</li>", esc(p))).collect();
        out.push_str(&format!(
            "<div class=\"c-warning\"><h3 class=\"c-heading-s\">It cannot be published yet</h3><ul class=\"c-list\">{items}</ul></div>"
        ));
    }
    if r.changes.splits() {
        let list = |cols: &[String]| {
            if cols.is_empty() {
                "none".to_owned()
            } else {
                cols.iter()
                    .map(|c| format!("<code>{}</code>", esc(c)))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        out.push_str(&format!(
            "<h3 class=\"c-heading-s\">This change splits your data</h3>\
             <p>Responses to earlier versions keep their answers; the exports gain and lose columns:</p>\
             {}",
            html::summary_list(&[
                ("Columns that stop", list(&r.changes.ending)),
                ("Columns that start", list(&r.changes.starting)),
            ])
        ));
    }
    if !r.advice.is_empty() {
        let items: String = r
            .advice
            .iter()
            .map(|(path, text)| format!("<li><code>{}</code>: {}</li>", esc(path), esc(text)))
            .collect();
        out.push_str(&format!(
            "<h3 class=\"c-heading-s\">Advice on the wording</h3>\
             <p class=\"c-hint\">From GOV.UK's guidance on accessible questions and plain English. It never stops publishing.</p>\
             <ul class=\"c-list\">{items}</ul>"
        ));
    }
    out
}

/// `POST /console/surveys/{id}/versions`: save, publish or discard the draft.
pub(crate) async fn post(c: &Collector, signed: &Signed, id: &str, form: &[(String, String)]) -> Reply {
    let here = format!("/console/surveys/{id}/versions");
    match field(form, "action") {
        "save" => {
            let text = field(form, "definition").replace("\r\n", "\n");
            let problem = if text.trim().is_empty() {
                Some("Enter the survey file".to_owned())
            } else if text.len() > MAX_DEFINITION_BYTES {
                Some(format!(
                    "The survey file must be {} KB or smaller",
                    MAX_DEFINITION_BYTES / 1024
                ))
            } else {
                match survey_widget::core::text::json::parse(&text) {
                    Err(e) => Some(format!("The survey file is not JSON: {e}")),
                    Ok(v) => match v.get("id").and_then(|i| i.as_str()) {
                        Some(found) if found == id => None,
                        Some(found) => Some(format!("The survey file is for survey {found}, not {id}")),
                        None => Some("The survey file needs its survey's id".to_owned()),
                    },
                }
            };
            if let Some(p) = problem {
                let problems = [("definition".to_owned(), p)];
                return page(c, signed, id, Some(&text), &problems, None, StatusCode::BAD_REQUEST).await;
            }
            if let Err(e) = c.store().save_draft(id.to_owned(), text, signed.user.clone()).await {
                eprintln!("collector: console: {e}");
                return unavailable();
            }
            eprintln!("collector: console: {} saved a draft of {id}", signed.user);
            see_other(&format!("{here}?done=saved"))
        }
        "publish" => {
            let draft = match c.store().draft(id.to_owned()).await {
                Ok(Some(d)) => d,
                Ok(None) => {
                    return message_page(
                        StatusCode::CONFLICT,
                        "There is no draft to publish",
                        "The draft was published or discarded since this page was shown.",
                        ("See the versions", &here),
                    )
                }
                Err(e) => {
                    eprintln!("collector: console: {e}");
                    return unavailable();
                }
            };
            match crate::publishing::publish(c, &draft.body, Some(id), &signed.user, true).await {
                Ok((r, _)) => {
                    let version = r.version.unwrap_or_default();
                    eprintln!("collector: console: {} published {id} version {version}", signed.user);
                    let encoded: String = form_urlencoded::byte_serialize(version.as_bytes()).collect();
                    see_other(&format!("{here}?published={encoded}"))
                }
                Err(Refused::Problems(r)) => {
                    let problems: Vec<(String, String)> = r
                        .problems
                        .iter()
                        .map(|p| ("definition".to_owned(), p.clone()))
                        .collect();
                    page(c, signed, id, None, &problems, None, StatusCode::BAD_REQUEST).await
                }
                Err(Refused::Conflict(v)) => {
                    let problems = [(
                        "definition".to_owned(),
                        format!("Version {v} is already published with other content: give the draft a new version"),
                    )];
                    page(c, signed, id, None, &problems, None, StatusCode::CONFLICT).await
                }
                Err(Refused::Store(e)) => {
                    eprintln!("collector: console: {e}");
                    unavailable()
                }
            }
        }
        "discard" => match c.store().discard_draft(id.to_owned()).await {
            Ok(_) => {
                eprintln!("collector: console: {} discarded the draft of {id}", signed.user);
                see_other(&format!("{here}?done=discarded"))
            }
            Err(e) => {
                eprintln!("collector: console: {e}");
                unavailable()
            }
        },
        _ => message_page(
            StatusCode::BAD_REQUEST,
            "Nothing was changed",
            "The form did not say whether to save, publish or discard the draft.",
            ("See the versions", &here),
        ),
    }
}

//! "You said, we did" in the console: the form an officer keeps a survey's outcomes with, and
//! the history of every change (who, when, what).
use super::{field, figures, signed_page, Signed};
use crate::html::{self, esc, field_attrs, field_error, Layout};
use crate::html::{day_text, html_reply, query_value, query_values, see_other};
use crate::outcomes::{ActionStatus, Record, SurveyStatus, Theme};
use crate::reply::Reply;
use crate::stats::Tally;
use crate::Collector;
use hyper::StatusCode;
use survey_widget::core::survey::definition::QuestionKind;

/// Empty rows offered for new themes and actions.
const BLANK_THEMES: usize = 3;
const BLANK_ACTIONS: usize = 2;

fn input(
    id: &str,
    label: &str,
    value: &str,
    kind: &str,
    class: &str,
    problems: &[(String, String)],
    hint: &str,
) -> String {
    let hint_html = if hint.is_empty() {
        String::new()
    } else {
        format!("<p class=\"c-hint\" id=\"{id}-hint\">{}</p>", esc(hint))
    };
    let described = if hint.is_empty() {
        String::new()
    } else {
        format!(" aria-describedby=\"{id}-hint\"")
    };
    let attrs = field_attrs(problems, id);
    // A field with an error is described by the error (which names the problem) instead.
    let described = if attrs.is_empty() { described } else { String::new() };
    format!(
        "<div class=\"c-field\"><label class=\"c-label\" for=\"{id}\">{}</label>{hint_html}{}\
         <input class=\"c-input {class}\" id=\"{id}\" name=\"{id}\" type=\"{kind}\" value=\"{}\"{described}{attrs}></div>",
        esc(label),
        field_error(problems, id),
        esc(value),
    )
}

fn textarea(id: &str, label: &str, value: &str, problems: &[(String, String)]) -> String {
    format!(
        "<div class=\"c-field\"><label class=\"c-label\" for=\"{id}\">{}</label>{}\
         <textarea class=\"c-textarea\" id=\"{id}\" name=\"{id}\" rows=\"3\"{}>{}</textarea></div>",
        esc(label),
        field_error(problems, id),
        field_attrs(problems, id),
        esc(value),
    )
}

/// A box for the Welsh beside an English one (issue #23): marked `lang="cy"`, so spelling and
/// screen readers treat it as Welsh.
fn welsh_textarea(id: &str, label: &str, value: &str, problems: &[(String, String)]) -> String {
    textarea(id, label, value, problems).replacen("<textarea ", "<textarea lang=\"cy\" ", 1)
}

/// A one-line Welsh box beside an English one.
fn welsh_input(id: &str, label: &str, value: &str, problems: &[(String, String)]) -> String {
    input(id, label, value, "text", "", problems, "").replacen("<input ", "<input lang=\"cy\" ", 1)
}

/// A page one step below a survey's "You said, we did", with its breadcrumbs.
fn below_outcomes(c: &Collector, signed: &Signed, id: &str, title: &str, main: &str) -> Reply {
    let surveys = c.surveys();
    let survey = surveys.latest(id).map_or(id, |s| s.title.as_str());
    let breadcrumbs = [
        ("Surveys", "/console".to_owned()),
        (survey, format!("/console/surveys/{id}")),
        ("You said, we did", format!("/console/surveys/{id}/outcomes")),
    ];
    signed_page(signed, title, &breadcrumbs, main)
}

/// A theme the figures suggest: a choice question's most chosen answer, when enough people
/// chose it to publish.
struct Candidate {
    question: String,
    personal: bool,
    theme: Theme,
}

/// The themes the figures could start from, one per choice question (not ratings), in the
/// survey's order. The officer picks which to add (issue #21): none is added by default, and
/// personal or demographic questions are set apart, since "how old people are" is not
/// something people said.
async fn candidates(c: &Collector, id: &str) -> Vec<Candidate> {
    let surveys = c.surveys();
    let (Some(survey), Ok(stats)) = (surveys.latest(id), crate::counting::figures(c, id).await) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (_, q) in survey.questions() {
        let Some(Tally::Choices(counts)) = stats.questions.get(&q.id.0).map(|s| &s.tally) else {
            continue;
        };
        if matches!(q.kind, QuestionKind::Rating { .. }) {
            continue;
        }
        let rows = figures::counted(&figures::options(&q.kind), counts);
        if let Some((label, n)) = rows.into_iter().max_by_key(|(_, n)| *n) {
            if n >= c.config.threshold {
                out.push(Candidate {
                    question: q.id.0.clone(),
                    personal: q.is_personal(),
                    theme: Theme {
                        text: format!("{} – {label}", q.title),
                        count: Some(n),
                        text_cy: String::new(),
                    },
                });
            }
        }
    }
    out
}

/// `GET /console/surveys/{id}/outcomes/themes`: the themes the figures suggest, to pick from.
pub(crate) async fn themes(c: &Collector, signed: &Signed, id: &str) -> Reply {
    let all = candidates(c, id).await;
    let group = |personal: bool| -> String {
        all.iter()
            .filter(|k| k.personal == personal)
            .map(|k| {
                format!(
                    "<div class=\"c-checkbox\"><input type=\"checkbox\" id=\"add-{q}\" name=\"add\" value=\"{q}\">\
                     <label for=\"add-{q}\">{} <span class=\"c-caption\">({} people)</span></label></div>",
                    esc(&k.theme.text),
                    k.theme.count.unwrap_or(0),
                    q = esc(&k.question),
                )
            })
            .collect()
    };
    let (general, personal) = (group(false), group(true));
    let main = if general.is_empty() && personal.is_empty() {
        format!(
            "<p>No answer to a choice question was chosen by {} or more people, so the figures suggest no themes yet.</p>\
             <p><a href=\"/console/surveys/{}/outcomes\">Back to you said, we did</a></p>",
            c.config.threshold,
            esc(id)
        )
    } else {
        let personal_group = if personal.is_empty() {
            String::new()
        } else {
            format!(
                "<fieldset><legend>About the people who answered</legend>\
                 <p class=\"c-hint\">Personal and demographic questions describe who answered, not what they said: they are rarely a theme.</p>\
                 <div class=\"c-checkboxes\">{personal}</div></fieldset>"
            )
        };
        let general_group = if general.is_empty() {
            String::new()
        } else {
            format!("<fieldset><legend>What people said</legend><div class=\"c-checkboxes\">{general}</div></fieldset>")
        };
        format!(
            "<p>Each suggestion is the answer most people chose to one question. Choose the ones that are themes; \
             they are added to the form for you to reword. Nothing is published until you have previewed it and pressed Publish.</p>\
             <form method=\"get\" action=\"/console/surveys/{}/outcomes\">{general_group}{personal_group}\
             <button type=\"submit\" class=\"c-button\">Add the chosen themes</button></form>\
             <p><a href=\"/console/surveys/{}/outcomes\">Back without adding any</a></p>",
            esc(id),
            esc(id)
        )
    };
    below_outcomes(c, signed, id, "Themes from the figures", &main)
}

fn form(id: &str, signed: &Signed, record: &Record, problems: &[(String, String)]) -> String {
    let status: String = SurveyStatus::ALL
        .iter()
        .map(|s| {
            let checked = if *s == record.status { " checked" } else { "" };
            format!(
                "<label><input type=\"radio\" name=\"status\" value=\"{}\"{checked}{}> {}</label>",
                s.code(),
                if *s == SurveyStatus::Open { " id=\"status\"" } else { "" },
                s.label()
            )
        })
        .collect();
    let mut out = format!(
        "<form method=\"post\" action=\"/console/surveys/{}/outcomes\" novalidate>\
         <input type=\"hidden\" name=\"csrf\" value=\"{}\">\
         <div class=\"c-inset\">Everything in this form is public once saved: it is published in the survey's \
         <a href=\"/surveys/{id}/outcomes.json\">outcomes feed</a> and <a href=\"/surveys/{id}/outcomes.atom\">Atom feed</a>, \
         on the survey's start page and on the public lookup page. Counts under the threshold are withheld there.</div>\
         <fieldset><legend>Status of the survey</legend>{}<div class=\"c-radios\">{status}</div></fieldset>\
         <h2>You said</h2><p class=\"c-hint\">What people told you, in themes, with how many said each. \
         <a href=\"/console/surveys/{id}/outcomes/themes\">Choose themes from the figures</a> (the most common answer to each choice question).</p>",
        esc(id),
        esc(&signed.csrf),
        field_error(problems, "status"),
        id = esc(id),
    );
    let themes = record
        .you_said
        .iter()
        .cloned()
        .chain(std::iter::repeat_n(Theme::default(), BLANK_THEMES));
    for (i, t) in themes.enumerate() {
        let count = t.count.map(|n| n.to_string()).unwrap_or_default();
        out.push_str(&format!(
            "<fieldset class=\"c-card\"><legend>Theme {}</legend>{}{}{}</fieldset>",
            i + 1,
            textarea(&format!("theme-{i}-text"), "What people said", &t.text, problems),
            welsh_textarea(
                &format!("theme-{i}-text-cy"),
                "What people said, in Welsh (optional)",
                &t.text_cy,
                problems
            ),
            input(
                &format!("theme-{i}-count"),
                "How many said it (optional)",
                &count,
                "text",
                "c-input--short",
                problems,
                "",
            ),
        ));
    }
    out.push_str("<h2>We did</h2><p class=\"c-hint\">What the council is doing about it. Leave the action empty to remove a row.</p>");
    let actions = record
        .we_did
        .iter()
        .cloned()
        .chain(std::iter::repeat_n(Default::default(), BLANK_ACTIONS));
    for (i, a) in actions.enumerate() {
        let a: crate::outcomes::Action = a;
        let status: String = ActionStatus::ALL
            .iter()
            .map(|s| {
                let selected = if *s == a.status { " selected" } else { "" };
                format!("<option value=\"{}\"{selected}>{}</option>", s.code(), s.label())
            })
            .collect();
        let sid = format!("action-{i}-status");
        out.push_str(&format!(
            "<fieldset class=\"c-card\"><legend>Action {n}</legend>{}{}{}{}\
             <div class=\"c-field\"><label class=\"c-label\" for=\"{sid}\">Status</label>\
             <select class=\"c-select c-input--short\" id=\"{sid}\" name=\"{sid}\">{status}</select></div>{}{}{}{}</fieldset>",
            textarea(&format!("action-{i}-text"), "What the council does", &a.text, problems),
            welsh_textarea(&format!("action-{i}-text-cy"), "What the council does, in Welsh (optional)", &a.text_cy, problems),
            input(&format!("action-{i}-owner"), "Owner", &a.owner, "text", "", problems, "A team or role, not a person's name"),
            welsh_input(&format!("action-{i}-owner-cy"), "Owner, in Welsh (optional)", &a.owner_cy, problems),
            textarea(&format!("action-{i}-reason"), "Reason, if not doing it", &a.reason, problems),
            welsh_textarea(&format!("action-{i}-reason-cy"), "Reason, in Welsh (optional)", &a.reason_cy, problems),
            input(&format!("action-{i}-date"), "Date done or due (optional)", &a.date, "text", "c-input--short", problems, "For example, 2027-03-31"),
            input(&format!("action-{i}-evidence"), "Link to evidence (optional)", &a.evidence, "url", "", problems, "A report, minutes or web page, starting https://"),
            n = i + 1,
        ));
    }
    out.push_str(
        "<p class=\"c-hint\">Next you see what the public will see, and publish from there.</p>\
         <button type=\"submit\" class=\"c-button\" name=\"step\" value=\"preview\">Preview</button></form>",
    );
    out
}

/// A record as the form's fields, so the preview can carry it to Publish unchanged.
fn record_fields(record: &Record) -> Vec<(String, String)> {
    let mut fields = vec![("status".to_owned(), record.status.code().to_owned())];
    for (i, t) in record.you_said.iter().enumerate() {
        fields.push((format!("theme-{i}-text"), t.text.clone()));
        fields.push((format!("theme-{i}-text-cy"), t.text_cy.clone()));
        fields.push((
            format!("theme-{i}-count"),
            t.count.map(|n| n.to_string()).unwrap_or_default(),
        ));
    }
    for (i, a) in record.we_did.iter().enumerate() {
        for (name, value) in [
            ("text", a.text.as_str()),
            ("owner", &a.owner),
            ("status", a.status.code()),
            ("reason", &a.reason),
            ("date", &a.date),
            ("evidence", &a.evidence),
            ("text-cy", &a.text_cy),
            ("owner-cy", &a.owner_cy),
            ("reason-cy", &a.reason_cy),
        ] {
            fields.push((format!("action-{i}-{name}"), value.to_owned()));
        }
    }
    fields
}

/// The preview: what the public will see once published, with Publish and Change.
async fn preview(c: &Collector, signed: &Signed, id: &str, record: &Record) -> Reply {
    let hidden: String = record_fields(record)
        .iter()
        .map(|(k, v)| format!("<input type=\"hidden\" name=\"{}\" value=\"{}\">", esc(k), esc(v)))
        .collect();
    let public = crate::public::outcomes_html(record, c.config.threshold, &crate::words::EN);
    let public = if public.is_empty() {
        "<p>No themes or actions: the public sees only the survey's status.</p>".to_owned()
    } else {
        public
    };
    let main = format!(
        "<div class=\"c-inset\">This is what the public will see on the survey's start page, the lookup page and the \
         outcomes feeds once you publish. Counts under {} are shown as withheld. Nothing is public yet.</div>\
         <section class=\"c-preview\" aria-labelledby=\"preview-title\"><h2 id=\"preview-title\">Status: {}</h2>{public}</section>\
         <form method=\"post\" action=\"/console/surveys/{}/outcomes\" class=\"c-button-group\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{}\">{hidden}\
         <button type=\"submit\" class=\"c-button\" name=\"step\" value=\"publish\">Publish</button>\
         <button type=\"submit\" class=\"c-button c-button--secondary\" name=\"step\" value=\"change\">Change</button></form>",
        c.config.threshold,
        esc(record.status.label()),
        esc(id),
        esc(&signed.csrf),
    );
    below_outcomes(c, signed, id, "Check what the public will see", &main)
}

async fn render(
    c: &Collector,
    signed: &Signed,
    id: &str,
    record: &Record,
    problems: &[(String, String)],
    banner: Option<(&str, &str)>,
    status: StatusCode,
) -> Reply {
    let (saved, history) = match (
        c.store.outcomes(id.to_owned()).await,
        c.store.history(id.to_owned()).await,
    ) {
        (Ok(saved), Ok(history)) => (saved, history),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("collector: console: {e}");
            return super::unavailable();
        }
    };
    let last = saved.map_or_else(
        || "<p>Nothing has been published for this survey yet.</p>".to_owned(),
        |s| {
            format!(
                "<p>Last saved {} by {}.</p>",
                esc(&day_text(&s.updated_at)),
                esc(&s.updated_by)
            )
        },
    );
    let rows: Vec<Vec<String>> = history
        .iter()
        .map(|h| {
            vec![
                esc(h.at.replace('T', " ").trim_end_matches('Z')),
                esc(&h.user),
                esc(&h.summary),
            ]
        })
        .collect();
    let history_html = if rows.is_empty() {
        "<p>No changes yet.</p>".to_owned()
    } else {
        html::table(
            "Every saved change, newest first",
            &["When (UTC)", "Who", "What changed"],
            &rows,
            99,
        )
    };
    let main = format!(
        "{last}{}<h2>History</h2>{history_html}",
        form(id, signed, record, problems)
    );
    let surveys = c.surveys();
    let title = surveys.latest(id).map_or(id, |s| s.title.as_str());
    let breadcrumbs = [
        ("Surveys", "/console".to_owned()),
        (title, format!("/console/surveys/{id}")),
    ];
    let layout = Layout {
        title: "You said, we did",
        signed_in: Some((&signed.user, &signed.csrf)),
        breadcrumbs: &breadcrumbs,
        problems,
        banner,
    };
    html_reply(status, html::page(&layout, &main))
}

/// `GET /console/surveys/{id}/outcomes` (`?add=QUESTION`, repeated, adds the themes picked on
/// the themes page, unsaved).
pub(crate) async fn show(c: &Collector, signed: &Signed, id: &str, query: Option<&str>) -> Reply {
    let mut record = match crate::outcomes::saved(c, id).await {
        Ok(r) => r.unwrap_or_default(),
        Err(e) => {
            eprintln!("collector: console: {e}");
            return super::unavailable();
        }
    };
    let mut banner = None;
    let picked = query_values(query, "add");
    if !picked.is_empty() {
        let mut added = 0;
        for k in candidates(c, id).await {
            if picked.contains(&k.question) && !record.you_said.iter().any(|t| t.text == k.theme.text) {
                record.you_said.push(k.theme);
                added += 1;
            }
        }
        banner = Some(if added > 0 {
            (
                "Important",
                "The themes you chose are added below. Reword them as people would say them, then preview: nothing is published until you do.",
            )
        } else {
            ("Important", "No themes were added: they are in the form already.")
        });
    }
    if query_value(query, "saved").is_some() {
        banner = Some(("Success", "Saved and published."));
    }
    render(c, signed, id, &record, &[], banner, StatusCode::OK).await
}

/// `POST /console/surveys/{id}/outcomes`: checks the form; then shows the preview
/// (`step=preview`, and any post without a step), the form again (`step=change`), or keeps
/// the change and its description in the audit trail and goes back to the page
/// (`step=publish`, which only the preview offers: post, redirect, get).
pub(crate) async fn save(c: &Collector, signed: &Signed, id: &str, form: &[(String, String)]) -> Reply {
    let (record, problems) = Record::from_form(form);
    if !problems.is_empty() {
        let problems: Vec<(String, String)> = problems.into_iter().map(|p| (p.field, p.message)).collect();
        return render(c, signed, id, &record, &problems, None, StatusCode::BAD_REQUEST).await;
    }
    match field(form, "step") {
        "publish" => {}
        "change" => return render(c, signed, id, &record, &[], None, StatusCode::OK).await,
        _ => return preview(c, signed, id, &record).await,
    }
    let before = match crate::outcomes::saved(c, id).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("collector: console: {e}");
            return super::unavailable();
        }
    };
    let summary = record.changes_from(before.as_ref());
    let Ok(body) = serde_json::to_string(&record) else {
        return super::unavailable();
    };
    if let Err(e) = c
        .store
        .save_outcomes(id.to_owned(), body, signed.user.clone(), summary)
        .await
    {
        eprintln!("collector: console: {e}");
        return super::unavailable();
    }
    eprintln!("collector: console: {} saved the outcomes of {id}", signed.user);
    see_other(&format!("/console/surveys/{id}/outcomes?saved=1"))
}

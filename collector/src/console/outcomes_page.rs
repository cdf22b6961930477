//! "You said, we did" in the console: the form an officer keeps a survey's outcomes with, and
//! the history of every change (who, when, what).
use super::html::{self, esc, field_attrs, field_error, Layout};
use super::{figures, html_reply, query_value, see_other, Signed};
use crate::http::Reply;
use crate::outcomes::{ActionStatus, Record, SurveyStatus, Theme};
use crate::stats::Tally;
use crate::Collector;
use hyper::StatusCode;
use survey_widget::core::definition::QuestionKind;

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

/// Themes seeded from the figures: for each choice question, its most chosen answer, when
/// enough people chose it to publish.
async fn seeded(c: &Collector, id: &str) -> Vec<Theme> {
    let (Some(survey), Ok(stats)) = (c.config.surveys.latest(id), figures::compute(c, id).await) else {
        return Vec::new();
    };
    let mut themes = Vec::new();
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
                themes.push(Theme {
                    text: format!("{} – {label}", q.title),
                    count: Some(n),
                });
            }
        }
    }
    themes
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
         <a href=\"/console/surveys/{id}/outcomes?seed=1\">Add themes from the figures</a> (the most common answer to each choice question).</p>",
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
            "<fieldset class=\"c-card\"><legend>Theme {}</legend>{}{}</fieldset>",
            i + 1,
            textarea(&format!("theme-{i}-text"), "What people said", &t.text, problems),
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
            "<fieldset class=\"c-card\"><legend>Action {n}</legend>{}{}\
             <div class=\"c-field\"><label class=\"c-label\" for=\"{sid}\">Status</label>\
             <select class=\"c-select c-input--short\" id=\"{sid}\" name=\"{sid}\">{status}</select></div>{}{}{}</fieldset>",
            textarea(&format!("action-{i}-text"), "What the council does", &a.text, problems),
            input(&format!("action-{i}-owner"), "Owner", &a.owner, "text", "", problems, "A team or role, not a person's name"),
            textarea(&format!("action-{i}-reason"), "Reason, if not doing it", &a.reason, problems),
            input(&format!("action-{i}-date"), "Date done or due (optional)", &a.date, "text", "c-input--short", problems, "For example, 2027-03-31"),
            input(&format!("action-{i}-evidence"), "Link to evidence (optional)", &a.evidence, "url", "", problems, "A report, minutes or web page, starting https://"),
            n = i + 1,
        ));
    }
    out.push_str("<button type=\"submit\" class=\"c-button\">Save and publish</button></form>");
    out
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
                esc(&figures::day_text(&s.updated_at)),
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
    let title = c.config.surveys.latest(id).map_or(id, |s| s.title.as_str());
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

/// The saved record of a survey, or an empty one.
pub(crate) async fn current(c: &Collector, id: &str) -> Result<Option<Record>, crate::store::StoreError> {
    Ok(c.store
        .outcomes(id.to_owned())
        .await?
        .and_then(|s| serde_json::from_str::<Record>(&s.body).ok()))
}

/// `GET /console/surveys/{id}/outcomes` (`?seed=1` adds themes from the figures, unsaved).
pub(crate) async fn show(c: &Collector, signed: &Signed, id: &str, query: Option<&str>) -> Reply {
    let mut record = match current(c, id).await {
        Ok(r) => r.unwrap_or_default(),
        Err(e) => {
            eprintln!("collector: console: {e}");
            return super::unavailable();
        }
    };
    let mut banner = None;
    if query_value(query, "seed").is_some() {
        let mut added = 0;
        for theme in seeded(c, id).await {
            if !record.you_said.iter().any(|t| t.text == theme.text) {
                record.you_said.push(theme);
                added += 1;
            }
        }
        banner = Some(if added > 0 {
            (
                "Important",
                "Themes added from the figures. Check and edit them, then save: nothing is published until you do.",
            )
        } else {
            (
                "Important",
                "No themes were added: no answer to a choice question was chosen by enough people to publish, or they are in the form already.",
            )
        });
    }
    if query_value(query, "saved").is_some() {
        banner = Some(("Success", "Saved and published."));
    }
    render(c, signed, id, &record, &[], banner, StatusCode::OK).await
}

/// `POST /console/surveys/{id}/outcomes`: checks the form, keeps the change and its
/// description in the audit trail, and goes back to the page (post, redirect, get).
pub(crate) async fn save(c: &Collector, signed: &Signed, id: &str, form: &[(String, String)]) -> Reply {
    let (record, problems) = Record::from_form(form);
    if !problems.is_empty() {
        let problems: Vec<(String, String)> = problems.into_iter().map(|p| (p.field, p.message)).collect();
        return render(c, signed, id, &record, &problems, None, StatusCode::BAD_REQUEST).await;
    }
    let before = match current(c, id).await {
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

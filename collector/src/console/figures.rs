//! The survey page: what came back, in figures, charts and tables, and the free-text answers
//! with search.
use super::{chart, message_page, query_value, signed_page, Signed};
use crate::html::{self, count_text, day_text, esc, percent};
use crate::reply::Reply;
use crate::stats::{quantile, shown, Stats, Tally};
use crate::Collector;
use hyper::StatusCode;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::LazyLock;
use survey_widget::core::analysis::dictionary::coded_options;
use survey_widget::core::survey::definition::{Question, QuestionKind, Survey};
use survey_widget::core::text::messages::Catalogue;

/// Most free-text answers listed on one page.
const MAX_LISTED: usize = 200;

/// "4 minutes 30 seconds".
fn duration_text(seconds: f64) -> String {
    let total = seconds.round() as u64;
    let (m, s) = (total / 60, total % 60);
    let plural = |n: u64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    match (m, s) {
        (0, s) => plural(s, "second"),
        (m, 0) => plural(m, "minute"),
        (m, s) => format!("{} {}", plural(m, "minute"), plural(s, "second")),
    }
}

/// A number without needless decimals.
fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        format!("{n:.2}")
    }
}

/// The labelled options of a choice question, in the survey's order: the data dictionary's
/// coded options without Likert statements (which are rows, not options), ratings' end
/// labels after their point ("1 – Not at all").
pub(crate) fn options(kind: &QuestionKind) -> Vec<(String, String)> {
    static ENGLISH: LazyLock<Catalogue> = LazyLock::new(Catalogue::english);
    // Consent is counted as answered, not by option.
    if matches!(kind, QuestionKind::Consent { .. }) {
        return Vec::new();
    }
    coded_options("", kind, &ENGLISH)
        .into_iter()
        .filter(|o| o.kind != "statement")
        .map(|o| {
            let label = if o.kind == "point" && o.label != o.code {
                format!("{} – {}", o.code, o.label)
            } else {
                o.label
            };
            (o.code, label)
        })
        .collect()
}

/// Rows of (label, count) for a tally, options in order then anything else seen.
pub(crate) fn counted(options: &[(String, String)], counts: &HashMap<String, u64>) -> Vec<(String, u64)> {
    let mut rows: Vec<(String, u64)> = options
        .iter()
        .map(|(code, label)| (label.clone(), counts.get(code).copied().unwrap_or(0)))
        .collect();
    let mut extra: Vec<(&String, &u64)> = counts
        .iter()
        .filter(|(k, _)| !options.iter().any(|(c, _)| c == *k))
        .collect();
    extra.sort();
    rows.extend(
        extra
            .into_iter()
            .map(|(k, n)| (format!("{k} (not in this version)"), *n)),
    );
    rows
}

struct View<'a> {
    threshold: u64,
    publication: bool,
    survey_id: &'a str,
}

impl View<'_> {
    fn shown(&self, n: u64) -> Option<u64> {
        shown(n, self.threshold, self.publication)
    }

    /// A chart and a table of labelled counts, with percentages of `base`.
    fn distribution(&self, caption: &str, rows: &[(String, u64)], base: u64) -> String {
        let items: Vec<(String, Option<u64>)> = rows.iter().map(|(l, n)| (l.clone(), self.shown(*n))).collect();
        let table_rows: Vec<Vec<String>> = items
            .iter()
            .map(|(label, n)| vec![esc(label), count_text(*n, self.threshold), percent(*n, base)])
            .collect();
        format!(
            "{}{}",
            chart::bars(&items),
            html::table_under_heading(caption, &["Answer", "Count", "Percentage"], &table_rows, 1)
        )
    }

    fn question(&self, q: &Question, stats: &Stats) -> String {
        let Some(qs) = stats.questions.get(&q.id.0) else {
            return String::new();
        };
        let answered = self.shown(qs.answered);
        let mut out = format!(
            "<section aria-labelledby=\"q-{id}\"><h3 id=\"q-{id}\">{}</h3>\
             <p class=\"c-caption\">{} answered of {} responses</p>",
            esc(&q.title),
            count_text(answered, self.threshold),
            count_text(self.shown(stats.total), self.threshold),
            id = esc(&q.id.0),
        );
        match (&qs.tally, &q.kind) {
            (Tally::Choices(counts), kind) => {
                let rows = counted(&options(kind), counts);
                let note = if matches!(kind, QuestionKind::MultipleChoice { .. }) {
                    "<p class=\"c-hint\">People could choose more than one, so percentages (of those who answered) add up to more than 100%.</p>"
                } else {
                    ""
                };
                out.push_str(note);
                out.push_str(&self.distribution(&format!("Answers to: {}", q.title), &rows, qs.answered));
            }
            (Tally::Likert(rows), QuestionKind::Likert { statements, scale }) => {
                // One chart and one three-column table per statement, each under its own
                // heading: a statements-by-points matrix is wider than a phone (issue #21).
                let scale_options: Vec<(String, String)> =
                    scale.iter().map(|c| (c.value.clone(), c.label.clone())).collect();
                let empty = HashMap::new();
                for s in statements {
                    let counts = rows.get(&s.id).unwrap_or(&empty);
                    let base: u64 = counts.values().sum();
                    out.push_str(&format!("<h4 class=\"c-heading-s\">{}</h4>", esc(&s.text)));
                    out.push_str(&self.distribution(
                        &format!("Answers to: {}", s.text),
                        &counted(&scale_options, counts),
                        base,
                    ));
                }
            }
            (Tally::Numbers(values), _) => {
                let figure = |q: f64| quantile(values, q).map_or_else(|| "–".to_owned(), number);
                let small = self.publication && (values.len() as u64) < self.threshold;
                let rows: Vec<(&str, String)> = if small {
                    vec![("Answers", count_text(None, self.threshold))]
                } else {
                    vec![
                        ("Answers", values.len().to_string()),
                        ("Median", figure(0.5)),
                        ("Lower quartile", figure(0.25)),
                        ("Upper quartile", figure(0.75)),
                        ("Lowest", figure(0.0)),
                        ("Highest", figure(1.0)),
                    ]
                };
                out.push_str(&html::summary_list(&rows));
            }
            (Tally::Answered, QuestionKind::ShortText { .. } | QuestionKind::LongText { .. }) => {
                if self.publication {
                    out.push_str("<p>Free-text answers are not part of figures for publication.</p>");
                } else if qs.answered > 0 {
                    out.push_str(&format!(
                        "<p><a href=\"/console/surveys/{}/answers/{}\">Read and search the answers to this question</a></p>",
                        esc(self.survey_id),
                        esc(&q.id.0)
                    ));
                }
            }
            _ => {}
        }
        out.push_str("</section>");
        out
    }
}

/// What is held for review (issue #21): responses to versions the collector was not given, or
/// whose answers do not fit their version. They are kept but not in any figure or download.
fn held_notice(id: &str, held: &std::collections::BTreeMap<String, u64>) -> String {
    let total: u64 = held.values().sum();
    let versions: Vec<String> = held.iter().map(|(v, n)| format!("version {} ({n})", esc(v))).collect();
    let noun = if total == 1 { "response is" } else { "responses are" };
    format!(
        "<div class=\"c-warning\"><h2 class=\"c-heading-s\">{total} {noun} held for review</h2>\
         <p>They answer a version of this survey the collector was not given, or their answers do not fit it: {}. \
         They are kept, but not counted in these figures or in the downloads, and no theme is suggested from them.</p>\
         <p>If a version is one the council published, add its survey file to the collector's <code>--surveys</code> \
         and restart it: its responses are then checked against it and counted. \
         <a href=\"/surveys/{}/held.json\">Download the held responses (JSON)</a></p></div>",
        versions.join(", "),
        esc(id)
    )
}

/// A breakdown of the responses under its own heading: its chart, then its table.
fn by_table(
    view: &View<'_>,
    caption: &str,
    first: &str,
    map: &std::collections::BTreeMap<String, u64>,
    blank: &str,
) -> String {
    let rows: Vec<(String, u64)> = map
        .iter()
        .map(|(k, n)| (if k.is_empty() { blank.to_owned() } else { k.clone() }, *n))
        .collect();
    breakdown(view, caption, first, &rows)
}

fn breakdown(view: &View<'_>, caption: &str, first: &str, rows: &[(String, u64)]) -> String {
    let items: Vec<(String, Option<u64>)> = rows.iter().map(|(l, n)| (l.clone(), view.shown(*n))).collect();
    let table_rows: Vec<Vec<String>> = items
        .iter()
        .map(|(l, n)| vec![esc(l), count_text(*n, view.threshold)])
        .collect();
    format!(
        "<h3>{}</h3>{}{}",
        esc(caption),
        chart::bars(&items),
        html::table_under_heading(caption, &[first, "Responses"], &table_rows, 1)
    )
}

fn contents(survey: Option<&Survey>) -> String {
    let Some(survey) = survey else {
        return String::new();
    };
    let items: String = survey
        .questions()
        .filter(|(_, q)| q.kind.is_answerable())
        .map(|(_, q)| format!("<li><a href=\"#q-{}\">{}</a></li>", esc(&q.id.0), esc(&q.title)))
        .collect();
    format!("<nav aria-label=\"Questions\"><ol class=\"c-list c-contents\">{items}</ol></nav>")
}

/// `GET /console/surveys/{id}`.
pub(crate) async fn survey_page(c: &Collector, signed: &Signed, id: &str, query: Option<&str>) -> Reply {
    let surveys = c.surveys();
    let definition = surveys.latest(id);
    let stats = match crate::counting::figures(c, id).await {
        Ok(stats) => stats,
        Err(e) => {
            eprintln!("collector: console: {e}");
            return super::unavailable();
        }
    };
    if definition.is_none() && stats.total == 0 {
        return message_page(
            StatusCode::NOT_FOUND,
            "Survey not found",
            "This collector has no responses to a survey with this id, and no definition of it.",
            ("Go to the surveys", "/console"),
        );
    }
    let publication = query_value(query, "view").as_deref() == Some("publication");
    let view = View {
        threshold: c.config.threshold,
        publication,
        survey_id: id,
    };
    let title = definition.map_or(id, |s| s.title.as_str());
    let mut main = String::new();
    let toggle = if publication {
        format!(
            "<div class=\"c-inset\"><p><span class=\"c-tag\">For publication</span> Counts under {} are withheld, \
             so nobody can be identified. Free text is left out.</p><p><a href=\"/console/surveys/{}\">Show all figures</a></p></div>",
            view.threshold,
            esc(id)
        )
    } else {
        format!(
            "<p><a href=\"/console/surveys/{}?view=publication\">Show figures for publication</a> (counts under {} withheld)</p>",
            esc(id),
            view.threshold
        )
    };
    main.push_str(&toggle);
    let first = stats
        .by_day
        .keys()
        .next()
        .map_or_else(|| "–".to_owned(), |d| day_text(d));
    let latest = stats
        .by_day
        .keys()
        .next_back()
        .map_or_else(|| "–".to_owned(), |d| day_text(d));
    let median = if publication && stats.total < view.threshold {
        count_text(None, view.threshold)
    } else {
        stats.median_seconds().map_or_else(|| "–".to_owned(), duration_text)
    };
    let mut summary = vec![
        (
            "Responses received",
            count_text(view.shown(stats.total), view.threshold),
        ),
        ("First received", esc(&first)),
        ("Latest received", esc(&latest)),
        ("Median time to complete", esc(&median)),
    ];
    if stats.incomplete > 0 {
        summary.push((
            "Kept incomplete (event mode)",
            count_text(view.shown(stats.incomplete), view.threshold),
        ));
    }
    // Which versions these figures cover: every response records the version it answered.
    match c.store.versions(id.to_owned()).await {
        Ok(versions) if !versions.is_empty() => summary.push(("Versions answered", esc(&versions.join(", ")))),
        Ok(_) => {}
        Err(e) => {
            eprintln!("collector: console: {e}");
            return super::unavailable();
        }
    }
    main.push_str(&html::summary_list(&summary));
    if !publication && !stats.held.is_empty() {
        main.push_str(&held_notice(id, &stats.held));
    }
    main.push_str(&format!(
        "<p><a href=\"/console/surveys/{id}/outcomes\">You said, we did: outcomes for this survey</a></p>\
         <p><a href=\"/console/surveys/{id}/versions\">Versions and draft of this survey</a></p>\
         <h2>Download the responses</h2><ul class=\"c-list\">\
         <li><a href=\"/surveys/{id}/wide.csv\">Wide CSV</a>: one row per response, answer codes, a 0/1 column per option</li>\
         <li><a href=\"/surveys/{id}/long.csv\">Long CSV</a>: one row per answer, for pivot tables and Power BI</li>\
         <li><a href=\"/surveys/{id}/questions.csv\">Questions</a> and <a href=\"/surveys/{id}/options.csv\">options</a>: the data dictionary, with labels</li>\
         <li><a href=\"/surveys/{id}/responses.json\">JSON</a>: the responses as received</li></ul>\
         <p class=\"c-hint\">Downloads hold personal data. Power BI and scripts use an API token instead of signing in: see the project's docs/collector.md.</p>",
        id = esc(id)
    ));
    main.push_str("<h2>Responses received</h2>");
    let by_day: Vec<(String, u64)> = stats.by_day.iter().map(|(d, n)| (day_text(d), *n)).collect();
    main.push_str(&breakdown(&view, "Responses by day received", "Day", &by_day));
    main.push_str(&by_table(
        &view,
        "Responses by event",
        "Event",
        &stats.by_event,
        "Not at an event",
    ));
    if !stats.by_device.is_empty() {
        main.push_str(&by_table(
            &view,
            "Responses by event device",
            "Device",
            &stats.by_device,
            "",
        ));
    }
    main.push_str(&by_table(
        &view,
        "Responses by language",
        "Language",
        &stats.by_language,
        "Not given",
    ));
    main.push_str("<h2>What people said</h2>");
    match definition {
        Some(survey) => {
            main.push_str(&contents(Some(survey)));
            for (_, q) in survey.questions() {
                main.push_str(&view.question(q, &stats));
            }
        }
        None => main.push_str(
            "<p>The collector was not given this survey's definition (<code>--surveys</code>), \
             so it cannot show figures per question. The downloads have every answer.</p>",
        ),
    }
    signed_page(signed, title, &[("Surveys", "/console".to_owned())], &main)
}

/// `GET /console/surveys/{id}/answers/{question}?q=`.
pub(crate) async fn answers_page(
    c: &Collector,
    signed: &Signed,
    id: &str,
    question: &str,
    query: Option<&str>,
) -> Reply {
    let surveys = c.surveys();
    let definition = surveys.latest(id);
    let q_title = definition
        .and_then(|s| {
            s.questions()
                .find(|(_, q)| q.id.0 == question)
                .map(|(_, q)| q.title.clone())
        })
        .unwrap_or_else(|| question.to_owned());
    let search = query_value(query, "q").unwrap_or_default();
    let needle = search.trim().to_lowercase();
    let mut rows = match c.store.rows(id.to_owned(), None).await {
        Ok(rows) => rows,
        Err(e) => {
            eprintln!("collector: console: {e}");
            return super::unavailable();
        }
    };
    let (mut matched, mut answered) = (0usize, 0usize);
    let mut listed: Vec<(String, String)> = Vec::new();
    while let Some(row) = rows.recv().await {
        let Ok(row) = row else {
            return super::unavailable();
        };
        let body: Value = serde_json::from_str(&row.body).unwrap_or(Value::Null);
        let Some(text) = body.pointer(&format!("/answers/{question}")).and_then(Value::as_str) else {
            continue;
        };
        answered += 1;
        if needle.is_empty() || text.to_lowercase().contains(&needle) {
            matched += 1;
            if listed.len() < MAX_LISTED {
                listed.push((row.received_at.clone(), text.to_owned()));
            }
        }
    }
    let items: String = listed
        .iter()
        .map(|(at, text)| {
            format!(
                "<li><span class=\"c-caption\">{}</span>\n{}</li>",
                esc(&day_text(at)),
                esc(text)
            )
        })
        .collect();
    let found = if needle.is_empty() {
        format!("{answered} answers.")
    } else {
        format!("{matched} of {answered} answers contain “{}”.", esc(search.trim()))
    };
    let more = if matched > listed.len() {
        format!(
            " The first {} are shown; search to narrow them down, or download the long CSV.",
            listed.len()
        )
    } else {
        String::new()
    };
    let main = format!(
        "<form method=\"get\" action=\"/console/surveys/{sid}/answers/{qid}\" role=\"search\">\
         <div class=\"c-field\"><label class=\"c-label\" for=\"q\">Search the answers</label>\
         <input class=\"c-input\" id=\"q\" name=\"q\" type=\"search\" value=\"{}\"></div>\
         <button type=\"submit\" class=\"c-button c-button--secondary\">Search</button></form>\
         <p role=\"status\">{found}{more}</p><ul class=\"c-answers\">{items}</ul>",
        esc(&search),
        sid = esc(id),
        qid = esc(question),
    );
    let title = definition.map_or(id, |s| s.title.as_str());
    let breadcrumbs = [
        ("Surveys", "/console".to_owned()),
        (title, format!("/console/surveys/{id}")),
    ];
    signed_page(signed, &q_title, &breadcrumbs, &main)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_for_dates_and_durations() {
        assert_eq!(duration_text(59.6), "1 minute");
        assert_eq!(duration_text(270.0), "4 minutes 30 seconds");
        assert_eq!(duration_text(1.0), "1 second");
        assert_eq!(number(2.0), "2");
        assert_eq!(number(2.5), "2.50");
    }

    #[test]
    fn unknown_codes_are_listed_after_the_options() {
        let options = vec![("a".to_owned(), "A".to_owned()), ("b".to_owned(), "B".to_owned())];
        let counts = HashMap::from([("b".to_owned(), 2), ("z".to_owned(), 1)]);
        assert_eq!(
            counted(&options, &counts),
            vec![("A".into(), 0), ("B".into(), 2), ("z (not in this version)".into(), 1)]
        );
    }
}

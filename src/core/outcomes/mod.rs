//! "You said, we did" on the respondent's side (issue #12): reading a survey's outcomes feed
//! (`public/outcomes.schema.json`), keeping it for offline, and where one response stands on
//! the way from "received" to "outcomes published". Read by hand from `serde_json::Value`,
//! like the rest of the widget, since derived deserialisers cost the first load more.
use crate::core::survey::date::Date;
use crate::core::survey::validate::format_date;
use crate::core::text::escape_html as esc;
use crate::core::text::messages::Catalogue;
use serde_json::Value;

/// Most themes and actions shown, whatever a feed holds.
pub const MAX_ITEMS: usize = 30;

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// A text the council may have written in several languages (issue #23): a string (in the
/// survey's default language, `default`), or an object keyed by language. The text in `lang`,
/// else the first the feed has, with the language it is in when that is not `lang` (to mark
/// it with `lang`).
fn local<'a>(v: &'a Value, key: &str, lang: &str, default: &'a str) -> (&'a str, Option<&'a str>) {
    match v.get(key) {
        Some(Value::Object(texts)) => match texts.get(lang).and_then(Value::as_str) {
            Some(text) => (text, None),
            None => texts
                .iter()
                .find_map(|(l, t)| t.as_str().map(|t| (t, Some(l.as_str()))))
                .unwrap_or_default(),
        },
        other => (
            other.and_then(Value::as_str).unwrap_or_default(),
            (default != lang).then_some(default),
        ),
    }
}

/// `local` as escaped HTML, a text in another language wrapped with its `lang`.
fn local_html(v: &Value, key: &str, lang: &str, default: &str) -> String {
    match local(v, key, lang, default) {
        (text, Some(other)) => format!("<span lang=\"{}\">{}</span>", esc(other), esc(text)),
        (text, None) => esc(text),
    }
}

fn items<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    v.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .take(MAX_ITEMS)
}

/// Whether `v` is an outcomes feed, so a captive portal's page or an error is never kept or
/// shown in place of what the device had.
fn is_feed(v: &Value) -> bool {
    v.get("formatVersion").and_then(Value::as_u64) == Some(1)
        && ["open", "closed", "analysing", "published"].contains(&text(v, "status"))
}

/// The device's copy of a fetched feed: `{"fetchedAt": ms, "feed": …}` with the feed as it
/// came, or `None` when it is not a feed. Whole milliseconds, read back by `serde_json`, so no
/// float formatting or parsing code is added to the first load.
pub fn to_cache(fetched_at: f64, feed: &str) -> Option<String> {
    let v = crate::core::text::json::parse(feed).ok()?;
    is_feed(&v).then(|| format!("{{\"fetchedAt\":{},\"feed\":{feed}}}", fetched_at as u64))
}

/// The feed in the device's copy and when it was fetched.
pub fn from_cache(kept: &str) -> Option<(Value, f64)> {
    let mut v = crate::core::text::json::parse(kept).ok()?;
    let at = v.get("fetchedAt")?.as_f64()?;
    let feed = v.get_mut("feed")?.take();
    is_feed(&feed).then_some((feed, at))
}

/// The survey's status in the device's copy: `open`, `closed`, `analysing` or `published`.
pub fn status(kept: &str) -> Option<String> {
    from_cache(kept).map(|(feed, _)| text(&feed, "status").to_owned())
}

/// Where a response stands, as the person sees it beside its reference code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// Not received yet.
    Sending,
    /// The council has it.
    Received,
    /// The council is reading the responses.
    Analysing,
    /// The council has published what it heard and did.
    Published,
}

impl Stage {
    /// The stage of a response the council has (`received`) or not, given the survey's
    /// published status, if the device has it.
    pub fn of(received: bool, status: Option<&str>) -> Self {
        match (received, status) {
            (false, _) => Self::Sending,
            (true, Some("published")) => Self::Published,
            (true, Some("analysing")) => Self::Analysing,
            _ => Self::Received,
        }
    }
}

/// The outcomes as HTML (every piece of the feed escaped), or `None` for an open survey with
/// nothing published yet. HTML text rather than data for a component: it changes only when a
/// new feed arrives, and the same markup as Leptos views measured 1.7 KB brotli more on the
/// respondent's first load (issue #22 kept this for that reason).
/// `heading_id` labels the section; `when` is the device's last fetch, in words; `default` is
/// the survey's default language, which a text given as a plain string is in. Evidence links
/// are shown only when they are http(s).
pub fn html(feed: &Value, heading_id: &str, when: &str, c: &Catalogue, default: &str) -> Option<String> {
    let status = text(feed, "status");
    let lang = c.locale();
    let themes: Vec<&Value> = items(feed, "youSaid")
        .filter(|t| !local(t, "theme", lang, default).0.is_empty())
        .collect();
    let actions: Vec<&Value> = items(feed, "weDid")
        .filter(|a| !local(a, "action", lang, default).0.is_empty())
        .collect();
    if status == "open" && themes.is_empty() && actions.is_empty() {
        return None;
    }
    let heading = |key: &str, out: &mut String| {
        out.push_str("<h3 class=\"sw-heading-s\">");
        out.push_str(&esc(c.get(key)));
        out.push_str("</h3><ul class=\"sw-list\">");
    };
    let mut out = format!(
        "<section class=\"sw-outcomes\" aria-labelledby=\"{heading_id}\"><h2 class=\"sw-heading-m\" id=\"{heading_id}\">{}</h2>\
         <p class=\"sw-body\"><strong class=\"sw-tag\">{}</strong></p>",
        esc(c.get("outcomes.heading")),
        esc(c.get(&format!("outcomes.status.{status}"))),
    );
    if !themes.is_empty() {
        heading("outcomes.youSaid", &mut out);
        for t in themes {
            out.push_str("<li>");
            out.push_str(&local_html(t, "theme", lang, default));
            if let Some(n) = t.get("count").and_then(Value::as_u64) {
                out.push_str(" (");
                out.push_str(&esc(&c.plural("outcomes.people", n, &[])));
                out.push(')');
            }
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    if !actions.is_empty() {
        heading("outcomes.weDid", &mut out);
        for a in actions {
            // A status this widget does not know (a newer feed) is left out, not shown as a key.
            let key = format!("outcomes.action.{}", text(a, "status"));
            let mut detail = match c.get(&key) {
                label if label != key => format!("{}, {}", esc(label), local_html(a, "owner", lang, default)),
                _ => local_html(a, "owner", lang, default),
            };
            if let Some(d) = Date::parse_iso(text(a, "date")) {
                detail.push_str(", ");
                detail.push_str(&esc(&format_date(d, c)));
            }
            out.push_str("<li><strong>");
            out.push_str(&local_html(a, "action", lang, default));
            out.push_str("</strong><br>");
            out.push_str(&detail);
            if !local(a, "reason", lang, default).0.is_empty() {
                out.push_str("<br>");
                out.push_str(&local_html(a, "reason", lang, default));
            }
            let evidence = text(a, "evidence");
            if evidence.starts_with("https://") || evidence.starts_with("http://") {
                out.push_str(" <a class=\"sw-link\" href=\"");
                out.push_str(&esc(evidence));
                out.push_str("\" rel=\"noopener noreferrer\">");
                out.push_str(&esc(c.get("outcomes.evidence")));
                out.push_str("</a>");
            }
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    out.push_str("<p class=\"sw-hint\">");
    out.push_str(&esc(&c.format("outcomes.updated", &[("when", when)])));
    out.push_str("</p></section>");
    Some(out)
}

/// Received → analysing → outcomes published as an ordered list, the current step marked.
pub fn steps_html(stage: Stage, c: &Catalogue) -> String {
    let mut out = String::from("<ol class=\"sw-steps\">");
    // Issue #21: a response stored on the device but not yet sent has reached a step too.
    for (s, key) in [
        (Stage::Sending, "outcomes.stage.saved"),
        (Stage::Received, "outcomes.stage.received"),
        (Stage::Analysing, "outcomes.stage.analysing"),
        (Stage::Published, "outcomes.stage.published"),
    ] {
        let class = if s <= stage { "sw-step sw-step--done" } else { "sw-step" };
        let current = if s == stage { " aria-current=\"step\"" } else { "" };
        out.push_str(&format!("<li class=\"{class}\"{current}>{}</li>", esc(c.get(key))));
    }
    out.push_str("</ol>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FEED: &str = include_str!("../../../tests/fixtures/outcomes-feed.json");

    fn feed() -> Value {
        from_cache(&to_cache(5.0, FEED).unwrap()).unwrap().0
    }

    #[test]
    fn the_device_keeps_feeds_and_nothing_else() {
        let kept = to_cache(5.0, FEED).unwrap();
        assert!(kept.starts_with("{\"fetchedAt\":5,\"feed\":{"));
        assert_eq!(from_cache(&kept).unwrap().1, 5.0);
        assert_eq!(status(&kept).as_deref(), Some("published"));
        assert_eq!(to_cache(0.0, "<html>Sign in to the Wi-Fi</html>"), None);
        assert_eq!(to_cache(0.0, r#"{"formatVersion": 2, "status": "open"}"#), None);
        assert_eq!(to_cache(0.0, r#"{"formatVersion": 1, "status": "finished"}"#), None);
        assert_eq!(from_cache("nonsense"), None);
        assert_eq!(
            status(r#"{"fetchedAt": 1, "feed": {"formatVersion": 1, "status": "nope"}}"#),
            None
        );
    }

    #[test]
    fn the_councils_words_show_in_the_persons_language_or_marked_as_another() {
        let welsh = Catalogue::in_language(include_str!("../text/locales/cy.json"), "cy").unwrap();
        let v = serde_json::json!({ "formatVersion": 1, "status": "published",
            "youSaid": [{ "theme": { "en": "Evenings are better", "cy": "Mae gyda'r nos yn well" }, "count": 12 }],
            "weDid": [{ "action": { "en": "Evening forums" }, "owner": "Engagement team", "status": "done" }] });
        let html = html(&v, "o", "heddiw", &welsh, "en").unwrap();
        assert!(
            html.contains("<li>Mae gyda&#39;r nos yn well (12 o bobl)</li>"),
            "{html}"
        );
        assert!(html.contains("<span lang=\"en\">Evening forums</span>"), "{html}");
        assert!(
            html.contains("Wedi’i wneud, <span lang=\"en\">Engagement team</span>"),
            "a plain string is in the survey's default language, marked on a page in another: {html}"
        );
        let english = html_for_english(&v);
        assert!(
            english.contains("<li>Evenings are better (12 people)</li>"),
            "{english}"
        );
    }

    fn html_for_english(v: &Value) -> String {
        html(v, "o", "today", &Catalogue::english(), "en").unwrap()
    }

    #[test]
    fn the_html_says_it_all_and_escapes_the_feed() {
        let c = Catalogue::english();
        let mut v = feed();
        v["youSaid"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({ "theme": "<script>alert(1)</script>", "count": 7 }));
        v["weDid"].as_array_mut().unwrap().push(
            serde_json::json!({ "action": "x", "owner": "Owner Z", "status": "someday", "evidence": "javascript:alert(1)" }),
        );
        let html = html(&v, "sw1-outcomes", "2 December 2026 at 7:40pm", &c, "en").unwrap();
        assert!(html.contains("<h2 class=\"sw-heading-m\" id=\"sw1-outcomes\">You said, we did</h2>"));
        assert!(html.contains("<strong class=\"sw-tag\">Outcomes published</strong>"));
        assert!(html.contains("<li>People did not know co-production was happening (41 people)</li>"));
        assert!(
            html.contains("<li>Meetings clash with caring</li>"),
            "a withheld count says nothing"
        );
        assert!(html.contains("Done, Engagement team, 31 March 2027"), "{html}");
        assert!(html.contains("Not doing, Adult social care<br>The budget"));
        assert!(html.contains("href=\"https://www.council.gov.uk/carers-forum\""));
        assert!(html.contains("&lt;script&gt;") && !html.contains("<script>"));
        assert!(!html.contains("javascript:"), "only http(s) evidence links");
        assert!(
            html.contains("<strong>x</strong><br>Owner Z</li>") && !html.contains("outcomes.action"),
            "{html}"
        );
        assert!(html.contains("Last updated on this device 2 December 2026 at 7:40pm."));
        let open = serde_json::json!({ "formatVersion": 1, "status": "open", "youSaid": [], "weDid": [] });
        assert_eq!(super::html(&open, "x", "", &c, "en"), None);
        let steps = steps_html(Stage::Analysing, &c);
        assert!(steps.contains("<li class=\"sw-step sw-step--done\">Saved on this device</li>"));
        assert!(steps.contains("<li class=\"sw-step sw-step--done\">Received</li>"));
        let sending = steps_html(Stage::Sending, &c);
        assert!(
            sending.contains("<li class=\"sw-step sw-step--done\" aria-current=\"step\">Saved on this device</li>"),
            "a stored response has reached its first step: {sending}"
        );
        assert!(steps.contains("<li class=\"sw-step sw-step--done\" aria-current=\"step\">Analysing</li>"));
        assert!(steps.contains("<li class=\"sw-step\">Outcomes published</li>"));
    }

    #[test]
    fn stages_follow_delivery_then_the_survey() {
        assert_eq!(Stage::of(false, Some("published")), Stage::Sending);
        assert_eq!(Stage::of(true, None), Stage::Received);
        assert_eq!(Stage::of(true, Some("closed")), Stage::Received);
        assert_eq!(Stage::of(true, Some("analysing")), Stage::Analysing);
        assert_eq!(Stage::of(true, Some("published")), Stage::Published);
    }
}

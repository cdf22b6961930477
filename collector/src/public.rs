//! What anyone may read: a survey's published outcomes (JSON for the widget and other sites,
//! Atom for people who follow updates) and the reference lookup page. None of it holds an
//! answer; counts under the threshold are withheld.
//!
//! | Route | What |
//! |---|---|
//! | `GET /surveys/{id}/outcomes.json` | the outcomes feed (`public/outcomes.schema.json`), cacheable, CORS for `--origin`s |
//! | `GET /surveys/{id}/outcomes.atom` | the same as an Atom feed, one entry per saved change |
//! | `GET /lookup?reference=…` | a person's response's stage, rate-limited per address |
use crate::console::html::{self, esc, Layout};
use crate::console::{html_reply, query_value};
use crate::http::{allowed_origin, reply, with_retry_after, Reply};
use crate::outcomes::{atom, published_count, AtomEntry, Feed, Record, SurveyStatus};
use crate::Collector;
use hyper::header::{self, HeaderValue};
use hyper::{HeaderMap, StatusCode};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use survey_widget::core::reference::normalise_reference;

/// How long browsers and proxies may keep a feed: a change shows within five minutes.
const FEED_MAX_AGE: &str = "public, max-age=300";

/// Lookups per client address per minute.
pub struct RateLimit {
    per_minute: u32,
    seen: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

/// Most addresses remembered, so a flood of addresses cannot fill memory.
const MAX_ADDRESSES: usize = 50_000;

impl RateLimit {
    /// A limit of `per_minute` lookups per address.
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one lookup from `ip`; `Err` with the seconds to wait when over the limit.
    pub fn check(&self, ip: IpAddr) -> Result<(), u64> {
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        let window = Duration::from_secs(60);
        if seen.len() >= MAX_ADDRESSES {
            seen.retain(|_, (start, _)| start.elapsed() < window);
        }
        let entry = seen.entry(ip).or_insert((Instant::now(), 0));
        if entry.0.elapsed() >= window {
            *entry = (Instant::now(), 0);
        }
        if entry.1 >= self.per_minute {
            return Err((window.saturating_sub(entry.0.elapsed())).as_secs().max(1));
        }
        entry.1 += 1;
        Ok(())
    }
}

/// The client's address for the lookup's rate limit: the peer's, or, when the peer is a
/// trusted proxy, the last address in its `X-Forwarded-For` (the one that proxy saw; any
/// before it came from the client and could be made up).
pub(crate) fn client_address(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpAddr]) -> Option<IpAddr> {
    let from_proxy = peer.is_some_and(|p| trusted.contains(&p));
    if !from_proxy {
        return peer;
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .last()
        .and_then(|last| last.trim().parse().ok());
    forwarded.or(peer)
}

/// The collector's own address as the public sees it, for the Atom feed's links.
fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)))
        .unwrap_or("localhost");
    let loopback = host.starts_with("127.") || host.starts_with("localhost") || host.starts_with("[::1]");
    format!("{}://{host}", if loopback { "http" } else { "https" })
}

/// The saved record, when it was saved and the responses count; for a survey with no
/// record yet, an open one with nothing in it (and no count: a count is published only once
/// an officer has saved the record), so a widget that names the feed gets no error.
async fn feed_parts(c: &Collector, id: &str) -> Result<(Record, Option<String>, Option<u64>), Reply> {
    let saved = match c.store.outcomes(id.to_owned()).await {
        Ok(saved) => saved,
        Err(e) => return Err(feed_unavailable(&e)),
    };
    let Some(saved) = saved else {
        return Ok((Record::default(), None, None));
    };
    let counts = c.store.surveys().await.map_err(|e| feed_unavailable(&e))?;
    let record = serde_json::from_str::<Record>(&saved.body).unwrap_or_default();
    let n = counts.iter().find(|s| s.survey_id == id).map_or(0, |s| s.responses);
    Ok((record, Some(saved.updated_at), Some(n)))
}

fn feed_unavailable(e: &crate::store::StoreError) -> Reply {
    eprintln!("collector: feed: {e}");
    with_retry_after(
        crate::http::problem(StatusCode::SERVICE_UNAVAILABLE, &["the feed could not be read".into()]),
        5,
    )
}

fn cacheable(mut r: Reply, body_digest: &str, headers: &HeaderMap) -> Reply {
    let etag = format!("\"{}\"", &body_digest[..32]);
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if matches {
        let mut not_modified = reply(StatusCode::NOT_MODIFIED, "text/plain", bytes::Bytes::new());
        std::mem::swap(not_modified.headers_mut(), r.headers_mut());
        r = not_modified;
    }
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(FEED_MAX_AGE));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    r
}

/// `GET /surveys/{id}/outcomes.json` and `.atom`.
pub(crate) async fn feed(c: &Collector, headers: &HeaderMap, id: &str, as_atom: bool) -> Reply {
    let (record, updated_at, responses) = match feed_parts(c, id).await {
        Ok(parts) => parts,
        Err(r) => return r,
    };
    let feed = Feed {
        survey_id: id,
        title: c.config.surveys.latest(id).map(|s| s.title.as_str()),
        record: &record,
        updated_at: updated_at.as_deref(),
        responses,
        threshold: c.config.threshold,
    };
    let (body, content_type) = if as_atom {
        let history = match c.store.history(id.to_owned()).await {
            Ok(h) => h,
            Err(e) => return feed_unavailable(&e),
        };
        let entries: Vec<AtomEntry<'_>> = history
            .iter()
            .take(50)
            .map(|h| AtomEntry {
                at: &h.at,
                summary: &h.summary,
            })
            .collect();
        (
            atom(&feed, &base_url(headers), &c.config.publisher, &entries),
            "application/atom+xml; charset=utf-8",
        )
    } else {
        (feed.json().to_string(), "application/json")
    };
    let digest = crate::auth::digest(&body);
    let mut r = cacheable(reply(StatusCode::OK, content_type, body), &digest, headers);
    cors(c, headers, &mut r);
    r
}

/// CORS for the public feeds: the configured origins may read them from their pages.
fn cors(c: &Collector, headers: &HeaderMap, r: &mut Reply) {
    let h = r.headers_mut();
    h.insert(header::VARY, HeaderValue::from_static("Origin"));
    if let Some(origin) = allowed_origin(&c.config.origins, headers.get(header::ORIGIN)) {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    }
}

fn stage(status: SurveyStatus) -> (&'static str, &'static str) {
    match status {
        SurveyStatus::Open | SurveyStatus::Closed => (
            "Received",
            "The council has received it. It will be read with everyone else's once the survey closes.",
        ),
        SurveyStatus::Analysing => (
            "Being analysed",
            "The council is reading the responses to this survey now.",
        ),
        SurveyStatus::Published => (
            "Outcomes published",
            "The council has said what it heard and what it is doing about it.",
        ),
    }
}

/// The public "you said, we did" of a record, as HTML.
pub(crate) fn outcomes_html(record: &Record, threshold: u64) -> String {
    let mut out = String::new();
    if !record.you_said.is_empty() {
        let items: String = record
            .you_said
            .iter()
            .map(|t| match t.count.and_then(|n| published_count(n, threshold)) {
                Some(n) => format!("<li>{} ({n} people)</li>", esc(&t.text)),
                None => format!("<li>{}</li>", esc(&t.text)),
            })
            .collect();
        out.push_str(&format!("<h2>You said</h2><ul class=\"c-list\">{items}</ul>"));
    }
    if !record.we_did.is_empty() {
        let rows: Vec<Vec<String>> = record
            .we_did
            .iter()
            .map(|a| {
                let mut what = esc(&a.text);
                if !a.reason.is_empty() {
                    what.push_str(&format!("<br><span class=\"c-caption\">Why not: {}</span>", esc(&a.reason)));
                }
                if !a.evidence.is_empty() {
                    what.push_str(&format!(
                        "<br><a href=\"{}\" rel=\"noopener noreferrer\">Evidence<span class=\"c-visually-hidden\"> for this action</span></a>",
                        esc(&a.evidence)
                    ));
                }
                vec![what, esc(&a.owner), esc(a.status.label()), esc(&a.date)]
            })
            .collect();
        out.push_str(&format!(
            "<h2>We did</h2>{}",
            html::table(
                "What the council is doing",
                &["Action", "Owner", "Status", "Date"],
                &rows,
                99
            )
        ));
    }
    out
}

fn lookup_page(status: StatusCode, typed: &str, result: &str, problems: &[(String, String)]) -> Reply {
    let main = format!(
        "<p>If you answered one of the council's surveys, you were given a reference code, such as KX7P-3M4Q. \
         Enter it to see where your response has got to. This page never shows your answers.</p>\
         <form method=\"get\" action=\"/lookup\" novalidate><div class=\"c-field\">\
         <label class=\"c-label\" for=\"reference\">Reference code</label>{}\
         <input class=\"c-input c-input--short\" id=\"reference\" name=\"reference\" type=\"text\" \
         autocomplete=\"off\" spellcheck=\"false\" autocapitalize=\"characters\" value=\"{}\"{}></div>\
         <button type=\"submit\" class=\"c-button\">Look up</button></form>{result}",
        html::field_error(problems, "reference"),
        esc(typed),
        html::field_attrs(problems, "reference"),
    );
    let layout = Layout {
        title: "Look up your response",
        signed_in: None,
        breadcrumbs: &[],
        problems,
        banner: None,
    };
    html_reply(status, html::page(&layout, &main))
}

/// `GET /lookup?reference=…`.
pub(crate) async fn lookup(c: &Collector, peer: Option<IpAddr>, query: Option<&str>) -> Reply {
    let Some(typed) = query_value(query, "reference") else {
        return lookup_page(StatusCode::OK, "", "", &[]);
    };
    let Some(code) = normalise_reference(&typed) else {
        let problems = [(
            "reference".to_owned(),
            "Enter a reference code of 8 letters and numbers, like KX7P-3M4Q".to_owned(),
        )];
        return lookup_page(StatusCode::BAD_REQUEST, &typed, "", &problems);
    };
    // Only well-formed codes count, so a person correcting a typo is not locked out.
    if let Err(wait) = c.lookups.check(peer.unwrap_or(IpAddr::from([0, 0, 0, 0]))) {
        let problems = [(
            "reference".to_owned(),
            format!("You have looked up too many codes in a minute. Wait {wait} seconds, then try again"),
        )];
        let mut r = lookup_page(StatusCode::TOO_MANY_REQUESTS, &typed, "", &problems);
        r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return r;
    }
    let found = match c.store.find_reference(code.clone()).await {
        Ok(found) => found,
        Err(e) => {
            eprintln!("collector: lookup: {e}");
            return with_retry_after(
                lookup_page(
                    StatusCode::SERVICE_UNAVAILABLE,
                    &typed,
                    "<p>Sorry, the lookup is not working just now. Try again in a few minutes.</p>",
                    &[],
                ),
                30,
            );
        }
    };
    let Some(found) = found else {
        let result = format!(
            "<h2>No response found for {}</h2><p>Check the code. If you answered on a device without a signal, \
             your response is sent the next time the survey opens on it with a connection, so it may not have arrived yet.</p>",
            esc(&code)
        );
        return lookup_page(StatusCode::NOT_FOUND, &typed, &result, &[]);
    };
    let record = match crate::console::current_outcomes(c, &found.survey_id).await {
        Ok(r) => r.unwrap_or_default(),
        Err(_) => Record::default(),
    };
    let (stage_name, stage_text) = stage(record.status);
    let title = c
        .config
        .surveys
        .latest(&found.survey_id)
        .map_or(found.survey_id.as_str(), |s| s.title.as_str());
    let result = format!(
        "<h2>{}</h2>{}<p>{}</p>{}",
        esc(&code),
        html::summary_list(&[
            ("Survey", esc(title)),
            ("Received", esc(&crate::console::day_text(&found.received_at))),
            ("Stage", format!("<span class=\"c-tag\">{}</span>", esc(stage_name))),
        ]),
        esc(stage_text),
        outcomes_html(&record, c.config.threshold),
    );
    lookup_page(StatusCode::OK, &typed, &result, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_are_limited_per_address() {
        let limit = RateLimit::new(2);
        let (a, b) = (IpAddr::from([10, 0, 0, 1]), IpAddr::from([10, 0, 0, 2]));
        assert!(limit.check(a).is_ok() && limit.check(a).is_ok());
        assert!(limit.check(a).is_err());
        assert!(limit.check(b).is_ok(), "another address has its own allowance");
    }

    #[test]
    fn the_client_is_named_by_a_trusted_proxy_only() {
        let proxy = IpAddr::from([127, 0, 0, 1]);
        let mut h = HeaderMap::new();
        h.append("x-forwarded-for", HeaderValue::from_static("203.0.113.9, 198.51.100.7"));
        let client = IpAddr::from([198, 51, 100, 7]);
        assert_eq!(
            client_address(Some(proxy), &h, &[proxy]),
            Some(client),
            "the address the proxy saw"
        );
        assert_eq!(
            client_address(Some(proxy), &h, &[]),
            Some(proxy),
            "no trusted proxy: the header is ignored"
        );
        let stranger = IpAddr::from([192, 0, 2, 1]);
        assert_eq!(
            client_address(Some(stranger), &h, &[proxy]),
            Some(stranger),
            "nor from any other peer"
        );
        h.append("x-forwarded-for", HeaderValue::from_static("2001:db8::1"));
        assert_eq!(
            client_address(Some(proxy), &h, &[proxy]),
            Some("2001:db8::1".parse().unwrap_or(proxy)),
            "the last of several headers"
        );
        let mut bad = HeaderMap::new();
        bad.insert("x-forwarded-for", HeaderValue::from_static("unknown"));
        assert_eq!(client_address(Some(proxy), &bad, &[proxy]), Some(proxy));
        assert_eq!(client_address(Some(proxy), &HeaderMap::new(), &[proxy]), Some(proxy));
    }

    #[test]
    fn the_base_url_comes_from_a_plain_host() {
        let mut h = HeaderMap::new();
        h.insert(
            header::HOST,
            "127.0.0.1:8787".parse().unwrap_or(HeaderValue::from_static("x")),
        );
        assert_eq!(base_url(&h), "http://127.0.0.1:8787");
        h.insert(header::HOST, HeaderValue::from_static("survey.council.gov.uk"));
        assert_eq!(base_url(&h), "https://survey.council.gov.uk");
        h.insert(header::HOST, HeaderValue::from_static("evil\"><x"));
        assert_eq!(base_url(&h), "http://localhost");
    }
}

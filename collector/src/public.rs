//! What anyone may read: a survey's published outcomes (JSON for the widget and other sites,
//! Atom for people who follow updates) and the reference lookup page. None of it holds an
//! answer; counts under the threshold are withheld.
//!
//! | Route | What |
//! |---|---|
//! | `GET /surveys/{id}/outcomes.json` | the outcomes feed (`public/outcomes.schema.json`), cacheable, CORS for `--origin`s |
//! | `GET /surveys/{id}/outcomes.atom` | the same as an Atom feed, one entry per saved change |
//! | `GET /lookup?reference=…` | a person's response's stage, rate-limited per address |
use crate::html::{self, esc, html_reply, query_value};
use crate::outcomes::{atom, published_count, AtomEntry, Feed, Record, SurveyStatus};
use crate::reply::{allowed_origin, reply, with_retry_after, Reply};
use crate::words::Words;
use crate::Collector;
use hyper::header::{self, HeaderValue};
use hyper::{HeaderMap, StatusCode};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use survey_widget::core::respond::reference::normalise_reference;

/// Changes the Atom feed lists, newest first.
const ATOM_ENTRIES: usize = 50;

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
        let ip = allowance_key(ip);
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

/// The address an allowance is counted under. One IPv6 subscriber is given a whole /64 (and
/// picks a new address in it at will), so IPv6 addresses count per /64 (issue #21); an
/// IPv4 address written as IPv6 (`::ffff:a.b.c.d`) counts as itself.
pub(crate) fn allowance_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(std::net::Ipv6Addr::from(v6.to_bits() & !u128::from(u64::MAX))),
        },
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
    // The responses counted in the figures: none held for review (issue #21).
    let n = crate::counting::figures(c, id)
        .await
        .map_err(|e| feed_unavailable(&e))?
        .total;
    let record = serde_json::from_str::<Record>(&saved.body).unwrap_or_default();
    Ok((record, Some(saved.updated_at), Some(n)))
}

fn feed_unavailable(e: &crate::store::StoreError) -> Reply {
    eprintln!("collector: feed: {e}");
    with_retry_after(
        crate::reply::problem(StatusCode::SERVICE_UNAVAILABLE, &["the feed could not be read".into()]),
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

/// `GET /surveys/{id}/outcomes.json`, and `.atom` (`as_atom`) in the language of these
/// words (the JSON feed carries every language's texts at once).
pub(crate) async fn feed(c: &Collector, headers: &HeaderMap, id: &str, as_atom: Option<&Words>) -> Reply {
    let (record, updated_at, responses) = match feed_parts(c, id).await {
        Ok(parts) => parts,
        Err(r) => return r,
    };
    let surveys = c.surveys();
    let feed = Feed {
        survey_id: id,
        title: surveys.latest(id).map(|s| s.title.as_str()),
        record: &record,
        updated_at: updated_at.as_deref(),
        responses,
        threshold: c.config.threshold,
    };
    let (body, content_type) = if let Some(words) = as_atom {
        let history = match c.store.history(id.to_owned()).await {
            Ok(h) => h,
            Err(e) => return feed_unavailable(&e),
        };
        // Each change is described again for the public from the records before and after
        // it, so small counts are withheld here as in the JSON feed (issue #21); the audit
        // trail's own words, with the counts as typed, stay in the console.
        let records: Vec<Option<Record>> = history
            .iter()
            .take(ATOM_ENTRIES + 1)
            .map(|h| serde_json::from_str::<Record>(&h.body).ok())
            .collect();
        let summaries: Vec<String> = records
            .iter()
            .take(ATOM_ENTRIES)
            .enumerate()
            .map(|(i, after)| {
                let before = records.get(i + 1).and_then(Option::as_ref);
                after.as_ref().map_or_else(
                    || words.history.updated.to_owned(),
                    |after| after.public_changes_from(before, c.config.threshold, words),
                )
            })
            .collect();
        let entries: Vec<AtomEntry<'_>> = history
            .iter()
            .zip(&summaries)
            .map(|(h, summary)| AtomEntry { at: &h.at, summary })
            .collect();
        // The survey's title in the feed's language, where the survey has it.
        let surveys = c.surveys();
        let title = surveys.latest(id).map(|s| {
            surveys
                .in_every_language(s)
                .into_iter()
                .find(|t| t.locale == words.code)
                .unwrap_or(s)
                .title
                .clone()
        });
        let feed = Feed {
            title: title.as_deref(),
            ..feed
        };
        (
            atom(&feed, &c.config.public_url, &c.config.publisher, &entries, words),
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

fn stage(words: &Words, status: SurveyStatus) -> (&'static str, &'static str) {
    match status {
        SurveyStatus::Open | SurveyStatus::Closed => words.stage_received,
        SurveyStatus::Analysing => words.stage_analysing,
        SurveyStatus::Published => words.stage_published,
    }
}

/// The council's text in the page's language where it wrote one, else its English, marked
/// with its `lang` on a page in another language.
fn council_text(words: &Words, english: &str, welsh: &str) -> String {
    let (text, lang) = crate::outcomes::in_language(english, welsh, words.code);
    if lang == words.code {
        esc(text)
    } else {
        format!("<span lang=\"{lang}\">{}</span>", esc(text))
    }
}

/// The public "you said, we did" of a record, as HTML: themes as a list, each action as a
/// card with a summary list (a four-column table is wider than a phone), dates in words, the
/// page's words in `words`' language (the council's own texts are as it wrote them).
pub(crate) fn outcomes_html(record: &Record, threshold: u64, words: &Words) -> String {
    let mut out = String::new();
    if !record.you_said.is_empty() {
        let items: String = record
            .you_said
            .iter()
            .map(|t| match t.count.and_then(|n| published_count(n, threshold)) {
                Some(n) => format!(
                    "<li>{} ({})</li>",
                    council_text(words, &t.text, &t.text_cy),
                    esc(&(words.people)(n))
                ),
                None => format!("<li>{}</li>", council_text(words, &t.text, &t.text_cy)),
            })
            .collect();
        out.push_str(&format!(
            "<h2>{}</h2><ul class=\"c-list\">{items}</ul>",
            esc(words.you_said)
        ));
    }
    if !record.we_did.is_empty() {
        out.push_str(&format!("<h2>{}</h2>", esc(words.we_did)));
        for a in &record.we_did {
            let mut rows = vec![
                (words.who, council_text(words, &a.owner, &a.owner_cy)),
                (
                    words.where_it_is,
                    format!("<span class=\"c-tag\">{}</span>", esc(a.status.in_words(words))),
                ),
            ];
            if !a.date.is_empty() {
                let when = if a.status == crate::outcomes::ActionStatus::Done {
                    words.done
                } else {
                    words.due
                };
                rows.push((when, esc(&crate::words::day_text(words, &a.date))));
            }
            if !a.reason.is_empty() {
                rows.push((words.why_not, council_text(words, &a.reason, &a.reason_cy)));
            }
            if !a.evidence.is_empty() {
                rows.push((
                    words.more,
                    format!(
                        "<a href=\"{}\" rel=\"noopener noreferrer\">{}<span class=\"c-visually-hidden\">{}</span></a>",
                        esc(&a.evidence),
                        esc(words.evidence),
                        esc(words.evidence_hidden)
                    ),
                ));
            }
            out.push_str(&format!(
                "<div class=\"c-card\"><h3>{}</h3>{}</div>",
                council_text(words, &a.text, &a.text_cy),
                html::summary_list(&rows)
            ));
        }
    }
    out
}

/// GOV.UK's language select for a public page: each other language a link to the same page
/// (with what was typed) in it.
fn language_switch(words: &Words, typed: &str) -> String {
    let items: String = crate::words::ALL
        .into_iter()
        .map(|w| {
            if w.code == words.code {
                format!(
                    "<li class=\"c-language__item\"><span aria-current=\"true\" lang=\"{}\"><strong>{}</strong></span></li>",
                    w.code,
                    esc(w.name)
                )
            } else {
                let reference = if typed.is_empty() {
                    String::new()
                } else {
                    format!("&amp;reference={}", esc(&form_urlencoded::byte_serialize(typed.as_bytes()).collect::<String>()))
                };
                format!(
                    "<li class=\"c-language__item\"><a href=\"/lookup?lang={code}{reference}\" hreflang=\"{code}\" lang=\"{code}\">{}</a></li>",
                    esc(w.name),
                    code = w.code,
                )
            }
        })
        .collect();
    format!(
        "<nav class=\"c-language\" aria-label=\"{}\"><ul class=\"c-language__list\">{items}</ul></nav>",
        esc(words.language)
    )
}

fn lookup_page(
    c: &Collector,
    words: &Words,
    status: StatusCode,
    typed: &str,
    result: &str,
    problems: &[(String, String)],
) -> Reply {
    let main = format!(
        "{}<p>{}</p>\
         <form method=\"get\" action=\"/lookup\" novalidate><input type=\"hidden\" name=\"lang\" value=\"{}\"><div class=\"c-field\">\
         <label class=\"c-label\" for=\"reference\">{}</label>\
         <p class=\"c-hint\" id=\"reference-hint\">{}</p>{}\
         <input class=\"c-input c-input--short\" id=\"reference\" name=\"reference\" type=\"text\" \
         autocomplete=\"off\" spellcheck=\"false\" autocapitalize=\"characters\" dir=\"ltr\" value=\"{}\"{}></div>\
         <button type=\"submit\" class=\"c-button\">{}</button></form>{result}",
        language_switch(words, typed),
        esc(words.lookup_intro),
        words.code,
        esc(words.reference),
        esc(words.reference_hint),
        html::field_error(problems, "reference"),
        esc(typed),
        described_by(problems),
        esc(words.look_up),
    );
    let mut reply = html_reply(
        status,
        html::public_page(words, words.lookup_title, &c.config.publisher, problems, &main),
    );
    reply
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept-Language"));
    reply
}

/// `aria-describedby` for the reference box: its hint, then its error if it has one.
fn described_by(problems: &[(String, String)]) -> String {
    if problems.iter().any(|(f, _)| f == "reference") {
        " aria-describedby=\"reference-hint reference-error\" aria-invalid=\"true\"".to_owned()
    } else {
        " aria-describedby=\"reference-hint\"".to_owned()
    }
}

/// `GET /lookup?reference=…&lang=…`, in the language asked for or the browser's (issue #23).
pub(crate) async fn lookup(c: &Collector, peer: Option<IpAddr>, query: Option<&str>, headers: &HeaderMap) -> Reply {
    let words = crate::words::choose(query, headers);
    let Some(typed) = query_value(query, "reference") else {
        return lookup_page(c, words, StatusCode::OK, "", "", &[]);
    };
    let Some(code) = normalise_reference(&typed) else {
        let problems = [("reference".to_owned(), words.enter_code.to_owned())];
        return lookup_page(c, words, StatusCode::BAD_REQUEST, &typed, "", &problems);
    };
    // Only well-formed codes count, so a person correcting a typo is not locked out.
    if let Err(wait) = c.lookups.check(peer.unwrap_or(IpAddr::from([0, 0, 0, 0]))) {
        let problems = [("reference".to_owned(), (words.too_many)(wait))];
        let mut r = lookup_page(c, words, StatusCode::TOO_MANY_REQUESTS, &typed, "", &problems);
        r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return r;
    }
    let found = match c.store.find_reference(code.clone()).await {
        Ok(found) => found,
        Err(e) => {
            eprintln!("collector: lookup: {e}");
            let result = format!("<p>{}</p>", esc(words.unavailable));
            return with_retry_after(
                lookup_page(c, words, StatusCode::SERVICE_UNAVAILABLE, &typed, &result, &[]),
                30,
            );
        }
    };
    let Some(found) = found else {
        let result = format!(
            "<h2>{}</h2><p>{}</p>",
            // Isolated, so a code reads left to right inside a right-to-left sentence.
            (words.not_found)(&format!("<bdi class=\"c-code\">{}</bdi>", esc(&code))),
            esc(words.not_found_body)
        );
        return lookup_page(c, words, StatusCode::NOT_FOUND, &typed, &result, &[]);
    };
    let record = match crate::outcomes::saved(c, &found.survey_id).await {
        Ok(r) => r.unwrap_or_default(),
        Err(_) => Record::default(),
    };
    let (stage_name, stage_text) = stage(words, record.status);
    // The survey's title in the page's language, where the survey has it; else in its own
    // default language, marked as such.
    let surveys = c.surveys();
    let title = surveys.latest(&found.survey_id).map_or(esc(&found.survey_id), |s| {
        let shown = surveys
            .in_every_language(s)
            .into_iter()
            .find(|t| t.locale == words.code)
            .unwrap_or(s);
        if shown.locale == words.code {
            esc(&shown.title)
        } else {
            format!("<span lang=\"{}\">{}</span>", esc(&shown.locale), esc(&shown.title))
        }
    });
    let result = format!(
        "<h2>{} <bdi class=\"c-code\">{}</bdi></h2>{}<p>{}</p>{}",
        esc(words.your_response),
        esc(&code),
        html::summary_list(&[
            (words.survey, title),
            (words.received, esc(&crate::words::day_text(words, &found.received_at))),
            (words.stage, format!("<span class=\"c-tag\">{}</span>", esc(stage_name))),
        ]),
        esc(stage_text),
        outcomes_html(&record, c.config.threshold, words),
    );
    lookup_page(c, words, StatusCode::OK, &typed, &result, &[])
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

    /// Issue #21: each IPv6 address had its own allowance, and a subscriber has 2^64.
    #[test]
    fn ipv6_counts_per_64() {
        let limit = RateLimit::new(2);
        let ip = |s: &str| s.parse::<IpAddr>().unwrap_or(IpAddr::from([0, 0, 0, 0]));
        assert!(limit.check(ip("2001:db8:1:2::1")).is_ok());
        assert!(limit.check(ip("2001:db8:1:2:ffff::9")).is_ok());
        assert!(limit.check(ip("2001:db8:1:2:abcd::1")).is_err(), "the same /64");
        assert!(
            limit.check(ip("2001:db8:1:3::1")).is_ok(),
            "the next /64 is someone else"
        );
        assert_eq!(allowance_key(ip("::ffff:192.0.2.1")), ip("192.0.2.1"));
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
}

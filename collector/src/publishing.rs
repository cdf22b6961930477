//! Surveys kept by the collector (issue #25): a draft checked and published as a version
//! that never changes, and the public route that serves the live version to the widget.
//!
//! Publishing is refused, with every reason, when the definition does not load, is marked
//! `draft` (translations unfinished), is for another survey, reuses a published version's
//! name with other content, has a route no answer can take (`core::survey::routes`), or
//! keeps a published question's id with another type (`core::analysis::changes`). How the
//! export's columns change, and the advice on the wording (`core::survey::advice`), are
//! shown beside and never block.
use crate::config::Surveys;
use crate::reply::{allowed_origin, not_found, problem, reply, Reply};
use crate::store::{Published, PublishedVersion};
use crate::Collector;
use hyper::header::{self, HeaderValue};
use hyper::{HeaderMap, StatusCode};
use std::sync::OnceLock;
use survey_widget::core::analysis::changes::{between, Changes};
use survey_widget::core::survey::advice::advise;
use survey_widget::core::survey::load::{load_survey_value, parse};
use survey_widget::core::survey::routes::never_true;
use survey_widget::core::text::messages::Catalogue;

/// How long a browser or proxy may keep the live version before asking again; the ETag makes
/// asking cheap, and a newly published version reaches people within this.
const LIVE_MAX_AGE: &str = "public, max-age=60";
/// A named version never changes.
const VERSION_MAX_AGE: &str = "public, max-age=31536000, immutable";

/// What a definition would do if it were published now.
#[derive(Clone, Debug, Default)]
pub struct Review {
    /// Its survey id and version, when it has them.
    pub survey_id: Option<String>,
    /// The version's name.
    pub version: Option<String>,
    /// What stops it being published, each with its JSON path where it has one.
    pub problems: Vec<String>,
    /// How the exports' columns change from the live version.
    pub changes: Changes,
    /// Advice on the wording: (JSON path, advice).
    pub advice: Vec<(String, String)>,
}

impl Review {
    /// Whether it may be published.
    pub fn can_publish(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The preview page's English words for advice, shared so the console says the same.
fn advice_words() -> &'static Catalogue {
    static WORDS: OnceLock<Catalogue> = OnceLock::new();
    WORDS.get_or_init(|| Catalogue::from_json(include_str!("../../src/entries/preview/en.json")).unwrap_or_default())
}

/// Checks `body` for publishing as a version of `expected` (any survey when `None`), against
/// the versions `surveys` knows, with the council's own `jargon` added to the advice's.
pub fn review(surveys: &Surveys, body: &str, expected: Option<&str>, jargon: &[String]) -> Review {
    let mut r = Review::default();
    let value = match parse(body) {
        Ok(v) => v,
        Err(e) => {
            r.problems.extend(e.0.iter().map(ToString::to_string));
            return r;
        }
    };
    let survey = match load_survey_value(&value) {
        Ok(s) => s,
        Err(e) => {
            r.problems.extend(e.0.iter().map(ToString::to_string));
            return r;
        }
    };
    let id = survey.id.0.clone();
    r.survey_id = Some(id.clone());
    r.version = Some(survey.version.clone());
    if let Some(expected) = expected.filter(|e| *e != id) {
        r.problems
            .push(format!("$.id: this is survey `{id}`, not `{expected}`"));
    }
    if value.get("draft") == Some(&serde_json::Value::Bool(true)) {
        r.problems.push(
            "$.draft: the survey is marked as a draft while its translations are unfinished; remove \"draft\" once every text is translated".into(),
        );
    }
    // Whether a version of this name holds the same content is the store's to say, byte
    // for byte, when it is published.
    let published = surveys.versions_of(&id);
    r.problems.extend(never_true(&survey).iter().map(ToString::to_string));
    let earlier: Vec<&survey_widget::core::Survey> = published.iter().filter(|s| s.version != survey.version).collect();
    r.changes = between(&earlier, &survey);
    for t in &r.changes.retyped {
        r.problems.push(format!(
            "`{}` was a {} question in version {}: a question that changes type needs a new id, so that its answers keep their own column",
            t.id, t.was, t.version
        ));
    }
    let words = advice_words();
    r.advice = advise(&survey, jargon)
        .into_iter()
        .map(|a| {
            let params = a.kind.params();
            let params: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
            (a.path, words.format(a.kind.key(), &params))
        })
        .collect();
    r
}

/// Why publishing did not happen.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    /// The checks found problems.
    #[error("{}", .0.problems.join("\n"))]
    Problems(Box<Review>),
    /// That version is published with other content, which stays.
    #[error("version {0} is already published with other content, and a published version never changes: give this one a new version")]
    Conflict(String),
    /// The store failed.
    #[error("{0}")]
    Store(#[from] crate::store::StoreError),
}

/// Publishes `body` as a new version, by `user`; with `from_draft`, the survey's draft is
/// discarded with it. Returns the review and whether it was new (`false`: already published
/// exactly so).
///
/// # Errors
/// [`Refused`] with the reasons, or when the store fails.
pub async fn publish(
    c: &Collector,
    body: &str,
    expected: Option<&str>,
    user: &str,
    from_draft: bool,
) -> Result<(Review, bool), Refused> {
    let r = review(&c.surveys(), body, expected, &c.config.jargon);
    if !r.problems.is_empty() {
        return Err(Refused::Problems(Box::new(r)));
    }
    let (Some(id), Some(version)) = (r.survey_id.clone(), r.version.clone()) else {
        return Err(Refused::Problems(Box::new(r)));
    };
    let stored = c
        .store()
        .publish(
            PublishedVersion {
                survey_id: id,
                version: version.clone(),
                body: body.to_owned(),
                published_at: String::new(),
                published_by: user.to_owned(),
            },
            from_draft,
        )
        .await?;
    match stored {
        Published::New => {
            if let Err(e) = c.know(body) {
                // Checked above, so only a fault here; the version is stored and read at start.
                eprintln!("collector: published {version}: {e}");
            }
            Ok((r, true))
        }
        Published::Same => Ok((r, false)),
        Published::Conflict => Err(Refused::Conflict(version)),
    }
}

/// `GET /surveys/{id}/survey.json` (the live version: the last published) and
/// `GET /surveys/{id}/versions/{version}.json`: public, cacheable, with an ETag and CORS for
/// the `--origin`s, so a council page can load the survey from the collector.
pub async fn definition(c: &Collector, headers: &HeaderMap, id: &str, version: Option<&str>) -> Reply {
    let published = match c.store().published(Some(id.to_owned())).await {
        Ok(p) => p,
        Err(e) => {
            eprintln!("collector: survey definition: {e}");
            return crate::reply::with_retry_after(
                problem(
                    StatusCode::SERVICE_UNAVAILABLE,
                    &["the survey could not be read".into()],
                ),
                5,
            );
        }
    };
    let found = match version {
        Some(v) => published.iter().find(|p| p.version == v),
        None => published.last(),
    };
    let Some(found) = found else {
        return not_found();
    };
    let etag = format!("\"{}\"", &crate::auth::digest(&found.body)[..32]);
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut r = if fresh {
        reply(StatusCode::NOT_MODIFIED, "application/json", bytes::Bytes::new())
    } else {
        reply(StatusCode::OK, "application/json", found.body.clone())
    };
    let h = r.headers_mut();
    let max_age = if version.is_some() {
        VERSION_MAX_AGE
    } else {
        LIVE_MAX_AGE
    };
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(max_age));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::VARY, HeaderValue::from_static("Origin"));
    if let Some(origin) = allowed_origin(&c.config.origins, headers.get(header::ORIGIN)) {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        h.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("ETag"));
    }
    r
}

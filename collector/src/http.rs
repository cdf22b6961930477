//! HTTP: the route table, CORS for the one public route, and the limits that keep slow or
//! hostile clients from stalling the collector (the replies themselves are in [`crate::reply`]).
//!
//! | Route | Who | What |
//! |---|---|---|
//! | `POST /responses` | public (CORS for `--origin`s) | store a response once |
//! | `OPTIONS /responses` | public | CORS preflight |
//! | `GET /health` | public: up or not; with a token: counts | health check |
//! | `GET /surveys/{id}/responses.csv` | token or session | CSV export, a column per question |
//! | `GET /surveys/{id}/responses.json` | token or session | JSON export |
//! | `GET /surveys/{id}/held.json` | token or session | responses held for review ([`checks`]) |
//! | `GET /surveys/{id}/wide.csv` | token or session | wide CSV: codes, 0/1 per option |
//! | `GET /surveys/{id}/long.csv` | token or session | long ("tidy") CSV |
//! | `GET /surveys/{id}/questions.csv`, `options.csv` | token or session | data dictionary |
//! | `GET /surveys/{id}/outcomes.json`, `.atom` | public (CORS for `--origin`s), cacheable | [`crate::public`] |
//! | `GET /surveys/{id}/survey.json`, `versions/{v}.json` | public (CORS), cacheable, ETag | [`crate::publishing`] |
//! | `GET /lookup` | public, rate-limited | [`crate::public`] |
//! | `/console/…` | session (sign-in page public) | [`crate::console`] |
//!
//! Anything else is 404; every error outside the console is a JSON problem body.
use crate::auth::{authorize, Denied};
use crate::checks;
use crate::export;
use crate::reply::{
    allowed_origin, closing, denied, json_reply, method_not_allowed, not_found, overloaded, problem, refused, reply,
    with_retry_after, DropConnection, Reply, ReplyBody,
};
use crate::store::{Inserted, Store};
use crate::Collector;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::{HeaderMap, Method, Request, Response, StatusCode};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use survey_widget::core::survey::ids::is_valid_id;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

/// CORS headers for `/responses`, the only route a page on another origin may call.
fn cors(reply: &mut Reply, allowed: Option<HeaderValue>, preflight: Option<&HeaderMap>) {
    let h = reply.headers_mut();
    // The reply depends on the origin whether or not it is allowed.
    h.insert(header::VARY, HeaderValue::from_static("Origin"));
    let Some(origin) = allowed else {
        return;
    };
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    match preflight {
        Some(request) => {
            let requested = request
                .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
                .cloned()
                .unwrap_or_else(|| HeaderValue::from_static("content-type, idempotency-key"));
            h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("POST"));
            h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, requested);
            h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
        }
        None => {
            h.insert(
                header::ACCESS_CONTROL_EXPOSE_HEADERS,
                HeaderValue::from_static("Retry-After"),
            );
        }
    }
}

/// `POST /responses`.
async fn receive(c: &Collector, request: Request<Incoming>) -> Reply {
    let faults = &c.config.faults;
    if !faults.delay.is_zero() {
        tokio::time::sleep(faults.delay).await;
    }
    let limits = &c.config.limits;
    if !checks::is_json(request.headers()) {
        return closing(refused(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &["Content-Type must be application/json".into()],
        ));
    }
    let too_large = || {
        closing(refused(
            StatusCode::PAYLOAD_TOO_LARGE,
            &[format!("the body may be at most {} bytes", limits.max_body_bytes)],
        ))
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limits.max_body_bytes as u64) {
        return too_large();
    }
    let (parts, body) = request.into_parts();
    let read = tokio::time::timeout(limits.body_timeout, Limited::new(body, limits.max_body_bytes).collect()).await;
    let bytes = match read {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(e)) if e.downcast_ref::<http_body_util::LengthLimitError>().is_some() => return too_large(),
        Ok(Err(_)) => {
            return closing(refused(StatusCode::BAD_REQUEST, &["the body could not be read".into()]));
        }
        Err(_) => {
            return closing(refused(
                StatusCode::REQUEST_TIMEOUT,
                &[format!("the body took longer than {} s", limits.body_timeout.as_secs())],
            ));
        }
    };
    let (submission, new) = match checks::check(&parts.headers, &bytes, &c.surveys()) {
        Ok(checked) => checked,
        Err((status, problems)) => {
            // Fields only: a problem may quote an answer, and answers are never logged.
            eprintln!(
                "collector: refused a response ({status}): problems with {}",
                checks::problem_fields(&problems)
            );
            return refused(status, &problems);
        }
    };
    let roll = c.roll();
    if roll < faults.fail {
        let status = if roll < faults.fail / 2.0 {
            StatusCode::SERVICE_UNAVAILABLE
        } else {
            StatusCode::INTERNAL_SERVER_ERROR
        };
        eprintln!("collector: fault: {status} for {}", submission.response_id);
        return with_retry_after(refused(status, &["injected fault".into()]), faults.retry_after_secs);
    }
    if roll >= faults.fail + faults.drop && roll < faults.fail + faults.drop + faults.hang {
        eprintln!("collector: fault: hanging on {}", submission.response_id);
        tokio::time::sleep(crate::config::HANG).await;
        return refused(StatusCode::SERVICE_UNAVAILABLE, &["injected fault".into()]);
    }
    let id = submission.response_id;
    match c.store.insert(new).await {
        Ok(Inserted::Conflict) => {
            eprintln!("collector: conflict: {id} is stored with a different body");
            json_reply(
                StatusCode::CONFLICT,
                &json!({
                    "received": false,
                    "status": 409,
                    "title": "Conflict",
                    "responseId": id,
                    "problems": ["a different response was received earlier with this responseId; the earlier one is kept"],
                }),
            )
        }
        Ok(outcome) => {
            let new = outcome == Inserted::New;
            eprintln!(
                "collector: {} {id} for survey {}",
                if new { "stored" } else { "repeat of" },
                submission.survey_id
            );
            let mut reply = json_reply(StatusCode::OK, &json!({ "received": true, "responseId": id }));
            if roll < faults.fail + faults.drop {
                eprintln!("collector: fault: dropping the connection after storing {id}");
                reply.extensions_mut().insert(DropConnection);
            }
            reply
        }
        Err(e) => {
            eprintln!("collector: database error: {e}");
            with_retry_after(
                refused(
                    StatusCode::SERVICE_UNAVAILABLE,
                    &["the collector could not store it".into()],
                ),
                5,
            )
        }
    }
}

/// `GET /health`: up or not for anyone; counts only with a token.
async fn health(c: &Collector, headers: &HeaderMap) -> Reply {
    if !headers.contains_key(header::AUTHORIZATION) {
        return match c.store.ping().await {
            Ok(()) => json_reply(StatusCode::OK, &json!({ "status": "ok" })),
            Err(e) => {
                eprintln!("collector: health: {e}");
                json_reply(StatusCode::SERVICE_UNAVAILABLE, &json!({ "status": "unavailable" }))
            }
        };
    }
    if let Err(why) = authorize(c.store.as_ref(), headers).await {
        return denied(why);
    }
    match c.store.count().await {
        Ok(n) => json_reply(
            StatusCode::OK,
            &json!({ "status": "ok", "store": c.store.kind(), "responses": n }),
        ),
        Err(e) => json_reply(
            StatusCode::SERVICE_UNAVAILABLE,
            &json!({ "status": "unavailable", "store": c.store.kind(), "problems": [e.to_string()] }),
        ),
    }
}

/// Who may read answers: a live API token (machines) or a console session (people).
async fn reader(c: &Collector, headers: &HeaderMap) -> Result<String, Reply> {
    if headers.contains_key(header::AUTHORIZATION) {
        return authorize(c.store.as_ref(), headers).await.map_err(denied);
    }
    match crate::console::session(c, headers).await {
        Ok(Some(signed)) => Ok(signed.user),
        Ok(None) => Err(denied(Denied::Missing)),
        Err(reply) => Err(reply),
    }
}

/// What a `/surveys/{id}/…` file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum File {
    Csv,
    Json,
    Held,
    Wide,
    Long,
    Questions,
    Options,
}

/// The exports, for token holders and signed-in officers.
async fn export(c: &Collector, headers: &HeaderMap, survey: &str, file: File) -> Reply {
    if let Err(reply) = reader(c, headers).await {
        return reply;
    }
    let csv_headers = |mut r: Reply, name: &str| {
        let h = r.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/csv; charset=utf-8"),
        );
        // The id passed `is_valid_id` (letters, digits, `-`, `_`), so it cannot break out
        // of the quoted file name.
        if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{survey}-{name}\"")) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
        r
    };
    let needs_definition = || {
        problem(
            StatusCode::NOT_FOUND,
            &[format!(
                "the collector was not given survey {survey}'s definition (--surveys), which this file is made from; responses.csv and responses.json need none"
            )],
        )
    };
    let surveys = c.surveys();
    if matches!(file, File::Questions | File::Options) {
        if surveys.latest(survey).is_none() {
            return needs_definition();
        }
        let versions: Vec<&survey_widget::core::Survey> = surveys
            .versions_of(survey)
            .iter()
            .flat_map(|v| surveys.in_every_language(v))
            .collect();
        let mut text = String::new();
        for (i, version) in versions.iter().enumerate() {
            let part = if file == File::Questions {
                survey_widget::core::analysis::dictionary::questions_csv(version)
            } else {
                survey_widget::core::analysis::dictionary::options_csv(version)
            };
            // One header for every version's rows.
            let part = if i == 0 {
                part.as_str()
            } else {
                part.split_once("\r\n").map_or("", |(_, rest)| rest)
            };
            text.push_str(part);
        }
        let name = if file == File::Questions {
            "questions.csv"
        } else {
            "options.csv"
        };
        return csv_headers(reply(StatusCode::OK, "text/csv; charset=utf-8", text), name);
    }
    let Ok(permit) = Arc::clone(&c.requests).try_acquire_owned() else {
        return overloaded(c.config.limits.retry_after_secs, false);
    };
    let store: &dyn Store = c.store.as_ref();
    let shape = match file {
        File::Wide => {
            if surveys.latest(survey).is_none() {
                return needs_definition();
            }
            Ok(export::Shape::Wide(export::wide_columns(&surveys, survey)))
        }
        File::Long => Ok(export::Shape::Long),
        File::Json | File::Held => Ok(export::Shape::Json),
        _ => export::columns(store, &surveys, survey).await.map(export::Shape::Csv),
    };
    let prepared = async { Ok::<_, crate::store::StoreError>((shape?, store.rows(survey.to_owned(), None).await?)) };
    let (shape, rows) = match prepared.await {
        Ok(ready) => ready,
        Err(e) => {
            eprintln!("collector: export: {e}");
            return with_retry_after(
                problem(
                    StatusCode::SERVICE_UNAVAILABLE,
                    &["the export could not be read".into()],
                ),
                5,
            );
        }
    };
    let keep = export::Keep {
        surveys: c.surveys(),
        survey: survey.to_owned(),
        held: file == File::Held,
    };
    let mut response = Response::new(ReplyBody::Stream(export::stream(shape, rows, Some(permit), keep)));
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    match file {
        File::Json | File::Held => {
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            // A download, not a page: the tab never shows every answer as text (issue #21).
            let name = if file == File::Held {
                "held.json"
            } else {
                "responses.json"
            };
            if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{survey}-{name}\"")) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            response
        }
        File::Wide => csv_headers(response, "wide.csv"),
        File::Long => csv_headers(response, "long.csv"),
        _ => csv_headers(response, "responses.csv"),
    }
}

/// The address of the client, put on each request by [`serve`].
#[derive(Clone, Copy, Debug)]
struct Peer(std::net::SocketAddr);

/// Routes one request.
async fn route(c: &Collector, request: Request<Incoming>) -> Reply {
    let path = request.uri().path().to_owned();
    let method = request.method().clone();
    if path == "/responses" {
        let allowed = allowed_origin(&c.config.origins, request.headers().get(header::ORIGIN));
        let mut reply = match method {
            Method::OPTIONS => {
                let mut reply = Response::new(ReplyBody::Full(None));
                *reply.status_mut() = StatusCode::NO_CONTENT;
                cors(&mut reply, allowed, Some(request.headers()));
                return reply;
            }
            Method::POST => match Arc::clone(&c.requests).try_acquire_owned() {
                Ok(_permit) => receive(c, request).await,
                Err(_) => overloaded(c.config.limits.retry_after_secs, true),
            },
            // Only the post and its preflight carry CORS headers.
            _ => return method_not_allowed("POST, OPTIONS"),
        };
        cors(&mut reply, allowed, None);
        return reply;
    }
    if path == "/console" || path.starts_with("/console/") {
        return crate::console::route(c, request).await;
    }
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match segments.as_slice() {
        ["health"] if method == Method::GET => health(c, request.headers()).await,
        ["health"] => method_not_allowed("GET"),
        ["lookup"] if method == Method::GET => {
            let peer = request.extensions().get::<Peer>().map(|p| p.0.ip());
            let client = crate::public::client_address(peer, request.headers(), &c.config.trusted_proxies);
            crate::public::lookup(c, client, request.uri().query(), request.headers()).await
        }
        ["lookup"] => method_not_allowed("GET"),
        ["surveys", survey, "outcomes.json" | "outcomes.atom"] if is_valid_id(survey) => {
            if method != Method::GET {
                return method_not_allowed("GET");
            }
            // The Atom feed in another language only when its address asks (`?lang=cy`): a
            // feed reader's Accept-Language says nothing about what its reader wants.
            let atom = path
                .ends_with(".atom")
                .then(|| crate::words::choose(request.uri().query(), &HeaderMap::new()));
            crate::public::feed(c, request.headers(), survey, atom).await
        }
        ["surveys", survey, "survey.json"] if is_valid_id(survey) => {
            if method != Method::GET {
                return method_not_allowed("GET");
            }
            crate::publishing::definition(c, request.headers(), survey, None).await
        }
        ["surveys", survey, "versions", file] if is_valid_id(survey) => {
            let Some(version) = file.strip_suffix(".json") else {
                return not_found();
            };
            if method != Method::GET {
                return method_not_allowed("GET");
            }
            crate::publishing::definition(c, request.headers(), survey, Some(version)).await
        }
        ["surveys", survey, file] if is_valid_id(survey) => {
            let file = match *file {
                "responses.csv" => File::Csv,
                "responses.json" => File::Json,
                "held.json" => File::Held,
                "wide.csv" => File::Wide,
                "long.csv" => File::Long,
                "questions.csv" => File::Questions,
                "options.csv" => File::Options,
                _ => return not_found(),
            };
            if method != Method::GET {
                return method_not_allowed("GET");
            }
            export(c, request.headers(), survey, file).await
        }
        _ => not_found(),
    }
}

/// Why a connection was dropped on purpose.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by the fault mode")
    }
}

impl std::error::Error for Dropped {}

/// Answers a connection over the limit with 503 and closes it, without reading the request.
async fn shed(mut stream: TcpStream, retry_after: u32) {
    let body = r#"{"status":503,"title":"Service Unavailable","problems":["the collector has too many connections; try again after Retry-After seconds"]}"#;
    let head = format!(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Retry-After: {retry_after}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let write = async {
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body.as_bytes()).await?;
        stream.shutdown().await
    };
    let _ = tokio::time::timeout(Duration::from_secs(1), write).await;
}

/// Serves on `listener` until the process ends. Each connection is served by hyper directly
/// (with the header timeout, which also ends idle kept-alive connections), at most
/// `max_connections` at once; the fault mode can drop one without a reply.
pub async fn serve(listener: TcpListener, collector: Collector) {
    let limits = collector.config.limits.clone();
    let connections = Arc::new(Semaphore::new(limits.max_connections));
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors, usually: wait for connections to close rather than
                // spinning on accept.
                eprintln!("collector: cannot accept a connection: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let Ok(permit) = Arc::clone(&connections).try_acquire_owned() else {
            tokio::spawn(shed(stream, limits.retry_after_secs));
            continue;
        };
        let collector = collector.clone();
        let header_timeout = limits.header_timeout;
        tokio::spawn(async move {
            let _permit = permit;
            let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
                let collector = collector.clone();
                request.extensions_mut().insert(Peer(peer));
                async move {
                    let reply = route(&collector, request).await;
                    if reply.extensions().get::<DropConnection>().is_some() {
                        Err(Dropped)
                    } else {
                        Ok(reply)
                    }
                }
            });
            let io = hyper_util::rt::TokioIo::new(stream);
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(header_timeout)
                .max_buf_size(64 * 1024)
                .serve_connection(io, service)
                .await;
        });
    }
}

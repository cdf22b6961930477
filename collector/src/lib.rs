//! The reference collector: a small server that implements the widget's sync protocol, so a
//! council can receive responses without writing a backend.
//!
//! - `POST /responses`: checks the body (with the widget's own protocol code), stores each
//!   response once in SQLite, and answers `{"received": true, "responseId": …}`. A repeat of
//!   a known response id, ever, gets the same reply and adds nothing.
//! - `GET /surveys/{id}/responses.csv` and `.json`: exports.
//! - `GET /health`.
//! - CORS for the configured origins (allows `Idempotency-Key`, exposes `Retry-After`).
//! - Never logs answer content: only ids and outcomes.
//! - A fault mode for tests: fail a fraction of requests with 500 or 503 and `Retry-After`,
//!   delay replies, or store a response and then drop the connection without replying.
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, Response, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::Path as FsPath;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use survey_widget::core::protocol::{check_body, IDEMPOTENCY_HEADER};
use survey_widget::core::Survey;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// Failure injection for tests. Fractions are of `POST /responses` requests.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Faults {
    /// Fraction answered 500 or 503 (with `Retry-After`) without storing.
    pub fail: f64,
    /// Fraction stored and then answered by dropping the connection.
    pub drop: f64,
    /// Delay before every reply.
    pub delay: Duration,
    /// `Retry-After` seconds sent with injected failures.
    pub retry_after_secs: u32,
    /// Seed of the fault dice, so a run can be repeated.
    pub seed: u64,
}

/// How the collector is set up.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Origins allowed by CORS (`*` allows any).
    pub origins: Vec<String>,
    /// Survey definitions, by id, for CSV column order and headings.
    pub surveys: BTreeMap<String, Survey>,
    /// Failure injection.
    pub faults: Faults,
}

/// Why the collector could not start.
#[derive(Debug)]
pub enum StartError {
    /// The database could not be opened or created.
    Database(rusqlite::Error),
    /// A survey definition could not be read.
    Survey(String),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Database(e) => write!(f, "database: {e}"),
            StartError::Survey(e) => write!(f, "survey definitions: {e}"),
        }
    }
}

impl std::error::Error for StartError {}

/// Shared state of the server.
#[derive(Clone)]
pub struct Collector {
    db: Arc<Mutex<Connection>>,
    config: Arc<Config>,
    dice: Arc<Mutex<u64>>,
}

/// Marks a reply that must not be sent: the connection is dropped instead.
#[derive(Clone, Copy, Debug)]
struct DropConnection;

impl Collector {
    /// Opens (or creates) the database at `path` (`:memory:` for a throwaway one).
    ///
    /// # Errors
    /// When SQLite cannot open or set up the file.
    pub fn open(path: &str, config: Config) -> Result<Self, StartError> {
        let db = Connection::open(path).map_err(StartError::Database)?;
        db.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             CREATE TABLE IF NOT EXISTS responses (
                 response_id TEXT PRIMARY KEY,
                 survey_id TEXT NOT NULL,
                 survey_version TEXT NOT NULL,
                 received_at TEXT NOT NULL,
                 body TEXT NOT NULL
             );
             CREATE INDEX IF NOT EXISTS responses_by_survey ON responses (survey_id, received_at);",
        )
        .map_err(StartError::Database)?;
        let seed = config.faults.seed.max(1);
        Ok(Self {
            db: Arc::new(Mutex::new(db)),
            config: Arc::new(config),
            dice: Arc::new(Mutex::new(seed)),
        })
    }

    /// A random number in `[0, 1)` from the fault dice (xorshift: repeatable from the seed).
    fn roll(&self) -> f64 {
        let mut state = self.dice.lock().unwrap_or_else(|p| p.into_inner());
        let mut x = *state;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *state = x;
        (x >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Stores a response once. Returns `true` when it was new.
    fn store(&self, id: &str, survey: &str, version: &str, body: &str) -> rusqlite::Result<bool> {
        let db = self.db.lock().unwrap_or_else(|p| p.into_inner());
        let changed = db.execute(
            "INSERT INTO responses (response_id, survey_id, survey_version, received_at, body)
             VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?4)
             ON CONFLICT (response_id) DO NOTHING",
            params![id, survey, version, body],
        )?;
        Ok(changed == 1)
    }

    fn count(&self) -> rusqlite::Result<i64> {
        let db = self.db.lock().unwrap_or_else(|p| p.into_inner());
        db.query_row("SELECT COUNT(*) FROM responses", [], |r| r.get(0))
    }

    fn rows(&self, survey: &str) -> rusqlite::Result<Vec<(String, Value)>> {
        let db = self.db.lock().unwrap_or_else(|p| p.into_inner());
        let mut query = db.prepare(
            "SELECT received_at, body FROM responses WHERE survey_id = ?1 ORDER BY received_at, response_id",
        )?;
        let rows = query.query_map(params![survey], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (received, body) = row?;
            out.push((received, serde_json::from_str(&body).unwrap_or(Value::Null)));
        }
        Ok(out)
    }

    /// Whether a response id is stored (for tests and the health check).
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn has(&self, id: &str) -> rusqlite::Result<bool> {
        let db = self.db.lock().unwrap_or_else(|p| p.into_inner());
        db.query_row(
            "SELECT 1 FROM responses WHERE response_id = ?1",
            params![id],
            |_| Ok(()),
        )
        .optional()
        .map(|r| r.is_some())
    }
}

/// Reads every `*.json` survey definition in `dir`, keyed by survey id.
///
/// # Errors
/// When the folder cannot be read or a file is not a valid definition.
pub fn load_surveys(dir: &FsPath) -> Result<BTreeMap<String, Survey>, StartError> {
    let mut surveys = BTreeMap::new();
    let entries = std::fs::read_dir(dir).map_err(|e| StartError::Survey(format!("{}: {e}", dir.display())))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let text =
            std::fs::read_to_string(&path).map_err(|e| StartError::Survey(format!("{}: {e}", path.display())))?;
        let survey = survey_widget::core::load_survey(&text)
            .map_err(|e| StartError::Survey(format!("{}: {e}", path.display())))?;
        surveys.insert(survey.id.0.clone(), survey);
    }
    Ok(surveys)
}

fn json_reply(status: StatusCode, value: &Value) -> Response<Body> {
    let mut response = Response::new(Body::from(value.to_string()));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

fn problem(status: StatusCode, problems: &[String]) -> Response<Body> {
    json_reply(status, &json!({ "received": false, "problems": problems }))
}

async fn receive(State(c): State<Collector>, headers: HeaderMap, body: Bytes) -> Response<Body> {
    if !c.config.faults.delay.is_zero() {
        tokio::time::sleep(c.config.faults.delay).await;
    }
    let json_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| {
            t.split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
        });
    if !json_type {
        return problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &["Content-Type must be application/json".into()],
        );
    }
    let key = headers.get(IDEMPOTENCY_HEADER).and_then(|v| v.to_str().ok());
    let parsed = match serde_json::from_slice::<Value>(&body) {
        Ok(v) => v,
        Err(e) => return problem(StatusCode::BAD_REQUEST, &[format!("the body is not JSON: {e}")]),
    };
    let submission = match check_body(parsed, key) {
        Ok(s) => s,
        Err(problems) => {
            eprintln!("collector: refused a response: {}", problems.join("; "));
            return problem(StatusCode::BAD_REQUEST, &problems);
        }
    };
    let roll = c.roll();
    let faults = &c.config.faults;
    if roll < faults.fail {
        let status = if roll < faults.fail / 2.0 {
            StatusCode::SERVICE_UNAVAILABLE
        } else {
            StatusCode::INTERNAL_SERVER_ERROR
        };
        eprintln!("collector: fault: {status} for {}", submission.response_id);
        let mut reply = problem(status, &["injected fault".into()]);
        reply
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(faults.retry_after_secs));
        return reply;
    }
    let stored = c.store(
        &submission.response_id,
        &submission.survey_id,
        &submission.survey_version,
        &submission.body.to_string(),
    );
    match stored {
        Ok(new) => {
            eprintln!(
                "collector: {} {} for survey {}",
                if new { "stored" } else { "repeat of" },
                submission.response_id,
                submission.survey_id
            );
            let mut reply = json_reply(
                StatusCode::OK,
                &json!({ "received": true, "responseId": submission.response_id }),
            );
            if roll < faults.fail + faults.drop {
                eprintln!(
                    "collector: fault: dropping the connection after storing {}",
                    submission.response_id
                );
                reply.extensions_mut().insert(DropConnection);
            }
            reply
        }
        Err(e) => {
            eprintln!("collector: database error: {e}");
            let mut reply = problem(
                StatusCode::SERVICE_UNAVAILABLE,
                &["the collector could not store it".into()],
            );
            reply.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(5));
            reply
        }
    }
}

async fn health(State(c): State<Collector>) -> Response<Body> {
    match c.count() {
        Ok(n) => json_reply(StatusCode::OK, &json!({ "status": "ok", "responses": n })),
        Err(e) => json_reply(
            StatusCode::SERVICE_UNAVAILABLE,
            &json!({ "status": "error", "error": e.to_string() }),
        ),
    }
}

async fn export_json(State(c): State<Collector>, Path(file): Path<(String, String)>) -> Response<Body> {
    let (survey, name) = file;
    let rows = match c.rows(&survey) {
        Ok(rows) => rows,
        Err(e) => return problem(StatusCode::INTERNAL_SERVER_ERROR, &[e.to_string()]),
    };
    match name.as_str() {
        "responses.json" => {
            let list: Vec<Value> = rows
                .into_iter()
                .map(|(received, mut body)| {
                    if let Value::Object(map) = &mut body {
                        map.insert("receivedAt".into(), received.into());
                    }
                    body
                })
                .collect();
            json_reply(StatusCode::OK, &Value::Array(list))
        }
        "responses.csv" => {
            let mut response = Response::new(Body::from(csv(c.config.surveys.get(&survey), &rows)));
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            );
            if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{survey}-responses.csv\"")) {
                headers.insert(header::CONTENT_DISPOSITION, v);
            }
            response
        }
        _ => problem(StatusCode::NOT_FOUND, &["not found".into()]),
    }
}

/// One CSV cell. Text that a spreadsheet would run as a formula is prefixed with `'`, since
/// answers are typed by the public.
fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

fn answer_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(answer_text).collect::<Vec<_>>().join("; "),
        Value::Object(map) => {
            // "Other" radios carry {value, other}; Likert matrices statement → value.
            if let (Some(v), Some(o)) = (map.get("value"), map.get("other")) {
                format!("{}: {}", answer_text(v), answer_text(o))
            } else {
                map.iter()
                    .map(|(k, v)| format!("{k}: {}", answer_text(v)))
                    .collect::<Vec<_>>()
                    .join("; ")
            }
        }
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The CSV export: fixed columns, then one column per question, in the survey's order when
/// the definition is known (else by id), with a byte-order mark so Excel reads UTF-8.
fn csv(survey: Option<&Survey>, rows: &[(String, Value)]) -> String {
    let mut questions: Vec<String> = match survey {
        Some(s) => s
            .questions()
            .filter(|(_, q)| q.kind.is_answerable())
            .map(|(_, q)| q.id.0.clone())
            .collect(),
        None => Vec::new(),
    };
    for (_, body) in rows {
        for key in body
            .get("answers")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(Map::keys)
        {
            if !questions.contains(key) {
                questions.push(key.clone());
            }
        }
    }
    let fixed = [
        "responseId",
        "surveyVersion",
        "locale",
        "startedAt",
        "completedAt",
        "receivedAt",
    ];
    let mut out = String::from("\u{feff}");
    let header: Vec<String> = fixed
        .iter()
        .map(|s| (*s).to_owned())
        .chain(questions.iter().cloned())
        .map(|h| cell(&h))
        .collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for (received, body) in rows {
        let mut line: Vec<String> = fixed[..5]
            .iter()
            .map(|k| cell(body.get(*k).and_then(Value::as_str).unwrap_or("")))
            .collect();
        line.push(cell(received));
        for q in &questions {
            line.push(cell(
                &body
                    .get("answers")
                    .and_then(|a| a.get(q))
                    .map(answer_text)
                    .unwrap_or_default(),
            ));
        }
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The routes, without CORS or fault handling of the connection.
pub fn routes(collector: Collector) -> Router {
    Router::new()
        .route("/responses", post(receive))
        .route("/health", get(health))
        .route("/surveys/{survey}/{file}", get(export_json))
        .with_state(collector)
}

fn allowed_origin(config: &Config, origin: Option<&HeaderValue>) -> Option<HeaderValue> {
    let origin = origin?;
    let text = origin.to_str().ok()?;
    config
        .origins
        .iter()
        .any(|o| o == "*" || o == text)
        .then(|| origin.clone())
}

/// Handles one request: CORS preflight and headers around the routes.
async fn handle(collector: &Collector, router: Router, request: Request<Body>) -> Response<Body> {
    let origin = allowed_origin(&collector.config, request.headers().get(header::ORIGIN));
    if request.method() == Method::OPTIONS {
        let mut reply = Response::new(Body::empty());
        *reply.status_mut() = StatusCode::NO_CONTENT;
        if let Some(origin) = origin {
            let requested = request
                .headers()
                .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
                .cloned()
                .unwrap_or_else(|| HeaderValue::from_static("content-type, idempotency-key"));
            let h = reply.headers_mut();
            h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            h.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static("POST, GET, OPTIONS"),
            );
            h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, requested);
            h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
            h.insert(header::VARY, HeaderValue::from_static("Origin"));
        }
        return reply;
    }
    let mut reply = match router.oneshot(request).await {
        Ok(reply) => reply,
        Err(never) => match never {},
    };
    if let Some(origin) = origin {
        let h = reply.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        h.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("Retry-After"),
        );
        h.insert(header::VARY, HeaderValue::from_static("Origin"));
    }
    reply
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

/// Serves on `listener` until the process ends. Each connection is served by hyper directly,
/// so the fault mode can drop one without a reply.
pub async fn serve(listener: TcpListener, collector: Collector) {
    let router = routes(collector.clone());
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let (router, collector) = (router.clone(), collector.clone());
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request: Request<hyper::body::Incoming>| {
                let (router, collector) = (router.clone(), collector.clone());
                async move {
                    let reply = handle(&collector, router, request.map(Body::new)).await;
                    if reply.extensions().get::<DropConnection>().is_some() {
                        Err(Dropped)
                    } else {
                        Ok(reply)
                    }
                }
            });
            let io = hyper_util::rt::TokioIo::new(stream);
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(io, service)
                .await;
        });
    }
}

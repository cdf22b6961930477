//! The reference collector over real HTTP on loopback: storing once, refusing bad bodies,
//! CORS, exports, health and the fault mode.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::Duration;
use survey_collector::{load_surveys, serve, Collector, Config, Faults};
use survey_widget::core::protocol::request_body;
use survey_widget::core::{CompletedResponse, SurveyId};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

struct Reply {
    status: u16,
    headers: BTreeMap<String, String>,
    body: String,
}

async fn start(config: Config) -> (SocketAddr, Collector) {
    let collector = Collector::open(":memory:", config).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve(listener, collector.clone()));
    (addr, collector)
}

/// One HTTP/1.1 request; `None` when the server closed the connection without a reply.
async fn send(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Option<Reply> {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut raw))
        .await
        .unwrap()
        .ok()?;
    if raw.is_empty() {
        return None;
    }
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_ascii_lowercase(), v.to_owned()))
        .collect();
    Some(Reply {
        status,
        headers,
        body: body.to_owned(),
    })
}

fn response(n: u32, answers: Value) -> CompletedResponse {
    CompletedResponse {
        response_id: format!("6f1d2a9e-0c3b-4d5e-8f7a-{n:012x}"),
        reference: "KX7P-3M2Q".into(),
        survey_id: SurveyId::from("co-production"),
        survey_version: "2026-11".into(),
        started_at: 1_795_705_000_000.0,
        completed_at: 1_795_705_445_123.0,
        answers: answers.as_object().unwrap().clone(),
    }
}

async fn post(addr: SocketAddr, r: &CompletedResponse) -> Option<Reply> {
    let body = request_body(r, "en").to_string();
    send(
        addr,
        "POST",
        "/responses",
        &[
            ("Content-Type", "application/json"),
            ("Idempotency-Key", &r.response_id),
        ],
        &body,
    )
    .await
}

#[tokio::test]
async fn stores_each_response_once_and_answers_repeats_the_same_way() {
    let (addr, collector) = start(Config::default()).await;
    let r = response(1, json!({ "want-bigger-say": "yes" }));
    let first = post(addr, &r).await.unwrap();
    let again = post(addr, &r).await.unwrap();
    assert_eq!((first.status, again.status), (200, 200));
    assert_eq!(first.body, again.body);
    let ack: Value = serde_json::from_str(&first.body).unwrap();
    assert_eq!(ack, json!({ "received": true, "responseId": r.response_id }));
    assert!(collector.has(&r.response_id).unwrap());
    let health = send(addr, "GET", "/health", &[], "").await.unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&health.body).unwrap(),
        json!({ "status": "ok", "responses": 1 })
    );
}

#[tokio::test]
async fn refuses_what_breaks_the_protocol() {
    let (addr, collector) = start(Config::default()).await;
    let r = response(2, json!({}));
    let body = request_body(&r, "en").to_string();
    let no_key = send(
        addr,
        "POST",
        "/responses",
        &[("Content-Type", "application/json")],
        &body,
    )
    .await
    .unwrap();
    assert_eq!(no_key.status, 400);
    assert!(no_key.body.contains("Idempotency-Key"));
    let wrong_type = send(
        addr,
        "POST",
        "/responses",
        &[("Content-Type", "text/plain"), ("Idempotency-Key", &r.response_id)],
        &body,
    )
    .await
    .unwrap();
    assert_eq!(wrong_type.status, 415);
    let not_json = send(
        addr,
        "POST",
        "/responses",
        &[
            ("Content-Type", "application/json"),
            ("Idempotency-Key", &r.response_id),
        ],
        "{",
    )
    .await
    .unwrap();
    assert_eq!(not_json.status, 400);
    assert!(!collector.has(&r.response_id).unwrap());
}

#[tokio::test]
async fn cors_allows_configured_origins_only() {
    let config = Config {
        origins: vec!["http://127.0.0.1:8080".into()],
        ..Config::default()
    };
    let (addr, _) = start(config).await;
    let preflight = send(
        addr,
        "OPTIONS",
        "/responses",
        &[
            ("Origin", "http://127.0.0.1:8080"),
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "content-type,idempotency-key"),
        ],
        "",
    )
    .await
    .unwrap();
    assert_eq!(preflight.status, 204);
    assert_eq!(
        preflight.headers["access-control-allow-origin"],
        "http://127.0.0.1:8080"
    );
    assert!(preflight.headers["access-control-allow-headers"].contains("idempotency-key"));
    let r = response(3, json!({}));
    let body = request_body(&r, "en").to_string();
    let reply = send(
        addr,
        "POST",
        "/responses",
        &[
            ("Origin", "http://127.0.0.1:8080"),
            ("Content-Type", "application/json"),
            ("Idempotency-Key", &r.response_id),
        ],
        &body,
    )
    .await
    .unwrap();
    assert_eq!(reply.headers["access-control-expose-headers"], "Retry-After");
    let other = send(
        addr,
        "OPTIONS",
        "/responses",
        &[
            ("Origin", "https://evil.example"),
            ("Access-Control-Request-Method", "POST"),
        ],
        "",
    )
    .await
    .unwrap();
    assert!(!other.headers.contains_key("access-control-allow-origin"));
}

#[tokio::test]
async fn exports_csv_in_survey_order_and_json() {
    let surveys = load_surveys(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/surveys")).unwrap();
    let (addr, _) = start(Config {
        surveys,
        ..Config::default()
    })
    .await;
    post(addr, &response(4, json!({ "want-bigger-say": "yes", "connection-to-care": "carer", "barriers-to-taking-part": ["time", "transport"] }))).await.unwrap();
    post(
        addr,
        &response(
            5,
            json!({ "connection-to-care": { "value": "other", "other": "=HYPERLINK(\"x\"), \"quoted\"" } }),
        ),
    )
    .await
    .unwrap();
    let csv = send(addr, "GET", "/surveys/co-production/responses.csv", &[], "")
        .await
        .unwrap();
    assert!(csv.headers["content-type"].starts_with("text/csv"));
    let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').lines().collect();
    assert!(
        lines[0].starts_with(
            "responseId,surveyVersion,locale,startedAt,completedAt,receivedAt,connection-to-care,want-bigger-say,"
        ),
        "{}",
        lines[0]
    );
    assert_eq!(lines.len(), 3);
    assert!(lines[1].contains(",carer,yes,"), "{}", lines[1]);
    assert!(
        lines[2].contains("\"other: =HYPERLINK(\"\"x\"\"), \"\"quoted\"\"\""),
        "{}",
        lines[2]
    );
    let json = send(addr, "GET", "/surveys/co-production/responses.json", &[], "")
        .await
        .unwrap();
    let list: Vec<Value> = serde_json::from_str(&json.body).unwrap();
    assert_eq!(list.len(), 2);
    assert!(list[0]["receivedAt"].is_string());
}

#[tokio::test]
async fn formula_like_answers_are_defused_in_csv() {
    let (addr, _) = start(Config::default()).await;
    post(addr, &response(6, json!({ "comment": "=1+1" }))).await.unwrap();
    let csv = send(addr, "GET", "/surveys/co-production/responses.csv", &[], "")
        .await
        .unwrap();
    assert!(csv.body.contains(",'=1+1"), "{}", csv.body);
}

#[tokio::test]
async fn the_fault_mode_fails_with_retry_after_or_stores_and_drops() {
    let failing = Config {
        faults: Faults {
            fail: 1.0,
            retry_after_secs: 7,
            seed: 3,
            ..Faults::default()
        },
        ..Config::default()
    };
    let (addr, collector) = start(failing).await;
    let r = response(7, json!({}));
    let reply = post(addr, &r).await.unwrap();
    assert!(matches!(reply.status, 500 | 503));
    assert_eq!(reply.headers["retry-after"], "7");
    assert!(!collector.has(&r.response_id).unwrap());

    let dropping = Config {
        faults: Faults {
            drop: 1.0,
            seed: 3,
            ..Faults::default()
        },
        ..Config::default()
    };
    let (addr, collector) = start(dropping).await;
    assert!(post(addr, &r).await.is_none(), "the connection closes without a reply");
    assert!(collector.has(&r.response_id).unwrap(), "but the response was stored");
}

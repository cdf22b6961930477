//! The reference collector over real HTTP on loopback (SQLite store): storing once, conflicts,
//! refusing bad bodies, who may read what, CORS, exports, limits and the fault mode.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::{json, Value};
use std::time::{Duration, Instant};
use support::*;
use survey_collector::{Config, Faults, Limits};
use survey_widget::core::delivery::protocol::request_body;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[tokio::test]
async fn stores_each_response_once_and_answers_repeats_the_same_way() {
    let c = start(Config::default()).await;
    let r = response(1, json!({ "want-bigger-say": "yes" }));
    let first = post(c.addr, &r).await.unwrap();
    let again = post(c.addr, &r).await.unwrap();
    assert_eq!((first.status, again.status), (200, 200));
    assert_eq!(first.body, again.body);
    assert_eq!(first.json(), json!({ "received": true, "responseId": r.response_id }));
    assert_eq!(c.count().await, 1);
}

#[tokio::test]
async fn a_different_body_under_a_known_id_is_a_conflict() {
    let c = start(Config::default()).await;
    let r = response(2, json!({ "want-bigger-say": "yes" }));
    assert_eq!(post(c.addr, &r).await.unwrap().status, 200);
    let mut changed = r.clone();
    changed.answers.insert("want-bigger-say".into(), json!("no"));
    let conflict = post(c.addr, &changed).await.unwrap();
    assert_eq!(conflict.status, 409, "{}", conflict.body);
    assert!(conflict.headers["content-type"].starts_with("application/json"));
    let problem = conflict.json();
    assert_eq!(
        (problem["received"].clone(), problem["status"].clone()),
        (json!(false), json!(409))
    );
    assert_eq!(problem["responseId"], json!(r.response_id));
    // The first body is kept, and an identical repeat is still acknowledged.
    let stored: Vec<Value> = serde_json::from_str(&c.get("/surveys/co-production/responses.json").await.body).unwrap();
    assert_eq!(stored[0]["answers"]["want-bigger-say"], "yes");
    assert_eq!(post(c.addr, &r).await.unwrap().status, 200);
    // A widget updated between two attempts sends another `client.version`: the same response.
    let mut body = request_body(&r);
    body["client"]["version"] = json!("9.9.9");
    let updated = post_body(c.addr, &r.response_id, &body.to_string()).await.unwrap();
    assert_eq!(updated.status, 200, "{}", updated.body);
    assert_eq!(c.count().await, 1);
}

#[tokio::test]
async fn refuses_what_breaks_the_protocol() {
    let c = start(Config::default()).await;
    let r = response(3, json!({}));
    let body = request_body(&r).to_string();
    let no_key = send(
        c.addr,
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
        c.addr,
        "POST",
        "/responses",
        &[("Content-Type", "text/plain"), ("Idempotency-Key", &r.response_id)],
        &body,
    )
    .await
    .unwrap();
    assert_eq!(wrong_type.status, 415);
    assert_eq!(wrong_type.json()["status"], 415);
    let not_json = post_body(c.addr, &r.response_id, "{").await.unwrap();
    assert_eq!(not_json.status, 400);
    assert_eq!(not_json.json()["received"], false);
    let hostile = {
        let mut b = request_body(&r);
        b["surveyId"] = json!("x\";filename*=UTF-8''evil.bat");
        b.to_string()
    };
    let refused = post_body(c.addr, &r.response_id, &hostile).await.unwrap();
    assert_eq!(refused.status, 400);
    assert!(refused.body.contains("surveyId"), "{}", refused.body);
    assert_eq!(c.count().await, 0);
}

#[tokio::test]
async fn with_surveys_given_only_their_responses_and_answers_are_taken() {
    let c = start(Config {
        surveys: built_in_surveys(),
        ..Config::default()
    })
    .await;
    let mut made_up = response(4, json!({ "anything": "x" }));
    made_up.survey_id = "made-up".into();
    let reply = post(c.addr, &made_up).await.unwrap();
    assert_eq!(reply.status, 400);
    assert!(
        reply.body.contains("does not take responses for survey"),
        "{}",
        reply.body
    );
    let bad = response(
        5,
        json!({ "want-bigger-say": "maybe", "no-such-question": "x", "why-not-involved": "ok" }),
    );
    let reply = post(c.addr, &bad).await.unwrap();
    assert_eq!(reply.status, 400);
    let problems = reply.json()["problems"].as_array().unwrap().clone();
    assert_eq!(problems.len(), 2, "every problem is listed: {problems:?}");
    // A version the collector has no definition for is taken and held (issue #21): the
    // device holding a response to a replaced version can deliver it, but it makes no column
    // and no row until that version's definition is given.
    let mut old = response(6, json!({ "renamed-question": "yes" }));
    old.survey_version = "2025-01".into();
    assert_eq!(post(c.addr, &old).await.unwrap().status, 200);
    let good = response(7, json!({ "want-bigger-say": "yes", "ways-to-take-part": ["board"] }));
    assert_eq!(post(c.addr, &good).await.unwrap().status, 200);
    assert_eq!(c.count().await, 2);
    let csv = c.get("/surveys/co-production/responses.csv").await;
    let header = csv.body.lines().next().unwrap().to_owned();
    assert!(header.ends_with(",anything-else"), "{header}");
    assert_eq!(
        csv.body.lines().count(),
        2,
        "the held response is not a row: {}",
        csv.body
    );
    let held = c.get("/surveys/co-production/held.json").await;
    assert_eq!(held.json().as_array().unwrap().len(), 1);
    assert_eq!(held.json()[0]["answers"]["renamed-question"], "yes");
}

/// Every route, anonymously and with tokens that are not valid: nothing with answers or counts.
#[tokio::test]
async fn nothing_with_answers_or_counts_without_a_live_token() {
    let c = start(Config {
        origins: vec!["*".into()],
        ..Config::default()
    })
    .await;
    let secret = "Ms Canary-Answer";
    post(c.addr, &response(8, json!({ "why-not-involved": secret })))
        .await
        .unwrap();
    let revoked = survey_collector::auth::new_secret().unwrap();
    let store = c.collector.store();
    store
        .add_token("old".into(), survey_collector::auth::digest(&revoked))
        .await
        .unwrap();
    assert!(store.revoke_token("old".into()).await.unwrap());
    let revoked = format!("Bearer {revoked}");
    let routes = [
        ("GET", "/surveys/co-production/responses.csv"),
        ("GET", "/surveys/co-production/responses.json"),
        ("HEAD", "/surveys/co-production/responses.csv"),
        ("POST", "/surveys/co-production/responses.json"),
        ("OPTIONS", "/surveys/co-production/responses.csv"),
        ("GET", "/health"),
        ("GET", "/responses"),
        ("GET", "/surveys/co-production"),
        ("GET", "/"),
    ];
    for (method, path) in routes {
        for auth in [
            None,
            Some(revoked.as_str()),
            Some("Bearer sct_guess"),
            Some("Basic YTpi"),
        ] {
            let mut headers = vec![("Origin", "null")];
            if let Some(a) = auth {
                headers.push(("Authorization", a));
            }
            let reply = send(c.addr, method, path, &headers, "").await.unwrap();
            let what = format!("{method} {path} with {auth:?}: {} {}", reply.status, reply.body);
            assert!(
                !reply.body.contains(secret) && !reply.body.contains("6f1d2a9e"),
                "{what}"
            );
            assert!(!reply.body.contains("\"responses\""), "no count: {what}");
            assert!(
                !reply.headers.contains_key("access-control-allow-origin"),
                "no CORS: {what}"
            );
            if path == "/health" && auth.is_none() {
                assert_eq!((reply.status, reply.json()), (200, json!({ "status": "ok" })), "{what}");
            } else if path.starts_with("/surveys/co-production/responses") || path == "/health" {
                assert!(matches!(reply.status, 401 | 405), "{what}");
            } else {
                assert!(matches!(reply.status, 404 | 405), "{what}");
            }
            if reply.status == 401 {
                assert_eq!(reply.headers["www-authenticate"], "Bearer realm=\"survey-collector\"");
                assert_eq!(reply.json()["status"], 401);
            }
        }
    }
    // And with the live token, the answers are there.
    assert!(c
        .get("/surveys/co-production/responses.json")
        .await
        .body
        .contains(secret));
    assert_eq!(c.count().await, 1);
}

#[tokio::test]
async fn cors_only_on_responses_for_configured_origins() {
    let c = start(Config {
        origins: vec!["http://127.0.0.1:8080".into()],
        ..Config::default()
    })
    .await;
    let listed = "http://127.0.0.1:8080";
    let preflight = send(
        c.addr,
        "OPTIONS",
        "/responses",
        &[
            ("Origin", listed),
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "content-type,idempotency-key"),
        ],
        "",
    )
    .await
    .unwrap();
    assert_eq!(preflight.status, 204);
    assert_eq!(preflight.headers["access-control-allow-origin"], listed);
    assert_eq!(preflight.headers["access-control-allow-methods"], "POST");
    assert!(preflight.headers["access-control-allow-headers"].contains("idempotency-key"));
    assert_eq!(preflight.headers["vary"], "Origin");
    let r = response(9, json!({}));
    let body = request_body(&r).to_string();
    let reply = send(
        c.addr,
        "POST",
        "/responses",
        &[
            ("Origin", listed),
            ("Content-Type", "application/json"),
            ("Idempotency-Key", &r.response_id),
        ],
        &body,
    )
    .await
    .unwrap();
    assert_eq!(reply.headers["access-control-expose-headers"], "Retry-After");
    assert_eq!(reply.headers["vary"], "Origin");
    for origin in ["https://evil.example", "null"] {
        let other = send(
            c.addr,
            "OPTIONS",
            "/responses",
            &[("Origin", origin), ("Access-Control-Request-Method", "POST")],
            "",
        )
        .await
        .unwrap();
        assert!(!other.headers.contains_key("access-control-allow-origin"), "{origin}");
        assert_eq!(other.headers["vary"], "Origin", "the reply depends on the origin");
    }
    // Not on exports, even for a listed origin with a valid token.
    let auth = c.auth();
    let export = send(
        c.addr,
        "GET",
        "/surveys/co-production/responses.json",
        &[("Origin", listed), ("Authorization", &auth)],
        "",
    )
    .await
    .unwrap();
    assert_eq!(export.status, 200);
    assert!(!export.headers.contains_key("access-control-allow-origin"));
    assert_eq!(export.headers["cache-control"], "no-store");
}

#[tokio::test]
async fn exports_csv_in_survey_order_and_json() {
    let c = start(Config {
        surveys: built_in_surveys(),
        ..Config::default()
    })
    .await;
    let first = json!({ "want-bigger-say": "yes", "connection-to-care": "carer", "barriers-to-taking-part": ["times", "travel"] });
    post(c.addr, &response(10, first)).await.unwrap();
    let other = json!({ "connection-to-care": { "value": "other", "other": "=HYPERLINK(\"x\"), \"quoted\"" } });
    post(c.addr, &response(11, other)).await.unwrap();
    let csv = c.get("/surveys/co-production/responses.csv").await;
    assert!(csv.headers["content-type"].starts_with("text/csv"));
    assert_eq!(
        csv.headers["content-disposition"],
        "attachment; filename=\"co-production-responses.csv\""
    );
    let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').lines().collect();
    assert!(
        lines[0].starts_with(
            "responseId,surveyVersion,locale,languagesUsed,startedAt,completedAt,receivedAt,event,device,incomplete,connection-to-care,want-bigger-say,"
        ),
        "{}",
        lines[0]
    );
    assert_eq!(lines.len(), 3);
    assert!(lines[1].contains(",carer,yes,"), "{}", lines[1]);
    assert!(lines[1].contains(",\"times; travel\","), "{}", lines[1]);
    assert!(
        lines[2].contains("\"other: '=HYPERLINK(\"\"x\"\"), \"\"quoted\"\"\""),
        "{}",
        lines[2]
    );
    let list: Vec<Value> = serde_json::from_str(&c.get("/surveys/co-production/responses.json").await.body).unwrap();
    assert_eq!(list.len(), 2);
    assert!(list[0]["receivedAt"].is_string());
    // A survey id that could not be stored cannot name a file either.
    let hostile = c.get("/surveys/x%22;filename*=UTF-8''evil.bat/responses.csv").await;
    assert_eq!(hostile.status, 404);
    assert!(!hostile.headers.contains_key("content-disposition"));
}

#[tokio::test]
async fn formula_like_answers_are_defused_in_csv_and_numbers_stay_numbers() {
    let c = start(Config::default()).await;
    let answers = json!({
        "a-eq": "=1+1",
        "b-lf": "\n=1+1",
        "c-space": " =1+1",
        "d-fullwidth": "\u{FF1D}1+1",
        "e-joined": ["fine", "=cmd|' /C calc'!A0"],
        "f-negative": -5,
        "g-negative-text": "-5",
        "h-semicolon": "see;=1+1;x",
        "i-line-feed": "x\n=2+2",
        "j-list-part": ["a;=3", "b"],
    });
    post(c.addr, &response(12, answers)).await.unwrap();
    let csv = c.get("/surveys/co-production/responses.csv").await.body;
    for defused in [
        "'=1+1",
        "\"'\n'=1+1\"",
        "' =1+1",
        "'\u{FF1D}1+1",
        "\"fine; '=cmd|' /C calc'!A0\"",
        // Issue #21: what a spreadsheet splitting on `;` or a line break would start a cell with.
        "\"see;'=1+1;x\"",
        "\"x\n'=2+2\"",
        "\"a;'=3; b\"",
    ] {
        assert!(csv.contains(defused), "{defused:?} in {csv}");
    }
    assert!(csv.contains(",-5,-5,"), "{csv}");
}

#[tokio::test]
async fn a_large_export_streams_every_row() {
    let c = start(Config::default()).await;
    let n = 1200;
    for i in 0..n {
        post(c.addr, &response(100 + i, json!({ "q": format!("answer {i}") })))
            .await
            .unwrap();
    }
    let csv = c.get("/surveys/co-production/responses.csv").await;
    assert_eq!(
        csv.headers.get("transfer-encoding").map(String::as_str),
        Some("chunked")
    );
    assert_eq!(csv.body.lines().count(), n as usize + 1);
    let json: Vec<Value> = serde_json::from_str(&c.get("/surveys/co-production/responses.json").await.body).unwrap();
    assert_eq!(json.len(), n as usize);
}

fn limits() -> Limits {
    Limits {
        max_body_bytes: 64 * 1024,
        header_timeout: Duration::from_millis(400),
        body_timeout: Duration::from_millis(600),
        ..Limits::default()
    }
}

#[tokio::test]
async fn an_oversized_body_is_refused_at_once_with_a_problem() {
    let c = start(Config {
        limits: limits(),
        ..Config::default()
    })
    .await;
    // 100 GB declared, 1 MB sent: the reply comes before the body, and the connection closes.
    let mut stream = TcpStream::connect(c.addr).await.unwrap();
    let head = "POST /responses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
                Idempotency-Key: 6f1d2a9e-0c3b-4d5e-8f7a-000000000001\r\nContent-Length: 100000000000\r\n\r\n";
    stream.write_all(head.as_bytes()).await.unwrap();
    let _ = stream.write_all(&vec![b' '; 1024 * 1024]).await;
    let reply = read_reply(&mut stream).await.unwrap();
    assert_eq!(reply.status, 413);
    assert_eq!(reply.json()["problems"][0], "the body may be at most 65536 bytes");
    // A chunked body with no declared length is cut off at the limit.
    let mut stream = TcpStream::connect(c.addr).await.unwrap();
    let head = "POST /responses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
                Idempotency-Key: 6f1d2a9e-0c3b-4d5e-8f7a-000000000001\r\nTransfer-Encoding: chunked\r\n\r\n";
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = format!("10000\r\n{}\r\n", " ".repeat(0x10000));
    for _ in 0..2 {
        let _ = stream.write_all(chunk.as_bytes()).await;
    }
    let reply = read_reply(&mut stream).await.unwrap();
    assert_eq!(reply.status, 413);
}

#[tokio::test]
async fn slow_and_idle_clients_are_timed_out() {
    let c = start(Config {
        limits: limits(),
        ..Config::default()
    })
    .await;
    // Headers that never finish: closed after the header timeout.
    let started = Instant::now();
    let mut slow_head = TcpStream::connect(c.addr).await.unwrap();
    slow_head
        .write_all(b"POST /responses HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut sink = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), slow_head.read_to_end(&mut sink))
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(400));
    // A body that never finishes: 408 after the body timeout.
    let mut slow_body = TcpStream::connect(c.addr).await.unwrap();
    let head = "POST /responses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
                Idempotency-Key: 6f1d2a9e-0c3b-4d5e-8f7a-000000000001\r\nContent-Length: 100\r\n\r\n{";
    slow_body.write_all(head.as_bytes()).await.unwrap();
    let reply = read_reply(&mut slow_body).await.unwrap();
    assert_eq!(reply.status, 408);
    assert_eq!(reply.json()["status"], 408);
    // A kept-alive connection left idle after a reply: closed, not held.
    let mut idle = TcpStream::connect(c.addr).await.unwrap();
    idle.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), idle.read_to_end(&mut raw))
        .await
        .expect("an idle kept-alive connection is closed")
        .unwrap();
    assert!(String::from_utf8_lossy(&raw).starts_with("HTTP/1.1 200"));
}

#[tokio::test]
async fn over_the_connection_or_request_cap_is_shed_with_503_and_retry_after() {
    let c = start(Config {
        limits: Limits {
            max_connections: 2,
            retry_after_secs: 7,
            ..limits()
        },
        ..Config::default()
    })
    .await;
    let held: Vec<TcpStream> = vec![
        TcpStream::connect(c.addr).await.unwrap(),
        TcpStream::connect(c.addr).await.unwrap(),
    ];
    // The server accepts connections in order, taking a slot for each before the next.
    let shed = send(c.addr, "GET", "/health", &[], "").await.unwrap();
    assert_eq!(shed.status, 503);
    assert_eq!(shed.headers["retry-after"], "7");
    assert_eq!(shed.json()["status"], 503);
    drop(held);

    let busy = start(Config {
        limits: Limits {
            max_requests: 1,
            retry_after_secs: 3,
            ..Limits::default()
        },
        ..Config::default()
    })
    .await;
    // A request whose body is still coming holds the only request slot.
    let a = response(20, json!({}));
    let body = request_body(&a).to_string();
    let mut first = TcpStream::connect(busy.addr).await.unwrap();
    let head = format!(
        "POST /responses HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n\
         Idempotency-Key: {}\r\nContent-Length: {}\r\n\r\n",
        a.response_id,
        body.len()
    );
    first.write_all(head.as_bytes()).await.unwrap();
    first.write_all(&body.as_bytes()[..10]).await.unwrap();
    let mut shed = None;
    for i in 0..100 {
        let reply = post(busy.addr, &response(21 + i, json!({}))).await.unwrap();
        if reply.status == 503 {
            shed = Some(reply);
            break;
        }
    }
    let shed = shed.expect("a request over the cap is shed");
    assert_eq!(shed.headers["retry-after"], "3");
    assert_eq!(shed.json()["received"], false);
    first.write_all(&body.as_bytes()[10..]).await.unwrap();
    assert_eq!(read_reply(&mut first).await.unwrap().status, 200);
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
    let c = start(failing).await;
    let r = response(30, json!({}));
    let reply = post(c.addr, &r).await.unwrap();
    assert!(matches!(reply.status, 500 | 503));
    assert_eq!(reply.headers["retry-after"], "7");
    assert_eq!(c.count().await, 0);

    let dropping = Config {
        faults: Faults {
            drop: 1.0,
            seed: 3,
            ..Faults::default()
        },
        ..Config::default()
    };
    let c = start(dropping).await;
    assert!(
        post(c.addr, &r).await.is_none(),
        "the connection closes without a reply"
    );
    assert_eq!(c.count().await, 1, "but the response was stored");
}

/// The command line makes, lists and revokes tokens; a revoked token is refused at once by a
/// collector that is already running.
#[tokio::test]
async fn tokens_are_made_listed_and_revoked_from_the_command_line() {
    let dir = ScratchDir::new();
    let db = dir.db();
    let cli = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_survey-collector"))
            .args(args)
            .args(["--db", &db])
            .output()
            .unwrap()
    };
    let made = cli(&["token", "add", "--name", "powerbi"]);
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let secret = String::from_utf8(made.stdout).unwrap().trim().to_owned();
    assert!(secret.starts_with("sct_") && secret.len() == 68, "{secret}");
    assert!(
        !cli(&["token", "add", "--name", "powerbi"]).status.success(),
        "one live token per name"
    );
    assert!(!cli(&["token", "add", "--name", "bad name"]).status.success());
    let c = start_on(&db, Config::default()).await;
    let auth = format!("Bearer {secret}");
    let health = send(c.addr, "GET", "/health", &[("Authorization", &auth)], "")
        .await
        .unwrap();
    assert_eq!(health.json()["responses"], 0);
    let listed = String::from_utf8(cli(&["token", "list"]).stdout).unwrap();
    assert!(listed.contains("powerbi\tmade ") && listed.contains("live"), "{listed}");
    assert!(!listed.contains(&secret[4..]), "the secret is never listed");
    assert!(cli(&["token", "revoke", "powerbi"]).status.success());
    assert!(
        !cli(&["token", "revoke", "powerbi"]).status.success(),
        "nothing left to revoke"
    );
    let refused = send(c.addr, "GET", "/health", &[("Authorization", &auth)], "")
        .await
        .unwrap();
    assert_eq!(refused.status, 401);
    assert!(String::from_utf8(cli(&["token", "list"]).stdout)
        .unwrap()
        .contains("revoked 20"));
}

/// Issue #21: each anonymous post could store up to 2 MiB of fields the protocol does not
/// have. They are dropped, and the body limit follows the survey.
#[tokio::test]
async fn unknown_fields_are_dropped_and_the_body_limit_follows_the_survey() {
    let c = start(Config {
        surveys: built_in_surveys(),
        ..Config::default()
    })
    .await;
    let r = response(30, json!({ "want-bigger-say": "yes" }));
    let mut body = request_body(&r);
    body["extra"] = json!({ "anything": "x".repeat(1000) });
    body["client"]["build"] = json!("y".repeat(100));
    let reply = post_body(c.addr, &r.response_id, &body.to_string()).await.unwrap();
    assert_eq!(reply.status, 200, "{}", reply.body);
    let stored = c.get("/surveys/co-production/responses.json").await;
    assert_eq!(
        stored.headers["content-disposition"], "attachment; filename=\"co-production-responses.json\"",
        "the JSON export downloads rather than opening in the tab"
    );
    assert!(
        !stored.body.contains("xxxx") && !stored.body.contains("yyyy"),
        "{}",
        stored.body
    );
    // The largest body any co-production response can be is far under the 2 MiB cap.
    let limit = built_in_surveys().body_limit("co-production", "2026-11").unwrap();
    assert_eq!(
        built_in_surveys().body_limit("co-production", "2099-01"),
        Some(2 * limit),
        "a version it will hold may be a little larger"
    );
    assert!(limit < 512 * 1024, "{limit}");
    let big = response(31, json!({ "want-bigger-say": "yes" }));
    let mut body = request_body(&big);
    body["padding"] = json!("z".repeat(limit));
    let reply = post_body(c.addr, &big.response_id, &body.to_string()).await.unwrap();
    assert_eq!(reply.status, 413, "{}", reply.body);
    assert!(reply
        .body
        .contains("larger than any response to survey co-production can be"));
    assert_eq!(c.count().await, 1);
}

/// Issue #21 (without `--surveys`): made-up answer keys could make 20,021 columns.
#[tokio::test]
async fn without_surveys_made_up_keys_make_a_bounded_number_of_columns() {
    let c = start(Config::default()).await;
    for n in 0..3 {
        let answers: serde_json::Map<String, Value> = (0..600).map(|k| (format!("k{n}-{k}"), json!("x"))).collect();
        post(c.addr, &response(40 + n, Value::Object(answers))).await.unwrap();
    }
    let csv = c.get("/surveys/co-production/responses.csv").await.body;
    let columns = csv.lines().next().unwrap().split(',').count();
    assert_eq!(
        columns,
        survey_collector::export::FIXED_COLUMNS.len() + survey_collector::export::MAX_EXTRA_COLUMNS
    );
}

/// Issue #21: refused answer text was written to the log.
#[tokio::test]
async fn the_log_names_fields_but_never_an_answer() {
    use tokio::io::AsyncBufReadExt;
    let dir = ScratchDir::new();
    let surveys = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/surveys");
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_survey-collector"))
        .args(["--port", "0", "--db", &dir.db(), "--surveys"])
        .arg(&surveys)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(std::time::Duration::from_secs(20), lines.next_line())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let addr: std::net::SocketAddr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .unwrap()
        .parse()
        .unwrap();
    let canary = "Jane Doe 07700 900999";
    let r = response(50, json!({ "connection-to-care": canary, "want-bigger-say": canary }));
    let reply = post(addr, &r).await.unwrap();
    assert_eq!(reply.status, 400);
    child.start_kill().unwrap();
    let out = child.wait_with_output().await.unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(log.contains("answers.connection-to-care"), "{log}");
    assert!(!log.contains("Jane") && !log.contains("07700"), "{log}");
}

/// Issue #23: answers are codes in every language, so a Welsh and an English response of the
/// same choice share a column and a value; each row says the language it was completed in and
/// every language used on the way.
#[tokio::test]
async fn welsh_and_english_responses_pool_in_the_same_columns() {
    let c = start(Config {
        surveys: built_in_surveys(),
        ..Config::default()
    })
    .await;
    let answers = json!({ "want-bigger-say": "yes", "connection-to-care": "carer" });
    post(c.addr, &response(20, answers.clone())).await.unwrap();
    let mut welsh = response(21, answers);
    welsh.locale = "cy".into();
    welsh.languages_used = vec!["en".into(), "cy".into()];
    post(c.addr, &welsh).await.unwrap();
    let csv = c.get("/surveys/co-production/responses.csv").await;
    let lines: Vec<Vec<&str>> = csv
        .body
        .trim_start_matches('\u{feff}')
        .lines()
        .map(|l| l.split(',').collect())
        .collect();
    let column = |name: &str| lines[0].iter().position(|c| *c == name).unwrap();
    let (locale, used, care, say) = (
        column("locale"),
        column("languagesUsed"),
        column("connection-to-care"),
        column("want-bigger-say"),
    );
    assert_eq!(lines.len(), 3);
    let rows: Vec<(&str, &str, &str, &str)> = lines[1..]
        .iter()
        .map(|l| (l[locale], l[used], l[care], l[say]))
        .collect();
    assert!(rows.contains(&("en", "en", "carer", "yes")), "{rows:?}");
    assert!(rows.contains(&("cy", "\"en; cy\"", "carer", "yes")), "{rows:?}");
}

/// Issue #23: the data dictionary lists each question and option in every language the survey
/// is written in, under the same codes.
#[tokio::test]
async fn the_dictionary_has_every_language() {
    let c = start(Config {
        surveys: built_in_surveys(),
        ..Config::default()
    })
    .await;
    let questions = c.get("/surveys/discharge-reablement/questions.csv").await;
    let rows: Vec<&str> = questions.body.lines().collect();
    assert!(
        rows.iter().any(|r| r.contains(",en,Who is filling in this survey?")),
        "{}",
        questions.body
    );
    assert!(
        rows.iter().any(|r| r.contains(",cy,Pwy sy’n llenwi’r arolwg hwn?")),
        "{}",
        questions.body
    );
    let options = c.get("/surveys/discharge-reablement/options.csv").await.body;
    assert!(options.contains(",yes,1,cy,Do,"), "{options}");
    assert!(options.contains(",yes,1,en,Yes,"), "{options}");
}

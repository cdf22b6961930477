//! Shared by the collector's tests: scratch databases, a running collector on loopback, and a
//! raw HTTP/1.1 client that can also misbehave.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use serde_json::Value;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;
use survey_collector::auth::{digest, new_secret};
use survey_collector::{serve, Collector, Config, Surveys};
use survey_widget::core::delivery::protocol::request_body;
use survey_widget::core::{CompletedResponse, SurveyId};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A scratch SQLite file, deleted with its folder on drop.
pub struct ScratchDir(pub PathBuf);

impl ScratchDir {
    pub fn new() -> Self {
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "sc-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    pub fn db(&self) -> String {
        self.0.join("responses.sqlite").to_string_lossy().into_owned()
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The URL of a new, empty PostgreSQL database on the scratch server that
/// `scripts/with-postgres.sh` runs. Fails, never skips, when there is none.
pub async fn postgres_db() -> String {
    let Ok(admin) = std::env::var("SURVEY_COLLECTOR_TEST_POSTGRES") else {
        panic!(
            "the PostgreSQL tests need a server: run `./scripts/with-postgres.sh cargo test -p survey-collector` \
             (./scripts/test.sh does), or set SURVEY_COLLECTOR_TEST_POSTGRES to a database URL"
        );
    };
    let (client, connection) = tokio_postgres::connect(&admin, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {admin}: {e}"));
    tokio::spawn(connection);
    static N: AtomicU32 = AtomicU32::new(0);
    let name = format!("sc_{}_{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed));
    client.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
    let base = admin.rsplit_once('/').unwrap().0;
    format!("{base}/{name}")
}

/// A collector serving on a free loopback port, with one live API token.
pub struct Running {
    pub addr: SocketAddr,
    pub collector: Collector,
    pub token: String,
    _dir: Option<ScratchDir>,
}

impl Running {
    pub fn auth(&self) -> String {
        format!("Bearer {}", self.token)
    }

    /// A GET with the token.
    pub async fn get(&self, path: &str) -> Reply {
        let auth = self.auth();
        send(self.addr, "GET", path, &[("Authorization", &auth)], "")
            .await
            .unwrap()
    }

    /// The number of stored responses, as the authenticated health check says.
    pub async fn count(&self) -> u64 {
        let health: Value = serde_json::from_str(&self.get("/health").await.body).unwrap();
        health["responses"].as_u64().unwrap()
    }
}

/// Starts a collector on a new SQLite file.
pub async fn start(config: Config) -> Running {
    let dir = ScratchDir::new();
    let mut running = start_on(&dir.db(), config).await;
    running._dir = Some(dir);
    running
}

/// Starts a collector on the database `db` names.
pub async fn start_on(db: &str, config: Config) -> Running {
    let collector = Collector::open(db, config).await.unwrap();
    let token = new_secret().unwrap();
    let name = format!("test-{}", &token[4..12]);
    collector.store().add_token(name, digest(&token)).await.unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve(listener, collector.clone()));
    Running {
        addr,
        collector,
        token,
        _dir: None,
    }
}

/// The built-in surveys, as `--surveys public/surveys` loads them.
pub fn built_in_surveys() -> Surveys {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/surveys");
    Surveys::load(&[dir.as_path()]).unwrap()
}

pub struct Reply {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// Reads one reply from `stream` until the server closes it; `None` when it closed without one.
pub async fn read_reply(stream: &mut TcpStream) -> Option<Reply> {
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut raw))
        .await
        .expect("the server neither replied nor closed within 20 s")
        .ok()?;
    if raw.is_empty() {
        return None;
    }
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers: BTreeMap<String, String> = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_ascii_lowercase(), v.to_owned()))
        .collect();
    let body = if headers.get("transfer-encoding").is_some_and(|t| t == "chunked") {
        dechunk(body)
    } else {
        body.to_owned()
    };
    Some(Reply { status, headers, body })
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap();
        if size == 0 {
            break;
        }
        out.push_str(&rest[..size]);
        body = &rest[size + 2..];
    }
    out
}

/// One HTTP/1.1 request on a new connection; `None` when the server closed it without a reply.
pub async fn send(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Option<Reply> {
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
    read_reply(&mut stream).await
}

pub fn response(n: u32, answers: Value) -> CompletedResponse {
    CompletedResponse {
        response_id: format!("6f1d2a9e-0c3b-4d5e-8f7a-{n:012x}"),
        reference: "KX7P-3M4Q".into(),
        survey_id: SurveyId::from("co-production"),
        survey_version: "2026-11".into(),
        started_at: 1_795_705_000_000.0,
        completed_at: 1_795_705_445_123.0,
        answers: answers.as_object().unwrap().clone(),
        locale: "en".into(),
        languages_used: vec!["en".into()],
        context: None,
    }
}

/// Posts a body as the widget does.
pub async fn post_body(addr: SocketAddr, id: &str, body: &str) -> Option<Reply> {
    send(
        addr,
        "POST",
        "/responses",
        &[("Content-Type", "application/json"), ("Idempotency-Key", id)],
        body,
    )
    .await
}

/// Posts a response as the widget does.
pub async fn post(addr: SocketAddr, r: &CompletedResponse) -> Option<Reply> {
    post_body(addr, &r.response_id, &request_body(r).to_string()).await
}

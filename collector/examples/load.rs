//! Load and failure benchmarks for the reference collector; `./scripts/bench.sh` runs them and
//! prints the figures the README quotes. Not a test: it measures, it does not assert (beyond
//! printing what it counted).
//!
//! ```text
//! load posts  --url URL[,URL…] --token T [--connections 64] [--posts 20000] [--ids 5000]
//! load slow   --url URL --token T [--hold 1000] [--posts 200]
//! load kill   --collector BIN --db DB [--rounds 10] [--surveys DIR]
//! load seed   --db FILE.sqlite [--count 100000]
//! load export --url URL --token T --pid PID
//! load console --url URL --pid PID [--rounds 20]   (after seed, which makes a session)
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{json, Value};
use std::collections::{BTreeMap, HashSet};
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use survey_widget::core::delivery::protocol::request_body;
use survey_widget::core::{CompletedResponse, SurveyId};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

fn arg(args: &[String], flag: &str) -> Option<String> {
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1).cloned())
}

fn num(args: &[String], flag: &str, default: usize) -> usize {
    arg(args, flag).map_or(default, |v| v.parse().unwrap())
}

fn host(url: &str) -> String {
    url.trim_start_matches("http://").trim_end_matches('/').to_owned()
}

/// A version 4 UUID made from a number, so runs are repeatable.
fn uuid(n: u64, salt: u64) -> String {
    let a = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt;
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        (a >> 32) as u32,
        (a >> 16) as u16,
        a as u16 & 0xfff,
        (a >> 48) as u16 & 0xfff,
        n & 0xffff_ffff_ffff
    )
}

/// A realistic co-production response.
fn body(id: &str, n: u64) -> String {
    let answers = json!({
        "connection-to-care": if n % 3 == 0 { json!({ "value": "other", "other": "A neighbour I help most days" }) } else { json!("carer") },
        "want-bigger-say": if n % 2 == 0 { "yes" } else { "no" },
        "ways-to-take-part": ["board", "surveys"],
        "why-not-involved": "I did not know it was happening and the meetings are at times when I am caring. ".repeat(2),
        "format-preferences": { "in-person": "likely", "video": "maybe", "phone": "unlikely" },
        "preferred-language": "english",
    });
    let r = CompletedResponse {
        response_id: id.to_owned(),
        reference: "KX7P-3M4Q".into(),
        survey_id: SurveyId::from("co-production"),
        survey_version: "2026-11".into(),
        started_at: 1_795_705_000_000.0,
        completed_at: 1_795_705_445_123.0,
        answers: answers.as_object().unwrap().clone(),
        locale: "en".into(),
        languages_used: vec!["en".into()],
        context: None,
    };
    request_body(&r).to_string()
}

/// A kept-alive HTTP/1.1 connection that sends one request at a time.
struct Conn {
    stream: BufReader<TcpStream>,
    host: String,
}

impl Conn {
    async fn open(host: &str) -> Self {
        Self {
            stream: BufReader::new(TcpStream::connect(host).await.unwrap()),
            host: host.to_owned(),
        }
    }

    /// Sends a request and reads the reply: (status, body); `None` when the connection broke.
    async fn request(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Option<(u16, String)> {
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\n",
            self.host,
            body.len()
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        head.push_str(body);
        self.stream.get_mut().write_all(head.as_bytes()).await.ok()?;
        let mut line = String::new();
        self.stream.read_line(&mut line).await.ok()?;
        let status: u16 = line.split(' ').nth(1)?.parse().ok()?;
        let (mut length, mut chunked) = (0usize, false);
        loop {
            line.clear();
            self.stream.read_line(&mut line).await.ok()?;
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            let (k, v) = l.split_once(':')?;
            match k.to_ascii_lowercase().as_str() {
                "content-length" => length = v.trim().parse().ok()?,
                "transfer-encoding" => chunked = v.trim() == "chunked",
                _ => {}
            }
        }
        let mut out = Vec::new();
        if chunked {
            loop {
                line.clear();
                self.stream.read_line(&mut line).await.ok()?;
                let size = usize::from_str_radix(line.trim(), 16).ok()?;
                let mut chunk = vec![0; size + 2];
                self.stream.read_exact(&mut chunk).await.ok()?;
                if size == 0 {
                    break;
                }
                out.extend_from_slice(&chunk[..size]);
            }
        } else {
            out.resize(length, 0);
            self.stream.read_exact(&mut out).await.ok()?;
        }
        Some((status, String::from_utf8_lossy(&out).into_owned()))
    }

    async fn post(&mut self, id: &str, body: &str) -> Option<u16> {
        let headers = [("Content-Type", "application/json"), ("Idempotency-Key", id)];
        self.request("POST", "/responses", &headers, body).await.map(|r| r.0)
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn count(url: &str, token: &str) -> u64 {
    let mut c = Conn::open(&host(url)).await;
    let auth = format!("Bearer {token}");
    let (_, body) = c
        .request("GET", "/health", &[("Authorization", &auth)], "")
        .await
        .unwrap();
    serde_json::from_str::<Value>(&body).unwrap()["responses"]
        .as_u64()
        .unwrap()
}

/// `posts`: many connections posting, round robin over the instances; ids repeat.
async fn posts(args: &[String]) {
    let urls: Vec<String> = arg(args, "--url").unwrap().split(',').map(host).collect();
    let token = arg(args, "--token").unwrap();
    let (connections, total, ids) = (
        num(args, "--connections", 64),
        num(args, "--posts", 20_000),
        num(args, "--ids", 5_000),
    );
    let salt = u64::from(std::process::id()) << 20 ^ Instant::now().elapsed().as_nanos() as u64;
    let bodies: Arc<Vec<(String, String)>> = Arc::new(
        (0..ids as u64)
            .map(|n| {
                let id = uuid(n, salt);
                let b = body(&id, n);
                (id, b)
            })
            .collect(),
    );
    let next = Arc::new(AtomicUsize::new(0));
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(total)));
    let statuses = Arc::new(Mutex::new(BTreeMap::<u16, usize>::new()));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..connections {
        let (bodies, next, latencies, statuses) = (bodies.clone(), next.clone(), latencies.clone(), statuses.clone());
        let url = urls[c % urls.len()].clone();
        tasks.push(tokio::spawn(async move {
            let mut conn = Conn::open(&url).await;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    break;
                }
                // Every id is posted total/ids times, spread through the run.
                let (id, b) = &bodies[i % bodies.len()];
                let t = Instant::now();
                let status = match conn.post(id, b).await {
                    Some(s) => s,
                    None => {
                        conn = Conn::open(&url).await;
                        0
                    }
                };
                latencies.lock().unwrap().push(t.elapsed().as_secs_f64() * 1000.0);
                *statuses.lock().unwrap().entry(status).or_default() += 1;
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let seconds = started.elapsed().as_secs_f64();
    let mut l = latencies.lock().unwrap().clone();
    l.sort_by(f64::total_cmp);
    let stored = count(&format!("http://{}", urls[0]), &token).await;
    println!(
        "posts: {total} posts of {ids} ids over {connections} connections to {} instance(s) in {seconds:.1} s: \
         {:.0} posts/s; latency p50 {:.1} ms, p99 {:.1} ms; replies {:?}; rows stored {stored}",
        urls.len(),
        total as f64 / seconds,
        percentile(&l, 0.5),
        percentile(&l, 0.99),
        statuses.lock().unwrap()
    );
}

/// `slow`: holds connections that send half a request head, then times normal posts.
async fn slow(args: &[String]) {
    let url = host(&arg(args, "--url").unwrap());
    let (hold, total) = (num(args, "--hold", 1000), num(args, "--posts", 200));
    let mut held = Vec::with_capacity(hold);
    for _ in 0..hold {
        let mut s = TcpStream::connect(&url).await.unwrap();
        s.write_all(b"POST /responses HTTP/1.1\r\nHost: x\r\nContent-Type: appl")
            .await
            .unwrap();
        held.push(s);
    }
    let salt = u64::from(std::process::id()) << 24;
    let mut latencies = Vec::with_capacity(total);
    let mut statuses = BTreeMap::<u16, usize>::new();
    let started = Instant::now();
    for n in 0..total as u64 {
        let id = uuid(n, salt);
        let b = body(&id, n);
        let t = Instant::now();
        let status = Conn::open(&url).await.post(&id, &b).await.unwrap_or(0);
        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
        *statuses.entry(status).or_default() += 1;
    }
    let open_after = {
        let mut still = 0;
        for s in &mut held {
            let mut byte = [0u8; 1];
            if let Ok(Ok(n)) = tokio::time::timeout(Duration::from_millis(1), s.read(&mut byte)).await {
                if n > 0 {
                    still += 1;
                }
            } else {
                still += 1;
            }
        }
        still
    };
    latencies.sort_by(f64::total_cmp);
    println!(
        "slow: {total} normal posts (new connection each) while {hold} slow connections were held: \
         latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; replies {statuses:?}; {:.1} s; \
         slow connections still open afterwards: {open_after}",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(f64::NAN),
        started.elapsed().as_secs_f64(),
    );
}

async fn spawn_collector(bin: &str, db: &str, extra: &[String]) -> (tokio::process::Child, String) {
    let mut child = tokio::process::Command::new(bin)
        .args(["--port", "0", "--db", db])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).await.unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap()
        .to_owned();
    (child, host(&url))
}

/// `kill`: posts new responses while killing the collector with SIGKILL at random moments;
/// then counts how many acknowledged responses the store has.
async fn kill(args: &[String]) {
    let bin = arg(args, "--collector").unwrap();
    let db = arg(args, "--db").unwrap();
    let rounds = num(args, "--rounds", 10);
    let extra: Vec<String> = arg(args, "--surveys")
        .map(|s| vec!["--surveys".into(), s])
        .unwrap_or_default();
    let acked = Arc::new(Mutex::new(HashSet::new()));
    let next = Arc::new(AtomicUsize::new(0));
    let salt = u64::from(std::process::id()) << 28;
    let mut dice = 0x2545_F491_4F6C_DD1Du64;
    for _ in 0..rounds {
        let (mut child, url) = spawn_collector(&bin, &db, &extra).await;
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let (acked, next, url) = (acked.clone(), next.clone(), url.clone());
            tasks.push(tokio::spawn(async move {
                let mut conn = Conn::open(&url).await;
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed) as u64;
                    let id = uuid(n, salt);
                    match conn.post(&id, &body(&id, n)).await {
                        Some(200) => {
                            acked.lock().unwrap().insert(id);
                        }
                        Some(_) => {}
                        None => break,
                    }
                }
            }));
        }
        dice ^= dice << 13;
        dice ^= dice >> 7;
        dice ^= dice << 17;
        tokio::time::sleep(Duration::from_millis(300 + dice % 1200)).await;
        child.start_kill().unwrap();
        child.wait().await.unwrap();
        for t in tasks {
            let _ = t.await;
        }
    }
    let (mut child, url) = spawn_collector(&bin, &db, &extra).await;
    let token_out = std::process::Command::new(&bin)
        .args([
            "token",
            "add",
            "--name",
            &format!("kill-{}", std::process::id()),
            "--db",
            &db,
        ])
        .output()
        .unwrap();
    let token = String::from_utf8(token_out.stdout).unwrap().trim().to_owned();
    let mut conn = Conn::open(&url).await;
    let auth = format!("Bearer {token}");
    let (_, export) = conn
        .request(
            "GET",
            "/surveys/co-production/responses.json",
            &[("Authorization", &auth)],
            "",
        )
        .await
        .unwrap();
    let stored: Vec<Value> = serde_json::from_str(&export).unwrap();
    let found: HashSet<String> = stored
        .iter()
        .filter_map(|r| r["responseId"].as_str().map(str::to_owned))
        .collect();
    let (acked, missing) = {
        let acked = acked.lock().unwrap();
        (acked.len(), acked.iter().filter(|id| !found.contains(*id)).count())
    };
    println!(
        "kill: {rounds} SIGKILLs while posting: {acked} acknowledged, {} of them found, {missing} missing; {} rows stored in all",
        acked - missing,
        found.len()
    );
    child.start_kill().unwrap();
    child.wait().await.unwrap();
}

/// `seed`: writes responses straight into a SQLite file, fast, for the export benchmark.
async fn seed(args: &[String]) {
    let db = arg(args, "--db").unwrap();
    let n = num(args, "--count", 100_000);
    // Migrations first, through the store itself.
    drop(survey_collector::store::open(&db).await.unwrap());
    let mut conn = rusqlite::Connection::open(&db).unwrap();
    let tx = conn.transaction().unwrap();
    {
        // Spread over the last 30 days, so the figures by day have 30 rows.
        let mut insert = tx
            .prepare(
                "INSERT INTO responses (response_id, survey_id, survey_version, received_at, body)
                 VALUES (?1, 'co-production', '2026-11', strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || ?3 || ' minutes'), ?2)",
            )
            .unwrap();
        for i in 0..n as u64 {
            let id = uuid(i, 0x5eed);
            insert
                .execute(rusqlite::params![id, body(&id, i), (i * 7) % 43_200])
                .unwrap();
        }
    }
    tx.commit().unwrap();
    // An officer's session for `console`, as signing in would make one.
    let store = survey_collector::store::open(&db).await.unwrap();
    let hash = survey_collector::accounts::hash_password("bench password, not a real one").unwrap();
    let _ = store.set_user("bench".into(), hash, true).await;
    let expires = survey_collector::accounts::now() + 3600;
    store
        .add_session(
            survey_collector::accounts::session_digest(SESSION),
            "bench".into(),
            "c".repeat(64),
            expires,
        )
        .await
        .unwrap();
    println!("seed: {n} responses written to {db}");
}

/// The session secret `seed` makes for `console`.
const SESSION: &str = "5e55105e55105e55105e55105e55105e55105e55105e55105e55105e55105e55";

/// `console`: the survey page of the console over 100,000 responses, `--rounds` times (p50,
/// p95), then the wide and long exports (time, size) and the collector's peak memory.
async fn console(args: &[String]) {
    let url = host(&arg(args, "--url").unwrap());
    let pid = arg(args, "--pid").unwrap();
    let rounds = num(args, "--rounds", 20);
    let status = || std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let before = kib(&status(), "VmRSS:");
    let cookie = format!("__Host-sc_session={SESSION}");
    let headers = [("Cookie", cookie.as_str())];
    let mut c = Conn::open(&url).await;
    let page = async |c: &mut Conn| {
        let t = Instant::now();
        let (code, page) = c
            .request("GET", "/console/surveys/co-production", &headers, "")
            .await
            .unwrap();
        assert_eq!(code, 200, "{page}");
        (t.elapsed().as_secs_f64() * 1000.0, page.len())
    };
    // The first request counts every response; later ones reuse the figures until another
    // response arrives, and then count again.
    let (cold, size) = page(&mut c).await;
    let mut times = Vec::new();
    for _ in 0..rounds {
        times.push(page(&mut c).await.0);
    }
    times.sort_by(f64::total_cmp);
    let id = uuid(1, 0xc0de);
    assert_eq!(Conn::open(&url).await.post(&id, &body(&id, 1)).await, Some(200));
    let (recount, _) = page(&mut c).await;
    let page_peak = kib(&status(), "VmHWM:");
    println!(
        "console: survey page over the stored responses ({:.0} KB of HTML): first request {cold:.0} ms; \
         then {rounds} requests p50 {:.0} ms, p95 {:.0} ms; after a new response {recount:.0} ms; \
         memory {:.1} MB before, peak {:.1} MB",
        size as f64 / 1000.0,
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        before as f64 / 1024.0,
        page_peak as f64 / 1024.0,
    );
    for file in ["wide.csv", "long.csv"] {
        let t = Instant::now();
        let (code, csv) = c
            .request("GET", &format!("/surveys/co-production/{file}"), &headers, "")
            .await
            .unwrap();
        println!(
            "export: {file} {code}, {} lines ({:.1} MB) in {:.1} s; collector peak memory so far {:.1} MB",
            csv.lines().count(),
            csv.len() as f64 / 1e6,
            t.elapsed().as_secs_f64(),
            kib(&status(), "VmHWM:") as f64 / 1024.0,
        );
    }
}

fn kib(status: &str, field: &str) -> u64 {
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// `export`: times a full CSV export, with a post timed in the middle of it, and reads the
/// collector's peak memory.
async fn export(args: &[String]) {
    let url = host(&arg(args, "--url").unwrap());
    let token = arg(args, "--token").unwrap();
    let pid = arg(args, "--pid").unwrap();
    let status = || std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let before = kib(&status(), "VmRSS:");
    let auth = format!("Bearer {token}");
    let started = Instant::now();
    let exporting = {
        let (url, auth) = (url.clone(), auth.clone());
        tokio::spawn(async move {
            let mut c = Conn::open(&url).await;
            c.request(
                "GET",
                "/surveys/co-production/responses.csv",
                &[("Authorization", &auth)],
                "",
            )
            .await
            .unwrap()
        })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    let id = uuid(1, 0xfeed);
    let t = Instant::now();
    let post_status = Conn::open(&url).await.post(&id, &body(&id, 1)).await;
    let post_ms = t.elapsed().as_secs_f64() * 1000.0;
    let (code, csv) = exporting.await.unwrap();
    let seconds = started.elapsed().as_secs_f64();
    let peak = kib(&status(), "VmHWM:");
    println!(
        "export: {code}, {} lines ({:.1} MB) of CSV in {seconds:.1} s; collector memory {:.1} MB before, peak {:.1} MB; \
         a post during the export: {post_status:?} in {post_ms:.1} ms",
        csv.lines().count(),
        csv.len() as f64 / 1e6,
        before as f64 / 1024.0,
        peak as f64 / 1024.0,
    );
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("posts") => posts(&args).await,
        Some("slow") => slow(&args).await,
        Some("kill") => kill(&args).await,
        Some("seed") => seed(&args).await,
        Some("export") => export(&args).await,
        Some("console") => console(&args).await,
        _ => eprintln!("usage: load posts|slow|kill|seed|export|console …"),
    }
}

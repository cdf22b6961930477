//! `survey-collector`: runs the reference collector.
//!
//! ```text
//! survey-collector [--port 8787] [--db collector.sqlite] [--origin http://127.0.0.1:8080]...
//!                  [--surveys public/surveys]
//!                  [--fault-fail 0.2] [--fault-drop 0.1] [--fault-delay-ms 0]
//!                  [--fault-retry-after 1] [--fault-seed 1]
//! ```
//! It listens on 127.0.0.1 only; put a TLS-terminating proxy in front of it in production.
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;
use survey_collector::{load_surveys, serve, Collector, Config, Faults};

fn usage(problem: &str) -> ! {
    eprintln!("survey-collector: {problem}");
    eprintln!(
        "usage: survey-collector [--port N] [--db FILE] [--origin URL]... [--surveys DIR] \
         [--fault-fail F] [--fault-drop F] [--fault-delay-ms N] [--fault-retry-after S] [--fault-seed N]"
    );
    std::process::exit(2)
}

fn number<T: std::str::FromStr>(flag: &str, value: Option<String>) -> T {
    value
        .as_deref()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| usage(&format!("{flag} needs a number")))
}

#[tokio::main]
async fn main() {
    let mut port: u16 = 8787;
    let mut db = String::from("collector.sqlite");
    let mut config = Config {
        faults: Faults {
            retry_after_secs: 1,
            seed: 1,
            ..Faults::default()
        },
        ..Config::default()
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "--port" => port = number(&flag, args.next()),
            "--db" => db = args.next().unwrap_or_else(|| usage("--db needs a file")),
            "--origin" => config
                .origins
                .push(args.next().unwrap_or_else(|| usage("--origin needs a URL"))),
            "--surveys" => {
                let dir = args.next().unwrap_or_else(|| usage("--surveys needs a folder"));
                config.surveys = load_surveys(Path::new(&dir)).unwrap_or_else(|e| usage(&e.to_string()));
            }
            "--fault-fail" => config.faults.fail = number(&flag, args.next()),
            "--fault-drop" => config.faults.drop = number(&flag, args.next()),
            "--fault-delay-ms" => config.faults.delay = Duration::from_millis(number(&flag, args.next())),
            "--fault-retry-after" => config.faults.retry_after_secs = number(&flag, args.next()),
            "--fault-seed" => config.faults.seed = number(&flag, args.next()),
            "--help" | "-h" => usage("the reference collector for the survey widget"),
            other => usage(&format!("unknown option {other}")),
        }
    }
    let collector = Collector::open(&db, config).unwrap_or_else(|e| usage(&e.to_string()));
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .unwrap_or_else(|e| usage(&format!("cannot listen on {addr}: {e}")));
    let bound = listener
        .local_addr()
        .map_or_else(|_| addr.to_string(), |a| a.to_string());
    // Tests and scripts read this line to find the port.
    println!("survey-collector listening on http://{bound}");
    serve(listener, collector).await;
}

//! `survey-collector`: runs the reference collector, or manages its API tokens.
//!
//! ```text
//! survey-collector [--port 8787] [--db collector.sqlite | --db postgres://…]
//!                  [--origin https://www.council.gov.uk]... [--surveys DIR|FILE]...
//!                  [--max-body-bytes N] [--header-timeout-ms N] [--body-timeout-ms N]
//!                  [--max-connections N] [--max-requests N] [--retry-after S]
//!                  [--fault-fail 0.2] [--fault-drop 0.1] [--fault-hang 0.05] [--fault-delay-ms 0]
//!                  [--fault-retry-after 1] [--fault-seed 1] [--public-url https://…]
//!                  [--jargon FILE]      the council's own jargon, a word or phrase a line
//! survey-collector token add --name NAME [--db …]     prints a new token, once
//! survey-collector token revoke NAME [--db …]
//! survey-collector token list [--db …]
//! survey-collector import FILE [--db …] [--surveys DIR|FILE]...   an event export, once
//! survey-collector user add NAME [--db …]        a console account; asks for the password
//! survey-collector user password NAME [--db …]   sets a new password, ending its sessions
//! survey-collector user remove NAME [--db …]
//! survey-collector user list [--db …]
//! survey-collector survey import FILE             a spreadsheet (.xlsx, .ods, .csv) as a survey's JSON
//! survey-collector survey export SURVEY.json FILE.xlsx|FILE.csv
//! survey-collector survey publish SURVEY.json --by NAME [--db …] [--surveys DIR|FILE]... [--jargon FILE]
//! survey-collector survey versions ID [--db …]      published versions, and the draft
//! ```
//! `survey import` writes the JSON to standard output and lists every row it could not take on
//! standard error; it exits 1 when the file cannot be taken at all, and 3 when the survey it
//! wrote would not load as it is (the problems follow the rows on standard error).
//! The password is read without echo from the terminal, or as one line from standard input
//! when that is not a terminal (for scripts: `printf '%s\n' "$PW" | survey-collector user add ann`).
//! `--db` may also come from `SURVEY_COLLECTOR_DB`, which keeps a database password out of the
//! process list. It listens on 127.0.0.1 only; put a TLS-terminating proxy in front of it.
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use survey_collector::accounts::{hash_password, is_user_name, MIN_PASSWORD_CHARS};
use survey_collector::auth::{digest, is_token_name, new_secret};
use survey_collector::{serve, sheets, store, Collector, Config, Faults, Surveys};

const USAGE: &str = "usage: survey-collector [--port N] [--db FILE|postgres://…] [--origin URL]... \
[--surveys DIR|FILE]... [--max-body-bytes N] [--header-timeout-ms N] [--body-timeout-ms N] \
[--max-connections N] [--max-requests N] [--retry-after S] [--fault-fail F] [--fault-drop F] [--fault-hang F] \
[--fault-delay-ms N] [--fault-retry-after S] [--fault-seed N] [--threshold N] [--publisher NAME] \
[--lookups-per-minute N] [--trusted-proxy ADDR]... [--public-url URL] [--insecure-cookies] [--jargon FILE]\n\
       survey-collector token add --name NAME [--db …]\n\
       survey-collector token revoke NAME [--db …]\n\
       survey-collector token list [--db …]\n\
       survey-collector import FILE [--db …] [--surveys DIR|FILE]...\n\
       survey-collector user add|password|remove|list [NAME] [--db …]\n\
       survey-collector survey import FILE\n\
       survey-collector survey export SURVEY.json FILE.xlsx|FILE.csv\n\
       survey-collector survey publish SURVEY.json --by NAME [--db …] [--surveys DIR|FILE]... [--jargon FILE]\n\
       survey-collector survey versions ID [--db …]";

fn usage(problem: &str) -> ! {
    eprintln!("survey-collector: {problem}");
    eprintln!("{USAGE}");
    std::process::exit(2)
}

fn fail(problem: &str) -> ! {
    eprintln!("survey-collector: {problem}");
    std::process::exit(1)
}

fn number<T: std::str::FromStr>(flag: &str, value: Option<String>) -> T {
    value
        .as_deref()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| usage(&format!("{flag} needs a number")))
}

fn default_db() -> String {
    std::env::var("SURVEY_COLLECTOR_DB").unwrap_or_else(|_| "collector.sqlite".into())
}

/// `survey import FILE` and `survey export SURVEY.json FILE`: spreadsheets in and out;
/// `survey publish FILE --by NAME` and `survey versions ID`: versions kept by the collector.
async fn survey(mut args: impl Iterator<Item = String>) {
    use survey_widget::core::survey::load::load_survey_value;
    use survey_widget::core::survey::sheet::{from_workbook, to_workbook};
    use survey_widget::core::text::json;
    let action = args
        .next()
        .unwrap_or_else(|| usage("survey needs import, export, publish or versions"));
    let mut operands: Vec<String> = Vec::new();
    let mut db = default_db();
    let mut by = None;
    let mut jargon = Vec::new();
    let mut paths: Vec<PathBuf> = Vec::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--db" => db = args.next().unwrap_or_else(|| usage("--db needs a file or URL")),
            "--by" => {
                by = Some(
                    args.next()
                        .unwrap_or_else(|| usage("--by needs a console account's name")),
                )
            }
            "--jargon" => {
                let path = args
                    .next()
                    .unwrap_or_else(|| usage("--jargon needs a file of words, one a line"));
                let text = std::fs::read_to_string(&path).unwrap_or_else(|e| usage(&format!("{path}: {e}")));
                jargon = survey_collector::config::jargon_words(&text);
            }
            "--surveys" => paths.push(PathBuf::from(
                args.next().unwrap_or_else(|| usage("--surveys needs a folder or file")),
            )),
            other if other.starts_with("--") => usage(&format!("unknown option {other}")),
            _ => operands.push(arg),
        }
    }
    match (action.as_str(), operands.as_slice()) {
        ("publish", [file]) => {
            let by = by.unwrap_or_else(|| usage("survey publish needs --by NAME, the console account publishing it"));
            let body = std::fs::read_to_string(file).unwrap_or_else(|e| fail(&format!("{file}: {e}")));
            let mut config = Config {
                jargon: std::mem::take(&mut jargon),
                ..Config::default()
            };
            if !paths.is_empty() {
                let paths: Vec<&std::path::Path> = paths.iter().map(PathBuf::as_path).collect();
                config.surveys = Surveys::load(&paths).unwrap_or_else(|e| usage(&e.to_string()));
            }
            let collector = Collector::open(&db, config)
                .await
                .unwrap_or_else(|e| fail(&e.to_string()));
            match collector.store().user_hash(by.clone()).await {
                Ok(Some(_)) => {}
                Ok(None) => fail(&format!(
                    "{by} is not a console account (survey-collector user add {by})"
                )),
                Err(e) => fail(&e.to_string()),
            }
            match survey_collector::publishing::publish(&collector, &body, None, &by, false).await {
                Ok((review, new)) => {
                    let (id, version) = (review.survey_id.unwrap_or_default(), review.version.unwrap_or_default());
                    for (path, advice) in &review.advice {
                        eprintln!("{file}: advice: {path}: {advice}");
                    }
                    if review.changes.splits() {
                        eprintln!(
                            "{file}: this version splits the export's columns: ending {}; starting {}",
                            review.changes.ending.join(", "),
                            review.changes.starting.join(", ")
                        );
                    }
                    if new {
                        println!("published {id} version {version} by {by}");
                    } else {
                        println!("{id} version {version} is already published exactly so; nothing changed");
                    }
                }
                Err(survey_collector::publishing::Refused::Problems(review)) => {
                    for p in &review.problems {
                        eprintln!("{file}: {p}");
                    }
                    fail(&format!("{file} was not published"));
                }
                Err(e) => fail(&format!("{file}: {e}")),
            }
        }
        ("versions", [id]) => {
            let store = store::open(&db).await.unwrap_or_else(|e| fail(&e.to_string()));
            let versions = store
                .published(Some(id.clone()))
                .await
                .unwrap_or_else(|e| fail(&e.to_string()));
            for v in &versions {
                println!("{}\t{}\t{}", v.version, v.published_at, v.published_by);
            }
            if let Ok(Some(d)) = store.draft(id.clone()).await {
                println!("draft\t{}\t{}", d.updated_at, d.updated_by);
            }
        }
        ("import", [file]) => {
            let book = sheets::read(std::path::Path::new(file)).unwrap_or_else(|e| fail(&format!("{file}: {e}")));
            let imported = from_workbook(&book).unwrap_or_else(|e| fail(&format!("{file}: {e}")));
            let text = serde_json::to_string_pretty(&imported.survey).unwrap_or_else(|e| fail(&e.to_string()));
            println!("{text}");
            for l in &imported.left_out {
                eprintln!("{file}: {} sheet, row {}: {}", l.sheet, l.row, l.reason);
            }
            if let Err(problems) = load_survey_value(&imported.survey) {
                for p in &problems.0 {
                    eprintln!("{file}: {p}");
                }
                std::process::exit(3);
            }
        }
        ("export", [survey, file]) => {
            let text = std::fs::read_to_string(survey).unwrap_or_else(|e| fail(&format!("{survey}: {e}")));
            let value = json::parse(&text).unwrap_or_else(|e| fail(&format!("{survey}: {e}")));
            if let Err(problems) = load_survey_value(&value) {
                for p in &problems.0 {
                    eprintln!("{survey}: {p}");
                }
                fail(&format!(
                    "{survey} does not load as a survey; mend it before writing a spreadsheet"
                ));
            }
            sheets::write(&to_workbook(&value), std::path::Path::new(file))
                .unwrap_or_else(|e| fail(&format!("{file}: {e}")));
        }
        ("publish", _) => usage("survey publish needs one FILE and --by NAME"),
        ("versions", _) => usage("survey versions needs a survey ID"),
        ("import", _) => usage("survey import needs one FILE"),
        ("export", _) => usage("survey export needs SURVEY.json and FILE.xlsx or FILE.csv"),
        (other, _) => usage(&format!("unknown survey action {other}")),
    }
}

/// `token add|revoke|list`.
async fn token(mut args: impl Iterator<Item = String>) {
    let action = args.next().unwrap_or_else(|| usage("token needs add, revoke or list"));
    let mut db = default_db();
    let mut name = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--db" => db = args.next().unwrap_or_else(|| usage("--db needs a file or URL")),
            "--name" => name = Some(args.next().unwrap_or_else(|| usage("--name needs a name"))),
            other if !other.starts_with('-') && name.is_none() => name = Some(other.to_owned()),
            other => usage(&format!("unknown option {other}")),
        }
    }
    let store = store::open(&db).await.unwrap_or_else(|e| fail(&e.to_string()));
    match action.as_str() {
        "add" => {
            let name = name.unwrap_or_else(|| usage("token add needs --name NAME"));
            if !is_token_name(&name) {
                usage("a token name is 1-64 letters, digits, '-', '_' or '.'");
            }
            let secret = new_secret().unwrap_or_else(|e| fail(&format!("no random bytes from the system: {e}")));
            store
                .add_token(name.clone(), digest(&secret))
                .await
                .unwrap_or_else(|e| fail(&e.to_string()));
            eprintln!("survey-collector: token {name} made; it is shown once, here, and only its digest is kept:");
            println!("{secret}");
        }
        "revoke" => {
            let name = name.unwrap_or_else(|| usage("token revoke needs a NAME"));
            match store.revoke_token(name.clone()).await {
                Ok(true) => eprintln!("survey-collector: token {name} revoked"),
                Ok(false) => fail(&format!("there is no live token named {name}")),
                Err(e) => fail(&e.to_string()),
            }
        }
        "list" => {
            let tokens = store.tokens().await.unwrap_or_else(|e| fail(&e.to_string()));
            for t in tokens {
                let state = t
                    .revoked_at
                    .map_or_else(|| "live".to_owned(), |at| format!("revoked {at}"));
                println!("{}\tmade {}\t{state}", t.name, t.created_at);
            }
        }
        other => usage(&format!("unknown token action {other}")),
    }
}

/// Reads a new password: twice without echo at a terminal, else one line of standard input.
fn read_password() -> String {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("New password: ").unwrap_or_else(|e| fail(&e.to_string()));
        let again = rpassword::prompt_password("The same password again: ").unwrap_or_else(|e| fail(&e.to_string()));
        if first != again {
            fail("the two passwords are not the same");
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .unwrap_or_else(|e| fail(&format!("cannot read the password: {e}")));
        line.trim_end_matches(['\r', '\n']).to_owned()
    }
}

/// `user add|password|remove|list`.
async fn user(mut args: impl Iterator<Item = String>) {
    let action = args
        .next()
        .unwrap_or_else(|| usage("user needs add, password, remove or list"));
    let mut db = default_db();
    let mut name = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--db" => db = args.next().unwrap_or_else(|| usage("--db needs a file or URL")),
            other if !other.starts_with('-') && name.is_none() => name = Some(other.to_owned()),
            other => usage(&format!("unknown option {other}")),
        }
    }
    let store = store::open(&db).await.unwrap_or_else(|e| fail(&e.to_string()));
    let named = |name: Option<String>| {
        let name = name.unwrap_or_else(|| usage(&format!("user {action} needs a NAME")));
        if !is_user_name(&name) {
            usage("an account name is 1-64 letters, digits, '.', '_', '-' or '@'");
        }
        name
    };
    match action.as_str() {
        "add" | "password" => {
            let name = named(name);
            let password = read_password();
            if password.chars().count() < MIN_PASSWORD_CHARS {
                fail(&format!(
                    "a password needs at least {MIN_PASSWORD_CHARS} characters (three random words are a good one)"
                ));
            }
            let hash = hash_password(&password).unwrap_or_else(|e| fail(&e.to_string()));
            match store.set_user(name.clone(), hash, action == "add").await {
                Ok(true) if action == "add" => {
                    eprintln!("survey-collector: account {name} made; it can sign in at /console")
                }
                Ok(true) => eprintln!("survey-collector: new password set for {name}; its sessions have ended"),
                Ok(false) => fail(&format!("there is no account named {name}")),
                Err(e) => fail(&e.to_string()),
            }
        }
        "remove" => {
            let name = named(name);
            match store.remove_user(name.clone()).await {
                Ok(true) => eprintln!("survey-collector: account {name} removed and signed out"),
                Ok(false) => fail(&format!("there is no account named {name}")),
                Err(e) => fail(&e.to_string()),
            }
        }
        "list" => {
            for name in store.users().await.unwrap_or_else(|e| fail(&e.to_string())) {
                println!("{name}");
            }
        }
        other => usage(&format!("unknown user action {other}")),
    }
}

/// `import FILE`: an event export from a device that never reached the collector.
async fn import(mut args: impl Iterator<Item = String>) {
    let mut db = default_db();
    let mut file = None;
    let mut survey_paths: Vec<PathBuf> = Vec::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--db" => db = args.next().unwrap_or_else(|| usage("--db needs a file or URL")),
            "--surveys" => survey_paths.push(PathBuf::from(
                args.next().unwrap_or_else(|| usage("--surveys needs a folder or file")),
            )),
            other if !other.starts_with('-') && file.is_none() => file = Some(PathBuf::from(other)),
            other => usage(&format!("unknown option {other}")),
        }
    }
    let file = file.unwrap_or_else(|| usage("import needs the export FILE"));
    let text = survey_collector::import::read_file(&file).unwrap_or_else(|e| fail(&format!("{}: {e}", file.display())));
    let paths: Vec<&std::path::Path> = survey_paths.iter().map(PathBuf::as_path).collect();
    let surveys = if paths.is_empty() {
        Surveys::default()
    } else {
        Surveys::load(&paths).unwrap_or_else(|e| usage(&e.to_string()))
    };
    let store = store::open(&db).await.unwrap_or_else(|e| fail(&e.to_string()));
    let report = survey_collector::import::import(store.as_ref(), &surveys, &text)
        .await
        .unwrap_or_else(|e| fail(&format!("{}: {e}", file.display())));
    for (id, problems) in &report.refused {
        eprintln!("survey-collector: refused {id}: {}", problems.join("; "));
    }
    for id in &report.conflict {
        eprintln!("survey-collector: {id} is already stored with different answers; kept the stored one");
    }
    if !report.stored {
        eprintln!("survey-collector: nothing was imported: a file is taken whole or not at all");
    }
    // Scripts read this line.
    println!(
        "imported {} new, {} already stored, {} conflicting, {} refused",
        report.new,
        report.repeat,
        report.conflict.len(),
        report.refused.len()
    );
    if !report.refused.is_empty() || !report.conflict.is_empty() {
        std::process::exit(1);
    }
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1).peekable();
    if args.peek().map(String::as_str) == Some("token") {
        args.next();
        token(args).await;
        return;
    }
    if args.peek().map(String::as_str) == Some("user") {
        args.next();
        user(args).await;
        return;
    }
    if args.peek().map(String::as_str) == Some("survey") {
        args.next();
        survey(args).await;
        return;
    }
    if args.peek().map(String::as_str) == Some("import") {
        args.next();
        import(args).await;
        return;
    }
    if args.peek().map(String::as_str) == Some("serve") {
        args.next();
    }
    let mut port: u16 = 8787;
    let mut public_url: Option<String> = None;
    let mut db = default_db();
    let mut survey_paths: Vec<PathBuf> = Vec::new();
    let mut config = Config {
        faults: Faults {
            retry_after_secs: 1,
            seed: 1,
            ..Faults::default()
        },
        ..Config::default()
    };
    while let Some(flag) = args.next() {
        let limits = &mut config.limits;
        match flag.as_str() {
            "--port" => port = number(&flag, args.next()),
            "--db" => db = args.next().unwrap_or_else(|| usage("--db needs a file or URL")),
            "--origin" => config
                .origins
                .push(args.next().unwrap_or_else(|| usage("--origin needs a URL"))),
            "--surveys" => survey_paths.push(PathBuf::from(
                args.next().unwrap_or_else(|| usage("--surveys needs a folder or file")),
            )),
            "--max-body-bytes" => limits.max_body_bytes = number(&flag, args.next()),
            "--header-timeout-ms" => limits.header_timeout = Duration::from_millis(number(&flag, args.next())),
            "--body-timeout-ms" => limits.body_timeout = Duration::from_millis(number(&flag, args.next())),
            "--max-connections" => limits.max_connections = number(&flag, args.next()),
            "--max-requests" => limits.max_requests = number(&flag, args.next()),
            "--retry-after" => limits.retry_after_secs = number(&flag, args.next()),
            "--fault-fail" => config.faults.fail = number(&flag, args.next()),
            "--fault-drop" => config.faults.drop = number(&flag, args.next()),
            "--fault-hang" => config.faults.hang = number(&flag, args.next()),
            "--fault-delay-ms" => config.faults.delay = Duration::from_millis(number(&flag, args.next())),
            "--fault-retry-after" => config.faults.retry_after_secs = number(&flag, args.next()),
            "--fault-seed" => config.faults.seed = number(&flag, args.next()),
            "--threshold" => config.threshold = number::<u64>(&flag, args.next()).max(1),
            "--publisher" => config.publisher = args.next().unwrap_or_else(|| usage("--publisher needs a name")),
            "--lookups-per-minute" => config.lookups_per_minute = number(&flag, args.next()),
            "--trusted-proxy" => config.trusted_proxies.push(
                args.next()
                    .and_then(|a| a.parse().ok())
                    .unwrap_or_else(|| usage("--trusted-proxy needs an IP address, e.g. 127.0.0.1")),
            ),
            "--insecure-cookies" => config.insecure_cookies = true,
            "--jargon" => {
                let path = args
                    .next()
                    .unwrap_or_else(|| usage("--jargon needs a file of words, one a line"));
                let text = std::fs::read_to_string(&path).unwrap_or_else(|e| usage(&format!("{path}: {e}")));
                config.jargon = survey_collector::config::jargon_words(&text);
            }
            "--public-url" => {
                let url = args.next().unwrap_or_default();
                if !survey_collector::config::is_public_url(&url) {
                    usage("--public-url needs the collector's public address, e.g. https://collect.council.gov.uk (no trailing slash)");
                }
                public_url = Some(url);
            }
            "--help" | "-h" => {
                println!("the reference collector for the survey widget\n{USAGE}");
                return;
            }
            other => usage(&format!("unknown option {other}")),
        }
    }
    if !survey_paths.is_empty() {
        let paths: Vec<&std::path::Path> = survey_paths.iter().map(PathBuf::as_path).collect();
        config.surveys = Surveys::load(&paths).unwrap_or_else(|e| usage(&e.to_string()));
        for (id, versions) in config.surveys.list() {
            eprintln!(
                "survey-collector: taking responses for {id} (versions {})",
                versions.join(", ")
            );
        }
    }
    config.public_url = public_url.unwrap_or_else(|| {
        let local = format!("http://127.0.0.1:{port}");
        eprintln!(
            "survey-collector: the Atom feed's links use {local}; set --public-url to the address the public reaches this collector at"
        );
        local
    });
    let collector = Collector::open(&db, config)
        .await
        .unwrap_or_else(|e| fail(&e.to_string()));
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .unwrap_or_else(|e| fail(&format!("cannot listen on {addr}: {e}")));
    let bound = listener
        .local_addr()
        .map_or_else(|_| addr.to_string(), |a| a.to_string());
    // Tests and scripts read this line to find the port.
    println!(
        "survey-collector listening on http://{bound} ({} store)",
        collector.store().kind()
    );
    serve(listener, collector).await;
}

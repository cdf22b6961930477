//! Issue #10: an event export from a tablet that never got a signal is imported once and only
//! once, through the command line, however often it is imported and whether or not its
//! responses were also sent online.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::{json, Value};
use support::{built_in_surveys, post, response, start_on, ScratchDir};
use survey_collector::Config;
use survey_widget::core::analysis::csv::{export_file, Manifest};
use survey_widget::core::delivery::protocol::request_body;
use survey_widget::core::respond::context::Context;

fn context() -> Context {
    Context {
        event: "Carers' café, Penrith library".into(),
        event_id: "0123456789abcdef".into(),
        device: "device-K7QM".into(),
        incomplete: false,
    }
}

fn export(bodies: &[Value]) -> String {
    let manifest = Manifest {
        event: context().event,
        event_id: context().event_id,
        device: context().device,
        exported_at: "2026-12-02T15:00:00.000Z".into(),
        responses: 0,
        received: 0,
        incomplete: 0,
        sha256: String::new(),
    };
    export_file(manifest, bodies).0
}

fn cli(db: &str, args: &[&str]) -> (bool, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_survey-collector"))
        .args(args)
        .args(["--db", db])
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn an_export_imported_twice_and_also_sent_online_stores_each_response_once() {
    let dir = ScratchDir::new();
    let db = dir.db();
    let mut responses: Vec<_> = (1..=3)
        .map(|n| {
            let mut r = response(n, json!({ "want-bigger-say": "yes" }));
            r.context = Some(Context {
                incomplete: n == 3,
                ..context()
            });
            r
        })
        .collect();
    // The first was sent online before the tablet lost its signal.
    let c = start_on(&db, Config::default()).await;
    assert_eq!(post(c.addr, &responses[0]).await.unwrap().status, 200);
    let bodies: Vec<Value> = responses.iter().map(request_body).collect();
    let file = dir.0.join("event.json");
    std::fs::write(&file, export(&bodies)).unwrap();
    let path = file.to_str().unwrap();
    let surveys = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/surveys");
    let surveys = surveys.to_str().unwrap();

    let (ok, out, err) = cli(&db, &["import", path, "--surveys", surveys]);
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "imported 2 new, 1 already stored, 0 conflicting, 0 refused");
    let (ok, out, _) = cli(&db, &["import", path]);
    assert!(ok);
    assert_eq!(out.trim(), "imported 0 new, 3 already stored, 0 conflicting, 0 refused");
    assert_eq!(c.count().await, 3);

    // The CSV names the event and device, and flags the incomplete one.
    let csv = c.get("/surveys/co-production/responses.csv").await.body;
    let header = csv.lines().next().unwrap();
    assert!(header.contains("receivedAt,event,device,incomplete,"), "{header}");
    assert_eq!(
        csv.matches(",\"Carers' café, Penrith library\",device-K7QM,").count(),
        3,
        "{csv}"
    );
    assert_eq!(csv.matches(",device-K7QM,yes,").count(), 1, "{csv}");

    // A changed answer under a stored id is a conflict, reported, and the file (with a new
    // response beside it) is not stored at all (issue #21: all or nothing).
    responses[1].answers.insert("want-bigger-say".into(), json!("no"));
    let mut changed: Vec<Value> = responses.iter().map(request_body).collect();
    changed.push(request_body(&response(9, json!({ "want-bigger-say": "yes" }))));
    std::fs::write(&file, export(&changed)).unwrap();
    let (ok, out, err) = cli(&db, &["import", path]);
    assert!(!ok, "a conflict fails the command");
    assert_eq!(out.trim(), "imported 1 new, 2 already stored, 1 conflicting, 0 refused");
    assert!(err.contains(&responses[1].response_id), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(c.count().await, 3, "the new response was not stored either");
    drop(built_in_surveys());
}

#[tokio::test]
async fn a_damaged_file_stores_nothing_and_a_bad_response_is_refused_with_its_reason() {
    let dir = ScratchDir::new();
    let db = dir.db();
    let r = response(1, json!({ "want-bigger-say": "yes" }));
    let good = export(&[request_body(&r)]);
    let file = dir.0.join("event.json");
    std::fs::write(&file, good.replace("\"yes\"", "\"no\"")).unwrap();
    let path = file.to_str().unwrap();
    let (ok, _, err) = cli(&db, &["import", path]);
    assert!(!ok);
    assert!(err.contains("SHA-256"), "{err}");
    std::fs::write(&file, "not json").unwrap();
    let (ok, _, err) = cli(&db, &["import", path]);
    assert!(!ok && err.contains("not a survey widget event export"), "{err}");

    let mut hostile = request_body(&response(2, json!({})));
    hostile["context"] = json!({ "event": 5 });
    let unknown = request_body(&response(3, json!({ "no-such-question": "x" })));
    std::fs::write(&file, export(&[request_body(&r), hostile, unknown])).unwrap();
    let surveys = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/surveys");
    let (ok, out, err) = cli(&db, &["import", path, "--surveys", surveys.to_str().unwrap()]);
    assert!(!ok);
    // Issue #21: the valid response is not stored beside the refused ones.
    assert_eq!(out.trim(), "imported 0 new, 0 already stored, 0 conflicting, 2 refused");
    assert!(err.contains("`context.event` must be a string"), "{err}");
    assert!(err.contains("no such question"), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    let c = start_on(&db, Config::default()).await;
    assert_eq!(c.count().await, 0);
    // The valid response alone then imports.
    std::fs::write(&file, &good).unwrap();
    let (ok, out, _) = cli(&db, &["import", path]);
    assert!(ok);
    assert_eq!(out.trim(), "imported 1 new, 0 already stored, 0 conflicting, 0 refused");
}

/// Issue #21: `import /dev/zero` ran out of memory.
#[test]
fn an_endless_or_huge_file_is_refused_before_it_fills_memory() {
    let dir = ScratchDir::new();
    let (ok, out, err) = cli(&dir.db(), &["import", "/dev/zero"]);
    assert!(!ok);
    assert!(err.contains("larger than 64 MiB"), "{err}");
    assert!(out.is_empty());
}

//! The store contract, run against SQLite and a real PostgreSQL (which
//! `scripts/with-postgres.sh` starts; these tests fail, never skip, without it): exactly once
//! under concurrency, conflicts, tokens, streamed rows, migrations, and two collector
//! instances sharing one PostgreSQL database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::json;
use std::collections::BTreeSet;
use support::*;
use survey_collector::store::{self, Inserted, NewResponse, Published, PublishedVersion, Store};
use survey_collector::Config;
use survey_widget::core::delivery::protocol::request_body;

fn new_response(n: u32, answer: &str) -> NewResponse {
    let r = response(n, json!({ "q": answer }));
    NewResponse {
        response_id: r.response_id.clone(),
        survey_id: "co-production".into(),
        survey_version: if n % 2 == 0 { "2026-11" } else { "2025-01" }.into(),
        reference: Some(r.reference.clone()),
        body: request_body(&r).to_string(),
    }
}

/// Everything a store must do, on the store `db` names.
async fn contract(db: &str) {
    let opened = store::open(db).await.unwrap();
    let store: std::sync::Arc<dyn Store> = std::sync::Arc::from(opened);
    // 40 tasks race to store the same 10 responses: each is new exactly once.
    let mut tasks = Vec::new();
    for t in 0..40u32 {
        let store = std::sync::Arc::clone(&store);
        tasks.push(tokio::spawn(async move {
            store.insert(new_response(t % 10, "a")).await.unwrap()
        }));
    }
    let mut outcomes = Vec::new();
    for t in tasks {
        outcomes.push(t.await.unwrap());
    }
    assert_eq!(outcomes.iter().filter(|o| **o == Inserted::New).count(), 10);
    assert_eq!(outcomes.iter().filter(|o| **o == Inserted::Repeat).count(), 30);
    assert_eq!(store.count().await.unwrap(), 10);
    // A different body under a known id is a conflict, and changes nothing.
    assert_eq!(
        store.insert(new_response(3, "changed")).await.unwrap(),
        Inserted::Conflict
    );
    let mut rows = store.rows("co-production".into(), None).await.unwrap();
    let mut bodies = Vec::new();
    while let Some(row) = rows.recv().await {
        let row = row.unwrap();
        assert!(
            row.received_at.ends_with('Z') && row.received_at.len() == 24,
            "{}",
            row.received_at
        );
        bodies.push(row.body);
    }
    assert_eq!(bodies.len(), 10);
    assert!(bodies.iter().all(|b| !b.contains("changed")));
    let versions: BTreeSet<String> = store
        .versions("co-production".into())
        .await
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(versions, BTreeSet::from(["2025-01".to_owned(), "2026-11".to_owned()]));
    let mut old = store
        .rows("co-production".into(), Some("2025-01".into()))
        .await
        .unwrap();
    let mut n = 0;
    while let Some(row) = old.recv().await {
        row.unwrap();
        n += 1;
    }
    assert_eq!(n, 5);
    // Tokens: one live token per name, revocable, looked up by digest only while live.
    store.add_token("powerbi".into(), "d1".into()).await.unwrap();
    assert!(store.add_token("powerbi".into(), "d2".into()).await.is_err());
    assert_eq!(store.token_name("d1".into()).await.unwrap().as_deref(), Some("powerbi"));
    assert!(store.revoke_token("powerbi".into()).await.unwrap());
    assert!(!store.revoke_token("powerbi".into()).await.unwrap());
    assert_eq!(store.token_name("d1".into()).await.unwrap(), None);
    store.add_token("powerbi".into(), "d3".into()).await.unwrap();
    let tokens = store.tokens().await.unwrap();
    assert_eq!(tokens.len(), 2);
    assert!(tokens[0].revoked_at.is_some() && tokens[1].revoked_at.is_none());
    // Accounts and sessions (issue #12): one account per name; a new password ends its
    // sessions; a session is found only until it expires.
    assert!(store.set_user("ann".into(), "h1".into(), true).await.unwrap());
    assert!(matches!(
        store.set_user("ann".into(), "h2".into(), true).await,
        Err(survey_collector::store::StoreError::UserExists(_))
    ));
    assert_eq!(store.user_hash("ann".into()).await.unwrap().as_deref(), Some("h1"));
    assert_eq!(store.user_hash("bob".into()).await.unwrap(), None);
    store
        .add_session("s1".into(), "ann".into(), "c1".into(), 2_000)
        .await
        .unwrap();
    let live = store.session("s1".into(), 1_999).await.unwrap().unwrap();
    assert_eq!((live.user.as_str(), live.csrf.as_str()), ("ann", "c1"));
    assert_eq!(store.session("s1".into(), 2_000).await.unwrap(), None, "expired");
    assert!(store.set_user("ann".into(), "h2".into(), false).await.unwrap());
    assert_eq!(
        store.session("s1".into(), 0).await.unwrap(),
        None,
        "a new password ends sessions"
    );
    assert!(!store.set_user("bob".into(), "h".into(), false).await.unwrap());
    store
        .add_session("s2".into(), "ann".into(), "c2".into(), 2_000)
        .await
        .unwrap();
    store.end_session("s2".into(), 0).await.unwrap();
    assert_eq!(store.session("s2".into(), 0).await.unwrap(), None);
    store
        .add_session("s3".into(), "ann".into(), "c3".into(), 2_000)
        .await
        .unwrap();
    assert_eq!(store.users().await.unwrap(), ["ann"]);
    assert!(store.remove_user("ann".into()).await.unwrap());
    assert_eq!(
        store.session("s3".into(), 0).await.unwrap(),
        None,
        "removing an account signs it out"
    );
    assert!(!store.remove_user("ann".into()).await.unwrap());
    // Outcomes and their audit trail, newest first.
    assert_eq!(store.outcomes("co-production".into()).await.unwrap(), None);
    store
        .save_outcomes(
            "co-production".into(),
            "{\"status\":\"open\"}".into(),
            "ann".into(),
            "Record started".into(),
        )
        .await
        .unwrap();
    store
        .save_outcomes(
            "co-production".into(),
            "{\"status\":\"analysing\"}".into(),
            "bob".into(),
            "Status changed".into(),
        )
        .await
        .unwrap();
    let saved = store.outcomes("co-production".into()).await.unwrap().unwrap();
    assert_eq!(
        (saved.body.as_str(), saved.updated_by.as_str()),
        ("{\"status\":\"analysing\"}", "bob")
    );
    assert!(
        saved.updated_at.ends_with('Z') && saved.updated_at.len() == 24,
        "{}",
        saved.updated_at
    );
    let history = store.history("co-production".into()).await.unwrap();
    let summaries: Vec<(&str, &str)> = history.iter().map(|h| (h.user.as_str(), h.summary.as_str())).collect();
    assert_eq!(summaries, [("bob", "Status changed"), ("ann", "Record started")]);
    assert_eq!(history[0].at, saved.updated_at);
    assert_eq!(
        history[0].body, "{\"status\":\"analysing\"}",
        "each change keeps its record"
    );
    assert!(store.history("other".into()).await.unwrap().is_empty());
    // Counts per survey, and the response a reference code was given to.
    let surveys = store.surveys().await.unwrap();
    assert_eq!(surveys.len(), 1);
    assert_eq!(
        (surveys[0].survey_id.as_str(), surveys[0].responses),
        ("co-production", 10)
    );
    assert!(surveys[0].latest.ends_with('Z'));
    let found = store.find_reference("KX7P-3M4Q".into()).await.unwrap().unwrap();
    assert_eq!(found.survey_id, "co-production");
    assert_eq!(store.find_reference("KX7P-3M4R".into()).await.unwrap(), None);
    // Rows say their id and version, and can be read from a point in time on (issue #21).
    let mut all = store.rows("co-production".into(), None).await.unwrap();
    let mut stamps = Vec::new();
    while let Some(row) = all.recv().await {
        let row = row.unwrap();
        assert!(row.response_id.starts_with("6f1d2a9e-") && !row.survey_version.is_empty());
        stamps.push(row.received_at);
    }
    let since = stamps[5].clone();
    let mut later = store.rows_since("co-production".into(), since.clone()).await.unwrap();
    let mut n = 0;
    while let Some(row) = later.recv().await {
        assert!(row.unwrap().received_at >= since);
        n += 1;
    }
    assert_eq!(n, stamps.iter().filter(|s| **s >= since).count());
    // Several responses in one transaction, all or nothing (issue #21: imports).
    let outcomes = store
        .insert_all(vec![new_response(20, "a"), new_response(1, "a")])
        .await
        .unwrap();
    assert_eq!(outcomes, [Inserted::New, Inserted::Repeat]);
    assert_eq!(store.count().await.unwrap(), 11);
    let outcomes = store
        .insert_all(vec![new_response(21, "a"), new_response(2, "changed")])
        .await
        .unwrap();
    assert_eq!(outcomes, [Inserted::New, Inserted::Conflict]);
    assert_eq!(store.count().await.unwrap(), 11, "a conflict stores none of them");
    store.ping().await.unwrap();
    surveys_contract(&*store).await;
    drop(store);
    // Opening again applies no migration twice and keeps everything.
    let again = store::open(db).await.unwrap();
    assert_eq!(again.count().await.unwrap(), 11);
    assert_eq!(again.published(None).await.unwrap().len(), 3);
}

/// Issue #25: published versions never change, a survey has at most one draft, and
/// publishing the draft discards it in the same transaction.
async fn surveys_contract(store: &dyn Store) {
    let version = |survey: &str, v: &str, body: &str| PublishedVersion {
        survey_id: survey.into(),
        version: v.into(),
        body: body.into(),
        published_at: String::new(),
        published_by: "ann".into(),
    };
    assert!(store.published(None).await.unwrap().is_empty());
    assert_eq!(store.draft("s".into()).await.unwrap(), None);
    store
        .save_draft("s".into(), "{draft 1}".into(), "ann".into())
        .await
        .unwrap();
    store
        .save_draft("s".into(), "{draft 2}".into(), "bob".into())
        .await
        .unwrap();
    let draft = store.draft("s".into()).await.unwrap().unwrap();
    assert_eq!((draft.body.as_str(), draft.updated_by.as_str()), ("{draft 2}", "bob"));
    assert!(draft.updated_at.ends_with('Z'), "{}", draft.updated_at);
    assert_eq!(store.drafts().await.unwrap(), ["s"]);
    // Publishing from a file keeps the draft; publishing the draft ends it.
    assert_eq!(
        store.publish(version("s", "1", "{one}"), false).await.unwrap(),
        Published::New
    );
    assert!(store.draft("s".into()).await.unwrap().is_some());
    assert_eq!(
        store.publish(version("s", "2", "{two}"), true).await.unwrap(),
        Published::New
    );
    assert_eq!(store.draft("s".into()).await.unwrap(), None);
    // The same version again: the same body changes nothing, another is refused.
    assert_eq!(
        store.publish(version("s", "1", "{one}"), false).await.unwrap(),
        Published::Same
    );
    assert_eq!(
        store.publish(version("s", "1", "{changed}"), true).await.unwrap(),
        Published::Conflict
    );
    assert_eq!(
        store.publish(version("t", "1", "{t}"), false).await.unwrap(),
        Published::New
    );
    let s = store.published(Some("s".into())).await.unwrap();
    let shown: Vec<(&str, &str, &str)> = s
        .iter()
        .map(|v| (v.version.as_str(), v.body.as_str(), v.published_by.as_str()))
        .collect();
    assert_eq!(shown, [("1", "{one}", "ann"), ("2", "{two}", "ann")]);
    assert!(s[0].published_at <= s[1].published_at && s[1].published_at.ends_with('Z'));
    assert_eq!(store.published(None).await.unwrap().len(), 3);
    store
        .save_draft("s".into(), "{draft 3}".into(), "ann".into())
        .await
        .unwrap();
    assert!(store.discard_draft("s".into()).await.unwrap());
    assert!(!store.discard_draft("s".into()).await.unwrap());
    assert!(store.drafts().await.unwrap().is_empty());
}

#[tokio::test]
async fn sqlite_keeps_the_store_contract() {
    let dir = ScratchDir::new();
    contract(&dir.db()).await;
}

#[tokio::test]
async fn postgres_keeps_the_store_contract() {
    contract(&postgres_db().await).await;
}

#[tokio::test]
async fn a_sqlite_file_from_before_migrations_is_taken_up() {
    let dir = ScratchDir::new();
    let db = rusqlite::Connection::open(dir.db()).unwrap();
    db.execute_batch(
        "CREATE TABLE responses (response_id TEXT PRIMARY KEY, survey_id TEXT NOT NULL,
             survey_version TEXT NOT NULL, received_at TEXT NOT NULL, body TEXT NOT NULL);
         INSERT INTO responses VALUES ('6f1d2a9e-0c3b-4d5e-8f7a-000000000001', 's', '1', '2026-11-01T00:00:00.000Z', '{}');",
    )
    .unwrap();
    drop(db);
    let store = store::open(&dir.db()).await.unwrap();
    assert_eq!(store.count().await.unwrap(), 1);
    store.add_token("t".into(), "d".into()).await.unwrap();
    // A file from a newer collector is refused rather than misread.
    drop(store);
    let db = rusqlite::Connection::open(dir.db()).unwrap();
    db.pragma_update(None, "user_version", 99).unwrap();
    drop(db);
    let refused = store::open(&dir.db()).await.err().unwrap().to_string();
    assert!(refused.contains("newer"), "{refused}");
}

/// Two collector instances on one PostgreSQL database, posted the same responses at the same
/// time: every post is acknowledged and every response is stored once.
#[tokio::test]
async fn two_instances_on_one_postgres_store_each_response_once() {
    let db = postgres_db().await;
    let (a, b) = (
        start_on(&db, Config::default()).await,
        start_on(&db, Config::default()).await,
    );
    let mut posts = Vec::new();
    for i in 0..200u32 {
        let addr = if i % 2 == 0 { a.addr } else { b.addr };
        posts.push(tokio::spawn(async move {
            post(addr, &response(1000 + i % 50, json!({ "q": "same" })))
                .await
                .unwrap()
                .status
        }));
    }
    for p in posts {
        assert_eq!(p.await.unwrap(), 200);
    }
    assert_eq!((a.count().await, b.count().await), (50, 50));
    let csv = b.get("/surveys/co-production/responses.csv").await.body;
    assert_eq!(csv.lines().count(), 51);
}

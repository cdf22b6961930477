//! In-browser tests of the IndexedDB adapter (issue #3): the schema upgrade path with data
//! present, one-transaction writes, and that a completed response cannot be overwritten.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use survey_widget::core::device::{DB_VERSION, DRAFTS, EVENTS, OUTBOX, RECEIPTS, RESPONSES};
use survey_widget::platform::idb::{self, Key, Op, StoreError};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A database name no other test uses.
fn fresh_name(what: &str) -> String {
    format!("survey-widget-test-{what}-{}", js_sys::Math::random())
}

fn store_names(db: &web_sys::IdbDatabase) -> Vec<String> {
    let list = db.object_store_names();
    (0..list.length()).filter_map(|i| list.item(i)).collect()
}

const DRAFT: &str = r#"{"surveyId":"s","surveyVersion":"1","session":{"answers":{"q":{"kind":"text","value":"kept"}},"screen":{"screen":"page","index":0},"returningToCheck":false,"startedAt":1},"savedAt":2}"#;
const RESPONSE: &str = r#"{"responseId":"r1","reference":"KX7P-3M4Q","surveyId":"s","surveyVersion":"1","startedAt":1,"completedAt":2,"answers":{"q":"kept"}}"#;
const ENTRY: &str = r#"{"responseId":"r1","reference":"KX7P-3M4Q","surveyId":"s","queuedAt":2,"attempts":0}"#;

#[wasm_bindgen_test]
async fn upgrading_from_version_one_keeps_every_record() {
    let name = fresh_name("upgrade");
    let v1 = idb::open_version(&name, 1).await.unwrap();
    assert_eq!(store_names(&v1), [DRAFTS, OUTBOX, RESPONSES]);
    let ops = [
        Op::Put(DRAFTS, DRAFT.into()),
        Op::Add(RESPONSES, RESPONSE.into()),
        Op::Put(OUTBOX, ENTRY.into()),
    ];
    idb::write_in(&v1, &ops, true).await.unwrap();
    v1.close();

    let current = idb::open_version(&name, DB_VERSION).await.unwrap();
    assert_eq!(store_names(&current), [DRAFTS, EVENTS, OUTBOX, RECEIPTS, RESPONSES]);
    let json = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap();
    for (store, record) in [(DRAFTS, DRAFT), (RESPONSES, RESPONSE), (OUTBOX, ENTRY)] {
        let rows = idb::get_all_in(&current, store).await.unwrap();
        assert_eq!(rows.len(), 1, "{store}");
        assert_eq!(json(&rows[0]), json(record), "{store}");
    }
    assert!(idb::get_all_in(&current, RECEIPTS).await.unwrap().is_empty());
    current.close();
}

#[wasm_bindgen_test]
async fn a_transaction_applies_all_or_nothing_and_responses_are_never_overwritten() {
    let db = idb::open_version(&fresh_name("atomic"), DB_VERSION).await.unwrap();
    idb::write_in(&db, &[Op::Put(DRAFTS, DRAFT.into())], false)
        .await
        .unwrap();
    let complete = [
        Op::Delete(DRAFTS, Key::Pair("s".into(), "1".into())),
        Op::Add(RESPONSES, RESPONSE.into()),
        Op::Put(OUTBOX, ENTRY.into()),
    ];
    idb::write_in(&db, &complete, true).await.unwrap();
    assert!(idb::get_all_in(&db, DRAFTS).await.unwrap().is_empty());

    // Completing the same response again fails as a whole: the draft put back in between
    // is not deleted, and the stored response is unchanged.
    idb::write_in(&db, &[Op::Put(DRAFTS, DRAFT.into())], false)
        .await
        .unwrap();
    let changed = RESPONSE.replace("kept", "changed");
    let again = [
        Op::Delete(DRAFTS, Key::Pair("s".into(), "1".into())),
        Op::Add(RESPONSES, changed),
    ];
    let err = idb::write_in(&db, &again, true).await.unwrap_err();
    assert!(
        matches!(err, StoreError::Failed(ref m) if m.starts_with("ConstraintError")),
        "{err:?}"
    );
    assert_eq!(idb::get_all_in(&db, DRAFTS).await.unwrap().len(), 1);
    let responses = idb::get_all_in(&db, RESPONSES).await.unwrap();
    assert!(responses[0].contains("kept"));
    db.close();
}

#[wasm_bindgen_test]
async fn the_page_connection_reopens_after_the_browser_closes_it() {
    // Closing it behind the adapter's back is what iOS does to a background tab: calls on
    // it then fail as closed, and the adapter opens a fresh one and carries on.
    idb::write(&[Op::Put(DRAFTS, DRAFT.into())], false).await.unwrap();
    let rows = idb::get_all(DRAFTS).await.unwrap();
    assert!(!rows.is_empty());
    idb::page_connection().await.unwrap().close();
    assert_eq!(idb::get_all(DRAFTS).await.unwrap(), rows);
    idb::page_connection().await.unwrap().close();
    idb::write(&[Op::Delete(DRAFTS, Key::Pair("s".into(), "1".into()))], false)
        .await
        .unwrap();
    assert!(idb::get_all(DRAFTS).await.unwrap().is_empty());
}

//! The default store: one SQLite file in WAL mode with `synchronous = FULL`, so a commit is on
//! disk before the reply. Writes go through one connection in turn; each export reads through
//! its own read-only connection, which WAL lets run beside the writer.
use super::{
    Change, Found, Inserted, NewResponse, Published, PublishedVersion, Rows, SavedDraft, SavedOutcomes, SessionInfo,
    Store, StoreError, StoreFuture, StoredRow, SurveyCount, TokenInfo, ROWS_AHEAD,
};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// Schema migrations, applied in order; `PRAGMA user_version` records how many have run.
/// Version 1 uses `IF NOT EXISTS` because files made before versioning already have it.
const MIGRATIONS: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS responses (
         response_id TEXT PRIMARY KEY,
         survey_id TEXT NOT NULL,
         survey_version TEXT NOT NULL,
         received_at TEXT NOT NULL,
         body TEXT NOT NULL
     );
     CREATE INDEX IF NOT EXISTS responses_by_survey ON responses (survey_id, received_at);",
    "CREATE TABLE tokens (
         id INTEGER PRIMARY KEY,
         name TEXT NOT NULL,
         digest TEXT NOT NULL UNIQUE,
         created_at TEXT NOT NULL,
         revoked_at TEXT
     );
     CREATE UNIQUE INDEX tokens_live_name ON tokens (name) WHERE revoked_at IS NULL;",
    "ALTER TABLE responses ADD COLUMN reference TEXT;
     CREATE INDEX responses_by_reference ON responses (reference) WHERE reference IS NOT NULL;
     CREATE TABLE users (
         name TEXT PRIMARY KEY,
         hash TEXT NOT NULL,
         created_at TEXT NOT NULL
     );
     CREATE TABLE sessions (
         digest TEXT PRIMARY KEY,
         user_name TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
         csrf TEXT NOT NULL,
         expires INTEGER NOT NULL
     );
     CREATE TABLE outcomes (
         survey_id TEXT PRIMARY KEY,
         body TEXT NOT NULL,
         updated_at TEXT NOT NULL,
         updated_by TEXT NOT NULL
     );
     CREATE TABLE outcome_changes (
         id INTEGER PRIMARY KEY,
         survey_id TEXT NOT NULL,
         at TEXT NOT NULL,
         user_name TEXT NOT NULL,
         summary TEXT NOT NULL,
         body TEXT NOT NULL
     );
     CREATE INDEX outcome_changes_by_survey ON outcome_changes (survey_id, id);",
    "CREATE TABLE survey_versions (
         id INTEGER PRIMARY KEY,
         survey_id TEXT NOT NULL,
         version TEXT NOT NULL,
         body TEXT NOT NULL,
         published_at TEXT NOT NULL,
         published_by TEXT NOT NULL,
         UNIQUE (survey_id, version)
     );
     CREATE TABLE survey_drafts (
         survey_id TEXT PRIMARY KEY,
         body TEXT NOT NULL,
         updated_at TEXT NOT NULL,
         updated_by TEXT NOT NULL
     );",
];

const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/// A SQLite file.
pub struct SqliteStore {
    path: PathBuf,
    writer: Arc<Mutex<Connection>>,
}

fn migrate(db: &mut Connection) -> Result<(), StoreError> {
    let applied: i64 = db.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let known = MIGRATIONS.len() as i64;
    if applied > known {
        return Err(StoreError::NewerSchema(applied));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(applied.max(0) as usize) {
        let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// Inserts one response inside an open transaction; see [`Inserted`].
fn insert_in(tx: &rusqlite::Transaction<'_>, r: &NewResponse) -> Result<Inserted, StoreError> {
    let added = tx.execute(
        &format!(
            "INSERT INTO responses (response_id, survey_id, survey_version, received_at, body, reference)
             VALUES (?1, ?2, ?3, {NOW}, ?4, ?5) ON CONFLICT (response_id) DO NOTHING"
        ),
        params![r.response_id, r.survey_id, r.survey_version, r.body, r.reference],
    )?;
    if added == 1 {
        return Ok(Inserted::New);
    }
    let stored: String = tx.query_row(
        "SELECT body FROM responses WHERE response_id = ?1",
        params![r.response_id],
        |row| row.get(0),
    )?;
    Ok(if r.is_same_as(&stored) {
        Inserted::Repeat
    } else {
        Inserted::Conflict
    })
}

impl SqliteStore {
    /// Opens (or creates) the file at `path` and applies the migrations.
    ///
    /// # Errors
    /// When SQLite cannot open, set up or migrate the file.
    pub async fn open(path: &str) -> Result<Self, StoreError> {
        let path = PathBuf::from(path);
        let opened = path.clone();
        let db = tokio::task::spawn_blocking(move || -> Result<Connection, StoreError> {
            let mut db = Connection::open(&opened)?;
            db.busy_timeout(Duration::from_secs(10))?;
            db.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
            migrate(&mut db)?;
            Ok(db)
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))??;
        Ok(Self {
            path,
            writer: Arc::new(Mutex::new(db)),
        })
    }

    /// Streams a survey's rows, of one version or received at or after `since` if given.
    fn rows_where(&self, survey: String, version: Option<String>, since: Option<String>) -> StoreFuture<'_, Rows> {
        let path = self.path.clone();
        Box::pin(async move {
            let (tx, rx) = mpsc::channel(ROWS_AHEAD);
            let (started, start) = oneshot::channel();
            tokio::task::spawn_blocking(move || {
                // Errors before the first row go back through `started`, so the export can
                // still answer 503; later ones travel with the rows.
                let mut started = Some(started);
                let streamed = (|| -> Result<(), StoreError> {
                    let db = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
                    db.busy_timeout(Duration::from_secs(10))?;
                    let mut query = db.prepare(
                        "SELECT received_at, body, response_id, survey_version FROM responses
                         WHERE survey_id = ?1 AND (?2 IS NULL OR survey_version = ?2)
                           AND (?3 IS NULL OR received_at >= ?3)
                         ORDER BY received_at, response_id",
                    )?;
                    let rows = query.query_map(params![survey, version, since], |r| {
                        Ok(StoredRow {
                            received_at: r.get(0)?,
                            body: r.get(1)?,
                            response_id: r.get(2)?,
                            survey_version: r.get(3)?,
                        })
                    })?;
                    if let Some(s) = started.take() {
                        let _ = s.send(Ok(()));
                    }
                    for row in rows {
                        // A closed channel means the client went away: stop reading.
                        if tx.blocking_send(row.map_err(StoreError::from)).is_err() {
                            break;
                        }
                    }
                    Ok(())
                })();
                if let (Err(e), Some(s)) = (streamed, started.take()) {
                    let _ = s.send(Err(e));
                }
            });
            start.await.map_err(|e| StoreError::Task(e.to_string()))??;
            Ok(rx)
        })
    }

    /// Runs `f` on the writing connection on a blocking thread, so the async threads that
    /// serve other requests never wait for the disk.
    fn with_writer<T, F>(&self, f: F) -> StoreFuture<'_, T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let writer = Arc::clone(&self.writer);
        Box::pin(async move {
            tokio::task::spawn_blocking(move || {
                let mut db = writer.lock().unwrap_or_else(|p| p.into_inner());
                f(&mut db)
            })
            .await
            .map_err(|e| StoreError::Task(e.to_string()))?
        })
    }
}

impl Store for SqliteStore {
    fn kind(&self) -> &'static str {
        "sqlite"
    }

    fn insert(&self, r: NewResponse) -> StoreFuture<'_, Inserted> {
        self.with_writer(move |db| {
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let outcome = insert_in(&tx, &r)?;
            tx.commit()?;
            Ok(outcome)
        })
    }

    fn insert_all(&self, responses: Vec<NewResponse>) -> StoreFuture<'_, Vec<Inserted>> {
        self.with_writer(move |db| {
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let outcomes = responses
                .iter()
                .map(|r| insert_in(&tx, r))
                .collect::<Result<Vec<_>, _>>()?;
            // All or nothing: a conflict anywhere leaves the store as it was.
            if outcomes.contains(&Inserted::Conflict) {
                tx.rollback()?;
            } else {
                tx.commit()?;
            }
            Ok(outcomes)
        })
    }

    fn ping(&self) -> StoreFuture<'_, ()> {
        self.with_writer(|db| Ok(db.query_row("SELECT 1", [], |_| Ok(()))?))
    }

    fn count(&self) -> StoreFuture<'_, u64> {
        self.with_writer(|db| Ok(db.query_row("SELECT COUNT(*) FROM responses", [], |r| r.get(0))?))
    }

    fn versions(&self, survey: String) -> StoreFuture<'_, Vec<String>> {
        self.with_writer(move |db| {
            let mut query = db.prepare("SELECT DISTINCT survey_version FROM responses WHERE survey_id = ?1")?;
            let versions = query
                .query_map(params![survey], |r| r.get(0))?
                .collect::<Result<Vec<String>, _>>()?;
            Ok(versions)
        })
    }

    fn rows(&self, survey: String, version: Option<String>) -> StoreFuture<'_, Rows> {
        self.rows_where(survey, version, None)
    }

    fn rows_since(&self, survey: String, since: String) -> StoreFuture<'_, Rows> {
        self.rows_where(survey, None, Some(since))
    }

    fn add_token(&self, name: String, digest: String) -> StoreFuture<'_, ()> {
        self.with_writer(move |db| {
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let live: Option<i64> = tx
                .query_row(
                    "SELECT id FROM tokens WHERE name = ?1 AND revoked_at IS NULL",
                    params![name],
                    |r| r.get(0),
                )
                .optional()?;
            if live.is_some() {
                return Err(StoreError::TokenExists(name));
            }
            tx.execute(
                &format!("INSERT INTO tokens (name, digest, created_at) VALUES (?1, ?2, {NOW})"),
                params![name, digest],
            )?;
            tx.commit()?;
            Ok(())
        })
    }

    fn revoke_token(&self, name: String) -> StoreFuture<'_, bool> {
        self.with_writer(move |db| {
            let changed = db.execute(
                &format!("UPDATE tokens SET revoked_at = {NOW} WHERE name = ?1 AND revoked_at IS NULL"),
                params![name],
            )?;
            Ok(changed > 0)
        })
    }

    fn tokens(&self) -> StoreFuture<'_, Vec<TokenInfo>> {
        self.with_writer(|db| {
            let mut query = db.prepare("SELECT name, created_at, revoked_at FROM tokens ORDER BY id")?;
            let tokens = query
                .query_map([], |r| {
                    Ok(TokenInfo {
                        name: r.get(0)?,
                        created_at: r.get(1)?,
                        revoked_at: r.get(2)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(tokens)
        })
    }

    fn token_name(&self, digest: String) -> StoreFuture<'_, Option<String>> {
        self.with_writer(move |db| {
            Ok(db
                .query_row(
                    "SELECT name FROM tokens WHERE digest = ?1 AND revoked_at IS NULL",
                    params![digest],
                    |r| r.get(0),
                )
                .optional()?)
        })
    }

    fn set_user(&self, name: String, hash: String, create: bool) -> StoreFuture<'_, bool> {
        self.with_writer(move |db| {
            if create {
                let added = db.execute(
                    &format!("INSERT INTO users (name, hash, created_at) VALUES (?1, ?2, {NOW}) ON CONFLICT (name) DO NOTHING"),
                    params![name, hash],
                )?;
                if added == 0 {
                    return Err(StoreError::UserExists(name));
                }
                return Ok(true);
            }
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let changed = tx.execute("UPDATE users SET hash = ?2 WHERE name = ?1", params![name, hash])?;
            // A new password ends every session signed in with the old one.
            tx.execute("DELETE FROM sessions WHERE user_name = ?1", params![name])?;
            tx.commit()?;
            Ok(changed > 0)
        })
    }

    fn remove_user(&self, name: String) -> StoreFuture<'_, bool> {
        self.with_writer(move |db| {
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute("DELETE FROM sessions WHERE user_name = ?1", params![name])?;
            let removed = tx.execute("DELETE FROM users WHERE name = ?1", params![name])?;
            tx.commit()?;
            Ok(removed > 0)
        })
    }

    fn users(&self) -> StoreFuture<'_, Vec<String>> {
        self.with_writer(|db| {
            let mut query = db.prepare("SELECT name FROM users ORDER BY name")?;
            let names = query.query_map([], |r| r.get(0))?.collect::<Result<Vec<String>, _>>()?;
            Ok(names)
        })
    }

    fn user_hash(&self, name: String) -> StoreFuture<'_, Option<String>> {
        self.with_writer(move |db| {
            Ok(db
                .query_row("SELECT hash FROM users WHERE name = ?1", params![name], |r| r.get(0))
                .optional()?)
        })
    }

    fn add_session(&self, digest: String, user: String, csrf: String, expires: i64) -> StoreFuture<'_, ()> {
        self.with_writer(move |db| {
            db.execute(
                "INSERT INTO sessions (digest, user_name, csrf, expires) VALUES (?1, ?2, ?3, ?4)",
                params![digest, user, csrf, expires],
            )?;
            Ok(())
        })
    }

    fn session(&self, digest: String, now: i64) -> StoreFuture<'_, Option<SessionInfo>> {
        self.with_writer(move |db| {
            Ok(db
                .query_row(
                    "SELECT user_name, csrf FROM sessions WHERE digest = ?1 AND expires > ?2",
                    params![digest, now],
                    |r| {
                        Ok(SessionInfo {
                            user: r.get(0)?,
                            csrf: r.get(1)?,
                        })
                    },
                )
                .optional()?)
        })
    }

    fn end_session(&self, digest: String, now: i64) -> StoreFuture<'_, ()> {
        self.with_writer(move |db| {
            db.execute(
                "DELETE FROM sessions WHERE digest = ?1 OR expires <= ?2",
                params![digest, now],
            )?;
            Ok(())
        })
    }

    fn outcomes(&self, survey: String) -> StoreFuture<'_, Option<SavedOutcomes>> {
        self.with_writer(move |db| {
            Ok(db
                .query_row(
                    "SELECT body, updated_at, updated_by FROM outcomes WHERE survey_id = ?1",
                    params![survey],
                    |r| {
                        Ok(SavedOutcomes {
                            body: r.get(0)?,
                            updated_at: r.get(1)?,
                            updated_by: r.get(2)?,
                        })
                    },
                )
                .optional()?)
        })
    }

    fn save_outcomes(&self, survey: String, body: String, user: String, summary: String) -> StoreFuture<'_, ()> {
        self.with_writer(move |db| {
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute(
                &format!(
                    "INSERT INTO outcomes (survey_id, body, updated_at, updated_by) VALUES (?1, ?2, {NOW}, ?3)
                     ON CONFLICT (survey_id) DO UPDATE SET body = excluded.body,
                         updated_at = excluded.updated_at, updated_by = excluded.updated_by"
                ),
                params![survey, body, user],
            )?;
            tx.execute(
                "INSERT INTO outcome_changes (survey_id, at, user_name, summary, body)
                 SELECT survey_id, updated_at, updated_by, ?2, body FROM outcomes WHERE survey_id = ?1",
                params![survey, summary],
            )?;
            tx.commit()?;
            Ok(())
        })
    }

    fn history(&self, survey: String) -> StoreFuture<'_, Vec<Change>> {
        self.with_writer(move |db| {
            let mut query = db.prepare(
                "SELECT at, user_name, summary, body FROM outcome_changes WHERE survey_id = ?1 ORDER BY id DESC",
            )?;
            let changes = query
                .query_map(params![survey], |r| {
                    Ok(Change {
                        at: r.get(0)?,
                        user: r.get(1)?,
                        summary: r.get(2)?,
                        body: r.get(3)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(changes)
        })
    }

    fn surveys(&self) -> StoreFuture<'_, Vec<SurveyCount>> {
        self.with_writer(|db| {
            let mut query = db.prepare(
                "SELECT survey_id, COUNT(*), MAX(received_at) FROM responses GROUP BY survey_id ORDER BY survey_id",
            )?;
            let surveys = query
                .query_map([], |r| {
                    Ok(SurveyCount {
                        survey_id: r.get(0)?,
                        responses: r.get::<_, i64>(1)?.max(0) as u64,
                        latest: r.get(2)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(surveys)
        })
    }

    fn find_reference(&self, reference: String) -> StoreFuture<'_, Option<Found>> {
        self.with_writer(move |db| {
            Ok(db
                .query_row(
                    "SELECT survey_id, received_at FROM responses WHERE reference = ?1 ORDER BY received_at LIMIT 1",
                    params![reference],
                    |r| {
                        Ok(Found {
                            survey_id: r.get(0)?,
                            received_at: r.get(1)?,
                        })
                    },
                )
                .optional()?)
        })
    }

    fn publish(&self, v: PublishedVersion, from_draft: bool) -> StoreFuture<'_, Published> {
        self.with_writer(move |db| {
            let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let added = tx.execute(
                &format!(
                    "INSERT INTO survey_versions (survey_id, version, body, published_at, published_by)
                     VALUES (?1, ?2, ?3, {NOW}, ?4) ON CONFLICT (survey_id, version) DO NOTHING"
                ),
                params![v.survey_id, v.version, v.body, v.published_by],
            )?;
            let outcome = if added == 1 {
                if from_draft {
                    tx.execute("DELETE FROM survey_drafts WHERE survey_id = ?1", params![v.survey_id])?;
                }
                Published::New
            } else {
                let stored: String = tx.query_row(
                    "SELECT body FROM survey_versions WHERE survey_id = ?1 AND version = ?2",
                    params![v.survey_id, v.version],
                    |r| r.get(0),
                )?;
                if stored == v.body {
                    Published::Same
                } else {
                    Published::Conflict
                }
            };
            tx.commit()?;
            Ok(outcome)
        })
    }

    fn published(&self, survey: Option<String>) -> StoreFuture<'_, Vec<PublishedVersion>> {
        self.with_writer(move |db| {
            let mut query = db.prepare(
                "SELECT survey_id, version, body, published_at, published_by FROM survey_versions
                 WHERE ?1 IS NULL OR survey_id = ?1 ORDER BY id",
            )?;
            let versions = query
                .query_map(params![survey], |r| {
                    Ok(PublishedVersion {
                        survey_id: r.get(0)?,
                        version: r.get(1)?,
                        body: r.get(2)?,
                        published_at: r.get(3)?,
                        published_by: r.get(4)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(versions)
        })
    }

    fn draft(&self, survey: String) -> StoreFuture<'_, Option<SavedDraft>> {
        self.with_writer(move |db| {
            Ok(db
                .query_row(
                    "SELECT body, updated_at, updated_by FROM survey_drafts WHERE survey_id = ?1",
                    params![survey],
                    |r| {
                        Ok(SavedDraft {
                            body: r.get(0)?,
                            updated_at: r.get(1)?,
                            updated_by: r.get(2)?,
                        })
                    },
                )
                .optional()?)
        })
    }

    fn save_draft(&self, survey: String, body: String, user: String) -> StoreFuture<'_, ()> {
        self.with_writer(move |db| {
            db.execute(
                &format!(
                    "INSERT INTO survey_drafts (survey_id, body, updated_at, updated_by) VALUES (?1, ?2, {NOW}, ?3)
                     ON CONFLICT (survey_id) DO UPDATE SET body = excluded.body,
                         updated_at = excluded.updated_at, updated_by = excluded.updated_by"
                ),
                params![survey, body, user],
            )?;
            Ok(())
        })
    }

    fn discard_draft(&self, survey: String) -> StoreFuture<'_, bool> {
        self.with_writer(move |db| {
            Ok(db.execute("DELETE FROM survey_drafts WHERE survey_id = ?1", params![survey])? == 1)
        })
    }

    fn drafts(&self) -> StoreFuture<'_, Vec<String>> {
        self.with_writer(|db| {
            let mut query = db.prepare("SELECT survey_id FROM survey_drafts ORDER BY survey_id")?;
            let ids = query.query_map([], |r| r.get(0))?.collect::<Result<Vec<String>, _>>()?;
            Ok(ids)
        })
    }
}

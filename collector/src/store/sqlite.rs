//! The default store: one SQLite file in WAL mode with `synchronous = FULL`, so a commit is on
//! disk before the reply. Writes go through one connection in turn; each export reads through
//! its own read-only connection, which WAL lets run beside the writer.
use super::{Inserted, NewResponse, Rows, Store, StoreError, StoreFuture, StoredRow, TokenInfo, ROWS_AHEAD};
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
            db.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;")?;
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
            let added = tx.execute(
                &format!(
                    "INSERT INTO responses (response_id, survey_id, survey_version, received_at, body)
                     VALUES (?1, ?2, ?3, {NOW}, ?4) ON CONFLICT (response_id) DO NOTHING"
                ),
                params![r.response_id, r.survey_id, r.survey_version, r.body],
            )?;
            let outcome = if added == 1 {
                Inserted::New
            } else {
                let stored: String = tx.query_row(
                    "SELECT body FROM responses WHERE response_id = ?1",
                    params![r.response_id],
                    |row| row.get(0),
                )?;
                if r.is_same_as(&stored) {
                    Inserted::Repeat
                } else {
                    Inserted::Conflict
                }
            };
            tx.commit()?;
            Ok(outcome)
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
                        "SELECT received_at, body FROM responses
                         WHERE survey_id = ?1 AND (?2 IS NULL OR survey_version = ?2)
                         ORDER BY received_at, response_id",
                    )?;
                    let rows = query.query_map(params![survey, version], |r| {
                        Ok(StoredRow {
                            received_at: r.get(0)?,
                            body: r.get(1)?,
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
}

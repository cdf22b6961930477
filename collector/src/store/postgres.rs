//! The PostgreSQL store, for a survey one machine cannot hold or several collector instances
//! behind one proxy. Exactly once across instances: the response id is the primary key, the
//! insert is `ON CONFLICT DO NOTHING` (a second instance's insert of the same id waits for the
//! first's commit, then does nothing), and the comparison with what was stored runs in the
//! same transaction. The reply is sent only after the commit.
use super::{
    Change, Found, Inserted, NewResponse, Published, PublishedVersion, Rows, SavedDraft, SavedOutcomes, SessionInfo,
    Store, StoreError, StoreFuture, StoredRow, SurveyCount, TokenInfo, ROWS_AHEAD,
};
use deadpool_postgres::{Config, ManagerConfig, Pool, PoolConfig, RecyclingMethod, Runtime};
use futures_util::StreamExt;
use tokio::sync::mpsc;
use tokio_postgres::types::ToSql;
use tokio_postgres::NoTls;

/// Connections each instance keeps at most.
const POOL_SIZE: usize = 16;

/// Taken by the instance that migrates, so instances starting together migrate once.
const MIGRATION_LOCK: i64 = 7_203_814_001;

/// Schema migrations, applied in order and recorded in `schema_migrations`.
const MIGRATIONS: &[&str] = &[
    "CREATE TABLE responses (
         response_id text PRIMARY KEY,
         survey_id text NOT NULL,
         survey_version text NOT NULL,
         received_at timestamptz NOT NULL DEFAULT now(),
         body text NOT NULL
     );
     CREATE INDEX responses_by_survey ON responses (survey_id, received_at);",
    "CREATE TABLE tokens (
         id bigserial PRIMARY KEY,
         name text NOT NULL,
         digest text NOT NULL UNIQUE,
         created_at timestamptz NOT NULL DEFAULT now(),
         revoked_at timestamptz
     );
     CREATE UNIQUE INDEX tokens_live_name ON tokens (name) WHERE revoked_at IS NULL;",
    "ALTER TABLE responses ADD COLUMN reference text;
     CREATE INDEX responses_by_reference ON responses (reference) WHERE reference IS NOT NULL;
     CREATE TABLE users (
         name text PRIMARY KEY,
         hash text NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now()
     );
     CREATE TABLE sessions (
         digest text PRIMARY KEY,
         user_name text NOT NULL REFERENCES users (name) ON DELETE CASCADE,
         csrf text NOT NULL,
         expires bigint NOT NULL
     );
     CREATE TABLE outcomes (
         survey_id text PRIMARY KEY,
         body text NOT NULL,
         updated_at timestamptz NOT NULL,
         updated_by text NOT NULL
     );
     CREATE TABLE outcome_changes (
         id bigserial PRIMARY KEY,
         survey_id text NOT NULL,
         at timestamptz NOT NULL,
         user_name text NOT NULL,
         summary text NOT NULL,
         body text NOT NULL
     );
     CREATE INDEX outcome_changes_by_survey ON outcome_changes (survey_id, id);",
    "CREATE TABLE survey_versions (
         id bigserial PRIMARY KEY,
         survey_id text NOT NULL,
         version text NOT NULL,
         body text NOT NULL,
         published_at timestamptz NOT NULL DEFAULT now(),
         published_by text NOT NULL,
         UNIQUE (survey_id, version)
     );
     CREATE TABLE survey_drafts (
         survey_id text PRIMARY KEY,
         body text NOT NULL,
         updated_at timestamptz NOT NULL,
         updated_by text NOT NULL
     );",
];

/// RFC 3339 UTC with milliseconds, as the SQLite store writes it.
fn utc(column: &str) -> String {
    format!("to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')")
}

/// Inserts one response inside an open transaction; see [`Inserted`].
async fn insert_in(tx: &tokio_postgres::Transaction<'_>, r: &NewResponse) -> Result<Inserted, StoreError> {
    let added = tx
        .execute(
            "INSERT INTO responses (response_id, survey_id, survey_version, body, reference)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (response_id) DO NOTHING",
            &[&r.response_id, &r.survey_id, &r.survey_version, &r.body, &r.reference],
        )
        .await?;
    if added == 1 {
        return Ok(Inserted::New);
    }
    let stored: String = tx
        .query_one("SELECT body FROM responses WHERE response_id = $1", &[&r.response_id])
        .await?
        .try_get(0)?;
    Ok(if r.is_same_as(&stored) {
        Inserted::Repeat
    } else {
        Inserted::Conflict
    })
}

/// A pool of connections to one PostgreSQL database.
pub struct PostgresStore {
    pool: Pool,
}

fn pool_error(e: impl std::fmt::Display) -> StoreError {
    StoreError::Pool(e.to_string())
}

impl PostgresStore {
    /// Connects to `url` (`postgres://user@host:port/db`) and applies the migrations.
    ///
    /// # Errors
    /// When the database cannot be reached or migrated.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let mut config = Config::new();
        config.url = Some(url.to_owned());
        config.pool = Some(PoolConfig::new(POOL_SIZE));
        config.manager = Some(ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        });
        let pool = config.create_pool(Some(Runtime::Tokio1), NoTls).map_err(pool_error)?;
        let store = Self { pool };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let mut client = self.pool.get().await.map_err(pool_error)?;
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                 version integer PRIMARY KEY,
                 applied_at timestamptz NOT NULL DEFAULT now()
             )",
        )
        .await?;
        let applied: i32 = tx
            .query_one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", &[])
            .await?
            .try_get(0)?;
        let known = MIGRATIONS.len() as i32;
        if applied > known {
            return Err(StoreError::NewerSchema(i64::from(applied)));
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(applied.max(0) as usize) {
            tx.batch_execute(sql).await?;
            tx.execute(
                "INSERT INTO schema_migrations (version) VALUES ($1)",
                &[&(i as i32 + 1)],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Streams a survey's rows, of one version or received at or after `since` if given.
    fn rows_where(&self, survey: String, version: Option<String>, since: Option<String>) -> StoreFuture<'_, Rows> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_error)?;
            let sql = format!(
                "SELECT {}, body, response_id, survey_version FROM responses
                 WHERE survey_id = $1 AND ($2::text IS NULL OR survey_version = $2)
                   AND ($3::text IS NULL OR received_at >= $3::timestamptz)
                 ORDER BY received_at, response_id",
                utc("received_at")
            );
            let params: [&(dyn ToSql + Sync); 3] = [&survey, &version, &since];
            // Rows arrive from the server as they are read, not all at once.
            let stream = client.query_raw(sql.as_str(), params).await?;
            let (tx, rx) = mpsc::channel(ROWS_AHEAD);
            tokio::spawn(async move {
                // The connection stays out of the pool until the export ends.
                let _client = client;
                let mut stream = std::pin::pin!(stream);
                while let Some(row) = stream.next().await {
                    let row = row.and_then(|row| {
                        Ok(StoredRow {
                            received_at: row.try_get(0)?,
                            body: row.try_get(1)?,
                            response_id: row.try_get(2)?,
                            survey_version: row.try_get(3)?,
                        })
                    });
                    let row = row.map_err(StoreError::from);
                    if tx.send(row).await.is_err() {
                        break;
                    }
                }
            });
            Ok(rx)
        })
    }
}

impl Store for PostgresStore {
    fn kind(&self) -> &'static str {
        "postgres"
    }

    fn insert(&self, r: NewResponse) -> StoreFuture<'_, Inserted> {
        Box::pin(async move {
            let mut client = self.pool.get().await.map_err(pool_error)?;
            let tx = client.transaction().await?;
            let outcome = insert_in(&tx, &r).await?;
            tx.commit().await?;
            Ok(outcome)
        })
    }

    fn insert_all(&self, responses: Vec<NewResponse>) -> StoreFuture<'_, Vec<Inserted>> {
        Box::pin(async move {
            let mut client = self.pool.get().await.map_err(pool_error)?;
            let tx = client.transaction().await?;
            let mut outcomes = Vec::with_capacity(responses.len());
            for r in &responses {
                outcomes.push(insert_in(&tx, r).await?);
            }
            // All or nothing: a conflict anywhere leaves the store as it was.
            if outcomes.contains(&Inserted::Conflict) {
                tx.rollback().await?;
            } else {
                tx.commit().await?;
            }
            Ok(outcomes)
        })
    }

    fn ping(&self) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_error)?;
            client.execute("SELECT 1", &[]).await?;
            Ok(())
        })
    }

    fn count(&self) -> StoreFuture<'_, u64> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_error)?;
            let n: i64 = client
                .query_one("SELECT COUNT(*) FROM responses", &[])
                .await?
                .try_get(0)?;
            Ok(n.max(0) as u64)
        })
    }

    fn versions(&self, survey: String) -> StoreFuture<'_, Vec<String>> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_error)?;
            let rows = client
                .query(
                    "SELECT DISTINCT survey_version FROM responses WHERE survey_id = $1",
                    &[&survey],
                )
                .await?;
            Ok(rows.iter().map(|r| r.try_get(0)).collect::<Result<_, _>>()?)
        })
    }

    fn rows(&self, survey: String, version: Option<String>) -> StoreFuture<'_, Rows> {
        self.rows_where(survey, version, None)
    }

    fn rows_since(&self, survey: String, since: String) -> StoreFuture<'_, Rows> {
        self.rows_where(survey, None, Some(since))
    }

    fn add_token(&self, name: String, digest: String) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_error)?;
            let added = client
                .execute(
                    "INSERT INTO tokens (name, digest) VALUES ($1, $2)
                     ON CONFLICT (name) WHERE revoked_at IS NULL DO NOTHING",
                    &[&name, &digest],
                )
                .await?;
            if added == 1 {
                Ok(())
            } else {
                Err(StoreError::TokenExists(name))
            }
        })
    }

    fn revoke_token(&self, name: String) -> StoreFuture<'_, bool> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_error)?;
            let changed = client
                .execute(
                    "UPDATE tokens SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL",
                    &[&name],
                )
                .await?;
            Ok(changed > 0)
        })
    }

    fn tokens(&self) -> StoreFuture<'_, Vec<TokenInfo>> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_error)?;
            let sql = format!(
                "SELECT name, {}, {} FROM tokens ORDER BY id",
                utc("created_at"),
                utc("revoked_at")
            );
            let rows = client.query(sql.as_str(), &[]).await?;
            let tokens = rows.iter().map(|r| {
                Ok(TokenInfo {
                    name: r.try_get(0)?,
                    created_at: r.try_get(1)?,
                    revoked_at: r.try_get(2)?,
                })
            });
            tokens
                .collect::<Result<_, tokio_postgres::Error>>()
                .map_err(StoreError::from)
        })
    }

    fn token_name(&self, digest: String) -> StoreFuture<'_, Option<String>> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_error)?;
            let row = client
                .query_opt(
                    "SELECT name FROM tokens WHERE digest = $1 AND revoked_at IS NULL",
                    &[&digest],
                )
                .await?;
            Ok(row.map(|r| r.try_get(0)).transpose()?)
        })
    }

    fn set_user(&self, name: String, hash: String, create: bool) -> StoreFuture<'_, bool> {
        Box::pin(async move {
            let mut client = self.pool.get().await.map_err(pool_error)?;
            if create {
                let added = client
                    .execute(
                        "INSERT INTO users (name, hash) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
                        &[&name, &hash],
                    )
                    .await?;
                return if added == 1 {
                    Ok(true)
                } else {
                    Err(StoreError::UserExists(name))
                };
            }
            let tx = client.transaction().await?;
            let changed = tx
                .execute("UPDATE users SET hash = $2 WHERE name = $1", &[&name, &hash])
                .await?;
            // A new password ends every session signed in with the old one.
            tx.execute("DELETE FROM sessions WHERE user_name = $1", &[&name])
                .await?;
            tx.commit().await?;
            Ok(changed > 0)
        })
    }

    fn remove_user(&self, name: String) -> StoreFuture<'_, bool> {
        Box::pin(async move {
            let mut client = self.pool.get().await.map_err(pool_error)?;
            let tx = client.transaction().await?;
            tx.execute("DELETE FROM sessions WHERE user_name = $1", &[&name])
                .await?;
            let removed = tx.execute("DELETE FROM users WHERE name = $1", &[&name]).await?;
            tx.commit().await?;
            Ok(removed > 0)
        })
    }

    fn users(&self) -> StoreFuture<'_, Vec<String>> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_error)?;
            let rows = client.query("SELECT name FROM users ORDER BY name", &[]).await?;
            Ok(rows.iter().map(|r| r.try_get(0)).collect::<Result<_, _>>()?)
        })
    }

    fn user_hash(&self, name: String) -> StoreFuture<'_, Option<String>> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_error)?;
            let row = client
                .query_opt("SELECT hash FROM users WHERE name = $1", &[&name])
                .await?;
            Ok(row.map(|r| r.try_get(0)).transpose()?)
        })
    }

    fn add_session(&self, digest: String, user: String, csrf: String, expires: i64) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_error)?;
            client
                .execute(
                    "INSERT INTO sessions (digest, user_name, csrf, expires) VALUES ($1, $2, $3, $4)",
                    &[&digest, &user, &csrf, &expires],
                )
                .await?;
            Ok(())
        })
    }

    fn session(&self, digest: String, now: i64) -> StoreFuture<'_, Option<SessionInfo>> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_error)?;
            let row = client
                .query_opt(
                    "SELECT user_name, csrf FROM sessions WHERE digest = $1 AND expires > $2",
                    &[&digest, &now],
                )
                .await?;
            let session = row.map(|r| {
                Ok::<_, tokio_postgres::Error>(SessionInfo {
                    user: r.try_get(0)?,
                    csrf: r.try_get(1)?,
                })
            });
            Ok(session.transpose()?)
        })
    }

    fn end_session(&self, digest: String, now: i64) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_error)?;
            client
                .execute(
                    "DELETE FROM sessions WHERE digest = $1 OR expires <= $2",
                    &[&digest, &now],
                )
                .await?;
            Ok(())
        })
    }

    fn outcomes(&self, survey: String) -> StoreFuture<'_, Option<SavedOutcomes>> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_error)?;
            let sql = format!(
                "SELECT body, {}, updated_by FROM outcomes WHERE survey_id = $1",
                utc("updated_at")
            );
            let row = client.query_opt(sql.as_str(), &[&survey]).await?;
            let saved = row.map(|r| {
                Ok::<_, tokio_postgres::Error>(SavedOutcomes {
                    body: r.try_get(0)?,
                    updated_at: r.try_get(1)?,
                    updated_by: r.try_get(2)?,
                })
            });
            Ok(saved.transpose()?)
        })
    }

    fn save_outcomes(&self, survey: String, body: String, user: String, summary: String) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            let mut client = self.pool.get().await.map_err(pool_error)?;
            let tx = client.transaction().await?;
            tx.execute(
                "INSERT INTO outcomes (survey_id, body, updated_at, updated_by) VALUES ($1, $2, now(), $3)
                 ON CONFLICT (survey_id) DO UPDATE SET body = excluded.body,
                     updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                &[&survey, &body, &user],
            )
            .await?;
            tx.execute(
                "INSERT INTO outcome_changes (survey_id, at, user_name, summary, body)
                 SELECT survey_id, updated_at, updated_by, $2, body FROM outcomes WHERE survey_id = $1",
                &[&survey, &summary],
            )
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    fn history(&self, survey: String) -> StoreFuture<'_, Vec<Change>> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_error)?;
            let sql = format!(
                "SELECT {}, user_name, summary, body FROM outcome_changes WHERE survey_id = $1 ORDER BY id DESC",
                utc("at")
            );
            let rows = client.query(sql.as_str(), &[&survey]).await?;
            let changes = rows.iter().map(|r| {
                Ok(Change {
                    at: r.try_get(0)?,
                    user: r.try_get(1)?,
                    summary: r.try_get(2)?,
                    body: r.try_get(3)?,
                })
            });
            changes
                .collect::<Result<_, tokio_postgres::Error>>()
                .map_err(StoreError::from)
        })
    }

    fn surveys(&self) -> StoreFuture<'_, Vec<SurveyCount>> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_error)?;
            let sql = format!(
                "SELECT survey_id, COUNT(*), {} FROM responses GROUP BY survey_id ORDER BY survey_id",
                utc("MAX(received_at)")
            );
            let rows = client.query(sql.as_str(), &[]).await?;
            let surveys = rows.iter().map(|r| {
                Ok(SurveyCount {
                    survey_id: r.try_get(0)?,
                    responses: r.try_get::<_, i64>(1)?.max(0) as u64,
                    latest: r.try_get(2)?,
                })
            });
            surveys
                .collect::<Result<_, tokio_postgres::Error>>()
                .map_err(StoreError::from)
        })
    }

    fn find_reference(&self, reference: String) -> StoreFuture<'_, Option<Found>> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_error)?;
            let sql = format!(
                "SELECT survey_id, {} FROM responses WHERE reference = $1 ORDER BY received_at LIMIT 1",
                utc("received_at")
            );
            let row = client.query_opt(sql.as_str(), &[&reference]).await?;
            let found = row.map(|r| {
                Ok::<_, tokio_postgres::Error>(Found {
                    survey_id: r.try_get(0)?,
                    received_at: r.try_get(1)?,
                })
            });
            Ok(found.transpose()?)
        })
    }

    fn publish(&self, v: PublishedVersion, from_draft: bool) -> StoreFuture<'_, Published> {
        Box::pin(async move {
            let mut client = self.pool.get().await.map_err(pool_error)?;
            let tx = client.transaction().await?;
            let added = tx
                .execute(
                    "INSERT INTO survey_versions (survey_id, version, body, published_by) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (survey_id, version) DO NOTHING",
                    &[&v.survey_id, &v.version, &v.body, &v.published_by],
                )
                .await?;
            let outcome = if added == 1 {
                if from_draft {
                    tx.execute("DELETE FROM survey_drafts WHERE survey_id = $1", &[&v.survey_id])
                        .await?;
                }
                Published::New
            } else {
                let stored: String = tx
                    .query_one(
                        "SELECT body FROM survey_versions WHERE survey_id = $1 AND version = $2",
                        &[&v.survey_id, &v.version],
                    )
                    .await?
                    .try_get(0)?;
                if stored == v.body {
                    Published::Same
                } else {
                    Published::Conflict
                }
            };
            tx.commit().await?;
            Ok(outcome)
        })
    }

    fn published(&self, survey: Option<String>) -> StoreFuture<'_, Vec<PublishedVersion>> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_error)?;
            let sql = format!(
                "SELECT survey_id, version, body, {}, published_by FROM survey_versions
                 WHERE $1::text IS NULL OR survey_id = $1 ORDER BY id",
                utc("published_at")
            );
            let rows = client.query(sql.as_str(), &[&survey]).await?;
            rows.iter()
                .map(|r| {
                    Ok(PublishedVersion {
                        survey_id: r.try_get(0)?,
                        version: r.try_get(1)?,
                        body: r.try_get(2)?,
                        published_at: r.try_get(3)?,
                        published_by: r.try_get(4)?,
                    })
                })
                .collect()
        })
    }

    fn draft(&self, survey: String) -> StoreFuture<'_, Option<SavedDraft>> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_error)?;
            let sql = format!(
                "SELECT body, {}, updated_by FROM survey_drafts WHERE survey_id = $1",
                utc("updated_at")
            );
            let row = client.query_opt(sql.as_str(), &[&survey]).await?;
            row.map(|r| {
                Ok(SavedDraft {
                    body: r.try_get(0)?,
                    updated_at: r.try_get(1)?,
                    updated_by: r.try_get(2)?,
                })
            })
            .transpose()
        })
    }

    fn save_draft(&self, survey: String, body: String, user: String) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_error)?;
            client
                .execute(
                    "INSERT INTO survey_drafts (survey_id, body, updated_at, updated_by) VALUES ($1, $2, now(), $3)
                     ON CONFLICT (survey_id) DO UPDATE SET body = excluded.body,
                         updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                    &[&survey, &body, &user],
                )
                .await?;
            Ok(())
        })
    }

    fn discard_draft(&self, survey: String) -> StoreFuture<'_, bool> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_error)?;
            Ok(client
                .execute("DELETE FROM survey_drafts WHERE survey_id = $1", &[&survey])
                .await?
                == 1)
        })
    }

    fn drafts(&self) -> StoreFuture<'_, Vec<String>> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_error)?;
            let rows = client
                .query("SELECT survey_id FROM survey_drafts ORDER BY survey_id", &[])
                .await?;
            rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
        })
    }
}

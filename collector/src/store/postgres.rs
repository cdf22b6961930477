//! The PostgreSQL store, for a survey one machine cannot hold or several collector instances
//! behind one proxy. Exactly once across instances: the response id is the primary key, the
//! insert is `ON CONFLICT DO NOTHING` (a second instance's insert of the same id waits for the
//! first's commit, then does nothing), and the comparison with what was stored runs in the
//! same transaction. The reply is sent only after the commit.
use super::{Inserted, NewResponse, Rows, Store, StoreError, StoreFuture, StoredRow, TokenInfo, ROWS_AHEAD};
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
];

/// RFC 3339 UTC with milliseconds, as the SQLite store writes it.
fn utc(column: &str) -> String {
    format!("to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')")
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
}

impl Store for PostgresStore {
    fn kind(&self) -> &'static str {
        "postgres"
    }

    fn insert(&self, r: NewResponse) -> StoreFuture<'_, Inserted> {
        Box::pin(async move {
            let mut client = self.pool.get().await.map_err(pool_error)?;
            let tx = client.transaction().await?;
            let added = tx
                .execute(
                    "INSERT INTO responses (response_id, survey_id, survey_version, body)
                     VALUES ($1, $2, $3, $4) ON CONFLICT (response_id) DO NOTHING",
                    &[&r.response_id, &r.survey_id, &r.survey_version, &r.body],
                )
                .await?;
            let outcome = if added == 1 {
                Inserted::New
            } else {
                let stored: String = tx
                    .query_one("SELECT body FROM responses WHERE response_id = $1", &[&r.response_id])
                    .await?
                    .try_get(0)?;
                if r.is_same_as(&stored) {
                    Inserted::Repeat
                } else {
                    Inserted::Conflict
                }
            };
            tx.commit().await?;
            Ok(outcome)
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
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_error)?;
            let sql = format!(
                "SELECT {}, body FROM responses
                 WHERE survey_id = $1 AND ($2::text IS NULL OR survey_version = $2)
                 ORDER BY received_at, response_id",
                utc("received_at")
            );
            let params: [&(dyn ToSql + Sync); 2] = [&survey, &version];
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
}

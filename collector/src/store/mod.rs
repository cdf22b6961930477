//! Where responses and API tokens are kept. The HTTP layer sees only [`Store`], so SQLite (the
//! default, one file) and PostgreSQL (several instances, one database) are interchangeable.
//!
//! Every store keeps the same promises:
//! - the response id is the primary key, so a response is stored at most once however many
//!   instances receive it at the same moment;
//! - a repeat is told apart from a conflict inside the same transaction as the insert;
//! - [`Store::insert`] returns only after the transaction has committed, so an acknowledged
//!   response survives the process being killed at once afterwards;
//! - exports stream rows through a bounded channel, so an export of any size holds only a few
//!   rows in memory and never blocks other requests.
use std::future::Future;
use std::pin::Pin;
use tokio::sync::mpsc;

pub mod postgres;
pub mod sqlite;

/// A store operation in progress.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// Rows of an export, in order, as the store reads them.
pub type Rows = mpsc::Receiver<Result<StoredRow, StoreError>>;

/// How many rows an export reads ahead of what has been sent.
pub(crate) const ROWS_AHEAD: usize = 64;

/// A checked response to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewResponse {
    /// The response id: the primary key.
    pub response_id: String,
    /// The survey answered.
    pub survey_id: String,
    /// The survey version answered.
    pub survey_version: String,
    /// The body as JSON text in one canonical form (keys sorted), so that a repeat compares
    /// equal byte for byte.
    pub body: String,
}

impl NewResponse {
    /// Whether `stored`, a body stored earlier under this response id, is the same response:
    /// the same JSON apart from `client`, which describes the sending widget and changes if
    /// the widget was updated between two attempts to send one response.
    pub fn is_same_as(&self, stored: &str) -> bool {
        if stored == self.body {
            return true;
        }
        let content = |text: &str| {
            let mut value = serde_json::from_str::<serde_json::Value>(text).ok()?;
            value.as_object_mut()?.remove("client");
            Some(value)
        };
        matches!((content(stored), content(&self.body)), (Some(a), Some(b)) if a == b)
    }
}

/// What storing a response did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Inserted {
    /// It was new and is now stored.
    New,
    /// The same response was stored before; nothing changed.
    Repeat,
    /// A different body was stored before under this response id; nothing changed.
    Conflict,
}

/// One stored response, for exports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredRow {
    /// When the collector stored it, RFC 3339 UTC with milliseconds.
    pub received_at: String,
    /// The body as stored.
    pub body: String,
}

/// An API token as listed (never its secret, which is not kept).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenInfo {
    /// The name given when it was made, e.g. `powerbi`.
    pub name: String,
    /// When it was made.
    pub created_at: String,
    /// When it was revoked, if it was.
    pub revoked_at: Option<String>,
}

/// Why a store operation failed.
#[derive(Debug)]
pub enum StoreError {
    /// SQLite failed.
    Sqlite(rusqlite::Error),
    /// PostgreSQL failed.
    Postgres(tokio_postgres::Error),
    /// No PostgreSQL connection could be had from the pool.
    Pool(String),
    /// A database's schema is newer than this build knows.
    NewerSchema(i64),
    /// A blocking task of the store stopped unexpectedly.
    Task(String),
    /// A token with this name is already in use.
    TokenExists(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Sqlite(e) => write!(f, "SQLite: {e}"),
            Self::Postgres(e) => write!(f, "PostgreSQL: {e}"),
            Self::Pool(e) => write!(f, "PostgreSQL connection: {e}"),
            Self::NewerSchema(v) => write!(
                f,
                "the database has schema version {v}, newer than this collector knows; run a newer collector"
            ),
            Self::Task(e) => write!(f, "store task: {e}"),
            Self::TokenExists(name) => write!(f, "a token named {name} exists; revoke it first or choose another name"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Sqlite(e)
    }
}

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> Self {
        Self::Postgres(e)
    }
}

/// The storage interface the HTTP layer talks to.
pub trait Store: Send + Sync + 'static {
    /// `sqlite` or `postgres`, for the authenticated health check.
    fn kind(&self) -> &'static str;
    /// Stores a response once; see [`Inserted`]. Returns after the commit.
    fn insert(&self, response: NewResponse) -> StoreFuture<'_, Inserted>;
    /// Checks that the database answers.
    fn ping(&self) -> StoreFuture<'_, ()>;
    /// How many responses are stored, for all surveys.
    fn count(&self) -> StoreFuture<'_, u64>;
    /// The distinct survey versions stored for `survey`.
    fn versions(&self, survey: String) -> StoreFuture<'_, Vec<String>>;
    /// Streams the responses of `survey` (of one `version` only, if given) in the order
    /// received. Fails here, before any row, when the query cannot start.
    fn rows(&self, survey: String, version: Option<String>) -> StoreFuture<'_, Rows>;
    /// Records a new token by the digest of its secret.
    fn add_token(&self, name: String, digest: String) -> StoreFuture<'_, ()>;
    /// Revokes the live token of this name; `false` when there is none.
    fn revoke_token(&self, name: String) -> StoreFuture<'_, bool>;
    /// Every token, live and revoked, oldest first.
    fn tokens(&self) -> StoreFuture<'_, Vec<TokenInfo>>;
    /// The name of the live token with this digest, if there is one.
    fn token_name(&self, digest: String) -> StoreFuture<'_, Option<String>>;
}

/// Opens the store a `--db` value names: a `postgres://` or `postgresql://` URL, or else the
/// path of a SQLite file (created if missing). Migrations are applied before it returns.
///
/// # Errors
/// When the database cannot be opened, reached or migrated.
pub async fn open(db: &str) -> Result<Box<dyn Store>, StoreError> {
    if db.starts_with("postgres://") || db.starts_with("postgresql://") {
        Ok(Box::new(postgres::PostgresStore::connect(db).await?))
    } else {
        Ok(Box::new(sqlite::SqliteStore::open(db).await?))
    }
}

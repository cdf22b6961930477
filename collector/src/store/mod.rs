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
    /// The reference code the person was shown, when the widget sent one (issue #12), so
    /// they can look up their response's stage without an account.
    pub reference: Option<String>,
    /// The body as JSON text in one canonical form (keys sorted), so that a repeat compares
    /// equal byte for byte.
    pub body: String,
}

impl NewResponse {
    /// Whether `stored`, a body stored earlier under this response id, is the same response:
    /// the same JSON apart from `client`, which describes the sending widget and changes if
    /// the widget was updated between two attempts to send one response, and `reference`,
    /// which a widget updated between two attempts adds (it is the device's, not an answer).
    pub fn is_same_as(&self, stored: &str) -> bool {
        if stored == self.body {
            return true;
        }
        let content = |text: &str| {
            let mut value = serde_json::from_str::<serde_json::Value>(text).ok()?;
            let map = value.as_object_mut()?;
            map.remove("client");
            map.remove("reference");
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
    /// The response id.
    pub response_id: String,
    /// The survey version it answers.
    pub survey_version: String,
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

/// A console session, found by the digest of its cookie's secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionInfo {
    /// Who signed in.
    pub user: String,
    /// The session's CSRF token, which every form it posts must carry.
    pub csrf: String,
}

/// A survey's outcomes record as last saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedOutcomes {
    /// The record as JSON (see `outcomes::Record`).
    pub body: String,
    /// When it was saved, RFC 3339 UTC with milliseconds.
    pub updated_at: String,
    /// Who saved it.
    pub updated_by: String,
}

/// One saved change to a survey's outcomes, for the audit trail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// When, RFC 3339 UTC with milliseconds.
    pub at: String,
    /// Who.
    pub user: String,
    /// What changed, in words.
    pub summary: String,
    /// The record as saved by this change (JSON), so the public feed can describe each change
    /// with its own rules (small counts withheld).
    pub body: String,
}

/// A published version of a survey (issue #25): never changed once stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishedVersion {
    /// The survey's id.
    pub survey_id: String,
    /// The version's name, as responses carry it.
    pub version: String,
    /// The definition as published, byte for byte.
    pub body: String,
    /// When, RFC 3339 UTC with milliseconds.
    pub published_at: String,
    /// Who published it.
    pub published_by: String,
}

/// A survey's draft: the one next version being prepared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedDraft {
    /// The definition as last saved.
    pub body: String,
    /// When it was saved, RFC 3339 UTC with milliseconds.
    pub updated_at: String,
    /// Who saved it.
    pub updated_by: String,
}

/// What publishing a version did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Published {
    /// It is published now.
    New,
    /// That version was already published with exactly this definition: nothing changed.
    Same,
    /// That version was published with another definition, which stays: a published
    /// version never changes.
    Conflict,
}

/// A survey with responses in the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SurveyCount {
    /// The survey id.
    pub survey_id: String,
    /// Responses stored.
    pub responses: u64,
    /// When the latest arrived.
    pub latest: String,
}

/// What a reference code looks up: never an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The survey answered.
    pub survey_id: String,
    /// When the collector stored it.
    pub received_at: String,
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
    /// A console account with this name exists.
    UserExists(String),
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
            Self::UserExists(name) => write!(
                f,
                "an account named {name} exists; use `user password {name}` to change its password"
            ),
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
    /// Stores responses in one transaction, all or nothing: when any is a conflict nothing is
    /// stored (the outcomes still say which). Returns after the commit or the rollback.
    fn insert_all(&self, responses: Vec<NewResponse>) -> StoreFuture<'_, Vec<Inserted>>;
    /// Checks that the database answers.
    fn ping(&self) -> StoreFuture<'_, ()>;
    /// How many responses are stored, for all surveys.
    fn count(&self) -> StoreFuture<'_, u64>;
    /// The distinct survey versions stored for `survey`.
    fn versions(&self, survey: String) -> StoreFuture<'_, Vec<String>>;
    /// Streams the responses of `survey` (of one `version` only, if given) in the order
    /// received. Fails here, before any row, when the query cannot start.
    fn rows(&self, survey: String, version: Option<String>) -> StoreFuture<'_, Rows>;
    /// Streams the responses of `survey` received at or after `since` (RFC 3339 UTC), in the
    /// order received, so figures can count only what arrived since they were last counted.
    fn rows_since(&self, survey: String, since: String) -> StoreFuture<'_, Rows>;
    /// Records a new token by the digest of its secret.
    fn add_token(&self, name: String, digest: String) -> StoreFuture<'_, ()>;
    /// Revokes the live token of this name; `false` when there is none.
    fn revoke_token(&self, name: String) -> StoreFuture<'_, bool>;
    /// Every token, live and revoked, oldest first.
    fn tokens(&self) -> StoreFuture<'_, Vec<TokenInfo>>;
    /// The name of the live token with this digest, if there is one.
    fn token_name(&self, digest: String) -> StoreFuture<'_, Option<String>>;
    /// Creates a console account (`create`), or sets the password hash of an existing one;
    /// `false` when there was nothing to change.
    fn set_user(&self, name: String, hash: String, create: bool) -> StoreFuture<'_, bool>;
    /// Removes an account and ends its sessions; `false` when there was none.
    fn remove_user(&self, name: String) -> StoreFuture<'_, bool>;
    /// Every account name, in order.
    fn users(&self) -> StoreFuture<'_, Vec<String>>;
    /// The password hash (PHC string) of an account.
    fn user_hash(&self, name: String) -> StoreFuture<'_, Option<String>>;
    /// Records a session by the digest of its secret, until `expires` (Unix seconds).
    fn add_session(&self, digest: String, user: String, csrf: String, expires: i64) -> StoreFuture<'_, ()>;
    /// The session with this digest, if it has not expired by `now` (Unix seconds).
    fn session(&self, digest: String, now: i64) -> StoreFuture<'_, Option<SessionInfo>>;
    /// Ends a session (signing out), and forgets every session expired by `now`.
    fn end_session(&self, digest: String, now: i64) -> StoreFuture<'_, ()>;
    /// A survey's outcomes record, if one was saved.
    fn outcomes(&self, survey: String) -> StoreFuture<'_, Option<SavedOutcomes>>;
    /// Saves a survey's outcomes record and its audit entry in one transaction.
    fn save_outcomes(&self, survey: String, body: String, user: String, summary: String) -> StoreFuture<'_, ()>;
    /// Every saved change to a survey's outcomes, newest first.
    fn history(&self, survey: String) -> StoreFuture<'_, Vec<Change>>;
    /// The surveys with responses, by id, with counts.
    fn surveys(&self) -> StoreFuture<'_, Vec<SurveyCount>>;
    /// The response a reference code was given to.
    fn find_reference(&self, reference: String) -> StoreFuture<'_, Option<Found>>;
    /// Publishes a version of a survey, once; see [`Published`]. With `from_draft`, the
    /// survey's draft is discarded in the same transaction, since it is now this version.
    fn publish(&self, version: PublishedVersion, from_draft: bool) -> StoreFuture<'_, Published>;
    /// The published versions of one survey (or of all, for `None`), in the order published.
    fn published(&self, survey: Option<String>) -> StoreFuture<'_, Vec<PublishedVersion>>;
    /// A survey's draft, if it has one.
    fn draft(&self, survey: String) -> StoreFuture<'_, Option<SavedDraft>>;
    /// Saves a survey's draft, replacing the one it had.
    fn save_draft(&self, survey: String, body: String, user: String) -> StoreFuture<'_, ()>;
    /// Discards a survey's draft; `false` when it had none.
    fn discard_draft(&self, survey: String) -> StoreFuture<'_, bool>;
    /// The ids of the surveys with a draft, in order.
    fn drafts(&self) -> StoreFuture<'_, Vec<String>>;
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

//! The reference collector: a small server that implements the widget's sync protocol, so a
//! council can receive responses without writing a backend.
//!
//! The modules follow the path of a request:
//! - [`http`]: the route table, CORS for the one public route, limits and timeouts, problem
//!   replies;
//! - [`auth`]: API tokens for machines (Power BI, scripts) on the routes that return answers;
//! - [`accounts`]: console accounts (Argon2id), sessions, CSRF tokens, wrong-password back-off;
//! - [`checks`]: the body against the protocol and, when known, the survey;
//! - [`store`]: one interface with a SQLite and a PostgreSQL implementation, each storing a
//!   response exactly once;
//! - [`export`]: streamed CSV (wide, long, the data dictionary) and JSON;
//! - [`stats`]: the figures per survey and question, in one pass over the rows;
//! - [`console`]: the council's console, server-rendered HTML behind sign-in;
//! - [`outcomes`]: "You said, we did" records, their audit trail, and the public feeds;
//! - [`public`]: the feeds and the rate-limited reference lookup, which anyone may read;
//! - [`publishing`]: surveys kept as drafts and published versions, their checks, and the
//!   public route the widget loads the live version from;
//! - [`config`]: how it is set up, and the survey definitions it knows;
//! - [`sheets`]: spreadsheet files for `survey import` and `survey export`.
//!
//! It never logs answer content: only ids and outcomes.
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::Semaphore;

pub mod accounts;
pub mod auth;
pub mod checks;
pub mod config;
pub mod console;
pub mod counting;
pub mod export;
pub mod html;
pub mod http;
pub mod import;
pub mod outcomes;
pub mod public;
pub mod publishing;
pub mod reply;
pub mod sheets;
pub mod stats;
pub mod store;
pub mod words;

pub use config::{Config, Faults, Limits, StartError, Surveys};
pub use http::serve;
pub use store::Store;

/// Shared state of the server: cheap to clone, one per connection.
#[derive(Clone)]
pub struct Collector {
    store: Arc<dyn Store>,
    config: Arc<Config>,
    dice: Arc<Mutex<u64>>,
    requests: Arc<Semaphore>,
    backoff: Arc<accounts::Backoff>,
    lookups: Arc<public::RateLimit>,
    /// The survey definitions it knows: those given with `--surveys` and those published
    /// (issue #25). Replaced whole when a version is published, so a request keeps the set it
    /// started with.
    surveys: Arc<RwLock<Arc<Surveys>>>,
    /// The console's figures per survey, kept between requests and brought up to date with
    /// only the responses that arrived since (see `console::figures::compute`).
    figures: Arc<Mutex<FiguresCache>>,
}

/// Figures per survey id.
type FiguresCache = std::collections::HashMap<String, Arc<stats::Counted>>;

impl Collector {
    /// A collector over `store`, set up by `config`.
    pub fn new(store: Box<dyn Store>, mut config: Config) -> Self {
        let seed = config.faults.seed.max(1);
        let surveys = Arc::new(RwLock::new(Arc::new(std::mem::take(&mut config.surveys))));
        let requests = Arc::new(Semaphore::new(config.limits.max_requests));
        let lookups = Arc::new(public::RateLimit::new(config.lookups_per_minute));
        Self {
            backoff: Arc::new(accounts::Backoff::default()),
            figures: Arc::new(Mutex::new(FiguresCache::new())),
            surveys,
            lookups,
            store: Arc::from(store),
            config: Arc::new(config),
            dice: Arc::new(Mutex::new(seed)),
            requests,
        }
    }

    /// Opens the store `db` names (see [`store::open`]) and makes a collector over it.
    ///
    /// # Errors
    /// When the store cannot be opened.
    pub async fn open(db: &str, config: Config) -> Result<Self, StartError> {
        let store = store::open(db).await.map_err(StartError::Store)?;
        let published = store.published(None).await.map_err(StartError::Store)?;
        let collector = Self::new(store, config);
        for version in published {
            // Each was checked when it was published; one this build no longer reads is
            // said at start, and its responses are held for review.
            if let Err(e) = collector.know(&version.body) {
                eprintln!(
                    "survey-collector: published {} version {}: {e}",
                    version.survey_id, version.version
                );
            }
        }
        Ok(collector)
    }

    /// The survey definitions known now.
    pub fn surveys(&self) -> Arc<Surveys> {
        Arc::clone(&self.surveys.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// Adds a published definition to those known, for every request from now on.
    ///
    /// # Errors
    /// When the definition does not load.
    pub fn know(&self, body: &str) -> Result<(), StartError> {
        let mut known = self.surveys.write().unwrap_or_else(|p| p.into_inner());
        let mut next = Surveys::clone(&known);
        next.add_published(body)?;
        *known = Arc::new(next);
        Ok(())
    }

    /// The store, for the command line and tests.
    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// A random number in `[0, 1)` from the fault dice (xorshift: repeatable from the seed).
    fn roll(&self) -> f64 {
        let mut state = self.dice.lock().unwrap_or_else(|p| p.into_inner());
        let mut x = *state;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *state = x;
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}

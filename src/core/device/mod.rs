//! What the device keeps and the rules for keeping it: the stored schema and its upgrades,
//! drafts and their resumption, records as JSON, saving and what the person is told about it.
//! Depends on `respond` and `delivery`; the browser adapter only carries out what is decided here.

pub mod draft;
pub mod record;
pub mod save;
pub mod schema;
pub mod status;

pub use draft::{resume, Draft};
pub use save::{answers_file, SaveQueue};
pub use schema::{
    upgrade_steps, StoreSpec, DB_NAME, DB_VERSION, DRAFTS, EVENTS, OUTBOX, RECEIPTS, RESPONSES, UPGRADES,
};
pub use status::{confirmation_keys, notices, Action, Completion, DeviceState, Health, Network, Notice, Resumed};

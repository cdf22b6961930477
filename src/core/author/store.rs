//! What the editor keeps on the device: each survey being shaped, autosaved after every
//! change in its own IndexedDB database (not the widget's: a carer's phone never opens it).
use crate::core::device::schema::StoreSpec;
use serde::{Deserialize, Serialize};

/// The editor's database.
pub const DB_NAME: &str = "survey-editor";
/// Its schema version.
pub const DB_VERSION: u32 = 1;
/// Its one store: the surveys being shaped, keyed by `key`.
pub const SURVEYS: &str = "surveys";
/// What each schema version adds (version `n` is `UPGRADES[n - 1]`).
pub const UPGRADES: &[&[StoreSpec]] = &[&[StoreSpec {
    name: SURVEYS,
    key_path: &["key"],
}]];

/// The stores to add going from schema version `old` to `new`.
pub fn upgrade_steps(old: u32, new: u32) -> impl Iterator<Item = &'static StoreSpec> {
    crate::core::device::schema::steps_of(UPGRADES, old, new)
}

/// A survey being shaped, as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Saved {
    /// Which draft: made when it was started, never changed.
    pub key: String,
    /// When it was last saved (milliseconds since 1970).
    #[serde(rename = "savedAt")]
    pub saved_at: f64,
    /// The survey file's text.
    pub survey: String,
    /// Texts whose translations need reading again, by their default-language words.
    #[serde(rename = "needsCheck", default, skip_serializing_if = "Vec::is_empty")]
    pub needs_check: Vec<String>,
    /// Every co-design suggestion decided, oldest first: who suggested what, and what became of it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<super::comments::Decided>,
}

impl Saved {
    /// As JSON, for the store.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// From the store's JSON; `None` for a record this build cannot read.
    pub fn from_json(text: &str) -> Option<Self> {
        crate::core::text::json::parse(text)
            .ok()
            .and_then(|v| serde_json::from_value(v).ok())
    }
}

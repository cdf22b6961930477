//! The device's IndexedDB database: its stores and the upgrade steps from each earlier
//! version, which only ever add, so an upgrade cannot lose a draft or a response.

/// The IndexedDB database name. One database holds every survey on the origin.
pub const DB_NAME: &str = "survey-widget";

/// Object store of drafts, keyed by `[surveyId, surveyVersion]`.
pub const DRAFTS: &str = "drafts";
/// Object store of completed responses, keyed by `responseId`; never changed once written.
pub const RESPONSES: &str = "responses";
/// Object store of responses waiting to be sent, keyed by `responseId`.
pub const OUTBOX: &str = "outbox";
/// Object store of delivery receipts, keyed by `responseId`.
pub const RECEIPTS: &str = "receipts";
/// Object store of the event set up on the device (event mode), keyed by `key`.
pub const EVENTS: &str = "events";

/// An object store a schema version creates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoreSpec {
    /// Store name.
    pub name: &'static str,
    /// Key path: one property, or several for a compound key.
    pub key_path: &'static [&'static str],
}

/// What each schema version adds, oldest first: version `n` is `UPGRADES[n - 1]`.
///
/// Steps only ever add: a released version's stores are never dropped or re-keyed, so an
/// upgrade cannot lose a draft or a response. A step that must reshape data gets its own
/// migration and a test with data present.
pub const UPGRADES: &[&[StoreSpec]] = &[
    // 1: drafts, and completed responses with their outbox entries.
    &[
        StoreSpec {
            name: DRAFTS,
            key_path: &["surveyId", "surveyVersion"],
        },
        StoreSpec {
            name: RESPONSES,
            key_path: &["responseId"],
        },
        StoreSpec {
            name: OUTBOX,
            key_path: &["responseId"],
        },
    ],
    // 2: receipts, which outlive a sent response's answers.
    &[StoreSpec {
        name: RECEIPTS,
        key_path: &["responseId"],
    }],
    // 3: the event an officer set up (issue #10).
    &[StoreSpec {
        name: EVENTS,
        key_path: &["key"],
    }],
];

/// The current schema version.
pub const DB_VERSION: u32 = UPGRADES.len() as u32;

/// The stores to create when upgrading from `old` (0 for a new database) to `new`.
pub fn upgrade_steps(old: u32, new: u32) -> impl Iterator<Item = &'static StoreSpec> {
    steps_of(UPGRADES, old, new)
}

/// The stores to add going from `old` to `new` in any database's list of `upgrades` (the
/// widget's, or another page's own).
pub fn steps_of(
    upgrades: &'static [&'static [StoreSpec]],
    old: u32,
    new: u32,
) -> impl Iterator<Item = &'static StoreSpec> {
    upgrades
        .iter()
        .enumerate()
        .filter(move |(i, _)| {
            let version = *i as u32 + 1;
            version > old && version <= new
        })
        .flat_map(|(_, step)| step.iter())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upgrade_steps_run_only_what_is_new() {
        let fresh: Vec<_> = upgrade_steps(0, DB_VERSION).map(|s| s.name).collect();
        assert_eq!(fresh, [DRAFTS, RESPONSES, OUTBOX, RECEIPTS, EVENTS]);
        let from_one: Vec<_> = upgrade_steps(1, DB_VERSION).map(|s| s.name).collect();
        assert_eq!(from_one, [RECEIPTS, EVENTS]);
        assert_eq!(upgrade_steps(DB_VERSION, DB_VERSION).count(), 0);
    }

    #[test]
    fn store_names_are_unique() {
        let mut names: Vec<_> = upgrade_steps(0, DB_VERSION).map(|s| s.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), upgrade_steps(0, DB_VERSION).count());
    }
}

//! What publishing a new version does to the exports (issue #25): the wide CSV's columns that
//! end and begin ("this change splits your data"), and the questions whose id would change
//! meaning. A question's id is locked once a version is published: keeping it while changing
//! the question's type would put two kinds of answer in one column, so that blocks publishing
//! until the question has a new id.
use super::dictionary::{type_name, wide_columns, WideColumn};
use crate::core::survey::definition::Survey;

/// How a new version changes the exports, compared with the published versions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Wide CSV columns of the live version the new one does not have: their answers stop.
    pub ending: Vec<String>,
    /// Wide CSV columns the new version adds: empty for every earlier response.
    pub starting: Vec<String>,
    /// Questions keeping a published id with another type: publishing is blocked.
    pub retyped: Vec<Retyped>,
}

/// A question whose id a published version gave another type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Retyped {
    /// The question's id.
    pub id: String,
    /// Its type in the published version (as survey files name it).
    pub was: &'static str,
    /// Its type now.
    pub now: &'static str,
    /// The published version that had it.
    pub version: String,
}

impl Changes {
    /// Whether the new version's export columns differ from the live version's.
    pub fn splits(&self) -> bool {
        !self.ending.is_empty() || !self.starting.is_empty()
    }
}

/// Compares `next` with the published versions, `live` (the one answered now) last.
pub fn between(published: &[&Survey], next: &Survey) -> Changes {
    let mut changes = Changes::default();
    let names = |s: &Survey| -> Vec<String> {
        let mut columns: Vec<WideColumn> = Vec::new();
        wide_columns(s, &mut columns);
        columns.into_iter().map(|c| c.name).collect()
    };
    if let Some(live) = published.last() {
        let (before, after) = (names(live), names(next));
        changes.ending = before.iter().filter(|c| !after.contains(c)).cloned().collect();
        changes.starting = after.iter().filter(|c| !before.contains(c)).cloned().collect();
    }
    for (_, q) in next.questions() {
        let now = type_name(&q.kind);
        // The latest version to have used the id says what it meant.
        let earlier = published
            .iter()
            .rev()
            .find_map(|s| s.question(&q.id).map(|(_, p)| (s, type_name(&p.kind))));
        if let Some((s, was)) = earlier {
            if was != now {
                changes.retyped.push(Retyped {
                    id: q.id.0.clone(),
                    was,
                    now,
                    version: s.version.clone(),
                });
            }
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::survey::load::load_survey_value;
    use serde_json::json;

    fn survey(version: &str, questions: serde_json::Value) -> Survey {
        let pages: Vec<_> = questions
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(i, q)| json!({ "id": format!("p{i}"), "questions": [q] }))
            .collect();
        load_survey_value(&json!({ "formatVersion": 1, "id": "s", "version": version, "title": "S", "pages": pages }))
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn an_unchanged_survey_splits_nothing() {
        let q = json!([{ "id": "a", "type": "text", "title": "A" }]);
        let changes = between(&[&survey("1", q.clone())], &survey("2", q));
        assert_eq!(changes, Changes::default());
        assert!(!changes.splits());
    }

    #[test]
    fn removed_and_added_questions_and_options_end_and_start_columns() {
        let v1 = survey(
            "1",
            json!([
                { "id": "a", "type": "text", "title": "A" },
                { "id": "b", "type": "multipleChoice", "title": "B", "choices": [{ "value": "x", "label": "X" }, { "value": "y", "label": "Y" }] }
            ]),
        );
        let v2 = survey(
            "2",
            json!([
                { "id": "b", "type": "multipleChoice", "title": "B", "choices": [{ "value": "x", "label": "X" }, { "value": "z", "label": "Z" }] },
                { "id": "c", "type": "yesNo", "title": "C" }
            ]),
        );
        let changes = between(&[&v1], &v2);
        assert_eq!(changes.ending, ["a", "b.y"]);
        assert_eq!(changes.starting, ["b.z", "c"]);
        assert!(changes.splits() && changes.retyped.is_empty());
    }

    #[test]
    fn an_id_kept_with_another_type_is_found_in_any_published_version() {
        let v1 = survey("1", json!([{ "id": "age", "type": "number", "title": "Age" }]));
        let v2 = survey("2", json!([{ "id": "other", "type": "text", "title": "Other" }]));
        let next = survey("3", json!([{ "id": "age", "type": "text", "title": "Age" }]));
        let changes = between(&[&v1, &v2], &next);
        assert_eq!(
            changes.retyped,
            [Retyped {
                id: "age".into(),
                was: "number",
                now: "text",
                version: "1".into()
            }]
        );
        // Nothing published yet: nothing to split or lock.
        assert_eq!(between(&[], &next), Changes::default());
    }
}

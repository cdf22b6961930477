//! Saving: the queue that turns edits into writes, and the file a person can download when
//! their answers cannot be kept on the device.

use super::draft::Draft;
use super::record::Record;
use crate::core::respond::session::{CompletedResponse, Session};
use crate::core::respond::view::check_rows;
use crate::core::survey::definition::Survey;
use crate::core::text::Catalogue;
use serde_json::{json, Value};

/// Turns a stream of changes into writes: a change starts a write at once when none is
/// running, and changes made during a write are covered by one more write when it ends. So
/// there is never more than one write in flight, no change waits for a timer, and the last
/// change is always written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SaveQueue {
    writing: bool,
    dirty: bool,
}

impl SaveQueue {
    /// Something changed. Returns `true` when the caller must start a write now.
    pub fn changed(&mut self) -> bool {
        if self.writing {
            self.dirty = true;
            false
        } else {
            self.writing = true;
            true
        }
    }

    /// The running write ended. Returns `true` when the caller must write again, because
    /// something changed while it ran.
    pub fn finished(&mut self) -> bool {
        if self.dirty {
            self.dirty = false;
            true
        } else {
            self.writing = false;
            false
        }
    }

    /// Whether a write is running.
    pub fn is_writing(&self) -> bool {
        self.writing
    }
}

/// The file a person can download when answers cannot be kept on the device: the answers in
/// progress (with question titles and the answers as shown on the check page) and any
/// completed responses that could not be stored.
pub fn answers_file(
    survey: Option<&Survey>,
    session: Option<&Session>,
    unsaved: &[CompletedResponse],
    older: &[Draft],
    catalogue: &Catalogue,
    now_ms: f64,
) -> String {
    let in_progress = survey.zip(session).map(|(survey, session)| {
        let rows: Vec<Value> = check_rows(survey, session, catalogue)
            .into_iter()
            .map(|row| json!({ "questionId": row.question.0, "question": row.title, "answer": row.lines.join("\n") }))
            .collect();
        json!({ "surveyId": survey.id.0, "surveyVersion": survey.version, "title": survey.title, "answers": rows })
    });
    let file = json!({
        "format": "survey-widget-answers/1",
        "downloadedAt": crate::core::survey::date::iso_timestamp(now_ms),
        "inProgress": in_progress,
        "completed": unsaved.iter().map(Record::to_value).collect::<Vec<_>>(),
        "earlierDrafts": older.iter().map(Record::to_value).collect::<Vec<_>>(),
    });
    file.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_never_runs_two_writes_and_always_writes_the_last_change() {
        let mut q = SaveQueue::default();
        assert!(q.changed(), "idle: write now");
        assert!(!q.changed(), "busy: wait");
        assert!(!q.changed(), "still one extra write");
        assert!(q.finished(), "changes came in: write again");
        assert!(!q.finished(), "nothing new: stop");
        assert!(!q.is_writing());
        assert!(q.changed());
    }
}

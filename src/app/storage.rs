//! Keeping answers on the device: turns the core's records into IndexedDB writes, runs the
//! save queue, and keeps the signals that tell the person how saving is going.
use super::Widget;
use crate::core::device::record::Record;
pub use crate::core::device::Completion;
use crate::core::device::{
    answers_file, DeviceState, Draft, Health, Network, Resumed, SaveQueue, DRAFTS, OUTBOX, RESPONSES,
};
use crate::core::{CompletedResponse, Survey, SurveyId};
use crate::platform::idb::{self, Key, Op, StoreError};
use crate::platform::{self, console_error};
use leptos::prelude::*;

/// The state of saving, shared by the components of one widget: one signal for what is
/// shown, and plain values for what only buttons and the save loop read.
#[derive(Clone, Copy)]
pub struct Saving {
    /// What the widget tells the person about their answers on this device.
    pub device: RwSignal<DeviceState>,
    kept: StoredValue<Kept>,
}

#[derive(Default)]
struct Kept {
    queue: SaveQueue,
    saved_once: bool,
    /// Completed responses that could not be stored (for the download, and for sending).
    unsaved: Vec<CompletedResponse>,
    /// Drafts of older versions of this survey, kept and offered as a download.
    older: Vec<Draft>,
}

impl Saving {
    /// State for a widget that starts with `health`.
    pub fn new(health: Health, resumed: bool, older: Vec<Draft>) -> Self {
        let device = DeviceState {
            health,
            network: if platform::is_online() {
                Network::Online
            } else {
                Network::Offline
            },
            resumed: if resumed { Resumed::Shown } else { Resumed::No },
            has_older: !older.is_empty(),
            ..DeviceState::default()
        };
        Self {
            device: RwSignal::new(device),
            kept: StoredValue::new(Kept {
                older,
                ..Kept::default()
            }),
        }
    }

    /// Changes what is shown, notifying only when something really changed.
    pub fn change(&self, f: impl FnOnce(&mut DeviceState)) {
        self.device.maybe_update(|d| {
            let before = *d;
            f(d);
            *d != before
        });
    }
}

fn draft_key(survey_id: &SurveyId, version: &str) -> Key {
    Key::Pair(survey_id.0.clone(), version.to_owned())
}

/// Every saved draft, of every survey and version. A record that does not read back as a
/// draft is reported and left alone, never deleted.
///
/// # Errors
/// When IndexedDB cannot be opened or read.
pub async fn all_drafts() -> Result<Vec<Draft>, StoreError> {
    let mut drafts = Vec::new();
    for json in idb::get_all(DRAFTS).await? {
        match Draft::from_json(&json) {
            Some(draft) => drafts.push(draft),
            None => console_error(&format!("survey widget: a saved draft could not be read: {json}")),
        }
    }
    Ok(drafts)
}

/// Saves the session as the draft of its survey version, or deletes the draft when there is
/// nothing left to keep. Returns whether a draft is now stored.
async fn write_draft(survey: &Survey, session: &crate::core::Session) -> Result<bool, StoreError> {
    let (op, kept) = match Draft::of(survey, session, platform::now_ms()) {
        Some(draft) => (Op::Put(DRAFTS, draft.to_json()), true),
        None => (Op::Delete(DRAFTS, draft_key(&survey.id, &survey.version)), false),
    };
    idb::write(&[op], false).await.map(|()| kept)
}

/// Writes the session as it is now, for a widget about to go (its element left the page):
/// the save queue stops with the widget, so its last change would otherwise wait for a
/// write that never comes.
pub fn flush(w: Widget) {
    if w.preview || w.saving.device.with_untracked(|d| d.health) == Health::Unavailable {
        return;
    }
    let (Some(survey), Some(session)) = (w.survey.try_get_value(), w.session.try_get_untracked()) else {
        return;
    };
    if matches!(session.screen, crate::core::Screen::Complete { .. }) {
        return;
    }
    leptos::task::spawn_local(async move {
        if let Err(e) = write_draft(&survey, &session).await {
            console_error(&format!("survey widget: saving the draft failed: {e}"));
        }
    });
}

/// Asks for the current session to be saved: at once, or right after the write that is
/// running, so every change is written with never more than one write in flight.
pub fn request_save(w: Widget) {
    if w.preview || w.saving.device.with_untracked(|d| d.health) == Health::Unavailable {
        return;
    }
    if !w.saving.kept.try_update_value(|k| k.queue.changed()).unwrap_or(false) {
        return;
    }
    leptos::task::spawn_local(async move {
        loop {
            let survey = w.survey.get_value();
            let session = w.session.get_untracked();
            let result = write_draft(&survey, &session).await;
            if !w.alive() {
                return;
            }
            after_write(w, result);
            if !w.saving.kept.try_update_value(|k| k.queue.finished()).unwrap_or(false) {
                break;
            }
        }
    });
}

fn after_write(w: Widget, result: Result<bool, StoreError>) {
    let health = match result {
        // Nothing in progress is stored any more (finished, or started again): nothing to say.
        Ok(false) => Health::Idle,
        Ok(true) => {
            let first = w
                .saving
                .kept
                .try_update_value(|k| !std::mem::replace(&mut k.saved_once, true));
            if first == Some(true) {
                idb::request_persistence();
            }
            w.emit("survey-widget:saved", &[]);
            Health::Saved
        }
        Err(e) => {
            console_error(&format!("survey widget: saving the draft failed: {e}"));
            match e {
                StoreError::Unavailable(_) => Health::Unavailable,
                StoreError::Quota => Health::Full,
                StoreError::Closed | StoreError::Failed(_) => Health::after_failure(false),
            }
        }
    };
    w.saving.change(|d| d.set_health(health));
}

/// Stores a completed response in one transaction: the draft goes, the response (which is
/// never changed afterwards) and its outbox entry arrive, flushed to disk where the browser
/// can. When that fails, the response stays in memory and the person is offered the file.
pub fn store_completed(w: Widget, response: CompletedResponse) {
    if w.preview {
        w.saving.change(|d| d.completion = Completion::Stored);
        return;
    }
    w.saving.change(|d| d.completion = Completion::Saving);
    leptos::task::spawn_local(async move {
        let ops = [
            Op::Delete(DRAFTS, draft_key(&response.survey_id, &response.survey_version)),
            Op::Add(RESPONSES, response.to_json()),
            Op::Put(OUTBOX, w.sync.entry_for(&response).to_json()),
        ];
        let result = idb::write(&ops, true).await;
        if !w.alive() {
            return;
        }
        match result {
            Ok(()) => {
                // The draft is gone; the confirmation page says where the response stands.
                w.saving.change(|d| {
                    d.completion = Completion::Stored;
                    if !d.health.at_risk() {
                        d.health = Health::Idle;
                    }
                });
                w.emit("survey-widget:completed", &[]);
                w.emit(
                    "completed",
                    &[
                        ("reference", response.reference.as_str().into()),
                        ("responseId", response.response_id.as_str().into()),
                        ("surveyId", response.survey_id.as_str().into()),
                    ],
                );
                super::sync::pump(w);
            }
            Err(e) => {
                console_error(&format!("survey widget: storing the response failed: {e}"));
                w.emit(
                    "error",
                    &[
                        ("kind", "storage".into()),
                        (
                            "message",
                            "the response could not be stored on this device; the person is offered it as a file"
                                .into(),
                        ),
                    ],
                );
                w.saving.kept.update_value(|k| k.unsaved.push(response));
                w.saving.change(|d| d.completion = Completion::Unsaved);
            }
        }
    });
}

/// Offers the answers as a file: what is in progress, completed responses that could not be
/// stored, and drafts of earlier versions.
pub fn download_answers(w: Widget, include_current: bool) {
    let survey = w.survey.get_value();
    let session = w.session.get_untracked();
    let text = w.saving.kept.with_value(|k| {
        w.catalogue.with_value(|c| {
            answers_file(
                include_current.then_some(&*survey),
                include_current.then_some(&session),
                &k.unsaved,
                &k.older,
                c,
                platform::now_ms(),
            )
        })
    });
    let date = crate::core::Date::from_unix_ms(platform::now_ms());
    let name = format!("{}-answers-{date}.json", survey.id);
    if let Err(e) = platform::download(&name, "application/json", &text) {
        console_error(&format!("survey widget: {e}"));
    }
}

/// Follows the browser's online and offline events, and saves when the page is hidden or
/// closed: the last chance before a phone discards the tab.
pub fn watch_page(w: Widget) {
    let online = window_event_listener_untyped("online", move |_| {
        w.saving.change(|d| d.network = Network::BackOnline);
        super::sync::pump(w);
    });
    let offline = window_event_listener_untyped("offline", move |_| w.saving.change(|d| d.network = Network::Offline));
    let hidden = window_event_listener_untyped("visibilitychange", move |_| {
        let hidden = web_sys::window()
            .and_then(|win| win.document())
            .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden);
        if hidden {
            request_save(w);
        }
    });
    let pagehide = window_event_listener_untyped("pagehide", move |_| request_save(w));
    on_cleanup(move || {
        online.remove();
        offline.remove();
        hidden.remove();
        pagehide.remove();
    });
}

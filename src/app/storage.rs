//! Keeping answers on the device: turns the core's records into IndexedDB writes, runs the
//! save queue, and keeps the signals that tell the person how saving is going.
use super::Widget;
use crate::core::record::Record;
use crate::core::storage::{
    answers_file, Completion, Draft, Health, Network, OutboxEntry, Resumed, SaveQueue, DRAFTS, OUTBOX, RESPONSES,
};
use crate::core::{CompletedResponse, Survey, SurveyId};
use crate::platform::idb::{self, Key, Op, StoreError};
use crate::platform::{self, console_error};
use leptos::prelude::*;

/// The state of saving, shared by the components of one widget.
#[derive(Clone, Copy)]
pub struct Saving {
    /// How saving is going.
    pub health: RwSignal<Health>,
    /// The network as the browser reports it.
    pub network: RwSignal<Network>,
    /// A one-off status message that wins over the computed one until the next change.
    pub note: RwSignal<Option<&'static str>>,
    /// The resumed-draft banner.
    pub resumed: RwSignal<Resumed>,
    /// Storing the completed response.
    pub completion: RwSignal<Completion>,
    /// Completed responses that could not be stored (kept for the download, and for sending).
    pub unsaved: RwSignal<Vec<CompletedResponse>>,
    /// Drafts of older versions of this survey, kept and offered as a download.
    pub older: RwSignal<Vec<Draft>>,
    queue: StoredValue<SaveQueue>,
    saved_once: StoredValue<bool>,
}

impl Saving {
    /// State for a widget that starts with `health`.
    pub fn new(health: Health, resumed: bool, older: Vec<Draft>) -> Self {
        Self {
            health: RwSignal::new(health),
            network: RwSignal::new(if platform::is_online() {
                Network::Online
            } else {
                Network::Offline
            }),
            note: RwSignal::new(None),
            resumed: RwSignal::new(if resumed { Resumed::Shown } else { Resumed::No }),
            completion: RwSignal::new(Completion::None),
            unsaved: RwSignal::new(Vec::new()),
            older: RwSignal::new(older),
            queue: StoredValue::new(SaveQueue::default()),
            saved_once: StoredValue::new(false),
        }
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
/// nothing left to keep.
async fn write_draft(survey: &Survey, session: &crate::core::Session) -> Result<(), StoreError> {
    let op = match Draft::of(survey, session, platform::now_ms()) {
        Some(draft) => Op::Put(DRAFTS, draft.to_json()),
        None => Op::Delete(DRAFTS, draft_key(&survey.id, &survey.version)),
    };
    idb::write(&[op], false).await
}

/// Asks for the current session to be saved: at once, or right after the write that is
/// running, so every change is written with never more than one write in flight.
pub fn request_save(w: Widget) {
    if w.saving.health.get_untracked() == Health::Unavailable {
        return;
    }
    if !w.saving.queue.try_update_value(SaveQueue::changed).unwrap_or(false) {
        return;
    }
    leptos::task::spawn_local(async move {
        loop {
            let survey = w.survey.get_value();
            let session = w.session.get_untracked();
            let result = write_draft(&survey, &session).await;
            after_write(w, result);
            if !w.saving.queue.try_update_value(SaveQueue::finished).unwrap_or(false) {
                break;
            }
        }
    });
}

fn after_write(w: Widget, result: Result<(), StoreError>) {
    let health = match result {
        Ok(()) => {
            if !w.saving.saved_once.get_value() {
                w.saving.saved_once.set_value(true);
                idb::request_persistence();
            }
            platform::emit(&w.dom_id("root"), "survey-widget:saved");
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
    if w.saving.health.get_untracked() != health {
        w.saving.health.set(health);
    }
}

/// Stores a completed response in one transaction: the draft goes, the response (which is
/// never changed afterwards) and its outbox entry arrive, flushed to disk where the browser
/// can. When that fails, the response stays in memory and the person is offered the file.
pub fn store_completed(w: Widget, response: CompletedResponse) {
    w.saving.completion.set(Completion::Saving);
    leptos::task::spawn_local(async move {
        let ops = [
            Op::Delete(DRAFTS, draft_key(&response.survey_id, &response.survey_version)),
            Op::Add(RESPONSES, response.to_json()),
            Op::Put(OUTBOX, OutboxEntry::new(&response).to_json()),
        ];
        let result = idb::write(&ops, true).await;
        match result {
            Ok(()) => {
                w.saving.completion.set(Completion::Stored);
                platform::emit(&w.dom_id("root"), "survey-widget:completed");
            }
            Err(e) => {
                console_error(&format!("survey widget: storing the response failed: {e}"));
                w.saving.unsaved.update(|list| list.push(response));
                w.saving.completion.set(Completion::Unsaved);
            }
        }
    });
}

/// Offers the answers as a file: what is in progress, completed responses that could not be
/// stored, and drafts of earlier versions.
pub fn download_answers(w: Widget, include_current: bool) {
    let survey = w.survey.get_value();
    let session = w.session.get_untracked();
    let unsaved = w.saving.unsaved.get_untracked();
    let older = w.saving.older.get_untracked();
    let text = w.catalogue.with_value(|c| {
        answers_file(
            include_current.then_some(&*survey),
            include_current.then_some(&session),
            &unsaved,
            &older,
            c,
            platform::now_ms(),
        )
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
    let online = window_event_listener_untyped("online", move |_| w.saving.network.set(Network::BackOnline));
    let offline = window_event_listener_untyped("offline", move |_| w.saving.network.set(Network::Offline));
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

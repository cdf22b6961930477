//! The console's side effects: reading and writing the device's records, the PIN, sending,
//! exporting and ending the event. The rules come from `core`.
use super::{Console, Screen};
use leptos::prelude::*;
use serde_json::Value;
use std::time::Duration;
use survey_widget::core::analysis::csv::{self, export_file, Manifest};
use survey_widget::core::delivery::outbox::OutboxEntry;
use survey_widget::core::delivery::outbox::{DeliveryStatus, Receipt};
use survey_widget::core::delivery::protocol::request_body;
use survey_widget::core::device::record::Record;
use survey_widget::core::device::{DRAFTS, EVENTS, OUTBOX, RECEIPTS, RESPONSES};
use survey_widget::core::event::{
    device_label, export_stem, Ending, EventSetup, EventSurvey, Lockout, PinHash, SetupForm, CURRENT, PIN_ITERATIONS,
};
use survey_widget::core::survey::date::iso_timestamp;
use survey_widget::core::text::hex;
use survey_widget::core::text::json;
use survey_widget::core::CompletedResponse;
use survey_widget::platform::idb::{self, read_all, Key, Op, StoreError};
use survey_widget::platform::sender_link::send_round;
use survey_widget::platform::{self, console_error, officer};

/// Key of the record listing the responses exported, in the events store.
const EXPORTED: &str = "exported";

/// One of this event's responses and where it stands.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// The response, answers included.
    pub response: CompletedResponse,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// When the next attempt is due, if waiting.
    pub next_attempt: Option<f64>,
}

/// What the device holds for the event.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snapshot {
    /// This event's responses, oldest first.
    pub items: Vec<Item>,
    /// Response ids in an export made on this device.
    pub exported: Vec<String>,
    /// Storage used and available, bytes.
    pub estimate: Option<(f64, f64)>,
    /// Whether storage is persistent.
    pub persisted: Option<bool>,
    /// "Send now" is running.
    pub sending: bool,
    /// Whether the device could run the event with no signal, as last checked.
    pub offline: Offline,
}

/// Whether the device is ready to run the event with no signal: checked with the service
/// worker each time the console refreshes, never assumed (issue #21).
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Offline {
    /// Not checked yet.
    #[default]
    Checking,
    /// This browser keeps no pages for offline use (no service worker here).
    Unsupported,
    /// Files still to fetch: the number, or none known while the worker starts.
    NotYet(usize),
    /// The event page, its build, its survey and the console are on the device.
    Ready,
}

/// Asks the service worker beside the event page to make the device ready, and what is
/// missing (`sw.js`, `survey-widget-offline.json`).
async fn offline_status(c: Console) -> Offline {
    let (supported, controlled) = officer::service_worker();
    if !supported {
        return Offline::Unsupported;
    }
    if !controlled {
        // Registered by this page and starting: it takes the page over once installed.
        return Offline::NotYet(0);
    }
    let base = c.survey_page.get_value();
    let Some(status) = platform::absolute_url(&base).and_then(|page| {
        let survey = c.survey_src.get_untracked().unwrap_or_default();
        let url = web_sys::Url::new_with_base("survey-widget-offline.json", &page).ok()?;
        url.search_params().set("survey", &survey);
        Some(url.href())
    }) else {
        return Offline::NotYet(0);
    };
    match platform::fetch_text(&status, true).await.map(|t| json::parse(&t)) {
        Ok(Ok(v)) if v.get("ready").and_then(Value::as_bool) == Some(true) => Offline::Ready,
        Ok(Ok(v)) => Offline::NotYet(v.get("missing").and_then(Value::as_array).map_or(0, Vec::len)),
        _ => Offline::NotYet(0),
    }
}

impl Snapshot {
    /// Received by the council.
    pub fn received(&self) -> usize {
        self.items
            .iter()
            .filter(|i| matches!(i.status, DeliveryStatus::Received(_)))
            .count()
    }

    /// What ending the event now would delete.
    pub fn ending(&self) -> Ending {
        Ending::of(self.items.iter().map(|i| {
            (
                matches!(i.status, DeliveryStatus::Received(_)),
                self.exported.contains(&i.response.response_id),
            )
        }))
    }
}

async fn read_exported(event_id: &str) -> Vec<String> {
    let json = idb::get(EVENTS, &Key::Text(EXPORTED.to_owned())).await.ok().flatten();
    let v = json.and_then(|j| json::parse(&j).ok()).unwrap_or(Value::Null);
    if v.get("eventId").and_then(Value::as_str) != Some(event_id) {
        return Vec::new();
    }
    v.get("ids")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default()
}

/// Reads what the device holds for the event into the console.
pub async fn refresh(c: Console) {
    let Some(setup) = c.setup.get_untracked() else {
        return;
    };
    let (responses, entries, receipts) = (
        read_all::<CompletedResponse>(RESPONSES).await,
        read_all::<OutboxEntry>(OUTBOX).await,
        read_all::<Receipt>(RECEIPTS).await,
    );
    let (Ok(responses), Ok(entries), Ok(receipts)) = (responses, entries, receipts) else {
        c.message.set(Some(c.tf("storage.failed", &[("reason", "IndexedDB")])));
        return;
    };
    let mut items: Vec<Item> = responses
        .into_iter()
        .filter(|r| r.context.as_ref().is_some_and(|x| x.event_id == setup.id))
        .map(|response| {
            let entry = entries.iter().find(|e| e.response_id == response.response_id);
            let status = match (entry, receipts.iter().find(|r| r.response_id == response.response_id)) {
                (Some(e), _) => e.delivery_status(),
                (None, Some(r)) => DeliveryStatus::Received(r.sent_at),
                (None, None) => DeliveryStatus::Kept,
            };
            Item {
                next_attempt: entry.and_then(|e| e.state.due_at()),
                response,
                status,
            }
        })
        .collect();
    items.sort_by(|a, b| a.response.completed_at.total_cmp(&b.response.completed_at));
    let exported = read_exported(&setup.id).await;
    let estimate = officer::storage_estimate().await;
    let persisted = officer::storage_persisted().await;
    let sending = c.data.with_untracked(|d| d.sending);
    let offline = offline_status(c).await;
    let next = Snapshot {
        items,
        exported,
        estimate,
        persisted,
        sending,
        offline,
    };
    if c.data.with_untracked(|d| d != &next) {
        c.data.set(next);
    }
}

/// Keeps the dashboard live: re-reads the device every two seconds while it shows (the
/// survey tab may be sending meanwhile). The timer goes with the console.
pub fn watch(c: Console) {
    let tick = set_interval_with_handle(
        move || {
            if matches!(
                c.screen.try_get_untracked(),
                Some(Screen::Dashboard | Screen::EndConfirm)
            ) {
                leptos::task::spawn_local(refresh(c));
            }
        },
        Duration::from_millis(2000),
    );
    on_cleanup(move || {
        if let Ok(t) = tick {
            t.clear();
        }
    });
}

async fn write_setup(setup: &EventSetup) -> Result<(), StoreError> {
    idb::write(&[Op::Put(EVENTS, setup.to_json())], true).await
}

/// Saves the setup form: a new event (new id, device label, salt and PIN hash) or a change
/// to the current one (same id and device; a new PIN only if one was typed).
pub async fn save_setup(c: Console, form: SetupForm) -> Result<(), String> {
    let existing = c.setup.get_untracked();
    let pin = if form.pin.is_empty() {
        existing.as_ref().map(|e| e.pin.clone()).ok_or("no PIN")?
    } else {
        let salt = platform::random_bytes::<16>().map_err(|e| e.to_string())?;
        let hash = officer::derive_pin(&form.pin, &salt, PIN_ITERATIONS)
            .await
            .map_err(|e| e.to_string())?;
        PinHash {
            salt: hex(&salt),
            iterations: PIN_ITERATIONS,
            hash,
        }
    };
    // The survey the event collects, recorded so the console and the event page keep to it.
    let survey = c.survey.get_untracked().and_then(|s| {
        Some(EventSurvey {
            id: s.id.0.clone(),
            src: c.survey_src.get_untracked()?,
        })
    });
    let setup = match existing {
        Some(e) => EventSetup {
            name: form.name,
            idle_secs: form.idle_secs,
            abandoned: form.abandoned,
            pin,
            survey: e.survey.clone().or(survey),
            ..e
        },
        None => {
            let id = platform::random_bytes::<8>().map_err(|e| e.to_string())?;
            let device = platform::random_bytes::<4>().map_err(|e| e.to_string())?;
            EventSetup {
                id: hex(&id),
                name: form.name,
                device: device_label(device),
                idle_secs: form.idle_secs,
                abandoned: form.abandoned,
                pin,
                lockout: Lockout::default(),
                created_at: platform::now_ms(),
                survey,
            }
        }
    };
    write_setup(&setup).await.map_err(|e| e.to_string())?;
    idb::request_persistence();
    c.setup.set(Some(setup));
    Ok(())
}

fn from_hex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .filter_map(|i| s.get(i * 2..i * 2 + 2).and_then(|b| u8::from_str_radix(b, 16).ok()))
        .collect()
}

/// Checks a PIN against the setup, with the back-off kept on the device. `Ok(true)` opens.
///
/// # Errors
/// `Err(until)` while the console refuses.
pub async fn unlock(c: Console, pin: &str) -> Result<bool, f64> {
    let Some(mut setup) = c.setup.get_untracked() else {
        return Ok(false);
    };
    setup.lockout.check(platform::now_ms())?;
    let derived = officer::derive_pin(pin, &from_hex(&setup.pin.salt), setup.pin.iterations)
        .await
        .unwrap_or_default();
    let right = !derived.is_empty() && setup.pin.matches(&derived);
    if right {
        setup.lockout.succeeded();
    } else {
        setup.lockout.failed(platform::now_ms());
    }
    if let Err(e) = write_setup(&setup).await {
        console_error(&format!("event console: {e}"));
    }
    let locked = setup.lockout.check(platform::now_ms());
    c.setup.set(Some(setup));
    if right {
        Ok(true)
    } else {
        locked.map(|()| false)
    }
}

/// "Send now": every waiting response of the device, through the sender's own module (the
/// same the widget loads, issue #24), under the widget's lock (the console and an open survey
/// tab never both send); answers are kept until the event ends, and the figures follow each
/// attempt.
pub fn send_now(c: Console) {
    if c.data.with_untracked(|d| d.sending) {
        return;
    }
    c.data.update(|d| d.sending = true);
    leptos::task::spawn_local(async move {
        send_round(true, true, move |_| leptos::task::spawn_local(refresh(c))).await;
        c.data.update(|d| d.sending = false);
        refresh(c).await;
    });
}

fn file_stem(setup: &EventSetup) -> String {
    let day = survey_widget::core::Date::from_unix_ms(platform::now_ms());
    export_stem(&setup.name, &setup.device, day)
}

/// Exports every response of the event: the JSON file the collector imports, or the CSV in
/// the collector's columns. Returns how many, and records them as exported.
pub async fn export(c: Console, json: bool) -> Result<usize, String> {
    let Some(setup) = c.setup.get_untracked() else {
        return Err("no event".into());
    };
    refresh(c).await;
    let snapshot = c.data.get_untracked();
    let bodies: Vec<Value> = snapshot.items.iter().map(|i| request_body(&i.response)).collect();
    let now = platform::now_ms();
    let stem = file_stem(&setup);
    if json {
        let manifest = Manifest {
            event: setup.name.clone(),
            event_id: setup.id.clone(),
            device: setup.device.clone(),
            exported_at: iso_timestamp(now),
            responses: 0,
            received: snapshot.received(),
            incomplete: 0,
            sha256: String::new(),
        };
        let (text, _) = export_file(manifest, &bodies);
        platform::download(&format!("{stem}.json"), "application/json", &text).map_err(|e| e.to_string())?;
    } else {
        let mut columns = Vec::new();
        if let Some(s) = c.survey.get_untracked() {
            csv::answer_columns(&s, &mut columns);
        }
        let mut text = csv::header(&columns);
        for (item, body) in snapshot.items.iter().zip(&bodies) {
            let received = match item.status {
                DeliveryStatus::Received(at) => iso_timestamp(at),
                _ => String::new(),
            };
            csv::line(&mut text, &columns, body, &received);
        }
        platform::download(&format!("{stem}.csv"), "text/csv", &text).map_err(|e| e.to_string())?;
    }
    let ids: Vec<Value> = snapshot
        .items
        .iter()
        .map(|i| Value::from(i.response.response_id.as_str()))
        .collect();
    let record = serde_json::json!({ "key": EXPORTED, "eventId": setup.id, "ids": ids, "at": now });
    idb::write(&[Op::Put(EVENTS, record.to_string())], true)
        .await
        .map_err(|e| e.to_string())?;
    refresh(c).await;
    Ok(ids.len())
}

/// Deletes the event and its answers from the device, and returns to setup.
pub async fn end_event(c: Console) -> Result<(), String> {
    refresh(c).await;
    let mut ops = Vec::new();
    for item in c.data.get_untracked().items {
        let id = Key::Text(item.response.response_id.clone());
        ops.push(Op::Delete(RESPONSES, id.clone()));
        ops.push(Op::Delete(OUTBOX, id.clone()));
        ops.push(Op::Delete(RECEIPTS, id));
    }
    if let Some(s) = c.survey.get_untracked() {
        ops.push(Op::Delete(DRAFTS, Key::Pair(s.id.0.clone(), s.version.clone())));
    }
    ops.push(Op::Delete(EVENTS, Key::Text(EXPORTED.to_owned())));
    ops.push(Op::Delete(EVENTS, Key::Text(CURRENT.to_owned())));
    idb::write(&ops, true).await.map_err(|e| e.to_string())?;
    c.setup.set(None);
    c.data.set(Snapshot::default());
    Ok(())
}

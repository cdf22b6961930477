//! Browser calls only the survey editor makes (issue #25): its own database of surveys being
//! shaped. Kept apart so the respondent's widget never links them.
use super::idb::{self, Key, Op, StoreError};
use crate::core::author::store::{upgrade_steps, Saved, DB_NAME, DB_VERSION, SURVEYS};

async fn open() -> Result<web_sys::IdbDatabase, StoreError> {
    idb::open_with(DB_NAME, DB_VERSION, upgrade_steps).await
}

/// Every survey being shaped on this device, the latest saved first.
///
/// # Errors
/// When IndexedDB cannot be opened or read.
pub async fn list() -> Result<Vec<Saved>, StoreError> {
    let db = open().await?;
    let rows = idb::get_all_in(&db, SURVEYS).await;
    db.close();
    let mut saved: Vec<Saved> = rows?.iter().filter_map(|r| Saved::from_json(r)).collect();
    saved.sort_by(|a, b| b.saved_at.total_cmp(&a.saved_at));
    Ok(saved)
}

/// Saves a survey being shaped, replacing its earlier save.
///
/// # Errors
/// [`StoreError::Quota`] when the device is full; others as the browser reports.
pub async fn save(saved: &Saved) -> Result<(), StoreError> {
    let db = open().await?;
    let written = idb::write_in(&db, &[Op::Put(SURVEYS, saved.to_json())], true).await;
    db.close();
    written
}

/// Deletes a survey being shaped from this device.
///
/// # Errors
/// As the browser reports.
pub async fn delete(key: &str) -> Result<(), StoreError> {
    let db = open().await?;
    let written = idb::write_in(&db, &[Op::Delete(SURVEYS, Key::Text(key.to_owned()))], true).await;
    db.close();
    written
}

/// Opens the browser's print dialogue, for the large-print version of a draft.
pub fn print_page() {
    if let Some(window) = web_sys::window() {
        if let Err(e) = window.print() {
            super::console_error(&format!("editor: print: {}", super::js_text(&e)));
        }
    }
}

/// The bytes of the file chosen in `input` (a spreadsheet to open).
///
/// # Errors
/// When no file is chosen or it cannot be read, with the reason.
pub async fn read_chosen_bytes(input: &web_sys::HtmlInputElement) -> Result<Vec<u8>, String> {
    let file = input
        .files()
        .and_then(|f| f.get(0))
        .ok_or_else(|| "no file chosen".to_owned())?;
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| super::js_text(&e))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

//! IndexedDB, through web-sys directly.
//!
//! The widget needs six calls (open with an upgrade, read a store, and one transaction that
//! puts and deletes), so a wrapper crate would add wasm size without removing any code we
//! would otherwise write; and web-sys exposes transaction durability, which completing a
//! response needs. Records are stored as plain JS objects made by `JSON.parse` from serde's
//! output, so key paths work and the data is readable in the browser's developer tools.
//!
//! One connection serves the whole page. When the browser closes it (iOS does this to
//! background tabs) or another tab needs a newer schema, it is dropped and the next call
//! opens a fresh one.
use crate::core::device::schema::StoreSpec;
use crate::core::device::{DB_NAME, DB_VERSION};
use std::cell::RefCell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    DomException, IdbDatabase, IdbObjectStoreParameters, IdbOpenDbRequest, IdbRequest, IdbTransaction,
    IdbTransactionMode, IdbVersionChangeEvent,
};

/// Why a storage call failed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum StoreError {
    /// IndexedDB is missing or refuses to open (private browsing, blocked by settings).
    #[error("IndexedDB is unavailable: {0}")]
    Unavailable(String),
    /// The origin's storage quota is used up.
    #[error("the storage quota is exceeded")]
    Quota,
    /// The connection closed under the call.
    #[error("the database connection closed")]
    Closed,
    /// Anything else the browser reported.
    #[error("IndexedDB error: {0}")]
    Failed(String),
}

/// A record key.
#[derive(Clone, Debug, PartialEq)]
pub enum Key {
    /// A single string key.
    Text(String),
    /// A compound key of two strings, e.g. `[surveyId, surveyVersion]`.
    Pair(String, String),
}

impl Key {
    fn to_js(&self) -> JsValue {
        match self {
            Key::Text(s) => JsValue::from_str(s),
            Key::Pair(a, b) => js_sys::Array::of2(&JsValue::from_str(a), &JsValue::from_str(b)).into(),
        }
    }
}

/// One change inside a write transaction.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// Insert or replace a record given as JSON text.
    Put(&'static str, String),
    /// Delete the record with this key, if there is one.
    Delete(&'static str, Key),
    /// Insert a record that must not exist yet: the transaction fails if it does.
    Add(&'static str, String),
}

impl Op {
    fn store(&self) -> &'static str {
        match self {
            Op::Put(s, _) | Op::Delete(s, _) | Op::Add(s, _) => s,
        }
    }
}

/// A storage call's future, boxed: each is awaited in several places, and one boxed poll
/// function is much smaller in the wasm than a copy inlined into every caller's state machine.
pub type Boxed<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<T, StoreError>> + 'a>>;

thread_local! {
    static CONNECTION: RefCell<Option<IdbDatabase>> = const { RefCell::new(None) };
}

fn classify(error: &JsValue) -> StoreError {
    match error.dyn_ref::<DomException>() {
        Some(e) => match e.name().as_str() {
            "QuotaExceededError" => StoreError::Quota,
            "InvalidStateError" | "TransactionInactiveError" => StoreError::Closed,
            "SecurityError" | "NotAllowedError" => StoreError::Unavailable(e.message()),
            name => StoreError::Failed(format!("{name}: {}", e.message())),
        },
        None => StoreError::Failed(super::js_text(error)),
    }
}

/// Resolves with the request's result, or its error.
async fn settle(request: &IdbRequest) -> Result<JsValue, StoreError> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let r = request.clone();
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::UNDEFINED, &r.result().unwrap_or(JsValue::UNDEFINED));
        });
        let r = request.clone();
        let fail = Closure::once_into_js(move || {
            let error = r.error().ok().flatten().map_or(JsValue::UNDEFINED, JsValue::from);
            let _ = reject.call1(&JsValue::UNDEFINED, &error);
        });
        request.set_onsuccess(Some(ok.unchecked_ref()));
        request.set_onerror(Some(fail.unchecked_ref()));
    });
    JsFuture::from(promise).await.map_err(|e| classify(&e))
}

/// Resolves when the transaction commits; fails with the reason it aborted.
fn committed(tx: &IdbTransaction) -> JsFuture {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let done = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        });
        let t = tx.clone();
        let aborted = Closure::once_into_js(move || {
            let error = t.error().map_or(JsValue::UNDEFINED, JsValue::from);
            let _ = reject.call1(&JsValue::UNDEFINED, &error);
        });
        tx.set_oncomplete(Some(done.unchecked_ref()));
        tx.set_onabort(Some(aborted.unchecked_ref()));
    });
    JsFuture::from(promise)
}

/// Opens the database at `version`, creating or upgrading stores on the way. Tests open
/// older versions to check the upgrade path; the widget always opens [`DB_VERSION`].
///
/// # Errors
/// [`StoreError::Unavailable`] when IndexedDB is missing or will not open.
pub async fn open_version(name: &str, version: u32) -> Result<IdbDatabase, StoreError> {
    open_with(name, version, crate::core::device::upgrade_steps).await
}

/// Opens the database `name` at `version`, adding the stores `steps(old, new)` gives for the
/// versions it passes: the widget's, or another page's own database, such as the survey
/// editor's drafts. A function (its own type for each caller) rather than the list, so each
/// caller's steps stay a constant the compiler folds: passing the list, or a function
/// pointer, cost the widget 0.3 KB.
///
/// # Errors
/// [`StoreError::Unavailable`] when IndexedDB is missing or will not open.
pub async fn open_with<F, I>(name: &str, version: u32, steps: F) -> Result<IdbDatabase, StoreError>
where
    F: FnOnce(u32, u32) -> I + 'static,
    I: Iterator<Item = &'static StoreSpec>,
{
    let unavailable = |e: JsValue| StoreError::Unavailable(super::js_text(&e));
    let factory = super::global::global()
        .indexed_db()
        .map_err(unavailable)?
        .ok_or_else(|| StoreError::Unavailable("no indexedDB".into()))?;
    let request: IdbOpenDbRequest = factory.open_with_u32(name, version).map_err(unavailable)?;
    let r = request.clone();
    let upgrade = Closure::once_into_js(move |event: IdbVersionChangeEvent| {
        let Ok(db) = r.result().and_then(|db| db.dyn_into::<IdbDatabase>()) else {
            return;
        };
        let old = event.old_version() as u32;
        let new = event.new_version().map_or(version, |v| v as u32);
        for spec in steps(old, new) {
            let params = IdbObjectStoreParameters::new();
            let key_path: JsValue = match spec.key_path {
                [one] => JsValue::from_str(one),
                many => many
                    .iter()
                    .map(|p| JsValue::from_str(p))
                    .collect::<js_sys::Array>()
                    .into(),
            };
            params.set_key_path(&key_path);
            // An error here aborts the upgrade, and the open fails with it.
            let _ = db.create_object_store_with_optional_parameters(spec.name, &params);
        }
    });
    request.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    let db = settle(&request)
        .await
        .map_err(|e| match e {
            StoreError::Quota => StoreError::Quota,
            other => StoreError::Unavailable(other.to_string()),
        })?
        .dyn_into::<IdbDatabase>()
        .map_err(|e| StoreError::Unavailable(super::js_text(&e)))?;
    Ok(db)
}

/// The page's connection, opened on first use and again after the browser closes it.
async fn connection() -> Result<IdbDatabase, StoreError> {
    if let Some(db) = CONNECTION.with(|c| c.borrow().clone()) {
        return Ok(db);
    }
    let db = open_version(DB_NAME, DB_VERSION).await?;
    // Only forget the connection that closed, not a newer one opened since.
    let forget = |db: IdbDatabase| {
        CONNECTION.with(|c| {
            let mut current = c.borrow_mut();
            if current.as_ref() == Some(&db) {
                current.take();
            }
        });
    };
    let d = db.clone();
    let closed = Closure::<dyn FnMut()>::new(move || forget(d.clone())).into_js_value();
    // Another tab wants a newer schema: step aside so its upgrade is not blocked.
    let d = db.clone();
    let step_aside = Closure::<dyn FnMut()>::new(move || {
        d.close();
        forget(d.clone());
    })
    .into_js_value();
    db.set_onclose(Some(closed.unchecked_ref()));
    db.set_onversionchange(Some(step_aside.unchecked_ref()));
    CONNECTION.with(|c| *c.borrow_mut() = Some(db.clone()));
    Ok(db)
}

/// The page's connection, for tests that close it behind the adapter's back.
///
/// # Errors
/// When the database cannot be opened.
#[doc(hidden)]
pub async fn page_connection() -> Result<IdbDatabase, StoreError> {
    connection().await
}

/// Runs `call` on the connection, once more on a fresh connection if it had closed.
async fn with_connection<T, F, Fut>(call: F) -> Result<T, StoreError>
where
    F: Fn(IdbDatabase) -> Fut,
    Fut: std::future::Future<Output = Result<T, StoreError>>,
{
    match call(connection().await?).await {
        Err(StoreError::Closed) => {
            CONNECTION.with(|c| c.borrow_mut().take());
            call(connection().await?).await
        }
        other => other,
    }
}

/// A read-write transaction. web-sys has the durability option only behind its unstable-API
/// flag, which would apply to the whole build, so the call goes through `Reflect`.
fn readwrite(db: &IdbDatabase, names: &js_sys::Array, strict: bool) -> Result<IdbTransaction, JsValue> {
    let options = js_sys::Object::new();
    js_sys::Reflect::set(
        &options,
        &JsValue::from_str("durability"),
        &JsValue::from_str(if strict { "strict" } else { "default" }),
    )?;
    let transaction: js_sys::Function = js_sys::Reflect::get(db, &JsValue::from_str("transaction"))?.dyn_into()?;
    transaction
        .call3(db, names, &JsValue::from_str("readwrite"), &options)?
        .dyn_into()
}

/// Every record in a store, as JSON text.
///
/// # Errors
/// When the database cannot be opened or read.
pub fn get_all(store: &'static str) -> Boxed<'static, Vec<String>> {
    Box::pin(with_connection(move |db| async move { get_all_in(&db, store).await }))
}

/// [`get_all`] on a given connection.
///
/// # Errors
/// When the store cannot be read.
pub async fn get_all_in(db: &IdbDatabase, store: &str) -> Result<Vec<String>, StoreError> {
    let tx = db
        .transaction_with_str_and_mode(store, IdbTransactionMode::Readonly)
        .map_err(|e| classify(&e))?;
    let request = tx
        .object_store(store)
        .and_then(|s| s.get_all())
        .map_err(|e| classify(&e))?;
    let rows: js_sys::Array = settle(&request).await?.unchecked_into();
    Ok(rows
        .iter()
        .filter_map(|row| js_sys::JSON::stringify(&row).ok())
        .map(String::from)
        .collect())
}

/// One record by key, as JSON text; `None` when there is none.
///
/// # Errors
/// When the database cannot be opened or read.
pub fn get<'a>(store: &'static str, key: &'a Key) -> Boxed<'a, Option<String>> {
    Box::pin(with_connection(move |db| async move {
        let tx = db
            .transaction_with_str_and_mode(store, IdbTransactionMode::Readonly)
            .map_err(|e| classify(&e))?;
        let request = tx
            .object_store(store)
            .and_then(|s| s.get(&key.to_js()))
            .map_err(|e| classify(&e))?;
        let row = settle(&request).await?;
        if row.is_undefined() {
            return Ok(None);
        }
        Ok(js_sys::JSON::stringify(&row).ok().map(String::from))
    }))
}

/// Applies `ops` in one transaction: all of them or none. `strict` asks the browser to
/// flush to disk before reporting success, where it supports that.
///
/// # Errors
/// [`StoreError::Quota`] when the device is full; other variants as the browser reports.
pub fn write(ops: &[Op], strict: bool) -> Boxed<'_, ()> {
    Box::pin(with_connection(
        move |db| async move { write_in(&db, ops, strict).await },
    ))
}

/// [`write`] on a given connection.
///
/// # Errors
/// As [`write`].
pub async fn write_in(db: &IdbDatabase, ops: &[Op], strict: bool) -> Result<(), StoreError> {
    // A handful of ops: a linear check beats pulling a sort into the wasm.
    let mut stores: Vec<&str> = Vec::new();
    for op in ops {
        if !stores.contains(&op.store()) {
            stores.push(op.store());
        }
    }
    let names: js_sys::Array = stores.iter().map(|s| JsValue::from_str(s)).collect();
    let tx = readwrite(db, &names, strict).map_err(|e| classify(&e))?;
    let done = committed(&tx);
    let issued = ops.iter().try_for_each(|op| {
        let store = tx.object_store(op.store())?;
        match op {
            Op::Put(_, json) => store.put(&js_sys::JSON::parse(json)?).map(drop),
            Op::Add(_, json) => store.add(&js_sys::JSON::parse(json)?).map(drop),
            Op::Delete(_, key) => store.delete(&key.to_js()).map(drop),
        }
    });
    if let Err(e) = issued {
        let _ = tx.abort();
        return Err(classify(&e));
    }
    done.await.map(drop).map_err(|e| classify(&e))
}

/// Every record of `store` that reads back as a `T`; others are skipped. Shared by the
/// widget's sender and the officer console.
///
/// # Errors
/// When IndexedDB cannot be opened or read.
pub async fn read_all<T: crate::core::device::record::Record>(store: &'static str) -> Result<Vec<T>, StoreError> {
    Ok(get_all(store)
        .await?
        .iter()
        .filter_map(|json| T::from_json(json))
        .collect())
}

/// The event set up on this device (event mode), read by the widget at start and by the
/// officer console.
///
/// # Errors
/// When IndexedDB cannot be opened or read.
pub async fn event_setup() -> Result<Option<crate::core::event::EventSetup>, StoreError> {
    use crate::core::device::record::Record;
    let key = Key::Text(crate::core::event::CURRENT.to_owned());
    let json = get(crate::core::device::EVENTS, &key).await?;
    Ok(json.as_deref().and_then(crate::core::event::EventSetup::from_json))
}

/// Asks the browser to keep this origin's storage under pressure
/// (`navigator.storage.persist()`). The answer only changes how likely eviction is, so it
/// is not awaited.
pub fn request_persistence() {
    if let Some(Ok(promise)) = web_sys::window().map(|w| w.navigator().storage().persist()) {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = JsFuture::from(promise).await;
        });
    }
}

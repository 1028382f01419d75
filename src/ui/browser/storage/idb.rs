//! The browser's key-value store under everything the app keeps: one
//! IndexedDB object store, read and written a key at a time, a write done
//! when its transaction commits; a table a `Blob` per column. Where the
//! browser gives no storage, the same calls keep values in memory for the
//! page's life and [`persistent`] says so.

use std::cell::RefCell;
use std::collections::HashMap;

use js_sys::Promise;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStore, IdbRequest, IdbTransactionMode};

use crate::core::data::table::Table;
use crate::ui::browser::js_table::{table_from_js, table_to_js_in_turns};

const DB_NAME: &str = "churnlab";
const DB_VERSION: u32 = 1;
const STORE: &str = "kv";

thread_local! {
    static DB: RefCell<Option<IdbDatabase>> = const { RefCell::new(None) };
    /// Set once IndexedDB proved unavailable: the store for this page's life.
    static MEMORY: RefCell<Option<HashMap<String, JsValue>>> = const { RefCell::new(None) };
    static MEMORY_CHOSEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Keeps everything in memory for this page's life, leaving the browser's
/// storage untouched (an embedded view rebuilt from its share link).
pub fn use_memory() {
    MEMORY.with_borrow_mut(|m| *m = Some(HashMap::new()));
    MEMORY_CHOSEN.set(true);
}

/// Whether values are kept in this page's memory (chosen, or because
/// IndexedDB proved unavailable) rather than in the browser's storage.
pub fn in_memory() -> bool {
    MEMORY.with_borrow(Option::is_some)
}

/// Whether what is saved outlives the page: false once IndexedDB proved
/// unavailable and values are kept in memory instead.
/// (Memory chosen with [`use_memory`] counts as persistent: nothing was refused.)
pub async fn persistent() -> bool {
    MEMORY_CHOSEN.get() || database().await.map(|db| db.is_some()).unwrap_or(false)
}

/// A storage failure, in words for the user.
#[derive(Debug, Clone, PartialEq)]
pub struct StorageError(pub String);

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn js_error(context: &str, err: JsValue) -> StorageError {
    let name = js_sys::Reflect::get(&err, &"name".into())
        .ok()
        .and_then(|n| n.as_string());
    let detail = match name.as_deref() {
        Some("QuotaExceededError") => "the browser's storage for this site is full".to_owned(),
        Some(n) => n.to_owned(),
        None => err.as_string().unwrap_or_else(|| "unknown error".into()),
    };
    StorageError(format!("{context}: {detail}"))
}

/// Resolves with the request's result once it succeeds.
async fn request_done(request: &IdbRequest) -> Result<JsValue, JsValue> {
    let req = request.clone();
    let promise = Promise::new(&mut |resolve, reject| {
        let ok_req = req.clone();
        let on_success = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call1(
                &JsValue::NULL,
                &ok_req.result().unwrap_or(JsValue::UNDEFINED),
            );
        });
        let err_req = req.clone();
        let on_error = Closure::once_into_js(move |_: web_sys::Event| {
            let err = err_req
                .error()
                .ok()
                .flatten()
                .map(JsValue::from)
                .unwrap_or(JsValue::UNDEFINED);
            let _ = reject.call1(&JsValue::NULL, &err);
        });
        req.set_onsuccess(Some(on_success.unchecked_ref()));
        req.set_onerror(Some(on_error.unchecked_ref()));
    });
    JsFuture::from(promise).await
}

/// Resolves once the request's transaction is committed: a write counts
/// as saved (and the page may close) only then.
async fn committed(request: &IdbRequest) -> Result<(), JsValue> {
    let Some(tx) = request.transaction() else {
        return Ok(());
    };
    let promise = Promise::new(&mut |resolve, reject| {
        let on_complete = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let failed = tx.clone();
        let on_error = Closure::once_into_js(move |_: web_sys::Event| {
            let err = failed
                .error()
                .map(JsValue::from)
                .unwrap_or(JsValue::UNDEFINED);
            let _ = reject.call1(&JsValue::NULL, &err);
        });
        tx.set_oncomplete(Some(on_complete.unchecked_ref()));
        // A failed commit always ends in `abort` (an `error` may come first).
        tx.set_onabort(Some(on_error.unchecked_ref()));
    });
    JsFuture::from(promise).await.map(|_| ())
}

/// The database, or None in memory mode (entered on the first failure to open it).
async fn database() -> Result<Option<IdbDatabase>, StorageError> {
    if let Some(db) = DB.with_borrow(|d| d.clone()) {
        return Ok(Some(db));
    }
    if MEMORY.with_borrow(Option::is_some) {
        return Ok(None);
    }
    match open_database().await {
        Ok(db) => Ok(Some(db)),
        Err(e) => {
            web_sys::console::warn_1(&format!("Churnlab keeps this session in memory: {e}").into());
            MEMORY.with_borrow_mut(|m| *m = Some(HashMap::new()));
            Ok(None)
        }
    }
}

async fn open_database() -> Result<IdbDatabase, StorageError> {
    // The page and its workers share the database: workers store what they make.
    let factory = js_sys::Reflect::get(&js_sys::global(), &"indexedDB".into())
        .map_err(|e| js_error("storage is unavailable", e))?
        .dyn_into::<web_sys::IdbFactory>()
        .map_err(|_| StorageError("this browser has no IndexedDB (private mode?)".into()))?;
    let open = factory
        .open_with_u32(DB_NAME, DB_VERSION)
        .map_err(|e| js_error("cannot open storage", e))?;
    let upgrade_req = open.clone();
    let on_upgrade = Closure::once_into_js(move |_: web_sys::Event| {
        if let Ok(result) = upgrade_req.result() {
            let db: IdbDatabase = result.unchecked_into();
            if !db.object_store_names().contains(STORE) {
                let _ = db.create_object_store(STORE);
            }
        }
    });
    open.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    let db: IdbDatabase = request_done(&open)
        .await
        .map_err(|e| js_error("cannot open storage", e))?
        .unchecked_into();
    DB.with_borrow_mut(|d| *d = Some(db.clone()));
    Ok(db)
}

fn store(db: &IdbDatabase, mode: IdbTransactionMode) -> Result<IdbObjectStore, StorageError> {
    let tx = db
        .transaction_with_str_and_mode(STORE, mode)
        .map_err(|e| js_error("storage transaction failed", e))?;
    tx.object_store(STORE)
        .map_err(|e| js_error("storage transaction failed", e))
}

pub async fn get(key: &str) -> Result<Option<JsValue>, StorageError> {
    let Some(db) = database().await? else {
        return Ok(MEMORY.with_borrow(|m| m.as_ref().and_then(|m| m.get(key).cloned())));
    };
    let req = store(&db, IdbTransactionMode::Readonly)?
        .get(&key.into())
        .map_err(|e| js_error("cannot read storage", e))?;
    let value = request_done(&req)
        .await
        .map_err(|e| js_error("cannot read storage", e))?;
    Ok((!value.is_undefined()).then_some(value))
}

pub async fn put(key: &str, value: &JsValue) -> Result<(), StorageError> {
    let Some(db) = database().await? else {
        MEMORY.with_borrow_mut(|m| {
            m.get_or_insert_with(HashMap::new)
                .insert(key.to_owned(), value.clone())
        });
        return Ok(());
    };
    let req = store(&db, IdbTransactionMode::Readwrite)?
        .put_with_key(value, &key.into())
        .map_err(|e| js_error("cannot save", e))?;
    request_done(&req)
        .await
        .map_err(|e| js_error("cannot save", e))?;
    committed(&req)
        .await
        .map_err(|e| js_error("cannot save", e))
}

pub async fn delete(key: &str) -> Result<(), StorageError> {
    let Some(db) = database().await? else {
        MEMORY.with_borrow_mut(|m| m.as_mut().map(|m| m.remove(key)));
        return Ok(());
    };
    let req = store(&db, IdbTransactionMode::Readwrite)?
        .delete(&key.into())
        .map_err(|e| js_error("cannot delete", e))?;
    request_done(&req)
        .await
        .map_err(|e| js_error("cannot delete", e))?;
    committed(&req)
        .await
        .map_err(|e| js_error("cannot delete", e))?;
    Ok(())
}

/// A table as it is stored: `js_table::table_to_js`'s parts, each a `Blob`,
/// made in the page's turns. The browser keeps a blob's bytes
/// itself, so saving a million rows does not make the page copy (and
/// compress) them all in one task as it does typed arrays.
pub(super) async fn stored_parts(table: &Table) -> Result<js_sys::Array, StorageError> {
    let parts = table_to_js_in_turns(table, |_, _| {}).await;
    let blobs = js_sys::Array::new();
    let mut slices = crate::ui::browser::perf::Slices::new();
    for part in parts.iter() {
        slices.turn().await;
        let blob = web_sys::Blob::new_with_u8_array_sequence(&js_sys::Array::of1(&part))
            .map_err(|e| js_error("cannot save", e))?;
        blobs.push(&blob);
    }
    Ok(blobs)
}

/// Saves a table (column by column) and its metadata.
pub(super) async fn put_table<M: Serialize>(
    table_key: &str,
    meta_key: &str,
    table: &Table,
    meta: &M,
) -> Result<(), StorageError> {
    let parts = stored_parts(table).await?;
    let json = serde_json::to_string(meta).map_err(|e| StorageError(e.to_string()))?;
    put(table_key, &parts).await?;
    put(meta_key, &JsValue::from_str(&json)).await
}

/// A stored table: its parts as blobs, or (as saved before blobs) as byte arrays.
pub(super) async fn get_table(table_key: &str) -> Result<Option<Table>, StorageError> {
    let Some(value) = get(table_key).await? else {
        return Ok(None);
    };
    let stored: js_sys::Array = value
        .dyn_into()
        .map_err(|_| StorageError("the stored table has an old format".into()))?;
    let parts = js_sys::Array::new();
    for part in stored.iter() {
        match part.dyn_into::<web_sys::Blob>() {
            Ok(blob) => {
                let bytes = JsFuture::from(blob.array_buffer())
                    .await
                    .map_err(|e| js_error("the stored table could not be read", e))?;
                parts.push(&js_sys::Uint8Array::new(&bytes));
            }
            Err(other) => {
                parts.push(&other);
            }
        }
    }
    let table = table_from_js(&parts)
        .map_err(|e| StorageError(format!("the stored table is damaged: {e}")))?;
    Ok(Some(table))
}

pub(super) fn json_value<T: Serialize>(value: &T) -> Result<JsValue, StorageError> {
    serde_json::to_string(value)
        .map(|s| JsValue::from_str(&s))
        .map_err(|e| StorageError(e.to_string()))
}

pub(super) async fn get_json<T: serde::de::DeserializeOwned>(
    key: &str,
) -> Result<Option<T>, StorageError> {
    let Some(value) = get(key).await? else {
        return Ok(None);
    };
    let text = value
        .as_string()
        .ok_or_else(|| StorageError(format!("{key} is not text")))?;
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| StorageError(format!("{key} is damaged: {e}")))
}

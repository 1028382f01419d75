//! Browser persistence, in one place: an IndexedDB key-value store holding
//! the loaded dataset, saved datasets (the core's binary table codec, a
//! column per entry), which one is active, and the SQL page's text and
//! history, as JSON in versioned, validated formats.
//!
//! Where the browser gives no storage (IndexedDB missing or refused: a
//! `file://` page in some browsers, a cross-site iframe in Safari, private
//! modes), the same calls keep values in memory for this page's life, and
//! [`persistent`] says so once so the app can tell the learner.

use std::cell::RefCell;
use std::collections::HashMap;

use js_sys::Promise;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStore, IdbRequest, IdbTransactionMode};

use crate::core::data::table::Table;
use crate::ui::browser::js_table::{table_from_js, table_to_js};
use crate::ui::state::{ActiveRef, Dashboard, Origin};

const DB_NAME: &str = "churnlab";
const DB_VERSION: u32 = 1;
const STORE: &str = "kv";
const BASE_TABLE: &str = "base/table";
const BASE_META: &str = "base/meta";
const SAVED_INDEX: &str = "datasets/index";
const ACTIVE_REF: &str = "active/ref";
const SQL_STATE: &str = "sql/state";
const DASHBOARDS: &str = "dashboards";
const RUNS: &str = "runs";
const MODELS: &str = "models";
const DEPLOYED: &str = "deployed";
const SIMULATIONS: &str = "ops/index";
const TRACKING: &str = "ops/tracking";
/// Version of the JSON metadata stored beside a table.
const META_VERSION: u32 = 1;

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
    let name = js_sys::Reflect::get(&err, &"name".into()).ok().and_then(|n| n.as_string());
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
            let _ = resolve.call1(&JsValue::NULL, &ok_req.result().unwrap_or(JsValue::UNDEFINED));
        });
        let err_req = req.clone();
        let on_error = Closure::once_into_js(move |_: web_sys::Event| {
            let err = err_req.error().ok().flatten().map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
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
    let Some(tx) = request.transaction() else { return Ok(()) };
    let promise = Promise::new(&mut |resolve, reject| {
        let on_complete = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let failed = tx.clone();
        let on_error = Closure::once_into_js(move |_: web_sys::Event| {
            let err = failed.error().map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
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
    let open = factory.open_with_u32(DB_NAME, DB_VERSION).map_err(|e| js_error("cannot open storage", e))?;
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
    let db: IdbDatabase = request_done(&open).await.map_err(|e| js_error("cannot open storage", e))?.unchecked_into();
    DB.with_borrow_mut(|d| *d = Some(db.clone()));
    Ok(db)
}

fn store(db: &IdbDatabase, mode: IdbTransactionMode) -> Result<IdbObjectStore, StorageError> {
    let tx = db.transaction_with_str_and_mode(STORE, mode).map_err(|e| js_error("storage transaction failed", e))?;
    tx.object_store(STORE).map_err(|e| js_error("storage transaction failed", e))
}

pub async fn get(key: &str) -> Result<Option<JsValue>, StorageError> {
    let Some(db) = database().await? else {
        return Ok(MEMORY.with_borrow(|m| m.as_ref().and_then(|m| m.get(key).cloned())));
    };
    let req = store(&db, IdbTransactionMode::Readonly)?.get(&key.into()).map_err(|e| js_error("cannot read storage", e))?;
    let value = request_done(&req).await.map_err(|e| js_error("cannot read storage", e))?;
    Ok((!value.is_undefined()).then_some(value))
}

pub async fn put(key: &str, value: &JsValue) -> Result<(), StorageError> {
    let Some(db) = database().await? else {
        MEMORY.with_borrow_mut(|m| m.get_or_insert_with(HashMap::new).insert(key.to_owned(), value.clone()));
        return Ok(());
    };
    let req = store(&db, IdbTransactionMode::Readwrite)?
        .put_with_key(value, &key.into())
        .map_err(|e| js_error("cannot save", e))?;
    request_done(&req).await.map_err(|e| js_error("cannot save", e))?;
    committed(&req).await.map_err(|e| js_error("cannot save", e))
}

pub async fn delete(key: &str) -> Result<(), StorageError> {
    let Some(db) = database().await? else {
        MEMORY.with_borrow_mut(|m| m.as_mut().map(|m| m.remove(key)));
        return Ok(());
    };
    let req = store(&db, IdbTransactionMode::Readwrite)?.delete(&key.into()).map_err(|e| js_error("cannot delete", e))?;
    request_done(&req).await.map_err(|e| js_error("cannot delete", e))?;
    committed(&req).await.map_err(|e| js_error("cannot delete", e))?;
    Ok(())
}

/// Saves a table (column by column) and its metadata.
async fn put_table<M: Serialize>(table_key: &str, meta_key: &str, table: &Table, meta: &M) -> Result<(), StorageError> {
    let parts = table_to_js(table);
    let json = serde_json::to_string(meta).map_err(|e| StorageError(e.to_string()))?;
    put(table_key, &parts).await?;
    put(meta_key, &JsValue::from_str(&json)).await
}

async fn get_table(table_key: &str) -> Result<Option<Table>, StorageError> {
    let Some(value) = get(table_key).await? else { return Ok(None) };
    let parts: js_sys::Array = value.dyn_into().map_err(|_| StorageError("the stored table has an old format".into()))?;
    let table = table_from_js(&parts).map_err(|e| StorageError(format!("the stored table is damaged: {e}")))?;
    Ok(Some(table))
}

#[derive(Serialize, Deserialize)]
struct BaseMeta {
    v: u32,
    origin: Origin,
    /// Its field edits and fields as loaded (`edits`, `loaded`; none in
    /// entries from before).
    #[serde(flatten)]
    history: crate::core::data::catalog::BaseHistory,
}

fn json_value<T: Serialize>(value: &T) -> Result<JsValue, StorageError> {
    serde_json::to_string(value).map(|s| JsValue::from_str(&s)).map_err(|e| StorageError(e.to_string()))
}

async fn get_json<T: serde::de::DeserializeOwned>(key: &str) -> Result<Option<T>, StorageError> {
    let Some(value) = get(key).await? else { return Ok(None) };
    let text = value.as_string().ok_or_else(|| StorageError(format!("{key} is not text")))?;
    serde_json::from_str(&text).map(Some).map_err(|e| StorageError(format!("{key} is damaged: {e}")))
}

/// Remembers the loaded dataset (the base) for the next visit.
pub async fn save_base(base: &crate::ui::state::Dataset) -> Result<(), StorageError> {
    let meta = BaseMeta { v: META_VERSION, origin: base.origin.clone(), history: base.history.clone() };
    put_table(BASE_TABLE, BASE_META, &base.table, &meta).await
}

/// The base dataset saved by an earlier visit, if any.
pub async fn load_base() -> Result<Option<(Table, Origin, crate::core::data::catalog::BaseHistory)>, StorageError> {
    let Some(meta) = get_json::<BaseMeta>(BASE_META).await? else { return Ok(None) };
    if meta.v != META_VERSION {
        return Err(StorageError("the saved dataset is from another version".into()));
    }
    Ok(get_table(BASE_TABLE).await?.map(|t| (t, meta.origin, meta.history)))
}

pub async fn clear_base() -> Result<(), StorageError> {
    delete(BASE_META).await?;
    delete(BASE_TABLE).await
}

pub use crate::core::data::catalog::SavedEntry;

#[derive(Serialize, Deserialize)]
struct SavedIndex {
    v: u32,
    items: Vec<SavedEntry>,
}

fn saved_key(name: &str) -> String {
    format!("datasets/{name}")
}

/// Writes the index of saved datasets (names, lineage, times).
pub async fn save_index(items: Vec<SavedEntry>) -> Result<(), StorageError> {
    put(SAVED_INDEX, &json_value(&SavedIndex { v: META_VERSION, items })?).await
}

pub async fn save_dataset_table(name: &str, table: &Table) -> Result<(), StorageError> {
    put(&saved_key(name), &table_to_js(table)).await
}

pub async fn delete_dataset_table(name: &str) -> Result<(), StorageError> {
    delete(&saved_key(name)).await
}

/// Every saved dataset, with its table; damaged entries are skipped and named.
pub async fn load_saved() -> Result<(Vec<(SavedEntry, Table)>, Vec<String>), StorageError> {
    let Some(index) = get_json::<SavedIndex>(SAVED_INDEX).await? else { return Ok((Vec::new(), Vec::new())) };
    let mut out = Vec::new();
    let mut damaged = Vec::new();
    for entry in index.items {
        match get_table(&saved_key(&entry.name)).await {
            Ok(Some(table)) => out.push((entry, table)),
            Ok(None) | Err(_) => damaged.push(entry.name),
        }
    }
    Ok((out, damaged))
}

pub async fn save_active_ref(active: &ActiveRef) -> Result<(), StorageError> {
    put(ACTIVE_REF, &json_value(active)?).await
}

pub async fn load_active_ref() -> Result<Option<ActiveRef>, StorageError> {
    get_json(ACTIVE_REF).await
}

pub async fn save_sql(text: &str, history: &[String]) -> Result<(), StorageError> {
    put(SQL_STATE, &json_value(&(text, history))?).await
}

pub async fn clear_sql() -> Result<(), StorageError> {
    delete(SQL_STATE).await
}

pub async fn load_sql() -> Result<Option<(String, Vec<String>)>, StorageError> {
    get_json(SQL_STATE).await
}

#[derive(Serialize, Deserialize)]
struct Dashboards {
    v: u32,
    items: Vec<Dashboard>,
}

pub async fn save_dashboards(items: Vec<Dashboard>) -> Result<(), StorageError> {
    put(DASHBOARDS, &json_value(&Dashboards { v: META_VERSION, items })?).await
}

pub async fn load_dashboards() -> Result<Vec<Dashboard>, StorageError> {
    Ok(get_json::<Dashboards>(DASHBOARDS).await?.filter(|d| d.v == META_VERSION).map(|d| d.items).unwrap_or_default())
}

#[derive(Serialize, Deserialize)]
struct Runs {
    v: u32,
    items: Vec<crate::ui::state::Run>,
}

pub async fn save_runs(items: Vec<crate::ui::state::Run>) -> Result<(), StorageError> {
    put(RUNS, &json_value(&Runs { v: META_VERSION, items })?).await
}

pub async fn load_runs() -> Result<Vec<crate::ui::state::Run>, StorageError> {
    Ok(get_json::<Runs>(RUNS).await?.filter(|d| d.v == META_VERSION).map(|d| d.items).unwrap_or_default())
}

/// Saved models as their JSON text, each validated when read.
pub async fn save_models(items: &[crate::core::model::pipeline::SavedModel]) -> Result<(), StorageError> {
    let texts: Vec<String> = items.iter().map(|m| m.to_json()).collect();
    put(MODELS, &json_value(&texts)?).await
}

/// The saved models, and the errors of any that no longer read.
pub async fn load_models() -> Result<(Vec<crate::core::model::pipeline::SavedModel>, Vec<String>), StorageError> {
    let texts: Vec<String> = get_json::<Vec<String>>(MODELS).await?.unwrap_or_default();
    let mut models = Vec::new();
    let mut errors = Vec::new();
    for t in texts {
        match crate::core::model::pipeline::SavedModel::from_json(&t) {
            Ok(m) => models.push(m),
            Err(e) => errors.push(e.to_string()),
        }
    }
    Ok((models, errors))
}

/// The build id of the deployed model.
pub async fn save_deployed(build_id: Option<String>) -> Result<(), StorageError> {
    put(DEPLOYED, &json_value(&build_id)?).await
}

const ANSWERED_EXAMPLE: &str = "deployed/answered-example";

/// Whether the endpoint has answered the workshop's example customer.
pub async fn save_answered_example(seen: bool) -> Result<(), StorageError> {
    put(ANSWERED_EXAMPLE, &JsValue::from_bool(seen)).await
}

pub async fn load_answered_example() -> Result<bool, StorageError> {
    Ok(get(ANSWERED_EXAMPLE).await?.and_then(|v| v.as_bool()).unwrap_or(false))
}

pub async fn load_deployed() -> Result<Option<String>, StorageError> {
    Ok(get_json::<Option<String>>(DEPLOYED).await?.flatten())
}

#[derive(Serialize, Deserialize)]
struct Simulations {
    v: u32,
    items: Vec<crate::ui::ops::types::SavedSimulation>,
}

fn simulation_key(id: u64) -> String {
    format!("ops/log/{id}")
}

/// The list of simulations (their logs are stored apart).
pub async fn save_simulations(items: Vec<crate::ui::ops::types::SavedSimulation>) -> Result<(), StorageError> {
    put(SIMULATIONS, &json_value(&Simulations { v: META_VERSION, items })?).await
}

pub async fn load_simulations() -> Result<Vec<crate::ui::ops::types::SavedSimulation>, StorageError> {
    match get_json::<Simulations>(SIMULATIONS).await? {
        None => Ok(Vec::new()),
        Some(s) if s.v == META_VERSION => Ok(s.items),
        Some(s) => Err(StorageError(format!("the simulations are from another version ({})", s.v))),
    }
}

pub async fn save_simulation_log(id: u64, log: &Table) -> Result<(), StorageError> {
    put(&simulation_key(id), &table_to_js(log)).await
}

pub async fn load_simulation_log(id: u64) -> Result<Option<Table>, StorageError> {
    get_table(&simulation_key(id)).await
}

pub async fn delete_simulation_log(id: u64) -> Result<(), StorageError> {
    delete(&simulation_key(id)).await
}

/// The lab's metrics store (`window.churnlab.trackDelayedMetrics` and friends).
pub async fn save_tracking(text: String) -> Result<(), StorageError> {
    put(TRACKING, &JsValue::from_str(&text)).await
}

pub async fn load_tracking() -> Result<Option<crate::core::ops::tracking::Tracking>, StorageError> {
    get_json(TRACKING).await
}

const PROJECT_INFO: &str = "project/info";

/// The project's name and description.
pub async fn save_project_info(info: &crate::core::share::project::ProjectInfo) -> Result<(), StorageError> {
    put(PROJECT_INFO, &json_value(info)?).await
}

pub async fn load_project_info() -> Result<Option<crate::core::share::project::ProjectInfo>, StorageError> {
    get_json(PROJECT_INFO).await
}

const LAB_PROGRESS: &str = "labs/progress";
const LAB_SOURCE: &str = "labs/source";

/// The workshop's progress keeps its first key; other labs have their own.
fn progress_key(lab: &str) -> String {
    if lab == "churn-workshop" {
        LAB_PROGRESS.to_owned()
    } else {
        format!("{LAB_PROGRESS}/{lab}")
    }
}

/// The learner's progress in a lab.
pub async fn save_lab_progress(progress: &crate::core::labs::progress::Progress) -> Result<(), StorageError> {
    put(&progress_key(&progress.lab), &json_value(progress)?).await
}

pub async fn load_lab_progress(lab: &str) -> Result<Option<crate::core::labs::progress::Progress>, StorageError> {
    get_json(&progress_key(lab)).await
}

/// The lab a teacher handed out (None: the workshop's own).
pub async fn save_lab_source(source: Option<&crate::ui::labs::types::LabSource>) -> Result<(), StorageError> {
    match source {
        Some(source) => put(LAB_SOURCE, &json_value(source)?).await,
        None => delete(LAB_SOURCE).await,
    }
}

pub async fn load_lab_source() -> Result<Option<crate::ui::labs::types::LabSource>, StorageError> {
    get_json(LAB_SOURCE).await
}

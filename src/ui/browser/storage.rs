//! Browser persistence, in one place: an IndexedDB key-value store holding
//! the loaded dataset, saved datasets (the core's binary table codec, a
//! column per entry), which one is active, and the SQL page's text and
//! history, as JSON in versioned, validated formats.
//!
//! Where the browser gives no storage (IndexedDB missing or refused: a
//! `file://` page in some browsers, a cross-site iframe in Safari, private
//! modes), the same calls keep values in memory for this page's life, and
//! [`persistent`] says so once so the app can tell the learner.

mod idb;

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::core::data::table::Table;
use crate::ui::state::{ActiveRef, Dashboard, Origin};

pub use idb::{delete, get, in_memory, persistent, put, use_memory, StorageError};
use idb::{get_json, get_table, json_value, put_table, stored_parts};

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

#[derive(Serialize, Deserialize)]
struct BaseMeta {
    v: u32,
    origin: Origin,
    /// Its field edits and fields as loaded (`edits`, `loaded`; none in
    /// entries from before).
    #[serde(flatten)]
    history: crate::core::data::catalog::BaseHistory,
}

/// Remembers the loaded dataset (the base) for the next visit.
pub async fn save_base(base: &crate::ui::state::Dataset) -> Result<(), StorageError> {
    let meta = BaseMeta {
        v: META_VERSION,
        origin: base.origin.clone(),
        history: base.history.clone(),
    };
    put_table(BASE_TABLE, BASE_META, &base.table, &meta).await
}

/// The base dataset saved by an earlier visit, if any.
pub async fn load_base(
) -> Result<Option<(Table, Origin, crate::core::data::catalog::BaseHistory)>, StorageError> {
    let Some(meta) = get_json::<BaseMeta>(BASE_META).await? else {
        return Ok(None);
    };
    if meta.v != META_VERSION {
        return Err(StorageError(
            "the saved dataset is from another version".into(),
        ));
    }
    Ok(get_table(BASE_TABLE)
        .await?
        .map(|t| (t, meta.origin, meta.history)))
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
    put(
        SAVED_INDEX,
        &json_value(&SavedIndex {
            v: META_VERSION,
            items,
        })?,
    )
    .await
}

pub async fn save_dataset_table(name: &str, table: &Table) -> Result<(), StorageError> {
    let parts = stored_parts(table).await?;
    put(&saved_key(name), &parts).await
}

pub async fn delete_dataset_table(name: &str) -> Result<(), StorageError> {
    delete(&saved_key(name)).await
}

/// Every saved dataset, with its table; damaged entries are skipped and named.
pub async fn load_saved() -> Result<(Vec<(SavedEntry, Table)>, Vec<String>), StorageError> {
    let Some(index) = get_json::<SavedIndex>(SAVED_INDEX).await? else {
        return Ok((Vec::new(), Vec::new()));
    };
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
    put(
        DASHBOARDS,
        &json_value(&Dashboards {
            v: META_VERSION,
            items,
        })?,
    )
    .await
}

pub async fn load_dashboards() -> Result<Vec<Dashboard>, StorageError> {
    Ok(get_json::<Dashboards>(DASHBOARDS)
        .await?
        .filter(|d| d.v == META_VERSION)
        .map(|d| d.items)
        .unwrap_or_default())
}

#[derive(Serialize, Deserialize)]
struct Runs {
    v: u32,
    items: Vec<crate::ui::state::Run>,
}

pub async fn save_runs(items: Vec<crate::ui::state::Run>) -> Result<(), StorageError> {
    put(
        RUNS,
        &json_value(&Runs {
            v: META_VERSION,
            items,
        })?,
    )
    .await
}

pub async fn load_runs() -> Result<Vec<crate::ui::state::Run>, StorageError> {
    Ok(get_json::<Runs>(RUNS)
        .await?
        .filter(|d| d.v == META_VERSION)
        .map(|d| d.items)
        .unwrap_or_default())
}

/// Saved models as their JSON text, each validated when read.
pub async fn save_models(
    items: &[crate::core::model::pipeline::SavedModel],
) -> Result<(), StorageError> {
    let texts: Vec<String> = items.iter().map(|m| m.to_json()).collect();
    put(MODELS, &json_value(&texts)?).await
}

/// The saved models, and the errors of any that no longer read.
pub async fn load_models(
) -> Result<(Vec<crate::core::model::pipeline::SavedModel>, Vec<String>), StorageError> {
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
    Ok(get(ANSWERED_EXAMPLE)
        .await?
        .and_then(|v| v.as_bool())
        .unwrap_or(false))
}

pub async fn load_deployed() -> Result<Option<String>, StorageError> {
    Ok(get_json::<Option<String>>(DEPLOYED).await?.flatten())
}

#[derive(Serialize, Deserialize)]
struct Simulations {
    v: u32,
    items: Vec<crate::core::ops::saved::SavedSimulation>,
}

fn simulation_key(id: u64) -> String {
    format!("ops/log/{id}")
}

/// The list of simulations (their logs are stored apart).
pub async fn save_simulations(
    items: Vec<crate::core::ops::saved::SavedSimulation>,
) -> Result<(), StorageError> {
    put(
        SIMULATIONS,
        &json_value(&Simulations {
            v: META_VERSION,
            items,
        })?,
    )
    .await
}

pub async fn load_simulations(
) -> Result<Vec<crate::core::ops::saved::SavedSimulation>, StorageError> {
    match get_json::<Simulations>(SIMULATIONS).await? {
        None => Ok(Vec::new()),
        Some(s) if s.v == META_VERSION => Ok(s.items),
        Some(s) => Err(StorageError(format!(
            "the simulations are from another version ({})",
            s.v
        ))),
    }
}

pub async fn save_simulation_log(id: u64, log: &Table) -> Result<(), StorageError> {
    let parts = stored_parts(log).await?;
    put(&simulation_key(id), &parts).await
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
pub async fn save_project_info(
    info: &crate::core::share::project::ProjectInfo,
) -> Result<(), StorageError> {
    put(PROJECT_INFO, &json_value(info)?).await
}

pub async fn load_project_info(
) -> Result<Option<crate::core::share::project::ProjectInfo>, StorageError> {
    get_json(PROJECT_INFO).await
}

const JOBS: &str = "jobs";

/// The jobs, their runs, and when the app last watched the clocks.
pub async fn save_jobs(book: &crate::core::jobs::book::JobBook) -> Result<(), StorageError> {
    put(JOBS, &json_value(book)?).await
}

pub async fn load_jobs() -> Result<Option<crate::core::jobs::book::JobBook>, StorageError> {
    get_json(JOBS).await
}

const JOBS_SEEN: &str = "jobs/seen";

/// When the app last watched the jobs' clocks, under a key of its own: the
/// clock writes it each minute without rewriting the jobs (another tab's
/// newer jobs are never overwritten by it).
pub async fn save_jobs_seen(ms: f64) -> Result<(), StorageError> {
    put(JOBS_SEEN, &JsValue::from_f64(ms)).await
}

pub async fn load_jobs_seen() -> Result<Option<f64>, StorageError> {
    Ok(get(JOBS_SEEN).await?.and_then(|v| v.as_f64()))
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
pub async fn save_lab_progress(
    progress: &crate::core::labs::progress::Progress,
) -> Result<(), StorageError> {
    put(&progress_key(&progress.lab), &json_value(progress)?).await
}

pub async fn load_lab_progress(
    lab: &str,
) -> Result<Option<crate::core::labs::progress::Progress>, StorageError> {
    get_json(&progress_key(lab)).await
}

/// The lab a teacher handed out (None: the workshop's own).
pub async fn save_lab_source(
    source: Option<&crate::core::labs::format::LabSource>,
) -> Result<(), StorageError> {
    match source {
        Some(source) => put(LAB_SOURCE, &json_value(source)?).await,
        None => delete(LAB_SOURCE).await,
    }
}

pub async fn load_lab_source() -> Result<Option<crate::core::labs::format::LabSource>, StorageError>
{
    get_json(LAB_SOURCE).await
}

//! What the Operations page does, page side: start a simulation of traffic
//! to the deployed model (checked here first, so a bad setting is named
//! before anything runs), keep it, reopen it, change its alert rules,
//! retrain a challenger and promote it, and export the log and metrics.
//! The work itself runs in a worker (`ui::ops::tasks`).

use std::sync::Arc;

use js_sys::Array;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::core::data::csv::write_table;
use crate::core::data::table::Table;
use crate::core::model::pipeline::{ModelMetrics, SavedModel};
use crate::core::ops::alerts::Rule;
use crate::core::ops::simulate::SimSettings;
use crate::ui::browser::download::download;
use crate::ui::browser::js_table::{table_from_js, table_to_js, transfer_list};
use crate::ui::browser::{perf, storage, worker};
use crate::ui::data::datasets::{persist, persist_deployed, persist_runs, table_named};
use crate::ui::explain::endpoint::deployed;
use crate::ui::model::training::register;
use crate::ui::ops::tasks::{Retrained, Simulated};
use crate::ui::ops::types::{OpenSimulation, OpsProgress, SavedSimulation};
use crate::ui::state::{new_id, AppState, Run};

/// Why the page cannot simulate now, or None.
pub fn not_ready(state: AppState) -> Option<String> {
    match deployed(state) {
        None => Some("No model is deployed. Train a model, save it, and deploy it on the Deploy page; then come back to send it traffic.".into()),
        Some(m) if m.reference.is_none() => Some(format!(
            "{} v{} was saved before monitoring existed, so it keeps no reference data to compare traffic with. Train it again (the same settings give the same model) and deploy the new version.",
            m.name, m.model_version
        )),
        Some(_) => None,
    }
}

pub fn persist_index(state: AppState) {
    let items = state.ops.simulations.get_untracked();
    persist(state, "The list of simulations", async move {
        storage::save_simulations(items).await
    });
}

/// The Operations page's kind of job (simulations, reports, retraining), for its workers.
pub const OPERATIONS: &str = "operations";

/// Sends `request` to the worker, showing `label` with its progress.
async fn call(
    state: AppState,
    label: &str,
    request: js_sys::Object,
    transfer: Array,
) -> Result<JsValue, String> {
    let ops = state.ops;
    ops.error.set(None);
    ops.progress.set(Some(OpsProgress {
        label: label.into(),
        done: 0.0,
        total: 1.0,
    }));
    let pool = worker::lease(OPERATIONS, 1)
        .await
        .map_err(|e| format!("the worker did not start: {e}"))?;
    let owned = label.to_owned();
    let reply = pool
        .call(0, &request, &transfer, move |done, total| {
            ops.progress.set(Some(OpsProgress {
                label: owned.clone(),
                done,
                total,
            }))
        })
        .map_err(|e| e.to_string())?
        .await
        .map_err(|e| e.as_string().unwrap_or_else(|| "the worker failed".into()));
    ops.progress.set(None);
    reply
}

fn answer<T: serde::de::DeserializeOwned>(reply: &JsValue) -> Result<T, String> {
    let text = worker::get_str(reply, "answer").ok_or("the worker sent no answer")?;
    serde_json::from_str(&text).map_err(|e| format!("the worker's answer did not read: {e}"))
}

/// A reply's report and the log table that came with it.
fn with_log(reply: &JsValue) -> Result<(Simulated, Table), String> {
    let simulated: Simulated = answer(reply)?;
    let parts: Array = worker::get(reply, "log")
        .dyn_into()
        .map_err(|_| "the worker sent no log".to_owned())?;
    let log = table_from_js(&parts).map_err(|e| e.to_string())?;
    Ok((simulated, log))
}

/// Checks and runs a simulation with the deployed model.
pub async fn start(state: AppState, settings: SimSettings) {
    let ops = state.ops;
    if ops.progress.get_untracked().is_some() {
        return;
    }
    if let Some(why) = not_ready(state) {
        ops.error.set(Some(why));
        return;
    }
    let Some(model) = deployed(state) else { return };
    let Some(source) = table_named(state, &settings.source) else {
        ops.error.set(Some(format!(
            "Customers from: there is no dataset called \"{}\".",
            settings.source
        )));
        return;
    };
    if let Err(e) = settings.check(&model, &source) {
        ops.error.set(Some(e.to_string()));
        return;
    }
    let parts = table_to_js(&source);
    let transfer = transfer_list(&parts);
    let id = new_id();
    let request = worker::object(&[
        ("kind", "ops".into()),
        ("op", "simulate".into()),
        ("simulation", (id as f64).into()),
        ("model", model.to_json().into()),
        (
            "settings",
            serde_json::to_string(&settings).unwrap_or_default().into(),
        ),
        ("source", parts.into()),
    ]);
    let label = if settings.explains() {
        "Calling explain"
    } else {
        "Calling predict"
    };
    let result = call(state, label, request, transfer)
        .await
        .and_then(|reply| with_log(&reply));
    match result {
        Ok((simulated, log)) => {
            if let Some(e) = simulated.not_stored {
                state.notify(
                    crate::ui::state::NoticeKind::Warning,
                    "The simulation's prediction log will not be kept after a reload",
                    vec![e],
                );
            }
            let meta = SavedSimulation {
                id,
                created_ms: js_sys::Date::now(),
                duration_ms: simulated.duration_ms,
                explained: settings.explains(),
                settings,
                rules: simulated.rules,
                model_build_id: model.build_id.clone(),
                model_name: model.name.clone(),
                model_version: model.model_version,
                shadow: None,
            };
            ops.simulations.update(|s| s.insert(0, meta.clone()));
            persist_index(state);
            ops.as_of.set(usize::MAX);
            ops.open.set(Some(OpenSimulation {
                meta,
                log,
                report: Arc::new(simulated.report),
            }));
        }
        Err(e) if ops.error.get_untracked().is_none() => ops.error.set(Some(e)),
        Err(_) => {}
    }
}

/// Stops the running job at once (and nothing else).
pub fn cancel(state: AppState) {
    worker::cancel(OPERATIONS);
    state.ops.progress.set(None);
    state
        .ops
        .error
        .set(Some("Cancelled: nothing was saved.".into()));
}

fn model_by_build(state: AppState, build_id: &str) -> Option<SavedModel> {
    state
        .training
        .models
        .with_untracked(|m| m.iter().find(|m| m.build_id == build_id).cloned())
}

/// The worker's report of `meta`'s stored log under `rules` (and the log
/// itself when `with_log`).
async fn report_of(
    state: AppState,
    meta: &SavedSimulation,
    rules: &[Rule],
    with_log: bool,
) -> Result<JsValue, String> {
    let model = model_by_build(state, &meta.model_build_id).ok_or_else(|| {
        format!(
            "the model that served this simulation (build {}) is no longer in the registry",
            meta.model_build_id
        )
    })?;
    let request = worker::object(&[
        ("kind", "ops".into()),
        ("op", "report".into()),
        ("simulation", (meta.id as f64).into()),
        ("withLog", with_log.into()),
        ("model", model.to_json().into()),
        (
            "settings",
            serde_json::to_string(&meta.settings)
                .unwrap_or_default()
                .into(),
        ),
        (
            "rules",
            serde_json::to_string(rules).unwrap_or_default().into(),
        ),
    ]);
    call(state, "Measuring drift", request, Array::new()).await
}

/// Opens a saved simulation: its stored log, and its report worked out again.
pub async fn open(state: AppState, id: u64) {
    let ops = state.ops;
    let Some(meta) = ops
        .simulations
        .with_untracked(|s| s.iter().find(|m| m.id == id).cloned())
    else {
        return;
    };
    match report_of(state, &meta, &meta.rules, true)
        .await
        .and_then(|r| with_log(&r))
    {
        Ok((s, log)) => {
            ops.as_of.set(usize::MAX);
            ops.open.set(Some(OpenSimulation {
                meta,
                log,
                report: Arc::new(s.report),
            }));
        }
        Err(e) => ops.error.set(Some(e)),
    }
}

/// Replaces the open simulation's rules and works its alerts out again.
pub async fn apply_rules(state: AppState, rules: Vec<Rule>) {
    let ops = state.ops;
    let Some(open) = ops.open.get_untracked() else {
        return;
    };
    match report_of(state, &open.meta, &rules, false)
        .await
        .and_then(|r| answer::<Simulated>(&r))
    {
        Ok(s) => {
            let mut meta = open.meta.clone();
            meta.rules = rules;
            ops.simulations.update(|list| {
                list.iter_mut()
                    .filter(|m| m.id == meta.id)
                    .for_each(|m| *m = meta.clone())
            });
            persist_index(state);
            ops.open.set(Some(OpenSimulation {
                meta,
                log: open.log,
                report: Arc::new(s.report),
            }));
        }
        Err(e) => ops.error.set(Some(e)),
    }
}

/// Deletes a saved simulation and its log.
pub fn delete(state: AppState, id: u64) {
    let ops = state.ops;
    ops.simulations.update(|s| s.retain(|m| m.id != id));
    if ops
        .open
        .with_untracked(|o| o.as_ref().is_some_and(|o| o.meta.id == id))
    {
        ops.open.set(None);
    }
    persist_index(state);
    persist(state, "Deleting the simulation's log", async move {
        storage::delete_simulation_log(id).await
    });
}

/// The dataset the serving model was trained on, when it is still loaded.
fn training_table(state: AppState, model: &SavedModel) -> Option<Table> {
    let run = model.run_id.and_then(|id| {
        state
            .training
            .runs
            .with_untracked(|r| r.iter().find(|r| r.id == id).cloned())
    })?;
    table_named(state, &run.dataset).filter(|t| t.num_rows() >= model.training_rows)
}

/// Retrains on the reference plus the labelled traffic of blocks
/// `1..=up_to`, registers the challenger as the next version and compares
/// it with the champion on the same prediction ids.
pub async fn retrain(state: AppState, up_to: usize) {
    let ops = state.ops;
    let Some(open) = ops.open.get_untracked() else {
        return;
    };
    let Some(model) = model_by_build(state, &open.meta.model_build_id) else {
        return ops.error.set(Some(
            "The model that served this simulation is no longer in the registry.".into(),
        ));
    };
    let blocks = open.meta.settings.blocks();
    if up_to == 0 || up_to >= blocks {
        return ops.error.set(Some(format!("Train on blocks up to: give a block from 1 to {}, so that later blocks can test the challenger.", blocks.saturating_sub(1))));
    }
    let training = training_table(state, &model);
    let request = worker::object(&[
        ("kind", "ops".into()),
        ("op", "retrain".into()),
        ("simulation", (open.meta.id as f64).into()),
        ("model", model.to_json().into()),
        (
            "settings",
            serde_json::to_string(&open.meta.settings)
                .unwrap_or_default()
                .into(),
        ),
        ("upTo", (up_to as f64).into()),
    ]);
    if let Some(t) = &training {
        let _ = js_sys::Reflect::set(&request, &"training".into(), &table_to_js(t));
    }
    let started = js_sys::Date::now();
    let start = perf::now_ms();
    let retrained: Result<Retrained, String> = call(state, "Retraining", request, Array::new())
        .await
        .and_then(|r| answer(&r));
    match retrained {
        Ok(r) => {
            let run = Run {
                id: new_id(),
                started_ms: started,
                duration_ms: perf::now_ms() - start,
                dataset: format!(
                    "retraining: {} rows{}",
                    r.rows,
                    if training.is_some() {
                        ""
                    } else {
                        " (reference sample)"
                    }
                ),
                rows: r.rows,
                config: r.model.config.clone(),
                c: r.c,
                metrics: ModelMetrics::of(&r.evaluation),
            };
            state.training.runs.update(|runs| runs.push(run.clone()));
            persist_runs(state);
            let mut model = r.model;
            model.run_id = Some(run.id);
            let saved = register(state, model);
            let mut shadow = r.shadow;
            shadow.challenger_build_id = saved.build_id.clone();
            let mut meta = open.meta.clone();
            meta.shadow = Some(shadow);
            ops.simulations.update(|list| {
                list.iter_mut()
                    .filter(|m| m.id == meta.id)
                    .for_each(|m| *m = meta.clone())
            });
            persist_index(state);
            ops.open.set(Some(OpenSimulation { meta, ..open }));
        }
        Err(e) => ops.error.set(Some(e)),
    }
}

/// Deploys the open simulation's challenger.
pub fn promote(state: AppState) {
    let Some(id) = state.ops.open.with_untracked(|o| {
        o.as_ref().and_then(|o| {
            o.meta
                .shadow
                .as_ref()
                .map(|s| s.challenger_build_id.clone())
        })
    }) else {
        return;
    };
    if model_by_build(state, &id).is_none() {
        return state
            .ops
            .error
            .set(Some("The challenger is no longer in the registry.".into()));
    }
    state.training.deployed.set(Some(id));
    persist_deployed(state);
}

/// Downloads the open simulation's prediction log as CSV.
pub fn export_log(state: AppState) {
    let Some(open) = state.ops.open.get_untracked() else {
        return;
    };
    let csv = write_table(&open.log);
    if let Err(e) = download(
        &format!("prediction-log-{}.csv", open.meta.id),
        "text/csv",
        csv.as_bytes(),
    ) {
        state.ops.error.set(Some(e));
    }
}

/// Downloads the open simulation's settings, rules and report as JSON.
pub fn export_metrics(state: AppState) {
    let Some(open) = state.ops.open.get_untracked() else {
        return;
    };
    let value = serde_json::json!({"format": "churnlab-simulation", "version": 1, "simulation": open.meta, "report": *open.report});
    let text = serde_json::to_string_pretty(&value).unwrap_or_default();
    if let Err(e) = download(
        &format!("simulation-metrics-{}.json", open.meta.id),
        "application/json",
        text.as_bytes(),
    ) {
        state.ops.error.set(Some(e));
    }
}

/// At start-up: the list of simulations.
pub async fn restore(state: AppState) {
    match storage::load_simulations().await {
        Ok(items) => state.ops.simulations.set(items),
        Err(e) => state.notify(
            crate::ui::state::NoticeKind::Warning,
            "Saved simulations could not be restored",
            vec![e.to_string()],
        ),
    }
}

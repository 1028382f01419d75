//! The Operations page's work, done in a worker: a simulation (the calls,
//! then its report), a report again (other rules, or a saved log), and
//! retraining with the challenger's shadow comparison. Requests carry the
//! model and settings as JSON and small tables as column byte arrays; the
//! prediction log, which can hold a million calls, is stored and read here,
//! in the worker, so that the page never encodes it.

use js_sys::Array;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::core::data::table::Table;
use crate::core::explain::lime::Lime;
use crate::core::model::pipeline::SavedModel;
use crate::core::model::train::train;
use crate::core::ops::alerts::{default_rules, Rule};
use crate::core::ops::log::Log;
use crate::core::ops::report::{report, Report};
use crate::core::ops::retrain::{retraining_table, shadow, Shadow};
use crate::core::ops::simulate::{simulate, SimSettings};
use crate::ui::browser::js_table::{table_from_js, table_to_js, transfer_list};
use crate::ui::browser::worker::{self, get, get_f64, get_str, object};
use crate::ui::browser::{perf, storage};

const PROGRESS_EVERY_MS: f64 = 50.0;

fn bad(what: impl std::fmt::Display) -> JsValue {
    JsValue::from_str(&what.to_string())
}

fn json<T: serde::de::DeserializeOwned>(request: &JsValue, key: &str) -> Result<T, JsValue> {
    let text = get_str(request, key).ok_or_else(|| bad(format!("no {key}")))?;
    serde_json::from_str(&text).map_err(|e| bad(format!("{key}: {e}")))
}

fn table(request: &JsValue, key: &str) -> Result<Table, JsValue> {
    let parts: Array = get(request, key)
        .dyn_into()
        .map_err(|_| bad(format!("no {key}")))?;
    table_from_js(&parts).map_err(bad)
}

fn model_of(request: &JsValue, key: &str) -> Result<SavedModel, JsValue> {
    let text = get_str(request, key).ok_or_else(|| bad(format!("no {key}")))?;
    SavedModel::from_json(&text).map_err(bad)
}

/// What a simulation answers.
#[derive(Serialize, Deserialize)]
pub struct Simulated {
    pub report: Report,
    pub rules: Vec<Rule>,
    pub duration_ms: f64,
    /// Why the log could not be stored, if it could not.
    pub not_stored: Option<String>,
}

/// The stored log of simulation `id`.
async fn stored_log(request: &JsValue, model: &SavedModel) -> Result<(Table, Log), JsValue> {
    let id = get_f64(request, "simulation").ok_or_else(|| bad("no simulation id"))? as u64;
    let table = storage::load_simulation_log(id).await.map_err(bad)?.ok_or_else(|| bad("This simulation's log was not kept (the browser's storage refused it); run it again with the same seed to get it back."))?;
    let log = Log::from_table(&table, model).map_err(bad)?;
    Ok((table, log))
}

/// What retraining answers.
#[derive(Serialize, Deserialize)]
pub struct Retrained {
    pub model: SavedModel,
    pub shadow: Shadow,
    pub evaluation: crate::core::model::train::Evaluation,
    pub c: f64,
    pub rows: usize,
}

fn reply(value: &impl Serialize, log: Option<&Table>) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(bad)?;
    let out = object(&[("answer", text.into())]);
    if let Some(log) = log {
        let parts = table_to_js(log);
        let transfer = transfer_list(&parts);
        let _ = js_sys::Reflect::set(&out, &"log".into(), &parts);
        let _ = js_sys::Reflect::set(&out, &"transfer".into(), &transfer);
    }
    Ok(out.into())
}

async fn run(request: JsValue) -> Result<JsValue, JsValue> {
    let id = get_f64(&request, "id").unwrap_or(0.0);
    let model = model_of(&request, "model")?;
    let reference = model
        .reference
        .clone()
        .ok_or_else(|| bad("this model has no reference data for monitoring"))?;
    let settings: SimSettings = json(&request, "settings")?;
    let mut shown_at = f64::NEG_INFINITY;
    let mut progress = |done: usize, total: usize| {
        let now = perf::now_ms();
        if now - shown_at > PROGRESS_EVERY_MS || done == total {
            shown_at = now;
            worker::post_progress(id, done as f64, total as f64);
        }
        true
    };
    match get_str(&request, "op").as_deref() {
        Some("simulate") => {
            let source = table(&request, "source")?;
            settings.check(&model, &source).map_err(bad)?;
            let started = perf::now_ms();
            let lime = settings.explains().then(|| Lime::new(&model));
            let log = simulate(
                &model,
                lime.as_ref(),
                &source,
                &settings,
                &mut perf::now_ms,
                &mut progress,
            )
            .ok_or_else(|| bad("the dataset has no rows with a label"))?;
            let rules = default_rules(&reference, &settings);
            let report = report(&model, &reference, &log, &settings, &rules, usize::MAX);
            let duration_ms = perf::now_ms() - started;
            let table = log.to_table(&model);
            let id = get_f64(&request, "simulation").ok_or_else(|| bad("no simulation id"))? as u64;
            let not_stored = storage::save_simulation_log(id, &table)
                .await
                .err()
                .map(|e| e.to_string());
            reply(
                &Simulated {
                    report,
                    rules,
                    duration_ms,
                    not_stored,
                },
                Some(&table),
            )
        }
        Some("report") => {
            let (table, log) = stored_log(&request, &model).await?;
            let rules: Vec<Rule> = json(&request, "rules")?;
            let started = perf::now_ms();
            let report = report(&model, &reference, &log, &settings, &rules, usize::MAX);
            let with_log = get(&request, "withLog").is_truthy();
            reply(
                &Simulated {
                    report,
                    rules,
                    duration_ms: perf::now_ms() - started,
                    not_stored: None,
                },
                with_log.then_some(&table),
            )
        }
        Some("retrain") => {
            let (_, log) = stored_log(&request, &model).await?;
            let training = table(&request, "training").ok();
            let up_to = get_f64(&request, "upTo").unwrap_or(0.0).max(0.0) as usize;
            let data = retraining_table(
                &model,
                training.as_ref(),
                &reference,
                &log,
                settings.block_size,
                up_to,
            );
            let cfg = model.config.clone();
            let trained = train(&data, &cfg, &mut progress).map_err(bad)?;
            let mut challenger = SavedModel::new(&model.name, &data, &cfg, &trained, None);
            challenger.description = model.description.clone();
            let shadow = shadow(&challenger, &log, settings.block_size, up_to);
            reply(
                &Retrained {
                    shadow,
                    evaluation: trained.evaluation,
                    c: trained.c,
                    rows: data.num_rows(),
                    model: challenger,
                },
                None,
            )
        }
        other => Err(bad(format!("unknown operations request {other:?}"))),
    }
}

/// Registers the operations task in a worker.
pub fn register_worker_tasks() {
    worker::register("ops", |request| Box::pin(run(request)));
}

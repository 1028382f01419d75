//! `window.churnlab`: the page's JavaScript interface, for pages that embed
//! the app and for the benchmark harness.

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::ui::browser::perf;

fn set(target: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &key.into(), value);
}

/// Adds `window.churnlab.query(sql)`: runs SQL over the app's datasets and
/// returns `{rows, columns, ms}` or `{error}` (for embedding pages and the
/// benchmarks).
fn install_query(state: crate::ui::state::AppState) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(api) = Reflect::get(&window, &"churnlab".into()) else {
        return;
    };
    let query = Closure::<dyn Fn(String) -> JsValue>::new(move |sql: String| {
        let o = Object::new();
        match crate::ui::query::sql::execute(state, &sql) {
            Ok((table, ms)) => {
                set(&o, "rows", &(table.num_rows() as f64).into());
                let columns: js_sys::Array = table
                    .columns()
                    .iter()
                    .map(|c| JsValue::from_str(&c.name))
                    .collect();
                set(&o, "columns", &columns.into());
                set(&o, "ms", &ms.into());
            }
            Err(e) => set(&o, "error", &e.to_string().into()),
        }
        o.into()
    });
    set(api.unchecked_ref(), "query", &query.into_js_value());
}

/// Adds `window.churnlab.chart(specJson, width, height)`: computes a chart
/// spec's data on the active dataset and draws it on a detached canvas of
/// that size, as the chart view does; returns `{ms, dataMs, drawMs, marks}`
/// or `{error}` (for the benchmarks).
fn install_chart(state: crate::ui::state::AppState) {
    use leptos::prelude::WithUntracked;
    use plotters::prelude::IntoDrawingArea;
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(api) = Reflect::get(&window, &"churnlab".into()) else {
        return;
    };
    let chart = Closure::<dyn Fn(String, u32, u32) -> JsValue>::new(
        move |spec: String, width: u32, height: u32| {
            let o = Object::new();
            let result = (|| -> Result<(f64, f64, usize), String> {
                let spec: crate::core::chart::ChartSpec =
                    serde_json::from_str(&spec).map_err(|e| format!("bad spec: {e}"))?;
                let start = perf::now_ms();
                let data = state
                    .dataset
                    .with_untracked(|d| crate::core::chart::chart_data(&spec, &d.table, None))
                    .map_err(|e| e.to_string())?;
                let drawn = perf::now_ms();
                let document = web_sys::window()
                    .and_then(|w| w.document())
                    .ok_or("no document")?;
                let canvas: web_sys::HtmlCanvasElement = document
                    .create_element("canvas")
                    .map_err(|e| format!("{e:?}"))?
                    .unchecked_into();
                canvas.set_width(width);
                canvas.set_height(height);
                let backend = plotters_canvas::CanvasBackend::with_canvas_object(canvas)
                    .ok_or("no canvas context")?;
                let area = backend.into_drawing_area();
                let hits = crate::core::chart::draw::draw(
                    &area,
                    spec.kind,
                    &data,
                    crate::core::chart::draw::Theme { scale: 1.0 },
                )?;
                area.present().map_err(|e| e.to_string())?;
                Ok((drawn - start, perf::now_ms() - drawn, hits.len()))
            })();
            match result {
                Ok((data_ms, draw_ms, marks)) => {
                    set(&o, "ms", &(data_ms + draw_ms).into());
                    set(&o, "dataMs", &data_ms.into());
                    set(&o, "drawMs", &draw_ms.into());
                    set(&o, "marks", &(marks as f64).into());
                }
                Err(e) => set(&o, "error", &e.into()),
            }
            o.into()
        },
    );
    set(api.unchecked_ref(), "chart", &chart.into_js_value());
}

/// Adds `window.churnlab.train(overridesJson)`: trains the workshop's
/// pipeline on the active dataset in one worker, on its one thread (for
/// timing: the Train page shares a CV's folds out over workers), with the
/// default configuration plus the given fields; resolves to `{ms,
/// testAccuracy, auc, c, iterations, fits, memory}` (`ms` timed in the
/// worker around the training alone; the solver's mean iterations over its
/// `fits` fits; the worker's wasm memory after it) or `{error}`; with
/// `"withSplit": true` also `split`: `features`, `categorical`, `trainRows`
/// and `testRows` (for comparing with scikit-learn on the same rows).
fn install_train(state: crate::ui::state::AppState) {
    use leptos::prelude::WithUntracked;
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(api) = Reflect::get(&window, &"churnlab".into()) else {
        return;
    };
    let train = Closure::<dyn Fn(String) -> js_sys::Promise>::new(move |overrides: String| {
        wasm_bindgen_futures::future_to_promise(async move {
            let table = state.dataset.with_untracked(|d| d.table.clone());
            let ticket = crate::ui::browser::held::Ticket::new();
            let answer: Result<serde_json::Value, String> = crate::ui::browser::held::ask_json(
                &table,
                "train-timed",
                &overrides,
                &|_, _| {},
                &ticket,
            )
            .await;
            Ok(crate::ui::browser::json::to_js(
                &answer.unwrap_or_else(|e| serde_json::json!({ "error": e })),
            ))
        })
    });
    set(api.unchecked_ref(), "train", &train.into_js_value());
}

/// In a worker: `window.churnlab.train`'s work on the held table.
pub fn register_worker_ops() {
    crate::ui::browser::held::register_op("train-timed", |tables, args| {
        let table = crate::ui::browser::held::only(tables)?;
        let overrides: String = crate::ui::browser::held::read(&args)?;
        crate::ui::browser::held::write(&train_timed(table, &overrides))
    });
}

/// Trains on `table` with the default configuration plus `overrides`,
/// timing the training alone: `window.churnlab.train`'s answer.
fn train_timed(table: &crate::core::data::table::Table, overrides: &str) -> serde_json::Value {
    use crate::core::model::features::FeatureKind;
    let with_split = serde_json::from_str::<serde_json::Value>(overrides)
        .ok()
        .and_then(|v| v.get("withSplit").and_then(serde_json::Value::as_bool))
        .unwrap_or(false);
    let run = || -> Result<serde_json::Value, String> {
        let cfg = config_with(table, overrides)?;
        let start = perf::now_ms();
        let trained = crate::core::model::train::train(table, &cfg, &mut |_, _| true)
            .map_err(|e| e.to_string())?;
        let ms = perf::now_ms() - start;
        // The solver's iterations per fit, as scikit-learn's n_iter_: the
        // CV's fits (folds × C), or the plain fit's.
        let fits: Vec<u64> = match &trained.cv {
            Some(cv) => cv.iterations.iter().flatten().copied().collect(),
            None => vec![trained.iterations],
        };
        let mut o = serde_json::json!({
            "ms": ms,
            "testAccuracy": trained.evaluation.test_accuracy,
            "auc": trained.evaluation.auc,
            "c": trained.c,
            "iterations": fits.iter().sum::<u64>() as f64 / fits.len().max(1) as f64,
            "fits": fits.len(),
            // The worker's memory after the training, which it held.
            "memory": perf::wasm_memory_bytes(),
        });
        // The rows and encoding the fit used, as it recorded them.
        if with_split {
            let p = &trained.prepared;
            let categorical: Vec<&String> = p
                .encoder
                .columns
                .iter()
                .filter(|c| c.kind == FeatureKind::Categorical)
                .map(|c| &c.column)
                .collect();
            o["split"] = serde_json::json!({"features": cfg.features, "categorical": categorical, "trainRows": p.train_rows, "testRows": p.test_rows});
        }
        Ok(o)
    };
    run().unwrap_or_else(|e| serde_json::json!({ "error": e }))
}

/// Adds `window.churnlab.trainInWorkers(overridesJson)`: trains as the
/// Train page does, in workers (a cross-validation's folds shared out over
/// one worker per core), with the default configuration plus the given
/// fields; resolves to `{ms, testAccuracy, auc, c, workers}` or `{error}`.
fn install_train_in_workers(state: crate::ui::state::AppState) {
    use leptos::prelude::WithUntracked;
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(api) = Reflect::get(&window, &"churnlab".into()) else {
        return;
    };
    let train = Closure::<dyn Fn(String) -> js_sys::Promise>::new(move |overrides: String| {
        wasm_bindgen_futures::future_to_promise(async move {
            let o = Object::new();
            let run = async {
                let (table, cfg) = state.dataset.with_untracked(|d| {
                    Ok::<_, String>((d.table.clone(), config_with(&d.table, &overrides)?))
                })?;
                let workers = crate::ui::model::training::workers_for(&table, &cfg);
                let start = perf::now_ms();
                let answer =
                    crate::ui::model::training::train_in_workers(&table, &cfg, |_, _| {}).await?;
                Ok::<_, String>((perf::now_ms() - start, answer, workers))
            };
            match run.await {
                Ok((ms, answer, workers)) => {
                    set(&o, "ms", &ms.into());
                    set(&o, "testAccuracy", &answer.evaluation.test_accuracy.into());
                    set(&o, "auc", &answer.evaluation.auc.into());
                    set(&o, "c", &answer.c.into());
                    set(&o, "workers", &(workers as f64).into());
                }
                Err(e) => set(&o, "error", &e.into()),
            }
            Ok(o.into())
        })
    });
    set(
        api.unchecked_ref(),
        "trainInWorkers",
        &train.into_js_value(),
    );
}

/// The default configuration for `table` with the fields of `overrides` (JSON) put over it.
fn config_with(
    table: &crate::core::data::table::Table,
    overrides: &str,
) -> Result<crate::core::model::config::TrainConfig, String> {
    let mut cfg = serde_json::to_value(crate::core::model::defaults::default_config(table))
        .map_err(|e| e.to_string())?;
    let extra: serde_json::Value =
        serde_json::from_str(overrides).map_err(|e| format!("bad overrides: {e}"))?;
    if let (Some(base), Some(extra)) = (cfg.as_object_mut(), extra.as_object()) {
        base.extend(extra.clone());
    }
    serde_json::from_value(cfg).map_err(|e| format!("bad configuration: {e}"))
}

/// Adds the parts of `window.churnlab` that need the app's state: `query`,
/// `chart`, `train`, the endpoint's `explain` and `predict`, and the lab's
/// metrics API (`trackDelayedMetrics`, `trackAggregateMetrics`, `readMetrics`).
pub fn install_with_state(state: crate::ui::state::AppState) {
    install_query(state);
    install_chart(state);
    install_train(state);
    install_train_in_workers(state);
    crate::ui::explain::endpoint::install(state);
    crate::ui::ops::tracking::install(state);
    install_ops_drift(state);
}

/// Adds `window.churnlab.opsDrift()`: the drift of every feature in every
/// block of the open simulation worked out again on this thread, for the
/// benchmark against Python's drift tools; returns `{ms, features, blocks}`
/// or `{error}`.
fn install_ops_drift(state: crate::ui::state::AppState) {
    use leptos::prelude::WithUntracked;
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(api) = Reflect::get(&window, &"churnlab".into()) else {
        return;
    };
    let drift = Closure::<dyn Fn() -> JsValue>::new(move || {
        let o = Object::new();
        let result = state
            .ops
            .open
            .with_untracked(|open| -> Result<(f64, usize, usize), String> {
                let open = open.as_ref().ok_or("no simulation is open")?;
                let model = state
                    .training
                    .models
                    .with_untracked(|m| {
                        m.iter()
                            .find(|m| m.build_id == open.meta.model_build_id)
                            .cloned()
                    })
                    .ok_or("the model is gone")?;
                let reference = model
                    .reference
                    .clone()
                    .ok_or("the model has no reference")?;
                let log = crate::core::ops::log::Log::from_table(&open.log, &model)
                    .map_err(|e| e.to_string())?;
                let b = open.meta.settings.block_size;
                let start = perf::now_ms();
                let r = crate::core::ops::drift::DriftReference::new(&model, &reference);
                let mut cells = 0;
                for (col, values) in r.columns.iter().zip(&log.values) {
                    for first in (0..log.len()).step_by(b) {
                        let block = crate::core::ops::blocks::slice(
                            values,
                            first..(first + b).min(log.len()),
                        );
                        std::hint::black_box(crate::core::ops::drift::feature_drift(col, &block));
                        cells += 1;
                    }
                }
                Ok((
                    perf::now_ms() - start,
                    r.columns.len(),
                    cells / r.columns.len().max(1),
                ))
            });
        match result {
            Ok((ms, features, blocks)) => {
                set(&o, "ms", &ms.into());
                set(&o, "features", &(features as f64).into());
                set(&o, "blocks", &(blocks as f64).into());
            }
            Err(e) => set(&o, "error", &e.into()),
        }
        o.into()
    });
    set(api.unchecked_ref(), "opsDrift", &drift.into_js_value());
}

/// Installs `window.churnlab` with what needs no state.
pub fn install() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let api = Object::new();
    let memory = Closure::<dyn Fn() -> f64>::new(perf::wasm_memory_bytes);
    set(&api, "wasmMemoryBytes", &memory.into_js_value());
    let last_load = Closure::<dyn Fn() -> JsValue>::new(|| match perf::last_load() {
        None => JsValue::NULL,
        Some(f) => {
            let o = Object::new();
            set(&o, "ms", &f.elapsed_ms.into());
            set(&o, "readMs", &f.read_ms.into());
            set(&o, "rows", &(f.rows as f64).into());
            set(&o, "fileBytes", &(f.file_bytes as f64).into());
            set(&o, "tableBytes", &(f.table_bytes as f64).into());
            set(&o, "parts", &(f.parts as f64).into());
            let phases = Object::new();
            for (name, ms) in f.phases {
                set(&phases, name, &ms.into());
            }
            set(&o, "phases", &phases.into());
            o.into()
        }
    });
    set(&api, "lastLoad", &last_load.into_js_value());
    let saves = Closure::<dyn Fn() -> u32>::new(perf::saves_pending);
    set(&api, "savesPending", &saves.into_js_value());
    let loads = Closure::<dyn Fn() -> u32>::new(crate::ui::data::loader::loads_ended);
    set(&api, "loadsEnded", &loads.into_js_value());
    // The background workers by kind of job: [{kind, workers, busy}].
    let workers = Closure::<dyn Fn() -> JsValue>::new(|| {
        let list = js_sys::Array::new();
        for (kind, workers, busy) in crate::ui::browser::worker::census() {
            let o = Object::new();
            set(&o, "kind", &kind.into());
            set(&o, "workers", &(workers as f64).into());
            set(&o, "busy", &busy.into());
            list.push(&o);
        }
        list.into()
    });
    set(&api, "workers", &workers.into_js_value());
    // What the held tables' worker has answered, by op: {op: count}.
    let held_ops = Closure::<dyn Fn() -> JsValue>::new(|| {
        let o = Object::new();
        for (op, n) in crate::ui::browser::held::answered() {
            set(&o, op, &(n as f64).into());
        }
        o.into()
    });
    set(&api, "heldOps", &held_ops.into_js_value());
    set(&window, "churnlab", &api);
}

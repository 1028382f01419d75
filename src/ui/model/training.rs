//! Training runs in a Web Worker: the page sends the table (its column
//! buffers, moved not copied) and the configuration; the worker runs
//! `core::train`, reports fits done, and answers with the evaluation and
//! the saved-model pipeline. Cancel stops the worker. Finished runs are
//! recorded as experiments.

use js_sys::Array;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::core::data::table::Table;
use crate::core::model::config::Mode;
use crate::core::model::config::TrainConfig;
use crate::core::model::pipeline::{ModelMetrics, SavedModel};
use crate::core::model::train::{
    cross_validate_folds, cv_workers, fold_share, prepare, train_with_cv, CvResult, Evaluation,
    FoldFits,
};
use crate::ui::browser::js_table::{table_from_js, table_to_js_in_turns, transfer_list};
use crate::ui::browser::perf;
use crate::ui::browser::worker::{self, get, get_f64, get_str, object};
use crate::ui::data::datasets::{persist_models, persist_runs};
use crate::ui::state::{new_id, AppState, Run, RunOutcome, TrainProgress};

/// What a worker sends back.
#[derive(Serialize, Deserialize)]
pub struct Answer {
    pub evaluation: Evaluation,
    pub cv: Option<CvResult>,
    pub model: SavedModel,
    pub dropped: usize,
    pub c: f64,
}

const PROGRESS_EVERY_MS: f64 = 40.0;

/// Registers the worker side of training.
pub fn register_worker_tasks() {
    worker::register("train", |request| {
        Box::pin(async move { train_request(&request).await })
    });
    worker::register("cv-folds", |request| {
        Box::pin(async move { cv_folds_request(&request).await })
    });
}

/// Reports progress at most every [`PROGRESS_EVERY_MS`], and always the last step.
fn throttled_progress(id: f64) -> impl FnMut(usize, usize) -> bool {
    let mut shown_at = f64::NEG_INFINITY;
    move |done, total| {
        let now = perf::now_ms();
        if now - shown_at > PROGRESS_EVERY_MS || done == total {
            shown_at = now;
            worker::post_progress(id, done as f64, total as f64);
        }
        true
    }
}

/// A request's table and configuration.
fn table_and_config(request: &JsValue, task: &str) -> Result<(f64, Table, TrainConfig), JsValue> {
    let bad = |what: &str| JsValue::from_str(&format!("{task}: {what}"));
    let id = get_f64(request, "id").ok_or_else(|| bad("no id"))?;
    let parts: Array = get(request, "table")
        .dyn_into()
        .map_err(|_| bad("no table"))?;
    let table = table_from_js(&parts).map_err(|e| bad(&e.to_string()))?;
    let cfg: TrainConfig = get_str(request, "config")
        .and_then(|c| serde_json::from_str(&c).ok())
        .ok_or_else(|| bad("no configuration"))?;
    Ok((id, table, cfg))
}

/// Worker side: this worker's share of a cross-validation's folds.
async fn cv_folds_request(request: &JsValue) -> Result<JsValue, JsValue> {
    let (id, table, cfg) = table_and_config(request, "cv-folds")?;
    let folds: Vec<usize> = get_str(request, "folds")
        .and_then(|f| serde_json::from_str(&f).ok())
        .ok_or("cv-folds: no folds")?;
    let p = prepare(&table, &cfg).map_err(|e| JsValue::from_str(&e.to_string()))?;
    let fits = cross_validate_folds(
        &p.x_train,
        &p.y_train,
        &cfg.cs,
        cfg.folds,
        &folds,
        cfg.max_iter,
        &mut throttled_progress(id),
    )
    .map_err(|e| JsValue::from_str(&e.to_string()))?;
    let text = serde_json::to_string(&fits).map_err(|e| JsValue::from_str(&e.to_string()))?;
    Ok(object(&[("fits", text.into())]).into())
}

/// Worker side: one training request (with the cross-validation's scores
/// when other workers worked them out).
async fn train_request(request: &JsValue) -> Result<JsValue, JsValue> {
    let (id, table, cfg) = table_and_config(request, "train")?;
    let given: Option<CvResult> =
        get_str(request, "cv").and_then(|c| serde_json::from_str(&c).ok());
    let trained = train_with_cv(&table, &cfg, given, &mut throttled_progress(id))
        .map_err(|e| JsValue::from_str(&e.to_string()))?;
    let model = SavedModel::new("", &table, &cfg, &trained, None);
    let mut answer = Answer {
        evaluation: trained.evaluation,
        cv: trained.cv,
        model,
        dropped: trained.prepared.dropped,
        c: trained.c,
    };
    let arrays = take_arrays(&mut answer);
    let text =
        serde_json::to_string(&answer).map_err(|e| JsValue::from_str(&format!("train: {e}")))?;
    let mut reply = vec![("answer", text.into())];
    reply.extend(arrays);
    Ok(object(&reply).into())
}

/// The answer's long arrays (a score, a label and curve points per test
/// row) taken out of it, as typed arrays: a million-row training's answer
/// would otherwise be megabytes of JSON for the page to read in one task.
fn take_arrays(answer: &mut Answer) -> [(&'static str, JsValue); 4] {
    let e = &mut answer.evaluation;
    let points = |p: Vec<(f64, f64)>| -> JsValue {
        let flat: Vec<f64> = p.into_iter().flat_map(|(a, b)| [a, b]).collect();
        js_sys::Float64Array::from(flat.as_slice()).into()
    };
    let labels: Vec<u8> = std::mem::take(&mut e.test_labels)
        .into_iter()
        .map(u8::from)
        .collect();
    [
        (
            "probabilities",
            js_sys::Float64Array::from(std::mem::take(&mut e.test_probabilities).as_slice()).into(),
        ),
        ("labels", js_sys::Uint8Array::from(labels.as_slice()).into()),
        ("roc", points(std::mem::take(&mut e.roc))),
        ("pr", points(std::mem::take(&mut e.pr))),
    ]
}

/// Puts back into `answer` the arrays [`take_arrays`] took out.
fn restore_arrays(answer: &mut Answer, reply: &JsValue) -> Result<(), String> {
    let floats = |key: &str| -> Result<Vec<f64>, String> {
        get(reply, key)
            .dyn_into::<js_sys::Float64Array>()
            .map(|a| a.to_vec())
            .map_err(|_| format!("the training worker sent no {key}"))
    };
    let points = |key: &str| -> Result<Vec<(f64, f64)>, String> {
        Ok(floats(key)?.chunks_exact(2).map(|p| (p[0], p[1])).collect())
    };
    let e = &mut answer.evaluation;
    e.test_probabilities = floats("probabilities")?;
    e.test_labels = get(reply, "labels")
        .dyn_into::<js_sys::Uint8Array>()
        .map_err(|_| "the training worker sent no labels".to_owned())?
        .to_vec()
        .into_iter()
        .map(|b| b != 0)
        .collect();
    e.roc = points("roc")?;
    e.pr = points("pr")?;
    Ok(())
}

/// The training's kind of job, for its workers.
pub const TRAINING: &str = "training";

/// Why a second training does not start while one runs (by design: one at
/// a time, refused, not queued).
pub const ONE_AT_A_TIME: &str = "A training is running: one runs at a time. Wait for it to end, or cancel it, then start this one.";

/// How many workers a run of `cfg` on `table` uses: one per core for a
/// cross-validation's folds (see `cv_workers`), one otherwise.
pub fn workers_for(table: &Table, cfg: &TrainConfig) -> usize {
    if cfg.mode != Mode::Cv {
        return 1;
    }
    cv_workers(worker::cores(), cfg.folds, table.num_rows())
}

/// A second copy of a table's encoded parts, for another worker.
fn copy_parts(parts: &Array) -> Array {
    parts
        .iter()
        .map(|p| {
            p.dyn_ref::<js_sys::Uint8Array>()
                .map_or_else(|| p.clone(), |a| a.slice(0, a.length()).into())
        })
        .collect()
}

/// Page side: trains on `table` in workers, reporting `(done, total)`. A
/// cross-validation's folds are shared out over [`workers_for`] workers,
/// then one of them fits the final model with the scores put together.
pub async fn train_in_workers(
    table: &Table,
    cfg: &TrainConfig,
    on_progress: impl Fn(usize, usize) + 'static,
) -> Result<Answer, String> {
    // The cores no other job holds: the folds are shared out over as many
    // workers as the lease gives (the same scores on any number).
    let pool = worker::lease(TRAINING, workers_for(table, cfg))
        .await
        .map_err(|e| format!("the training worker did not start: {e}"))?;
    let workers = pool.size();
    // Encoded in the page's turns: a million rows would freeze it otherwise.
    let parts = table_to_js_in_turns(table, |_, _| {}).await;
    let config = serde_json::to_string(cfg).map_err(|e| e.to_string())?;
    let on_progress = std::rc::Rc::new(on_progress);
    let mut cv = None;
    if workers > 1 {
        let done = std::rc::Rc::new(std::cell::RefCell::new(vec![0usize; workers]));
        let total = cfg.folds * cfg.cs.len() + 1;
        let mut shares = Vec::with_capacity(workers);
        for w in 0..workers {
            let folds = fold_share(cfg.folds, workers, w);
            let copy = copy_parts(&parts);
            let request = object(&[
                ("kind", "cv-folds".into()),
                ("table", copy.clone().into()),
                ("config", config.clone().into()),
                (
                    "folds",
                    serde_json::to_string(&folds).unwrap_or_default().into(),
                ),
            ]);
            let (done, on_progress) = (done.clone(), on_progress.clone());
            let reply = pool.call(w, &request, &transfer_list(&copy), move |d, _| {
                done.borrow_mut()[w] = d as usize;
                on_progress(done.borrow().iter().sum(), total);
            })?;
            shares.push((folds, reply));
        }
        let mut fits: Vec<Option<FoldFits>> = vec![None; cfg.folds];
        for (folds, reply) in shares {
            let reply = reply.await.map_err(|e| {
                e.as_string()
                    .unwrap_or_else(|| "a training worker failed".into())
            })?;
            let got: Vec<FoldFits> = get_str(&reply, "fits")
                .and_then(|t| serde_json::from_str(&t).ok())
                .ok_or("a training worker sent no scores")?;
            for (f, s) in folds.into_iter().zip(got) {
                fits[f] = Some(s);
            }
        }
        let fits: Vec<FoldFits> = fits
            .into_iter()
            .collect::<Option<_>>()
            .ok_or("a training worker left a fold out")?;
        cv = Some(
            serde_json::to_string(&CvResult::from_folds(&cfg.cs, fits))
                .map_err(|e| e.to_string())?,
        );
    }
    let transfer = transfer_list(&parts);
    let mut request = vec![
        ("kind", "train".into()),
        ("table", parts.into()),
        ("config", config.into()),
    ];
    if let Some(cv) = cv {
        request.push(("cv", cv.into()));
    }
    let reply = pool
        .call(0, &object(&request), &transfer, move |done, total| {
            on_progress(done as usize, total as usize)
        })?
        .await
        .map_err(|e| {
            e.as_string()
                .unwrap_or_else(|| "the training worker failed".into())
        })?;
    let text = get_str(&reply, "answer").ok_or("the training worker sent no answer")?;
    let mut answer: Answer = serde_json::from_str(&text)
        .map_err(|e| format!("the training worker's answer did not read: {e}"))?;
    restore_arrays(&mut answer, &reply)?;
    Ok(answer)
}

/// Trains one configuration and says why when it did not finish (for the
/// share link's rebuild and "Do it for me").
pub async fn train_one(
    state: AppState,
    dataset: String,
    table: Table,
    config: TrainConfig,
) -> Result<(), String> {
    if state.training.progress.get_untracked().is_some() {
        return Err(ONE_AT_A_TIME.into());
    }
    if run_batch(state, dataset, table, vec![config]).await == 1 {
        Ok(())
    } else {
        Err(state
            .training
            .error
            .get_untracked()
            .unwrap_or_else(|| "The training stopped.".into()))
    }
}

/// Deploys the newest saved model.
pub fn deploy_newest(state: AppState) {
    let id = state
        .training
        .models
        .with_untracked(|m| m.last().map(|m| m.build_id.clone()));
    state.training.deployed.set(id);
    crate::ui::data::datasets::persist_deployed(state);
}

/// Trains each configuration in turn on `table` (named `dataset`), records
/// every run, and shows the last. Returns how many runs finished.
pub async fn run_batch(
    state: AppState,
    dataset: String,
    table: Table,
    configs: Vec<TrainConfig>,
) -> usize {
    let t = state.training;
    if t.progress.get_untracked().is_some() {
        return 0;
    }
    t.cancel.set(false);
    t.error.set(None);
    let runs = configs.len();
    let mut finished = 0;
    for (i, cfg) in configs.into_iter().enumerate() {
        let total = if cfg.mode == crate::core::model::config::Mode::Cv {
            cfg.folds * cfg.cs.len() + 1
        } else {
            1
        };
        t.progress.set(Some(TrainProgress {
            done: 0,
            total,
            run: i + 1,
            runs,
        }));
        let started_ms = js_sys::Date::now();
        let start = perf::now_ms();
        let progress = t.progress;
        let result = train_in_workers(&table, &cfg, move |done, total| {
            progress.set(Some(TrainProgress {
                done,
                total,
                run: i + 1,
                runs,
            }));
        })
        .await;
        if t.cancel.get_untracked() {
            break;
        }
        match result {
            Ok(answer) => {
                let run = Run {
                    id: new_id(),
                    started_ms,
                    duration_ms: perf::now_ms() - start,
                    dataset: dataset.clone(),
                    rows: table.num_rows(),
                    config: cfg,
                    c: answer.c,
                    metrics: ModelMetrics::of(&answer.evaluation),
                };
                let mut model = answer.model;
                model.run_id = Some(run.id);
                t.runs.update(|r| r.push(run.clone()));
                t.last.set(Some(RunOutcome {
                    run,
                    evaluation: answer.evaluation,
                    cv: answer.cv,
                    model,
                    dropped: answer.dropped,
                }));
                finished += 1;
            }
            Err(e) => {
                t.error.set(Some(e));
                break;
            }
        }
    }
    t.progress.set(None);
    if finished > 0 {
        persist_runs(state);
    }
    finished
}

/// Stops the running training at once (and nothing else).
pub fn cancel(state: AppState) {
    state.training.cancel.set(true);
    worker::cancel(TRAINING);
    state.training.progress.set(None);
}

/// Adds `model` to the registry under its name, as the next version.
pub fn register(state: AppState, mut model: SavedModel) -> SavedModel {
    let name = model.name.clone();
    let version = state.training.models.with_untracked(|m| {
        m.iter()
            .filter(|x| x.name == name)
            .map(|x| x.model_version)
            .max()
            .unwrap_or(0)
    }) + 1;
    model.model_version = version;
    model.created_ms = js_sys::Date::now();
    model.build_id = crate::core::model::pipeline::build_id(&model.to_json(), model.created_ms);
    state.training.models.update(|m| m.push(model.clone()));
    persist_models(state);
    model
}

/// Saves the last run's pipeline as a model called `name`.
pub fn save_model(state: AppState, name: &str, description: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("Give the model a name.".into());
    }
    let Some(last) = state.training.last.get_untracked() else {
        return Err("Train a model first.".into());
    };
    let mut model = last.model;
    model.name = name.to_owned();
    model.description = description.trim().to_owned();
    let saved = register(state, model);
    Ok(format!("{} version {}", saved.name, saved.model_version))
}

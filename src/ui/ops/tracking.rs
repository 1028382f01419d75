//! The lab's metrics API on `window.churnlab`, over the core's metrics
//! store: every answered `explain` call is recorded with a prediction id
//! (returned as `predictionId`); `trackDelayedMetrics(id, {final_label})`
//! attaches the true label, `trackAggregateMetrics(metrics, startMs, endMs)`
//! records metrics over a time range, and `readMetrics({startMs, endMs})`
//! reads them back. Kept in the browser, saved at most once a second.

use std::cell::{Cell, RefCell};

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::core::model::pipeline::SavedModel;
use crate::core::ops::log::labels_of;
use crate::core::ops::tracking::{Tracked, Tracking};
use crate::ui::browser::json::{from_js, to_js};
use crate::ui::browser::{perf, storage};
use crate::ui::explain::endpoint::{deployed, observe_calls};
use crate::ui::state::{AppState, NoticeKind};

thread_local! {
    static STORE: RefCell<Tracking> = RefCell::new(Tracking::default());
    static SAVE_SCHEDULED: Cell<bool> = const { Cell::new(false) };
}

/// A fresh random prediction id shaped like a version-4 UUID.
fn new_id() -> String {
    let r = || (js_sys::Math::random() * 4_294_967_296.0) as u64;
    let (a, b, c, d) = (r(), r(), r(), r());
    format!(
        "{a:08x}-{:04x}-4{:03x}-{:04x}-{:04x}{d:08x}",
        b >> 16,
        b & 0xfff,
        0x8000 | ((c >> 16) & 0x3fff),
        c & 0xffff
    )
}

fn schedule_save(state: AppState) {
    if SAVE_SCHEDULED.replace(true) {
        return;
    }
    perf::save_started();
    spawn_local(async move {
        TimeoutFuture::new(1_000).await;
        SAVE_SCHEDULED.set(false);
        let text = STORE.with_borrow(|s| serde_json::to_string(s).unwrap_or_default());
        let result = storage::save_tracking(text).await;
        perf::save_finished();
        if let Err(e) = result {
            state.notify(
                NoticeKind::Warning,
                "The tracked metrics will not be kept after a reload",
                vec![e.to_string()],
            );
        }
    });
}

thread_local! {
    static STATE: Cell<Option<AppState>> = const { Cell::new(None) };
}

/// Records an answered `explain` call; the id goes back to the caller.
fn record(model: &SavedModel, answer: &Value) -> Option<String> {
    let probability = answer.get("probability")?.as_f64()?;
    let (neg, pos) = labels_of(model);
    let id = new_id();
    STORE.with_borrow_mut(|s| {
        s.record(Tracked {
            id: id.clone(),
            build_id: model.build_id.clone(),
            time_ms: js_sys::Date::now(),
            input: answer.get("data").cloned().unwrap_or(Value::Null),
            probability,
            prediction: if probability >= crate::core::ops::cbpe::THRESHOLD {
                pos
            } else {
                neg
            },
            final_label: None,
            label_time_ms: None,
        })
    });
    if let Some(state) = STATE.get() {
        schedule_save(state);
    }
    Some(id)
}

fn settle(r: Result<Value, String>) -> js_sys::Promise {
    match r {
        Ok(v) => js_sys::Promise::resolve(&to_js(&v)),
        Err(e) => js_sys::Promise::reject(&js_sys::Error::new(&e).into()),
    }
}

fn set(api: &JsValue, name: &str, f: JsValue) {
    let _ = js_sys::Reflect::set(api, &name.into(), &f);
}

/// Installs the metrics API and starts recording `explain` calls.
pub fn install(state: AppState) {
    STATE.set(Some(state));
    observe_calls(record);
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(api) = js_sys::Reflect::get(&window, &"churnlab".into()) else {
        return;
    };
    let delayed = Closure::<dyn Fn(JsValue, JsValue) -> js_sys::Promise>::new(
        move |id: JsValue, metrics: JsValue| {
            let result = (|| {
                let id = id.as_string().ok_or(
                    "trackDelayedMetrics(predictionId, { final_label }): the id must be a string",
                )?;
                let model = deployed(state);
                // The classes of the model that made the prediction.
                let build = STORE.with_borrow(|s| {
                    s.predictions
                        .iter()
                        .rev()
                        .find(|p| p.id == id)
                        .map(|p| p.build_id.clone())
                });
                let owner = build
                    .and_then(|b| {
                        state
                            .training
                            .models
                            .with_untracked(|m| m.iter().find(|m| m.build_id == b).cloned())
                    })
                    .or(model);
                let (neg, pos) = owner
                    .as_ref()
                    .map(labels_of)
                    .unwrap_or_else(|| ("No".into(), "Yes".into()));
                STORE
                    .with_borrow_mut(|s| {
                        s.track_delayed(&id, &from_js(&metrics), (&neg, &pos), js_sys::Date::now())
                    })
                    .map_err(|e| e.to_string())?;
                schedule_save(state);
                Ok(Value::Null)
            })();
            settle(result)
        },
    );
    let aggregate = Closure::<dyn Fn(JsValue, JsValue, JsValue) -> js_sys::Promise>::new(
        move |metrics: JsValue, start: JsValue, end: JsValue| {
            let build = state.training.deployed.get_untracked().unwrap_or_default();
            let result = STORE
                .with_borrow_mut(|s| {
                    s.track_aggregate(&from_js(&metrics), &from_js(&start), &from_js(&end), &build)
                })
                .map(|_| Value::Null)
                .map_err(|e| e.to_string());
            if result.is_ok() {
                schedule_save(state);
            }
            settle(result)
        },
    );
    let read = Closure::<dyn Fn(JsValue) -> js_sys::Promise>::new(move |range: JsValue| {
        settle(
            STORE
                .with_borrow(|s| s.read(&from_js(&range)))
                .map_err(|e| e.to_string()),
        )
    });
    set(&api, "trackDelayedMetrics", delayed.into_js_value());
    set(&api, "trackAggregateMetrics", aggregate.into_js_value());
    set(&api, "readMetrics", read.into_js_value());
}

/// At start-up: the metrics tracked in earlier visits.
pub async fn restore(state: AppState) {
    match storage::load_tracking().await {
        Ok(Some(t)) => STORE.set(t),
        Ok(None) => {}
        Err(e) => state.notify(
            NoticeKind::Warning,
            "The tracked metrics could not be restored",
            vec![e.to_string()],
        ),
    }
}

/// How many predictions are tracked, and how many have their label.
pub fn counts() -> (usize, usize) {
    STORE.with_borrow(|s| {
        (
            s.predictions.len(),
            s.predictions
                .iter()
                .filter(|p| p.final_label.is_some())
                .count(),
        )
    })
}

/// The tracked metrics as they are now (for the project file).
pub fn snapshot() -> Tracking {
    STORE.with_borrow(Clone::clone)
}

/// Replaces the tracked metrics (a project was imported) and saves them.
pub fn replace(state: AppState, tracking: Tracking) {
    STORE.set(tracking);
    schedule_save(state);
}

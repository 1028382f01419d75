//! `window.churnlab`: the page's JavaScript interface, for pages that embed
//! the app and for the benchmark harness.

use std::cell::Cell;

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    static LAST_LOAD: Cell<Option<LoadFigures>> = const { Cell::new(None) };
    static SAVES_PENDING: Cell<u32> = const { Cell::new(0) };
    static PARTS: Cell<usize> = const { Cell::new(1) };
    static MARKS: std::cell::RefCell<Vec<(&'static str, f64)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Records that a phase of the current load ended now (for `lastLoad().phases`).
pub fn mark(phase: &'static str) {
    MARKS.with_borrow_mut(|m| m.push((phase, now_ms())));
}

/// Starts a new list of phase marks.
pub fn reset_marks() {
    MARKS.with_borrow_mut(|m| {
        m.clear();
        m.push(("start", now_ms()));
    });
}

/// Notes how many parts (workers) the current load was read in.
pub fn note_parts(parts: usize) {
    PARTS.set(parts);
}

pub fn take_parts() -> usize {
    PARTS.replace(1)
}

/// What the last completed load measured.
#[derive(Clone, Copy)]
pub struct LoadFigures {
    pub elapsed_ms: f64,
    /// Of which reading and parsing (the rest is column summaries).
    pub read_ms: f64,
    pub rows: usize,
    pub file_bytes: u64,
    pub table_bytes: usize,
    /// How many workers read the file in parallel (1: this thread).
    pub parts: usize,
    /// Milliseconds per phase, from [`mark`].
    pub phases: [(&'static str, f64); 4],
}

/// The durations between the marks of the current load (up to four).
pub fn phases() -> [(&'static str, f64); 4] {
    let mut out = [("", 0.0); 4];
    MARKS.with_borrow(|marks| {
        for (slot, pair) in out.iter_mut().zip(marks.windows(2)) {
            *slot = (pair[1].0, pair[1].1 - pair[0].1);
        }
    });
    out
}

/// Milliseconds from `performance.now()`, in the page or in a worker.
pub fn now_ms() -> f64 {
    let performance = Reflect::get(&js_sys::global(), &"performance".into()).ok();
    performance.and_then(|p| p.dyn_into::<web_sys::Performance>().ok()).map_or(0.0, |p| p.now())
}

/// Remembers how long the last load took, for `window.churnlab.lastLoad()`.
pub fn record_load(figures: LoadFigures) {
    LAST_LOAD.set(Some(figures));
}

/// Counts background saves, for `window.churnlab.savesPending()`.
pub fn save_started() {
    SAVES_PENDING.set(SAVES_PENDING.get() + 1);
}

pub fn save_finished() {
    SAVES_PENDING.set(SAVES_PENDING.get().saturating_sub(1));
}

/// Bytes of linear memory the wasm module holds now.
pub fn wasm_memory_bytes() -> f64 {
    let memory = wasm_bindgen::memory();
    Reflect::get(&memory, &"buffer".into())
        .and_then(|b| Reflect::get(&b, &"byteLength".into()))
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0)
}

fn set(target: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &key.into(), value);
}

/// Adds `window.churnlab.query(sql)`: runs SQL over the app's datasets and
/// returns `{rows, columns, ms}` or `{error}` (for embedding pages and the
/// benchmarks).
pub fn install_query(state: crate::ui::state::AppState) {
    let Some(window) = web_sys::window() else { return };
    let Ok(api) = Reflect::get(&window, &"churnlab".into()) else { return };
    let query = Closure::<dyn Fn(String) -> JsValue>::new(move |sql: String| {
        let o = Object::new();
        match crate::ui::sql::execute(state, &sql) {
            Ok((table, ms)) => {
                set(&o, "rows", &(table.num_rows() as f64).into());
                let columns: js_sys::Array = table.columns().iter().map(|c| JsValue::from_str(&c.name)).collect();
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
pub fn install_chart(state: crate::ui::state::AppState) {
    use leptos::prelude::WithUntracked;
    use plotters::prelude::IntoDrawingArea;
    let Some(window) = web_sys::window() else { return };
    let Ok(api) = Reflect::get(&window, &"churnlab".into()) else { return };
    let chart = Closure::<dyn Fn(String, u32, u32) -> JsValue>::new(move |spec: String, width: u32, height: u32| {
        let o = Object::new();
        let result = (|| -> Result<(f64, f64, usize), String> {
            let spec: crate::core::chart::ChartSpec = serde_json::from_str(&spec).map_err(|e| format!("bad spec: {e}"))?;
            let start = now_ms();
            let data = state.dataset.with_untracked(|d| crate::core::chart::chart_data(&spec, &d.table, None)).map_err(|e| e.to_string())?;
            let drawn = now_ms();
            let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
            let canvas: web_sys::HtmlCanvasElement = document.create_element("canvas").map_err(|e| format!("{e:?}"))?.unchecked_into();
            canvas.set_width(width);
            canvas.set_height(height);
            let backend = plotters_canvas::CanvasBackend::with_canvas_object(canvas).ok_or("no canvas context")?;
            let area = backend.into_drawing_area();
            let hits = crate::core::chart::draw::draw(&area, spec.kind, &data, crate::core::chart::draw::Theme { scale: 1.0 })?;
            area.present().map_err(|e| e.to_string())?;
            Ok((drawn - start, now_ms() - drawn, hits.len()))
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
    });
    set(api.unchecked_ref(), "chart", &chart.into_js_value());
}

/// Adds `window.churnlab.train(overridesJson)`: trains the workshop's
/// pipeline on the active dataset on this thread (the page trains in a
/// worker; this is for timing) with the default configuration plus the given
/// fields, and returns `{ms, testAccuracy, auc, c}` or `{error}`.
pub fn install_train(state: crate::ui::state::AppState) {
    use leptos::prelude::WithUntracked;
    let Some(window) = web_sys::window() else { return };
    let Ok(api) = Reflect::get(&window, &"churnlab".into()) else { return };
    let train = Closure::<dyn Fn(String) -> JsValue>::new(move |overrides: String| {
        let o = Object::new();
        let result = state.dataset.with_untracked(|d| -> Result<(f64, crate::core::train::Trained), String> {
            let mut cfg = serde_json::to_value(crate::core::train::default_config(&d.table)).map_err(|e| e.to_string())?;
            let extra: serde_json::Value = serde_json::from_str(&overrides).map_err(|e| format!("bad overrides: {e}"))?;
            if let (Some(base), Some(extra)) = (cfg.as_object_mut(), extra.as_object()) {
                base.extend(extra.clone());
            }
            let cfg: crate::core::train::TrainConfig = serde_json::from_value(cfg).map_err(|e| format!("bad configuration: {e}"))?;
            let start = now_ms();
            let trained = crate::core::train::train(&d.table, &cfg, &mut |_, _| true).map_err(|e| e.to_string())?;
            Ok((now_ms() - start, trained))
        });
        match result {
            Ok((ms, trained)) => {
                set(&o, "ms", &ms.into());
                set(&o, "testAccuracy", &trained.evaluation.test_accuracy.into());
                set(&o, "auc", &trained.evaluation.auc.into());
                set(&o, "c", &trained.c.into());
            }
            Err(e) => set(&o, "error", &e.into()),
        }
        o.into()
    });
    set(api.unchecked_ref(), "train", &train.into_js_value());
}

/// Installs `window.churnlab`.
pub fn install() {
    let Some(window) = web_sys::window() else { return };
    let api = Object::new();
    let memory = Closure::<dyn Fn() -> f64>::new(wasm_memory_bytes);
    set(&api, "wasmMemoryBytes", &memory.into_js_value());
    let last_load = Closure::<dyn Fn() -> JsValue>::new(|| match LAST_LOAD.get() {
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
    let saves = Closure::<dyn Fn() -> u32>::new(|| SAVES_PENDING.get());
    set(&api, "savesPending", &saves.into_js_value());
    set(&window, "churnlab", &api);
}

//! `window.churnlab`: the page's JavaScript interface, for pages that embed
//! the app and for the benchmark harness.

use std::cell::Cell;

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

thread_local! {
    static LAST_LOAD: Cell<Option<(f64, usize, u64)>> = const { Cell::new(None) };
}

/// Milliseconds from `performance.now()`.
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Remembers how long the last load took, for `window.churnlab.lastLoad()`.
pub fn record_load(elapsed_ms: f64, rows: usize, bytes: u64) {
    LAST_LOAD.set(Some((elapsed_ms, rows, bytes)));
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

/// Installs `window.churnlab`.
pub fn install() {
    let Some(window) = web_sys::window() else { return };
    let api = Object::new();
    let memory = Closure::<dyn Fn() -> f64>::new(wasm_memory_bytes);
    set(&api, "wasmMemoryBytes", &memory.into_js_value());
    let last_load = Closure::<dyn Fn() -> JsValue>::new(|| match LAST_LOAD.get() {
        None => JsValue::NULL,
        Some((ms, rows, bytes)) => {
            let o = Object::new();
            set(&o, "ms", &ms.into());
            set(&o, "rows", &(rows as f64).into());
            set(&o, "bytes", &(bytes as f64).into());
            o.into()
        }
    });
    set(&api, "lastLoad", &last_load.into_js_value());
    set(&window, "churnlab", &api);
}

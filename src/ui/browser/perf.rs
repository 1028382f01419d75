//! Figures the page measures about itself: a clock that works in the page
//! and in workers, the phases and totals of the last load, the saves still
//! in flight and the wasm memory in use. `window.churnlab` reads them (for
//! the benchmarks and for tests that must wait for a save).

use std::cell::Cell;

use js_sys::Reflect;
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
    performance
        .and_then(|p| p.dyn_into::<web_sys::Performance>().ok())
        .map_or(0.0, |p| p.now())
}

/// Work done in slices with the page's turn between them, once a slice has
/// taken [`Slices::BUDGET_MS`]: a timer per slice would cost a small job
/// the browser's 4 ms clamp on nested timers every time.
pub struct Slices {
    since: f64,
}

impl Slices {
    pub const BUDGET_MS: f64 = 16.0;

    pub fn new() -> Slices {
        Slices { since: now_ms() }
    }

    /// Gives the page its turn if the slice so far took the budget.
    pub async fn turn(&mut self) {
        if now_ms() - self.since >= Self::BUDGET_MS {
            gloo_timers::future::TimeoutFuture::new(0).await;
            self.since = now_ms();
        }
    }
}

impl Default for Slices {
    fn default() -> Slices {
        Slices::new()
    }
}

/// Runs `f` when the page is next idle (at most `timeout_ms` on), so
/// whatever the learner or a script asks for first goes before it; where
/// there is no `requestIdleCallback` (Safari), after the tasks already
/// queued.
pub fn when_idle(timeout_ms: u32, f: impl FnOnce() + 'static) {
    let Some(w) = web_sys::window() else {
        return;
    };
    let callback = wasm_bindgen::closure::Closure::once_into_js(f);
    if Reflect::has(&w, &"requestIdleCallback".into()).unwrap_or(false) {
        let options = web_sys::IdleRequestOptions::new();
        options.set_timeout(timeout_ms);
        let _ = w.request_idle_callback_with_options(callback.unchecked_ref(), &options);
    } else {
        let _ = w.set_timeout_with_callback(callback.unchecked_ref());
    }
}

/// Leaves a mark named `name` in the page's performance timeline (the User
/// Timing API), for the cold-start benchmark's breakdown.
pub fn timeline_mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
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

/// What the last completed load measured, if any.
pub fn last_load() -> Option<LoadFigures> {
    LAST_LOAD.get()
}

/// Saves started and not yet finished.
pub fn saves_pending() -> u32 {
    SAVES_PENDING.get()
}

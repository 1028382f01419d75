//! The lab, live: the app's facts built from its state (tracked, so checks
//! re-run as the learner works), each step's outcome, progress recorded the
//! first time a step passes and kept in storage, and "Show me".

use std::sync::OnceLock;

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use serde_json::Value;

use crate::core::data::catalog::SavedEntry;
use crate::core::labs::check::Outcome;
use crate::core::labs::format::LabFile;
use crate::core::labs::progress::Progress;
use crate::core::labs::snapshot::{facts, Snapshot};
use crate::ui::browser::storage;
use crate::ui::data::datasets::persist;
use crate::ui::explain::endpoint::deployed;
use crate::ui::state::AppState;

/// The workshop's lab, read once (a test keeps the file readable).
pub fn workshop() -> Option<&'static LabFile> {
    static LAB: OnceLock<Option<LabFile>> = OnceLock::new();
    LAB.get_or_init(|| LabFile::parse(include_str!("../../../labs/workshop.md")).ok())
        .as_ref()
}

/// The facts of the app's state now, tracking every signal they read.
pub fn current_facts(state: AppState) -> Value {
    let dataset = state.dataset.get();
    let saved = state.saved.get();
    let entries: Vec<SavedEntry> = saved
        .iter()
        .map(crate::ui::state::SavedDataset::entry)
        .collect();
    let dashboards = state.visuals.dashboards.get();
    let runs = state.training.runs.get();
    let models = state.training.models.get();
    state.training.deployed.track();
    let serving = deployed(state);
    let (calls, example) = state.training.answered.get();
    let sims = state.ops.simulations.get();
    let sql_text = state.sql.text.get();
    let result_rows = state
        .sql
        .result
        .with(|r| r.as_ref().map(|r| r.table.num_rows()));
    let history = state.sql.history.get();
    let project = state.project.with(|p| p.name.clone());
    let jobs = state.jobs.jobs.get();
    let job_runs = state.jobs.runs.get();
    facts(&Snapshot {
        project: Some(&project),
        dataset: &dataset.table,
        origin: &dataset.origin,
        saved: entries
            .iter()
            .zip(&saved)
            .map(|(e, d)| (e, &d.table))
            .collect(),
        sql_text: &sql_text,
        sql_result_rows: result_rows,
        sql_history: &history,
        dashboards: &dashboards,
        runs: &runs,
        models: &models,
        deployed: serving.as_ref(),
        deployed_calls: calls,
        answered_example: example,
        simulations: &sims,
        jobs: &jobs,
        job_runs: &job_runs,
    })
}

/// Each step's check outcomes over `facts`.
pub fn outcomes(lab: &LabFile, facts: &Value) -> Vec<Vec<Outcome>> {
    lab.steps
        .iter()
        .map(|s| s.checks.iter().map(|(_, c)| c.evaluate(facts)).collect())
        .collect()
}

/// How many steps pass every check in `outcomes`: what the lab counts as
/// done (the panel's "n of m steps done", the Overview's).
pub fn steps_done(outcomes: &[Vec<Outcome>]) -> usize {
    outcomes
        .iter()
        .filter(|o| o.iter().all(|c| c.passed))
        .count()
}

/// Records the steps that pass now for the first time, and keeps them.
pub fn record(state: AppState, lab: &LabFile, results: &[Vec<Outcome>]) {
    let now = js_sys::Date::now();
    let mut changed = false;
    // Before the kept progress is read back, progress starts as this lab's.
    let mut progress = state.labs.progress.get_untracked().for_lab(lab);
    for (step, outcome) in lab.steps.iter().zip(results) {
        if outcome.iter().all(|o| o.passed) {
            changed |= progress.record(&step.id, now);
        }
    }
    if changed {
        keep(state, progress);
    }
}

/// Shows `progress` and saves it.
pub fn keep(state: AppState, progress: Progress) {
    state.labs.progress.set(progress.clone());
    persist(state, "Your progress in the lab", async move {
        storage::save_lab_progress(&progress).await
    });
}

/// "Show me": the step's page, then its control highlighted once it is there.
pub fn show_me(page: Option<String>, highlight: Option<String>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Some(page) = page {
        let _ = window.location().set_hash(&format!("/{page}"));
    }
    let Some(testid) = highlight else { return };
    leptos::task::spawn_local(async move {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        if let Ok(old) = document.query_selector_all(".lab-highlight") {
            for i in 0..old.length() {
                if let Some(el) = old
                    .item(i)
                    .and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
                {
                    let _ = el.class_list().remove_1("lab-highlight");
                }
            }
        }
        // The page draws after the route changes: wait for the control (up to 5 s).
        for _ in 0..100 {
            if let Ok(Some(el)) = document.query_selector(&format!("[data-testid=\"{testid}\"]")) {
                let _ = el.class_list().add_1("lab-highlight");
                el.scroll_into_view_with_bool(false);
                return;
            }
            TimeoutFuture::new(50).await;
        }
    });
}

/// A time of day, HH:MM, in the browser's time zone.
pub fn time_of(ms: f64) -> String {
    let d = js_sys::Date::new(&ms.into());
    format!("{:02}:{:02}", d.get_hours(), d.get_minutes())
}

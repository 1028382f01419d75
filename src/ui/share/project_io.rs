//! "Export project" and "Import project": the whole workshop state as one
//! versioned file (`core::share::project`). An import is read and checked
//! in full before anything is replaced; on any error the learner's state
//! stays as it was and the message names the part that is wrong.

use leptos::prelude::*;

use crate::core::data::catalog::SavedEntry;
use crate::core::data::summary::summarize_table;
use crate::core::share::project::{Project, SqlFile};
use crate::ui::browser::{download, storage};
use crate::ui::data::datasets::{self, persist};
use crate::ui::ops::{simulations, tracking};
use crate::ui::state::{ActiveRef, AppState, Dataset, SavedDataset};

/// The state as a project (simulation logs are read from storage).
pub async fn collect(state: AppState) -> Project {
    let base = state.base.get_untracked();
    let mut sims = Vec::new();
    for meta in state.ops.simulations.get_untracked() {
        let log = storage::load_simulation_log(meta.id).await.ok().flatten();
        sims.push((meta, log));
    }
    Project {
        name: base.table.name().to_owned(),
        description: String::new(),
        base: (base.table.clone(), base.origin.clone()),
        datasets: state.saved.get_untracked().into_iter().map(|d| (SavedEntry { name: d.name, sql: d.sql, created_ms: d.created_ms }, d.table)).collect(),
        active: state.active.get_untracked(),
        sql: SqlFile { text: state.sql.text.get_untracked(), history: state.sql.history.get_untracked() },
        dashboards: state.visuals.dashboards.get_untracked(),
        runs: state.training.runs.get_untracked(),
        models: state.training.models.get_untracked(),
        deployed: state.training.deployed.get_untracked(),
        simulations: sims,
        tracking: tracking::snapshot(),
    }
}

/// Downloads the project file; returns its size in bytes.
pub async fn export(state: AppState) -> Result<usize, String> {
    let project = collect(state).await;
    let text = project.to_json(js_sys::Date::now());
    let name = format!("{}.churnlab.json", download::file_stem(&project.name, "churnlab-project"));
    download::download(&name, "application/json", text.as_bytes())?;
    Ok(text.len())
}

/// Replaces the whole state with a checked project, and saves it.
pub fn replace(state: AppState, project: Project) {
    // What the project does not overwrite is deleted (writes of the same
    // key would race the deletes).
    let old_saved: Vec<String> = state.saved.with_untracked(|s| s.iter().map(|d| d.name.clone()).filter(|n| !project.datasets.iter().any(|(e, _)| &e.name == n)).collect());
    let old_logs: Vec<u64> = state.ops.simulations.with_untracked(|s| s.iter().map(|m| m.id).filter(|id| !project.simulations.iter().any(|(m, _)| m.id == *id)).collect());
    persist(state, "Clearing the earlier work", async move {
        for name in old_saved {
            storage::delete_dataset_table(&name).await?;
        }
        for id in old_logs {
            storage::delete_simulation_log(id).await?;
        }
        Ok(())
    });

    let (table, origin) = project.base;
    let summaries = summarize_table(&table);
    datasets::set_base(state, Dataset::new(table, summaries, origin), true);
    let saved: Vec<SavedDataset> = project.datasets.into_iter().map(|(e, table)| SavedDataset { name: e.name, sql: e.sql, created_ms: e.created_ms, table }).collect();
    for d in &saved {
        let (name, table) = (d.name.clone(), d.table.clone());
        persist(state, "A saved dataset", async move { storage::save_dataset_table(&name, &table).await });
    }
    state.saved.set(saved);
    datasets::persist_index(state);
    if let ActiveRef::Saved { name } = &project.active {
        datasets::open_saved(state, name);
    }

    state.sql.text.set(project.sql.text);
    state.sql.history.set(project.sql.history);
    state.sql.result.set(None);
    state.sql.error.set(None);
    datasets::persist_sql(state);
    state.visuals.open.set(None);
    state.visuals.cross_filter.set(None);
    state.visuals.dashboards.set(project.dashboards);
    datasets::persist_dashboards(state);

    state.training.last.set(None);
    state.training.runs.set(project.runs);
    state.training.models.set(project.models);
    state.training.deployed.set(project.deployed);
    datasets::persist_runs(state);
    datasets::persist_models(state);
    datasets::persist_deployed(state);

    state.ops.open.set(None);
    let mut metas = Vec::with_capacity(project.simulations.len());
    for (meta, log) in project.simulations {
        if let Some(log) = log {
            let id = meta.id;
            persist(state, "A simulation's log", async move { storage::save_simulation_log(id, &log).await });
        }
        metas.push(meta);
    }
    state.ops.simulations.set(metas);
    simulations::persist_index(state);
    tracking::replace(state, project.tracking);
}

/// Reads `text` as a project file and, if it is sound, replaces the state.
pub fn import(state: AppState, text: &str) -> Result<String, String> {
    let project = Project::from_json(text).map_err(|e| format!("This project file cannot be imported: {e}. Nothing was changed."))?;
    let summary = format!(
        "Imported {}: {} saved datasets, {} dashboards, {} runs, {} models, {} simulations.",
        project.name,
        project.datasets.len(),
        project.dashboards.len(),
        project.runs.len(),
        project.models.len(),
        project.simulations.len()
    );
    replace(state, project);
    Ok(summary)
}

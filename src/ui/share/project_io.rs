//! "Export project" and "Import project": the whole workshop state as one
//! versioned file (`core::share::project`). An import is read and checked
//! in full before anything is replaced; on any error the learner's state
//! stays as it was and the message names the part that is wrong.

use leptos::prelude::*;

use crate::core::common::numfmt::plural;
use crate::core::data::summary::summarize_table;
use crate::core::share::project::{Project, ProjectInfo, SqlFile};
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
        name: state.project.get_untracked().name,
        description: state.project.get_untracked().description,
        readme: state.project.get_untracked().readme,
        base: (base.table.clone(), base.origin.clone()),
        base_history: base.history.clone(),
        datasets: state
            .saved
            .get_untracked()
            .into_iter()
            .map(|d| (d.entry(), d.table))
            .collect(),
        active: state.active.get_untracked(),
        sql: SqlFile {
            text: state.sql.text.get_untracked(),
            history: state.sql.history.get_untracked(),
        },
        dashboards: state.visuals.dashboards.get_untracked(),
        runs: state.training.runs.get_untracked(),
        models: state.training.models.get_untracked(),
        deployed: state.training.deployed.get_untracked(),
        simulations: sims,
        tracking: tracking::snapshot(),
        jobs: crate::ui::jobs::store::book(state),
    }
}

/// Downloads the project file; returns its size in bytes.
pub async fn export(state: AppState) -> Result<usize, String> {
    let project = collect(state).await;
    let text = project.to_json(js_sys::Date::now());
    let name = format!(
        "{}.churnlab.json",
        download::file_stem(&project.name, "churnlab-project")
    );
    download::download(&name, "application/json", text.as_bytes())?;
    Ok(text.len())
}

/// Renames or redescribes the project, and keeps it.
pub fn set_info(state: AppState, info: ProjectInfo) {
    state.project.set(info.clone());
    persist(state, "The project's name", async move {
        storage::save_project_info(&info).await
    });
}

/// At start-up: the project's name and description from an earlier visit.
pub async fn restore_info(state: AppState) {
    if let Ok(Some(info)) = storage::load_project_info().await {
        state.project.set(info);
    }
}

/// What "Reset project" deletes, in words, or None when there is nothing.
pub fn reset_summary(state: AppState) -> Option<String> {
    let mut parts = Vec::new();
    let loaded = state.base.with_untracked(|b| !b.is_synthetic());
    if loaded {
        parts.push(format!(
            "the loaded data ({})",
            state.base.with_untracked(|b| b.table.name().to_owned())
        ));
    }
    for (n, what) in [
        (state.saved.with_untracked(Vec::len), "saved dataset"),
        (
            state.visuals.dashboards.with_untracked(Vec::len),
            "dashboard",
        ),
        (state.training.runs.with_untracked(Vec::len), "run"),
        (state.training.models.with_untracked(Vec::len), "model"),
        (state.ops.simulations.with_untracked(Vec::len), "simulation"),
        (state.jobs.jobs.with_untracked(Vec::len), "job"),
    ] {
        if n > 0 {
            parts.push(plural(n, what));
        }
    }
    let progress = state.labs.progress.with_untracked(|p| p.passed.len());
    if progress > 0 {
        parts.push(format!(
            "your progress in the lab ({})",
            plural(progress, "step")
        ));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// "Reset project": back to the default data, nothing saved, the default name.
pub fn reset(state: AppState) {
    let base = crate::ui::state::Dataset::synthetic();
    replace(
        state,
        Project {
            name: String::new(),
            description: String::new(),
            readme: String::new(),
            base: (base.table, base.origin),
            base_history: Default::default(),
            datasets: Vec::new(),
            active: ActiveRef::Base,
            sql: SqlFile {
                text: crate::ui::state::FIRST_QUERY.to_owned(),
                history: Vec::new(),
            },
            dashboards: Vec::new(),
            runs: Vec::new(),
            models: Vec::new(),
            deployed: None,
            simulations: Vec::new(),
            tracking: Default::default(),
            jobs: Default::default(),
        },
    );
    set_info(state, ProjectInfo::default());
    crate::ui::labs::source::reset_progress(state);
    state.training.answered.set((0, false));
    crate::ui::explain::endpoint::remember_example(state, false);
}

/// Replaces the whole state with a checked project, and saves it.
pub fn replace(state: AppState, project: Project) {
    // What the project does not overwrite is deleted (writes of the same
    // key would race the deletes).
    let old_saved: Vec<String> = state.saved.with_untracked(|s| {
        s.iter()
            .map(|d| d.name.clone())
            .filter(|n| !project.datasets.iter().any(|(e, _)| &e.name == n))
            .collect()
    });
    let old_logs: Vec<u64> = state.ops.simulations.with_untracked(|s| {
        s.iter()
            .map(|m| m.id)
            .filter(|id| !project.simulations.iter().any(|(m, _)| m.id == *id))
            .collect()
    });
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
    datasets::set_base(
        state,
        Dataset::new(table, summaries, origin).with_history(project.base_history),
        true,
    );
    let saved: Vec<SavedDataset> = project
        .datasets
        .into_iter()
        .map(|(e, table)| SavedDataset::from_entry(e, table))
        .collect();
    for d in &saved {
        let (name, table) = (d.name.clone(), d.table.clone());
        persist(state, "A saved dataset", async move {
            storage::save_dataset_table(&name, &table).await
        });
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
            persist(state, "A simulation's log", async move {
                storage::save_simulation_log(id, &log).await
            });
        }
        metas.push(meta);
    }
    state.ops.simulations.set(metas);
    simulations::persist_index(state);
    tracking::replace(state, project.tracking);
    crate::ui::jobs::store::replace(state, project.jobs);
}

/// Reads `text` as a project file and, if it is sound, replaces the state.
pub fn import(state: AppState, text: &str) -> Result<String, String> {
    let project = Project::from_json(text)
        .map_err(|e| format!("This project file cannot be imported: {e}. Nothing was changed."))?;
    let summary = format!(
        "Imported {}: {}, {}, {}, {}, {}.",
        project.name,
        plural(project.datasets.len(), "saved dataset"),
        plural(project.dashboards.len(), "dashboard"),
        plural(project.runs.len(), "run"),
        plural(project.models.len(), "model"),
        plural(project.simulations.len(), "simulation"),
    );
    let info = ProjectInfo {
        name: project.name.clone(),
        description: project.description.clone(),
        readme: project.readme.clone(),
    };
    replace(state, project);
    if !info.name.trim().is_empty() {
        set_info(state, info);
    }
    Ok(summary)
}

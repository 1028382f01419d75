//! The user's datasets: the base (the loaded file, or the default data)
//! and query results saved under a name; which one is active (the SQL table
//! `churn`); field edits; and keeping all of it across reloads.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::common::numfmt::count;
use crate::core::data::fields::{edit_field, EditOutcome, EditStep, FieldEdit, FieldError};
use crate::core::data::summary::{summarize_column, summarize_table, ColumnSummary};
use crate::core::data::table::Table;
use crate::ui::browser::{perf, storage};
use crate::ui::query::runner;
use crate::ui::state::{
    ActiveRef, AppState, Dataset, NoticeKind, Origin, SavedDataset, LOAD_TOPIC,
};

/// Table names that always mean the active dataset.
pub const ACTIVE_TABLE_NAMES: [&str; 2] = ["churn", "churn_prototype"];

fn warn_unsaved(state: AppState, what: &str, e: storage::StorageError) {
    state.notify(
        NoticeKind::Warning,
        format!("{what} will not be kept after a reload"),
        vec![
            e.to_string(),
            "Everything else you had is unchanged. To keep this too, use Share → Export project."
                .into(),
        ],
    );
}

/// Runs a storage write in the background, counting it for `savesPending()`.
pub fn persist(
    state: AppState,
    what: &'static str,
    write: impl std::future::Future<Output = Result<(), storage::StorageError>> + 'static,
) {
    perf::save_started();
    spawn_local(async move {
        let result = write.await;
        perf::save_finished();
        match result {
            Ok(()) if !storage::in_memory() => crate::ui::browser::tabs::announce_save(what),
            Ok(()) => {}
            Err(e) => warn_unsaved(state, what, e),
        }
    });
}

pub fn persist_index(state: AppState) {
    let items: Vec<storage::SavedEntry> = state
        .saved
        .with_untracked(|s| s.iter().map(SavedDataset::entry).collect());
    persist(
        state,
        "The list of saved datasets",
        storage::save_index(items),
    );
}

fn persist_active(state: AppState) {
    let active = state.active.get_untracked();
    persist(state, "The choice of dataset", async move {
        storage::save_active_ref(&active).await
    });
}

/// Makes `dataset` the base and the active dataset (after a load or a reset).
pub fn set_base(state: AppState, dataset: Dataset, save: bool) {
    // "Could not load …, still using X" is no longer so.
    state.forget(LOAD_TOPIC);
    let base = dataset.clone();
    state.base.set(dataset.clone());
    state.dataset.set(dataset);
    state.active.set(ActiveRef::Base);
    if save {
        persist(state, "This dataset", async move {
            storage::save_base(&base).await
        });
        persist_active(state);
    }
}

/// Back to the embedded synthetic data, forgetting the loaded file.
pub fn reset_to_default(state: AppState) {
    set_base(state, Dataset::synthetic(), false);
    persist(state, "The reset", async { storage::clear_base().await });
    persist_active(state);
}

fn saved_dataset(state: AppState, name: &str) -> Option<SavedDataset> {
    state
        .saved
        .with_untracked(|s| s.iter().find(|d| d.name == name).cloned())
}

/// Makes a saved dataset the active one.
pub fn open_saved(state: AppState, name: &str) {
    let Some(saved) = saved_dataset(state, name) else {
        return;
    };
    let summaries = summarize_table(&saved.table);
    let table = saved.table.with_name(saved.name.clone());
    state.forget(LOAD_TOPIC);
    state.dataset.set(Dataset::new(
        table,
        summaries,
        Origin::Saved {
            name: saved.name.clone(),
        },
    ));
    state.active.set(ActiveRef::Saved { name: saved.name });
    persist_active(state);
}

/// Makes the base dataset the active one again.
pub fn open_base(state: AppState) {
    state.forget(LOAD_TOPIC);
    state.dataset.set(state.base.get_untracked());
    state.active.set(ActiveRef::Base);
    persist_active(state);
}

/// Why a name cannot be used for a saved dataset.
pub fn check_name(state: AppState, name: &str, except: Option<&str>) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("Give the dataset a name.".into());
    }
    let valid = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return Err(format!(
            "\"{name}\" cannot be a table name: use letters, digits and _, starting with a letter."
        ));
    }
    if ACTIVE_TABLE_NAMES
        .iter()
        .any(|n| n.eq_ignore_ascii_case(name))
    {
        return Err(format!(
            "\"{name}\" always means the active dataset; choose another name."
        ));
    }
    let taken = state.saved.with_untracked(|s| {
        s.iter()
            .any(|d| d.name.eq_ignore_ascii_case(name) && Some(d.name.as_str()) != except)
    }) || state
        .base
        .with_untracked(|b| b.table.name().eq_ignore_ascii_case(name));
    if taken {
        return Err(format!("There is already a dataset called \"{name}\"."));
    }
    Ok(name.to_owned())
}

/// Saves a query result as a dataset.
pub fn save_result(
    state: AppState,
    name: &str,
    sql: &str,
    table: &Table,
) -> Result<String, String> {
    let name = check_name(state, name, None)?;
    let table = table.clone().with_name(name.clone());
    let churn = state.active.get_untracked();
    let saved = SavedDataset {
        name: name.clone(),
        sql: sql.trim().to_owned(),
        created_ms: js_sys::Date::now(),
        table: table.clone(),
        churn,
        edits: Vec::new(),
    };
    state.saved.update(|s| s.push(saved));
    let key = name.clone();
    persist(state, "The new dataset", async move {
        storage::save_dataset_table(&key, &table).await
    });
    persist_index(state);
    Ok(name)
}

/// Saves a result under `name`, replacing a saved dataset of that name.
pub fn replace_saved(
    state: AppState,
    name: &str,
    sql: &str,
    table: &Table,
) -> Result<String, String> {
    if state
        .saved
        .with_untracked(|s| s.iter().any(|d| d.name.eq_ignore_ascii_case(name)))
    {
        delete_saved(state, name);
    }
    save_result(state, name, sql, table)
}

pub fn rename_saved(state: AppState, old: &str, new: &str) -> Result<(), String> {
    let new = check_name(state, new, Some(old))?;
    let Some(saved) = saved_dataset(state, old) else {
        return Err(format!("There is no dataset \"{old}\"."));
    };
    let table = saved.table.with_name(new.clone());
    state.saved.update(|s| {
        if let Some(d) = s.iter_mut().find(|d| d.name == old) {
            d.name = new.clone();
            d.table = table.clone();
        }
    });
    if state.active.get_untracked()
        == (ActiveRef::Saved {
            name: old.to_owned(),
        })
    {
        state.active.set(ActiveRef::Saved { name: new.clone() });
        state.dataset.update(|d| {
            d.table = d.table.clone().with_name(new.clone());
            d.origin = Origin::Saved { name: new.clone() };
        });
        persist_active(state);
    }
    let old = old.to_owned();
    persist(state, "The renamed dataset", async move {
        storage::save_dataset_table(&new, &table).await?;
        storage::delete_dataset_table(&old).await
    });
    persist_index(state);
    Ok(())
}

pub fn delete_saved(state: AppState, name: &str) {
    state.saved.update(|s| s.retain(|d| d.name != name));
    if state.active.get_untracked()
        == (ActiveRef::Saved {
            name: name.to_owned(),
        })
    {
        open_base(state);
    }
    let key = name.to_owned();
    persist(state, "The deletion", async move {
        storage::delete_dataset_table(&key).await
    });
    persist_index(state);
}

/// Every table a query can name: the active one as `churn`, the base and
/// the saved datasets by their names.
pub fn catalog_tables(state: AppState) -> Vec<(String, Table)> {
    let active = state.dataset.with_untracked(|d| d.table.clone());
    let mut tables: Vec<(String, Table)> = ACTIVE_TABLE_NAMES
        .iter()
        .map(|n| (n.to_string(), active.clone()))
        .collect();
    state
        .base
        .with_untracked(|b| tables.push((b.table.name().to_owned(), b.table.clone())));
    state
        .saved
        .with_untracked(|s| tables.extend(s.iter().map(|d| (d.name.clone(), d.table.clone()))));
    tables
}

/// Edits a field of the active dataset and keeps the change.
pub fn edit_active_field(
    state: AppState,
    field: &str,
    edit: FieldEdit,
) -> Result<EditOutcome, FieldError> {
    let current = state.dataset.get_untracked();
    let (table, outcome) = edit_field(&current.table, field, &edit)?;
    // Summaries follow the fields by name; recompute only what changed.
    let summaries: Vec<ColumnSummary> = table
        .columns()
        .iter()
        .map(|c| {
            let reuse = !matches!(edit, FieldEdit::Retype(_)) || c.name != outcome.field;
            current
                .summaries
                .iter()
                .find(|s| s.name == c.name && reuse)
                .cloned()
                .unwrap_or_else(|| summarize_column(c))
        })
        .collect();
    let step = EditStep {
        field: field.to_owned(),
        edit,
    };
    let mut dataset = Dataset::new(table.clone(), summaries, current.origin.clone());
    match state.active.get_untracked() {
        ActiveRef::Base => {
            dataset.history = current.history.clone();
            dataset.history.edits.push(step);
            state.dataset.set(dataset.clone());
            state.base.set(dataset.clone());
            persist(state, "This change", async move {
                storage::save_base(&dataset).await
            });
        }
        ActiveRef::Saved { name } => {
            state.dataset.set(dataset);
            state.saved.update(|s| {
                if let Some(d) = s.iter_mut().find(|d| d.name == name) {
                    d.table = table.clone();
                    d.edits.push(step);
                }
            });
            persist_index(state);
            persist(state, "This change", async move {
                storage::save_dataset_table(&name, &table).await
            });
        }
    }
    Ok(outcome)
}

/// Reports a type change: how many values did not convert.
pub fn report_retype(state: AppState, field: &str, to: &str, outcome: &EditOutcome) {
    match &outcome.cast {
        Some(report) if report.failed > 0 => {
            let examples: Vec<String> =
                report.examples.iter().map(|e| format!("\"{e}\"")).collect();
            state.notify(
                NoticeKind::Warning,
                format!("Field \"{field}\" is now {to}"),
                vec![format!(
                    "{} value{} could not be converted and became empty, for example {}.",
                    count(report.failed),
                    if report.failed == 1 { "" } else { "s" },
                    examples.join(", ")
                )],
            );
        }
        _ => state.notify(
            NoticeKind::Info,
            format!("Field \"{field}\" is now {to}; every value converted."),
            Vec::new(),
        ),
    }
}

/// At start-up: saved datasets, the active choice and the SQL page's text.
pub async fn restore_saved(state: AppState) {
    match storage::load_saved().await {
        Ok((items, damaged)) => {
            state.saved.set(
                items
                    .into_iter()
                    .map(|(e, table)| SavedDataset::from_entry(e, table))
                    .collect(),
            );
            if !damaged.is_empty() {
                state.notify(
                    NoticeKind::Warning,
                    "Some saved datasets could not be restored",
                    damaged,
                );
            }
        }
        Err(e) => state.notify(
            NoticeKind::Warning,
            "Saved datasets could not be restored",
            vec![e.to_string()],
        ),
    }
    match storage::load_runs().await {
        Ok(items) => state.training.runs.set(items),
        Err(e) => state.notify(
            NoticeKind::Warning,
            "Saved experiment runs could not be restored",
            vec![e.to_string()],
        ),
    }
    match storage::load_models().await {
        Ok((items, errors)) => {
            state.training.models.set(items);
            if !errors.is_empty() {
                state.notify(
                    NoticeKind::Warning,
                    "Some saved models could not be read and were left out",
                    errors,
                );
            }
        }
        Err(e) => state.notify(
            NoticeKind::Warning,
            "Saved models could not be restored",
            vec![e.to_string()],
        ),
    }
    if let Ok(deployed) = storage::load_deployed().await {
        state.training.deployed.set(deployed);
    }
    if let Ok(true) = storage::load_answered_example().await {
        state.training.answered.update(|(_, seen)| *seen = true);
    }
    match storage::load_dashboards().await {
        Ok(items) => state.visuals.dashboards.set(items),
        Err(e) => state.notify(
            NoticeKind::Warning,
            "Saved dashboards could not be restored",
            vec![e.to_string()],
        ),
    }
    if let Ok(Some((text, history))) = storage::load_sql().await {
        state.sql.text.set(text);
        state.sql.history.set(history);
    }
    if let Ok(Some(ActiveRef::Saved { name })) = storage::load_active_ref().await {
        if saved_dataset(state, &name).is_some() {
            open_saved(state, &name);
        }
    }
}

/// Keeps the SQL page's text and history.
pub fn persist_sql(state: AppState) {
    let text = state.sql.text.get_untracked();
    let history = state.sql.history.get_untracked();
    persist(state, "The query", async move {
        storage::save_sql(&text, &history).await
    });
}

/// The table a visual reads: a dataset by its SQL name (`churn` is the active one).
pub fn table_named(state: AppState, name: &str) -> Option<Table> {
    catalog_tables(state)
        .into_iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, t)| t)
}

/// Dataset names a visual can use, `churn` first.
pub fn dataset_names(state: AppState) -> Vec<String> {
    let mut names = vec!["churn".to_owned()];
    state.base.with(|b| names.push(b.table.name().to_owned()));
    state
        .saved
        .with(|s| names.extend(s.iter().map(|d| d.name.clone())));
    names.dedup();
    names
}

/// Keeps the saved dashboards.
pub fn persist_dashboards(state: AppState) {
    let items = state.visuals.dashboards.get_untracked();
    persist(state, "The dashboards", async move {
        storage::save_dashboards(items).await
    });
}

/// Keeps the experiment runs.
pub fn persist_runs(state: AppState) {
    let items = state.training.runs.get_untracked();
    persist(state, "The experiment runs", async move {
        storage::save_runs(items).await
    });
}

/// Keeps the saved models.
pub fn persist_models(state: AppState) {
    let items = state.training.models.get_untracked();
    persist(state, "The saved models", async move {
        storage::save_models(&items).await
    });
}

/// Keeps which model is deployed.
pub fn persist_deployed(state: AppState) {
    let id = state.training.deployed.get_untracked();
    persist(state, "The deployed model", async move {
        storage::save_deployed(id).await
    });
}

/// Runs a saved dataset's query again on today's data (with `churn` as it
/// meant when the dataset was saved), applies its field edits again, and
/// keeps the result under its name, edits and all. Returns its rows.
pub async fn rerun_saved(state: AppState, name: &str) -> Result<usize, String> {
    // Names are told apart ignoring case (`check_name`).
    let saved = state
        .saved
        .with_untracked(|s| {
            s.iter()
                .find(|d| d.name.eq_ignore_ascii_case(name))
                .cloned()
        })
        .ok_or_else(|| format!("there is no saved dataset {name}"))?;
    if saved.sql.trim().is_empty() {
        return Err(format!(
            "{} was made by a job's scoring step, not by a query: run that job again",
            saved.name
        ));
    }
    let churn = match &saved.churn {
        ActiveRef::Base => state.base.with_untracked(|b| b.table.clone()),
        ActiveRef::Saved { name: n } => saved_dataset(state, n)
            .map(|d| d.table)
            .ok_or_else(|| format!("{} reads {n}, which is no longer saved", saved.name))?,
    };
    let tables: Vec<(String, Table)> = catalog_tables(state)
        .into_iter()
        .map(|(n, t)| {
            if ACTIVE_TABLE_NAMES.contains(&n.as_str()) {
                (n, churn.clone())
            } else {
                (n, t)
            }
        })
        .collect();
    let ticket = crate::ui::browser::held::Ticket::new();
    let (mut table, _) = runner::run(&tables, &saved.sql, &|_, _| {}, &ticket)
        .await
        .map_err(|e| format!("{}'s query: {e}", saved.name))?;
    for step in &saved.edits {
        table = edit_field(&table, &step.field, &step.edit)
            .map_err(|e| format!("{}'s edit of {}: {e}", saved.name, step.field))?
            .0;
    }
    let table = table.with_name(saved.name.clone());
    let rows = table.num_rows();
    state.saved.update(|s| {
        if let Some(d) = s.iter_mut().find(|d| d.name == saved.name) {
            d.table = table.clone();
        }
    });
    if state.active.get_untracked()
        == (ActiveRef::Saved {
            name: saved.name.clone(),
        })
    {
        open_saved(state, &saved.name);
    }
    let key = saved.name.clone();
    persist(state, "The dataset run again", async move {
        storage::save_dataset_table(&key, &table).await
    });
    Ok(rows)
}

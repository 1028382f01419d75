//! The actions jobs added to the labs' language, as the app carries them
//! out (`ui::labs::doit::act` calls these): batch-scoring a dataset with
//! the deployed model, deploying only when the new model is better, and a
//! lab's `save-job` and `run-job`, which go through the job store and the
//! runner's requests, never around them.

use leptos::prelude::*;

use crate::core::common::numfmt::{count, plural};
use crate::core::data::ingest::{ingest_bytes, IngestOptions};
use crate::core::jobs::history::{OutputKind, Status};
use crate::core::jobs::job::{describe, named, Job};
use crate::core::jobs::trigger::Trigger;
use crate::core::labs::actions::Better;
use crate::ui::browser::download::download;
use crate::ui::data::datasets;
use crate::ui::explain::batch::score_in_turns;
use crate::ui::explain::endpoint::deployed;
use crate::ui::jobs::store;
use crate::ui::state::{new_id, AppState};

/// The data's size, for a job's log.
pub fn rows_note(state: AppState) -> String {
    state.base.with_untracked(|b| {
        format!(
            "{}: {} rows, {} columns",
            b.table.name(),
            count(b.table.num_rows()),
            b.table.num_columns()
        )
    })
}

/// A load's error with what the loader said about it (its newest
/// message), for a job's log, where "the message above" is not seen.
pub fn with_notice(state: AppState, error: String) -> String {
    let said = state.notices.with_untracked(|n| {
        n.last().map(|n| {
            n.details
                .first()
                .cloned()
                .unwrap_or_else(|| n.title.clone())
        })
    });
    match said {
        Some(said) => format!(
            "{}: {}.",
            error
                .trim_end_matches(" (see the message above).")
                .trim_end_matches('.'),
            said.trim_end_matches('.')
        ),
        None => error,
    }
}

/// What a scoring step made.
pub struct Made {
    pub note: String,
    pub outputs: Vec<(OutputKind, String)>,
}

/// Scores every row of `dataset` with the deployed model, in the page's
/// turns; keeps the scores as the dataset `save` and/or downloads them.
pub async fn score(
    state: AppState,
    dataset: &str,
    save: Option<&str>,
    file: Option<&str>,
) -> Result<Made, String> {
    let model = deployed(state).ok_or(
        "no model is deployed: train one, save it and deploy it first (do: train, then do: deploy name=…)",
    )?;
    let table = datasets::table_named(state, dataset)
        .ok_or_else(|| format!("there is no dataset {dataset}"))?;
    let mut csv = String::new();
    score_in_turns(&model, &table, |_, _, lines| {
        csv.push_str(lines);
        lines.clear();
    })
    .await;
    let mut outputs = Vec::new();
    if let Some(file) = file {
        download(file, "text/csv", csv.as_bytes())?;
        outputs.push((OutputKind::File, file.to_owned()));
    }
    if let Some(name) = save {
        let (scores, _) = ingest_bytes(csv.as_bytes(), IngestOptions::new(name), 1 << 20)
            .map_err(|e| format!("the scores did not read back: {e}"))?;
        // No query made it: the dataset records none (the production
        // export writes it from the job's own script instead).
        let saved = datasets::replace_saved(state, name, "", &scores)?;
        outputs.push((OutputKind::Dataset, saved));
    }
    Ok(Made {
        note: format!(
            "{} scored with {} v{}",
            plural(table.num_rows(), "row"),
            model.name,
            model.model_version
        ),
        outputs,
    })
}

/// Why the newest saved model should not replace the deployed one, if it
/// should not: its metric does not beat the deployed model's by the margin.
pub fn not_better(state: AppState, better: Better) -> Option<String> {
    let current = deployed(state)?;
    let new = state
        .training
        .models
        .with_untracked(|m| m.last().cloned())?;
    if new.build_id == current.build_id {
        return None;
    }
    let (a, b) = (
        better.metric.of(&new.metrics),
        better.metric.of(&current.metrics),
    );
    (a < b + better.margin).then(|| {
        format!(
            "its {m} {a:.4} does not beat {name} v{v}'s {b:.4} by {margin}",
            m = better.metric.id(),
            name = current.name,
            v = current.model_version,
            margin = better.margin
        )
    })
}

/// A lab's `save-job`: the job saved (replacing one of that name), checked
/// as the Jobs page checks it.
pub fn save_job(
    state: AppState,
    name: &str,
    trigger: &Trigger,
    lines: &[String],
) -> Result<(), String> {
    let existing = state.jobs.jobs.with_untracked(|j| named(j, name).cloned());
    let job = Job {
        id: existing.as_ref().map_or_else(new_id, |j| j.id),
        name: name.to_owned(),
        text: lines
            .iter()
            .map(|l| format!("do: {l}\n"))
            .collect::<String>(),
        trigger: trigger.clone(),
        saved_ms: existing.map_or_else(js_sys::Date::now, |j| j.saved_ms),
    };
    store::save(state, job)
        .map(|_| ())
        .map_err(|errors| describe(&errors))
}

/// A lab's `run-job`: asks the runner to run the job by hand and waits
/// until it and every job it starts have ended; an error names a run that
/// did not succeed.
pub async fn run_job_and_wait(state: AppState, name: &str) -> Result<(), String> {
    let job = state
        .jobs
        .jobs
        .with_untracked(|j| named(j, name).cloned())
        .ok_or_else(|| format!("there is no job {name}"))?;
    let before: Vec<u64> = state
        .jobs
        .runs
        .with_untracked(|r| r.iter().map(|r| r.id).collect());
    state.jobs.requests.update(|r| r.push(job.name.clone()));
    loop {
        gloo_timers::future::TimeoutFuture::new(100).await;
        let (pending, failed) = state.jobs.runs.with_untracked(|runs| {
            let new: Vec<_> = runs
                .iter()
                .filter(|r| !before.contains(&r.id) && r.status != Status::Missed)
                .collect();
            (
                new.is_empty()
                    || new.iter().any(|r| !r.status.is_final())
                    || state.jobs.requests.with_untracked(|q| !q.is_empty()),
                new.iter().find(|r| r.status != Status::Succeeded).map(|r| {
                    format!(
                        "{} {}: {}",
                        r.job,
                        r.status.id(),
                        r.error.clone().unwrap_or_default()
                    )
                }),
            )
        });
        if !pending {
            return failed.map_or(Ok(()), Err);
        }
    }
}

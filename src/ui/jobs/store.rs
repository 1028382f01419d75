//! Keeping the jobs: saving one (checked whole first), deleting one, the
//! book for storage and the project file, and reading it back at start-up
//! (runs cut short by a close marked, missed schedule times listed).

use leptos::prelude::*;

use crate::core::jobs::book::JobBook;
use crate::core::jobs::history::keep_newest;
use crate::core::jobs::job::{check_job, Job, LineError};
use crate::core::jobs::trigger::Trigger;
use crate::ui::browser::storage;
use crate::ui::data::datasets::persist;
use crate::ui::state::{new_id, AppState, NoticeKind};

/// The local time's offset from UTC in minutes (UTC+1 is 60).
pub fn utc_offset_min() -> f64 {
    -js_sys::Date::new_0().get_timezone_offset()
}

/// Everything kept of the jobs, as of now.
pub fn book(state: AppState) -> JobBook {
    JobBook {
        jobs: state.jobs.jobs.get_untracked(),
        runs: state.jobs.runs.get_untracked(),
        seen_ms: state.jobs.seen_ms.get_value(),
    }
}

/// Writes the jobs and their runs to the browser's storage.
pub fn persist_jobs(state: AppState) {
    let book = book(state);
    persist(
        state,
        "The jobs",
        async move { storage::save_jobs(&book).await },
    );
}

/// Replaces every job and run (a project file, a reset).
pub fn replace(state: AppState, book: JobBook) {
    state.jobs.editing.set(None);
    state.jobs.jobs.set(book.jobs);
    let mut runs = book.runs;
    keep_newest(&mut runs);
    state.jobs.runs.set(runs);
    state.jobs.seen_ms.set_value(js_sys::Date::now());
    persist_jobs(state);
}

/// Reads the kept jobs at start-up.
pub async fn restore(state: AppState) {
    let mut book = match storage::load_jobs().await {
        Ok(book) => book.unwrap_or_default(),
        Err(e) => {
            state.notify(
                NoticeKind::Warning,
                "Saved jobs could not be restored",
                vec![e.to_string()],
            );
            JobBook::default()
        }
    };
    if let Ok(Some(seen)) = storage::load_jobs_seen().await {
        book.seen_ms = book.seen_ms.max(seen);
    }
    let missed = book.reopen(js_sys::Date::now(), utc_offset_min(), new_id);
    state.jobs.jobs.set(book.jobs);
    state.jobs.runs.set(book.runs);
    state.jobs.seen_ms.set_value(book.seen_ms);
    if missed > 0 {
        state.notify(
            NoticeKind::Info,
            "Scheduled jobs were missed while Churnlab was closed",
            vec![format!(
                "{} scheduled time{} passed with the app closed. They are listed as missed on the Jobs page, each with Run now.",
                missed,
                if missed == 1 { "" } else { "s" }
            )],
        );
    }
    persist_jobs(state);
    state.jobs.restored.set(true);
}

/// Saves `job` (new, or replacing the one with its id) once it is sound;
/// a renamed job's dependants follow the new name.
pub fn save(state: AppState, mut job: Job) -> Result<Job, Vec<LineError>> {
    let others = state.jobs.jobs.get_untracked();
    job.name = job.name.trim().to_owned();
    check_job(&job, &others)?;
    let old_name = others
        .iter()
        .find(|j| j.id == job.id)
        .map(|j| j.name.clone());
    state.jobs.jobs.update(|all| {
        if let Some(old) = &old_name {
            if *old != job.name {
                for j in all.iter_mut() {
                    if let Trigger::After { job: up } = &mut j.trigger {
                        if up.eq_ignore_ascii_case(old) {
                            *up = job.name.clone();
                        }
                    }
                }
            }
        }
        match all.iter_mut().find(|j| j.id == job.id) {
            Some(slot) => *slot = job.clone(),
            None => all.push(job.clone()),
        }
    });
    persist_jobs(state);
    Ok(job)
}

/// Deletes a job and its runs, unless another job runs after it.
pub fn delete(state: AppState, id: u64) -> Result<(), String> {
    let jobs = state.jobs.jobs.get_untracked();
    let Some(job) = jobs.iter().find(|j| j.id == id) else {
        return Ok(());
    };
    if let Some(dep) = crate::core::jobs::job::dependants(&jobs, &job.name).first() {
        return Err(format!(
            "{} runs after {}: give it another trigger or delete it first.",
            dep.name, job.name
        ));
    }
    if state
        .jobs
        .runs
        .with_untracked(|r| r.iter().any(|r| r.job_id == id && !r.status.is_final()))
    {
        return Err(format!("{} is running: cancel its run first.", job.name));
    }
    state.jobs.jobs.update(|all| all.retain(|j| j.id != id));
    state.jobs.runs.update(|all| all.retain(|r| r.job_id != id));
    persist_jobs(state);
    Ok(())
}

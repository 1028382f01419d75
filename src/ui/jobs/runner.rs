//! Running jobs: a trigger fires ([`fire`]: Run, a clock, another job's
//! success, a lab's request); the run goes step by step through the labs'
//! `act`, each step logged with its time and outcome; it ends succeeded,
//! failed (at a step, with its message) or cancelled, and then its
//! dependants start and a queued run of the same job follows. A job never
//! runs twice at once; different jobs run side by side, each step that
//! needs a kind of worker waiting for it to be free, and a Cancel stops
//! only its own run (and the worker job that run started).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::data::catalog::Origin;
use crate::core::jobs::history::{decide, keep_newest, Decision, JobRun, Status, StepLog};
use crate::core::jobs::job::{dependants, describe, named, parse_steps};
use crate::core::labs::actions::Action;
use crate::core::labs::format::LabData;
use crate::core::model::config::TrainConfig;
use crate::ui::browser::perf::now_ms;
use crate::ui::jobs::store::{persist_jobs, utc_offset_min};
use crate::ui::labs::doit::{act, Ctx};
use crate::ui::model::training;
use crate::ui::ops::simulations;
use crate::ui::state::{new_id, AppState};

/// How often the clocks are looked at.
const TICK_MS: u32 = 5_000;

thread_local! {
    /// The run that started the worker job under way, per kind.
    static OWNERS: std::cell::RefCell<Vec<(u64, &'static str)>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn own(run_id: u64, kind: Option<&'static str>) {
    OWNERS.with(|o| {
        let mut o = o.borrow_mut();
        o.retain(|(r, _)| *r != run_id);
        if let Some(kind) = kind {
            o.push((run_id, kind));
        }
    });
}

fn owned(run_id: u64) -> Option<&'static str> {
    OWNERS.with(|o| {
        o.borrow()
            .iter()
            .find(|(r, _)| *r == run_id)
            .map(|(_, k)| *k)
    })
}

fn update_run(state: AppState, run_id: u64, f: impl FnOnce(&mut JobRun)) {
    state.jobs.runs.update(|runs| {
        if let Some(r) = runs.iter_mut().find(|r| r.id == run_id) {
            f(r);
        }
    });
}

/// Starts the lab's requests and, in one open tab, the clocks, once the
/// kept jobs are read.
pub fn start(state: AppState) {
    Effect::new(move |_| {
        if !state.jobs.restored.get() {
            return;
        }
        let asked = state.jobs.requests.get();
        if asked.is_empty() {
            return;
        }
        state.jobs.requests.set(Vec::new());
        for name in asked {
            let id = state
                .jobs
                .jobs
                .with_untracked(|j| named(j, &name).map(|j| j.id));
            if let Some(id) = id {
                fire(state, id, "by the lab".into());
            }
        }
    });
    // One open tab watches the clocks (the one holding the lock), so a
    // schedule fires once however many tabs are open.
    crate::ui::browser::tabs::hold_lock("churnlab-jobs-clock", move || {
        state.jobs.clock_here.set(true);
        spawn_local(async move {
            while !state.jobs.restored.get_untracked() {
                gloo_timers::future::TimeoutFuture::new(100).await;
            }
            loop {
                tick(state);
                gloo_timers::future::TimeoutFuture::new(TICK_MS).await;
            }
        });
    });
}

/// Fires every schedule that came due since the last look.
fn tick(state: AppState) {
    let now = js_sys::Date::now();
    let seen = state.jobs.seen_ms.get_value();
    let offset = utc_offset_min();
    let due: Vec<(u64, String)> = state.jobs.jobs.with_untracked(|jobs| {
        jobs.iter()
            .filter(|j| {
                j.trigger
                    .next_after(seen.max(j.saved_ms), j.saved_ms, offset)
                    .is_some_and(|t| t <= now)
            })
            .map(|j| (j.id, j.trigger.describe()))
            .collect()
    });
    state.jobs.seen_ms.set_value(now);
    for (id, trigger) in &due {
        fire(state, *id, trigger.clone());
    }
    // The clock's last look is kept each minute, for the missed times, on
    // its own key: no other tab is told of it, no job is rewritten.
    if (now / 60_000.0).floor() != (seen / 60_000.0).floor() {
        spawn_local(async move {
            let _ = crate::ui::browser::storage::save_jobs_seen(now).await;
        });
    }
}

/// A trigger fired for the job `job_id`: it starts, or is queued once
/// behind its run under way.
pub fn fire(state: AppState, job_id: u64, trigger: String) {
    let Some(job) = state
        .jobs
        .jobs
        .with_untracked(|j| j.iter().find(|j| j.id == job_id).cloned())
    else {
        return;
    };
    let now = js_sys::Date::now();
    match state.jobs.runs.with_untracked(|r| decide(r, job_id)) {
        Decision::AlreadyQueued => {}
        Decision::Queue => {
            let run = JobRun::new(new_id(), job.id, &job.name, trigger, Status::Queued, now);
            state.jobs.runs.update(|r| {
                r.push(run);
                keep_newest(r);
            });
            persist_jobs(state);
        }
        Decision::Start => {
            let mut run = JobRun::new(new_id(), job.id, &job.name, trigger, Status::Running, now);
            run.started_ms = Some(now);
            let id = run.id;
            state.jobs.runs.update(|r| {
                r.push(run);
                keep_newest(r);
            });
            persist_jobs(state);
            spawn_local(run_job(state, id));
        }
    }
}

/// Stops one run: a queued one never starts; a running one stops at once
/// if its step is a worker job it started, else after the step under way.
pub fn cancel(state: AppState, run_id: u64) {
    let status = state
        .jobs
        .runs
        .with_untracked(|r| r.iter().find(|r| r.id == run_id).map(|r| r.status));
    match status {
        Some(Status::Queued) => finish(
            state,
            run_id,
            Status::Cancelled,
            Some("cancelled before it started".into()),
        ),
        Some(Status::Running) => {
            state.jobs.stopping.update(|s| s.push(run_id));
            match owned(run_id) {
                Some("train") => training::cancel(state),
                Some("simulate") => simulations::cancel(state),
                Some("open-data") => state.cancel_requested.set(true),
                _ => {}
            }
        }
        _ => {}
    }
}

fn stopping(state: AppState, run_id: u64) -> bool {
    state.jobs.stopping.with_untracked(|s| s.contains(&run_id))
}

/// What `open-data` without an address reopens: the data as it was loaded.
fn data_of(state: AppState) -> Result<LabData, String> {
    state.base.with_untracked(|b| match &b.origin {
        Origin::Url { url } => Ok(LabData::Url(url.clone())),
        Origin::File { file_name } => Err(format!(
            "the data is {file_name}, a file opened from this computer, which a job cannot read again: give the step an address (do: open-data url=…)"
        )),
        _ => Ok(LabData::Default),
    })
}

/// The worker kind a step starts (its verb), if any: it waits for it to
/// be free.
fn worker_kind(action: &Action) -> Option<&'static str> {
    matches!(
        action,
        Action::Train { .. } | Action::Simulate { .. } | Action::OpenData { .. }
    )
    .then(|| action.verb())
}

/// Waits until the workers `kind` needs are free (or the run is asked to
/// stop): a training waits for a training under way, a simulation for a
/// simulation, and both for a file being loaded.
async fn wait_for_workers(state: AppState, run_id: u64, kind: &str) {
    let busy = move || {
        state.is_loading()
            || match kind {
                "simulate" => state.ops.progress.with_untracked(Option::is_some),
                _ => state.training.progress.with_untracked(Option::is_some),
            }
    };
    while busy() && !stopping(state, run_id) {
        gloo_timers::future::TimeoutFuture::new(100).await;
    }
}

async fn run_job(state: AppState, run_id: u64) {
    let Some(job_id) = state
        .jobs
        .runs
        .with_untracked(|r| r.iter().find(|r| r.id == run_id).map(|r| r.job_id))
    else {
        return;
    };
    let Some(job) = state
        .jobs
        .jobs
        .with_untracked(|j| j.iter().find(|j| j.id == job_id).cloned())
    else {
        return finish(
            state,
            run_id,
            Status::Failed,
            Some("the job was deleted".into()),
        );
    };
    let steps = match parse_steps(&job.text) {
        Ok(steps) => steps,
        Err(errors) => return finish(state, run_id, Status::Failed, Some(describe(&errors))),
    };
    update_run(state, run_id, |r| r.total_steps = steps.len());
    // A job trains and simulates with the app's default seed.
    let mut ctx = Ctx::new(TrainConfig::default().seed, LabData::Default, false);
    for step in &steps {
        if stopping(state, run_id) {
            let why = format!("cancelled before line {}", step.line);
            return finish(state, run_id, Status::Cancelled, Some(why));
        }
        let started = js_sys::Date::now();
        update_run(state, run_id, |r| {
            r.steps.push(StepLog {
                line: step.line,
                text: format!("{} …", step.action.describe()),
                started_ms: started,
                ms: 0.0,
            })
        });
        let kind = worker_kind(&step.action);
        if let Some(kind) = kind {
            wait_for_workers(state, run_id, kind).await;
        }
        let t0 = now_ms();
        let result = if stopping(state, run_id) {
            Ok(())
        } else {
            run_step(state, run_id, &mut ctx, &step.action, kind).await
        };
        let ms = now_ms() - t0;
        let cancelled = stopping(state, run_id);
        let outcome = match (&result, cancelled) {
            (_, true) => "cancelled".to_owned(),
            (Ok(()), _) => ctx.note.clone().unwrap_or_else(|| "done".into()),
            (Err(e), _) => format!("failed: {e}"),
        };
        let outputs = std::mem::take(&mut ctx.outputs);
        update_run(state, run_id, |r| {
            if let Some(log) = r.steps.last_mut() {
                log.text = format!("{}: {outcome}", step.action.describe());
                log.ms = ms;
            }
            r.outputs.extend(outputs);
        });
        persist_jobs(state);
        if cancelled {
            let why = format!("cancelled at line {}", step.line);
            return finish(state, run_id, Status::Cancelled, Some(why));
        }
        if let Err(e) = result {
            let why = format!("line {} ({}): {e}", step.line, step.action.verb());
            return finish(state, run_id, Status::Failed, Some(why));
        }
    }
    finish(state, run_id, Status::Succeeded, None)
}

/// Carries out one step, `kind` marking the worker job it starts as this
/// run's (so that its Cancel stops it).
async fn run_step(
    state: AppState,
    run_id: u64,
    ctx: &mut Ctx,
    action: &Action,
    kind: Option<&'static str>,
) -> Result<(), String> {
    if matches!(action, Action::OpenData { url: None }) {
        ctx.data = data_of(state)?;
    }
    own(run_id, kind);
    let result = act(state, ctx, action).await;
    own(run_id, None);
    result
}

/// Ends a run; then its dependants start (on success) and a queued run
/// of the same job follows, with no turn of the page in between.
fn finish(state: AppState, run_id: u64, status: Status, error: Option<String>) {
    let mut ended = None;
    update_run(state, run_id, |r| {
        r.status = status;
        r.ended_ms = Some(js_sys::Date::now());
        r.error = error;
        ended = Some((r.job_id, r.job.clone()));
    });
    // A run that ends counts towards its job's bound of kept runs.
    state.jobs.runs.update(keep_newest);
    state.jobs.stopping.update(|s| s.retain(|id| *id != run_id));
    own(run_id, None);
    persist_jobs(state);
    let Some((job_id, name)) = ended else {
        return;
    };
    if status == Status::Succeeded {
        let next: Vec<u64> = state
            .jobs
            .jobs
            .with_untracked(|jobs| dependants(jobs, &name).iter().map(|j| j.id).collect());
        for id in next {
            fire(state, id, format!("after {name}"));
        }
    }
    let queued = state.jobs.runs.with_untracked(|r| {
        r.iter()
            .find(|r| r.job_id == job_id && r.status == Status::Queued)
            .map(|r| r.id)
    });
    if let Some(id) = queued {
        update_run(state, id, |r| {
            r.status = Status::Running;
            r.started_ms = Some(js_sys::Date::now());
        });
        spawn_local(run_job(state, id));
    }
}

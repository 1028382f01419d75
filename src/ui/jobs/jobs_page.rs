//! The Jobs page: the jobs with their trigger and last run (Run, Edit,
//! Delete), the editor, and the history of runs: each with its trigger,
//! start, duration and status, its steps' log lines and times, what it
//! made, and on failure the step and the message; a run under way shows
//! its progress and can be cancelled, a missed one can be run now.

use leptos::prelude::*;

use crate::core::jobs::history::{decide, last_run, Decision, JobRun, OutputKind, Status};
use crate::core::jobs::job::Job;
use crate::ui::jobs::job_editor::JobEditor;
use crate::ui::jobs::types::Draft;
use crate::ui::jobs::{runner, store};
use crate::ui::labs::live::time_of;
use crate::ui::state::use_app;
use crate::ui::widgets::scroll_region::ScrollRegion;

const EXAMPLE: &str = "# Reload the data, then keep the seniors as a dataset\ndo: open-data\ndo: sql SELECT * FROM churn WHERE seniorcitizen = \"1\"\ndo: save-dataset name=senior\n";

fn seconds(ms: f64) -> String {
    if ms < 1_000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.1} s", ms / 1_000.0)
    }
}

#[component]
pub fn JobsPage() -> impl IntoView {
    let state = use_app();
    let error = RwSignal::new(None::<String>);
    let new_job = move |_| {
        let first = state.jobs.jobs.with_untracked(Vec::is_empty);
        state.jobs.editing.set(Some(Draft {
            id: None,
            name: if first {
                "refresh".into()
            } else {
                String::new()
            },
            text: EXAMPLE.into(),
            trigger: Default::default(),
        }));
    };
    view! {
        <section class="jobs-page" aria-labelledby="jobs-title">
            <div class="page-head">
                <h2 id="jobs-title">"Jobs"</h2>
                <button type="button" class="button primary" data-testid="job-new" on:click=new_job>
                    "New job"
                </button>
            </div>
            <p class="muted">
                "A job runs steps you would take yourself (open data, run a saved dataset again, train, deploy if better, score, simulate, export) by hand, on a schedule while the app is open, or after another job succeeds, so jobs chain into a pipeline. Its steps are the labs' do: lines."
            </p>
            <Show when=move || { state.jobs.restored.get() && !state.jobs.clock_here.get() }>
                <p class="callout" data-testid="jobs-clock-elsewhere">
                    "Churnlab is open in another tab, which runs the schedules, so that each fires once. Run still works here; this tab's history shows the runs it made until you reload it."
                </p>
            </Show>
            <Show when=move || state.jobs.editing.with(Option::is_some)>
                <JobEditor />
            </Show>
            <Show when=move || error.with(Option::is_some)>
                <p class="form-error" role="alert" data-testid="job-error">
                    {move || error.get()}
                </p>
            </Show>
            <Show
                when=move || state.jobs.jobs.with(|j| !j.is_empty())
                fallback=|| {
                    view! {
                        <p class="empty" data-testid="jobs-empty">
                            "No jobs yet. New job starts one with an example: reload the data and keep the seniors."
                        </p>
                    }
                }
            >
                <ul class="job-list" aria-label="Jobs">
                    {move || {
                        state
                            .jobs
                            .jobs
                            .get()
                            .into_iter()
                            .map(|job| view! { <JobItem job error /> })
                            .collect_view()
                    }}
                </ul>
            </Show>
            <JobHistory />
        </section>
    }
}

#[component]
fn JobItem(job: Job, error: RwSignal<Option<String>>) -> impl IntoView {
    let state = use_app();
    let id = job.id;
    let last = move || {
        state
            .jobs
            .runs
            .with(|runs| last_run(runs, id).map(|r| r.status))
    };
    // What Run does now: start the job, or queue one run behind its own.
    let next = move || state.jobs.runs.with(|runs| decide(runs, id));
    let edit_job = job.clone();
    let steps = job
        .text
        .lines()
        .filter(|l| l.trim().starts_with("do:"))
        .count();
    view! {
        <li class="job-item" data-testid="job-item" data-job=job.name.clone()>
            <div class="job-item-head">
                <strong>{job.name.clone()}</strong>
                <span class="muted">
                    {format!(
                        "{} step{}, {}",
                        steps,
                        if steps == 1 { "" } else { "s" },
                        job.trigger.describe(),
                    )}
                </span>
                <span
                    class="job-last"
                    data-testid="job-last"
                    data-status=move || last().map(|s| s.id()).unwrap_or("none")
                >
                    {move || {
                        last().map_or("never run".to_owned(), |s| format!("last run {}", s.id()))
                    }}
                </span>
            </div>
            <div class="actions">
                <button
                    type="button"
                    class="button primary"
                    data-testid="job-run"
                    on:click=move |_| runner::fire(state, id, "by hand".into())
                >
                    {move || match next() {
                        Decision::Start => "Run",
                        Decision::Queue => "Run (queued after this one)",
                        Decision::AlreadyQueued => "Run (one is already queued)",
                    }}
                </button>
                <button
                    type="button"
                    class="button"
                    data-testid="job-edit"
                    on:click=move |_| {
                        state
                            .jobs
                            .editing
                            .set(
                                Some(Draft {
                                    id: Some(edit_job.id),
                                    name: edit_job.name.clone(),
                                    text: edit_job.text.clone(),
                                    trigger: edit_job.trigger.clone(),
                                }),
                            )
                    }
                >
                    "Edit"
                </button>
                <button
                    type="button"
                    class="button"
                    data-testid="job-delete"
                    on:click=move |_| error.set(store::delete(state, id).err())
                >
                    "Delete"
                </button>
            </div>
        </li>
    }
}

#[component]
fn JobHistory() -> impl IntoView {
    let state = use_app();
    let runs = move || {
        let mut runs = state.jobs.runs.get();
        runs.reverse();
        runs
    };
    view! {
        <section class="job-history" aria-labelledby="job-history-title">
            <h3 id="job-history-title">"History"</h3>
            <Show
                when=move || state.jobs.runs.with(|r| !r.is_empty())
                fallback=|| view! { <p class="empty">"No runs yet."</p> }
            >
                <ScrollRegion label="Job runs">
                    <table class="runs-table job-runs">
                        <thead>
                            <tr>
                                <th scope="col">"Job"</th>
                                <th scope="col">"Trigger"</th>
                                <th scope="col">"Started"</th>
                                <th scope="col">"Took"</th>
                                <th scope="col">"Status"</th>
                                <th scope="col">"Steps and outputs"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || {
                                runs()
                                    .into_iter()
                                    .map(|run| view! { <RunRow run /> })
                                    .collect_view()
                            }}
                        </tbody>
                    </table>
                </ScrollRegion>
            </Show>
        </section>
    }
}

#[component]
fn RunRow(run: JobRun) -> impl IntoView {
    let state = use_app();
    let id = run.id;
    let job_id = run.job_id;
    let status = run.status;
    let progress = (status == Status::Running).then(|| {
        let done = run.steps.iter().filter(|s| s.ms > 0.0).count();
        (done, run.total_steps.max(1))
    });
    let outputs: Vec<String> = run
        .outputs
        .iter()
        .map(|o| {
            let kind = match o.kind {
                OutputKind::Dataset => "dataset",
                OutputKind::Model => "model",
                OutputKind::File => "file",
            };
            format!("{kind} {}", o.name)
        })
        .collect();
    view! {
        <tr data-testid="job-run-row" data-status=status.id() data-job=run.job.clone()>
            <td>{run.job.clone()}</td>
            <td>{run.trigger.clone()}</td>
            <td>{time_of(run.started_ms.unwrap_or(run.fired_ms))}</td>
            <td>{run.duration_ms().map(seconds).unwrap_or_default()}</td>
            <td>
                <span class=format!("status status-{}", status.id())>{status.id()}</span>
                {progress
                    .map(|(done, total)| {
                        view! {
                            <progress
                                data-testid="job-progress"
                                max=total
                                value=done
                                aria-label="Steps done"
                            ></progress>
                        }
                    })}
                {(!status.is_final())
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="button"
                                data-testid="job-run-cancel"
                                on:click=move |_| runner::cancel(state, id)
                            >
                                "Cancel"
                            </button>
                        }
                    })}
                {(status == Status::Missed)
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="button"
                                data-testid="job-run-now"
                                on:click=move |_| runner::fire(
                                    state,
                                    job_id,
                                    "by hand (missed)".into(),
                                )
                            >
                                "Run now"
                            </button>
                        }
                    })}
            </td>
            <td>
                <ol class="job-log">
                    {run
                        .steps
                        .iter()
                        .map(|s| {
                            view! {
                                <li data-testid="job-step-log">
                                    {format!("line {}: {} ({})", s.line, s.text, seconds(s.ms))}
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
                {(!outputs.is_empty())
                    .then(|| {
                        view! {
                            <p class="small" data-testid="job-outputs">
                                {format!("Made: {}", outputs.join(", "))}
                            </p>
                        }
                    })}
                {run
                    .error
                    .clone()
                    .map(|e| {
                        view! {
                            <p
                                class=if status == Status::Failed { "form-error" } else { "muted" }
                                data-testid="job-run-error"
                            >
                                {e}
                            </p>
                        }
                    })}
            </td>
        </tr>
    }
}

//! The Jobs page's state: the jobs, their runs, the job being edited, the
//! runs asked to stop, and the jobs a lab asked to run.

use leptos::prelude::*;

use crate::core::jobs::history::JobRun;
use crate::core::jobs::job::Job;
use crate::core::jobs::trigger::Trigger;

/// A job as the editor holds it until it is saved.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    /// None for a new job.
    pub id: Option<u64>,
    pub name: String,
    pub text: String,
    pub trigger: Trigger,
}

#[derive(Clone, Copy)]
pub struct JobsState {
    pub jobs: RwSignal<Vec<Job>>,
    pub runs: RwSignal<Vec<JobRun>>,
    /// When the app last watched the clocks.
    pub seen_ms: StoredValue<f64>,
    /// Runs asked to stop.
    pub stopping: RwSignal<Vec<u64>>,
    /// Jobs a lab asked to run, by name (the runner starts them).
    pub requests: RwSignal<Vec<String>>,
    pub editing: RwSignal<Option<Draft>>,
    /// Set once the saved jobs are read (the clocks start then).
    pub restored: RwSignal<bool>,
    /// Whether this tab watches the clocks (one open tab does).
    pub clock_here: RwSignal<bool>,
}

impl JobsState {
    pub fn new() -> JobsState {
        JobsState {
            jobs: RwSignal::new(Vec::new()),
            runs: RwSignal::new(Vec::new()),
            seen_ms: StoredValue::new(0.0),
            stopping: RwSignal::new(Vec::new()),
            requests: RwSignal::new(Vec::new()),
            editing: RwSignal::new(None),
            restored: RwSignal::new(false),
            clock_here: RwSignal::new(false),
        }
    }
}

impl Default for JobsState {
    fn default() -> Self {
        JobsState::new()
    }
}

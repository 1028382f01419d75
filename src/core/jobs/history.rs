//! A job's runs: what fired it, when it started and ended, each step's log
//! line and time, what it made, and on failure the step and the message.
//! The rules of the queue are here too: a job never runs twice at once; a
//! trigger that fires while it runs is queued once.

use serde::{Deserialize, Serialize};

/// The newest runs kept per job.
pub const RUNS_KEPT_PER_JOB: usize = 20;

/// Missed times listed per job when the app opens (the newest).
pub const MISSED_LISTED: usize = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
    Missed,
}

impl Status {
    pub fn id(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Running => "running",
            Status::Succeeded => "succeeded",
            Status::Failed => "failed",
            Status::Cancelled => "cancelled",
            Status::Missed => "missed",
        }
    }

    /// Whether the run is over (or never ran).
    pub fn is_final(self) -> bool {
        !matches!(self, Status::Queued | Status::Running)
    }
}

/// One step's line in the log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepLog {
    /// Its line in the job's text.
    pub line: usize,
    /// What it did, in words (the action's description, then its outcome).
    pub text: String,
    pub started_ms: f64,
    pub ms: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OutputKind {
    Dataset,
    Model,
    File,
}

/// Something a run made: a dataset, a model version, a file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Output {
    pub kind: OutputKind,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobRun {
    pub id: u64,
    pub job_id: u64,
    /// The job's name when it ran.
    pub job: String,
    /// What started it, in words: "by hand", "every minute", "after refresh".
    pub trigger: String,
    pub status: Status,
    /// When it was fired (for a missed run, the time it should have run).
    pub fired_ms: f64,
    #[serde(default)]
    pub started_ms: Option<f64>,
    #[serde(default)]
    pub ended_ms: Option<f64>,
    #[serde(default)]
    pub steps: Vec<StepLog>,
    /// Steps in the job when it ran.
    #[serde(default)]
    pub total_steps: usize,
    #[serde(default)]
    pub outputs: Vec<Output>,
    /// On failure: the step's line and the message; on a cancel, who.
    #[serde(default)]
    pub error: Option<String>,
}

impl JobRun {
    pub fn new(
        id: u64,
        job_id: u64,
        job: &str,
        trigger: String,
        status: Status,
        at_ms: f64,
    ) -> JobRun {
        JobRun {
            id,
            job_id,
            job: job.to_owned(),
            trigger,
            status,
            fired_ms: at_ms,
            started_ms: None,
            ended_ms: None,
            steps: Vec::new(),
            total_steps: 0,
            outputs: Vec::new(),
            error: None,
        }
    }

    /// How long it ran, once it has ended.
    pub fn duration_ms(&self) -> Option<f64> {
        Some(self.ended_ms? - self.started_ms?)
    }
}

/// The job's newest run, if it ran (or was missed).
pub fn last_run(runs: &[JobRun], job_id: u64) -> Option<&JobRun> {
    runs.iter()
        .filter(|r| r.job_id == job_id)
        .max_by(|a, b| a.fired_ms.total_cmp(&b.fired_ms))
}

/// What to do when a job's trigger fires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Start,
    /// It is running: queue one run after it.
    Queue,
    /// It is running and a run is already queued.
    AlreadyQueued,
}

pub fn decide(runs: &[JobRun], job_id: u64) -> Decision {
    let of_job = || runs.iter().filter(|r| r.job_id == job_id);
    if !of_job().any(|r| r.status == Status::Running) {
        Decision::Start
    } else if of_job().any(|r| r.status == Status::Queued) {
        Decision::AlreadyQueued
    } else {
        Decision::Queue
    }
}

/// Keeps the newest [`RUNS_KEPT_PER_JOB`] final runs of each job (runs
/// under way or queued always stay), in the order they were fired.
pub fn keep_newest(runs: &mut Vec<JobRun>) {
    runs.sort_by(|a, b| a.fired_ms.total_cmp(&b.fired_ms));
    let mut kept: Vec<JobRun> = Vec::with_capacity(runs.len());
    for run in runs.drain(..).rev() {
        let count = kept
            .iter()
            .filter(|k| k.job_id == run.job_id && k.status.is_final())
            .count();
        if !run.status.is_final() || count < RUNS_KEPT_PER_JOB {
            kept.push(run);
        }
    }
    kept.reverse();
    *runs = kept;
}

/// Runs that were under way when the app closed did not finish: they are
/// marked as such (cancelled, with the reason) when it opens again.
pub fn close_interrupted(runs: &mut [JobRun], now_ms: f64) -> usize {
    let mut n = 0;
    for r in runs.iter_mut().filter(|r| !r.status.is_final()) {
        r.status = Status::Cancelled;
        r.ended_ms = Some(r.started_ms.map_or(now_ms, |s| s.max(now_ms)));
        r.error = Some("the app was closed before it ended".into());
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(id: u64, job: u64, status: Status, at: f64) -> JobRun {
        JobRun::new(id, job, "j", "by hand".into(), status, at)
    }

    #[test]
    fn a_job_runs_once_and_queues_once() {
        let mut runs = vec![run(1, 7, Status::Succeeded, 1.0)];
        assert_eq!(decide(&runs, 7), Decision::Start);
        runs.push(run(2, 7, Status::Running, 2.0));
        assert_eq!(decide(&runs, 7), Decision::Queue);
        assert_eq!(decide(&runs, 8), Decision::Start);
        runs.push(run(3, 7, Status::Queued, 3.0));
        assert_eq!(decide(&runs, 7), Decision::AlreadyQueued);
    }

    #[test]
    fn history_is_bounded_per_job() {
        let mut runs: Vec<JobRun> = (0..50)
            .map(|i| run(i, i % 2, Status::Succeeded, i as f64))
            .collect();
        runs.push(run(99, 0, Status::Running, 0.5));
        keep_newest(&mut runs);
        let of = |j: u64| runs.iter().filter(|r| r.job_id == j).count();
        assert_eq!(of(0), RUNS_KEPT_PER_JOB + 1);
        assert_eq!(of(1), RUNS_KEPT_PER_JOB);
        assert!(runs.iter().any(|r| r.id == 99));
        assert!(!runs.iter().any(|r| r.id == 0));
        assert!(runs.windows(2).all(|w| w[0].fired_ms <= w[1].fired_ms));
    }

    #[test]
    fn interrupted_runs_say_so() {
        let mut runs = vec![
            run(1, 1, Status::Running, 1.0),
            run(2, 1, Status::Queued, 2.0),
        ];
        assert_eq!(close_interrupted(&mut runs, 10.0), 2);
        assert!(runs.iter().all(|r| r.status == Status::Cancelled));
        assert_eq!(
            runs[0].error.as_deref(),
            Some("the app was closed before it ended")
        );
    }
}

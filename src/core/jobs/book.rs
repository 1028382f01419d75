//! What the app keeps of its jobs (in the browser and in the project
//! file): the jobs, their runs, and when the app last watched the clocks,
//! so that the times a schedule fired while the app was closed are listed
//! as missed when it opens again.

use serde::{Deserialize, Serialize};

use super::history::{close_interrupted, keep_newest, JobRun, Status, MISSED_LISTED};
use super::job::Job;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct JobBook {
    #[serde(default)]
    pub jobs: Vec<Job>,
    #[serde(default)]
    pub runs: Vec<JobRun>,
    /// When the app last watched the clocks (0: never).
    #[serde(default)]
    pub seen_ms: f64,
}

impl JobBook {
    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty() && self.runs.is_empty()
    }

    /// On opening: runs cut short by the close are marked, and each
    /// schedule's times since `seen_ms` become missed runs (the newest
    /// [`MISSED_LISTED`], the row saying how many in all). `next_id` gives
    /// the new runs' ids. Returns how many times were missed.
    pub fn reopen(
        &mut self,
        now_ms: f64,
        offset_min: f64,
        mut next_id: impl FnMut() -> u64,
    ) -> usize {
        close_interrupted(&mut self.runs, now_ms);
        let mut missed_total = 0;
        if self.seen_ms > 0.0 {
            for job in &self.jobs {
                let from = self.seen_ms.max(job.saved_ms);
                let (times, count) = job.trigger.fired_between(
                    from,
                    now_ms,
                    job.saved_ms,
                    offset_min,
                    MISSED_LISTED,
                );
                for (i, t) in times.iter().enumerate() {
                    let mut run = JobRun::new(
                        next_id(),
                        job.id,
                        &job.name,
                        job.trigger.describe(),
                        Status::Missed,
                        *t,
                    );
                    if i == 0 && count > times.len() {
                        run.error = Some(format!(
                            "the app was closed: {count} scheduled times were missed, the newest {} are listed",
                            times.len()
                        ));
                    } else {
                        run.error = Some("the app was closed at this time".into());
                    }
                    self.runs.push(run);
                }
                missed_total += count;
            }
        }
        self.seen_ms = now_ms;
        keep_newest(&mut self.runs);
        missed_total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::trigger::{Trigger, MINUTE_MS};

    #[test]
    fn reopening_lists_missed_times_and_closes_cut_runs() {
        let job = Job {
            id: 1,
            name: "tick".into(),
            text: "do: open-data".into(),
            trigger: Trigger::Every { minutes: 10 },
            saved_ms: 0.0,
        };
        let manual = Job {
            id: 2,
            name: "by hand".into(),
            trigger: Trigger::Manual,
            ..job.clone()
        };
        let mut book = JobBook {
            jobs: vec![job, manual],
            runs: vec![JobRun::new(
                9,
                2,
                "by hand",
                "by hand".into(),
                Status::Running,
                5.0,
            )],
            seen_ms: 15.0 * MINUTE_MS,
        };
        let mut id = 100;
        let missed = book.reopen(65.0 * MINUTE_MS, 0.0, || {
            id += 1;
            id
        });
        // 20, 30, 40, 50 and 60 minutes.
        assert_eq!(missed, 5);
        let listed: Vec<f64> = book
            .runs
            .iter()
            .filter(|r| r.status == Status::Missed)
            .map(|r| r.fired_ms / MINUTE_MS)
            .collect();
        assert_eq!(listed, vec![40.0, 50.0, 60.0]);
        assert!(book.runs.iter().any(|r| r.error.as_deref()
            == Some("the app was closed: 5 scheduled times were missed, the newest 3 are listed")));
        assert_eq!(
            crate::jobs::history::last_run(&book.runs, 2)
                .unwrap()
                .status,
            Status::Cancelled
        );
        assert_eq!(book.seen_ms, 65.0 * MINUTE_MS);
        // Opening again at once misses nothing.
        assert_eq!(book.reopen(65.0 * MINUTE_MS, 0.0, || 0), 0);
        // A first opening lists nothing.
        let mut fresh = JobBook {
            jobs: book.jobs.clone(),
            ..JobBook::default()
        };
        assert_eq!(fresh.reopen(1e9, 0.0, || 0), 0);
    }
}

//! A learner's progress in a lab: when each step first passed. Kept in the
//! browser and read back checked: progress of another lab, or of another
//! version of it, starts over rather than marking the wrong steps.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub lab: String,
    pub version: u32,
    /// Step id and the time (ms since the epoch) it first passed.
    pub passed: Vec<(String, f64)>,
}

impl Progress {
    pub fn new(lab: &str, version: u32) -> Progress {
        Progress {
            lab: lab.to_owned(),
            version,
            passed: Vec::new(),
        }
    }

    /// Progress read from storage, if it is for this lab and version.
    pub fn for_lab(self, lab: &str, version: u32) -> Progress {
        if self.lab == lab && self.version == version {
            self
        } else {
            Progress::new(lab, version)
        }
    }

    pub fn passed_at(&self, step: &str) -> Option<f64> {
        self.passed.iter().find(|(s, _)| s == step).map(|(_, t)| *t)
    }

    /// Records that `step` passes at `now_ms`; true if it is new.
    pub fn record(&mut self, step: &str, now_ms: f64) -> bool {
        if self.passed_at(step).is_some() {
            return false;
        }
        self.passed.push((step.to_owned(), now_ms));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_passes_once_and_another_lab_starts_over() {
        let mut p = Progress::new("w", 1);
        assert!(p.record("a", 5.0));
        assert!(!p.record("a", 9.0));
        assert_eq!(p.passed_at("a"), Some(5.0));
        assert_eq!(p.clone().for_lab("w", 2).passed, Vec::new());
        assert_eq!(p.clone().for_lab("w", 1), p);
    }
}

//! A learner's progress in a lab: when each step first passed. Kept in the
//! browser and read back checked: progress of another lab starts over
//! rather than marking the wrong steps; progress of another version of the
//! same lab keeps the steps that kept their ids (a step removed goes, a
//! step added starts undone).

use serde::{Deserialize, Serialize};

use crate::labs::format::LabFile;

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

    /// Progress read from storage, as `lab`'s: kept whole for this lab and
    /// version, kept for the steps whose ids `lab` still has for another
    /// version of it, started over for another lab.
    pub fn for_lab(self, lab: &LabFile) -> Progress {
        if self.lab != lab.id {
            return Progress::new(&lab.id, lab.version);
        }
        if self.version == lab.version {
            return self;
        }
        Progress {
            version: lab.version,
            passed: self
                .passed
                .into_iter()
                .filter(|(id, _)| lab.steps.iter().any(|s| &s.id == id))
                .collect(),
            ..self
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

    fn lab(id: &str, version: u32, steps: &[&str]) -> LabFile {
        let mut text = format!("---\nid: {id}\ntitle: T\nversion: {version}\n---\n# Lab 1\n");
        for s in steps {
            text.push_str(&format!("## {s} {{#{s}}}\ncheck: dataset.rows >= 1\n\n"));
        }
        LabFile::parse(&text).unwrap()
    }

    #[test]
    fn a_step_passes_once_and_another_lab_starts_over() {
        let mut p = Progress::new("w", 1);
        assert!(p.record("a", 5.0));
        assert!(!p.record("a", 9.0));
        assert_eq!(p.passed_at("a"), Some(5.0));
        assert_eq!(p.clone().for_lab(&lab("w", 1, &["a", "b"])), p);
        assert_eq!(
            p.clone().for_lab(&lab("other", 1, &["a"])),
            Progress::new("other", 1)
        );
    }

    #[test]
    fn a_new_version_keeps_the_steps_that_kept_their_ids() {
        let mut p = Progress::new("w", 1);
        p.record("a", 5.0);
        p.record("gone", 6.0);
        p.record("c", 7.0);
        let kept = p.for_lab(&lab("w", 2, &["a", "new", "c"]));
        assert_eq!(kept.version, 2);
        assert_eq!(kept.passed, vec![("a".into(), 5.0), ("c".into(), 7.0)]);
        assert_eq!(kept.passed_at("new"), None);
        // And back: the version's own steps only.
        let back = kept.for_lab(&lab("w", 1, &["a", "gone"]));
        assert_eq!((back.version, back.passed), (1, vec![("a".into(), 5.0)]));
    }
}

//! The completion record a learner exports and a teacher opens: the lab
//! (id, title, version), who, and for each step when it first passed,
//! whether it passes now, and the figures its checks saw (an AUC, a row
//! count). Read back checked: a damaged record or one of another lab is
//! refused with the field that is wrong. A record of another version of the
//! lab open is read as it is (its steps, its version), for the teacher's
//! view to show beside the version open.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::labs::check::Outcome;
use crate::labs::format::LabFile;
use crate::labs::progress::Progress;

pub const RECORD_FORMAT: &str = "churnlab-lab-record";
pub const RECORD_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// The check, as written in the lab.
    pub check: String,
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepRecord {
    pub id: String,
    pub title: String,
    /// When it first passed (ms since the epoch).
    pub passed_ms: Option<f64>,
    /// Whether its checks pass at export.
    pub done_now: bool,
    pub figures: Vec<Figure>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub format: String,
    pub record_version: u32,
    pub lab: String,
    pub lab_title: String,
    pub lab_version: u32,
    pub learner: String,
    pub project: String,
    pub exported_ms: f64,
    pub steps: Vec<StepRecord>,
}

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum RecordError {
    #[error("this is not a completion record: {0}")]
    Json(String),
    #[error("this is not a completion record (format {0:?})")]
    Format(String),
    #[error("record_version {0} is newer than this app reads ({RECORD_VERSION})")]
    Newer(u32),
    #[error("this record is of the lab {lab:?}; the lab open is {open:?}: open that lab first")]
    OtherLab { lab: String, open: String },
    #[error("steps[{index}].id: the lab has no step {id:?}")]
    UnknownStep { index: usize, id: String },
}

impl Record {
    /// The record of `progress` in `lab`, with each step's outcomes now.
    pub fn build(
        lab: &LabFile,
        progress: &Progress,
        outcomes: &[Vec<Outcome>],
        learner: &str,
        project: &str,
        now_ms: f64,
    ) -> Record {
        let steps = lab
            .steps
            .iter()
            .zip(outcomes)
            .map(|(step, outcome)| StepRecord {
                id: step.id.clone(),
                title: step.title.clone(),
                passed_ms: progress.passed_at(&step.id),
                done_now: outcome.iter().all(|o| o.passed),
                figures: step
                    .checks
                    .iter()
                    .zip(outcome)
                    .filter_map(|((text, _), o)| {
                        o.figure.clone().map(|value| Figure {
                            check: text.clone(),
                            value,
                        })
                    })
                    .collect(),
            })
            .collect();
        Record {
            format: RECORD_FORMAT.into(),
            record_version: RECORD_VERSION,
            lab: lab.id.clone(),
            lab_title: lab.title.clone(),
            lab_version: lab.version,
            learner: learner.trim().to_owned(),
            project: project.to_owned(),
            exported_ms: now_ms,
            steps,
        }
    }

    /// Reads a record for `lab`.
    pub fn read(text: &str, lab: &LabFile) -> Result<Record, RecordError> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| RecordError::Json(e.to_string()))?;
        let format = value
            .get("format")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if format != RECORD_FORMAT {
            return Err(RecordError::Format(format.to_owned()));
        }
        if let Some(v) = value
            .get("record_version")
            .and_then(Value::as_u64)
            .filter(|v| *v > u64::from(RECORD_VERSION))
        {
            return Err(RecordError::Newer(v as u32));
        }
        let record: Record =
            serde_json::from_value(value).map_err(|e| RecordError::Json(e.to_string()))?;
        if record.lab != lab.id {
            return Err(RecordError::OtherLab {
                lab: record.lab,
                open: lab.id.clone(),
            });
        }
        // Another version may have had steps this one has not.
        if record.lab_version != lab.version {
            return Ok(record);
        }
        if let Some((index, s)) = record
            .steps
            .iter()
            .enumerate()
            .find(|(_, s)| !lab.steps.iter().any(|l| l.id == s.id))
        {
            return Err(RecordError::UnknownStep {
                index,
                id: s.id.clone(),
            });
        }
        Ok(record)
    }

    /// When `step` first passed, if it did.
    pub fn passed_at(&self, step: &str) -> Option<f64> {
        self.steps
            .iter()
            .find(|s| s.id == step)
            .and_then(|s| s.passed_ms)
    }

    /// Steps that passed, of the lab's.
    pub fn passed_count(&self) -> usize {
        self.steps.iter().filter(|s| s.passed_ms.is_some()).count()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labs::check::Outcome;

    const LAB: &str = "---\nid: demo\ntitle: Demo\nversion: 1\n---\n# Lab 1\n## One {#one}\ncheck: dataset.rows >= 1\n\n## Two {#two}\ncheck: dataset.columns >= 1\n";

    fn outcome(passed: bool, figure: f64) -> Outcome {
        Outcome {
            passed,
            message: String::new(),
            figure: Some(figure.into()),
        }
    }

    #[test]
    fn a_record_has_each_step_its_time_and_figures_and_reads_back() {
        let lab = LabFile::parse(LAB).unwrap();
        let mut p = Progress::new("demo", 1);
        p.record("one", 1000.0);
        let r = Record::build(
            &lab,
            &p,
            &[vec![outcome(true, 7043.0)], vec![outcome(false, 0.0)]],
            " Ada ",
            "Customer churn",
            5000.0,
        );
        assert_eq!(
            (
                r.learner.as_str(),
                r.passed_count(),
                r.passed_at("one"),
                r.passed_at("two")
            ),
            ("Ada", 1, Some(1000.0), None)
        );
        assert_eq!(
            r.steps[0].figures,
            vec![Figure {
                check: "dataset.rows >= 1".into(),
                value: 7043.0.into()
            }]
        );
        assert!(r.steps[0].done_now && !r.steps[1].done_now);
        assert_eq!(Record::read(&r.to_json(), &lab), Ok(r));
    }

    #[test]
    fn damaged_and_foreign_records_are_refused_with_the_field() {
        let lab = LabFile::parse(LAB).unwrap();
        let good = Record::build(
            &lab,
            &Progress::new("demo", 1),
            &[vec![], vec![]],
            "",
            "p",
            1.0,
        );
        let e = |json: &str| Record::read(json, &lab).unwrap_err().to_string();
        assert!(
            e("{\"format\": ").starts_with("this is not a completion record: EOF while parsing")
        );
        assert_eq!(
            e("{\"format\": \"churnlab-project\"}"),
            "this is not a completion record (format \"churnlab-project\")"
        );
        assert_eq!(
            e(&good
                .to_json()
                .replace("\"record_version\": 1", "\"record_version\": 9")),
            "record_version 9 is newer than this app reads (1)"
        );
        assert!(e(&good
            .to_json()
            .replace("\"passed_ms\": null", "\"passed_ms\": \"soon\""))
        .contains("invalid type: string \"soon\", expected f64"));
        assert!(e(&good.to_json().replace("\"learner\"", "\"student\""))
            .contains("unknown field `student`"));
        let other = good
            .to_json()
            .replace("\"lab\": \"demo\"", "\"lab\": \"spark-lab\"");
        assert_eq!(
            e(&other),
            "this record is of the lab \"spark-lab\"; the lab open is \"demo\": open that lab first"
        );
        assert_eq!(
            e(&good
                .to_json()
                .replace("\"id\": \"two\"", "\"id\": \"three\"")),
            "steps[1].id: the lab has no step \"three\""
        );
    }

    #[test]
    fn a_record_of_another_version_reads_with_its_own_steps_and_version() {
        let lab = LabFile::parse(LAB).unwrap();
        let mut p = Progress::new("demo", 1);
        p.record("one", 1000.0);
        p.record("two", 2000.0);
        let old = Record::build(&lab, &p, &[vec![], vec![]], "Ada", "p", 5.0);
        // Version 2 dropped "two" and added "three".
        let v2 = LabFile::parse(
            &LAB.replace("version: 1", "version: 2")
                .replace("## Two {#two}", "## Three {#three}"),
        )
        .unwrap();
        let read = Record::read(&old.to_json(), &v2).unwrap();
        assert_eq!(read.lab_version, 1);
        assert_eq!(
            (read.passed_at("one"), read.passed_count()),
            (Some(1000.0), 2)
        );
        let ids: Vec<&str> = read.steps.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["one", "two"]);
        // A step the same version does not have is still refused.
        let same = old
            .to_json()
            .replace("\"lab_version\": 1", "\"lab_version\": 2");
        assert_eq!(
            Record::read(&same, &v2).unwrap_err().to_string(),
            "steps[1].id: the lab has no step \"two\""
        );
    }
}

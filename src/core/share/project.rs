//! The whole workshop state as one versioned file: the loaded dataset and
//! the saved ones (tables in the binary codec, base64), which is active,
//! the SQL page's text and history, dashboards, runs, models, the deployed
//! model, simulations with their logs, and the lab's tracked metrics. A
//! file is read in full and checked — every table decoded, every model
//! validated, every reference resolved — before anything replaces the
//! learner's state; an error names the part.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::chart::dashboard::Dashboard;
use crate::data::catalog::{ActiveRef, BaseHistory, Origin, SavedEntry};
use crate::data::codec::{decode_table, encode_table};
use crate::data::table::Table;
use crate::jobs::book::JobBook;
use crate::model::pipeline::SavedModel;
use crate::model::run::Run;
use crate::ops::saved::SavedSimulation;
use crate::ops::tracking::Tracking;

pub const PROJECT_FORMAT: &str = "churnlab-project";
pub const PROJECT_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TableFile {
    pub origin: Origin,
    /// The table in the binary codec, base64.
    pub table: String,
    /// The loaded file's field edits and fields as loaded (none in files
    /// from before they were kept).
    #[serde(default)]
    pub history: BaseHistory,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedTableFile {
    #[serde(flatten)]
    pub entry: SavedEntry,
    pub table: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SqlFile {
    pub text: String,
    pub history: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimulationFile {
    pub meta: SavedSimulation,
    /// The prediction log in the binary codec, base64 (None if it was not kept).
    pub log: Option<String>,
}

/// A project's name and description (what the header shows) and its
/// README (Markdown, what the Overview page shows).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectInfo {
    pub name: String,
    pub description: String,
    #[serde(default)]
    pub readme: String,
}

impl Default for ProjectInfo {
    fn default() -> Self {
        ProjectInfo {
            name: "Customer churn".into(),
            description: "Which customers will leave, why, and what would keep them: from the data to a model in production.".into(),
            readme: String::new(),
        }
    }
}

/// The file as written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectFile {
    pub format: String,
    pub version: u32,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub readme: String,
    pub saved_at_ms: f64,
    pub base: TableFile,
    #[serde(default)]
    pub datasets: Vec<SavedTableFile>,
    pub active: ActiveRef,
    #[serde(default)]
    pub sql: SqlFile,
    #[serde(default)]
    pub dashboards: Vec<Dashboard>,
    #[serde(default)]
    pub runs: Vec<Run>,
    #[serde(default)]
    pub models: Vec<SavedModel>,
    #[serde(default)]
    pub deployed: Option<String>,
    #[serde(default)]
    pub simulations: Vec<SimulationFile>,
    #[serde(default)]
    pub tracking: Option<Tracking>,
    #[serde(default, skip_serializing_if = "JobBook::is_empty")]
    pub jobs: JobBook,
}

/// A project, read and checked, with its tables decoded.
#[derive(Clone, Debug)]
pub struct Project {
    pub name: String,
    pub description: String,
    pub readme: String,
    pub base: (Table, Origin),
    pub base_history: BaseHistory,
    pub datasets: Vec<(SavedEntry, Table)>,
    pub active: ActiveRef,
    pub sql: SqlFile,
    pub dashboards: Vec<Dashboard>,
    pub runs: Vec<Run>,
    pub models: Vec<SavedModel>,
    pub deployed: Option<String>,
    pub simulations: Vec<(SavedSimulation, Option<Table>)>,
    pub tracking: Tracking,
    pub jobs: JobBook,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProjectError {
    #[error("this is not a Churnlab project file: {0}")]
    NotAProject(String),
    #[error("this project file was written by a newer Churnlab (version {0}; this one reads version {PROJECT_VERSION})")]
    Newer(u32),
    #[error("{place}: {problem}")]
    Damaged { place: String, problem: String },
}

fn damaged(place: impl Into<String>, problem: impl std::fmt::Display) -> ProjectError {
    ProjectError::Damaged {
        place: place.into(),
        problem: problem.to_string(),
    }
}

fn pack(table: &Table) -> String {
    STANDARD.encode(encode_table(table))
}

fn unpack(place: &str, text: &str) -> Result<Table, ProjectError> {
    let bytes = STANDARD
        .decode(text.trim())
        .map_err(|e| damaged(place, format!("the table is not base64 ({e})")))?;
    decode_table(&bytes).map_err(|e| damaged(place, format!("the table is damaged: {e}")))
}

impl Project {
    /// The file for this project, saved at `now_ms`.
    pub fn to_file(&self, now_ms: f64) -> ProjectFile {
        ProjectFile {
            format: PROJECT_FORMAT.into(),
            version: PROJECT_VERSION,
            name: self.name.clone(),
            description: self.description.clone(),
            readme: self.readme.clone(),
            saved_at_ms: now_ms,
            base: TableFile {
                origin: self.base.1.clone(),
                table: pack(&self.base.0),
                history: self.base_history.clone(),
            },
            datasets: self
                .datasets
                .iter()
                .map(|(e, t)| SavedTableFile {
                    entry: e.clone(),
                    table: pack(t),
                })
                .collect(),
            active: self.active.clone(),
            sql: self.sql.clone(),
            dashboards: self.dashboards.clone(),
            runs: self.runs.clone(),
            models: self.models.clone(),
            deployed: self.deployed.clone(),
            simulations: self
                .simulations
                .iter()
                .map(|(m, log)| SimulationFile {
                    meta: m.clone(),
                    log: log.as_ref().map(pack),
                })
                .collect(),
            tracking: (!self.tracking.predictions.is_empty()
                || !self.tracking.aggregates.is_empty())
            .then(|| self.tracking.clone()),
            jobs: self.jobs.clone(),
        }
    }

    pub fn to_json(&self, now_ms: f64) -> String {
        serde_json::to_string(&self.to_file(now_ms)).unwrap_or_default()
    }

    /// Reads and checks a project file.
    pub fn from_json(text: &str) -> Result<Project, ProjectError> {
        // The envelope first, so that a newer version is named as such. (Both
        // reads go through the same `&str` deserializer: a `Value` in between
        // would compile every nested type's deserializer twice into the wasm.)
        #[derive(Deserialize)]
        struct Head {
            format: Option<String>,
            version: Option<serde_json::Value>,
        }
        let head: Head =
            serde_json::from_str(text).map_err(|e| ProjectError::NotAProject(e.to_string()))?;
        match head.format.as_deref() {
            Some(PROJECT_FORMAT) => {}
            Some(other) => {
                return Err(ProjectError::NotAProject(format!(
                    "its format is {other:?}"
                )))
            }
            None => return Err(ProjectError::NotAProject("it has no \"format\"".into())),
        }
        match head.version.as_ref().and_then(|v| v.as_u64()) {
            Some(v) if v as u32 > PROJECT_VERSION || v > u32::MAX as u64 => {
                return Err(ProjectError::Newer(v.min(u32::MAX as u64) as u32))
            }
            Some(0) | None => return Err(ProjectError::NotAProject("it has no version".into())),
            Some(_) => {}
        }
        let file: ProjectFile = serde_json::from_str(text).map_err(|e| damaged("the file", e))?;
        let base = (
            unpack("the loaded dataset", &file.base.table)?,
            file.base.origin,
        );
        let base_history = file.base.history;
        let mut datasets = Vec::with_capacity(file.datasets.len());
        for (i, d) in file.datasets.into_iter().enumerate() {
            let place = format!("saved dataset {} ({:?})", i + 1, d.entry.name);
            if d.entry.name.trim().is_empty() {
                return Err(damaged(place, "it has no name"));
            }
            if datasets
                .iter()
                .any(|(e, _): &(SavedEntry, Table)| e.name.eq_ignore_ascii_case(&d.entry.name))
            {
                return Err(damaged(place, "another saved dataset has the same name"));
            }
            let table = unpack(&place, &d.table)?;
            datasets.push((d.entry, table));
        }
        if let ActiveRef::Saved { name } = &file.active {
            if !datasets.iter().any(|(e, _)| &e.name == name) {
                return Err(damaged(
                    "the active dataset",
                    format!("there is no saved dataset {name:?}"),
                ));
            }
        }
        let mut models = Vec::with_capacity(file.models.len());
        for (i, m) in file.models.into_iter().enumerate() {
            let place = format!("model {} ({:?} v{})", i + 1, m.name, m.model_version);
            // The same checks as importing a model file.
            let checked = SavedModel::from_json(&m.to_json()).map_err(|e| damaged(&place, e))?;
            if models
                .iter()
                .any(|x: &SavedModel| x.build_id == checked.build_id)
            {
                return Err(damaged(
                    place,
                    format!("another model has the build id {}", checked.build_id),
                ));
            }
            models.push(checked);
        }
        if let Some(id) = &file.deployed {
            if !models.iter().any(|m| &m.build_id == id) {
                return Err(damaged(
                    "the deployed model",
                    format!("there is no model with build id {id}"),
                ));
            }
        }
        let mut simulations = Vec::with_capacity(file.simulations.len());
        for (i, s) in file.simulations.into_iter().enumerate() {
            let place = format!("simulation {}", i + 1);
            if !models.iter().any(|m| m.build_id == s.meta.model_build_id) {
                return Err(damaged(
                    place,
                    format!(
                        "the model that served it (build {}) is not in the file",
                        s.meta.model_build_id
                    ),
                ));
            }
            let log = s
                .log
                .as_deref()
                .map(|l| unpack(&format!("{place}'s prediction log"), l))
                .transpose()?;
            simulations.push((s.meta, log));
        }
        for (i, d) in file.dashboards.iter().enumerate() {
            if !(1..=3).contains(&d.columns) {
                return Err(damaged(
                    format!("dashboard {} ({:?})", i + 1, d.title),
                    format!("{} columns (1 to 3)", d.columns),
                ));
            }
        }
        for (i, job) in file.jobs.jobs.iter().enumerate() {
            crate::jobs::job::check_job(job, &file.jobs.jobs).map_err(|errors| {
                damaged(
                    format!("job {} ({:?})", i + 1, job.name),
                    crate::jobs::job::describe(&errors),
                )
            })?;
        }
        Ok(Project {
            name: file.name,
            description: file.description,
            readme: file.readme,
            base,
            base_history,
            datasets,
            active: file.active,
            sql: file.sql,
            dashboards: file.dashboards,
            runs: file.runs,
            models,
            deployed: file.deployed,
            simulations,
            tracking: file.tracking.unwrap_or_default(),
            jobs: file.jobs,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::synth::generate;

    fn project() -> Project {
        let (t, m) = crate::model::pipeline::synthetic_model(300, 2);
        let mut m = m;
        m.build_id = "abcd1234".into();
        let senior = generate(40, 3);
        Project {
            name: "Churn workshop".into(),
            description: String::new(),
            readme: "# Churn\n\nWho leaves, and why.".into(),
            base: (t, Origin::Synthetic { seed: 2 }),
            base_history: BaseHistory {
                edits: vec![crate::data::fields::EditStep {
                    field: "tenure".into(),
                    edit: crate::data::fields::FieldEdit::Rename {
                        to: "months".into(),
                    },
                }],
                loaded: vec![("tenure".into(), crate::data::table::ColumnType::Integer)],
            },
            datasets: vec![(
                SavedEntry::new("senior", "SELECT * FROM churn", 5.0),
                senior,
            )],
            active: ActiveRef::Saved {
                name: "senior".into(),
            },
            sql: SqlFile {
                text: "SELECT 1".into(),
                history: vec!["SELECT 1".into()],
            },
            dashboards: Vec::new(),
            runs: Vec::new(),
            models: vec![m],
            deployed: Some("abcd1234".into()),
            simulations: Vec::new(),
            tracking: Tracking::default(),
            jobs: JobBook::default(),
        }
    }

    #[test]
    fn a_project_round_trips() {
        let p = project();
        let back = Project::from_json(&p.to_json(9.0)).unwrap();
        let bytes = |t: &Table| encode_table(t);
        assert_eq!(bytes(&back.base.0), bytes(&p.base.0));
        assert_eq!(bytes(&back.datasets[0].1), bytes(&p.datasets[0].1));
        assert_eq!(back.models, p.models);
        assert_eq!(
            (back.active, back.deployed, back.sql),
            (p.active, p.deployed, p.sql)
        );
        assert_eq!(back.base_history, p.base_history);
        assert_eq!((&back.name, &back.readme), (&p.name, &p.readme));
    }

    #[test]
    fn damaged_files_name_the_part() {
        let file = project().to_file(1.0);
        let err = |f: &ProjectFile| {
            Project::from_json(&serde_json::to_string(f).unwrap())
                .unwrap_err()
                .to_string()
        };
        let mut f = file.clone();
        f.datasets[0].table = "AAAA".into();
        assert!(
            err(&f).starts_with("saved dataset 1 (\"senior\"): the table is damaged"),
            "{}",
            err(&f)
        );
        let mut f = file.clone();
        f.deployed = Some("ffffffff".into());
        assert_eq!(
            err(&f),
            "the deployed model: there is no model with build id ffffffff"
        );
        let mut f = file.clone();
        f.models[0].model.coef.pop();
        assert!(
            err(&f).starts_with("model 1 (\"m\" v1): the model is inconsistent"),
            "{}",
            err(&f)
        );
        let mut f = file.clone();
        f.version = 7;
        assert_eq!(err(&f), "this project file was written by a newer Churnlab (version 7; this one reads version 1)");
        assert!(Project::from_json("{\"format\": \"churnlab-model\"}")
            .unwrap_err()
            .to_string()
            .contains("\"churnlab-model\""));
        assert!(Project::from_json("not json")
            .unwrap_err()
            .to_string()
            .starts_with("this is not a Churnlab project file"));
    }
}

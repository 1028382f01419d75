//! "Do it for me": what a step does, as data. A step's `do:` lines name
//! actions from this fixed set, each the same action a learner takes with
//! the app's controls (run a query, save it, edit a field, …), with its
//! settings as `key=value` (values with spaces in double quotes). A lab file
//! can only choose among them and fill in names and values: it never runs
//! script.
//!
//! ```text
//! do: open-data
//! do: sql SELECT * FROM churn WHERE seniorcitizen = "1"
//! do: save-dataset name=senior
//! do: edit-field dataset=senior field=Churn clone=churn_flag role=measure type=integer
//! do: dashboard title="Seniors by payment" dataset=senior chart=hbar dimension=PaymentMethod measure="Record Count"
//! do: train mode=cv
//! do: deploy name=churn-model
//! do: call-example
//! do: simulate scenario=label-corruption calls=1000
//! ```
//!
//! Jobs (`core::jobs`) use the same lines, and a few more: `open-data
//! url=…` (data by address), `rerun-dataset name=…`, `score dataset=…
//! save=… download=…`, `deploy … metric=auc margin=0.01` (only if better
//! than the deployed model) and `export-production`. Labs make and run
//! jobs with `save-job` and `run-job`.

use crate::chart::spec::ChartKind;
use crate::data::table::{ColumnType, Role};
use crate::jobs::trigger::Trigger;
use crate::model::config::Mode;
use crate::ops::scenario::ScenarioKind;

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Opens data: the CSV at `url` (an address), or without one the
    /// lab's data (the default customers, or the lab's CSV).
    OpenData { url: Option<String> },
    /// Runs a saved dataset's query again on today's data, its field edits
    /// applied again, and keeps the result under its name.
    RerunDataset { name: String },
    /// Scores every row of a dataset with the deployed model; keeps the
    /// scores as a dataset (`save`) and/or downloads them (`download`).
    Score {
        dataset: String,
        save: Option<String>,
        download: Option<String>,
    },
    /// Downloads the deployed model's production export (the zip).
    ExportProduction,
    /// Saves a job (labs only): its steps are `do:` lines without `do:`.
    SaveJob {
        name: String,
        trigger: Trigger,
        steps: Vec<String>,
    },
    /// Runs a job by hand and waits for it and the jobs after it (labs only).
    RunJob { name: String },
    /// Runs a query in the SQL editor.
    Sql(String),
    /// Saves the SQL editor's result as a dataset.
    SaveDataset { name: String },
    /// Edits a field of a dataset: optionally clones it first (the copy
    /// named `clone`), then sets its role and type.
    EditField {
        dataset: String,
        field: String,
        clone: Option<String>,
        role: Option<Role>,
        ty: Option<ColumnType>,
    },
    /// Saves a dashboard with one visual.
    Dashboard {
        title: String,
        dataset: String,
        chart: ChartKind,
        dimension: String,
        measure: String,
    },
    /// Trains with the app's defaults (and the lab's seed) on a saved
    /// dataset, or without one on the data itself (opened first, as a
    /// learner does on the Data page).
    Train { mode: Mode, dataset: Option<String> },
    /// Saves the last trained model under `name` and deploys it; with
    /// `better`, deploys only if it beats the deployed model by the margin.
    Deploy {
        name: String,
        better: Option<Better>,
    },
    /// Sends the workshop's example customer to the deployed model.
    CallExample,
    /// Sends simulated traffic to the deployed model.
    Simulate {
        scenario: ScenarioKind,
        calls: usize,
    },
}

/// A metric a new model must beat the deployed one on, and by how much.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Better {
    pub metric: Metric,
    pub margin: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    Auc,
    Accuracy,
    F1,
}

impl Metric {
    pub fn id(self) -> &'static str {
        match self {
            Metric::Auc => "auc",
            Metric::Accuracy => "accuracy",
            Metric::F1 => "f1",
        }
    }

    fn parse(text: &str) -> Option<Metric> {
        [Metric::Auc, Metric::Accuracy, Metric::F1]
            .into_iter()
            .find(|m| m.id() == text)
    }

    /// Its value in a model's metrics (accuracy on the test rows).
    pub fn of(self, m: &crate::model::pipeline::ModelMetrics) -> f64 {
        match self {
            Metric::Auc => m.auc,
            Metric::Accuracy => m.test_accuracy,
            Metric::F1 => m.f1,
        }
    }
}

/// The actions a `do:` line can name.
pub const VERBS: [&str; 14] = [
    "open-data",
    "sql",
    "save-dataset",
    "edit-field",
    "dashboard",
    "train",
    "deploy",
    "call-example",
    "simulate",
    "rerun-dataset",
    "score",
    "export-production",
    "save-job",
    "run-job",
];

/// `key=value key="a value"` → pairs, in order.
fn pairs(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let eq = rest.find('=').ok_or_else(|| {
            format!(
                "{:?} is not a setting: write key=value",
                rest.split_whitespace().next().unwrap_or(rest)
            )
        })?;
        let key = &rest[..eq];
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_lowercase()) {
            return Err(format!(
                "{key:?} is not a setting name (lower-case letters)"
            ));
        }
        let after = &rest[eq + 1..];
        let (value, next) = if let Some(quoted) = after.strip_prefix('"') {
            let end = quoted
                .find('"')
                .ok_or_else(|| format!("the value of {key} has no closing \""))?;
            (&quoted[..end], &quoted[end + 1..])
        } else {
            let end = after.find(char::is_whitespace).unwrap_or(after.len());
            (&after[..end], &after[end..])
        };
        if out.iter().any(|(k, _): &(String, String)| k == key) {
            return Err(format!("{key} is set twice"));
        }
        out.push((key.to_owned(), value.to_owned()));
        rest = next.trim_start();
    }
    Ok(out)
}

struct Settings {
    verb: &'static str,
    pairs: Vec<(String, String)>,
}

impl Settings {
    fn take(&mut self, key: &str) -> Option<String> {
        let i = self.pairs.iter().position(|(k, _)| k == key)?;
        Some(self.pairs.remove(i).1)
    }

    fn need(&mut self, key: &str) -> Result<String, String> {
        self.take(key)
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| format!("{} needs {key}=", self.verb))
    }

    fn parsed<T>(
        &mut self,
        key: &str,
        read: impl Fn(&str) -> Option<T>,
        expected: &str,
    ) -> Result<Option<T>, String> {
        match self.take(key) {
            None => Ok(None),
            Some(v) => read(&v)
                .map(Some)
                .ok_or_else(|| format!("{key}={v:?} is not {expected}")),
        }
    }

    /// Every setting was used.
    fn done(self, allowed: &str) -> Result<(), String> {
        match self.pairs.first() {
            None => Ok(()),
            Some((k, _)) => Err(format!("{} has no setting {k:?} ({allowed})", self.verb)),
        }
    }
}

fn role(text: &str) -> Option<Role> {
    match text {
        "measure" => Some(Role::Measure),
        "dimension" => Some(Role::Dimension),
        _ => None,
    }
}

fn mode(text: &str) -> Option<Mode> {
    match text {
        "cv" => Some(Mode::Cv),
        "plain" => Some(Mode::Plain),
        _ => None,
    }
}

impl Action {
    /// Reads the value of a `do:` line.
    pub fn parse(text: &str) -> Result<Action, String> {
        let text = text.trim();
        let (verb, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
        let Some(verb) = VERBS.iter().copied().find(|v| *v == verb) else {
            return Err(format!(
                "there is no action {verb:?} (actions: {})",
                VERBS.join(", ")
            ));
        };
        if verb == "sql" {
            let sql = rest.trim();
            return if sql.is_empty() {
                Err("sql needs a query after it".into())
            } else {
                Ok(Action::Sql(sql.to_owned()))
            };
        }
        let mut s = Settings {
            verb,
            pairs: pairs(rest)?,
        };
        let action = match verb {
            "open-data" => Action::OpenData {
                url: s.take("url").filter(|u| !u.trim().is_empty()),
            },
            "rerun-dataset" => Action::RerunDataset {
                name: s.need("name")?,
            },
            "score" => {
                let dataset = s.need("dataset")?;
                let save = s.take("save").filter(|v| !v.trim().is_empty());
                let download = s.take("download").filter(|v| !v.trim().is_empty());
                Action::Score {
                    save: if save.is_none() && download.is_none() {
                        Some(format!("{dataset}_scores"))
                    } else {
                        save
                    },
                    dataset,
                    download,
                }
            }
            "export-production" => Action::ExportProduction,
            "save-job" => {
                let name = s.need("name")?;
                let steps: Vec<String> = s
                    .need("steps")?
                    .split(" | ")
                    .map(|x| x.trim().to_owned())
                    .filter(|x| !x.is_empty())
                    .collect();
                let mut trigger = Trigger::Manual;
                for key in ["every", "daily", "after"] {
                    if let Some(v) = s.take(key) {
                        if trigger != Trigger::Manual {
                            return Err("save-job takes one of every=, daily= or after=".into());
                        }
                        trigger = Trigger::from_setting(key, &v)?;
                    }
                }
                Action::SaveJob {
                    name,
                    trigger,
                    steps,
                }
            }
            "run-job" => Action::RunJob {
                name: s.need("name")?,
            },
            "save-dataset" => Action::SaveDataset {
                name: s.need("name")?,
            },
            "edit-field" => {
                let (dataset, field) = (s.need("dataset")?, s.need("field")?);
                let clone = s.take("clone").filter(|c| !c.trim().is_empty());
                let role = s.parsed("role", role, "measure or dimension")?;
                let ty = s.parsed(
                    "type",
                    ColumnType::parse,
                    "a type (integer, float, boolean, categorical, text)",
                )?;
                Action::EditField {
                    dataset,
                    field,
                    clone,
                    role,
                    ty,
                }
            }
            "dashboard" => Action::Dashboard {
                title: s.need("title")?,
                dataset: s.take("dataset").unwrap_or_else(|| "churn".into()),
                chart: s
                    .parsed(
                        "chart",
                        ChartKind::from_id,
                        "a chart kind (bar, hbar, line, pie, …)",
                    )?
                    .unwrap_or(ChartKind::Bar),
                dimension: s.need("dimension")?,
                measure: s.take("measure").unwrap_or_else(|| "Record Count".into()),
            },
            "train" => Action::Train {
                mode: s.parsed("mode", mode, "cv or plain")?.unwrap_or(Mode::Cv),
                dataset: s.take("dataset"),
            },
            "deploy" => {
                let name = s.need("name")?;
                let metric = s.parsed("metric", Metric::parse, "auc, accuracy or f1")?;
                let margin = s.parsed(
                    "margin",
                    |v| v.parse::<f64>().ok().filter(|m| (0.0..=1.0).contains(m)),
                    "a margin from 0 to 1",
                )?;
                let better = match (metric, margin) {
                    (Some(metric), margin) => Some(Better {
                        metric,
                        margin: margin.unwrap_or(0.0),
                    }),
                    (None, Some(_)) => return Err("margin= goes with metric=".into()),
                    (None, None) => None,
                };
                Action::Deploy { name, better }
            }
            "call-example" => Action::CallExample,
            "simulate" => Action::Simulate {
                scenario: s
                    .parsed(
                        "scenario",
                        ScenarioKind::from_id,
                        "a scenario (none, label-corruption, feature-drift, churn-rate)",
                    )?
                    .unwrap_or(ScenarioKind::LabelCorruption),
                calls: s
                    .parsed(
                        "calls",
                        |v| v.parse().ok().filter(|n| (100..=100_000).contains(n)),
                        "a number of calls from 100 to 100000",
                    )?
                    .unwrap_or(1_000),
            },
            _ => unreachable!("every verb is matched"),
        };
        let allowed = match verb {
            "save-dataset" | "rerun-dataset" | "run-job" => "name",
            "deploy" => "name, metric, margin",
            "open-data" => "url",
            "score" => "dataset, save, download",
            "save-job" => "name, steps, every, daily, after",
            "edit-field" => "dataset, field, clone, role, type",
            "dashboard" => "title, dataset, chart, dimension, measure",
            "train" => "mode, dataset",
            "simulate" => "scenario, calls",
            _ => "none",
        };
        s.done(allowed)?;
        if let Action::EditField {
            clone: None,
            role: None,
            ty: None,
            ..
        } = action
        {
            return Err("edit-field needs clone=, role= or type=".into());
        }
        Ok(action)
    }

    /// The verb its line starts with.
    pub fn verb(&self) -> &'static str {
        match self {
            Action::OpenData { .. } => "open-data",
            Action::Sql(_) => "sql",
            Action::SaveDataset { .. } => "save-dataset",
            Action::EditField { .. } => "edit-field",
            Action::Dashboard { .. } => "dashboard",
            Action::Train { .. } => "train",
            Action::Deploy { .. } => "deploy",
            Action::CallExample => "call-example",
            Action::Simulate { .. } => "simulate",
            Action::RerunDataset { .. } => "rerun-dataset",
            Action::Score { .. } => "score",
            Action::ExportProduction => "export-production",
            Action::SaveJob { .. } => "save-job",
            Action::RunJob { .. } => "run-job",
        }
    }

    /// In words, for the panel while it runs.
    pub fn describe(&self) -> String {
        match self {
            Action::OpenData { url: None } => "Opening the data".into(),
            Action::OpenData { url: Some(url) } => format!("Opening the data at {url}"),
            Action::RerunDataset { name } => format!("Running the dataset {name} again"),
            Action::Score { dataset, .. } => format!("Scoring {dataset}"),
            Action::ExportProduction => "Exporting the deployed model for production".into(),
            Action::SaveJob { name, .. } => format!("Saving the job {name}"),
            Action::RunJob { name } => format!("Running the job {name}"),
            Action::Sql(_) => "Running the query".into(),
            Action::SaveDataset { name } => format!("Saving the dataset {name}"),
            Action::EditField { dataset, field, .. } => {
                format!("Editing the field {field} of {dataset}")
            }
            Action::Dashboard { title, .. } => format!("Saving the dashboard {title}"),
            Action::Train { mode, dataset } => {
                let on = dataset.as_deref().unwrap_or("the data");
                format!(
                    "Training on {on} with {}",
                    if *mode == Mode::Cv {
                        "cross-validation"
                    } else {
                        "one fit"
                    }
                )
            }
            Action::Deploy { name, better: None } => format!("Saving and deploying {name}"),
            Action::Deploy {
                name,
                better: Some(b),
            } => format!(
                "Saving {name} and deploying it if its {} beats the deployed model's by {}",
                b.metric.id(),
                b.margin
            ),
            Action::CallExample => "Sending the workshop's example customer".into(),
            Action::Simulate { calls, .. } => format!("Sending {calls} simulated customers"),
        }
    }
}

#[cfg(test)]
mod tests;

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

use crate::chart::spec::ChartKind;
use crate::data::table::{ColumnType, Role};
use crate::model::config::Mode;
use crate::ops::scenario::ScenarioKind;

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Opens the lab's data (the default customers, or the lab's CSV).
    OpenData,
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
    /// Saves the last trained model under `name` and deploys it.
    Deploy { name: String },
    /// Sends the workshop's example customer to the deployed model.
    CallExample,
    /// Sends simulated traffic to the deployed model.
    Simulate {
        scenario: ScenarioKind,
        calls: usize,
    },
}

/// The actions a `do:` line can name.
pub const VERBS: [&str; 9] = [
    "open-data",
    "sql",
    "save-dataset",
    "edit-field",
    "dashboard",
    "train",
    "deploy",
    "call-example",
    "simulate",
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
            "open-data" => Action::OpenData,
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
            "deploy" => Action::Deploy {
                name: s.need("name")?,
            },
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
            "save-dataset" | "deploy" => "name",
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

    /// In words, for the panel while it runs.
    pub fn describe(&self) -> String {
        match self {
            Action::OpenData => "Opening the lab's data".into(),
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
            Action::Deploy { name } => format!("Saving and deploying {name}"),
            Action::CallExample => "Sending the workshop's example customer".into(),
            Action::Simulate { calls, .. } => format!("Sending {calls} simulated customers"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_reads() {
        assert_eq!(Action::parse("open-data"), Ok(Action::OpenData));
        assert_eq!(
            Action::parse("sql SELECT * FROM churn WHERE a = \"1\""),
            Ok(Action::Sql("SELECT * FROM churn WHERE a = \"1\"".into()))
        );
        assert_eq!(
            Action::parse("save-dataset name=senior"),
            Ok(Action::SaveDataset {
                name: "senior".into()
            })
        );
        assert_eq!(
            Action::parse("edit-field dataset=senior field=Churn clone=\"churn flag\" role=measure type=integer"),
            Ok(Action::EditField { dataset: "senior".into(), field: "Churn".into(), clone: Some("churn flag".into()), role: Some(Role::Measure), ty: Some(ColumnType::Integer) })
        );
        assert_eq!(
            Action::parse("dashboard title=\"Seniors by payment\" dataset=senior chart=hbar dimension=PaymentMethod measure=\"Record Count\""),
            Ok(Action::Dashboard { title: "Seniors by payment".into(), dataset: "senior".into(), chart: ChartKind::Hbar, dimension: "PaymentMethod".into(), measure: "Record Count".into() })
        );
        assert_eq!(
            Action::parse("train mode=plain"),
            Ok(Action::Train {
                mode: Mode::Plain,
                dataset: None
            })
        );
        assert_eq!(
            Action::parse("deploy name=churn-model"),
            Ok(Action::Deploy {
                name: "churn-model".into()
            })
        );
        assert_eq!(Action::parse("call-example"), Ok(Action::CallExample));
        assert_eq!(
            Action::parse("simulate calls=2000"),
            Ok(Action::Simulate {
                scenario: ScenarioKind::LabelCorruption,
                calls: 2000
            })
        );
    }

    #[test]
    fn every_problem_is_named() {
        let e = |t: &str| Action::parse(t).unwrap_err();
        assert_eq!(e("rm -rf"), "there is no action \"rm\" (actions: open-data, sql, save-dataset, edit-field, dashboard, train, deploy, call-example, simulate)");
        assert_eq!(e("sql"), "sql needs a query after it");
        assert_eq!(e("save-dataset"), "save-dataset needs name=");
        assert_eq!(
            e("save-dataset name=\"x"),
            "the value of name has no closing \""
        );
        assert_eq!(
            e("save-dataset senior"),
            "\"senior\" is not a setting: write key=value"
        );
        assert_eq!(e("save-dataset name=a name=b"), "name is set twice");
        assert_eq!(
            e("save-dataset name=a colour=red"),
            "save-dataset has no setting \"colour\" (name)"
        );
        assert_eq!(
            e("edit-field dataset=s field=Churn role=metric"),
            "role=\"metric\" is not measure or dimension"
        );
        assert_eq!(
            e("edit-field dataset=s field=Churn"),
            "edit-field needs clone=, role= or type="
        );
        assert_eq!(
            e("dashboard title=t dimension=d chart=donut"),
            "chart=\"donut\" is not a chart kind (bar, hbar, line, pie, …)"
        );
        assert_eq!(e("train mode=fast"), "mode=\"fast\" is not cv or plain");
        assert_eq!(
            e("simulate calls=5"),
            "calls=\"5\" is not a number of calls from 100 to 100000"
        );
        assert_eq!(
            e("call-example now=1"),
            "call-example has no setting \"now\" (none)"
        );
    }
}

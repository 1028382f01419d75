//! The facts document a lab's checks read (see `labs::facts` for the list):
//! built from a snapshot of the app's state, so the lab panel, a test and a
//! completion record all see the same figures.

use serde_json::{json, Value};

use crate::chart::dashboard::Dashboard;
use crate::data::catalog::{Origin, SavedEntry};
use crate::data::table::{Role, Table};
use crate::model::config::Mode;
use crate::model::pipeline::SavedModel;
use crate::model::run::Run;
use crate::ops::saved::SavedSimulation;

/// What the app holds now, by reference.
pub struct Snapshot<'a> {
    /// The project's name, once projects exist (null until then).
    pub project: Option<&'a str>,
    pub dataset: &'a Table,
    pub origin: &'a Origin,
    /// Saved datasets with their row counts.
    /// Each saved dataset with its table (field edits included).
    pub saved: Vec<(&'a SavedEntry, &'a Table)>,
    pub sql_text: &'a str,
    pub sql_result_rows: Option<usize>,
    /// The SQL page's history, newest first.
    pub sql_history: &'a [String],
    pub dashboards: &'a [Dashboard],
    pub runs: &'a [Run],
    pub models: &'a [SavedModel],
    pub deployed: Option<&'a SavedModel>,
    pub deployed_calls: usize,
    pub answered_example: bool,
    pub simulations: &'a [SavedSimulation],
    pub jobs: &'a [crate::jobs::job::Job],
    pub job_runs: &'a [crate::jobs::history::JobRun],
}

fn origin_id(origin: &Origin) -> &'static str {
    match origin {
        Origin::Synthetic { .. } => "default",
        Origin::File { .. } => "file",
        Origin::Url { .. } => "url",
        Origin::Saved { .. } => "saved",
    }
}

/// The facts of a snapshot.
fn role(role: Role) -> &'static str {
    if role == Role::Measure {
        "measure"
    } else {
        "dimension"
    }
}

pub fn facts(s: &Snapshot) -> Value {
    let fields: Vec<Value> = s.dataset.columns().iter().map(|c| json!({"name": c.name, "type": c.column_type().label(), "role": role(c.role), "hidden": c.hidden})).collect();
    let tables = std::iter::once((s.dataset.name(), s.dataset))
        .chain(s.saved.iter().map(|(e, t)| (e.name.as_str(), *t)));
    let dataset_fields: Vec<Value> =
        tables.flat_map(|(name, t)| t.columns().iter().map(move |c| json!({"dataset": name, "name": c.name, "type": c.column_type().label(), "role": role(c.role)}))).collect();
    let visuals: Vec<Value> = s
        .dashboards
        .iter()
        .flat_map(|d| {
            d.visuals.iter().map(move |v| {
                let measures: Vec<String> = v.spec.measures.iter().map(|m| m.title()).collect();
                json!({"dashboard": d.title, "type": v.spec.kind.id(), "dataset": v.dataset, "dimensions": v.spec.dimensions, "measures": measures})
            })
        })
        .collect();
    let runs: Vec<Value> = s
        .runs
        .iter()
        .map(|r| json!({"mode": if r.config.mode == Mode::Cv { "cv" } else { "plain" }, "features": r.config.features, "test_accuracy": r.metrics.test_accuracy, "test_auc": r.metrics.auc}))
        .collect();
    let models: Vec<Value> = s
        .models
        .iter()
        .map(|m| json!({"name": m.name, "version": m.model_version, "test_auc": m.metrics.auc}))
        .collect();
    let deployed = s.deployed.map_or(Value::Null, |m| json!({"name": m.name, "calls": s.deployed_calls, "answered_example": s.answered_example}));
    let simulations: Vec<Value> = s
        .simulations
        .iter()
        .map(|m| json!({"calls": m.settings.calls, "scenario": m.settings.scenario.kind.id()}))
        .collect();
    let jobs: Vec<Value> = s
        .jobs
        .iter()
        .map(|j| {
            use crate::jobs::trigger::Trigger;
            let (trigger, after) = match &j.trigger {
                Trigger::Manual => ("manual", ""),
                Trigger::Every { .. } => ("every", ""),
                Trigger::Daily { .. } => ("daily", ""),
                Trigger::After { job } => ("after", job.as_str()),
            };
            let runs = s.job_runs.iter().filter(|r| r.job_id == j.id);
            let succeeded = runs
                .filter(|r| r.status == crate::jobs::history::Status::Succeeded)
                .count();
            json!({"name": j.name, "trigger": trigger, "after": after, "text": j.text, "succeeded": succeeded})
        })
        .collect();
    json!({
        "project": {"name": s.project},
        "dataset": {"name": s.dataset.name(), "rows": s.dataset.num_rows(), "columns": s.dataset.num_columns(), "origin": origin_id(s.origin)},
        "fields": fields,
        "dataset_fields": dataset_fields,
        "saved": s.saved.iter().map(|(e, t)| json!({"name": e.name, "rows": t.num_rows(), "sql": e.sql})).collect::<Vec<_>>(),
        "sql": {"text": s.sql_text, "result_rows": s.sql_result_rows},
        "queries": s.sql_history.iter().map(|q| json!({"sql": q})).collect::<Vec<_>>(),
        "visuals": visuals,
        "runs": runs,
        "models": models,
        "deployed": deployed,
        "simulations": simulations,
        "jobs": jobs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labs::facts::{kind_of, Kind, FACTS};

    /// Every fact the document holds is documented, with the kind it has.
    #[test]
    fn every_fact_in_the_document_is_documented_with_its_kind() {
        let table = crate::data::synth::default_dataset();
        let entry = SavedEntry::new("senior", "SELECT 1", 0.0);
        let origin = Origin::Synthetic { seed: 42 };
        let snapshot = Snapshot {
            project: Some("Churn"),
            dataset: &table,
            origin: &origin,
            saved: vec![(&entry, &table)],
            sql_text: "SELECT 1",
            sql_result_rows: Some(1),
            sql_history: &["SELECT 1".to_owned()],
            dashboards: &[],
            runs: &[],
            models: &[],
            deployed: None,
            deployed_calls: 0,
            answered_example: false,
            simulations: &[],
            jobs: &[crate::jobs::job::Job {
                id: 1,
                name: "refresh".into(),
                text: "do: open-data".into(),
                trigger: crate::jobs::trigger::Trigger::Manual,
                saved_ms: 0.0,
            }],
            job_runs: &[],
        };
        let v = facts(&snapshot);
        let kind = |x: &Value| match x {
            Value::Number(_) => Some(Kind::Number),
            Value::String(_) => Some(Kind::Text),
            Value::Bool(_) => Some(Kind::Flag),
            Value::Array(a) if a.iter().all(Value::is_string) && !a.is_empty() => Some(Kind::Texts),
            Value::Array(_) => Some(Kind::List),
            _ => None,
        };
        let mut seen = Vec::new();
        fn walk(prefix: &str, v: &Value, out: &mut Vec<(String, Value)>) {
            match v {
                Value::Object(o) => o.iter().for_each(|(k, x)| {
                    walk(
                        &if prefix.is_empty() {
                            k.clone()
                        } else {
                            format!("{prefix}.{k}")
                        },
                        x,
                        out,
                    )
                }),
                Value::Array(items) if items.first().is_some_and(Value::is_object) => {
                    out.push((prefix.to_owned(), v.clone()));
                    walk(&format!("{prefix}[]"), &items[0], out);
                }
                Value::Null => {}
                other => out.push((prefix.to_owned(), other.clone())),
            }
        }
        walk("", &v, &mut seen);
        for (path, value) in &seen {
            let documented = kind_of(path).unwrap_or_else(|| panic!("{path} is not documented"));
            if let Some(k) = kind(value) {
                assert_eq!(k, documented, "{path}");
            }
        }
        // The fields of the default data are all there, with their kinds.
        assert_eq!(
            crate::labs::check::lookup(&v, "dataset.rows"),
            Some(&json!(7043))
        );
        assert!(
            crate::labs::check::Check::parse("fields has name = \"Churn\", type = \"categorical\"")
                .unwrap()
                .evaluate(&v)
                .passed
        );
        assert!(FACTS.len() > 30);
    }
}

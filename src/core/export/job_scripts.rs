//! The app's jobs for production: each job as `jobs/<name>.py`, which does
//! the job's data steps with DuckDB from the folder's dataset script and
//! scoring SQL (open the data, keep a dataset, run one again, score one),
//! and `jobs/crontab`, a line per schedule with the jobs that run after it
//! chained with `&&`. Steps that only the app can take (training,
//! deploying, simulations, dashboards, the example call, field edits made
//! by a job) are listed in the script's opening text and skipped: the
//! model in the folder is the one exported.

use serde_json::json;

use super::datasets_sql::{DatasetToExport, Engine};
use super::scoring_sql::{scoring_sql, ScoringOptions};
use crate::jobs::job::{dependants, parse_steps, Job};
use crate::jobs::trigger::Trigger;
use crate::labs::actions::Action;
use crate::model::pipeline::SavedModel;

const RUN_JOB: &str = include_str!("job/run_job.py");

/// A job's file name stem: letters, digits and `_`.
pub fn script_stem(name: &str) -> String {
    crate::common::slug::slug(name, '_', "job")
}

/// The datasets the jobs save from their own queries, which the dataset
/// script must also create (those the app saved already are there).
pub fn job_datasets(jobs: &[Job], saved: &[DatasetToExport]) -> Vec<DatasetToExport> {
    let mut out: Vec<DatasetToExport> = Vec::new();
    for job in jobs {
        let Ok(steps) = parse_steps(&job.text) else {
            continue;
        };
        let mut query = None;
        for step in steps {
            match step.action {
                Action::Sql(q) => query = Some(q),
                Action::SaveDataset { name } => {
                    let known = saved
                        .iter()
                        .chain(out.iter())
                        .any(|d| d.name.eq_ignore_ascii_case(&name));
                    if let (false, Some(q)) = (known, &query) {
                        out.push(DatasetToExport::new(name, q.clone()));
                    }
                }
                Action::OpenData { .. } => query = None,
                _ => {}
            }
        }
    }
    out
}

/// One job's script: its steps as data for the shared runner.
fn script(job: &Job, model: &SavedModel, id: Option<&str>) -> String {
    let steps = parse_steps(&job.text).unwrap_or_default();
    let mut plan = Vec::new();
    let mut notes = Vec::new();
    for step in &steps {
        let line = step.line;
        match &step.action {
            Action::OpenData { url } => plan.push(json!({
                "line": line, "do": "open",
                "note": url.as_ref().map(|u| format!("the app read {u}; here the input file is read")),
            })),
            Action::Sql(_) => plan.push(json!({ "line": line, "do": "query" })),
            Action::SaveDataset { name } | Action::RerunDataset { name } => {
                plan.push(json!({ "line": line, "do": "keep", "dataset": name }))
            }
            Action::Score {
                dataset,
                save,
                download,
            } => {
                let options = ScoringOptions {
                    table: dataset.clone(),
                    id: id.map(str::to_owned),
                    negative: model.negative_class(),
                    contributions: false,
                    engine: Engine::DuckDb,
                };
                let out = save
                    .clone()
                    .or_else(|| download.as_ref().map(|f| f.trim_end_matches(".csv").to_owned()))
                    .unwrap_or_else(|| format!("{dataset}_scores"));
                plan.push(json!({
                    "line": line, "do": "score", "dataset": dataset, "output": out,
                    "sql": scoring_sql(model, &options),
                }));
            }
            Action::ExportProduction => notes.push(format!(
                "line {line}: export-production: this folder is that export"
            )),
            other => notes.push(format!(
                "line {line}: {}: runs in the app only (the model here is the one exported; export again after a retrain)",
                other.verb()
            )),
        }
    }
    let text: String = job.text.lines().map(|l| format!("    {l}\n")).collect();
    let skipped = if notes.is_empty() {
        "Every step runs here.".to_owned()
    } else {
        format!("Skipped here:\n    {}", notes.join("\n    "))
    };
    let header = format!(
        "\"\"\"Churnlab job {name:?} ({trigger}), with DuckDB.\n\n    python jobs/{stem}.py INPUT.csv OUTPUT_DIR\n\nThe job in the app:\n\n{text}\n{skipped}\n\nEach dataset it keeps and each score it makes is written to OUTPUT_DIR as\n<name>.csv. Needs only the `duckdb` package.\n\"\"\"\n",
        name = job.name,
        trigger = job.trigger.describe(),
        stem = script_stem(&job.name),
    );
    // The plan as a JSON text in a Python string (JSON's escapes are Python's).
    let plan =
        serde_json::to_string(&json!({ "job": job.name, "steps": plan })).unwrap_or_default();
    let literal = serde_json::to_string(&plan).unwrap_or_default();
    format!("{header}import json\n\nJOB = json.loads({literal})\n\n{RUN_JOB}")
}

/// `jobs/crontab`: each scheduled job and the chain after it on one line.
fn crontab(jobs: &[Job], folder: &str) -> String {
    let mut out = format!(
        "# Churnlab's jobs for cron (crontab -e), in this machine's local time.\n# Set DIR to where {folder} is, INPUT to the data and OUT to a folder for the results.\nDIR=/srv/{folder}\nINPUT=/srv/data/customers.csv\nOUT=/srv/churnlab-out\n"
    );
    for job in jobs {
        if matches!(job.trigger, Trigger::After { .. }) {
            continue;
        }
        let mut chain = vec![job];
        let mut i = 0;
        while i < chain.len() {
            for dep in dependants(jobs, &chain[i].name) {
                if !chain.iter().any(|j| j.id == dep.id) {
                    chain.push(dep);
                }
            }
            i += 1;
        }
        let commands: Vec<String> = chain
            .iter()
            .map(|j| {
                format!(
                    "python3 jobs/{}.py \"$INPUT\" \"$OUT\"",
                    script_stem(&j.name)
                )
            })
            .collect();
        let names: Vec<&str> = chain.iter().map(|j| j.name.as_str()).collect();
        let line = format!("cd \"$DIR\" && {}", commands.join(" && "));
        match job.trigger.crontab() {
            Ok(when) => out.push_str(&format!("# {}\n{when} {line}\n", names.join(", then "))),
            Err(why) => out.push_str(&format!(
                "# {} ({why}):\n#   {line}\n",
                names.join(", then ")
            )),
        }
    }
    out
}

/// The jobs' files, relative to the folder.
pub fn scripts(
    jobs: &[Job],
    model: &SavedModel,
    id: Option<&str>,
    folder: &str,
) -> Vec<(String, Vec<u8>)> {
    if jobs.is_empty() {
        return Vec::new();
    }
    let mut files: Vec<(String, Vec<u8>)> = jobs
        .iter()
        .map(|j| {
            (
                format!("jobs/{}.py", script_stem(&j.name)),
                script(j, model, id).into_bytes(),
            )
        })
        .collect();
    files.push(("jobs/crontab".into(), crontab(jobs, folder).into_bytes()));
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(id: u64, name: &str, text: &str, trigger: Trigger) -> Job {
        Job {
            id,
            name: name.into(),
            text: text.into(),
            trigger,
            saved_ms: 0.0,
        }
    }

    #[test]
    fn chains_share_a_crontab_line() {
        let jobs = vec![
            job(
                1,
                "refresh",
                "do: open-data",
                Trigger::Daily { minute: 365 },
            ),
            job(
                2,
                "Score seniors",
                "do: open-data",
                Trigger::After {
                    job: "refresh".into(),
                },
            ),
            job(3, "by hand", "do: open-data", Trigger::Manual),
        ];
        let text = crontab(&jobs, "f");
        assert!(text.contains("# refresh, then Score seniors\n5 6 * * * cd \"$DIR\" && python3 jobs/refresh.py \"$INPUT\" \"$OUT\" && python3 jobs/score_seniors.py \"$INPUT\" \"$OUT\"\n"), "{text}");
        assert!(
            text.contains("# by hand (it runs by hand):\n#   cd"),
            "{text}"
        );
        assert_eq!(script_stem("Score seniors!"), "score_seniors");
    }

    #[test]
    fn a_job_saving_its_own_query_adds_that_dataset() {
        let jobs = vec![job(
            1,
            "refresh",
            "do: open-data\ndo: sql SELECT * FROM churn\ndo: save-dataset name=all_rows\ndo: save-dataset name=senior",
            Trigger::Manual,
        )];
        let saved = vec![DatasetToExport::new("senior", "SELECT 1")];
        let extra = job_datasets(&jobs, &saved);
        assert_eq!(extra.len(), 1);
        assert_eq!(extra[0].name, "all_rows");
    }
}

//! "Export for production" end to end: the zipped job folder, unzipped by
//! Python's `zipfile`, and its `score_duckdb.py` run on the real file give
//! the app's batch-scoring probabilities and classes for every customer
//! within 1e-12. `score_spark.py` in PySpark's local mode does the same
//! when `CHURNLAB_SPARK_PYTHON` names a Python with PySpark (and Java 17 is
//! on the machine): `scripts/test-spark` sets it up and runs it.
mod common;

use std::collections::HashMap;

use churnlab::core::data::table::Table;
use churnlab::core::explain::scoring::score_table;
use churnlab::core::export::datasets_sql::{DatasetToExport, Engine, ScriptOptions};
use churnlab::core::export::job::{job_zip, JobInput};
use churnlab::core::model::pipeline::SavedModel;
use common::{plain_model, real_data_path, real_table, run_python};

/// The job folder of the default model, with the workshop's saved dataset.
fn zipped(t: &Table, model: &SavedModel) -> std::path::PathBuf {
    let datasets = [DatasetToExport::new(
        "seniors",
        "SELECT * FROM churn WHERE seniorcitizen = \"1\"",
    )];
    let input = JobInput {
        id: Some("customerID".into()),
        datasets: &datasets,
        script: ScriptOptions::new(Engine::DuckDb, "input.csv", t),
        jobs: &[],
    };
    let bytes = job_zip(Some(model), &input).expect("the job exports");
    let path = std::env::temp_dir().join(format!(
        "churnlab-job-{}-{}.zip",
        std::process::id(),
        model.build_id.len()
    ));
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Runs `job` from the zip and compares its scores with the app's.
fn run_and_compare(job: &str, python: &str, output: &str) -> f64 {
    let t = real_table();
    let (_, model) = plain_model(&t);
    let zip = zipped(&t, &model);
    let out = run_python(
        "run_job.py",
        &[&zip, &real_data_path()],
        &serde_json::json!({ "job": job, "python": python, "output": output }),
    );
    std::fs::remove_file(&zip).ok();
    let columns: Vec<&str> = out["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(
        &columns[..3],
        ["customerID", "churn_probability", "predicted_class"]
    );
    let ours = score_table(&model, &t);
    let ids = &t.column("customerID").unwrap().data;
    let by_id: HashMap<String, usize> = (0..t.num_rows())
        .map(|r| (ids.display(r).unwrap(), r))
        .collect();
    let rows = out["rows"].as_array().unwrap();
    assert_eq!(rows.len(), t.num_rows(), "{job} scores every customer");
    let mut worst = 0.0f64;
    for row in rows {
        let r = by_id[row[0].as_str().unwrap()];
        let p: f64 = row[1].as_str().unwrap().parse().unwrap();
        worst = worst.max((p - ours[r].probability).abs());
        assert_eq!(
            row[2].as_str().unwrap(),
            if ours[r].probability >= 0.5 {
                "Yes"
            } else {
                "No"
            }
        );
    }
    eprintln!(
        "{job} vs the app over {} customers: largest difference {worst:e} in probability ({} s)",
        rows.len(),
        out["seconds"]
    );
    worst
}

#[test]
fn the_duckdb_job_scores_the_real_file_as_the_app_does() {
    let python = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python");
    assert!(run_and_compare("score_duckdb.py", python.to_str().unwrap(), "scores.csv") <= 1e-12);
}

#[test]
#[ignore = "needs PySpark and Java 17: scripts/test-spark"]
fn the_spark_job_scores_the_real_file_as_the_app_does() {
    let python = std::env::var("CHURNLAB_SPARK_PYTHON")
        .expect("CHURNLAB_SPARK_PYTHON names a Python with PySpark (scripts/test-spark sets it)");
    assert!(run_and_compare("score_spark.py", &python, "scores_dir") <= 1e-12);
}

/// The workshop's two jobs (reload the data and keep the seniors, then
/// score them), exported as scripts and run in turn as their crontab line
/// runs them, on the real file: every senior scored as the app scores them.
#[test]
fn the_workshop_jobs_run_on_the_real_file_and_score_as_the_app_does() {
    use churnlab::core::jobs::job::Job;
    use churnlab::core::jobs::trigger::Trigger;
    use churnlab::core::query::{run_sql, Catalog};
    let t = real_table();
    let (_, model) = plain_model(&t);
    let seniors_sql = "SELECT * FROM churn WHERE seniorcitizen = \"1\"";
    let jobs = vec![
        Job {
            id: 1,
            name: "refresh".into(),
            text: format!("do: open-data\ndo: sql {seniors_sql}\ndo: save-dataset name=senior\n"),
            trigger: Trigger::Daily { minute: 360 },
            saved_ms: 0.0,
        },
        Job {
            id: 2,
            name: "score seniors".into(),
            text: "do: score dataset=senior save=senior_scores\n".into(),
            trigger: Trigger::After {
                job: "refresh".into(),
            },
            saved_ms: 0.0,
        },
    ];
    let input = JobInput {
        id: Some("customerID".into()),
        datasets: &[],
        script: ScriptOptions::new(Engine::DuckDb, "input.csv", &t),
        jobs: &jobs,
    };
    let path = std::env::temp_dir().join(format!("churnlab-jobs-{}.zip", std::process::id()));
    std::fs::write(
        &path,
        job_zip(Some(&model), &input).expect("the jobs export"),
    )
    .unwrap();
    let python = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python");
    let out = run_python(
        "run_job.py",
        &[&path, &real_data_path()],
        &serde_json::json!({
            "pipeline": ["jobs/refresh.py", "jobs/score_seniors.py"],
            "python": python,
            "output": "out",
            "read": "out/senior_scores.csv",
        }),
    );
    std::fs::remove_file(&path).ok();
    let crontab = out["crontab"].as_str().unwrap();
    assert!(
        crontab.contains("0 6 * * * cd \"$DIR\" && python3 jobs/refresh.py \"$INPUT\" \"$OUT\" && python3 jobs/score_seniors.py \"$INPUT\" \"$OUT\""),
        "{crontab}"
    );
    let seniors = run_sql(seniors_sql, &Catalog::new().with("churn", &t)).unwrap();
    let ours = score_table(&model, &seniors);
    let ids = &seniors.column("customerID").unwrap().data;
    let by_id: HashMap<String, usize> = (0..seniors.num_rows())
        .map(|r| (ids.display(r).unwrap(), r))
        .collect();
    let rows = out["rows"].as_array().unwrap();
    assert_eq!(rows.len(), seniors.num_rows(), "every senior is scored");
    assert!(seniors.num_rows() > 1_000);
    let mut worst = 0.0f64;
    for row in rows {
        let r = by_id[row[0].as_str().unwrap()];
        let p: f64 = row[1].as_str().unwrap().parse().unwrap();
        worst = worst.max((p - ours[r].probability).abs());
    }
    eprintln!(
        "the workshop's jobs vs the app over {} seniors: largest difference {worst:e} in probability ({} s)",
        rows.len(),
        out["seconds"]
    );
    assert!(worst <= 1e-12, "{worst}");
}

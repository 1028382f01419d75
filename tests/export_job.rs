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

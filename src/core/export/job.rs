//! "Export for production": one folder, zipped, that scores customers with a
//! saved model outside the browser. It holds the scoring query for DuckDB
//! and PostgreSQL and for Spark SQL, the ONNX model, the saved datasets as a
//! script for each engine (which also reads and types the CSV the way the
//! app did), two small jobs (`score_duckdb.py`, `score_spark.py`), the
//! model's facts (`job.json`) and a README that says how to run each.

use serde_json::json;

use super::datasets_sql::{datasets_script, DatasetToExport, Engine, ExportError, ScriptOptions};
use super::job_scripts::{job_datasets, script_stem, scripts};
use super::onnx::{onnx_model, OnnxError};
use super::scoring_sql::{scoring_sql, ScoringOptions};
use super::zip::{zip, ZipError};
use crate::model::pipeline::{ColumnStats, SavedModel};

/// The file name the dataset scripts read; the jobs put the input's path
/// in its place, and the scripts run as they are on a file of that name.
pub const CSV_PLACEHOLDER: &str = "input.csv";

const SCORE_DUCKDB: &str = include_str!("job/score_duckdb.py");
const SCORE_SPARK: &str = include_str!("job/score_spark.py");

/// Why the job folder cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("there is no saved model to export: train one and save it on the Train page first")]
    NoModel,
    #[error("the ONNX model: {0}")]
    Onnx(#[from] OnnxError),
    #[error("the dataset script: {0}")]
    Datasets(#[from] ExportError),
    #[error("the zip: {0}")]
    Zip(#[from] ZipError),
}

/// What the folder is made from besides the model.
#[derive(Clone, Debug)]
pub struct JobInput<'a> {
    /// The column that identifies a customer, returned first.
    pub id: Option<String>,
    /// The saved datasets, each with its query and edits.
    pub datasets: &'a [DatasetToExport],
    /// The dataset script's options for DuckDB (the CSV as loaded); the
    /// Spark script uses the same with its own engine.
    pub script: ScriptOptions,
    /// The app's jobs, each written as `jobs/<name>.py` with its crontab line.
    pub jobs: &'a [crate::jobs::job::Job],
}

/// The folder's name: `churnlab-job-<model>-v<version>`, letters and digits.
pub fn folder_name(model: &SavedModel) -> String {
    format!(
        "churnlab-job-{}-v{}",
        crate::common::slug::slug(&model.name, '-', "model"),
        model.model_version
    )
}

/// Every file of the folder, by name (relative to the folder).
pub fn job_files(
    model: Option<&SavedModel>,
    input: &JobInput<'_>,
) -> Result<Vec<(String, Vec<u8>)>, JobError> {
    let model = model.ok_or(JobError::NoModel)?;
    let scoring = |engine| {
        let options = ScoringOptions {
            table: "churn".into(),
            id: input.id.clone(),
            negative: model.negative_class(),
            contributions: true,
            engine,
        };
        scoring_sql(model, &options) + "\n"
    };
    // The datasets the jobs save from their own queries go in the script too.
    let mut datasets = input.datasets.to_vec();
    datasets.extend(job_datasets(input.jobs, input.datasets));
    let script = |engine| {
        let mut options = input.script.clone();
        options.engine = engine;
        options.csv_path = CSV_PLACEHOLDER.into();
        datasets_script(&datasets, &options)
    };
    let inputs: Vec<serde_json::Value> = model
        .stats
        .iter()
        .map(|s| match s {
            ColumnStats::Numeric { column, median, .. } => {
                json!({ "name": column, "kind": "number", "when_empty": median })
            }
            ColumnStats::Categorical {
                column, categories, ..
            } => json!({ "name": column, "kind": "category", "categories": categories }),
        })
        .collect();
    let facts = json!({
        "format": "churnlab-job",
        "version": 1,
        "model": model.name,
        "model_version": model.model_version,
        "build_id": model.build_id,
        "target": model.target,
        "positive_class": model.positive,
        "negative_class": model.negative_class(),
        "id": input.id,
        "inputs": inputs,
        "outputs": ["churn_probability", "predicted_class", "contribution_<column> for each input"],
        "csv_placeholder": CSV_PLACEHOLDER,
        "datasets": datasets.iter().map(|d| d.name.clone()).collect::<Vec<_>>(),
        "jobs": input.jobs.iter().map(|j| j.name.clone()).collect::<Vec<_>>(),
        "metrics": { "test_accuracy": model.metrics.test_accuracy, "auc": model.metrics.auc },
    });
    let folder = folder_name(model);
    let mut files = vec![
        (
            "README.md".to_owned(),
            (readme(model, input, &folder) + &jobs_readme(input)).into_bytes(),
        ),
        (
            "job.json".to_owned(),
            (serde_json::to_string_pretty(&facts).unwrap_or_default() + "\n").into_bytes(),
        ),
        (
            "scoring.sql".to_owned(),
            scoring(Engine::DuckDb).into_bytes(),
        ),
        (
            "scoring_spark.sql".to_owned(),
            scoring(Engine::SparkSql).into_bytes(),
        ),
        ("model.onnx".to_owned(), onnx_model(model)?),
        (
            "datasets_duckdb.sql".to_owned(),
            script(Engine::DuckDb)?.into_bytes(),
        ),
        (
            "datasets_spark.sql".to_owned(),
            script(Engine::SparkSql)?.into_bytes(),
        ),
        (
            "score_duckdb.py".to_owned(),
            SCORE_DUCKDB.as_bytes().to_vec(),
        ),
        ("score_spark.py".to_owned(), SCORE_SPARK.as_bytes().to_vec()),
    ];
    files.extend(scripts(input.jobs, model, input.id.as_deref(), &folder));
    for (name, _) in &mut files {
        *name = format!("{folder}/{name}");
    }
    Ok(files)
}

/// The folder as one zip.
pub fn job_zip(model: Option<&SavedModel>, input: &JobInput<'_>) -> Result<Vec<u8>, JobError> {
    Ok(zip(&job_files(model, input)?)?)
}

fn jobs_readme(input: &JobInput<'_>) -> String {
    if input.jobs.is_empty() {
        return String::new();
    }
    let names: Vec<String> = input
        .jobs
        .iter()
        .map(|j| {
            format!(
                "`jobs/{}.py` ({}, {})",
                script_stem(&j.name),
                j.name,
                j.trigger.describe()
            )
        })
        .collect();
    format!(
        "\n## The app's jobs\n\n{}.\n\nEach does the job's data steps with DuckDB (open the data, keep a dataset, run one again, score one) and writes what it keeps to a folder: `python jobs/NAME.py customers.csv out/`. Steps only the app can take are listed at the top of each script. `jobs/crontab` has a line per schedule, the jobs that run after it chained with `&&`: set its DIR, INPUT and OUT, then add it with `crontab -e`.\n",
        names.join(", ")
    )
}

fn readme(model: &SavedModel, input: &JobInput<'_>, folder: &str) -> String {
    let columns: Vec<String> = model
        .stats
        .iter()
        .map(|s| format!("`{}`", s.column()))
        .collect();
    let datasets = if input.datasets.is_empty() {
        "none were saved, so they only read and type `churn`".to_owned()
    } else {
        input
            .datasets
            .iter()
            .map(|d| format!("`{}`", d.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "# {name} v{version}: scoring outside the browser\n\n\
Exported by Churnlab. The model predicts `{target}` = `{positive}` from {n} columns: {columns}.\n\
Every file here gives the same probabilities as the app's batch scoring.\n\n\
| file | what it is |\n| --- | --- |\n\
| `scoring.sql` | the whole model as one query over a table or view `churn`, for DuckDB and PostgreSQL: the ID, `churn_probability`, `predicted_class` and each column's contribution |\n\
| `scoring_spark.sql` | the same query for Spark SQL (names in backquotes) |\n\
| `model.onnx` | the same pipeline for ONNX Runtime: one `[N, 1]` input per column, named as the data (numbers as doubles with NaN for empty, categories as strings with \"\" for empty); outputs `churn_probability`, `logit`, `predicted_label` |\n\
| `datasets_duckdb.sql`, `datasets_spark.sql` | `churn` read from `{placeholder}` and typed as the app typed it, then the saved datasets as views ({datasets}); the differences between the app's SQL and the engine are listed at the top |\n\
| `score_duckdb.py`, `score_spark.py` | jobs: read a CSV (through the dataset script) or Parquet, run the scoring query, write the scores |\n\
| `job.json` | the model's inputs, outputs, classes and metrics |\n\n\
## One machine: DuckDB\n\n```sh\npip install duckdb\npython {folder}/score_duckdb.py customers.csv scores.csv\n```\n\n\
Or in the DuckDB shell, with the file saved as `{placeholder}` next to the scripts: `.read datasets_duckdb.sql`, then `.read scoring.sql`.\n\
PostgreSQL: create `churn` with your columns typed (numbers as double precision, categories as text) and run `scoring.sql`.\n\n\
## A cluster: Spark\n\n```sh\npip install pyspark   # needs Java 17\npython {folder}/score_spark.py customers.csv scores_dir          # local, every core\nspark-submit {folder}/score_spark.py s3://bucket/customers.parquet s3://bucket/scores\n```\n\n\
Parquet input is read with its own types; a CSV is typed as the app typed its file. The scores are written as Parquet (CSV when the output ends in `.csv`).\n\n\
## ONNX Runtime\n\n```python\nimport numpy as np, onnxruntime as ort\nsession = ort.InferenceSession(\"model.onnx\")\nfeeds = {{i.name: np.array([[value]], dtype=object if i.type == \"tensor(string)\" else np.float64) for i, value in zip(session.get_inputs(), one_customer)}}\nprobability = session.run([\"churn_probability\"], feeds)[0]\n```\n",
        name = model.name.replace('\n', " "),
        version = model.model_version,
        target = model.target,
        positive = model.positive,
        n = model.stats.len(),
        columns = columns.join(", "),
        placeholder = CSV_PLACEHOLDER,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::synth::generate;
    use crate::model::config::{Mode, TrainConfig};

    fn model() -> SavedModel {
        let t = generate(300, 5);
        let cfg = TrainConfig {
            mode: Mode::Plain,
            ..crate::model::defaults::default_config(&t)
        };
        let trained = crate::model::train::train(&t, &cfg, &mut |_, _| true).unwrap();
        SavedModel::new("Churn \"model\" 1", &t, &cfg, &trained, None)
    }

    #[test]
    fn no_model_says_what_to_do() {
        let t = generate(10, 1);
        let input = JobInput {
            id: None,
            datasets: &[],
            script: ScriptOptions::new(Engine::DuckDb, "x.csv", &t),
            jobs: &[],
        };
        let err = job_files(None, &input).unwrap_err();
        assert!(err.to_string().contains("Train page"), "{err}");
    }

    #[test]
    fn the_folder_has_every_file() {
        let t = generate(300, 5);
        let m = model();
        let input = JobInput {
            id: Some("customerID".into()),
            datasets: &[],
            script: ScriptOptions::new(Engine::DuckDb, "x.csv", &t),
            jobs: &[],
        };
        let files = job_files(Some(&m), &input).unwrap();
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(folder_name(&m), "churnlab-job-churn-model-1-v1");
        for f in [
            "README.md",
            "job.json",
            "scoring.sql",
            "scoring_spark.sql",
            "model.onnx",
            "datasets_duckdb.sql",
            "datasets_spark.sql",
            "score_duckdb.py",
            "score_spark.py",
        ] {
            assert!(
                names.contains(&format!("churnlab-job-churn-model-1-v1/{f}").as_str()),
                "{f} in {names:?}"
            );
        }
        let text = |f: &str| {
            String::from_utf8(
                files
                    .iter()
                    .find(|(n, _)| n.ends_with(f))
                    .unwrap()
                    .1
                    .clone(),
            )
            .unwrap()
        };
        assert!(text("datasets_duckdb.sql").contains("'input.csv'"));
        assert!(text("scoring_spark.sql").contains("`customerID`"));
        assert!(text("job.json").contains("\"csv_placeholder\": \"input.csv\""));
        assert!(job_zip(Some(&m), &input)
            .unwrap()
            .starts_with(b"PK\x03\x04"));
    }
}

//! The exported scoring query on the raw file, as each engine reads a CSV by
//! default, gives the app's batch scores: DuckDB's `read_csv_auto` (types
//! sniffed, so `TotalCharges` with its blank cells is VARCHAR), PostgreSQL
//! (a throwaway cluster, the file loaded with COPY into text columns) and,
//! with `CHURNLAB_SPARK_PYTHON`, Spark's reader with `inferSchema`. On the
//! real file and on a copy with blanks, spaces, padded numbers and junk in
//! its number and category columns (which the learner retypes as numbers
//! in the app, the junk becoming empty): every probability and contribution
//! within 1e-12 of the app's.
mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use churnlab::core::data::table::Table;
use churnlab::core::explain::scoring::{score_table, Scored};
use churnlab::core::export::datasets_sql::Engine;
use churnlab::core::export::scoring_sql::{scoring_sql, ScoringOptions};
use churnlab::core::model::pipeline::SavedModel;
use common::{junk_file, junk_table, plain_model, real_data_path, real_table, run_python};
use serde_json::Value;

/// A value from an engine: a JSON number, `{"float": repr}` or text.
fn float(v: &Value) -> f64 {
    v["float"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .or_else(|| v.as_f64())
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or_else(|| panic!("not a number: {v}"))
}

/// Compares an engine's rows (id, probability, class, contributions…) with the app's scores.
fn compare(engine: &str, rows: &[Value], table: &Table, ours: &[Scored]) -> (f64, f64) {
    assert_eq!(
        rows.len(),
        table.num_rows(),
        "{engine} scores every customer"
    );
    let ids = &table.column("customerID").unwrap().data;
    let by_id: HashMap<String, usize> = (0..table.num_rows())
        .map(|r| (ids.display(r).unwrap(), r))
        .collect();
    let (mut worst_p, mut worst_c) = (0.0f64, 0.0f64);
    for row in rows {
        let r = by_id[row[0].as_str().unwrap()];
        worst_p = worst_p.max((float(&row[1]) - ours[r].probability).abs());
        assert_eq!(
            row[2].as_str().unwrap(),
            if ours[r].probability >= 0.5 {
                "Yes"
            } else {
                "No"
            },
            "{engine}: the class of {}",
            row[0]
        );
        for (i, c) in ours[r].contributions.iter().enumerate() {
            worst_c = worst_c.max((float(&row[3 + i]) - c).abs());
        }
    }
    eprintln!("{engine} vs the app over {} customers: largest difference {worst_p:e} in probability, {worst_c:e} in a contribution", rows.len());
    (worst_p, worst_c)
}

fn query(model: &SavedModel, engine: Engine) -> String {
    scoring_sql(
        model,
        &ScoringOptions {
            table: "churn".into(),
            id: Some("customerID".into()),
            negative: "No".into(),
            contributions: true,
            engine,
        },
    )
}

/// The files, their tables as the app reads them, and the models fitted on them.
fn cases() -> Vec<(&'static str, PathBuf, Table, SavedModel)> {
    let real = real_table();
    let junk_path = junk_file();
    let junk = junk_table(&junk_path);
    let (_, real_model) = plain_model(&real);
    let (_, junk_model) = plain_model(&junk);
    vec![
        ("the real file", real_data_path(), real, real_model),
        ("the file with junk", junk_path, junk, junk_model),
    ]
}

#[test]
fn duckdb_read_csv_auto_and_postgres_copy_give_the_apps_scores() {
    for (what, path, table, model) in cases() {
        let ours = score_table(&model, &table);
        let sql = query(&model, Engine::DuckDb);
        let duck = run_python(
            "duckdb_csv_query.py",
            &[&path],
            &serde_json::json!({ "table": "churn", "queries": [sql], "read": "auto" }),
        );
        assert!(
            duck[0].get("error").is_none(),
            "DuckDB refused the query on {what}: {}",
            duck[0]["error"]
        );
        let (p, c) = compare(
            &format!("DuckDB read_csv_auto, {what}"),
            duck[0]["rows"].as_array().unwrap(),
            &table,
            &ours,
        );
        assert!(p <= 1e-12 && c <= 1e-12);
        let pg = run_python("postgres_query.py", &[&path], &serde_json::json!([sql]));
        assert!(
            pg[0].get("error").is_none(),
            "PostgreSQL refused the query on {what}: {}",
            pg[0]["error"]
        );
        let (p, c) = compare(
            &format!("PostgreSQL COPY into text, {what}"),
            pg[0]["rows"].as_array().unwrap(),
            &table,
            &ours,
        );
        assert!(p <= 1e-12 && c <= 1e-12);
    }
}

#[test]
#[ignore = "needs PySpark and Java 17: scripts/test-spark"]
fn spark_infer_schema_gives_the_apps_scores() {
    let python = std::env::var("CHURNLAB_SPARK_PYTHON")
        .expect("CHURNLAB_SPARK_PYTHON names a Python with PySpark (scripts/test-spark sets it)");
    let cases = cases();
    let payload: Vec<Value> = cases.iter().map(|(_, path, _, model)| serde_json::json!({ "data": path, "queries": [query(model, Engine::SparkSql)] })).collect();
    let dir = std::env::temp_dir().join(format!("churnlab-spark-query-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (input, output) = (dir.join("in.json"), dir.join("out.json"));
    std::fs::write(&input, Value::Array(payload).to_string()).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/spark_query.py");
    let status = std::process::Command::new(python)
        .arg(script)
        .arg(&input)
        .arg(&output)
        .status()
        .unwrap();
    assert!(status.success(), "spark_query.py failed");
    let out: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(&output).unwrap()).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    for ((what, _, table, model), result) in cases.iter().zip(&out) {
        assert!(
            result.get("error").is_none(),
            "Spark refused the query on {what}: {}",
            result["error"]
        );
        let (p, c) = compare(
            &format!("Spark inferSchema, {what}"),
            result["rows"].as_array().unwrap(),
            table,
            &score_table(model, table),
        );
        assert!(p <= 1e-12 && c <= 1e-12);
    }
}

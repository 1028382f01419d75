//! The exported ONNX model, checked by `onnx` and run by ONNX Runtime (the
//! Python packages in the test venv) on a CSV file, gives the app's
//! batch-scoring probabilities for every customer: on the real file within
//! 1e-6, and on a table whose column names are odd (spaces, quotes, a
//! reserved word, non-ASCII, one starting as the graph's own names do) with
//! empty cells, categories never seen in training and a column whose rare
//! values fall into "(other)". The scoring SQL gives the same on that
//! table in DuckDB, read under a reserved word.
mod common;

use std::path::{Path, PathBuf};

use churnlab::core::data::csv::write_row;
use churnlab::core::data::ingest::{ingest_bytes, IngestOptions};
use churnlab::core::data::table::Table;
use churnlab::core::explain::scoring::score_table;
use churnlab::core::export::datasets_sql::Engine;
use churnlab::core::export::onnx::{onnx_model, LABEL, LOGIT, PROBABILITY};
use churnlab::core::export::scoring_sql::{scoring_sql, ScoringOptions};
use churnlab::core::model::pipeline::{ColumnStats, SavedModel};
use common::{plain_model, real_data_path, real_table, run_python};
use serde_json::Value;

/// A scratch directory of this test process.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "churnlab-export-onnx-{}-{name}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// ONNX Runtime's outputs for `model` run on the CSV file `data`.
fn run_onnx(model: &SavedModel, dir: &Path, data: &Path) -> Value {
    let path = dir.join("model.onnx");
    std::fs::write(&path, onnx_model(model).expect("the model exports")).unwrap();
    run_python(
        "onnx_parity.py",
        &[data],
        &serde_json::json!({ "model": path }),
    )
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().parse().unwrap())
        .collect()
}

/// The largest difference between ONNX Runtime's probabilities and the
/// app's on `table` (the CSV's rows, in order), checking the labels, the
/// logits and the graph's inputs on the way.
fn compare(model: &SavedModel, table: &Table, out: &Value) -> f64 {
    let ours = score_table(model, table);
    let (p, logit, labels) = (
        floats(&out["probability"]),
        floats(&out["logit"]),
        out["label"].as_array().unwrap(),
    );
    assert_eq!(p.len(), table.num_rows());
    let inputs: Vec<(String, String)> = out["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i[0].as_str().unwrap().into(), i[1].as_str().unwrap().into()))
        .collect();
    let expected: Vec<(String, String)> = model
        .stats
        .iter()
        .map(|s| {
            (
                s.column().into(),
                if matches!(s, ColumnStats::Numeric { .. }) {
                    "tensor(double)"
                } else {
                    "tensor(string)"
                }
                .into(),
            )
        })
        .collect();
    assert_eq!(
        inputs, expected,
        "one input per model column, named as the data column"
    );
    assert_eq!(
        out["outputs"],
        serde_json::json!([PROBABILITY, LOGIT, LABEL])
    );
    let mut worst = 0.0f64;
    for (r, s) in ours.iter().enumerate() {
        worst = worst.max((p[r] - s.probability).abs());
        let our_logit = model.model.intercept + s.contributions.iter().sum::<f64>();
        assert!(
            (logit[r] - our_logit).abs() <= 1e-9 * our_logit.abs().max(1.0),
            "row {r}: logit {} vs {our_logit}",
            logit[r]
        );
        let class = if s.probability >= 0.5 {
            model.positive.clone()
        } else {
            model.negative_class()
        };
        if (s.probability - 0.5).abs() > 1e-9 {
            assert_eq!(labels[r].as_str().unwrap(), class, "row {r}");
        }
    }
    worst
}

#[test]
fn onnx_runtime_scores_every_customer_as_the_app_does() {
    let t = real_table();
    let (_, model) = plain_model(&t);
    let dir = scratch("real");
    let out = run_onnx(&model, &dir, &real_data_path());
    let worst = compare(&model, &t, &out);
    eprintln!(
        "ONNX Runtime vs the app over {} customers: largest difference {worst:e} in probability",
        t.num_rows()
    );
    assert!(worst <= 1e-6);
    assert_eq!(out["producer"], "Churnlab");
    assert_eq!(out["metadata"]["target"], "Churn");
    assert_eq!(out["metadata"]["positive_class"], "Yes");
    std::fs::remove_dir_all(&dir).ok();
}

/// The odd names given to the synthetic table's columns.
const RENAMES: [(&str, &str); 6] = [
    ("tenure", "tenure (months)"),
    ("MonthlyCharges", "Monthly \"Charges\""),
    ("Contract", "select"),
    ("gender", "género"),
    ("PaymentMethod", "Payment method's"),
    ("Partner", "churnlab/term_1"),
];
/// A column with 60 values, more than a model learns one weight each for
/// ("#00" to "#59": they sort before "(other)", whose term is not the first).
const REGION: &str = "région (zone)";

/// The synthetic customers as CSV text under the odd names, with a region
/// column; `edit(row, column, cell)` may change a cell.
fn odd_csv(edit: impl Fn(usize, &str, Option<String>) -> Option<String>) -> String {
    let t = churnlab::core::data::synth::generate(200, 3);
    let rename = |n: &str| {
        RENAMES
            .iter()
            .find(|(from, _)| *from == n)
            .map_or(n, |(_, to)| to)
            .to_owned()
    };
    let mut names: Vec<String> = t.columns().iter().map(|c| rename(&c.name)).collect();
    names.push(REGION.into());
    let mut out = String::new();
    write_row(&mut out, names.iter().map(|n| Some(n.as_str())));
    for r in 0..t.num_rows() {
        let mut cells: Vec<Option<String>> =
            t.columns().iter().map(|c| c.data.display(r)).collect();
        cells.push(Some(format!("#{:02}", r % 60)));
        let cells: Vec<Option<String>> = cells
            .into_iter()
            .zip(&names)
            .map(|(c, n)| edit(r, n, c))
            .collect();
        write_row(&mut out, cells.iter().map(Option::as_deref));
    }
    out
}

fn ingest(csv: &str) -> Table {
    ingest_bytes(csv.as_bytes(), IngestOptions::new("odd"), 1 << 20)
        .expect("the CSV loads")
        .0
}

#[test]
fn odd_names_empty_cells_and_unseen_categories_score_as_the_app_does() {
    let train_table = ingest(&odd_csv(|_, _, c| c));
    let model = {
        use churnlab::core::model::config::{Mode, TrainConfig};
        let mut cfg = TrainConfig {
            mode: Mode::Plain,
            ..churnlab::core::model::defaults::default_config(&train_table)
        };
        if !cfg.features.iter().any(|f| f == REGION) {
            cfg.features.push(REGION.into());
        }
        let trained = churnlab::core::model::train::train(&train_table, &cfg, &mut |_, _| true)
            .expect("the odd table trains");
        SavedModel::new("odd \"names\"", &train_table, &cfg, &trained, None)
    };
    let columns: Vec<&str> = model.stats.iter().map(ColumnStats::column).collect();
    for (_, name) in RENAMES.iter().filter(|(from, _)| *from != "MonthlyCharges") {
        assert!(
            columns.contains(name),
            "{name} is a model column: {columns:?}"
        );
    }
    let region = model
        .stats
        .iter()
        .find(|s| s.column() == REGION)
        .expect("the region is a model column");
    assert!(
        matches!(region, ColumnStats::Categorical { categories, .. } if categories.iter().any(|c| c == "(other)"))
    );

    // Edited cells, each in a row where it matters: categories never seen in
    // training, empty cells of both kinds, a rare value; and what the app
    // scores each as (the first category, the median, "(other)").
    let first = |column: &str| match model.stats.iter().find(|s| s.column() == column) {
        Some(ColumnStats::Categorical { categories, .. }) => categories[0].clone(),
        Some(ColumnStats::Numeric { median, .. }) => format!("{median}"),
        None => panic!("{column} is not a model column"),
    };
    let ColumnStats::Categorical {
        categories: regions,
        ..
    } = region
    else {
        unreachable!()
    };
    let rare = (0..60)
        .map(|k| format!("#{k:02}"))
        .find(|r| !regions.contains(r))
        .expect("a region in \"(other)\"");
    let plan: [(&str, &str, String); 8] = [
        ("select", "Never seen", first("select")),
        ("tenure (months)", "", first("tenure (months)")),
        ("género", "", first("género")),
        (REGION, "Nowhere", rare.clone()),
        (REGION, &rare, "Nowhere".into()),
        ("SeniorCitizen", "", first("SeniorCitizen")),
        ("churnlab/term_1", "Maybe", first("churnlab/term_1")),
        ("Monthly \"Charges\"", "", first("Monthly \"Charges\"")),
    ];
    let mut edits: Vec<(usize, &str, &str, &str)> = Vec::new();
    for (column, value, scored_as) in &plan {
        let data = &train_table
            .column(column)
            .unwrap_or_else(|| panic!("no column {column}"))
            .data;
        let differs = |r: usize| match (data.display(r), data.number(r)) {
            (_, Some(x))
                if !matches!(
                    model.stats.iter().find(|s| s.column() == *column),
                    Some(ColumnStats::Categorical { .. })
                ) =>
            {
                x != scored_as.parse::<f64>().unwrap()
            }
            (Some(v), _) => v != *scored_as && (*column != REGION || regions.contains(&v)),
            (None, _) => false,
        };
        let row = (0..train_table.num_rows())
            .find(|&r| differs(r) && edits.iter().all(|e| e.0 != r))
            .unwrap_or_else(|| panic!("a row for {column}"));
        edits.push((row, column, value, scored_as));
    }
    let csv_with = |substitute: bool| {
        odd_csv(
            |r, n, c| match edits.iter().find(|e| e.0 == r && e.1 == n) {
                Some((_, _, v, s)) => {
                    Some(if substitute { s } else { v }.to_string()).filter(|v| !v.is_empty())
                }
                None => c,
            },
        )
    };
    let edited = csv_with(false);
    let table = ingest(&edited);
    let dir = scratch("odd");
    let data = dir.join("odd.csv");
    std::fs::write(&data, &edited).unwrap();
    let out = run_onnx(&model, &dir, &data);
    let worst = compare(&model, &table, &out);
    eprintln!("ONNX Runtime vs the app over {} customers with odd names: largest difference {worst:e} in probability", table.num_rows());
    assert!(worst <= 1e-6);
    // Each edited row scores as its substitute, and not as before.
    let (before, substituted) = (
        score_table(&model, &train_table),
        score_table(&model, &ingest(&csv_with(true))),
    );
    let p = floats(&out["probability"]);
    for (r, column, value, scored_as) in &edits {
        assert!(
            (p[*r] - substituted[*r].probability).abs() <= 1e-12,
            "row {r}: {column} = {value:?} scores as {scored_as:?}"
        );
        assert!(
            (p[*r] - before[*r].probability).abs() > 1e-12,
            "row {r}: {column} = {value:?} changes the score"
        );
    }
    assert_eq!(out["metadata"]["model_name"], "odd \"names\"");

    // The scoring SQL on the same file in DuckDB, from a table whose name is
    // a reserved word: every odd name quoted, the same scores.
    let options = ScoringOptions {
        table: "select".into(),
        id: None,
        negative: "No".into(),
        contributions: false,
        engine: Engine::DuckDb,
    };
    let sql = scoring_sql(&model, &options);
    let result = &run_python(
        "duckdb_csv_query.py",
        &[&data],
        &serde_json::json!({ "table": "select", "queries": [sql] }),
    )[0];
    assert!(
        result.get("error").is_none(),
        "DuckDB refused the query: {}\n{sql}",
        result["error"]
    );
    let rows = result["rows"].as_array().expect("rows");
    let ours = score_table(&model, &table);
    let worst_sql = rows
        .iter()
        .zip(&ours)
        .map(|(row, s)| {
            (row[0]["float"]
                .as_str()
                .and_then(|v| v.parse::<f64>().ok())
                .expect("a probability")
                - s.probability)
                .abs()
        })
        .fold(0.0, f64::max);
    eprintln!("DuckDB (scoring SQL) vs the app over {} customers with odd names: largest difference {worst_sql:e}", rows.len());
    assert_eq!(rows.len(), table.num_rows());
    assert!(worst_sql <= 1e-12);
    std::fs::remove_dir_all(&dir).ok();
}

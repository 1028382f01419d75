//! The saved datasets exported as one SQL script (core::export::datasets_sql):
//! DuckDB (the Python package in the test venv) runs the script on the real
//! file, and every view — `churn` and each dataset a learner saves, with
//! its field edits — holds the app's own rows, row for row where the order
//! is the query's, with the same column names, types, NULLs and values
//! (doubles to the last bit). The Spark SQL script is checked as text.
mod common;

use std::cmp::Ordering;

use churnlab::core::data::catalog::ActiveRef;
use churnlab::core::data::fields::{edit_field, FieldEdit};
use churnlab::core::data::ingest::{ingest_bytes, IngestOptions};
use churnlab::core::data::table::{ColumnType, Table};
use churnlab::core::export::datasets_sql::{
    datasets_script, DatasetToExport, EditStep, Engine, ExportError, ScriptOptions,
};
use churnlab::core::query::{run_sql, Catalog};
use common::cells::{app_cell, app_family, duck_cell, duck_family, Cell};
use common::{junk_file, real_data_path, real_table, run_python};
use serde_json::{json, Value};

fn step(field: &str, edit: FieldEdit) -> EditStep {
    EditStep {
        field: field.into(),
        edit,
    }
}

fn dataset(name: &str, sql: &str, edits: Vec<EditStep>) -> DatasetToExport {
    DatasetToExport {
        edits,
        ..DatasetToExport::new(name, sql)
    }
}

fn apply(table: Table, edits: &[EditStep]) -> Table {
    edits.iter().fold(table, |t, s| {
        edit_field(&t, &s.field, &s.edit)
            .unwrap_or_else(|e| panic!("{s:?}: {e}"))
            .0
    })
}

/// What the app holds for `churn` and each dataset, made as the app makes
/// them: each query run with `churn` (the dataset active then), the loaded
/// file's name and every dataset saved so far in the catalog, then edited.
fn app_tables(
    loaded: &Table,
    base_edits: &[EditStep],
    entries: &[DatasetToExport],
) -> (Table, Vec<Table>) {
    let base = apply(loaded.clone(), base_edits);
    let mut saved: Vec<Table> = Vec::new();
    for e in entries {
        let active = match &e.churn {
            ActiveRef::Base => &base,
            ActiveRef::Saved { name } => {
                &saved[entries.iter().position(|o| o.name == *name).unwrap()]
            }
        };
        let mut catalog = Catalog::new()
            .with("churn", active)
            .with("churn_prototype", active)
            .with(base.name(), &base);
        for (o, t) in entries.iter().zip(&saved) {
            catalog = catalog.with(&o.name, t);
        }
        let result = run_sql(&e.sql, &catalog)
            .unwrap_or_else(|err| panic!("{}: the app refuses {}: {err}", e.name, e.sql));
        saved.push(apply(result, &e.edits));
    }
    (base, saved)
}

/// Compares DuckDB's view with the app's table: the visible fields (a kept
/// hidden field may come in addition), their types and every row, in order
/// when `ordered`.
fn compare(name: &str, app: &Table, duck: &Value, ordered: bool) -> Result<usize, String> {
    if let Some(e) = duck.get("error") {
        return Err(format!("{name}: DuckDB failed: {e}"));
    }
    let columns: Vec<&str> = duck["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let visible: Vec<usize> = (0..app.num_columns())
        .filter(|&c| !app.columns()[c].hidden)
        .collect();
    let mut picked = Vec::new();
    for &c in &visible {
        let field = &app.columns()[c];
        let k = columns
            .iter()
            .position(|d| *d == field.name)
            .ok_or_else(|| {
                format!(
                    "{name}: DuckDB has no column {} (it has {columns:?})",
                    field.name
                )
            })?;
        let duck_type = duck_family(duck["types"][k].as_str().unwrap());
        if duck_type != app_family(field.column_type()) {
            return Err(format!(
                "{name}.{}: DuckDB {duck_type}, the app {}",
                field.name,
                field.column_type().label()
            ));
        }
        picked.push(k);
    }
    for (k, c) in columns.iter().enumerate() {
        let hidden_in_app = app.column(c).is_some_and(|f| f.hidden);
        if !picked.contains(&k) && !hidden_in_app {
            return Err(format!("{name}: DuckDB has the extra column {c}"));
        }
    }
    let mut theirs: Vec<Vec<Cell>> = duck["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| picked.iter().map(|&k| duck_cell(&r[k])).collect())
        .collect();
    let mut ours: Vec<Vec<Cell>> = (0..app.num_rows())
        .map(|r| visible.iter().map(|&c| app_cell(app, c, r)).collect())
        .collect();
    if !ordered {
        let key = |a: &Vec<Cell>, b: &Vec<Cell>| a.partial_cmp(b).unwrap_or(Ordering::Equal);
        theirs.sort_by(key);
        ours.sort_by(key);
    }
    if theirs.len() != ours.len() {
        return Err(format!(
            "{name}: DuckDB {} rows, the app {}",
            theirs.len(),
            ours.len()
        ));
    }
    match theirs.iter().zip(&ours).position(|(a, b)| a != b) {
        Some(i) => Err(format!(
            "{name}, row {i}: DuckDB {:?}, the app {:?}",
            theirs[i], ours[i]
        )),
        None => Ok(ours.len()),
    }
}

/// Exports `entries` for DuckDB, runs the script and compares every view.
fn check_in_duckdb(base_edits: Vec<EditStep>, entries: &[(DatasetToExport, bool)]) -> String {
    check_file_in_duckdb(&real_data_path(), &real_table(), base_edits, entries)
}

/// The same for the file at `path`, which the app loaded as `loaded`.
fn check_file_in_duckdb(
    path: &std::path::Path,
    loaded: &Table,
    base_edits: Vec<EditStep>,
    entries: &[(DatasetToExport, bool)],
) -> String {
    let loaded = loaded.clone();
    let datasets: Vec<DatasetToExport> = entries.iter().map(|(d, _)| d.clone()).collect();
    let mut options = ScriptOptions::new(Engine::DuckDb, path.display().to_string(), &loaded);
    options.base_edits = base_edits.clone();
    let script = datasets_script(&datasets, &options).unwrap_or_else(|e| panic!("{e}"));
    if std::env::var_os("SHOW_SCRIPT").is_some() {
        eprintln!("{script}");
    }
    let (base, saved) = app_tables(&loaded, &base_edits, &datasets);
    let mut views = vec!["churn".to_owned()];
    views.extend(datasets.iter().map(|d| d.name.clone()));
    // run_python's files are per process: one DuckDB run at a time.
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let out = {
        let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        run_python(
            "duckdb_script.py",
            &[],
            &json!({ "script": script, "views": views }),
        )
    };
    assert!(
        out.get("error").is_none(),
        "DuckDB refused the script: {}\n{script}",
        out["error"]
    );
    let mut failures = Vec::new();
    let mut report = vec![
        match compare("churn", &base, &out["views"]["churn"], true) {
            Ok(n) => format!("churn: {n} rows"),
            Err(e) => {
                failures.push(e);
                String::new()
            }
        },
    ];
    for ((d, ordered), app) in entries.iter().zip(&saved) {
        match compare(&d.name, app, &out["views"][&d.name], *ordered) {
            Ok(n) => report.push(format!("{}: {n} rows", d.name)),
            Err(e) => failures.push(e),
        }
    }
    assert!(failures.is_empty(), "{}\n\n{script}", failures.join("\n"));
    eprintln!("{}", report.join(", "));
    script
}

#[test]
fn duckdb_rebuilds_a_learners_datasets_row_for_row() {
    let entries = vec![
        (dataset("seniors", "SELECT * FROM churn WHERE seniorcitizen = \"1\"", vec![]), true),
        (dataset("by_contract", "SELECT Contract, COUNT(*) AS n, AVG(MonthlyCharges) AS avg_monthly, ROUND(AVG(TotalCharges), 2) FROM churn GROUP BY contract ORDER BY n DESC", vec![]), true),
        (dataset("new_seniors", "SELECT customerid, tenure, totalcharges FROM seniors WHERE tenure < 3 ORDER BY totalcharges, customerID", vec![]), true),
        (
            dataset(
                "senior_fees",
                "SELECT customerID, gender, tenure, MonthlyCharges, Contract, TotalCharges FROM seniors",
                vec![
                    step("MonthlyCharges", FieldEdit::Rename { to: "monthly_fee".into() }),
                    step("tenure", FieldEdit::Retype(ColumnType::Float)),
                    step("TotalCharges", FieldEdit::Retype(ColumnType::Integer)),
                    step("gender", FieldEdit::SetHidden(true)),
                    step("contract", FieldEdit::Clone),
                    step("Copy of Contract", FieldEdit::Retype(ColumnType::Text)),
                    step("tenure", FieldEdit::SetRole(churnlab::core::data::table::Role::Dimension)),
                ],
            ),
            true,
        ),
        (dataset("fees_by_gender", "SELECT gender, COUNT(*) AS n, ROUND(AVG(monthly_fee), 2) AS avg_fee, COUNT(TotalCharges) FROM senior_fees GROUP BY gender ORDER BY gender", vec![]), true),
        (dataset("loyal_seniors", "SELECT * FROM senior_fees WHERE tenure > 70.5", vec![]), true),
        (
            dataset(
                "checks",
                "SELECT customerID, CASE WHEN tenure < 12 THEN \"new\" WHEN tenure < 48 THEN 'settled' ELSE \"loyal\" END AS band, CAST(MonthlyCharges AS INTEGER) AS rounded, tenure / 12 AS years, 1.5 * tenure AS weighted, customerID || '-' || gender AS label, COALESCE(TotalCharges, 0) AS total, tenure % 7, TotalCharges IS NULL AS missing FROM churn WHERE PaymentMethod LIKE '%check' AND Contract IN (\"Month-to-month\", 'One year') AND tenure BETWEEN \"1\" AND 24 AND NOT InternetService ILIKE 'dsl%'",
                vec![],
            ),
            true,
        ),
        (dataset("bands", "SELECT band, COUNT(*) FROM (SELECT CASE WHEN tenure < 12 THEN 'new' ELSE 'old' END AS band FROM churn WHERE tenure = '12' OR tenure < 6) t GROUP BY band", vec![]), false),
        (dataset("top_fees", "SELECT customerID, MonthlyCharges FROM churn ORDER BY MonthlyCharges DESC, customerID LIMIT 10 OFFSET 5", vec![]), true),
        (dataset("senior_methods", "SELECT PaymentMethod AS method, COUNT(*) AS n FROM churn WHERE seniorcitizen = \"1\" GROUP BY 1 HAVING COUNT(*) > 100 ORDER BY n DESC", vec![]), true),
        (dataset("plans", "SELECT DISTINCT Contract, PaperlessBilling FROM churn ORDER BY 1, 2 DESC", vec![]), true),
        (
            dataset(
                "edges",
                "SELECT customerID, (tenure + 1) || ' months' AS span, -tenure * 2 AS neg, tenure - (tenure - 1) AS one, MonthlyCharges / 0 AS inf, TotalCharges > 100 IS TRUE AS big FROM churn WHERE (tenure < 2 OR tenure > 70) AND gender = \"Male\" AND TotalCharges IS NOT NULL AND NOT (Partner = 'Yes' OR Dependents = 'Yes') AND PaymentMethod NOT LIKE '%!_%' ESCAPE '!' ORDER BY customerID",
                vec![],
            ),
            true,
        ),
        (dataset("tenure_by_contract", "SELECT Contract, COUNT(*), AVG(tenure), MAX(TotalCharges) FROM default.churn GROUP BY Contract ORDER BY Contract", vec![]), true),
    ];
    let script = check_in_duckdb(Vec::new(), &entries);
    // The header says where the app's SQL and DuckDB differ.
    assert!(
        script.contains("-- * seniors: seniorcitizen = \"1\": \"1\" names no column"),
        "{script}"
    );
    assert!(
        script.contains(
            "compared with an INTEGER, the app reads '1' as 1; written as \"SeniorCitizen\" = 1"
        ),
        "{script}"
    );
    assert!(
        script.contains("checks: 1.5: a DECIMAL in DuckDB, a DOUBLE in the app; written as 1.5e0"),
        "{script}"
    );
    assert!(
        script.contains("the field gender is hidden in the app"),
        "{script}"
    );
    assert!(
        script.contains("bands: GROUP BY without ORDER BY"),
        "{script}"
    );
    assert!(script.contains("ASC NULLS LAST"), "{script}");
}

/// The file with blanks, spaces, padded numbers and words in its number
/// columns (and NA, null in categories), retyped as numbers as a learner
/// does: every view holds the app's rows, the junk empty on both sides.
#[test]
fn duckdb_rebuilds_the_datasets_from_a_file_with_junk_in_it() {
    let path = junk_file();
    let bytes = std::fs::read(&path).unwrap();
    let (loaded, _) = ingest_bytes(&bytes, IngestOptions::new("telco-junk"), 1 << 20)
        .expect("the junk file loads");
    let base_edits: Vec<EditStep> = [
        ("tenure", ColumnType::Integer),
        ("MonthlyCharges", ColumnType::Float),
        ("TotalCharges", ColumnType::Float),
    ]
    .into_iter()
    .filter(|(c, ty)| loaded.column(c).unwrap().column_type() != *ty)
    .map(|(c, ty)| step(c, FieldEdit::Retype(ty)))
    .collect();
    assert!(
        !base_edits.is_empty(),
        "the junk makes some number column load as text"
    );
    let entries = vec![
        (dataset("seniors", "SELECT * FROM churn WHERE seniorcitizen = \"1\"", vec![]), true),
        (dataset("by_contract", "SELECT Contract, COUNT(*) AS n, COUNT(MonthlyCharges) AS priced, ROUND(AVG(TotalCharges), 2) AS avg_total FROM churn GROUP BY contract ORDER BY n DESC", vec![]), true),
        (dataset("short", "SELECT customerID, tenure, MonthlyCharges, TotalCharges, PaymentMethod FROM churn WHERE tenure < 12 OR MonthlyCharges IS NULL ORDER BY customerID", vec![]), true),
    ];
    check_file_in_duckdb(&path, &loaded, base_edits, &entries);
    std::fs::remove_file(&path).ok();
}

#[test]
fn duckdb_follows_edits_of_churn_itself_and_a_saved_active_dataset() {
    use churnlab::core::data::table::Role;
    let base_edits = vec![
        step("SeniorCitizen", FieldEdit::Retype(ColumnType::Boolean)),
        step(
            "Churn",
            FieldEdit::Rename {
                to: "churned".into(),
            },
        ),
        step("tenure", FieldEdit::Clone),
        step("customerID", FieldEdit::SetHidden(true)),
        step("MonthlyCharges", FieldEdit::Retype(ColumnType::Categorical)),
        step("MonthlyCharges", FieldEdit::SetRole(Role::Dimension)),
        step("TotalCharges", FieldEdit::Retype(ColumnType::Text)),
        step("TotalCharges", FieldEdit::Retype(ColumnType::Float)),
    ];
    let on_seniors = DatasetToExport {
        churn: ActiveRef::Saved {
            name: "senior_churn".into(),
        },
        ..DatasetToExport::new(
            "senior_counts",
            "SELECT churned, COUNT(*) AS n FROM churn GROUP BY churned ORDER BY churned DESC",
        )
    };
    let entries = vec![
        (dataset("senior_churn", "SELECT * FROM churn WHERE seniorcitizen = 1", vec![]), true),
        (on_seniors, true),
        (dataset("long_tenure", "SELECT customerID, \"Copy of tenure\", MonthlyCharges FROM churn WHERE seniorcitizen AND tenure = 72 ORDER BY customerID", vec![step("MonthlyCharges", FieldEdit::Retype(ColumnType::Float))]), true),
        (dataset("from_the_file", "SELECT COUNT(*) AS n, SUM(TotalCharges) FROM \"telco-churn\" WHERE churned = 'Yes'", vec![]), true),
    ];
    let script = check_in_duckdb(base_edits, &entries);
    assert!(
        script.contains("senior_counts: churn: meant the dataset senior_churn"),
        "{script}"
    );
    assert!(script.contains("seniorcitizen = 1: compared with a BOOLEAN, the app reads 1 as TRUE; written as \"SeniorCitizen\" = TRUE"), "{script}");
    assert!(
        script.contains("churn: the field customerID is hidden in the app"),
        "{script}"
    );
}

#[test]
fn spark_sql_gets_backticks_temporary_views_and_its_own_escapes() {
    let loaded = real_table();
    let entries = vec![
        DatasetToExport::new("seniors", "SELECT * FROM churn WHERE seniorcitizen = \"1\""),
        DatasetToExport::new("irish", "SELECT customerID, 'O''Brien \\ co' AS name, CAST(MonthlyCharges AS INTEGER) AS fee, ROUND(TotalCharges, 2) AS total FROM seniors WHERE PaymentMethod LIKE 'Bank%' ORDER BY TotalCharges LIMIT 5"),
    ];
    let options = ScriptOptions::new(Engine::SparkSql, "/data/telco churn.csv", &loaded);
    let script = datasets_script(&entries, &options).unwrap();
    for expected in [
        "CREATE OR REPLACE TEMPORARY VIEW `churn_csv` (`customerID` STRING, `gender` STRING,",
        "USING csv\nOPTIONS (path '/data/telco churn.csv', header 'true', sep ',', quote '\"', escape '\"', multiLine 'true');",
        "CREATE OR REPLACE TEMPORARY VIEW `churn` AS\nSELECT\n  CASE WHEN lower(trim(BOTH ' \\t\\n\\u000C\\r' FROM `customerID`)) IN ('', 'na', 'n/a', 'null') THEN NULL ELSE `customerID` END AS `customerID`,",
        "try_cast(trim(BOTH ' \\t\\n\\u000C\\r' FROM `tenure`) AS BIGINT)",
        "`tenure` RLIKE '^(?:[ \\\\t\\\\n\\\\f\\\\r]*[+-]?[0-9]+[ \\\\t\\\\n\\\\f\\\\r]*)\\\\z'",
        "CREATE OR REPLACE TEMPORARY VIEW `seniors` AS\nSELECT *\nFROM `churn`\nWHERE `SeniorCitizen` = 1;",
        "'O\\'Brien \\\\ co' AS `name`",
        "CAST(bround(`MonthlyCharges`, 0) AS BIGINT) AS `fee`",
        "ROUND(`TotalCharges` * 100e0, 0) / 100e0 AS `total`",
        "ORDER BY `TotalCharges` ASC NULLS LAST\nLIMIT 5;",
        "ORDER BY TotalCharges: the app puts NULLs last, Spark first in ascending order; written as … ASC NULLS LAST",
        "CAST(MonthlyCharges AS INTEGER): INTEGER is a BIGINT in the app; Spark truncates",
        "Spark reads the pattern's escapes",
    ] {
        if expected == "Spark reads the pattern's escapes" {
            assert!(!script.contains(expected), "a plain pattern needs no note:\n{script}");
            continue;
        }
        assert!(script.contains(expected), "missing {expected:?} in\n{script}");
    }
    assert!(
        script
            .lines()
            .filter(|l| !l.starts_with("--"))
            .all(|l| !l.contains("\"SeniorCitizen\"")),
        "no double-quoted names in Spark:\n{script}"
    );
    // The views parse as Databricks SQL (Spark's grammar, with its backticks
    // and backslash escapes); sqlparser has no grammar for the CSV view's
    // typed columns with USING, checked as text above.
    use sqlparser::dialect::DatabricksDialect;
    let views: Vec<&str> = script
        .split(";\n")
        .filter(|s| s.contains(" AS\nSELECT"))
        .collect();
    assert_eq!(views.len(), 3);
    for view in views {
        sqlparser::parser::Parser::parse_sql(&DatabricksDialect {}, view)
            .unwrap_or_else(|e| panic!("{e}\n{view}"));
    }
}

#[test]
fn what_cannot_be_written_is_refused_naming_the_dataset_and_the_construct() {
    let loaded = real_table();
    let options = ScriptOptions::new(Engine::DuckDb, "telco-churn.csv", &loaded);
    let refuse = |entries: Vec<DatasetToExport>| datasets_script(&entries, &options).unwrap_err();
    assert_eq!(
        refuse(vec![DatasetToExport::new(
            "odd",
            "SELECT CASE '5' WHEN tenure THEN 'five' END FROM churn"
        )]),
        ExportError::Unsupported {
            dataset: "odd".into(),
            construct: "CASE on a text literal compared with numbers".into(),
            engine: "DuckDB"
        }
    );
    assert_eq!(
        refuse(vec![DatasetToExport::new("lost", "SELECT * FROM gone")]),
        ExportError::UnknownTable {
            dataset: "lost".into(),
            table: "gone".into()
        }
    );
    assert!(
        matches!(refuse(vec![DatasetToExport::new("a", "SELECT * FROM b"), DatasetToExport::new("b", "SELECT * FROM a")]), ExportError::Cycle(names) if names == "\"a\", \"b\"")
    );
    let renamed = dataset(
        "renamed",
        "SELECT tenure FROM churn",
        vec![step(
            "tenure",
            FieldEdit::Rename {
                to: "months".into(),
            },
        )],
    );
    let stale = DatasetToExport::new("stale", "SELECT tenure FROM renamed");
    let err = refuse(vec![renamed, stale]);
    assert!(
        matches!(&err, ExportError::AppRejects { dataset, message } if dataset == "stale" && message.contains("tenure")),
        "{err}"
    );
    let bad_edit = dataset(
        "bad",
        "SELECT tenure FROM churn",
        vec![step("nope", FieldEdit::Clone)],
    );
    assert!(
        matches!(refuse(vec![bad_edit]), ExportError::Edit { dataset, .. } if dataset == "bad")
    );
    assert_eq!(
        refuse(vec![DatasetToExport::new("Churn", "SELECT 1")]),
        ExportError::BadName("Churn".into())
    );
    let only_churn = datasets_script(&[], &options).unwrap();
    assert!(
        only_churn.contains("CREATE OR REPLACE VIEW \"churn\" AS") && only_churn.contains("(none)"),
        "{only_churn}"
    );
    let no_path = ScriptOptions {
        csv_path: " ".into(),
        ..options.clone()
    };
    assert_eq!(
        datasets_script(&[], &no_path).unwrap_err(),
        ExportError::NoPath
    );
    eprintln!(
        "{}",
        refuse(vec![DatasetToExport::new(
            "odd",
            "SELECT CASE '5' WHEN tenure THEN 'five' END FROM churn"
        )])
    );
}

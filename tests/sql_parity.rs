//! The SQL engine against DuckDB on the real IBM file: every query runs in
//! both, and results must agree in row count, column types, NULLs and
//! values (integers and text exactly, doubles to the last bit).
//!
//! DuckDB runs from the Python venv that `scripts/setup --test` creates.

mod common;

use std::path::PathBuf;
use std::process::Command;

use churnlab::core::query::{run_sql, Catalog};
use common::cells::{app_cell, app_family, duck_cell, duck_family, show, Cell};
use common::{real_data_path, real_table};
use serde_json::Value;

/// A query, the DuckDB spelling when the workshop's differs, and whether
/// its ORDER BY fixes the order of every row.
struct Case {
    sql: &'static str,
    duckdb: Option<&'static str>,
    ordered: bool,
}

const fn q(sql: &'static str) -> Case {
    Case {
        sql,
        duckdb: None,
        ordered: false,
    }
}

const fn ordered(sql: &'static str) -> Case {
    Case {
        sql,
        duckdb: None,
        ordered: true,
    }
}

const fn workshop(sql: &'static str, duckdb: &'static str) -> Case {
    Case {
        sql,
        duckdb: Some(duckdb),
        ordered: false,
    }
}

const CASES: &[Case] = &[
    // The workshop's own queries.
    workshop(
        "SELECT COUNT(DISTINCT internetservice) as 'internetservice', COUNT(DISTINCT multiplelines) as 'multiplelines', COUNT(DISTINCT contract) as 'contract', COUNT(DISTINCT paymentmethod) as 'paymentmethod' FROM default.churn",
        "SELECT COUNT(DISTINCT internetservice) as internetservice, COUNT(DISTINCT multiplelines) as multiplelines, COUNT(DISTINCT contract) as contract, COUNT(DISTINCT paymentmethod) as paymentmethod FROM churn",
    ),
    workshop("SELECT * FROM churn WHERE seniorcitizen = \"1\"", "SELECT * FROM churn WHERE seniorcitizen = '1'"),
    q("SELECT InternetService, COUNT(*) FROM churn GROUP BY InternetService"),
    q("SELECT Churn, COUNT(*) FROM churn GROUP BY Churn"),
    // SELECT: expressions, aliases, *, DISTINCT.
    q("SELECT * FROM churn"),
    q("SELECT customerID, tenure * 2 AS double_tenure, MonthlyCharges / 2 AS half FROM churn"),
    q("SELECT DISTINCT Contract FROM churn"),
    q("SELECT DISTINCT Contract, PaymentMethod FROM churn"),
    q("SELECT DISTINCT SeniorCitizen, Partner FROM churn"),
    q("SELECT tenure + 1, tenure - 1, tenure * tenure, tenure % 7, -tenure FROM churn"),
    q("SELECT MonthlyCharges * 12 - TotalCharges FROM churn"),
    q("SELECT TotalCharges / tenure FROM churn"),
    q("SELECT tenure / 12 FROM churn"),
    q("SELECT 1 + 2 * 3, 7 / 2, 7 % 3, 2.5 * 4"),
    q("SELECT customerID || '-' || gender FROM churn"),
    q("SELECT tenure || ' months' FROM churn"),
    // WHERE: comparisons, logic, IN, BETWEEN, LIKE, NULL tests.
    q("SELECT customerID FROM churn WHERE tenure > 70"),
    q("SELECT customerID FROM churn WHERE tenure >= 72 AND Contract = 'Two year'"),
    q("SELECT customerID FROM churn WHERE tenure < 2 OR MonthlyCharges > 118"),
    q("SELECT customerID FROM churn WHERE tenure <= 1 AND NOT (Contract = 'Month-to-month')"),
    q("SELECT customerID FROM churn WHERE Contract <> 'Month-to-month' AND Churn = 'Yes'"),
    q("SELECT customerID FROM churn WHERE PaymentMethod IN ('Mailed check', 'Credit card (automatic)') AND tenure > 60"),
    q("SELECT customerID FROM churn WHERE InternetService NOT IN ('DSL', 'No')"),
    q("SELECT customerID FROM churn WHERE tenure BETWEEN 10 AND 12"),
    q("SELECT customerID FROM churn WHERE MonthlyCharges NOT BETWEEN 20 AND 110"),
    q("SELECT customerID, PaymentMethod FROM churn WHERE PaymentMethod LIKE '%check'"),
    q("SELECT customerID FROM churn WHERE InternetService LIKE 'F_ber%'"),
    q("SELECT customerID FROM churn WHERE PaymentMethod ILIKE 'bank%'"),
    q("SELECT customerID FROM churn WHERE customerID NOT LIKE '%-%A%'"),
    q("SELECT customerID, tenure FROM churn WHERE TotalCharges IS NULL"),
    q("SELECT COUNT(*) FROM churn WHERE TotalCharges IS NOT NULL"),
    q("SELECT COUNT(*) FROM churn WHERE TotalCharges > 8000 OR TotalCharges IS NULL"),
    q("SELECT COUNT(*) FROM churn WHERE NOT (TotalCharges > 100)"),
    q("SELECT COUNT(*) FROM churn WHERE TotalCharges IN (20.2, 19.75, NULL)"),
    q("SELECT COUNT(*) FROM churn WHERE TotalCharges NOT IN (20.2, NULL)"),
    q("SELECT COUNT(*) FROM churn WHERE tenure = '12'"),
    workshop("SELECT COUNT(*) FROM churn WHERE tenure = \"12\"", "SELECT COUNT(*) FROM churn WHERE tenure = '12'"),
    // CASE WHEN and CAST.
    q("SELECT customerID, CASE WHEN tenure < 12 THEN 'new' WHEN tenure < 48 THEN 'settled' ELSE 'loyal' END AS band FROM churn"),
    q("SELECT CASE Contract WHEN 'Month-to-month' THEN 1 WHEN 'One year' THEN 12 ELSE 24 END FROM churn"),
    q("SELECT CASE WHEN TotalCharges IS NULL THEN 0 ELSE TotalCharges END FROM churn"),
    q("SELECT CASE WHEN tenure > 100 THEN 'never' END FROM churn"),
    q("SELECT CAST(MonthlyCharges AS INTEGER), CAST(tenure AS DOUBLE), CAST(SeniorCitizen AS VARCHAR) FROM churn"),
    q("SELECT CAST(TotalCharges AS VARCHAR) FROM churn"),
    q("SELECT CAST('42' AS INTEGER), CAST('2.5' AS DOUBLE), TRY_CAST('x' AS INTEGER)"),
    // Aggregates: COUNT, COUNT(col), COUNT DISTINCT, SUM, AVG, MIN, MAX, ROUND, FILTER.
    q("SELECT COUNT(*), COUNT(TotalCharges), COUNT(DISTINCT tenure), COUNT(DISTINCT TotalCharges) FROM churn"),
    q("SELECT SUM(tenure), SUM(MonthlyCharges), SUM(TotalCharges) FROM churn"),
    q("SELECT AVG(tenure), AVG(MonthlyCharges), AVG(TotalCharges) FROM churn"),
    q("SELECT MIN(tenure), MAX(tenure), MIN(MonthlyCharges), MAX(TotalCharges), MIN(customerID), MAX(PaymentMethod) FROM churn"),
    q("SELECT ROUND(AVG(MonthlyCharges), 2), ROUND(SUM(TotalCharges) / COUNT(*), 3), ROUND(MAX(TotalCharges), -2) FROM churn"),
    q("SELECT ROUND(MonthlyCharges), ROUND(MonthlyCharges, 1), ROUND(tenure, -1) FROM churn"),
    q("SELECT COUNT(*) FILTER (WHERE Churn = 'Yes'), COUNT(*) FILTER (WHERE Churn = 'No') FROM churn"),
    q("SELECT Contract, AVG(MonthlyCharges) FILTER (WHERE SeniorCitizen = 1), SUM(tenure) FILTER (WHERE Churn = 'Yes') FROM churn GROUP BY Contract"),
    q("SELECT SUM(TotalCharges) FROM churn WHERE tenure = 0"),
    q("SELECT AVG(TotalCharges), MIN(TotalCharges), COUNT(TotalCharges) FROM churn WHERE tenure = 0"),
    q("SELECT COUNT(*) FROM churn WHERE tenure > 1000"),
    // GROUP BY by name, alias and position; HAVING.
    q("SELECT Contract, COUNT(*) AS n, AVG(MonthlyCharges) AS avg_monthly, AVG(CASE WHEN Churn = 'Yes' THEN 1.0 ELSE 0.0 END) AS churn_rate FROM churn GROUP BY Contract"),
    q("SELECT PaymentMethod, COUNT(*) FROM churn WHERE SeniorCitizen = 1 GROUP BY 1"),
    q("SELECT InternetService AS service, COUNT(*) AS n FROM churn GROUP BY service"),
    q("SELECT Contract, InternetService, COUNT(*), SUM(MonthlyCharges) FROM churn GROUP BY Contract, InternetService"),
    q("SELECT tenure, COUNT(*) FROM churn GROUP BY tenure"),
    q("SELECT SeniorCitizen, Churn, COUNT(*) FROM churn GROUP BY 1, 2"),
    q("SELECT tenure / 12 AS years, COUNT(*) FROM churn GROUP BY tenure / 12"),
    q("SELECT TotalCharges IS NULL AS missing, COUNT(*) FROM churn GROUP BY 1"),
    q("SELECT PaymentMethod, COUNT(*) FROM churn GROUP BY PaymentMethod HAVING COUNT(*) > 1550"),
    q("SELECT Contract, AVG(tenure) FROM churn GROUP BY Contract HAVING AVG(tenure) > 40 AND COUNT(*) > 10"),
    q("SELECT gender, ROUND(AVG(TotalCharges), 4), MAX(tenure) - MIN(tenure) FROM churn GROUP BY gender"),
    q("SELECT COUNT(DISTINCT PaymentMethod), Contract FROM churn GROUP BY Contract"),
    q("SELECT Partner, Dependents, COUNT(DISTINCT InternetService), COUNT(DISTINCT tenure) FROM churn GROUP BY Partner, Dependents"),
    // ORDER BY with directions and NULL placement; LIMIT and OFFSET.
    ordered("SELECT customerID, tenure FROM churn ORDER BY tenure DESC, customerID LIMIT 20"),
    ordered("SELECT customerID, TotalCharges FROM churn ORDER BY TotalCharges, customerID LIMIT 15"),
    ordered("SELECT customerID, TotalCharges FROM churn ORDER BY TotalCharges NULLS FIRST, customerID LIMIT 15"),
    ordered("SELECT customerID, TotalCharges FROM churn ORDER BY TotalCharges DESC NULLS LAST, customerID LIMIT 10 OFFSET 5"),
    ordered("SELECT customerID, TotalCharges FROM churn ORDER BY TotalCharges DESC, customerID LIMIT 12 OFFSET 7030"),
    ordered("SELECT Contract, COUNT(*) AS n FROM churn GROUP BY Contract ORDER BY n DESC"),
    ordered("SELECT PaymentMethod, AVG(MonthlyCharges) FROM churn GROUP BY 1 ORDER BY 2"),
    ordered("SELECT customerID FROM churn ORDER BY MonthlyCharges DESC, customerID LIMIT 5"),
    ordered("SELECT DISTINCT tenure FROM churn ORDER BY tenure DESC LIMIT 5"),
    ordered("SELECT customerID, gender FROM churn ORDER BY gender, customerID DESC LIMIT 8 OFFSET 100"),
    // Subqueries in FROM.
    q("SELECT band, COUNT(*) FROM (SELECT CASE WHEN tenure < 12 THEN 'new' ELSE 'old' END AS band FROM churn) t GROUP BY band"),
    q("SELECT * FROM (SELECT Contract, COUNT(*) AS n FROM churn GROUP BY Contract) AS c WHERE c.n > 1500"),
    q("SELECT AVG(n) FROM (SELECT PaymentMethod, COUNT(*) AS n FROM churn GROUP BY PaymentMethod) s"),
    q("SELECT s.Contract FROM (SELECT * FROM churn WHERE Churn = 'Yes') AS s WHERE s.tenure > 70"),
    // Functions and NULL semantics.
    q("SELECT COALESCE(TotalCharges, MonthlyCharges), ABS(MonthlyCharges - 70), LOWER(Contract), UPPER(gender), LENGTH(PaymentMethod) FROM churn"),
    q("SELECT NULL = NULL, NULL IS NULL, 1 = NULL, NULL AND TRUE, NULL OR TRUE, NULL AND FALSE, NOT NULL"),
    q("SELECT TotalCharges > 100 AND tenure > 5, TotalCharges > 100 OR tenure > 5 FROM churn WHERE tenure = 0 OR tenure = 72"),
    q("SELECT MAX(TotalCharges) FILTER (WHERE TotalCharges IS NULL), COUNT(*) FILTER (WHERE TotalCharges IS NULL) FROM churn"),
    q("SELECT MonthlyCharges / 0, tenure % 0, 0.0 / 0 FROM churn LIMIT 3"),
];

fn venv_python() -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python");
    assert!(
        path.exists(),
        "DuckDB runs from the test venv: run `scripts/setup --test` first ({} is missing)",
        path.display()
    );
    path
}

/// DuckDB's results for `queries`, from the Python script.
fn duckdb_results(queries: &[&str]) -> Vec<Value> {
    let dir = std::env::temp_dir().join(format!("churnlab-parity-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (input, output) = (dir.join("queries.json"), dir.join("results.json"));
    std::fs::write(&input, serde_json::to_string(queries).unwrap()).unwrap();
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/python/duckdb_parity.py");
    let status = Command::new(venv_python())
        .arg(script)
        .arg(real_data_path())
        .arg(&input)
        .arg(&output)
        .status()
        .unwrap();
    assert!(status.success(), "the DuckDB script failed");
    let results: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(&output).unwrap()).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    results
}

/// A cell in a form both engines can be compared in.
#[test]
fn at_least_sixty_queries_match_duckdb() {
    assert!(CASES.len() >= 60, "{} cases", CASES.len());
    let table = real_table();
    let catalog = Catalog::new().with("churn", &table);
    let duck_sql: Vec<&str> = CASES.iter().map(|c| c.duckdb.unwrap_or(c.sql)).collect();
    let expected = duckdb_results(&duck_sql);
    let mut failures = Vec::new();
    for (case, duck) in CASES.iter().zip(&expected) {
        if let Some(e) = duck.get("error") {
            failures.push(format!("{}\n  DuckDB failed: {e}", case.sql));
            continue;
        }
        let ours = match run_sql(case.sql, &catalog) {
            Ok(t) => t,
            Err(e) => {
                failures.push(format!("{}\n  Churnlab failed: {e}", case.sql));
                continue;
            }
        };
        let types: Vec<&str> = duck["types"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| duck_family(t.as_str().unwrap()))
            .collect();
        let our_types: Vec<&str> = ours
            .columns()
            .iter()
            .map(|c| app_family(c.column_type()))
            .collect();
        if types != our_types {
            failures.push(format!(
                "{}\n  types: DuckDB {types:?}, Churnlab {our_types:?}",
                case.sql
            ));
            continue;
        }
        let mut theirs: Vec<Vec<Cell>> = duck["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_array().unwrap().iter().map(duck_cell).collect())
            .collect();
        let mut mine: Vec<Vec<Cell>> = (0..ours.num_rows())
            .map(|r| {
                (0..ours.num_columns())
                    .map(|c| app_cell(&ours, c, r))
                    .collect()
            })
            .collect();
        if !case.ordered {
            let key = |a: &Vec<Cell>, b: &Vec<Cell>| {
                a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal)
            };
            theirs.sort_by(key);
            mine.sort_by(key);
        }
        if theirs.len() != mine.len() {
            failures.push(format!(
                "{}\n  rows: DuckDB {}, Churnlab {}",
                case.sql,
                theirs.len(),
                mine.len()
            ));
            continue;
        }
        if let Some((i, (a, b))) = theirs
            .iter()
            .zip(&mine)
            .enumerate()
            .find(|(_, (a, b))| a != b)
        {
            let a: Vec<String> = a.iter().map(show).collect();
            let b: Vec<String> = b.iter().map(show).collect();
            failures.push(format!(
                "{}\n  row {i}: DuckDB {a:?}, Churnlab {b:?}",
                case.sql
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} queries differ from DuckDB:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

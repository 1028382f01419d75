//! The exported scoring SQL, run by DuckDB (the Python package in the test
//! venv) on the real file, gives the app's batch-scoring probabilities and
//! contributions for every customer within 1e-12; a column whose name needs
//! quoting is quoted.
mod common;

use std::collections::HashMap;

use churnlab::core::explain::scoring::score_table;
use churnlab::core::export::datasets_sql::Engine;
use churnlab::core::export::scoring_sql::{ident, scoring_sql, ScoringOptions};
use common::{plain_model, real_data_path, real_table, run_python};
use serde_json::Value;

fn float(v: &Value) -> f64 {
    v["float"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .or_else(|| v.as_f64())
        .unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn duckdb_scores_every_customer_as_the_app_does() {
    let t = real_table();
    let (_, model) = plain_model(&t);
    let ours = score_table(&model, &t);
    let options = ScoringOptions {
        table: "churn".into(),
        id: Some("customerID".into()),
        negative: "No".into(),
        contributions: true,
        engine: Engine::DuckDb,
    };
    let sql = scoring_sql(&model, &options);
    let out = run_python(
        "duckdb_parity.py",
        &[&real_data_path()],
        &serde_json::json!([sql]),
    );
    let result = &out[0];
    assert!(
        result.get("error").is_none(),
        "DuckDB refused the query: {}\n{sql}",
        result["error"]
    );
    let rows = result["rows"].as_array().unwrap();
    assert_eq!(rows.len(), t.num_rows());
    let ids = &t.column("customerID").unwrap().data;
    let by_id: HashMap<String, usize> = (0..t.num_rows())
        .map(|r| (ids.display(r).unwrap(), r))
        .collect();
    let (mut worst_p, mut worst_c) = (0.0f64, 0.0f64);
    for row in rows {
        let r = by_id[row[0].as_str().unwrap()];
        worst_p = worst_p.max((float(&row[1]) - ours[r].probability).abs());
        let class = row[2].as_str().unwrap();
        assert_eq!(
            class,
            if ours[r].probability >= 0.5 {
                "Yes"
            } else {
                "No"
            }
        );
        for (i, c) in ours[r].contributions.iter().enumerate() {
            worst_c = worst_c.max((float(&row[3 + i]) - c).abs());
        }
    }
    eprintln!("DuckDB vs the app over {} customers: largest difference {worst_p:e} in probability, {worst_c:e} in a contribution", rows.len());
    assert!(worst_p <= 1e-12 && worst_c <= 1e-12);
}

#[test]
fn names_that_need_quoting_are_quoted() {
    let sql = scoring_sql(
        &plain_model(&churnlab::core::data::synth::generate(200, 3)).1,
        &ScoringOptions {
            table: "select".into(),
            id: Some("customer \"id\"".into()),
            negative: "No".into(),
            contributions: false,
            engine: Engine::DuckDb,
        },
    );
    assert!(sql.contains("FROM \"select\""));
    assert!(sql.contains("\"customer \"\"id\"\"\" AS \"customer \"\"id\"\"\""));
    assert_eq!(ident("order"), "\"order\"");
}

//! The exact contributions against SHAP's LinearExplainer (interventional,
//! the training rows as background), on the real file: Python shap runs on
//! the same coefficients and standardised data (the test venv).

mod common;

use churnlab::core::explain::customer::contributions;
use common::{plain_model, real_table, run_python};
use serde_json::json;

#[test]
fn exact_contributions_equal_shap_linear_explainer() {
    let table = real_table();
    let (trained, model) = plain_model(&table);
    let p = &trained.prepared;
    let x_test = p.design(&table, &p.test_rows[..300]).unwrap();
    let rows: Vec<Vec<f64>> = x_test.rows().into_iter().map(|r| r.to_vec()).collect();
    let background: Vec<Vec<f64>> = p.x_train.rows().into_iter().map(|r| r.to_vec()).collect();
    let payload = json!({"coef": model.model.coef, "intercept": model.model.intercept, "background": background, "rows": rows});
    let out = run_python("shap_parity.py", &[], &payload);

    // SHAP's base value is the mean log-odds over the background: the intercept.
    assert!((out["expected"].as_f64().unwrap() - model.model.intercept).abs() < 1e-6);
    let sources = model.encoder.source_columns();
    let mut worst: f64 = 0.0;
    for (i, row) in x_test.rows().into_iter().enumerate() {
        let ours = contributions(&model, &row.to_owned());
        let mut theirs = vec![0.0; ours.len()];
        for (j, v) in out["values"][i].as_array().unwrap().iter().enumerate() {
            theirs[sources[j]] += v.as_f64().unwrap();
        }
        for (a, b) in ours.iter().zip(&theirs) {
            worst = worst.max((a - b).abs());
        }
    }
    eprintln!("largest difference from shap over 300 customers × 19 columns: {worst:e}");
    assert!(worst <= 1e-6, "{worst}");
}

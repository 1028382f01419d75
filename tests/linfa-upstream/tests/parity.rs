//! The patched linfa-logistic fits the real file as the published 0.8.1
//! does: the same coefficients and intercept to 1e-9, for a strong and a
//! weak penalty, on a column-major design matrix (the app's, which the
//! patch's matrix-vector product walks by columns) and a row-major one.

use linfa::prelude::*;
use ndarray::{Array1, Array2, ShapeBuilder};

/// The real file as a standardised design matrix: tenure, MonthlyCharges
/// and TotalCharges as numbers, every other column but the ID and the
/// target one-hot; rows with a blank cell left out. Labels: Churn = Yes.
fn real_file() -> (Vec<Vec<f64>>, Vec<bool>) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/telco-churn.csv");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the real file at {}: {e}", path.display()));
    let mut lines = text.lines();
    let header: Vec<&str> = lines
        .next()
        .unwrap()
        .trim_start_matches('\u{feff}')
        .split(',')
        .collect();
    let rows: Vec<Vec<&str>> = lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|r| r.len() == header.len() && r.iter().all(|c| !c.trim().is_empty()))
        .collect();
    let numeric = ["tenure", "MonthlyCharges", "TotalCharges"];
    let mut columns: Vec<Vec<f64>> = Vec::new();
    for (j, name) in header.iter().enumerate() {
        if *name == "customerID" || *name == "Churn" {
            continue;
        }
        if numeric.contains(name) {
            columns.push(
                rows.iter()
                    .map(|r| r[j].trim().parse::<f64>().unwrap())
                    .collect(),
            );
        } else {
            let mut categories: Vec<&str> = rows.iter().map(|r| r[j]).collect();
            categories.sort_unstable();
            categories.dedup();
            for c in categories {
                columns.push(
                    rows.iter()
                        .map(|r| if r[j] == c { 1.0 } else { 0.0 })
                        .collect(),
                );
            }
        }
    }
    for col in &mut columns {
        let n = col.len() as f64;
        let mean = col.iter().sum::<f64>() / n;
        let sd = (col.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n)
            .sqrt()
            .max(1e-12);
        col.iter_mut().for_each(|v| *v = (*v - mean) / sd);
    }
    let target = header.iter().position(|h| *h == "Churn").unwrap();
    (columns, rows.iter().map(|r| r[target] == "Yes").collect())
}

#[test]
fn the_patched_fit_equals_the_published_one() {
    let (columns, labels) = real_file();
    let (n, p) = (labels.len(), columns.len());
    assert!(n > 7000 && p > 40, "{n} rows, {p} columns");
    let values: Vec<f64> = columns.iter().flatten().copied().collect();
    let column_major = Array2::from_shape_vec((n, p).f(), values).unwrap();
    let row_major = column_major.as_standard_layout().to_owned();
    let y: Array1<bool> = labels.into_iter().collect();
    for (layout, x) in [("column-major", &column_major), ("row-major", &row_major)] {
        for c in [1.0, 0.01] {
            let data = DatasetBase::new(x.view(), y.clone());
            let tolerance = 1e-4 * n as f64;
            let ours = patched::LogisticRegression::default()
                .alpha(1.0 / c)
                .max_iterations(100)
                .gradient_tolerance(tolerance)
                .fit(&data)
                .unwrap();
            let theirs = upstream::LogisticRegression::default()
                .alpha(1.0 / c)
                .max_iterations(100)
                .gradient_tolerance(tolerance)
                .fit(&data)
                .unwrap();
            let worst = ours
                .params()
                .iter()
                .zip(theirs.params())
                .map(|(a, b)| (a - b).abs())
                .fold((ours.intercept() - theirs.intercept()).abs(), f64::max);
            eprintln!("{layout}, C = {c}: largest difference {worst:e} over {p} coefficients and the intercept");
            assert!(worst <= 1e-9, "{layout}, C = {c}: {worst:e}");
        }
    }
}

//! The workshop's pipeline reaches the required AUC on the default dataset.

use churnlab::core::common::rng::Rng;
use churnlab::core::data::synth::default_dataset;
use churnlab::core::data::table::Table;
use churnlab::core::model::features::{Encoder, FeatureKind, Scaler};
use churnlab::core::model::logistic::{fit_logistic, LogisticParams};
use churnlab::core::model::metrics::auc;

/// Drop rows with a missing cell, drop customerID, one-hot the categoricals,
/// standardise, fit C=1 on a seeded 75/25 split; returns the test AUC.
fn workshop_test_auc(table: &Table, seed: u64) -> f64 {
    let complete: Vec<usize> = (0..table.num_rows())
        .filter(|&r| table.columns().iter().all(|c| !c.data.is_null(r)))
        .collect();
    let mut rows = complete.clone();
    Rng::new(seed).shuffle(&mut rows);
    let n_test = (rows.len() as f64 * 0.25).ceil() as usize;
    let (test, train) = rows.split_at(n_test);
    let features: Vec<(String, FeatureKind)> = table
        .columns()
        .iter()
        .filter(|c| c.name != "customerID" && c.name != "Churn")
        .map(|c| (c.name.clone(), FeatureKind::default_for(&c.data)))
        .collect();
    let encoder = Encoder::fit(table, &features, train).unwrap();
    let x_train = encoder.transform(table, train).unwrap();
    let scaler = Scaler::fit(&x_train);
    let x_train = scaler.transform(&x_train);
    let x_test = scaler.transform(&encoder.transform(table, test).unwrap());
    let churn = &table.column("Churn").unwrap().data;
    let label = |r: &usize| churn.str_value(*r) == Some("Yes");
    let y_train: Vec<bool> = train.iter().map(label).collect();
    let y_test: Vec<bool> = test.iter().map(label).collect();
    let model = fit_logistic(&x_train, &y_train, &LogisticParams::default()).unwrap();
    auc(&model.probabilities(&x_test), &y_test).unwrap()
}

#[test]
fn default_dataset_test_auc_is_between_080_and_088() {
    let table = default_dataset();
    for seed in [42, 7, 2024] {
        let auc = workshop_test_auc(&table, seed);
        eprintln!("seed {seed}: AUC {auc:.4}");
        assert!((0.80..=0.88).contains(&auc), "seed {seed}: AUC {auc}");
    }
}

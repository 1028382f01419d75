//! Tests of LIME: determinism per seed and agreement with the exact
//! contributions, the truncated normal tables, the sigmoid and the bins.

use super::*;
use crate::explain::customer::{contributions, encode};
use crate::explain::endpoint::parse_input;
use serde_json::json;

fn setup() -> (SavedModel, Lime) {
    let m = crate::model::pipeline::synthetic_model(2000, 8).1;
    let lime = Lime::new(&m);
    (m, lime)
}

#[test]
fn lime_is_deterministic_per_seed_and_agrees_with_the_exact_contributions() {
    let (m, lime) = setup();
    let values = parse_input(&m, &json!({"tenure": 2, "Contract": "Month-to-month", "InternetService": "Fiber optic", "PaymentMethod": "Electronic check"})).unwrap();
    let a = explain(&lime, &values, DEFAULT_SAMPLES, 1);
    assert_eq!(
        a,
        explain(&lime, &values, DEFAULT_SAMPLES, 1),
        "same seed, same weights"
    );
    assert_ne!(
        a.weights,
        explain(&lime, &values, DEFAULT_SAMPLES, 2).weights
    );
    assert_eq!(a.weights.len(), 19);
    let exact = contributions(&m, &encode(&m, &values));
    let col = |n: &str| m.stats.iter().position(|x| x.column() == n).unwrap();
    assert!(
        a.weights[col("Contract")] > 0.0 && exact[col("Contract")] > 0.0,
        "month-to-month pushes towards churn"
    );
    let rho = stability(&lime, &values, &exact, 5);
    assert!(rho > 0.5, "rank agreement {rho}");
}

#[test]
fn truncated_normal_tables_follow_scipy() {
    // scipy.stats.norm.ppf(0.975) = 1.959963984540054
    assert!((normal_quantile(0.975) - 1.959963984540054).abs() < 1e-8);
    assert!((normal_quantile(0.001) + 3.090232306167813).abs() < 1e-8);
    // scipy.stats.truncnorm(-1, 2, loc=10, scale=2).mean() = 10.4593613...
    let t = truncated_normal_table(10.0, 2.0, 8.0, 14.0);
    let mean = t.iter().sum::<f64>() / t.len() as f64;
    assert!((mean - 10.459361).abs() < 0.01, "{mean}");
    assert!(t.iter().all(|v| (8.0..=14.0).contains(v)));
    assert_eq!(
        truncated_normal_table(5.0, 0.0, 5.0, 5.0),
        vec![5.0; QUANTILES]
    );
}

#[test]
fn the_sigmoid_matches_libm() {
    for z in [-800.0, -40.0, -5.5, -1e-9, 0.0, 0.3, 2.0, 17.0, 745.0] {
        let want = crate::model::logistic::sigmoid(z);
        assert!(
            (sigmoid(z) - want).abs() <= 1e-15 * want + 1e-300,
            "{z}: {} vs {want}",
            sigmoid(z)
        );
    }
}

#[test]
fn quartile_bins_follow_numpy() {
    let b = QuartileBins::from_values(&[1.0, 2.0, 4.0, 8.0, 16.0]);
    assert_eq!(b.edges, [2.0, 4.0, 8.0]);
    assert_eq!(
        [
            bin_of(&b.edges, 1.0),
            bin_of(&b.edges, 2.0),
            bin_of(&b.edges, 3.0),
            bin_of(&b.edges, 16.0)
        ],
        [0, 0, 1, 3]
    );
    assert_eq!(b.freq, [0.4, 0.2, 0.2, 0.2]);
}

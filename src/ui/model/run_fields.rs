//! What a recorded run is made of, for the runs table and the compare
//! view: its parameters as text, its metrics and numeric parameters by name.

use crate::core::model::config::Mode;
use crate::ui::state::Run;

/// A run's parameters as (name, text) pairs, in display order.
pub fn params(r: &Run) -> Vec<(&'static str, String)> {
    let c = &r.config;
    vec![
        ("dataset", r.dataset.clone()),
        ("rows", r.rows.to_string()),
        ("target", format!("{} = {}", c.target, c.positive)),
        (
            "mode",
            if c.mode == Mode::Cv {
                "cv".into()
            } else {
                "plain".into()
            },
        ),
        ("C", format!("{}", r.c)),
        (
            "C grid",
            if c.mode == Mode::Cv {
                c.cs.iter()
                    .map(|v| format!("{v:.3e}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            } else {
                String::new()
            },
        ),
        (
            "folds",
            if c.mode == Mode::Cv {
                c.folds.to_string()
            } else {
                String::new()
            },
        ),
        ("max_iter", c.max_iter.to_string()),
        ("seed", c.seed.to_string()),
        ("test share", format!("{}", c.test_share)),
        ("missing", format!("{:?}", c.missing).to_lowercase()),
        ("features", c.features.join(" ")),
    ]
}

/// Numeric parameters a metric can be drawn against.
pub const NUMERIC_PARAMS: [&str; 5] = ["C", "max_iter", "folds", "seed", "test share"];
/// The metrics a run records, by name.
pub const METRICS: [&str; 5] = ["test_accuracy", "train_accuracy", "auc", "log_loss", "f1"];

/// A run's metric by name (test accuracy for a name it does not know).
pub fn metric(r: &Run, name: &str) -> f64 {
    let m = &r.metrics;
    match name {
        "train_accuracy" => m.train_accuracy,
        "auc" => m.auc,
        "log_loss" => m.log_loss,
        "f1" => m.f1,
        _ => m.test_accuracy,
    }
}

/// A run's numeric parameter by name, where it has one.
pub fn param_number(r: &Run, name: &str) -> Option<f64> {
    let c = &r.config;
    match name {
        "C" => Some(r.c),
        "max_iter" => Some(c.max_iter as f64),
        "folds" => (c.mode == Mode::Cv).then_some(c.folds as f64),
        "seed" => Some(c.seed as f64),
        "test share" => Some(c.test_share),
        _ => None,
    }
}

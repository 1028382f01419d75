//! A training run's settings ([`TrainConfig`], serialisable and stored with
//! each run and model) and the errors that stop a run.

use serde::{Deserialize, Serialize};

use crate::model::features::FeatureError;
use crate::model::logistic::ModelError;

/// What happens to rows with a missing value in the target or a feature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Missing {
    /// Leave the row out (the workshop's `dropna`).
    Drop,
    /// Fill numbers with the training median, categories with the most frequent.
    Impute,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// One fit with the given C.
    Plain,
    /// k-fold cross-validation over a grid of C, then a refit with the best.
    Cv,
}

/// Everything a training run needs besides the table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrainConfig {
    pub target: String,
    /// The target's value that counts as positive ("Yes").
    pub positive: String,
    pub features: Vec<String>,
    pub test_share: f64,
    pub seed: u64,
    pub missing: Missing,
    pub mode: Mode,
    pub c: f64,
    pub max_iter: u64,
    pub folds: usize,
    pub cs: Vec<f64>,
}

/// scikit-learn's default grid: 10 values of C log-spaced from 1e-4 to 1e4.
pub fn default_cs() -> Vec<f64> {
    (0..10)
        .map(|i| libm::pow(10.0, -4.0 + 8.0 * i as f64 / 9.0))
        .collect()
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            target: "Churn".into(),
            positive: "Yes".into(),
            features: Vec::new(),
            test_share: 0.25,
            seed: 42,
            missing: Missing::Drop,
            mode: Mode::Cv,
            c: 1.0,
            max_iter: 100,
            folds: 5,
            cs: default_cs(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TrainError {
    #[error("there is no column \"{0}\"")]
    NoColumn(String),
    #[error("the target \"{column}\" must have exactly two values; it has {found}")]
    NotBinary { column: String, found: usize },
    #[error("\"{value}\" is not a value of the target \"{column}\"")]
    NoSuchClass { column: String, value: String },
    #[error("choose at least one feature")]
    NoFeatures,
    #[error("the target \"{0}\" cannot also be a feature")]
    TargetAsFeature(String),
    #[error("the test share must be between 5% and 90%, not {0}")]
    BadTestShare(f64),
    #[error("cross-validation needs 2 to 20 folds, not {0}")]
    BadFolds(usize),
    #[error("the grid of C is empty")]
    EmptyGrid,
    #[error("only {rows} rows are left after dropping missing values; too few to train on")]
    TooFewRows { rows: usize },
    #[error("the training split has only one class; both are needed (try another seed or a larger test share)")]
    OneClass,
    #[error(
        "the test split has only one class, so it cannot be evaluated (try a larger test share)"
    )]
    OneClassTest,
    #[error("{0}")]
    Feature(#[from] FeatureError),
    #[error("{0}")]
    Model(#[from] ModelError),
    #[error("training was cancelled")]
    Cancelled,
}

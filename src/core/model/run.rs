//! One training run as the experiments table keeps it: when, on what, with
//! which configuration, and the metrics it reached.

use serde::{Deserialize, Serialize};

use crate::model::config::TrainConfig;
use crate::model::pipeline::ModelMetrics;

/// One training run, as the experiments table keeps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Run {
    pub id: u64,
    /// When it started (ms since the epoch) and how long it took.
    pub started_ms: f64,
    pub duration_ms: f64,
    pub dataset: String,
    pub rows: usize,
    pub config: TrainConfig,
    /// The C of the final fit (chosen by CV, or given).
    pub c: f64,
    pub metrics: ModelMetrics,
}

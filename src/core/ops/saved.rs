//! A simulation as the app keeps it (its log is stored apart, as a table).

use serde::{Deserialize, Serialize};

use crate::ops::alerts::Rule;
use crate::ops::retrain::Shadow;
use crate::ops::simulate::SimSettings;

/// A simulation as the list keeps it; its log is stored under its id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedSimulation {
    pub id: u64,
    pub created_ms: f64,
    pub duration_ms: f64,
    pub settings: SimSettings,
    pub rules: Vec<Rule>,
    pub model_build_id: String,
    pub model_name: String,
    pub model_version: u32,
    /// Whether every call was explained (else only predicted).
    pub explained: bool,
    #[serde(default)]
    pub shadow: Option<Shadow>,
}

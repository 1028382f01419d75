//! What happens to the traffic in a simulation, with an answer key: nothing;
//! the workshop's corruption of a growing share of the delivered labels
//! (concept drift: how the target depends on the features changes); a
//! feature drifting (covariate shift: customers are drawn with weights that
//! favour low or high values of a number, or one category, so each call is
//! still a real customer with their real label); or a change of churn rate
//! (churners drawn more often). Each starts at a block with a strength
//! between 0 and 1.

use serde::{Deserialize, Serialize};

use crate::data::table::Table;
use crate::model::features::category_label;
use crate::model::pipeline::{ColumnStats, SavedModel};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScenarioKind {
    None,
    LabelCorruption,
    FeatureDrift,
    ChurnRate,
}

impl ScenarioKind {
    pub const ALL: [ScenarioKind; 4] = [
        ScenarioKind::None,
        ScenarioKind::LabelCorruption,
        ScenarioKind::FeatureDrift,
        ScenarioKind::ChurnRate,
    ];

    pub fn id(self) -> &'static str {
        match self {
            ScenarioKind::None => "none",
            ScenarioKind::LabelCorruption => "label-corruption",
            ScenarioKind::FeatureDrift => "feature-drift",
            ScenarioKind::ChurnRate => "churn-rate",
        }
    }

    pub fn from_id(id: &str) -> Option<ScenarioKind> {
        ScenarioKind::ALL.into_iter().find(|k| k.id() == id)
    }

    pub fn label(self) -> &'static str {
        match self {
            ScenarioKind::None => "No drift",
            ScenarioKind::LabelCorruption => "Label corruption (concept drift), as in the workshop",
            ScenarioKind::FeatureDrift => "Feature drift (covariate shift)",
            ScenarioKind::ChurnRate => "Change of churn rate (prior shift)",
        }
    }
}

/// A scenario: its kind, the block it starts at (1 = the first), its
/// strength in 0..=1, and for feature drift the column and where it moves:
/// "lower" or "higher" for a number, a category for a category.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Scenario {
    pub kind: ScenarioKind,
    pub start_block: usize,
    pub strength: f64,
    pub column: String,
    pub toward: String,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            kind: ScenarioKind::LabelCorruption,
            start_block: 1,
            strength: 1.0,
            column: String::new(),
            toward: String::new(),
        }
    }
}

/// How strongly a unit of strength tilts the draw: a number's weight is
/// `exp(±1.5 · strength · z)`, a category's or a churner's `1 + 9 · strength`.
const NUMERIC_TILT: f64 = 1.5;
const CATEGORY_TILT: f64 = 9.0;

/// The drift of a feature the learner would try first on the workshop's
/// data: newer customers (shorter tenure).
pub fn default_feature_drift(model: &SavedModel) -> (String, String) {
    let has = |name: &str| model.stats.iter().any(|s| s.column() == name);
    if has("tenure") {
        return ("tenure".into(), "lower".into());
    }
    match model.stats.first() {
        Some(ColumnStats::Numeric { column, .. }) => (column.clone(), "higher".into()),
        Some(ColumnStats::Categorical {
            column, categories, ..
        }) => (
            column.clone(),
            categories.last().cloned().unwrap_or_default(),
        ),
        None => (String::new(), String::new()),
    }
}

impl Scenario {
    /// The problem with the scenario's settings for `model`, naming the setting.
    pub fn check(&self, model: &SavedModel, blocks: usize) -> Result<(), String> {
        if self.kind == ScenarioKind::None {
            return Ok(());
        }
        if self.start_block == 0 || self.start_block > blocks {
            return Err(format!("the scenario's start block must be between 1 and {blocks} (the number of blocks), not {}", self.start_block));
        }
        if !(0.0..=1.0).contains(&self.strength) || self.strength.is_nan() {
            return Err(format!(
                "the scenario's strength must be between 0 and 1, not {}",
                self.strength
            ));
        }
        if self.kind == ScenarioKind::FeatureDrift {
            match model.stats.iter().find(|s| s.column() == self.column) {
                None => {
                    return Err(format!(
                        "the drifting feature \"{}\" is not a column of the model",
                        self.column
                    ))
                }
                Some(ColumnStats::Numeric { .. })
                    if !["lower", "higher"].contains(&self.toward.as_str()) =>
                {
                    return Err(format!(
                        "a number drifts \"lower\" or \"higher\", not \"{}\"",
                        self.toward
                    ));
                }
                Some(ColumnStats::Categorical { categories, .. })
                    if !categories.contains(&self.toward) =>
                {
                    return Err(format!(
                        "\"{}\" is not a category of {}",
                        self.toward, self.column
                    ));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The first call (0-based) the scenario applies to, for blocks of `block`.
    pub fn first_call(&self, block: usize) -> usize {
        self.start_block.saturating_sub(1) * block
    }

    /// The weight of each source row when drawing customers once the
    /// scenario has started (None: draw uniformly).
    pub fn row_weights(
        &self,
        model: &SavedModel,
        source: &Table,
        target_positive: &[bool],
    ) -> Option<Vec<f64>> {
        let n = source.num_rows();
        match self.kind {
            ScenarioKind::None | ScenarioKind::LabelCorruption => None,
            ScenarioKind::ChurnRate => Some(
                target_positive
                    .iter()
                    .map(|p| {
                        if *p {
                            1.0 + CATEGORY_TILT * self.strength
                        } else {
                            1.0
                        }
                    })
                    .collect(),
            ),
            ScenarioKind::FeatureDrift => {
                let data = source.column(&self.column).map(|c| &c.data);
                let stats = model.stats.iter().find(|s| s.column() == self.column)?;
                Some(
                    (0..n)
                        .map(|r| match stats {
                            ColumnStats::Numeric { mean, std, .. } => {
                                let z = data
                                    .and_then(|d| d.number(r))
                                    .map_or(0.0, |x| (x - mean) / std.max(1e-12));
                                let sign = if self.toward == "lower" { -1.0 } else { 1.0 };
                                libm::exp(
                                    (sign * NUMERIC_TILT * self.strength * z).clamp(-30.0, 30.0),
                                )
                            }
                            ColumnStats::Categorical { .. } => {
                                let hit = data
                                    .and_then(|d| category_label(d, r))
                                    .is_some_and(|l| l == self.toward);
                                if hit {
                                    1.0 + CATEGORY_TILT * self.strength
                                } else {
                                    1.0
                                }
                            }
                        })
                        .collect(),
                )
            }
        }
    }

    /// The chance that the label of call `call` (0-based) of `calls` is
    /// delivered flipped: rising in a straight line from 0 at the start to
    /// the strength at the last call.
    pub fn corruption(&self, call: usize, calls: usize, block: usize) -> f64 {
        if self.kind != ScenarioKind::LabelCorruption {
            return 0.0;
        }
        let first = self.first_call(block);
        if call < first || calls <= first {
            return 0.0;
        }
        let span = (calls - first) as f64;
        self.strength * ((call - first + 1) as f64 / span).min(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corruption_rises_from_the_start_block_to_the_strength() {
        let s = Scenario {
            kind: ScenarioKind::LabelCorruption,
            start_block: 3,
            strength: 0.8,
            ..Scenario::default()
        };
        assert_eq!(s.corruption(199, 1000, 100), 0.0);
        assert!(s.corruption(200, 1000, 100) > 0.0);
        assert!((s.corruption(999, 1000, 100) - 0.8).abs() < 1e-12);
        let none = Scenario {
            kind: ScenarioKind::ChurnRate,
            ..s
        };
        assert_eq!(none.corruption(999, 1000, 100), 0.0);
    }
}

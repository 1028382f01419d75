//! Drift of a block of traffic against the model's reference (a sample of
//! its training rows), feature by feature: the population stability index
//! over decile bins fixed on the reference (open-ended end bins, one bin per
//! category, empty bins counted as 1e-4), the KS test for numbers, the
//! chi-square test and the Jensen-Shannon distance for categories, and data
//! quality (missing cells, categories the model never saw, numbers outside
//! the training range). Prediction drift is the PSI of the scores.

use serde::{Deserialize, Serialize};

use crate::common::hypothesis::{chi2_contingency, jensen_shannon, ks_2samp_sorted, TestResult};
use crate::common::stats::quantile;
use crate::explain::customer::{encode, probability, FeatureValue};
use crate::model::pipeline::{ColumnStats, SavedModel};
use crate::model::reference::{Reference, ReferenceColumn};

/// A share counted as this when a bin is empty, so that PSI stays finite.
pub const EMPTY_SHARE: f64 = 1e-4;

/// One categorical cell of traffic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell {
    /// Index into the model column's sorted categories.
    Known(u16),
    /// A value the model never saw in training.
    Unseen,
    Missing,
}

/// One model column's values over some calls.
#[derive(Clone, Debug, PartialEq)]
pub enum Values {
    Numeric(Vec<Option<f64>>),
    Categorical(Vec<Cell>),
}

impl Values {
    pub fn len(&self) -> usize {
        match self {
            Values::Numeric(v) => v.len(),
            Values::Categorical(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Decile edges of sorted values (numpy's linear quantiles at 0.1 … 0.9).
pub fn decile_edges(sorted: &[f64]) -> Vec<f64> {
    (1..10).map(|i| quantile(sorted, i as f64 / 10.0)).collect()
}

/// Counts per bin: bin i holds values in (edge[i−1], edge[i]], the first
/// and last bins are open-ended.
fn bin_counts(edges: &[f64], values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut counts = vec![0.0; edges.len() + 1];
    for v in values {
        counts[edges.partition_point(|e| *e < v)] += 1.0;
    }
    counts
}

fn shares(counts: &[f64]) -> Vec<f64> {
    let n: f64 = counts.iter().sum();
    counts
        .iter()
        .map(|c| {
            if *c > 0.0 && n > 0.0 {
                c / n
            } else {
                EMPTY_SHARE
            }
        })
        .collect()
}

/// The population stability index of `actual` counts against `expected` ones.
pub fn psi(expected: &[f64], actual: &[f64]) -> f64 {
    shares(expected)
        .iter()
        .zip(shares(actual))
        .map(|(e, a)| (a - e) * libm::log(a / e))
        .sum()
}

/// A reference sample's deciles and its count in each: how monitoring
/// bins a number column and the scores to compute their PSI.
#[derive(Clone, Debug)]
pub struct Deciles {
    pub edges: Vec<f64>,
    pub counts: Vec<f64>,
}

impl Deciles {
    /// The deciles of `sorted` reference values.
    pub fn of(sorted: &[f64]) -> Deciles {
        let edges = decile_edges(sorted);
        let counts = bin_counts(&edges, sorted.iter().copied());
        Deciles { edges, counts }
    }

    /// The PSI of `values` against the reference, over its deciles.
    pub fn psi(&self, values: &[f64]) -> f64 {
        psi(
            &self.counts,
            &bin_counts(&self.edges, values.iter().copied()),
        )
    }
}

/// What the reference knows about one model column.
#[derive(Clone, Debug)]
pub enum ColumnReference {
    Numeric {
        sorted: Vec<f64>,
        deciles: Deciles,
        min: f64,
        max: f64,
    },
    /// Counts per category, then one bin for unseen values (always 0 here).
    Categorical { counts: Vec<f64> },
}

/// The reference, worked out once per model.
#[derive(Clone, Debug)]
pub struct DriftReference {
    pub columns: Vec<ColumnReference>,
    pub names: Vec<String>,
    pub score_deciles: Deciles,
    /// The reference rows' scores, sorted.
    pub scores: Vec<f64>,
}

/// A reference row as the model's input (defaults where a cell is missing).
pub fn reference_row(model: &SavedModel, reference: &Reference, row: usize) -> Vec<FeatureValue> {
    model
        .stats
        .iter()
        .zip(&reference.columns)
        .map(|(s, c)| match (s, c) {
            (ColumnStats::Numeric { median, .. }, ReferenceColumn::Numeric(v)) => {
                FeatureValue::Number(v[row].unwrap_or(*median))
            }
            (ColumnStats::Categorical { categories, .. }, ReferenceColumn::Categorical(v)) => {
                FeatureValue::Category(
                    v[row]
                        .and_then(|k| categories.get(k as usize))
                        .or(categories.first())
                        .cloned()
                        .unwrap_or_default(),
                )
            }
            (s, _) => crate::explain::customer::default_value(s),
        })
        .collect()
}

impl DriftReference {
    pub fn new(model: &SavedModel, reference: &Reference) -> DriftReference {
        let columns = model
            .stats
            .iter()
            .zip(&reference.columns)
            .map(|(s, c)| match c {
                ReferenceColumn::Numeric(v) => {
                    let mut sorted: Vec<f64> = v.iter().flatten().copied().collect();
                    sorted.sort_by(f64::total_cmp);
                    let deciles = Deciles::of(&sorted);
                    let (min, max) = match s {
                        ColumnStats::Numeric { min, max, .. } => (*min, *max),
                        _ => (f64::NEG_INFINITY, f64::INFINITY),
                    };
                    ColumnReference::Numeric {
                        sorted,
                        deciles,
                        min,
                        max,
                    }
                }
                ReferenceColumn::Categorical(v) => {
                    let k = match s {
                        ColumnStats::Categorical { categories, .. } => categories.len(),
                        _ => 0,
                    };
                    let mut counts = vec![0.0; k + 1];
                    for key in v.iter().flatten() {
                        counts[*key as usize] += 1.0;
                    }
                    ColumnReference::Categorical { counts }
                }
            })
            .collect();
        let mut scores: Vec<f64> = (0..reference.rows())
            .map(|r| probability(model, &encode(model, &reference_row(model, reference, r))))
            .collect();
        scores.sort_by(f64::total_cmp);
        let score_deciles = Deciles::of(&scores);
        DriftReference {
            columns,
            names: model.stats.iter().map(|s| s.column().to_owned()).collect(),
            score_deciles,
            scores,
        }
    }

    /// The PSI of a block's scores against the reference rows' scores.
    pub fn score_psi(&self, scores: &[f64]) -> f64 {
        self.score_deciles.psi(scores)
    }
}

/// One feature's drift in one block.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeatureDrift {
    pub psi: f64,
    /// Numbers: the KS statistic and p-value.
    pub ks: Option<(f64, f64)>,
    /// Categories: the chi-square statistic and p-value, and the
    /// Jensen-Shannon distance.
    pub chi2: Option<(f64, f64)>,
    pub js: Option<f64>,
    pub missing: usize,
    pub unseen: usize,
    pub out_of_range: usize,
}

impl FeatureDrift {
    /// The shares of a block of `calls` cells that are missing, unseen or
    /// outside the training range.
    pub fn quality_shares(&self, calls: usize) -> (f64, f64, f64) {
        let n = calls.max(1) as f64;
        (
            self.missing as f64 / n,
            self.unseen as f64 / n,
            self.out_of_range as f64 / n,
        )
    }
}

fn pair(t: TestResult) -> (f64, f64) {
    (t.statistic, t.p_value)
}

/// The drift of one column's block of values against its reference.
pub fn feature_drift(reference: &ColumnReference, block: &Values) -> FeatureDrift {
    match (reference, block) {
        (
            ColumnReference::Numeric {
                sorted,
                deciles,
                min,
                max,
            },
            Values::Numeric(v),
        ) => {
            let mut present: Vec<f64> = v.iter().flatten().copied().collect();
            present.sort_by(f64::total_cmp);
            let out_of_range = present.iter().filter(|x| **x < *min || **x > *max).count();
            FeatureDrift {
                psi: deciles.psi(&present),
                ks: (!present.is_empty() && !sorted.is_empty())
                    .then(|| pair(ks_2samp_sorted(sorted, &present))),
                chi2: None,
                js: None,
                missing: v.len() - present.len(),
                unseen: 0,
                out_of_range,
            }
        }
        (ColumnReference::Categorical { counts }, Values::Categorical(v)) => {
            let mut block_counts = vec![0.0; counts.len()];
            let unseen_bin = counts.len() - 1;
            let (mut missing, mut unseen) = (0, 0);
            for cell in v {
                match cell {
                    Cell::Known(k) if (*k as usize) < unseen_bin => {
                        block_counts[*k as usize] += 1.0
                    }
                    Cell::Known(_) | Cell::Unseen => {
                        block_counts[unseen_bin] += 1.0;
                        unseen += 1;
                    }
                    Cell::Missing => missing += 1,
                }
            }
            let any = block_counts.iter().sum::<f64>() > 0.0;
            FeatureDrift {
                psi: psi(counts, &block_counts),
                ks: None,
                chi2: any.then(|| pair(chi2_contingency(&[counts.clone(), block_counts.clone()]))),
                js: any.then(|| jensen_shannon(counts, &block_counts)),
                missing,
                unseen,
                out_of_range: 0,
            }
        }
        _ => FeatureDrift {
            psi: f64::NAN,
            ks: None,
            chi2: None,
            js: None,
            missing: block.len(),
            unseen: 0,
            out_of_range: 0,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn psi_uses_reference_deciles_and_a_floor_for_empty_bins() {
        let reference: Vec<f64> = (0..1000).map(|i| i as f64).collect();
        let edges = decile_edges(&reference);
        assert_eq!(edges[0], 99.9);
        let counts = bin_counts(&edges, reference.iter().copied());
        assert_eq!(counts, vec![100.0; 10]);
        // The same distribution: no drift. Everything in the top bin: a lot.
        assert!(psi(&counts, &counts).abs() < 1e-15);
        let top = bin_counts(&edges, std::iter::repeat_n(2000.0, 50));
        let expected = 9.0 * (EMPTY_SHARE - 0.1) * libm::log(EMPTY_SHARE / 0.1)
            + (1.0 - 0.1) * libm::log(1.0 / 0.1);
        assert!((psi(&counts, &top) - expected).abs() < 1e-12);
    }

    #[test]
    fn categorical_drift_counts_unseen_and_missing() {
        let r = ColumnReference::Categorical {
            counts: vec![50.0, 50.0, 0.0],
        };
        let block = Values::Categorical(vec![
            Cell::Known(0),
            Cell::Known(0),
            Cell::Unseen,
            Cell::Missing,
        ]);
        let d = feature_drift(&r, &block);
        assert_eq!((d.missing, d.unseen), (1, 1));
        assert!(d.psi > 1.0 && d.chi2.is_some() && d.js.is_some_and(|j| j > 0.0));
    }
}

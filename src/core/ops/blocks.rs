//! What a simulation's log shows block by block: the realised metrics
//! (once the block's labels are in), the CBPE estimate, prediction drift and
//! latency, and per feature and block the drift statistics.

use serde::{Deserialize, Serialize};

use crate::model::metrics::auc;
use crate::model::reference::Reference;
use crate::ops::cbpe::{Cbpe, Estimate};
use crate::ops::drift::{feature_drift, DriftReference, FeatureDrift, Values};
use crate::ops::log::Log;

/// Realised metrics of a block, from its delivered labels.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Realised {
    pub accuracy: f64,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub auc: Option<f64>,
    pub churn_rate: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BlockReport {
    /// 1-based.
    pub block: usize,
    /// Calls first..=last (1-based).
    pub first_call: usize,
    pub last_call: usize,
    /// Calls the endpoint refused (a category it never saw).
    pub refused: usize,
    /// The call after which the block's last label arrived.
    pub labels_at_call: usize,
    pub realised: Option<Realised>,
    pub estimated: Estimate,
    pub mean_probability: f64,
    pub prediction_psi: f64,
    pub mean_latency_ms: f64,
    pub max_latency_ms: f64,
}

impl BlockReport {
    /// The block (1-based) during which the block's labels were all in.
    pub fn labels_block(&self, block_size: usize) -> usize {
        self.labels_at_call.div_ceil(block_size.max(1))
    }
}

/// Realised metrics over calls `range` (refused calls left out).
fn realised(log: &Log, range: std::ops::Range<usize>) -> Option<Realised> {
    let idx: Vec<usize> = range.filter(|&i| !log.probability[i].is_nan()).collect();
    if idx.is_empty() {
        return None;
    }
    let (mut tp, mut fp, mut fn_, mut right) = (0usize, 0usize, 0usize, 0usize);
    for &i in &idx {
        let (p, y) = (log.predicted(i), log.label[i]);
        right += usize::from(p == y);
        tp += usize::from(p && y);
        fp += usize::from(p && !y);
        fn_ += usize::from(!p && y);
    }
    let n = idx.len() as f64;
    let scores: Vec<f64> = idx.iter().map(|&i| log.probability[i]).collect();
    let labels: Vec<bool> = idx.iter().map(|&i| log.label[i]).collect();
    Some(Realised {
        accuracy: right as f64 / n,
        precision: (tp + fp > 0).then(|| tp as f64 / (tp + fp) as f64),
        recall: (tp + fn_ > 0).then(|| tp as f64 / (tp + fn_) as f64),
        auc: auc(&scores, &labels),
        churn_rate: labels.iter().filter(|l| **l).count() as f64 / n,
    })
}

/// The values of one column over calls `range`.
pub fn slice(values: &Values, range: std::ops::Range<usize>) -> Values {
    match values {
        Values::Numeric(v) => Values::Numeric(v[range].to_vec()),
        Values::Categorical(v) => Values::Categorical(v[range].to_vec()),
    }
}

/// The blocks of a log and the drift of each feature in each, as known
/// once call `as_of` had been made (labels arriving later are not in yet).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observed {
    pub features: Vec<String>,
    pub blocks: Vec<BlockReport>,
    /// `drift[feature][block]`.
    pub drift: Vec<Vec<FeatureDrift>>,
    pub reference_churn_rate: f64,
}

/// Observes `log` in blocks of `block_size`.
pub fn observe(
    reference: &Reference,
    drift_ref: &DriftReference,
    cbpe: &Cbpe,
    log: &Log,
    block_size: usize,
    as_of: usize,
) -> Observed {
    let n = log.len();
    let b = block_size.max(1);
    let mut blocks = Vec::new();
    for (k, start) in (0..n).step_by(b).enumerate() {
        let end = (start + b).min(n);
        if start >= as_of {
            break;
        }
        let scores: Vec<f64> = (start..end)
            .map(|i| log.probability[i])
            .filter(|p| !p.is_nan())
            .collect();
        let labels_at_call = (start..end)
            .map(|i| log.label_at[i] as usize)
            .max()
            .unwrap_or(end);
        let lat = &log.latency_ms[start..end];
        blocks.push(BlockReport {
            block: k + 1,
            first_call: start + 1,
            last_call: end,
            refused: (end - start) - scores.len(),
            labels_at_call,
            realised: if labels_at_call <= as_of {
                realised(log, start..end)
            } else {
                None
            },
            estimated: cbpe.estimate(&scores),
            mean_probability: scores.iter().sum::<f64>() / scores.len().max(1) as f64,
            prediction_psi: drift_ref.score_psi(&scores),
            mean_latency_ms: lat.iter().sum::<f64>() / lat.len().max(1) as f64,
            max_latency_ms: lat.iter().copied().fold(0.0, f64::max),
        });
    }
    let drift = drift_ref
        .columns
        .iter()
        .zip(&log.values)
        .map(|(r, v)| {
            blocks
                .iter()
                .map(|blk| feature_drift(r, &slice(v, blk.first_call - 1..blk.last_call)))
                .collect()
        })
        .collect();
    let reference_churn_rate = reference.labels.iter().filter(|l| **l).count() as f64
        / reference.labels.len().max(1) as f64;
    Observed {
        features: drift_ref.names.clone(),
        blocks,
        drift,
        reference_churn_rate,
    }
}

//! Confidence-based performance estimation (NannyML's CBPE) of accuracy:
//! the expected confusion matrix of a block, read from the model's
//! (calibrated) probabilities, gives its accuracy before any label arrives.
//!
//! Fitted on a reference period with labels (the model's test split):
//! scores are calibrated with isotonic regression when that lowers the
//! expected calibration error in a 10-split check (NannyML's
//! `needs_calibration`), the sampling error of a block of n is the standard
//! deviation of the reference's correctness over √n, the confidence band is
//! ±3 sampling errors, and the alert thresholds are the mean ± 3 standard
//! deviations of the realised accuracy of reference blocks of the same size.
//! This rests on the model's probabilities staying right for the new data:
//! a change in how the target depends on the features (concept drift) is
//! invisible to it.

use serde::{Deserialize, Serialize};

use crate::common::rng::Rng;
use crate::model::metrics::auc;
use crate::ops::isotonic::Isotonic;

/// Whether scores are calibrated before estimating.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Calibration {
    /// Calibrate when the reference shows that it helps.
    Auto,
    Isotonic,
    Off,
}

/// The decision threshold on the model's probability.
pub const THRESHOLD: f64 = 0.5;
/// Sampling errors either side of an estimate, and standard deviations
/// either side of the reference mean for thresholds (NannyML's 3 and 3).
const BAND_SIGMAS: f64 = 3.0;

/// CBPE fitted on a reference period.
#[derive(Clone, Debug, PartialEq)]
pub struct Cbpe {
    calibrator: Option<Isotonic>,
    /// Standard deviation of "prediction is right" over the reference.
    correct_sd: f64,
    pub reference_accuracy: f64,
    pub lower_threshold: Option<f64>,
    pub upper_threshold: Option<f64>,
}

/// One block's estimate.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub accuracy: f64,
    pub sampling_error: f64,
    pub lower: f64,
    pub upper: f64,
    /// Outside the thresholds.
    pub alert: bool,
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len().max(1) as f64
}

fn std(v: &[f64]) -> f64 {
    let m = mean(v);
    (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len().max(1) as f64).sqrt()
}

/// Expected calibration error over bins of equal count (scores sorted):
/// NannyML's bins of `len / bins` rows, the last one taking the rest.
fn expected_calibration_error(scores: &[f64], labels: &[f64], bins: usize) -> f64 {
    let n = scores.len();
    let bins = if n <= 2 * bins { (n / 2).max(1) } else { bins };
    let width = (n / bins).max(1);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let mut edges: Vec<usize> = (0..=n).step_by(width).collect();
    if let Some(last) = edges.last_mut() {
        *last = n;
    }
    edges
        .windows(2)
        .map(|w| {
            let idx = &order[w[0]..w[1]];
            let p: f64 = idx.iter().map(|&i| scores[i]).sum::<f64>() / idx.len().max(1) as f64;
            let y: f64 = idx.iter().map(|&i| labels[i]).sum::<f64>() / idx.len().max(1) as f64;
            idx.len() as f64 / n as f64 * (p - y).abs()
        })
        .sum()
}

/// Whether isotonic calibration lowers the expected calibration error of
/// held-out scores: 10 stratified splits holding out 10% each (seeded), the
/// held-out scores pooled, 10 bins. Not when one class is missing or the
/// scores already separate the classes (AUC > 0.999).
pub fn needs_calibration(scores: &[f64], labels: &[bool], seed: u64) -> bool {
    let positives = labels.iter().filter(|l| **l).count();
    if positives == 0 || positives == labels.len() || auc(scores, labels).is_some_and(|a| a > 0.999)
    {
        return false;
    }
    let mut rng = Rng::new(seed);
    let classes: [Vec<usize>; 2] = [
        (0..labels.len()).filter(|&i| !labels[i]).collect(),
        (0..labels.len()).filter(|&i| labels[i]).collect(),
    ];
    let test_share = 0.1;
    let (mut held, mut raw, mut calibrated) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..10 {
        let mut train = Vec::new();
        let mut test = Vec::new();
        for class in &classes {
            let mut idx = class.clone();
            rng.shuffle(&mut idx);
            let k = ((class.len() as f64 * test_share).round() as usize)
                .clamp(1, class.len().saturating_sub(1).max(1));
            test.extend_from_slice(&idx[..k]);
            train.extend_from_slice(&idx[k..]);
        }
        let x: Vec<f64> = train.iter().map(|&i| scores[i]).collect();
        let y: Vec<f64> = train
            .iter()
            .map(|&i| f64::from(u8::from(labels[i])))
            .collect();
        let iso = Isotonic::fit(&x, &y);
        for &i in &test {
            held.push(f64::from(u8::from(labels[i])));
            raw.push(scores[i]);
            calibrated.push(iso.predict(scores[i]));
        }
    }
    expected_calibration_error(&raw, &held, 10) > expected_calibration_error(&calibrated, &held, 10)
}

impl Cbpe {
    /// Fits on reference scores and labels, for blocks of `block` rows.
    pub fn fit(
        scores: &[f64],
        labels: &[bool],
        block: usize,
        calibration: Calibration,
        seed: u64,
    ) -> Cbpe {
        let calibrate = match calibration {
            Calibration::Isotonic => true,
            Calibration::Off => false,
            Calibration::Auto => needs_calibration(scores, labels, seed),
        };
        let calibrator = calibrate.then(|| {
            Isotonic::fit(
                scores,
                &labels
                    .iter()
                    .map(|l| f64::from(u8::from(*l)))
                    .collect::<Vec<_>>(),
            )
        });
        let correct: Vec<f64> = scores
            .iter()
            .zip(labels)
            .map(|(p, l)| f64::from(u8::from((*p >= THRESHOLD) == *l)))
            .collect();
        let per_block: Vec<f64> = correct.chunks(block.max(1)).map(mean).collect();
        let (m, s) = (mean(&per_block), std(&per_block));
        let (lower, upper) = (m - BAND_SIGMAS * s, m + BAND_SIGMAS * s);
        Cbpe {
            calibrator,
            correct_sd: std(&correct),
            reference_accuracy: mean(&correct),
            lower_threshold: (lower > 0.0).then_some(lower),
            upper_threshold: (upper < 1.0).then_some(upper),
        }
    }

    /// Whether scores are calibrated before estimating.
    pub fn is_calibrated(&self) -> bool {
        self.calibrator.is_some()
    }

    /// The probability the estimate reads from a raw score.
    pub fn calibrated(&self, score: f64) -> f64 {
        self.calibrator.as_ref().map_or(score, |c| c.predict(score))
    }

    /// The estimated accuracy of a block of raw scores.
    pub fn estimate(&self, scores: &[f64]) -> Estimate {
        let n = scores.len().max(1) as f64;
        let expected_right: f64 = scores
            .iter()
            .map(|&p| {
                let q = self.calibrated(p);
                if p >= THRESHOLD {
                    q
                } else {
                    1.0 - q
                }
            })
            .sum();
        let accuracy = expected_right / n;
        let sampling_error = self.correct_sd / n.sqrt();
        Estimate {
            accuracy,
            sampling_error,
            lower: (accuracy - BAND_SIGMAS * sampling_error).max(0.0),
            upper: (accuracy + BAND_SIGMAS * sampling_error).min(1.0),
            alert: self.lower_threshold.is_some_and(|t| accuracy < t)
                || self.upper_threshold.is_some_and(|t| accuracy > t),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scores whose labels follow them: well calibrated by construction.
    fn calibrated_sample(n: usize, seed: u64) -> (Vec<f64>, Vec<bool>) {
        let mut rng = Rng::new(seed);
        let scores: Vec<f64> = (0..n).map(|_| rng.next_f64()).collect();
        let labels = scores.iter().map(|p| rng.next_f64() < *p).collect();
        (scores, labels)
    }

    #[test]
    fn estimates_follow_the_expected_confusion_matrix() {
        let (s, l) = calibrated_sample(2000, 3);
        let c = Cbpe::fit(&s, &l, 100, Calibration::Off, 1);
        // All scores 0.9: predicted positive, right 90% of the time.
        let e = c.estimate(&[0.9; 100]);
        assert!((e.accuracy - 0.9).abs() < 1e-12);
        assert!((e.sampling_error - c.correct_sd / 10.0).abs() < 1e-15);
        assert!(e.lower < 0.9 && e.upper > 0.9);
        // Scores near 0.5 are coin flips: an estimated accuracy near 0.5 is an alert.
        assert!(c.estimate(&[0.49; 100]).alert);
    }

    #[test]
    fn badly_calibrated_scores_get_calibrated() {
        let (s, l) = calibrated_sample(3000, 5);
        let squashed: Vec<f64> = s.iter().map(|p| p * p * p).collect();
        assert!(needs_calibration(&squashed, &l, 7));
        let c = Cbpe::fit(&squashed, &l, 100, Calibration::Auto, 7);
        assert!(c.is_calibrated());
        // 0.125 = 0.5³ maps back near 0.5.
        assert!(
            (c.calibrated(0.125) - 0.5).abs() < 0.08,
            "{}",
            c.calibrated(0.125)
        );
    }
}

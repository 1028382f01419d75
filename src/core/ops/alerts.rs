//! Alert rules (a metric, a threshold, how many blocks in a row), the alerts
//! they raise on a report, and how often each rule would fire on traffic
//! that has not drifted at all: blocks of the same size resampled from the
//! reference, which also give a threshold calibrated to a target rate of
//! false alarms. The rules of thumb (PSI 0.1 and 0.25) ignore the block
//! size; small blocks make every statistic noisy, and these rates show it.

use serde::{Deserialize, Serialize};

use crate::common::rng::Rng;
use crate::common::stats::quantile;
use crate::model::reference::{Reference, ReferenceColumn};
use crate::ops::blocks::Observed;
use crate::ops::cbpe::{Calibration, Cbpe, THRESHOLD};
use crate::ops::drift::{feature_drift, Cell, DriftReference, FeatureDrift, Values};
use crate::ops::simulate::SimSettings;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Metric {
    FeaturePsi,
    KsPValue,
    Chi2PValue,
    JsDistance,
    PredictionPsi,
    EstimatedAccuracy,
    RealisedAccuracy,
    ChurnRateChange,
    MissingShare,
    UnseenShare,
    OutOfRangeShare,
}

impl Metric {
    pub const ALL: [Metric; 11] = [
        Metric::FeaturePsi,
        Metric::KsPValue,
        Metric::Chi2PValue,
        Metric::JsDistance,
        Metric::PredictionPsi,
        Metric::EstimatedAccuracy,
        Metric::RealisedAccuracy,
        Metric::ChurnRateChange,
        Metric::MissingShare,
        Metric::UnseenShare,
        Metric::OutOfRangeShare,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Metric::FeaturePsi => "feature-psi",
            Metric::KsPValue => "ks-p-value",
            Metric::Chi2PValue => "chi2-p-value",
            Metric::JsDistance => "js-distance",
            Metric::PredictionPsi => "prediction-psi",
            Metric::EstimatedAccuracy => "estimated-accuracy",
            Metric::RealisedAccuracy => "realised-accuracy",
            Metric::ChurnRateChange => "churn-rate-change",
            Metric::MissingShare => "missing-share",
            Metric::UnseenShare => "unseen-share",
            Metric::OutOfRangeShare => "out-of-range-share",
        }
    }

    pub fn from_id(id: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.id() == id)
    }

    pub fn label(self) -> &'static str {
        match self {
            Metric::FeaturePsi => "Feature PSI",
            Metric::KsPValue => "KS p-value (numbers)",
            Metric::Chi2PValue => "Chi-square p-value (categories)",
            Metric::JsDistance => "Jensen-Shannon distance (categories)",
            Metric::PredictionPsi => "Prediction drift (PSI of scores)",
            Metric::EstimatedAccuracy => "Estimated accuracy (CBPE)",
            Metric::RealisedAccuracy => "Realised accuracy",
            Metric::ChurnRateChange => "Change of churn rate",
            Metric::MissingShare => "Missing values (share)",
            Metric::UnseenShare => "Unseen categories (share)",
            Metric::OutOfRangeShare => "Outside the training range (share)",
        }
    }

    /// Whether the rule fires above its threshold (else below).
    pub fn fires_above(self) -> bool {
        !matches!(
            self,
            Metric::KsPValue
                | Metric::Chi2PValue
                | Metric::EstimatedAccuracy
                | Metric::RealisedAccuracy
        )
    }

    /// Whether the metric is measured per feature.
    pub fn per_feature(self) -> bool {
        matches!(
            self,
            Metric::FeaturePsi
                | Metric::KsPValue
                | Metric::Chi2PValue
                | Metric::JsDistance
                | Metric::MissingShare
                | Metric::UnseenShare
                | Metric::OutOfRangeShare
        )
    }

    /// Whether the metric needs the block's labels (so it is known only once they arrive).
    pub fn needs_labels(self) -> bool {
        matches!(self, Metric::RealisedAccuracy | Metric::ChurnRateChange)
    }
}

/// Fires when the metric crosses `threshold` for `consecutive` blocks in a
/// row; a per-feature metric watches one feature, or every feature.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub metric: Metric,
    pub threshold: f64,
    pub consecutive: usize,
    #[serde(default)]
    pub feature: Option<String>,
}

impl Rule {
    pub fn crosses(&self, v: f64) -> bool {
        if self.metric.fires_above() {
            v > self.threshold
        } else {
            v < self.threshold
        }
    }
}

/// A rule with its expected behaviour on undrifted traffic.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RuleCheck {
    pub rule: Rule,
    /// The chance that it fires on a given block of undrifted traffic.
    pub false_alarm_rate: f64,
    /// The threshold that would fire on [`TARGET_FALSE_ALARMS`] of such blocks.
    pub calibrated_threshold: f64,
}

/// The false-alarm rate calibrated thresholds aim at, per block.
pub const TARGET_FALSE_ALARMS: f64 = 0.01;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// Index of the rule in the report's rules.
    pub rule: usize,
    pub metric: Metric,
    pub feature: Option<String>,
    /// The block whose value crossed (the last of the run).
    pub block: usize,
    /// The block during which the alert could be raised: the same block, or
    /// for label-based metrics the block in which its labels were all in.
    pub raised_at: usize,
    pub value: f64,
}

/// Sensible first rules: PSI above 0.25 (the rule of thumb for a
/// significant shift) on any feature and on the scores, accuracy (estimated
/// or realised) below CBPE's lower threshold, a churn rate 10 points off the
/// reference, and any unseen category or more than 5% missing values.
pub fn default_rules(reference: &Reference, settings: &SimSettings) -> Vec<Rule> {
    let cbpe = Cbpe::fit(
        &reference.test_scores,
        &reference.test_labels,
        settings.block_size,
        Calibration::Off,
        settings.seed,
    );
    let floor = cbpe
        .lower_threshold
        .map_or(0.5, |t| (t * 1000.0).floor() / 1000.0);
    let rule = |metric, threshold, consecutive| Rule {
        metric,
        threshold,
        consecutive,
        feature: None,
    };
    vec![
        rule(Metric::FeaturePsi, 0.25, 1),
        rule(Metric::PredictionPsi, 0.25, 1),
        rule(Metric::EstimatedAccuracy, floor, 1),
        rule(Metric::RealisedAccuracy, floor, 1),
        rule(Metric::ChurnRateChange, 0.1, 1),
        rule(Metric::UnseenShare, 0.0, 1),
        rule(Metric::MissingShare, 0.05, 1),
    ]
}

fn feature_value(metric: Metric, d: &FeatureDrift, calls: usize) -> Option<f64> {
    let (missing, unseen, out) = d.quality_shares(calls);
    match metric {
        Metric::FeaturePsi => Some(d.psi),
        Metric::KsPValue => d.ks.map(|k| k.1),
        Metric::Chi2PValue => d.chi2.map(|c| c.1),
        Metric::JsDistance => d.js,
        Metric::MissingShare => Some(missing),
        Metric::UnseenShare => Some(unseen),
        Metric::OutOfRangeShare => Some(out),
        _ => None,
    }
}

/// Evaluates every rule on a report: the alerts, and each rule's rates.
pub fn evaluate_rules(
    rules: &[Rule],
    report: &Observed,
    settings: &SimSettings,
    reference: &Reference,
    drift_ref: &DriftReference,
    cbpe: &Cbpe,
) -> (Vec<RuleCheck>, Vec<Alert>) {
    let mut alerts = Vec::new();
    for (ri, rule) in rules.iter().enumerate() {
        // One series of values per watched feature (or one for the model).
        let series: Vec<(Option<String>, Vec<Option<f64>>)> = if rule.metric.per_feature() {
            report
                .features
                .iter()
                .enumerate()
                .filter(|(_, f)| rule.feature.as_ref().is_none_or(|want| want == *f))
                .map(|(fi, f)| {
                    (
                        Some(f.clone()),
                        report
                            .blocks
                            .iter()
                            .map(|b| {
                                feature_value(
                                    rule.metric,
                                    &report.drift[fi][b.block - 1],
                                    b.last_call + 1 - b.first_call,
                                )
                            })
                            .collect(),
                    )
                })
                .collect()
        } else {
            let values = report
                .blocks
                .iter()
                .map(|b| match rule.metric {
                    Metric::PredictionPsi => Some(b.prediction_psi),
                    Metric::EstimatedAccuracy => Some(b.estimated.accuracy),
                    Metric::RealisedAccuracy => b.realised.map(|r| r.accuracy),
                    Metric::ChurnRateChange => b
                        .realised
                        .map(|r| (r.churn_rate - report.reference_churn_rate).abs()),
                    _ => None,
                })
                .collect();
            vec![(None, values)]
        };
        for (feature, values) in series {
            let mut run = 0;
            for (b, v) in report.blocks.iter().zip(values) {
                match v {
                    Some(v) if rule.crosses(v) => {
                        run += 1;
                        if run >= rule.consecutive.max(1) {
                            let raised_at = if rule.metric.needs_labels() {
                                b.labels_block(settings.block_size).max(b.block)
                            } else {
                                b.block
                            };
                            alerts.push(Alert {
                                rule: ri,
                                metric: rule.metric,
                                feature: feature.clone(),
                                block: b.block,
                                raised_at,
                                value: v,
                            });
                        }
                    }
                    _ => run = 0,
                }
            }
        }
    }
    alerts.sort_by_key(|a| (a.raised_at, a.block, a.rule));
    let checks = rules
        .iter()
        .map(|r| check_rule(r, settings, reference, drift_ref, cbpe))
        .collect();
    (checks, alerts)
}

/// How many blocks to resample for a rate: fewer for big blocks.
fn resamples(block: usize, features: usize) -> usize {
    (20_000_000 / (block.max(1) * features.max(1))).clamp(20, 200)
}

/// The rule's metric on `resamples` blocks drawn from the reference.
fn resampled_values(
    rule: &Rule,
    settings: &SimSettings,
    reference: &Reference,
    drift_ref: &DriftReference,
    cbpe: &Cbpe,
) -> Vec<f64> {
    let b = settings.block_size.max(1);
    let mut rng = Rng::new(settings.seed ^ 0xa1e7);
    let r = resamples(b, drift_ref.columns.len());
    let rows = reference.rows();
    let tests = reference.test_scores.len();
    let mut out = Vec::with_capacity(r);
    for _ in 0..r {
        let value = if rule.metric.per_feature() {
            let idx: Vec<usize> = (0..b)
                .map(|_| rng.below(rows.max(1) as u64) as usize)
                .collect();
            let mut best: Option<f64> = None;
            for (fi, name) in drift_ref.names.iter().enumerate() {
                if rule.feature.as_ref().is_some_and(|f| f != name) {
                    continue;
                }
                let values = match &reference.columns[fi] {
                    ReferenceColumn::Numeric(v) => {
                        Values::Numeric(idx.iter().map(|&i| v[i]).collect())
                    }
                    ReferenceColumn::Categorical(v) => Values::Categorical(
                        idx.iter()
                            .map(|&i| v[i].map_or(Cell::Missing, Cell::Known))
                            .collect(),
                    ),
                };
                let d = feature_drift(&drift_ref.columns[fi], &values);
                if let Some(v) = feature_value(rule.metric, &d, b) {
                    best = Some(match best {
                        None => v,
                        Some(x) if rule.metric.fires_above() => x.max(v),
                        Some(x) => x.min(v),
                    });
                }
            }
            best
        } else {
            match rule.metric {
                Metric::PredictionPsi => {
                    let s: Vec<f64> = (0..b)
                        .map(|_| {
                            drift_ref.scores
                                [rng.below(drift_ref.scores.len().max(1) as u64) as usize]
                        })
                        .collect();
                    Some(drift_ref.score_psi(&s))
                }
                Metric::EstimatedAccuracy | Metric::RealisedAccuracy => {
                    let idx: Vec<usize> = (0..b)
                        .map(|_| rng.below(tests.max(1) as u64) as usize)
                        .collect();
                    let scores: Vec<f64> = idx.iter().map(|&i| reference.test_scores[i]).collect();
                    if rule.metric == Metric::EstimatedAccuracy {
                        Some(cbpe.estimate(&scores).accuracy)
                    } else {
                        Some(
                            idx.iter()
                                .filter(|&&i| {
                                    (reference.test_scores[i] >= THRESHOLD)
                                        == reference.test_labels[i]
                                })
                                .count() as f64
                                / b as f64,
                        )
                    }
                }
                Metric::ChurnRateChange => {
                    let base =
                        reference.labels.iter().filter(|l| **l).count() as f64 / rows.max(1) as f64;
                    let k = (0..b)
                        .filter(|_| reference.labels[rng.below(rows.max(1) as u64) as usize])
                        .count();
                    Some((k as f64 / b as f64 - base).abs())
                }
                _ => None,
            }
        };
        if let Some(v) = value.filter(|v| v.is_finite()) {
            out.push(v);
        }
    }
    out
}

fn check_rule(
    rule: &Rule,
    settings: &SimSettings,
    reference: &Reference,
    drift_ref: &DriftReference,
    cbpe: &Cbpe,
) -> RuleCheck {
    let mut values = resampled_values(rule, settings, reference, drift_ref, cbpe);
    values.sort_by(f64::total_cmp);
    let k = rule.consecutive.max(1) as i32;
    let per_block =
        values.iter().filter(|v| rule.crosses(**v)).count() as f64 / values.len().max(1) as f64;
    let target = libm::pow(TARGET_FALSE_ALARMS, 1.0 / k as f64);
    let calibrated_threshold = if rule.metric.fires_above() {
        quantile(&values, 1.0 - target)
    } else {
        quantile(&values, target)
    };
    RuleCheck {
        rule: rule.clone(),
        false_alarm_rate: per_block.powi(k),
        calibrated_threshold,
    }
}

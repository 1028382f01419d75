//! The workshop's simulation of traffic to the deployed model: customers
//! drawn with a seed from a dataset (with the scenario's weights once it
//! starts), sent one by one through the endpoint's contract (`explain` with
//! LIME up to [`EXPLAIN_LIMIT`] calls, `predict` beyond), each call logged
//! with an id and a simulated time, and the true label delivered a number of
//! calls later, corrupted as the scenario says. The same settings and seed
//! give the same log, but for the processing times, which are measured.

use serde::{Deserialize, Serialize};

use crate::common::rng::Rng;
use crate::data::table::Table;
use crate::explain::customer::{encode, probability, FeatureValue};
use crate::explain::endpoint::lime_weights;
use crate::explain::lime::Lime;
use crate::model::features::category_label;
use crate::model::pipeline::{ColumnStats, SavedModel};
use crate::ops::cbpe::Calibration;
use crate::ops::drift::{Cell, Values};
use crate::ops::log::Log;
use crate::ops::scenario::Scenario;

/// Runs up to this many calls explain every call (as the workshop's); longer
/// runs only predict.
pub const EXPLAIN_LIMIT: usize = 10_000;
pub const MAX_CALLS: usize = 1_000_000;
/// The most blocks a run may have (a heat map column each).
pub const MAX_BLOCKS: usize = 1_000;
/// Simulated time starts on Monday 5 January 2026, 09:00 UTC.
pub const SIM_EPOCH_MS: f64 = 1_767_603_600_000.0;

/// A simulation's settings, as the learner typed them (checked by [`SimSettings::check`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SimSettings {
    pub calls: usize,
    pub block_size: usize,
    /// The dataset customers are drawn from, by name (`churn` is the active one).
    pub source: String,
    pub seed: u64,
    pub scenario: Scenario,
    /// Calls between a prediction and the arrival of its true label.
    pub label_delay: usize,
    pub calls_per_hour: f64,
    pub calibration: Calibration,
}

impl Default for SimSettings {
    fn default() -> Self {
        SimSettings {
            calls: 1_000,
            block_size: 100,
            source: "churn".into(),
            seed: 42,
            scenario: Scenario::default(),
            label_delay: 100,
            calls_per_hour: 100.0,
            calibration: Calibration::Auto,
        }
    }
}

/// A setting the simulation cannot run with; the message names it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct SettingError(pub String);

impl SimSettings {
    pub fn blocks(&self) -> usize {
        self.calls.div_ceil(self.block_size.max(1))
    }

    /// Whether each call is explained (else only predicted).
    pub fn explains(&self) -> bool {
        self.calls <= EXPLAIN_LIMIT
    }

    /// Checks the settings against the model and the source table.
    pub fn check(&self, model: &SavedModel, source: &Table) -> Result<(), SettingError> {
        let bad = |m: String| Err(SettingError(m));
        if self.calls == 0 || self.calls > MAX_CALLS {
            return bad(format!(
                "Number of calls: give a number from 1 to {MAX_CALLS}, not {}.",
                self.calls
            ));
        }
        if self.block_size == 0 || self.block_size > self.calls {
            return bad(format!(
                "Block size: give a number from 1 to the number of calls ({}), not {}.",
                self.calls, self.block_size
            ));
        }
        if self.blocks() > MAX_BLOCKS {
            return bad(format!(
                "Block size: {} calls in blocks of {} make {} blocks; use blocks of at least {} (at most {MAX_BLOCKS} blocks).",
                self.calls,
                self.block_size,
                self.blocks(),
                self.calls.div_ceil(MAX_BLOCKS)
            ));
        }
        if !(self.calls_per_hour > 0.0 && self.calls_per_hour.is_finite()) {
            return bad("Calls per hour: give a positive number.".into());
        }
        let missing: Vec<&str> = model
            .stats
            .iter()
            .map(|s| s.column())
            .filter(|c| source.column(c).is_none())
            .collect();
        if !missing.is_empty() {
            return bad(format!(
                "Customers from: \"{}\" has no column {} that the model needs.",
                self.source,
                missing
                    .iter()
                    .map(|c| format!("\"{c}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if source.column(&model.target).is_none() {
            return bad(format!("Customers from: \"{}\" has no \"{}\" column, so the simulation has no true labels to deliver.", self.source, model.target));
        }
        self.scenario
            .check(model, self.blocks())
            .map_err(|e| SettingError(format!("Scenario: {e}.")))
    }
}

/// A deterministic id shaped like a version-4 UUID.
fn prediction_id(rng: &mut Rng) -> String {
    let (a, b) = (rng.next_u64(), rng.next_u64());
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0x0fff,
        0x8000 | (b >> 48) & 0x3fff,
        b & 0xffff_ffff_ffff
    )
}

/// Draws an index from cumulative weights.
fn draw(cumulative: &[f64], rng: &mut Rng) -> usize {
    let total = cumulative.last().copied().unwrap_or(0.0);
    let x = rng.next_f64() * total;
    cumulative
        .partition_point(|c| *c <= x)
        .min(cumulative.len().saturating_sub(1))
}

fn cumulate(weights: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut acc = 0.0;
    weights
        .map(|w| {
            acc += w;
            acc
        })
        .collect()
}

/// Runs the simulation. `clock` gives milliseconds (for processing times);
/// `progress(done, total)` returns false to cancel. Settings must have
/// passed [`SimSettings::check`].
pub fn simulate(
    model: &SavedModel,
    lime: Option<&Lime>,
    source: &Table,
    settings: &SimSettings,
    clock: &mut dyn FnMut() -> f64,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Option<Log> {
    let target = source.column(&model.target).map(|c| &c.data)?;
    // Rows with a label can be drawn.
    let labelled: Vec<usize> = (0..source.num_rows())
        .filter(|&r| category_label(target, r).is_some())
        .collect();
    if labelled.is_empty() {
        return None;
    }
    let positive: Vec<bool> = (0..source.num_rows())
        .map(|r| category_label(target, r).is_some_and(|l| l == model.positive))
        .collect();
    let uniform = cumulate(labelled.iter().map(|_| 1.0));
    let tilted = settings
        .scenario
        .row_weights(model, source, &positive)
        .map(|w| cumulate(labelled.iter().map(|&r| w[r])));
    let columns: Vec<_> = model
        .stats
        .iter()
        .map(|s| source.column(s.column()).map(|c| &c.data))
        .collect();

    let n = settings.calls;
    let d = model.stats.len();
    let mut draws = Rng::new(settings.seed);
    let mut ids = Rng::new(settings.seed ^ 0x1d5);
    let mut flips = Rng::new(settings.seed ^ 0xf11b);
    let explain = settings.explains() && lime.is_some();
    let first_drifted = settings.scenario.first_call(settings.block_size);
    let mut log = Log {
        ids: Vec::with_capacity(n),
        time_ms: Vec::with_capacity(n),
        values: model
            .stats
            .iter()
            .map(|s| match s {
                ColumnStats::Numeric { .. } => Values::Numeric(Vec::with_capacity(n)),
                ColumnStats::Categorical { .. } => Values::Categorical(Vec::with_capacity(n)),
            })
            .collect(),
        probability: Vec::with_capacity(n),
        latency_ms: Vec::with_capacity(n),
        true_label: Vec::with_capacity(n),
        label: Vec::with_capacity(n),
        label_at: Vec::with_capacity(n),
        explanations: explain.then(|| Vec::with_capacity(n * d)),
        served_by: model.build_id.clone(),
    };
    let mut customer: Vec<FeatureValue> = Vec::with_capacity(d);
    for i in 0..n {
        if i % 256 == 0 && !progress(i, n) {
            return None;
        }
        let pool = match &tilted {
            Some(t) if i >= first_drifted => t,
            _ => &uniform,
        };
        let row = labelled[draw(pool, &mut draws)];
        // The customer as sent, and as the endpoint reads it: a missing
        // field takes its default; a category the model never saw is
        // refused, as the endpoint refuses it.
        customer.clear();
        let mut refused = false;
        for ((s, data), values) in model.stats.iter().zip(&columns).zip(log.values.iter_mut()) {
            match (s, values) {
                (ColumnStats::Numeric { median, .. }, Values::Numeric(v)) => {
                    let x = data.and_then(|d| d.number(row));
                    v.push(x);
                    customer.push(FeatureValue::Number(x.unwrap_or(*median)));
                }
                (ColumnStats::Categorical { categories, .. }, Values::Categorical(v)) => {
                    let label = data.and_then(|d| category_label(d, row));
                    let cell = match &label {
                        None => Cell::Missing,
                        Some(l) => crate::model::features::category_index(categories, l)
                            .map_or(Cell::Unseen, |k| Cell::Known(k as u16)),
                    };
                    refused |= cell == Cell::Unseen;
                    v.push(cell);
                    customer.push(FeatureValue::Category(match cell {
                        Cell::Known(k) => categories[k as usize].clone(),
                        _ => categories.first().cloned().unwrap_or_default(),
                    }));
                }
                _ => {}
            }
        }
        let started = clock();
        let p = if refused {
            f64::NAN
        } else {
            probability(model, &encode(model, &customer))
        };
        if let (Some(w), Some(lime)) = (log.explanations.as_mut(), lime) {
            if refused {
                w.extend(std::iter::repeat_n(f64::NAN, d));
            } else {
                w.extend(lime_weights(lime, &customer));
            }
        }
        log.latency_ms.push(clock() - started);
        log.probability.push(p);
        log.ids.push(prediction_id(&mut ids));
        log.time_ms
            .push(SIM_EPOCH_MS + (i as f64 * 3_600_000.0 / settings.calls_per_hour).round());
        let truth = positive[row];
        let flip = flips.bernoulli(settings.scenario.corruption(i, n, settings.block_size));
        log.true_label.push(truth);
        log.label.push(truth != flip);
        log.label_at.push((i + 1 + settings.label_delay) as u64);
    }
    progress(n, n);
    Some(log)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::scenario::ScenarioKind;

    fn fixture() -> (Table, SavedModel) {
        crate::model::pipeline::synthetic_model(2000, 11)
    }

    #[test]
    fn the_same_seed_gives_the_same_log() {
        let (t, m) = fixture();
        let lime = Lime::new(&m);
        let s = SimSettings {
            calls: 100,
            block_size: 50,
            ..SimSettings::default()
        };
        s.check(&m, &t).unwrap();
        let mut tick = 0.0;
        let mut clock = || {
            tick += 0.5;
            tick
        };
        let a = simulate(&m, Some(&lime), &t, &s, &mut clock, &mut |_, _| true).unwrap();
        let b = simulate(&m, Some(&lime), &t, &s, &mut clock, &mut |_, _| true).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.len(), 100);
        assert!(a.explanations.as_ref().is_some_and(|w| w.len() == 100 * 19));
        assert_ne!(a.ids[0], a.ids[1]);
        assert_eq!(a.ids[0].len(), 36);
        let other = simulate(
            &m,
            Some(&lime),
            &t,
            &SimSettings {
                seed: 43,
                ..s.clone()
            },
            &mut clock,
            &mut |_, _| true,
        )
        .unwrap();
        assert_ne!(a.probability, other.probability);
    }

    #[test]
    fn bad_settings_name_the_setting() {
        let (t, m) = fixture();
        let err = |s: SimSettings| s.check(&m, &t).unwrap_err().to_string();
        assert!(err(SimSettings {
            calls: 0,
            ..SimSettings::default()
        })
        .starts_with("Number of calls"));
        assert!(err(SimSettings {
            calls: 10,
            block_size: 11,
            ..SimSettings::default()
        })
        .starts_with("Block size"));
        let scenario = Scenario {
            kind: ScenarioKind::FeatureDrift,
            column: "nope".into(),
            toward: "lower".into(),
            ..Scenario::default()
        };
        assert!(err(SimSettings {
            scenario,
            ..SimSettings::default()
        })
        .contains("\"nope\" is not a column of the model"));
        let narrow = Table::try_new("x", vec![t.columns()[0].clone()]).unwrap();
        assert!(SimSettings::default()
            .check(&m, &narrow)
            .unwrap_err()
            .to_string()
            .contains("has no column"));
    }

    #[test]
    fn label_corruption_flips_a_growing_share_of_labels() {
        let (t, m) = fixture();
        let s = SimSettings {
            calls: 4000,
            block_size: 400,
            ..SimSettings::default()
        };
        let log = simulate(&m, None, &t, &s, &mut || 0.0, &mut |_, _| true).unwrap();
        assert!(log.explanations.is_none(), "no LIME given: predict only");
        let flipped = |r: std::ops::Range<usize>| {
            r.clone()
                .filter(|&i| log.label[i] != log.true_label[i])
                .count() as f64
                / r.len() as f64
        };
        assert!(
            flipped(0..400) < 0.15 && flipped(3600..4000) > 0.8,
            "{} {}",
            flipped(0..400),
            flipped(3600..4000)
        );
    }
}

//! Everything the Operations page shows about a simulation: the blocks and
//! drift observed in its log, the alerts its rules raise with their rates
//! of false alarms, and the scenario's answer key.

use serde::{Deserialize, Serialize};

use crate::model::pipeline::SavedModel;
use crate::model::reference::Reference;
use crate::ops::alerts::{evaluate_rules, Alert, Rule, RuleCheck};
use crate::ops::answer::{answer_key, AnswerKey};
use crate::ops::blocks::{observe, Observed};
use crate::ops::cbpe::Cbpe;
use crate::ops::drift::DriftReference;
use crate::ops::log::Log;
use crate::ops::simulate::SimSettings;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub observed: Observed,
    pub calibrated: bool,
    pub reference_accuracy: f64,
    pub lower_threshold: Option<f64>,
    pub upper_threshold: Option<f64>,
    pub rules: Vec<RuleCheck>,
    pub alerts: Vec<Alert>,
    pub answer: AnswerKey,
}

impl Report {
    /// The blocks as known once call `as_of` had been made: blocks that had
    /// begun, with realised metrics only where their labels were all in.
    pub fn blocks_as_of(&self, as_of: usize) -> Vec<crate::ops::blocks::BlockReport> {
        self.observed
            .blocks
            .iter()
            .filter(|b| b.first_call <= as_of)
            .map(|b| {
                let mut b = b.clone();
                if b.labels_at_call > as_of {
                    b.realised = None;
                }
                b
            })
            .collect()
    }

    /// The alerts that could have been raised once call `as_of` had been made.
    pub fn alerts_as_of(&self, as_of: usize, block_size: usize) -> Vec<&Alert> {
        let block = as_of.div_ceil(block_size.max(1));
        self.alerts
            .iter()
            .filter(|a| a.raised_at <= block)
            .collect()
    }
}

/// Works out the report of `log`, as known once the call `as_of` had been
/// made (labels arriving later are not in yet; `usize::MAX` for all).
pub fn report(
    model: &SavedModel,
    reference: &Reference,
    log: &Log,
    settings: &SimSettings,
    rules: &[Rule],
    as_of: usize,
) -> Report {
    let cbpe = Cbpe::fit(
        &reference.test_scores,
        &reference.test_labels,
        settings.block_size,
        settings.calibration,
        settings.seed,
    );
    let drift_ref = DriftReference::new(model, reference);
    let observed = observe(
        reference,
        &drift_ref,
        &cbpe,
        log,
        settings.block_size,
        as_of,
    );
    let (rules, alerts) = evaluate_rules(rules, &observed, settings, reference, &drift_ref, &cbpe);
    let answer = answer_key(&observed, &alerts, settings);
    Report {
        observed,
        calibrated: cbpe.is_calibrated(),
        reference_accuracy: cbpe.reference_accuracy,
        lower_threshold: cbpe.lower_threshold,
        upper_threshold: cbpe.upper_threshold,
        rules,
        alerts,
        answer,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::alerts::default_rules;
    use crate::ops::scenario::{Scenario, ScenarioKind};
    use crate::ops::simulate::simulate;

    #[test]
    fn the_workshops_run_loses_accuracy_as_labels_are_corrupted() {
        let (t, m) = crate::model::pipeline::synthetic_model(3000, 5);
        let reference = m.reference.clone().unwrap();
        let s = SimSettings {
            calls: 1000,
            block_size: 100,
            label_delay: 50,
            ..SimSettings::default()
        };
        let log = simulate(&m, None, &t, &s, &mut || 0.0, &mut |_, _| true).unwrap();
        let rules = default_rules(&reference, &s);
        let r = report(&m, &reference, &log, &s, &rules, usize::MAX);
        assert_eq!(r.observed.blocks.len(), 10);
        let acc = |i: usize| r.observed.blocks[i].realised.unwrap().accuracy;
        assert!(acc(0) > 0.7 && acc(9) < 0.3, "{} … {}", acc(0), acc(9));
        // The estimate cannot see labels: it stays near the reference.
        assert!((r.observed.blocks[9].estimated.accuracy - r.reference_accuracy).abs() < 0.1);
        assert!(r.answer.caught("realised accuracy"));
        assert!(!r.answer.caught("estimated accuracy"));
        // As of call 500, later blocks have no labels yet.
        let early = report(&m, &reference, &log, &s, &rules, 500);
        assert_eq!(early.observed.blocks.len(), 5);
        assert!(
            early.observed.blocks[4].realised.is_none()
                && early.observed.blocks[3].realised.is_some()
        );
    }

    #[test]
    fn feature_drift_shows_in_its_psi_and_the_estimate_follows() {
        let (t, m) = crate::model::pipeline::synthetic_model(3000, 6);
        let reference = m.reference.clone().unwrap();
        let scenario = Scenario {
            kind: ScenarioKind::FeatureDrift,
            start_block: 4,
            strength: 1.0,
            column: "tenure".into(),
            toward: "lower".into(),
        };
        let s = SimSettings {
            calls: 1000,
            block_size: 100,
            scenario,
            ..SimSettings::default()
        };
        let log = simulate(&m, None, &t, &s, &mut || 0.0, &mut |_, _| true).unwrap();
        let rules = default_rules(&reference, &s);
        let r = report(&m, &reference, &log, &s, &rules, usize::MAX);
        let tenure = r
            .observed
            .features
            .iter()
            .position(|f| f == "tenure")
            .unwrap();
        assert!(
            r.observed.drift[tenure][2].psi < 0.25 && r.observed.drift[tenure][4].psi > 0.25,
            "{:?}",
            r.observed.drift[tenure]
                .iter()
                .map(|d| d.psi)
                .collect::<Vec<_>>()
        );
        let first = r
            .alerts
            .iter()
            .filter(|a| a.feature.as_deref() == Some("tenure"))
            .map(|a| a.block)
            .min()
            .unwrap();
        assert!(
            (4..=5).contains(&first),
            "first tenure alert in block {first}"
        );
        assert!(r.answer.caught("drift of tenure"));
    }
}

//! The scenario's answer key: which signals caught the drift the learner
//! injected, and how many blocks after it began (counting from the block in
//! which the alert could be raised, so a signal that waits for labels pays
//! for the wait); and how many alerts fired before it began (false alarms).

use serde::{Deserialize, Serialize};

use crate::ops::alerts::{Alert, Metric};
use crate::ops::blocks::Observed;
use crate::ops::scenario::ScenarioKind;
use crate::ops::simulate::SimSettings;

/// Whether a scenario moves a signal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Expectation {
    /// By design: it must fire.
    Yes,
    /// It depends on the model and the data.
    Maybe,
    /// It cannot see this scenario: an alert is a false alarm.
    #[default]
    No,
}

impl Expectation {
    pub fn label(self) -> &'static str {
        match self {
            Expectation::Yes => "yes, by design",
            Expectation::Maybe => "it can, depending on the model",
            Expectation::No => "no: an alert is a false alarm",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Signal {
    pub name: String,
    /// Whether this scenario should move it.
    pub expected: Expectation,
    /// The first block, at or after the start, in which it raised an alert.
    pub first_block: Option<usize>,
    /// Alerts it raised before the scenario began.
    pub false_alarms: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AnswerKey {
    pub scenario: Option<ScenarioKind>,
    pub start_block: usize,
    pub signals: Vec<Signal>,
    pub notes: String,
}

impl AnswerKey {
    /// Whether the signal called `name` raised an alert once the scenario began.
    pub fn caught(&self, name: &str) -> bool {
        self.signals
            .iter()
            .any(|s| s.name == name && s.first_block.is_some())
    }

    /// Blocks between the start and the first alert of `name`.
    pub fn delay(&self, name: &str) -> Option<usize> {
        self.signals
            .iter()
            .find(|s| s.name == name)?
            .first_block
            .map(|b| b.saturating_sub(self.start_block))
    }
}

fn notes(kind: ScenarioKind) -> &'static str {
    match kind {
        ScenarioKind::None => "Nothing changed, so every alert here is a false alarm: compare their number with each rule's false-alarm rate.",
        ScenarioKind::LabelCorruption => {
            "The customers did not change, only what their labels say: no drift statistic and no estimate can see this (CBPE trusts the model's probabilities). Only the realised metrics do, and only once the labels arrive."
        }
        ScenarioKind::FeatureDrift => {
            "Customers were drawn differently but each kept their real label, so the model's probabilities stay right: the drift statistics see the shift at once, and the estimated accuracy follows the realised accuracy before the labels arrive."
        }
        ScenarioKind::ChurnRate => {
            "More churners were drawn: the scores move (prediction drift), the estimate moves with them, and the realised churn rate confirms it once the labels arrive."
        }
    }
}

/// A signal the answer key looks for: its name, whether the scenario
/// should raise it, and which alerts are it.
type Sought = (String, Expectation, Box<dyn Fn(&Alert) -> bool>);

/// The answer key of a run from its alerts.
pub fn answer_key(observed: &Observed, alerts: &[Alert], settings: &SimSettings) -> AnswerKey {
    let scenario = &settings.scenario;
    let kind = scenario.kind;
    let start = if kind == ScenarioKind::None {
        observed.blocks.len() + 1
    } else {
        scenario.start_block
    };
    let drifted = (kind == ScenarioKind::FeatureDrift).then(|| scenario.column.clone());
    let is_drift_metric = |m: Metric| {
        matches!(
            m,
            Metric::FeaturePsi | Metric::KsPValue | Metric::Chi2PValue | Metric::JsDistance
        )
    };
    use Expectation::{Maybe, No, Yes};
    // What each scenario moves: label corruption only what the labels say;
    // a drifting feature itself (and, through the data, maybe the rest);
    // more churners the churn rate (and maybe what churners look like).
    let expect = |label: Expectation, drift: Expectation, churn: Expectation| match kind {
        ScenarioKind::None => No,
        ScenarioKind::LabelCorruption => label,
        ScenarioKind::FeatureDrift => drift,
        ScenarioKind::ChurnRate => churn,
    };
    let mut signals: Vec<Sought> = Vec::new();
    if let Some(f) = drifted.clone() {
        let name = f.clone();
        signals.push((
            format!("drift of {f}"),
            Yes,
            Box::new(move |a: &Alert| {
                is_drift_metric(a.metric) && a.feature.as_deref() == Some(name.as_str())
            }),
        ));
    }
    let other = drifted.clone();
    signals.push((
        if drifted.is_some() {
            "drift of other features".into()
        } else {
            "feature drift".into()
        },
        expect(No, Maybe, Maybe),
        Box::new(move |a: &Alert| is_drift_metric(a.metric) && a.feature != other),
    ));
    signals.push((
        "prediction drift".into(),
        expect(No, Maybe, Maybe),
        Box::new(|a: &Alert| a.metric == Metric::PredictionPsi),
    ));
    signals.push((
        "estimated accuracy".into(),
        expect(No, Maybe, Maybe),
        Box::new(|a: &Alert| a.metric == Metric::EstimatedAccuracy),
    ));
    signals.push((
        "realised accuracy".into(),
        expect(Yes, Maybe, Maybe),
        Box::new(|a: &Alert| a.metric == Metric::RealisedAccuracy),
    ));
    signals.push((
        "churn rate".into(),
        expect(Yes, Maybe, Yes),
        Box::new(|a: &Alert| a.metric == Metric::ChurnRateChange),
    ));
    signals.push((
        "data quality".into(),
        No,
        Box::new(|a: &Alert| {
            matches!(
                a.metric,
                Metric::MissingShare | Metric::UnseenShare | Metric::OutOfRangeShare
            )
        }),
    ));
    let signals = signals
        .into_iter()
        .map(|(name, expected, matches)| {
            let mine: Vec<&Alert> = alerts.iter().filter(|a| matches(a)).collect();
            Signal {
                name,
                expected,
                // An alert about a block before the start is a false alarm,
                // even when its labels arrived later.
                first_block: mine
                    .iter()
                    .filter(|a| a.block >= start)
                    .map(|a| a.raised_at)
                    .min(),
                false_alarms: mine.iter().filter(|a| a.block < start).count(),
            }
        })
        .collect();
    AnswerKey {
        scenario: Some(kind),
        start_block: start.min(observed.blocks.len() + 1),
        signals,
        notes: notes(kind).into(),
    }
}

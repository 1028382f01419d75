//! What the app picks when the learner has not chosen: the target and its
//! positive class, and the features (every visible column but the target
//! and those the data check leaves out).

use serde::{Deserialize, Serialize};

use crate::data::table::{ColumnData, Table};
use crate::model::config::TrainConfig;
use crate::model::datacheck::{feature_defaults, Exclusion};
use crate::model::features::category_label;

/// The two labels of a column with exactly two non-null values, sorted.
pub fn binary_labels(data: &ColumnData) -> Option<[String; 2]> {
    let mut seen: Vec<String> = Vec::new();
    for r in 0..data.len() {
        if let Some(label) = category_label(data, r) {
            if !seen.contains(&label) {
                seen.push(label);
                if seen.len() > 2 {
                    return None;
                }
            }
        }
    }
    seen.sort();
    match seen.as_slice() {
        [a, b] => Some([a.clone(), b.clone()]),
        _ => None,
    }
}

/// Columns that can be the target, with their two labels.
pub fn target_candidates(table: &Table) -> Vec<(String, [String; 2])> {
    table
        .columns()
        .iter()
        .filter(|c| !c.hidden)
        .filter_map(|c| binary_labels(&c.data).map(|l| (c.name.clone(), l)))
        .collect()
}

/// The positive class of a target: "Yes", "1" or "true" when present, else the second label.
pub fn default_positive(labels: &[String; 2]) -> String {
    labels
        .iter()
        .find(|l| ["yes", "1", "true"].contains(&l.to_ascii_lowercase().as_str()))
        .unwrap_or(&labels[1])
        .clone()
}

/// The default features: every visible column but the target and those the
/// data check leaves out ([`crate::model::datacheck`]).
pub fn default_features(table: &Table, target: &str, positive: &str) -> Vec<String> {
    included(&feature_defaults(table, target, positive))
}

/// The columns of `defaults` that nothing leaves out.
pub fn included(defaults: &[(String, Option<Exclusion>)]) -> Vec<String> {
    defaults
        .iter()
        .filter(|(_, why)| why.is_none())
        .map(|(name, _)| name.clone())
        .collect()
}

/// Names churn tables give the column that says who left.
const TARGET_NAMES: [&str; 9] = [
    "Exited",
    "Churned",
    "Attrition",
    "Attrited",
    "Left",
    "Cancelled",
    "Canceled",
    "Target",
    "Label",
];

/// A table's default target and positive class: Churn/"Yes" when it
/// exists, else a yes/no column named as churn tables name it, else the
/// last yes/no column.
pub fn default_target(table: &Table) -> (String, String) {
    let candidates = target_candidates(table);
    let named = |names: &[&str]| {
        candidates
            .iter()
            .find(|(n, _)| names.iter().any(|x| n.eq_ignore_ascii_case(x)))
    };
    let (target, labels) = named(&["Churn"])
        .or_else(|| named(&TARGET_NAMES))
        .or_else(|| {
            candidates
                .iter()
                .find(|(n, _)| n.to_ascii_lowercase().contains("churn"))
        })
        .or(candidates.last())
        .cloned()
        .unwrap_or_else(|| (String::new(), [String::new(), String::new()]));
    let positive = default_positive(&labels);
    (target, positive)
}

/// A table's default configuration: its default target, and every column
/// the data check does not leave out.
pub fn default_config(table: &Table) -> TrainConfig {
    let (target, positive) = default_target(table);
    TrainConfig {
        features: default_features(table, &target, &positive),
        positive,
        target,
        ..TrainConfig::default()
    }
}

/// What the Train form shows for a target: the target and positive class
/// (the table's defaults where not given), the target's two labels if it
/// has exactly two, and why each other column is left out by default.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TargetFacts {
    pub target: String,
    pub positive: String,
    pub labels: Option<[String; 2]>,
    pub defaults: Vec<(String, Option<Exclusion>)>,
}

/// [`TargetFacts`] for `target` (the table's default when `None`) and
/// `positive` (the target's default positive class when `None`).
pub fn target_facts(table: &Table, target: Option<&str>, positive: Option<&str>) -> TargetFacts {
    let (target, default) = match target {
        Some(t) => (t.to_owned(), None),
        None => {
            let (t, p) = default_target(table);
            (t, Some(p))
        }
    };
    let labels = table.column(&target).and_then(|c| binary_labels(&c.data));
    let positive = positive
        .map(str::to_owned)
        .or(default)
        .or_else(|| labels.as_ref().map(default_positive))
        .unwrap_or_default();
    let defaults = feature_defaults(table, &target, &positive);
    TargetFacts {
        target,
        positive,
        labels,
        defaults,
    }
}

//! What the app picks when the learner has not chosen: the target and its
//! positive class, and the features (every visible column but the target
//! and ID-like ones).

use crate::data::table::{ColumnData, ColumnType, Table};
use crate::model::config::TrainConfig;
use crate::model::features::category_label;

/// Text columns whose values are nearly all distinct (customer IDs):
/// useless as features.
pub fn id_like_columns(table: &Table) -> Vec<String> {
    table
        .columns()
        .iter()
        .filter(|c| c.column_type() == ColumnType::Text || c.column_type() == ColumnType::Categorical)
        .filter(|c| {
            let mut values: Vec<&str> = (0..c.data.len()).filter_map(|r| c.data.str_value(r)).collect();
            let n = values.len();
            values.sort_unstable();
            values.dedup();
            n >= 20 && values.len() as f64 >= 0.9 * n as f64
        })
        .map(|c| c.name.clone())
        .collect()
}

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
    table.columns().iter().filter(|c| !c.hidden).filter_map(|c| binary_labels(&c.data).map(|l| (c.name.clone(), l))).collect()
}

/// The positive class of a target: "Yes", "1" or "true" when present, else the second label.
pub fn default_positive(labels: &[String; 2]) -> String {
    labels.iter().find(|l| ["yes", "1", "true"].contains(&l.to_ascii_lowercase().as_str())).unwrap_or(&labels[1]).clone()
}

/// The default features: every visible column but the target and ID-like ones.
pub fn default_features(table: &Table, target: &str) -> Vec<String> {
    let ids = id_like_columns(table);
    table
        .columns()
        .iter()
        .filter(|c| !c.hidden && c.name != target && !ids.contains(&c.name) && c.column_type() != ColumnType::Text)
        .map(|c| c.name.clone())
        .collect()
}

/// A table's default configuration: Churn/"Yes" when it exists.
pub fn default_config(table: &Table) -> TrainConfig {
    let candidates = target_candidates(table);
    let (target, labels) = candidates
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("Churn"))
        .or(candidates.last())
        .cloned()
        .unwrap_or_else(|| (String::new(), [String::new(), String::new()]));
    TrainConfig { features: default_features(table, &target), positive: default_positive(&labels), target, ..TrainConfig::default() }
}


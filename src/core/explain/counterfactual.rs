//! "What would keep this customer?": exact counterfactuals for the linear
//! model, over its columns' categories and training ranges.

use crate::explain::customer::{contributions, encode, FeatureValue};
use crate::model::pipeline::{ColumnStats, SavedModel};

/// One way to bring a customer below the threshold.
#[derive(Clone, Debug, PartialEq)]
pub struct Counterfactual {
    /// (model column index, new value), fewest first.
    pub changes: Vec<(usize, FeatureValue)>,
    pub probability: f64,
}

/// The columns a retention offer cannot change, by default.
pub const DEFAULT_LOCKED: [&str; 6] = ["gender", "SeniorCitizen", "Partner", "Dependents", "tenure", "TotalCharges"];

/// "What would keep this customer?": the smallest sets of changes to
/// unlocked columns that bring the probability below `threshold`. The model
/// is additive in its columns, so each column's best change (the category,
/// or the end of the training range, that lowers the log-odds most) is
/// independent of the others, and the fewest columns that suffice are found
/// exactly by trying sets in order of size. Up to `limit` sets of the
/// smallest size are returned, lowest probability first (sets one larger
/// are added when fewer exist).
pub fn counterfactuals(model: &SavedModel, values: &[FeatureValue], locked: &[String], threshold: f64, limit: usize) -> Vec<Counterfactual> {
    let x = encode(model, values);
    let now = contributions(model, &x);
    let logit0 = model.model.intercept + now.iter().sum::<f64>();
    // Each unlocked column's best alternative and how much it lowers the log-odds.
    let mut options: Vec<(usize, FeatureValue, f64)> = Vec::new();
    for (i, s) in model.stats.iter().enumerate() {
        if locked.iter().any(|l| l == s.column()) {
            continue;
        }
        let candidates: Vec<FeatureValue> = match s {
            ColumnStats::Categorical { categories, .. } => categories.iter().map(|c| FeatureValue::Category(c.clone())).collect(),
            ColumnStats::Numeric { min, max, .. } => vec![FeatureValue::Number(*min), FeatureValue::Number(*max)],
        };
        let mut best: Option<(FeatureValue, f64)> = None;
        for c in candidates {
            if c == values[i] {
                continue;
            }
            let mut trial = values.to_vec();
            trial[i] = c.clone();
            let after = contributions(model, &encode(model, &trial))[i];
            let gain = now[i] - after;
            if gain > 1e-9 && best.as_ref().is_none_or(|b| gain > b.1) {
                best = Some((c, gain));
            }
        }
        if let Some((v, gain)) = best {
            options.push((i, v, gain));
        }
    }
    let target = libm::log(threshold / (1.0 - threshold));
    let mut found: Vec<Counterfactual> = Vec::new();
    let n = options.len();
    let mut size = 1;
    while size <= n.min(6) && found.len() < limit {
        let before = found.len();
        let mut idx: Vec<usize> = (0..size).collect();
        loop {
            let gain: f64 = idx.iter().map(|&k| options[k].2).sum();
            if logit0 - gain < target {
                let mut changes: Vec<(usize, FeatureValue)> = idx.iter().map(|&k| (options[k].0, options[k].1.clone())).collect();
                changes.sort_by_key(|c| c.0);
                found.push(Counterfactual { changes, probability: crate::model::logistic::sigmoid(logit0 - gain) });
            }
            // Next combination of `size` out of `n`.
            let mut k = size;
            while k > 0 && idx[k - 1] == n - size + k - 1 {
                k -= 1;
            }
            if k == 0 {
                break;
            }
            idx[k - 1] += 1;
            for j in k..size {
                idx[j] = idx[j - 1] + 1;
            }
        }
        found[before..].sort_by(|a, b| a.probability.total_cmp(&b.probability));
        if found.len() > before {
            found.truncate(before + (limit - before).min(found.len() - before));
        }
        size += 1;
    }
    found.truncate(limit);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::customer::probability;
    use crate::explain::endpoint::parse_input;
    use serde_json::json;

    #[test]
    fn the_smallest_changes_bring_a_risky_customer_below_the_threshold() {
        let m = crate::model::pipeline::synthetic_model(2000, 12).1;
        let risky = parse_input(&m, &json!({"tenure": 1, "Contract": "Month-to-month", "InternetService": "Fiber optic",
            "PaymentMethod": "Electronic check", "PaperlessBilling": "Yes", "MonthlyCharges": 95, "TotalCharges": 95})).unwrap();
        let p = probability(&m, &encode(&m, &risky));
        assert!(p > 0.5, "{p}");
        let locked: Vec<String> = DEFAULT_LOCKED.iter().map(|s| s.to_string()).collect();
        let found = counterfactuals(&m, &risky, &locked, 0.5, 3);
        assert!(!found.is_empty());
        let smallest = found[0].changes.len();
        for cf in &found {
            assert!(cf.probability < 0.5);
            assert_eq!(cf.changes.len(), smallest, "all of the smallest size");
            let mut v = risky.clone();
            for (i, value) in &cf.changes {
                assert!(!locked.contains(&m.stats[*i].column().to_owned()), "locked columns stay");
                v[*i] = value.clone();
            }
            assert!((probability(&m, &encode(&m, &v)) - cf.probability).abs() < 1e-9, "the reported probability is the model's");
        }
        // Nothing smaller works: no single change suffices when two are needed.
        if smallest > 1 {
            assert!(counterfactuals(&m, &risky, &locked, 0.5, 50).iter().all(|c| c.changes.len() >= smallest));
        }
        // Locking everything leaves nothing to change.
        let all: Vec<String> = m.stats.iter().map(|s| s.column().to_owned()).collect();
        assert!(counterfactuals(&m, &risky, &all, 0.5, 3).is_empty());
    }
}

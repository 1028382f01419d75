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
pub const DEFAULT_LOCKED: [&str; 6] = [
    "gender",
    "SeniorCitizen",
    "Partner",
    "Dependents",
    "tenure",
    "TotalCharges",
];

/// The most columns a counterfactual changes.
pub const MAX_CHANGES: usize = 6;

/// A set of options (indices into the options sorted by gain, ascending)
/// and its total gain, ordered for a max-heap: the larger gain first, then
/// the set whose model columns come first.
#[derive(Clone, Debug)]
struct Candidate {
    gain: f64,
    columns: Vec<usize>,
    picks: Vec<usize>,
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == std::cmp::Ordering::Equal
    }
}
impl Eq for Candidate {}
impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.gain
            .total_cmp(&other.gain)
            .then_with(|| other.columns.cmp(&self.columns))
    }
}

/// Each unlocked column's best alternative (model column, value) and how
/// much it lowers the log-odds, for the columns where one does.
fn best_changes(
    model: &SavedModel,
    values: &[FeatureValue],
    locked: &[String],
) -> Vec<(usize, FeatureValue, f64)> {
    let now = contributions(model, &encode(model, values));
    let mut options = Vec::new();
    for (i, s) in model.stats.iter().enumerate() {
        if locked.iter().any(|l| l == s.column()) {
            continue;
        }
        let candidates: Vec<FeatureValue> = match s {
            ColumnStats::Categorical { categories, .. } => categories
                .iter()
                .map(|c| FeatureValue::Category(c.clone()))
                .collect(),
            ColumnStats::Numeric { min, max, .. } => {
                vec![FeatureValue::Number(*min), FeatureValue::Number(*max)]
            }
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
    options
}

/// "What would keep this customer?": the smallest sets of changes to
/// unlocked columns that bring the probability below `threshold`. The model
/// is additive in its columns, so each column's best change (the category,
/// or the end of the training range, that lowers the log-odds most) is
/// independent of the others, and the fewest columns that suffice are the
/// columns with the largest gains, found exactly. Up to `limit` sets of the
/// smallest size are returned, lowest probability first (sets one larger
/// are added when fewer exist; at most [`MAX_CHANGES`] changes). Sets are
/// visited best first, so the work grows with `limit` and the set size,
/// not with the number of combinations: a table of hundreds of columns
/// answers as fast as the workshop's.
pub fn counterfactuals(
    model: &SavedModel,
    values: &[FeatureValue],
    locked: &[String],
    threshold: f64,
    limit: usize,
) -> Vec<Counterfactual> {
    let logit0 = model.model.intercept
        + contributions(model, &encode(model, values))
            .iter()
            .sum::<f64>();
    let mut options = best_changes(model, values, locked);
    // Largest gain first: the first `k` options are the best set of size `k`.
    options.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    let needed = logit0 - libm::log(threshold / (1.0 - threshold));
    let n = options.len();
    let mut found: Vec<Counterfactual> = Vec::new();
    for size in 1..=n.min(MAX_CHANGES) {
        if found.len() >= limit {
            break;
        }
        let top: f64 = options[..size].iter().map(|o| o.2).sum();
        if top <= needed {
            // Even the best set of this size falls short.
            continue;
        }
        // Sets of `size`, best first: each is reached from a better one by
        // moving one pick to the next option, so the heap holds few.
        let set = |picks: Vec<usize>| {
            let mut columns: Vec<usize> = picks.iter().map(|&k| options[k].0).collect();
            columns.sort_unstable();
            Candidate {
                gain: picks.iter().map(|&k| options[k].2).sum(),
                columns,
                picks,
            }
        };
        let mut heap = std::collections::BinaryHeap::from([set((0..size).collect())]);
        let mut seen: std::collections::HashSet<Vec<usize>> = std::collections::HashSet::new();
        while let Some(best) = heap.pop() {
            if best.gain <= needed || found.len() >= limit {
                break;
            }
            let mut changes: Vec<(usize, FeatureValue)> = best
                .picks
                .iter()
                .map(|&k| (options[k].0, options[k].1.clone()))
                .collect();
            changes.sort_by_key(|c| c.0);
            found.push(Counterfactual {
                changes,
                probability: crate::model::logistic::sigmoid(logit0 - best.gain),
            });
            for j in 0..size {
                let next = best.picks[j] + 1;
                if next < n && (j + 1 == size || next < best.picks[j + 1]) {
                    let mut picks = best.picks.clone();
                    picks[j] = next;
                    if seen.insert(picks.clone()) {
                        heap.push(set(picks));
                    }
                }
            }
        }
    }
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
                assert!(
                    !locked.contains(&m.stats[*i].column().to_owned()),
                    "locked columns stay"
                );
                v[*i] = value.clone();
            }
            assert!(
                (probability(&m, &encode(&m, &v)) - cf.probability).abs() < 1e-9,
                "the reported probability is the model's"
            );
        }
        // Nothing smaller works: no single change suffices when two are needed.
        if smallest > 1 {
            assert!(counterfactuals(&m, &risky, &locked, 0.5, 50)
                .iter()
                .all(|c| c.changes.len() >= smallest));
        }
        // Locking everything leaves nothing to change.
        let all: Vec<String> = m.stats.iter().map(|s| s.column().to_owned()).collect();
        assert!(counterfactuals(&m, &risky, &all, 0.5, 3).is_empty());
    }

    /// A table of `columns` number columns and a churn label they drive,
    /// its model, and its riskiest customer.
    fn wide(columns: usize, seed: u64) -> (SavedModel, Vec<FeatureValue>) {
        use crate::model::config::Mode;
        let mut rng = crate::common::rng::Rng::new(seed);
        let mut csv = (0..columns)
            .map(|c| format!("x{c}"))
            .collect::<Vec<_>>()
            .join(",")
            + ",Churn\n";
        for _ in 0..1500 {
            let xs: Vec<f64> = (0..columns).map(|_| rng.next_f64() * 2.0 - 1.0).collect();
            // A few strong columns (every twelfth) among many weak ones.
            let logit: f64 = xs
                .iter()
                .enumerate()
                .map(|(c, x)| x * if c % 12 == 0 { 2.5 } else { 0.05 })
                .sum::<f64>()
                - 1.0;
            let churn = rng.next_f64() < crate::model::logistic::sigmoid(logit);
            csv += &format!(
                "{},{}\n",
                xs.iter()
                    .map(|x| format!("{x:.4}"))
                    .collect::<Vec<_>>()
                    .join(","),
                if churn { "Yes" } else { "No" }
            );
        }
        let (table, _) = crate::data::ingest::ingest_bytes(
            csv.as_bytes(),
            crate::data::ingest::IngestOptions::new("wide"),
            1 << 20,
        )
        .unwrap();
        let cfg = crate::model::config::TrainConfig {
            mode: Mode::Plain,
            ..crate::model::defaults::default_config(&table)
        };
        let trained = crate::model::train::train(&table, &cfg, &mut |_, _| true).unwrap();
        let model = SavedModel::new("wide", &table, &cfg, &trained, None);
        let riskiest = (0..table.num_rows())
            .map(|r| crate::explain::scoring::values_of_row(&model, &table, r))
            .max_by(|a, b| {
                probability(&model, &encode(&model, a))
                    .total_cmp(&probability(&model, &encode(&model, b)))
            })
            .unwrap();
        (model, riskiest)
    }

    /// Every set of up to [`MAX_CHANGES`] options, tried one by one: the
    /// smallest sets that suffice, lowest probability first.
    fn brute_force(
        model: &SavedModel,
        values: &[FeatureValue],
        threshold: f64,
        limit: usize,
    ) -> Vec<(Vec<usize>, f64)> {
        let options = best_changes(model, values, &[]);
        let logit0 = model.model.intercept
            + contributions(model, &encode(model, values))
                .iter()
                .sum::<f64>();
        let needed = logit0 - libm::log(threshold / (1.0 - threshold));
        let mut found: Vec<(Vec<usize>, f64)> = Vec::new();
        for size in 1..=options.len().min(MAX_CHANGES) {
            if found.len() >= limit {
                break;
            }
            let mut of_size = Vec::new();
            let mut pick = |set: &[usize]| {
                let gain: f64 = set.iter().map(|&k| options[k].2).sum();
                if gain > needed {
                    let mut columns: Vec<usize> = set.iter().map(|&k| options[k].0).collect();
                    columns.sort_unstable();
                    of_size.push((columns, crate::model::logistic::sigmoid(logit0 - gain)));
                }
            };
            let mut idx: Vec<usize> = (0..size).collect();
            loop {
                pick(&idx);
                let mut k = size;
                while k > 0 && idx[k - 1] == options.len() - size + k - 1 {
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
            of_size.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
            let room = limit - found.len();
            found.extend(of_size.into_iter().take(room));
        }
        found
    }

    #[test]
    fn the_best_first_search_finds_what_trying_every_set_finds() {
        let (m, risky) = wide(24, 5);
        for (threshold, limit) in [(0.5, 3), (0.2, 5), (0.05, 10)] {
            let fast: Vec<(Vec<usize>, f64)> = counterfactuals(&m, &risky, &[], threshold, limit)
                .into_iter()
                .map(|c| (c.changes.iter().map(|(i, _)| *i).collect(), c.probability))
                .collect();
            let slow = brute_force(&m, &risky, threshold, limit);
            assert_eq!(fast.len(), slow.len(), "threshold {threshold}");
            for (f, s) in fast.iter().zip(&slow) {
                assert_eq!(f.0, s.0, "threshold {threshold}");
                assert!((f.1 - s.1).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn two_hundred_columns_are_searched_without_trying_every_set() {
        let (m, risky) = wide(200, 9);
        assert_eq!(m.stats.len(), 200);
        // Several changes are needed: C(200, 6) sets could not all be tried.
        let found = counterfactuals(&m, &risky, &[], 0.02, 5);
        assert_eq!(found.len(), 5);
        let size = found[0].changes.len();
        assert!(size >= 2, "{size}");
        let options = best_changes(&m, &risky, &[]);
        let mut gains: Vec<f64> = options.iter().map(|o| o.2).collect();
        gains.sort_by(|a, b| b.total_cmp(a));
        let logit0 = m.model.intercept + contributions(&m, &encode(&m, &risky)).iter().sum::<f64>();
        let needed = logit0 - libm::log(0.02 / 0.98);
        assert!(
            gains[..size - 1].iter().sum::<f64>() <= needed,
            "no smaller set suffices"
        );
        for cf in &found {
            assert_eq!(cf.changes.len(), size);
            assert!(cf.probability < 0.02);
            let mut v = risky.clone();
            for (i, value) in &cf.changes {
                v[*i] = value.clone();
            }
            assert!((probability(&m, &encode(&m, &v)) - cf.probability).abs() < 1e-9);
        }
        assert!(
            found
                .windows(2)
                .all(|w| w[0].probability <= w[1].probability),
            "lowest first"
        );
    }
}

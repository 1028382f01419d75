//! Classification metrics over predicted probabilities and true labels.

/// Area under the ROC curve: the chance that a random positive scores above
/// a random negative, ties counting one half (as scikit-learn's `roc_auc_score`).
pub fn auc(scores: &[f64], labels: &[bool]) -> Option<f64> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let positives = labels.iter().filter(|&&l| l).count() as f64;
    let negatives = labels.len() as f64 - positives;
    if positives == 0.0 || negatives == 0.0 {
        return None;
    }
    // Sum of positive ranks with average ranks for ties.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && scores[order[j + 1]] == scores[order[i]] {
            j += 1;
        }
        let avg_rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            if labels[k] {
                rank_sum += avg_rank;
            }
        }
        i = j + 1;
    }
    Some((rank_sum - positives * (positives + 1.0) / 2.0) / (positives * negatives))
}

/// Share of rows where `p >= threshold` agrees with the label.
pub fn accuracy(probabilities: &[f64], labels: &[bool], threshold: f64) -> f64 {
    let right = probabilities.iter().zip(labels).filter(|(p, l)| (**p >= threshold) == **l).count();
    right as f64 / labels.len().max(1) as f64
}

/// Mean negative log-likelihood, probabilities clipped as scikit-learn does.
pub fn log_loss(probabilities: &[f64], labels: &[bool]) -> f64 {
    let eps = f64::EPSILON;
    let total: f64 = probabilities
        .iter()
        .zip(labels)
        .map(|(p, l)| {
            let p = p.clamp(eps, 1.0 - eps);
            -(if *l { libm::log(p) } else { libm::log(1.0 - p) })
        })
        .sum();
    total / labels.len().max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_with_ties_matches_scikit_learn() {
        // .venv/bin/python -c 'from sklearn.metrics import roc_auc_score as f; print(f([0,0,1,1,1,0], [0.1,0.4,0.35,0.8,0.4,0.2]))'
        let auc = auc(&[0.1, 0.4, 0.35, 0.8, 0.4, 0.2], &[false, false, true, true, true, false]).unwrap();
        assert!((auc - 0.8333333333333334).abs() < 1e-12);
        assert_eq!(super::auc(&[0.5], &[true]), None);
    }

    #[test]
    fn accuracy_and_log_loss() {
        let p = [0.9, 0.2, 0.6, 0.4];
        let y = [true, false, false, true];
        assert_eq!(accuracy(&p, &y, 0.5), 0.5);
        // .venv/bin/python -c 'from sklearn.metrics import log_loss as f; print(f([1,0,0,1], [0.9,0.2,0.6,0.4]))'
        assert!((log_loss(&p, &y) - 0.5402713826800865).abs() < 1e-12);
    }
}

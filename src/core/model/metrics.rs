//! Classification metrics over predicted probabilities and true labels.

use serde::{Deserialize, Serialize};

/// [`auc`] of rows given as groups of equal score, `(score, positives,
/// negatives)` in any order (groups of the same score are one): the
/// Mann-Whitney count, each positive beating the negatives below it and
/// half of those tied with it. One pass over the groups rather than a sort
/// of every row.
pub fn auc_of_groups(mut groups: Vec<(f64, usize, usize)>) -> Option<f64> {
    // Equal scores are merged below, so their order does not matter.
    groups.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let positives: usize = groups.iter().map(|g| g.1).sum();
    let negatives: usize = groups.iter().map(|g| g.2).sum();
    if positives == 0 || negatives == 0 {
        return None;
    }
    let (mut below, mut wins, mut i) = (0usize, 0.0, 0);
    while i < groups.len() {
        let (mut p, mut n, mut j) = (0, 0, i);
        while j < groups.len() && groups[j].0 == groups[i].0 {
            p += groups[j].1;
            n += groups[j].2;
            j += 1;
        }
        wins += p as f64 * (below as f64 + n as f64 / 2.0);
        below += n;
        i = j;
    }
    Some(wins / (positives as f64 * negatives as f64))
}

/// Area under the ROC curve: the chance that a random positive scores above
/// a random negative, ties counting one half (as scikit-learn's `roc_auc_score`).
pub fn auc(scores: &[f64], labels: &[bool]) -> Option<f64> {
    // One group per row; the Mann-Whitney count is exact in halves, so this
    // is the rank-sum figure to the last bit.
    auc_of_groups(
        scores
            .iter()
            .zip(labels)
            .map(|(&s, &y)| (s, usize::from(y), usize::from(!y)))
            .collect(),
    )
}

/// Share of rows where `p >= threshold` agrees with the label.
pub fn accuracy(probabilities: &[f64], labels: &[bool], threshold: f64) -> f64 {
    let right = probabilities
        .iter()
        .zip(labels)
        .filter(|(p, l)| (**p >= threshold) == **l)
        .count();
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

/// Precision, recall, F1 and support of one class.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
}

/// scikit-learn's `classification_report` and confusion matrix at a threshold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub threshold: f64,
    /// `[[tn, fp], [fn, tp]]`: rows are the true class, columns the predicted.
    pub confusion: [[usize; 2]; 2],
    /// The negative class, then the positive.
    pub classes: [ClassScores; 2],
    pub accuracy: f64,
    pub macro_avg: ClassScores,
    pub weighted_avg: ClassScores,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn scores(tp: usize, fp: usize, fn_: usize) -> ClassScores {
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, tp + fn_);
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    ClassScores {
        precision,
        recall,
        f1,
        support: tp + fn_,
    }
}

/// The report for predictions `p >= threshold` (zero where undefined, as
/// scikit-learn's `zero_division=0`).
pub fn report(probabilities: &[f64], labels: &[bool], threshold: f64) -> Report {
    let mut m = [[0usize; 2]; 2];
    for (p, &l) in probabilities.iter().zip(labels) {
        m[l as usize][(*p >= threshold) as usize] += 1;
    }
    let [[tn, fp], [fn_, tp]] = m;
    let neg = scores(tn, fn_, fp);
    let pos = scores(tp, fp, fn_);
    let n = (tn + fp + fn_ + tp).max(1) as f64;
    let avg = |f: fn(&ClassScores) -> f64, weighted: bool| {
        if weighted {
            (f(&neg) * neg.support as f64 + f(&pos) * pos.support as f64) / n
        } else {
            (f(&neg) + f(&pos)) / 2.0
        }
    };
    let combine = |weighted| ClassScores {
        precision: avg(|c| c.precision, weighted),
        recall: avg(|c| c.recall, weighted),
        f1: avg(|c| c.f1, weighted),
        support: neg.support + pos.support,
    };
    Report {
        threshold,
        confusion: m,
        classes: [neg, pos],
        accuracy: (tn + tp) as f64 / n,
        macro_avg: combine(false),
        weighted_avg: combine(true),
    }
}

/// Scores in descending order with, after each distinct score, the counts
/// of true and false positives at that threshold.
fn cumulative(scores: &[f64], labels: &[bool]) -> Vec<(f64, usize, usize)> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let (mut tp, mut fp) = (0, 0);
    let mut out: Vec<(f64, usize, usize)> = Vec::new();
    for (i, &k) in order.iter().enumerate() {
        if labels[k] {
            tp += 1;
        } else {
            fp += 1;
        }
        if i + 1 == order.len() || scores[order[i + 1]] != scores[k] {
            out.push((scores[k], tp, fp));
        }
    }
    out
}

/// ROC curve points `(false positive rate, true positive rate)` from (0, 0)
/// to (1, 1), one per distinct score.
pub fn roc_curve(scores: &[f64], labels: &[bool]) -> Vec<(f64, f64)> {
    let pos = labels.iter().filter(|&&l| l).count();
    let neg = labels.len() - pos;
    let mut points = vec![(0.0, 0.0)];
    points.extend(
        cumulative(scores, labels)
            .into_iter()
            .map(|(_, tp, fp)| (ratio(fp, neg), ratio(tp, pos))),
    );
    points
}

/// Precision-recall points `(recall, precision)` by falling threshold, and
/// the average precision (scikit-learn's `average_precision_score`).
pub fn pr_curve(scores: &[f64], labels: &[bool]) -> (Vec<(f64, f64)>, f64) {
    let pos = labels.iter().filter(|&&l| l).count();
    let mut points = Vec::new();
    let (mut ap, mut last_recall) = (0.0, 0.0);
    for (_, tp, fp) in cumulative(scores, labels) {
        let (recall, precision) = (ratio(tp, pos), ratio(tp, tp + fp));
        ap += (recall - last_recall) * precision;
        last_recall = recall;
        points.push((recall, precision));
    }
    (points, ap)
}

/// One bin of a calibration plot.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalibrationBin {
    pub mean_predicted: f64,
    pub fraction_positive: f64,
    pub count: usize,
}

/// scikit-learn's `calibration_curve(strategy="uniform")`: non-empty bins
/// of equal width over [0, 1].
pub fn calibration(probabilities: &[f64], labels: &[bool], bins: usize) -> Vec<CalibrationBin> {
    let bins = bins.max(1);
    let edges: Vec<f64> = (1..bins)
        .map(|i| i as f64 * (1.0 + 1e-8) / bins as f64)
        .collect();
    let mut sums = vec![(0.0, 0usize, 0usize); bins];
    for (p, &l) in probabilities.iter().zip(labels) {
        let b = edges.partition_point(|e| e <= p);
        sums[b].0 += p;
        sums[b].1 += l as usize;
        sums[b].2 += 1;
    }
    sums.into_iter()
        .filter(|s| s.2 > 0)
        .map(|(sp, pos, n)| CalibrationBin {
            mean_predicted: sp / n as f64,
            fraction_positive: pos as f64 / n as f64,
            count: n,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_with_ties_matches_scikit_learn() {
        // .venv/bin/python -c 'from sklearn.metrics import roc_auc_score as f; print(f([0,0,1,1,1,0], [0.1,0.4,0.35,0.8,0.4,0.2]))'
        let auc = auc(
            &[0.1, 0.4, 0.35, 0.8, 0.4, 0.2],
            &[false, false, true, true, true, false],
        )
        .unwrap();
        assert!((auc - 0.8333333333333334).abs() < 1e-12);
        assert_eq!(super::auc(&[0.5], &[true]), None);
    }

    #[test]
    fn auc_of_rows_and_of_groups_is_the_pairwise_count() {
        let mut rng = crate::common::rng::Rng::new(3);
        for case in 0..50 {
            // Few distinct scores, so most rows tie.
            let rows: Vec<(f64, bool)> = (0..200 + case)
                .map(|_| ((rng.next_f64() * 7.0).floor() / 2.0, rng.next_f64() < 0.3))
                .collect();
            let (scores, labels): (Vec<f64>, Vec<bool>) = rows.iter().copied().unzip();
            // One group per distinct score, counted here.
            let mut counts: Vec<(f64, usize, usize)> = Vec::new();
            for &(s, y) in &rows {
                match counts.iter_mut().find(|g| g.0 == s) {
                    Some(g) => {
                        g.1 += usize::from(y);
                        g.2 += usize::from(!y);
                    }
                    None => counts.push((s, usize::from(y), usize::from(!y))),
                }
            }
            // The definition itself: every positive against every negative.
            let (mut wins, mut pairs) = (0.0, 0.0);
            for &(p, _) in rows.iter().filter(|r| r.1) {
                for &(n, _) in rows.iter().filter(|r| !r.1) {
                    pairs += 1.0;
                    wins += if p > n {
                        1.0
                    } else if p == n {
                        0.5
                    } else {
                        0.0
                    };
                }
            }
            let (a, b) = (
                auc(&scores, &labels).unwrap(),
                auc_of_groups(counts).unwrap(),
            );
            assert_eq!(a, wins / pairs, "case {case}: by rows");
            assert!((a - b).abs() < 1e-12, "case {case}: {a} vs {b}");
        }
        assert_eq!(auc_of_groups(vec![(0.5, 3, 0)]), None);
        assert_eq!(auc_of_groups(vec![(0.2, 0, 2), (0.9, 1, 0)]), Some(1.0));
    }

    #[test]
    fn accuracy_and_log_loss() {
        let p = [0.9, 0.2, 0.6, 0.4];
        let y = [true, false, false, true];
        assert_eq!(accuracy(&p, &y, 0.5), 0.5);
        // .venv/bin/python -c 'from sklearn.metrics import log_loss as f; print(f([1,0,0,1], [0.9,0.2,0.6,0.4]))'
        assert!((log_loss(&p, &y) - 0.5402713826800865).abs() < 1e-12);
    }

    const Y: [bool; 10] = [
        true, false, false, true, true, false, true, false, false, false,
    ];
    const P: [f64; 10] = [0.9, 0.2, 0.6, 0.4, 0.8, 0.1, 0.55, 0.3, 0.45, 0.7];

    #[test]
    fn report_matches_scikit_learn() {
        // classification_report(y, p >= 0.5, output_dict=True) for Y and P.
        let r = report(&P, &Y, 0.5);
        assert_eq!(r.confusion, [[4, 2], [1, 3]]);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        assert!(
            close(r.classes[0].precision, 0.8)
                && close(r.classes[0].recall, 2.0 / 3.0)
                && close(r.classes[0].f1, 0.7272727272727273)
        );
        assert!(
            close(r.classes[1].precision, 0.6)
                && close(r.classes[1].recall, 0.75)
                && close(r.classes[1].f1, 0.6666666666666666)
        );
        assert_eq!((r.classes[0].support, r.classes[1].support), (6, 4));
        assert!(close(r.accuracy, 0.7));
        assert!(
            close(r.macro_avg.recall, 0.7083333333333333)
                && close(r.macro_avg.f1, 0.696969696969697)
        );
        assert!(
            close(r.weighted_avg.precision, 0.72) && close(r.weighted_avg.f1, 0.7030303030303029)
        );
    }

    #[test]
    fn curves_match_scikit_learn() {
        let roc = roc_curve(&P, &Y);
        assert_eq!((roc[0], *roc.last().unwrap()), ((0.0, 0.0), (1.0, 1.0)));
        let area: f64 = roc
            .windows(2)
            .map(|w| (w[1].0 - w[0].0) * (w[1].1 + w[0].1) / 2.0)
            .sum();
        assert!(
            (area - auc(&P, &Y).unwrap()).abs() < 1e-12,
            "the trapezoids are the AUC"
        );
        // average_precision_score(Y, P)
        let (pr, ap) = pr_curve(&P, &Y);
        assert!((ap - 0.7928571428571428).abs() < 1e-12, "{ap}");
        assert_eq!(pr[0], (0.25, 1.0));
        // calibration_curve(Y, P, n_bins=5)
        let bins = calibration(&P, &Y, 5);
        let got: Vec<(f64, f64)> = bins
            .iter()
            .map(|b| (b.fraction_positive, b.mean_predicted))
            .collect();
        let want = [
            (0.0, 0.15),
            (0.5, 0.35),
            (1.0 / 3.0, 0.5333333333333333),
            (0.5, 0.75),
            (1.0, 0.9),
        ];
        for (g, w) in got.iter().zip(&want) {
            assert!(
                (g.0 - w.0).abs() < 1e-12 && (g.1 - w.1).abs() < 1e-12,
                "{got:?}"
            );
        }
    }
}

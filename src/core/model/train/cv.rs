//! Cross-validation over a grid of C, as scikit-learn's
//! `LogisticRegressionCV` does it: stratified folds, a warm-started fit per
//! fold and C, the scores' summary, and how folds are shared out to workers.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use crate::model::config::{TrainConfig, TrainError};
use crate::model::logistic::{fit_logistic_counted, LinearModel, LogisticParams};
use crate::model::metrics::accuracy;

/// The fold of each row, as scikit-learn's `StratifiedKFold(k)` without
/// shuffling assigns them: each class is dealt out to the folds in order,
/// in the proportions that keep every fold's class balance.
pub fn stratified_folds(y: &[bool], k: usize) -> Vec<usize> {
    // Classes are numbered by first appearance (scikit-learn encodes y so),
    // and the sorted class sequence is dealt round the folds.
    let first = y.first().copied().unwrap_or(false);
    let class = |v: bool| -> usize { (v != first) as usize };
    let counts = [
        y.iter().filter(|&&v| class(v) == 0).count(),
        y.iter().filter(|&&v| class(v) == 1).count(),
    ];
    let sorted: Vec<usize> = std::iter::repeat_n(0, counts[0])
        .chain(std::iter::repeat_n(1, counts[1]))
        .collect();
    // allocation[f][c]: how many of class c go to fold f.
    let allocation: Vec<[usize; 2]> = (0..k)
        .map(|f| {
            let mut a = [0usize; 2];
            for &c in sorted.iter().skip(f).step_by(k) {
                a[c] += 1;
            }
            a
        })
        .collect();
    let mut folds = vec![0usize; y.len()];
    // `c` is a class number: it picks the allocation and matches class(v).
    #[allow(clippy::needless_range_loop)]
    for c in 0..2 {
        let mut assign = (0..k).flat_map(|f| std::iter::repeat_n(f, allocation[f][c]));
        for (r, &v) in y.iter().enumerate() {
            if class(v) == c {
                folds[r] = assign.next().unwrap_or(0);
            }
        }
    }
    folds
}

/// One fold's fits over the grid of C: the accuracy on the fold and the
/// solver's iterations, per C.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FoldFits {
    pub scores: Vec<f64>,
    pub iterations: Vec<u64>,
    /// The model fitted at each C.
    pub models: Vec<LinearModel>,
}

/// Mean and standard deviation of accuracy per C.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CvResult {
    pub cs: Vec<f64>,
    /// `scores[fold][c]`.
    pub scores: Vec<Vec<f64>>,
    pub mean: Vec<f64>,
    pub std: Vec<f64>,
    pub best_index: usize,
    /// The solver's iterations, `iterations[fold][c]` (empty in runs saved
    /// before they were counted).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub iterations: Vec<Vec<u64>>,
    /// Where the final fit starts, as scikit-learn's refit does: the mean
    /// of the folds' models at the best C.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refit_start: Option<LinearModel>,
}

impl CvResult {
    pub fn best_c(&self) -> f64 {
        self.cs[self.best_index]
    }

    /// The summary of `scores[fold][c]`: mean and standard deviation per C,
    /// and the first best mean (as numpy's argmax).
    pub fn from_scores(cs: &[f64], scores: Vec<Vec<f64>>) -> CvResult {
        let folds = scores.len().max(1) as f64;
        let mean: Vec<f64> = (0..cs.len())
            .map(|i| scores.iter().map(|s| s[i]).sum::<f64>() / folds)
            .collect();
        let std: Vec<f64> = (0..cs.len())
            .map(|i| (scores.iter().map(|s| (s[i] - mean[i]).powi(2)).sum::<f64>() / folds).sqrt())
            .collect();
        let best_index = mean
            .iter()
            .enumerate()
            .fold(0, |best, (i, m)| if *m > mean[best] { i } else { best });
        CvResult {
            cs: cs.to_vec(),
            scores,
            mean,
            std,
            best_index,
            iterations: Vec::new(),
            refit_start: None,
        }
    }

    /// The summary of each fold's fits, in fold order.
    pub fn from_folds(cs: &[f64], folds: Vec<FoldFits>) -> CvResult {
        let scores = folds.iter().map(|f| f.scores.clone()).collect();
        let summary = CvResult::from_scores(cs, scores);
        let best: Vec<&LinearModel> = folds
            .iter()
            .filter_map(|f| f.models.get(summary.best_index))
            .collect();
        let refit_start = (!best.is_empty() && best.len() == folds.len()).then(|| {
            let n = best.len() as f64;
            LinearModel {
                coef: (0..best[0].coef.len())
                    .map(|j| {
                        best.iter()
                            .map(|m| m.coef.get(j).copied().unwrap_or(0.0))
                            .sum::<f64>()
                            / n
                    })
                    .collect(),
                intercept: best.iter().map(|m| m.intercept).sum::<f64>() / n,
            }
        });
        CvResult {
            iterations: folds.into_iter().map(|f| f.iterations).collect(),
            refit_start,
            ..summary
        }
    }

    /// Whether these are the scores of `cfg`'s grid and folds.
    pub(super) fn fits(&self, cfg: &TrainConfig) -> bool {
        self.cs == cfg.cs
            && self.scores.len() == cfg.folds
            && self.scores.iter().all(|s| s.len() == cfg.cs.len())
    }
}

/// The given rows of `x`, column-major like the matrices `prepare` makes.
fn rows_of(x: &Array2<f64>, rows: &[usize]) -> Array2<f64> {
    use ndarray::ShapeBuilder;
    let mut out = Array2::<f64>::zeros((rows.len(), x.ncols()).f());
    for (j, mut column) in out.columns_mut().into_iter().enumerate() {
        let source = x.column(j);
        for (cell, &r) in column.iter_mut().zip(rows) {
            *cell = source[r];
        }
    }
    out
}

/// Cross-validates over `cs` (each fold walks the grid in order, warm-
/// starting every fit from the previous C's solution, as scikit-learn's
/// path does). `progress(done, total)` returning false cancels.
pub fn cross_validate(
    x: &Array2<f64>,
    y: &[bool],
    cs: &[f64],
    folds: usize,
    max_iter: u64,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<CvResult, TrainError> {
    let all: Vec<usize> = (0..folds).collect();
    let fits = cross_validate_folds(x, y, cs, folds, &all, max_iter, progress)?;
    Ok(CvResult::from_folds(cs, fits))
}

/// The scores over `cs` of the folds in `which` only, in that order: one
/// worker's share of a cross-validation. Folds do not depend on each other,
/// so shares worked out apart and put together in fold order give exactly
/// what [`cross_validate`] gives. `progress(done, total)` counts this
/// share's fits.
pub fn cross_validate_folds(
    x: &Array2<f64>,
    y: &[bool],
    cs: &[f64],
    folds: usize,
    which: &[usize],
    max_iter: u64,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<Vec<FoldFits>, TrainError> {
    let fold_of = stratified_folds(y, folds);
    let total = which.len() * cs.len();
    let mut out = Vec::with_capacity(which.len());
    for (k, &f) in which.iter().enumerate() {
        let train: Vec<usize> = (0..y.len()).filter(|&r| fold_of[r] != f).collect();
        let test: Vec<usize> = (0..y.len()).filter(|&r| fold_of[r] == f).collect();
        let (xt, xv) = (rows_of(x, &train), rows_of(x, &test));
        let yt: Vec<bool> = train.iter().map(|&r| y[r]).collect();
        let yv: Vec<bool> = test.iter().map(|&r| y[r]).collect();
        let mut fits = FoldFits {
            scores: vec![0.0; cs.len()],
            iterations: vec![0; cs.len()],
            models: Vec::with_capacity(cs.len()),
        };
        for (i, &c) in cs.iter().enumerate() {
            let (model, iterations) = fit_logistic_counted(
                &xt,
                &yt,
                &LogisticParams {
                    c,
                    max_iter,
                    // Each C starts from the previous C's model.
                    warm_start: fits.models.last().cloned(),
                    ..LogisticParams::default()
                },
            )?;
            fits.scores[i] = accuracy(&model.probabilities(&xv), &yv, 0.5);
            fits.iterations[i] = iterations;
            fits.models.push(model);
            if !progress(k * cs.len() + i + 1, total) {
                return Err(TrainError::Cancelled);
            }
        }
        out.push(fits);
    }
    Ok(out)
}

/// How many workers share a cross-validation of `folds` folds over `rows`
/// rows on a machine with `cores` cores: one per core, no more than there
/// are folds, and few enough that the copies of the table and design matrix
/// (one per worker) stay within about two million rows in all.
pub fn cv_workers(cores: usize, folds: usize, rows: usize) -> usize {
    const ROWS_IN_ALL_WORKERS: usize = 2_000_000;
    cores
        .min(folds)
        .min(ROWS_IN_ALL_WORKERS / rows.max(1))
        .max(1)
}

/// The folds worker `w` of `workers` works out: every `workers`-th fold.
pub fn fold_share(folds: usize, workers: usize, w: usize) -> Vec<usize> {
    (w..folds).step_by(workers.max(1)).collect()
}

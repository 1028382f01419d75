//! The workshop's model-building notebook as a pure function: choose the
//! target and features, drop or impute missing values, split, one-hot
//! encode, standardise, and fit an L2 logistic regression, either with one
//! C or cross-validated over a grid of C like scikit-learn's
//! `LogisticRegressionCV`; then evaluate on the test split.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use crate::model::config::{Missing, Mode, TrainConfig, TrainError};

use crate::model::defaults::binary_labels;
use crate::model::features::{category_label, Encoder, FeatureKind, Scaler};
use crate::model::metrics::{accuracy, auc, calibration, log_loss, pr_curve, report, roc_curve, CalibrationBin, Report};
use crate::model::logistic::{fit_logistic, LinearModel, LogisticParams, ModelError};
use crate::common::rng::Rng;
use crate::data::table::{ColumnData, Table};

/// The design matrices of a run, before any model.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub train_rows: Vec<usize>,
    pub test_rows: Vec<usize>,
    /// Rows left out for a missing value.
    pub dropped: usize,
    pub encoder: Encoder,
    pub scaler: Scaler,
    pub x_train: Array2<f64>,
    pub y_train: Vec<bool>,
    /// The test rows' labels; their design matrix is made in slices when
    /// scored (`design`), so a million-row fit holds one matrix, not two.
    pub y_test: Vec<bool>,
}

/// Test rows scored per slice of this many.
const SCORE_SLICE_ROWS: usize = 8192;

impl Prepared {
    /// The encoded, scaled design matrix of `rows` of `table`.
    pub fn design(&self, table: &Table, rows: &[usize]) -> Result<Array2<f64>, TrainError> {
        let mut x = self.encoder.transform(table, rows)?;
        self.scaler.transform_in_place(&mut x);
        Ok(x)
    }

    /// `model`'s probability for every test row, a slice at a time.
    pub fn test_probabilities(&self, table: &Table, model: &LinearModel) -> Result<Vec<f64>, TrainError> {
        let mut out = Vec::with_capacity(self.test_rows.len());
        for slice in self.test_rows.chunks(SCORE_SLICE_ROWS) {
            out.extend(model.probabilities(&self.design(table, slice)?));
        }
        Ok(out)
    }
}

fn check(table: &Table, cfg: &TrainConfig) -> Result<(), TrainError> {
    let target = table.column(&cfg.target).ok_or_else(|| TrainError::NoColumn(cfg.target.clone()))?;
    let labels = binary_labels(&target.data).ok_or_else(|| {
        let mut seen: Vec<String> = (0..target.data.len()).filter_map(|r| category_label(&target.data, r)).collect();
        seen.sort();
        seen.dedup();
        TrainError::NotBinary { column: cfg.target.clone(), found: seen.len() }
    })?;
    if !labels.contains(&cfg.positive) {
        return Err(TrainError::NoSuchClass { column: cfg.target.clone(), value: cfg.positive.clone() });
    }
    if cfg.features.is_empty() {
        return Err(TrainError::NoFeatures);
    }
    if let Some(f) = cfg.features.iter().find(|f| **f == cfg.target) {
        return Err(TrainError::TargetAsFeature(f.clone()));
    }
    if let Some(f) = cfg.features.iter().find(|f| table.column(f).is_none()) {
        return Err(TrainError::NoColumn(f.clone()));
    }
    if !(0.05..=0.9).contains(&cfg.test_share) {
        return Err(TrainError::BadTestShare(cfg.test_share));
    }
    if cfg.mode == Mode::Cv {
        if !(2..=20).contains(&cfg.folds) {
            return Err(TrainError::BadFolds(cfg.folds));
        }
        if cfg.cs.is_empty() {
            return Err(TrainError::EmptyGrid);
        }
        if let Some(&c) = cfg.cs.iter().find(|c| !(c.is_finite() && **c > 0.0)) {
            return Err(ModelError::BadC(c).into());
        }
    }
    LogisticParams { c: cfg.c, max_iter: cfg.max_iter, warm_start: None }.check()?;
    Ok(())
}

/// The rows a run uses, then the seeded split: the first `ceil(n·share)`
/// rows of a shuffle are the test rows.
pub fn split(table: &Table, cfg: &TrainConfig) -> Result<(Vec<usize>, Vec<usize>, usize), TrainError> {
    check(table, cfg)?;
    let target = &table.column(&cfg.target).ok_or_else(|| TrainError::NoColumn(cfg.target.clone()))?.data;
    let features: Vec<&ColumnData> = cfg.features.iter().filter_map(|f| table.column(f)).map(|c| &c.data).collect();
    let usable: Vec<usize> = (0..table.num_rows())
        .filter(|&r| !target.is_null(r) && (cfg.missing == Missing::Impute || features.iter().all(|d| !d.is_null(r))))
        .collect();
    let dropped = table.num_rows() - usable.len();
    if usable.len() < 20 {
        return Err(TrainError::TooFewRows { rows: usable.len() });
    }
    let mut rows = usable;
    Rng::new(cfg.seed).shuffle(&mut rows);
    let n_test = ((rows.len() as f64 * cfg.test_share).ceil() as usize).clamp(1, rows.len() - 1);
    let train = rows.split_off(n_test);
    Ok((train, rows, dropped))
}

/// Encodes and scales the split, fitting both on the training rows only.
pub fn prepare(table: &Table, cfg: &TrainConfig) -> Result<Prepared, TrainError> {
    let (train_rows, test_rows, dropped) = split(table, cfg)?;
    let target = &table.column(&cfg.target).ok_or_else(|| TrainError::NoColumn(cfg.target.clone()))?.data;
    let label = |r: &usize| category_label(target, *r).as_deref() == Some(cfg.positive.as_str());
    let features: Vec<(String, FeatureKind)> = cfg
        .features
        .iter()
        .filter_map(|f| table.column(f))
        .map(|c| (c.name.clone(), FeatureKind::default_for(&c.data)))
        .collect();
    let mut encoder = Encoder::fit(table, &features, &train_rows)?;
    if cfg.missing == Missing::Impute {
        encoder.impute_from(table, &train_rows)?;
    }
    // Scaled in place: on a million rows the design matrix is the largest
    // thing in memory, and a second copy would double it.
    let mut x_train = encoder.transform(table, &train_rows)?;
    let scaler = Scaler::fit(&x_train);
    scaler.transform_in_place(&mut x_train);
    let y_train: Vec<bool> = train_rows.iter().map(label).collect();
    let y_test: Vec<bool> = test_rows.iter().map(label).collect();
    let positives = y_train.iter().filter(|&&y| y).count();
    if positives == 0 || positives == y_train.len() {
        return Err(TrainError::OneClass);
    }
    let test_positives = y_test.iter().filter(|&&y| y).count();
    if test_positives == 0 || test_positives == y_test.len() {
        return Err(TrainError::OneClassTest);
    }
    Ok(Prepared { train_rows, test_rows, dropped, encoder, scaler, x_train, y_train, y_test })
}

/// The fold of each row, as scikit-learn's `StratifiedKFold(k)` without
/// shuffling assigns them: each class is dealt out to the folds in order,
/// in the proportions that keep every fold's class balance.
pub fn stratified_folds(y: &[bool], k: usize) -> Vec<usize> {
    // Classes are numbered by first appearance (scikit-learn encodes y so),
    // and the sorted class sequence is dealt round the folds.
    let first = y.first().copied().unwrap_or(false);
    let class = |v: bool| -> usize { (v != first) as usize };
    let counts = [y.iter().filter(|&&v| class(v) == 0).count(), y.iter().filter(|&&v| class(v) == 1).count()];
    let sorted: Vec<usize> = std::iter::repeat_n(0, counts[0]).chain(std::iter::repeat_n(1, counts[1])).collect();
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

/// Mean and standard deviation of accuracy per C.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CvResult {
    pub cs: Vec<f64>,
    /// `scores[fold][c]`.
    pub scores: Vec<Vec<f64>>,
    pub mean: Vec<f64>,
    pub std: Vec<f64>,
    pub best_index: usize,
}

impl CvResult {
    pub fn best_c(&self) -> f64 {
        self.cs[self.best_index]
    }

    /// The summary of `scores[fold][c]`: mean and standard deviation per C,
    /// and the first best mean (as numpy's argmax).
    pub fn from_scores(cs: &[f64], scores: Vec<Vec<f64>>) -> CvResult {
        let folds = scores.len().max(1) as f64;
        let mean: Vec<f64> = (0..cs.len()).map(|i| scores.iter().map(|s| s[i]).sum::<f64>() / folds).collect();
        let std: Vec<f64> = (0..cs.len())
            .map(|i| (scores.iter().map(|s| (s[i] - mean[i]).powi(2)).sum::<f64>() / folds).sqrt())
            .collect();
        let best_index = mean.iter().enumerate().fold(0, |best, (i, m)| if *m > mean[best] { i } else { best });
        CvResult { cs: cs.to_vec(), scores, mean, std, best_index }
    }

    /// Whether these are the scores of `cfg`'s grid and folds.
    fn fits(&self, cfg: &TrainConfig) -> bool {
        self.cs == cfg.cs && self.scores.len() == cfg.folds && self.scores.iter().all(|s| s.len() == cfg.cs.len())
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
    let scores = cross_validate_folds(x, y, cs, folds, &all, max_iter, progress)?;
    Ok(CvResult::from_scores(cs, scores))
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
) -> Result<Vec<Vec<f64>>, TrainError> {
    let fold_of = stratified_folds(y, folds);
    let total = which.len() * cs.len();
    let mut out = Vec::with_capacity(which.len());
    for (k, &f) in which.iter().enumerate() {
        let train: Vec<usize> = (0..y.len()).filter(|&r| fold_of[r] != f).collect();
        let test: Vec<usize> = (0..y.len()).filter(|&r| fold_of[r] == f).collect();
        let (xt, xv) = (rows_of(x, &train), rows_of(x, &test));
        let yt: Vec<bool> = train.iter().map(|&r| y[r]).collect();
        let yv: Vec<bool> = test.iter().map(|&r| y[r]).collect();
        let mut warm: Option<LinearModel> = None;
        let mut fold_scores = vec![0.0; cs.len()];
        for (i, &c) in cs.iter().enumerate() {
            let model = fit_logistic(&xt, &yt, &LogisticParams { c, max_iter, warm_start: warm.take() })?;
            fold_scores[i] = accuracy(&model.probabilities(&xv), &yv, 0.5);
            warm = Some(model);
            if !progress(k * cs.len() + i + 1, total) {
                return Err(TrainError::Cancelled);
            }
        }
        out.push(fold_scores);
    }
    Ok(out)
}

/// How many workers share a cross-validation of `folds` folds over `rows`
/// rows on a machine with `cores` cores: one per core, no more than there
/// are folds, and few enough that the copies of the table and design matrix
/// (one per worker) stay within about two million rows in all.
pub fn cv_workers(cores: usize, folds: usize, rows: usize) -> usize {
    const ROWS_IN_ALL_WORKERS: usize = 2_000_000;
    cores.min(folds).min(ROWS_IN_ALL_WORKERS / rows.max(1)).max(1)
}

/// The folds worker `w` of `workers` works out: every `workers`-th fold.
pub fn fold_share(folds: usize, workers: usize, w: usize) -> Vec<usize> {
    (w..folds).step_by(workers.max(1)).collect()
}

/// A feature's weight in the fitted model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Importance {
    pub name: String,
    pub weight: f64,
}

/// How the model does on the held-out rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub train_accuracy: f64,
    pub test_accuracy: f64,
    pub auc: f64,
    pub log_loss: f64,
    /// F1 of the positive class at 0.5.
    pub f1: f64,
    pub average_precision: f64,
    pub test_probabilities: Vec<f64>,
    pub test_labels: Vec<bool>,
    pub roc: Vec<(f64, f64)>,
    pub pr: Vec<(f64, f64)>,
    pub calibration: Vec<CalibrationBin>,
    /// Coefficients per one-hot feature (standardised units), largest first.
    pub coefficients: Vec<Importance>,
    /// Sum of absolute coefficients per original column, largest first.
    pub by_column: Vec<Importance>,
}

impl Evaluation {
    /// The report at another threshold (the slider).
    pub fn report_at(&self, threshold: f64) -> Report {
        report(&self.test_probabilities, &self.test_labels, threshold)
    }
}

/// A trained pipeline and how it did.
#[derive(Clone, Debug)]
pub struct Trained {
    pub prepared: Prepared,
    pub model: LinearModel,
    /// The C the final model was fitted with.
    pub c: f64,
    pub cv: Option<CvResult>,
    pub evaluation: Evaluation,
}

/// Evaluates `model` on a prepared split of `table`.
pub fn evaluate(table: &Table, p: &Prepared, model: &LinearModel) -> Result<Evaluation, TrainError> {
    let train_p = model.probabilities(&p.x_train);
    let test_p = p.test_probabilities(table, model)?;
    let r = report(&test_p, &p.y_test, 0.5);
    let (pr, average_precision) = pr_curve(&test_p, &p.y_test);
    let names = p.encoder.feature_names();
    let mut coefficients: Vec<Importance> = names.iter().zip(&model.coef).map(|(n, w)| Importance { name: n.clone(), weight: *w }).collect();
    coefficients.sort_by(|a, b| b.weight.abs().total_cmp(&a.weight.abs()));
    let sources = p.encoder.source_columns();
    let mut by_column: Vec<Importance> =
        p.encoder.columns.iter().map(|c| Importance { name: c.column.clone(), weight: 0.0 }).collect();
    for (j, w) in model.coef.iter().enumerate() {
        by_column[sources[j]].weight += w.abs();
    }
    by_column.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    Ok(Evaluation {
        train_accuracy: accuracy(&train_p, &p.y_train, 0.5),
        test_accuracy: r.accuracy,
        auc: auc(&test_p, &p.y_test).unwrap_or(0.5),
        log_loss: log_loss(&test_p, &p.y_test),
        f1: r.classes[1].f1,
        average_precision,
        roc: roc_curve(&test_p, &p.y_test),
        pr,
        calibration: calibration(&test_p, &p.y_test, 10),
        test_probabilities: test_p,
        test_labels: p.y_test.clone(),
        coefficients,
        by_column,
    })
}

/// Runs the whole pipeline. `progress(done, total)` counts fits (folds × C,
/// plus the final fit) and may return false to cancel.
pub fn train(table: &Table, cfg: &TrainConfig, progress: &mut dyn FnMut(usize, usize) -> bool) -> Result<Trained, TrainError> {
    train_with_cv(table, cfg, None, progress)
}

/// [`train`], given the cross-validation's scores when workers worked them
/// out already (they are used only if they are of `cfg`'s grid and folds;
/// otherwise the cross-validation runs here).
pub fn train_with_cv(
    table: &Table,
    cfg: &TrainConfig,
    given: Option<CvResult>,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<Trained, TrainError> {
    let prepared = prepare(table, cfg)?;
    let (c, cv) = match cfg.mode {
        Mode::Plain => (cfg.c, None),
        Mode::Cv => {
            let total = cfg.folds * cfg.cs.len() + 1;
            let cv = match given.filter(|cv| cv.fits(cfg)) {
                Some(cv) => cv,
                None => cross_validate(&prepared.x_train, &prepared.y_train, &cfg.cs, cfg.folds, cfg.max_iter, &mut |d, _| progress(d, total))?,
            };
            (cv.best_c(), Some(cv))
        }
    };
    let model = fit_logistic(&prepared.x_train, &prepared.y_train, &LogisticParams { c, max_iter: cfg.max_iter, warm_start: None })?;
    let total = cv.as_ref().map_or(1, |v| v.cs.len() * cfg.folds + 1);
    progress(total, total);
    let evaluation = evaluate(table, &prepared, &model)?;
    Ok(Trained { prepared, model, c, cv, evaluation })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::synth::generate;
    use crate::model::charts::{calibration_chart, cv_chart, importance_chart, pr_chart, roc_chart};
    use crate::model::config::default_cs;
    use crate::model::datacheck::{feature_defaults, Exclusion};
    use crate::model::defaults::{default_config, target_candidates};

    #[test]
    fn stratified_folds_match_scikit_learn() {
        // from sklearn.model_selection import StratifiedKFold
        // y = [1,0,0,1,1,0,1,0,0,0,0,1,0]
        // [f for r in range(13) for f,(a,b) in enumerate(StratifiedKFold(3).split(np.zeros(13), y)) if r in b]
        let y: Vec<bool> = [1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0, 1, 0].iter().map(|&v| v == 1).collect();
        assert_eq!(stratified_folds(&y, 3), vec![0, 0, 0, 0, 1, 0, 1, 1, 1, 2, 2, 2, 2]);
        let flipped: Vec<bool> = y.iter().map(|v| !v).collect();
        assert_eq!(stratified_folds(&flipped, 3), vec![0, 0, 0, 0, 1, 0, 1, 1, 1, 2, 2, 2, 2]);
        // A longer, unbalanced case: StratifiedKFold(5) on (np.arange(40) % 7 == 0).
        let y: Vec<bool> = (0..40).map(|i| i % 7 == 0).collect();
        let folds = stratified_folds(&y, 5);
        assert_eq!(folds, FOLDS_40);
    }

    const FOLDS_40: [usize; 40] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4,
    ];

    #[test]
    fn the_default_grid_is_scikit_learns() {
        let cs = default_cs();
        assert_eq!(cs.len(), 10);
        assert!((cs[0] - 1e-4).abs() < 1e-18 && (cs[9] - 1e4).abs() < 1e-9);
        assert!((cs[1] - 0.000774263682681127).abs() < 1e-15);
    }

    #[test]
    fn defaults_leave_out_ids_and_the_target() {
        let t = generate(500, 9);
        let cfg = default_config(&t);
        assert_eq!((cfg.target.as_str(), cfg.positive.as_str()), ("Churn", "Yes"));
        assert_eq!(cfg.features.len(), 19);
        assert!(!cfg.features.contains(&"customerID".to_owned()));
        let left_out: Vec<(String, Exclusion)> = feature_defaults(&t, "Churn", "Yes").into_iter().filter_map(|(n, e)| e.map(|e| (n, e))).collect();
        assert_eq!(left_out, vec![("customerID".to_owned(), Exclusion::Identifier { distinct: 500, values: 500 })]);
        assert!(target_candidates(&t).iter().any(|(n, l)| n == "SeniorCitizen" && l == &["0".to_owned(), "1".to_owned()]));
    }

    #[test]
    fn bad_configurations_say_what_is_wrong() {
        let t = generate(200, 1);
        let base = default_config(&t);
        let err = |f: &dyn Fn(&mut TrainConfig)| {
            let mut c = base.clone();
            f(&mut c);
            prepare(&t, &c).unwrap_err().to_string()
        };
        assert_eq!(err(&|c| c.target = "Contract".into()), "the target \"Contract\" must have exactly two values; it has 3");
        assert_eq!(err(&|c| c.positive = "Maybe".into()), "\"Maybe\" is not a value of the target \"Churn\"");
        assert_eq!(err(&|c| c.features.clear()), "choose at least one feature");
        assert_eq!(err(&|c| c.features.push("Churn".into())), "the target \"Churn\" cannot also be a feature");
        assert_eq!(err(&|c| c.test_share = 0.99), "the test share must be between 5% and 90%, not 0.99");
        assert_eq!(err(&|c| c.folds = 1), "cross-validation needs 2 to 20 folds, not 1");
        assert_eq!(err(&|c| c.c = 0.0), "C must be a positive number, not 0");
    }

    #[test]
    fn missing_values_are_dropped_or_imputed() {
        let t = crate::data::synth::default_dataset();
        let blanks = (0..t.num_rows()).filter(|&r| t.column("TotalCharges").unwrap().data.is_null(r)).count();
        assert!(blanks > 0);
        let cfg = default_config(&t);
        let dropped = prepare(&t, &cfg).unwrap();
        assert_eq!(dropped.dropped, blanks);
        assert_eq!(dropped.train_rows.len() + dropped.test_rows.len(), 7043 - blanks);
        let imputed = prepare(&t, &TrainConfig { missing: Missing::Impute, ..cfg }).unwrap();
        assert_eq!(imputed.dropped, 0);
        assert_eq!(imputed.train_rows.len() + imputed.test_rows.len(), 7043);
        assert_eq!(imputed.test_rows.len(), 1761);
        let fill = imputed.encoder.columns.iter().find(|c| c.column == "TotalCharges").unwrap().fill.clone();
        assert!(matches!(fill, Some(crate::model::features::Fill::Number(m)) if m > 1000.0 && m < 2000.0), "{fill:?}");
    }

    #[test]
    fn cv_picks_a_c_and_cancels_when_asked() {
        let t = generate(1500, 11);
        let cfg = TrainConfig { cs: vec![1e-4, 1e-2, 1.0], folds: 3, ..default_config(&t) };
        let mut calls = Vec::new();
        let trained = train(&t, &cfg, &mut |d, n| {
            calls.push((d, n));
            true
        })
        .unwrap();
        assert_eq!(calls.first(), Some(&(1, 10)));
        assert_eq!(calls.last(), Some(&(10, 10)));
        let cv = trained.cv.as_ref().unwrap();
        assert_eq!(cv.scores.len(), 3);
        assert!(cv.best_c() > 1e-4, "the tiny C only predicts the majority: {cv:?}");
        let e = &trained.evaluation;
        assert!(e.auc > 0.75 && e.test_accuracy > 0.7, "{} {}", e.auc, e.test_accuracy);
        assert_eq!(e.coefficients.len(), trained.prepared.encoder.width());
        assert_eq!(e.by_column.len(), 19);
        for chart in [roc_chart(e), pr_chart(e), calibration_chart(e), cv_chart(cv), importance_chart(&e.coefficients, 10, "coefficient")] {
            assert!(!chart.datums().is_empty());
        }
        let cancelled = train(&t, &cfg, &mut |d, _| d < 4);
        assert_eq!(cancelled.unwrap_err(), TrainError::Cancelled);
    }

    #[test]
    fn folds_shared_out_to_workers_give_the_same_cross_validation() {
        let t = generate(1200, 5);
        let cfg = TrainConfig { cs: vec![1e-3, 0.1, 10.0], folds: 5, ..default_config(&t) };
        let p = prepare(&t, &cfg).unwrap();
        let whole = cross_validate(&p.x_train, &p.y_train, &cfg.cs, cfg.folds, cfg.max_iter, &mut |_, _| true).unwrap();
        for workers in 1..=6 {
            let shares: Vec<Vec<usize>> = (0..workers).map(|w| fold_share(cfg.folds, workers, w)).collect();
            let mut scores = vec![Vec::new(); cfg.folds];
            for share in &shares {
                let got = cross_validate_folds(&p.x_train, &p.y_train, &cfg.cs, cfg.folds, share, cfg.max_iter, &mut |_, _| true).unwrap();
                for (f, s) in share.iter().zip(got) {
                    scores[*f] = s;
                }
            }
            assert_eq!(shares.iter().map(Vec::len).sum::<usize>(), cfg.folds, "{workers} workers");
            assert_eq!(CvResult::from_scores(&cfg.cs, scores), whole, "{workers} workers");
        }
        // Given scores are used as they are; scores of another grid are not.
        let given = train_with_cv(&t, &cfg, Some(whole.clone()), &mut |_, _| true).unwrap();
        assert_eq!(given.cv.as_ref(), Some(&whole));
        assert_eq!(given.evaluation, train(&t, &cfg, &mut |_, _| true).unwrap().evaluation);
        let other = CvResult::from_scores(&[1.0], vec![vec![0.5]; 5]);
        assert_eq!(train_with_cv(&t, &cfg, Some(other), &mut |_, _| true).unwrap().cv, Some(whole));
    }

    #[test]
    fn cross_validation_workers_follow_cores_folds_and_rows() {
        assert_eq!(cv_workers(8, 5, 7_043), 5);
        assert_eq!(cv_workers(2, 5, 7_043), 2);
        assert_eq!(cv_workers(0, 5, 7_043), 1);
        assert_eq!(cv_workers(8, 5, 1_000_000), 2);
        assert_eq!(cv_workers(8, 5, 3_000_000), 1);
        assert_eq!(fold_share(5, 2, 0), vec![0, 2, 4]);
        assert_eq!(fold_share(5, 2, 1), vec![1, 3]);
    }
}

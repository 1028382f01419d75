//! The workshop's model-building notebook as a pure function: choose the
//! target and features, drop or impute missing values, split, one-hot
//! encode, standardise, and fit an L2 logistic regression, either with one
//! C or cross-validated over a grid of C like scikit-learn's
//! `LogisticRegressionCV`; then evaluate on the test split.

mod cv;

pub use cv::{
    cross_validate, cross_validate_folds, cv_workers, fold_share, stratified_folds, CvResult,
    FoldFits,
};

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use crate::model::config::{Missing, Mode, TrainConfig, TrainError};

use crate::common::rng::Rng;
use crate::data::table::{ColumnData, Table};
use crate::model::defaults::binary_labels;
use crate::model::features::{category_label, Encoder, FeatureKind, Scaler};
use crate::model::logistic::{fit_logistic_counted, LinearModel, LogisticParams, ModelError};
use crate::model::metrics::{
    accuracy, auc, calibration, log_loss, pr_curve, report, roc_curve, CalibrationBin, Report,
};

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
    pub fn test_probabilities(
        &self,
        table: &Table,
        model: &LinearModel,
    ) -> Result<Vec<f64>, TrainError> {
        let mut out = Vec::with_capacity(self.test_rows.len());
        for slice in self.test_rows.chunks(SCORE_SLICE_ROWS) {
            out.extend(model.probabilities(&self.design(table, slice)?));
        }
        Ok(out)
    }
}

fn check(table: &Table, cfg: &TrainConfig) -> Result<(), TrainError> {
    let target = table
        .column(&cfg.target)
        .ok_or_else(|| TrainError::NoColumn(cfg.target.clone()))?;
    let labels = binary_labels(&target.data).ok_or_else(|| {
        let mut seen: Vec<String> = (0..target.data.len())
            .filter_map(|r| category_label(&target.data, r))
            .collect();
        seen.sort();
        seen.dedup();
        TrainError::NotBinary {
            column: cfg.target.clone(),
            found: seen.len(),
        }
    })?;
    if !labels.contains(&cfg.positive) {
        return Err(TrainError::NoSuchClass {
            column: cfg.target.clone(),
            value: cfg.positive.clone(),
        });
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
    LogisticParams {
        c: cfg.c,
        max_iter: cfg.max_iter,
        ..LogisticParams::default()
    }
    .check()?;
    Ok(())
}

/// The rows a run uses, then the seeded split: the first `ceil(n·share)`
/// rows of a shuffle are the test rows.
pub fn split(
    table: &Table,
    cfg: &TrainConfig,
) -> Result<(Vec<usize>, Vec<usize>, usize), TrainError> {
    check(table, cfg)?;
    let target = &table
        .column(&cfg.target)
        .ok_or_else(|| TrainError::NoColumn(cfg.target.clone()))?
        .data;
    let features: Vec<&ColumnData> = cfg
        .features
        .iter()
        .filter_map(|f| table.column(f))
        .map(|c| &c.data)
        .collect();
    let usable: Vec<usize> = (0..table.num_rows())
        .filter(|&r| {
            !target.is_null(r)
                && (cfg.missing == Missing::Impute || features.iter().all(|d| !d.is_null(r)))
        })
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
    let target = &table
        .column(&cfg.target)
        .ok_or_else(|| TrainError::NoColumn(cfg.target.clone()))?
        .data;
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
    Ok(Prepared {
        train_rows,
        test_rows,
        dropped,
        encoder,
        scaler,
        x_train,
        y_train,
        y_test,
    })
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
    /// The solver's iterations for the final model.
    pub iterations: u64,
}

/// Evaluates `model` on a prepared split of `table`.
pub fn evaluate(
    table: &Table,
    p: &Prepared,
    model: &LinearModel,
) -> Result<Evaluation, TrainError> {
    let train_p = model.probabilities(&p.x_train);
    let test_p = p.test_probabilities(table, model)?;
    let r = report(&test_p, &p.y_test, 0.5);
    let (pr, average_precision) = pr_curve(&test_p, &p.y_test);
    let names = p.encoder.feature_names();
    let mut coefficients: Vec<Importance> = names
        .iter()
        .zip(&model.coef)
        .map(|(n, w)| Importance {
            name: n.clone(),
            weight: *w,
        })
        .collect();
    coefficients.sort_by(|a, b| b.weight.abs().total_cmp(&a.weight.abs()));
    let sources = p.encoder.source_columns();
    let mut by_column: Vec<Importance> = p
        .encoder
        .columns
        .iter()
        .map(|c| Importance {
            name: c.column.clone(),
            weight: 0.0,
        })
        .collect();
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
pub fn train(
    table: &Table,
    cfg: &TrainConfig,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<Trained, TrainError> {
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
                None => cross_validate(
                    &prepared.x_train,
                    &prepared.y_train,
                    &cfg.cs,
                    cfg.folds,
                    cfg.max_iter,
                    &mut |d, _| progress(d, total),
                )?,
            };
            (cv.best_c(), Some(cv))
        }
    };
    // After a cross-validation, the final fit starts where scikit-learn's
    // refit does: from the mean of the folds' models at the chosen C.
    let (model, iterations) = fit_logistic_counted(
        &prepared.x_train,
        &prepared.y_train,
        &LogisticParams {
            c,
            max_iter: cfg.max_iter,
            warm_start: cv.as_ref().and_then(|cv| cv.refit_start.clone()),
            ..LogisticParams::default()
        },
    )?;
    let total = cv.as_ref().map_or(1, |v| v.cs.len() * cfg.folds + 1);
    progress(total, total);
    let evaluation = evaluate(table, &prepared, &model)?;
    Ok(Trained {
        prepared,
        model,
        c,
        cv,
        evaluation,
        iterations,
    })
}
#[cfg(test)]
mod tests;

//! L2-regularised logistic regression through linfa-logistic, oriented so
//! that coefficients always point towards the positive class (churn).
//!
//! linfa minimises `Σ logloss + α/2·‖w‖²`; scikit-learn minimises
//! `C·Σ logloss + ½‖w‖²`. They share an optimum when `α = 1/C`.

use linfa::prelude::*;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2, ArrayView1};
use serde::{Deserialize, Serialize};

/// scikit-learn's default `tol` for lbfgs, on the gradient of the mean loss.
pub const GRADIENT_TOLERANCE: f64 = 1e-4;

/// Settings of one fit, unchecked.
#[derive(Clone, Debug, PartialEq)]
pub struct LogisticParams {
    /// Inverse regularisation strength, as scikit-learn's `C`.
    pub c: f64,
    pub max_iter: u64,
    /// The solver stops when the gradient of the mean loss is this small
    /// ([`GRADIENT_TOLERANCE`], scikit-learn's `tol`, unless a test asks
    /// for a fit to convergence).
    pub tolerance: f64,
    /// Coefficients and intercept to start from (a warm start).
    pub warm_start: Option<LinearModel>,
}

impl Default for LogisticParams {
    fn default() -> Self {
        LogisticParams {
            c: 1.0,
            max_iter: 100,
            tolerance: GRADIENT_TOLERANCE,
            warm_start: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelError {
    #[error("C must be a positive number, not {0}")]
    BadC(f64),
    #[error("the tolerance must be a positive number, not {0}")]
    BadTolerance(f64),
    #[error("max iterations must be at least 1")]
    NoIterations,
    #[error("the training rows hold only one class; both are needed")]
    OneClass,
    #[error("the design matrix has {rows} rows but {labels} labels")]
    Shape { rows: usize, labels: usize },
    #[error("the solver failed: {0}")]
    Solver(String),
}

impl LogisticParams {
    /// The checked settings (linfa's `ParamGuard` shape).
    pub fn check(&self) -> Result<&LogisticParams, ModelError> {
        if !(self.c.is_finite() && self.c > 0.0) {
            return Err(ModelError::BadC(self.c));
        }
        if !(self.tolerance.is_finite() && self.tolerance > 0.0) {
            return Err(ModelError::BadTolerance(self.tolerance));
        }
        if self.max_iter == 0 {
            return Err(ModelError::NoIterations);
        }
        Ok(self)
    }
}

/// A fitted linear model: `logit(p) = intercept + coef · x`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinearModel {
    pub coef: Vec<f64>,
    pub intercept: f64,
}

pub fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + libm::exp(-z))
    } else {
        let e = libm::exp(z);
        e / (1.0 + e)
    }
}

impl LinearModel {
    pub fn decision(&self, x: ArrayView1<'_, f64>) -> f64 {
        self.intercept + x.iter().zip(&self.coef).map(|(a, b)| a * b).sum::<f64>()
    }

    pub fn probability(&self, x: ArrayView1<'_, f64>) -> f64 {
        sigmoid(self.decision(x))
    }

    pub fn probabilities(&self, x: &Array2<f64>) -> Vec<f64> {
        x.rows().into_iter().map(|r| self.probability(r)).collect()
    }
}

/// Fits `y` (true = positive class) on the rows of `x`.
pub fn fit_logistic(
    x: &Array2<f64>,
    y: &[bool],
    params: &LogisticParams,
) -> Result<LinearModel, ModelError> {
    fit_logistic_counted(x, y, params).map(|(model, _)| model)
}

/// [`fit_logistic`], with the number of iterations the solver ran (as
/// scikit-learn's `n_iter_`).
pub fn fit_logistic_counted(
    x: &Array2<f64>,
    y: &[bool],
    params: &LogisticParams,
) -> Result<(LinearModel, u64), ModelError> {
    let params = params.check()?;
    if x.nrows() != y.len() {
        return Err(ModelError::Shape {
            rows: x.nrows(),
            labels: y.len(),
        });
    }
    let positives = y.iter().filter(|&&v| v).count();
    if positives == 0 || positives == y.len() {
        return Err(ModelError::OneClass);
    }
    // linfa labels the larger class +1; orient everything to "true".
    let true_is_linfa_positive = positives * 2 >= y.len();
    let sign = if true_is_linfa_positive { 1.0 } else { -1.0 };
    let mut solver = LogisticRegression::default()
        .alpha(1.0 / params.c)
        .max_iterations(params.max_iter)
        // scikit-learn's lbfgs stops when the largest component of the
        // gradient of the *mean* loss is at most tol = 1e-4, or when the
        // objective's relative decrease is tiny (the vendored patch).
        .gradient_tolerance(params.tolerance)
        .stop_as_lbfgsb(true);
    if let Some(init) = &params.warm_start {
        let mut w: Vec<f64> = init.coef.iter().map(|c| c * sign).collect();
        w.push(init.intercept * sign);
        solver = solver.initial_params(Array1::from(w));
    }
    let targets: Array1<bool> = y.iter().copied().collect();
    let dataset = DatasetBase::new(x.view(), targets);
    let fitted = solver
        .fit(&dataset)
        .map_err(|e| ModelError::Solver(e.to_string()))?;
    let sign = if fitted.labels().pos.class { 1.0 } else { -1.0 };
    let model = LinearModel {
        coef: fitted.params().iter().map(|c| c * sign).collect(),
        intercept: fitted.intercept() * sign,
    };
    Ok((model, fitted.iterations()))
}

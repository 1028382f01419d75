//! One customer as the model sees it: feature values, their encoding with
//! the saved pipeline, the probability, and the linear model's exact
//! additive contributions, per column or folded into one term per column.

use ndarray::Array1;
use serde_json::Value;

use crate::model::features::FeatureKind;
use crate::model::pipeline::{ColumnStats, SavedModel};

/// One feature's value for a customer.
#[derive(Clone, Debug, PartialEq)]
pub enum FeatureValue {
    Number(f64),
    Category(String),
}

impl FeatureValue {
    /// The value as shown to people: numbers to two decimals at most.
    pub fn display(&self) -> String {
        match self {
            FeatureValue::Number(n) => {
                crate::common::numfmt::format_value((*n * 100.0).round() / 100.0)
            }
            FeatureValue::Category(c) => c.clone(),
        }
    }

    pub fn to_json(&self) -> Value {
        match self {
            FeatureValue::Number(v) => {
                serde_json::Number::from_f64(*v).map_or(Value::Null, Value::Number)
            }
            FeatureValue::Category(c) => Value::String(c.clone()),
        }
    }
}

/// The default of a column: its first category, or its training median.
pub fn default_value(stats: &ColumnStats) -> FeatureValue {
    match stats {
        ColumnStats::Numeric { median, .. } => FeatureValue::Number(*median),
        ColumnStats::Categorical { categories, .. } => {
            FeatureValue::Category(categories.first().cloned().unwrap_or_default())
        }
    }
}

/// The customer as the model sees it: one-hot encoded and standardised.
pub fn encode(model: &SavedModel, values: &[FeatureValue]) -> Array1<f64> {
    let mut x = Array1::<f64>::zeros(model.encoder.width());
    let mut offset = 0;
    for (c, v) in model.encoder.columns.iter().zip(values) {
        match (c.kind, v) {
            (FeatureKind::Numeric, FeatureValue::Number(n)) => x[offset] = *n,
            (FeatureKind::Categorical, FeatureValue::Category(label)) => {
                if let Some(k) = crate::model::features::category_index(&c.categories, label) {
                    x[offset + k] = 1.0;
                }
            }
            _ => {}
        }
        offset += c.width();
    }
    model.scaler.transform_row(&mut x);
    x
}

/// The probability of the positive class for an encoded customer.
pub fn probability(model: &SavedModel, x: &Array1<f64>) -> f64 {
    model.model.probability(x.view())
}

/// Exact additive contributions to the log-odds, per original column:
/// coefficient × (standardised value − training mean of the standardised
/// value, which is 0), summed over a column's one-hot features. With the
/// intercept they add up to the customer's log-odds; they equal SHAP's
/// LinearExplainer with the training rows as background.
pub fn contributions(model: &SavedModel, x: &Array1<f64>) -> Vec<f64> {
    let mut out = vec![0.0; model.encoder.columns.len()];
    let mut j = 0;
    for (i, c) in model.encoder.columns.iter().enumerate() {
        for _ in 0..c.width() {
            out[i] += model.model.coef[j] * x[j];
            j += 1;
        }
    }
    out
}

/// The model as one additive term of the log-odds per column: per category
/// (the whole one-hot block's `coef · z`), or `slope · x + offset` for a
/// number. A column's term is exactly its contribution.
#[derive(Clone, Debug)]
pub enum Term {
    Categorical(Vec<f64>),
    Numeric { slope: f64, offset: f64 },
}

pub fn column_terms(model: &SavedModel) -> Vec<Term> {
    let (coef, mean, scale) = (&model.model.coef, &model.scaler.means, &model.scaler.scales);
    let mut j = 0;
    let mut out = Vec::with_capacity(model.encoder.columns.len());
    for c in &model.encoder.columns {
        let w = c.width();
        out.push(match c.kind {
            FeatureKind::Numeric => Term::Numeric {
                slope: coef[j] / scale[j],
                offset: -coef[j] * mean[j] / scale[j],
            },
            FeatureKind::Categorical => {
                let base: f64 = (j..j + w).map(|k| -coef[k] * mean[k] / scale[k]).sum();
                Term::Categorical((0..w).map(|k| base + coef[j + k] / scale[j + k]).collect())
            }
        });
        j += w;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::endpoint::parse_input;
    use serde_json::json;

    #[test]
    fn contributions_add_up_to_the_log_odds() {
        let m = crate::model::pipeline::synthetic_model(1500, 4).1;
        let values = parse_input(
            &m,
            &json!({"tenure": 2, "Contract": "Month-to-month", "InternetService": "Fiber optic"}),
        )
        .unwrap();
        let x = encode(&m, &values);
        let c = contributions(&m, &x);
        let logit = m.model.intercept + c.iter().sum::<f64>();
        let p = probability(&m, &x);
        assert!((crate::model::logistic::sigmoid(logit) - p).abs() < 1e-12);
        let tenure = m.stats.iter().position(|s| s.column() == "tenure").unwrap();
        assert!(c[tenure] > 0.0, "a short tenure pushes towards churn");
    }
}

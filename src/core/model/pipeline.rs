//! A trained pipeline as a saved model: versioned JSON holding the encoder's
//! categories, the scaler, the coefficients, the feature names and the
//! training data's statistics (what explanations and default inputs need).

use serde::{Deserialize, Serialize};

use crate::common::stats::quantile;
use crate::data::table::Table;
use crate::model::config::TrainConfig;
use crate::model::features::{Encoder, FeatureKind, Scaler};
use crate::model::logistic::LinearModel;
use crate::model::reference::Reference;
use crate::model::train::Trained;

pub const MODEL_FORMAT: &str = "churnlab-model";
pub const MODEL_VERSION: u32 = 1;

/// The training rows' view of one input column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ColumnStats {
    Numeric {
        column: String,
        mean: f64,
        std: f64,
        min: f64,
        max: f64,
        median: f64,
        quartiles: [f64; 3],
    },
    Categorical {
        column: String,
        categories: Vec<String>,
        counts: Vec<usize>,
    },
}

impl ColumnStats {
    pub fn column(&self) -> &str {
        match self {
            ColumnStats::Numeric { column, .. } | ColumnStats::Categorical { column, .. } => column,
        }
    }
}

/// The headline metrics of the run a model came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelMetrics {
    pub train_accuracy: f64,
    pub test_accuracy: f64,
    pub auc: f64,
    pub log_loss: f64,
    pub f1: f64,
}

impl ModelMetrics {
    pub fn of(e: &crate::model::train::Evaluation) -> ModelMetrics {
        ModelMetrics {
            train_accuracy: e.train_accuracy,
            test_accuracy: e.test_accuracy,
            auc: e.auc,
            log_loss: e.log_loss,
            f1: e.f1,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedModel {
    pub format: String,
    pub version: u32,
    pub name: String,
    pub target: String,
    pub positive: String,
    pub encoder: Encoder,
    pub scaler: Scaler,
    pub feature_names: Vec<String>,
    pub model: LinearModel,
    pub c: f64,
    pub stats: Vec<ColumnStats>,
    pub training_rows: usize,
    pub config: TrainConfig,
    pub metrics: ModelMetrics,
    /// The experiment run it came from, if any.
    pub run_id: Option<u64>,
    /// The registry's view: what it does, its version under its name, a
    /// short unique build id, and when it was saved (ms since the epoch).
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub model_version: u32,
    #[serde(default)]
    pub build_id: String,
    #[serde(default)]
    pub created_ms: f64,
    /// Quartile bins of each numeric column's training values (None for
    /// categories), what LIME samples from.
    #[serde(default)]
    pub lime_bins: Vec<Option<crate::common::stats::QuartileBins>>,
    /// A sample of the training rows and the test split's scores, what
    /// monitoring compares traffic against (None in models saved before it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<Reference>,
    /// Every column of the table it was trained on, used or not (empty in
    /// models saved before it): a whole row of that table is a customer the
    /// endpoint takes, the columns the model does not use ignored.
    #[serde(default)]
    pub table_columns: Vec<String>,
}

/// The default endpoint name and description, the workshop's.
pub const DEFAULT_MODEL_NAME: &str = "Churn Model API Endpoint";
pub const DEFAULT_DESCRIPTION: &str = "Predicts and explains customer churn probability";

/// A short id for a build: 8 hex digits of a hash of the model and its time.
pub fn build_id(model_json: &str, created_ms: f64) -> String {
    let h = crate::common::hash::hash_bytes(format!("{model_json}{created_ms}").as_bytes());
    format!("{:08x}", (h ^ (h >> 32)) as u32)
}

/// Statistics of each encoded column over the training rows.
pub fn column_stats(table: &Table, encoder: &Encoder, rows: &[usize]) -> Vec<ColumnStats> {
    encoder
        .columns
        .iter()
        .filter_map(|c| {
            let col = table.column(&c.column)?;
            Some(match c.kind {
                FeatureKind::Numeric => {
                    let mut v: Vec<f64> = rows.iter().filter_map(|&r| col.data.number(r)).collect();
                    v.sort_by(f64::total_cmp);
                    let n = v.len().max(1) as f64;
                    let mean = v.iter().sum::<f64>() / n;
                    let std = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt();
                    ColumnStats::Numeric {
                        column: c.column.clone(),
                        mean,
                        std,
                        min: v.first().copied().unwrap_or(f64::NAN),
                        max: v.last().copied().unwrap_or(f64::NAN),
                        median: quantile(&v, 0.5),
                        quartiles: [quantile(&v, 0.25), quantile(&v, 0.5), quantile(&v, 0.75)],
                    }
                }
                FeatureKind::Categorical => {
                    let counts = c.category_counts(&col.data, rows);
                    ColumnStats::Categorical {
                        column: c.column.clone(),
                        categories: c.categories.clone(),
                        counts,
                    }
                }
            })
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelFileError {
    #[error("this is not a Churnlab model: {0}")]
    Json(String),
    #[error("this is not a Churnlab model (format \"{0}\")")]
    Format(String),
    #[error("model format version {0} is newer than this app reads ({MODEL_VERSION})")]
    Version(u32),
    #[error("the model is inconsistent: {0}")]
    Inconsistent(String),
}

impl SavedModel {
    pub fn new(
        name: &str,
        table: &Table,
        cfg: &TrainConfig,
        trained: &Trained,
        run_id: Option<u64>,
    ) -> SavedModel {
        let p = &trained.prepared;
        SavedModel {
            format: MODEL_FORMAT.into(),
            version: MODEL_VERSION,
            name: name.to_owned(),
            target: cfg.target.clone(),
            positive: cfg.positive.clone(),
            encoder: p.encoder.clone(),
            scaler: p.scaler.clone(),
            feature_names: p.encoder.feature_names(),
            model: trained.model.clone(),
            c: trained.c,
            stats: column_stats(table, &p.encoder, &p.train_rows),
            training_rows: p.train_rows.len(),
            config: cfg.clone(),
            metrics: ModelMetrics::of(&trained.evaluation),
            run_id,
            table_columns: table.columns().iter().map(|c| c.name.clone()).collect(),
            description: DEFAULT_DESCRIPTION.into(),
            model_version: 1,
            build_id: String::new(),
            created_ms: 0.0,
            lime_bins: p
                .encoder
                .columns
                .iter()
                .map(|c| {
                    (c.kind == FeatureKind::Numeric).then(|| {
                        let col = table.column(&c.column);
                        let values: Vec<f64> = p
                            .train_rows
                            .iter()
                            .filter_map(|&r| col.and_then(|col| col.data.number(r)))
                            .collect();
                        crate::common::stats::QuartileBins::from_values(&values)
                    })
                })
                .collect(),
            reference: Some(Reference::build(
                table,
                &p.encoder,
                &cfg.target,
                &cfg.positive,
                &p.train_rows,
                &trained.evaluation.test_probabilities,
                &trained.evaluation.test_labels,
                cfg.seed,
            )),
        }
    }

    /// The target's other class: the reference's record of it, or the
    /// usual partner of the positive label for models saved before it.
    pub fn negative_class(&self) -> String {
        if let Some(n) = self
            .reference
            .as_ref()
            .map(|r| r.negative.clone())
            .filter(|n| !n.is_empty())
        {
            return n;
        }
        match self.positive.as_str() {
            "Yes" => "No".into(),
            "yes" => "no".into(),
            "1" => "0".into(),
            "true" => "false".into(),
            "True" => "False".into(),
            other => format!("not {other}"),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads and checks a saved model.
    pub fn from_json(text: &str) -> Result<SavedModel, ModelFileError> {
        // The format and version first: a newer file says so, whatever its fields.
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| ModelFileError::Json(e.to_string()))?;
        let format = value
            .get("format")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default();
        if !format.is_empty() && format != MODEL_FORMAT {
            return Err(ModelFileError::Format(format.to_owned()));
        }
        if let Some(v) = value
            .get("version")
            .and_then(serde_json::Value::as_u64)
            .filter(|v| *v > u64::from(MODEL_VERSION))
        {
            return Err(ModelFileError::Version(
                u32::try_from(v).unwrap_or(u32::MAX),
            ));
        }
        let m: SavedModel =
            serde_json::from_value(value).map_err(|e| ModelFileError::Json(e.to_string()))?;
        if m.format != MODEL_FORMAT {
            return Err(ModelFileError::Format(m.format));
        }
        let width = m.encoder.width();
        let bad = |what: String| Err(ModelFileError::Inconsistent(what));
        if m.feature_names != m.encoder.feature_names() {
            return bad("the feature names do not follow the encoder".into());
        }
        if m.model.coef.len() != width
            || m.scaler.means.len() != width
            || m.scaler.scales.len() != width
        {
            return bad(format!(
                "{} features but {} coefficients and {} scales",
                width,
                m.model.coef.len(),
                m.scaler.scales.len()
            ));
        }
        if m.stats.len() != m.encoder.columns.len()
            || m.stats
                .iter()
                .zip(&m.encoder.columns)
                .any(|(s, c)| s.column() != c.column)
        {
            return bad("the statistics do not match the columns".into());
        }
        if m.lime_bins.len() != m.encoder.columns.len() {
            return bad("the LIME statistics do not match the columns".into());
        }
        if let Some(r) = &m.reference {
            r.check(&m.encoder).map_err(ModelFileError::Inconsistent)?;
        }
        if !m.table_columns.is_empty() {
            if let Some(missing) = m
                .stats
                .iter()
                .map(|s| s.column())
                .find(|c| !m.table_columns.iter().any(|t| t == c))
            {
                return bad(format!(
                    "the column \"{missing}\" is not among the training table's columns"
                ));
            }
        }
        if m.model
            .coef
            .iter()
            .chain(m.scaler.means.iter())
            .chain(m.scaler.scales.iter())
            .any(|v| !v.is_finite())
            || !m.model.intercept.is_finite()
        {
            return bad("a coefficient or scale is not a finite number".into());
        }
        Ok(m)
    }
}

/// A plain model trained on `rows` synthetic customers drawn with `seed`,
/// and those customers: the fixture of the explanation tests.
#[cfg(test)]
pub(crate) fn synthetic_model(rows: usize, seed: u64) -> (Table, SavedModel) {
    use crate::model::config::Mode;
    use crate::model::defaults::default_config;
    use crate::model::train::train;
    let t = crate::data::synth::generate(rows, seed);
    let cfg = TrainConfig {
        mode: Mode::Plain,
        ..default_config(&t)
    };
    let trained = train(&t, &cfg, &mut |_, _| true).expect("the synthetic data trains");
    let m = SavedModel::new("m", &t, &cfg, &trained, None);
    (t, m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::synth::generate;
    use crate::model::config::Mode;
    use crate::model::defaults::default_config;
    use crate::model::train::train;

    #[test]
    fn a_saved_model_round_trips_and_is_validated() {
        let t = generate(800, 21);
        let cfg = TrainConfig {
            mode: Mode::Plain,
            ..default_config(&t)
        };
        let trained = train(&t, &cfg, &mut |_, _| true).unwrap();
        let m = SavedModel::new("Churn Model API Endpoint", &t, &cfg, &trained, Some(7));
        let json = m.to_json();
        assert_eq!(SavedModel::from_json(&json).unwrap(), m);
        assert_eq!(m.stats.len(), 19);
        let tenure = m.stats.iter().find(|s| s.column() == "tenure").unwrap();
        assert!(
            matches!(tenure, ColumnStats::Numeric { min, max, .. } if *min >= 0.0 && *max <= 72.0)
        );
        let broken = json.replacen("\"format\":\"churnlab-model\"", "\"format\":\"other\"", 1);
        assert_eq!(
            SavedModel::from_json(&broken).unwrap_err().to_string(),
            "this is not a Churnlab model (format \"other\")"
        );
        assert!(SavedModel::from_json("{")
            .unwrap_err()
            .to_string()
            .starts_with("this is not a Churnlab model: "));
        let mut short = m.clone();
        short.model.coef.pop();
        assert!(SavedModel::from_json(&short.to_json())
            .unwrap_err()
            .to_string()
            .starts_with("the model is inconsistent"));
    }
}

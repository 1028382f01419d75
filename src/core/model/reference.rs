//! What a saved model keeps of its training data for monitoring: a seeded
//! sample of the training rows (each model column's values, and the labels)
//! to compare live traffic against, and the test split's scores and labels,
//! the reference period from which confidence-based performance estimation
//! calibrates. Kept small (at most [`REFERENCE_ROWS`] training rows and
//! [`REFERENCE_TEST_ROWS`] test scores) so that a model file stays a few
//! tens of kilobytes.

use serde::{Deserialize, Serialize};

use crate::common::rng::Rng;
use crate::data::table::Table;
use crate::model::features::{category_index, category_label, Encoder, FeatureKind};

/// Most training rows a reference keeps.
pub const REFERENCE_ROWS: usize = 1_000;
/// Most test-split scores a reference keeps.
pub const REFERENCE_TEST_ROWS: usize = 2_000;

/// One model column's values over the reference rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "values", rename_all = "lowercase")]
pub enum ReferenceColumn {
    Numeric(Vec<Option<f64>>),
    /// Indices into the column's sorted categories.
    Categorical(Vec<Option<u16>>),
}

impl ReferenceColumn {
    pub fn len(&self) -> usize {
        match self {
            ReferenceColumn::Numeric(v) => v.len(),
            ReferenceColumn::Categorical(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    /// Per model column (in the model's column order), the sampled training rows.
    pub columns: Vec<ReferenceColumn>,
    /// Whether each sampled training row is of the positive class.
    pub labels: Vec<bool>,
    /// The model's probability for each test row, and its true class.
    pub test_scores: Vec<f64>,
    pub test_labels: Vec<bool>,
    /// The target's other class (the positive one is the model's).
    pub negative: String,
}

/// Up to `k` of `rows`, drawn without replacement with `seed`, in row order.
fn sample_rows(rows: &[usize], k: usize, seed: u64) -> Vec<usize> {
    if rows.len() <= k {
        return rows.to_vec();
    }
    let mut picked = rows.to_vec();
    let mut rng = Rng::new(seed);
    // A partial Fisher-Yates shuffle: the first k are a uniform sample.
    for i in 0..k {
        let j = i + rng.below((picked.len() - i) as u64) as usize;
        picked.swap(i, j);
    }
    picked.truncate(k);
    picked.sort_unstable();
    picked
}

impl Reference {
    /// The reference of a model trained on `train_rows` of `table`, with the
    /// test split's `scores` and `labels` (in test-row order).
    // Each argument is a different part of the trained model, named at the
    // one call (SavedModel::new); a struct would only repeat them.
    #[allow(clippy::too_many_arguments)]
    pub fn build(
        table: &Table,
        encoder: &Encoder,
        target: &str,
        positive: &str,
        train_rows: &[usize],
        scores: &[f64],
        labels: &[bool],
        seed: u64,
    ) -> Reference {
        let rows = sample_rows(train_rows, REFERENCE_ROWS, seed.wrapping_add(1));
        let columns = encoder
            .columns
            .iter()
            .map(|c| {
                let data = table.column(&c.column).map(|col| &col.data);
                match c.kind {
                    FeatureKind::Numeric => ReferenceColumn::Numeric(
                        rows.iter()
                            .map(|&r| data.and_then(|d| d.number(r)))
                            .collect(),
                    ),
                    FeatureKind::Categorical => ReferenceColumn::Categorical(
                        rows.iter()
                            .map(|&r| {
                                data.and_then(|d| category_label(d, r))
                                    .and_then(|l| category_index(&c.categories, &l))
                                    .map(|k| k as u16)
                            })
                            .collect(),
                    ),
                }
            })
            .collect();
        let target = table.column(target).map(|c| &c.data);
        let negative = target
            .and_then(crate::model::defaults::binary_labels)
            .and_then(|l| l.into_iter().find(|x| x != positive))
            .unwrap_or_default();
        let labels_of_rows = rows
            .iter()
            .map(|&r| {
                target
                    .and_then(|d| category_label(d, r))
                    .is_some_and(|l| l == positive)
            })
            .collect();
        let test = sample_rows(
            &(0..scores.len()).collect::<Vec<_>>(),
            REFERENCE_TEST_ROWS,
            seed.wrapping_add(2),
        );
        Reference {
            columns,
            labels: labels_of_rows,
            test_scores: test.iter().map(|&i| scores[i]).collect(),
            test_labels: test.iter().map(|&i| labels[i]).collect(),
            negative,
        }
    }

    /// How many training rows the sample holds.
    pub fn rows(&self) -> usize {
        self.labels.len()
    }

    /// Whether the reference fits a model with these columns; the problem if not.
    pub fn check(&self, encoder: &Encoder) -> Result<(), String> {
        if self.columns.len() != encoder.columns.len() {
            return Err(format!(
                "{} reference columns for {} model columns",
                self.columns.len(),
                encoder.columns.len()
            ));
        }
        for (r, c) in self.columns.iter().zip(&encoder.columns) {
            let fits = match (r, c.kind) {
                (ReferenceColumn::Numeric(v), FeatureKind::Numeric) => {
                    v.iter().flatten().all(|x| x.is_finite())
                }
                (ReferenceColumn::Categorical(v), FeatureKind::Categorical) => v
                    .iter()
                    .flatten()
                    .all(|k| (*k as usize) < c.categories.len()),
                _ => false,
            };
            if !fits || r.len() != self.labels.len() {
                return Err(format!(
                    "the reference values of \"{}\" do not fit the model",
                    c.column
                ));
            }
        }
        if self.test_scores.len() != self.test_labels.len()
            || self.test_scores.iter().any(|p| !(0.0..=1.0).contains(p))
        {
            return Err("the reference test scores are not probabilities with a label each".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_are_seeded_sorted_and_capped() {
        let rows: Vec<usize> = (0..5000).map(|i| i * 2).collect();
        let a = sample_rows(&rows, 1000, 9);
        assert_eq!(a, sample_rows(&rows, 1000, 9));
        assert_ne!(a, sample_rows(&rows, 1000, 10));
        assert_eq!(a.len(), 1000);
        assert!(a.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(sample_rows(&rows[..10], 1000, 9), rows[..10].to_vec());
    }
}

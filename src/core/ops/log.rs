//! The prediction log of a simulation: one entry per call with its
//! prediction id, simulated time, the customer as sent, the probability, the
//! predicted class, the processing time, the explanation (for runs that
//! called `explain`) and the label delivered later. It converts to a
//! [`Table`] (to store it, query it with SQL and export it as CSV) and back.

use arrow_array::{Float64Array, Int64Array, StringArray, UInt16Array};

use crate::data::table::{categorical_from_parts, Column, ColumnData, Table};
use crate::model::pipeline::{ColumnStats, SavedModel};
use crate::ops::drift::{Cell, Values};

#[derive(Clone, Debug, PartialEq)]
pub struct Log {
    pub ids: Vec<String>,
    pub time_ms: Vec<f64>,
    /// Per model column, the values sent.
    pub values: Vec<Values>,
    /// The model's probability (NaN for a call the endpoint refused).
    pub probability: Vec<f64>,
    pub latency_ms: Vec<f64>,
    /// The customer's real label, and the label delivered (maybe corrupted).
    pub true_label: Vec<bool>,
    pub label: Vec<bool>,
    /// The call after which each label arrived (1-based).
    pub label_at: Vec<u64>,
    /// Explanation weights, calls × columns, when the run explained.
    pub explanations: Option<Vec<f64>>,
    /// The build id of the model that served the calls.
    pub served_by: String,
}

/// Column names of the log table besides the model's columns.
pub const ID: &str = "prediction_id";
const TIME: &str = "timestamp_ms";
const PROBABILITY: &str = "probability";
const PREDICTED: &str = "predicted";
const LATENCY: &str = "processing_ms";
const TRUE_LABEL: &str = "true_label";
const LABEL: &str = "final_label";
const LABEL_AT: &str = "label_after_call";
const SERVED_BY: &str = "served_by";
const WEIGHT_PREFIX: &str = "weight_";

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("the stored prediction log is damaged: {0}")]
pub struct LogError(String);

impl Log {
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Whether the model predicted the positive class for call `i`.
    pub fn predicted(&self, i: usize) -> bool {
        self.probability[i] >= crate::ops::cbpe::THRESHOLD
    }

    /// The log as a table: fixed columns, then the model's columns (numbers,
    /// or the category labels), then the explanation weights if any.
    pub fn to_table(&self, model: &SavedModel) -> Table {
        let (neg, pos) = labels_of(model);
        let n = self.len();
        // A column of the two classes (key 1: positive), or of one label.
        let classes = |flags: &mut dyn Iterator<Item = bool>| {
            let keys: UInt16Array = flags.map(|b| Some(u16::from(b))).collect();
            ColumnData::Categorical(categorical_from_parts(
                keys,
                StringArray::from(vec![neg.clone(), pos.clone()]),
            ))
        };
        let mut cols = vec![
            Column::new(ID, ColumnData::Text(StringArray::from(self.ids.clone()))),
            Column::new(
                TIME,
                ColumnData::Integer(Int64Array::from(
                    self.time_ms.iter().map(|t| *t as i64).collect::<Vec<_>>(),
                )),
            ),
            Column::new(
                PROBABILITY,
                ColumnData::Float(Float64Array::from(
                    self.probability
                        .iter()
                        .map(|p| (!p.is_nan()).then_some(*p))
                        .collect::<Vec<_>>(),
                )),
            ),
            Column::new(PREDICTED, classes(&mut (0..n).map(|i| self.predicted(i)))),
            Column::new(
                LATENCY,
                ColumnData::Float(Float64Array::from(self.latency_ms.clone())),
            ),
            Column::new(TRUE_LABEL, classes(&mut self.true_label.iter().copied())),
            Column::new(LABEL, classes(&mut self.label.iter().copied())),
            Column::new(
                LABEL_AT,
                ColumnData::Integer(Int64Array::from(
                    self.label_at.iter().map(|c| *c as i64).collect::<Vec<_>>(),
                )),
            ),
            Column::new(
                SERVED_BY,
                ColumnData::Categorical(categorical_from_parts(
                    UInt16Array::from(vec![0u16; n]),
                    StringArray::from(vec![self.served_by.clone()]),
                )),
            ),
        ];
        for (s, v) in model.stats.iter().zip(&self.values) {
            let data = match (s, v) {
                (_, Values::Numeric(x)) => ColumnData::Float(Float64Array::from(x.clone())),
                (ColumnStats::Categorical { categories, .. }, Values::Categorical(c)) => {
                    // Unseen values keep a label of their own.
                    let mut labels = categories.clone();
                    labels.push("(unseen)".into());
                    let unseen = (labels.len() - 1) as u16;
                    let keys: UInt16Array = c
                        .iter()
                        .map(|cell| match cell {
                            Cell::Known(k) => Some(*k),
                            Cell::Unseen => Some(unseen),
                            Cell::Missing => None,
                        })
                        .collect();
                    ColumnData::Categorical(categorical_from_parts(keys, StringArray::from(labels)))
                }
                _ => ColumnData::Float(Float64Array::from(vec![None::<f64>; n])),
            };
            cols.push(Column::new(s.column(), data));
        }
        if let Some(w) = &self.explanations {
            let d = model.stats.len();
            for (j, s) in model.stats.iter().enumerate() {
                let col: Vec<f64> = (0..n).map(|i| w[i * d + j]).collect();
                cols.push(Column::new(
                    format!("{WEIGHT_PREFIX}{}", s.column()),
                    ColumnData::Float(Float64Array::from(col)),
                ));
            }
        }
        // The names are distinct unless a model column is called like a log column.
        Table::try_new("prediction_log", cols.clone()).unwrap_or_else(|_| {
            let renamed = cols.into_iter().enumerate().map(|(i, mut c)| {
                if i >= 9 {
                    c.name = format!("input_{}", c.name);
                }
                c
            });
            Table::try_new("prediction_log", renamed.collect()).unwrap_or_else(|_| {
                Table::try_new("prediction_log", Vec::new()).expect("an empty table is valid")
            })
        })
    }

    /// Reads a log back from its table.
    pub fn from_table(table: &Table, model: &SavedModel) -> Result<Log, LogError> {
        let get = |name: &str| {
            table
                .column(name)
                .map(|c| &c.data)
                .ok_or_else(|| LogError(format!("no column {name}")))
        };
        let text = |name: &str| -> Result<Vec<String>, LogError> {
            let d = get(name)?;
            (0..d.len())
                .map(|r| {
                    d.str_value(r)
                        .map(str::to_owned)
                        .ok_or_else(|| LogError(format!("{name} is empty in row {}", r + 1)))
                })
                .collect()
        };
        let numbers = |name: &str| -> Result<Vec<f64>, LogError> {
            let d = get(name)?;
            Ok((0..d.len())
                .map(|r| d.number(r).unwrap_or(f64::NAN))
                .collect())
        };
        let (_, pos) = labels_of(model);
        let flags = |name: &str| -> Result<Vec<bool>, LogError> {
            let d = get(name)?;
            Ok((0..d.len())
                .map(|r| d.str_value(r) == Some(pos.as_str()))
                .collect())
        };
        let ids = text(ID)?;
        let served = get(SERVED_BY)?.str_value(0).unwrap_or_default().to_owned();
        let values = model
            .stats
            .iter()
            .map(|s| {
                let d = table
                    .column(s.column())
                    .or_else(|| table.column(&format!("input_{}", s.column())))
                    .map(|c| &c.data)
                    .ok_or_else(|| LogError(format!("no column {}", s.column())))?;
                Ok(match s {
                    ColumnStats::Numeric { .. } => {
                        Values::Numeric((0..d.len()).map(|r| d.number(r)).collect())
                    }
                    ColumnStats::Categorical { categories, .. } => Values::Categorical(
                        (0..d.len())
                            .map(|r| match d.str_value(r) {
                                None => Cell::Missing,
                                Some(l) => crate::model::features::category_index(categories, l)
                                    .map_or(Cell::Unseen, |k| Cell::Known(k as u16)),
                            })
                            .collect(),
                    ),
                })
            })
            .collect::<Result<Vec<_>, LogError>>()?;
        let d = model.stats.len();
        let weights: Option<Vec<Vec<f64>>> = model
            .stats
            .iter()
            .map(|s| {
                table
                    .column(&format!("{WEIGHT_PREFIX}{}", s.column()))
                    .map(|c| {
                        (0..c.data.len())
                            .map(|r| c.data.number(r).unwrap_or(f64::NAN))
                            .collect()
                    })
            })
            .collect();
        let n = ids.len();
        let explanations = weights.map(|cols| {
            (0..n)
                .flat_map(|i| (0..d).map(move |j| (i, j)))
                .map(|(i, j)| cols[j][i])
                .collect()
        });
        let log = Log {
            ids,
            time_ms: numbers(TIME)?,
            values,
            probability: numbers(PROBABILITY)?,
            latency_ms: numbers(LATENCY)?,
            true_label: flags(TRUE_LABEL)?,
            label: flags(LABEL)?,
            label_at: numbers(LABEL_AT)?
                .into_iter()
                .map(|c| c.max(0.0) as u64)
                .collect(),
            explanations,
            served_by: served,
        };
        if log.values.iter().any(|v| v.len() != n) {
            return Err(LogError("the columns have different lengths".into()));
        }
        Ok(log)
    }
}

/// The model's two classes: (negative, positive) labels.
pub fn labels_of(model: &SavedModel) -> (String, String) {
    (model.negative_class(), model.positive.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::simulate::{simulate, SimSettings};

    #[test]
    fn a_log_round_trips_through_its_table() {
        let (t, m) = crate::model::pipeline::synthetic_model(600, 4);
        let s = SimSettings {
            calls: 250,
            block_size: 50,
            ..SimSettings::default()
        };
        let log = simulate(
            &m,
            Some(&crate::explain::lime::Lime::new(&m)),
            &t,
            &s,
            &mut || 1.5,
            &mut |_, _| true,
        )
        .unwrap();
        let table = log.to_table(&m);
        assert_eq!(table.num_rows(), 250);
        assert_eq!(table.columns()[0].name, ID);
        assert_eq!(Log::from_table(&table, &m).unwrap(), log);
        let broken = Table::try_new("x", table.columns()[1..].to_vec()).unwrap();
        assert_eq!(
            Log::from_table(&broken, &m).unwrap_err().to_string(),
            "the stored prediction log is damaged: no column prediction_id"
        );
    }
}

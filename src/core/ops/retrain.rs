//! Retraining on the reference plus the labelled recent traffic, and the
//! challenger shadowing the champion on the same prediction ids: accuracy
//! of each per block, and the exact McNemar test on the calls the
//! challenger did not train on.

use arrow_array::{Float64Array, StringArray, UInt16Array};
use serde::{Deserialize, Serialize};

use crate::common::hypothesis::binomial_half_two_sided;
use crate::data::table::{categorical_from_parts, Column, ColumnData, Table};
use crate::explain::customer::{encode, probability, FeatureValue};
use crate::model::features::category_label;
use crate::model::pipeline::{ColumnStats, SavedModel};
use crate::model::reference::{Reference, ReferenceColumn};
use crate::ops::drift::{Cell, Values};
use crate::ops::log::{labels_of, Log};

/// One cell of a model column before it is a table.
enum Raw {
    Number(Option<f64>),
    Label(Option<String>),
}

/// Builds a table from per-column raw cells and the target labels.
fn table_of(model: &SavedModel, columns: Vec<Vec<Raw>>, target: Vec<Option<String>>) -> Table {
    let mut cols: Vec<Column> = model
        .stats
        .iter()
        .zip(columns)
        .map(|(s, cells)| {
            let numeric = matches!(s, ColumnStats::Numeric { .. });
            let data = if numeric {
                ColumnData::Float(Float64Array::from(
                    cells
                        .into_iter()
                        .map(|c| if let Raw::Number(v) = c { v } else { None })
                        .collect::<Vec<_>>(),
                ))
            } else {
                labels_column(
                    cells
                        .into_iter()
                        .map(|c| if let Raw::Label(l) = c { l } else { None })
                        .collect(),
                )
            };
            Column::new(s.column(), data)
        })
        .collect();
    cols.push(Column::new(model.target.clone(), labels_column(target)));
    Table::try_new("retraining", cols).unwrap_or_else(|_| {
        Table::try_new("retraining", Vec::new()).expect("an empty table is valid")
    })
}

fn labels_column(values: Vec<Option<String>>) -> ColumnData {
    let mut labels: Vec<String> = values.iter().flatten().cloned().collect();
    labels.sort();
    labels.dedup();
    let keys: UInt16Array = values
        .iter()
        .map(|v| {
            v.as_ref()
                .and_then(|l| labels.binary_search(l).ok())
                .map(|k| k as u16)
        })
        .collect();
    ColumnData::Categorical(categorical_from_parts(keys, StringArray::from(labels)))
}

/// The rows to retrain on: every row of `training` (the dataset the model
/// was trained on), or the model's reference sample when that dataset is
/// gone, then each call of blocks `1..=up_to_block` with its delivered label.
pub fn retraining_table(
    model: &SavedModel,
    training: Option<&Table>,
    reference: &Reference,
    log: &Log,
    block_size: usize,
    up_to_block: usize,
) -> Table {
    let (neg, pos) = labels_of(model);
    let mut columns: Vec<Vec<Raw>> = model.stats.iter().map(|_| Vec::new()).collect();
    let mut target: Vec<Option<String>> = Vec::new();
    match training {
        Some(t) => {
            let tdata = t.column(&model.target).map(|c| &c.data);
            for (s, out) in model.stats.iter().zip(columns.iter_mut()) {
                let data = t.column(s.column()).map(|c| &c.data);
                for r in 0..t.num_rows() {
                    out.push(match s {
                        ColumnStats::Numeric { .. } => Raw::Number(data.and_then(|d| d.number(r))),
                        ColumnStats::Categorical { .. } => {
                            Raw::Label(data.and_then(|d| category_label(d, r)))
                        }
                    });
                }
            }
            target.extend((0..t.num_rows()).map(|r| tdata.and_then(|d| category_label(d, r))));
        }
        None => {
            for ((s, rc), out) in model
                .stats
                .iter()
                .zip(&reference.columns)
                .zip(columns.iter_mut())
            {
                match (s, rc) {
                    (_, ReferenceColumn::Numeric(v)) => {
                        out.extend(v.iter().map(|x| Raw::Number(*x)))
                    }
                    (
                        ColumnStats::Categorical { categories, .. },
                        ReferenceColumn::Categorical(v),
                    ) => {
                        out.extend(v.iter().map(|k| {
                            Raw::Label(k.and_then(|k| categories.get(k as usize)).cloned())
                        }))
                    }
                    _ => out.extend(v_none(rc.len())),
                }
            }
            target.extend(
                reference
                    .labels
                    .iter()
                    .map(|l| Some(if *l { pos.clone() } else { neg.clone() })),
            );
        }
    }
    let calls = (up_to_block * block_size).min(log.len());
    for ((s, values), out) in model.stats.iter().zip(&log.values).zip(columns.iter_mut()) {
        match (s, values) {
            (_, Values::Numeric(v)) => out.extend(v[..calls].iter().map(|x| Raw::Number(*x))),
            (ColumnStats::Categorical { categories, .. }, Values::Categorical(v)) => {
                out.extend(v[..calls].iter().map(|c| {
                    Raw::Label(match c {
                        Cell::Known(k) => categories.get(*k as usize).cloned(),
                        _ => None,
                    })
                }))
            }
            _ => out.extend(v_none(calls)),
        }
    }
    target.extend(
        log.label[..calls]
            .iter()
            .map(|l| Some(if *l { pos.clone() } else { neg.clone() })),
    );
    table_of(model, columns, target)
}

fn v_none(n: usize) -> impl Iterator<Item = Raw> {
    (0..n).map(|_| Raw::Number(None))
}

/// A call of the log as `model` reads it (None when it would refuse it).
pub fn customer_of_call(model: &SavedModel, log: &Log, i: usize) -> Option<Vec<FeatureValue>> {
    model
        .stats
        .iter()
        .zip(&log.values)
        .map(|(s, v)| match (s, v) {
            (ColumnStats::Numeric { median, .. }, Values::Numeric(x)) => {
                Some(FeatureValue::Number(x[i].unwrap_or(*median)))
            }
            (ColumnStats::Categorical { categories, .. }, Values::Categorical(c)) => match c[i] {
                Cell::Known(k) => categories
                    .get(k as usize)
                    .cloned()
                    .map(FeatureValue::Category),
                Cell::Missing => categories.first().cloned().map(FeatureValue::Category),
                Cell::Unseen => None,
            },
            _ => None,
        })
        .collect()
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShadowBlock {
    pub block: usize,
    pub champion: Option<f64>,
    pub challenger: Option<f64>,
    /// The challenger trained on this block's calls.
    pub in_training: bool,
}

/// The exact McNemar test: calls only the champion got right (`b`), only
/// the challenger got right (`c`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct McNemar {
    pub calls: usize,
    pub champion_only: usize,
    pub challenger_only: usize,
    pub p_value: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shadow {
    pub challenger_build_id: String,
    pub trained_up_to_block: usize,
    pub blocks: Vec<ShadowBlock>,
    /// Over the calls of blocks after `trained_up_to_block` (None if none).
    pub mcnemar: Option<McNemar>,
}

/// Scores every call of `log` with the challenger and compares it with the
/// champion's logged predictions against the delivered labels.
pub fn shadow(
    challenger: &SavedModel,
    log: &Log,
    block_size: usize,
    trained_up_to_block: usize,
) -> Shadow {
    let b = block_size.max(1);
    let scores: Vec<f64> = (0..log.len())
        .map(|i| {
            customer_of_call(challenger, log, i).map_or(f64::NAN, |c| {
                probability(challenger, &encode(challenger, &c))
            })
        })
        .collect();
    let right =
        |p: f64, i: usize| !p.is_nan() && (p >= crate::ops::cbpe::THRESHOLD) == log.label[i];
    let mut blocks = Vec::new();
    let (mut calls, mut champion_only, mut challenger_only) = (0, 0, 0);
    for (k, start) in (0..log.len()).step_by(b).enumerate() {
        let end = (start + b).min(log.len());
        let block = k + 1;
        let acc = |p: &dyn Fn(usize) -> f64| {
            let idx: Vec<usize> = (start..end).filter(|&i| !p(i).is_nan()).collect();
            (!idx.is_empty())
                .then(|| idx.iter().filter(|&&i| right(p(i), i)).count() as f64 / idx.len() as f64)
        };
        blocks.push(ShadowBlock {
            block,
            champion: acc(&|i| log.probability[i]),
            challenger: acc(&|i| scores[i]),
            in_training: block <= trained_up_to_block,
        });
        if block > trained_up_to_block {
            let calls_here = log.probability[start..end].iter().zip(&scores[start..end]);
            for (i, (&p, &s)) in (start..end).zip(calls_here) {
                let (a, c) = (right(p, i), right(s, i));
                calls += 1;
                champion_only += usize::from(a && !c);
                challenger_only += usize::from(c && !a);
            }
        }
    }
    let mcnemar = (calls > 0).then(|| McNemar {
        calls,
        champion_only,
        challenger_only,
        p_value: binomial_half_two_sided(
            champion_only as u64,
            (champion_only + challenger_only) as u64,
        ),
    });
    Shadow {
        challenger_build_id: challenger.build_id.clone(),
        trained_up_to_block,
        blocks,
        mcnemar,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::config::Mode;
    use crate::model::train::train;
    use crate::ops::scenario::{Scenario, ScenarioKind};
    use crate::ops::simulate::{simulate, SimSettings};

    #[test]
    fn a_challenger_retrained_on_drifted_traffic_is_compared_on_held_out_blocks() {
        let (t, m) = crate::model::pipeline::synthetic_model(2500, 8);
        let reference = m.reference.clone().unwrap();
        let scenario = Scenario {
            kind: ScenarioKind::ChurnRate,
            start_block: 2,
            strength: 1.0,
            ..Scenario::default()
        };
        let s = SimSettings {
            calls: 1000,
            block_size: 100,
            scenario,
            ..SimSettings::default()
        };
        let log = simulate(&m, None, &t, &s, &mut || 0.0, &mut |_, _| true).unwrap();
        for training in [Some(&t), None] {
            let table = retraining_table(&m, training, &reference, &log, 100, 6);
            let base = training.map_or(reference.rows(), |t| t.num_rows());
            assert_eq!(table.num_rows(), base + 600);
            let cfg = crate::model::config::TrainConfig {
                mode: Mode::Plain,
                ..m.config.clone()
            };
            let trained = train(&table, &cfg, &mut |_, _| true).unwrap();
            let challenger = SavedModel::new("m", &table, &cfg, &trained, None);
            let sh = shadow(&challenger, &log, 100, 6);
            assert_eq!(sh.blocks.len(), 10);
            assert!(sh.blocks[5].in_training && !sh.blocks[6].in_training);
            let mc = sh.mcnemar.unwrap();
            assert_eq!(mc.calls, 400);
            assert!((0.0..=1.0).contains(&mc.p_value));
            // The champion's accuracy is the logged one.
            assert_eq!(
                sh.blocks[0].champion,
                Some(
                    (0..100)
                        .filter(|&i| log.predicted(i) == log.label[i])
                        .count() as f64
                        / 100.0
                )
            );
        }
    }
}

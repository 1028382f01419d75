//! Scoring many customers with a saved model: a table row as a customer,
//! the model as one additive term per column, every row of a table at once
//! (the customers page), the top reasons, and batch-scoring CSV lines.

use crate::explain::customer::{
    column_terms, contributions, default_value, encode, probability, FeatureValue, Term,
};
use crate::model::pipeline::{ColumnStats, SavedModel};

/// A table row as a customer for `model`: each model column's cell, or its
/// default when the cell is empty or not a value the model knows.
pub fn values_of_row(
    model: &SavedModel,
    table: &crate::data::table::Table,
    row: usize,
) -> Vec<FeatureValue> {
    model
        .stats
        .iter()
        .map(|s| value_at(s, table, row))
        .collect()
}

/// Model column `s`'s value in `row`, as [`values_of_row`] reads it.
fn value_at(s: &ColumnStats, table: &crate::data::table::Table, row: usize) -> FeatureValue {
    let data = table.column(s.column()).map(|c| &c.data);
    let read = match s {
        ColumnStats::Numeric { .. } => data.and_then(|d| d.number(row)).map(FeatureValue::Number),
        ColumnStats::Categorical { categories, .. } => data
            .and_then(|d| crate::model::features::category_label(d, row))
            .and_then(|l| {
                crate::model::features::category_index(categories, &l)
                    .map(|k| FeatureValue::Category(categories[k].clone()))
            }),
    };
    read.unwrap_or_else(|| default_value(s))
}

/// Keys that order `rows` by model column `column` as the Customers table
/// sorts it (numbers by value, categories by their text; reversed when
/// `descending`), for `common::order`'s radix sort: `(key, index into rows)`.
pub fn column_keys(
    model: &SavedModel,
    table: &crate::data::table::Table,
    column: usize,
    rows: &[usize],
    descending: bool,
) -> Vec<(u64, u32)> {
    use crate::common::order::f64_key;
    let Some(stats) = model.stats.get(column) else {
        return (0..rows.len() as u32).map(|i| (0, i)).collect();
    };
    // A category's key: its text's place among all the column's texts.
    let mut texts: Vec<String> = match stats {
        ColumnStats::Categorical { categories, .. } => categories.clone(),
        ColumnStats::Numeric { .. } => Vec::new(),
    };
    if let FeatureValue::Category(d) = default_value(stats) {
        texts.push(d);
    }
    texts.sort();
    texts.dedup();
    let rank = |text: &str| {
        texts
            .binary_search_by(|t| t.as_str().cmp(text))
            .unwrap_or(0) as u64
    };
    rows.iter()
        .enumerate()
        .map(|(i, &row)| {
            let key = match value_at(stats, table, row) {
                FeatureValue::Number(n) => f64_key(n, false),
                FeatureValue::Category(c) => rank(&c),
            };
            (if descending { !key } else { key }, i as u32)
        })
        .collect()
}

/// A scored customer: probability and exact contributions per column.
#[derive(Clone, Debug, PartialEq)]
pub struct Scored {
    pub row: usize,
    pub probability: f64,
    pub contributions: Vec<f64>,
}

/// Scores every row of `table` (the customers table).
pub fn score_table(model: &SavedModel, table: &crate::data::table::Table) -> Vec<Scored> {
    score_rows(model, table, 0..table.num_rows())
}

/// Scores the rows `rows` of `table`, column by column: the same numbers
/// as encoding each row, without building the rows.
pub fn score_rows(
    model: &SavedModel,
    table: &crate::data::table::Table,
    rows: std::ops::Range<usize>,
) -> Vec<Scored> {
    let rows = rows.start.min(table.num_rows())..rows.end.min(table.num_rows());
    let (start, n) = (rows.start, rows.len());
    let d = model.stats.len();
    let mut terms = vec![0.0f64; n * d];
    for (ci, (s, term)) in model.stats.iter().zip(column_terms(model)).enumerate() {
        let data = table.column(s.column()).map(|c| &c.data);
        match (term, s) {
            (Term::Numeric { slope, offset }, ColumnStats::Numeric { median, .. }) => {
                for (i, row) in rows.clone().enumerate() {
                    let x = data.and_then(|d| d.number(row)).unwrap_or(*median);
                    terms[i * d + ci] = slope * x + offset;
                }
            }
            (Term::Categorical(per), ColumnStats::Categorical { categories, .. }) => {
                let lookup =
                    |label: &str| crate::model::features::category_index(categories, label);
                // Dictionary columns: look each label up once, then index by key.
                if let Some(crate::data::table::ColumnData::Categorical(dict)) = data {
                    let by_key: Vec<Option<usize>> = data
                        .and_then(|d| d.categories())
                        .map(|labels| labels.iter().map(|l| l.and_then(lookup)).collect())
                        .unwrap_or_default();
                    let keys = dict.keys();
                    for (i, row) in rows.clone().enumerate() {
                        let k = if arrow_array::Array::is_valid(keys, row) {
                            by_key.get(keys.value(row) as usize).copied().flatten()
                        } else {
                            None
                        };
                        terms[i * d + ci] = per[k.unwrap_or(0)];
                    }
                    continue;
                }
                for (i, row) in rows.clone().enumerate() {
                    let k = data.and_then(|d| match d.str_value(row) {
                        Some(label) => lookup(label),
                        None => {
                            crate::model::features::category_label(d, row).and_then(|l| lookup(&l))
                        }
                    });
                    terms[i * d + ci] = per[k.unwrap_or(0)];
                }
            }
            _ => {}
        }
    }
    terms
        .chunks(d.max(1))
        .take(n)
        .enumerate()
        .map(|(i, c)| Scored {
            row: start + i,
            probability: crate::model::logistic::sigmoid(
                model.model.intercept + c.iter().sum::<f64>(),
            ),
            contributions: c.to_vec(),
        })
        .collect()
}

/// The `k` columns pushing hardest towards the positive class, as
/// `Column = value`, largest first.
pub fn reasons(
    model: &SavedModel,
    values: &[FeatureValue],
    contributions: &[f64],
    k: usize,
) -> Vec<String> {
    let mut order: Vec<usize> = (0..contributions.len())
        .filter(|&i| contributions[i] > 0.0)
        .collect();
    order.sort_by(|&a, &b| contributions[b].total_cmp(&contributions[a]));
    order
        .into_iter()
        .take(k)
        .map(|i| format!("{} = {}", model.stats[i].column(), values[i].display()))
        .collect()
}

/// The header of a batch-scoring CSV.
pub const BATCH_HEADER: &str = "id,probability,reason_1,reason_2,reason_3\n";

/// Appends batch-scoring lines for `rows` of `table`: the row's id (the
/// `id_column`'s value, or its 1-based number), the probability, and the
/// top three reasons.
pub fn batch_lines(
    model: &SavedModel,
    table: &crate::data::table::Table,
    rows: std::ops::Range<usize>,
    id_column: Option<&str>,
    out: &mut String,
) {
    let ids = id_column.and_then(|c| table.column(c));
    for row in rows {
        let values = values_of_row(model, table, row);
        let x = encode(model, &values);
        let p = probability(model, &x);
        let mut reasons = reasons(model, &values, &contributions(model, &x), 3);
        reasons.resize(3, String::new());
        let id = ids
            .and_then(|c| c.data.display(row))
            .unwrap_or_else(|| (row + 1).to_string());
        let probability = format!("{p:.6}");
        let cells = [Some(id.as_str()), Some(probability.as_str())]
            .into_iter()
            .chain(
                reasons
                    .iter()
                    .map(|r| Some(r.as_str()).filter(|r| !r.is_empty())),
            );
        crate::data::csv::write_row(out, cells);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scoring_a_table_matches_encoding_each_row() {
        let (t, m) = crate::model::pipeline::synthetic_model(400, 6);
        for s in score_table(&m, &t) {
            let x = encode(&m, &values_of_row(&m, &t, s.row));
            assert!((s.probability - probability(&m, &x)).abs() < 1e-12);
            for (a, b) in s.contributions.iter().zip(contributions(&m, &x)) {
                assert!((a - b).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn scoring_in_slices_gives_the_whole_tables_scores() {
        let (t, m) = crate::model::pipeline::synthetic_model(400, 6);
        let whole = score_table(&m, &t);
        let sliced: Vec<Scored> = [0..7, 7..250, 250..399, 399..10_000, 500..600]
            .into_iter()
            .flat_map(|r| score_rows(&m, &t, r))
            .collect();
        assert_eq!(sliced.len(), whole.len());
        for (a, b) in sliced.iter().zip(&whole) {
            assert_eq!((a.row, a.probability), (b.row, b.probability));
            assert_eq!(a.contributions, b.contributions);
        }
    }

    #[test]
    fn batch_scoring_writes_a_probability_and_three_reasons_per_row() {
        let (t, m) = crate::model::pipeline::synthetic_model(300, 3);
        let mut out = BATCH_HEADER.to_owned();
        batch_lines(&m, &t, 0..t.num_rows(), Some("customerID"), &mut out);
        let parsed = crate::data::ingest::ingest_bytes(
            out.as_bytes(),
            crate::data::ingest::IngestOptions::new("scores"),
            1 << 16,
        )
        .unwrap()
        .0;
        assert_eq!(parsed.num_rows(), 300);
        assert_eq!(
            parsed
                .columns()
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>(),
            ["id", "probability", "reason_1", "reason_2", "reason_3"]
        );
        let first = t.column("customerID").unwrap().data.display(0).unwrap();
        assert_eq!(parsed.column("id").unwrap().data.display(0).unwrap(), first);
        let p = parsed
            .column("probability")
            .unwrap()
            .data
            .number(0)
            .unwrap();
        let x = encode(&m, &values_of_row(&m, &t, 0));
        assert!((p - probability(&m, &x)).abs() < 1e-6);
        assert!(parsed
            .column("reason_1")
            .unwrap()
            .data
            .display(0)
            .unwrap()
            .contains(" = "));
    }

    #[test]
    fn column_keys_sort_as_the_values_compare() {
        use crate::common::order::sort_by_key;
        let (t, m) = crate::model::pipeline::synthetic_model(500, 8);
        let rows: Vec<usize> = (0..t.num_rows()).rev().step_by(2).collect();
        for column in 0..m.stats.len() {
            for descending in [false, true] {
                let mut keyed = column_keys(&m, &t, column, &rows, descending);
                sort_by_key(&mut keyed);
                let got: Vec<usize> = keyed.iter().map(|&(_, i)| rows[i as usize]).collect();
                // The comparison the table used to sort with, stably.
                let values: Vec<FeatureValue> = rows
                    .iter()
                    .map(|&r| values_of_row(&m, &t, r).swap_remove(column))
                    .collect();
                let mut idx: Vec<usize> = (0..rows.len()).collect();
                idx.sort_by(|&a, &b| {
                    let o = match (&values[a], &values[b]) {
                        (FeatureValue::Number(x), FeatureValue::Number(y)) => x.total_cmp(y),
                        (x, y) => x.display().cmp(&y.display()),
                    };
                    if descending {
                        o.reverse()
                    } else {
                        o
                    }
                });
                let expected: Vec<usize> = idx.iter().map(|&i| rows[i]).collect();
                assert_eq!(got, expected, "column {column}, descending {descending}");
            }
        }
    }
}

//! Per-column summaries for the data page: type, nulls, distinct values,
//! min/max/mean for numbers and the most frequent values for the rest.

use arrow_array::Array;

use crate::core::hash::{hash_bytes, FxHashMap, FxHashSet};
use crate::core::table::{Column, ColumnData, ColumnType, Table};

/// How many most-frequent values a summary lists.
pub const TOP_VALUES: usize = 5;

#[derive(Clone, Debug, PartialEq)]
pub struct NumericStats {
    pub min: f64,
    pub max: f64,
    pub mean: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ColumnSummary {
    pub name: String,
    pub column_type: ColumnType,
    pub null_count: usize,
    pub distinct_count: usize,
    pub numeric: Option<NumericStats>,
    /// Most frequent values with their counts, most frequent first (ties by
    /// value); empty for numbers and for text where every value is unique.
    pub top_values: Vec<(String, usize)>,
}

pub fn summarize_table(table: &Table) -> Vec<ColumnSummary> {
    table.columns().iter().map(summarize_column).collect()
}

pub fn summarize_column(column: &Column) -> ColumnSummary {
    let data = &column.data;
    let (distinct_count, numeric, top_values) = match data {
        ColumnData::Integer(a) => {
            let values = a.iter().flatten();
            let distinct = values.clone().collect::<FxHashSet<i64>>().len();
            (distinct, numeric_stats(values.map(|v| v as f64)), Vec::new())
        }
        ColumnData::Float(a) => {
            let values = a.iter().flatten();
            let distinct = values.clone().map(|v| if v == 0.0 { 0u64 } else { v.to_bits() }).collect::<FxHashSet<u64>>().len();
            (distinct, numeric_stats(values), Vec::new())
        }
        ColumnData::Boolean(a) => {
            let trues = a.true_count();
            let falses = a.len() - a.null_count() - trues;
            let counts = vec![("true".to_owned(), trues), ("false".to_owned(), falses)];
            let counts: Vec<_> = counts.into_iter().filter(|(_, c)| *c > 0).collect();
            (counts.len(), None, rank(counts))
        }
        ColumnData::Categorical(a) => {
            let labels = data.categories();
            let mut counts = vec![0usize; labels.map_or(0, |l| l.len())];
            for k in a.keys().iter().flatten() {
                if let Some(c) = counts.get_mut(k as usize) {
                    *c += 1;
                }
            }
            let used: Vec<(String, usize)> = counts
                .iter()
                .enumerate()
                .filter(|(_, &c)| c > 0)
                .filter_map(|(k, &c)| Some((labels?.value(k).to_owned(), c)))
                .collect();
            (used.len(), None, rank(used))
        }
        ColumnData::Text(a) => {
            let distinct = a.iter().flatten().map(|s| hash_bytes(s.as_bytes())).collect::<FxHashSet<u64>>().len();
            let non_null = a.len() - a.null_count();
            let top = if distinct < non_null {
                let mut counts: FxHashMap<&str, usize> = FxHashMap::default();
                for s in a.iter().flatten() {
                    *counts.entry(s).or_default() += 1;
                }
                rank(counts.into_iter().filter(|(_, c)| *c > 1).map(|(s, c)| (s.to_owned(), c)).collect())
            } else {
                Vec::new()
            };
            (distinct, None, top)
        }
    };
    ColumnSummary {
        name: column.name.clone(),
        column_type: data.column_type(),
        null_count: data.null_count(),
        distinct_count,
        numeric,
        top_values,
    }
}

fn numeric_stats(values: impl Iterator<Item = f64>) -> Option<NumericStats> {
    let (mut min, mut max, mut sum, mut n) = (f64::INFINITY, f64::NEG_INFINITY, 0.0, 0usize);
    for v in values {
        min = min.min(v);
        max = max.max(v);
        sum += v;
        n += 1;
    }
    (n > 0).then(|| NumericStats { min, max, mean: sum / n as f64 })
}

fn rank(mut counts: Vec<(String, usize)>) -> Vec<(String, usize)> {
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts.truncate(TOP_VALUES);
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ingest::{ingest_bytes, IngestOptions};

    #[test]
    fn summarises_each_type() {
        let csv = "i,f,b,c,t\n1,1.5,true,Yes,a\n2,,false,No,b\n2,4.5,true,Yes,\n,0.0,,Yes,c\n";
        let t = ingest_bytes(csv.as_bytes(), IngestOptions::new("t"), 8).unwrap().0;
        let s = summarize_table(&t);
        assert_eq!(s[0].column_type, ColumnType::Integer);
        assert_eq!((s[0].null_count, s[0].distinct_count), (1, 2));
        let i = s[0].numeric.as_ref().unwrap();
        assert_eq!((i.min, i.max), (1.0, 2.0));
        assert!((i.mean - 5.0 / 3.0).abs() < 1e-12);
        assert_eq!(s[1].numeric.as_ref().unwrap().mean, 2.0);
        assert_eq!(s[2].top_values, vec![("true".into(), 2), ("false".into(), 1)]);
        assert_eq!(s[3].top_values, vec![("Yes".into(), 3), ("No".into(), 1)]);
        assert_eq!(s[3].distinct_count, 2);
        assert_eq!(s[4].column_type, ColumnType::Text);
        assert_eq!(s[4].distinct_count, 3);
        assert!(s[4].top_values.is_empty(), "all unique");
    }

    #[test]
    fn text_with_repeats_lists_its_top_values() {
        let data = ColumnData::Text(arrow_array::StringArray::from(vec!["x", "y", "x", "z"]));
        let s = summarize_column(&Column::new("t", data));
        assert_eq!(s.distinct_count, 3);
        assert_eq!(s.top_values, vec![("x".into(), 2)]);
    }
}

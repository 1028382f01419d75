//! Per-column summaries for the data page: type, nulls, distinct values,
//! min/max/mean for numbers and the most frequent values for the rest.

use arrow_array::Array;

use crate::core::hash::{hash_bytes, mix64, FxHashMap};
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
            let values = valid_values(a.values(), a.nulls());
            let stats = numeric_stats(values.iter().map(|&v| v as f64));
            let distinct = match (values.iter().min(), values.iter().max()) {
                // A small range: one bit per possible value.
                (Some(&lo), Some(&hi)) if (hi as i128 - lo as i128) < (1 << 22) => {
                    let mut seen = vec![0u64; ((hi - lo) as usize >> 6) + 1];
                    for &v in &values {
                        let i = (v - lo) as usize;
                        seen[i >> 6] |= 1 << (i & 63);
                    }
                    seen.iter().map(|w| w.count_ones() as usize).sum()
                }
                _ => count_distinct(values.iter().map(|&v| v as u64).collect()),
            };
            (distinct, stats, Vec::new())
        }
        ColumnData::Float(a) => {
            let values = valid_values(a.values(), a.nulls());
            // -0.0 and 0.0 are one value.
            let distinct = count_distinct(values.iter().map(|&v| if v == 0.0 { 0 } else { v.to_bits() }).collect());
            (distinct, numeric_stats(values.iter().copied()), Vec::new())
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
            let keys = a.keys();
            let mut count = |k: u16| {
                if let Some(c) = counts.get_mut(k as usize) {
                    *c += 1;
                }
            };
            match keys.nulls().filter(|n| n.null_count() > 0) {
                Some(nulls) => nulls.valid_indices().for_each(|i| count(keys.values()[i])),
                None => keys.values().iter().for_each(|&k| count(k)),
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
            let distinct = count_distinct(a.iter().flatten().map(|s| hash_bytes(s.as_bytes())).collect());
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

/// The non-null values of a primitive column, copied once.
fn valid_values<T: Copy>(values: &[T], nulls: Option<&arrow_buffer::NullBuffer>) -> Vec<T> {
    match nulls {
        Some(n) if n.null_count() > 0 => n.valid_indices().map(|i| values[i]).collect(),
        _ => values.to_vec(),
    }
}

/// Distinct keys: a small cache-resident hash set while there are few, a
/// radix sort when there are many. Text is counted by 64-bit hashes.
fn count_distinct(mut keys: Vec<u64>) -> usize {
    const SLOTS: usize = 1 << 17;
    const MAX_FILL: usize = SLOTS / 2;
    // Slot value 0 means empty, so key 0 is tracked on its own.
    let mut table = vec![0u64; SLOTS];
    let (mut filled, mut has_zero) = (0usize, false);
    let mut overflow = false;
    for &k in &keys {
        if k == 0 {
            has_zero = true;
            continue;
        }
        let mut i = (mix64(k) as usize) & (SLOTS - 1);
        loop {
            match table[i] {
                0 => {
                    table[i] = k;
                    filled += 1;
                    break;
                }
                v if v == k => break,
                _ => i = (i + 1) & (SLOTS - 1),
            }
        }
        if filled > MAX_FILL {
            overflow = true;
            break;
        }
    }
    if !overflow {
        return filled + has_zero as usize;
    }
    radix_sort(&mut keys);
    keys.dedup();
    keys.len()
}

/// Least-significant-digit radix sort, a byte per pass. One read computes
/// every byte's histogram; bytes where all keys agree are skipped, so small
/// integers sort in one pass.
fn radix_sort(keys: &mut Vec<u64>) {
    if keys.len() < 256 {
        keys.sort_unstable();
        return;
    }
    let mut histograms = vec![[0usize; 256]; 8];
    for &k in keys.iter() {
        for (byte, h) in histograms.iter_mut().enumerate() {
            h[((k >> (byte * 8)) & 0xff) as usize] += 1;
        }
    }
    let mut scratch = vec![0u64; keys.len()];
    for (byte, h) in histograms.iter_mut().enumerate() {
        if h.iter().any(|&c| c == keys.len()) {
            continue;
        }
        let mut total = 0;
        for c in h.iter_mut() {
            let n = *c;
            *c = total;
            total += n;
        }
        let shift = byte * 8;
        for &k in keys.iter() {
            let d = ((k >> shift) & 0xff) as usize;
            scratch[h[d]] = k;
            h[d] += 1;
        }
        std::mem::swap(keys, &mut scratch);
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
    fn counts_distinct_keys_few_and_many() {
        assert_eq!(count_distinct(vec![]), 0);
        assert_eq!(count_distinct(vec![0, 0, 5, 5, 7]), 3);
        let many: Vec<u64> = (0..300_000u64).map(|i| i % 200_000).collect();
        assert_eq!(count_distinct(many), 200_000);
    }

    #[test]
    fn radix_sort_sorts() {
        let mut rng = crate::core::rng::Rng::new(5);
        for n in [0, 1, 255, 256, 10_000] {
            let mut keys: Vec<u64> = (0..n).map(|i| if i % 3 == 0 { rng.below(50) } else { rng.next_u64() }).collect();
            let mut expected = keys.clone();
            expected.sort_unstable();
            radix_sort(&mut keys);
            assert_eq!(keys, expected);
        }
    }

    #[test]
    fn text_with_repeats_lists_its_top_values() {
        let data = ColumnData::Text(arrow_array::StringArray::from(vec!["x", "y", "x", "z"]));
        let s = summarize_column(&Column::new("t", data));
        assert_eq!(s.distinct_count, 3);
        assert_eq!(s.top_values, vec![("x".into(), 2)]);
    }
}

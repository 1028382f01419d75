//! Per-column summaries for the data page: type, nulls, distinct values,
//! min/max/mean for numbers and the most frequent values for the rest.

use arrow_array::Array;

use serde::{Deserialize, Serialize};

use crate::common::hash::{hash_bytes, mix64, FxHashMap};
use crate::data::table::{Column, ColumnData, ColumnType, Table};

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
    summary_from_stats(column_stats(column), column)
}

/// Facts about a column, or about one part of it, that add up: the parts
/// of a file read in parallel are summarised apart and merged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnStats {
    pub name: String,
    pub column_type: ColumnType,
    pub null_count: usize,
    pub value_count: usize,
    /// Minimum, maximum and sum of the numbers.
    pub range: Option<(f64, f64, f64)>,
    /// Every label with its count (categorical and boolean columns).
    pub label_counts: Vec<(String, usize)>,
    /// The distinct values as sorted keys: integers (order-preserving),
    /// float bits, or 64-bit hashes of text. Carried as bytes, not JSON.
    #[serde(skip)]
    pub keys: Vec<u64>,
}

/// An integer as a key whose unsigned order is the signed order.
fn int_key(v: i64) -> u64 {
    (v as u64) ^ (1 << 63)
}

pub fn column_stats(column: &Column) -> ColumnStats {
    let data = &column.data;
    let mut stats = ColumnStats {
        name: column.name.clone(),
        column_type: data.column_type(),
        null_count: data.null_count(),
        value_count: data.len() - data.null_count(),
        range: None,
        label_counts: Vec::new(),
        keys: Vec::new(),
    };
    match data {
        ColumnData::Integer(a) => {
            let values = valid_values(a.values(), a.nulls());
            stats.range = range(values.iter().map(|&v| v as f64));
            stats.keys = match (values.iter().min(), values.iter().max()) {
                // A small range: one bit per possible value, read back in order.
                (Some(&lo), Some(&hi)) if (hi as i128 - lo as i128) < (1 << 22) => {
                    let mut seen = vec![0u64; ((hi - lo) as usize >> 6) + 1];
                    for &v in &values {
                        let i = (v - lo) as usize;
                        seen[i >> 6] |= 1 << (i & 63);
                    }
                    let mut keys = Vec::new();
                    for (w, &word) in seen.iter().enumerate() {
                        let mut bits = word;
                        while bits != 0 {
                            let b = bits.trailing_zeros() as i64;
                            keys.push(int_key(lo + (w as i64) * 64 + b));
                            bits &= bits - 1;
                        }
                    }
                    keys
                }
                _ => distinct_sorted(values.iter().map(|&v| int_key(v)).collect()),
            };
        }
        ColumnData::Float(a) => {
            let values = valid_values(a.values(), a.nulls());
            stats.range = range(values.iter().copied());
            // -0.0 and 0.0 are one value.
            stats.keys = distinct_sorted(
                values
                    .iter()
                    .map(|&v| if v == 0.0 { 0 } else { v.to_bits() })
                    .collect(),
            );
        }
        ColumnData::Boolean(a) => {
            let trues = a.true_count();
            stats.label_counts = vec![
                ("true".to_owned(), trues),
                ("false".to_owned(), stats.value_count - trues),
            ];
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
            stats.label_counts = counts
                .iter()
                .enumerate()
                .filter_map(|(k, &c)| Some((labels?.value(k).to_owned(), c)))
                .collect();
        }
        ColumnData::Text(a) => {
            stats.keys = distinct_sorted(
                a.iter()
                    .flatten()
                    .map(|s| hash_bytes(s.as_bytes()))
                    .collect(),
            );
        }
    }
    stats
}

/// The stats of consecutive parts of one column as one.
pub fn merge_stats(parts: Vec<ColumnStats>) -> Option<ColumnStats> {
    let mut parts = parts.into_iter();
    let mut total = parts.next()?;
    for part in parts {
        total.null_count += part.null_count;
        total.value_count += part.value_count;
        total.range = match (total.range, part.range) {
            (Some(a), Some(b)) => Some((a.0.min(b.0), a.1.max(b.1), a.2 + b.2)),
            (a, b) => a.or(b),
        };
        for (label, n) in part.label_counts {
            match total.label_counts.iter_mut().find(|(l, _)| *l == label) {
                Some((_, c)) => *c += n,
                None => total.label_counts.push((label, n)),
            }
        }
        total.keys = union_sorted(&total.keys, &part.keys);
    }
    Some(total)
}

fn union_sorted(a: &[u64], b: &[u64]) -> Vec<u64> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// The summary the data page shows. `column` is the whole column, read
/// only for the top values of text that repeats.
pub fn summary_from_stats(stats: ColumnStats, column: &Column) -> ColumnSummary {
    let used: Vec<(String, usize)> = stats
        .label_counts
        .into_iter()
        .filter(|(_, c)| *c > 0)
        .collect();
    let (distinct_count, top_values) = match stats.column_type {
        ColumnType::Boolean | ColumnType::Categorical => (used.len(), rank(used)),
        ColumnType::Text => {
            let distinct = stats.keys.len();
            let top = match &column.data {
                ColumnData::Text(a) if distinct < stats.value_count => {
                    let mut counts: FxHashMap<&str, usize> = FxHashMap::default();
                    for s in a.iter().flatten() {
                        *counts.entry(s).or_default() += 1;
                    }
                    rank(
                        counts
                            .into_iter()
                            .filter(|(_, c)| *c > 1)
                            .map(|(s, c)| (s.to_owned(), c))
                            .collect(),
                    )
                }
                _ => Vec::new(),
            };
            (distinct, top)
        }
        ColumnType::Integer | ColumnType::Float => (stats.keys.len(), Vec::new()),
    };
    let numeric = stats
        .range
        .filter(|_| stats.value_count > 0)
        .map(|(min, max, sum)| NumericStats {
            min,
            max,
            mean: sum / stats.value_count as f64,
        });
    ColumnSummary {
        name: stats.name,
        column_type: stats.column_type,
        null_count: stats.null_count,
        distinct_count,
        numeric,
        top_values,
    }
}

/// Keys as little-endian bytes, for moving [`ColumnStats::keys`] between workers.
pub fn keys_to_bytes(keys: &[u64]) -> Vec<u8> {
    keys.iter().flat_map(|k| k.to_le_bytes()).collect()
}

pub fn keys_from_bytes(bytes: &[u8]) -> Vec<u64> {
    bytes
        .chunks_exact(8)
        .map(|c| {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            u64::from_le_bytes(w)
        })
        .collect()
}

/// The non-null values of a primitive column, copied once.
fn valid_values<T: Copy>(values: &[T], nulls: Option<&arrow_buffer::NullBuffer>) -> Vec<T> {
    match nulls {
        Some(n) if n.null_count() > 0 => n.valid_indices().map(|i| values[i]).collect(),
        _ => values.to_vec(),
    }
}

/// The distinct keys, sorted: a small cache-resident hash set while there
/// are few, a radix sort when there are many.
fn distinct_sorted(mut keys: Vec<u64>) -> Vec<u64> {
    const SLOTS: usize = 1 << 17;
    const MAX_FILL: usize = SLOTS / 2;
    // Slot value 0 means empty, so key 0 is tracked on its own.
    let mut table = vec![0u64; SLOTS];
    let (mut filled, mut has_zero) = (0usize, false);
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
            radix_sort(&mut keys);
            keys.dedup();
            return keys;
        }
    }
    let mut distinct: Vec<u64> = table.into_iter().filter(|&k| k != 0).collect();
    if has_zero {
        distinct.push(0);
    }
    distinct.sort_unstable();
    distinct
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
        if h.contains(&keys.len()) {
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

/// Minimum, maximum and sum, when there is a value.
fn range(values: impl Iterator<Item = f64>) -> Option<(f64, f64, f64)> {
    let (mut min, mut max, mut sum, mut n) = (f64::INFINITY, f64::NEG_INFINITY, 0.0, 0usize);
    for v in values {
        min = min.min(v);
        max = max.max(v);
        sum += v;
        n += 1;
    }
    (n > 0).then_some((min, max, sum))
}

fn rank(mut counts: Vec<(String, usize)>) -> Vec<(String, usize)> {
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts.truncate(TOP_VALUES);
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::ingest::{ingest_bytes, IngestOptions};

    #[test]
    fn summarises_each_type() {
        let csv = "i,f,b,c,t\n1,1.5,true,Yes,a\n2,,false,No,b\n2,4.5,true,Yes,\n,0.0,,Yes,c\n";
        let t = ingest_bytes(csv.as_bytes(), IngestOptions::new("t"), 8)
            .unwrap()
            .0;
        let s = summarize_table(&t);
        assert_eq!(s[0].column_type, ColumnType::Integer);
        assert_eq!((s[0].null_count, s[0].distinct_count), (1, 2));
        let i = s[0].numeric.as_ref().unwrap();
        assert_eq!((i.min, i.max), (1.0, 2.0));
        assert!((i.mean - 5.0 / 3.0).abs() < 1e-12);
        assert_eq!(s[1].numeric.as_ref().unwrap().mean, 2.0);
        assert_eq!(
            s[2].top_values,
            vec![("true".into(), 2), ("false".into(), 1)]
        );
        assert_eq!(s[3].top_values, vec![("Yes".into(), 3), ("No".into(), 1)]);
        assert_eq!(s[3].distinct_count, 2);
        assert_eq!(s[4].column_type, ColumnType::Text);
        assert_eq!(s[4].distinct_count, 3);
        assert!(s[4].top_values.is_empty(), "all unique");
    }

    #[test]
    fn distinct_keys_few_and_many() {
        assert_eq!(distinct_sorted(vec![]), Vec::<u64>::new());
        assert_eq!(distinct_sorted(vec![7, 0, 0, 5, 5]), vec![0, 5, 7]);
        let many: Vec<u64> = (0..300_000u64).map(|i| (i % 200_000) * 7919).collect();
        let d = distinct_sorted(many);
        assert_eq!(d.len(), 200_000);
        assert!(d.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn merged_part_stats_give_the_whole_summary() {
        let table = crate::data::synth::generate(3_000, 9);
        let (a, b) = (table.clone(), table.clone());
        for (i, column) in table.columns().iter().enumerate() {
            let whole = summarize_column(column);
            let head = Column {
                data: slice(&a.columns()[i].data, 0, 1_234),
                ..column.clone()
            };
            let tail = Column {
                data: slice(&b.columns()[i].data, 1_234, 3_000 - 1_234),
                ..column.clone()
            };
            let merged = merge_stats(vec![column_stats(&head), column_stats(&tail)]).unwrap();
            let mut summary = summary_from_stats(merged, column);
            // Sums add up in another order: the mean may differ in its last bits.
            if let (Some(m), Some(w)) = (summary.numeric.as_mut(), whole.numeric.as_ref()) {
                assert!((m.mean - w.mean).abs() < 1e-9 * w.mean.abs().max(1.0));
                m.mean = w.mean;
            }
            assert_eq!(summary, whole, "{}", column.name);
        }
    }

    fn slice(data: &ColumnData, offset: usize, len: usize) -> ColumnData {
        match data {
            ColumnData::Integer(a) => ColumnData::Integer(a.slice(offset, len)),
            ColumnData::Float(a) => ColumnData::Float(a.slice(offset, len)),
            ColumnData::Boolean(a) => ColumnData::Boolean(a.slice(offset, len)),
            ColumnData::Categorical(a) => ColumnData::Categorical(a.slice(offset, len)),
            ColumnData::Text(a) => ColumnData::Text(a.slice(offset, len)),
        }
    }

    #[test]
    fn keys_round_trip_as_bytes() {
        let keys = vec![0, 1, u64::MAX, 42];
        assert_eq!(keys_from_bytes(&keys_to_bytes(&keys)), keys);
    }

    #[test]
    fn radix_sort_sorts() {
        let mut rng = crate::common::rng::Rng::new(5);
        for n in [0, 1, 255, 256, 10_000] {
            let mut keys: Vec<u64> = (0..n)
                .map(|i| {
                    if i % 3 == 0 {
                        rng.below(50)
                    } else {
                        rng.next_u64()
                    }
                })
                .collect();
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

//! GROUP BY and aggregate functions.
//!
//! Rows get a dense group id. Keys that can be coded as small integers
//! (dictionary labels, booleans, integers of a small range) are combined
//! arithmetically and looked up in a table, with no hashing; other keys go
//! through a hash map. Aggregates then run over the rows in one pass, with
//! typed accumulators per group.

use arrow_array::{Array, Float64Array, Int64Array};

use super::error::SqlError;
use super::expr::{Expr, Frame};
use super::value::{
    column_from_values, compare_values, total_cmp_f64, value_at, Datum, SqlType, ValueRef,
};
use crate::common::hash::{FxHashMap, FxHashSet};
use crate::data::table::ColumnData;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AggFn {
    CountStar,
    Count,
    Sum,
    Avg,
    Min,
    Max,
}

impl AggFn {
    pub fn from_name(name: &str) -> Option<AggFn> {
        Some(match name.to_ascii_lowercase().as_str() {
            "count" => AggFn::Count,
            "sum" => AggFn::Sum,
            "avg" | "mean" => AggFn::Avg,
            "min" => AggFn::Min,
            "max" => AggFn::Max,
            _ => return None,
        })
    }
}

/// One aggregate call in a query.
#[derive(Clone, Debug, PartialEq)]
pub struct AggCall {
    pub func: AggFn,
    pub arg: Option<Expr>,
    pub arg_type: SqlType,
    pub distinct: bool,
    pub filter: Option<Expr>,
}

impl AggCall {
    pub fn result_type(&self) -> SqlType {
        match self.func {
            AggFn::CountStar | AggFn::Count => SqlType::Integer,
            AggFn::Avg => SqlType::Float,
            AggFn::Sum => self.arg_type,
            AggFn::Min | AggFn::Max => self.arg_type,
        }
    }
}

/// Which group each row belongs to.
pub struct Groups {
    /// Group of each row; empty when every row is in one group.
    pub ids: Vec<u32>,
    pub count: usize,
    /// The first row of each group, to read its key values from.
    pub first_rows: Vec<u32>,
}

/// A key column coded as small integers (0 stands for NULL).
fn codes(key: &ColumnData, len: usize) -> Option<(Vec<u32>, u32)> {
    match key {
        ColumnData::Categorical(a) => {
            let keys = a.keys();
            let card = a.values().len() as u32 + 1;
            Some((
                (0..len)
                    .map(|r| {
                        if keys.is_null(r) {
                            0
                        } else {
                            keys.value(r) as u32 + 1
                        }
                    })
                    .collect(),
                card,
            ))
        }
        ColumnData::Boolean(a) => Some((
            (0..len)
                .map(|r| {
                    if a.is_null(r) {
                        0
                    } else {
                        1 + a.value(r) as u32
                    }
                })
                .collect(),
            3,
        )),
        ColumnData::Integer(a) => {
            let (lo, hi) = (a.iter().flatten().min()?, a.iter().flatten().max()?);
            if hi as i128 - lo as i128 >= 1 << 16 {
                return None;
            }
            Some((
                (0..len)
                    .map(|r| {
                        if a.is_null(r) {
                            0
                        } else {
                            (a.value(r) - lo) as u32 + 1
                        }
                    })
                    .collect(),
                (hi - lo) as u32 + 2,
            ))
        }
        _ => None,
    }
}

/// A hashable group key value; floats by bits with -0.0 and NaN made one.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum KeyPart<'a> {
    Null,
    Int(i64),
    Float(u64),
    Bool(bool),
    Text(&'a str),
}

fn key_part(v: ValueRef<'_>) -> KeyPart<'_> {
    match v {
        ValueRef::Null => KeyPart::Null,
        ValueRef::Int(x) => KeyPart::Int(x),
        ValueRef::Float(x) => KeyPart::Float(if x == 0.0 {
            0
        } else if x.is_nan() {
            f64::NAN.to_bits()
        } else {
            x.to_bits()
        }),
        ValueRef::Bool(b) => KeyPart::Bool(b),
        ValueRef::Text(s) => KeyPart::Text(s),
    }
}

/// Groups `len` rows by the values of `keys` (no keys: one group).
pub fn group_rows(keys: &[ColumnData], len: usize) -> Groups {
    if keys.is_empty() {
        return Groups {
            ids: Vec::new(),
            count: 1,
            first_rows: vec![0],
        };
    }
    let mut ids = vec![0u32; len];
    let mut first_rows = Vec::new();
    let coded: Option<Vec<(Vec<u32>, u32)>> = keys.iter().map(|k| codes(k, len)).collect();
    let product = coded
        .as_ref()
        .map(|c| c.iter().map(|(_, card)| *card as u64).product::<u64>());
    if let (Some(coded), Some(product)) = (coded, product.filter(|p| *p <= 1 << 22)) {
        let mut table = vec![u32::MAX; product as usize];
        for (row, id) in ids.iter_mut().enumerate() {
            let mut slot = 0usize;
            for (codes, card) in &coded {
                slot = slot * (*card as usize) + codes[row] as usize;
            }
            if table[slot] == u32::MAX {
                table[slot] = first_rows.len() as u32;
                first_rows.push(row as u32);
            }
            *id = table[slot];
        }
        let count = first_rows.len();
        return Groups {
            ids,
            count,
            first_rows,
        };
    }
    let mut map: FxHashMap<Vec<KeyPart<'_>>, u32> = FxHashMap::default();
    for (row, id) in ids.iter_mut().enumerate() {
        let key: Vec<KeyPart<'_>> = keys.iter().map(|k| key_part(value_at(k, row))).collect();
        let next = first_rows.len() as u32;
        *id = *map.entry(key).or_insert_with(|| {
            first_rows.push(row as u32);
            next
        });
    }
    let count = first_rows.len();
    Groups {
        ids,
        count,
        first_rows,
    }
}

/// One aggregate over every group: a column with a value per group.
pub fn aggregate(call: &AggCall, frame: &Frame, groups: &Groups) -> Result<ColumnData, SqlError> {
    let len = frame.len;
    let mask: Option<Vec<bool>> = match &call.filter {
        Some(f) => {
            let d = f.eval(frame)?;
            Some(
                (0..len)
                    .map(|r| d.value(r) == ValueRef::Bool(true))
                    .collect(),
            )
        }
        None => None,
    };
    let passes = |r: usize| mask.as_ref().is_none_or(|m| m[r]);
    let n = groups.count;
    // One group for all rows needs no ids: read them as zeros.
    let zeros;
    let ids: &[u32] = if groups.ids.is_empty() {
        zeros = vec![0u32; len];
        &zeros
    } else {
        &groups.ids
    };

    if call.func == AggFn::CountStar {
        let mut counts = vec![0i64; n];
        for r in 0..len {
            if passes(r) {
                counts[ids[r] as usize] += 1;
            }
        }
        return Ok(ColumnData::Integer(Int64Array::from(counts)));
    }
    let Some(arg) = &call.arg else {
        return Err(SqlError::new("this aggregate needs an argument"));
    };
    let values = arg.eval(frame)?;
    let col = match values {
        Datum::Column(c) => c,
        Datum::Scalar(s) => super::value::repeat(&s, len, call.arg_type),
    };

    if call.distinct {
        if call.func != AggFn::Count {
            return Err(SqlError::new("DISTINCT is only supported in COUNT"));
        }
        return Ok(count_distinct(&col, groups, &passes, mask.is_some()));
    }
    Ok(match call.func {
        AggFn::Count => {
            let mut counts = vec![0i64; n];
            for r in 0..len {
                if passes(r) && !col.is_null(r) {
                    counts[ids[r] as usize] += 1;
                }
            }
            ColumnData::Integer(Int64Array::from(counts))
        }
        AggFn::Sum | AggFn::Avg => match &col {
            ColumnData::Integer(a) => {
                let mut sums = vec![0i128; n];
                let mut counts = vec![0i64; n];
                for (r, &id) in ids.iter().enumerate().take(len) {
                    if passes(r) && a.is_valid(r) {
                        let g = id as usize;
                        sums[g] += a.value(r) as i128;
                        counts[g] += 1;
                    }
                }
                if call.func == AggFn::Avg {
                    ColumnData::Float(
                        sums.iter()
                            .zip(&counts)
                            .map(|(s, &c)| (c > 0).then(|| *s as f64 / c as f64))
                            .collect::<Float64Array>(),
                    )
                } else if sums.iter().all(|s| i64::try_from(*s).is_ok()) {
                    ColumnData::Integer(
                        sums.iter()
                            .zip(&counts)
                            .map(|(s, &c)| (c > 0).then_some(*s as i64))
                            .collect::<Int64Array>(),
                    )
                } else {
                    ColumnData::Float(
                        sums.iter()
                            .zip(&counts)
                            .map(|(s, &c)| (c > 0).then_some(*s as f64))
                            .collect::<Float64Array>(),
                    )
                }
            }
            ColumnData::Float(a) => {
                let mut sums = vec![0f64; n];
                let mut counts = vec![0i64; n];
                for (r, &id) in ids.iter().enumerate().take(len) {
                    if passes(r) && a.is_valid(r) {
                        let g = id as usize;
                        sums[g] += a.value(r);
                        counts[g] += 1;
                    }
                }
                let avg = call.func == AggFn::Avg;
                ColumnData::Float(
                    sums.iter()
                        .zip(&counts)
                        .map(|(s, &c)| (c > 0).then(|| if avg { s / c as f64 } else { *s }))
                        .collect::<Float64Array>(),
                )
            }
            _ => return Err(SqlError::new("SUM and AVG need numbers")),
        },
        AggFn::Min | AggFn::Max => {
            let want = if call.func == AggFn::Min {
                std::cmp::Ordering::Less
            } else {
                std::cmp::Ordering::Greater
            };
            let mut best: Vec<Option<usize>> = vec![None; n];
            for (r, &id) in ids.iter().enumerate().take(len) {
                if !passes(r) || col.is_null(r) {
                    continue;
                }
                let g = id as usize;
                let better = match best[g] {
                    None => true,
                    Some(b) => match (&col, value_at(&col, r), value_at(&col, b)) {
                        (ColumnData::Float(_), ValueRef::Float(x), ValueRef::Float(y)) => {
                            total_cmp_f64(x, y) == want
                        }
                        (_, x, y) => compare_values(x, y) == Some(want),
                    },
                };
                if better {
                    best[g] = Some(r);
                }
            }
            column_from_values(
                call.result_type(),
                best.iter()
                    .map(|b| b.map_or(ValueRef::Null, |r| value_at(&col, r))),
            )
        }
        AggFn::CountStar => unreachable!("handled above"),
    })
}

fn count_distinct(
    col: &ColumnData,
    groups: &Groups,
    passes: &dyn Fn(usize) -> bool,
    filtered: bool,
) -> ColumnData {
    let n = groups.count;
    let mut counts = vec![0i64; n];
    if let (ColumnData::Categorical(a), true, false) = (col, groups.ids.is_empty(), filtered) {
        // One group, no filter: stop as soon as every label has been seen.
        let labels = a.values().len();
        let keys = a.keys();
        let mut seen = vec![false; labels];
        let mut found = 0;
        for r in 0..keys.len() {
            if keys.is_valid(r) {
                let k = keys.value(r) as usize;
                if k < labels && !seen[k] {
                    seen[k] = true;
                    found += 1;
                    if found == labels {
                        break;
                    }
                }
            }
        }
        return ColumnData::Integer(Int64Array::from(vec![found as i64]));
    }
    let group_of = |r: usize| {
        if groups.ids.is_empty() {
            0
        } else {
            groups.ids[r]
        }
    };
    if let ColumnData::Categorical(a) = col {
        // One bit per (group, label): no hashing at all.
        let labels = a.values().len();
        if n.saturating_mul(labels) <= 1 << 26 {
            let keys = a.keys();
            let mut seen = vec![0u64; (n * labels).div_ceil(64).max(1)];
            for r in 0..keys.len() {
                if !passes(r) || keys.is_null(r) {
                    continue;
                }
                let g = group_of(r) as usize;
                let bit = g * labels + keys.value(r) as usize;
                let word = &mut seen[bit >> 6];
                if *word & (1 << (bit & 63)) == 0 {
                    *word |= 1 << (bit & 63);
                    counts[g] += 1;
                }
            }
            return ColumnData::Integer(Int64Array::from(counts));
        }
    }
    let mut seen: FxHashSet<(u32, KeyPart<'_>)> = FxHashSet::default();
    for r in 0..col.len() {
        if !passes(r) || col.is_null(r) {
            continue;
        }
        let g = group_of(r);
        if seen.insert((g, key_part(value_at(col, r)))) {
            counts[g as usize] += 1;
        }
    }
    ColumnData::Integer(Int64Array::from(counts))
}

/// Rows with equal values across `columns` collapse to their first; returns
/// the rows kept, in order (SELECT DISTINCT).
pub fn distinct_rows(columns: &[ColumnData], len: usize) -> Vec<u32> {
    let groups = group_rows(columns, len);
    groups.first_rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::StringArray;

    #[test]
    fn groups_by_dictionary_and_by_hash() {
        let labels = StringArray::from(vec!["a", "b"]);
        let keys = arrow_array::UInt16Array::from(vec![Some(1), Some(0), None, Some(1)]);
        let cat = ColumnData::Categorical(crate::data::table::categorical_from_parts(keys, labels));
        let g = group_rows(std::slice::from_ref(&cat), 4);
        assert_eq!(
            (g.ids.clone(), g.count, g.first_rows.clone()),
            (vec![0, 1, 2, 0], 3, vec![0, 1, 2])
        );
        let text = ColumnData::Text(StringArray::from(vec![Some("x"), None, Some("x"), None]));
        let g = group_rows(&[text], 4);
        assert_eq!((g.ids, g.count), (vec![0, 1, 0, 1], 2));
    }

    #[test]
    fn floats_group_zero_and_nan_together() {
        let f = ColumnData::Float(Float64Array::from(vec![0.0, -0.0, f64::NAN, f64::NAN, 1.0]));
        assert_eq!(group_rows(&[f], 5).count, 3);
    }
}

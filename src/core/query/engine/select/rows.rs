//! Row work for running a plan: which source columns expressions read, the
//! rows where a condition is TRUE, taking rows from a frame, and sorting
//! row numbers by key columns.

use std::cmp::Ordering;

use arrow_array::Array;

use crate::data::table::ColumnData;
use crate::query::engine::expr::{Expr, Frame};
use crate::query::engine::value::{
    compare_values, take, total_cmp_f64, value_at, Datum, Scalar, ValueRef,
};

pub(super) fn columns_used(e: &Expr, used: &mut [bool]) {
    match e {
        Expr::Column(i) => {
            if let Some(u) = used.get_mut(*i) {
                *u = true;
            }
        }
        Expr::Literal(_) => {}
        Expr::Neg(x) | Expr::Not(x) => columns_used(x, used),
        Expr::Arith { left, right, .. } | Expr::Cmp { left, right, .. } => {
            columns_used(left, used);
            columns_used(right, used);
        }
        Expr::Concat(l, r) | Expr::And(l, r) | Expr::Or(l, r) => {
            columns_used(l, used);
            columns_used(r, used);
        }
        Expr::IsNull { expr, .. }
        | Expr::Like { expr, .. }
        | Expr::Cast { expr, .. }
        | Expr::Round { expr, .. } => columns_used(expr, used),
        Expr::InList { expr, list, .. } => {
            columns_used(expr, used);
            list.iter().for_each(|x| columns_used(x, used));
        }
        Expr::Case {
            whens, otherwise, ..
        } => {
            for (c, v) in whens {
                columns_used(c, used);
                columns_used(v, used);
            }
            if let Some(o) = otherwise {
                columns_used(o, used);
            }
        }
        Expr::Func { args, .. } => args.iter().for_each(|x| columns_used(x, used)),
    }
}

/// The rows where a condition is TRUE (not FALSE, not NULL).
pub(super) fn true_rows(d: &Datum, len: usize) -> Vec<u32> {
    match d {
        Datum::Column(ColumnData::Boolean(b)) => {
            let mut bits = b.values().clone();
            if let Some(nulls) = b.nulls().filter(|n| n.null_count() > 0) {
                bits = &bits & nulls.inner();
            }
            bits.set_indices().map(|r| r as u32).collect()
        }
        Datum::Scalar(Scalar::Bool(true)) => (0..len as u32).collect(),
        Datum::Scalar(_) => Vec::new(),
        _ => (0..len)
            .filter(|&r| d.value(r) == ValueRef::Bool(true))
            .map(|r| r as u32)
            .collect(),
    }
}

pub(super) fn select_rows(frame: &Frame, rows: &[u32], used: &[bool]) -> Frame {
    let columns = frame
        .columns
        .iter()
        .zip(used)
        .map(|(c, &u)| if u { take(c, rows) } else { c.clone() })
        .collect();
    Frame {
        columns,
        len: rows.len(),
    }
}

/// Sorts row numbers by key columns, each (column, descending, nulls first);
/// stable, so equal keys keep their order.
pub fn sort_rows(rows: &mut [u32], keys: &[(ColumnData, bool, bool)]) {
    rows.sort_by(|&a, &b| {
        for (col, descending, nulls_first) in keys {
            let (x, y) = (value_at(col, a as usize), value_at(col, b as usize));
            let o = match (x.is_null(), y.is_null()) {
                (true, true) => Ordering::Equal,
                (true, false) => {
                    if *nulls_first {
                        Ordering::Less
                    } else {
                        Ordering::Greater
                    }
                }
                (false, true) => {
                    if *nulls_first {
                        Ordering::Greater
                    } else {
                        Ordering::Less
                    }
                }
                (false, false) => {
                    let o = match (x, y) {
                        (ValueRef::Float(p), ValueRef::Float(q)) => total_cmp_f64(p, q),
                        _ => compare_values(x, y).unwrap_or(Ordering::Equal),
                    };
                    if *descending {
                        o.reverse()
                    } else {
                        o
                    }
                }
            };
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    });
}

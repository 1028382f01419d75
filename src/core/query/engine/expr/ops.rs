//! The operators and the column-at-a-time kernels behind `Expr::eval`:
//! comparisons (numbers against constants on the raw values, dictionary
//! columns once per label), IN lists, CASE over numeric constants, and
//! checked integer and float arithmetic, all with SQL's NULL logic.

use std::cmp::Ordering;

use arrow_array::{Array, BooleanArray, Float64Array, Int64Array, StringArray};
use arrow_buffer::BooleanBuffer;

use crate::data::table::ColumnData;
use crate::query::engine::error::SqlError;
use crate::query::engine::value::{
    compare_values, total_cmp_f64, value_at, Datum, Scalar, SqlType, ValueRef,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
}

impl CmpOp {
    pub fn test(self, o: Ordering) -> bool {
        match self {
            CmpOp::Eq => o == Ordering::Equal,
            CmpOp::NotEq => o != Ordering::Equal,
            CmpOp::Lt => o == Ordering::Less,
            CmpOp::LtEq => o != Ordering::Greater,
            CmpOp::Gt => o == Ordering::Greater,
            CmpOp::GtEq => o != Ordering::Less,
        }
    }

    /// The operator with its operands swapped (`a < b` is `b > a`).
    pub fn flip(self) -> CmpOp {
        match self {
            CmpOp::Lt => CmpOp::Gt,
            CmpOp::LtEq => CmpOp::GtEq,
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::GtEq => CmpOp::LtEq,
            other => other,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

pub(super) fn bools(len: usize, f: impl Fn(usize) -> Option<bool>) -> Datum {
    Datum::Column(ColumnData::Boolean(
        (0..len).map(f).collect::<BooleanArray>(),
    ))
}

fn floats(len: usize, f: impl Fn(usize) -> Option<f64>) -> ColumnData {
    ColumnData::Float((0..len).map(f).collect::<Float64Array>())
}

/// Truth of a boolean datum at `row` (NULL is `None`).
pub(super) fn truth(d: &Datum, row: usize) -> Option<bool> {
    match d.value(row) {
        ValueRef::Bool(b) => Some(b),
        _ => None,
    }
}

impl From<ColumnData> for Datum {
    fn from(c: ColumnData) -> Datum {
        Datum::Column(c)
    }
}

/// CASE whose results are all numeric constants (`CASE WHEN churn = 'Yes'
/// THEN 1.0 ELSE 0.0 END`): the conditions' bits pick from a small table.
pub(super) fn case_of_constants(
    conditions: &[Datum],
    results: &[Datum],
    fallback: &Datum,
    ty: SqlType,
    len: usize,
) -> Option<Datum> {
    if !ty.is_numeric() {
        return None;
    }
    let constant = |d: &Datum| match d {
        Datum::Scalar(s) => {
            Some(
                s.as_ref()
                    .as_f64()
                    .or(if s.is_null() { Some(f64::NAN) } else { None })?,
            )
        }
        Datum::Column(_) => None,
    };
    let mut values: Vec<f64> = results.iter().map(constant).collect::<Option<_>>()?;
    values.push(constant(fallback)?);
    if values.len() > u8::MAX as usize
        || (ty == SqlType::Integer && values.iter().any(|v| v.abs() > 9.0e15))
    {
        return None;
    }
    let mut truths = Vec::with_capacity(conditions.len());
    for c in conditions {
        match c {
            Datum::Column(ColumnData::Boolean(b)) => truths.push(b),
            _ => return None,
        }
    }
    // Which branch each row takes: the first condition that is TRUE.
    let mut branch = vec![(values.len() - 1) as u8; len];
    for (k, b) in truths.iter().enumerate().rev() {
        for (row, slot) in branch.iter_mut().enumerate() {
            if b.is_valid(row) && b.value(row) {
                *slot = k as u8;
            }
        }
    }
    let nulls: Vec<bool> = values.iter().map(|v| v.is_nan()).collect();
    let validity = nulls.iter().any(|n| *n).then(|| {
        arrow_buffer::NullBuffer::from(
            branch
                .iter()
                .map(|&b| !nulls[b as usize])
                .collect::<Vec<bool>>(),
        )
    });
    Some(Datum::Column(match ty {
        SqlType::Integer => ColumnData::Integer(Int64Array::new(
            branch
                .iter()
                .map(|&b| {
                    if nulls[b as usize] {
                        0
                    } else {
                        values[b as usize] as i64
                    }
                })
                .collect(),
            validity,
        )),
        _ => ColumnData::Float(Float64Array::new(
            branch
                .iter()
                .map(|&b| {
                    if nulls[b as usize] {
                        0.0
                    } else {
                        values[b as usize]
                    }
                })
                .collect(),
            validity,
        )),
    }))
}

/// Applies a per-value test to a text datum; dictionary columns are tested
/// once per label.
pub(super) fn by_text(
    value: Datum,
    len: usize,
    test: impl Fn(ValueRef<'_>) -> Option<bool>,
) -> Datum {
    match value {
        Datum::Scalar(s) => Datum::Scalar(test(s.as_ref()).map_or(Scalar::Null, Scalar::Bool)),
        Datum::Column(ColumnData::Categorical(a)) => {
            let labels = a
                .values()
                .as_any()
                .downcast_ref::<StringArray>()
                .cloned()
                .unwrap_or_else(|| StringArray::from(Vec::<&str>::new()));
            let per_label: Vec<Option<bool>> = (0..labels.len())
                .map(|k| test(ValueRef::Text(labels.value(k))))
                .collect();
            let keys = a.keys();
            if per_label.iter().all(Option::is_some) {
                // Decided once per label: one lookup per row, 64 rows at a time.
                let truth: Vec<bool> = per_label.iter().map(|v| v.unwrap_or(false)).collect();
                let values = keys.values();
                let bits = BooleanBuffer::collect_bool(len, |i| {
                    truth.get(values[i] as usize).copied().unwrap_or(false)
                });
                return Datum::Column(ColumnData::Boolean(BooleanArray::new(
                    bits,
                    keys.nulls().cloned(),
                )));
            }
            bools(len, |r| {
                if keys.is_null(r) {
                    None
                } else {
                    per_label.get(keys.value(r) as usize).copied().flatten()
                }
            })
        }
        Datum::Column(c) => bools(len, |r| test(value_at(&c, r))),
    }
}

pub(super) fn compare(op: CmpOp, left: Datum, right: Datum, len: usize) -> Datum {
    let scalar_cmp = |a: ValueRef<'_>, b: ValueRef<'_>| -> Option<bool> {
        if a.is_null() || b.is_null() {
            return None;
        }
        compare_values(a, b).map(|o| op.test(o))
    };
    match (&left, &right) {
        (Datum::Scalar(a), Datum::Scalar(b)) => {
            Datum::Scalar(scalar_cmp(a.as_ref(), b.as_ref()).map_or(Scalar::Null, Scalar::Bool))
        }
        (Datum::Column(ColumnData::Categorical(_)), Datum::Scalar(s)) => {
            let s = s.clone();
            by_text(left, len, |v| scalar_cmp(v, s.as_ref()))
        }
        (Datum::Scalar(_), Datum::Column(_)) => compare(op.flip(), right, left, len),
        // Numbers against a constant: one pass over the raw values, 64 at a
        // time, and the column's own NULLs.
        (Datum::Column(ColumnData::Integer(a)), Datum::Scalar(Scalar::Int(b))) => {
            let (b, values) = (*b, a.values());
            let bits = BooleanBuffer::collect_bool(len, |i| op.test(values[i].cmp(&b)));
            Datum::Column(ColumnData::Boolean(BooleanArray::new(
                bits,
                a.nulls().cloned(),
            )))
        }
        (Datum::Column(ColumnData::Integer(a)), Datum::Scalar(Scalar::Float(b))) => {
            let (b, values) = (*b, a.values());
            let bits =
                BooleanBuffer::collect_bool(len, |i| op.test(total_cmp_f64(values[i] as f64, b)));
            Datum::Column(ColumnData::Boolean(BooleanArray::new(
                bits,
                a.nulls().cloned(),
            )))
        }
        (Datum::Column(ColumnData::Float(a)), Datum::Scalar(s))
            if s.as_ref().as_f64().is_some() =>
        {
            let (b, values) = (s.as_ref().as_f64().unwrap_or(0.0), a.values());
            let bits = BooleanBuffer::collect_bool(len, |i| op.test(total_cmp_f64(values[i], b)));
            Datum::Column(ColumnData::Boolean(BooleanArray::new(
                bits,
                a.nulls().cloned(),
            )))
        }
        _ => bools(len, |r| scalar_cmp(left.value(r), right.value(r))),
    }
}

pub(super) fn in_list(value: Datum, items: &[Datum], negated: bool, len: usize) -> Datum {
    // x IN (a, b) is x = a OR x = b; a NULL item makes a miss NULL, not false.
    let test = |v: ValueRef<'_>, row: usize| -> Option<bool> {
        if v.is_null() {
            return None;
        }
        let mut saw_null = false;
        for item in items {
            let i = item.value(row);
            if i.is_null() {
                saw_null = true;
            } else if compare_values(v, i) == Some(Ordering::Equal) {
                return Some(!negated);
            }
        }
        if saw_null {
            None
        } else {
            Some(negated)
        }
    };
    if items.iter().all(|i| matches!(i, Datum::Scalar(_))) {
        return by_text_or_rows(value, len, |v| test(v, 0));
    }
    match &value {
        Datum::Scalar(_) if len == 0 => Datum::Scalar(Scalar::Null),
        _ => bools(len, |r| test(value.value(r), r)),
    }
}

/// Like [`by_text`] for any type: per label for dictionary columns,
/// otherwise per row.
fn by_text_or_rows(value: Datum, len: usize, test: impl Fn(ValueRef<'_>) -> Option<bool>) -> Datum {
    match &value {
        Datum::Column(ColumnData::Categorical(_)) | Datum::Scalar(_) => by_text(value, len, test),
        Datum::Column(c) => bools(len, |r| test(value_at(c, r))),
    }
}

fn arith_error(op: ArithOp, a: i64, b: i64) -> SqlError {
    let name = match op {
        ArithOp::Add => "addition",
        ArithOp::Sub => "subtraction",
        ArithOp::Mul => "multiplication",
        _ => "arithmetic",
    };
    SqlError::new(format!(
        "integer overflow in {name} ({a}, {b}); CAST to DOUBLE first"
    ))
}

fn int_op(op: ArithOp, a: i64, b: i64) -> Result<Option<i64>, SqlError> {
    Ok(match op {
        ArithOp::Add => Some(a.checked_add(b).ok_or_else(|| arith_error(op, a, b))?),
        ArithOp::Sub => Some(a.checked_sub(b).ok_or_else(|| arith_error(op, a, b))?),
        ArithOp::Mul => Some(a.checked_mul(b).ok_or_else(|| arith_error(op, a, b))?),
        ArithOp::Mod => {
            if b == 0 {
                None
            } else {
                Some(a.wrapping_rem(b))
            }
        }
        ArithOp::Div => None,
    })
}

fn float_op(op: ArithOp, a: f64, b: f64) -> Option<f64> {
    Some(match op {
        ArithOp::Add => a + b,
        ArithOp::Sub => a - b,
        ArithOp::Mul => a * b,
        ArithOp::Div => a / b,
        ArithOp::Mod => {
            if b == 0.0 {
                return None;
            }
            a % b
        }
    })
}

pub(super) fn arith(
    op: ArithOp,
    left: Datum,
    right: Datum,
    ty: SqlType,
    len: usize,
) -> Result<Datum, SqlError> {
    let one = |a: ValueRef<'_>, b: ValueRef<'_>| -> Result<Option<Scalar>, SqlError> {
        Ok(match (a, b) {
            (ValueRef::Int(x), ValueRef::Int(y)) if ty == SqlType::Integer => {
                int_op(op, x, y)?.map(Scalar::Int)
            }
            (x, y) => match (x.as_f64(), y.as_f64()) {
                (Some(x), Some(y)) => float_op(op, x, y).map(Scalar::Float),
                _ => None,
            },
        })
    };
    if let (Datum::Scalar(a), Datum::Scalar(b)) = (&left, &right) {
        return Ok(Datum::Scalar(
            one(a.as_ref(), b.as_ref())?.unwrap_or(Scalar::Null),
        ));
    }
    if ty == SqlType::Float {
        // Floats never fail: work on the numbers directly.
        let num = |d: &Datum, r: usize| d.value(r).as_f64();
        return Ok(floats(len, |r| float_op(op, num(&left, r)?, num(&right, r)?)).into());
    }
    let mut out: Vec<Option<i64>> = Vec::with_capacity(len);
    for r in 0..len {
        out.push(match (left.value(r), right.value(r)) {
            (ValueRef::Int(x), ValueRef::Int(y)) => int_op(op, x, y)?,
            _ => None,
        });
    }
    Ok(ColumnData::Integer(out.into_iter().collect::<Int64Array>()).into())
}

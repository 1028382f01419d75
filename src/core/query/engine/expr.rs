//! Bound expressions and their evaluation over a frame of columns.
//!
//! Evaluation is column at a time. Common shapes have fast paths (a
//! dictionary column against a constant is decided once per label, numbers
//! against constants work on the raw values); everything else goes through
//! a row-by-row path that handles every type combination the binder allows.

use std::cmp::Ordering;

use arrow_array::{Array, BooleanArray, Float64Array, Int64Array, StringArray};
use arrow_buffer::BooleanBuffer;

use super::error::SqlError;
use super::functions::{cast_value, round_int, round_to, scalar_fn, ScalarFn};
use super::value::{column_from_values, compare_values, value_at, Datum, Scalar, SqlType, ValueRef};
use crate::data::table::ColumnData;

/// The rows an expression is evaluated over.
pub struct Frame {
    pub columns: Vec<ColumnData>,
    pub len: usize,
}

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

/// A compiled LIKE pattern.
#[derive(Clone, Debug, PartialEq)]
pub struct LikePattern {
    tokens: Vec<LikeToken>,
    case_insensitive: bool,
}

#[derive(Clone, Debug, PartialEq)]
enum LikeToken {
    Literal(char),
    AnyOne,
    AnyMany,
}

impl LikePattern {
    pub fn new(pattern: &str, escape: Option<char>, case_insensitive: bool) -> LikePattern {
        let mut tokens = Vec::new();
        let mut chars = pattern.chars();
        while let Some(c) = chars.next() {
            let token = match c {
                c if Some(c) == escape => LikeToken::Literal(chars.next().unwrap_or(c)),
                '%' => LikeToken::AnyMany,
                '_' => LikeToken::AnyOne,
                c if case_insensitive => LikeToken::Literal(c.to_lowercase().next().unwrap_or(c)),
                c => LikeToken::Literal(c),
            };
            tokens.push(token);
        }
        LikePattern { tokens, case_insensitive }
    }

    pub fn matches(&self, text: &str) -> bool {
        let chars: Vec<char> = if self.case_insensitive {
            text.chars().map(|c| c.to_lowercase().next().unwrap_or(c)).collect()
        } else {
            text.chars().collect()
        };
        // Classic wildcard matching with one backtrack point.
        let (mut t, mut p) = (0, 0);
        let (mut star, mut star_t) = (None, 0);
        while t < chars.len() {
            match self.tokens.get(p) {
                Some(LikeToken::AnyOne) => {
                    t += 1;
                    p += 1;
                }
                Some(LikeToken::Literal(c)) if *c == chars[t] => {
                    t += 1;
                    p += 1;
                }
                Some(LikeToken::AnyMany) => {
                    star = Some(p);
                    star_t = t;
                    p += 1;
                }
                _ => match star {
                    Some(s) => {
                        p = s + 1;
                        star_t += 1;
                        t = star_t;
                    }
                    None => return false,
                },
            }
        }
        self.tokens[p..].iter().all(|t| *t == LikeToken::AnyMany)
    }
}

/// An expression with its names resolved and types checked.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Column(usize),
    Literal(Scalar),
    Neg(Box<Expr>),
    Not(Box<Expr>),
    Arith { op: ArithOp, left: Box<Expr>, right: Box<Expr>, ty: SqlType },
    Concat(Box<Expr>, Box<Expr>),
    Cmp { op: CmpOp, left: Box<Expr>, right: Box<Expr> },
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    IsNull { expr: Box<Expr>, negated: bool },
    InList { expr: Box<Expr>, list: Vec<Expr>, negated: bool },
    Like { expr: Box<Expr>, pattern: LikePattern, negated: bool },
    Case { whens: Vec<(Expr, Expr)>, otherwise: Option<Box<Expr>>, ty: SqlType },
    Cast { expr: Box<Expr>, to: SqlType, fallible: bool },
    Round { expr: Box<Expr>, digits: i32 },
    Func { func: ScalarFn, args: Vec<Expr>, ty: SqlType },
}

fn bools(len: usize, f: impl Fn(usize) -> Option<bool>) -> Datum {
    Datum::Column(ColumnData::Boolean((0..len).map(f).collect::<BooleanArray>()))
}

fn floats(len: usize, f: impl Fn(usize) -> Option<f64>) -> ColumnData {
    ColumnData::Float((0..len).map(f).collect::<Float64Array>())
}

/// Truth of a boolean datum at `row` (NULL is `None`).
fn truth(d: &Datum, row: usize) -> Option<bool> {
    match d.value(row) {
        ValueRef::Bool(b) => Some(b),
        _ => None,
    }
}

impl Expr {
    /// Evaluates over every row of `frame`.
    pub fn eval(&self, frame: &Frame) -> Result<Datum, SqlError> {
        let len = frame.len;
        Ok(match self {
            Expr::Column(i) => Datum::Column(frame.columns[*i].clone()),
            Expr::Literal(s) => Datum::Scalar(s.clone()),
            Expr::Neg(e) => match e.eval(frame)? {
                Datum::Scalar(Scalar::Int(v)) => Datum::Scalar(v.checked_neg().map_or(Scalar::Null, Scalar::Int)),
                Datum::Scalar(Scalar::Float(v)) => Datum::Scalar(Scalar::Float(-v)),
                Datum::Scalar(_) => Datum::Scalar(Scalar::Null),
                Datum::Column(ColumnData::Integer(a)) => {
                    ColumnData::Integer(a.iter().map(|v| v.and_then(i64::checked_neg)).collect()).into()
                }
                Datum::Column(ColumnData::Float(a)) => ColumnData::Float(a.iter().map(|v| v.map(|x| -x)).collect()).into(),
                Datum::Column(_) => return Err(SqlError::new("minus needs a number")),
            },
            Expr::Not(e) => {
                let d = e.eval(frame)?;
                match d {
                    Datum::Scalar(s) => Datum::Scalar(match s {
                        Scalar::Bool(b) => Scalar::Bool(!b),
                        _ => Scalar::Null,
                    }),
                    d => bools(len, |r| truth(&d, r).map(|b| !b)).into(),
                }
            }
            Expr::Arith { op, left, right, ty } => arith(*op, left.eval(frame)?, right.eval(frame)?, *ty, len)?,
            Expr::Concat(l, r) => {
                let (l, r) = (l.eval(frame)?, r.eval(frame)?);
                let text = |row: usize| Some(format!("{}{}", l.value(row).to_text()?, r.value(row).to_text()?));
                match (&l, &r) {
                    (Datum::Scalar(_), Datum::Scalar(_)) => Datum::Scalar(text(0).map_or(Scalar::Null, Scalar::Text)),
                    _ => ColumnData::Text((0..len).map(text).collect::<StringArray>()).into(),
                }
            }
            Expr::Cmp { op, left, right } => compare(*op, left.eval(frame)?, right.eval(frame)?, len),
            Expr::And(l, r) | Expr::Or(l, r) => {
                let is_and = matches!(self, Expr::And(..));
                let (l, r) = (l.eval(frame)?, r.eval(frame)?);
                let combine = |row: usize| match (truth(&l, row), truth(&r, row), is_and) {
                    (Some(false), _, true) | (_, Some(false), true) => Some(false),
                    (Some(true), Some(true), true) => Some(true),
                    (Some(true), _, false) | (_, Some(true), false) => Some(true),
                    (Some(false), Some(false), false) => Some(false),
                    _ => None,
                };
                match (&l, &r) {
                    (Datum::Scalar(_), Datum::Scalar(_)) => Datum::Scalar(combine(0).map_or(Scalar::Null, Scalar::Bool)),
                    _ => bools(len, combine).into(),
                }
            }
            Expr::IsNull { expr, negated } => match expr.eval(frame)? {
                Datum::Scalar(s) => Datum::Scalar(Scalar::Bool(s.is_null() != *negated)),
                Datum::Column(c) => bools(len, |r| Some(c.is_null(r) != *negated)).into(),
            },
            Expr::InList { expr, list, negated } => {
                let value = expr.eval(frame)?;
                let items = list.iter().map(|e| e.eval(frame)).collect::<Result<Vec<_>, _>>()?;
                in_list(value, &items, *negated, len)
            }
            Expr::Like { expr, pattern, negated } => {
                let value = expr.eval(frame)?;
                let test = |s: &str| pattern.matches(s) != *negated;
                by_text(value, len, |v| match v {
                    ValueRef::Text(s) => Some(test(s)),
                    _ => None,
                })
            }
            Expr::Case { whens, otherwise, ty } => {
                let conditions = whens.iter().map(|(c, _)| c.eval(frame)).collect::<Result<Vec<_>, _>>()?;
                let results = whens.iter().map(|(_, v)| v.eval(frame)).collect::<Result<Vec<_>, _>>()?;
                let fallback = match otherwise {
                    Some(e) => e.eval(frame)?,
                    None => Datum::Scalar(Scalar::Null),
                };
                let pick = |row: usize| {
                    let branch = conditions.iter().position(|c| truth(c, row) == Some(true));
                    match branch {
                        Some(b) => results[b].value(row),
                        None => fallback.value(row),
                    }
                };
                let all_scalar = conditions.iter().chain(&results).chain([&fallback]).all(|d| matches!(d, Datum::Scalar(_)));
                if all_scalar {
                    Datum::Scalar(pick(0).to_scalar())
                } else if let Some(fast) = case_of_constants(&conditions, &results, &fallback, *ty, len) {
                    fast
                } else {
                    Datum::Column(column_from_values(*ty, (0..len).map(pick)))
                }
            }
            Expr::Cast { expr, to, fallible } => {
                let value = expr.eval(frame)?;
                let convert = |v: ValueRef<'_>| cast_value(v, *to);
                match value {
                    Datum::Scalar(s) => Datum::Scalar(match convert(s.as_ref()) {
                        Ok(v) => v,
                        Err(e) if *fallible => return Err(e),
                        Err(_) => Scalar::Null,
                    }),
                    Datum::Column(c) => {
                        let mut out = Vec::with_capacity(len);
                        for row in 0..len {
                            out.push(match convert(value_at(&c, row)) {
                                Ok(v) => v,
                                Err(e) if *fallible => return Err(e),
                                Err(_) => Scalar::Null,
                            });
                        }
                        Datum::Column(column_from_values(*to, out.iter().map(Scalar::as_ref)))
                    }
                }
            }
            Expr::Round { expr, digits } => {
                let round = |v: f64| round_to(v, *digits);
                match expr.eval(frame)? {
                    Datum::Scalar(Scalar::Float(v)) => Datum::Scalar(Scalar::Float(round(v))),
                    Datum::Scalar(Scalar::Int(v)) => Datum::Scalar(Scalar::Int(round_int(v, *digits))),
                    Datum::Scalar(_) => Datum::Scalar(Scalar::Null),
                    Datum::Column(ColumnData::Float(a)) => ColumnData::Float(a.unary(round)).into(),
                    Datum::Column(ColumnData::Integer(a)) => ColumnData::Integer(a.unary(|v| round_int(v, *digits))).into(),
                    Datum::Column(_) => return Err(SqlError::new("ROUND needs a number")),
                }
            }
            Expr::Func { func, args, ty } => {
                let values = args.iter().map(|a| a.eval(frame)).collect::<Result<Vec<_>, _>>()?;
                scalar_fn(*func, &values, *ty, len)
            }
        })
    }
}

impl From<ColumnData> for Datum {
    fn from(c: ColumnData) -> Datum {
        Datum::Column(c)
    }
}

/// CASE whose results are all numeric constants (`CASE WHEN churn = 'Yes'
/// THEN 1.0 ELSE 0.0 END`): the conditions' bits pick from a small table.
fn case_of_constants(conditions: &[Datum], results: &[Datum], fallback: &Datum, ty: SqlType, len: usize) -> Option<Datum> {
    if !ty.is_numeric() {
        return None;
    }
    let constant = |d: &Datum| match d {
        Datum::Scalar(s) => Some(s.as_ref().as_f64().or(if s.is_null() { Some(f64::NAN) } else { None })?),
        Datum::Column(_) => None,
    };
    let mut values: Vec<f64> = results.iter().map(constant).collect::<Option<_>>()?;
    values.push(constant(fallback)?);
    if values.len() > u8::MAX as usize || (ty == SqlType::Integer && values.iter().any(|v| v.abs() > 9.0e15)) {
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
    let validity = nulls.iter().any(|n| *n).then(|| arrow_buffer::NullBuffer::from(branch.iter().map(|&b| !nulls[b as usize]).collect::<Vec<bool>>()));
    Some(Datum::Column(match ty {
        SqlType::Integer => ColumnData::Integer(Int64Array::new(branch.iter().map(|&b| if nulls[b as usize] { 0 } else { values[b as usize] as i64 }).collect(), validity)),
        _ => ColumnData::Float(Float64Array::new(branch.iter().map(|&b| if nulls[b as usize] { 0.0 } else { values[b as usize] }).collect(), validity)),
    }))
}

/// Applies a per-value test to a text datum; dictionary columns are tested
/// once per label.
fn by_text(value: Datum, len: usize, test: impl Fn(ValueRef<'_>) -> Option<bool>) -> Datum {
    match value {
        Datum::Scalar(s) => Datum::Scalar(test(s.as_ref()).map_or(Scalar::Null, Scalar::Bool)),
        Datum::Column(ColumnData::Categorical(a)) => {
            let labels = a.values().as_any().downcast_ref::<StringArray>().cloned().unwrap_or_else(|| StringArray::from(Vec::<&str>::new()));
            let per_label: Vec<Option<bool>> = (0..labels.len()).map(|k| test(ValueRef::Text(labels.value(k)))).collect();
            let keys = a.keys();
            if per_label.iter().all(Option::is_some) {
                // Decided once per label: one lookup per row, 64 rows at a time.
                let truth: Vec<bool> = per_label.iter().map(|v| v.unwrap_or(false)).collect();
                let values = keys.values();
                let bits = BooleanBuffer::collect_bool(len, |i| truth.get(values[i] as usize).copied().unwrap_or(false));
                return Datum::Column(ColumnData::Boolean(BooleanArray::new(bits, keys.nulls().cloned())));
            }
            bools(len, |r| if keys.is_null(r) { None } else { per_label.get(keys.value(r) as usize).copied().flatten() })
        }
        Datum::Column(c) => bools(len, |r| test(value_at(&c, r))).into(),
    }
}

fn compare(op: CmpOp, left: Datum, right: Datum, len: usize) -> Datum {
    let scalar_cmp = |a: ValueRef<'_>, b: ValueRef<'_>| -> Option<bool> {
        if a.is_null() || b.is_null() {
            return None;
        }
        compare_values(a, b).map(|o| op.test(o))
    };
    match (&left, &right) {
        (Datum::Scalar(a), Datum::Scalar(b)) => Datum::Scalar(scalar_cmp(a.as_ref(), b.as_ref()).map_or(Scalar::Null, Scalar::Bool)),
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
            Datum::Column(ColumnData::Boolean(BooleanArray::new(bits, a.nulls().cloned())))
        }
        (Datum::Column(ColumnData::Integer(a)), Datum::Scalar(Scalar::Float(b))) => {
            let (b, values) = (*b, a.values());
            let bits = BooleanBuffer::collect_bool(len, |i| op.test(super::value::total_cmp_f64(values[i] as f64, b)));
            Datum::Column(ColumnData::Boolean(BooleanArray::new(bits, a.nulls().cloned())))
        }
        (Datum::Column(ColumnData::Float(a)), Datum::Scalar(s)) if s.as_ref().as_f64().is_some() => {
            let (b, values) = (s.as_ref().as_f64().unwrap_or(0.0), a.values());
            let bits = BooleanBuffer::collect_bool(len, |i| op.test(super::value::total_cmp_f64(values[i], b)));
            Datum::Column(ColumnData::Boolean(BooleanArray::new(bits, a.nulls().cloned())))
        }
        _ => bools(len, |r| scalar_cmp(left.value(r), right.value(r))),
    }
}

fn in_list(value: Datum, items: &[Datum], negated: bool, len: usize) -> Datum {
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
        _ => bools(len, |r| test(value.value(r), r)).into(),
    }
}

/// Like [`by_text`] for any type: per label for dictionary columns,
/// otherwise per row.
fn by_text_or_rows(value: Datum, len: usize, test: impl Fn(ValueRef<'_>) -> Option<bool>) -> Datum {
    match &value {
        Datum::Column(ColumnData::Categorical(_)) | Datum::Scalar(_) => by_text(value, len, test),
        Datum::Column(c) => bools(len, |r| test(value_at(c, r))).into(),
    }
}

fn arith_error(op: ArithOp, a: i64, b: i64) -> SqlError {
    let name = match op {
        ArithOp::Add => "addition",
        ArithOp::Sub => "subtraction",
        ArithOp::Mul => "multiplication",
        _ => "arithmetic",
    };
    SqlError::new(format!("integer overflow in {name} ({a}, {b}); CAST to DOUBLE first"))
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

fn arith(op: ArithOp, left: Datum, right: Datum, ty: SqlType, len: usize) -> Result<Datum, SqlError> {
    let one = |a: ValueRef<'_>, b: ValueRef<'_>| -> Result<Option<Scalar>, SqlError> {
        Ok(match (a, b) {
            (ValueRef::Int(x), ValueRef::Int(y)) if ty == SqlType::Integer => int_op(op, x, y)?.map(Scalar::Int),
            (x, y) => match (x.as_f64(), y.as_f64()) {
                (Some(x), Some(y)) => float_op(op, x, y).map(Scalar::Float),
                _ => None,
            },
        })
    };
    if let (Datum::Scalar(a), Datum::Scalar(b)) = (&left, &right) {
        return Ok(Datum::Scalar(one(a.as_ref(), b.as_ref())?.unwrap_or(Scalar::Null)));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns() {
        let p = LikePattern::new("Fib%", None, false);
        assert!(p.matches("Fiber optic"));
        assert!(!p.matches("fiber optic"));
        assert!(LikePattern::new("fib%", None, true).matches("Fiber optic"));
        assert!(LikePattern::new("%check", None, false).matches("Electronic check"));
        assert!(LikePattern::new("_o", None, false).matches("No"));
        assert!(!LikePattern::new("_o", None, false).matches("Yes"));
        assert!(LikePattern::new("%a%b%", None, false).matches("xxaxxbxx"));
        assert!(LikePattern::new("100!%", Some('!'), false).matches("100%"));
        assert!(!LikePattern::new("100!%", Some('!'), false).matches("1000"));
        assert!(LikePattern::new("", None, false).matches(""));
    }
}

//! Bound expressions and their evaluation over a frame of columns.
//!
//! Evaluation is column at a time. Common shapes have fast paths (a
//! dictionary column against a constant is decided once per label, numbers
//! against constants work on the raw values); everything else goes through
//! a row-by-row path that handles every type combination the binder allows.//!
//! The operators and their kernels are in `ops`, LIKE patterns in `like`.

mod like;
mod ops;

pub use like::LikePattern;
pub use ops::{ArithOp, CmpOp};

use arrow_array::StringArray;

use super::error::SqlError;
use super::functions::{cast_value, round_int, round_to, scalar_fn, ScalarFn};
use super::value::{column_from_values, value_at, Datum, Scalar, SqlType, ValueRef};
use crate::data::table::ColumnData;
use ops::{arith, bools, by_text, case_of_constants, compare, in_list, truth};

/// The rows an expression is evaluated over.
pub struct Frame {
    pub columns: Vec<ColumnData>,
    pub len: usize,
}

/// An expression with its names resolved and types checked.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Column(usize),
    Literal(Scalar),
    Neg(Box<Expr>),
    Not(Box<Expr>),
    Arith {
        op: ArithOp,
        left: Box<Expr>,
        right: Box<Expr>,
        ty: SqlType,
    },
    Concat(Box<Expr>, Box<Expr>),
    Cmp {
        op: CmpOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    IsNull {
        expr: Box<Expr>,
        negated: bool,
    },
    InList {
        expr: Box<Expr>,
        list: Vec<Expr>,
        negated: bool,
    },
    Like {
        expr: Box<Expr>,
        pattern: LikePattern,
        negated: bool,
    },
    Case {
        whens: Vec<(Expr, Expr)>,
        otherwise: Option<Box<Expr>>,
        ty: SqlType,
    },
    Cast {
        expr: Box<Expr>,
        to: SqlType,
        fallible: bool,
    },
    Round {
        expr: Box<Expr>,
        digits: i32,
    },
    Func {
        func: ScalarFn,
        args: Vec<Expr>,
        ty: SqlType,
    },
}

impl Expr {
    /// Evaluates over every row of `frame`.
    pub fn eval(&self, frame: &Frame) -> Result<Datum, SqlError> {
        let len = frame.len;
        Ok(match self {
            Expr::Column(i) => Datum::Column(frame.columns[*i].clone()),
            Expr::Literal(s) => Datum::Scalar(s.clone()),
            Expr::Neg(e) => match e.eval(frame)? {
                Datum::Scalar(Scalar::Int(v)) => {
                    Datum::Scalar(v.checked_neg().map_or(Scalar::Null, Scalar::Int))
                }
                Datum::Scalar(Scalar::Float(v)) => Datum::Scalar(Scalar::Float(-v)),
                Datum::Scalar(_) => Datum::Scalar(Scalar::Null),
                Datum::Column(ColumnData::Integer(a)) => {
                    ColumnData::Integer(a.iter().map(|v| v.and_then(i64::checked_neg)).collect())
                        .into()
                }
                Datum::Column(ColumnData::Float(a)) => {
                    ColumnData::Float(a.iter().map(|v| v.map(|x| -x)).collect()).into()
                }
                Datum::Column(_) => return Err(SqlError::new("minus needs a number")),
            },
            Expr::Not(e) => {
                let d = e.eval(frame)?;
                match d {
                    Datum::Scalar(s) => Datum::Scalar(match s {
                        Scalar::Bool(b) => Scalar::Bool(!b),
                        _ => Scalar::Null,
                    }),
                    d => bools(len, |r| truth(&d, r).map(|b| !b)),
                }
            }
            Expr::Arith {
                op,
                left,
                right,
                ty,
            } => arith(*op, left.eval(frame)?, right.eval(frame)?, *ty, len)?,
            Expr::Concat(l, r) => {
                let (l, r) = (l.eval(frame)?, r.eval(frame)?);
                let text = |row: usize| {
                    Some(format!(
                        "{}{}",
                        l.value(row).to_text()?,
                        r.value(row).to_text()?
                    ))
                };
                match (&l, &r) {
                    (Datum::Scalar(_), Datum::Scalar(_)) => {
                        Datum::Scalar(text(0).map_or(Scalar::Null, Scalar::Text))
                    }
                    _ => ColumnData::Text((0..len).map(text).collect::<StringArray>()).into(),
                }
            }
            Expr::Cmp { op, left, right } => {
                compare(*op, left.eval(frame)?, right.eval(frame)?, len)
            }
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
                    (Datum::Scalar(_), Datum::Scalar(_)) => {
                        Datum::Scalar(combine(0).map_or(Scalar::Null, Scalar::Bool))
                    }
                    _ => bools(len, combine),
                }
            }
            Expr::IsNull { expr, negated } => match expr.eval(frame)? {
                Datum::Scalar(s) => Datum::Scalar(Scalar::Bool(s.is_null() != *negated)),
                Datum::Column(c) => bools(len, |r| Some(c.is_null(r) != *negated)),
            },
            Expr::InList {
                expr,
                list,
                negated,
            } => {
                let value = expr.eval(frame)?;
                let items = list
                    .iter()
                    .map(|e| e.eval(frame))
                    .collect::<Result<Vec<_>, _>>()?;
                in_list(value, &items, *negated, len)
            }
            Expr::Like {
                expr,
                pattern,
                negated,
            } => {
                let value = expr.eval(frame)?;
                let test = |s: &str| pattern.matches(s) != *negated;
                by_text(value, len, |v| match v {
                    ValueRef::Text(s) => Some(test(s)),
                    _ => None,
                })
            }
            Expr::Case {
                whens,
                otherwise,
                ty,
            } => {
                let conditions = whens
                    .iter()
                    .map(|(c, _)| c.eval(frame))
                    .collect::<Result<Vec<_>, _>>()?;
                let results = whens
                    .iter()
                    .map(|(_, v)| v.eval(frame))
                    .collect::<Result<Vec<_>, _>>()?;
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
                let all_scalar = conditions
                    .iter()
                    .chain(&results)
                    .chain([&fallback])
                    .all(|d| matches!(d, Datum::Scalar(_)));
                if all_scalar {
                    Datum::Scalar(pick(0).to_scalar())
                } else if let Some(fast) =
                    case_of_constants(&conditions, &results, &fallback, *ty, len)
                {
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
                    Datum::Scalar(Scalar::Int(v)) => {
                        Datum::Scalar(Scalar::Int(round_int(v, *digits)))
                    }
                    Datum::Scalar(_) => Datum::Scalar(Scalar::Null),
                    Datum::Column(ColumnData::Float(a)) => ColumnData::Float(a.unary(round)).into(),
                    Datum::Column(ColumnData::Integer(a)) => {
                        ColumnData::Integer(a.unary(|v| round_int(v, *digits))).into()
                    }
                    Datum::Column(_) => return Err(SqlError::new("ROUND needs a number")),
                }
            }
            Expr::Func { func, args, ty } => {
                let values = args
                    .iter()
                    .map(|a| a.eval(frame))
                    .collect::<Result<Vec<_>, _>>()?;
                scalar_fn(*func, &values, *ty, len)
            }
        })
    }
}

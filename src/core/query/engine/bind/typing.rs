//! The binder's typing rules: literals and their types, text literals
//! read as numbers or booleans for comparisons, the common type of CASE,
//! COALESCE and IN lists, and the types CAST accepts.

use sqlparser::ast::{self, Value};

use crate::query::engine::error::{Position, SqlError};
use crate::query::engine::expr::Expr;
use crate::query::engine::value::{Scalar, SqlType};

pub(super) fn literal(value: &Value, at: Option<Position>) -> Result<Scalar, SqlError> {
    Ok(match value {
        Value::Number(n, _) => match n.parse::<i64>() {
            Ok(i) => Scalar::Int(i),
            Err(_) => Scalar::Float(
                n.parse::<f64>()
                    .map_err(|_| SqlError::at(format!("\"{n}\" is not a number"), at))?,
            ),
        },
        Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => Scalar::Text(s.clone()),
        Value::Boolean(b) => Scalar::Bool(*b),
        Value::Null => Scalar::Null,
        other => {
            return Err(SqlError::at(
                format!("values like {other} are not supported"),
                at,
            ))
        }
    })
}

pub(super) fn type_of_scalar(s: &Scalar) -> SqlType {
    match s {
        Scalar::Null | Scalar::Int(_) => SqlType::Integer,
        Scalar::Float(_) => SqlType::Float,
        Scalar::Bool(_) => SqlType::Boolean,
        Scalar::Text(_) => SqlType::Text,
    }
}

/// A text literal read as a value of `ty`, for comparisons like `tenure = '12'`.
pub(super) fn coerce_literal(e: &Expr, to: SqlType) -> Option<Expr> {
    let Expr::Literal(Scalar::Text(s)) = e else {
        return None;
    };
    let t = s.trim();
    let value = match to {
        SqlType::Integer | SqlType::Float => match t.parse::<i64>() {
            Ok(i) => Scalar::Int(i),
            Err(_) => Scalar::Float(t.parse::<f64>().ok()?),
        },
        SqlType::Boolean => Scalar::Bool(match t.to_ascii_lowercase().as_str() {
            "true" | "t" | "1" => true,
            "false" | "f" | "0" => false,
            _ => return None,
        }),
        SqlType::Text => return None,
    };
    Some(Expr::Literal(value))
}

/// Makes the two sides of a comparison comparable, or says why not.
pub(super) fn unify_for_compare(
    (l, lt): (Expr, SqlType),
    (r, rt): (Expr, SqlType),
    at: Option<Position>,
) -> Result<(Expr, Expr), SqlError> {
    let null_literal = |e: &Expr| matches!(e, Expr::Literal(Scalar::Null));
    if lt == rt || (lt.is_numeric() && rt.is_numeric()) || null_literal(&l) || null_literal(&r) {
        return Ok((l, r));
    }
    if let Some(r2) = (rt == SqlType::Text)
        .then(|| coerce_literal(&r, lt))
        .flatten()
    {
        return Ok((l, r2));
    }
    if let Some(l2) = (lt == SqlType::Text)
        .then(|| coerce_literal(&l, rt))
        .flatten()
    {
        return Ok((l2, r));
    }
    if let (SqlType::Boolean, Expr::Literal(Scalar::Int(i @ (0 | 1)))) = (lt, &r) {
        return Ok((l, Expr::Literal(Scalar::Bool(*i == 1))));
    }
    Err(SqlError::at(
        format!("cannot compare {} with {}", lt.name(), rt.name()),
        at,
    ))
}

/// The type a CASE, COALESCE or IN list of `types` has (numbers widen to
/// Float), or the first two that do not mix.
pub fn common_type(types: &[SqlType]) -> Result<SqlType, (SqlType, SqlType)> {
    let mut out: Option<SqlType> = None;
    for &t in types {
        out = Some(match out {
            None => t,
            Some(o) if o == t => o,
            Some(o) if o.is_numeric() && t.is_numeric() => SqlType::Float,
            Some(o) => return Err((o, t)),
        });
    }
    Ok(out.unwrap_or(SqlType::Integer))
}

pub(super) fn common_type_at(types: &[SqlType], at: Option<Position>) -> Result<SqlType, SqlError> {
    common_type(types).map_err(|(a, b)| {
        SqlError::at(
            format!("mixes {} and {}; CAST one of them", a.name(), b.name()),
            at,
        )
    })
}

pub(super) fn sql_type(dt: &ast::DataType, at: Option<Position>) -> Result<SqlType, SqlError> {
    let name = dt.to_string().to_ascii_uppercase();
    let base = name.split('(').next().unwrap_or("").trim();
    Ok(match base {
        "INT" | "INTEGER" | "BIGINT" | "SMALLINT" | "TINYINT" | "INT64" | "INT32" | "HUGEINT"
        | "LONG" => SqlType::Integer,
        "DOUBLE" | "FLOAT" | "REAL" | "DECIMAL" | "NUMERIC" | "DOUBLE PRECISION" | "FLOAT64" => {
            SqlType::Float
        }
        "BOOLEAN" | "BOOL" => SqlType::Boolean,
        "VARCHAR" | "TEXT" | "STRING" | "CHAR" => SqlType::Text,
        _ => {
            return Err(SqlError::at(
                format!("cannot CAST to {name}; use INTEGER, DOUBLE, BOOLEAN or VARCHAR"),
                at,
            ))
        }
    })
}

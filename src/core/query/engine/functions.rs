//! Scalar SQL functions and casts with DuckDB's results: ROUND (half away
//! from zero), CAST between numbers and text, ABS, LOWER/UPPER/TRIM,
//! LENGTH and COALESCE.

use super::error::SqlError;
use super::value::{column_from_values, Datum, Scalar, SqlType, ValueRef};

/// A scalar function, as the binder resolved it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarFn {
    Abs,
    Lower,
    Upper,
    Length,
    Coalesce,
    Trim,
}

/// ROUND(x, n) as DuckDB does it for doubles: scale, round half away from
/// zero, scale back.
pub fn round_to(v: f64, digits: i32) -> f64 {
    let m = 10f64.powi(digits);
    let scaled = v * m;
    if !scaled.is_finite() {
        return v;
    }
    scaled.round() / m
}

pub(super) fn round_int(v: i64, digits: i32) -> i64 {
    if digits >= 0 {
        return v;
    }
    let m = 10i64.checked_pow((-digits) as u32).unwrap_or(i64::MAX);
    let r = (v as f64 / m as f64).round() as i64;
    r.saturating_mul(m)
}

/// CAST of one value. Doubles become integers rounding half to even, text
/// becomes a number by reading it (`' 42 '`, `'1.5'`), as DuckDB does.
pub fn cast_value(v: ValueRef<'_>, to: SqlType) -> Result<Scalar, SqlError> {
    let fail = |what: String| SqlError::new(format!("could not convert {what} to {}", to.name()));
    Ok(match (v, to) {
        (ValueRef::Null, _) => Scalar::Null,
        (v, SqlType::Text) => v.to_text().map_or(Scalar::Null, Scalar::Text),
        (ValueRef::Int(x), SqlType::Integer) => Scalar::Int(x),
        (ValueRef::Int(x), SqlType::Float) => Scalar::Float(x as f64),
        (ValueRef::Int(x), SqlType::Boolean) => Scalar::Bool(x != 0),
        (ValueRef::Float(x), SqlType::Integer) => {
            let r = x.round_ties_even();
            if !(r >= i64::MIN as f64 && r < i64::MAX as f64) {
                return Err(fail(format!("{x}")));
            }
            Scalar::Int(r as i64)
        }
        (ValueRef::Float(x), SqlType::Float) => Scalar::Float(x),
        (ValueRef::Float(x), SqlType::Boolean) => Scalar::Bool(x != 0.0),
        (ValueRef::Bool(b), SqlType::Integer) => Scalar::Int(b as i64),
        (ValueRef::Bool(b), SqlType::Float) => Scalar::Float(if b { 1.0 } else { 0.0 }),
        (ValueRef::Bool(b), SqlType::Boolean) => Scalar::Bool(b),
        (ValueRef::Text(s), SqlType::Integer) => {
            let t = s.trim();
            match t.parse::<i64>() {
                Ok(x) => Scalar::Int(x),
                Err(_) => match t.parse::<f64>().ok().filter(|f| f.is_finite()) {
                    Some(f) if f.abs() < 9.2e18 => Scalar::Int(f.round() as i64),
                    _ => return Err(fail(format!("'{s}'"))),
                },
            }
        }
        (ValueRef::Text(s), SqlType::Float) => Scalar::Float(
            s.trim()
                .parse::<f64>()
                .map_err(|_| fail(format!("'{s}'")))?,
        ),
        (ValueRef::Text(s), SqlType::Boolean) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "t" | "1" | "yes" | "y" => Scalar::Bool(true),
            "false" | "f" | "0" | "no" | "n" => Scalar::Bool(false),
            _ => return Err(fail(format!("'{s}'"))),
        },
    })
}

pub(super) fn scalar_fn(func: ScalarFn, args: &[Datum], ty: SqlType, len: usize) -> Datum {
    let all_scalar = args.iter().all(|a| matches!(a, Datum::Scalar(_)));
    let one = |row: usize| -> Scalar {
        let arg = |i: usize| args.get(i).map_or(ValueRef::Null, |a| a.value(row));
        match func {
            ScalarFn::Abs => match arg(0) {
                ValueRef::Int(v) => v.checked_abs().map_or(Scalar::Null, Scalar::Int),
                ValueRef::Float(v) => Scalar::Float(v.abs()),
                _ => Scalar::Null,
            },
            ScalarFn::Lower | ScalarFn::Upper | ScalarFn::Trim => match arg(0) {
                ValueRef::Text(s) => Scalar::Text(match func {
                    ScalarFn::Lower => s.to_lowercase(),
                    ScalarFn::Upper => s.to_uppercase(),
                    _ => s.trim().to_owned(),
                }),
                _ => Scalar::Null,
            },
            ScalarFn::Length => match arg(0) {
                ValueRef::Text(s) => Scalar::Int(s.chars().count() as i64),
                _ => Scalar::Null,
            },
            ScalarFn::Coalesce => {
                let first = (0..args.len())
                    .map(arg)
                    .find(|v| !v.is_null())
                    .unwrap_or(ValueRef::Null);
                match (first, ty) {
                    (ValueRef::Int(v), SqlType::Float) => Scalar::Float(v as f64),
                    (v, _) => v.to_scalar(),
                }
            }
        }
    };
    if all_scalar {
        return Datum::Scalar(one(0));
    }
    let values: Vec<Scalar> = (0..len).map(one).collect();
    Datum::Column(column_from_values(ty, values.iter().map(Scalar::as_ref)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_matches_duckdb_on_doubles() {
        // .venv/bin/python -c "import duckdb; print(duckdb.sql('select round(2.675::double,2), round(1.005::double,2), round(0.125::double,2), round(-2.5::double), round(1234.5678::double,-1)').fetchall())"
        assert_eq!(round_to(2.675, 2), 2.68);
        assert_eq!(round_to(1.005, 2), 1.0);
        assert_eq!(round_to(0.125, 2), 0.13);
        assert_eq!(round_to(-2.5, 0), -3.0);
        assert_eq!(round_to(1234.5678, -1), 1230.0);
    }

    #[test]
    fn casts_like_duckdb() {
        assert_eq!(
            cast_value(ValueRef::Float(2.5), SqlType::Integer),
            Ok(Scalar::Int(2))
        );
        assert_eq!(
            cast_value(ValueRef::Float(-0.5), SqlType::Integer),
            Ok(Scalar::Int(0))
        );
        assert_eq!(
            cast_value(ValueRef::Text(" 42 "), SqlType::Integer),
            Ok(Scalar::Int(42))
        );
        assert_eq!(
            cast_value(ValueRef::Text("1.5"), SqlType::Integer),
            Ok(Scalar::Int(2))
        );
        assert!(cast_value(ValueRef::Text("abc"), SqlType::Integer).is_err());
        assert_eq!(
            cast_value(ValueRef::Float(2.0), SqlType::Text),
            Ok(Scalar::Text("2.0".into()))
        );
    }
}

//! SQL types and values: scalars from literals, and columns or constants
//! as the result of evaluating an expression over a frame of rows.

use std::cmp::Ordering;

use arrow_array::{Array, BooleanArray, Float64Array, Int64Array, StringArray};

use crate::data::table::{format_float, ColumnData};

/// The type of an expression. Categorical and text columns are both `Text`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SqlType {
    Integer,
    Float,
    Boolean,
    Text,
}

impl SqlType {
    pub fn of(data: &ColumnData) -> SqlType {
        match data {
            ColumnData::Integer(_) => SqlType::Integer,
            ColumnData::Float(_) => SqlType::Float,
            ColumnData::Boolean(_) => SqlType::Boolean,
            ColumnData::Categorical(_) | ColumnData::Text(_) => SqlType::Text,
        }
    }

    pub fn is_numeric(self) -> bool {
        matches!(self, SqlType::Integer | SqlType::Float)
    }

    pub fn name(self) -> &'static str {
        match self {
            SqlType::Integer => "INTEGER",
            SqlType::Float => "DOUBLE",
            SqlType::Boolean => "BOOLEAN",
            SqlType::Text => "VARCHAR",
        }
    }
}

/// A single value: a literal, or one cell read row by row.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    Null,
    Int(i64),
    Float(f64),
    Bool(bool),
    Text(String),
}

impl Scalar {
    pub fn as_ref(&self) -> ValueRef<'_> {
        match self {
            Scalar::Null => ValueRef::Null,
            Scalar::Int(v) => ValueRef::Int(*v),
            Scalar::Float(v) => ValueRef::Float(*v),
            Scalar::Bool(v) => ValueRef::Bool(*v),
            Scalar::Text(s) => ValueRef::Text(s),
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Scalar::Null)
    }
}

/// A borrowed value, read from a column without allocating.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ValueRef<'a> {
    Null,
    Int(i64),
    Float(f64),
    Bool(bool),
    Text(&'a str),
}

impl<'a> ValueRef<'a> {
    pub fn is_null(self) -> bool {
        matches!(self, ValueRef::Null)
    }

    pub fn as_f64(self) -> Option<f64> {
        match self {
            ValueRef::Int(v) => Some(v as f64),
            ValueRef::Float(v) => Some(v),
            _ => None,
        }
    }

    pub fn to_scalar(self) -> Scalar {
        match self {
            ValueRef::Null => Scalar::Null,
            ValueRef::Int(v) => Scalar::Int(v),
            ValueRef::Float(v) => Scalar::Float(v),
            ValueRef::Bool(v) => Scalar::Bool(v),
            ValueRef::Text(s) => Scalar::Text(s.to_owned()),
        }
    }

    /// The value as text, as CAST(… AS VARCHAR) writes it.
    pub fn to_text(self) -> Option<String> {
        match self {
            ValueRef::Null => None,
            ValueRef::Int(v) => Some(v.to_string()),
            ValueRef::Float(v) => Some(format_float(v)),
            ValueRef::Bool(v) => Some(v.to_string()),
            ValueRef::Text(s) => Some(s.to_owned()),
        }
    }
}

/// SQL ordering of two non-null values of comparable types; numbers
/// compare across integer and float. `None` for incomparable types.
pub fn compare_values(a: ValueRef<'_>, b: ValueRef<'_>) -> Option<Ordering> {
    match (a, b) {
        (ValueRef::Int(x), ValueRef::Int(y)) => Some(x.cmp(&y)),
        (ValueRef::Text(x), ValueRef::Text(y)) => Some(x.cmp(y)),
        (ValueRef::Bool(x), ValueRef::Bool(y)) => Some(x.cmp(&y)),
        (x, y) => Some(total_cmp_f64(x.as_f64()?, y.as_f64()?)),
    }
}

/// Float order where NaN is the largest value and equal to itself, as in DuckDB.
pub fn total_cmp_f64(x: f64, y: f64) -> Ordering {
    match (x.is_nan(), y.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        // -0.0 == 0.0
        _ => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
    }
}

/// The value of `data` at `row`.
pub fn value_at(data: &ColumnData, row: usize) -> ValueRef<'_> {
    if data.is_null(row) {
        return ValueRef::Null;
    }
    match data {
        ColumnData::Integer(a) => ValueRef::Int(a.value(row)),
        ColumnData::Float(a) => ValueRef::Float(a.value(row)),
        ColumnData::Boolean(a) => ValueRef::Bool(a.value(row)),
        ColumnData::Categorical(_) | ColumnData::Text(_) => {
            data.str_value(row).map_or(ValueRef::Null, ValueRef::Text)
        }
    }
}

/// An evaluated expression: a column of values, or one value for every row.
#[derive(Clone, Debug)]
pub enum Datum {
    Column(ColumnData),
    Scalar(Scalar),
}

impl Datum {
    pub fn value(&self, row: usize) -> ValueRef<'_> {
        match self {
            Datum::Column(c) => value_at(c, row),
            Datum::Scalar(s) => s.as_ref(),
        }
    }

    /// A column of `len` rows of type `ty` (a constant is repeated).
    pub fn into_column(self, len: usize, ty: SqlType) -> ColumnData {
        match self {
            Datum::Column(c) => c,
            Datum::Scalar(s) => repeat(&s, len, ty),
        }
    }
}

/// `value` repeated `len` times as a column of type `ty`.
pub fn repeat(value: &Scalar, len: usize, ty: SqlType) -> ColumnData {
    match (value, ty) {
        (Scalar::Int(v), SqlType::Integer) => ColumnData::Integer(Int64Array::from(vec![*v; len])),
        (Scalar::Int(v), SqlType::Float) => {
            ColumnData::Float(Float64Array::from(vec![*v as f64; len]))
        }
        (Scalar::Float(v), _) => ColumnData::Float(Float64Array::from(vec![*v; len])),
        (Scalar::Bool(v), _) => ColumnData::Boolean(BooleanArray::from(vec![*v; len])),
        (Scalar::Text(s), _) => ColumnData::Text(StringArray::from(vec![s.as_str(); len])),
        (_, SqlType::Integer) | (Scalar::Int(_), _) => {
            ColumnData::Integer(Int64Array::new_null(len))
        }
        (_, SqlType::Float) => ColumnData::Float(Float64Array::new_null(len)),
        (_, SqlType::Boolean) => ColumnData::Boolean(BooleanArray::new_null(len)),
        (_, SqlType::Text) => ColumnData::Text(StringArray::new_null(len)),
    }
}

/// A column built row by row from values of one type.
pub fn column_from_values<'a>(
    ty: SqlType,
    values: impl Iterator<Item = ValueRef<'a>>,
) -> ColumnData {
    match ty {
        SqlType::Integer => ColumnData::Integer(
            values
                .map(|v| {
                    if let ValueRef::Int(x) = v {
                        Some(x)
                    } else {
                        None
                    }
                })
                .collect::<Int64Array>(),
        ),
        SqlType::Float => ColumnData::Float(values.map(|v| v.as_f64()).collect::<Float64Array>()),
        SqlType::Boolean => ColumnData::Boolean(
            values
                .map(|v| {
                    if let ValueRef::Bool(x) = v {
                        Some(x)
                    } else {
                        None
                    }
                })
                .collect::<BooleanArray>(),
        ),
        SqlType::Text => ColumnData::Text(
            values
                .map(|v| {
                    if let ValueRef::Text(s) = v {
                        Some(s)
                    } else {
                        None
                    }
                })
                .collect::<StringArray>(),
        ),
    }
}

/// Rows `rows` of `data`, in that order (dictionary columns keep their labels).
pub fn take(data: &ColumnData, rows: &[u32]) -> ColumnData {
    fn nulls_of(a: &dyn Array, rows: &[u32]) -> Option<arrow_buffer::NullBuffer> {
        let n = a.logical_nulls()?;
        if n.null_count() == 0 {
            return None;
        }
        Some(arrow_buffer::NullBuffer::from(
            rows.iter()
                .map(|&r| n.is_valid(r as usize))
                .collect::<Vec<bool>>(),
        ))
    }
    match data {
        ColumnData::Integer(a) => {
            let values: Vec<i64> = rows.iter().map(|&r| a.values()[r as usize]).collect();
            ColumnData::Integer(Int64Array::new(values.into(), nulls_of(a, rows)))
        }
        ColumnData::Float(a) => {
            let values: Vec<f64> = rows.iter().map(|&r| a.values()[r as usize]).collect();
            ColumnData::Float(Float64Array::new(values.into(), nulls_of(a, rows)))
        }
        ColumnData::Boolean(a) => ColumnData::Boolean(
            rows.iter()
                .map(|&r| a.is_valid(r as usize).then(|| a.value(r as usize)))
                .collect(),
        ),
        ColumnData::Categorical(a) => {
            let keys = a.keys();
            let values: Vec<u16> = rows.iter().map(|&r| keys.values()[r as usize]).collect();
            let keys = arrow_array::UInt16Array::new(values.into(), nulls_of(keys, rows));
            let labels = data
                .categories()
                .cloned()
                .unwrap_or_else(|| StringArray::from(Vec::<&str>::new()));
            ColumnData::Categorical(crate::data::table::categorical_from_parts(keys, labels))
        }
        ColumnData::Text(a) => ColumnData::Text(
            rows.iter()
                .map(|&r| a.is_valid(r as usize).then(|| a.value(r as usize)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_across_numeric_types_and_orders_nan_last() {
        assert_eq!(
            compare_values(ValueRef::Int(2), ValueRef::Float(2.5)),
            Some(Ordering::Less)
        );
        assert_eq!(
            compare_values(ValueRef::Text("b"), ValueRef::Text("a")),
            Some(Ordering::Greater)
        );
        assert_eq!(compare_values(ValueRef::Text("1"), ValueRef::Int(1)), None);
        assert_eq!(total_cmp_f64(f64::NAN, 1e300), Ordering::Greater);
        assert_eq!(total_cmp_f64(-0.0, 0.0), Ordering::Equal);
    }

    #[test]
    fn takes_rows_of_every_type() {
        let c = ColumnData::Integer(Int64Array::from(vec![Some(1), None, Some(3)]));
        let t = take(&c, &[2, 1, 0, 2]);
        let shown: Vec<Option<String>> = (0..4).map(|r| t.display(r)).collect();
        assert_eq!(
            shown,
            vec![Some("3".into()), None, Some("1".into()), Some("3".into())]
        );
    }
}

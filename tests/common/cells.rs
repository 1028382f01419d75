//! One cell of a result as the app and DuckDB give it, comparable exactly:
//! the SQL parity tests and the dataset export's tests compare row for row.

use churnlab::core::data::table::{format_float, ColumnType, Table};
use serde_json::Value;

#[derive(Debug, PartialEq, PartialOrd, Clone)]
pub enum Cell {
    Null,
    Int(i128),
    Float(u64),
    Bool(bool),
    Text(String),
}

pub fn float_cell(f: f64) -> Cell {
    // -0.0 and 0.0 are the same result; every NaN is one NaN.
    if f == 0.0 {
        Cell::Float(0)
    } else if f.is_nan() {
        Cell::Float(f64::NAN.to_bits())
    } else {
        Cell::Float(f.to_bits())
    }
}

/// A value as `tests/python` scripts write it (floats as `{"float": repr}`).
pub fn duck_cell(v: &Value) -> Cell {
    match v {
        Value::Null => Cell::Null,
        Value::Bool(b) => Cell::Bool(*b),
        Value::Number(n) => Cell::Int(
            n.as_i64()
                .map(i128::from)
                .or_else(|| n.as_u64().map(i128::from))
                .unwrap_or_else(|| n.to_string().parse().unwrap()),
        ),
        Value::String(s) => Cell::Text(s.clone()),
        Value::Object(o) => match o.get("float").and_then(Value::as_str) {
            Some(f) => float_cell(match f {
                "inf" => f64::INFINITY,
                "-inf" => f64::NEG_INFINITY,
                "nan" => f64::NAN,
                f => f.parse().unwrap(),
            }),
            None => panic!("DuckDB returned a value of another kind: {o:?}"),
        },
        other => panic!("unexpected value {other}"),
    }
}

pub fn app_cell(t: &Table, col: usize, row: usize) -> Cell {
    let data = &t.columns()[col].data;
    if data.is_null(row) {
        return Cell::Null;
    }
    match data.column_type() {
        ColumnType::Integer => Cell::Int(data.display(row).unwrap().parse().unwrap()),
        ColumnType::Float => float_cell(data.number(row).unwrap()),
        ColumnType::Boolean => Cell::Bool(data.display(row).as_deref() == Some("true")),
        ColumnType::Categorical | ColumnType::Text => {
            Cell::Text(data.str_value(row).unwrap().to_owned())
        }
    }
}

/// A DuckDB type's family, as the app's types group.
pub fn duck_family(duck: &str) -> &'static str {
    match duck {
        "BIGINT" | "INTEGER" | "HUGEINT" | "SMALLINT" | "TINYINT" | "UBIGINT" => "integer",
        "DOUBLE" | "FLOAT" => "float",
        d if d.starts_with("DECIMAL") => "float",
        "BOOLEAN" => "boolean",
        "VARCHAR" => "text",
        other => panic!("unmapped DuckDB type {other}"),
    }
}

pub fn app_family(t: ColumnType) -> &'static str {
    match t {
        ColumnType::Integer => "integer",
        ColumnType::Float => "float",
        ColumnType::Boolean => "boolean",
        ColumnType::Categorical | ColumnType::Text => "text",
    }
}

pub fn show(c: &Cell) -> String {
    match c {
        Cell::Float(bits) => format_float(f64::from_bits(*bits)),
        other => format!("{other:?}"),
    }
}

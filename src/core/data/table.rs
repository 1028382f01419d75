//! The light dataframe: a named table of immutable, typed Arrow columns.
//!
//! Every column is one arrow-rs array behind [`ColumnData`], so kernels match
//! once on the variant and then work on a concrete array. Categoricals are
//! dictionary arrays with `u16` keys over a `StringArray` of labels.

use std::sync::Arc;

use arrow_array::types::UInt16Type;
use arrow_array::{
    Array, BooleanArray, DictionaryArray, Float64Array, Int64Array, StringArray, UInt16Array,
};
use serde::{Deserialize, Serialize};

/// The logical type of a column, as the user sees and overrides it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnType {
    Integer,
    Float,
    Boolean,
    Categorical,
    Text,
}

impl ColumnType {
    pub const ALL: [ColumnType; 5] = [
        ColumnType::Integer,
        ColumnType::Float,
        ColumnType::Boolean,
        ColumnType::Categorical,
        ColumnType::Text,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ColumnType::Integer => "integer",
            ColumnType::Float => "float",
            ColumnType::Boolean => "boolean",
            ColumnType::Categorical => "categorical",
            ColumnType::Text => "text",
        }
    }

    pub fn parse(label: &str) -> Option<ColumnType> {
        ColumnType::ALL
            .into_iter()
            .find(|t| t.label().eq_ignore_ascii_case(label))
    }

    pub fn is_numeric(self) -> bool {
        matches!(self, ColumnType::Integer | ColumnType::Float)
    }
}

/// Whether a field is grouped by (dimension) or aggregated (measure).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Dimension,
    Measure,
}

impl Role {
    /// The role a freshly typed column gets: numbers are measures.
    pub fn default_for(ty: ColumnType) -> Role {
        if ty.is_numeric() {
            Role::Measure
        } else {
            Role::Dimension
        }
    }
}

/// Dictionary-encoded strings: the storage of categorical columns.
pub type CategoricalArray = DictionaryArray<UInt16Type>;

/// The most labels a categorical column can hold (the key type's range).
pub const MAX_CATEGORIES: usize = u16::MAX as usize;

/// One column's values, as an arrow-rs array of the matching type.
#[derive(Clone, Debug)]
pub enum ColumnData {
    Integer(Int64Array),
    Float(Float64Array),
    Boolean(BooleanArray),
    Categorical(CategoricalArray),
    Text(StringArray),
}

impl ColumnData {
    pub fn column_type(&self) -> ColumnType {
        match self {
            ColumnData::Integer(_) => ColumnType::Integer,
            ColumnData::Float(_) => ColumnType::Float,
            ColumnData::Boolean(_) => ColumnType::Boolean,
            ColumnData::Categorical(_) => ColumnType::Categorical,
            ColumnData::Text(_) => ColumnType::Text,
        }
    }

    pub fn as_array(&self) -> &dyn Array {
        match self {
            ColumnData::Integer(a) => a,
            ColumnData::Float(a) => a,
            ColumnData::Boolean(a) => a,
            ColumnData::Categorical(a) => a,
            ColumnData::Text(a) => a,
        }
    }

    pub fn len(&self) -> usize {
        self.as_array().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn null_count(&self) -> usize {
        self.as_array().null_count()
    }

    pub fn is_null(&self, row: usize) -> bool {
        self.as_array().is_null(row)
    }

    /// Bytes held by the column's buffers.
    pub fn memory_size_bytes(&self) -> usize {
        self.as_array().get_buffer_memory_size()
    }

    /// The labels of a categorical column, indexed by key.
    pub fn categories(&self) -> Option<&StringArray> {
        match self {
            ColumnData::Categorical(a) => categorical_labels(a),
            _ => None,
        }
    }

    /// The value at `row` as a number, when the column is numeric.
    pub fn number(&self, row: usize) -> Option<f64> {
        match self {
            ColumnData::Integer(a) if a.is_valid(row) => Some(a.value(row) as f64),
            ColumnData::Float(a) if a.is_valid(row) => Some(a.value(row)),
            _ => None,
        }
    }

    /// The value at `row` as a string slice, for categorical and text columns.
    pub fn str_value(&self, row: usize) -> Option<&str> {
        match self {
            ColumnData::Categorical(a) if a.is_valid(row) => {
                let labels = categorical_labels(a)?;
                Some(labels.value(a.keys().value(row) as usize))
            }
            ColumnData::Text(a) if a.is_valid(row) => Some(a.value(row)),
            _ => None,
        }
    }

    /// The cell's text as shown in the grid; `None` for null.
    pub fn display(&self, row: usize) -> Option<String> {
        if self.is_null(row) {
            return None;
        }
        Some(match self {
            ColumnData::Integer(a) => a.value(row).to_string(),
            ColumnData::Float(a) => format_float(a.value(row)),
            ColumnData::Boolean(a) => a.value(row).to_string(),
            ColumnData::Categorical(_) | ColumnData::Text(_) => {
                self.str_value(row).unwrap_or_default().to_owned()
            }
        })
    }
}

/// The string labels behind a categorical column. Our categoricals are always
/// built over a `StringArray`; anything else is treated as having no labels.
pub fn categorical_labels(array: &CategoricalArray) -> Option<&StringArray> {
    array.values().as_any().downcast_ref::<StringArray>()
}

/// A categorical column from keys and labels. A valid key at or past the
/// label count would be a bug in the caller; such keys become nulls rather
/// than being trusted.
pub fn categorical_from_parts(keys: UInt16Array, labels: StringArray) -> CategoricalArray {
    let n = labels.len();
    let keys = if keys.iter().flatten().all(|k| (k as usize) < n) {
        keys
    } else {
        keys.iter()
            .map(|k| k.filter(|&k| (k as usize) < n))
            .collect()
    };
    // Every valid key indexes a label now, which is all `new` checks (it
    // would panic only on a key past the labels). Not arrow's builder:
    // collecting through it would add its hash map to the wasm (33 KB gzip).
    CategoricalArray::new(keys, Arc::new(labels))
}

/// Shortest text that reads back as the same `f64` (`29.85`, not `29.850000000000001`).
pub fn format_float(value: f64) -> String {
    if value.is_finite() && value == value.trunc() && value.abs() < 1e15 {
        format!("{value:.1}")
    } else {
        format!("{value}")
    }
}

/// A named column with the field metadata the user edits.
#[derive(Clone, Debug)]
pub struct Column {
    pub name: String,
    pub role: Role,
    pub hidden: bool,
    pub data: ColumnData,
}

impl Column {
    pub fn new(name: impl Into<String>, data: ColumnData) -> Column {
        let role = Role::default_for(data.column_type());
        Column {
            name: name.into(),
            role,
            hidden: false,
            data,
        }
    }

    pub fn column_type(&self) -> ColumnType {
        self.data.column_type()
    }
}

/// Why a set of columns cannot form a table.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TableError {
    #[error("column \"{column}\" has {found} rows but the table has {expected}")]
    LengthMismatch {
        column: String,
        expected: usize,
        found: usize,
    },
    #[error("two columns are named \"{column}\"")]
    DuplicateColumn { column: String },
}

/// A named table: equal-length columns with unique names. Cloning is cheap
/// (the arrays share their buffers).
#[derive(Clone, Debug)]
pub struct Table {
    name: String,
    columns: Vec<Column>,
    num_rows: usize,
}

impl Table {
    pub fn try_new(name: impl Into<String>, columns: Vec<Column>) -> Result<Table, TableError> {
        let num_rows = columns.first().map_or(0, |c| c.data.len());
        for (i, c) in columns.iter().enumerate() {
            if c.data.len() != num_rows {
                return Err(TableError::LengthMismatch {
                    column: c.name.clone(),
                    expected: num_rows,
                    found: c.data.len(),
                });
            }
            if columns[..i]
                .iter()
                .any(|o| o.name.eq_ignore_ascii_case(&c.name))
            {
                return Err(TableError::DuplicateColumn {
                    column: c.name.clone(),
                });
            }
        }
        Ok(Table {
            name: name.into(),
            columns,
            num_rows,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn with_name(mut self, name: impl Into<String>) -> Table {
        self.name = name.into();
        self
    }

    pub fn num_rows(&self) -> usize {
        self.num_rows
    }

    pub fn num_columns(&self) -> usize {
        self.columns.len()
    }

    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    pub fn into_columns(self) -> Vec<Column> {
        self.columns
    }

    /// A column by name, case-insensitively (as SQL identifiers are).
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.column_index(name).map(|i| &self.columns[i])
    }

    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.name == name)
            .or_else(|| {
                self.columns
                    .iter()
                    .position(|c| c.name.eq_ignore_ascii_case(name))
            })
    }

    /// Whether `other` is this table or a clone of it: the same columns
    /// (names, roles, visibility) over the very same buffers. Cheap (no
    /// value is read), and exact as long as the caller keeps one of the
    /// two alive, so that freed buffers cannot come back at the same
    /// addresses.
    pub fn same_arrays(&self, other: &Table) -> bool {
        self.num_rows == other.num_rows
            && self.columns.len() == other.columns.len()
            && self.columns.iter().zip(&other.columns).all(|(a, b)| {
                a.name == b.name
                    && a.role == b.role
                    && a.hidden == b.hidden
                    && a.data
                        .as_array()
                        .to_data()
                        .ptr_eq(&b.data.as_array().to_data())
            })
    }

    /// Bytes held by all column buffers.
    pub fn memory_size_bytes(&self) -> usize {
        self.columns
            .iter()
            .map(|c| c.data.memory_size_bytes())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(v: &[Option<i64>]) -> ColumnData {
        ColumnData::Integer(Int64Array::from(v.to_vec()))
    }

    #[test]
    fn a_clone_has_the_same_arrays_and_equal_values_elsewhere_do_not() {
        let a = Column::new("a", ints(&[Some(1), None]));
        let t = Table::try_new("t", vec![a.clone()]).unwrap();
        assert!(t.same_arrays(&t.clone().with_name("other name")));
        // The same values in other buffers are another table.
        let again = Table::try_new("t", vec![Column::new("a", ints(&[Some(1), None]))]).unwrap();
        assert!(!t.same_arrays(&again));
        // So is a renamed, re-roled or hidden column over the same buffers.
        let renamed = Column {
            name: "b".into(),
            ..a.clone()
        };
        let hidden = Column {
            hidden: true,
            ..a.clone()
        };
        let role = Column {
            role: Role::Dimension,
            ..a.clone()
        };
        for c in [renamed, hidden, role] {
            assert!(!t.same_arrays(&Table::try_new("t", vec![c]).unwrap()));
        }
        // A slice shares the buffer but not the rows.
        let sliced = Column::new(
            "a",
            ColumnData::Integer(match &a.data {
                ColumnData::Integer(x) => x.slice(0, 1),
                _ => unreachable!(),
            }),
        );
        assert!(!t.same_arrays(&Table::try_new("t", vec![sliced]).unwrap()));
    }

    #[test]
    fn rejects_ragged_columns_and_duplicate_names() {
        let a = Column::new("a", ints(&[Some(1), Some(2)]));
        let b = Column::new("b", ints(&[Some(1)]));
        assert_eq!(
            Table::try_new("t", vec![a.clone(), b]).unwrap_err(),
            TableError::LengthMismatch {
                column: "b".into(),
                expected: 2,
                found: 1
            }
        );
        let dup = Column::new("A", ints(&[None, Some(3)]));
        assert_eq!(
            Table::try_new("t", vec![a, dup]).unwrap_err(),
            TableError::DuplicateColumn { column: "A".into() }
        );
    }

    #[test]
    fn looks_up_columns_case_insensitively_preferring_exact() {
        let t =
            Table::try_new("t", vec![Column::new("InternetService", ints(&[Some(1)]))]).unwrap();
        assert_eq!(t.column_index("internetservice"), Some(0));
        assert_eq!(t.column("INTERNETSERVICE").unwrap().name, "InternetService");
        assert!(t.column("nope").is_none());
    }

    #[test]
    fn displays_floats_without_noise() {
        assert_eq!(format_float(29.85), "29.85");
        assert_eq!(format_float(1889.5), "1889.5");
        assert_eq!(format_float(3.0), "3.0");
        let col = ColumnData::Float(Float64Array::from(vec![Some(0.1 + 0.2), None]));
        assert_eq!(col.display(0).as_deref(), Some("0.30000000000000004"));
        assert_eq!(col.display(1), None);
    }

    #[test]
    fn numeric_columns_default_to_measures() {
        assert_eq!(Column::new("x", ints(&[Some(1)])).role, Role::Measure);
        let text = ColumnData::Text(StringArray::from(vec!["a"]));
        assert_eq!(Column::new("y", text).role, Role::Dimension);
    }
}

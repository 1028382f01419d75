//! Changing a column's type, with a report of the values that did not
//! convert (they become null). Used when the user overrides an inferred
//! type and when a field is retyped in the field editor.

use arrow_array::{BooleanArray, Float64Array, Int64Array, StringArray};

use crate::data::builder::{Builder, Push, EXAMPLES_KEPT};
use crate::data::infer::ColumnProfile;
use crate::data::table::{ColumnData, ColumnType};

/// What a cast lost.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CastReport {
    /// Non-null values that could not be converted and became null.
    pub failed: usize,
    /// The first few of them, as text.
    pub examples: Vec<String>,
}

impl CastReport {
    fn fail(&mut self, value: impl FnOnce() -> String) {
        self.failed += 1;
        if self.examples.len() < EXAMPLES_KEPT {
            self.examples.push(value());
        }
    }
}

/// `data` as type `to`. Nulls stay null; values that do not convert become
/// null and are counted in the report.
pub fn cast_column(data: &ColumnData, to: ColumnType) -> (ColumnData, CastReport) {
    let mut report = CastReport::default();
    if data.column_type() == to {
        return (data.clone(), report);
    }
    let out = match (data, to) {
        (ColumnData::Integer(a), ColumnType::Float) => ColumnData::Float(
            a.iter()
                .map(|v| v.map(|v| v as f64))
                .collect::<Float64Array>(),
        ),
        (ColumnData::Float(a), ColumnType::Integer) => ColumnData::Integer(
            a.iter()
                .map(|v| {
                    let v = v?;
                    let fits = v == v.trunc() && v.abs() < 9.2e18;
                    if !fits {
                        report.fail(|| v.to_string());
                    }
                    fits.then_some(v as i64)
                })
                .collect::<Int64Array>(),
        ),
        (ColumnData::Boolean(a), ColumnType::Integer) => {
            ColumnData::Integer(a.iter().map(|v| v.map(i64::from)).collect::<Int64Array>())
        }
        (ColumnData::Boolean(a), ColumnType::Float) => ColumnData::Float(
            a.iter()
                .map(|v| v.map(|b| if b { 1.0 } else { 0.0 }))
                .collect::<Float64Array>(),
        ),
        (ColumnData::Integer(_) | ColumnData::Float(_), ColumnType::Boolean) => {
            ColumnData::Boolean(
                (0..data.len())
                    .map(|row| {
                        let v = data.number(row)?;
                        match v {
                            0.0 => Some(false),
                            1.0 => Some(true),
                            _ => {
                                report.fail(|| data.display(row).unwrap_or_default());
                                None
                            }
                        }
                    })
                    .collect::<BooleanArray>(),
            )
        }
        _ => via_text(data, to, &mut report),
    };
    (out, report)
}

/// Every other cast reads each value's text as a cell of the new type, the
/// same way a CSV cell is read.
fn via_text(data: &ColumnData, to: ColumnType, report: &mut CastReport) -> ColumnData {
    let mut builder = Builder::new(to, data.len());
    for row in 0..data.len() {
        match data.display(row) {
            None => builder.push_null(),
            Some(text) => match builder.push(text.as_bytes(), true) {
                Push::Ok => {}
                Push::Failed | Push::InvalidUtf8 => {
                    report.fail(|| text.clone());
                    builder.push_null();
                }
            },
        }
    }
    builder.finish()
}

/// A type profile of a set of labels, each counted once.
pub fn profile_labels(labels: &StringArray) -> ColumnProfile {
    profile_strings(labels.iter().flatten())
}

pub fn profile_strings<'a>(values: impl IntoIterator<Item = &'a str>) -> ColumnProfile {
    let mut profile = ColumnProfile::new();
    for v in values {
        profile.observe(v.as_bytes());
    }
    profile
}

/// The type the values of a string column imply, when they are all numbers
/// or booleans; `None` when they are genuinely strings or all null.
pub fn implied_type(data: &ColumnData) -> Option<ColumnType> {
    let inferred = match data {
        ColumnData::Categorical(_) => profile_labels(data.categories()?).infer(),
        ColumnData::Text(a) => profile_strings(a.iter().flatten()).infer(),
        _ => return None,
    }?;
    inferred.is_numeric_or_boolean().then_some(inferred)
}

impl ColumnType {
    fn is_numeric_or_boolean(self) -> bool {
        matches!(
            self,
            ColumnType::Integer | ColumnType::Float | ColumnType::Boolean
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::table::categorical_from_parts;
    use arrow_array::Array;
    use arrow_array::UInt16Array;

    fn text(values: &[Option<&str>]) -> ColumnData {
        ColumnData::Text(StringArray::from(values.to_vec()))
    }

    fn shown(data: &ColumnData) -> Vec<Option<String>> {
        (0..data.len()).map(|r| data.display(r)).collect()
    }

    #[test]
    fn text_to_integer_counts_failures() {
        let (out, report) = cast_column(
            &text(&[Some("1"), Some("x"), None, Some("NA"), Some("2.5")]),
            ColumnType::Integer,
        );
        assert_eq!(out.column_type(), ColumnType::Integer);
        assert_eq!(shown(&out), vec![Some("1".into()), None, None, None, None]);
        assert_eq!(report.failed, 2);
        assert_eq!(report.examples, vec!["x", "2.5"]);
    }

    #[test]
    fn categorical_yes_no_to_integer_fails_every_value() {
        let cat = categorical_from_parts(
            UInt16Array::from(vec![Some(0), Some(1), None]),
            StringArray::from(vec!["No", "Yes"]),
        );
        let (out, report) = cast_column(&ColumnData::Categorical(cat), ColumnType::Integer);
        assert_eq!(out.null_count(), 3);
        assert_eq!(report.failed, 2);
    }

    #[test]
    fn numbers_round_trip_through_text_and_categorical() {
        let f = ColumnData::Float(Float64Array::from(vec![Some(29.85), None, Some(3.0)]));
        let (t, r) = cast_column(&f, ColumnType::Text);
        assert_eq!(r.failed, 0);
        let (back, r) = cast_column(&t, ColumnType::Float);
        assert_eq!(r.failed, 0);
        assert_eq!(shown(&back), shown(&f));
        let (c, _) = cast_column(&f, ColumnType::Categorical);
        assert_eq!(c.categories().unwrap().len(), 2);
    }

    #[test]
    fn float_to_integer_only_when_whole() {
        let f = ColumnData::Float(Float64Array::from(vec![Some(2.0), Some(2.5)]));
        let (i, r) = cast_column(&f, ColumnType::Integer);
        assert_eq!(shown(&i), vec![Some("2".into()), None]);
        assert_eq!(r.examples, vec!["2.5"]);
    }

    #[test]
    fn booleans_and_numbers() {
        let i = ColumnData::Integer(Int64Array::from(vec![Some(0), Some(1), Some(7)]));
        let (b, r) = cast_column(&i, ColumnType::Boolean);
        assert_eq!(
            shown(&b),
            vec![Some("false".into()), Some("true".into()), None]
        );
        assert_eq!(r.failed, 1);
        let (back, _) = cast_column(&b, ColumnType::Float);
        assert_eq!(back.number(1), Some(1.0));
    }

    #[test]
    fn implied_type_of_string_columns() {
        assert_eq!(
            implied_type(&text(&[Some("1"), Some("22")])),
            Some(ColumnType::Integer)
        );
        assert_eq!(implied_type(&text(&[Some("a"), Some("22")])), None);
    }
}

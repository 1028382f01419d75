//! Joining tables with the same columns end to end: the parts of a file
//! ingested in parallel become one table. A column whose parts got
//! different types is cast to a common one first; categorical parts are
//! merged into one dictionary.

use arrow_array::{Array, BooleanArray, Float64Array, Int64Array, StringArray, UInt16Array};
use arrow_buffer::{
    BooleanBufferBuilder, NullBuffer, NullBufferBuilder, OffsetBuffer, ScalarBuffer,
};

use crate::common::hash::FxHashMap;
use crate::data::cast::cast_column;
use crate::data::table::{
    categorical_from_parts, Column, ColumnData, ColumnType, Table, TableError, MAX_CATEGORIES,
};

/// The type two versions of one column can both be cast to without loss.
pub fn unify_types(a: ColumnType, b: ColumnType) -> ColumnType {
    use ColumnType::*;
    match (a, b) {
        (x, y) if x == y => x,
        (Integer, Float) | (Float, Integer) => Float,
        (Text, _) | (_, Text) => Text,
        _ => Categorical,
    }
}

fn append_validity(builder: &mut NullBufferBuilder, data: &ColumnData) {
    match data.as_array().logical_nulls() {
        Some(nulls) => builder.append_buffer(&nulls),
        None => builder.append_n_non_nulls(data.len()),
    }
}

fn validity(parts: &[ColumnData]) -> Option<NullBuffer> {
    let mut builder = NullBufferBuilder::new(parts.iter().map(ColumnData::len).sum());
    parts.iter().for_each(|p| append_validity(&mut builder, p));
    builder.finish()
}

/// Parts of one column, all of the same type, end to end.
fn concat_same_type(parts: &[ColumnData]) -> ColumnData {
    let nulls = validity(parts);
    match parts
        .first()
        .map(ColumnData::column_type)
        .unwrap_or(ColumnType::Text)
    {
        ColumnType::Integer => {
            let mut values: Vec<i64> = Vec::with_capacity(parts.iter().map(ColumnData::len).sum());
            for p in parts {
                if let ColumnData::Integer(a) = p {
                    values.extend_from_slice(a.values());
                }
            }
            ColumnData::Integer(Int64Array::new(ScalarBuffer::from(values), nulls))
        }
        ColumnType::Float => {
            let mut values: Vec<f64> = Vec::with_capacity(parts.iter().map(ColumnData::len).sum());
            for p in parts {
                if let ColumnData::Float(a) = p {
                    values.extend_from_slice(a.values());
                }
            }
            ColumnData::Float(Float64Array::new(ScalarBuffer::from(values), nulls))
        }
        ColumnType::Boolean => {
            let mut values = BooleanBufferBuilder::new(parts.iter().map(ColumnData::len).sum());
            for p in parts {
                if let ColumnData::Boolean(a) = p {
                    values.append_buffer(a.values());
                }
            }
            ColumnData::Boolean(BooleanArray::new(values.finish(), nulls))
        }
        ColumnType::Text => {
            let mut offsets: Vec<i32> = vec![0];
            let mut bytes: Vec<u8> = Vec::new();
            for p in parts {
                if let ColumnData::Text(a) = p {
                    let base = a.value_offsets()[0];
                    let end = a.value_offsets()[a.len()];
                    let shift = bytes.len() as i32 - base;
                    offsets.extend(a.value_offsets()[1..].iter().map(|o| o + shift));
                    bytes.extend_from_slice(&a.value_data()[base as usize..end as usize]);
                }
            }
            ColumnData::Text(StringArray::new(
                OffsetBuffer::new(ScalarBuffer::from(offsets)),
                bytes.into(),
                nulls,
            ))
        }
        ColumnType::Categorical => concat_categorical(parts, nulls),
    }
}

/// One dictionary for all parts: the first part's labels keep their keys,
/// later parts' labels are looked up or appended. Too many labels for the
/// key type turn the column into text.
fn concat_categorical(parts: &[ColumnData], nulls: Option<NullBuffer>) -> ColumnData {
    let mut labels: Vec<String> = Vec::new();
    let mut index: FxHashMap<String, u16> = FxHashMap::default();
    let mut keys: Vec<u16> = Vec::with_capacity(parts.iter().map(ColumnData::len).sum());
    for p in parts {
        let (ColumnData::Categorical(a), Some(part_labels)) = (p, p.categories()) else {
            continue;
        };
        let mut remap = Vec::with_capacity(part_labels.len());
        for label in part_labels.iter() {
            let label = label.unwrap_or_default();
            let key = match index.get(label) {
                Some(&k) => k,
                None => {
                    if labels.len() >= MAX_CATEGORIES {
                        let texts: Vec<ColumnData> = parts
                            .iter()
                            .map(|p| cast_column(p, ColumnType::Text).0)
                            .collect();
                        return concat_same_type(&texts);
                    }
                    let k = labels.len() as u16;
                    labels.push(label.to_owned());
                    index.insert(label.to_owned(), k);
                    k
                }
            };
            remap.push(key);
        }
        keys.extend(
            a.keys()
                .values()
                .iter()
                .map(|&k| remap.get(k as usize).copied().unwrap_or(0)),
        );
    }
    let keys = UInt16Array::new(ScalarBuffer::from(keys), nulls);
    ColumnData::Categorical(categorical_from_parts(keys, StringArray::from(labels)))
}

/// The parts of one column end to end, cast to a common type first. The
/// first part's name and field metadata are kept.
pub fn concat_column(parts: &[Column]) -> Option<Column> {
    let template = parts.first()?;
    let ty = parts
        .iter()
        .map(Column::column_type)
        .fold(template.column_type(), unify_types);
    let datas: Vec<ColumnData> = parts.iter().map(|c| cast_column(&c.data, ty).0).collect();
    let role = if ty == template.column_type() {
        template.role
    } else {
        crate::data::table::Role::default_for(ty)
    };
    Some(Column {
        name: template.name.clone(),
        role,
        hidden: template.hidden,
        data: concat_same_type(&datas),
    })
}

/// `parts` end to end under `name`. Every part has the same column names
/// in the same order.
pub fn concat_tables(name: &str, parts: Vec<Table>) -> Result<Table, TableError> {
    let Some(first) = parts.first() else {
        return Table::try_new(name, Vec::new());
    };
    let mut columns = Vec::with_capacity(first.num_columns());
    for (i, template) in first.columns().iter().enumerate() {
        let mut pieces = Vec::with_capacity(parts.len());
        for part in &parts {
            let column = part
                .columns()
                .get(i)
                .filter(|c| c.name == template.name)
                .ok_or_else(|| TableError::LengthMismatch {
                    column: template.name.clone(),
                    expected: first.num_rows(),
                    found: 0,
                })?;
            pieces.push(column.clone());
        }
        columns.extend(concat_column(&pieces));
    }
    Table::try_new(name, columns)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::ingest::{ingest_bytes, IngestOptions};

    fn load(csv: &str) -> Table {
        ingest_bytes(csv.as_bytes(), IngestOptions::new("t"), 64)
            .unwrap()
            .0
    }

    fn cells(t: &Table) -> Vec<Vec<Option<String>>> {
        (0..t.num_rows())
            .map(|r| t.columns().iter().map(|c| c.data.display(r)).collect())
            .collect()
    }

    #[test]
    fn concatenates_every_type_and_merges_dictionaries() {
        let a = load("i,f,b,c,t\n1,1.5,true,Yes,x\n,2.5,false,No,y\n5,1,true,Yes,w\n");
        let b = load("i,f,b,c,t\n3,,true,Maybe,z\n4,4.5,,Yes,\n6,2,false,Maybe,v\n");
        let whole = load("i,f,b,c,t\n1,1.5,true,Yes,x\n,2.5,false,No,y\n5,1,true,Yes,w\n3,,true,Maybe,z\n4,4.5,,Yes,\n6,2,false,Maybe,v\n");
        let joined = concat_tables("t", vec![a, b]).unwrap();
        assert_eq!(cells(&joined), cells(&whole));
        let types: Vec<ColumnType> = joined.columns().iter().map(Column::column_type).collect();
        use ColumnType::*;
        assert_eq!(types, vec![Integer, Float, Boolean, Categorical, Text]);
        let labels: Vec<&str> = joined
            .column("c")
            .unwrap()
            .data
            .categories()
            .unwrap()
            .iter()
            .flatten()
            .collect();
        assert_eq!(labels, vec!["Yes", "No", "Maybe"]);
        assert_eq!(joined.column("i").unwrap().data.null_count(), 1);
    }

    #[test]
    fn unifies_types_that_differ_between_parts() {
        let a = load("n,s\n1,a\n2,a\n");
        let b = load("n,s\n2.5,1\n3.5,2\n");
        let joined = concat_tables("t", vec![a, b]).unwrap();
        assert_eq!(joined.column("n").unwrap().column_type(), ColumnType::Float);
        assert_eq!(joined.column("n").unwrap().data.number(0), Some(1.0));
        assert_eq!(
            joined.column("s").unwrap().column_type(),
            ColumnType::Categorical
        );
        assert_eq!(
            joined.column("s").unwrap().data.display(3).as_deref(),
            Some("2")
        );
    }

    #[test]
    fn sliced_text_arrays_keep_their_values() {
        let a = StringArray::from(vec![Some("aa"), None, Some("ccc"), Some("d")]).slice(1, 3);
        let joined = concat_same_type(&[
            ColumnData::Text(a),
            ColumnData::Text(StringArray::from(vec!["e"])),
        ]);
        let shown: Vec<Option<String>> = (0..joined.len()).map(|r| joined.display(r)).collect();
        assert_eq!(
            shown,
            vec![None, Some("ccc".into()), Some("d".into()), Some("e".into())]
        );
    }
}

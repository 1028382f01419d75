//! The visual filter builder's model, and its two-way link with the SQL
//! WHERE clause: a tree of conditions grouped with AND/OR (each group or
//! condition may be negated) that writes SQL, and is read back from SQL
//! when the clause has that shape.
//!
//! `model` holds the tree, `write` turns it into SQL, `read` reads it back,
//! and `clause` finds and replaces the WHERE clause in a query's text; this
//! module re-exports them and runs a tree over a table with the engine.

mod clause;
mod model;
mod read;
mod write;

pub use clause::{count_queries, from_table, replace_where, where_span, where_text, WhereSpan};
pub use model::{is_complete, Condition, FilterNode, FilterOp, Join};
pub use read::{from_sql, NotRepresentable};
pub use write::{quote_ident, to_sql};

use crate::data::table::Table;

/// The rows of `table` a filter tree keeps, in order (all rows for an
/// empty tree), evaluated by the query engine so a filter means here what
/// it means on the SQL page.
pub fn matching_rows(
    table: &Table,
    tree: &FilterNode,
) -> Result<Vec<usize>, crate::query::SqlError> {
    let type_of = |name: &str| table.column(name).map(|c| c.column_type());
    let condition = to_sql(tree, &type_of);
    if condition.is_empty() {
        return Ok((0..table.num_rows()).collect());
    }
    const ROW: &str = "__churnlab_row";
    let mut columns: Vec<crate::data::table::Column> = table.columns().to_vec();
    let numbers: arrow_array::Int64Array = (0..table.num_rows() as i64).collect();
    columns.push(crate::data::table::Column::new(
        ROW,
        crate::data::table::ColumnData::Integer(numbers),
    ));
    let with_rows = Table::try_new(table.name(), columns)
        .map_err(|e| crate::query::SqlError::new(e.to_string()))?;
    let result = crate::query::run_sql(
        &format!("SELECT {ROW} FROM data WHERE {condition}"),
        &crate::query::Catalog::new().with("data", &with_rows),
    )?;
    let rows = result
        .columns()
        .first()
        .map(|c| {
            (0..c.data.len())
                .filter_map(|r| c.data.number(r))
                .map(|v| v as usize)
                .collect()
        })
        .unwrap_or_default();
    Ok(rows)
}

#[cfg(test)]
mod matching_tests {
    use super::*;

    #[test]
    fn a_filter_tree_selects_rows_as_sql_does() {
        let t = crate::data::synth::generate(500, 2);
        assert_eq!(matching_rows(&t, &FilterNode::empty()).unwrap().len(), 500);
        let names: Vec<String> = t.columns().iter().map(|c| c.name.clone()).collect();
        let tree = from_sql("Contract = 'Two year' AND tenure > 24", &names).unwrap();
        let rows = matching_rows(&t, &tree).unwrap();
        let contract = &t.column("Contract").unwrap().data;
        let tenure = &t.column("tenure").unwrap().data;
        let want: Vec<usize> = (0..500)
            .filter(|&r| {
                contract.str_value(r) == Some("Two year")
                    && tenure.number(r).is_some_and(|v| v > 24.0)
            })
            .collect();
        assert!(!want.is_empty());
        assert_eq!(rows, want);
    }
}

#[cfg(test)]
mod tests;

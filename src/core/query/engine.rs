//! SQL over the Arrow tables: sqlparser's AST, bound to typed expressions
//! and run column at a time. The dialect is DuckDB's in meaning (NULLs,
//! types, rounding, ordering) with Impala's leniency in names: identifiers
//! ignore case and `"1"` is a string where no column is called `1`.

mod aggregate;
mod bind;
mod catalog;
mod error;
mod expr;
mod functions;
mod parse;
mod select;
mod value;

use crate::data::table::Table;

pub use bind::{common_type, has_aggregate};
pub use catalog::Catalog;
pub use error::{Position, SqlError};
pub use parse::parse_select;
pub use parse::result_name;
pub use parse::{call_args, CallArgs, CallArgsError};

/// Whether `name` is one of the engine's aggregate functions.
pub fn is_aggregate(name: &str) -> bool {
    aggregate::AggFn::from_name(name).is_some()
}
pub use value::{Scalar, SqlType};

/// `table` sorted by one column (NULLs last), as a result grid's header does.
pub fn sort_table(table: &Table, column: usize, descending: bool) -> Table {
    if column >= table.num_columns() {
        return table.clone();
    }
    let rows = sort_order(table, column, descending);
    let columns = table
        .columns()
        .iter()
        .map(|c| take_rows(c, &rows))
        .collect();
    Table::try_new(table.name(), columns).unwrap_or_else(|_| table.clone())
}

/// The rows of `table` in [`sort_table`]'s order (all rows, in order, for
/// a column it does not have).
fn sort_order(table: &Table, column: usize, descending: bool) -> Vec<u32> {
    let mut rows: Vec<u32> = (0..table.num_rows() as u32).collect();
    if let Some(key) = table.columns().get(column) {
        select::sort_rows(&mut rows, &[(key.data.clone(), descending, false)]);
    }
    rows
}

/// `column` with the values of `rows`, in that order.
fn take_rows(column: &crate::data::table::Column, rows: &[u32]) -> crate::data::table::Column {
    crate::data::table::Column {
        data: value::take(&column.data, rows),
        ..column.clone()
    }
}

/// Runs one SELECT statement and returns its result as a table.
pub fn run_sql(sql: &str, catalog: &Catalog<'_>) -> Result<Table, SqlError> {
    select::run_query(&*parse_select(sql)?, catalog)
}

#[cfg(test)]
mod tests;

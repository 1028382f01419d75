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
    let Some(key) = table.columns().get(column) else {
        return table.clone();
    };
    let mut rows: Vec<u32> = (0..table.num_rows() as u32).collect();
    select::sort_rows(&mut rows, &[(key.data.clone(), descending, false)]);
    let columns = table
        .columns()
        .iter()
        .map(|c| crate::data::table::Column {
            data: value::take(&c.data, &rows),
            ..c.clone()
        })
        .collect();
    Table::try_new(table.name(), columns).unwrap_or_else(|_| table.clone())
}

/// Runs one SELECT statement and returns its result as a table.
pub fn run_sql(sql: &str, catalog: &Catalog<'_>) -> Result<Table, SqlError> {
    select::run_query(&*parse_select(sql)?, catalog)
}

#[cfg(test)]
mod tests;

//! Running the SQL page's query against the user's datasets, and keeping
//! its history.

use leptos::prelude::*;

use crate::core::data::table::Table;
use crate::core::query::{run_sql, Catalog, SqlError};
use crate::ui::browser::perf;
use crate::ui::data::datasets;
use crate::ui::state::{next_generation, AppState, QueryOutcome};

/// Most queries the history keeps.
const HISTORY_LENGTH: usize = 20;

/// Runs `sql` over the active dataset (`churn`) and the saved ones.
pub fn execute(state: AppState, sql: &str) -> Result<(Table, f64), SqlError> {
    let tables = datasets::catalog_tables(state);
    let catalog = tables
        .iter()
        .fold(Catalog::new(), |c, (name, table)| c.with(name, table));
    let started = perf::now_ms();
    let table = run_sql(sql, &catalog)?;
    Ok((table, perf::now_ms() - started))
}

/// Runs the editor's query: a result replaces the last one, an error is
/// shown beside it and the last result stays.
pub fn run_editor(state: AppState) {
    let sql = state.sql.text.get_untracked();
    match execute(state, &sql) {
        Ok((table, elapsed_ms)) => {
            state.sql.error.set(None);
            state.sql.result.set(Some(QueryOutcome {
                sql: sql.clone(),
                table,
                elapsed_ms,
                generation: next_generation(),
            }));
            state.sql.history.update(|h| {
                h.retain(|q| q.trim() != sql.trim());
                h.insert(0, sql.trim().to_owned());
                h.truncate(HISTORY_LENGTH);
            });
        }
        Err(e) => state.sql.error.set(Some(e)),
    }
    datasets::persist_sql(state);
}

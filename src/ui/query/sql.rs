//! The SQL page's query over the user's datasets (through [`runner`], on
//! the page or in the held tables' worker) and its history.

use leptos::prelude::*;

use crate::core::data::table::Table;
use crate::core::query::SqlError;
use crate::ui::browser::held::Ticket;
use crate::ui::data::datasets;
use crate::ui::query::runner;
use crate::ui::state::{next_generation, AppState, QueryOutcome};

/// Most queries the history keeps.
const HISTORY_LENGTH: usize = 20;

/// Runs `sql` over the active dataset (`churn`) and the saved ones, on the
/// page at once; the result and the engine's time in ms.
pub fn execute(state: AppState, sql: &str) -> Result<(Table, f64), SqlError> {
    runner::execute(&datasets::catalog_tables(state), sql)
}

/// [`execute`] through [`runner::run`]: in the held tables' worker when a
/// table is large.
pub async fn run(
    state: AppState,
    sql: &str,
    on_sending: &dyn Fn(usize, usize),
    ticket: &Ticket,
) -> Result<(Table, f64), SqlError> {
    runner::run(&datasets::catalog_tables(state), sql, on_sending, ticket).await
}

/// The SQL page's result in the order of one of its columns
/// ([`runner::sorted`], the catalog kept in the worker).
pub async fn sorted_result(
    state: AppState,
    result: &Table,
    column: usize,
    descending: bool,
    ticket: &Ticket,
) -> Result<Table, String> {
    runner::sorted(
        &datasets::catalog_tables(state),
        result,
        column,
        descending,
        ticket,
    )
    .await
}

/// Runs the editor's query: a result replaces the last one, an error is
/// shown beside it and the last result stays; a cancelled query changes
/// nothing.
pub async fn run_editor(state: AppState, on_sending: &dyn Fn(usize, usize), ticket: &Ticket) {
    let sql = state.sql.text.get_untracked();
    let catalog = datasets::catalog_tables(state);
    let background = runner::any_large(&catalog);
    let outcome = runner::run(&catalog, &sql, on_sending, ticket).await;
    if ticket.is_cancelled() {
        return;
    }
    match outcome {
        Ok((table, elapsed_ms)) => {
            state.sql.error.set(None);
            state.sql.result.set(Some(QueryOutcome {
                sql: sql.clone(),
                table,
                elapsed_ms,
                background,
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

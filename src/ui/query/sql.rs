//! Running SQL against the user's datasets (on the page for small data, in
//! the held tables' worker for large), and the SQL page's query with its
//! history.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};

use crate::core::data::table::Table;
use crate::core::query::{run_sql, sort_order, sort_table, take_rows, Catalog, SqlError};
use crate::ui::browser::held::{self, in_background, Ticket};
use crate::ui::browser::js_table::{table_from_js_in_turns, table_to_js, transfer_list};
use crate::ui::browser::perf;
use crate::ui::browser::worker::{get, object};
use crate::ui::data::datasets;
use crate::ui::state::{next_generation, AppState, QueryOutcome};

/// Most queries the history keeps.
const HISTORY_LENGTH: usize = 20;

/// A query and the names of the tables the request holds, in order.
#[derive(Serialize, Deserialize)]
struct SqlArgs {
    sql: String,
    names: Vec<String>,
}

/// Registers the SQL engine's op on the held tables (in a worker): the
/// result's columns are moved to the page, an error travels as JSON.
pub fn register_worker_ops() {
    held::register_op("sql", |tables, args| {
        let a: SqlArgs = held::read(&args)?;
        if a.names.len() != tables.len() {
            return Err(JsValue::from_str("each table needs its name"));
        }
        let catalog = a
            .names
            .iter()
            .zip(tables)
            .fold(Catalog::new(), |c, (name, table)| c.with(name, table));
        let started = perf::now_ms();
        Ok(match run_sql(&a.sql, &catalog) {
            Ok(table) => {
                let parts = table_to_js(&table);
                let transfer = transfer_list(&parts);
                object(&[
                    ("parts", parts.into()),
                    ("ms", (perf::now_ms() - started).into()),
                    ("transfer", transfer.into()),
                ])
                .into()
            }
            Err(e) => object(&[("error", held::write(&e)?)]).into(),
        })
    });
    // The first table's order by one of its columns (the rest are the catalog, kept).
    held::register_op("sort-order", |tables, args| {
        let (column, descending): (usize, bool) = held::read(&args)?;
        let table = tables.first().ok_or("no table to sort")?;
        let order = js_sys::Uint32Array::from(&sort_order(table, column, descending)[..]);
        let transfer = js_sys::Array::of1(&order.buffer());
        Ok(object(&[("order", order.into()), ("transfer", transfer.into())]).into())
    });
}

/// The result of a query, in the order of one of its columns: on the page
/// at once for a small result; for a large one its order is found in the
/// held tables' worker (which keeps the catalog too, so that the next
/// query finds it there) and its columns taken in the page's turns.
pub async fn sorted_result(
    state: AppState,
    result: &Table,
    column: usize,
    descending: bool,
    ticket: &Ticket,
) -> Result<Table, String> {
    if !in_background(result) {
        return Ok(sort_table(result, column, descending));
    }
    let catalog = datasets::catalog_tables(state);
    let tables: Vec<&Table> = std::iter::once(result)
        .chain(catalog.iter().map(|(_, t)| t))
        .collect();
    let args = held::write(&(column, descending)).map_err(|e| js_text(&e))?;
    let answer = held::call_all(&tables, "sort-order", args, |_, _| {}, ticket).await?;
    let order = get(&answer, "order")
        .dyn_into::<js_sys::Uint32Array>()
        .map_err(|_| "the worker's answer has no order".to_owned())?
        .to_vec();
    if order.len() != result.num_rows() {
        return Err("the worker's order does not fit the result".into());
    }
    let mut slices = perf::Slices::new();
    let mut columns = Vec::with_capacity(result.num_columns());
    for c in result.columns() {
        slices.turn().await;
        columns.push(take_rows(c, &order));
    }
    Table::try_new(result.name(), columns).map_err(|e| e.to_string())
}

/// Runs `sql` over the active dataset (`churn`) and the saved ones, on the
/// page at once; the result and the engine's time in ms.
pub fn execute(state: AppState, sql: &str) -> Result<(Table, f64), SqlError> {
    let tables = datasets::catalog_tables(state);
    let catalog = tables
        .iter()
        .fold(Catalog::new(), |c, (name, table)| c.with(name, table));
    let started = perf::now_ms();
    let table = run_sql(sql, &catalog)?;
    Ok((table, perf::now_ms() - started))
}

/// [`execute`], in the held tables' worker when a table is large, so that
/// the page never waits on the engine; `on_sending(done, total)` follows
/// the columns sent there. Fails with [`held::CANCELLED`] as its message
/// once `ticket` is cancelled.
pub async fn run(
    state: AppState,
    sql: &str,
    on_sending: impl Fn(usize, usize),
    ticket: &Ticket,
) -> Result<(Table, f64), SqlError> {
    if !runs_in_background(state) {
        return execute(state, sql);
    }
    let catalog = datasets::catalog_tables(state);
    let args = SqlArgs {
        sql: sql.to_owned(),
        names: catalog.iter().map(|(n, _)| n.clone()).collect(),
    };
    let tables: Vec<&Table> = catalog.iter().map(|(_, t)| t).collect();
    let args = held::write(&args).map_err(|e| SqlError::new(js_text(&e)))?;
    let answer = held::call_all(&tables, "sql", args, on_sending, ticket)
        .await
        .map_err(SqlError::new)?;
    let error = get(&answer, "error");
    if !error.is_undefined() {
        return Err(held::read::<SqlError>(&error).map_err(|e| SqlError::new(js_text(&e)))?);
    }
    let parts = get(&answer, "parts")
        .dyn_into::<js_sys::Array>()
        .map_err(|_| SqlError::new("the worker's answer has no result"))?;
    let table = table_from_js_in_turns(&parts)
        .await
        .map_err(|e| SqlError::new(format!("the worker's result did not read: {e}")))?;
    if ticket.is_cancelled() {
        return Err(SqlError::new(held::CANCELLED));
    }
    Ok((table, get(&answer, "ms").as_f64().unwrap_or(0.0)))
}

/// Whether [`run`] goes to the worker: a table of the catalog is large.
pub fn runs_in_background(state: AppState) -> bool {
    let large = |t: &Table| in_background(t);
    state.dataset.with_untracked(|d| large(&d.table))
        || state.base.with_untracked(|b| large(&b.table))
        || state
            .saved
            .with_untracked(|s| s.iter().any(|d| large(&d.table)))
}

fn js_text(value: &JsValue) -> String {
    crate::ui::browser::json::error_text(value)
}

/// Runs the editor's query: a result replaces the last one, an error is
/// shown beside it and the last result stays; a cancelled query changes
/// nothing.
pub async fn run_editor(state: AppState, on_sending: impl Fn(usize, usize), ticket: &Ticket) {
    let sql = state.sql.text.get_untracked();
    let background = runs_in_background(state);
    let outcome = run(state, &sql, on_sending, ticket).await;
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

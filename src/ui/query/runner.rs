//! Where SQL runs: at once on the page over small tables, in the held
//! tables' worker when a table of the catalog is large, so that the page
//! never waits on the engine. Knows no app state: callers give the catalog.

use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};

use crate::core::data::table::Table;
use crate::core::query::{run_sql, sort_table, Catalog, SqlError};
use crate::ui::browser::held::{self, in_background, Ticket};
use crate::ui::browser::js_table::{table_from_js_in_turns, table_to_js, transfer_list};
use crate::ui::browser::perf;
use crate::ui::browser::worker::{get, object};

/// Tables by the names queries give them.
pub type Tables = [(String, Table)];

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
            Ok(table) => table_answer(&table, perf::now_ms() - started),
            Err(e) => object(&[("error", held::write(&e)?)]).into(),
        })
    });
    // The first table sorted by one of its columns (the rest are the catalog, kept).
    held::register_op("sort", |tables, args| {
        let (column, descending): (usize, bool) = held::read(&args)?;
        let table = tables.first().ok_or("no table to sort")?;
        let started = perf::now_ms();
        let sorted = sort_table(table, column, descending);
        Ok(table_answer(&sorted, perf::now_ms() - started))
    });
}

/// A worker's answer that moves `table`'s columns to the page, with the
/// time the work took.
fn table_answer(table: &Table, ms: f64) -> JsValue {
    let parts = table_to_js(table);
    let transfer = transfer_list(&parts);
    object(&[
        ("parts", parts.into()),
        ("ms", ms.into()),
        ("transfer", transfer.into()),
    ])
    .into()
}

/// The table a [`table_answer`] moved, read in the page's turns.
async fn answered_table(answer: &JsValue) -> Result<Table, String> {
    let parts = get(answer, "parts")
        .dyn_into::<js_sys::Array>()
        .map_err(|_| "the worker's answer has no table".to_owned())?;
    table_from_js_in_turns(&parts)
        .await
        .map_err(|e| format!("the worker's table did not read: {e}"))
}

/// Whether [`run`] over `catalog` goes to the worker: a table is large.
pub fn any_large(catalog: &Tables) -> bool {
    catalog.iter().any(|(_, t)| in_background(t))
}

/// Runs `sql` over `catalog` on the page at once: the result and the
/// engine's time in ms.
pub fn execute(catalog: &Tables, sql: &str) -> Result<(Table, f64), SqlError> {
    let catalog = catalog
        .iter()
        .fold(Catalog::new(), |c, (name, table)| c.with(name, table));
    let started = perf::now_ms();
    let table = run_sql(sql, &catalog)?;
    Ok((table, perf::now_ms() - started))
}

/// [`execute`], in the held tables' worker when [`any_large`];
/// `on_sending(done, total)` follows the columns sent there. Fails with
/// [`held::CANCELLED`] as its message once `ticket` is cancelled.
pub async fn run(
    catalog: &Tables,
    sql: &str,
    on_sending: &dyn Fn(usize, usize),
    ticket: &Ticket,
) -> Result<(Table, f64), SqlError> {
    if !any_large(catalog) {
        return execute(catalog, sql);
    }
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
    let table = answered_table(&answer).await.map_err(SqlError::new)?;
    if ticket.is_cancelled() {
        return Err(SqlError::new(held::CANCELLED));
    }
    Ok((table, get(&answer, "ms").as_f64().unwrap_or(0.0)))
}

/// The result of a query, in the order of one of its columns: on the page
/// at once for a small result; for a large one its order is found in the
/// held tables' worker (which keeps the catalog too, so that the next
/// query finds it there) and its columns read back in the page's turns.
pub async fn sorted(
    catalog: &Tables,
    result: &Table,
    column: usize,
    descending: bool,
    ticket: &Ticket,
) -> Result<Table, String> {
    if !in_background(result) {
        return Ok(sort_table(result, column, descending));
    }
    let tables: Vec<&Table> = std::iter::once(result)
        .chain(catalog.iter().map(|(_, t)| t))
        .collect();
    let args = held::write(&(column, descending)).map_err(|e| js_text(&e))?;
    let answer = held::call_all(&tables, "sort", args, &|_, _| {}, ticket).await?;
    answered_table(&answer).await
}

fn js_text(value: &JsValue) -> String {
    crate::ui::browser::json::error_text(value)
}

//! Which customers the Customers page's filter keeps, evaluated by the
//! query engine (`core::query::filter::matching_rows`): at once on the page
//! for a small table, in the held tables' worker ("matching-rows") for a
//! large one, so that filtering a million customers never holds up the page.

use js_sys::Uint32Array;
use wasm_bindgen::{JsCast, JsValue};

use crate::core::data::table::Table;
use crate::core::query::filter::{matching_rows, FilterNode};
use crate::ui::browser::held::{self, in_background, Ticket};

/// Registers the filter's op on the held tables (in a worker): the rows
/// kept, as a `Uint32Array`.
pub fn register_worker_ops() {
    held::register_op("matching-rows", |tables, args| {
        let table = held::only(tables)?;
        let tree: FilterNode = held::read(&args)?;
        let rows = matching_rows(table, &tree).map_err(|e| JsValue::from_str(&e.to_string()))?;
        let rows: Vec<u32> = rows.into_iter().map(|r| r as u32).collect();
        Ok(Uint32Array::from(rows.as_slice()).into())
    });
}

/// Each row of `table`: whether `tree` keeps it. `None` when the table is
/// large: ask [`in_worker`] instead.
pub fn on_page(table: &Table, tree: &FilterNode) -> Option<Result<Vec<bool>, String>> {
    (!in_background(table)).then(|| {
        matching_rows(table, tree)
            .map(|rows| mask(rows, table.num_rows()))
            .map_err(|e| e.to_string())
    })
}

/// [`on_page`]'s answer from the held tables' worker; fails with
/// [`held::CANCELLED`] once `ticket` is withdrawn.
pub async fn in_worker(
    table: &Table,
    tree: &FilterNode,
    ticket: &Ticket,
) -> Result<Vec<bool>, String> {
    let args = held::write(tree).map_err(|e| crate::ui::browser::json::error_text(&e))?;
    let answer = held::call_all(&[table], "matching-rows", args, &|_, _| {}, ticket).await?;
    let rows: Uint32Array = answer
        .dyn_into()
        .map_err(|_| "the worker's answer was not a list of rows")?;
    Ok(mask(
        rows.to_vec().into_iter().map(|r| r as usize),
        table.num_rows(),
    ))
}

fn mask(rows: impl IntoIterator<Item = usize>, n: usize) -> Vec<bool> {
    let mut keep = vec![false; n];
    for r in rows {
        if let Some(k) = keep.get_mut(r) {
            *k = true;
        }
    }
    keep
}

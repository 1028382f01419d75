//! A worker that holds a table, so that work over a large one runs off the
//! page's thread without sending the table every time.
//!
//! The page sends a table once, with an id, and after that only the id;
//! the worker keeps the last table it was sent and answers a request only
//! for the id it holds. A worker that holds another table (or none, being
//! new) says so, and the page sends the table again: a stale copy can
//! never answer. The page knows a table it sent by [`Table::same_arrays`]
//! (a clone, the same buffers), keeping that table alive so that the
//! comparison stays exact; a table is encoded column by column in the
//! page's turns. Requests are answered one at a time, in the order asked.
//!
//! Tables over [`ON_PAGE_CELLS`] go there; smaller ones are worked on at
//! once on the page. What runs on a held table are ops that the stages register at a worker's
//! start ([`register_op`]); this module knows none of them.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

use js_sys::{Array, Function, Promise};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::core::data::table::Table;
use crate::ui::browser::js_table::{table_from_js, table_to_js_in_turns, transfer_list};
use crate::ui::browser::worker::{self, get, get_f64, object};

/// The kind of job (and of request) the held table's worker serves.
const KIND: &str = "held-table";
/// What a worker answers when it does not hold the table asked about.
const NOT_HELD: &str = "the worker does not hold this table";

/// Tables with more cells than this are worked on in the held table's
/// worker; smaller ones on the page, at once (the Train page's data check
/// of half a million cells takes about 50 ms there).
pub const ON_PAGE_CELLS: usize = 500_000;

/// Whether work over `table` goes to the held table's worker.
pub fn in_background(table: &Table) -> bool {
    table.num_rows().saturating_mul(table.num_columns()) > ON_PAGE_CELLS
}

/// An op on the held table, given the request's arguments.
pub type HeldOp = fn(&Table, JsValue) -> Result<JsValue, JsValue>;

// ------------------------------------------------------------ worker side

thread_local! {
    static OPS: RefCell<Vec<(&'static str, HeldOp)>> = const { RefCell::new(Vec::new()) };
    /// The table this worker holds, with its id.
    static HELD: RefCell<Option<(f64, Table)>> = const { RefCell::new(None) };
}

/// Makes requests for `name` run `op` on the held table, in this worker.
pub fn register_op(name: &'static str, op: HeldOp) {
    OPS.with_borrow_mut(|ops| {
        ops.retain(|(n, _)| *n != name);
        ops.push((name, op));
    });
}

/// Registers the held table's request with the worker (at its start).
pub fn register_worker_task() {
    worker::register(KIND, |request| Box::pin(async move { answer(&request) }));
}

fn answer(request: &JsValue) -> Result<JsValue, JsValue> {
    let id = get_f64(request, "tableId").ok_or("no table id")?;
    if let Ok(parts) = get(request, "table").dyn_into::<Array>() {
        // The old table goes before the new one is decoded.
        HELD.set(None);
        let table = table_from_js(&parts).map_err(|e| JsValue::from_str(&e.to_string()))?;
        HELD.set(Some((id, table)));
    }
    let name = worker::get_str(request, "op").unwrap_or_default();
    let op = OPS
        .with_borrow(|ops| ops.iter().find(|(n, _)| *n == name).map(|(_, op)| *op))
        .ok_or_else(|| JsValue::from_str(&format!("unknown op {name:?}")))?;
    HELD.with_borrow(|held| match held {
        Some((held_id, table)) if *held_id == id => op(table, get(request, "args")),
        _ => Err(JsValue::from_str(NOT_HELD)),
    })
}

// -------------------------------------------------------------- page side

thread_local! {
    /// The last table sent and its id.
    static SENT: RefCell<Option<(f64, Table)>> = const { RefCell::new(None) };
    static NEXT_ID: Cell<f64> = const { Cell::new(1.0) };
    /// Whether a request is being served, and who waits for their turn.
    static QUEUE: RefCell<(bool, VecDeque<Function>)> = const { RefCell::new((false, VecDeque::new())) };
}

/// One request's turn: the next one starts when it is dropped.
struct Turn;

impl Turn {
    async fn take() -> Turn {
        let mut wait = None;
        QUEUE.with_borrow_mut(|(busy, waiting)| {
            if *busy {
                wait = Some(Promise::new(&mut |resolve, _| waiting.push_back(resolve)));
            } else {
                *busy = true;
            }
        });
        if let Some(promise) = wait {
            // Resolved by the turn before, which hands its turn on.
            let _ = JsFuture::from(promise).await;
        }
        Turn
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        let next = QUEUE.with_borrow_mut(|(busy, waiting)| {
            let next = waiting.pop_front();
            *busy = next.is_some();
            next
        });
        if let Some(resolve) = next {
            let _ = resolve.call0(&JsValue::NULL);
        }
    }
}

/// Runs `op` with `args` on `table` in the held table's worker, sending the
/// table first if the worker does not hold it; `on_sending(done, total)`
/// follows the columns sent (all of them at once when none need sending).
pub async fn call(
    table: &Table,
    op: &'static str,
    args: JsValue,
    on_sending: impl Fn(usize, usize),
) -> Result<JsValue, String> {
    let _turn = Turn::take().await;
    let lease = worker::lease(KIND, 1).await?;
    let known = SENT.with_borrow(|sent| {
        sent.as_ref()
            .filter(|(_, t)| t.same_arrays(table))
            .map(|(id, _)| *id)
    });
    if let Some(id) = known {
        let all = table.num_columns();
        on_sending(all, all);
        match ask(&lease, id, None, op, &args).await {
            Err(e) if e == NOT_HELD => {}
            answer => return answer,
        }
    }
    let id = NEXT_ID.get();
    NEXT_ID.set(id + 1.0);
    // Forgotten first: a table that fails to go is not taken as held.
    SENT.set(None);
    let parts = table_to_js_in_turns(table, on_sending).await;
    SENT.set(Some((id, table.clone())));
    ask(&lease, id, Some(parts), op, &args).await
}

async fn ask(
    pool: &worker::Pool,
    id: f64,
    parts: Option<Array>,
    op: &str,
    args: &JsValue,
) -> Result<JsValue, String> {
    let request = object(&[
        ("kind", KIND.into()),
        ("op", op.into()),
        ("tableId", id.into()),
        ("args", args.clone()),
    ]);
    let transfer = match parts {
        Some(parts) => {
            let transfer = transfer_list(&parts);
            let _ = js_sys::Reflect::set(&request, &"table".into(), &parts);
            transfer
        }
        None => Array::new(),
    };
    let answer = pool.call(0, &request, &transfer, |_, _| {})?.await;
    answer.map_err(|e| crate::ui::browser::json::error_text(&e))
}

/// An op's JSON arguments read (in the worker).
pub fn read<T: DeserializeOwned>(value: &JsValue) -> Result<T, JsValue> {
    let text = value.as_string().ok_or("not JSON text")?;
    serde_json::from_str(&text).map_err(|e| JsValue::from_str(&e.to_string()))
}

/// An op's answer as JSON (in the worker).
pub fn write<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    serde_json::to_string(value)
        .map(|s| JsValue::from_str(&s))
        .map_err(|e| JsValue::from_str(&e.to_string()))
}

/// [`call`] with arguments and answer as JSON.
pub async fn ask_json<A: Serialize, R: DeserializeOwned>(
    table: &Table,
    op: &'static str,
    args: &A,
    on_sending: impl Fn(usize, usize),
) -> Result<R, String> {
    let args = write(args).map_err(|e| crate::ui::browser::json::error_text(&e))?;
    let answer = call(table, op, args, on_sending).await?;
    read(&answer).map_err(|e| {
        format!(
            "the worker's answer did not read: {}",
            crate::ui::browser::json::error_text(&e)
        )
    })
}

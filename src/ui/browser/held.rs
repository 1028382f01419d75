//! A worker that holds tables, so that work over large ones runs off the
//! page's thread without sending them every time.
//!
//! The page sends a table once, with an id, and after that only the id. A
//! request names the tables it works on (the SQL page names the whole
//! catalog, the Train page the active dataset); the worker keeps exactly
//! those and answers only if it holds every id. A worker that lacks one
//! (being new, or having dropped it for another request) says so, and the
//! page sends them all again: a stale copy can never answer. The page knows
//! a table it sent by [`Table::same_arrays`] (a clone, the same buffers),
//! keeping those tables alive so that the comparison stays exact; a table
//! is encoded column by column in the page's turns. Requests are answered
//! one at a time, in the order asked; a [`Ticket`] withdraws one that waits
//! or stops the one being answered (its Cancel).
//!
//! Tables over [`ON_PAGE_CELLS`] go there; smaller ones are worked on at
//! once on the page. What runs on held tables are ops that the stages
//! register at a worker's start ([`register_op`]); this module knows none
//! of them.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

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

/// An op on the request's held tables (in the order named), given its
/// arguments. Its answer may carry `transfer`, the buffers to move.
pub type HeldOp = fn(&[&Table], JsValue) -> Result<JsValue, JsValue>;

/// What a request withdrawn or stopped by its [`Ticket`] fails with.
pub const CANCELLED: &str = "cancelled";

// ------------------------------------------------------------ worker side

thread_local! {
    static OPS: RefCell<Vec<(&'static str, HeldOp)>> = const { RefCell::new(Vec::new()) };
    /// The tables this worker holds, with their ids.
    static HELD: RefCell<Vec<(f64, Table)>> = const { RefCell::new(Vec::new()) };
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
    let ids: Vec<f64> = get(request, "tableIds")
        .dyn_into::<Array>()
        .map_err(|_| "no table ids")?
        .iter()
        .filter_map(|id| id.as_f64())
        .collect();
    // Tables no longer named go before new ones are decoded.
    HELD.with_borrow_mut(|held| held.retain(|(id, _)| ids.contains(id)));
    if let Ok(sent) = get(request, "tables").dyn_into::<Array>() {
        for entry in sent.iter() {
            let id = get_f64(&entry, "id").ok_or("a table sent without its id")?;
            let parts = get(&entry, "parts")
                .dyn_into::<Array>()
                .map_err(|_| "a table sent without its parts")?;
            let table = table_from_js(&parts).map_err(|e| JsValue::from_str(&e.to_string()))?;
            HELD.with_borrow_mut(|held| {
                held.retain(|(held_id, _)| *held_id != id);
                held.push((id, table));
            });
        }
    }
    let name = worker::get_str(request, "op").unwrap_or_default();
    let op = OPS
        .with_borrow(|ops| ops.iter().find(|(n, _)| *n == name).map(|(_, op)| *op))
        .ok_or_else(|| JsValue::from_str(&format!("unknown op {name:?}")))?;
    HELD.with_borrow(|held| {
        let tables: Option<Vec<&Table>> = ids
            .iter()
            .map(|id| held.iter().find(|(h, _)| h == id).map(|(_, t)| t))
            .collect();
        match tables {
            Some(tables) => op(&tables, get(request, "args")),
            None => Err(JsValue::from_str(NOT_HELD)),
        }
    })
}

// -------------------------------------------------------------- page side

thread_local! {
    /// The tables the worker was last told to hold, with their ids.
    static SENT: RefCell<Vec<(f64, Table)>> = const { RefCell::new(Vec::new()) };
    static NEXT_ID: Cell<f64> = const { Cell::new(1.0) };
    /// How many answers each op has had, for `window.churnlab.heldOps`.
    static ANSWERED: RefCell<Vec<(&'static str, u32)>> = const { RefCell::new(Vec::new()) };
    /// Whether a request is being served, and who waits for their turn.
    static QUEUE: RefCell<(bool, VecDeque<Ticket>)> = const { RefCell::new((false, VecDeque::new())) };
}

/// A request's handle for its Cancel: withdrawn at once while it waits
/// for its turn, or its worker stopped while it is answered (the worker's
/// tables go with it and are sent again next time).
#[derive(Clone, Default)]
pub struct Ticket(Rc<TicketState>);

#[derive(Default)]
struct TicketState {
    cancelled: Cell<bool>,
    answering: Cell<bool>,
    /// Given the turn by the request before.
    handed: Cell<bool>,
    /// Wakes the request while it waits for its turn.
    wake: RefCell<Option<Function>>,
}

impl Ticket {
    pub fn new() -> Ticket {
        Ticket::default()
    }

    /// Withdraws the requests, stopping the worker if it is answering one.
    pub fn cancel(&self) {
        self.0.cancelled.set(true);
        if self.0.answering.get() {
            worker::cancel(KIND);
        }
        self.wake();
    }

    /// Withdraws the requests; one being answered is let finish and its
    /// answer dropped (for a newer question that makes older ones useless).
    pub fn withdraw(&self) {
        self.0.cancelled.set(true);
        self.wake();
    }

    /// For a series of questions each making the ones before useless:
    /// withdraws this ticket and becomes (and gives) the next question's.
    pub fn renew(&mut self) -> Ticket {
        self.withdraw();
        *self = Ticket::new();
        self.clone()
    }

    /// Whether [`Ticket::cancel`] or [`Ticket::withdraw`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.cancelled.get()
    }

    fn wake(&self) {
        let wake = self.0.wake.take();
        if let Some(resolve) = wake {
            let _ = resolve.call0(&JsValue::NULL);
        }
    }
}

/// One request's turn: the next one starts when it is dropped.
struct Turn;

impl Turn {
    /// The turn, once the requests before are answered; `None` if `ticket`
    /// was withdrawn while it waited.
    async fn take(ticket: &Ticket) -> Option<Turn> {
        let mut wait = None;
        QUEUE.with_borrow_mut(|(busy, waiting)| {
            if *busy {
                ticket.0.handed.set(false);
                wait = Some(Promise::new(&mut |resolve, _| {
                    ticket.0.wake.replace(Some(resolve));
                    waiting.push_back(ticket.clone());
                }));
            } else {
                *busy = true;
            }
        });
        if let Some(promise) = wait {
            // Resolved by the turn before, which hands its turn on, or by a Cancel.
            let _ = JsFuture::from(promise).await;
            ticket.0.wake.take();
            if !ticket.0.handed.get() {
                return None;
            }
        }
        Some(Turn)
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        // Requests withdrawn while they waited were woken then; they are passed over.
        let next = QUEUE.with_borrow_mut(|(busy, waiting)| {
            let next = std::iter::from_fn(|| waiting.pop_front()).find(|t| !t.is_cancelled());
            *busy = next.is_some();
            next
        });
        if let Some(ticket) = next {
            ticket.0.handed.set(true);
            ticket.wake();
        }
    }
}

/// How many answers each op has had from the worker (the page's side).
pub fn answered() -> Vec<(&'static str, u32)> {
    ANSWERED.with_borrow(Clone::clone)
}

/// Runs `op` with `args` on `tables` in the held tables' worker, sending
/// those it does not hold first; `on_sending(done, total)` follows the
/// columns sent (all of them at once when none need sending). Fails with
/// [`CANCELLED`] once `ticket` is cancelled.
pub async fn call_all(
    tables: &[&Table],
    op: &'static str,
    args: JsValue,
    on_sending: &dyn Fn(usize, usize),
    ticket: &Ticket,
) -> Result<JsValue, String> {
    let Some(_turn) = Turn::take(ticket).await else {
        return Err(CANCELLED.into());
    };
    if ticket.is_cancelled() {
        return Err(CANCELLED.into());
    }
    ticket.0.answering.set(true);
    // The request itself: its tables sent if need be, then the op asked.
    let answer: Result<JsValue, String> = async {
        let lease = worker::lease(KIND, 1).await?;
        for resend_all in [false, true] {
            // Each table's id: the one it was sent with, or a new one.
            let mut ids: Vec<f64> = Vec::with_capacity(tables.len());
            let mut to_send: Vec<(f64, &Table)> = Vec::new();
            let mut listed: Vec<(f64, Table)> = Vec::with_capacity(tables.len());
            for (i, table) in tables.iter().enumerate() {
                if let Some(j) = tables[..i].iter().position(|t| t.same_arrays(table)) {
                    ids.push(ids[j]);
                    continue;
                }
                let known = (!resend_all)
                    .then(|| {
                        SENT.with_borrow(|sent| {
                            sent.iter()
                                .find(|(_, t)| t.same_arrays(table))
                                .map(|(id, _)| *id)
                        })
                    })
                    .flatten();
                let id = known.unwrap_or_else(|| {
                    let id = NEXT_ID.get();
                    NEXT_ID.set(id + 1.0);
                    to_send.push((id, table));
                    id
                });
                ids.push(id);
                listed.push((id, (*table).clone()));
            }
            // Forgotten first: a table that fails to go is not taken as held.
            SENT.with_borrow_mut(Vec::clear);
            let total: usize = to_send.iter().map(|(_, t)| t.num_columns()).sum();
            let mut before = 0;
            on_sending(0, total);
            let sent = Array::new();
            for (id, table) in &to_send {
                let parts =
                    table_to_js_in_turns(table, |done, _| on_sending(before + done, total)).await;
                before += table.num_columns();
                if ticket.is_cancelled() {
                    return Err(CANCELLED.into());
                }
                sent.push(&object(&[("id", (*id).into()), ("parts", parts.into())]));
            }
            on_sending(total, total);
            SENT.set(listed);
            match ask(&lease, &ids, sent, op, &args).await {
                Err(e) if e == NOT_HELD && !resend_all => {}
                answer => return answer,
            }
        }
        Err(NOT_HELD.into())
    }
    .await;
    ticket.0.answering.set(false);
    if ticket.is_cancelled() {
        return Err(CANCELLED.into());
    }
    if answer.is_ok() {
        ANSWERED.with_borrow_mut(|all| match all.iter_mut().find(|(o, _)| *o == op) {
            Some((_, n)) => *n += 1,
            None => all.push((op, 1)),
        });
    }
    answer
}

async fn ask(
    pool: &worker::Pool,
    ids: &[f64],
    sent: Array,
    op: &str,
    args: &JsValue,
) -> Result<JsValue, String> {
    let transfer = Array::new();
    for entry in sent.iter() {
        if let Ok(parts) = get(&entry, "parts").dyn_into::<Array>() {
            for buffer in transfer_list(&parts).iter() {
                transfer.push(&buffer);
            }
        }
    }
    let request = object(&[
        ("kind", KIND.into()),
        ("op", op.into()),
        (
            "tableIds",
            ids.iter()
                .map(|id| JsValue::from(*id))
                .collect::<Array>()
                .into(),
        ),
        ("tables", sent.into()),
        ("args", args.clone()),
    ]);
    let answer = pool.call(0, &request, &transfer, |_, _| {})?.await;
    answer.map_err(|e| crate::ui::browser::json::error_text(&e))
}

/// The one table of an op that works on one (in the worker).
pub fn only<'a>(tables: &[&'a Table]) -> Result<&'a Table, JsValue> {
    match tables {
        [table] => Ok(table),
        _ => Err(JsValue::from_str(&format!(
            "the op works on one table, not {}",
            tables.len()
        ))),
    }
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

/// [`call_all`] on one table, with arguments and answer as JSON.
pub async fn ask_json<A: Serialize, R: DeserializeOwned>(
    table: &Table,
    op: &'static str,
    args: &A,
    on_sending: &dyn Fn(usize, usize),
    ticket: &Ticket,
) -> Result<R, String> {
    let args = write(args).map_err(|e| crate::ui::browser::json::error_text(&e))?;
    let answer = call_all(&[table], op, args, on_sending, ticket).await?;
    read(&answer).map_err(|e| {
        format!(
            "the worker's answer did not read: {}",
            crate::ui::browser::json::error_text(&e)
        )
    })
}

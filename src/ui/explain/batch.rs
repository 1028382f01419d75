//! Work over every row of a table in the page's turns: slices of about
//! 30 ms with the page's turn between them, so a large table never freezes
//! the page. Batch scoring (the batch CSV's lines, for the Deploy page and
//! a job's `score` step) and the Customers page's scores use it.

use std::cell::RefCell;
use std::ops::Range;

use crate::core::data::table::Table;
use crate::core::explain::scoring::{batch_lines, BATCH_HEADER};
use crate::core::model::pipeline::SavedModel;
use crate::ui::browser::perf::now_ms;

/// The customer ID column of `table`, if it has one.
pub fn id_column(table: &Table) -> Option<String> {
    table
        .columns()
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case("customerID"))
        .map(|c| c.name.clone())
}

/// Scores every row; after each turn `turn(done, total, lines)` gets the
/// lines made so far (the header first) to keep or pass on, and clears them.
pub async fn score_in_turns(
    model: &SavedModel,
    table: &Table,
    mut turn: impl FnMut(usize, usize, &mut String),
) {
    let n = table.num_rows();
    let id = id_column(table);
    let out = RefCell::new(String::from(BATCH_HEADER));
    in_turns(
        n,
        |rows| batch_lines(model, table, rows, id.as_deref(), &mut out.borrow_mut()),
        |done| {
            turn(done, n, &mut out.borrow_mut());
            true
        },
    )
    .await;
}

/// Runs `work` over the rows `0..n` in slices of 1,000, about 30 ms of
/// them per turn, with the page's turn between. `turn(done)` is asked
/// before the first turn and after each one whether to go on; the answer is
/// whether every row was done.
pub async fn in_turns(
    n: usize,
    mut work: impl FnMut(Range<usize>),
    mut turn: impl FnMut(usize) -> bool,
) -> bool {
    const SLICE: usize = 1_000;
    const TURN_MS: f64 = 30.0;
    if !turn(0) {
        return false;
    }
    let mut done = 0;
    while done < n {
        gloo_timers::future::TimeoutFuture::new(0).await;
        let started = now_ms();
        while done < n && now_ms() - started < TURN_MS {
            let end = (done + SLICE).min(n);
            work(done..end);
            done = end;
        }
        if !turn(done) {
            return false;
        }
    }
    true
}

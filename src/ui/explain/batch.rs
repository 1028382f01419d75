//! Batch scoring in the page's turns: every row of a table scored with a
//! saved model into the batch CSV's lines, in slices of about 30 ms with
//! the page's turn between them, so a large table never freezes the page
//! (the Deploy page's batch scoring, a job's `score` step).

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
    const SLICE: usize = 1_000;
    const TURN_MS: f64 = 30.0;
    let n = table.num_rows();
    let id = id_column(table);
    let mut out = String::from(BATCH_HEADER);
    let mut done = 0;
    turn(0, n, &mut out);
    while done < n {
        gloo_timers::future::TimeoutFuture::new(0).await;
        let started = now_ms();
        while done < n && now_ms() - started < TURN_MS {
            let end = (done + SLICE).min(n);
            batch_lines(model, table, done..end, id.as_deref(), &mut out);
            done = end;
        }
        turn(done, n, &mut out);
    }
}

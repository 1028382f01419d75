//! What the Train form works out about its table: a target's facts (its
//! labels, default positive class and why each column is left out by
//! default) and the data check. A small table is looked at on the page at
//! once; a large one in the worker that holds it (`browser::held`), so that
//! opening the Train page on a million rows never freezes it.

use serde::{Deserialize, Serialize};

use crate::core::data::table::Table;
use crate::core::model::config::TrainConfig;
use crate::core::model::datacheck::{data_check_with, CheckItem, Exclusion};
use crate::core::model::defaults::{target_facts, TargetFacts};
use crate::ui::browser::held::{self, in_background};

#[derive(Serialize, Deserialize)]
struct FactsArgs {
    target: Option<String>,
    positive: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct CheckArgs {
    config: TrainConfig,
    defaults: Vec<(String, Option<Exclusion>)>,
}

/// Registers the ops on the held table (in a worker, at its start).
pub fn register_worker_ops() {
    held::register_op("target-facts", |tables, args| {
        let table = held::only(tables)?;
        let a: FactsArgs = held::read(&args)?;
        held::write(&target_facts(
            table,
            a.target.as_deref(),
            a.positive.as_deref(),
        ))
    });
    held::register_op("data-check", |tables, args| {
        let table = held::only(tables)?;
        let a: CheckArgs = held::read(&args)?;
        held::write(&data_check_with(table, &a.config, &a.defaults))
    });
}

/// The facts of `target` (the table's default when `None`) with `positive`
/// (the target's default when `None`); `on_sending(done, total)` follows
/// the columns sent to the worker, when it needs them.
pub async fn facts(
    table: &Table,
    target: Option<String>,
    positive: Option<String>,
    on_sending: impl Fn(usize, usize),
) -> Result<TargetFacts, String> {
    if !in_background(table) {
        return Ok(target_facts(table, target.as_deref(), positive.as_deref()));
    }
    held::ask_json(
        table,
        "target-facts",
        &FactsArgs { target, positive },
        &on_sending,
        &held::Ticket::new(),
    )
    .await
}

/// The data check of training `config` on `table`, the columns' defaults
/// already known.
pub async fn data_check(
    table: &Table,
    config: TrainConfig,
    defaults: Vec<(String, Option<Exclusion>)>,
) -> Result<Vec<CheckItem>, String> {
    if !in_background(table) {
        return Ok(data_check_with(table, &config, &defaults));
    }
    held::ask_json(
        table,
        "data-check",
        &CheckArgs { config, defaults },
        &|_, _| {},
        &held::Ticket::new(),
    )
    .await
}

/// A table and what was found in it for the target chosen.
#[derive(Clone)]
pub struct Looked {
    pub table: Table,
    pub facts: TargetFacts,
}

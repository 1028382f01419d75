//! The saved datasets as one SQL script for DuckDB or Spark SQL: the table
//! `churn` read from the original CSV and typed as the app typed it, then
//! every saved dataset as a view under its name, each after the datasets it
//! reads, its query rewritten for the engine and its field edits applied
//! in a final SELECT.
//!
//! What the app does and records (see `ui::data::datasets`): a query runs
//! against `churn` (and `churn_prototype`), which is whichever dataset was
//! *active*, against the loaded file under its own name, and against every
//! saved dataset by name; saving keeps the SQL and the result. Field edits
//! (rename, clone, hide, role, type) change the active dataset's table, the
//! base one included, and later queries see the edited fields; the app
//! keeps the edited tables, not the list of edits, so the caller passes
//! the edits ([`EditStep`]) and what `churn` meant ([`DatasetToExport::churn`]).
//!
//! The app's dialect is DuckDB's in meaning with Impala's leniency in
//! names; the script spells out what it decides. `input` holds what the
//! caller passes, `views` works out each view (`fields` for the field
//! edits), `script` writes the text. The rewriting walks the parsed
//! statement (`rewrite`, `expr`, `operators`, `like`, `calls`); the shapes
//! of the results come from the app's engine run on empty tables. Every
//! place where the app and the engine read the SQL differently is listed in
//! the script's opening comment with what was written instead; what cannot
//! be written is refused with an [`ExportError`] naming the dataset and the
//! construct.

mod calls;
mod dialect;
mod expr;
mod fields;
mod input;
mod like;
mod operators;
mod out;
mod rewrite;
mod script;
mod views;

pub use dialect::{number, Engine};
pub use input::{BaseColumn, DatasetToExport, ExportError, ScriptOptions};

pub use crate::data::fields::EditStep;

/// The script that recreates `churn` and `entries` in `options.engine`.
pub fn datasets_script(
    entries: &[DatasetToExport],
    options: &ScriptOptions,
) -> Result<String, ExportError> {
    input::check(entries, options)?;
    let views = views::build(entries, options)?;
    Ok(script::render(entries, options, views))
}

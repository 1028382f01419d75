//! What the caller passes and what it may not: the saved datasets
//! ([`DatasetToExport`]), the engine, the file and its typing
//! ([`ScriptOptions`], [`BaseColumn`]), the names that always mean `churn`,
//! and why a script cannot be written ([`ExportError`]).

use super::dialect::Engine;
use crate::data::catalog::{ActiveRef, SavedEntry};
use crate::data::fields::EditStep;
use crate::data::table::{ColumnType, Table};

/// Names that always mean the active dataset in the app's queries.
pub(super) const ACTIVE_NAMES: [&str; 2] = ["churn", "churn_prototype"];

/// The view the loaded file becomes.
pub(super) const BASE_VIEW: &str = "churn";

/// A saved dataset: its name, the SQL that made it and its field edits.
#[derive(Clone, Debug, PartialEq)]
pub struct DatasetToExport {
    pub name: String,
    pub sql: String,
    /// What `churn` meant when the query ran: the dataset active then.
    pub churn: ActiveRef,
    /// Its field edits, in order.
    pub edits: Vec<EditStep>,
}

impl DatasetToExport {
    /// A dataset whose query ran with the loaded file active, not edited since.
    pub fn new(name: impl Into<String>, sql: impl Into<String>) -> DatasetToExport {
        DatasetToExport {
            name: name.into(),
            sql: sql.into(),
            churn: ActiveRef::Base,
            edits: Vec::new(),
        }
    }

    pub fn from_entry(entry: &SavedEntry) -> DatasetToExport {
        DatasetToExport {
            name: entry.name.clone(),
            sql: entry.sql.clone(),
            churn: entry.churn.clone(),
            edits: entry.edits.clone(),
        }
    }
}

/// A column of the CSV, typed as the app read it.
#[derive(Clone, Debug, PartialEq)]
pub struct BaseColumn {
    pub name: String,
    pub ty: ColumnType,
}

/// The engine, the file and its typing.
#[derive(Clone, Debug, PartialEq)]
pub struct ScriptOptions {
    pub engine: Engine,
    /// The CSV as the engine will find it (a path or URL), written as is.
    pub csv_path: String,
    pub delimiter: char,
    /// The loaded table's own name, which queries may use besides `churn`.
    pub base_name: String,
    /// The file's columns in file order, as loaded (before field edits).
    pub columns: Vec<BaseColumn>,
    /// The loaded dataset's field edits, in order.
    pub base_edits: Vec<EditStep>,
}

impl ScriptOptions {
    /// Options for the table `loaded`, as the CSV was read into it (types
    /// inferred or chosen at load time; field edits go in `base_edits`).
    pub fn new(engine: Engine, csv_path: impl Into<String>, loaded: &Table) -> ScriptOptions {
        ScriptOptions {
            engine,
            csv_path: csv_path.into(),
            delimiter: ',',
            base_name: loaded.name().to_owned(),
            columns: loaded
                .columns()
                .iter()
                .map(|c| BaseColumn {
                    name: c.name.clone(),
                    ty: c.column_type(),
                })
                .collect(),
            base_edits: Vec::new(),
        }
    }
}

/// Why the script cannot be written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    #[error("dataset \"{dataset}\": {construct} cannot be written for {engine}")]
    Unsupported {
        dataset: String,
        construct: String,
        engine: &'static str,
    },
    #[error("dataset \"{dataset}\": the app cannot run its SQL on these tables ({message}), so there is nothing to export")]
    AppRejects { dataset: String, message: String },
    #[error("dataset \"{dataset}\" reads \"{table}\", which is neither churn, the loaded file nor a dataset being exported")]
    UnknownTable { dataset: String, table: String },
    #[error("the datasets {0} read each other in a cycle")]
    Cycle(String),
    #[error("dataset \"{dataset}\": the field edit {edit} does not apply: {message}")]
    Edit {
        dataset: String,
        edit: String,
        message: String,
    },
    #[error("\"{0}\" cannot name a dataset here: it is empty, taken by another dataset, or means churn or the loaded file")]
    BadName(String),
    #[error("the loaded file's columns cannot form a table: {0}")]
    BadColumns(String),
    #[error("the CSV path is empty")]
    NoPath,
}

/// Refuses an empty CSV path and a dataset name that is empty, taken by
/// an earlier dataset, or means churn or the loaded file.
pub(super) fn check(
    entries: &[DatasetToExport],
    options: &ScriptOptions,
) -> Result<(), ExportError> {
    if options.csv_path.trim().is_empty() {
        return Err(ExportError::NoPath);
    }
    for (i, e) in entries.iter().enumerate() {
        let reserved = ACTIVE_NAMES.iter().any(|n| n.eq_ignore_ascii_case(&e.name))
            || e.name.eq_ignore_ascii_case(&options.base_name);
        if e.name.trim().is_empty()
            || reserved
            || entries[..i]
                .iter()
                .any(|o| o.name.eq_ignore_ascii_case(&e.name))
        {
            return Err(ExportError::BadName(e.name.clone()));
        }
    }
    Ok(())
}

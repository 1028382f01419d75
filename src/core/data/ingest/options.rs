//! What decides an ingest before it starts: the caller's [`IngestOptions`]
//! (name, forced types, memory budget) and the [`Plan`] the first bytes of a
//! file give, so a later part can be read on its own with the same columns.

use serde::{Deserialize, Serialize};

use crate::data::table::ColumnType;

/// The default cap on the memory the built table may take.
pub const DEFAULT_MEMORY_BUDGET_BYTES: usize = 1024 * 1024 * 1024;

/// What the caller decides about an ingest.
#[derive(Clone, Debug)]
pub struct IngestOptions {
    /// The dataset's name (usually the file name without extension).
    pub name: String,
    /// Types chosen by the user, by column name; values that do not convert
    /// become null and are counted.
    pub forced_types: Vec<(String, ColumnType)>,
    /// The most bytes the built columns may take.
    pub memory_budget_bytes: usize,
    /// The input's size when known, to reserve column capacity up front.
    pub size_hint_bytes: Option<u64>,
    /// Set when the input is a later part of a file: no header, and the
    /// delimiter and column types come from the plan of its first bytes.
    pub part_of: Option<Plan>,
    /// Types learnt by an earlier pass that had to restart, by position.
    pub(super) planned: Vec<Option<ColumnType>>,
}

impl IngestOptions {
    pub fn new(name: impl Into<String>) -> IngestOptions {
        IngestOptions {
            name: name.into(),
            forced_types: Vec::new(),
            memory_budget_bytes: DEFAULT_MEMORY_BUDGET_BYTES,
            size_hint_bytes: None,
            part_of: None,
            planned: Vec::new(),
        }
    }

    /// Options to ingest the bytes from a record boundary onwards of a file
    /// whose first bytes gave `plan`.
    pub fn for_part(name: impl Into<String>, plan: Plan) -> IngestOptions {
        let mut options = IngestOptions::new(name);
        options.planned = plan.types.clone();
        options.part_of = Some(plan);
        options
    }
}

/// What the first bytes of a file decide, so that any later part of it can
/// be ingested on its own (in parallel) with the same columns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub delimiter: u8,
    pub header: Vec<String>,
    /// Column types by position; `None` where the sample held no values.
    pub types: Vec<Option<ColumnType>>,
    /// Offset in the file of the first data byte (after the BOM and header).
    pub data_offset: u64,
    /// Line number of the first data line.
    pub data_line: u64,
    /// Quoted fields held line breaks: the file cannot be split at a line.
    pub multiline_fields: bool,
}

//! CSV bytes in, a typed [`Table`] out, in chunks so the browser can show
//! progress and stay responsive.
//!
//! The first [`SAMPLE_ROWS`] records are held back to infer each column's
//! type; then every record goes straight into typed column builders. When a
//! later value contradicts an inferred type (text in a number column), the
//! ingest asks to be restarted from the first byte with that column read as
//! strings, as DuckDB's `read_csv_auto` does; integer→float and
//! categorical→text widen in place without a restart.

mod report;

pub use report::{format_bytes, merge_warnings, IngestError, IngestWarning};

use serde::{Deserialize, Serialize};

use crate::data::cast::{cast_column, implied_type};
use crate::data::csv::{sniff_delimiter, Record, Tokenizer};
use crate::data::infer::{parse_float, ColumnProfile};
use crate::data::table::{Column, ColumnData, ColumnType, Table};

pub use crate::data::builder::EXAMPLES_KEPT;
use crate::data::builder::{Builder, Push};

/// Records held back for type inference before columns are built.
pub const SAMPLE_ROWS: usize = 10_000;
/// Bytes looked at to pick the delimiter.
const SNIFF_BYTES: usize = 64 * 1024;
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
    planned: Vec<Option<ColumnType>>,
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

/// Whether to keep feeding, or start over from the first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Restart,
}

/// The outcome of [`Ingest::finish`].
pub enum Finished {
    Done(Ingested),
    /// Feed the whole input again to this new ingest.
    Restart(Ingest),
}

/// A finished ingest.
#[derive(Debug)]
pub struct Ingested {
    pub table: Table,
    pub warnings: Vec<IngestWarning>,
    /// Physical lines read (for the line numbers of a following part).
    pub lines: u64,
}

/// A load in progress. Feed it chunks in order, then finish it.
pub struct Ingest {
    tokenizer: Option<Tokenizer>,
    carry: Vec<u8>,
    bytes_in: u64,
    state: State,
}

struct ColumnState {
    name: String,
    builder: Builder,
    forced: bool,
    /// Built as strings because the sample held no values: re-inferred at the end.
    reinfer: bool,
    failed: usize,
    examples: Vec<(u64, String)>,
}

struct Sample {
    bytes: Vec<u8>,
    /// End offset in `bytes` of every field, row after row.
    ends: Vec<u32>,
    lines: Vec<u64>,
}

struct State {
    options: IngestOptions,
    header: Option<Vec<String>>,
    /// Offset after the header record, and the line after it.
    header_end: u64,
    data_line: u64,
    sample: Sample,
    sampling: bool,
    columns: Vec<ColumnState>,
    rows: usize,
    ragged: usize,
    ragged_lines: Vec<u64>,
    warnings: Vec<IngestWarning>,
    error: Option<IngestError>,
    restart: bool,
}

impl Ingest {
    pub fn new(options: IngestOptions) -> Ingest {
        Ingest {
            tokenizer: options.part_of.as_ref().map(|p| Tokenizer::new(p.delimiter)),
            carry: Vec::new(),
            bytes_in: 0,
            state: State {
                header: options.part_of.as_ref().map(|p| p.header.clone()),
                header_end: 0,
                data_line: 1,
                options,
                sample: Sample { bytes: Vec::new(), ends: Vec::new(), lines: Vec::new() },
                sampling: true,
                columns: Vec::new(),
                rows: 0,
                ragged: 0,
                ragged_lines: Vec::new(),
                warnings: Vec::new(),
                error: None,
                restart: false,
            },
        }
    }

    /// Bytes fed so far.
    pub fn bytes_read(&self) -> u64 {
        self.bytes_in
    }

    /// Data rows accepted so far (including those held for sampling).
    pub fn rows_read(&self) -> usize {
        self.state.rows + self.state.sample.lines.len()
    }

    /// Physical lines consumed so far (the line before the next record).
    pub fn lines_read(&self) -> u64 {
        self.tokenizer.as_ref().map_or(0, |t| t.next_line() - 1)
    }

    /// What any later part of the file needs to be ingested on its own,
    /// from the bytes fed so far: `None` until they hold the header and a
    /// data row. Types come from the rows seen if the sample is not full.
    pub fn plan(&mut self) -> Result<Option<Plan>, IngestError> {
        if self.run(false)? == Flow::Restart {
            return Ok(None);
        }
        let state = &mut self.state;
        let Some(header) = state.header.clone() else { return Ok(None) };
        if state.sampling {
            if state.sample.lines.is_empty() {
                return Ok(None);
            }
            state.start_columns(0);
        }
        if state.restart {
            return Ok(None);
        }
        if let Some(e) = state.error.take() {
            return Err(e);
        }
        let types = self.column_types();
        let state = &self.state;
        let Some(tokenizer) = &self.tokenizer else { return Ok(None) };
        Ok(Some(Plan {
            delimiter: tokenizer.delimiter(),
            header,
            types,
            data_offset: state.header_end,
            data_line: state.data_line,
            multiline_fields: tokenizer.saw_multiline_fields(),
        }))
    }

    /// Warnings about the header (renamed columns), known once it is read.
    pub fn header_warnings(&self) -> Vec<IngestWarning> {
        self.state.warnings.clone()
    }

    /// Takes the next chunk of the input.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<Flow, IngestError> {
        // `contains` on bytes is a word-at-a-time memchr; find the offset only when needed.
        if chunk.contains(&0) {
            let i = chunk.iter().position(|&b| b == 0).unwrap_or(0);
            return Err(IngestError::Binary { offset: self.bytes_in + i as u64 });
        }
        self.bytes_in += chunk.len() as u64;
        self.carry.extend_from_slice(chunk);
        if self.tokenizer.is_none() && self.carry.len() < SNIFF_BYTES {
            return Ok(Flow::Continue);
        }
        self.run(false)
    }

    /// Ends the input and builds the table.
    pub fn finish(mut self) -> Result<Finished, IngestError> {
        if self.run(true)? == Flow::Restart {
            return Ok(Finished::Restart(self.restarted()));
        }
        let state = &mut self.state;
        if state.header.is_none() {
            return Err(IngestError::Empty);
        }
        if state.sampling {
            state.start_columns(self.bytes_in);
            if state.restart {
                return Ok(Finished::Restart(self.restarted()));
            }
            if let Some(e) = state.error.take() {
                return Err(e);
            }
        }
        if state.rows == 0 {
            return Err(IngestError::NoDataRows { skipped_rows: state.ragged });
        }
        let lines = self.lines_read();
        let (table, warnings) = self.state.build();
        Ok(Finished::Done(Ingested { table, warnings, lines }))
    }

    /// A fresh ingest that reads the columns that failed inference as strings.
    pub fn restarted(&self) -> Ingest {
        let mut options = self.state.options.clone();
        options.planned = self.column_types();
        if let Some(plan) = options.part_of.as_mut() {
            plan.types = options.planned.clone();
        }
        Ingest::new(options)
    }

    /// The types this ingest was told to read columns as, by position.
    pub fn planned_types(&self) -> &[Option<ColumnType>] {
        &self.state.options.planned
    }

    /// The type each column is being read as (after any widening); `None`
    /// for columns still to be inferred from their values.
    pub fn column_types(&self) -> Vec<Option<ColumnType>> {
        self.state.columns.iter().map(|c| if c.reinfer { None } else { Some(c.builder.column_type()) }).collect()
    }

    fn run(&mut self, eof: bool) -> Result<Flow, IngestError> {
        if self.tokenizer.is_none() && self.carry.starts_with(b"\xEF\xBB\xBF") {
            self.carry.drain(..3);
            self.state.header_end = 3;
        }
        let tokenizer = self.tokenizer.get_or_insert_with(|| {
            let sample = &self.carry[..self.carry.len().min(SNIFF_BYTES)];
            Tokenizer::new(sniff_delimiter(sample))
        });
        let state = &mut self.state;
        let used = tokenizer.parse(&self.carry, eof, |record| state.record(record))?;
        self.carry.drain(..used);
        if let Some(e) = state.error.take() {
            return Err(e);
        }
        if state.restart {
            return Ok(Flow::Restart);
        }
        let used_bytes = state.memory_bytes() + self.carry.capacity();
        if used_bytes > state.options.memory_budget_bytes {
            return Err(IngestError::MemoryBudgetExceeded {
                line: tokenizer.next_line(),
                budget_bytes: state.options.memory_budget_bytes,
            });
        }
        Ok(Flow::Continue)
    }
}

impl State {
    fn record(&mut self, record: &Record<'_>) {
        if self.error.is_some() || self.restart {
            return;
        }
        let Some(header) = &self.header else {
            self.read_header(record);
            self.header_end += record.end_offset;
            self.data_line = record.line + 1;
            return;
        };
        if record.len() != header.len() {
            self.ragged += 1;
            if self.ragged_lines.len() < EXAMPLES_KEPT {
                self.ragged_lines.push(record.line);
            }
            return;
        }
        if self.sampling && self.all_types_known() {
            // A part of a file, or a restart: nothing to infer.
            let size_hint = self.options.size_hint_bytes.unwrap_or(0);
            self.start_columns(size_hint);
        }
        if self.sampling {
            for field in record.fields() {
                self.sample.bytes.extend_from_slice(field);
                self.sample.ends.push(self.sample.bytes.len() as u32);
            }
            self.sample.lines.push(record.line);
            if self.sample.lines.len() >= SAMPLE_ROWS {
                let size_hint = self.options.size_hint_bytes.unwrap_or(0);
                self.start_columns(size_hint);
            }
            return;
        }
        for (i, column) in self.columns.iter_mut().enumerate() {
            if let Err(e) = column.push(record.field(i), record.line, &mut self.restart) {
                self.error = Some(e);
                return;
            }
        }
        self.rows += 1;
    }

    fn all_types_known(&self) -> bool {
        let Some(header) = &self.header else { return false };
        header.iter().enumerate().all(|(i, name)| {
            self.options.planned.get(i).copied().flatten().is_some()
                || self.options.forced_types.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
        })
    }

    fn read_header(&mut self, record: &Record<'_>) {
        let mut names: Vec<String> = Vec::with_capacity(record.len());
        let mut numeric = 0;
        let mut example = String::new();
        for field in record.fields() {
            let Ok(text) = std::str::from_utf8(field) else {
                self.error = Some(IngestError::InvalidUtf8 { line: record.line, column: format!("#{}", names.len() + 1) });
                return;
            };
            let name = text.trim();
            if parse_float(name.as_bytes()).is_some() {
                numeric += 1;
                if example.is_empty() {
                    example = name.to_owned();
                }
            }
            names.push(name.to_owned());
        }
        if numeric > 0 && numeric * 2 >= names.len() {
            self.error = Some(IngestError::NoHeader { numeric, fields: names.len(), example });
            return;
        }
        for i in 0..names.len() {
            let taken = |n: &str, names: &[String]| names[..i].iter().any(|o| o.eq_ignore_ascii_case(n));
            if names[i].is_empty() || taken(&names[i], &names) {
                let base = if names[i].is_empty() { format!("column_{}", i + 1) } else { names[i].clone() };
                let mut candidate = base.clone();
                let mut k = 2;
                while taken(&candidate, &names) || names[i + 1..].iter().any(|o| o.eq_ignore_ascii_case(&candidate)) {
                    candidate = format!("{base}_{k}");
                    k += 1;
                }
                self.warnings.push(IngestWarning::RenamedHeader {
                    position: i,
                    from: names[i].clone(),
                    to: candidate.clone(),
                });
                names[i] = candidate;
            }
        }
        self.header = Some(names);
    }

    /// Infers types from the sample, creates the builders and replays the sample.
    fn start_columns(&mut self, size_hint_bytes: u64) {
        self.sampling = false;
        let Some(header) = &self.header else { return };
        let width = header.len();
        let sample_rows = self.sample.lines.len();
        let expected_rows = if sample_rows > 0 && size_hint_bytes > self.sample.bytes.len() as u64 {
            let per_row = (self.sample.bytes.len() + sample_rows * width) as f64 / sample_rows as f64;
            ((size_hint_bytes as f64 / per_row) * 1.02) as usize + 16
        } else {
            sample_rows
        };
        let mut columns = Vec::with_capacity(width);
        for (i, name) in header.iter().enumerate() {
            let forced = self.options.forced_types.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, t)| *t);
            let planned = self.options.planned.get(i).copied().flatten();
            let (ty, reinfer) = match forced.or(planned) {
                Some(t) => (t, false),
                None => {
                    let mut profile = ColumnProfile::new();
                    for r in 0..sample_rows {
                        profile.observe(self.sample.field(r, i, width));
                    }
                    match profile.infer() {
                        Some(t) => (t, false),
                        None => (ColumnType::Categorical, true),
                    }
                }
            };
            columns.push(ColumnState {
                name: name.clone(),
                builder: Builder::new(ty, expected_rows),
                forced: forced.is_some(),
                reinfer,
                failed: 0,
                examples: Vec::new(),
            });
        }
        self.columns = columns;
        let sample = std::mem::replace(&mut self.sample, Sample { bytes: Vec::new(), ends: Vec::new(), lines: Vec::new() });
        for r in 0..sample_rows {
            for (i, column) in self.columns.iter_mut().enumerate() {
                if let Err(e) = column.push(sample.field(r, i, width), sample.lines[r], &mut self.restart) {
                    self.error = Some(e);
                    return;
                }
            }
            self.rows += 1;
        }
    }

    fn memory_bytes(&self) -> usize {
        self.sample.bytes.capacity() + self.sample.ends.capacity() * 4
            + self.columns.iter().map(|c| c.builder.memory_bytes()).sum::<usize>()
    }

    fn build(&mut self) -> (Table, Vec<IngestWarning>) {
        let mut warnings = std::mem::take(&mut self.warnings);
        if self.ragged > 0 {
            warnings.push(IngestWarning::RaggedRows {
                skipped: self.ragged,
                expected_fields: self.columns.len(),
                first_lines: self.ragged_lines.clone(),
            });
        }
        let mut columns = Vec::with_capacity(self.columns.len());
        for state in std::mem::take(&mut self.columns) {
            if state.failed > 0 {
                warnings.push(IngestWarning::ConversionFailures {
                    column: state.name.clone(),
                    to: state.builder.column_type(),
                    failed: state.failed,
                    examples: state.examples.clone(),
                });
            }
            let mut data = state.builder.finish();
            if state.reinfer {
                data = reinfer_strings(data);
            }
            columns.push(Column::new(state.name, data));
        }
        let name = self.options.name.clone();
        // Names were made unique and every builder saw every row.
        let table = Table::try_new(name.clone(), columns).unwrap_or_else(|_| empty_table(name));
        (table, warnings)
    }
}

fn empty_table(name: String) -> Table {
    Table::try_new(name, Vec::new()).unwrap_or_else(|_| unreachable!("a table without columns is always valid"))
}

/// A column that had no values in the sample was read as strings; now that
/// all of it is known, it gets the type its labels imply.
fn reinfer_strings(data: ColumnData) -> ColumnData {
    match implied_type(&data) {
        Some(t) => cast_column(&data, t).0,
        None => data,
    }
}

impl Sample {
    fn field(&self, row: usize, col: usize, width: usize) -> &[u8] {
        let k = row * width + col;
        let start = if k == 0 { 0 } else { self.ends[k - 1] as usize };
        &self.bytes[start..self.ends[k] as usize]
    }
}

impl ColumnState {
    #[inline(always)]
    fn push(&mut self, raw: &[u8], line: u64, restart: &mut bool) -> Result<(), IngestError> {
        match self.builder.push(raw, self.forced) {
            Push::Ok => Ok(()),
            Push::Failed => {
                if self.forced {
                    self.failed += 1;
                    if self.examples.len() < EXAMPLES_KEPT {
                        self.examples.push((line, String::from_utf8_lossy(raw).into_owned()));
                    }
                    self.builder.push_null();
                } else {
                    // The inferred type was wrong: read this column as strings.
                    self.builder = Builder::new(ColumnType::Categorical, 0);
                    *restart = true;
                }
                Ok(())
            }
            Push::InvalidUtf8 => Err(IngestError::InvalidUtf8 { line, column: self.name.clone() }),
        }
    }
}

/// Ingests a whole in-memory file, restarting as needed. `chunk_bytes`
/// mimics the browser's chunked reads (tests use small ones).
pub fn ingest_bytes(bytes: &[u8], options: IngestOptions, chunk_bytes: usize) -> Result<(Table, Vec<IngestWarning>), IngestError> {
    let chunk_bytes = chunk_bytes.max(1);
    let mut ingest = Ingest::new(options);
    'attempt: loop {
        for chunk in bytes.chunks(chunk_bytes) {
            if ingest.feed(chunk)? == Flow::Restart {
                ingest = ingest.restarted();
                continue 'attempt;
            }
        }
        match ingest.finish()? {
            Finished::Done(done) => return Ok((done.table, done.warnings)),
            Finished::Restart(next) => ingest = next,
        }
    }
}

#[cfg(test)]
mod tests;

//! CSV bytes in, a typed [`Table`] out, in chunks so the browser can show
//! progress and stay responsive.
//!
//! The first [`SAMPLE_ROWS`] records are held back to infer each column's
//! type; then every record goes straight into typed column builders. When a
//! later value contradicts an inferred type (text in a number column), the
//! ingest asks to be restarted from the first byte with that column read as
//! strings, as DuckDB's `read_csv_auto` does; integer→float and
//! categorical→text widen in place without a restart.

mod columns;
mod options;
mod report;

pub use columns::SAMPLE_ROWS;
pub use options::{IngestOptions, Plan, DEFAULT_MEMORY_BUDGET_BYTES};
pub use report::{format_bytes, merge_warnings, IngestError, IngestWarning};

use crate::data::csv::{sniff_delimiter, Tokenizer};
use crate::data::table::{ColumnType, Table};

pub use crate::data::builder::EXAMPLES_KEPT;

use columns::State;

/// Bytes looked at to pick the delimiter.
const SNIFF_BYTES: usize = 64 * 1024;

/// Whether to keep feeding, or start over from the first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Restart,
}

/// The outcome of [`Ingest::finish`].
// Returned once per ingest and taken apart at once: not worth a box.
#[allow(clippy::large_enum_variant)]
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

impl Ingest {
    pub fn new(options: IngestOptions) -> Ingest {
        Ingest {
            tokenizer: options
                .part_of
                .as_ref()
                .map(|p| Tokenizer::new(p.delimiter)),
            carry: Vec::new(),
            bytes_in: 0,
            state: State::new(options),
        }
    }

    /// Bytes fed so far.
    pub fn bytes_read(&self) -> u64 {
        self.bytes_in
    }

    /// Data rows accepted so far (including those held for sampling).
    pub fn rows_read(&self) -> usize {
        self.state.rows + self.state.sampled_rows()
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
        let Some(header) = state.header.clone() else {
            return Ok(None);
        };
        if state.sampling {
            if state.sampled_rows() == 0 {
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
        let Some(tokenizer) = &self.tokenizer else {
            return Ok(None);
        };
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
            return Err(IngestError::Binary {
                offset: self.bytes_in + i as u64,
            });
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
            return Err(IngestError::NoDataRows {
                skipped_rows: state.ragged,
            });
        }
        let lines = self.lines_read();
        let (table, warnings) = self.state.build();
        Ok(Finished::Done(Ingested {
            table,
            warnings,
            lines,
        }))
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
        self.state.column_types()
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

/// Ingests a whole in-memory file, restarting as needed. `chunk_bytes`
/// mimics the browser's chunked reads (tests use small ones).
pub fn ingest_bytes(
    bytes: &[u8],
    options: IngestOptions,
    chunk_bytes: usize,
) -> Result<(Table, Vec<IngestWarning>), IngestError> {
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

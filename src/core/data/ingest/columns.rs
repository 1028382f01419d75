//! Where the records of an ingest go: the header (made unique), the rows
//! held back to infer each column's type, the typed column builders they are
//! replayed into, and the table and warnings built from them at the end.

use crate::data::builder::{Builder, Push, EXAMPLES_KEPT};
use crate::data::cast::{cast_column, implied_type};
use crate::data::csv::Record;
use crate::data::infer::{parse_float, ColumnProfile};
use crate::data::table::{Column, ColumnData, ColumnType, Table};

use super::options::IngestOptions;
use super::report::{IngestError, IngestWarning};

/// Records held back for type inference before columns are built.
pub const SAMPLE_ROWS: usize = 10_000;

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

/// Everything an ingest has read so far, record by record.
pub(super) struct State {
    pub(super) options: IngestOptions,
    pub(super) header: Option<Vec<String>>,
    /// Offset after the header record, and the line after it.
    pub(super) header_end: u64,
    pub(super) data_line: u64,
    sample: Sample,
    pub(super) sampling: bool,
    columns: Vec<ColumnState>,
    pub(super) rows: usize,
    pub(super) ragged: usize,
    ragged_lines: Vec<u64>,
    pub(super) warnings: Vec<IngestWarning>,
    pub(super) error: Option<IngestError>,
    pub(super) restart: bool,
}

impl State {
    pub(super) fn new(options: IngestOptions) -> State {
        State {
            header: options.part_of.as_ref().map(|p| p.header.clone()),
            header_end: 0,
            data_line: 1,
            options,
            sample: Sample {
                bytes: Vec::new(),
                ends: Vec::new(),
                lines: Vec::new(),
            },
            sampling: true,
            columns: Vec::new(),
            rows: 0,
            ragged: 0,
            ragged_lines: Vec::new(),
            warnings: Vec::new(),
            error: None,
            restart: false,
        }
    }

    /// Data rows held back for sampling.
    pub(super) fn sampled_rows(&self) -> usize {
        self.sample.lines.len()
    }

    /// The type each column is being read as; `None` for those to be inferred.
    pub(super) fn column_types(&self) -> Vec<Option<ColumnType>> {
        self.columns
            .iter()
            .map(|c| {
                if c.reinfer {
                    None
                } else {
                    Some(c.builder.column_type())
                }
            })
            .collect()
    }

    pub(super) fn record(&mut self, record: &Record<'_>) {
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
        let Some(header) = &self.header else {
            return false;
        };
        header.iter().enumerate().all(|(i, name)| {
            self.options.planned.get(i).copied().flatten().is_some()
                || self
                    .options
                    .forced_types
                    .iter()
                    .any(|(n, _)| n.eq_ignore_ascii_case(name))
        })
    }

    fn read_header(&mut self, record: &Record<'_>) {
        let mut names: Vec<String> = Vec::with_capacity(record.len());
        let mut numeric = 0;
        let mut example = String::new();
        for field in record.fields() {
            let Ok(text) = std::str::from_utf8(field) else {
                self.error = Some(IngestError::InvalidUtf8 {
                    line: record.line,
                    column: format!("#{}", names.len() + 1),
                });
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
            self.error = Some(IngestError::NoHeader {
                numeric,
                fields: names.len(),
                example,
            });
            return;
        }
        for i in 0..names.len() {
            let taken =
                |n: &str, names: &[String]| names[..i].iter().any(|o| o.eq_ignore_ascii_case(n));
            if names[i].is_empty() || taken(&names[i], &names) {
                let base = if names[i].is_empty() {
                    format!("column_{}", i + 1)
                } else {
                    names[i].clone()
                };
                let mut candidate = base.clone();
                let mut k = 2;
                while taken(&candidate, &names)
                    || names[i + 1..]
                        .iter()
                        .any(|o| o.eq_ignore_ascii_case(&candidate))
                {
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
    pub(super) fn start_columns(&mut self, size_hint_bytes: u64) {
        self.sampling = false;
        let Some(header) = &self.header else { return };
        let width = header.len();
        let sample_rows = self.sample.lines.len();
        let expected_rows = if sample_rows > 0 && size_hint_bytes > self.sample.bytes.len() as u64 {
            let per_row =
                (self.sample.bytes.len() + sample_rows * width) as f64 / sample_rows as f64;
            ((size_hint_bytes as f64 / per_row) * 1.02) as usize + 16
        } else {
            sample_rows
        };
        let mut columns = Vec::with_capacity(width);
        for (i, name) in header.iter().enumerate() {
            let forced = self
                .options
                .forced_types
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, t)| *t);
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
        let sample = std::mem::replace(
            &mut self.sample,
            Sample {
                bytes: Vec::new(),
                ends: Vec::new(),
                lines: Vec::new(),
            },
        );
        for r in 0..sample_rows {
            for (i, column) in self.columns.iter_mut().enumerate() {
                if let Err(e) = column.push(
                    sample.field(r, i, width),
                    sample.lines[r],
                    &mut self.restart,
                ) {
                    self.error = Some(e);
                    return;
                }
            }
            self.rows += 1;
        }
    }

    pub(super) fn memory_bytes(&self) -> usize {
        self.sample.bytes.capacity()
            + self.sample.ends.capacity() * 4
            + self
                .columns
                .iter()
                .map(|c| c.builder.memory_bytes())
                .sum::<usize>()
    }

    pub(super) fn build(&mut self) -> (Table, Vec<IngestWarning>) {
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
    Table::try_new(name, Vec::new())
        .unwrap_or_else(|_| unreachable!("a table without columns is always valid"))
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
                        self.examples
                            .push((line, String::from_utf8_lossy(raw).into_owned()));
                    }
                    self.builder.push_null();
                } else {
                    // The inferred type was wrong: read this column as strings.
                    self.builder = Builder::new(ColumnType::Categorical, 0);
                    *restart = true;
                }
                Ok(())
            }
            Push::InvalidUtf8 => Err(IngestError::InvalidUtf8 {
                line,
                column: self.name.clone(),
            }),
        }
    }
}

//! What an ingest tells the user: errors that stop it, saying what is wrong
//! and where, and warnings about a load that succeeded. Line numbers can be
//! moved, for parts of a file read on their own.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::data::builder::EXAMPLES_KEPT;
use crate::data::csv::CsvError;
use crate::data::table::ColumnType;

/// Why a file could not be loaded. Each says what is wrong and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum IngestError {
    #[error("The file is empty: there is no header row and no data.")]
    Empty,
    #[error("This is not a text file: byte {offset} is a NUL (0x00). Is it a spreadsheet or an archive? Export it as CSV first.")]
    Binary { offset: u64 },
    #[error("Line {line}, column \"{column}\": the text is not valid UTF-8. Save the file with UTF-8 encoding and open it again.")]
    InvalidUtf8 { line: u64, column: String },
    #[error("Line 1 is not a header row: {numeric} of its {fields} fields are numbers (\"{example}\"). The first line must name the columns.")]
    NoHeader {
        numeric: usize,
        fields: usize,
        example: String,
    },
    #[error("The file has a header row but no data rows{}.", ragged_note(*.skipped_rows))]
    NoDataRows { skipped_rows: usize },
    #[error("{0}")]
    Csv(#[from] CsvError),
    #[error("Stopped at line {line}: the table would need more than the {} memory budget. Load a smaller file or filter it first.", format_bytes(*.budget_bytes))]
    MemoryBudgetExceeded { line: u64, budget_bytes: usize },
    #[error("The file is {} and cannot fit the {} memory budget.", format_bytes(*.size_bytes as usize), format_bytes(*.budget_bytes))]
    FileTooLarge {
        size_bytes: u64,
        budget_bytes: usize,
    },
}

impl IngestError {
    /// The same error with line numbers moved by `by` (for a part of a file
    /// that was ingested as if it started at line 1).
    pub fn shift_lines(self, by: u64) -> IngestError {
        match self {
            IngestError::InvalidUtf8 { line, column } => IngestError::InvalidUtf8 {
                line: line + by,
                column,
            },
            IngestError::Csv(CsvError::UnterminatedQuote { line }) => {
                IngestError::Csv(CsvError::UnterminatedQuote { line: line + by })
            }
            IngestError::Csv(CsvError::RecordTooLong { line, limit_bytes }) => {
                IngestError::Csv(CsvError::RecordTooLong {
                    line: line + by,
                    limit_bytes,
                })
            }
            IngestError::MemoryBudgetExceeded { line, budget_bytes } => {
                IngestError::MemoryBudgetExceeded {
                    line: line + by,
                    budget_bytes,
                }
            }
            other => other,
        }
    }
}

fn ragged_note(skipped: usize) -> String {
    if skipped == 0 {
        String::new()
    } else {
        format!(" (all {skipped} rows had the wrong number of fields)")
    }
}

/// "1.5 MB" style sizes, in decimal units as file managers show them.
pub fn format_bytes(bytes: usize) -> String {
    let b = bytes as f64;
    if b >= 1e9 {
        format!("{:.1} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else if b >= 1e3 {
        format!("{:.1} KB", b / 1e3)
    } else {
        format!("{bytes} bytes")
    }
}

/// Things the user should know about a load that succeeded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum IngestWarning {
    /// Rows whose field count differs from the header's were skipped.
    RaggedRows {
        skipped: usize,
        expected_fields: usize,
        first_lines: Vec<u64>,
    },
    /// Values of a column with a user-chosen type that did not convert.
    ConversionFailures {
        column: String,
        to: ColumnType,
        failed: usize,
        examples: Vec<(u64, String)>,
    },
    /// A header name was empty or repeated and was renamed.
    RenamedHeader {
        position: usize,
        from: String,
        to: String,
    },
}

impl IngestWarning {
    /// The same warning with line numbers moved by `by`.
    pub fn shift_lines(self, by: u64) -> IngestWarning {
        match self {
            IngestWarning::RaggedRows {
                skipped,
                expected_fields,
                first_lines,
            } => IngestWarning::RaggedRows {
                skipped,
                expected_fields,
                first_lines: first_lines.into_iter().map(|l| l + by).collect(),
            },
            IngestWarning::ConversionFailures {
                column,
                to,
                failed,
                examples,
            } => IngestWarning::ConversionFailures {
                column,
                to,
                failed,
                examples: examples.into_iter().map(|(l, v)| (l + by, v)).collect(),
            },
            other => other,
        }
    }
}

/// The warnings of consecutive parts of one file as one list: skipped rows
/// and failed conversions are added up, keeping the first examples.
pub fn merge_warnings(parts: Vec<Vec<IngestWarning>>) -> Vec<IngestWarning> {
    let mut out: Vec<IngestWarning> = Vec::new();
    for warning in parts.into_iter().flatten() {
        let merged = out.iter_mut().find_map(|seen| match (seen, &warning) {
            (
                IngestWarning::RaggedRows {
                    skipped,
                    first_lines,
                    ..
                },
                IngestWarning::RaggedRows {
                    skipped: more,
                    first_lines: lines,
                    ..
                },
            ) => {
                *skipped += more;
                first_lines.extend(
                    lines
                        .iter()
                        .take(EXAMPLES_KEPT.saturating_sub(first_lines.len())),
                );
                Some(())
            }
            (
                IngestWarning::ConversionFailures {
                    column,
                    failed,
                    examples,
                    ..
                },
                IngestWarning::ConversionFailures {
                    column: c,
                    failed: more,
                    examples: ex,
                    ..
                },
            ) if column == c => {
                *failed += more;
                examples.extend(
                    ex.iter()
                        .take(EXAMPLES_KEPT.saturating_sub(examples.len()))
                        .cloned(),
                );
                Some(())
            }
            _ => None,
        });
        if merged.is_none() {
            out.push(warning);
        }
    }
    out
}

impl fmt::Display for IngestWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IngestWarning::RaggedRows {
                skipped,
                expected_fields,
                first_lines,
            } => {
                let lines: Vec<String> = first_lines.iter().map(u64::to_string).collect();
                write!(
                    f,
                    "Skipped {skipped} row{} without exactly {expected_fields} fields: line{} {}{}.",
                    plural(*skipped),
                    plural(first_lines.len()),
                    lines.join(", "),
                    if *skipped > first_lines.len() { ", …" } else { "" }
                )
            }
            IngestWarning::ConversionFailures {
                column,
                to,
                failed,
                examples,
            } => {
                let ex: Vec<String> = examples
                    .iter()
                    .map(|(l, v)| format!("line {l}: \"{v}\""))
                    .collect();
                write!(
                    f,
                    "Column \"{column}\": {failed} value{} could not be read as {} and became empty ({}).",
                    plural(*failed),
                    to.label(),
                    ex.join("; ")
                )
            }
            IngestWarning::RenamedHeader { position, from, to } => {
                if from.is_empty() {
                    write!(
                        f,
                        "Column {} has no name; it is called \"{to}\".",
                        position + 1
                    )
                } else {
                    write!(
                        f,
                        "Column {} repeats the name \"{from}\"; it is called \"{to}\".",
                        position + 1
                    )
                }
            }
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

//! A streaming RFC 4180 tokenizer and a CSV writer.
//!
//! The tokenizer takes bytes in chunks of any size and hands out complete
//! records as byte slices, keeping physical line numbers for error messages.
//! It knows nothing of types: `ingest` turns records into Arrow columns.

use std::fmt::Write as _;

use crate::data::table::Table;

/// Tokenizer failures. Line numbers are 1-based physical lines of the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum CsvError {
    #[error("line {line}: a quoted field starts here and is never closed")]
    UnterminatedQuote { line: u64 },
    #[error("line {line}: one record is longer than {limit_bytes} bytes; is a quote unbalanced?")]
    RecordTooLong { line: u64, limit_bytes: usize },
}

/// The longest single record the tokenizer buffers before giving up.
pub const MAX_RECORD_BYTES: usize = 16 * 1024 * 1024;

/// One field: a range in the input buffer or, when it held doubled quotes,
/// in the tokenizer's scratch buffer.
#[derive(Clone, Copy, Debug)]
struct FieldSpan {
    start: u32,
    end: u32,
    in_scratch: bool,
}

/// A complete record, borrowed from the tokenizer and the input chunk.
pub struct Record<'a> {
    /// Physical line where the record starts.
    pub line: u64,
    /// Offset of the byte after the record (its line break included), from
    /// the first byte given to the tokenizer.
    pub end_offset: u64,
    buf: &'a [u8],
    scratch: &'a [u8],
    spans: &'a [FieldSpan],
}

impl<'a> Record<'a> {
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The unescaped bytes of field `i`.
    #[inline(always)]
    pub fn field(&self, i: usize) -> &'a [u8] {
        let s = self.spans[i];
        let src = if s.in_scratch { self.scratch } else { self.buf };
        &src[s.start as usize..s.end as usize]
    }

    pub fn fields(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        (0..self.len()).map(|i| self.field(i))
    }
}

/// Splits bytes into records. Feed it a buffer whose start is a record
/// boundary; it reports how far it got, and the caller keeps the rest.
pub struct Tokenizer {
    delimiter: u8,
    /// Line number of the next record's first byte.
    next_line: u64,
    /// Bytes consumed by earlier `parse` calls.
    consumed: u64,
    /// Whether a quoted field held a line break (so lines and records differ).
    multiline_fields: bool,
    spans: Vec<FieldSpan>,
    scratch: Vec<u8>,
}

enum Step {
    /// A record ended at this offset, having crossed this many newlines.
    Done {
        end: usize,
        newlines: u64,
        blank: bool,
    },
    /// The buffer ends inside the record.
    NeedMore,
}

impl Tokenizer {
    pub fn new(delimiter: u8) -> Tokenizer {
        Tokenizer {
            delimiter,
            next_line: 1,
            consumed: 0,
            multiline_fields: false,
            spans: Vec::with_capacity(32),
            scratch: Vec::new(),
        }
    }

    /// True once a quoted field has held a line break.
    pub fn saw_multiline_fields(&self) -> bool {
        self.multiline_fields
    }

    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// The line the next record will start on.
    pub fn next_line(&self) -> u64 {
        self.next_line
    }

    /// Parses every complete record in `buf`, calling `on_record` for each
    /// non-blank one. With `eof` the end of `buf` ends the last record.
    /// Returns how many bytes were consumed; the caller passes the remainder
    /// again, followed by more input.
    pub fn parse<F>(&mut self, buf: &[u8], eof: bool, mut on_record: F) -> Result<usize, CsvError>
    where
        F: FnMut(&Record<'_>),
    {
        let mut pos = 0;
        while pos < buf.len() {
            match self.record(buf, pos, eof)? {
                Step::NeedMore => {
                    if buf.len() - pos > MAX_RECORD_BYTES {
                        return Err(CsvError::RecordTooLong {
                            line: self.next_line,
                            limit_bytes: MAX_RECORD_BYTES,
                        });
                    }
                    break;
                }
                Step::Done {
                    end,
                    newlines,
                    blank,
                } => {
                    if !blank {
                        let record = Record {
                            line: self.next_line,
                            end_offset: self.consumed + end as u64,
                            buf,
                            scratch: &self.scratch,
                            spans: &self.spans,
                        };
                        on_record(&record);
                    }
                    self.next_line += newlines;
                    pos = end;
                }
            }
        }
        self.consumed += pos as u64;
        Ok(pos)
    }

    /// Tokenizes one record starting at `start` into `spans`/`scratch`.
    fn record(&mut self, buf: &[u8], start: usize, eof: bool) -> Result<Step, CsvError> {
        self.spans.clear();
        self.scratch.clear();
        let delim = self.delimiter;
        let len = buf.len();
        let mut p = start;
        let mut newlines = 0u64;
        loop {
            // One field starts at `p`.
            let mut span;
            if p < len && buf[p] == b'"' {
                let mut q = p + 1;
                let mut seg_start = q;
                let mut escaped = false;
                let scratch_start = self.scratch.len();
                loop {
                    let Some(rel) = buf[q..].iter().position(|&b| b == b'"') else {
                        return if eof {
                            Err(CsvError::UnterminatedQuote {
                                line: self.next_line + newlines,
                            })
                        } else {
                            Ok(Step::NeedMore)
                        };
                    };
                    let quote = q + rel;
                    let inside = count_newlines(&buf[q..quote]);
                    if inside > 0 {
                        self.multiline_fields = true;
                        newlines += inside;
                    }
                    if quote + 1 == len && !eof {
                        return Ok(Step::NeedMore);
                    }
                    if quote + 1 < len && buf[quote + 1] == b'"' {
                        escaped = true;
                        self.scratch.extend_from_slice(&buf[seg_start..=quote]);
                        q = quote + 2;
                        seg_start = q;
                        continue;
                    }
                    if escaped {
                        self.scratch.extend_from_slice(&buf[seg_start..quote]);
                        span = FieldSpan {
                            start: scratch_start as u32,
                            end: self.scratch.len() as u32,
                            in_scratch: true,
                        };
                    } else {
                        span = FieldSpan {
                            start: seg_start as u32,
                            end: quote as u32,
                            in_scratch: false,
                        };
                    }
                    p = quote + 1;
                    break;
                }
                // Text between a closing quote and the delimiter is kept, as
                // spreadsheets do, rather than rejecting the row.
                let tail_start = p;
                while p < len && buf[p] != delim && buf[p] != b'\n' && buf[p] != b'\r' {
                    p += 1;
                }
                if p > tail_start {
                    let base = self.scratch.len();
                    let quoted = if span.in_scratch {
                        self.scratch[span.start as usize..span.end as usize].to_vec()
                    } else {
                        buf[span.start as usize..span.end as usize].to_vec()
                    };
                    self.scratch.extend_from_slice(&quoted);
                    self.scratch.extend_from_slice(&buf[tail_start..p]);
                    span = FieldSpan {
                        start: base as u32,
                        end: self.scratch.len() as u32,
                        in_scratch: true,
                    };
                }
            } else {
                let field_start = p;
                p = find_field_end(buf, p, delim);
                span = FieldSpan {
                    start: field_start as u32,
                    end: p as u32,
                    in_scratch: false,
                };
            }
            self.spans.push(span);

            // What ends the field.
            if p == len {
                if !eof {
                    return Ok(Step::NeedMore);
                }
                return Ok(Step::Done {
                    end: p,
                    newlines,
                    blank: self.is_blank(buf),
                });
            }
            match buf[p] {
                b if b == delim => p += 1,
                b'\n' => {
                    return Ok(Step::Done {
                        end: p + 1,
                        newlines: newlines + 1,
                        blank: self.is_blank(buf),
                    })
                }
                _ => {
                    // '\r', alone or followed by '\n'.
                    if p + 1 == len && !eof {
                        return Ok(Step::NeedMore);
                    }
                    let end = if p + 1 < len && buf[p + 1] == b'\n' {
                        p + 2
                    } else {
                        p + 1
                    };
                    return Ok(Step::Done {
                        end,
                        newlines: newlines + 1,
                        blank: self.is_blank(buf),
                    });
                }
            }
        }
    }

    /// A record of one empty, unquoted field is a blank line.
    fn is_blank(&self, buf: &[u8]) -> bool {
        if self.spans.len() != 1 {
            return false;
        }
        let s = self.spans[0];
        !s.in_scratch && s.start == s.end && (s.start == 0 || buf[s.start as usize - 1] != b'"')
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// High bit set in each byte of `word` equal to `byte` (the lowest set bit
/// is always a true match; higher ones may be false positives).
#[inline]
fn bytes_equal_to(word: u64, byte: u8) -> u64 {
    let x = word ^ (ONES * byte as u64);
    x.wrapping_sub(ONES) & !x & HIGHS
}

/// The offset of the first delimiter or line break at or after `p`, or the
/// buffer's length; eight bytes at a time.
#[inline]
fn find_field_end(buf: &[u8], mut p: usize, delim: u8) -> usize {
    while p + 8 <= buf.len() {
        let mut w = [0u8; 8];
        w.copy_from_slice(&buf[p..p + 8]);
        let word = u64::from_le_bytes(w);
        let hits =
            bytes_equal_to(word, delim) | bytes_equal_to(word, b'\n') | bytes_equal_to(word, b'\r');
        if hits != 0 {
            return p + (hits.trailing_zeros() / 8) as usize;
        }
        p += 8;
    }
    while p < buf.len() {
        let b = buf[p];
        if b == delim || b == b'\n' || b == b'\r' {
            return p;
        }
        p += 1;
    }
    p
}

fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

/// Picks the delimiter (`,` `;` tab or `|`) that splits the first lines of
/// `sample` into the same, largest number of fields. Defaults to a comma.
pub fn sniff_delimiter(sample: &[u8]) -> u8 {
    const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
    let lines = split_sample_lines(sample, 20);
    let mut best = (b',', 0usize, 0usize); // (delimiter, consistent lines, fields)
    for &d in &CANDIDATES {
        let counts: Vec<usize> = lines.iter().map(|l| count_unquoted(l, d)).collect();
        let Some(&first) = counts.first() else {
            continue;
        };
        if first == 0 {
            continue;
        }
        let consistent = counts.iter().filter(|&&c| c == first).count();
        if (consistent, first) > (best.1, best.2) {
            best = (d, consistent, first);
        }
    }
    best.0
}

/// The first `max` lines of `sample`, not splitting inside quotes. The last,
/// possibly cut-off line is dropped unless it is the only one.
fn split_sample_lines(sample: &[u8], max: usize) -> Vec<&[u8]> {
    let mut lines = Vec::new();
    let mut in_quotes = false;
    let mut start = 0;
    for (i, &b) in sample.iter().enumerate() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => {
                let line = &sample[start..i];
                if !line.iter().all(|c| c.is_ascii_whitespace()) {
                    lines.push(line);
                }
                start = i + 1;
                if lines.len() == max {
                    return lines;
                }
            }
            _ => {}
        }
    }
    if lines.is_empty() && start < sample.len() {
        lines.push(&sample[start..]);
    }
    lines
}

fn count_unquoted(line: &[u8], delim: u8) -> usize {
    let mut in_quotes = false;
    let mut n = 0;
    for &b in line {
        if b == b'"' {
            in_quotes = !in_quotes;
        } else if b == delim && !in_quotes {
            n += 1;
        }
    }
    n
}

/// Quotes a field when it holds the delimiter, a quote or a line break.
pub fn write_field(out: &mut String, value: &str) {
    if value.contains([',', '"', '\n', '\r']) || value.starts_with(' ') || value.ends_with(' ') {
        out.push('"');
        for ch in value.chars() {
            if ch == '"' {
                out.push('"');
            }
            out.push(ch);
        }
        out.push('"');
    } else {
        out.push_str(value);
    }
}

/// The whole table as comma-separated text with a header row; nulls are
/// empty fields. Hidden fields are included: export is of data, not view.
pub fn write_table(table: &Table) -> String {
    let mut out = String::with_capacity(table.num_rows() * table.num_columns() * 8 + 64);
    for (i, c) in table.columns().iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_field(&mut out, &c.name);
    }
    out.push('\n');
    for row in 0..table.num_rows() {
        for (i, c) in table.columns().iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            if let Some(text) = c.data.display(row) {
                write_field(&mut out, &text);
            }
        }
        out.push('\n');
    }
    out
}

/// Appends one row of already formatted cells.
pub fn write_row<'a>(out: &mut String, cells: impl IntoIterator<Item = Option<&'a str>>) {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if let Some(text) = cell {
            write_field(out, text);
        }
    }
    let _ = writeln!(out);
}

#[cfg(test)]
mod tests;

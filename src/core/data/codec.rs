//! A compact, versioned binary form of a [`Table`], for browser storage.
//!
//! Layout (little-endian): magic `CHLB`, version, name, row and column
//! counts, then per column its name, role, hidden flag, type, optional null
//! bitmap and values. Decoding checks every length, offset, key and string,
//! so a corrupt or foreign blob gives an error, never a panic.

use arrow_array::{Array, BooleanArray, Float64Array, Int64Array, StringArray, UInt16Array};
use arrow_buffer::{BooleanBuffer, Buffer, NullBuffer, OffsetBuffer, ScalarBuffer};

use crate::data::table::{categorical_from_parts, Column, ColumnData, ColumnType, Role, Table};

const MAGIC: &[u8; 4] = b"CHLB";
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodecError {
    #[error("not a Churnlab table (bad magic)")]
    BadMagic,
    #[error("stored with format version {found}; this version reads {VERSION}")]
    Version { found: u32 },
    #[error("the stored table ends early at byte {offset}")]
    Truncated { offset: usize },
    #[error("stored column \"{column}\" is invalid: {reason}")]
    BadColumn { column: String, reason: String },
    #[error("{0} bytes follow the stored table")]
    Trailing(usize),
}

// ---------------------------------------------------------------- encoding

struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn bytes(&mut self, b: &[u8]) {
        self.u64(b.len() as u64);
        self.0.extend_from_slice(b);
    }
    fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    fn nulls(&mut self, nulls: Option<&NullBuffer>, len: usize) {
        match nulls {
            Some(n) if n.null_count() > 0 => {
                self.u8(1);
                self.bits(n.inner(), len);
            }
            _ => self.u8(0),
        }
    }
    fn bits(&mut self, bits: &BooleanBuffer, len: usize) {
        let mut packed = vec![0u8; len.div_ceil(8)];
        for (i, b) in bits.iter().enumerate().take(len) {
            if b {
                packed[i / 8] |= 1 << (i % 8);
            }
        }
        self.bytes(&packed);
    }
    fn strings(&mut self, a: &StringArray) {
        self.u64(a.len() as u64);
        let base = a.value_offsets()[0];
        for &o in a.value_offsets() {
            self.u32((o - base) as u32);
        }
        let end = a.value_offsets()[a.len()] as usize;
        self.bytes(&a.value_data()[base as usize..end]);
    }
}

fn type_tag(t: ColumnType) -> u8 {
    match t {
        ColumnType::Integer => 0,
        ColumnType::Float => 1,
        ColumnType::Boolean => 2,
        ColumnType::Categorical => 3,
        ColumnType::Text => 4,
    }
}

/// The table's header: magic, version, name, row and column counts.
pub fn encode_header(table: &Table) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(64 + table.name().len()));
    w.0.extend_from_slice(MAGIC);
    w.u32(VERSION);
    w.str(table.name());
    w.u64(table.num_rows() as u64);
    w.u32(table.num_columns() as u32);
    w.0
}

/// One column: name, role, hidden flag, type, nulls and values.
pub fn encode_column(c: &Column) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(c.data.memory_size_bytes() + 64));
    w.str(&c.name);
    w.u8(matches!(c.role, Role::Measure) as u8);
    w.u8(c.hidden as u8);
    w.u8(type_tag(c.column_type()));
    let len = c.data.len();
    w.nulls(c.data.as_array().logical_nulls().as_ref(), len);
    match &c.data {
        ColumnData::Integer(a) => a
            .values()
            .iter()
            .for_each(|v| w.0.extend_from_slice(&v.to_le_bytes())),
        ColumnData::Float(a) => a
            .values()
            .iter()
            .for_each(|v| w.0.extend_from_slice(&v.to_le_bytes())),
        ColumnData::Boolean(a) => w.bits(a.values(), len),
        ColumnData::Categorical(a) => {
            let empty = StringArray::from(Vec::<&str>::new());
            w.strings(c.data.categories().unwrap_or(&empty));
            a.keys()
                .values()
                .iter()
                .for_each(|k| w.0.extend_from_slice(&k.to_le_bytes()));
        }
        ColumnData::Text(a) => w.strings(a),
    }
    w.0
}

/// The whole table in one buffer: the header, then each column prefixed
/// by its length. Large tables are better stored column by column, with
/// [`encode_header`] and [`encode_column`], to avoid a second full copy.
pub fn encode_table(table: &Table) -> Vec<u8> {
    let mut out = encode_header(table);
    for c in table.columns() {
        let column = encode_column(c);
        out.extend_from_slice(&(column.len() as u64).to_le_bytes());
        out.extend_from_slice(&column);
    }
    out
}

// ---------------------------------------------------------------- decoding

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], CodecError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.buf.len())
            .ok_or(CodecError::Truncated { offset: self.pos })?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, CodecError> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32, CodecError> {
        let mut b = [0u8; 4];
        b.copy_from_slice(self.take(4)?);
        Ok(u32::from_le_bytes(b))
    }
    fn u64(&mut self) -> Result<u64, CodecError> {
        let mut b = [0u8; 8];
        b.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(b))
    }
    fn len(&mut self) -> Result<usize, CodecError> {
        let offset = self.pos;
        usize::try_from(self.u64()?).map_err(|_| CodecError::Truncated { offset })
    }
    fn bytes(&mut self) -> Result<&'a [u8], CodecError> {
        let n = self.len()?;
        self.take(n)
    }
    fn string(&mut self, what: &str) -> Result<String, CodecError> {
        let b = self.bytes()?;
        String::from_utf8(b.to_vec()).map_err(|_| CodecError::BadColumn {
            column: what.to_owned(),
            reason: "a name is not UTF-8".into(),
        })
    }
    fn fixed<const N: usize>(
        &mut self,
        count: usize,
    ) -> Result<impl Iterator<Item = [u8; N]> + 'a, CodecError> {
        let bytes = self.take(
            count
                .checked_mul(N)
                .ok_or(CodecError::Truncated { offset: self.pos })?,
        )?;
        Ok(bytes.chunks_exact(N).map(|c| {
            let mut a = [0u8; N];
            a.copy_from_slice(c);
            a
        }))
    }
    fn bits(&mut self, len: usize) -> Result<BooleanBuffer, CodecError> {
        let offset = self.pos;
        let packed = self.bytes()?;
        if packed.len() != len.div_ceil(8) {
            return Err(CodecError::Truncated { offset });
        }
        Ok(BooleanBuffer::new(Buffer::from(packed.to_vec()), 0, len))
    }
    fn strings(&mut self, column: &str) -> Result<StringArray, CodecError> {
        let bad = |reason: &str| CodecError::BadColumn {
            column: column.to_owned(),
            reason: reason.to_owned(),
        };
        let n = self.len()?;
        let offsets: Vec<i32> = self
            .fixed::<4>(n.checked_add(1).ok_or_else(|| bad("too many strings"))?)?
            .map(|b| u32::from_le_bytes(b) as i32)
            .collect();
        let data = self.bytes()?;
        if offsets[0] != 0
            || offsets.windows(2).any(|w| w[1] < w[0])
            || offsets[n] as usize != data.len()
        {
            return Err(bad("string offsets are out of order"));
        }
        let text = std::str::from_utf8(data).map_err(|_| bad("text is not UTF-8"))?;
        if offsets.iter().any(|&o| !text.is_char_boundary(o as usize)) {
            return Err(bad("a string offset splits a character"));
        }
        Ok(StringArray::new(
            OffsetBuffer::new(ScalarBuffer::from(offsets)),
            Buffer::from(data.to_vec()),
            None,
        ))
    }
}

/// What a table header says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableHeader {
    pub name: String,
    pub rows: usize,
    pub columns: usize,
    /// Bytes the header took.
    pub len: usize,
}

pub fn decode_header(bytes: &[u8]) -> Result<TableHeader, CodecError> {
    let mut r = Reader { buf: bytes, pos: 0 };
    if r.take(4).map_err(|_| CodecError::BadMagic)? != MAGIC {
        return Err(CodecError::BadMagic);
    }
    let version = r.u32()?;
    if version != VERSION {
        return Err(CodecError::Version { found: version });
    }
    let name = r.string("table name")?;
    let rows = r.len()?;
    let columns = r.u32()? as usize;
    Ok(TableHeader {
        name,
        rows,
        columns,
        len: r.pos,
    })
}

/// One column of `rows` values, from exactly the bytes [`encode_column`] wrote.
pub fn decode_column(bytes: &[u8], rows: usize) -> Result<Column, CodecError> {
    let mut r = Reader { buf: bytes, pos: 0 };
    let col_name = r.string("column name")?;
    let bad = |reason: &str| CodecError::BadColumn {
        column: col_name.clone(),
        reason: reason.to_owned(),
    };
    let role = if r.u8()? == 1 {
        Role::Measure
    } else {
        Role::Dimension
    };
    let hidden = r.u8()? == 1;
    let tag = r.u8()?;
    let nulls = match r.u8()? {
        0 => None,
        1 => Some(NullBuffer::new(r.bits(rows)?)),
        _ => return Err(bad("bad null flag")),
    };
    let data = match tag {
        0 => ColumnData::Integer(Int64Array::new(
            r.fixed::<8>(rows)?.map(i64::from_le_bytes).collect(),
            nulls,
        )),
        1 => ColumnData::Float(Float64Array::new(
            r.fixed::<8>(rows)?.map(f64::from_le_bytes).collect(),
            nulls,
        )),
        2 => ColumnData::Boolean(BooleanArray::new(r.bits(rows)?, nulls)),
        3 => {
            let labels = r.strings(&col_name)?;
            let keys =
                UInt16Array::new(r.fixed::<2>(rows)?.map(u16::from_le_bytes).collect(), nulls);
            if keys.iter().flatten().any(|k| k as usize >= labels.len()) {
                return Err(bad("a category key has no label"));
            }
            ColumnData::Categorical(categorical_from_parts(keys, labels))
        }
        4 => {
            let strings = r.strings(&col_name)?;
            if strings.len() != rows {
                return Err(bad("wrong number of values"));
            }
            let (offsets, values, _) = strings.into_parts();
            ColumnData::Text(StringArray::new(offsets, values, nulls))
        }
        _ => return Err(bad("unknown type")),
    };
    if r.pos != bytes.len() {
        return Err(CodecError::Trailing(bytes.len() - r.pos));
    }
    Ok(Column {
        name: col_name,
        role,
        hidden,
        data,
    })
}

/// A table from a header and its columns' bytes.
pub fn assemble_table(header: &TableHeader, columns: Vec<Column>) -> Result<Table, CodecError> {
    if columns.len() != header.columns {
        return Err(CodecError::BadColumn {
            column: String::new(),
            reason: format!(
                "{} columns stored, {} expected",
                columns.len(),
                header.columns
            ),
        });
    }
    Table::try_new(header.name.clone(), columns).map_err(|e| CodecError::BadColumn {
        column: String::new(),
        reason: e.to_string(),
    })
}

/// The inverse of [`encode_table`].
pub fn decode_table(bytes: &[u8]) -> Result<Table, CodecError> {
    let header = decode_header(bytes)?;
    let mut r = Reader {
        buf: bytes,
        pos: header.len,
    };
    let mut columns = Vec::with_capacity(header.columns.min(4096));
    for _ in 0..header.columns {
        let column_bytes = r.bytes()?;
        columns.push(decode_column(column_bytes, header.rows)?);
    }
    if r.pos != bytes.len() {
        return Err(CodecError::Trailing(bytes.len() - r.pos));
    }
    assemble_table(&header, columns)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::ingest::{ingest_bytes, IngestOptions};

    fn sample() -> Table {
        let csv = "i,f,b,c,t\n1,1.5,true,Yes,\"a,é\"\n,,false,No,b\n3,4.5,,,\n";
        let mut t = ingest_bytes(csv.as_bytes(), IngestOptions::new("sample"), 8)
            .unwrap()
            .0;
        let mut cols = t.clone().into_columns();
        cols[1].hidden = true;
        cols[0].role = Role::Dimension;
        t = Table::try_new("sample", cols).unwrap();
        t
    }

    fn cells(t: &Table) -> Vec<Vec<Option<String>>> {
        (0..t.num_rows())
            .map(|r| t.columns().iter().map(|c| c.data.display(r)).collect())
            .collect()
    }

    #[test]
    fn round_trips_every_type_and_the_field_metadata() {
        let t = sample();
        let back = decode_table(&encode_table(&t)).unwrap();
        assert_eq!(back.name(), "sample");
        assert_eq!(cells(&back), cells(&t));
        for (a, b) in t.columns().iter().zip(back.columns()) {
            assert_eq!(
                (&a.name, a.role, a.hidden, a.column_type()),
                (&b.name, b.role, b.hidden, b.column_type())
            );
            assert_eq!(a.data.null_count(), b.data.null_count());
        }
    }

    #[test]
    fn round_trips_the_default_dataset() {
        let t = crate::data::synth::generate(300, 5);
        assert_eq!(cells(&decode_table(&encode_table(&t)).unwrap()), cells(&t));
    }

    #[test]
    fn rejects_foreign_truncated_and_corrupt_blobs() {
        assert_eq!(decode_table(b"nope").unwrap_err(), CodecError::BadMagic);
        assert_eq!(decode_table(b"").unwrap_err(), CodecError::BadMagic);
        let good = encode_table(&sample());
        for cut in [5, 20, good.len() / 2, good.len() - 1] {
            assert!(decode_table(&good[..cut]).is_err(), "cut at {cut}");
        }
        let mut v2 = good.clone();
        v2[4] = 2;
        assert_eq!(
            decode_table(&v2).unwrap_err(),
            CodecError::Version { found: 2 }
        );
        let mut longer = good.clone();
        longer.push(0);
        assert_eq!(decode_table(&longer).unwrap_err(), CodecError::Trailing(1));
    }

    #[test]
    fn never_panics_on_flipped_bytes() {
        let good = encode_table(&sample());
        for i in 0..good.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut bad = good.clone();
                bad[i] ^= flip;
                let _ = decode_table(&bad);
            }
        }
    }
}

//! Typed column builders fed one raw cell at a time.

use arrow_array::{BooleanArray, Float64Array, Int64Array, StringArray, UInt16Array};
use arrow_buffer::{BooleanBufferBuilder, NullBufferBuilder, OffsetBuffer, ScalarBuffer};

use crate::common::hash::FxHashMap;
use crate::data::infer::{
    has_leading_zero, is_null_token, parse_bool, parse_float, parse_int, parse_plain_decimal,
    parse_plain_int, CATEGORICAL_MAX_DISTINCT,
};
use crate::data::table::{categorical_from_parts, ColumnData, ColumnType, MAX_CATEGORIES};

/// How many examples of a problem (line numbers, failed values) are kept.
pub const EXAMPLES_KEPT: usize = 5;

pub(crate) enum Push {
    Ok,
    /// The cell is not a value of the column's type.
    Failed,
    InvalidUtf8,
}

/// Distinct labels of a categorical column, in first-seen order.
pub(crate) struct Interner {
    map: FxHashMap<Box<[u8]>, u16>,
    offsets: Vec<i32>,
    bytes: Vec<u8>,
    /// A direct-mapped cache in front of `map`, indexed by length and first
    /// and last byte: categorical labels ("Yes", "No", "Fiber optic") almost
    /// always differ there, so most lookups are one short comparison.
    recent: [u16; RECENT_SLOTS],
}

const RECENT_SLOTS: usize = 256;

/// Equality for short byte strings without a call into `memcmp`.
#[inline]
fn bytes_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut ca = a.chunks_exact(8);
    let mut cb = b.chunks_exact(8);
    for (x, y) in (&mut ca).zip(&mut cb) {
        let mut wx = [0u8; 8];
        let mut wy = [0u8; 8];
        wx.copy_from_slice(x);
        wy.copy_from_slice(y);
        if wx != wy {
            return false;
        }
    }
    ca.remainder()
        .iter()
        .zip(cb.remainder())
        .all(|(x, y)| x == y)
}

#[inline]
fn recent_slot(raw: &[u8]) -> usize {
    let (first, last) = match raw {
        [] => (0, 0),
        [f, .., l] => (*f as usize, *l as usize),
        [f] => (*f as usize, *f as usize),
    };
    (raw.len().wrapping_mul(31) ^ first.wrapping_mul(7) ^ last.wrapping_mul(131)) % RECENT_SLOTS
}

pub(crate) enum Intern {
    Key(u16),
    Full,
    InvalidUtf8,
}

impl Interner {
    pub(crate) fn new() -> Interner {
        Interner {
            map: FxHashMap::default(),
            offsets: vec![0],
            bytes: Vec::new(),
            recent: [u16::MAX; RECENT_SLOTS],
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// The key of `raw` when the cache in front of the map holds it.
    #[inline(always)]
    pub(crate) fn recent(&self, raw: &[u8]) -> Option<u16> {
        let cached = self.recent[recent_slot(raw)];
        (cached != u16::MAX && bytes_eq(self.label(cached), raw)).then_some(cached)
    }

    pub(crate) fn intern(&mut self, raw: &[u8], limit: usize) -> Intern {
        if let Some(k) = self.recent(raw) {
            return Intern::Key(k);
        }
        let slot = recent_slot(raw);
        if let Some(&k) = self.map.get(raw) {
            self.recent[slot] = k;
            return Intern::Key(k);
        }
        if self.len() >= limit.min(MAX_CATEGORIES) {
            return Intern::Full;
        }
        if std::str::from_utf8(raw).is_err() {
            return Intern::InvalidUtf8;
        }
        let key = self.len() as u16;
        self.bytes.extend_from_slice(raw);
        self.offsets.push(self.bytes.len() as i32);
        self.map.insert(raw.into(), key);
        self.recent[slot] = key;
        Intern::Key(key)
    }

    pub(crate) fn label(&self, key: u16) -> &[u8] {
        let k = key as usize;
        &self.bytes[self.offsets[k] as usize..self.offsets[k + 1] as usize]
    }

    pub(crate) fn into_array(self) -> StringArray {
        // Every label was checked to be UTF-8 and offsets only grow.
        StringArray::new(
            OffsetBuffer::new(ScalarBuffer::from(self.offsets)),
            self.bytes.into(),
            None,
        )
    }

    fn memory_bytes(&self) -> usize {
        self.bytes.capacity() + self.offsets.capacity() * 4 + self.map.capacity() * 32
    }
}

// One builder per column, held for the whole ingest and never moved in
// bulk: boxing the large variant would only add a hop to every cell.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Builder {
    Integer {
        values: Vec<i64>,
        nulls: NullBufferBuilder,
    },
    Float {
        values: Vec<f64>,
        nulls: NullBufferBuilder,
    },
    Boolean {
        values: BooleanBufferBuilder,
        nulls: NullBufferBuilder,
    },
    Categorical {
        keys: Vec<u16>,
        nulls: NullBufferBuilder,
        labels: Interner,
    },
    Text {
        offsets: Vec<i32>,
        bytes: Vec<u8>,
        nulls: NullBufferBuilder,
    },
}

impl Builder {
    pub(crate) fn new(ty: ColumnType, capacity: usize) -> Builder {
        let nulls = NullBufferBuilder::new(capacity);
        match ty {
            ColumnType::Integer => Builder::Integer {
                values: Vec::with_capacity(capacity),
                nulls,
            },
            ColumnType::Float => Builder::Float {
                values: Vec::with_capacity(capacity),
                nulls,
            },
            ColumnType::Boolean => Builder::Boolean {
                values: BooleanBufferBuilder::new(capacity),
                nulls,
            },
            ColumnType::Categorical => Builder::Categorical {
                keys: Vec::with_capacity(capacity),
                nulls,
                labels: Interner::new(),
            },
            ColumnType::Text => {
                let mut offsets = Vec::with_capacity(capacity + 1);
                offsets.push(0);
                Builder::Text {
                    offsets,
                    bytes: Vec::with_capacity(capacity * 8),
                    nulls,
                }
            }
        }
    }

    pub(crate) fn column_type(&self) -> ColumnType {
        match self {
            Builder::Integer { .. } => ColumnType::Integer,
            Builder::Float { .. } => ColumnType::Float,
            Builder::Boolean { .. } => ColumnType::Boolean,
            Builder::Categorical { .. } => ColumnType::Categorical,
            Builder::Text { .. } => ColumnType::Text,
        }
    }

    pub(crate) fn push_null(&mut self) {
        match self {
            Builder::Integer { values, nulls } => {
                values.push(0);
                nulls.append_null();
            }
            Builder::Float { values, nulls } => {
                values.push(0.0);
                nulls.append_null();
            }
            Builder::Boolean { values, nulls } => {
                values.append(false);
                nulls.append_null();
            }
            Builder::Categorical { keys, nulls, .. } => {
                keys.push(0);
                nulls.append_null();
            }
            Builder::Text {
                offsets,
                bytes,
                nulls,
            } => {
                offsets.push(bytes.len() as i32);
                nulls.append_null();
            }
        }
    }

    /// Appends one raw cell. `forced` columns never change type.
    #[inline(always)]
    pub(crate) fn push(&mut self, raw: &[u8], forced: bool) -> Push {
        // Fast paths for the common cell of each type; none of them can
        // accept a null token, so nulls fall through to `push_slow`.
        match self {
            // A code with a leading zero is not a number unless the user says so.
            Builder::Integer { .. } | Builder::Float { .. } if !forced && has_leading_zero(raw) => {
                return Push::Failed
            }
            Builder::Integer { values, nulls } => {
                if let Some(v) = parse_plain_int(raw) {
                    values.push(v);
                    nulls.append_non_null();
                    return Push::Ok;
                }
            }
            Builder::Float { values, nulls } => {
                if let Some(v) = parse_plain_decimal(raw) {
                    values.push(v);
                    nulls.append_non_null();
                    return Push::Ok;
                }
            }
            Builder::Categorical {
                keys,
                nulls,
                labels,
            } => {
                if let Some(k) = labels.recent(raw) {
                    keys.push(k);
                    nulls.append_non_null();
                    return Push::Ok;
                }
            }
            Builder::Text {
                offsets,
                bytes,
                nulls,
            } => {
                if !is_null_token(raw) && std::str::from_utf8(raw).is_ok() {
                    bytes.extend_from_slice(raw);
                    offsets.push(bytes.len() as i32);
                    nulls.append_non_null();
                    return Push::Ok;
                }
            }
            Builder::Boolean { .. } => {}
        }
        self.push_slow(raw, forced)
    }

    /// Everything the fast path does not handle: nulls, padded numbers,
    /// new labels, failures and widening.
    #[inline(never)]
    fn push_slow(&mut self, raw: &[u8], forced: bool) -> Push {
        if is_null_token(raw) {
            self.push_null();
            return Push::Ok;
        }
        match self {
            Builder::Integer { values, nulls } => {
                if let Some(v) = parse_int(raw) {
                    values.push(v);
                    nulls.append_non_null();
                    return Push::Ok;
                }
                if forced || parse_float(raw).is_none() {
                    return Push::Failed;
                }
                self.widen_to_float();
                self.push(raw, forced)
            }
            Builder::Float { values, nulls } => match parse_float(raw) {
                Some(v) => {
                    values.push(v);
                    nulls.append_non_null();
                    Push::Ok
                }
                None => Push::Failed,
            },
            Builder::Boolean { values, nulls } => match parse_bool(raw) {
                Some(v) => {
                    values.append(v);
                    nulls.append_non_null();
                    Push::Ok
                }
                None => Push::Failed,
            },
            Builder::Categorical {
                keys,
                nulls,
                labels,
            } => {
                let limit = if forced {
                    MAX_CATEGORIES
                } else {
                    CATEGORICAL_MAX_DISTINCT
                };
                match labels.intern(raw, limit) {
                    Intern::Key(k) => {
                        keys.push(k);
                        nulls.append_non_null();
                        Push::Ok
                    }
                    Intern::InvalidUtf8 => Push::InvalidUtf8,
                    Intern::Full if forced => Push::Failed,
                    Intern::Full => {
                        self.widen_to_text();
                        self.push(raw, forced)
                    }
                }
            }
            Builder::Text {
                offsets,
                bytes,
                nulls,
            } => {
                if std::str::from_utf8(raw).is_err() {
                    return Push::InvalidUtf8;
                }
                bytes.extend_from_slice(raw);
                offsets.push(bytes.len() as i32);
                nulls.append_non_null();
                Push::Ok
            }
        }
    }

    fn widen_to_float(&mut self) {
        if let Builder::Integer { values, nulls } = self {
            let mut floats = Vec::with_capacity(values.capacity());
            floats.extend(values.iter().map(|&v| v as f64));
            let nulls = std::mem::replace(nulls, NullBufferBuilder::new(0));
            *self = Builder::Float {
                values: floats,
                nulls,
            };
        }
    }

    fn widen_to_text(&mut self) {
        if let Builder::Categorical {
            keys,
            nulls,
            labels,
        } = self
        {
            let mut offsets = Vec::with_capacity(keys.capacity() + 1);
            offsets.push(0i32);
            let mut bytes = Vec::with_capacity(keys.capacity() * 8);
            for (row, &k) in keys.iter().enumerate() {
                if nulls.is_valid(row) {
                    bytes.extend_from_slice(labels.label(k));
                }
                offsets.push(bytes.len() as i32);
            }
            let nulls = std::mem::replace(nulls, NullBufferBuilder::new(0));
            *self = Builder::Text {
                offsets,
                bytes,
                nulls,
            };
        }
    }

    pub(crate) fn memory_bytes(&self) -> usize {
        match self {
            Builder::Integer { values, nulls } => values.capacity() * 8 + nulls.allocated_size(),
            Builder::Float { values, nulls } => values.capacity() * 8 + nulls.allocated_size(),
            Builder::Boolean { values, nulls } => values.capacity() / 8 + nulls.allocated_size(),
            Builder::Categorical {
                keys,
                nulls,
                labels,
            } => keys.capacity() * 2 + nulls.allocated_size() + labels.memory_bytes(),
            Builder::Text {
                offsets,
                bytes,
                nulls,
            } => offsets.capacity() * 4 + bytes.capacity() + nulls.allocated_size(),
        }
    }

    pub(crate) fn finish(self) -> ColumnData {
        match self {
            Builder::Integer { values, mut nulls } => {
                ColumnData::Integer(Int64Array::new(ScalarBuffer::from(values), nulls.finish()))
            }
            Builder::Float { values, mut nulls } => ColumnData::Float(Float64Array::new(
                ScalarBuffer::from(values),
                nulls.finish(),
            )),
            Builder::Boolean {
                mut values,
                mut nulls,
            } => ColumnData::Boolean(BooleanArray::new(values.finish(), nulls.finish())),
            Builder::Categorical {
                keys,
                mut nulls,
                labels,
            } => {
                let keys = UInt16Array::new(ScalarBuffer::from(keys), nulls.finish());
                ColumnData::Categorical(categorical_from_parts(keys, labels.into_array()))
            }
            Builder::Text {
                offsets,
                bytes,
                mut nulls,
            } => ColumnData::Text(StringArray::new(
                OffsetBuffer::new(ScalarBuffer::from(offsets)),
                bytes.into(),
                nulls.finish(),
            )),
        }
    }
}

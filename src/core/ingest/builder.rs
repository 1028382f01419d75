//! Typed column builders fed one raw cell at a time.

use arrow_array::{BooleanArray, Float64Array, Int64Array, StringArray, UInt16Array};
use arrow_buffer::{BooleanBufferBuilder, NullBufferBuilder, OffsetBuffer, ScalarBuffer};

use crate::core::hash::FxHashMap;
use crate::core::infer::{is_null_token, parse_bool, parse_float, parse_int, CATEGORICAL_MAX_DISTINCT};
use crate::core::table::{categorical_from_parts, ColumnData, ColumnType, MAX_CATEGORIES};

pub(crate) enum Push {
    Ok,
    /// The cell is not a value of the column's type.
    Failed,
    InvalidUtf8,
}

/// Distinct labels of a categorical column, in first-seen order.
#[derive(Default)]
pub(crate) struct Interner {
    map: FxHashMap<Box<[u8]>, u16>,
    offsets: Vec<i32>,
    bytes: Vec<u8>,
}

pub(crate) enum Intern {
    Key(u16),
    Full,
    InvalidUtf8,
}

impl Interner {
    pub(crate) fn new() -> Interner {
        Interner { map: FxHashMap::default(), offsets: vec![0], bytes: Vec::new() }
    }

    pub(crate) fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    pub(crate) fn intern(&mut self, raw: &[u8], limit: usize) -> Intern {
        if let Some(&k) = self.map.get(raw) {
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
        Intern::Key(key)
    }

    pub(crate) fn label(&self, key: u16) -> &[u8] {
        let k = key as usize;
        &self.bytes[self.offsets[k] as usize..self.offsets[k + 1] as usize]
    }

    pub(crate) fn into_array(self) -> StringArray {
        // Every label was checked to be UTF-8 and offsets only grow.
        StringArray::new(OffsetBuffer::new(ScalarBuffer::from(self.offsets)), self.bytes.into(), None)
    }

    fn memory_bytes(&self) -> usize {
        self.bytes.capacity() + self.offsets.capacity() * 4 + self.map.capacity() * 32
    }
}

pub(crate) enum Builder {
    Integer { values: Vec<i64>, nulls: NullBufferBuilder },
    Float { values: Vec<f64>, nulls: NullBufferBuilder },
    Boolean { values: BooleanBufferBuilder, nulls: NullBufferBuilder },
    Categorical { keys: Vec<u16>, nulls: NullBufferBuilder, labels: Interner },
    Text { offsets: Vec<i32>, bytes: Vec<u8>, nulls: NullBufferBuilder },
}

impl Builder {
    pub(crate) fn new(ty: ColumnType, capacity: usize) -> Builder {
        let nulls = NullBufferBuilder::new(capacity);
        match ty {
            ColumnType::Integer => Builder::Integer { values: Vec::with_capacity(capacity), nulls },
            ColumnType::Float => Builder::Float { values: Vec::with_capacity(capacity), nulls },
            ColumnType::Boolean => Builder::Boolean { values: BooleanBufferBuilder::new(capacity), nulls },
            ColumnType::Categorical => {
                Builder::Categorical { keys: Vec::with_capacity(capacity), nulls, labels: Interner::new() }
            }
            ColumnType::Text => {
                let mut offsets = Vec::with_capacity(capacity + 1);
                offsets.push(0);
                Builder::Text { offsets, bytes: Vec::with_capacity(capacity * 8), nulls }
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
            Builder::Text { offsets, bytes, nulls } => {
                offsets.push(bytes.len() as i32);
                nulls.append_null();
            }
        }
    }

    /// Appends one raw cell. `forced` columns never change type.
    #[inline]
    pub(crate) fn push(&mut self, raw: &[u8], forced: bool) -> Push {
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
            Builder::Categorical { keys, nulls, labels } => {
                let limit = if forced { MAX_CATEGORIES } else { CATEGORICAL_MAX_DISTINCT };
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
            Builder::Text { offsets, bytes, nulls } => {
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
            *self = Builder::Float { values: floats, nulls };
        }
    }

    fn widen_to_text(&mut self) {
        if let Builder::Categorical { keys, nulls, labels } = self {
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
            *self = Builder::Text { offsets, bytes, nulls };
        }
    }

    pub(crate) fn memory_bytes(&self) -> usize {
        match self {
            Builder::Integer { values, nulls } => values.capacity() * 8 + nulls.allocated_size(),
            Builder::Float { values, nulls } => values.capacity() * 8 + nulls.allocated_size(),
            Builder::Boolean { values, nulls } => values.capacity() / 8 + nulls.allocated_size(),
            Builder::Categorical { keys, nulls, labels } => {
                keys.capacity() * 2 + nulls.allocated_size() + labels.memory_bytes()
            }
            Builder::Text { offsets, bytes, nulls } => {
                offsets.capacity() * 4 + bytes.capacity() + nulls.allocated_size()
            }
        }
    }

    pub(crate) fn finish(self) -> ColumnData {
        match self {
            Builder::Integer { values, mut nulls } => {
                ColumnData::Integer(Int64Array::new(ScalarBuffer::from(values), nulls.finish()))
            }
            Builder::Float { values, mut nulls } => {
                ColumnData::Float(Float64Array::new(ScalarBuffer::from(values), nulls.finish()))
            }
            Builder::Boolean { mut values, mut nulls } => {
                ColumnData::Boolean(BooleanArray::new(values.finish(), nulls.finish()))
            }
            Builder::Categorical { keys, mut nulls, labels } => {
                let keys = UInt16Array::new(ScalarBuffer::from(keys), nulls.finish());
                ColumnData::Categorical(categorical_from_parts(keys, labels.into_array()))
            }
            Builder::Text { offsets, bytes, mut nulls } => ColumnData::Text(StringArray::new(
                OffsetBuffer::new(ScalarBuffer::from(offsets)),
                bytes.into(),
                nulls.finish(),
            )),
        }
    }
}

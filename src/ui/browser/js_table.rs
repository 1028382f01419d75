//! Tables as JavaScript values: an array of byte arrays, the codec's header
//! then one entry per column. Used to store tables in IndexedDB and to move
//! them between workers, one column at a time so that no second full copy
//! of a table ever sits in wasm memory.

use js_sys::{Array, Uint8Array};
use wasm_bindgen::JsCast;

use crate::core::data::codec::{
    assemble_table, decode_column, decode_header, encode_column, encode_header, CodecError,
    TableHeader,
};
use crate::core::data::table::{Column, Table};
use crate::ui::browser::perf::Slices;

fn to_js(bytes: &[u8]) -> Uint8Array {
    let array = Uint8Array::new_with_length(bytes.len() as u32);
    array.copy_from(bytes);
    array
}

/// `[header, column 0, column 1, …]`, each a `Uint8Array` in JS memory.
/// For a table of any size, [`table_to_js_in_turns`].
pub fn table_to_js(table: &Table) -> Array {
    let parts = Array::new();
    parts.push(&header_to_js(table));
    for column in table.columns() {
        parts.push(&column_to_js(column));
    }
    parts
}

/// [`table_to_js`] in the page's turns, a turn at most every 16 ms between
/// columns (a column of a million numbers is about 10 ms to copy), so that
/// a large table never freezes it and a small one does not wait on timers;
/// `on_column(done, total)` follows the columns.
pub async fn table_to_js_in_turns(table: &Table, on_column: impl Fn(usize, usize)) -> Array {
    let parts = Array::new();
    parts.push(&header_to_js(table));
    let total = table.num_columns();
    let mut slices = Slices::new();
    for (i, column) in table.columns().iter().enumerate() {
        on_column(i, total);
        slices.turn().await;
        parts.push(&column_to_js(column));
    }
    on_column(total, total);
    parts
}

/// The first of [`table_to_js`]'s parts.
fn header_to_js(table: &Table) -> Uint8Array {
    to_js(&encode_header(table))
}

/// A column's part of [`table_to_js`].
fn column_to_js(column: &Column) -> Uint8Array {
    to_js(&encode_column(column))
}

/// The `ArrayBuffer`s behind [`table_to_js`]'s parts, for `postMessage` transfer.
pub fn transfer_list(parts: &Array) -> Array {
    parts
        .iter()
        .filter_map(|p| p.dyn_into::<Uint8Array>().ok())
        .map(|a| wasm_bindgen::JsValue::from(a.buffer()))
        .collect()
}

fn part(parts: &Array, i: u32) -> Result<Uint8Array, CodecError> {
    parts
        .get(i)
        .dyn_into::<Uint8Array>()
        .map_err(|_| CodecError::Truncated { offset: i as usize })
}

pub fn header_from_js(parts: &Array) -> Result<TableHeader, CodecError> {
    let header = decode_header(&part(parts, 0)?.to_vec())?;
    if parts.length() as usize != header.columns + 1 {
        return Err(CodecError::BadColumn {
            column: String::new(),
            reason: format!(
                "{} columns stored, {} expected",
                parts.length().saturating_sub(1),
                header.columns
            ),
        });
    }
    Ok(header)
}

/// Column `i` of a table in [`table_to_js`] form.
pub fn column_from_js(parts: &Array, header: &TableHeader, i: usize) -> Result<Column, CodecError> {
    decode_column(&part(parts, i as u32 + 1)?.to_vec(), header.rows)
}

pub fn table_from_js(parts: &Array) -> Result<Table, CodecError> {
    let header = header_from_js(parts)?;
    let columns = (0..header.columns)
        .map(|i| column_from_js(parts, &header, i))
        .collect::<Result<Vec<_>, _>>()?;
    assemble_table(&header, columns)
}

/// [`table_from_js`] in the page's turns, a turn at most every 16 ms
/// between columns, for a table as large as the one the page holds.
pub async fn table_from_js_in_turns(parts: &Array) -> Result<Table, CodecError> {
    let header = header_from_js(parts)?;
    let mut slices = Slices::new();
    let mut columns = Vec::with_capacity(header.columns);
    for i in 0..header.columns {
        slices.turn().await;
        columns.push(column_from_js(parts, &header, i)?);
    }
    assemble_table(&header, columns)
}

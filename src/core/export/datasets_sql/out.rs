//! An expression as written for the target engine: its SQL, the app's type
//! for it, the literal it is (if it is one) and how tightly it binds. The
//! pieces `rewrite`, `expr` and `calls` pass between them.

use crate::query::SqlType;

/// A literal, as the app reads it.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Lit {
    Null,
    Int(i64),
    Float(f64),
    Bool(bool),
    Text(String),
}

/// An expression written out, with the app's type for it.
#[derive(Clone)]
pub(super) struct Out {
    pub sql: String,
    pub ty: SqlType,
    pub lit: Option<Lit>,
    /// How tightly it binds (see [`ATOM`]): a looser operand gets parentheses.
    pub prec: u8,
    /// AND, OR or ||: chains of one of them need no parentheses.
    pub chain: Option<&'static str>,
    /// A double-quoted name the app read as text, not yet in a note.
    pub quoted: Option<String>,
}

/// Precedence levels, loosest last, where DuckDB and Spark agree; `||` binds
/// differently in the two (with + and - in Spark, below them in DuckDB), so
/// arithmetic next to it is always parenthesised.
pub(super) const ATOM: u8 = 10;
pub(super) const NEG: u8 = 9;
pub(super) const MUL: u8 = 8;
pub(super) const ADD: u8 = 7;
pub(super) const CONCAT: u8 = 6;
pub(super) const CMP: u8 = 4;
pub(super) const NOT: u8 = 3;
pub(super) const AND: u8 = 2;
pub(super) const OR: u8 = 1;

/// The engine's common type, or the mix that has none.
pub(super) fn common_type(types: &[SqlType]) -> Result<SqlType, String> {
    crate::query::engine::common_type(types)
        .map_err(|(a, b)| format!("a mix of {} and {}", a.name(), b.name()))
}

//! What a binder resolves names against: the columns in scope, whether it
//! binds row by row or over groups, and source positions for messages.

use sqlparser::ast::Spanned;

use crate::query::engine::aggregate::AggCall;
use crate::query::engine::error::Position;
use crate::query::engine::expr::Expr;
use crate::query::engine::value::SqlType;

/// The columns an expression can name.
#[derive(Clone, Debug)]
pub struct Scope {
    pub names: Vec<String>,
    pub types: Vec<SqlType>,
    /// Names the source can be qualified with (`t.col`), lower case.
    pub qualifiers: Vec<String>,
    /// Hidden fields: left out of `*`, but still named explicitly.
    pub hidden: Vec<bool>,
}

impl Scope {
    pub fn find(&self, name: &str) -> Option<usize> {
        self.names
            .iter()
            .position(|n| n == name)
            .or_else(|| self.names.iter().position(|n| n.eq_ignore_ascii_case(name)))
    }
}

pub fn position_of(node: &impl Spanned) -> Option<Position> {
    let start = node.span().start;
    (start.line > 0).then_some(Position {
        line: start.line,
        column: start.column,
    })
}

/// How names and aggregate calls are resolved.
pub enum Mode<'a> {
    /// Row by row over the source: no aggregates (WHERE, plain SELECT).
    Rows { clause: &'static str },
    /// Over the groups of an aggregate query: group keys and aggregate
    /// results are the columns of the frame.
    Groups {
        keys: &'a [Expr],
        aggs: &'a mut Vec<AggCall>,
        source: &'a Scope,
    },
}

pub struct Binder<'a> {
    pub scope: &'a Scope,
    pub mode: Mode<'a>,
}

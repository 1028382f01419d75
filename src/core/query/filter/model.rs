//! The builder's tree: conditions (`column op values`, each maybe negated)
//! grouped with AND/OR, the operators a column's type offers, and whether a
//! condition is complete enough to write.

use serde::{Deserialize, Serialize};

use crate::data::table::ColumnType;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Join {
    And,
    Or,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FilterOp {
    Eq,
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
    Between,
    In,
    NotIn,
    Like,
    IsNull,
    IsNotNull,
}

impl FilterOp {
    pub const ALL: [FilterOp; 12] = [
        FilterOp::Eq,
        FilterOp::NotEq,
        FilterOp::Lt,
        FilterOp::LtEq,
        FilterOp::Gt,
        FilterOp::GtEq,
        FilterOp::Between,
        FilterOp::In,
        FilterOp::NotIn,
        FilterOp::Like,
        FilterOp::IsNull,
        FilterOp::IsNotNull,
    ];

    /// What the operator is called in SQL (and in the builder's menu).
    pub fn label(self) -> &'static str {
        match self {
            FilterOp::Eq => "=",
            FilterOp::NotEq => "<>",
            FilterOp::Lt => "<",
            FilterOp::LtEq => "<=",
            FilterOp::Gt => ">",
            FilterOp::GtEq => ">=",
            FilterOp::Between => "between",
            FilterOp::In => "in",
            FilterOp::NotIn => "not in",
            FilterOp::Like => "like",
            FilterOp::IsNull => "is null",
            FilterOp::IsNotNull => "is not null",
        }
    }

    pub fn parse(label: &str) -> Option<FilterOp> {
        FilterOp::ALL.into_iter().find(|o| o.label() == label)
    }

    /// Operators that make sense for a column of this type.
    pub fn for_type(ty: ColumnType) -> Vec<FilterOp> {
        use FilterOp::*;
        match ty {
            ColumnType::Integer | ColumnType::Float => vec![
                Eq, NotEq, Lt, LtEq, Gt, GtEq, Between, In, NotIn, IsNull, IsNotNull,
            ],
            ColumnType::Categorical | ColumnType::Text => {
                vec![Eq, NotEq, In, NotIn, Like, IsNull, IsNotNull]
            }
            ColumnType::Boolean => vec![Eq, NotEq, IsNull, IsNotNull],
        }
    }

    /// How many values the operator takes (`None`: one or more).
    pub fn arity(self) -> Option<usize> {
        match self {
            FilterOp::IsNull | FilterOp::IsNotNull => Some(0),
            FilterOp::Between => Some(2),
            FilterOp::In | FilterOp::NotIn => None,
            _ => Some(1),
        }
    }
}

/// One `column op value(s)` test.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    pub column: String,
    pub op: FilterOp,
    /// Values as the user typed or picked them; numbers are written bare.
    pub values: Vec<String>,
    pub negated: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FilterNode {
    Condition(Condition),
    Group {
        join: Join,
        negated: bool,
        children: Vec<FilterNode>,
    },
}

impl FilterNode {
    pub fn empty() -> FilterNode {
        FilterNode::Group {
            join: Join::And,
            negated: false,
            children: Vec::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, FilterNode::Group { children, .. } if children.iter().all(FilterNode::is_empty))
    }
}

/// Whether a condition has every value its operator needs.
pub fn is_complete(c: &Condition) -> bool {
    let filled = c.values.iter().filter(|v| !v.trim().is_empty()).count();
    match c.op.arity() {
        Some(n) => filled >= n,
        None => filled >= 1,
    }
}

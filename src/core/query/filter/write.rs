//! The tree written as SQL: the WHERE condition for a filter tree, with
//! names quoted where needed, numbers bare and text quoted.

use crate::data::table::ColumnType;

use super::model::{is_complete, Condition, FilterNode, FilterOp, Join};

/// A column name as SQL: bare when it is a plain word, quoted otherwise.
pub fn quote_ident(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

fn quote_text(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

fn literal(value: &str, numeric: bool) -> String {
    if numeric && value.trim().parse::<f64>().is_ok() {
        value.trim().to_owned()
    } else if matches!(value, "true" | "false") && !numeric {
        value.to_owned()
    } else {
        quote_text(value)
    }
}

/// The SQL for a condition; `numeric` says whether values are numbers.
fn condition_sql(c: &Condition, numeric: bool, boolean: bool) -> String {
    let col = quote_ident(&c.column);
    let v = |i: usize| {
        let raw = c.values.get(i).map(String::as_str).unwrap_or("");
        if boolean && matches!(raw, "true" | "false") {
            raw.to_owned()
        } else {
            literal(raw, numeric)
        }
    };
    let sql = match c.op {
        FilterOp::IsNull => format!("{col} IS NULL"),
        FilterOp::IsNotNull => format!("{col} IS NOT NULL"),
        FilterOp::Between => format!("{col} BETWEEN {} AND {}", v(0), v(1)),
        FilterOp::In | FilterOp::NotIn => {
            let list: Vec<String> = (0..c.values.len().max(1)).map(v).collect();
            format!(
                "{col} {} ({})",
                if c.op == FilterOp::In { "IN" } else { "NOT IN" },
                list.join(", ")
            )
        }
        FilterOp::Like => format!(
            "{col} LIKE {}",
            quote_text(c.values.first().map(String::as_str).unwrap_or(""))
        ),
        op => format!("{col} {} {}", op.label(), v(0)),
    };
    if c.negated {
        format!("NOT ({sql})")
    } else {
        sql
    }
}

/// The WHERE clause for `node` (empty when there is nothing to filter).
/// `type_of` gives a column's type, to write numbers bare and text quoted.
pub fn to_sql(node: &FilterNode, type_of: &dyn Fn(&str) -> Option<ColumnType>) -> String {
    fn go(node: &FilterNode, type_of: &dyn Fn(&str) -> Option<ColumnType>, nested: bool) -> String {
        match node {
            FilterNode::Condition(c) if !is_complete(c) => String::new(),
            FilterNode::Condition(c) => {
                let ty = type_of(&c.column);
                condition_sql(
                    c,
                    ty.is_some_and(ColumnType::is_numeric),
                    ty == Some(ColumnType::Boolean),
                )
            }
            FilterNode::Group {
                join,
                negated,
                children,
            } => {
                let parts: Vec<String> = children
                    .iter()
                    .filter(|c| !c.is_empty())
                    .map(|c| go(c, type_of, true))
                    .filter(|p| !p.is_empty())
                    .collect();
                if parts.is_empty() {
                    return String::new();
                }
                let sep = if *join == Join::And { " AND " } else { " OR " };
                let body = parts.join(sep);
                if *negated {
                    format!("NOT ({body})")
                } else if nested && parts.len() > 1 {
                    format!("({body})")
                } else {
                    body
                }
            }
        }
    }
    go(node, type_of, false)
}

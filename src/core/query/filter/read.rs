//! The tree read back from SQL: a WHERE condition parsed into the builder's
//! tree when it has the builder's shape, or why it does not.

use sqlparser::ast::{self, BinaryOperator, UnaryOperator, Value};
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::Parser;

use super::model::{Condition, FilterNode, FilterOp, Join};

/// Why a WHERE clause cannot be shown in the builder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotRepresentable(pub String);

fn value_text(e: &ast::Expr) -> Option<String> {
    match e {
        ast::Expr::Value(v) => match &v.value {
            Value::Number(n, _) => Some(n.clone()),
            Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => Some(s.clone()),
            Value::Boolean(b) => Some(b.to_string()),
            _ => None,
        },
        ast::Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => value_text(expr).map(|v| format!("-{v}")),
        // The workshop's "1": a quoted word that is not a column is a value.
        ast::Expr::Identifier(i) if i.quote_style == Some('"') => Some(i.value.clone()),
        _ => None,
    }
}

fn column_name(e: &ast::Expr, columns: &[String]) -> Option<String> {
    let name = match e {
        ast::Expr::Identifier(i) => &i.value,
        ast::Expr::CompoundIdentifier(parts) => &parts.last()?.value,
        _ => return None,
    };
    columns
        .iter()
        .find(|c| c.eq_ignore_ascii_case(name))
        .cloned()
}

fn flip(op: FilterOp) -> FilterOp {
    match op {
        FilterOp::Lt => FilterOp::Gt,
        FilterOp::LtEq => FilterOp::GtEq,
        FilterOp::Gt => FilterOp::Lt,
        FilterOp::GtEq => FilterOp::LtEq,
        other => other,
    }
}

fn from_expr(e: &ast::Expr, columns: &[String]) -> Result<FilterNode, NotRepresentable> {
    let no = |why: &str| Err(NotRepresentable(why.to_owned()));
    match e {
        ast::Expr::Nested(inner) => from_expr(inner, columns),
        ast::Expr::BinaryOp {
            left,
            op: op @ (BinaryOperator::And | BinaryOperator::Or),
            right,
        } => {
            let join = if *op == BinaryOperator::And {
                Join::And
            } else {
                Join::Or
            };
            let mut children = Vec::new();
            for side in [left, right] {
                match from_expr(side, columns)? {
                    // a AND b AND c arrives as (a AND b) AND c: flatten it.
                    FilterNode::Group {
                        join: j,
                        negated: false,
                        children: c,
                    } if j == join && !matches!(side.as_ref(), ast::Expr::Nested(_)) => {
                        children.extend(c)
                    }
                    other => children.push(other),
                }
            }
            Ok(FilterNode::Group {
                join,
                negated: false,
                children,
            })
        }
        ast::Expr::UnaryOp {
            op: UnaryOperator::Not,
            expr,
        } => match from_expr(expr, columns)? {
            FilterNode::Group {
                join,
                negated,
                children,
            } => Ok(FilterNode::Group {
                join,
                negated: !negated,
                children,
            }),
            FilterNode::Condition(mut c) => {
                c.negated = !c.negated;
                Ok(FilterNode::Condition(c))
            }
        },
        ast::Expr::BinaryOp { left, op, right } => {
            let op = match op {
                BinaryOperator::Eq => FilterOp::Eq,
                BinaryOperator::NotEq => FilterOp::NotEq,
                BinaryOperator::Lt => FilterOp::Lt,
                BinaryOperator::LtEq => FilterOp::LtEq,
                BinaryOperator::Gt => FilterOp::Gt,
                BinaryOperator::GtEq => FilterOp::GtEq,
                _ => return no("only comparisons, AND, OR and NOT fit the builder"),
            };
            let (column, value, op) = match (column_name(left, columns), value_text(right)) {
                (Some(c), Some(v)) => (c, v, op),
                _ => match (column_name(right, columns), value_text(left)) {
                    (Some(c), Some(v)) => (c, v, flip(op)),
                    _ => return no("the builder compares a column with a value"),
                },
            };
            Ok(FilterNode::Condition(Condition {
                column,
                op,
                values: vec![value],
                negated: false,
            }))
        }
        ast::Expr::IsNull(inner) | ast::Expr::IsNotNull(inner) => {
            let column = column_name(inner, columns)
                .ok_or_else(|| NotRepresentable("IS NULL needs a column".into()))?;
            let op = if matches!(e, ast::Expr::IsNull(_)) {
                FilterOp::IsNull
            } else {
                FilterOp::IsNotNull
            };
            Ok(FilterNode::Condition(Condition {
                column,
                op,
                values: Vec::new(),
                negated: false,
            }))
        }
        ast::Expr::Between {
            expr,
            negated,
            low,
            high,
        } => {
            let column = column_name(expr, columns)
                .ok_or_else(|| NotRepresentable("BETWEEN needs a column".into()))?;
            let values = vec![
                value_text(low).ok_or_else(|| NotRepresentable("BETWEEN needs values".into()))?,
                value_text(high).ok_or_else(|| NotRepresentable("BETWEEN needs values".into()))?,
            ];
            Ok(FilterNode::Condition(Condition {
                column,
                op: FilterOp::Between,
                values,
                negated: *negated,
            }))
        }
        ast::Expr::In {
            expr,
            target: ast::InTarget::List(list),
            negated,
            ..
        } => {
            let column = column_name(expr, columns)
                .ok_or_else(|| NotRepresentable("IN needs a column".into()))?;
            let values = list
                .iter()
                .map(value_text)
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| NotRepresentable("IN needs a list of values".into()))?;
            let op = if *negated {
                FilterOp::NotIn
            } else {
                FilterOp::In
            };
            Ok(FilterNode::Condition(Condition {
                column,
                op,
                values,
                negated: false,
            }))
        }
        ast::Expr::Like {
            negated,
            expr,
            pattern,
            escape_char: None,
            any: false,
        } => {
            let column = column_name(expr, columns)
                .ok_or_else(|| NotRepresentable("LIKE needs a column".into()))?;
            let value = value_text(pattern)
                .ok_or_else(|| NotRepresentable("LIKE needs a pattern".into()))?;
            Ok(FilterNode::Condition(Condition {
                column,
                op: FilterOp::Like,
                values: vec![value],
                negated: *negated,
            }))
        }
        _ => no("this condition can be edited only as SQL"),
    }
}

/// The builder's tree for a WHERE clause, when it has the builder's shape.
pub fn from_sql(clause: &str, columns: &[String]) -> Result<FilterNode, NotRepresentable> {
    if clause.trim().is_empty() {
        return Ok(FilterNode::empty());
    }
    let expr = Parser::new(&GenericDialect {})
        .try_with_sql(clause)
        .and_then(|mut p| p.parse_expr())
        .map_err(|_| NotRepresentable("the WHERE clause does not parse".into()))?;
    match from_expr(&expr, columns)? {
        group @ FilterNode::Group { .. } => Ok(group),
        condition => Ok(FilterNode::Group {
            join: Join::And,
            negated: false,
            children: vec![condition],
        }),
    }
}

//! Scans of the unbound AST that need no scope: whether an expression
//! calls an aggregate anywhere, which decides how a SELECT is planned.

use sqlparser::ast;

use crate::query::engine::aggregate::AggFn;

/// Whether an AST expression calls an aggregate function anywhere.
pub fn has_aggregate(e: &ast::Expr) -> bool {
    match e {
        ast::Expr::Function(f) => {
            AggFn::from_name(&f.name.to_string()).is_some()
                || function_args(f).iter().any(|a| has_aggregate(a))
        }
        ast::Expr::BinaryOp { left, right, .. } => has_aggregate(left) || has_aggregate(right),
        ast::Expr::UnaryOp { expr, .. }
        | ast::Expr::Nested(expr)
        | ast::Expr::IsNull(expr)
        | ast::Expr::IsNotNull(expr)
        | ast::Expr::IsTrue(expr)
        | ast::Expr::IsFalse(expr)
        | ast::Expr::Cast { expr, .. } => has_aggregate(expr),
        ast::Expr::In {
            expr,
            target: ast::InTarget::List(list),
            ..
        } => has_aggregate(expr) || list.iter().any(has_aggregate),
        ast::Expr::Between {
            expr, low, high, ..
        } => has_aggregate(expr) || has_aggregate(low) || has_aggregate(high),
        ast::Expr::Like { expr, pattern, .. } | ast::Expr::ILike { expr, pattern, .. } => {
            has_aggregate(expr) || has_aggregate(pattern)
        }
        ast::Expr::Case {
            operand,
            conditions,
            else_result,
            ..
        } => {
            operand.as_deref().is_some_and(has_aggregate)
                || conditions
                    .iter()
                    .any(|c| has_aggregate(&c.condition) || has_aggregate(&c.result))
                || else_result.as_deref().is_some_and(has_aggregate)
        }
        _ => false,
    }
}

fn function_args(f: &ast::Function) -> Vec<&ast::Expr> {
    match &f.args {
        ast::FunctionArguments::List(list) => list
            .args
            .iter()
            .filter_map(|a| match a {
                ast::FunctionArg::Unnamed(ast::FunctionArgExpr::Expr(e)) => Some(e),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

//! Binding function calls: the scalar functions (ROUND, ABS, LOWER, UPPER,
//! TRIM, LENGTH, COALESCE) and aggregates, which over groups become
//! columns of the grouped frame.

use sqlparser::ast;

use crate::query::engine::aggregate::{AggCall, AggFn};
use crate::query::engine::error::{Position, SqlError};
use crate::query::engine::expr::Expr;
use crate::query::engine::functions::ScalarFn;
use crate::query::engine::parse::{call_args, CallArgs, CallArgsError};
use crate::query::engine::value::{Scalar, SqlType};

use super::scope::{position_of, Binder, Mode};
use super::typing::common_type_at;

impl<'a> Binder<'a> {
    pub(super) fn function(
        &mut self,
        f: &ast::Function,
        at: Option<Position>,
    ) -> Result<(Expr, SqlType), SqlError> {
        let name = f.name.to_string();
        if f.over.is_some() {
            return Err(SqlError::at(
                "window functions (OVER) are not supported",
                at,
            ));
        }
        let CallArgs {
            args,
            distinct,
            star,
            ..
        } = call_args(f).map_err(|e| match e {
            CallArgsError::Subquery => SqlError::at("subqueries are only supported in FROM", at),
            CallArgsError::Unsupported => {
                SqlError::at(format!("unsupported argument in {name}"), at)
            }
        })?;
        if let Some(func) = AggFn::from_name(&name) {
            return self.aggregate(func, &name, &args, distinct, star, f.filter.as_deref(), at);
        }
        if f.filter.is_some() || distinct {
            return Err(SqlError::at(
                format!("{name} is not an aggregate; FILTER and DISTINCT do not apply"),
                at,
            ));
        }
        let upper = name.to_ascii_uppercase();
        let arity = |n: usize| -> Result<(), SqlError> {
            if args.len() == n {
                Ok(())
            } else {
                Err(SqlError::at(
                    format!(
                        "{upper} takes {n} argument{}",
                        if n == 1 { "" } else { "s" }
                    ),
                    at,
                ))
            }
        };
        match upper.as_str() {
            "ROUND" => {
                if args.is_empty() || args.len() > 2 {
                    return Err(SqlError::at("ROUND takes a number and optionally a count of decimals", at));
                }
                let (x, t) = self.bind(args[0])?;
                if !t.is_numeric() {
                    return Err(SqlError::at(format!("ROUND needs a number, not {}", t.name()), at));
                }
                let digits = match args.get(1) {
                    None => 0,
                    Some(d) => match self.bind(d)?.0 {
                        Expr::Literal(Scalar::Int(n)) if n.abs() <= 30 => n as i32,
                        _ => return Err(SqlError::at("ROUND's decimals must be a whole number", position_of(*d))),
                    },
                };
                Ok((Expr::Round { expr: Box::new(x), digits }, t))
            }
            "ABS" => {
                arity(1)?;
                let (x, t) = self.bind(args[0])?;
                if !t.is_numeric() {
                    return Err(SqlError::at("ABS needs a number", at));
                }
                Ok((Expr::Func { func: ScalarFn::Abs, args: vec![x], ty: t }, t))
            }
            "LOWER" | "UPPER" | "TRIM" | "LENGTH" => {
                arity(1)?;
                let (x, t) = self.bind(args[0])?;
                if t != SqlType::Text {
                    return Err(SqlError::at(format!("{upper} needs text, not {}", t.name()), at));
                }
                let (func, ty) = match upper.as_str() {
                    "LOWER" => (ScalarFn::Lower, SqlType::Text),
                    "UPPER" => (ScalarFn::Upper, SqlType::Text),
                    "TRIM" => (ScalarFn::Trim, SqlType::Text),
                    _ => (ScalarFn::Length, SqlType::Integer),
                };
                Ok((Expr::Func { func, args: vec![x], ty }, ty))
            }
            "COALESCE" => {
                if args.is_empty() {
                    return Err(SqlError::at("COALESCE needs at least one argument", at));
                }
                let mut bound = Vec::new();
                let mut types = Vec::new();
                for a in &args {
                    let (x, t) = self.bind(a)?;
                    if !matches!(x, Expr::Literal(Scalar::Null)) {
                        types.push(t);
                    }
                    bound.push(x);
                }
                let ty = common_type_at(&types, at)?;
                Ok((Expr::Func { func: ScalarFn::Coalesce, args: bound, ty }, ty))
            }
            _ => Err(SqlError::at(
                format!(
                    "unknown function {name}; available: COUNT, SUM, AVG, MIN, MAX, ROUND, ABS, LOWER, UPPER, TRIM, LENGTH, COALESCE, CAST"
                ),
                at,
            )),
        }
    }

    // The parts of the parsed call, taken apart by the caller's match.
    #[allow(clippy::too_many_arguments)]
    fn aggregate(
        &mut self,
        func: AggFn,
        name: &str,
        args: &[&ast::Expr],
        distinct: bool,
        star: bool,
        filter: Option<&ast::Expr>,
        at: Option<Position>,
    ) -> Result<(Expr, SqlType), SqlError> {
        let Mode::Groups { aggs, source, .. } = &mut self.mode else {
            let clause = match &self.mode {
                Mode::Rows { clause } => *clause,
                Mode::Groups { .. } => "",
            };
            return Err(SqlError::at(
                format!("aggregates such as {name} are not allowed in {clause}"),
                at,
            ));
        };
        let mut rows = Binder {
            scope: source,
            mode: Mode::Rows {
                clause: "an aggregate's argument",
            },
        };
        let (func, arg, arg_type) = match (func, star, args) {
            (AggFn::Count, true, []) => (AggFn::CountStar, None, SqlType::Integer),
            (_, false, [a]) => {
                let (x, t) = rows.bind(a)?;
                if matches!(func, AggFn::Sum | AggFn::Avg) && !t.is_numeric() {
                    return Err(SqlError::at(
                        format!("{} needs numbers, not {}", name.to_uppercase(), t.name()),
                        at,
                    ));
                }
                (func, Some(x), t)
            }
            _ => {
                return Err(SqlError::at(
                    format!("{} takes one argument", name.to_uppercase()),
                    at,
                ))
            }
        };
        if distinct && func != AggFn::Count {
            return Err(SqlError::at("DISTINCT is only supported in COUNT", at));
        }
        let filter = match filter {
            Some(f) => {
                let (x, t) = rows.bind(f)?;
                Some(rows.boolean(x, t, position_of(f))?)
            }
            None => None,
        };
        let call = AggCall {
            func,
            arg,
            arg_type,
            distinct,
            filter,
        };
        let ty = call.result_type();
        let index = match aggs.iter().position(|c| *c == call) {
            Some(i) => i,
            None => {
                aggs.push(call);
                aggs.len() - 1
            }
        };
        let keys = match &self.mode {
            Mode::Groups { keys, .. } => keys.len(),
            Mode::Rows { .. } => 0,
        };
        Ok((Expr::Column(keys + index), ty))
    }
}

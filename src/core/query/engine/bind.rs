//! Binding: sqlparser's AST to typed expressions over a frame's columns.
//!
//! Names are matched without regard to case, as in Impala and Hive. A
//! double-quoted name that is not a column is read as a string, so the
//! workshop's `seniorcitizen = "1"` works; a quoted string compared with a
//! number is read as that number.
//!
//! Split by layer: `scope` (what names resolve against), `scan` (AST scans
//! such as [`has_aggregate`]), `typing` (literals, coercion, common types)
//! and `calls` (functions and aggregates); this module binds everything
//! else: names, operators, predicates, CASE and CAST.

mod calls;
mod scan;
mod scope;
mod typing;

pub use scan::has_aggregate;
pub use scope::{position_of, Binder, Mode, Scope};
pub use typing::common_type;

use sqlparser::ast::{self, BinaryOperator, UnaryOperator, Value};

use super::error::{closest, Position, SqlError};
use super::expr::{ArithOp, CmpOp, Expr, LikePattern};
use super::value::{Scalar, SqlType};
use typing::{
    coerce_literal, common_type_at, literal, sql_type, type_of_scalar, unify_for_compare,
};

impl<'a> Binder<'a> {
    /// Binds `e`, returning the expression and its type.
    pub fn bind(&mut self, e: &ast::Expr) -> Result<(Expr, SqlType), SqlError> {
        let at = position_of(e);
        // Over groups, a whole sub-expression may be a group key.
        if let Mode::Groups { keys, source, .. } = &self.mode {
            if !has_aggregate(e) {
                let mut rows = Binder {
                    scope: source,
                    mode: Mode::Rows { clause: "GROUP BY" },
                };
                if let Ok((bound, ty)) = rows.bind(e) {
                    if let Some(k) = keys.iter().position(|k| *k == bound) {
                        return Ok((Expr::Column(k), self.scope.types[k]));
                    }
                    if matches!(bound, Expr::Literal(_)) {
                        return Ok((bound, ty));
                    }
                }
            }
        }
        match e {
            ast::Expr::Identifier(ident) => self.column(ident, None),
            ast::Expr::CompoundIdentifier(parts) => match parts.as_slice() {
                [table, col] => self.column(col, Some(table)),
                [.., schema, table, col] => {
                    let _ = schema;
                    self.column(col, Some(table))
                }
                _ => Err(SqlError::at(format!("cannot read the name {e}"), at)),
            },
            ast::Expr::Value(v) => {
                let s = literal(&v.value, at)?;
                let t = type_of_scalar(&s);
                Ok((Expr::Literal(s), t))
            }
            ast::Expr::Nested(inner) => self.bind(inner),
            ast::Expr::UnaryOp { op, expr } => {
                let (inner, t) = self.bind(expr)?;
                match op {
                    UnaryOperator::Not => Ok((
                        Expr::Not(Box::new(self.boolean(inner, t, at)?)),
                        SqlType::Boolean,
                    )),
                    UnaryOperator::Minus if t.is_numeric() => Ok((
                        match inner {
                            // Fold -2 into a literal, so ROUND(x, -2) and the like see a constant.
                            Expr::Literal(Scalar::Int(v)) if v != i64::MIN => {
                                Expr::Literal(Scalar::Int(-v))
                            }
                            Expr::Literal(Scalar::Float(v)) => Expr::Literal(Scalar::Float(-v)),
                            other => Expr::Neg(Box::new(other)),
                        },
                        t,
                    )),
                    UnaryOperator::Plus if t.is_numeric() => Ok((inner, t)),
                    _ => Err(SqlError::at(
                        format!("{op} does not apply to {}", t.name()),
                        at,
                    )),
                }
            }
            ast::Expr::BinaryOp { left, op, right } => self.binary(left, op, right, at),
            ast::Expr::IsNull(inner) | ast::Expr::IsNotNull(inner) => {
                let (x, _) = self.bind(inner)?;
                Ok((
                    Expr::IsNull {
                        expr: Box::new(x),
                        negated: matches!(e, ast::Expr::IsNotNull(_)),
                    },
                    SqlType::Boolean,
                ))
            }
            ast::Expr::IsTrue(inner) | ast::Expr::IsFalse(inner) => {
                let (x, t) = self.bind(inner)?;
                let x = self.boolean(x, t, at)?;
                let want = Expr::Literal(Scalar::Bool(matches!(e, ast::Expr::IsTrue(_))));
                // IS TRUE is never NULL.
                let cmp = Expr::Cmp {
                    op: CmpOp::Eq,
                    left: Box::new(x.clone()),
                    right: Box::new(want),
                };
                let not_null = Expr::IsNull {
                    expr: Box::new(x),
                    negated: true,
                };
                Ok((
                    Expr::And(Box::new(not_null), Box::new(cmp)),
                    SqlType::Boolean,
                ))
            }
            ast::Expr::In {
                target: ast::InTarget::List(_),
                global: true,
                ..
            } => Err(SqlError::at("GLOBAL IN is not supported", at)),
            ast::Expr::In {
                expr,
                target: ast::InTarget::List(list),
                negated,
                ..
            } => {
                let (x, t) = self.bind(expr)?;
                let mut items = Vec::with_capacity(list.len());
                for item in list {
                    let (i, it) = self.bind(item)?;
                    let (_, i) = unify_for_compare((x.clone(), t), (i, it), position_of(item))?;
                    items.push(i);
                }
                Ok((
                    Expr::InList {
                        expr: Box::new(x),
                        list: items,
                        negated: *negated,
                    },
                    SqlType::Boolean,
                ))
            }
            ast::Expr::Between {
                expr,
                negated,
                low,
                high,
            } => {
                let x = self.bind(expr)?;
                let (xl, lo) =
                    unify_for_compare(x.clone(), self.bind(low)?, position_of(low.as_ref()))?;
                let (xh, hi) = unify_for_compare(x, self.bind(high)?, position_of(high.as_ref()))?;
                let ge = Expr::Cmp {
                    op: CmpOp::GtEq,
                    left: Box::new(xl),
                    right: Box::new(lo),
                };
                let le = Expr::Cmp {
                    op: CmpOp::LtEq,
                    left: Box::new(xh),
                    right: Box::new(hi),
                };
                let both = Expr::And(Box::new(ge), Box::new(le));
                Ok((
                    if *negated {
                        Expr::Not(Box::new(both))
                    } else {
                        both
                    },
                    SqlType::Boolean,
                ))
            }
            ast::Expr::Like {
                negated,
                expr,
                pattern,
                escape_char,
                any,
                ..
            }
            | ast::Expr::ILike {
                negated,
                expr,
                pattern,
                escape_char,
                any,
                ..
            } => {
                if *any {
                    return Err(SqlError::at("LIKE ANY is not supported", at));
                }
                let (x, t) = self.bind(expr)?;
                if t != SqlType::Text {
                    return Err(SqlError::at(
                        format!("LIKE needs text, not {}", t.name()),
                        at,
                    ));
                }
                let (p, _) = self.bind(pattern)?;
                let Expr::Literal(Scalar::Text(p)) = p else {
                    return Err(SqlError::at(
                        "LIKE needs a quoted pattern such as 'Fib%'",
                        position_of(pattern.as_ref()),
                    ));
                };
                let escape = match escape_char.as_deref() {
                    Some(ast::Expr::Value(v)) => match &v.value {
                        Value::SingleQuotedString(s) => s.chars().next(),
                        _ => None,
                    },
                    _ => None,
                };
                let pattern = LikePattern::new(&p, escape, matches!(e, ast::Expr::ILike { .. }));
                Ok((
                    Expr::Like {
                        expr: Box::new(x),
                        pattern,
                        negated: *negated,
                    },
                    SqlType::Boolean,
                ))
            }
            ast::Expr::Case {
                operand,
                conditions,
                else_result,
                ..
            } => {
                let operand = operand.as_deref().map(|o| self.bind(o)).transpose()?;
                let mut whens = Vec::with_capacity(conditions.len());
                let mut types = Vec::with_capacity(conditions.len() + 1);
                for c in conditions {
                    let (cond, ct) = self.bind(&c.condition)?;
                    let cond = match &operand {
                        Some(o) => {
                            let (l, r) = unify_for_compare(
                                o.clone(),
                                (cond, ct),
                                position_of(&c.condition),
                            )?;
                            Expr::Cmp {
                                op: CmpOp::Eq,
                                left: Box::new(l),
                                right: Box::new(r),
                            }
                        }
                        None => self.boolean(cond, ct, position_of(&c.condition))?,
                    };
                    let (value, vt) = self.bind(&c.result)?;
                    if !matches!(value, Expr::Literal(Scalar::Null)) {
                        types.push(vt);
                    }
                    whens.push((cond, value));
                }
                let otherwise = match else_result {
                    Some(e) => {
                        let (v, vt) = self.bind(e)?;
                        if !matches!(v, Expr::Literal(Scalar::Null)) {
                            types.push(vt);
                        }
                        Some(Box::new(v))
                    }
                    None => None,
                };
                let ty = common_type_at(&types, at)?;
                Ok((
                    Expr::Case {
                        whens,
                        otherwise,
                        ty,
                    },
                    ty,
                ))
            }
            ast::Expr::Cast {
                kind,
                expr,
                data_type,
                ..
            } => {
                let (x, _) = self.bind(expr)?;
                let to = sql_type(data_type, at)?;
                let fallible = !matches!(kind, ast::CastKind::TryCast | ast::CastKind::SafeCast);
                Ok((
                    Expr::Cast {
                        expr: Box::new(x),
                        to,
                        fallible,
                    },
                    to,
                ))
            }
            ast::Expr::Function(f) => self.function(f, at),
            ast::Expr::Subquery(_) | ast::Expr::In { .. } | ast::Expr::Exists { .. } => {
                Err(SqlError::at("subqueries are only supported in FROM", at))
            }
            other => Err(SqlError::at(
                format!("this kind of expression is not supported: {other}"),
                at,
            )),
        }
    }

    fn boolean(&self, e: Expr, t: SqlType, at: Option<Position>) -> Result<Expr, SqlError> {
        if t == SqlType::Boolean || matches!(e, Expr::Literal(Scalar::Null)) {
            Ok(e)
        } else {
            Err(SqlError::at(
                format!("expected a condition (BOOLEAN) but this is {}", t.name()),
                at,
            ))
        }
    }

    fn column(
        &mut self,
        ident: &ast::Ident,
        table: Option<&ast::Ident>,
    ) -> Result<(Expr, SqlType), SqlError> {
        let at = Some(Position {
            line: ident.span.start.line,
            column: ident.span.start.column,
        })
        .filter(|p| p.line > 0);
        if let Some(t) = table {
            let q = t.value.to_lowercase();
            if !self.scope.qualifiers.contains(&q) {
                return Err(
                    SqlError::at(format!("there is no table \"{}\" in FROM", t.value), at)
                        .with_suggestions(self.scope.qualifiers.clone()),
                );
            }
        }
        if let Some(i) = self.scope.find(&ident.value) {
            return Ok((Expr::Column(i), self.scope.types[i]));
        }
        if let Mode::Groups { source, .. } = &self.mode {
            if source.find(&ident.value).is_some() {
                return Err(SqlError::at(
                    format!("column \"{}\" must be in GROUP BY or inside an aggregate such as COUNT or AVG", ident.value),
                    at,
                ));
            }
        }
        // Impala/Hive read "…" as a string where no column has that name.
        if ident.quote_style == Some('"') && table.is_none() {
            return Ok((
                Expr::Literal(Scalar::Text(ident.value.clone())),
                SqlType::Text,
            ));
        }
        let candidates = match &self.mode {
            Mode::Groups { source, .. } => source.names.clone(),
            Mode::Rows { .. } => self.scope.names.clone(),
        };
        Err(
            SqlError::at(format!("unknown column \"{}\"", ident.value), at)
                .with_suggestions(closest(&ident.value, candidates.iter().map(String::as_str))),
        )
    }

    fn binary(
        &mut self,
        left: &ast::Expr,
        op: &BinaryOperator,
        right: &ast::Expr,
        at: Option<Position>,
    ) -> Result<(Expr, SqlType), SqlError> {
        let l = self.bind(left)?;
        let r = self.bind(right)?;
        let cmp = |op: CmpOp| -> Result<(Expr, SqlType), SqlError> {
            let (l, r) = unify_for_compare(l.clone(), r.clone(), at)?;
            Ok((
                Expr::Cmp {
                    op,
                    left: Box::new(l),
                    right: Box::new(r),
                },
                SqlType::Boolean,
            ))
        };
        let arith = |op: ArithOp| -> Result<(Expr, SqlType), SqlError> {
            let number = |(e, t): (Expr, SqlType)| -> Result<(Expr, SqlType), SqlError> {
                if t.is_numeric() || matches!(e, Expr::Literal(Scalar::Null)) {
                    return Ok((e, t));
                }
                match coerce_literal(&e, SqlType::Float) {
                    Some(n @ Expr::Literal(Scalar::Int(_))) => Ok((n, SqlType::Integer)),
                    Some(n) => Ok((n, SqlType::Float)),
                    None => Err(SqlError::at(
                        format!("arithmetic needs numbers, not {}", t.name()),
                        at,
                    )),
                }
            };
            let ((l, lt), (r, rt)) = (number(l.clone())?, number(r.clone())?);
            let ty = if op == ArithOp::Div || lt == SqlType::Float || rt == SqlType::Float {
                SqlType::Float
            } else {
                SqlType::Integer
            };
            Ok((
                Expr::Arith {
                    op,
                    left: Box::new(l),
                    right: Box::new(r),
                    ty,
                },
                ty,
            ))
        };
        match op {
            BinaryOperator::Eq => cmp(CmpOp::Eq),
            BinaryOperator::NotEq => cmp(CmpOp::NotEq),
            BinaryOperator::Lt => cmp(CmpOp::Lt),
            BinaryOperator::LtEq => cmp(CmpOp::LtEq),
            BinaryOperator::Gt => cmp(CmpOp::Gt),
            BinaryOperator::GtEq => cmp(CmpOp::GtEq),
            BinaryOperator::Plus => arith(ArithOp::Add),
            BinaryOperator::Minus => arith(ArithOp::Sub),
            BinaryOperator::Multiply => arith(ArithOp::Mul),
            BinaryOperator::Divide => arith(ArithOp::Div),
            BinaryOperator::Modulo => arith(ArithOp::Mod),
            BinaryOperator::StringConcat => {
                Ok((Expr::Concat(Box::new(l.0), Box::new(r.0)), SqlType::Text))
            }
            BinaryOperator::And | BinaryOperator::Or => {
                let lb = self.boolean(l.0, l.1, position_of(left))?;
                let rb = self.boolean(r.0, r.1, position_of(right))?;
                let e = if *op == BinaryOperator::And {
                    Expr::And(Box::new(lb), Box::new(rb))
                } else {
                    Expr::Or(Box::new(lb), Box::new(rb))
                };
                Ok((e, SqlType::Boolean))
            }
            other => Err(SqlError::at(
                format!("the operator {other} is not supported"),
                at,
            )),
        }
    }
}

//! Binding: sqlparser's AST to typed expressions over a frame's columns.
//!
//! Names are matched without regard to case, as in Impala and Hive. A
//! double-quoted name that is not a column is read as a string, so the
//! workshop's `seniorcitizen = "1"` works; a quoted string compared with a
//! number is read as that number.

use sqlparser::ast::{self, BinaryOperator, Spanned, UnaryOperator, Value};

use super::aggregate::{AggCall, AggFn};
use super::error::{closest, Position, SqlError};
use super::expr::{ArithOp, CmpOp, Expr, LikePattern};
use super::functions::ScalarFn;
use super::parse::{call_args, CallArgs, CallArgsError};
use super::value::{Scalar, SqlType};

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
        self.names.iter().position(|n| n == name).or_else(|| self.names.iter().position(|n| n.eq_ignore_ascii_case(name)))
    }
}

pub fn position_of(node: &impl Spanned) -> Option<Position> {
    let start = node.span().start;
    (start.line > 0).then_some(Position { line: start.line, column: start.column })
}

/// How names and aggregate calls are resolved.
pub enum Mode<'a> {
    /// Row by row over the source: no aggregates (WHERE, plain SELECT).
    Rows { clause: &'static str },
    /// Over the groups of an aggregate query: group keys and aggregate
    /// results are the columns of the frame.
    Groups { keys: &'a [Expr], aggs: &'a mut Vec<AggCall>, source: &'a Scope },
}

pub struct Binder<'a> {
    pub scope: &'a Scope,
    pub mode: Mode<'a>,
}

/// Whether an AST expression calls an aggregate function anywhere.
pub fn has_aggregate(e: &ast::Expr) -> bool {
    match e {
        ast::Expr::Function(f) => {
            AggFn::from_name(&f.name.to_string()).is_some() || function_args(f).iter().any(|a| has_aggregate(a))
        }
        ast::Expr::BinaryOp { left, right, .. } => has_aggregate(left) || has_aggregate(right),
        ast::Expr::UnaryOp { expr, .. }
        | ast::Expr::Nested(expr)
        | ast::Expr::IsNull(expr)
        | ast::Expr::IsNotNull(expr)
        | ast::Expr::IsTrue(expr)
        | ast::Expr::IsFalse(expr)
        | ast::Expr::Cast { expr, .. } => has_aggregate(expr),
        ast::Expr::In { expr, target: ast::InTarget::List(list), .. } => has_aggregate(expr) || list.iter().any(has_aggregate),
        ast::Expr::Between { expr, low, high, .. } => has_aggregate(expr) || has_aggregate(low) || has_aggregate(high),
        ast::Expr::Like { expr, pattern, .. } | ast::Expr::ILike { expr, pattern, .. } => {
            has_aggregate(expr) || has_aggregate(pattern)
        }
        ast::Expr::Case { operand, conditions, else_result, .. } => {
            operand.as_deref().is_some_and(has_aggregate)
                || conditions.iter().any(|c| has_aggregate(&c.condition) || has_aggregate(&c.result))
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

fn literal(value: &Value, at: Option<Position>) -> Result<Scalar, SqlError> {
    Ok(match value {
        Value::Number(n, _) => match n.parse::<i64>() {
            Ok(i) => Scalar::Int(i),
            Err(_) => Scalar::Float(n.parse::<f64>().map_err(|_| SqlError::at(format!("\"{n}\" is not a number"), at))?),
        },
        Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => Scalar::Text(s.clone()),
        Value::Boolean(b) => Scalar::Bool(*b),
        Value::Null => Scalar::Null,
        other => return Err(SqlError::at(format!("values like {other} are not supported"), at)),
    })
}

fn type_of_scalar(s: &Scalar) -> SqlType {
    match s {
        Scalar::Null | Scalar::Int(_) => SqlType::Integer,
        Scalar::Float(_) => SqlType::Float,
        Scalar::Bool(_) => SqlType::Boolean,
        Scalar::Text(_) => SqlType::Text,
    }
}

/// A text literal read as a value of `ty`, for comparisons like `tenure = '12'`.
fn coerce_literal(e: &Expr, to: SqlType) -> Option<Expr> {
    let Expr::Literal(Scalar::Text(s)) = e else { return None };
    let t = s.trim();
    let value = match to {
        SqlType::Integer | SqlType::Float => match t.parse::<i64>() {
            Ok(i) => Scalar::Int(i),
            Err(_) => Scalar::Float(t.parse::<f64>().ok()?),
        },
        SqlType::Boolean => Scalar::Bool(match t.to_ascii_lowercase().as_str() {
            "true" | "t" | "1" => true,
            "false" | "f" | "0" => false,
            _ => return None,
        }),
        SqlType::Text => return None,
    };
    Some(Expr::Literal(value))
}

/// Makes the two sides of a comparison comparable, or says why not.
fn unify_for_compare(
    (l, lt): (Expr, SqlType),
    (r, rt): (Expr, SqlType),
    at: Option<Position>,
) -> Result<(Expr, Expr), SqlError> {
    let null_literal = |e: &Expr| matches!(e, Expr::Literal(Scalar::Null));
    if lt == rt || (lt.is_numeric() && rt.is_numeric()) || null_literal(&l) || null_literal(&r) {
        return Ok((l, r));
    }
    if let Some(r2) = (rt == SqlType::Text).then(|| coerce_literal(&r, lt)).flatten() {
        return Ok((l, r2));
    }
    if let Some(l2) = (lt == SqlType::Text).then(|| coerce_literal(&l, rt)).flatten() {
        return Ok((l2, r));
    }
    if let (SqlType::Boolean, Expr::Literal(Scalar::Int(i @ (0 | 1)))) = (lt, &r) {
        return Ok((l, Expr::Literal(Scalar::Bool(*i == 1))));
    }
    Err(SqlError::at(format!("cannot compare {} with {}", lt.name(), rt.name()), at))
}

/// The type a CASE, COALESCE or IN list of `types` has (numbers widen to
/// Float), or the first two that do not mix.
pub fn common_type(types: &[SqlType]) -> Result<SqlType, (SqlType, SqlType)> {
    let mut out: Option<SqlType> = None;
    for &t in types {
        out = Some(match out {
            None => t,
            Some(o) if o == t => o,
            Some(o) if o.is_numeric() && t.is_numeric() => SqlType::Float,
            Some(o) => return Err((o, t)),
        });
    }
    Ok(out.unwrap_or(SqlType::Integer))
}

fn common_type_at(types: &[SqlType], at: Option<Position>) -> Result<SqlType, SqlError> {
    common_type(types).map_err(|(a, b)| SqlError::at(format!("mixes {} and {}; CAST one of them", a.name(), b.name()), at))
}

fn sql_type(dt: &ast::DataType, at: Option<Position>) -> Result<SqlType, SqlError> {
    let name = dt.to_string().to_ascii_uppercase();
    let base = name.split('(').next().unwrap_or("").trim();
    Ok(match base {
        "INT" | "INTEGER" | "BIGINT" | "SMALLINT" | "TINYINT" | "INT64" | "INT32" | "HUGEINT" | "LONG" => SqlType::Integer,
        "DOUBLE" | "FLOAT" | "REAL" | "DECIMAL" | "NUMERIC" | "DOUBLE PRECISION" | "FLOAT64" => SqlType::Float,
        "BOOLEAN" | "BOOL" => SqlType::Boolean,
        "VARCHAR" | "TEXT" | "STRING" | "CHAR" => SqlType::Text,
        _ => return Err(SqlError::at(format!("cannot CAST to {name}; use INTEGER, DOUBLE, BOOLEAN or VARCHAR"), at)),
    })
}

impl<'a> Binder<'a> {
    /// Binds `e`, returning the expression and its type.
    pub fn bind(&mut self, e: &ast::Expr) -> Result<(Expr, SqlType), SqlError> {
        let at = position_of(e);
        // Over groups, a whole sub-expression may be a group key.
        if let Mode::Groups { keys, source, .. } = &self.mode {
            if !has_aggregate(e) {
                let mut rows = Binder { scope: source, mode: Mode::Rows { clause: "GROUP BY" } };
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
                    UnaryOperator::Not => Ok((Expr::Not(Box::new(self.boolean(inner, t, at)?)), SqlType::Boolean)),
                    UnaryOperator::Minus if t.is_numeric() => Ok((
                        match inner {
                            // Fold -2 into a literal, so ROUND(x, -2) and the like see a constant.
                            Expr::Literal(Scalar::Int(v)) if v != i64::MIN => Expr::Literal(Scalar::Int(-v)),
                            Expr::Literal(Scalar::Float(v)) => Expr::Literal(Scalar::Float(-v)),
                            other => Expr::Neg(Box::new(other)),
                        },
                        t,
                    )),
                    UnaryOperator::Plus if t.is_numeric() => Ok((inner, t)),
                    _ => Err(SqlError::at(format!("{op} does not apply to {}", t.name()), at)),
                }
            }
            ast::Expr::BinaryOp { left, op, right } => self.binary(left, op, right, at),
            ast::Expr::IsNull(inner) | ast::Expr::IsNotNull(inner) => {
                let (x, _) = self.bind(inner)?;
                Ok((Expr::IsNull { expr: Box::new(x), negated: matches!(e, ast::Expr::IsNotNull(_)) }, SqlType::Boolean))
            }
            ast::Expr::IsTrue(inner) | ast::Expr::IsFalse(inner) => {
                let (x, t) = self.bind(inner)?;
                let x = self.boolean(x, t, at)?;
                let want = Expr::Literal(Scalar::Bool(matches!(e, ast::Expr::IsTrue(_))));
                // IS TRUE is never NULL.
                let cmp = Expr::Cmp { op: CmpOp::Eq, left: Box::new(x.clone()), right: Box::new(want) };
                let not_null = Expr::IsNull { expr: Box::new(x), negated: true };
                Ok((Expr::And(Box::new(not_null), Box::new(cmp)), SqlType::Boolean))
            }
            ast::Expr::In { target: ast::InTarget::List(_), global: true, .. } => Err(SqlError::at("GLOBAL IN is not supported", at)),
            ast::Expr::In { expr, target: ast::InTarget::List(list), negated, .. } => {
                let (x, t) = self.bind(expr)?;
                let mut items = Vec::with_capacity(list.len());
                for item in list {
                    let (i, it) = self.bind(item)?;
                    let (_, i) = unify_for_compare((x.clone(), t), (i, it), position_of(item))?;
                    items.push(i);
                }
                Ok((Expr::InList { expr: Box::new(x), list: items, negated: *negated }, SqlType::Boolean))
            }
            ast::Expr::Between { expr, negated, low, high } => {
                let x = self.bind(expr)?;
                let (xl, lo) = unify_for_compare(x.clone(), self.bind(low)?, position_of(low.as_ref()))?;
                let (xh, hi) = unify_for_compare(x, self.bind(high)?, position_of(high.as_ref()))?;
                let ge = Expr::Cmp { op: CmpOp::GtEq, left: Box::new(xl), right: Box::new(lo) };
                let le = Expr::Cmp { op: CmpOp::LtEq, left: Box::new(xh), right: Box::new(hi) };
                let both = Expr::And(Box::new(ge), Box::new(le));
                Ok((if *negated { Expr::Not(Box::new(both)) } else { both }, SqlType::Boolean))
            }
            ast::Expr::Like { negated, expr, pattern, escape_char, any, .. }
            | ast::Expr::ILike { negated, expr, pattern, escape_char, any, .. } => {
                if *any {
                    return Err(SqlError::at("LIKE ANY is not supported", at));
                }
                let (x, t) = self.bind(expr)?;
                if t != SqlType::Text {
                    return Err(SqlError::at(format!("LIKE needs text, not {}", t.name()), at));
                }
                let (p, _) = self.bind(pattern)?;
                let Expr::Literal(Scalar::Text(p)) = p else {
                    return Err(SqlError::at("LIKE needs a quoted pattern such as 'Fib%'", position_of(pattern.as_ref())));
                };
                let escape = match escape_char.as_deref() {
                    Some(ast::Expr::Value(v)) => match &v.value {
                        Value::SingleQuotedString(s) => s.chars().next(),
                        _ => None,
                    },
                    _ => None,
                };
                let pattern = LikePattern::new(&p, escape, matches!(e, ast::Expr::ILike { .. }));
                Ok((Expr::Like { expr: Box::new(x), pattern, negated: *negated }, SqlType::Boolean))
            }
            ast::Expr::Case { operand, conditions, else_result, .. } => {
                let operand = operand.as_deref().map(|o| self.bind(o)).transpose()?;
                let mut whens = Vec::with_capacity(conditions.len());
                let mut types = Vec::with_capacity(conditions.len() + 1);
                for c in conditions {
                    let (cond, ct) = self.bind(&c.condition)?;
                    let cond = match &operand {
                        Some(o) => {
                            let (l, r) = unify_for_compare(o.clone(), (cond, ct), position_of(&c.condition))?;
                            Expr::Cmp { op: CmpOp::Eq, left: Box::new(l), right: Box::new(r) }
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
                Ok((Expr::Case { whens, otherwise, ty }, ty))
            }
            ast::Expr::Cast { kind, expr, data_type, .. } => {
                let (x, _) = self.bind(expr)?;
                let to = sql_type(data_type, at)?;
                let fallible = !matches!(kind, ast::CastKind::TryCast | ast::CastKind::SafeCast);
                Ok((Expr::Cast { expr: Box::new(x), to, fallible }, to))
            }
            ast::Expr::Function(f) => self.function(f, at),
            ast::Expr::Subquery(_) | ast::Expr::In { .. } | ast::Expr::Exists { .. } => {
                Err(SqlError::at("subqueries are only supported in FROM", at))
            }
            other => Err(SqlError::at(format!("this kind of expression is not supported: {other}"), at)),
        }
    }

    fn boolean(&self, e: Expr, t: SqlType, at: Option<Position>) -> Result<Expr, SqlError> {
        if t == SqlType::Boolean || matches!(e, Expr::Literal(Scalar::Null)) {
            Ok(e)
        } else {
            Err(SqlError::at(format!("expected a condition (BOOLEAN) but this is {}", t.name()), at))
        }
    }

    fn column(&mut self, ident: &ast::Ident, table: Option<&ast::Ident>) -> Result<(Expr, SqlType), SqlError> {
        let at = Some(Position { line: ident.span.start.line, column: ident.span.start.column }).filter(|p| p.line > 0);
        if let Some(t) = table {
            let q = t.value.to_lowercase();
            if !self.scope.qualifiers.iter().any(|x| *x == q) {
                return Err(SqlError::at(format!("there is no table \"{}\" in FROM", t.value), at)
                    .with_suggestions(self.scope.qualifiers.clone()));
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
            return Ok((Expr::Literal(Scalar::Text(ident.value.clone())), SqlType::Text));
        }
        let candidates = match &self.mode {
            Mode::Groups { source, .. } => source.names.clone(),
            Mode::Rows { .. } => self.scope.names.clone(),
        };
        Err(SqlError::at(format!("unknown column \"{}\"", ident.value), at)
            .with_suggestions(closest(&ident.value, candidates.iter().map(String::as_str))))
    }

    fn binary(&mut self, left: &ast::Expr, op: &BinaryOperator, right: &ast::Expr, at: Option<Position>) -> Result<(Expr, SqlType), SqlError> {
        let l = self.bind(left)?;
        let r = self.bind(right)?;
        let cmp = |op: CmpOp| -> Result<(Expr, SqlType), SqlError> {
            let (l, r) = unify_for_compare(l.clone(), r.clone(), at)?;
            Ok((Expr::Cmp { op, left: Box::new(l), right: Box::new(r) }, SqlType::Boolean))
        };
        let arith = |op: ArithOp| -> Result<(Expr, SqlType), SqlError> {
            let number = |(e, t): (Expr, SqlType)| -> Result<(Expr, SqlType), SqlError> {
                if t.is_numeric() || matches!(e, Expr::Literal(Scalar::Null)) {
                    return Ok((e, t));
                }
                match coerce_literal(&e, SqlType::Float) {
                    Some(n @ Expr::Literal(Scalar::Int(_))) => Ok((n, SqlType::Integer)),
                    Some(n) => Ok((n, SqlType::Float)),
                    None => Err(SqlError::at(format!("arithmetic needs numbers, not {}", t.name()), at)),
                }
            };
            let ((l, lt), (r, rt)) = (number(l.clone())?, number(r.clone())?);
            let ty = if op == ArithOp::Div || lt == SqlType::Float || rt == SqlType::Float { SqlType::Float } else { SqlType::Integer };
            Ok((Expr::Arith { op, left: Box::new(l), right: Box::new(r), ty }, ty))
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
            BinaryOperator::StringConcat => Ok((Expr::Concat(Box::new(l.0), Box::new(r.0)), SqlType::Text)),
            BinaryOperator::And | BinaryOperator::Or => {
                let lb = self.boolean(l.0, l.1, position_of(left))?;
                let rb = self.boolean(r.0, r.1, position_of(right))?;
                let e = if *op == BinaryOperator::And { Expr::And(Box::new(lb), Box::new(rb)) } else { Expr::Or(Box::new(lb), Box::new(rb)) };
                Ok((e, SqlType::Boolean))
            }
            other => Err(SqlError::at(format!("the operator {other} is not supported"), at)),
        }
    }

    fn function(&mut self, f: &ast::Function, at: Option<Position>) -> Result<(Expr, SqlType), SqlError> {
        let name = f.name.to_string();
        if f.over.is_some() {
            return Err(SqlError::at("window functions (OVER) are not supported", at));
        }
        let CallArgs { args, distinct, star, .. } = call_args(f).map_err(|e| match e {
            CallArgsError::Subquery => SqlError::at("subqueries are only supported in FROM", at),
            CallArgsError::Unsupported => SqlError::at(format!("unsupported argument in {name}"), at),
        })?;
        if let Some(func) = AggFn::from_name(&name) {
            return self.aggregate(func, &name, &args, distinct, star, f.filter.as_deref(), at);
        }
        if f.filter.is_some() || distinct {
            return Err(SqlError::at(format!("{name} is not an aggregate; FILTER and DISTINCT do not apply"), at));
        }
        let upper = name.to_ascii_uppercase();
        let arity = |n: usize| -> Result<(), SqlError> {
            if args.len() == n {
                Ok(())
            } else {
                Err(SqlError::at(format!("{upper} takes {n} argument{}", if n == 1 { "" } else { "s" }), at))
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
            return Err(SqlError::at(format!("aggregates such as {name} are not allowed in {clause}"), at));
        };
        let mut rows = Binder { scope: source, mode: Mode::Rows { clause: "an aggregate's argument" } };
        let (func, arg, arg_type) = match (func, star, args) {
            (AggFn::Count, true, []) => (AggFn::CountStar, None, SqlType::Integer),
            (_, false, [a]) => {
                let (x, t) = rows.bind(a)?;
                if matches!(func, AggFn::Sum | AggFn::Avg) && !t.is_numeric() {
                    return Err(SqlError::at(format!("{} needs numbers, not {}", name.to_uppercase(), t.name()), at));
                }
                (func, Some(x), t)
            }
            _ => return Err(SqlError::at(format!("{} takes one argument", name.to_uppercase()), at)),
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
        let call = AggCall { func, arg, arg_type, distinct, filter };
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

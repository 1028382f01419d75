//! Expressions written for the target engine, typed as the app's binder
//! types them (`query::engine::bind`), so that what the app decides from
//! types is written out: a double-quoted name that is no column becomes a
//! text literal, number literals with a fraction become DOUBLEs (not
//! DECIMALs), names take the field's real spelling, IS TRUE and CAST take
//! the app's meaning in the engine's words, and operands are parenthesised
//! by precedence. The walk over an expression starts here; operators and
//! CASE are in `operators`, LIKE in `like`, function calls in `calls`.

use sqlparser::ast::{self, UnaryOperator, Value};

use super::dialect::Engine;
use super::out::{Lit, Out, ADD, ATOM, CMP, MUL, NEG, NOT};
use super::rewrite::{Mode, Rewriter, Scope};
use crate::query::SqlType;

/// The app's type for a CAST target, and whether the engine reads the name
/// the same way.
fn cast_type(dt: &ast::DataType) -> Result<(SqlType, String), String> {
    let name = dt.to_string().to_ascii_uppercase();
    let base = name.split('(').next().unwrap_or("").trim().to_owned();
    let ty = match base.as_str() {
        "INT" | "INTEGER" | "BIGINT" | "SMALLINT" | "TINYINT" | "INT64" | "INT32" | "HUGEINT"
        | "LONG" => SqlType::Integer,
        "DOUBLE" | "FLOAT" | "REAL" | "DECIMAL" | "NUMERIC" | "DOUBLE PRECISION" | "FLOAT64" => {
            SqlType::Float
        }
        "BOOLEAN" | "BOOL" => SqlType::Boolean,
        "VARCHAR" | "TEXT" | "STRING" | "CHAR" => SqlType::Text,
        _ => return Err(format!("CAST to {name}")),
    };
    Ok((ty, name))
}

impl Rewriter<'_> {
    pub(super) fn out(&self, sql: String, ty: SqlType, prec: u8) -> Out {
        Out {
            sql,
            ty,
            lit: None,
            prec,
            chain: None,
            quoted: None,
        }
    }

    pub(super) fn atom(&self, sql: String, ty: SqlType) -> Out {
        self.out(sql, ty, ATOM)
    }

    pub(super) fn literal(&self, lit: Lit) -> Out {
        let (sql, ty, negative) = match &lit {
            Lit::Null => ("NULL".to_owned(), SqlType::Integer, false),
            Lit::Int(v) => (v.to_string(), SqlType::Integer, *v < 0),
            Lit::Float(v) => (self.engine.float(*v), SqlType::Float, v.is_sign_negative()),
            Lit::Bool(b) => (
                if *b { "TRUE" } else { "FALSE" }.to_owned(),
                SqlType::Boolean,
                false,
            ),
            Lit::Text(s) => (self.engine.text(s), SqlType::Text, false),
        };
        Out {
            sql,
            ty,
            lit: Some(lit),
            prec: if negative { NEG } else { ATOM },
            chain: None,
            quoted: None,
        }
    }

    pub(super) fn quoted_note(&self, name: &str) -> String {
        match self.engine {
            Engine::DuckDb => format!("\"{name}\" names no column, so the app reads it as text (in DuckDB \"{name}\" names a column)"),
            Engine::SparkSql => format!("\"{name}\" names no column, so the app reads it as text (Spark SQL reads \"{name}\" as a name under spark.sql.ansi.doubleQuotedIdentifiers)"),
        }
    }

    /// `o` where nothing more is decided from it: a double-quoted name read
    /// as text gets its note here.
    pub(super) fn arg(&mut self, o: Out) -> String {
        if let Some(name) = &o.quoted {
            let note = format!(
                "\"{name}\": {}; written as {}",
                self.quoted_note(name),
                o.sql
            );
            self.note(note);
        }
        o.sql
    }

    /// `o` as an operand of an operator of precedence `parent`: bare when it
    /// binds tighter, continues the same chain (AND, OR, ||), or is the left
    /// side of left-associative arithmetic of the same level.
    pub(super) fn operand(
        &mut self,
        o: Out,
        parent: u8,
        chain: Option<&'static str>,
        left: bool,
    ) -> String {
        let bare = o.prec > parent
            || (chain.is_some() && o.chain == chain)
            || (left && o.prec == parent && matches!(parent, MUL | ADD));
        let sql = self.arg(o);
        if bare {
            sql
        } else {
            format!("({sql})")
        }
    }

    /// A note for `e` when the app read part of it differently.
    pub(super) fn explain(&mut self, e: &ast::Expr, why: Vec<String>, written: &str) {
        if !why.is_empty() {
            self.note(format!("{e}: {}; written as {written}", why.join("; ")));
        }
    }

    fn column(
        &mut self,
        ident: &ast::Ident,
        qualified: bool,
        scope: &Scope,
        mode: Mode<'_>,
    ) -> Result<Out, String> {
        if let Some(i) = scope.find(&ident.value) {
            if scope.hidden[i] {
                if let Some(v) = scope.view {
                    self.hidden_used.push((v, scope.names[i].clone()));
                }
            }
            return Ok(self.atom(self.engine.ident(&scope.names[i]), scope.types[i]));
        }
        if let Mode::Groups { keys } = mode {
            if let Some((_, k)) = keys
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(&ident.value))
            {
                let o = self.expr(k, scope, Mode::Rows)?;
                return Ok(if o.prec == ATOM {
                    o
                } else {
                    Out {
                        sql: format!("({})", o.sql),
                        prec: ATOM,
                        chain: None,
                        ..o
                    }
                });
            }
        }
        if ident.quote_style == Some('"') && !qualified {
            let mut o = self.literal(Lit::Text(ident.value.clone()));
            o.quoted = Some(ident.value.clone());
            return Ok(o);
        }
        Err(format!("the name {ident}"))
    }

    /// `e`, written for the engine.
    pub(super) fn expr(
        &mut self,
        e: &ast::Expr,
        scope: &Scope,
        mode: Mode<'_>,
    ) -> Result<Out, String> {
        match e {
            ast::Expr::Identifier(i) => self.column(i, false, scope, mode),
            ast::Expr::CompoundIdentifier(parts) if parts.len() >= 2 => {
                self.column(&parts[parts.len() - 1], true, scope, mode)
            }
            ast::Expr::Value(v) => self.value(&v.value),
            ast::Expr::Nested(inner) => {
                let o = self.expr(inner, scope, mode)?;
                Ok(Out {
                    sql: format!("({})", o.sql),
                    prec: ATOM,
                    chain: None,
                    ..o
                })
            }
            ast::Expr::UnaryOp { op, expr } => {
                let o = self.expr(expr, scope, mode)?;
                match op {
                    UnaryOperator::Not => {
                        let x = self.operand(o, NEG, None, false);
                        Ok(self.out(format!("NOT {x}"), SqlType::Boolean, NOT))
                    }
                    UnaryOperator::Minus => match o.lit {
                        Some(Lit::Int(v)) if v != i64::MIN => Ok(self.literal(Lit::Int(-v))),
                        Some(Lit::Float(v)) => Ok(self.literal(Lit::Float(-v))),
                        _ => {
                            let ty = o.ty;
                            let x = self.operand(o, NEG, None, false);
                            Ok(self.out(format!("-{x}"), ty, NEG))
                        }
                    },
                    UnaryOperator::Plus => Ok(o),
                    other => Err(format!("the operator {other}")),
                }
            }
            ast::Expr::BinaryOp { left, op, right } => self.binary(e, left, op, right, scope, mode),
            ast::Expr::IsNull(x) | ast::Expr::IsNotNull(x) => {
                let o = self.expr(x, scope, mode)?;
                let x = self.operand(o, CMP, None, false);
                let not = if matches!(e, ast::Expr::IsNotNull(_)) {
                    " NOT"
                } else {
                    ""
                };
                Ok(self.out(format!("{x} IS{not} NULL"), SqlType::Boolean, CMP))
            }
            ast::Expr::IsTrue(x) | ast::Expr::IsFalse(x) => {
                let o = self.expr(x, scope, mode)?;
                let truth = matches!(e, ast::Expr::IsTrue(_));
                Ok(match self.engine {
                    Engine::DuckDb => {
                        let x = self.operand(o, CMP, None, false);
                        self.out(
                            format!("{x} IS {}", if truth { "TRUE" } else { "FALSE" }),
                            SqlType::Boolean,
                            CMP,
                        )
                    }
                    Engine::SparkSql => {
                        let x = if truth {
                            self.arg(o)
                        } else {
                            format!("NOT {}", self.operand(o, NEG, None, false))
                        };
                        self.atom(format!("COALESCE({x}, FALSE)"), SqlType::Boolean)
                    }
                })
            }
            ast::Expr::In {
                expr,
                target: ast::InTarget::List(list),
                negated,
                global: false,
            } => self.in_list(e, expr, list, *negated, scope, mode),
            ast::Expr::Between {
                expr,
                negated,
                low,
                high,
            } => self.between(e, expr, *negated, low, high, scope, mode),
            ast::Expr::Like {
                negated,
                any: false,
                expr,
                pattern,
                escape_char,
            }
            | ast::Expr::ILike {
                negated,
                any: false,
                expr,
                pattern,
                escape_char,
            } => self.like(
                e,
                *negated,
                expr,
                pattern,
                escape_char.as_deref(),
                scope,
                mode,
            ),
            ast::Expr::Case {
                operand,
                conditions,
                else_result,
                ..
            } => self.case(
                e,
                operand.as_deref(),
                conditions,
                else_result.as_deref(),
                scope,
                mode,
            ),
            ast::Expr::Cast {
                kind,
                expr,
                data_type,
                format,
            } => {
                if format.is_some() {
                    return Err("CAST … FORMAT".into());
                }
                let (to, name) = cast_type(data_type)?;
                let o = self.expr(expr, scope, mode)?;
                let from = o.ty;
                let try_cast = matches!(kind, ast::CastKind::TryCast | ast::CastKind::SafeCast);
                let x = self.arg(o);
                let sql = match (self.engine, from, to) {
                    // Spark truncates; the app (as DuckDB) rounds half to even.
                    (Engine::SparkSql, SqlType::Float, SqlType::Integer) => {
                        self.engine.cast(&format!("bround({x}, 0)"), to, try_cast)
                    }
                    // Spark truncates '1.5'; the app reads the number and rounds it.
                    (Engine::SparkSql, SqlType::Text, SqlType::Integer) => self.engine.cast(
                        &format!("round({})", self.engine.cast(&x, SqlType::Float, try_cast)),
                        to,
                        try_cast,
                    ),
                    _ => self.engine.cast(&x, to, try_cast),
                };
                let mut why = Vec::new();
                if name != self.engine.type_name(to) {
                    why.push(format!(
                        "{name} is a {} in the app",
                        self.engine.type_name(to)
                    ));
                }
                if self.engine == Engine::SparkSql
                    && to == SqlType::Integer
                    && from != SqlType::Integer
                    && from != SqlType::Boolean
                {
                    why.push("Spark truncates a number cast to an integer, the app rounds it (half to even from a double)".into());
                }
                if from == SqlType::Float && to == SqlType::Text {
                    why.push(self.engine.float_text_caveat().into());
                }
                self.explain(e, why, &sql);
                Ok(self.atom(sql, to))
            }
            ast::Expr::Function(f) => self.function(e, f, scope, mode),
            other => Err(format!("the expression {other}")),
        }
    }

    fn value(&mut self, v: &Value) -> Result<Out, String> {
        let lit = match v {
            Value::Number(n, _) => match n.parse::<i64>() {
                Ok(i) => Lit::Int(i),
                Err(_) => {
                    let f = n.parse::<f64>().map_err(|_| format!("the number {n}"))?;
                    let out = self.literal(Lit::Float(f));
                    if n.contains('.') && !n.contains(['e', 'E']) {
                        self.note(format!(
                            "{n}: a DECIMAL in {}, a DOUBLE in the app; written as {}",
                            self.engine.label(),
                            out.sql
                        ));
                    }
                    return Ok(out);
                }
            },
            Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => Lit::Text(s.clone()),
            Value::Boolean(b) => Lit::Bool(*b),
            Value::Null => Lit::Null,
            other => return Err(format!("the value {other}")),
        };
        Ok(self.literal(lit))
    }
}

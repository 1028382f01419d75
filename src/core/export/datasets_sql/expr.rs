//! Expressions written for the target engine, typed as the app's binder
//! types them (`query::engine::bind`), so that what the app decides from
//! types is written out: a double-quoted name that is no column becomes a
//! text literal, a text literal compared with a number or a boolean becomes
//! that number or boolean, number literals with a fraction become DOUBLEs
//! (not DECIMALs), names take the field's real spelling, IS TRUE, LIKE
//! patterns and CAST take the app's meaning in the engine's words (function
//! calls are in `calls`), and operands are parenthesised by precedence.

use sqlparser::ast::{self, BinaryOperator, UnaryOperator, Value};

use super::dialect::Engine;
use super::out::{common_type, Lit, Out, ADD, AND, ATOM, CMP, CONCAT, MUL, NEG, NOT, OR};
use super::rewrite::{Mode, Rewriter, Scope};
use crate::query::SqlType;

/// `an INTEGER`, `a DOUBLE`, …
fn a_type(t: SqlType) -> String {
    let name = t.name();
    format!("{} {name}", if name.starts_with(['A', 'E', 'I', 'O', 'U']) { "an" } else { "a" })
}

/// A text literal read as a value of `to`, as the app compares `tenure = '12'`.
fn coerce(text: &str, to: SqlType) -> Option<Lit> {
    let t = text.trim();
    match to {
        SqlType::Integer | SqlType::Float => match t.parse::<i64>() {
            Ok(i) => Some(Lit::Int(i)),
            Err(_) => t.parse::<f64>().ok().map(Lit::Float),
        },
        SqlType::Boolean => match t.to_ascii_lowercase().as_str() {
            "true" | "t" | "1" => Some(Lit::Bool(true)),
            "false" | "f" | "0" => Some(Lit::Bool(false)),
            _ => None,
        },
        SqlType::Text => None,
    }
}

/// The app's type for a CAST target, and whether the engine reads the name
/// the same way.
fn cast_type(dt: &ast::DataType) -> Result<(SqlType, String), String> {
    let name = dt.to_string().to_ascii_uppercase();
    let base = name.split('(').next().unwrap_or("").trim().to_owned();
    let ty = match base.as_str() {
        "INT" | "INTEGER" | "BIGINT" | "SMALLINT" | "TINYINT" | "INT64" | "INT32" | "HUGEINT" | "LONG" => SqlType::Integer,
        "DOUBLE" | "FLOAT" | "REAL" | "DECIMAL" | "NUMERIC" | "DOUBLE PRECISION" | "FLOAT64" => SqlType::Float,
        "BOOLEAN" | "BOOL" => SqlType::Boolean,
        "VARCHAR" | "TEXT" | "STRING" | "CHAR" => SqlType::Text,
        _ => return Err(format!("CAST to {name}")),
    };
    Ok((ty, name))
}

/// One piece of a LIKE pattern, as the app's `LikePattern` reads it.
enum Tok {
    Many,
    One,
    Char(char),
}

fn like_tokens(pattern: &str, escape: Option<char>, lower: bool) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        out.push(match c {
            c if Some(c) == escape => Tok::Char(chars.next().unwrap_or(c)),
            '%' => Tok::Many,
            '_' => Tok::One,
            c if lower => Tok::Char(c.to_lowercase().next().unwrap_or(c)),
            c => Tok::Char(c),
        });
    }
    out
}

impl Rewriter<'_> {
    pub(super) fn out(&self, sql: String, ty: SqlType, prec: u8) -> Out {
        Out { sql, ty, lit: None, prec, chain: None, quoted: None }
    }

    pub(super) fn atom(&self, sql: String, ty: SqlType) -> Out {
        self.out(sql, ty, ATOM)
    }

    pub(super) fn literal(&self, lit: Lit) -> Out {
        let (sql, ty, negative) = match &lit {
            Lit::Null => ("NULL".to_owned(), SqlType::Integer, false),
            Lit::Int(v) => (v.to_string(), SqlType::Integer, *v < 0),
            Lit::Float(v) => (self.engine.float(*v), SqlType::Float, v.is_sign_negative()),
            Lit::Bool(b) => (if *b { "TRUE" } else { "FALSE" }.to_owned(), SqlType::Boolean, false),
            Lit::Text(s) => (self.engine.text(s), SqlType::Text, false),
        };
        Out { sql, ty, lit: Some(lit), prec: if negative { NEG } else { ATOM }, chain: None, quoted: None }
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
            let note = format!("\"{name}\": {}; written as {}", self.quoted_note(name), o.sql);
            self.note(note);
        }
        o.sql
    }

    /// `o` as an operand of an operator of precedence `parent`: bare when it
    /// binds tighter, continues the same chain (AND, OR, ||), or is the left
    /// side of left-associative arithmetic of the same level.
    pub(super) fn operand(&mut self, o: Out, parent: u8, chain: Option<&'static str>, left: bool) -> String {
        let bare = o.prec > parent || (chain.is_some() && o.chain == chain) || (left && o.prec == parent && matches!(parent, MUL | ADD));
        let sql = self.arg(o);
        if bare {
            sql
        } else {
            format!("({sql})")
        }
    }

    /// Makes two sides comparable as the app does, returning what it read
    /// differently (for a note).
    fn unify(&self, l: Out, r: Out) -> Result<(Out, Out, Vec<String>), String> {
        let mut why = Vec::new();
        for side in [&l, &r] {
            if let Some(name) = &side.quoted {
                why.push(self.quoted_note(name));
            }
        }
        let null = |o: &Out| o.lit == Some(Lit::Null);
        if l.ty == r.ty || (l.ty.is_numeric() && r.ty.is_numeric()) || null(&l) || null(&r) {
            return Ok((l, r, why));
        }
        let text = |o: &Out| match &o.lit {
            Some(Lit::Text(s)) => Some(s.clone()),
            _ => None,
        };
        let read = |s: &str, v: &Out, other: SqlType| format!("compared with {}, the app reads '{s}' as {}", a_type(other), v.sql);
        if let Some(v) = text(&r).filter(|_| r.ty == SqlType::Text).and_then(|s| coerce(&s, l.ty).map(|v| (s, v))) {
            let new = self.literal(v.1);
            why.push(read(&v.0, &new, l.ty));
            return Ok((l, new, why));
        }
        if let Some(v) = text(&l).filter(|_| l.ty == SqlType::Text).and_then(|s| coerce(&s, r.ty).map(|v| (s, v))) {
            let new = self.literal(v.1);
            why.push(read(&v.0, &new, r.ty));
            return Ok((new, r, why));
        }
        if let (SqlType::Boolean, Some(Lit::Int(i @ (0 | 1)))) = (l.ty, &r.lit) {
            let new = self.literal(Lit::Bool(*i == 1));
            why.push(format!("compared with a BOOLEAN, the app reads {i} as {}", new.sql));
            return Ok((l, new, why));
        }
        Err(format!("a comparison of {} with {}", l.ty.name(), r.ty.name()))
    }

    /// A note for `e` when the app read part of it differently.
    pub(super) fn explain(&mut self, e: &ast::Expr, why: Vec<String>, written: &str) {
        if !why.is_empty() {
            self.note(format!("{e}: {}; written as {written}", why.join("; ")));
        }
    }

    fn column(&mut self, ident: &ast::Ident, qualified: bool, scope: &Scope, mode: Mode<'_>) -> Result<Out, String> {
        if let Some(i) = scope.find(&ident.value) {
            if scope.hidden[i] {
                if let Some(v) = scope.view {
                    self.hidden_used.push((v, scope.names[i].clone()));
                }
            }
            return Ok(self.atom(self.engine.ident(&scope.names[i]), scope.types[i]));
        }
        if let Mode::Groups { keys } = mode {
            if let Some((_, k)) = keys.iter().find(|(n, _)| n.eq_ignore_ascii_case(&ident.value)) {
                let o = self.expr(k, scope, Mode::Rows)?;
                return Ok(if o.prec == ATOM { o } else { Out { sql: format!("({})", o.sql), prec: ATOM, chain: None, ..o } });
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
    pub(super) fn expr(&mut self, e: &ast::Expr, scope: &Scope, mode: Mode<'_>) -> Result<Out, String> {
        match e {
            ast::Expr::Identifier(i) => self.column(i, false, scope, mode),
            ast::Expr::CompoundIdentifier(parts) if parts.len() >= 2 => self.column(&parts[parts.len() - 1], true, scope, mode),
            ast::Expr::Value(v) => self.value(&v.value),
            ast::Expr::Nested(inner) => {
                let o = self.expr(inner, scope, mode)?;
                Ok(Out { sql: format!("({})", o.sql), prec: ATOM, chain: None, ..o })
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
                let not = if matches!(e, ast::Expr::IsNotNull(_)) { " NOT" } else { "" };
                Ok(self.out(format!("{x} IS{not} NULL"), SqlType::Boolean, CMP))
            }
            ast::Expr::IsTrue(x) | ast::Expr::IsFalse(x) => {
                let o = self.expr(x, scope, mode)?;
                let truth = matches!(e, ast::Expr::IsTrue(_));
                Ok(match self.engine {
                    Engine::DuckDb => {
                        let x = self.operand(o, CMP, None, false);
                        self.out(format!("{x} IS {}", if truth { "TRUE" } else { "FALSE" }), SqlType::Boolean, CMP)
                    }
                    Engine::SparkSql => {
                        let x = if truth { self.arg(o) } else { format!("NOT {}", self.operand(o, NEG, None, false)) };
                        self.atom(format!("COALESCE({x}, FALSE)"), SqlType::Boolean)
                    }
                })
            }
            ast::Expr::In { expr, target: ast::InTarget::List(list), negated, global: false } => {
                let mut x = self.expr(expr, scope, mode)?;
                let mut why: Vec<String> = x.quoted.take().map(|n| self.quoted_note(&n)).into_iter().collect();
                let mut items = Vec::new();
                for item in list {
                    let i = self.expr(item, scope, mode)?;
                    // The app compares each item with the value as it is.
                    let (_, i, w) = self.unify(x.clone(), i)?;
                    why.extend(w);
                    items.push(i.sql);
                }
                let x = self.operand(x, CMP, None, false);
                let sql = format!("{x} {}IN ({})", if *negated { "NOT " } else { "" }, items.join(", "));
                self.explain(e, why, &sql);
                Ok(self.out(sql, SqlType::Boolean, CMP))
            }
            ast::Expr::Between { expr, negated, low, high } => {
                let mut x = self.expr(expr, scope, mode)?;
                let mut why: Vec<String> = x.quoted.take().map(|n| self.quoted_note(&n)).into_iter().collect();
                let (lo, hi) = (self.expr(low, scope, mode)?, self.expr(high, scope, mode)?);
                let (xl, lo, w) = self.unify(x.clone(), lo)?;
                why.extend(w);
                let (xh, hi, w) = self.unify(x, hi)?;
                why.extend(w);
                let (lo, hi) = (Out { quoted: None, ..lo }, Out { quoted: None, ..hi });
                let not = if *negated { "NOT " } else { "" };
                let (lo, hi) = (self.operand(lo, CMP, None, false), self.operand(hi, CMP, None, false));
                let (sql, prec) = if xl.sql == xh.sql {
                    (format!("{} {not}BETWEEN {lo} AND {hi}", self.operand(xl, CMP, None, false)), CMP)
                } else {
                    let both = format!("({} >= {lo} AND {} <= {hi})", self.operand(xl, CMP, None, false), self.operand(xh, CMP, None, false));
                    if *negated { (format!("NOT {both}"), NOT) } else { (both, ATOM) }
                };
                self.explain(e, why, &sql);
                Ok(self.out(sql, SqlType::Boolean, prec))
            }
            ast::Expr::Like { negated, any: false, expr, pattern, escape_char } | ast::Expr::ILike { negated, any: false, expr, pattern, escape_char } => {
                let insensitive = matches!(e, ast::Expr::ILike { .. });
                let x = self.expr(expr, scope, mode)?;
                let p = self.expr(pattern, scope, mode)?;
                let Some(Lit::Text(text)) = &p.lit else { return Err("LIKE with a pattern that is not a quoted text".into()) };
                let escape = match escape_char.as_deref() {
                    Some(ast::Expr::Value(v)) => match &v.value {
                        Value::SingleQuotedString(s) => s.chars().next(),
                        _ => None,
                    },
                    _ => None,
                };
                // The app's pattern, written again with \ as the escape.
                let mut written = String::new();
                let mut escaped = false;
                for t in like_tokens(text, escape, insensitive) {
                    match t {
                        Tok::Many => written.push('%'),
                        Tok::One => written.push('_'),
                        Tok::Char(c @ ('%' | '_' | '\\')) => {
                            written.push('\\');
                            written.push(c);
                            escaped = true;
                        }
                        Tok::Char(c) => written.push(c),
                    }
                }
                let clause = match (self.engine, escaped) {
                    (Engine::DuckDb, true) => format!(" ESCAPE {}", self.engine.text("\\")),
                    _ => String::new(),
                };
                let x = self.operand(x, CMP, None, false);
                let op = if insensitive { "ILIKE" } else { "LIKE" };
                let sql = format!("{x} {}{op} {}{clause}", if *negated { "NOT " } else { "" }, self.engine.text(&written));
                let mut why = p.quoted.iter().map(|n| self.quoted_note(n)).collect::<Vec<_>>();
                if written != *text {
                    why.push(match self.engine {
                        Engine::DuckDb => "the pattern is written again with \\ as its escape".to_owned(),
                        Engine::SparkSql => "Spark's LIKE takes \\ as an escape even without ESCAPE (and refuses one before an ordinary character); the app's pattern is written again with \\ escapes".to_owned(),
                    });
                }
                self.explain(e, why, &sql);
                Ok(self.out(sql, SqlType::Boolean, CMP))
            }
            ast::Expr::Case { operand, conditions, else_result, .. } => self.case(e, operand.as_deref(), conditions, else_result.as_deref(), scope, mode),
            ast::Expr::Cast { kind, expr, data_type, format } => {
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
                    (Engine::SparkSql, SqlType::Float, SqlType::Integer) => self.engine.cast(&format!("bround({x}, 0)"), to, try_cast),
                    // Spark truncates '1.5'; the app reads the number and rounds it.
                    (Engine::SparkSql, SqlType::Text, SqlType::Integer) => {
                        self.engine.cast(&format!("round({})", self.engine.cast(&x, SqlType::Float, try_cast)), to, try_cast)
                    }
                    _ => self.engine.cast(&x, to, try_cast),
                };
                let mut why = Vec::new();
                if name != self.engine.type_name(to) {
                    why.push(format!("{name} is a {} in the app", self.engine.type_name(to)));
                }
                if self.engine == Engine::SparkSql && to == SqlType::Integer && from != SqlType::Integer && from != SqlType::Boolean {
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
                        self.note(format!("{n}: a DECIMAL in {}, a DOUBLE in the app; written as {}", self.engine.label(), out.sql));
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

    fn binary(&mut self, e: &ast::Expr, left: &ast::Expr, op: &BinaryOperator, right: &ast::Expr, scope: &Scope, mode: Mode<'_>) -> Result<Out, String> {
        let l = self.expr(left, scope, mode)?;
        let r = self.expr(right, scope, mode)?;
        let symbol = match op {
            BinaryOperator::Eq => "=",
            BinaryOperator::NotEq => "<>",
            BinaryOperator::Lt => "<",
            BinaryOperator::LtEq => "<=",
            BinaryOperator::Gt => ">",
            BinaryOperator::GtEq => ">=",
            BinaryOperator::Plus => "+",
            BinaryOperator::Minus => "-",
            BinaryOperator::Multiply => "*",
            BinaryOperator::Divide => "/",
            BinaryOperator::Modulo => "%",
            BinaryOperator::StringConcat => "||",
            BinaryOperator::And => "AND",
            BinaryOperator::Or => "OR",
            other => return Err(format!("the operator {other}")),
        };
        match op {
            BinaryOperator::Eq | BinaryOperator::NotEq | BinaryOperator::Lt | BinaryOperator::LtEq | BinaryOperator::Gt | BinaryOperator::GtEq => {
                let (l, r, why) = self.unify(l, r)?;
                let (l, r) = (Out { quoted: None, ..l }, Out { quoted: None, ..r });
                let sql = format!("{} {symbol} {}", self.operand(l, CMP, None, false), self.operand(r, CMP, None, false));
                self.explain(e, why, &sql);
                Ok(self.out(sql, SqlType::Boolean, CMP))
            }
            BinaryOperator::And | BinaryOperator::Or => {
                let prec = if *op == BinaryOperator::And { AND } else { OR };
                let sql = format!("{} {symbol} {}", self.operand(l, prec, Some(symbol), true), self.operand(r, prec, Some(symbol), false));
                Ok(Out { chain: Some(symbol), ..self.out(sql, SqlType::Boolean, prec) })
            }
            BinaryOperator::StringConcat => {
                if l.ty == SqlType::Float || r.ty == SqlType::Float {
                    let caveat = self.engine.float_text_caveat();
                    self.note(format!("{e}: {caveat}"));
                }
                // Arithmetic next to || always in parentheses (see CONCAT).
                let sql = format!("{} || {}", self.operand(l, MUL, Some("||"), false), self.operand(r, MUL, Some("||"), false));
                Ok(Out { chain: Some("||"), ..self.out(sql, SqlType::Text, CONCAT) })
            }
            _ => {
                let mut why = Vec::new();
                let mut number = |o: Out, me: &Self| -> Result<Out, String> {
                    if o.ty.is_numeric() || o.lit == Some(Lit::Null) {
                        return Ok(o);
                    }
                    match &o.lit {
                        Some(Lit::Text(s)) => {
                            let v = coerce(s, SqlType::Float).ok_or_else(|| format!("arithmetic on the text '{s}'"))?;
                            let new = me.literal(v);
                            if let Some(n) = &o.quoted {
                                why.push(me.quoted_note(n));
                            }
                            why.push(format!("the app reads '{s}' in arithmetic as {}", new.sql));
                            Ok(new)
                        }
                        _ => Err(format!("arithmetic on {}", o.ty.name())),
                    }
                };
                let (l, r) = (number(l, self)?, number(r, self)?);
                let ty = if *op == BinaryOperator::Divide || l.ty == SqlType::Float || r.ty == SqlType::Float { SqlType::Float } else { SqlType::Integer };
                let prec = if matches!(op, BinaryOperator::Plus | BinaryOperator::Minus) { ADD } else { MUL };
                let sql = format!("{} {symbol} {}", self.operand(l, prec, None, true), self.operand(r, prec, None, false));
                if self.engine == Engine::SparkSql && matches!(op, BinaryOperator::Divide | BinaryOperator::Modulo) {
                    why.push(format!("dividing by zero gives {} in the app, NULL in Spark (an error under spark.sql.ansi.enabled)", if *op == BinaryOperator::Divide { "Infinity or NaN" } else { "NULL" }));
                }
                self.explain(e, why, &sql);
                Ok(self.out(sql, ty, prec))
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn case(&mut self, e: &ast::Expr, operand: Option<&ast::Expr>, conditions: &[ast::CaseWhen], otherwise: Option<&ast::Expr>, scope: &Scope, mode: Mode<'_>) -> Result<Out, String> {
        let operand = operand.map(|o| self.expr(o, scope, mode)).transpose()?;
        let mut whens = Vec::new();
        let mut types = Vec::new();
        let mut why = Vec::new();
        for c in conditions {
            let cond = self.expr(&c.condition, scope, mode)?;
            let cond = match &operand {
                Some(o) => {
                    let (l, r, w) = self.unify(Out { quoted: None, ..o.clone() }, cond)?;
                    why.extend(w);
                    if l.sql != o.sql {
                        return Err("CASE on a text literal compared with numbers".into());
                    }
                    r.sql
                }
                None => self.arg(cond),
            };
            let value = self.expr(&c.result, scope, mode)?;
            if value.lit != Some(Lit::Null) {
                types.push(value.ty);
            }
            whens.push(format!("WHEN {cond} THEN {}", self.arg(value)));
        }
        let mut sql = String::from("CASE ");
        if let Some(o) = operand {
            sql.push_str(&self.arg(o));
            sql.push(' ');
        }
        sql.push_str(&whens.join(" "));
        if let Some(x) = otherwise {
            let value = self.expr(x, scope, mode)?;
            if value.lit != Some(Lit::Null) {
                types.push(value.ty);
            }
            sql.push_str(&format!(" ELSE {}", self.arg(value)));
        }
        sql.push_str(" END");
        self.explain(e, why, &sql);
        Ok(self.atom(sql, common_type(&types)?))
    }
}

//! Operators as the app types them: comparisons, where the app makes the
//! two sides comparable (`unify`: a text literal compared with a number or
//! a boolean becomes that number or boolean, 0 and 1 beside a boolean become
//! FALSE and TRUE), IN and BETWEEN, AND, OR, ||, arithmetic (text literals
//! read as numbers) and CASE with its common type.

use sqlparser::ast::{self, BinaryOperator};

use super::dialect::Engine;
use super::out::{common_type, Lit, Out, ADD, AND, ATOM, CMP, CONCAT, MUL, NOT, OR};
use super::rewrite::{Mode, Rewriter, Scope};
use crate::query::SqlType;

/// `an INTEGER`, `a DOUBLE`, …
fn a_type(t: SqlType) -> String {
    let name = t.name();
    format!(
        "{} {name}",
        if name.starts_with(['A', 'E', 'I', 'O', 'U']) {
            "an"
        } else {
            "a"
        }
    )
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

impl Rewriter<'_> {
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
        let read = |s: &str, v: &Out, other: SqlType| {
            format!(
                "compared with {}, the app reads '{s}' as {}",
                a_type(other),
                v.sql
            )
        };
        if let Some(v) = text(&r)
            .filter(|_| r.ty == SqlType::Text)
            .and_then(|s| coerce(&s, l.ty).map(|v| (s, v)))
        {
            let new = self.literal(v.1);
            why.push(read(&v.0, &new, l.ty));
            return Ok((l, new, why));
        }
        if let Some(v) = text(&l)
            .filter(|_| l.ty == SqlType::Text)
            .and_then(|s| coerce(&s, r.ty).map(|v| (s, v)))
        {
            let new = self.literal(v.1);
            why.push(read(&v.0, &new, r.ty));
            return Ok((new, r, why));
        }
        if let (SqlType::Boolean, Some(Lit::Int(i @ (0 | 1)))) = (l.ty, &r.lit) {
            let new = self.literal(Lit::Bool(*i == 1));
            why.push(format!(
                "compared with a BOOLEAN, the app reads {i} as {}",
                new.sql
            ));
            return Ok((l, new, why));
        }
        Err(format!(
            "a comparison of {} with {}",
            l.ty.name(),
            r.ty.name()
        ))
    }

    pub(super) fn binary(
        &mut self,
        e: &ast::Expr,
        left: &ast::Expr,
        op: &BinaryOperator,
        right: &ast::Expr,
        scope: &Scope,
        mode: Mode<'_>,
    ) -> Result<Out, String> {
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
            BinaryOperator::Eq
            | BinaryOperator::NotEq
            | BinaryOperator::Lt
            | BinaryOperator::LtEq
            | BinaryOperator::Gt
            | BinaryOperator::GtEq => {
                let (l, r, why) = self.unify(l, r)?;
                let (l, r) = (Out { quoted: None, ..l }, Out { quoted: None, ..r });
                let sql = format!(
                    "{} {symbol} {}",
                    self.operand(l, CMP, None, false),
                    self.operand(r, CMP, None, false)
                );
                self.explain(e, why, &sql);
                Ok(self.out(sql, SqlType::Boolean, CMP))
            }
            BinaryOperator::And | BinaryOperator::Or => {
                let prec = if *op == BinaryOperator::And { AND } else { OR };
                let sql = format!(
                    "{} {symbol} {}",
                    self.operand(l, prec, Some(symbol), true),
                    self.operand(r, prec, Some(symbol), false)
                );
                Ok(Out {
                    chain: Some(symbol),
                    ..self.out(sql, SqlType::Boolean, prec)
                })
            }
            BinaryOperator::StringConcat => {
                if l.ty == SqlType::Float || r.ty == SqlType::Float {
                    let caveat = self.engine.float_text_caveat();
                    self.note(format!("{e}: {caveat}"));
                }
                // Arithmetic next to || always in parentheses (see CONCAT).
                let sql = format!(
                    "{} || {}",
                    self.operand(l, MUL, Some("||"), false),
                    self.operand(r, MUL, Some("||"), false)
                );
                Ok(Out {
                    chain: Some("||"),
                    ..self.out(sql, SqlType::Text, CONCAT)
                })
            }
            _ => {
                let mut why = Vec::new();
                let mut number = |o: Out, me: &Self| -> Result<Out, String> {
                    if o.ty.is_numeric() || o.lit == Some(Lit::Null) {
                        return Ok(o);
                    }
                    match &o.lit {
                        Some(Lit::Text(s)) => {
                            let v = coerce(s, SqlType::Float)
                                .ok_or_else(|| format!("arithmetic on the text '{s}'"))?;
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
                let ty = if *op == BinaryOperator::Divide
                    || l.ty == SqlType::Float
                    || r.ty == SqlType::Float
                {
                    SqlType::Float
                } else {
                    SqlType::Integer
                };
                let prec = if matches!(op, BinaryOperator::Plus | BinaryOperator::Minus) {
                    ADD
                } else {
                    MUL
                };
                let sql = format!(
                    "{} {symbol} {}",
                    self.operand(l, prec, None, true),
                    self.operand(r, prec, None, false)
                );
                if self.engine == Engine::SparkSql
                    && matches!(op, BinaryOperator::Divide | BinaryOperator::Modulo)
                {
                    why.push(format!("dividing by zero gives {} in the app, NULL in Spark (an error under spark.sql.ansi.enabled)", if *op == BinaryOperator::Divide { "Infinity or NaN" } else { "NULL" }));
                }
                self.explain(e, why, &sql);
                Ok(self.out(sql, ty, prec))
            }
        }
    }

    /// `x [NOT] IN (…)`, each item compared with `x` as the app compares it.
    pub(super) fn in_list(
        &mut self,
        e: &ast::Expr,
        expr: &ast::Expr,
        list: &[ast::Expr],
        negated: bool,
        scope: &Scope,
        mode: Mode<'_>,
    ) -> Result<Out, String> {
        let mut x = self.expr(expr, scope, mode)?;
        let mut why: Vec<String> = x
            .quoted
            .take()
            .map(|n| self.quoted_note(&n))
            .into_iter()
            .collect();
        let mut items = Vec::new();
        for item in list {
            let i = self.expr(item, scope, mode)?;
            // The app compares each item with the value as it is.
            let (_, i, w) = self.unify(x.clone(), i)?;
            why.extend(w);
            items.push(i.sql);
        }
        let x = self.operand(x, CMP, None, false);
        let sql = format!(
            "{x} {}IN ({})",
            if negated { "NOT " } else { "" },
            items.join(", ")
        );
        self.explain(e, why, &sql);
        Ok(self.out(sql, SqlType::Boolean, CMP))
    }

    /// `x [NOT] BETWEEN lo AND hi`, as two comparisons when the app reads `x`
    /// differently against each bound.
    // The parts of the AST node, taken apart by the caller's match, and the walk's scope.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn between(
        &mut self,
        e: &ast::Expr,
        expr: &ast::Expr,
        negated: bool,
        low: &ast::Expr,
        high: &ast::Expr,
        scope: &Scope,
        mode: Mode<'_>,
    ) -> Result<Out, String> {
        let mut x = self.expr(expr, scope, mode)?;
        let mut why: Vec<String> = x
            .quoted
            .take()
            .map(|n| self.quoted_note(&n))
            .into_iter()
            .collect();
        let (lo, hi) = (self.expr(low, scope, mode)?, self.expr(high, scope, mode)?);
        let (xl, lo, w) = self.unify(x.clone(), lo)?;
        why.extend(w);
        let (xh, hi, w) = self.unify(x, hi)?;
        why.extend(w);
        let (lo, hi) = (Out { quoted: None, ..lo }, Out { quoted: None, ..hi });
        let not = if negated { "NOT " } else { "" };
        let (lo, hi) = (
            self.operand(lo, CMP, None, false),
            self.operand(hi, CMP, None, false),
        );
        let (sql, prec) = if xl.sql == xh.sql {
            (
                format!(
                    "{} {not}BETWEEN {lo} AND {hi}",
                    self.operand(xl, CMP, None, false)
                ),
                CMP,
            )
        } else {
            let both = format!(
                "({} >= {lo} AND {} <= {hi})",
                self.operand(xl, CMP, None, false),
                self.operand(xh, CMP, None, false)
            );
            if negated {
                (format!("NOT {both}"), NOT)
            } else {
                (both, ATOM)
            }
        };
        self.explain(e, why, &sql);
        Ok(self.out(sql, SqlType::Boolean, prec))
    }

    // The parts of the AST node, taken apart by the caller's match, and the walk's scope.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn case(
        &mut self,
        e: &ast::Expr,
        operand: Option<&ast::Expr>,
        conditions: &[ast::CaseWhen],
        otherwise: Option<&ast::Expr>,
        scope: &Scope,
        mode: Mode<'_>,
    ) -> Result<Out, String> {
        let operand = operand.map(|o| self.expr(o, scope, mode)).transpose()?;
        let mut whens = Vec::new();
        let mut types = Vec::new();
        let mut why = Vec::new();
        for c in conditions {
            let cond = self.expr(&c.condition, scope, mode)?;
            let cond = match &operand {
                Some(o) => {
                    let (l, r, w) = self.unify(
                        Out {
                            quoted: None,
                            ..o.clone()
                        },
                        cond,
                    )?;
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

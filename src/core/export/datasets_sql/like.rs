//! LIKE and ILIKE written for the target engine: the app's pattern (its
//! wildcards, its ESCAPE character, ILIKE's lowering) read as the app's
//! `LikePattern` reads it and written again with \ as the escape.

use sqlparser::ast::{self, Value};

use super::dialect::Engine;
use super::out::{Lit, Out, CMP};
use super::rewrite::{Mode, Rewriter, Scope};
use crate::query::SqlType;

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
    /// `x [NOT] LIKE p` or `x [NOT] ILIKE p` (`e`), `p` a quoted text.
    // The parts of the AST node, taken apart by the caller's match, and the walk's scope.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn like(
        &mut self,
        e: &ast::Expr,
        negated: bool,
        expr: &ast::Expr,
        pattern: &ast::Expr,
        escape_char: Option<&ast::Expr>,
        scope: &Scope,
        mode: Mode<'_>,
    ) -> Result<Out, String> {
        let insensitive = matches!(e, ast::Expr::ILike { .. });
        let x = self.expr(expr, scope, mode)?;
        let p = self.expr(pattern, scope, mode)?;
        let Some(Lit::Text(text)) = &p.lit else {
            return Err("LIKE with a pattern that is not a quoted text".into());
        };
        let escape = match escape_char {
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
        let sql = format!(
            "{x} {}{op} {}{clause}",
            if negated { "NOT " } else { "" },
            self.engine.text(&written)
        );
        let mut why = p
            .quoted
            .iter()
            .map(|n| self.quoted_note(n))
            .collect::<Vec<_>>();
        if written != *text {
            why.push(match self.engine {
                Engine::DuckDb => "the pattern is written again with \\ as its escape".to_owned(),
                Engine::SparkSql => "Spark's LIKE takes \\ as an escape even without ESCAPE (and refuses one before an ordinary character); the app's pattern is written again with \\ escapes".to_owned(),
            });
        }
        self.explain(e, why, &sql);
        Ok(self.out(sql, SqlType::Boolean, CMP))
    }
}

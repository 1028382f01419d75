//! Function calls written for the target engine: the aggregates (COUNT,
//! SUM, AVG and its alias MEAN, MIN, MAX, with DISTINCT and FILTER) and the
//! scalar functions the app knows (ROUND, ABS, LOWER, UPPER, LENGTH,
//! COALESCE), typed as the app types them.

use sqlparser::ast;

use super::dialect::Engine;
use super::out::{common_type, Lit, Out, MUL};
use super::rewrite::{is_aggregate, Mode, Rewriter, Scope};
use crate::query::engine::{call_args, CallArgs};
use crate::query::SqlType;

impl Rewriter<'_> {
    pub(super) fn function(
        &mut self,
        e: &ast::Expr,
        f: &ast::Function,
        scope: &Scope,
        mode: Mode<'_>,
    ) -> Result<Out, String> {
        let name = f.name.to_string();
        let refused = f.over.is_some()
            || !f.within_group.is_empty()
            || f.null_treatment.is_some()
            || f.uses_odbc_syntax
            || !matches!(f.parameters, ast::FunctionArguments::None);
        if refused {
            return Err(format!("the call {f}"));
        }
        let CallArgs {
            args,
            distinct,
            star,
            clauses,
        } = call_args(f).map_err(|_| format!("the call {f}"))?;
        if clauses {
            return Err(format!("the call {f}"));
        }
        let upper = name.to_ascii_uppercase();
        if is_aggregate(&name) {
            let func = if upper == "MEAN" {
                "AVG"
            } else {
                upper.as_str()
            };
            let (inner, ty) = match (star, args.as_slice()) {
                (true, []) if func == "COUNT" => ("*".to_owned(), SqlType::Integer),
                (false, [a]) => {
                    let o = self.expr(a, scope, Mode::Rows)?;
                    let ty = match func {
                        "COUNT" => SqlType::Integer,
                        "AVG" => SqlType::Float,
                        _ => o.ty,
                    };
                    (
                        format!("{}{}", if distinct { "DISTINCT " } else { "" }, self.arg(o)),
                        ty,
                    )
                }
                _ => return Err(format!("the call {f}")),
            };
            let mut sql = format!("{func}({inner})");
            if let Some(filter) = &f.filter {
                let o = self.expr(filter, scope, Mode::Rows)?;
                sql.push_str(&format!(" FILTER (WHERE {})", self.arg(o)));
            }
            if upper == "MEAN" {
                self.note(format!(
                    "{e}: MEAN is AVG in {}; written as {sql}",
                    self.engine.label()
                ));
            }
            return Ok(self.atom(sql, ty));
        }
        if f.filter.is_some() || distinct || star {
            return Err(format!("the call {f}"));
        }
        let mut bound = Vec::new();
        for a in &args {
            bound.push(self.expr(a, scope, mode)?);
        }
        match (upper.as_str(), bound.len()) {
            ("ROUND", 1 | 2) => {
                let digits = match bound.get(1).and_then(|d| d.lit.clone()) {
                    None if bound.len() == 1 => 0,
                    Some(Lit::Int(d)) if d.abs() <= 30 => d as i32,
                    _ => return Err(format!("the call {f}")),
                };
                let x = bound.remove(0);
                let ty = x.ty;
                if self.engine == Engine::SparkSql && ty == SqlType::Float && digits != 0 {
                    // Spark rounds the decimal text of a double (1.005 → 1.01); the
                    // app scales the double first (1.005 * 100 = 100.49999…, → 1.0).
                    let m = self.engine.float(10f64.powi(digits));
                    let sql = format!("ROUND({} * {m}, 0) / {m}", self.operand(x, MUL, None, true));
                    self.note(format!("{e}: Spark rounds the decimal text of a double, the app the double scaled by 10^{digits}; written as {sql}"));
                    return Ok(self.out(sql, ty, MUL));
                }
                let x = self.arg(x);
                let sql = if bound.is_empty() {
                    format!("ROUND({x})")
                } else {
                    format!("ROUND({x}, {digits})")
                };
                Ok(self.atom(sql, ty))
            }
            ("ABS", 1) => {
                let o = bound.remove(0);
                let ty = o.ty;
                let x = self.arg(o);
                Ok(self.atom(format!("ABS({x})"), ty))
            }
            ("LOWER" | "UPPER" | "LENGTH", 1) => {
                let o = bound.remove(0);
                let x = self.arg(o);
                Ok(match upper.as_str() {
                    "LENGTH" if self.engine == Engine::SparkSql => {
                        self.atom(format!("char_length({x})"), SqlType::Integer)
                    }
                    "LENGTH" => self.atom(format!("LENGTH({x})"), SqlType::Integer),
                    fname => self.atom(format!("{fname}({x})"), SqlType::Text),
                })
            }
            ("COALESCE", 1..) => {
                let types: Vec<SqlType> = bound
                    .iter()
                    .filter(|o| o.lit != Some(Lit::Null))
                    .map(|o| o.ty)
                    .collect();
                let ty = common_type(&types)?;
                let list: Vec<String> = bound.into_iter().map(|o| self.arg(o)).collect();
                Ok(self.atom(format!("COALESCE({})", list.join(", ")), ty))
            }
            _ => Err(format!("the function {name}")),
        }
    }
}

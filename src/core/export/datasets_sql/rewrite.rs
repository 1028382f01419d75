//! One saved query written for the target engine, by walking its sqlparser
//! AST clause by clause the way the app's engine binds it
//! (`query::engine::select`): FROM names resolved to the script's views,
//! `*` expanded where the app leaves hidden fields out, every result column
//! named as the app names it, GROUP BY keys given by position or alias
//! written as expressions, ORDER BY keys that name a result column written
//! as positions, and each key's NULL placement written out.
//!
//! The shapes of the results (names and types) come from the app's own
//! engine, run on empty tables, so they are the app's by construction.

use sqlparser::ast::{self, GroupByExpr, OrderByKind, SelectItem, SetExpr, TableFactor, Value};

use super::dialect::Engine;
use super::out::Lit;
use crate::data::table::Table;
use crate::query::engine::parse_select;
use crate::query::{run_sql, Catalog, SqlType};

/// A table a saved query can name.
pub(super) struct Named<'a> {
    /// The app's name for it (case-insensitive).
    pub name: String,
    /// How the script names it, quoted.
    pub from: String,
    /// Its fields (an empty table: only the schema is read).
    pub table: &'a Table,
    /// Which view of the script it is, to record hidden fields named.
    pub view: usize,
}

/// The fields an expression can name.
pub(super) struct Scope {
    pub names: Vec<String>,
    pub types: Vec<SqlType>,
    pub hidden: Vec<bool>,
    pub view: Option<usize>,
}

impl Scope {
    fn of(table: &Table, view: Option<usize>) -> Scope {
        Scope {
            names: table.columns().iter().map(|c| c.name.clone()).collect(),
            types: table
                .columns()
                .iter()
                .map(|c| SqlType::of(&c.data))
                .collect(),
            hidden: table.columns().iter().map(|c| c.hidden).collect(),
            view,
        }
    }

    /// As the app finds a name: exactly, then ignoring case.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.names
            .iter()
            .position(|n| n == name)
            .or_else(|| self.names.iter().position(|n| n.eq_ignore_ascii_case(name)))
    }
}

/// How names resolve in an expression: over rows, or over groups, where a
/// name may also be a GROUP BY key's alias.
#[derive(Clone, Copy)]
pub(super) enum Mode<'s> {
    Rows,
    Groups { keys: &'s [(String, ast::Expr)] },
}

pub(super) struct Rewriter<'a> {
    pub engine: Engine,
    pub tables: &'a [Named<'a>],
    pub catalog: &'a Catalog<'a>,
    /// Where the app and the engine differ, each `snippet: why; written as …`.
    pub notes: Vec<String>,
    /// Hidden fields named explicitly: (view, field).
    pub hidden_used: Vec<(usize, String)>,
    /// Whether any SELECT has an ORDER BY.
    pub sorted: bool,
    derived: usize,
}

pub(super) use crate::query::engine::{has_aggregate, is_aggregate};

/// The one query of `sql`, parsed as the app's engine parses it.
pub(super) fn parse(sql: &str) -> Result<Box<ast::Query>, String> {
    parse_select(sql).map_err(|e| e.to_string())
}

/// The table names `q` reads, subqueries included.
pub(super) fn tables_read(q: &ast::Query, out: &mut Vec<String>) {
    fn body(b: &SetExpr, out: &mut Vec<String>) {
        match b {
            SetExpr::Select(s) => {
                for t in &s.from {
                    for f in std::iter::once(&t.relation).chain(t.joins.iter().map(|j| &j.relation))
                    {
                        match f {
                            TableFactor::Table { name, .. } => out.push(
                                name.0
                                    .last()
                                    .and_then(|p| p.as_ident())
                                    .map(|i| i.value.clone())
                                    .unwrap_or_default(),
                            ),
                            TableFactor::Derived { subquery, .. } => tables_read(subquery, out),
                            _ => {}
                        }
                    }
                }
            }
            SetExpr::Query(q) => tables_read(q, out),
            SetExpr::SetOperation { left, right, .. } => {
                body(left, out);
                body(right, out);
            }
            _ => {}
        }
    }
    body(&q.body, out);
}

fn refuse(present: bool, what: &str) -> Result<(), String> {
    if present {
        Err(what.to_owned())
    } else {
        Ok(())
    }
}

/// One result column before the app makes names unique.
enum Item<'q> {
    Column(usize),
    Expr(&'q ast::Expr),
}

fn indent(sql: &str) -> String {
    sql.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl<'a> Rewriter<'a> {
    pub fn new(engine: Engine, tables: &'a [Named<'a>], catalog: &'a Catalog<'a>) -> Rewriter<'a> {
        Rewriter {
            engine,
            tables,
            catalog,
            notes: Vec::new(),
            hidden_used: Vec::new(),
            sorted: false,
            derived: 0,
        }
    }

    pub fn note(&mut self, note: String) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    /// A query (the statement, or a subquery in FROM).
    pub fn query(&mut self, q: &ast::Query) -> Result<String, String> {
        refuse(q.with.is_some(), "WITH")?;
        refuse(q.fetch.is_some(), "FETCH")?;
        refuse(!q.locks.is_empty(), "FOR UPDATE")?;
        refuse(q.for_clause.is_some(), "FOR XML/JSON")?;
        refuse(q.settings.is_some(), "SETTINGS")?;
        refuse(q.format_clause.is_some(), "FORMAT")?;
        refuse(!q.pipe_operators.is_empty(), "a pipe operator (|>)")?;
        match q.body.as_ref() {
            SetExpr::Select(s) => {
                let shape = run_sql(&q.to_string(), self.catalog)
                    .map_err(|e| format!("the subquery {q} (the app reads it back as: {e})"))?;
                self.select(s, q, &shape)
            }
            SetExpr::Query(inner) if q.order_by.is_none() && q.limit_clause.is_none() => {
                self.query(inner)
            }
            SetExpr::SetOperation { op, .. } => Err(format!("{op}")),
            other => Err(format!("{other}")),
        }
    }

    fn select(&mut self, s: &ast::Select, q: &ast::Query, shape: &Table) -> Result<String, String> {
        refuse(s.top.is_some(), "TOP")?;
        refuse(s.into.is_some(), "INTO")?;
        refuse(s.exclude.is_some(), "EXCLUDE")?;
        refuse(s.select_modifiers.is_some(), "a SELECT modifier")?;
        refuse(!s.lateral_views.is_empty(), "LATERAL VIEW")?;
        refuse(s.prewhere.is_some(), "PREWHERE")?;
        refuse(!s.connect_by.is_empty(), "CONNECT BY")?;
        refuse(!s.cluster_by.is_empty(), "CLUSTER BY")?;
        refuse(!s.distribute_by.is_empty(), "DISTRIBUTE BY")?;
        refuse(!s.sort_by.is_empty(), "SORT BY")?;
        refuse(!s.named_window.is_empty(), "WINDOW")?;
        refuse(s.qualify.is_some(), "QUALIFY")?;
        refuse(s.value_table_mode.is_some(), "SELECT AS VALUE/STRUCT")?;
        let distinct = match &s.distinct {
            None => false,
            Some(ast::Distinct::Distinct) => true,
            Some(other) => return Err(other.to_string()),
        };

        // FROM: a named table or a subquery, never a join.
        let (from, source): (Option<String>, Scope) = match s.from.as_slice() {
            [] => (
                None,
                Scope {
                    names: Vec::new(),
                    types: Vec::new(),
                    hidden: Vec::new(),
                    view: None,
                },
            ),
            [t] => {
                refuse(!t.joins.is_empty(), "JOIN")?;
                self.source(&t.relation)?
            }
            _ => return Err("a join (several tables in FROM)".into()),
        };

        // The select list, * expanded as the app does (hidden fields left out).
        let mut items: Vec<(String, Item)> = Vec::new();
        let mut stars = 0;
        for item in &s.projection {
            match item {
                SelectItem::Wildcard(o) | SelectItem::QualifiedWildcard(_, o) => {
                    let extra = o.opt_ilike.is_some()
                        || o.opt_exclude.is_some()
                        || o.opt_except.is_some()
                        || o.opt_replace.is_some()
                        || o.opt_rename.is_some()
                        || o.opt_alias.is_some();
                    refuse(extra, "* with ILIKE/EXCLUDE/EXCEPT/REPLACE/RENAME")?;
                    stars += 1;
                    for (i, name) in source
                        .names
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| !source.hidden[*i])
                    {
                        items.push((name.clone(), Item::Column(i)));
                    }
                }
                SelectItem::UnnamedExpr(e) => items.push((item_name(e, &source), Item::Expr(e))),
                SelectItem::ExprWithAlias { expr, alias } => {
                    if alias.quote_style == Some('\'') {
                        self.note(format!(
                            "AS '{}': a quoted string as a column name; written as {}",
                            alias.value,
                            self.engine.ident(&alias.value)
                        ));
                    }
                    items.push((alias.value.clone(), Item::Expr(expr)));
                }
                SelectItem::ExprWithAliases { .. } => return Err("AS (a, b)".into()),
            }
        }
        let names: Vec<String> = shape.columns().iter().map(|c| c.name.clone()).collect();
        if names.len() != items.len() {
            return Err(format!("the select list of {q}"));
        }

        let order_exprs: Vec<&ast::OrderByExpr> = match q.order_by.as_ref().map(|o| &o.kind) {
            Some(OrderByKind::Expressions(list)) => list.iter().collect(),
            Some(OrderByKind::All(_)) => return Err("ORDER BY ALL".into()),
            None => Vec::new(),
        };
        let (group_all, group_exprs): (bool, &[ast::Expr]) = match &s.group_by {
            GroupByExpr::All(_) => (true, &[]),
            GroupByExpr::Expressions(list, modifiers) => {
                refuse(!modifiers.is_empty(), "ROLLUP/CUBE")?;
                (false, list)
            }
        };
        let aggregating = group_all
            || !group_exprs.is_empty()
            || s.having.is_some()
            || items
                .iter()
                .any(|(_, i)| matches!(i, Item::Expr(e) if has_aggregate(e)))
            || order_exprs.iter().any(|o| has_aggregate(&o.expr));
        let column_ast = |i: usize| ast::Expr::Identifier(ast::Ident::new(source.names[i].clone()));
        let item_ast = |item: &Item| match item {
            Item::Column(i) => column_ast(*i),
            Item::Expr(e) => (*e).clone(),
        };

        // GROUP BY keys as expressions: by position, alias or expression.
        let mut keys: Vec<(String, ast::Expr)> = Vec::new();
        if group_all {
            keys.extend(
                items
                    .iter()
                    .filter(|(_, i)| !matches!(i, Item::Expr(e) if has_aggregate(e)))
                    .map(|(n, i)| (n.clone(), item_ast(i))),
            );
        }
        for g in group_exprs {
            let by_position = match g {
                ast::Expr::Value(v) => match &v.value {
                    Value::Number(n, _) => Some(
                        n.parse::<usize>()
                            .ok()
                            .filter(|p| (1..=items.len()).contains(p))
                            .ok_or_else(|| format!("GROUP BY {n}"))?,
                    ),
                    _ => None,
                },
                _ => None,
            };
            let by_alias = match g {
                ast::Expr::Identifier(i) if source.find(&i.value).is_none() => items
                    .iter()
                    .position(|(n, _)| n.eq_ignore_ascii_case(&i.value))
                    .map(|p| p + 1),
                _ => None,
            };
            match by_position.or(by_alias) {
                Some(p) => keys.push((items[p - 1].0.clone(), item_ast(&items[p - 1].1))),
                None => keys.push((item_name(g, &source), g.clone())),
            }
        }
        let mode = if aggregating {
            Mode::Groups { keys: &keys }
        } else {
            Mode::Rows
        };

        // SELECT
        let whole_star = stars == 1
            && s.projection.len() == 1
            && !source.hidden.iter().any(|h| *h)
            && names == source.names;
        let mut select_list: Vec<String> = Vec::new();
        if whole_star {
            select_list.push("*".into());
        } else {
            for ((_, item), name) in items.iter().zip(&names) {
                let sql = match item {
                    Item::Column(i) => self.engine.ident(&source.names[*i]),
                    Item::Expr(e) => {
                        let out = self.expr(e, &source, mode)?;
                        match (&out.lit, shape.column(name)) {
                            (Some(Lit::Null), Some(c)) => {
                                self.engine.cast("NULL", SqlType::of(&c.data), false)
                            }
                            _ => self.arg(out),
                        }
                    }
                };
                let quoted = self.engine.ident(name);
                select_list.push(if sql == quoted {
                    sql
                } else {
                    format!("{sql} AS {quoted}")
                });
            }
        }
        let joined = select_list.join(", ");
        let mut sql = String::from(if distinct {
            "SELECT DISTINCT"
        } else {
            "SELECT"
        });
        if joined.len() > 80 {
            sql.push_str(&format!("\n  {}", select_list.join(",\n  ")));
        } else {
            sql.push_str(&format!(" {joined}"));
        }
        if let Some(from) = from {
            sql.push_str(&format!("\nFROM {from}"));
        }
        if let Some(w) = &s.selection {
            let out = self.expr(w, &source, Mode::Rows)?;
            sql.push_str(&format!("\nWHERE {}", self.arg(out)));
        }
        if aggregating && !keys.is_empty() {
            let mut list = Vec::new();
            for (_, k) in &keys {
                let out = self.expr(k, &source, Mode::Rows)?;
                list.push(self.arg(out));
            }
            sql.push_str(&format!("\nGROUP BY {}", list.join(", ")));
        }
        if let Some(h) = &s.having {
            let out = self.expr(h, &source, mode)?;
            sql.push_str(&format!("\nHAVING {}", self.arg(out)));
        }
        if !order_exprs.is_empty() {
            self.sorted = true;
            let mut list = Vec::new();
            for o in &order_exprs {
                refuse(o.with_fill.is_some(), "WITH FILL")?;
                let key = match output_reference(&o.expr, &items) {
                    Some(p) => (p + 1).to_string(),
                    None => {
                        let out = self.expr(&o.expr, &source, mode)?;
                        self.arg(out)
                    }
                };
                let descending = match &o.options.sort {
                    None | Some(ast::OrderBySort::Asc) => false,
                    Some(ast::OrderBySort::Desc) => true,
                    Some(ast::OrderBySort::Using(op)) => {
                        return Err(format!("ORDER BY … USING {op}"))
                    }
                };
                let nulls_first = o.options.nulls_first.unwrap_or(false);
                if o.options.nulls_first.is_none() && !descending && self.engine == Engine::SparkSql
                {
                    self.note(format!("ORDER BY {o}: the app puts NULLs last, Spark first in ascending order; written as … ASC NULLS LAST"));
                }
                list.push(format!(
                    "{key} {} NULLS {}",
                    if descending { "DESC" } else { "ASC" },
                    if nulls_first { "FIRST" } else { "LAST" }
                ));
            }
            sql.push_str(&format!("\nORDER BY {}", list.join(", ")));
        } else if aggregating && !keys.is_empty() {
            self.note(format!("GROUP BY without ORDER BY: the app lists groups in the order they first appear, {} in any order", self.engine.label()));
        } else if distinct {
            self.note(format!("DISTINCT without ORDER BY: the app keeps rows in the order they first appear, {} in any order", self.engine.label()));
        }
        match &q.limit_clause {
            None => {}
            Some(ast::LimitClause::LimitOffset {
                limit,
                offset,
                limit_by,
            }) => {
                refuse(!limit_by.is_empty(), "LIMIT BY")?;
                if let Some(l) = limit {
                    sql.push_str(&format!("\nLIMIT {}", whole(l, "LIMIT")?));
                }
                if let Some(o) = offset {
                    sql.push_str(&format!("\nOFFSET {}", whole(&o.value, "OFFSET")?));
                }
            }
            Some(ast::LimitClause::OffsetCommaLimit { offset, limit }) => {
                sql.push_str(&format!(
                    "\nLIMIT {}\nOFFSET {}",
                    whole(limit, "LIMIT")?,
                    whole(offset, "OFFSET")?
                ));
            }
        }
        if q.limit_clause.is_some() && order_exprs.is_empty() && self.engine == Engine::SparkSql {
            self.note("LIMIT without ORDER BY: the app keeps the first rows in file order, Spark any rows".into());
        }
        Ok(sql)
    }

    /// A FROM item: a table of the catalog or a subquery, and its fields.
    fn source(&mut self, relation: &TableFactor) -> Result<(Option<String>, Scope), String> {
        match relation {
            TableFactor::Table {
                name,
                alias,
                args,
                with_hints,
                version,
                with_ordinality,
                partitions,
                json_path,
                sample,
                index_directives,
                inheritance,
            } => {
                let extra = args.is_some()
                    || !with_hints.is_empty()
                    || version.is_some()
                    || *with_ordinality
                    || !partitions.is_empty()
                    || json_path.is_some()
                    || sample.is_some()
                    || !index_directives.is_empty()
                    || inheritance.is_some();
                refuse(extra, &format!("FROM {relation}"))?;
                refuse(
                    alias.as_ref().is_some_and(|a| !a.columns.is_empty()),
                    &format!("FROM {relation} (column aliases)"),
                )?;
                let wanted = name
                    .0
                    .last()
                    .and_then(|p| p.as_ident())
                    .map(|i| i.value.clone())
                    .unwrap_or_default();
                let named = self
                    .tables
                    .iter()
                    .rev()
                    .find(|t| t.name.eq_ignore_ascii_case(&wanted))
                    .ok_or_else(|| format!("the table {name}"))?;
                if name.0.len() > 1 {
                    self.note(format!(
                        "FROM {name}: the app reads only the last part of the name; written as {}",
                        named.from
                    ));
                }
                Ok((
                    Some(named.from.clone()),
                    Scope::of(named.table, Some(named.view)),
                ))
            }
            TableFactor::Derived {
                lateral,
                subquery,
                alias,
                ..
            } => {
                refuse(*lateral, "LATERAL")?;
                refuse(
                    alias.as_ref().is_some_and(|a| !a.columns.is_empty()),
                    "a subquery's column aliases",
                )?;
                let shape = run_sql(&subquery.to_string(), self.catalog)
                    .map_err(|e| format!("the subquery {subquery} ({e})"))?;
                let inner = self.query(subquery)?;
                self.derived += 1;
                let name = alias.as_ref().map_or_else(
                    || format!("subquery{}", self.derived),
                    |a| a.name.value.clone(),
                );
                Ok((
                    Some(format!(
                        "(\n{}\n) AS {}",
                        indent(&inner),
                        self.engine.ident(&name)
                    )),
                    Scope::of(&shape, None),
                ))
            }
            other => Err(format!("FROM {other}")),
        }
    }
}

/// `ORDER BY 2` or `ORDER BY alias`: a column of the result.
fn output_reference(e: &ast::Expr, items: &[(String, Item)]) -> Option<usize> {
    match e {
        ast::Expr::Value(v) => match &v.value {
            Value::Number(n, _) => n
                .parse::<usize>()
                .ok()
                .filter(|p| (1..=items.len()).contains(p))
                .map(|p| p - 1),
            _ => None,
        },
        ast::Expr::Identifier(i) => items
            .iter()
            .position(|(name, _)| name.eq_ignore_ascii_case(&i.value)),
        _ => None,
    }
}

/// The app's name for an unnamed select item.
fn item_name(e: &ast::Expr, scope: &Scope) -> String {
    crate::query::engine::result_name(e, &|n| scope.find(n).map(|k| scope.names[k].clone()))
}

fn whole(e: &ast::Expr, what: &str) -> Result<usize, String> {
    match e {
        ast::Expr::Value(v) => match &v.value {
            Value::Number(n, _) => n.parse::<usize>().map_err(|_| format!("{what} {n}")),
            other => Err(format!("{what} {other}")),
        },
        other => Err(format!("{what} {other}")),
    }
}

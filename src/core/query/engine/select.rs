//! Planning and running one SELECT: FROM, WHERE, GROUP BY and aggregates,
//! HAVING, the select list, DISTINCT, ORDER BY, LIMIT and OFFSET.
//!
//! Every clause is bound before any row is read, so a typo anywhere is
//! reported without work, and only the columns the query uses are copied
//! after filtering.

use std::cmp::Ordering;

use arrow_array::Array;
use sqlparser::ast::{self, GroupByExpr, OrderByKind, SelectItem, SetExpr, TableFactor, Value};

use super::aggregate::{aggregate, distinct_rows, group_rows, AggCall};
use super::bind::{has_aggregate, position_of, Binder, Mode, Scope};
use super::error::{closest, SqlError};
use super::expr::{Expr, Frame};
use super::value::{compare_values, take, total_cmp_f64, value_at, Datum, Scalar, SqlType, ValueRef};
use super::Catalog;
use crate::data::table::{Column, ColumnData, Table};

/// Where an ORDER BY key is read from.
enum SortSource {
    /// A column of the result.
    Output(usize),
    /// An expression over the rows before the select list.
    Rows(Expr),
}

struct SortKey {
    source: SortSource,
    descending: bool,
    nulls_first: bool,
}

struct Grouping {
    keys: Vec<Expr>,
    key_types: Vec<SqlType>,
    aggs: Vec<AggCall>,
    having: Option<Expr>,
}

struct Plan {
    filter: Option<Expr>,
    grouping: Option<Grouping>,
    items: Vec<(String, Expr, SqlType)>,
    distinct: bool,
    order: Vec<SortKey>,
    limit: Option<usize>,
    offset: usize,
}

pub fn run_query(query: &ast::Query, catalog: &Catalog<'_>) -> Result<Table, SqlError> {
    if query.with.is_some() {
        return Err(SqlError::at("WITH is not supported; use a subquery in FROM", position_of(query)));
    }
    let (limit, offset) = limits(query.limit_clause.as_ref())?;
    match query.body.as_ref() {
        SetExpr::Select(select) => run_select(select, query.order_by.as_ref(), limit, offset, catalog),
        SetExpr::Query(inner) if query.order_by.is_none() && query.limit_clause.is_none() => run_query(inner, catalog),
        SetExpr::Query(_) => {
            Err(SqlError::at("ORDER BY or LIMIT after a parenthesised query is not supported; move it inside", position_of(query)))
        }
        SetExpr::SetOperation { op, .. } => Err(SqlError::at(format!("{op} is not supported"), position_of(query))),
        other => Err(SqlError::at(format!("only SELECT queries are supported, not {other}"), position_of(query))),
    }
}

fn constant(e: &ast::Expr, what: &str) -> Result<usize, SqlError> {
    match e {
        ast::Expr::Value(v) => match &v.value {
            Value::Number(n, _) => n.parse::<usize>().map_err(|_| SqlError::at(format!("{what} must be a whole number"), position_of(e))),
            _ => Err(SqlError::at(format!("{what} must be a whole number"), position_of(e))),
        },
        _ => Err(SqlError::at(format!("{what} must be a whole number"), position_of(e))),
    }
}

fn limits(clause: Option<&ast::LimitClause>) -> Result<(Option<usize>, usize), SqlError> {
    Ok(match clause {
        None => (None, 0),
        Some(ast::LimitClause::LimitOffset { limit, offset, limit_by }) => {
            if !limit_by.is_empty() {
                return Err(SqlError::new("LIMIT BY is not supported"));
            }
            let limit = limit.as_ref().map(|l| constant(l, "LIMIT")).transpose()?;
            let offset = offset.as_ref().map(|o| constant(&o.value, "OFFSET")).transpose()?.unwrap_or(0);
            (limit, offset)
        }
        Some(ast::LimitClause::OffsetCommaLimit { offset, limit }) => (Some(constant(limit, "LIMIT")?), constant(offset, "OFFSET")?),
    })
}

/// The FROM clause: one table of the catalog, or a subquery.
fn source(select: &ast::Select, catalog: &Catalog<'_>) -> Result<(Table, Vec<String>), SqlError> {
    match select.from.as_slice() {
        [] => Ok((Table::try_new("dual", Vec::new()).map_err(|e| SqlError::new(e.to_string()))?, Vec::new())),
        [from] => {
            if let Some(join) = from.joins.first() {
                return Err(SqlError::at("joins are not supported; query one table at a time", position_of(join)));
            }
            match &from.relation {
                TableFactor::Table { name, alias, .. } => {
                    let at = position_of(name);
                    let parts: Vec<String> = name.0.iter().filter_map(|p| p.as_ident().map(|i| i.value.clone())).collect();
                    let table_name = parts.last().cloned().unwrap_or_default();
                    let table = catalog.get(&table_name).ok_or_else(|| {
                        SqlError::at(format!("unknown table \"{}\"", name), at)
                            .with_suggestions(closest(&table_name, catalog.names().map(String::as_str)))
                    })?;
                    let mut qualifiers = vec![table_name.to_lowercase(), name.to_string().to_lowercase()];
                    if let Some(a) = alias {
                        qualifiers.push(a.name.value.to_lowercase());
                    }
                    Ok((table.clone(), qualifiers))
                }
                TableFactor::Derived { subquery, alias, .. } => {
                    let table = run_query(subquery, catalog)?;
                    let qualifiers = alias.iter().map(|a| a.name.value.to_lowercase()).collect();
                    Ok((table, qualifiers))
                }
                other => Err(SqlError::at(format!("FROM {other} is not supported"), position_of(other))),
            }
        }
        [_, second, ..] => Err(SqlError::at("joins are not supported; query one table at a time", position_of(second))),
    }
}

fn item_name(e: &ast::Expr, scope: &Scope) -> String {
    super::parse::result_name(e, &|n| scope.find(n).map(|k| scope.names[k].clone()))
}

fn check_unsupported(select: &ast::Select) -> Result<(), SqlError> {
    let at = position_of(select);
    let unsupported = [
        (select.top.is_some(), "TOP"),
        (select.into.is_some(), "INTO"),
        (!select.lateral_views.is_empty(), "LATERAL VIEW"),
        (!select.cluster_by.is_empty(), "CLUSTER BY"),
        (!select.distribute_by.is_empty(), "DISTRIBUTE BY"),
        (!select.sort_by.is_empty(), "SORT BY"),
        (!select.named_window.is_empty(), "WINDOW"),
        (select.qualify.is_some(), "QUALIFY"),
        (select.prewhere.is_some(), "PREWHERE"),
    ];
    match unsupported.iter().find(|(present, _)| *present) {
        Some((_, what)) => Err(SqlError::at(format!("{what} is not supported"), at)),
        None => Ok(()),
    }
}

fn plan(select: &ast::Select, order_by: Option<&ast::OrderBy>, scope: &Scope, limit: Option<usize>, offset: usize) -> Result<Plan, SqlError> {
    check_unsupported(select)?;
    let filter = match &select.selection {
        Some(w) => {
            let mut b = Binder { scope, mode: Mode::Rows { clause: "WHERE" } };
            let (e, t) = b.bind(w)?;
            if t != SqlType::Boolean && !matches!(e, Expr::Literal(Scalar::Null)) {
                return Err(SqlError::at(format!("WHERE needs a condition, but this is {}", t.name()), position_of(w)));
            }
            Some(e)
        }
        None => None,
    };

    // The select list, with * expanded.
    let mut asts: Vec<(String, Option<&ast::Expr>, Option<usize>)> = Vec::new();
    for item in &select.projection {
        match item {
            SelectItem::Wildcard(_) => {
                for (i, name) in scope.names.iter().enumerate().filter(|(i, _)| !scope.hidden.get(*i).copied().unwrap_or(false)) {
                    asts.push((name.clone(), None, Some(i)));
                }
            }
            SelectItem::QualifiedWildcard(kind, _) => {
                let q = kind.to_string().trim_end_matches(".*").to_lowercase();
                if !scope.qualifiers.iter().any(|x| *x == q) {
                    return Err(SqlError::at(format!("there is no table \"{q}\" in FROM"), position_of(item)));
                }
                for (i, name) in scope.names.iter().enumerate().filter(|(i, _)| !scope.hidden.get(*i).copied().unwrap_or(false)) {
                    asts.push((name.clone(), None, Some(i)));
                }
            }
            SelectItem::UnnamedExpr(e) => asts.push((item_name(e, scope), Some(e), None)),
            SelectItem::ExprWithAlias { expr, alias } => asts.push((alias.value.clone(), Some(expr), None)),
            SelectItem::ExprWithAliases { expr, .. } => asts.push((item_name(expr, scope), Some(expr), None)),
        }
    }
    let order_exprs: Vec<&ast::OrderByExpr> = match order_by.map(|o| &o.kind) {
        Some(OrderByKind::Expressions(list)) => list.iter().collect(),
        Some(OrderByKind::All(_)) => return Err(SqlError::new("ORDER BY ALL is not supported")),
        None => Vec::new(),
    };
    let group_exprs: Option<&Vec<ast::Expr>> = match &select.group_by {
        GroupByExpr::Expressions(list, modifiers) => {
            if !modifiers.is_empty() {
                return Err(SqlError::new("GROUP BY modifiers (ROLLUP, CUBE) are not supported"));
            }
            (!list.is_empty()).then_some(list)
        }
        GroupByExpr::All(_) => None,
    };
    let group_all = matches!(select.group_by, GroupByExpr::All(_));
    let aggregating = group_all
        || group_exprs.is_some()
        || select.having.is_some()
        || asts.iter().any(|(_, e, _)| e.is_some_and(has_aggregate))
        || order_exprs.iter().any(|o| has_aggregate(&o.expr));

    let mut items = Vec::with_capacity(asts.len());
    if aggregating {
        // GROUP BY keys: expressions, select positions or select aliases.
        let mut key_asts: Vec<(String, ast::Expr)> = Vec::new();
        let column_expr = |i: usize| ast::Expr::Identifier(ast::Ident::new(scope.names[i].clone()));
        if group_all {
            for (name, e, col) in &asts {
                match (e, col) {
                    (Some(e), _) if !has_aggregate(e) => key_asts.push((name.clone(), (*e).clone())),
                    (None, Some(i)) => key_asts.push((name.clone(), column_expr(*i))),
                    _ => {}
                }
            }
        }
        for g in group_exprs.into_iter().flatten() {
            let by_position = match g {
                ast::Expr::Value(v) => match &v.value {
                    Value::Number(n, _) => Some(n.parse::<usize>().ok().filter(|p| (1..=asts.len()).contains(p)).ok_or_else(|| {
                        SqlError::at(format!("GROUP BY {n}: there are {} select items", asts.len()), position_of(g))
                    })?),
                    _ => None,
                },
                _ => None,
            };
            let by_alias = match g {
                ast::Expr::Identifier(i) if scope.find(&i.value).is_none() => {
                    asts.iter().position(|(name, _, _)| name.eq_ignore_ascii_case(&i.value)).map(|p| p + 1)
                }
                _ => None,
            };
            match by_position.or(by_alias) {
                Some(p) => {
                    let (name, e, col) = &asts[p - 1];
                    let e = match (e, col) {
                        (Some(e), _) => (*e).clone(),
                        (None, Some(i)) => column_expr(*i),
                        _ => continue,
                    };
                    if has_aggregate(&e) {
                        return Err(SqlError::at(format!("GROUP BY {p} refers to an aggregate"), position_of(g)));
                    }
                    key_asts.push((name.clone(), e));
                }
                None => key_asts.push((item_name(g, scope), g.clone())),
            }
        }
        let mut keys = Vec::with_capacity(key_asts.len());
        let mut key_types = Vec::with_capacity(key_asts.len());
        for (_, k) in &key_asts {
            let mut b = Binder { scope, mode: Mode::Rows { clause: "GROUP BY" } };
            let (e, t) = b.bind(k)?;
            keys.push(e);
            key_types.push(t);
        }
        let group_scope = Scope {
            names: key_asts.iter().map(|(n, _)| n.clone()).collect(),
            types: key_types.clone(),
            qualifiers: scope.qualifiers.clone(),
            hidden: vec![false; key_asts.len()],
        };
        let mut aggs: Vec<AggCall> = Vec::new();
        for (name, e, col) in &asts {
            let owned;
            let e = match (e, col) {
                (Some(e), _) => *e,
                (None, Some(i)) => {
                    owned = column_expr(*i);
                    &owned
                }
                _ => continue,
            };
            let mut b = Binder { scope: &group_scope, mode: Mode::Groups { keys: &keys, aggs: &mut aggs, source: scope } };
            let (bound, t) = b.bind(e)?;
            items.push((name.clone(), bound, t));
        }
        let having = match &select.having {
            Some(h) => {
                let mut b = Binder { scope: &group_scope, mode: Mode::Groups { keys: &keys, aggs: &mut aggs, source: scope } };
                let (e, t) = b.bind(h)?;
                if t != SqlType::Boolean {
                    return Err(SqlError::at(format!("HAVING needs a condition, but this is {}", t.name()), position_of(h)));
                }
                Some(e)
            }
            None => None,
        };
        let mut order = Vec::new();
        for o in &order_exprs {
            let source = match output_reference(&o.expr, &items)? {
                Some(i) => SortSource::Output(i),
                None => {
                    let mut b = Binder { scope: &group_scope, mode: Mode::Groups { keys: &keys, aggs: &mut aggs, source: scope } };
                    SortSource::Rows(b.bind(&o.expr)?.0)
                }
            };
            order.push(sort_key(source, o));
        }
        let grouping = Some(Grouping { keys, key_types, aggs, having });
        let distinct = select.distinct.is_some();
        return Ok(Plan { filter, grouping, items, distinct, order, limit, offset });
    }

    for (name, e, col) in &asts {
        match (e, col) {
            (_, Some(i)) => items.push((name.clone(), Expr::Column(*i), scope.types[*i])),
            (Some(e), None) => {
                let mut b = Binder { scope, mode: Mode::Rows { clause: "the select list" } };
                let (bound, t) = b.bind(e)?;
                items.push((name.clone(), bound, t));
            }
            (None, None) => {}
        }
    }
    let distinct = match &select.distinct {
        None => false,
        Some(ast::Distinct::Distinct) => true,
        Some(other) => return Err(SqlError::at(format!("{other} is not supported"), position_of(select))),
    };
    let mut order = Vec::new();
    for o in &order_exprs {
        let source = match output_reference(&o.expr, &items)? {
            Some(i) => SortSource::Output(i),
            None => {
                let mut b = Binder { scope, mode: Mode::Rows { clause: "ORDER BY" } };
                let bound = b.bind(&o.expr)?.0;
                match items.iter().position(|(_, e, _)| *e == bound) {
                    Some(i) => SortSource::Output(i),
                    None if distinct => {
                        return Err(SqlError::at("with DISTINCT, ORDER BY must use selected columns", position_of(&o.expr)))
                    }
                    None => SortSource::Rows(bound),
                }
            }
        };
        order.push(sort_key(source, o));
    }
    Ok(Plan { filter, grouping: None, items, distinct, order, limit, offset })
}

/// `ORDER BY 2` or `ORDER BY alias`: a column of the result.
fn output_reference(e: &ast::Expr, items: &[(String, Expr, SqlType)]) -> Result<Option<usize>, SqlError> {
    match e {
        ast::Expr::Value(v) => match &v.value {
            Value::Number(n, _) => {
                let p = n.parse::<usize>().ok().filter(|p| (1..=items.len()).contains(p));
                p.map(|p| Some(p - 1))
                    .ok_or_else(|| SqlError::at(format!("ORDER BY {n}: there are {} columns", items.len()), position_of(e)))
            }
            _ => Ok(None),
        },
        ast::Expr::Identifier(i) => Ok(items.iter().position(|(name, _, _)| name.eq_ignore_ascii_case(&i.value))),
        _ => Ok(None),
    }
}

fn sort_key(source: SortSource, o: &ast::OrderByExpr) -> SortKey {
    let descending = matches!(o.options.sort, Some(ast::OrderBySort::Desc));
    // DuckDB's default: NULLs last in both directions.
    SortKey { source, descending, nulls_first: o.options.nulls_first.unwrap_or(false) }
}

fn columns_used(e: &Expr, used: &mut [bool]) {
    match e {
        Expr::Column(i) => {
            if let Some(u) = used.get_mut(*i) {
                *u = true;
            }
        }
        Expr::Literal(_) => {}
        Expr::Neg(x) | Expr::Not(x) => columns_used(x, used),
        Expr::Arith { left, right, .. } | Expr::Cmp { left, right, .. } => {
            columns_used(left, used);
            columns_used(right, used);
        }
        Expr::Concat(l, r) | Expr::And(l, r) | Expr::Or(l, r) => {
            columns_used(l, used);
            columns_used(r, used);
        }
        Expr::IsNull { expr, .. } | Expr::Like { expr, .. } | Expr::Cast { expr, .. } | Expr::Round { expr, .. } => {
            columns_used(expr, used)
        }
        Expr::InList { expr, list, .. } => {
            columns_used(expr, used);
            list.iter().for_each(|x| columns_used(x, used));
        }
        Expr::Case { whens, otherwise, .. } => {
            for (c, v) in whens {
                columns_used(c, used);
                columns_used(v, used);
            }
            if let Some(o) = otherwise {
                columns_used(o, used);
            }
        }
        Expr::Func { args, .. } => args.iter().for_each(|x| columns_used(x, used)),
    }
}

/// The rows where a condition is TRUE (not FALSE, not NULL).
fn true_rows(d: &Datum, len: usize) -> Vec<u32> {
    match d {
        Datum::Column(ColumnData::Boolean(b)) => {
            let mut bits = b.values().clone();
            if let Some(nulls) = b.nulls().filter(|n| n.null_count() > 0) {
                bits = &bits & nulls.inner();
            }
            bits.set_indices().map(|r| r as u32).collect()
        }
        Datum::Scalar(Scalar::Bool(true)) => (0..len as u32).collect(),
        Datum::Scalar(_) => Vec::new(),
        _ => (0..len).filter(|&r| d.value(r) == ValueRef::Bool(true)).map(|r| r as u32).collect(),
    }
}

fn select_rows(frame: &Frame, rows: &[u32], used: &[bool]) -> Frame {
    let columns = frame
        .columns
        .iter()
        .zip(used)
        .map(|(c, &u)| if u { take(c, rows) } else { c.clone() })
        .collect();
    Frame { columns, len: rows.len() }
}

/// Sorts row numbers by key columns, each (column, descending, nulls first);
/// stable, so equal keys keep their order.
pub fn sort_rows(rows: &mut [u32], keys: &[(ColumnData, bool, bool)]) {
    rows.sort_by(|&a, &b| {
        for (col, descending, nulls_first) in keys {
            let (x, y) = (value_at(col, a as usize), value_at(col, b as usize));
            let o = match (x.is_null(), y.is_null()) {
                (true, true) => Ordering::Equal,
                (true, false) => if *nulls_first { Ordering::Less } else { Ordering::Greater },
                (false, true) => if *nulls_first { Ordering::Greater } else { Ordering::Less },
                (false, false) => {
                    let o = match (x, y) {
                        (ValueRef::Float(p), ValueRef::Float(q)) => total_cmp_f64(p, q),
                        _ => compare_values(x, y).unwrap_or(Ordering::Equal),
                    };
                    if *descending {
                        o.reverse()
                    } else {
                        o
                    }
                }
            };
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    });
}

fn run_select(
    select: &ast::Select,
    order_by: Option<&ast::OrderBy>,
    limit: Option<usize>,
    offset: usize,
    catalog: &Catalog<'_>,
) -> Result<Table, SqlError> {
    let (table, qualifiers) = source(select, catalog)?;
    let scope = Scope {
        names: table.columns().iter().map(|c| c.name.clone()).collect(),
        types: table.columns().iter().map(|c| SqlType::of(&c.data)).collect(),
        qualifiers,
        hidden: table.columns().iter().map(|c| c.hidden).collect(),
    };
    let plan = plan(select, order_by, &scope, limit, offset)?;
    let rows = if select.from.is_empty() { 1 } else { table.num_rows() };
    let full = Frame { columns: table.columns().iter().map(|c| c.data.clone()).collect(), len: rows };

    // Which source columns the rest of the query reads.
    let mut used = vec![false; scope.names.len()];
    match &plan.grouping {
        Some(g) => {
            g.keys.iter().for_each(|k| columns_used(k, &mut used));
            for a in &g.aggs {
                a.arg.iter().chain(&a.filter).for_each(|e| columns_used(e, &mut used));
            }
        }
        None => {
            plan.items.iter().for_each(|(_, e, _)| columns_used(e, &mut used));
            for k in &plan.order {
                if let SortSource::Rows(e) = &k.source {
                    columns_used(e, &mut used);
                }
            }
        }
    }

    let frame = match &plan.filter {
        Some(f) => {
            let keep = true_rows(&f.eval(&full)?, full.len);
            select_rows(&full, &keep, &used)
        }
        None => full,
    };

    let frame = match &plan.grouping {
        None => frame,
        Some(g) => {
            let key_columns = g
                .keys
                .iter()
                .zip(&g.key_types)
                .map(|(k, t)| Ok(k.eval(&frame)?.into_column(frame.len, *t)))
                .collect::<Result<Vec<_>, SqlError>>()?;
            let groups = group_rows(&key_columns, frame.len);
            let mut columns: Vec<ColumnData> = key_columns.iter().map(|c| take(c, &groups.first_rows)).collect();
            for call in &g.aggs {
                columns.push(aggregate(call, &frame, &groups)?);
            }
            let grouped = Frame { columns, len: groups.count };
            match &g.having {
                Some(h) => {
                    let keep = true_rows(&h.eval(&grouped)?, grouped.len);
                    let all = vec![true; grouped.columns.len()];
                    select_rows(&grouped, &keep, &all)
                }
                None => grouped,
            }
        }
    };

    let mut outputs: Vec<ColumnData> = plan
        .items
        .iter()
        .map(|(_, e, t)| Ok(e.eval(&frame)?.into_column(frame.len, *t)))
        .collect::<Result<_, SqlError>>()?;
    let mut len = frame.len;
    if plan.distinct {
        let keep = distinct_rows(&outputs, len);
        outputs = outputs.iter().map(|c| take(c, &keep)).collect();
        len = keep.len();
    }

    let mut order: Vec<u32> = (0..len as u32).collect();
    if !plan.order.is_empty() {
        let keys: Vec<(ColumnData, &SortKey)> = plan
            .order
            .iter()
            .map(|k| {
                let col = match &k.source {
                    SortSource::Output(i) => outputs[*i].clone(),
                    SortSource::Rows(e) => {
                        let d = e.eval(&frame)?;
                        match d {
                            Datum::Column(c) => c,
                            Datum::Scalar(s) => super::value::repeat(&s, len, SqlType::Integer),
                        }
                    }
                };
                Ok((col, k))
            })
            .collect::<Result<_, SqlError>>()?;
        let keys: Vec<(ColumnData, bool, bool)> = keys.into_iter().map(|(c, k)| (c, k.descending, k.nulls_first)).collect();
        sort_rows(&mut order, &keys);
    }
    let start = plan.offset.min(order.len());
    let end = plan.limit.map_or(order.len(), |l| (start + l).min(order.len()));
    let window = &order[start..end];
    let reordered = !plan.order.is_empty() || start > 0 || end < len;

    let mut names: Vec<String> = Vec::with_capacity(plan.items.len());
    let mut columns = Vec::with_capacity(plan.items.len());
    for ((name, _, _), data) in plan.items.iter().zip(outputs) {
        let mut unique = name.clone();
        let mut n = 2;
        while names.iter().any(|x| x.eq_ignore_ascii_case(&unique)) {
            unique = format!("{name}_{n}");
            n += 1;
        }
        names.push(unique.clone());
        let data = if reordered { take(&data, window) } else { data };
        columns.push(Column::new(unique, data));
    }
    Table::try_new("result", columns).map_err(|e| SqlError::new(e.to_string()))
}

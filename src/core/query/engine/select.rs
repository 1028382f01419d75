//! Planning and running one SELECT: FROM, WHERE, GROUP BY and aggregates,
//! HAVING, the select list, DISTINCT, ORDER BY, LIMIT and OFFSET.
//!
//! Every clause is bound before any row is read, so a typo anywhere is
//! reported without work, and only the columns the query uses are copied
//! after filtering.//!
//! `plan` binds the clauses into a plan and `rows` holds the row work
//! (filtering, taking, sorting); this module reads FROM, LIMIT and OFFSET
//! and runs the plan.

mod plan;
mod rows;

pub use rows::sort_rows;

use sqlparser::ast::{self, SetExpr, TableFactor, Value};

use super::aggregate::{aggregate, distinct_rows, group_rows};
use super::bind::{position_of, Scope};
use super::catalog::Catalog;
use super::error::{closest, SqlError};
use super::expr::Frame;
use super::value::{take, Datum, SqlType};
use crate::data::table::{Column, ColumnData, Table};
use plan::{plan, SortKey, SortSource};
use rows::{columns_used, select_rows, true_rows};

pub fn run_query(query: &ast::Query, catalog: &Catalog<'_>) -> Result<Table, SqlError> {
    if query.with.is_some() {
        return Err(SqlError::at(
            "WITH is not supported; use a subquery in FROM",
            position_of(query),
        ));
    }
    let (limit, offset) = limits(query.limit_clause.as_ref())?;
    match query.body.as_ref() {
        SetExpr::Select(select) => {
            run_select(select, query.order_by.as_ref(), limit, offset, catalog)
        }
        SetExpr::Query(inner) if query.order_by.is_none() && query.limit_clause.is_none() => {
            run_query(inner, catalog)
        }
        SetExpr::Query(_) => Err(SqlError::at(
            "ORDER BY or LIMIT after a parenthesised query is not supported; move it inside",
            position_of(query),
        )),
        SetExpr::SetOperation { op, .. } => Err(SqlError::at(
            format!("{op} is not supported"),
            position_of(query),
        )),
        other => Err(SqlError::at(
            format!("only SELECT queries are supported, not {other}"),
            position_of(query),
        )),
    }
}

fn constant(e: &ast::Expr, what: &str) -> Result<usize, SqlError> {
    match e {
        ast::Expr::Value(v) => match &v.value {
            Value::Number(n, _) => n.parse::<usize>().map_err(|_| {
                SqlError::at(format!("{what} must be a whole number"), position_of(e))
            }),
            _ => Err(SqlError::at(
                format!("{what} must be a whole number"),
                position_of(e),
            )),
        },
        _ => Err(SqlError::at(
            format!("{what} must be a whole number"),
            position_of(e),
        )),
    }
}

fn limits(clause: Option<&ast::LimitClause>) -> Result<(Option<usize>, usize), SqlError> {
    Ok(match clause {
        None => (None, 0),
        Some(ast::LimitClause::LimitOffset {
            limit,
            offset,
            limit_by,
        }) => {
            if !limit_by.is_empty() {
                return Err(SqlError::new("LIMIT BY is not supported"));
            }
            let limit = limit.as_ref().map(|l| constant(l, "LIMIT")).transpose()?;
            let offset = offset
                .as_ref()
                .map(|o| constant(&o.value, "OFFSET"))
                .transpose()?
                .unwrap_or(0);
            (limit, offset)
        }
        Some(ast::LimitClause::OffsetCommaLimit { offset, limit }) => {
            (Some(constant(limit, "LIMIT")?), constant(offset, "OFFSET")?)
        }
    })
}

/// The FROM clause: one table of the catalog, or a subquery.
fn source(select: &ast::Select, catalog: &Catalog<'_>) -> Result<(Table, Vec<String>), SqlError> {
    match select.from.as_slice() {
        [] => Ok((
            Table::try_new("dual", Vec::new()).map_err(|e| SqlError::new(e.to_string()))?,
            Vec::new(),
        )),
        [from] => {
            if let Some(join) = from.joins.first() {
                return Err(SqlError::at(
                    "joins are not supported; query one table at a time",
                    position_of(join),
                ));
            }
            match &from.relation {
                TableFactor::Table { name, alias, .. } => {
                    let at = position_of(name);
                    let parts: Vec<String> = name
                        .0
                        .iter()
                        .filter_map(|p| p.as_ident().map(|i| i.value.clone()))
                        .collect();
                    let table_name = parts.last().cloned().unwrap_or_default();
                    let table = catalog.get(&table_name).ok_or_else(|| {
                        SqlError::at(format!("unknown table \"{}\"", name), at).with_suggestions(
                            closest(&table_name, catalog.names().map(String::as_str)),
                        )
                    })?;
                    let mut qualifiers =
                        vec![table_name.to_lowercase(), name.to_string().to_lowercase()];
                    if let Some(a) = alias {
                        qualifiers.push(a.name.value.to_lowercase());
                    }
                    Ok((table.clone(), qualifiers))
                }
                TableFactor::Derived {
                    subquery, alias, ..
                } => {
                    let table = run_query(subquery, catalog)?;
                    let qualifiers = alias.iter().map(|a| a.name.value.to_lowercase()).collect();
                    Ok((table, qualifiers))
                }
                other => Err(SqlError::at(
                    format!("FROM {other} is not supported"),
                    position_of(other),
                )),
            }
        }
        [_, second, ..] => Err(SqlError::at(
            "joins are not supported; query one table at a time",
            position_of(second),
        )),
    }
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
        types: table
            .columns()
            .iter()
            .map(|c| SqlType::of(&c.data))
            .collect(),
        qualifiers,
        hidden: table.columns().iter().map(|c| c.hidden).collect(),
    };
    let plan = plan(select, order_by, &scope, limit, offset)?;
    let rows = if select.from.is_empty() {
        1
    } else {
        table.num_rows()
    };
    let full = Frame {
        columns: table.columns().iter().map(|c| c.data.clone()).collect(),
        len: rows,
    };

    // Which source columns the rest of the query reads.
    let mut used = vec![false; scope.names.len()];
    match &plan.grouping {
        Some(g) => {
            g.keys.iter().for_each(|k| columns_used(k, &mut used));
            for a in &g.aggs {
                a.arg
                    .iter()
                    .chain(&a.filter)
                    .for_each(|e| columns_used(e, &mut used));
            }
        }
        None => {
            plan.items
                .iter()
                .for_each(|(_, e, _)| columns_used(e, &mut used));
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
            let mut columns: Vec<ColumnData> = key_columns
                .iter()
                .map(|c| take(c, &groups.first_rows))
                .collect();
            for call in &g.aggs {
                columns.push(aggregate(call, &frame, &groups)?);
            }
            let grouped = Frame {
                columns,
                len: groups.count,
            };
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
        let keys: Vec<(ColumnData, bool, bool)> = keys
            .into_iter()
            .map(|(c, k)| (c, k.descending, k.nulls_first))
            .collect();
        sort_rows(&mut order, &keys);
    }
    let start = plan.offset.min(order.len());
    let end = plan
        .limit
        .map_or(order.len(), |l| (start + l).min(order.len()));
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

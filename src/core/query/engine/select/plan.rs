//! Planning one SELECT: every clause bound before any row is read — WHERE,
//! the select list with `*` expanded, GROUP BY keys (expressions, positions
//! or aliases), aggregates, HAVING, DISTINCT and ORDER BY keys.

use sqlparser::ast::{self, GroupByExpr, OrderByKind, SelectItem, Value};

use crate::query::engine::aggregate::AggCall;
use crate::query::engine::bind::{has_aggregate, position_of, Binder, Mode, Scope};
use crate::query::engine::error::SqlError;
use crate::query::engine::expr::Expr;
use crate::query::engine::parse::result_name;
use crate::query::engine::value::{Scalar, SqlType};

/// Where an ORDER BY key is read from.
pub(super) enum SortSource {
    /// A column of the result.
    Output(usize),
    /// An expression over the rows before the select list.
    Rows(Expr),
}

pub(super) struct SortKey {
    pub(super) source: SortSource,
    pub(super) descending: bool,
    pub(super) nulls_first: bool,
}

pub(super) struct Grouping {
    pub(super) keys: Vec<Expr>,
    pub(super) key_types: Vec<SqlType>,
    pub(super) aggs: Vec<AggCall>,
    pub(super) having: Option<Expr>,
}

pub(super) struct Plan {
    pub(super) filter: Option<Expr>,
    pub(super) grouping: Option<Grouping>,
    pub(super) items: Vec<(String, Expr, SqlType)>,
    pub(super) distinct: bool,
    pub(super) order: Vec<SortKey>,
    pub(super) limit: Option<usize>,
    pub(super) offset: usize,
}

fn item_name(e: &ast::Expr, scope: &Scope) -> String {
    result_name(e, &|n| scope.find(n).map(|k| scope.names[k].clone()))
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

pub(super) fn plan(
    select: &ast::Select,
    order_by: Option<&ast::OrderBy>,
    scope: &Scope,
    limit: Option<usize>,
    offset: usize,
) -> Result<Plan, SqlError> {
    check_unsupported(select)?;
    let filter = match &select.selection {
        Some(w) => {
            let mut b = Binder {
                scope,
                mode: Mode::Rows { clause: "WHERE" },
            };
            let (e, t) = b.bind(w)?;
            if t != SqlType::Boolean && !matches!(e, Expr::Literal(Scalar::Null)) {
                return Err(SqlError::at(
                    format!("WHERE needs a condition, but this is {}", t.name()),
                    position_of(w),
                ));
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
                for (i, name) in scope
                    .names
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !scope.hidden.get(*i).copied().unwrap_or(false))
                {
                    asts.push((name.clone(), None, Some(i)));
                }
            }
            SelectItem::QualifiedWildcard(kind, _) => {
                let q = kind.to_string().trim_end_matches(".*").to_lowercase();
                if !scope.qualifiers.contains(&q) {
                    return Err(SqlError::at(
                        format!("there is no table \"{q}\" in FROM"),
                        position_of(item),
                    ));
                }
                for (i, name) in scope
                    .names
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !scope.hidden.get(*i).copied().unwrap_or(false))
                {
                    asts.push((name.clone(), None, Some(i)));
                }
            }
            SelectItem::UnnamedExpr(e) => asts.push((item_name(e, scope), Some(e), None)),
            SelectItem::ExprWithAlias { expr, alias } => {
                asts.push((alias.value.clone(), Some(expr), None))
            }
            SelectItem::ExprWithAliases { expr, .. } => {
                asts.push((item_name(expr, scope), Some(expr), None))
            }
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
                return Err(SqlError::new(
                    "GROUP BY modifiers (ROLLUP, CUBE) are not supported",
                ));
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
                    (Some(e), _) if !has_aggregate(e) => {
                        key_asts.push((name.clone(), (*e).clone()))
                    }
                    (None, Some(i)) => key_asts.push((name.clone(), column_expr(*i))),
                    _ => {}
                }
            }
        }
        for g in group_exprs.into_iter().flatten() {
            let by_position = match g {
                ast::Expr::Value(v) => match &v.value {
                    Value::Number(n, _) => Some(
                        n.parse::<usize>()
                            .ok()
                            .filter(|p| (1..=asts.len()).contains(p))
                            .ok_or_else(|| {
                                SqlError::at(
                                    format!("GROUP BY {n}: there are {} select items", asts.len()),
                                    position_of(g),
                                )
                            })?,
                    ),
                    _ => None,
                },
                _ => None,
            };
            let by_alias = match g {
                ast::Expr::Identifier(i) if scope.find(&i.value).is_none() => asts
                    .iter()
                    .position(|(name, _, _)| name.eq_ignore_ascii_case(&i.value))
                    .map(|p| p + 1),
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
                        return Err(SqlError::at(
                            format!("GROUP BY {p} refers to an aggregate"),
                            position_of(g),
                        ));
                    }
                    key_asts.push((name.clone(), e));
                }
                None => key_asts.push((item_name(g, scope), g.clone())),
            }
        }
        let mut keys = Vec::with_capacity(key_asts.len());
        let mut key_types = Vec::with_capacity(key_asts.len());
        for (_, k) in &key_asts {
            let mut b = Binder {
                scope,
                mode: Mode::Rows { clause: "GROUP BY" },
            };
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
            let mut b = Binder {
                scope: &group_scope,
                mode: Mode::Groups {
                    keys: &keys,
                    aggs: &mut aggs,
                    source: scope,
                },
            };
            let (bound, t) = b.bind(e)?;
            items.push((name.clone(), bound, t));
        }
        let having = match &select.having {
            Some(h) => {
                let mut b = Binder {
                    scope: &group_scope,
                    mode: Mode::Groups {
                        keys: &keys,
                        aggs: &mut aggs,
                        source: scope,
                    },
                };
                let (e, t) = b.bind(h)?;
                if t != SqlType::Boolean {
                    return Err(SqlError::at(
                        format!("HAVING needs a condition, but this is {}", t.name()),
                        position_of(h),
                    ));
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
                    let mut b = Binder {
                        scope: &group_scope,
                        mode: Mode::Groups {
                            keys: &keys,
                            aggs: &mut aggs,
                            source: scope,
                        },
                    };
                    SortSource::Rows(b.bind(&o.expr)?.0)
                }
            };
            order.push(sort_key(source, o));
        }
        let grouping = Some(Grouping {
            keys,
            key_types,
            aggs,
            having,
        });
        let distinct = select.distinct.is_some();
        return Ok(Plan {
            filter,
            grouping,
            items,
            distinct,
            order,
            limit,
            offset,
        });
    }

    for (name, e, col) in &asts {
        match (e, col) {
            (_, Some(i)) => items.push((name.clone(), Expr::Column(*i), scope.types[*i])),
            (Some(e), None) => {
                let mut b = Binder {
                    scope,
                    mode: Mode::Rows {
                        clause: "the select list",
                    },
                };
                let (bound, t) = b.bind(e)?;
                items.push((name.clone(), bound, t));
            }
            (None, None) => {}
        }
    }
    let distinct = match &select.distinct {
        None => false,
        Some(ast::Distinct::Distinct) => true,
        Some(other) => {
            return Err(SqlError::at(
                format!("{other} is not supported"),
                position_of(select),
            ))
        }
    };
    let mut order = Vec::new();
    for o in &order_exprs {
        let source = match output_reference(&o.expr, &items)? {
            Some(i) => SortSource::Output(i),
            None => {
                let mut b = Binder {
                    scope,
                    mode: Mode::Rows { clause: "ORDER BY" },
                };
                let bound = b.bind(&o.expr)?.0;
                match items.iter().position(|(_, e, _)| *e == bound) {
                    Some(i) => SortSource::Output(i),
                    None if distinct => {
                        return Err(SqlError::at(
                            "with DISTINCT, ORDER BY must use selected columns",
                            position_of(&o.expr),
                        ))
                    }
                    None => SortSource::Rows(bound),
                }
            }
        };
        order.push(sort_key(source, o));
    }
    Ok(Plan {
        filter,
        grouping: None,
        items,
        distinct,
        order,
        limit,
        offset,
    })
}

/// `ORDER BY 2` or `ORDER BY alias`: a column of the result.
fn output_reference(
    e: &ast::Expr,
    items: &[(String, Expr, SqlType)],
) -> Result<Option<usize>, SqlError> {
    match e {
        ast::Expr::Value(v) => match &v.value {
            Value::Number(n, _) => {
                let p = n
                    .parse::<usize>()
                    .ok()
                    .filter(|p| (1..=items.len()).contains(p));
                p.map(|p| Some(p - 1)).ok_or_else(|| {
                    SqlError::at(
                        format!("ORDER BY {n}: there are {} columns", items.len()),
                        position_of(e),
                    )
                })
            }
            _ => Ok(None),
        },
        ast::Expr::Identifier(i) => Ok(items
            .iter()
            .position(|(name, _, _)| name.eq_ignore_ascii_case(&i.value))),
        _ => Ok(None),
    }
}

fn sort_key(source: SortSource, o: &ast::OrderByExpr) -> SortKey {
    let descending = matches!(o.options.sort, Some(ast::OrderBySort::Desc));
    // DuckDB's default: NULLs last in both directions.
    SortKey {
        source,
        descending,
        nulls_first: o.options.nulls_first.unwrap_or(false),
    }
}

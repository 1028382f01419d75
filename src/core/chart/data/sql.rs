//! Computing a chart's data by generating SQL for the query engine, one
//! query per kind of chart, with the spec's filters and any cross-filter
//! as its WHERE clause.

use crate::chart::data::{ChartData, Point, Series};
use crate::chart::spec::{
    field_type, fitting_kinds, ChartError, ChartKind, ChartSpec, MeasureSpec, EMPTY_LABEL,
    MAX_POINTS, MAX_TABLE_ROWS,
};
use crate::data::table::{ColumnData, Table};
use crate::query::filter::{quote_ident, to_sql};
use crate::query::{run_sql, Catalog};

/// The WHERE clause of a spec: its Filters shelf, plus a cross-filter
/// from another visual of the dashboard (`field = value`).
pub fn where_clause(spec: &ChartSpec, table: &Table, cross: Option<&(String, String)>) -> String {
    let type_of = |name: &str| table.column(name).map(|c| c.column_type());
    let mut parts = Vec::new();
    let shelf = to_sql(&spec.filter, &type_of);
    if !shelf.is_empty() {
        parts.push(format!("({shelf})"));
    }
    if let Some((field, value)) = cross {
        if value == EMPTY_LABEL && type_of(field).is_some() {
            parts.push(format!("{} IS NULL", quote_ident(field)));
        } else if let Some(ty) = type_of(field) {
            let literal = if ty.is_numeric() && value.parse::<f64>().is_ok() {
                value.clone()
            } else {
                format!("'{}'", value.replace('\'', "''"))
            };
            parts.push(format!("{} = {literal}", quote_ident(field)));
        }
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", parts.join(" AND "))
    }
}

fn run(sql: &str, table: &Table) -> Result<Table, ChartError> {
    Ok(run_sql(sql, &Catalog::new().with("data", table))?)
}

fn label_of(data: &ColumnData, row: usize) -> String {
    data.display(row).unwrap_or_else(|| EMPTY_LABEL.to_owned())
}

/// The data `spec` asks of `table`, optionally cross-filtered.
pub fn chart_data(
    spec: &ChartSpec,
    table: &Table,
    cross: Option<&(String, String)>,
) -> Result<ChartData, ChartError> {
    for f in spec.dimensions.iter().chain(spec.color.iter()) {
        field_type(table, f)?;
    }
    for m in spec.measures.iter().filter(|m| !m.is_record_count()) {
        field_type(table, &m.field)?;
    }
    if !fitting_kinds(spec, table).contains(&spec.kind) {
        return Err(ChartError::Shelves(format!(
            "{} does not fit these fields",
            spec.kind.label()
        )));
    }
    let filter = where_clause(spec, table, cross);
    match spec.kind {
        ChartKind::Table => table_data(spec, table, &filter),
        ChartKind::Scatter => scatter_data(spec, table, &filter),
        ChartKind::Histogram => histogram_data(spec, table, &filter),
        ChartKind::Box => box_data(spec, table, &filter),
        ChartKind::Heatmap => heatmap_data(spec, table, &filter),
        _ => category_data(spec, table, &filter),
    }
}

fn measures_or_count(spec: &ChartSpec) -> Vec<MeasureSpec> {
    if spec.measures.is_empty() {
        vec![MeasureSpec::record_count()]
    } else {
        spec.measures.clone()
    }
}

fn category_data(spec: &ChartSpec, table: &Table, filter: &str) -> Result<ChartData, ChartError> {
    let dim = &spec.dimensions[0];
    let measures = measures_or_count(spec);
    let d = quote_ident(dim);
    if let Some(color) = &spec.color {
        // One series per value of the colour field, for the first measure.
        let m = &measures[0];
        let c = quote_ident(color);
        let sql = format!("SELECT {d}, {c}, {} FROM data{filter} GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 2 NULLS LAST", m.sql());
        let result = run(&sql, table)?;
        let cols = result.columns();
        let mut categories: Vec<String> = Vec::new();
        let mut names: Vec<String> = Vec::new();
        for r in 0..result.num_rows() {
            let (cat, name) = (label_of(&cols[0].data, r), label_of(&cols[1].data, r));
            if !categories.contains(&cat) {
                categories.push(cat);
            }
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names.sort();
        let mut series: Vec<Series> = names
            .iter()
            .map(|n| Series {
                name: n.clone(),
                values: vec![None; categories.len()],
            })
            .collect();
        for r in 0..result.num_rows() {
            let (cat, name) = (label_of(&cols[0].data, r), label_of(&cols[1].data, r));
            let (Some(ci), Some(si)) = (
                categories.iter().position(|c| *c == cat),
                names.iter().position(|n| *n == name),
            ) else {
                continue;
            };
            series[si].values[ci] = cols[2].data.number(r);
        }
        return Ok(ChartData::Categories {
            axis: dim.clone(),
            value_axis: m.title(),
            categories,
            series,
        });
    }
    let aggs: Vec<String> = measures.iter().map(MeasureSpec::sql).collect();
    let sql = format!(
        "SELECT {d}, {} FROM data{filter} GROUP BY 1 ORDER BY 1 NULLS LAST",
        aggs.join(", ")
    );
    let result = run(&sql, table)?;
    let cols = result.columns();
    let categories = (0..result.num_rows())
        .map(|r| label_of(&cols[0].data, r))
        .collect();
    let series = measures
        .iter()
        .enumerate()
        .map(|(i, m)| Series {
            name: m.title(),
            values: (0..result.num_rows())
                .map(|r| cols[i + 1].data.number(r))
                .collect(),
        })
        .collect();
    let value_axis = if measures.len() == 1 {
        measures[0].title()
    } else {
        "value".to_owned()
    };
    Ok(ChartData::Categories {
        axis: dim.clone(),
        value_axis,
        categories,
        series,
    })
}

fn table_data(spec: &ChartSpec, table: &Table, filter: &str) -> Result<ChartData, ChartError> {
    let dims: Vec<String> = spec.dimensions.iter().map(|d| quote_ident(d)).collect();
    let sql = if spec.measures.is_empty() {
        format!(
            "SELECT DISTINCT {} FROM data{filter} ORDER BY {} LIMIT {MAX_TABLE_ROWS}",
            dims.join(", "),
            (1..=dims.len())
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else {
        let mut items = dims.clone();
        items.extend(
            spec.measures
                .iter()
                .map(|m| format!("{} AS \"{}\"", m.sql(), m.title().replace('"', ""))),
        );
        if dims.is_empty() {
            format!("SELECT {} FROM data{filter}", items.join(", "))
        } else {
            let order: Vec<String> = (1..=dims.len())
                .map(|i| format!("{i} NULLS LAST"))
                .collect();
            format!(
                "SELECT {} FROM data{filter} GROUP BY {} ORDER BY {} LIMIT {MAX_TABLE_ROWS}",
                items.join(", "),
                (1..=dims.len())
                    .map(|i| i.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                order.join(", ")
            )
        }
    };
    Ok(ChartData::Table(run(&sql, table)?))
}

fn scatter_data(spec: &ChartSpec, table: &Table, filter: &str) -> Result<ChartData, ChartError> {
    let (mx, my) = (&spec.measures[0], &spec.measures[1]);
    let (x_axis, y_axis);
    let mut groups: Vec<(String, Vec<Point>)> = Vec::new();
    let total;
    if let Some(dim) = spec.dimensions.first() {
        // One point per dimension value, from the aggregated measures.
        x_axis = mx.title();
        y_axis = my.title();
        let sql = format!(
            "SELECT {}, {}, {} FROM data{filter} GROUP BY 1",
            quote_ident(dim),
            mx.sql(),
            my.sql()
        );
        let r = run(&sql, table)?;
        let c = r.columns();
        let points: Vec<Point> = (0..r.num_rows())
            .filter_map(|i| {
                Some(Point {
                    x: c[1].data.number(i)?,
                    y: c[2].data.number(i)?,
                    label: Some(label_of(&c[0].data, i)),
                })
            })
            .collect();
        total = points.len();
        groups.push((String::new(), points));
    } else {
        // Raw values of the two fields, one point per row.
        if mx.is_record_count() || my.is_record_count() {
            return Err(ChartError::Shelves(
                "a scatter of rows needs two number fields".into(),
            ));
        }
        x_axis = mx.field.clone();
        y_axis = my.field.clone();
        let (x, y) = (quote_ident(&mx.field), quote_ident(&my.field));
        let color = spec
            .color
            .as_ref()
            .map(|c| format!(", {}", quote_ident(c)))
            .unwrap_or_default();
        let cond = format!("{x} IS NOT NULL AND {y} IS NOT NULL");
        let filter = if filter.is_empty() {
            format!(" WHERE {cond}")
        } else {
            format!("{filter} AND {cond}")
        };
        let r = run(&format!("SELECT {x}, {y}{color} FROM data{filter}"), table)?;
        total = r.num_rows();
        let step = total.div_ceil(MAX_POINTS).max(1);
        let c = r.columns();
        for i in (0..total).step_by(step) {
            let (Some(px), Some(py)) = (c[0].data.number(i), c[1].data.number(i)) else {
                continue;
            };
            let g = if spec.color.is_some() {
                label_of(&c[2].data, i)
            } else {
                String::new()
            };
            match groups.iter_mut().find(|(n, _)| *n == g) {
                Some((_, pts)) => pts.push(Point {
                    x: px,
                    y: py,
                    label: None,
                }),
                None => groups.push((
                    g,
                    vec![Point {
                        x: px,
                        y: py,
                        label: None,
                    }],
                )),
            }
        }
        groups.sort_by(|a, b| a.0.cmp(&b.0));
    }
    Ok(ChartData::Points {
        x_axis,
        y_axis,
        groups,
        sampled_from: total,
    })
}

/// Values of a number field (and an optional split), without NULLs.
fn values(
    table: &Table,
    field: &str,
    split: Option<&str>,
    filter: &str,
) -> Result<Vec<(String, f64)>, ChartError> {
    let f = quote_ident(field);
    let s = split
        .map(|s| format!(", {}", quote_ident(s)))
        .unwrap_or_default();
    let cond = format!("{f} IS NOT NULL");
    let filter = if filter.is_empty() {
        format!(" WHERE {cond}")
    } else {
        format!("{filter} AND {cond}")
    };
    let r = run(&format!("SELECT {f}{s} FROM data{filter}"), table)?;
    let c = r.columns();
    Ok((0..r.num_rows())
        .filter_map(|i| {
            Some((
                if split.is_some() {
                    label_of(&c[1].data, i)
                } else {
                    String::new()
                },
                c[0].data.number(i)?,
            ))
        })
        .collect())
}

fn histogram_data(spec: &ChartSpec, table: &Table, filter: &str) -> Result<ChartData, ChartError> {
    let field = &spec.measures[0].field;
    if !field_type(table, field)?.is_numeric() {
        return Err(ChartError::NotNumeric("a histogram".into()));
    }
    let vals = values(table, field, spec.color.as_deref(), filter)?;
    let (edges, groups) = crate::common::stats::histogram(&vals, spec.bins.clamp(1, 200));
    let series = groups
        .into_iter()
        .map(|(name, counts)| Series {
            name: if name.is_empty() {
                "count".to_owned()
            } else {
                name
            },
            values: counts.into_iter().map(Some).collect(),
        })
        .collect();
    Ok(ChartData::Histogram {
        axis: field.clone(),
        edges,
        series,
    })
}

fn box_data(spec: &ChartSpec, table: &Table, filter: &str) -> Result<ChartData, ChartError> {
    let field = &spec.measures[0].field;
    if !field_type(table, field)?.is_numeric() {
        return Err(ChartError::NotNumeric("a box plot".into()));
    }
    let dim = &spec.dimensions[0];
    let vals = values(table, field, Some(dim), filter)?;
    Ok(ChartData::Boxes {
        axis: dim.clone(),
        value_axis: field.clone(),
        boxes: crate::common::stats::boxes(vals),
    })
}

fn heatmap_data(spec: &ChartSpec, table: &Table, filter: &str) -> Result<ChartData, ChartError> {
    let m = measures_or_count(spec).remove(0);
    let (dx, dy) = (&spec.dimensions[0], &spec.dimensions[1]);
    let sql = format!(
        "SELECT {}, {}, {} FROM data{filter} GROUP BY 1, 2",
        quote_ident(dx),
        quote_ident(dy),
        m.sql()
    );
    let r = run(&sql, table)?;
    let c = r.columns();
    let mut xs: Vec<String> = (0..r.num_rows()).map(|i| label_of(&c[0].data, i)).collect();
    let mut ys: Vec<String> = (0..r.num_rows()).map(|i| label_of(&c[1].data, i)).collect();
    for v in [&mut xs, &mut ys] {
        v.sort();
        v.dedup();
    }
    let mut values = vec![vec![None; xs.len()]; ys.len()];
    for i in 0..r.num_rows() {
        let (x, y) = (label_of(&c[0].data, i), label_of(&c[1].data, i));
        if let (Ok(xi), Ok(yi)) = (xs.binary_search(&x), ys.binary_search(&y)) {
            values[yi][xi] = c[2].data.number(i);
        }
    }
    Ok(ChartData::Grid {
        x_axis: dx.clone(),
        y_axis: dy.clone(),
        xs,
        ys,
        values,
        measure: m.title(),
    })
}

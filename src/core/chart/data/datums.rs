//! The accessible data table behind every chart: one labelled row per
//! mark, for screen readers, tooltips and tests.

use crate::chart::data::ChartData;
use crate::common::numfmt::format_value;

/// One row of a chart's accessible data table.
#[derive(Clone, Debug, PartialEq)]
pub struct Datum {
    pub label: String,
    pub value: String,
    /// The numeric value, for tooltips and tests.
    pub number: Option<f64>,
}

impl Datum {
    /// The datum showing `text` (a cell as displayed) as its value.
    fn with_text(mut self, text: Option<String>) -> Datum {
        self.value = text.unwrap_or_default();
        self
    }
}

impl ChartData {
    /// How many marks the chart draws (bars, points, the points of its
    /// curves, boxes, cells; a table's rows): what its drawing costs.
    pub fn marks(&self) -> usize {
        match self {
            ChartData::Categories {
                categories, series, ..
            } => categories.len() * series.len(),
            ChartData::Points { groups, .. } => groups.iter().map(|(_, p)| p.len()).sum(),
            ChartData::Curves { curves, .. } => curves.iter().map(|c| c.points.len()).sum(),
            ChartData::Histogram { series, .. } => series.iter().map(|s| s.values.len()).sum(),
            ChartData::Boxes { boxes, .. } => boxes.len(),
            ChartData::Grid { values, .. } => values.iter().map(Vec::len).sum(),
            ChartData::Table(t) => t.num_rows(),
        }
    }

    /// The data table behind the chart, for screen readers and tests.
    pub fn datums(&self) -> Vec<Datum> {
        let datum = |label: String, v: Option<f64>| Datum {
            label,
            value: v.map(format_value).unwrap_or_default(),
            number: v,
        };
        match self {
            ChartData::Categories {
                categories, series, ..
            } => {
                let single = series.len() == 1;
                let mut out = Vec::new();
                for s in series {
                    for (c, v) in categories.iter().zip(&s.values) {
                        let label = if single {
                            c.clone()
                        } else {
                            format!("{c} · {}", s.name)
                        };
                        out.push(datum(label, *v));
                    }
                }
                out
            }
            ChartData::Points { groups, .. } => groups
                .iter()
                .flat_map(|(g, pts)| {
                    pts.iter().take(200).map(move |p| Datum {
                        label: p.label.clone().unwrap_or_else(|| {
                            if g.is_empty() {
                                format_value(p.x)
                            } else {
                                format!("{g}: {}", format_value(p.x))
                            }
                        }),
                        value: format!("{}, {}", format_value(p.x), format_value(p.y)),
                        number: Some(p.y),
                    })
                })
                .collect(),
            ChartData::Curves { curves, .. } => curves
                .iter()
                .flat_map(|c| {
                    // A long curve is summarised in at most 50 rows.
                    let step = c.points.len().div_ceil(50).max(1);
                    let last = c.points.len().saturating_sub(1);
                    c.points
                        .iter()
                        .enumerate()
                        .filter(move |(i, _)| i % step == 0 || *i == last)
                        .map(move |(_, (x, y))| Datum {
                            label: if curves.len() > 1 {
                                format!("{} · {}", c.name, format_value(*x))
                            } else {
                                format_value(*x)
                            },
                            value: format_value(*y),
                            number: Some(*y),
                        })
                })
                .collect(),
            ChartData::Histogram { edges, series, .. } => {
                let single = series.len() == 1;
                series
                    .iter()
                    .flat_map(|s| {
                        s.values.iter().enumerate().map(move |(i, v)| {
                            let range = format!(
                                "{} to {}",
                                format_value(edges[i]),
                                format_value(edges[i + 1])
                            );
                            datum(
                                if single {
                                    range
                                } else {
                                    format!("{range} · {}", s.name)
                                },
                                *v,
                            )
                        })
                    })
                    .collect()
            }
            ChartData::Boxes { boxes, .. } => boxes
                .iter()
                .map(|b| Datum {
                    label: b.label.clone(),
                    value: format!(
                        "median {}, quartiles {} to {}, range {} to {}",
                        format_value(b.median),
                        format_value(b.q1),
                        format_value(b.q3),
                        format_value(b.min),
                        format_value(b.max)
                    ),
                    number: Some(b.median),
                })
                .collect(),
            ChartData::Grid { xs, ys, values, .. } => ys
                .iter()
                .zip(values)
                .flat_map(|(y, row)| {
                    xs.iter()
                        .zip(row)
                        .map(move |(x, v)| datum(format!("{y} · {x}"), *v))
                })
                .collect(),
            ChartData::Table(t) if t.num_columns() == 1 => {
                let c = &t.columns()[0];
                (0..t.num_rows())
                    .map(|r| datum(c.name.clone(), c.data.number(r)).with_text(c.data.display(r)))
                    .collect()
            }
            ChartData::Table(t) => (0..t.num_rows())
                .map(|r| Datum {
                    label: t
                        .columns()
                        .first()
                        .and_then(|c| c.data.display(r))
                        .unwrap_or_default(),
                    value: t
                        .columns()
                        .iter()
                        .skip(1)
                        .map(|c| c.data.display(r).unwrap_or_default())
                        .collect::<Vec<_>>()
                        .join(", "),
                    number: t.columns().get(1).and_then(|c| c.data.number(r)),
                })
                .collect(),
        }
    }
}

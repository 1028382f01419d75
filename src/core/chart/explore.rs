//! The workshop's exploration notebook as functions: each column's
//! distribution split by a target, a box plot, a pair plot of a few number
//! columns coloured by a category, and a correlation heat map.

use crate::chart::{
    chart_data, Agg, ChartData, ChartError, ChartKind, ChartSpec, MeasureSpec, RECORD_COUNT,
};
use crate::data::table::{ColumnData, ColumnType, Table};
use serde::{Deserialize, Serialize};

/// Most columns a pair plot takes.
pub const PAIR_PLOT_MAX: usize = 4;
/// Integer columns with at most this many values are shown as bars.
const FEW_VALUES: usize = 12;

/// One of the Explore page's charts, as plain data: what the page asks a
/// worker for when the table is large.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "chart", rename_all = "kebab-case")]
pub enum ExploreChart {
    /// [`distribution`] of `column`, split by `split`.
    Distribution {
        column: String,
        split: Option<String>,
        bins: usize,
    },
    /// [`box_plot`] of `value` by `by`.
    BoxPlot { value: String, by: String },
    /// [`pair_cell`] of `y` against `x`, coloured by `color`.
    PairCell {
        x: String,
        y: String,
        color: Option<String>,
    },
    /// [`correlations`] of the number columns.
    Correlations,
}

impl ExploreChart {
    /// The chart's kind and data on `table`.
    pub fn compute(&self, table: &Table) -> Result<(ChartKind, ChartData), ChartError> {
        match self {
            ExploreChart::Distribution {
                column,
                split,
                bins,
            } => distribution(table, column, split.as_deref(), *bins),
            ExploreChart::BoxPlot { value, by } => {
                box_plot(table, value, by).map(|d| (ChartKind::Box, d))
            }
            ExploreChart::PairCell { x, y, color } => pair_cell(table, x, y, color.as_deref()),
            ExploreChart::Correlations => Ok((ChartKind::Heatmap, correlations(table))),
        }
    }
}

/// Whether a column reads best as a histogram (many numbers) or as bars.
pub fn is_continuous(table: &Table, column: &str) -> bool {
    let Some(c) = table.column(column) else {
        return false;
    };
    match &c.data {
        ColumnData::Float(_) => true,
        ColumnData::Integer(a) => {
            let mut seen: Vec<i64> = Vec::new();
            for v in a.iter().flatten() {
                if !seen.contains(&v) {
                    seen.push(v);
                    if seen.len() > FEW_VALUES {
                        return true;
                    }
                }
            }
            false
        }
        _ => false,
    }
}

/// Columns worth a distribution: all but near-unique text (IDs).
pub fn explorable_columns(table: &Table) -> Vec<String> {
    table
        .columns()
        .iter()
        .filter(|c| !c.hidden && c.column_type() != ColumnType::Text)
        .map(|c| c.name.clone())
        .collect()
}

/// Number columns, for box plots, pair plots and correlations.
pub fn numeric_columns(table: &Table) -> Vec<String> {
    table
        .columns()
        .iter()
        .filter(|c| !c.hidden && c.column_type().is_numeric())
        .map(|c| c.name.clone())
        .collect()
}

/// Category columns, to split and colour by.
pub fn category_columns(table: &Table) -> Vec<String> {
    table
        .columns()
        .iter()
        .filter(|c| {
            !c.hidden
                && matches!(
                    c.column_type(),
                    ColumnType::Categorical | ColumnType::Boolean | ColumnType::Integer
                )
        })
        .filter(|c| !is_continuous(table, &c.name))
        .map(|c| c.name.clone())
        .collect()
}

/// A column's distribution, split by `target` (a histogram for many
/// numbers, grouped bars of counts otherwise).
pub fn distribution(
    table: &Table,
    column: &str,
    target: Option<&str>,
    bins: usize,
) -> Result<(ChartKind, ChartData), ChartError> {
    let target = target
        .filter(|t| !t.eq_ignore_ascii_case(column))
        .map(str::to_owned);
    let spec = if is_continuous(table, column) {
        ChartSpec {
            kind: ChartKind::Histogram,
            measures: vec![MeasureSpec {
                field: column.to_owned(),
                agg: Agg::Sum,
            }],
            color: target,
            bins,
            ..ChartSpec::default()
        }
    } else {
        ChartSpec {
            kind: if target.is_some() {
                ChartKind::GroupedBar
            } else {
                ChartKind::Bar
            },
            dimensions: vec![column.to_owned()],
            measures: vec![MeasureSpec {
                field: RECORD_COUNT.to_owned(),
                agg: Agg::Count,
            }],
            color: target,
            ..ChartSpec::default()
        }
    };
    Ok((spec.kind, chart_data(&spec, table, None)?))
}

/// Box plot of a number column by a category.
pub fn box_plot(table: &Table, value: &str, by: &str) -> Result<ChartData, ChartError> {
    let spec = ChartSpec {
        kind: ChartKind::Box,
        dimensions: vec![by.to_owned()],
        measures: vec![MeasureSpec {
            field: value.to_owned(),
            agg: Agg::Sum,
        }],
        ..ChartSpec::default()
    };
    chart_data(&spec, table, None)
}

/// One cell of a pair plot: a histogram of `x` when `x == y`, else a
/// scatter of `y` against `x`.
pub fn pair_cell(
    table: &Table,
    x: &str,
    y: &str,
    color: Option<&str>,
) -> Result<(ChartKind, ChartData), ChartError> {
    let spec = if x == y {
        ChartSpec {
            kind: ChartKind::Histogram,
            measures: vec![MeasureSpec {
                field: x.to_owned(),
                agg: Agg::Sum,
            }],
            color: color.map(str::to_owned),
            bins: 15,
            ..ChartSpec::default()
        }
    } else {
        ChartSpec {
            kind: ChartKind::Scatter,
            measures: vec![
                MeasureSpec {
                    field: x.to_owned(),
                    agg: Agg::Sum,
                },
                MeasureSpec {
                    field: y.to_owned(),
                    agg: Agg::Sum,
                },
            ],
            color: color.map(str::to_owned),
            ..ChartSpec::default()
        }
    };
    Ok((spec.kind, chart_data(&spec, table, None)?))
}

/// The cells of a pair plot, row by row (at most [`PAIR_PLOT_MAX`] columns).
pub fn pair_plot(
    table: &Table,
    columns: &[String],
    color: Option<&str>,
) -> Result<Vec<Vec<(ChartKind, ChartData)>>, ChartError> {
    let columns = &columns[..columns.len().min(PAIR_PLOT_MAX)];
    columns
        .iter()
        .map(|y| {
            columns
                .iter()
                .map(|x| pair_cell(table, x, y, color))
                .collect()
        })
        .collect()
}

/// Pearson correlation of two columns over rows where both have a value.
pub fn pearson(a: &ColumnData, b: &ColumnData) -> Option<f64> {
    let (mut n, mut sa, mut sb) = (0.0, 0.0, 0.0);
    for r in 0..a.len() {
        if let (Some(x), Some(y)) = (a.number(r), b.number(r)) {
            n += 1.0;
            sa += x;
            sb += y;
        }
    }
    if n < 2.0 {
        return None;
    }
    let (ma, mb) = (sa / n, sb / n);
    let (mut cov, mut va, mut vb) = (0.0, 0.0, 0.0);
    for r in 0..a.len() {
        if let (Some(x), Some(y)) = (a.number(r), b.number(r)) {
            cov += (x - ma) * (y - mb);
            va += (x - ma).powi(2);
            vb += (y - mb).powi(2);
        }
    }
    (va > 0.0 && vb > 0.0).then(|| cov / (va.sqrt() * vb.sqrt()))
}

/// The correlation of every pair of number columns, as a heat map.
pub fn correlations(table: &Table) -> ChartData {
    let names = numeric_columns(table);
    let values = names
        .iter()
        .map(|y| {
            names
                .iter()
                .map(|x| {
                    let (a, b) = (table.column(x)?, table.column(y)?);
                    pearson(&a.data, &b.data).map(|r| (r * 1000.0).round() / 1000.0)
                })
                .collect()
        })
        .collect();
    ChartData::Grid {
        x_axis: String::new(),
        y_axis: String::new(),
        xs: names.clone(),
        ys: names,
        values,
        measure: "correlation".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::synth::generate;

    #[test]
    fn distributions_pick_histograms_or_bars() {
        let t = generate(800, 2);
        assert!(is_continuous(&t, "tenure") && is_continuous(&t, "MonthlyCharges"));
        assert!(!is_continuous(&t, "SeniorCitizen") && !is_continuous(&t, "Contract"));
        let (kind, data) = distribution(&t, "tenure", Some("Churn"), 20).unwrap();
        assert_eq!(kind, ChartKind::Histogram);
        let ChartData::Histogram { series, .. } = data else {
            panic!()
        };
        assert_eq!(
            series.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
            vec!["No", "Yes"]
        );
        let (kind, _) = distribution(&t, "Contract", Some("Churn"), 20).unwrap();
        assert_eq!(kind, ChartKind::GroupedBar);
        let (kind, _) = distribution(&t, "Churn", Some("Churn"), 20).unwrap();
        assert_eq!(kind, ChartKind::Bar, "a column is not split by itself");
        assert!(!explorable_columns(&t).contains(&"customerID".to_owned()));
    }

    #[test]
    fn correlations_match_numpy() {
        // .venv/bin/python -c "import numpy as np; print(np.corrcoef([1,2,3,4],[2,4,5,9])[0,1])"
        let a = ColumnData::Float(vec![1.0, 2.0, 3.0, 4.0].into());
        let b = ColumnData::Float(vec![2.0, 4.0, 5.0, 9.0].into());
        assert!((pearson(&a, &b).unwrap() - 0.9647638212377321).abs() < 1e-12);
        let t = generate(500, 3);
        let ChartData::Grid { values, xs, .. } = correlations(&t) else {
            panic!()
        };
        assert_eq!(
            xs,
            vec!["SeniorCitizen", "tenure", "MonthlyCharges", "TotalCharges"]
        );
        assert_eq!(values[1][1], Some(1.0));
        assert!(
            values[1][3].unwrap() > 0.7,
            "tenure and total charges move together"
        );
    }

    #[test]
    fn pair_plots_have_histograms_on_the_diagonal() {
        let t = generate(300, 4);
        let cols = vec![
            "tenure".to_owned(),
            "MonthlyCharges".to_owned(),
            "TotalCharges".to_owned(),
        ];
        let cells = pair_plot(&t, &cols, Some("Churn")).unwrap();
        assert_eq!(cells.len(), 3);
        assert_eq!(cells[1][1].0, ChartKind::Histogram);
        assert_eq!(cells[0][2].0, ChartKind::Scatter);
        let data = box_plot(&t, "tenure", "Contract").unwrap();
        assert!(matches!(data, ChartData::Boxes { ref boxes, .. } if boxes.len() == 3));
    }

    #[test]
    fn every_explore_chart_travels_as_json_and_comes_back_the_same() {
        let t = generate(600, 5);
        let charts = [
            ExploreChart::Distribution {
                column: "tenure".into(),
                split: Some("Churn".into()),
                bins: 12,
            },
            ExploreChart::Distribution {
                column: "Contract".into(),
                split: None,
                bins: 20,
            },
            ExploreChart::BoxPlot {
                value: "MonthlyCharges".into(),
                by: "Contract".into(),
            },
            ExploreChart::PairCell {
                x: "tenure".into(),
                y: "TotalCharges".into(),
                color: Some("Churn".into()),
            },
            ExploreChart::Correlations,
        ];
        for chart in charts {
            let asked: ExploreChart =
                serde_json::from_str(&serde_json::to_string(&chart).unwrap()).unwrap();
            assert_eq!(asked, chart);
            let answer = chart.compute(&t).map_err(|e| e.to_string());
            let text = serde_json::to_string(&answer).unwrap();
            let back: Result<(ChartKind, ChartData), String> = serde_json::from_str(&text).unwrap();
            assert_eq!(format!("{back:?}"), format!("{answer:?}"), "{chart:?}");
            assert!(answer.is_ok(), "{chart:?}");
        }
        // The same function the page calls, not another computation.
        let (kind, data) = ExploreChart::Correlations.compute(&t).unwrap();
        assert_eq!(kind, ChartKind::Heatmap);
        assert_eq!(format!("{data:?}"), format!("{:?}", correlations(&t)));
        // A column that is not there is the chart's error, said in words.
        let missing = ExploreChart::BoxPlot {
            value: "nope".into(),
            by: "Contract".into(),
        };
        assert!(missing.compute(&t).is_err());
    }
}

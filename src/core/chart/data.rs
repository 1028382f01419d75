//! The numbers a chart shows: the shapes of chart data (values per
//! category, curves, points, bins, boxes, grids, tables). They are computed
//! by generating SQL for the query engine (`sql`, so a chart and the same
//! SQL typed on the SQL page agree), and read out as the accessible data
//! table behind every chart (`datums`).

use serde::{Deserialize, Serialize};

use crate::common::stats::BoxStats;
use crate::data::table::Table;

mod datums;
mod sql;

pub use datums::Datum;
pub use sql::{chart_data, where_clause};

/// One named series of values, one per category.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

/// A point of a scatter plot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub x: f64,
    pub y: f64,
    pub label: Option<String>,
}

/// One line of a `Curves` chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Curve {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    /// A shaded band around the line: (low, high) for each point.
    pub band: Option<Vec<(f64, f64)>>,
}

/// Which axes of a curve chart run from 0 to 1 whatever the data (rates
/// and probabilities); the others follow the data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UnitAxes {
    Neither,
    /// Only the value axis.
    Y,
    Both,
}

/// The numbers a chart shows. All but a table travel as JSON (to and from
/// the worker that computes large tables' charts).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum ChartData {
    /// Values per category (bars, lines, areas, pies).
    Categories {
        axis: String,
        value_axis: String,
        categories: Vec<String>,
        series: Vec<Series>,
    },
    /// Lines over a numeric x (ROC, precision-recall, calibration, CV
    /// curves): each curve may carry a band (low, high per point) and the
    /// plot may show the y = x diagonal.
    Curves {
        x_axis: String,
        y_axis: String,
        curves: Vec<Curve>,
        diagonal: bool,
        unit: UnitAxes,
    },
    /// Scatter plots: one set of points per colour.
    Points {
        x_axis: String,
        y_axis: String,
        groups: Vec<(String, Vec<Point>)>,
        sampled_from: usize,
    },
    /// Counts per bin; `edges` has one more entry than each series.
    Histogram {
        axis: String,
        edges: Vec<f64>,
        series: Vec<Series>,
    },
    Boxes {
        axis: String,
        value_axis: String,
        boxes: Vec<BoxStats>,
    },
    /// A value for each (x, y) pair.
    Grid {
        x_axis: String,
        y_axis: String,
        xs: Vec<String>,
        ys: Vec<String>,
        values: Vec<Vec<Option<f64>>>,
        measure: String,
    },
    #[serde(skip)]
    Table(Table),
}

//! The chart stage: a chart is a plain, serialisable spec ([`spec`]); its
//! numbers come from the query engine ([`data`]); [`draw`] lays them out on
//! any plotters backend; [`explore`] builds the exploration page's charts.

pub mod dashboard;
pub mod data;
pub mod draw;
pub mod explore;
pub mod spec;
pub mod text;

pub use crate::common::stats::BoxStats;
pub use data::{chart_data, where_clause, ChartData, Curve, Datum, Point, Series, UnitAxes};
pub use spec::{
    add_to_shelf, fit_kind, fitting_kinds, Agg, ChartError, ChartKind, ChartSpec, MeasureSpec,
    Shelf, EMPTY_LABEL, MAX_POINTS, MAX_TABLE_ROWS, RECORD_COUNT,
};

#[cfg(test)]
mod tests;

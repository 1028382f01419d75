//! Drawing chart data onto any plotters backend: the canvas in the app,
//! SVG in native tests. Layout is our own (axis titles, tick labels thinned
//! or shortened so they never overlap, legends), and every mark drawn is
//! returned as a hit region for tooltips and cross-filtering.
//!
//! This module dispatches each kind of chart to its marks; the pieces live
//! in layers below it: `style` and `hit` at the bottom, the `pen` that
//! draws, `axes`, `legend` and `layout` around a plot, and the `marks` of
//! each visual type on top.

use plotters::prelude::*;

use crate::chart::data::ChartData;
use crate::chart::spec::ChartKind;

mod axes;
mod hit;
mod layout;
mod legend;
mod marks;
mod pen;
mod style;

pub use axes::nice_ticks;
pub use hit::{hit_at, Hit, Shape};
pub use style::{color, Theme, PALETTE};

use marks::{
    bars, box_plot, curve_chart, hbars, heatmap, histogram, lines, pie, scatter, table_view,
};
use pen::{err, Area, Pen};

/// Draws `data` as `kind` over the whole area; returns the marks drawn.
pub fn draw<DB: DrawingBackend>(
    area: &Area<DB>,
    kind: ChartKind,
    data: &ChartData,
    theme: Theme,
) -> Result<Vec<Hit>, String> {
    area.fill(&WHITE).map_err(err)?;
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as f64, h as f64);
    let mut pen = Pen {
        area,
        theme,
        hits: Vec::new(),
    };
    match (kind, data) {
        (
            ChartKind::Pie,
            ChartData::Categories {
                categories, series, ..
            },
        ) => pie(&mut pen, categories, series.first(), w, h)?,
        (
            ChartKind::Hbar,
            ChartData::Categories {
                axis,
                value_axis,
                categories,
                series,
            },
        ) => hbars(&mut pen, axis, value_axis, categories, series, w, h)?,
        (
            ChartKind::Line | ChartKind::Area,
            ChartData::Categories {
                axis,
                value_axis,
                categories,
                series,
            },
        ) => lines(
            &mut pen,
            kind == ChartKind::Area,
            axis,
            value_axis,
            categories,
            series,
            w,
            h,
        )?,
        (
            _,
            ChartData::Categories {
                axis,
                value_axis,
                categories,
                series,
            },
        ) => bars(
            &mut pen,
            kind == ChartKind::StackedBar,
            axis,
            value_axis,
            categories,
            series,
            w,
            h,
        )?,
        (
            _,
            ChartData::Points {
                x_axis,
                y_axis,
                groups,
                ..
            },
        ) => scatter(&mut pen, x_axis, y_axis, groups, w, h)?,
        (
            _,
            ChartData::Curves {
                x_axis,
                y_axis,
                curves,
                diagonal,
                unit,
            },
        ) => curve_chart(&mut pen, x_axis, y_axis, curves, *diagonal, *unit, w, h)?,
        (
            _,
            ChartData::Histogram {
                axis,
                edges,
                series,
            },
        ) => histogram(&mut pen, axis, edges, series, w, h)?,
        (
            _,
            ChartData::Boxes {
                axis,
                value_axis,
                boxes,
            },
        ) => box_plot(&mut pen, axis, value_axis, boxes, w, h)?,
        (
            _,
            ChartData::Grid {
                x_axis,
                y_axis,
                xs,
                ys,
                values,
                measure,
            },
        ) => heatmap(&mut pen, x_axis, y_axis, xs, ys, values, measure, w, h)?,
        (_, ChartData::Table(table)) => table_view(&mut pen, table, w, h)?,
    }
    Ok(pen.hits)
}

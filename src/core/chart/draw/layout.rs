//! The frame around a plot: where the plot area sits once the legend and
//! axis labels have their room, the "no data" message, and the frame,
//! legend and axes that bar, line and area charts share.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::chart::data::Series;
use crate::chart::draw::axes::{category_axis_bottom, value_axis_left, value_range, Plot, Scale};
use crate::chart::draw::legend::{draw_legend, legend_height};
use crate::chart::draw::pen::Pen;
use crate::chart::draw::style::MUTED;
use crate::chart::text::text_width;
use crate::common::numfmt::format_value;

pub(super) fn no_data<DB: DrawingBackend>(pen: &Pen<'_, DB>, w: f64, h: f64) -> Result<(), String> {
    pen.text(
        "No data to show",
        w / 2.0,
        h / 2.0,
        pen.theme.font(),
        MUTED,
        HPos::Center,
        VPos::Center,
    )
}

pub(super) fn frame<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    w: f64,
    h: f64,
    left: f64,
    legend: &[String],
) -> Plot {
    let t = pen.theme;
    let top = t.px(10.0) + legend_height(pen, legend, w - t.px(20.0));
    Plot {
        x0: left,
        y0: top,
        x1: w - t.px(16.0),
        y1: h - t.px(44.0),
    }
}

pub(super) fn names(series: &[Series]) -> Vec<String> {
    series.iter().map(|s| s.name.clone()).collect()
}

/// The frame, legend and axes shared by bar, line and area charts: the
/// plot area, the value scale and the width of one category's slot (None
/// when there is nothing to draw; the "no data" message is drawn then).
// The same parts as the marks that call it pass on, named at each call.
#[allow(clippy::too_many_arguments)]
pub(super) fn category_layout<DB: DrawingBackend>(
    pen: &mut Pen<'_, DB>,
    stacked: bool,
    axis: &str,
    value_axis: &str,
    categories: &[String],
    series: &[Series],
    w: f64,
    h: f64,
) -> Result<Option<(Plot, Scale, f64)>, String> {
    if categories.is_empty() {
        no_data(pen, w, h)?;
        return Ok(None);
    }
    let t = pen.theme;
    let (lo, hi) = value_range(series, stacked);
    let left = t.px(24.0) + text_width(&format_value(hi.max(-lo)), t.small()) + t.px(10.0);
    let plot = frame(pen, w, h, left, &names(series));
    draw_legend(pen, &names(series), t.px(10.0), t.px(6.0), w - t.px(20.0))?;
    let y = value_axis_left(pen, &plot, lo, hi, value_axis)?;
    category_axis_bottom(pen, &plot, categories, axis, h)?;
    let slot = (plot.x1 - plot.x0) / categories.len() as f64;
    Ok(Some((plot, y, slot)))
}

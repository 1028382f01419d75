//! Bar charts: vertical bars per category (grouped side by side or
//! stacked) and horizontal bars with their labels on the left.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::chart::data::Series;
use crate::chart::draw::axes::{label_stride, value_axis_bottom, value_range};
use crate::chart::draw::hit::Shape;
use crate::chart::draw::layout::{category_layout, frame, names, no_data};
use crate::chart::draw::legend::draw_legend;
use crate::chart::draw::pen::Pen;
use crate::chart::draw::style::{color, INK, MUTED};
use crate::chart::text::{fit_text, text_width};

// A mark's pen, switches, axis names, data and size, each named at the one dispatch in draw.
#[allow(clippy::too_many_arguments)]
pub(crate) fn bars<DB: DrawingBackend>(
    pen: &mut Pen<'_, DB>,
    stacked: bool,
    axis: &str,
    value_axis: &str,
    categories: &[String],
    series: &[Series],
    w: f64,
    h: f64,
) -> Result<(), String> {
    let Some((plot, y, slot)) =
        category_layout(pen, stacked, axis, value_axis, categories, series, w, h)?
    else {
        return Ok(());
    };
    let t = pen.theme;
    let pad = (slot * 0.15).min(t.px(12.0));
    let groups = if stacked { 1 } else { series.len().max(1) };
    let bar_w = ((slot - 2.0 * pad) / groups as f64).max(1.0);
    for (i, c) in categories.iter().enumerate() {
        let (mut up, mut down) = (0.0, 0.0);
        for (s_i, s) in series.iter().enumerate() {
            let Some(v) = s.values[i] else { continue };
            let x0 =
                plot.x0 + slot * i as f64 + pad + if stacked { 0.0 } else { bar_w * s_i as f64 };
            let (base, top) = if stacked {
                let base = if v >= 0.0 { up } else { down };
                if v >= 0.0 {
                    up += v
                } else {
                    down += v
                }
                (base, base + v)
            } else {
                (0.0, v)
            };
            let (ya, yb) = (y.at(base), y.at(top));
            pen.rect(x0, ya, x0 + bar_w - 1.0, yb, color(s_i).to_rgba())?;
            let label = if series.len() > 1 {
                format!("{c} · {}", s.name)
            } else {
                c.clone()
            };
            pen.hit(
                Shape::Rect {
                    x0,
                    y0: yb,
                    x1: x0 + bar_w - 1.0,
                    y1: ya,
                },
                label,
                v,
                Some(c.clone()),
            );
        }
    }
    pen.line(
        &[(plot.x0, y.at(0.0)), (plot.x1, y.at(0.0))],
        MUTED.to_rgba(),
        t.px(1.0),
    )
}

pub(crate) fn hbars<DB: DrawingBackend>(
    pen: &mut Pen<'_, DB>,
    axis: &str,
    value_axis: &str,
    categories: &[String],
    series: &[Series],
    w: f64,
    h: f64,
) -> Result<(), String> {
    if categories.is_empty() {
        return no_data(pen, w, h);
    }
    let t = pen.theme;
    let (lo, hi) = value_range(series, false);
    let widest = categories
        .iter()
        .map(|c| text_width(c, t.small()))
        .fold(0.0, f64::max);
    let left = t.px(24.0) + widest.min(w * 0.35) + t.px(8.0);
    let plot = frame(pen, w, h, left, &names(series));
    draw_legend(pen, &names(series), t.px(10.0), t.px(6.0), w - t.px(20.0))?;
    let x = value_axis_bottom(pen, &plot, lo, hi, value_axis, h)?;
    let slot = (plot.y1 - plot.y0) / categories.len() as f64;
    let stride = label_stride(categories.len(), slot, t.small() * 1.3);
    let pad = (slot * 0.15).min(t.px(8.0));
    let bar_h = ((slot - 2.0 * pad) / series.len().max(1) as f64).max(1.0);
    for (i, c) in categories.iter().enumerate() {
        let yc = plot.y0 + slot * (i as f64 + 0.5);
        if i % stride == 0 {
            if let Some(label) = fit_text(c, t.small(), left - t.px(30.0)) {
                pen.text(
                    &label,
                    plot.x0 - t.px(6.0),
                    yc,
                    t.small(),
                    MUTED,
                    HPos::Right,
                    VPos::Center,
                )?;
            }
        }
        for (s_i, s) in series.iter().enumerate() {
            let Some(v) = s.values[i] else { continue };
            let y0 = plot.y0 + slot * i as f64 + pad + bar_h * s_i as f64;
            let (xa, xb) = (x.at(0.0), x.at(v));
            pen.rect(xa, y0, xb, y0 + bar_h - 1.0, color(s_i).to_rgba())?;
            let label = if series.len() > 1 {
                format!("{c} · {}", s.name)
            } else {
                c.clone()
            };
            pen.hit(
                Shape::Rect {
                    x0: xa,
                    y0,
                    x1: xb,
                    y1: y0 + bar_h - 1.0,
                },
                label,
                v,
                Some(c.clone()),
            );
        }
    }
    pen.vertical_text(
        &fit_text(axis, t.font(), plot.y1 - plot.y0).unwrap_or_default(),
        t.px(10.0),
        (plot.y0 + plot.y1) / 2.0,
        t.font(),
        INK,
    )?;
    pen.line(
        &[(x.at(0.0), plot.y0), (x.at(0.0), plot.y1)],
        MUTED.to_rgba(),
        t.px(1.0),
    )
}

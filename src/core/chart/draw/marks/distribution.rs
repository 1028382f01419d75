//! Distributions of a number field: histogram bins (stacked per series)
//! and box plots with whiskers and outliers.

use plotters::prelude::*;

use crate::chart::data::Series;
use crate::chart::draw::axes::{
    category_axis_bottom, value_axis_bottom, value_axis_left, value_range,
};
use crate::chart::draw::hit::{Hit, Shape};
use crate::chart::draw::layout::{frame, names, no_data};
use crate::chart::draw::legend::draw_legend;
use crate::chart::draw::pen::Pen;
use crate::chart::draw::style::{color, INK};
use crate::chart::text::text_width;
use crate::common::numfmt::format_value;
use crate::common::stats::BoxStats;

pub(crate) fn histogram<DB: DrawingBackend>(
    pen: &mut Pen<'_, DB>,
    axis: &str,
    edges: &[f64],
    series: &[Series],
    w: f64,
    h: f64,
) -> Result<(), String> {
    if series.is_empty() || edges.len() < 2 {
        return no_data(pen, w, h);
    }
    let t = pen.theme;
    let (lo, hi) = value_range(series, true);
    let left = t.px(24.0) + text_width(&format_value(hi), t.small()) + t.px(10.0);
    let legend: Vec<String> = if series.len() > 1 {
        names(series)
    } else {
        Vec::new()
    };
    let plot = frame(pen, w, h, left, &legend);
    draw_legend(pen, &legend, t.px(10.0), t.px(6.0), w - t.px(20.0))?;
    let y = value_axis_left(pen, &plot, lo, hi, "count")?;
    let x = value_axis_bottom(pen, &plot, edges[0], edges[edges.len() - 1], axis, h)?;
    for b in 0..edges.len() - 1 {
        let mut base = 0.0;
        for (s_i, s) in series.iter().enumerate() {
            let v = s.values.get(b).copied().flatten().unwrap_or(0.0);
            if v <= 0.0 {
                continue;
            }
            let (x0, x1) = (x.at(edges[b]) + 0.5, x.at(edges[b + 1]) - 0.5);
            let (ya, yb) = (y.at(base), y.at(base + v));
            pen.rect(x0, ya, x1.max(x0 + 1.0), yb, color(s_i).to_rgba())?;
            let range = format!(
                "{} to {}",
                format_value(edges[b]),
                format_value(edges[b + 1])
            );
            let label = if series.len() > 1 {
                format!("{range} · {}", s.name)
            } else {
                range
            };
            pen.hit(
                Shape::Rect {
                    x0,
                    y0: yb,
                    x1,
                    y1: ya,
                },
                label,
                v,
                None,
            );
            base += v;
        }
    }
    Ok(())
}

pub(crate) fn box_plot<DB: DrawingBackend>(
    pen: &mut Pen<'_, DB>,
    axis: &str,
    value_axis: &str,
    boxes: &[BoxStats],
    w: f64,
    h: f64,
) -> Result<(), String> {
    if boxes.is_empty() {
        return no_data(pen, w, h);
    }
    let t = pen.theme;
    let lo = boxes.iter().map(|b| b.min).fold(f64::INFINITY, f64::min);
    let hi = boxes
        .iter()
        .map(|b| b.max)
        .fold(f64::NEG_INFINITY, f64::max);
    let left =
        t.px(24.0) + text_width(&format_value(hi.abs().max(lo.abs())), t.small()) + t.px(10.0);
    let plot = frame(pen, w, h, left, &[]);
    let y = value_axis_left(pen, &plot, lo, hi, value_axis)?;
    let labels: Vec<String> = boxes.iter().map(|b| b.label.clone()).collect();
    category_axis_bottom(pen, &plot, &labels, axis, h)?;
    let slot = (plot.x1 - plot.x0) / boxes.len() as f64;
    for (i, b) in boxes.iter().enumerate() {
        let xc = plot.x0 + slot * (i as f64 + 0.5);
        let half = (slot * 0.3).min(t.px(40.0));
        let c = color(i);
        pen.line(
            &[(xc, y.at(b.low)), (xc, y.at(b.q1))],
            INK.to_rgba(),
            t.px(1.0),
        )?;
        pen.line(
            &[(xc, y.at(b.q3)), (xc, y.at(b.high))],
            INK.to_rgba(),
            t.px(1.0),
        )?;
        pen.line(
            &[
                (xc - half / 2.0, y.at(b.low)),
                (xc + half / 2.0, y.at(b.low)),
            ],
            INK.to_rgba(),
            t.px(1.0),
        )?;
        pen.line(
            &[
                (xc - half / 2.0, y.at(b.high)),
                (xc + half / 2.0, y.at(b.high)),
            ],
            INK.to_rgba(),
            t.px(1.0),
        )?;
        pen.rect(xc - half, y.at(b.q3), xc + half, y.at(b.q1), c.mix(0.55))?;
        pen.line(
            &[(xc - half, y.at(b.median)), (xc + half, y.at(b.median))],
            INK.to_rgba(),
            t.px(2.0),
        )?;
        for o in &b.outliers {
            pen.circle(xc, y.at(*o), t.px(2.0), c.mix(0.8))?;
        }
        pen.hits.push(Hit {
            shape: Shape::Rect {
                x0: xc - half,
                y0: y.at(b.high),
                x1: xc + half,
                y1: y.at(b.low),
            },
            label: b.label.clone(),
            value: format!(
                "median {} (quartiles {}–{}), n = {}",
                format_value(b.median),
                format_value(b.q1),
                format_value(b.q3),
                b.n
            ),
            category: Some(b.label.clone()),
        });
    }
    Ok(())
}

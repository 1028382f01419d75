//! Scatter plots: one circle per point, coloured by group.

use plotters::prelude::*;

use crate::chart::data::Point;
use crate::chart::draw::axes::{value_axis_bottom, value_axis_left};
use crate::chart::draw::hit::{Hit, Shape};
use crate::chart::draw::layout::{frame, no_data};
use crate::chart::draw::legend::draw_legend;
use crate::chart::draw::pen::Pen;
use crate::chart::draw::style::color;
use crate::chart::text::text_width;
use crate::common::numfmt::format_value;

pub(crate) fn scatter<DB: DrawingBackend>(
    pen: &mut Pen<'_, DB>,
    x_axis: &str,
    y_axis: &str,
    groups: &[(String, Vec<Point>)],
    w: f64,
    h: f64,
) -> Result<(), String> {
    let all: Vec<&Point> = groups.iter().flat_map(|(_, p)| p).collect();
    if all.is_empty() {
        return no_data(pen, w, h);
    }
    let t = pen.theme;
    let (xl, xh) = all
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
            (a.min(p.x), b.max(p.x))
        });
    let (yl, yh) = all
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
            (a.min(p.y), b.max(p.y))
        });
    let legend: Vec<String> = groups
        .iter()
        .map(|(g, _)| g.clone())
        .filter(|g| !g.is_empty())
        .collect();
    let left =
        t.px(24.0) + text_width(&format_value(yh.abs().max(yl.abs())), t.small()) + t.px(10.0);
    let plot = frame(pen, w, h, left, &legend);
    draw_legend(pen, &legend, t.px(10.0), t.px(6.0), w - t.px(20.0))?;
    let y = value_axis_left(pen, &plot, yl, yh, y_axis)?;
    let x = value_axis_bottom(pen, &plot, xl, xh, x_axis, h)?;
    let r = if all.len() > 1000 {
        t.px(2.0)
    } else {
        t.px(3.5)
    };
    for (g_i, (g, pts)) in groups.iter().enumerate() {
        for p in pts {
            let (px, py) = (x.at(p.x), y.at(p.y));
            pen.circle(px, py, r, color(g_i).mix(0.7))?;
            let label = p.label.clone().unwrap_or_else(|| {
                if g.is_empty() {
                    format!("{x_axis} {}", format_value(p.x))
                } else {
                    g.clone()
                }
            });
            pen.hits.push(Hit {
                shape: Shape::Circle { x: px, y: py, r },
                label,
                value: format!("{}, {}", format_value(p.x), format_value(p.y)),
                category: p
                    .label
                    .clone()
                    .or_else(|| (!g.is_empty()).then(|| g.clone())),
            });
        }
    }
    Ok(())
}

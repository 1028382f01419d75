//! Lines: line and area charts over categories, and curves over a numeric
//! x (ROC, precision-recall, calibration, CV) with optional bands and the
//! y = x diagonal.

use plotters::prelude::*;

use crate::chart::data::{Curve, Series, UnitAxes};
use crate::chart::draw::axes::{value_axis_bottom, value_axis_left};
use crate::chart::draw::hit::Shape;
use crate::chart::draw::layout::{category_layout, frame, no_data};
use crate::chart::draw::legend::draw_legend;
use crate::chart::draw::pen::Pen;
use crate::chart::draw::style::color;
use crate::chart::text::text_width;
use crate::common::numfmt::format_value;

// A mark's pen, switches, axis names, data and size, each named at the one dispatch in draw.
#[allow(clippy::too_many_arguments)]
pub(crate) fn lines<DB: DrawingBackend>(
    pen: &mut Pen<'_, DB>,
    filled: bool,
    axis: &str,
    value_axis: &str,
    categories: &[String],
    series: &[Series],
    w: f64,
    h: f64,
) -> Result<(), String> {
    let Some((plot, y, slot)) =
        category_layout(pen, false, axis, value_axis, categories, series, w, h)?
    else {
        return Ok(());
    };
    let t = pen.theme;
    for (s_i, s) in series.iter().enumerate() {
        let pts: Vec<(f64, f64)> = s
            .values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| (plot.x0 + slot * (i as f64 + 0.5), y.at(v))))
            .collect();
        if filled && pts.len() > 1 {
            let base = y.at(0.0);
            let mut poly = vec![(pts[0].0, base)];
            poly.extend(&pts);
            poly.push((pts[pts.len() - 1].0, base));
            pen.polygon(&poly, color(s_i).mix(0.35))?;
        }
        pen.line(&pts, color(s_i).to_rgba(), t.px(2.0))?;
        for (i, v) in s.values.iter().enumerate() {
            let Some(v) = v else { continue };
            let (px, py) = (plot.x0 + slot * (i as f64 + 0.5), y.at(*v));
            pen.circle(px, py, t.px(3.0), color(s_i).to_rgba())?;
            let label = if series.len() > 1 {
                format!("{} · {}", categories[i], s.name)
            } else {
                categories[i].clone()
            };
            pen.hit(
                Shape::Circle {
                    x: px,
                    y: py,
                    r: t.px(4.0),
                },
                label,
                *v,
                Some(categories[i].clone()),
            );
        }
    }
    Ok(())
}

// A mark's pen, switches, axis names, data and size, each named at the one dispatch in draw.
#[allow(clippy::too_many_arguments)]
pub(crate) fn curve_chart<DB: DrawingBackend>(
    pen: &mut Pen<'_, DB>,
    x_axis: &str,
    y_axis: &str,
    curves: &[Curve],
    diagonal: bool,
    unit: UnitAxes,
    w: f64,
    h: f64,
) -> Result<(), String> {
    let all: Vec<(f64, f64)> = curves
        .iter()
        .flat_map(|c| {
            c.points.iter().copied().chain(
                c.band
                    .iter()
                    .flatten()
                    .flat_map(|(lo, hi)| [(f64::NAN, *lo), (f64::NAN, *hi)]),
            )
        })
        .collect();
    if curves.iter().all(|c| c.points.is_empty()) {
        return no_data(pen, w, h);
    }
    let t = pen.theme;
    let finite = |v: &f64| v.is_finite();
    let (mut xl, mut xh) = all
        .iter()
        .map(|p| p.0)
        .filter(finite)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    let (mut yl, mut yh) = all
        .iter()
        .map(|p| p.1)
        .filter(finite)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    if unit != UnitAxes::Neither {
        (yl, yh) = (0.0, 1.0);
    }
    if unit == UnitAxes::Both {
        (xl, xh) = (0.0, 1.0);
    }
    let legend: Vec<String> = if curves.len() > 1 {
        curves.iter().map(|c| c.name.clone()).collect()
    } else {
        Vec::new()
    };
    let left =
        t.px(24.0) + text_width(&format_value(yh.abs().max(yl.abs())), t.small()) + t.px(10.0);
    let plot = frame(pen, w, h, left, &legend);
    draw_legend(pen, &legend, t.px(10.0), t.px(6.0), w - t.px(20.0))?;
    let y = value_axis_left(pen, &plot, yl, yh, y_axis)?;
    let x = value_axis_bottom(pen, &plot, xl, xh, x_axis, h)?;
    if diagonal {
        let lo = xl.max(yl);
        let hi = xh.min(yh);
        pen.line(
            &[(x.at(lo), y.at(lo)), (x.at(hi), y.at(hi))],
            RGBColor(150, 150, 150).mix(0.8),
            t.px(1.0),
        )?;
    }
    for (c_i, c) in curves.iter().enumerate() {
        if let Some(band) = &c.band {
            let mut poly: Vec<(f64, f64)> = c
                .points
                .iter()
                .zip(band)
                .map(|(p, b)| (x.at(p.0), y.at(b.1)))
                .collect();
            poly.extend(
                c.points
                    .iter()
                    .zip(band)
                    .rev()
                    .map(|(p, b)| (x.at(p.0), y.at(b.0))),
            );
            pen.polygon(&poly, color(c_i).mix(0.2))?;
        }
        let pts: Vec<(f64, f64)> = c.points.iter().map(|p| (x.at(p.0), y.at(p.1))).collect();
        pen.line(&pts, color(c_i).to_rgba(), t.px(2.0))?;
        let marked = c.points.len() <= 40;
        for (p, (px, py)) in c.points.iter().zip(&pts) {
            if marked {
                pen.circle(*px, *py, t.px(3.0), color(c_i).to_rgba())?;
            }
            let label = if curves.len() > 1 {
                format!("{} · {x_axis} {}", c.name, format_value(p.0))
            } else {
                format!("{x_axis} {}", format_value(p.0))
            };
            pen.hit(
                Shape::Circle {
                    x: *px,
                    y: *py,
                    r: t.px(4.0),
                },
                label,
                p.1,
                None,
            );
        }
    }
    Ok(())
}

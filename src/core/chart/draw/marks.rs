//! The marks of each visual type (bars, lines, pies, points, curves, bins,
//! boxes, heat-map cells, table rows), drawn inside the frame and axes that
//! the parent module lays out.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::*;
use crate::chart::data::{Curve, Point, UnitAxes};
use crate::chart::text::fit_text;
use crate::common::stats::BoxStats;

#[allow(clippy::too_many_arguments)]
pub(super) fn bars<DB: DrawingBackend>(pen: &mut Pen<'_, DB>, stacked: bool, axis: &str, value_axis: &str, categories: &[String], series: &[Series], w: f64, h: f64) -> Result<(), String> {
    let Some((plot, y, slot)) = category_layout(pen, stacked, axis, value_axis, categories, series, w, h)? else { return Ok(()) };
    let t = pen.theme;
    let pad = (slot * 0.15).min(t.px(12.0));
    let groups = if stacked { 1 } else { series.len().max(1) };
    let bar_w = ((slot - 2.0 * pad) / groups as f64).max(1.0);
    for (i, c) in categories.iter().enumerate() {
        let (mut up, mut down) = (0.0, 0.0);
        for (s_i, s) in series.iter().enumerate() {
            let Some(v) = s.values[i] else { continue };
            let x0 = plot.x0 + slot * i as f64 + pad + if stacked { 0.0 } else { bar_w * s_i as f64 };
            let (base, top) = if stacked {
                let base = if v >= 0.0 { up } else { down };
                if v >= 0.0 { up += v } else { down += v }
                (base, base + v)
            } else {
                (0.0, v)
            };
            let (ya, yb) = (y.at(base), y.at(top));
            pen.rect(x0, ya, x0 + bar_w - 1.0, yb, color(s_i).to_rgba())?;
            let label = if series.len() > 1 { format!("{c} · {}", s.name) } else { c.clone() };
            pen.hit(Shape::Rect { x0, y0: yb, x1: x0 + bar_w - 1.0, y1: ya }, label, v, Some(c.clone()));
        }
    }
    pen.line(&[(plot.x0, y.at(0.0)), (plot.x1, y.at(0.0))], MUTED.to_rgba(), t.px(1.0))
}

pub(super) fn hbars<DB: DrawingBackend>(pen: &mut Pen<'_, DB>, axis: &str, value_axis: &str, categories: &[String], series: &[Series], w: f64, h: f64) -> Result<(), String> {
    if categories.is_empty() {
        return no_data(pen, w, h);
    }
    let t = pen.theme;
    let (lo, hi) = value_range(series, false);
    let widest = categories.iter().map(|c| text_width(c, t.small())).fold(0.0, f64::max);
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
                pen.text(&label, plot.x0 - t.px(6.0), yc, t.small(), MUTED, HPos::Right, VPos::Center)?;
            }
        }
        for (s_i, s) in series.iter().enumerate() {
            let Some(v) = s.values[i] else { continue };
            let y0 = plot.y0 + slot * i as f64 + pad + bar_h * s_i as f64;
            let (xa, xb) = (x.at(0.0), x.at(v));
            pen.rect(xa, y0, xb, y0 + bar_h - 1.0, color(s_i).to_rgba())?;
            let label = if series.len() > 1 { format!("{c} · {}", s.name) } else { c.clone() };
            pen.hit(Shape::Rect { x0: xa, y0, x1: xb, y1: y0 + bar_h - 1.0 }, label, v, Some(c.clone()));
        }
    }
    pen.vertical_text(&fit_text(axis, t.font(), plot.y1 - plot.y0).unwrap_or_default(), t.px(10.0), (plot.y0 + plot.y1) / 2.0, t.font(), INK)?;
    pen.line(&[(x.at(0.0), plot.y0), (x.at(0.0), plot.y1)], MUTED.to_rgba(), t.px(1.0))
}

#[allow(clippy::too_many_arguments)]
pub(super) fn lines<DB: DrawingBackend>(pen: &mut Pen<'_, DB>, filled: bool, axis: &str, value_axis: &str, categories: &[String], series: &[Series], w: f64, h: f64) -> Result<(), String> {
    let Some((plot, y, slot)) = category_layout(pen, false, axis, value_axis, categories, series, w, h)? else { return Ok(()) };
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
            let label = if series.len() > 1 { format!("{} · {}", categories[i], s.name) } else { categories[i].clone() };
            pen.hit(Shape::Circle { x: px, y: py, r: t.px(4.0) }, label, *v, Some(categories[i].clone()));
        }
    }
    Ok(())
}

pub(super) fn pie<DB: DrawingBackend>(pen: &mut Pen<'_, DB>, categories: &[String], series: Option<&Series>, w: f64, h: f64) -> Result<(), String> {
    let t = pen.theme;
    let Some(series) = series else { return no_data(pen, w, h) };
    let total: f64 = series.values.iter().flatten().filter(|v| **v > 0.0).sum();
    if total <= 0.0 {
        return no_data(pen, w, h);
    }
    // Legend on the right, the donut in the rest.
    let legend_w = (w * 0.4).min(t.px(220.0));
    let (cx, cy) = ((w - legend_w) / 2.0, h / 2.0);
    let r1 = ((w - legend_w).min(h) / 2.0 - t.px(12.0)).max(t.px(10.0));
    let r0 = r1 * 0.55;
    let mut a0 = 0.0f64;
    for (i, (c, v)) in categories.iter().zip(&series.values).enumerate() {
        let Some(v) = v.filter(|v| *v > 0.0) else { continue };
        let a1 = a0 + v / total * std::f64::consts::TAU;
        let steps = (((a1 - a0) / 0.05).ceil() as usize).max(2);
        let at = |a: f64, r: f64| (cx + r * (a - std::f64::consts::FRAC_PI_2).cos(), cy + r * (a - std::f64::consts::FRAC_PI_2).sin());
        let mut poly: Vec<(f64, f64)> = (0..=steps).map(|k| at(a0 + (a1 - a0) * k as f64 / steps as f64, r1)).collect();
        poly.extend((0..=steps).rev().map(|k| at(a0 + (a1 - a0) * k as f64 / steps as f64, r0)));
        pen.polygon(&poly, color(i).to_rgba())?;
        pen.hit(Shape::Wedge { x: cx, y: cy, r0, r1, a0, a1 }, format!("{c} ({:.1}%)", v / total * 100.0), v, Some(c.clone()));
        // Legend entry.
        let ly = t.px(14.0) + i as f64 * t.px(18.0);
        if ly < h - t.px(10.0) {
            let lx = w - legend_w + t.px(8.0);
            pen.rect(lx, ly - t.px(6.0), lx + t.px(12.0), ly + t.px(6.0), color(i).to_rgba())?;
            let text = format!("{c} {:.0}%", v / total * 100.0);
            if let Some(label) = fit_text(&text, t.small(), legend_w - t.px(30.0)) {
                pen.text(&label, lx + t.px(18.0), ly, t.small(), INK, HPos::Left, VPos::Center)?;
            }
        }
        a0 = a1;
    }
    pen.text(&format_value(total), cx, cy, t.px(16.0), INK, HPos::Center, VPos::Center)
}

pub(super) fn scatter<DB: DrawingBackend>(pen: &mut Pen<'_, DB>, x_axis: &str, y_axis: &str, groups: &[(String, Vec<Point>)], w: f64, h: f64) -> Result<(), String> {
    let all: Vec<&Point> = groups.iter().flat_map(|(_, p)| p).collect();
    if all.is_empty() {
        return no_data(pen, w, h);
    }
    let t = pen.theme;
    let (xl, xh) = all.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| (a.min(p.x), b.max(p.x)));
    let (yl, yh) = all.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| (a.min(p.y), b.max(p.y)));
    let legend: Vec<String> = groups.iter().map(|(g, _)| g.clone()).filter(|g| !g.is_empty()).collect();
    let left = t.px(24.0) + text_width(&format_value(yh.abs().max(yl.abs())), t.small()) + t.px(10.0);
    let plot = frame(pen, w, h, left, &legend);
    draw_legend(pen, &legend, t.px(10.0), t.px(6.0), w - t.px(20.0))?;
    let y = value_axis_left(pen, &plot, yl, yh, y_axis)?;
    let x = value_axis_bottom(pen, &plot, xl, xh, x_axis, h)?;
    let r = if all.len() > 1000 { t.px(2.0) } else { t.px(3.5) };
    for (g_i, (g, pts)) in groups.iter().enumerate() {
        for p in pts {
            let (px, py) = (x.at(p.x), y.at(p.y));
            pen.circle(px, py, r, color(g_i).mix(0.7))?;
            let label = p.label.clone().unwrap_or_else(|| if g.is_empty() { format!("{x_axis} {}", format_value(p.x)) } else { g.clone() });
            pen.hits.push(Hit {
                shape: Shape::Circle { x: px, y: py, r },
                label,
                value: format!("{}, {}", format_value(p.x), format_value(p.y)),
                category: p.label.clone().or_else(|| (!g.is_empty()).then(|| g.clone())),
            });
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub(super) fn curve_chart<DB: DrawingBackend>(pen: &mut Pen<'_, DB>, x_axis: &str, y_axis: &str, curves: &[Curve], diagonal: bool, unit: UnitAxes, w: f64, h: f64) -> Result<(), String> {
    let all: Vec<(f64, f64)> = curves
        .iter()
        .flat_map(|c| c.points.iter().copied().chain(c.band.iter().flatten().flat_map(|(lo, hi)| [(f64::NAN, *lo), (f64::NAN, *hi)])))
        .collect();
    if curves.iter().all(|c| c.points.is_empty()) {
        return no_data(pen, w, h);
    }
    let t = pen.theme;
    let finite = |v: &f64| v.is_finite();
    let (mut xl, mut xh) = all.iter().map(|p| p.0).filter(finite).fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    let (mut yl, mut yh) = all.iter().map(|p| p.1).filter(finite).fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    if unit != UnitAxes::Neither {
        (yl, yh) = (0.0, 1.0);
    }
    if unit == UnitAxes::Both {
        (xl, xh) = (0.0, 1.0);
    }
    let legend: Vec<String> = if curves.len() > 1 { curves.iter().map(|c| c.name.clone()).collect() } else { Vec::new() };
    let left = t.px(24.0) + text_width(&format_value(yh.abs().max(yl.abs())), t.small()) + t.px(10.0);
    let plot = frame(pen, w, h, left, &legend);
    draw_legend(pen, &legend, t.px(10.0), t.px(6.0), w - t.px(20.0))?;
    let y = value_axis_left(pen, &plot, yl, yh, y_axis)?;
    let x = value_axis_bottom(pen, &plot, xl, xh, x_axis, h)?;
    if diagonal {
        let lo = xl.max(yl);
        let hi = xh.min(yh);
        pen.line(&[(x.at(lo), y.at(lo)), (x.at(hi), y.at(hi))], RGBColor(150, 150, 150).mix(0.8), t.px(1.0))?;
    }
    for (c_i, c) in curves.iter().enumerate() {
        if let Some(band) = &c.band {
            let mut poly: Vec<(f64, f64)> = c.points.iter().zip(band).map(|(p, b)| (x.at(p.0), y.at(b.1))).collect();
            poly.extend(c.points.iter().zip(band).rev().map(|(p, b)| (x.at(p.0), y.at(b.0))));
            pen.polygon(&poly, color(c_i).mix(0.2))?;
        }
        let pts: Vec<(f64, f64)> = c.points.iter().map(|p| (x.at(p.0), y.at(p.1))).collect();
        pen.line(&pts, color(c_i).to_rgba(), t.px(2.0))?;
        let marked = c.points.len() <= 40;
        for (p, (px, py)) in c.points.iter().zip(&pts) {
            if marked {
                pen.circle(*px, *py, t.px(3.0), color(c_i).to_rgba())?;
            }
            let label = if curves.len() > 1 { format!("{} · {x_axis} {}", c.name, format_value(p.0)) } else { format!("{x_axis} {}", format_value(p.0)) };
            pen.hit(Shape::Circle { x: *px, y: *py, r: t.px(4.0) }, label, p.1, None);
        }
    }
    Ok(())
}

pub(super) fn histogram<DB: DrawingBackend>(pen: &mut Pen<'_, DB>, axis: &str, edges: &[f64], series: &[Series], w: f64, h: f64) -> Result<(), String> {
    if series.is_empty() || edges.len() < 2 {
        return no_data(pen, w, h);
    }
    let t = pen.theme;
    let (lo, hi) = value_range(series, true);
    let left = t.px(24.0) + text_width(&format_value(hi), t.small()) + t.px(10.0);
    let legend: Vec<String> = if series.len() > 1 { names(series) } else { Vec::new() };
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
            let range = format!("{} to {}", format_value(edges[b]), format_value(edges[b + 1]));
            let label = if series.len() > 1 { format!("{range} · {}", s.name) } else { range };
            pen.hit(Shape::Rect { x0, y0: yb, x1, y1: ya }, label, v, None);
            base += v;
        }
    }
    Ok(())
}

pub(super) fn box_plot<DB: DrawingBackend>(pen: &mut Pen<'_, DB>, axis: &str, value_axis: &str, boxes: &[BoxStats], w: f64, h: f64) -> Result<(), String> {
    if boxes.is_empty() {
        return no_data(pen, w, h);
    }
    let t = pen.theme;
    let lo = boxes.iter().map(|b| b.min).fold(f64::INFINITY, f64::min);
    let hi = boxes.iter().map(|b| b.max).fold(f64::NEG_INFINITY, f64::max);
    let left = t.px(24.0) + text_width(&format_value(hi.abs().max(lo.abs())), t.small()) + t.px(10.0);
    let plot = frame(pen, w, h, left, &[]);
    let y = value_axis_left(pen, &plot, lo, hi, value_axis)?;
    let labels: Vec<String> = boxes.iter().map(|b| b.label.clone()).collect();
    category_axis_bottom(pen, &plot, &labels, axis, h)?;
    let slot = (plot.x1 - plot.x0) / boxes.len() as f64;
    for (i, b) in boxes.iter().enumerate() {
        let xc = plot.x0 + slot * (i as f64 + 0.5);
        let half = (slot * 0.3).min(t.px(40.0));
        let c = color(i);
        pen.line(&[(xc, y.at(b.low)), (xc, y.at(b.q1))], INK.to_rgba(), t.px(1.0))?;
        pen.line(&[(xc, y.at(b.q3)), (xc, y.at(b.high))], INK.to_rgba(), t.px(1.0))?;
        pen.line(&[(xc - half / 2.0, y.at(b.low)), (xc + half / 2.0, y.at(b.low))], INK.to_rgba(), t.px(1.0))?;
        pen.line(&[(xc - half / 2.0, y.at(b.high)), (xc + half / 2.0, y.at(b.high))], INK.to_rgba(), t.px(1.0))?;
        pen.rect(xc - half, y.at(b.q3), xc + half, y.at(b.q1), c.mix(0.55))?;
        pen.line(&[(xc - half, y.at(b.median)), (xc + half, y.at(b.median))], INK.to_rgba(), t.px(2.0))?;
        for o in &b.outliers {
            pen.circle(xc, y.at(*o), t.px(2.0), c.mix(0.8))?;
        }
        pen.hits.push(Hit {
            shape: Shape::Rect { x0: xc - half, y0: y.at(b.high), x1: xc + half, y1: y.at(b.low) },
            label: b.label.clone(),
            value: format!("median {} (quartiles {}–{}), n = {}", format_value(b.median), format_value(b.q1), format_value(b.q3), b.n),
            category: Some(b.label.clone()),
        });
    }
    Ok(())
}

/// Sequential blues for heat maps, light to dark.
fn blue(t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0);
    let mix = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    RGBColor(mix(239.0, 8.0), mix(243.0, 69.0), mix(255.0, 148.0))
}

#[allow(clippy::too_many_arguments)]
pub(super) fn heatmap<DB: DrawingBackend>(pen: &mut Pen<'_, DB>, x_axis: &str, y_axis: &str, xs: &[String], ys: &[String], values: &[Vec<Option<f64>>], measure: &str, w: f64, h: f64) -> Result<(), String> {
    if xs.is_empty() || ys.is_empty() {
        return no_data(pen, w, h);
    }
    let t = pen.theme;
    let (lo, hi) = values.iter().flatten().flatten().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
    let widest = ys.iter().map(|c| text_width(c, t.small())).fold(0.0, f64::max);
    let left = t.px(24.0) + widest.min(w * 0.3) + t.px(8.0);
    let plot = Plot { x0: left, y0: t.px(28.0), x1: w - t.px(16.0), y1: h - t.px(44.0) };
    category_axis_bottom(pen, &plot, xs, x_axis, h)?;
    pen.vertical_text(&fit_text(y_axis, t.font(), plot.y1 - plot.y0).unwrap_or_default(), t.px(10.0), (plot.y0 + plot.y1) / 2.0, t.font(), INK)?;
    let (cw, ch) = ((plot.x1 - plot.x0) / xs.len() as f64, (plot.y1 - plot.y0) / ys.len() as f64);
    let stride = label_stride(ys.len(), ch, t.small() * 1.3);
    for (yi, y) in ys.iter().enumerate() {
        if yi % stride == 0 {
            if let Some(label) = fit_text(y, t.small(), left - t.px(30.0)) {
                pen.text(&label, plot.x0 - t.px(6.0), plot.y0 + ch * (yi as f64 + 0.5), t.small(), MUTED, HPos::Right, VPos::Center)?;
            }
        }
        for (xi, x) in xs.iter().enumerate() {
            let Some(v) = values[yi][xi] else { continue };
            let share = if hi > lo { (v - lo) / (hi - lo) } else { 1.0 };
            let (x0, y0) = (plot.x0 + cw * xi as f64, plot.y0 + ch * yi as f64);
            pen.rect(x0 + 1.0, y0 + 1.0, x0 + cw - 1.0, y0 + ch - 1.0, blue(share).to_rgba())?;
            let text = format_value(v);
            if text_width(&text, t.small()) < cw - t.px(4.0) && ch > t.small() * 1.2 {
                pen.text(&text, x0 + cw / 2.0, y0 + ch / 2.0, t.small(), if share > 0.55 { WHITE } else { INK }, HPos::Center, VPos::Center)?;
            }
            pen.hit(Shape::Rect { x0, y0, x1: x0 + cw, y1: y0 + ch }, format!("{y} · {x}"), v, Some(x.clone()));
        }
    }
    // Colour key: the range of the measure.
    let key_w = t.px(120.0).min(w / 3.0);
    let kx = w - t.px(16.0) - key_w;
    for k in 0..20 {
        let f = k as f64 / 20.0;
        pen.rect(kx + key_w * f, t.px(8.0), kx + key_w * (f + 0.05), t.px(18.0), blue(f).to_rgba())?;
    }
    pen.text(&format_value(lo), kx - t.px(4.0), t.px(13.0), t.small(), MUTED, HPos::Right, VPos::Center)?;
    pen.text(&format_value(hi), kx + key_w + t.px(4.0), t.px(13.0), t.small(), MUTED, HPos::Left, VPos::Center)?;
    pen.text(&fit_text(measure, t.small(), kx - t.px(60.0)).unwrap_or_default(), t.px(10.0), t.px(13.0), t.small(), INK, HPos::Left, VPos::Center)
}

pub(super) fn table_view<DB: DrawingBackend>(pen: &mut Pen<'_, DB>, table: &crate::data::table::Table, w: f64, h: f64) -> Result<(), String> {
    if table.num_columns() == 0 {
        return no_data(pen, w, h);
    }
    let t = pen.theme;
    let row_h = t.px(22.0);
    let col_w = (w - t.px(20.0)) / table.num_columns() as f64;
    let rows = (((h - t.px(10.0)) / row_h) as usize).saturating_sub(1).min(table.num_rows());
    for (c, col) in table.columns().iter().enumerate() {
        let x = t.px(10.0) + col_w * c as f64;
        let numeric = col.column_type().is_numeric();
        let (hx, pos) = if numeric { (x + col_w - t.px(6.0), HPos::Right) } else { (x + t.px(4.0), HPos::Left) };
        pen.rect(x, t.px(4.0), x + col_w, t.px(4.0) + row_h, GRID.to_rgba())?;
        if let Some(label) = fit_text(&col.name, t.small(), col_w - t.px(10.0)) {
            pen.text(&label, hx, t.px(4.0) + row_h / 2.0, t.small(), INK, pos, VPos::Center)?;
        }
        for r in 0..rows {
            let y = t.px(4.0) + row_h * (r as f64 + 1.0);
            if let Some(text) = col.data.display(r).and_then(|s| fit_text(&s, t.small(), col_w - t.px(10.0))) {
                pen.text(&text, hx, y + row_h / 2.0, t.small(), INK, pos, VPos::Center)?;
            }
            if c == 0 {
                pen.line(&[(t.px(10.0), y + row_h), (w - t.px(10.0), y + row_h)], GRID.to_rgba(), 1.0)?;
            }
        }
    }
    if table.num_rows() > rows {
        pen.text(&format!("… {} more rows in the data table", table.num_rows() - rows), w / 2.0, h - t.px(4.0), t.small(), MUTED, HPos::Center, VPos::Bottom)?;
    }
    Ok(())
}

//! Heat maps: a cell per (x, y) pair shaded in sequential blues, with its
//! value when it fits, and a colour key of the measure's range.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::chart::draw::axes::{category_axis_bottom, label_stride, Plot};
use crate::chart::draw::hit::Shape;
use crate::chart::draw::layout::no_data;
use crate::chart::draw::pen::Pen;
use crate::chart::draw::style::{INK, MUTED};
use crate::chart::text::{fit_text, text_width};
use crate::common::numfmt::format_value;

/// Sequential blues for heat maps, light to dark.
fn blue(t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0);
    let mix = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    RGBColor(mix(239.0, 8.0), mix(243.0, 69.0), mix(255.0, 148.0))
}

// A mark's pen, axis names, data and size, each named at the one dispatch in draw.
#[allow(clippy::too_many_arguments)]
pub(crate) fn heatmap<DB: DrawingBackend>(
    pen: &mut Pen<'_, DB>,
    x_axis: &str,
    y_axis: &str,
    xs: &[String],
    ys: &[String],
    values: &[Vec<Option<f64>>],
    measure: &str,
    w: f64,
    h: f64,
) -> Result<(), String> {
    if xs.is_empty() || ys.is_empty() {
        return no_data(pen, w, h);
    }
    let t = pen.theme;
    let (lo, hi) = values
        .iter()
        .flatten()
        .flatten()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    let widest = ys
        .iter()
        .map(|c| text_width(c, t.small()))
        .fold(0.0, f64::max);
    let left = t.px(24.0) + widest.min(w * 0.3) + t.px(8.0);
    let plot = Plot {
        x0: left,
        y0: t.px(28.0),
        x1: w - t.px(16.0),
        y1: h - t.px(44.0),
    };
    category_axis_bottom(pen, &plot, xs, x_axis, h)?;
    pen.vertical_text(
        &fit_text(y_axis, t.font(), plot.y1 - plot.y0).unwrap_or_default(),
        t.px(10.0),
        (plot.y0 + plot.y1) / 2.0,
        t.font(),
        INK,
    )?;
    let (cw, ch) = (
        (plot.x1 - plot.x0) / xs.len() as f64,
        (plot.y1 - plot.y0) / ys.len() as f64,
    );
    let stride = label_stride(ys.len(), ch, t.small() * 1.3);
    for (yi, y) in ys.iter().enumerate() {
        if yi % stride == 0 {
            if let Some(label) = fit_text(y, t.small(), left - t.px(30.0)) {
                pen.text(
                    &label,
                    plot.x0 - t.px(6.0),
                    plot.y0 + ch * (yi as f64 + 0.5),
                    t.small(),
                    MUTED,
                    HPos::Right,
                    VPos::Center,
                )?;
            }
        }
        for (xi, x) in xs.iter().enumerate() {
            let Some(v) = values[yi][xi] else { continue };
            let share = if hi > lo { (v - lo) / (hi - lo) } else { 1.0 };
            let (x0, y0) = (plot.x0 + cw * xi as f64, plot.y0 + ch * yi as f64);
            pen.rect(
                x0 + 1.0,
                y0 + 1.0,
                x0 + cw - 1.0,
                y0 + ch - 1.0,
                blue(share).to_rgba(),
            )?;
            let text = format_value(v);
            if text_width(&text, t.small()) < cw - t.px(4.0) && ch > t.small() * 1.2 {
                pen.text(
                    &text,
                    x0 + cw / 2.0,
                    y0 + ch / 2.0,
                    t.small(),
                    if share > 0.55 { WHITE } else { INK },
                    HPos::Center,
                    VPos::Center,
                )?;
            }
            pen.hit(
                Shape::Rect {
                    x0,
                    y0,
                    x1: x0 + cw,
                    y1: y0 + ch,
                },
                format!("{y} · {x}"),
                v,
                Some(x.clone()),
            );
        }
    }
    // Colour key: the range of the measure.
    let key_w = t.px(120.0).min(w / 3.0);
    let kx = w - t.px(16.0) - key_w;
    for k in 0..20 {
        let f = k as f64 / 20.0;
        pen.rect(
            kx + key_w * f,
            t.px(8.0),
            kx + key_w * (f + 0.05),
            t.px(18.0),
            blue(f).to_rgba(),
        )?;
    }
    pen.text(
        &format_value(lo),
        kx - t.px(4.0),
        t.px(13.0),
        t.small(),
        MUTED,
        HPos::Right,
        VPos::Center,
    )?;
    pen.text(
        &format_value(hi),
        kx + key_w + t.px(4.0),
        t.px(13.0),
        t.small(),
        MUTED,
        HPos::Left,
        VPos::Center,
    )?;
    pen.text(
        &fit_text(measure, t.small(), kx - t.px(60.0)).unwrap_or_default(),
        t.px(10.0),
        t.px(13.0),
        t.small(),
        INK,
        HPos::Left,
        VPos::Center,
    )
}

//! Scales and axes: round tick values, the linear scale from data to
//! pixels, the plot area, value axes with gridlines and category labels
//! thinned or shortened so that none overlap.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::chart::data::Series;
use crate::chart::draw::pen::Pen;
use crate::chart::draw::style::{GRID, INK, MUTED};
use crate::chart::text::{fit_text, text_width};
use crate::common::numfmt::format_value;

/// Round tick steps: 1, 2 or 5 times a power of ten.
pub fn nice_ticks(lo: f64, hi: f64, max_ticks: usize) -> Vec<f64> {
    let (lo, hi) = if (hi - lo).abs() < f64::EPSILON {
        (lo - 1.0, hi + 1.0)
    } else {
        (lo, hi)
    };
    let raw = (hi - lo) / max_ticks.max(2) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let start = (lo / step).floor() * step;
    let mut ticks = Vec::new();
    let mut t = start;
    while t <= hi + step * 0.5 && ticks.len() < 100 {
        ticks.push(if t.abs() < step * 1e-9 { 0.0 } else { t });
        t += step;
    }
    ticks
}

/// A linear value scale from data range to pixels.
#[derive(Clone, Copy, Debug)]
pub(super) struct Scale {
    lo: f64,
    hi: f64,
    p0: f64,
    p1: f64,
}

impl Scale {
    pub(super) fn at(&self, v: f64) -> f64 {
        if self.hi == self.lo {
            return (self.p0 + self.p1) / 2.0;
        }
        self.p0 + (v - self.lo) / (self.hi - self.lo) * (self.p1 - self.p0)
    }
}

/// The value range of series, stacked or not, always including zero.
pub(super) fn value_range(series: &[Series], stacked: bool) -> (f64, f64) {
    let mut lo = 0.0f64;
    let mut hi = 0.0f64;
    if stacked {
        let n = series.first().map_or(0, |s| s.values.len());
        for i in 0..n {
            let (pos, neg) =
                series
                    .iter()
                    .filter_map(|s| s.values[i])
                    .fold(
                        (0.0, 0.0),
                        |(p, q), v| if v >= 0.0 { (p + v, q) } else { (p, q + v) },
                    );
            hi = hi.max(pos);
            lo = lo.min(neg);
        }
    } else {
        for v in series.iter().flat_map(|s| s.values.iter().flatten()) {
            hi = hi.max(*v);
            lo = lo.min(*v);
        }
    }
    (lo, hi)
}

/// Which of `n` evenly spaced labels to show so that none overlap.
pub(super) fn label_stride(n: usize, slot: f64, widest: f64) -> usize {
    if n == 0 || slot <= 0.0 {
        return 1;
    }
    ((widest / slot).ceil() as usize).max(1)
}

pub(super) struct Plot {
    pub(super) x0: f64,
    pub(super) y0: f64,
    pub(super) x1: f64,
    pub(super) y1: f64,
}

/// Value axis on the left with gridlines; returns the scale.
pub(super) fn value_axis_left<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    plot: &Plot,
    lo: f64,
    hi: f64,
    title: &str,
) -> Result<Scale, String> {
    let t = pen.theme;
    let max_ticks = ((plot.y1 - plot.y0) / t.px(34.0)).floor().max(2.0) as usize;
    let ticks = nice_ticks(lo, hi, max_ticks);
    let (tlo, thi) = (ticks[0].min(lo), ticks[ticks.len() - 1].max(hi));
    let scale = Scale {
        lo: tlo,
        hi: thi,
        p0: plot.y1,
        p1: plot.y0,
    };
    for v in &ticks {
        let y = scale.at(*v);
        pen.line(&[(plot.x0, y), (plot.x1, y)], GRID.to_rgba(), t.px(1.0))?;
        pen.text(
            &format_value(*v),
            plot.x0 - t.px(6.0),
            y,
            t.small(),
            MUTED,
            HPos::Right,
            VPos::Center,
        )?;
    }
    pen.vertical_text(
        &fit_text(title, t.font(), plot.y1 - plot.y0).unwrap_or_default(),
        t.px(10.0),
        (plot.y0 + plot.y1) / 2.0,
        t.font(),
        INK,
    )?;
    Ok(scale)
}

/// Value axis along the bottom with gridlines; returns the scale.
pub(super) fn value_axis_bottom<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    plot: &Plot,
    lo: f64,
    hi: f64,
    title: &str,
    height: f64,
) -> Result<Scale, String> {
    let t = pen.theme;
    let widest = text_width(&format_value(hi.abs().max(lo.abs())), t.small()) + t.px(18.0);
    let max_ticks = ((plot.x1 - plot.x0) / widest.max(t.px(40.0)))
        .floor()
        .max(2.0) as usize;
    let ticks = nice_ticks(lo, hi, max_ticks);
    let (tlo, thi) = (ticks[0].min(lo), ticks[ticks.len() - 1].max(hi));
    let scale = Scale {
        lo: tlo,
        hi: thi,
        p0: plot.x0,
        p1: plot.x1,
    };
    for v in &ticks {
        let x = scale.at(*v);
        pen.line(&[(x, plot.y0), (x, plot.y1)], GRID.to_rgba(), t.px(1.0))?;
        pen.text(
            &format_value(*v),
            x,
            plot.y1 + t.px(5.0),
            t.small(),
            MUTED,
            HPos::Center,
            VPos::Top,
        )?;
    }
    pen.text(
        &fit_text(title, t.font(), plot.x1 - plot.x0).unwrap_or_default(),
        (plot.x0 + plot.x1) / 2.0,
        height - t.px(6.0),
        t.font(),
        INK,
        HPos::Center,
        VPos::Bottom,
    )?;
    Ok(scale)
}

/// Category labels under slots along the bottom, shortened and thinned so
/// that none overlap.
pub(super) fn category_axis_bottom<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    plot: &Plot,
    categories: &[String],
    title: &str,
    height: f64,
) -> Result<(), String> {
    let t = pen.theme;
    let n = categories.len().max(1);
    let slot = (plot.x1 - plot.x0) / n as f64;
    let min_label = text_width("Wwww…", t.small());
    let stride = label_stride(n, slot, min_label);
    for (i, c) in categories.iter().enumerate().step_by(stride) {
        let x = plot.x0 + slot * (i as f64 + 0.5);
        if let Some(label) = fit_text(c, t.small(), slot * stride as f64 - t.px(6.0)) {
            pen.text(
                &label,
                x,
                plot.y1 + t.px(5.0),
                t.small(),
                MUTED,
                HPos::Center,
                VPos::Top,
            )?;
        }
    }
    pen.text(
        &fit_text(title, t.font(), plot.x1 - plot.x0).unwrap_or_default(),
        (plot.x0 + plot.x1) / 2.0,
        height - t.px(6.0),
        t.font(),
        INK,
        HPos::Center,
        VPos::Bottom,
    )
}

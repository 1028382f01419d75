//! The legend across the top of a chart: a swatch and the name of each
//! series, wrapped onto as many rows as the width needs.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::chart::draw::pen::Pen;
use crate::chart::draw::style::{color, INK};
use crate::chart::text::{fit_text, text_width};

pub(super) fn legend_height<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    names: &[String],
    width: f64,
) -> f64 {
    if names.len() < 2 {
        return 0.0;
    }
    let t = pen.theme;
    let mut x = 0.0;
    let mut rows = 1.0;
    for n in names {
        let w = t.px(18.0) + text_width(n, t.small()) + t.px(14.0);
        if x + w > width && x > 0.0 {
            rows += 1.0;
            x = 0.0;
        }
        x += w;
    }
    rows * t.px(18.0) + t.px(4.0)
}

/// A legend across the top: a swatch and the name of each series.
pub(super) fn draw_legend<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    names: &[String],
    x0: f64,
    y0: f64,
    width: f64,
) -> Result<(), String> {
    if names.len() < 2 {
        return Ok(());
    }
    let t = pen.theme;
    let (mut x, mut y) = (x0, y0);
    for (i, n) in names.iter().enumerate() {
        let label = fit_text(n, t.small(), width / 2.0).unwrap_or_default();
        let w = t.px(18.0) + text_width(&label, t.small()) + t.px(14.0);
        if x + w > x0 + width && x > x0 {
            x = x0;
            y += t.px(18.0);
        }
        pen.rect(
            x,
            y + t.px(3.0),
            x + t.px(12.0),
            y + t.px(15.0),
            color(i).to_rgba(),
        )?;
        pen.text(
            &label,
            x + t.px(17.0),
            y + t.px(9.0),
            t.small(),
            INK,
            HPos::Left,
            VPos::Center,
        )?;
        x += w;
    }
    Ok(())
}

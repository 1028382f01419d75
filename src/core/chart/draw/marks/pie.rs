//! Pie charts, drawn as a donut with the total in the middle and a legend
//! of shares on the right.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::chart::data::Series;
use crate::chart::draw::hit::Shape;
use crate::chart::draw::layout::no_data;
use crate::chart::draw::pen::Pen;
use crate::chart::draw::style::{color, INK};
use crate::chart::text::fit_text;
use crate::common::numfmt::format_value;

pub(crate) fn pie<DB: DrawingBackend>(
    pen: &mut Pen<'_, DB>,
    categories: &[String],
    series: Option<&Series>,
    w: f64,
    h: f64,
) -> Result<(), String> {
    let t = pen.theme;
    let Some(series) = series else {
        return no_data(pen, w, h);
    };
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
        let Some(v) = v.filter(|v| *v > 0.0) else {
            continue;
        };
        let a1 = a0 + v / total * std::f64::consts::TAU;
        let steps = (((a1 - a0) / 0.05).ceil() as usize).max(2);
        let at = |a: f64, r: f64| {
            (
                cx + r * (a - std::f64::consts::FRAC_PI_2).cos(),
                cy + r * (a - std::f64::consts::FRAC_PI_2).sin(),
            )
        };
        let mut poly: Vec<(f64, f64)> = (0..=steps)
            .map(|k| at(a0 + (a1 - a0) * k as f64 / steps as f64, r1))
            .collect();
        poly.extend(
            (0..=steps)
                .rev()
                .map(|k| at(a0 + (a1 - a0) * k as f64 / steps as f64, r0)),
        );
        pen.polygon(&poly, color(i).to_rgba())?;
        pen.hit(
            Shape::Wedge {
                x: cx,
                y: cy,
                r0,
                r1,
                a0,
                a1,
            },
            format!("{c} ({:.1}%)", v / total * 100.0),
            v,
            Some(c.clone()),
        );
        // Legend entry.
        let ly = t.px(14.0) + i as f64 * t.px(18.0);
        if ly < h - t.px(10.0) {
            let lx = w - legend_w + t.px(8.0);
            pen.rect(
                lx,
                ly - t.px(6.0),
                lx + t.px(12.0),
                ly + t.px(6.0),
                color(i).to_rgba(),
            )?;
            let text = format!("{c} {:.0}%", v / total * 100.0);
            if let Some(label) = fit_text(&text, t.small(), legend_w - t.px(30.0)) {
                pen.text(
                    &label,
                    lx + t.px(18.0),
                    ly,
                    t.small(),
                    INK,
                    HPos::Left,
                    VPos::Center,
                )?;
            }
        }
        a0 = a1;
    }
    pen.text(
        &format_value(total),
        cx,
        cy,
        t.px(16.0),
        INK,
        HPos::Center,
        VPos::Center,
    )
}

//! Drawing chart data onto any plotters backend: the canvas in the app,
//! SVG in native tests. Layout is our own (axis titles, tick labels thinned
//! or shortened so they never overlap, legends), and every mark drawn is
//! returned as a hit region for tooltips and cross-filtering.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;

use crate::chart::data::{ChartData, Series};
use crate::common::numfmt::format_value;
use crate::chart::spec::ChartKind;
use crate::chart::text::{fit_text, text_width};

mod marks;

use marks::{bars, box_plot, curve_chart, hbars, heatmap, histogram, lines, pie, scatter, table_view};

/// Tableau 10: distinct, colour-blind-aware categorical colours.
pub const PALETTE: [RGBColor; 10] = [
    RGBColor(78, 121, 167),
    RGBColor(242, 142, 43),
    RGBColor(225, 87, 89),
    RGBColor(118, 183, 178),
    RGBColor(89, 161, 79),
    RGBColor(237, 201, 72),
    RGBColor(176, 122, 161),
    RGBColor(255, 157, 167),
    RGBColor(156, 117, 95),
    RGBColor(186, 176, 172),
];

const INK: RGBColor = RGBColor(28, 35, 48);
const MUTED: RGBColor = RGBColor(91, 101, 118);
const GRID: RGBColor = RGBColor(230, 233, 238);

pub fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Sizes scale with the device pixel ratio, so charts are crisp.
#[derive(Clone, Copy, Debug)]
pub struct Theme {
    pub scale: f64,
}

impl Theme {
    fn px(&self, v: f64) -> f64 {
        v * self.scale
    }
    fn font(&self) -> f64 {
        self.px(12.0)
    }
    fn small(&self) -> f64 {
        self.px(11.0)
    }
}

/// The shape of a drawn mark, in backend pixels.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    Rect { x0: f64, y0: f64, x1: f64, y1: f64 },
    Circle { x: f64, y: f64, r: f64 },
    Wedge { x: f64, y: f64, r0: f64, r1: f64, a0: f64, a1: f64 },
}

/// A mark the pointer can be over.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub shape: Shape,
    /// What the tooltip says.
    pub label: String,
    pub value: String,
    /// The dimension value the mark stands for, for cross-filtering.
    pub category: Option<String>,
}

impl Hit {
    fn contains(&self, px: f64, py: f64) -> bool {
        match self.shape {
            Shape::Rect { x0, y0, x1, y1 } => px >= x0.min(x1) && px <= x0.max(x1) && py >= y0.min(y1) && py <= y0.max(y1),
            Shape::Circle { x, y, r } => (px - x).powi(2) + (py - y).powi(2) <= (r + 3.0).powi(2),
            Shape::Wedge { x, y, r0, r1, a0, a1 } => {
                let d = ((px - x).powi(2) + (py - y).powi(2)).sqrt();
                let mut a = (py - y).atan2(px - x) + std::f64::consts::FRAC_PI_2;
                if a < 0.0 {
                    a += std::f64::consts::TAU;
                }
                d >= r0 && d <= r1 && a >= a0 && a <= a1
            }
        }
    }
}

/// The topmost mark at a point.
pub fn hit_at(hits: &[Hit], x: f64, y: f64) -> Option<&Hit> {
    hits.iter().rev().find(|h| h.contains(x, y))
}

type Area<DB> = DrawingArea<DB, plotters::coord::Shift>;

struct Pen<'a, DB: DrawingBackend> {
    area: &'a Area<DB>,
    theme: Theme,
    hits: Vec<Hit>,
}

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

impl<'a, DB: DrawingBackend> Pen<'a, DB> {
    fn rect(&self, x0: f64, y0: f64, x1: f64, y1: f64, fill: RGBAColor) -> Result<(), String> {
        self.area
            .draw(&Rectangle::new([(x0.round() as i32, y0.round() as i32), (x1.round() as i32, y1.round() as i32)], fill.filled()))
            .map_err(err)
    }

    fn line(&self, points: &[(f64, f64)], stroke: RGBAColor, width: f64) -> Result<(), String> {
        let pts: Vec<(i32, i32)> = points.iter().map(|(x, y)| (x.round() as i32, y.round() as i32)).collect();
        self.area.draw(&PathElement::new(pts, stroke.stroke_width(width.max(1.0) as u32))).map_err(err)
    }

    fn polygon(&self, points: &[(f64, f64)], fill: RGBAColor) -> Result<(), String> {
        let pts: Vec<(i32, i32)> = points.iter().map(|(x, y)| (x.round() as i32, y.round() as i32)).collect();
        self.area.draw(&Polygon::new(pts, fill.filled())).map_err(err)
    }

    fn circle(&self, x: f64, y: f64, r: f64, fill: RGBAColor) -> Result<(), String> {
        self.area.draw(&Circle::new((x.round() as i32, y.round() as i32), r.max(1.0) as i32, fill.filled())).map_err(err)
    }

    fn text(&self, s: &str, x: f64, y: f64, size: f64, color: RGBColor, h: HPos, v: VPos) -> Result<(), String> {
        let style = TextStyle::from(("sans-serif", size).into_font()).color(&color).pos(Pos::new(h, v));
        self.area.draw(&Text::new(s.to_owned(), (x.round() as i32, y.round() as i32), style)).map_err(err)
    }

    fn vertical_text(&self, s: &str, x: f64, y: f64, size: f64, color: RGBColor) -> Result<(), String> {
        let style = TextStyle::from(("sans-serif", size).into_font().transform(FontTransform::Rotate270)).color(&color).pos(Pos::new(HPos::Center, VPos::Center));
        self.area.draw(&Text::new(s.to_owned(), (x.round() as i32, y.round() as i32), style)).map_err(err)
    }

    fn hit(&mut self, shape: Shape, label: String, value: f64, category: Option<String>) {
        self.hits.push(Hit { shape, label, value: format_value(value), category });
    }
}

/// Round tick steps: 1, 2 or 5 times a power of ten.
pub fn nice_ticks(lo: f64, hi: f64, max_ticks: usize) -> Vec<f64> {
    let (lo, hi) = if (hi - lo).abs() < f64::EPSILON { (lo - 1.0, hi + 1.0) } else { (lo, hi) };
    let raw = (hi - lo) / max_ticks.max(2) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag);
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
struct Scale {
    lo: f64,
    hi: f64,
    p0: f64,
    p1: f64,
}

impl Scale {
    fn at(&self, v: f64) -> f64 {
        if self.hi == self.lo {
            return (self.p0 + self.p1) / 2.0;
        }
        self.p0 + (v - self.lo) / (self.hi - self.lo) * (self.p1 - self.p0)
    }
}

/// The value range of series, stacked or not, always including zero.
fn value_range(series: &[Series], stacked: bool) -> (f64, f64) {
    let mut lo = 0.0f64;
    let mut hi = 0.0f64;
    if stacked {
        let n = series.first().map_or(0, |s| s.values.len());
        for i in 0..n {
            let (pos, neg) = series.iter().filter_map(|s| s.values[i]).fold((0.0, 0.0), |(p, q), v| if v >= 0.0 { (p + v, q) } else { (p, q + v) });
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
fn label_stride(n: usize, slot: f64, widest: f64) -> usize {
    if n == 0 || slot <= 0.0 {
        return 1;
    }
    ((widest / slot).ceil() as usize).max(1)
}

struct Plot {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

fn legend_height<DB: DrawingBackend>(pen: &Pen<'_, DB>, names: &[String], width: f64) -> f64 {
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
fn draw_legend<DB: DrawingBackend>(pen: &Pen<'_, DB>, names: &[String], x0: f64, y0: f64, width: f64) -> Result<(), String> {
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
        pen.rect(x, y + t.px(3.0), x + t.px(12.0), y + t.px(15.0), color(i).to_rgba())?;
        pen.text(&label, x + t.px(17.0), y + t.px(9.0), t.small(), INK, HPos::Left, VPos::Center)?;
        x += w;
    }
    Ok(())
}

/// Value axis on the left with gridlines; returns the scale.
fn value_axis_left<DB: DrawingBackend>(pen: &Pen<'_, DB>, plot: &Plot, lo: f64, hi: f64, title: &str) -> Result<Scale, String> {
    let t = pen.theme;
    let max_ticks = ((plot.y1 - plot.y0) / t.px(34.0)).floor().max(2.0) as usize;
    let ticks = nice_ticks(lo, hi, max_ticks);
    let (tlo, thi) = (ticks[0].min(lo), ticks[ticks.len() - 1].max(hi));
    let scale = Scale { lo: tlo, hi: thi, p0: plot.y1, p1: plot.y0 };
    for v in &ticks {
        let y = scale.at(*v);
        pen.line(&[(plot.x0, y), (plot.x1, y)], GRID.to_rgba(), t.px(1.0))?;
        pen.text(&format_value(*v), plot.x0 - t.px(6.0), y, t.small(), MUTED, HPos::Right, VPos::Center)?;
    }
    pen.vertical_text(&fit_text(title, t.font(), plot.y1 - plot.y0).unwrap_or_default(), t.px(10.0), (plot.y0 + plot.y1) / 2.0, t.font(), INK)?;
    Ok(scale)
}

/// Value axis along the bottom with gridlines; returns the scale.
fn value_axis_bottom<DB: DrawingBackend>(pen: &Pen<'_, DB>, plot: &Plot, lo: f64, hi: f64, title: &str, height: f64) -> Result<Scale, String> {
    let t = pen.theme;
    let widest = text_width(&format_value(hi.abs().max(lo.abs())), t.small()) + t.px(18.0);
    let max_ticks = ((plot.x1 - plot.x0) / widest.max(t.px(40.0))).floor().max(2.0) as usize;
    let ticks = nice_ticks(lo, hi, max_ticks);
    let (tlo, thi) = (ticks[0].min(lo), ticks[ticks.len() - 1].max(hi));
    let scale = Scale { lo: tlo, hi: thi, p0: plot.x0, p1: plot.x1 };
    for v in &ticks {
        let x = scale.at(*v);
        pen.line(&[(x, plot.y0), (x, plot.y1)], GRID.to_rgba(), t.px(1.0))?;
        pen.text(&format_value(*v), x, plot.y1 + t.px(5.0), t.small(), MUTED, HPos::Center, VPos::Top)?;
    }
    pen.text(&fit_text(title, t.font(), plot.x1 - plot.x0).unwrap_or_default(), (plot.x0 + plot.x1) / 2.0, height - t.px(6.0), t.font(), INK, HPos::Center, VPos::Bottom)?;
    Ok(scale)
}

/// Category labels under slots along the bottom, shortened and thinned so
/// that none overlap.
fn category_axis_bottom<DB: DrawingBackend>(pen: &Pen<'_, DB>, plot: &Plot, categories: &[String], title: &str, height: f64) -> Result<(), String> {
    let t = pen.theme;
    let n = categories.len().max(1);
    let slot = (plot.x1 - plot.x0) / n as f64;
    let min_label = text_width("Wwww…", t.small());
    let stride = label_stride(n, slot, min_label);
    for (i, c) in categories.iter().enumerate().step_by(stride) {
        let x = plot.x0 + slot * (i as f64 + 0.5);
        if let Some(label) = fit_text(c, t.small(), slot * stride as f64 - t.px(6.0)) {
            pen.text(&label, x, plot.y1 + t.px(5.0), t.small(), MUTED, HPos::Center, VPos::Top)?;
        }
    }
    pen.text(&fit_text(title, t.font(), plot.x1 - plot.x0).unwrap_or_default(), (plot.x0 + plot.x1) / 2.0, height - t.px(6.0), t.font(), INK, HPos::Center, VPos::Bottom)
}

fn no_data<DB: DrawingBackend>(pen: &Pen<'_, DB>, w: f64, h: f64) -> Result<(), String> {
    pen.text("No data to show", w / 2.0, h / 2.0, pen.theme.font(), MUTED, HPos::Center, VPos::Center)
}

/// Draws `data` as `kind` over the whole area; returns the marks drawn.
pub fn draw<DB: DrawingBackend>(area: &Area<DB>, kind: ChartKind, data: &ChartData, theme: Theme) -> Result<Vec<Hit>, String> {
    area.fill(&WHITE).map_err(err)?;
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as f64, h as f64);
    let mut pen = Pen { area, theme, hits: Vec::new() };
    match (kind, data) {
        (ChartKind::Pie, ChartData::Categories { categories, series, .. }) => pie(&mut pen, categories, series.first(), w, h)?,
        (ChartKind::Hbar, ChartData::Categories { axis, value_axis, categories, series }) => hbars(&mut pen, axis, value_axis, categories, series, w, h)?,
        (ChartKind::Line | ChartKind::Area, ChartData::Categories { axis, value_axis, categories, series }) => {
            lines(&mut pen, kind == ChartKind::Area, axis, value_axis, categories, series, w, h)?
        }
        (_, ChartData::Categories { axis, value_axis, categories, series }) => {
            bars(&mut pen, kind == ChartKind::StackedBar, axis, value_axis, categories, series, w, h)?
        }
        (_, ChartData::Points { x_axis, y_axis, groups, .. }) => scatter(&mut pen, x_axis, y_axis, groups, w, h)?,
        (_, ChartData::Curves { x_axis, y_axis, curves, diagonal, unit }) => curve_chart(&mut pen, x_axis, y_axis, curves, *diagonal, *unit, w, h)?,
        (_, ChartData::Histogram { axis, edges, series }) => histogram(&mut pen, axis, edges, series, w, h)?,
        (_, ChartData::Boxes { axis, value_axis, boxes }) => box_plot(&mut pen, axis, value_axis, boxes, w, h)?,
        (_, ChartData::Grid { x_axis, y_axis, xs, ys, values, measure }) => heatmap(&mut pen, x_axis, y_axis, xs, ys, values, measure, w, h)?,
        (_, ChartData::Table(table)) => table_view(&mut pen, table, w, h)?,
    }
    Ok(pen.hits)
}

fn frame<DB: DrawingBackend>(pen: &Pen<'_, DB>, w: f64, h: f64, left: f64, legend: &[String]) -> Plot {
    let t = pen.theme;
    let top = t.px(10.0) + legend_height(pen, legend, w - t.px(20.0));
    Plot { x0: left, y0: top, x1: w - t.px(16.0), y1: h - t.px(44.0) }
}

fn names(series: &[Series]) -> Vec<String> {
    series.iter().map(|s| s.name.clone()).collect()
}

/// The frame, legend and axes shared by bar, line and area charts: the
/// plot area, the value scale and the width of one category's slot (None
/// when there is nothing to draw; the "no data" message is drawn then).
#[allow(clippy::too_many_arguments)]
fn category_layout<DB: DrawingBackend>(
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


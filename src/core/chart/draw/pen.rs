//! The pen a chart is drawn with: pixel primitives (rectangles, lines,
//! polygons, circles, text) on a plotters drawing area, in theme sizes,
//! and the hit regions collected as marks are drawn.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;

use crate::chart::draw::hit::{Hit, Shape};
use crate::chart::draw::style::Theme;
use crate::common::numfmt::format_value;

pub(super) type Area<DB> = DrawingArea<DB, plotters::coord::Shift>;

pub(super) struct Pen<'a, DB: DrawingBackend> {
    pub(super) area: &'a Area<DB>,
    pub(super) theme: Theme,
    pub(super) hits: Vec<Hit>,
}

pub(super) fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

impl<'a, DB: DrawingBackend> Pen<'a, DB> {
    pub(super) fn rect(
        &self,
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        fill: RGBAColor,
    ) -> Result<(), String> {
        self.area
            .draw(&Rectangle::new(
                [
                    (x0.round() as i32, y0.round() as i32),
                    (x1.round() as i32, y1.round() as i32),
                ],
                fill.filled(),
            ))
            .map_err(err)
    }

    pub(super) fn line(
        &self,
        points: &[(f64, f64)],
        stroke: RGBAColor,
        width: f64,
    ) -> Result<(), String> {
        let pts: Vec<(i32, i32)> = points
            .iter()
            .map(|(x, y)| (x.round() as i32, y.round() as i32))
            .collect();
        self.area
            .draw(&PathElement::new(
                pts,
                stroke.stroke_width(width.max(1.0) as u32),
            ))
            .map_err(err)
    }

    pub(super) fn polygon(&self, points: &[(f64, f64)], fill: RGBAColor) -> Result<(), String> {
        let pts: Vec<(i32, i32)> = points
            .iter()
            .map(|(x, y)| (x.round() as i32, y.round() as i32))
            .collect();
        self.area
            .draw(&Polygon::new(pts, fill.filled()))
            .map_err(err)
    }

    pub(super) fn circle(&self, x: f64, y: f64, r: f64, fill: RGBAColor) -> Result<(), String> {
        self.area
            .draw(&Circle::new(
                (x.round() as i32, y.round() as i32),
                r.max(1.0) as i32,
                fill.filled(),
            ))
            .map_err(err)
    }

    // A text's string, place, size, colour and anchor: each call names all
    // of them, and a struct for them would be built at every call.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn text(
        &self,
        s: &str,
        x: f64,
        y: f64,
        size: f64,
        color: RGBColor,
        h: HPos,
        v: VPos,
    ) -> Result<(), String> {
        let style = TextStyle::from(("sans-serif", size).into_font())
            .color(&color)
            .pos(Pos::new(h, v));
        self.area
            .draw(&Text::new(
                s.to_owned(),
                (x.round() as i32, y.round() as i32),
                style,
            ))
            .map_err(err)
    }

    pub(super) fn vertical_text(
        &self,
        s: &str,
        x: f64,
        y: f64,
        size: f64,
        color: RGBColor,
    ) -> Result<(), String> {
        let style = TextStyle::from(
            ("sans-serif", size)
                .into_font()
                .transform(FontTransform::Rotate270),
        )
        .color(&color)
        .pos(Pos::new(HPos::Center, VPos::Center));
        self.area
            .draw(&Text::new(
                s.to_owned(),
                (x.round() as i32, y.round() as i32),
                style,
            ))
            .map_err(err)
    }

    pub(super) fn hit(
        &mut self,
        shape: Shape,
        label: String,
        value: f64,
        category: Option<String>,
    ) {
        self.hits.push(Hit {
            shape,
            label,
            value: format_value(value),
            category,
        });
    }
}

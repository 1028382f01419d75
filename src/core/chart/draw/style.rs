//! The look shared by every chart: the categorical palette, the ink and
//! gridline colours, and the [`Theme`] that scales sizes with the device
//! pixel ratio.

use plotters::prelude::*;

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

pub(super) const INK: RGBColor = RGBColor(28, 35, 48);
pub(super) const MUTED: RGBColor = RGBColor(91, 101, 118);
pub(super) const GRID: RGBColor = RGBColor(230, 233, 238);

pub fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Sizes scale with the device pixel ratio, so charts are crisp.
#[derive(Clone, Copy, Debug)]
pub struct Theme {
    pub scale: f64,
}

impl Theme {
    pub(super) fn px(&self, v: f64) -> f64 {
        v * self.scale
    }
    pub(super) fn font(&self) -> f64 {
        self.px(12.0)
    }
    pub(super) fn small(&self) -> f64 {
        self.px(11.0)
    }
}

//! The marks of each visual type, one module per kind (bars, lines and
//! curves, pies, points, distributions, heat-map cells, table rows), drawn
//! inside the frame and axes that `layout` and `axes` lay out.

mod bars;
mod distribution;
mod heatmap;
mod lines;
mod pie;
mod scatter;
mod table;

pub(super) use bars::{bars, hbars};
pub(super) use distribution::{box_plot, histogram};
pub(super) use heatmap::heatmap;
pub(super) use lines::{curve_chart, lines};
pub(super) use pie::pie;
pub(super) use scatter::scatter;
pub(super) use table::table_view;

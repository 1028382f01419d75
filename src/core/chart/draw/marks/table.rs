//! Table charts: a header row and as many rows of cells as fit, numbers
//! aligned right, with a note of the rows left out.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::chart::draw::layout::no_data;
use crate::chart::draw::pen::Pen;
use crate::chart::draw::style::{GRID, INK, MUTED};
use crate::chart::text::fit_text;

pub(crate) fn table_view<DB: DrawingBackend>(
    pen: &mut Pen<'_, DB>,
    table: &crate::data::table::Table,
    w: f64,
    h: f64,
) -> Result<(), String> {
    if table.num_columns() == 0 {
        return no_data(pen, w, h);
    }
    let t = pen.theme;
    let row_h = t.px(22.0);
    let col_w = (w - t.px(20.0)) / table.num_columns() as f64;
    let rows = (((h - t.px(10.0)) / row_h) as usize)
        .saturating_sub(1)
        .min(table.num_rows());
    for (c, col) in table.columns().iter().enumerate() {
        let x = t.px(10.0) + col_w * c as f64;
        let numeric = col.column_type().is_numeric();
        let (hx, pos) = if numeric {
            (x + col_w - t.px(6.0), HPos::Right)
        } else {
            (x + t.px(4.0), HPos::Left)
        };
        pen.rect(x, t.px(4.0), x + col_w, t.px(4.0) + row_h, GRID.to_rgba())?;
        if let Some(label) = fit_text(&col.name, t.small(), col_w - t.px(10.0)) {
            pen.text(
                &label,
                hx,
                t.px(4.0) + row_h / 2.0,
                t.small(),
                INK,
                pos,
                VPos::Center,
            )?;
        }
        for r in 0..rows {
            let y = t.px(4.0) + row_h * (r as f64 + 1.0);
            if let Some(text) = col
                .data
                .display(r)
                .and_then(|s| fit_text(&s, t.small(), col_w - t.px(10.0)))
            {
                pen.text(
                    &text,
                    hx,
                    y + row_h / 2.0,
                    t.small(),
                    INK,
                    pos,
                    VPos::Center,
                )?;
            }
            if c == 0 {
                pen.line(
                    &[(t.px(10.0), y + row_h), (w - t.px(10.0), y + row_h)],
                    GRID.to_rgba(),
                    1.0,
                )?;
            }
        }
    }
    if table.num_rows() > rows {
        pen.text(
            &format!("… {} more rows in the data table", table.num_rows() - rows),
            w / 2.0,
            h - t.px(4.0),
            t.small(),
            MUTED,
            HPos::Center,
            VPos::Bottom,
        )?;
    }
    Ok(())
}

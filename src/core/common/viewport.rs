//! Virtual scrolling arithmetic for tall lists: which rows to draw for a
//! scroll position, and where to scroll to reach a row. Lists taller than
//! the browser's largest element scroll proportionally.

/// Height of one grid row, in CSS pixels, where the pointer is a mouse (the
/// stylesheet's `--row-h` matches it).
pub const ROW_HEIGHT_PX: f64 = 28.0;
/// Height of one row on a touch screen: a tappable row is at least 40 px.
pub const TOUCH_ROW_HEIGHT_PX: f64 = 40.0;
const OVERSCAN_ROWS: usize = 6;
/// Scroll height cap, well under every browser's element-size limit.
const MAX_SCROLL_PX: f64 = 8_000_000.0;

/// Which rows to draw and where, for a scroll position.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Window {
    pub first: usize,
    pub end: usize,
    pub top_px: f64,
    pub bottom_px: f64,
}

/// The rows of a list of `rows` rows, each `row_px` high, to draw at
/// `scroll_top` in a viewport `viewport_px` high.
pub fn window_for(rows: usize, row_px: f64, scroll_top: f64, viewport_px: f64) -> Window {
    let natural = rows as f64 * row_px;
    let total = natural.min(MAX_SCROLL_PX);
    let visible = (viewport_px / row_px).ceil() as usize + 1;
    if natural <= MAX_SCROLL_PX {
        let first = ((scroll_top / row_px).floor() as usize)
            .saturating_sub(OVERSCAN_ROWS)
            .min(rows);
        let end = (first + visible + 2 * OVERSCAN_ROWS).min(rows);
        Window {
            first,
            end,
            top_px: first as f64 * row_px,
            bottom_px: (rows - end) as f64 * row_px,
        }
    } else {
        // Proportional: the scroll fraction picks the first row; the drawn
        // block sits where the viewport is.
        let span = (total - viewport_px).max(1.0);
        let fraction = (scroll_top / span).clamp(0.0, 1.0);
        let first = ((rows.saturating_sub(visible)) as f64 * fraction).round() as usize;
        let end = (first + visible).min(rows);
        let top_px = scroll_top.clamp(0.0, total - (end - first) as f64 * row_px);
        Window {
            first,
            end,
            top_px,
            bottom_px: (total - top_px - (end - first) as f64 * row_px).max(0.0),
        }
    }
}

/// The scroll position that brings `row` to the top.
pub fn scroll_for_row(rows: usize, row_px: f64, row: usize, viewport_px: f64) -> f64 {
    let natural = rows as f64 * row_px;
    if natural <= MAX_SCROLL_PX {
        row as f64 * row_px
    } else {
        let visible = (viewport_px / row_px).ceil() as usize + 1;
        let span = MAX_SCROLL_PX - viewport_px;
        row as f64 / rows.saturating_sub(visible).max(1) as f64 * span
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_tables_scroll_naturally() {
        let w = window_for(100, ROW_HEIGHT_PX, 0.0, 280.0);
        assert_eq!((w.first, w.top_px), (0, 0.0));
        assert!(w.end > 10 && w.end <= 100);
        let w = window_for(100, ROW_HEIGHT_PX, 50.0 * ROW_HEIGHT_PX, 280.0);
        assert_eq!(w.first, 50 - OVERSCAN_ROWS);
        assert_eq!(
            w.top_px + (w.end - w.first) as f64 * ROW_HEIGHT_PX + w.bottom_px,
            100.0 * ROW_HEIGHT_PX
        );
    }

    #[test]
    fn huge_tables_reach_the_last_row() {
        let rows = 1_000_000;
        let end = window_for(rows, ROW_HEIGHT_PX, MAX_SCROLL_PX - 560.0, 560.0);
        assert_eq!(end.end, rows);
        let mid = window_for(
            rows,
            ROW_HEIGHT_PX,
            scroll_for_row(rows, ROW_HEIGHT_PX, 500_000, 560.0),
            560.0,
        );
        assert!((mid.first as i64 - 500_000).abs() <= 1, "{}", mid.first);
    }

    #[test]
    fn touch_rows_are_taller_and_still_reach_every_row() {
        let w = window_for(
            7_043,
            TOUCH_ROW_HEIGHT_PX,
            100.0 * TOUCH_ROW_HEIGHT_PX,
            560.0,
        );
        assert_eq!(w.first, 100 - OVERSCAN_ROWS);
        assert_eq!(
            w.top_px + (w.end - w.first) as f64 * TOUCH_ROW_HEIGHT_PX + w.bottom_px,
            7_043.0 * TOUCH_ROW_HEIGHT_PX
        );
        let rows = 1_000_000;
        let last = window_for(rows, TOUCH_ROW_HEIGHT_PX, MAX_SCROLL_PX - 560.0, 560.0);
        assert_eq!(last.end, rows);
        assert_eq!(scroll_for_row(100, TOUCH_ROW_HEIGHT_PX, 10, 560.0), 400.0);
    }
}

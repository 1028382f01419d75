//! What kind of screen the app is on, as the stylesheet sees it: media
//! queries asked from code, so that what the code lays out (the height of
//! a virtual list's rows) agrees with what the CSS draws.

use crate::core::common::viewport::{ROW_HEIGHT_PX, TOUCH_ROW_HEIGHT_PX};

/// Whether the media query matches now (false where it cannot be asked).
pub fn matches(query: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.match_media(query).ok().flatten())
        .is_some_and(|m| m.matches())
}

/// The height of a list row: taller on a touch screen, where a row is a
/// target for a finger (the stylesheet's `--row-h` under `pointer: coarse`).
pub fn row_height_px() -> f64 {
    if matches("(pointer: coarse)") {
        TOUCH_ROW_HEIGHT_PX
    } else {
        ROW_HEIGHT_PX
    }
}

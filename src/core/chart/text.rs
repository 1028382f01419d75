//! Text widths for chart layout, from Arial's character widths, so labels
//! are placed the same way in the browser and in native tests without
//! measuring anything in the DOM.

/// Advance widths of ASCII 32..=126 in thousandths of an em (Arial/Helvetica).
const WIDTHS: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278,
    278, // space .. /
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0-9
    278, 278, 584, 584, 584, 556, 1015, // : .. @
    667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667,
    611, 722, 667, 944, 667, 667, 611, // A-Z
    278, 278, 278, 469, 556, 333, // [ .. `
    556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500,
    278, 556, 500, 722, 500, 500, 500, // a-z
    334, 260, 334, 584, // { .. ~
];

/// The width of `text` at `size` pixels, a little generous.
pub fn text_width(text: &str, size: f64) -> f64 {
    let thousandths: u32 = text
        .chars()
        .map(|c| {
            let code = c as u32;
            if (32..=126).contains(&code) {
                WIDTHS[(code - 32) as usize] as u32
            } else {
                600
            }
        })
        .sum();
    thousandths as f64 / 1000.0 * size * 1.05
}

/// `text` cut to fit `width` pixels, ending in an ellipsis when cut.
pub fn fit_text(text: &str, size: f64, width: f64) -> Option<String> {
    if text_width(text, size) <= width {
        return Some(text.to_owned());
    }
    let mut out = String::new();
    for c in text.chars() {
        out.push(c);
        if text_width(&format!("{out}…"), size) > width {
            out.pop();
            break;
        }
    }
    (!out.is_empty()).then(|| format!("{out}…"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_and_fitting() {
        assert!(text_width("WWW", 12.0) > text_width("iii", 12.0) * 3.0);
        assert_eq!(
            fit_text("Electronic check", 12.0, 1000.0).as_deref(),
            Some("Electronic check")
        );
        let cut = fit_text("Electronic check", 12.0, 40.0).unwrap();
        assert!(
            cut.ends_with('…') && text_width(&cut, 12.0) <= 40.0,
            "{cut}"
        );
        assert_eq!(fit_text("Electronic", 12.0, 5.0), None);
    }
}

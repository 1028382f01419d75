//! Number formatting shared by every view: counts with thousands
//! separators and short human figures.

/// `7043` → `"7,043"`.
pub fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// `(1, "step")` → `"1 step"`, `(7043, "row")` → `"7,043 rows"`.
pub fn plural(n: usize, one: &str) -> String {
    format!("{} {one}{}", count(n), if n == 1 { "" } else { "s" })
}

/// A number for display with at most `decimals` decimals and no trailing zeros.
pub fn decimal(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    };
    if s == "-0" {
        "0".to_owned()
    } else {
        s
    }
}

/// A value as text: whole numbers bare, others to 4 decimals.
pub fn format_value(v: f64) -> String {
    if v == v.trunc() && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        decimal(v, 4)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn plurals() {
        assert_eq!(super::plural(1, "step"), "1 step");
        assert_eq!(super::plural(0, "dashboard"), "0 dashboards");
        assert_eq!(super::plural(7043, "row"), "7,043 rows");
    }

    use super::*;

    #[test]
    fn counts_and_decimals() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(7043), "7,043");
        assert_eq!(count(1_000_000), "1,000,000");
        assert_eq!(decimal(64.7616, 2), "64.76");
        assert_eq!(decimal(18.0, 2), "18");
        assert_eq!(decimal(-0.0001, 2), "0");
    }
}

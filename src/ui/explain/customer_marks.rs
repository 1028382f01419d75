//! How a contribution and a risk look: a cell's tint (red towards churn,
//! blue away, deeper for a stronger push), the ▲/▼ sign that goes with it
//! so colour is never alone, and the class of a probability.

/// The sign that goes with the tint, so colour is never the only carrier:
/// ▲ towards churn, ▼ away, nothing for a small push.
pub fn push_mark(c: f64, scale: f64) -> &'static str {
    if c.abs() < 0.1 * scale.max(1e-9) {
        ""
    } else if c > 0.0 {
        "▲"
    } else {
        "▼"
    }
}

/// A cell's background for a contribution, scaled by the largest one.
pub fn tint(c: f64, scale: f64) -> String {
    let a = (c.abs() / scale.max(1e-9)).clamp(0.0, 1.0) * 0.75;
    if c >= 0.0 {
        format!("rgba(214, 39, 40, {a:.3})")
    } else {
        format!("rgba(31, 119, 180, {a:.3})")
    }
}

/// The class that colours a probability: high, middle or low risk.
pub fn risk_class(p: f64) -> &'static str {
    if p >= 0.5 {
        "risk-high"
    } else if p >= 0.25 {
        "risk-mid"
    } else {
        "risk-low"
    }
}

//! The charts of a training run, as chart data the chart stage draws: ROC,
//! precision-recall, calibration, the CV curve and the largest coefficients.

use crate::chart::{ChartData, Curve, Series, UnitAxes};
use crate::model::train::{CvResult, Evaluation, Importance};

/// How far apart, on axes from 0 to 1, a curve's drawn points are at least:
/// a quarter of a pixel on a 500-pixel chart.
pub const CURVE_STEP: f64 = 1.0 / 2000.0;

/// `points` as drawn: the first and the last, and each that moved at least
/// [`CURVE_STEP`] along either axis from the one drawn before it. A ROC
/// curve of 200,000 test rows has a point per distinct score; rising on
/// both axes, at most 4,001 of them are drawn (and tooltips and the data
/// table behind the chart list those).
pub fn drawn_points(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(points.len().min(4_096));
    for (i, &(x, y)) in points.iter().enumerate() {
        let far = out
            .last()
            .is_none_or(|&(a, b)| (x - a).abs() >= CURVE_STEP || (y - b).abs() >= CURVE_STEP);
        if far || i + 1 == points.len() {
            out.push((x, y));
        }
    }
    out
}

/// The ROC curve, with AUC in its name.
pub fn roc_chart(e: &Evaluation) -> ChartData {
    let curve = Curve {
        name: format!("AUC {:.3}", e.auc),
        points: drawn_points(&e.roc),
        band: None,
    };
    ChartData::Curves {
        x_axis: "false positive rate".into(),
        y_axis: "true positive rate".into(),
        curves: vec![curve],
        diagonal: true,
        unit: UnitAxes::Both,
    }
}

/// Precision against recall.
pub fn pr_chart(e: &Evaluation) -> ChartData {
    let mut points = vec![(0.0, e.pr.first().map_or(1.0, |p| p.1))];
    points.extend(&e.pr);
    let curve = Curve {
        name: format!("average precision {:.3}", e.average_precision),
        points: drawn_points(&points),
        band: None,
    };
    ChartData::Curves {
        x_axis: "recall".into(),
        y_axis: "precision".into(),
        curves: vec![curve],
        diagonal: false,
        unit: UnitAxes::Both,
    }
}

/// Observed churn rate against mean predicted probability, per bin.
pub fn calibration_chart(e: &Evaluation) -> ChartData {
    let points = e
        .calibration
        .iter()
        .map(|b| (b.mean_predicted, b.fraction_positive))
        .collect();
    let curve = Curve {
        name: "model".into(),
        points,
        band: None,
    };
    ChartData::Curves {
        x_axis: "mean predicted probability".into(),
        y_axis: "fraction positive".into(),
        curves: vec![curve],
        diagonal: true,
        unit: UnitAxes::Both,
    }
}

/// Mean CV accuracy ± one standard deviation against log10(C).
pub fn cv_chart(cv: &CvResult) -> ChartData {
    let points: Vec<(f64, f64)> = cv
        .cs
        .iter()
        .zip(&cv.mean)
        .map(|(c, m)| (libm::log10(*c), *m))
        .collect();
    let band = cv
        .mean
        .iter()
        .zip(&cv.std)
        .map(|(m, s)| (m - s, m + s))
        .collect();
    let curve = Curve {
        name: "mean CV accuracy".into(),
        points,
        band: Some(band),
    };
    ChartData::Curves {
        x_axis: "log10 C".into(),
        y_axis: "CV accuracy".into(),
        curves: vec![curve],
        diagonal: false,
        unit: UnitAxes::Neither,
    }
}

/// The `n` largest coefficients (or column importances) as horizontal bars.
pub fn importance_chart(items: &[Importance], n: usize, axis: &str) -> ChartData {
    let top = &items[..items.len().min(n)];
    ChartData::Categories {
        axis: "feature".into(),
        value_axis: axis.into(),
        categories: top.iter().map(|i| i.name.clone()).collect(),
        series: vec![Series {
            name: axis.into(),
            values: top.iter().map(|i| Some(i.weight)).collect(),
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_curve_is_drawn_with_the_points_that_can_be_told_apart() {
        // A rising curve of 100,000 steps, as a ROC of 100,000 test rows.
        let n = 100_000;
        let points: Vec<(f64, f64)> = (0..=n)
            .map(|i| {
                let t = i as f64 / n as f64;
                (t, t.powf(0.3))
            })
            .collect();
        let drawn = drawn_points(&points);
        assert!(
            drawn.len() < 4_100 && drawn.len() > 1_000,
            "{}",
            drawn.len()
        );
        assert_eq!((drawn[0], *drawn.last().unwrap()), (points[0], points[n]));
        // Every point left out is within a step of one drawn before it.
        let mut k = 0;
        for p in &points {
            while k + 1 < drawn.len() && drawn[k + 1].0 <= p.0 {
                k += 1;
            }
            let d = drawn[k];
            assert!(
                (p.0 - d.0).abs() < CURVE_STEP && (p.1 - d.1).abs() < CURVE_STEP
                    || drawn.contains(p)
            );
        }
        // A short curve is drawn whole.
        let few = vec![(0.0, 0.0), (0.2, 0.6), (0.5, 0.9), (1.0, 1.0)];
        assert_eq!(drawn_points(&few), few);
        assert!(drawn_points(&[]).is_empty());
    }
}

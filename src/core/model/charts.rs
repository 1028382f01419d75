//! The charts of a training run, as chart data the chart stage draws: ROC,
//! precision-recall, calibration, the CV curve and the largest coefficients.

use crate::chart::{ChartData, Curve, Series, UnitAxes};
use crate::model::train::{CvResult, Evaluation, Importance};

/// The ROC curve, with AUC in its name.
pub fn roc_chart(e: &Evaluation) -> ChartData {
    let curve = Curve {
        name: format!("AUC {:.3}", e.auc),
        points: e.roc.clone(),
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
        points,
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

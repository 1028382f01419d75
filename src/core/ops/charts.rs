//! The Operations page's charts as chart data: per call, the probability
//! and the processing time (thinned to buckets with a min–max band when a
//! run has more calls than a chart has room for); per block, the realised
//! metrics, the CBPE estimate with its band beside the realised accuracy,
//! and one feature's drift.

use crate::chart::{ChartData, Curve, UnitAxes};
use crate::ops::blocks::BlockReport;
use crate::ops::report::Report;

/// Most points a per-call chart draws; beyond, buckets of calls.
pub const MAX_POINTS: usize = 600;

/// One value per call, as a curve over the call number (bucket means with
/// their min and max when there are too many calls).
fn per_call(name: &str, values: &[f64], upto: usize) -> Curve {
    let values = &values[..upto.min(values.len())];
    if values.len() <= MAX_POINTS {
        let points = values
            .iter()
            .enumerate()
            .filter(|(_, v)| v.is_finite())
            .map(|(i, v)| ((i + 1) as f64, *v))
            .collect();
        return Curve {
            name: name.into(),
            points,
            band: None,
        };
    }
    let size = values.len().div_ceil(MAX_POINTS);
    let mut points = Vec::new();
    let mut band = Vec::new();
    for (k, chunk) in values.chunks(size).enumerate() {
        let finite: Vec<f64> = chunk.iter().copied().filter(|v| v.is_finite()).collect();
        if finite.is_empty() {
            continue;
        }
        let mean = finite.iter().sum::<f64>() / finite.len() as f64;
        points.push(((k * size + chunk.len() / 2 + 1) as f64, mean));
        band.push((
            finite.iter().copied().fold(f64::INFINITY, f64::min),
            finite.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        ));
    }
    Curve {
        name: format!("{name} (mean of {size} calls, band: min–max)"),
        points,
        band: Some(band),
    }
}

/// The probability of each call, up to call `upto`.
pub fn probability_chart(probabilities: &[f64], upto: usize) -> ChartData {
    ChartData::Curves {
        x_axis: "call".into(),
        y_axis: "churn probability".into(),
        curves: vec![per_call("probability", probabilities, upto)],
        diagonal: false,
        unit: UnitAxes::Y,
    }
}

/// The processing time of each call, up to call `upto`.
pub fn latency_chart(latency_ms: &[f64], upto: usize) -> ChartData {
    ChartData::Curves {
        x_axis: "call".into(),
        y_axis: "processing time (ms)".into(),
        curves: vec![per_call("processing time", latency_ms, upto)],
        diagonal: false,
        unit: UnitAxes::Neither,
    }
}

fn block_curve(
    name: &str,
    blocks: &[BlockReport],
    value: impl Fn(&BlockReport) -> Option<f64>,
) -> Curve {
    Curve {
        name: name.into(),
        points: blocks
            .iter()
            .filter_map(|b| value(b).map(|v| (b.block as f64, v)))
            .collect(),
        band: None,
    }
}

/// The realised accuracy, AUC and churn rate of each block whose labels are in.
pub fn accuracy_chart(blocks: &[BlockReport]) -> ChartData {
    let curves = vec![
        block_curve("accuracy", blocks, |b| b.realised.map(|r| r.accuracy)),
        block_curve("AUC", blocks, |b| b.realised.and_then(|r| r.auc)),
        block_curve("churn rate", blocks, |b| b.realised.map(|r| r.churn_rate)),
    ];
    ChartData::Curves {
        x_axis: "block".into(),
        y_axis: "realised".into(),
        curves,
        diagonal: false,
        unit: UnitAxes::Y,
    }
}

/// The estimated accuracy with its confidence band, the realised accuracy
/// once labels are in, and the alert threshold.
pub fn estimated_chart(report: &Report, blocks: &[BlockReport]) -> ChartData {
    let mut estimated = block_curve("estimated accuracy (CBPE)", blocks, |b| {
        Some(b.estimated.accuracy)
    });
    estimated.band = Some(
        blocks
            .iter()
            .map(|b| (b.estimated.lower, b.estimated.upper))
            .collect(),
    );
    let mut curves = vec![
        estimated,
        block_curve("realised accuracy", blocks, |b| {
            b.realised.map(|r| r.accuracy)
        }),
    ];
    if let (Some(t), Some(first), Some(last)) =
        (report.lower_threshold, blocks.first(), blocks.last())
    {
        curves.push(Curve {
            name: "alert threshold".into(),
            points: vec![(first.block as f64, t), (last.block as f64, t)],
            band: None,
        });
    }
    ChartData::Curves {
        x_axis: "block".into(),
        y_axis: "accuracy".into(),
        curves,
        diagonal: false,
        unit: UnitAxes::Y,
    }
}

/// One feature's PSI per block (and the prediction PSI), with a threshold.
pub fn drift_chart(report: &Report, feature: usize, blocks: usize, threshold: f64) -> ChartData {
    let name = report
        .observed
        .features
        .get(feature)
        .cloned()
        .unwrap_or_default();
    let series = report
        .observed
        .drift
        .get(feature)
        .map(|d| &d[..blocks.min(d.len())])
        .unwrap_or(&[]);
    let mut curves = vec![Curve {
        name: format!("PSI of {name}"),
        points: series
            .iter()
            .enumerate()
            .map(|(i, d)| ((i + 1) as f64, d.psi))
            .collect(),
        band: None,
    }];
    curves.push(block_curve(
        "PSI of the scores",
        &report.observed.blocks[..blocks.min(report.observed.blocks.len())],
        |b| Some(b.prediction_psi),
    ));
    if !series.is_empty() {
        curves.push(Curve {
            name: "threshold".into(),
            points: vec![(1.0, threshold), (series.len() as f64, threshold)],
            band: None,
        });
    }
    ChartData::Curves {
        x_axis: "block".into(),
        y_axis: "PSI".into(),
        curves,
        diagonal: false,
        unit: UnitAxes::Neither,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_runs_are_thinned_to_buckets_with_a_band() {
        let values: Vec<f64> = (0..10_000).map(|i| (i % 10) as f64).collect();
        let ChartData::Curves { curves, .. } = probability_chart(&values, usize::MAX) else {
            panic!()
        };
        assert_eq!(curves[0].points.len(), 589);
        assert_eq!(curves[0].band.as_ref().unwrap()[0], (0.0, 9.0));
        let ChartData::Curves { curves, .. } = latency_chart(&values, 500) else {
            panic!()
        };
        assert_eq!(curves[0].points.len(), 500);
        assert!(curves[0].band.is_none());
    }
}

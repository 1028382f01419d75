//! Monitoring's statistics against their reference libraries in the test
//! venv: the KS test, chi-square, Jensen-Shannon and the binomial test
//! against scipy, PSI (the app's own deciles and binning) against numpy, isotonic regression against
//! scikit-learn, and CBPE's accuracy estimates against NannyML 0.13 on the
//! real file's model and a simulated drift of its traffic.

mod common;

use churnlab::core::common::hypothesis::{
    binomial_half_two_sided, chi2_contingency, jensen_shannon, ks_2samp,
};
use churnlab::core::common::rng::Rng;
use churnlab::core::model::config::{Mode, TrainConfig};
use churnlab::core::model::defaults::default_config;
use churnlab::core::model::pipeline::SavedModel;
use churnlab::core::model::train::train;
use churnlab::core::ops::cbpe::{needs_calibration, Calibration, Cbpe};
use churnlab::core::ops::drift::Deciles;
use churnlab::core::ops::isotonic::Isotonic;
use churnlab::core::ops::scenario::{Scenario, ScenarioKind};
use churnlab::core::ops::simulate::{simulate, SimSettings};
use common::{real_table, run_python};
use serde_json::{json, Value};

fn sample(rng: &mut Rng, n: usize, shift: f64, integers: bool) -> Vec<f64> {
    (0..n)
        .map(|_| {
            let v = rng.normal() * 10.0 + 30.0 + shift;
            if integers {
                v.round()
            } else {
                v
            }
        })
        .collect()
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * (1.0 + b.abs())
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap_or(f64::NAN))
        .collect()
}

#[test]
fn monitoring_statistics_match_scipy_numpy_scikit_learn_and_nannyml() {
    let mut rng = Rng::new(2026);
    // KS: unequal and equal sizes, ties (integers), no drift and drift.
    let ks_cases: Vec<(Vec<f64>, Vec<f64>)> = [
        (1000, 100, 0.0, true),
        (1000, 100, 3.0, true),
        (1000, 1000, 1.0, false),
        (60, 45, 5.0, false),
        (500, 200, 0.0, false),
        (1000, 250, 2.0, true),
    ]
    .iter()
    .map(|&(n1, n2, shift, int)| {
        (
            sample(&mut rng, n1, 0.0, int),
            sample(&mut rng, n2, shift, int),
        )
    })
    .collect();
    let chi2_cases: Vec<Vec<Vec<f64>>> = vec![
        vec![vec![500.0, 300.0, 200.0], vec![45.0, 35.0, 20.0]],
        vec![vec![700.0, 300.0], vec![60.0, 40.0]],
        vec![
            vec![250.0, 250.0, 250.0, 250.0, 0.0],
            vec![10.0, 40.0, 20.0, 25.0, 5.0],
        ],
        vec![vec![10.0, 0.0, 30.0], vec![12.0, 0.0, 25.0]],
    ];
    let js_cases = vec![
        (vec![500.0, 300.0, 200.0], vec![45.0, 35.0, 20.0]),
        (vec![1.0, 0.0, 3.0], vec![0.0, 2.0, 2.0]),
    ];
    let binom_cases = vec![(3u64, 20u64), (10, 20), (0, 7), (41, 100)];
    let psi_cases: Vec<(Vec<f64>, Vec<f64>)> = vec![
        (
            sample(&mut rng, 1000, 0.0, true),
            sample(&mut rng, 100, 0.0, true),
        ),
        (
            sample(&mut rng, 1000, 0.0, false),
            sample(&mut rng, 100, 8.0, false),
        ),
        (sample(&mut rng, 1000, 0.0, true), vec![1000.0; 30]),
    ];
    let iso_x: Vec<f64> = (0..400)
        .map(|_| (rng.next_f64() * 100.0).round() / 100.0)
        .collect();
    let iso_y: Vec<f64> = iso_x
        .iter()
        .map(|x| f64::from(u8::from(rng.next_f64() < *x)))
        .collect();
    let iso_at: Vec<f64> = (0..=50).map(|i| i as f64 / 50.0 * 1.2 - 0.1).collect();

    // CBPE: the real file's model, its test split as the reference, and
    // 2,000 calls whose tenure drifts lower from the fourth block of 200.
    let table = real_table();
    let cfg = TrainConfig {
        mode: Mode::Plain,
        ..default_config(&table)
    };
    let trained = train(&table, &cfg, &mut |_, _| true).unwrap();
    let model = SavedModel::new("m", &table, &cfg, &trained, None);
    let reference = model.reference.clone().unwrap();
    let scenario = Scenario {
        kind: ScenarioKind::FeatureDrift,
        start_block: 4,
        strength: 1.0,
        column: "tenure".into(),
        toward: "lower".into(),
    };
    let settings = SimSettings {
        calls: 2000,
        block_size: 200,
        scenario,
        ..SimSettings::default()
    };
    let log = simulate(&model, None, &table, &settings, &mut || 0.0, &mut |_, _| {
        true
    })
    .unwrap();
    let blocks: Vec<Vec<f64>> = log.probability.chunks(200).map(<[f64]>::to_vec).collect();

    let payload = json!({
        "ks": ks_cases, "chi2": chi2_cases, "js": js_cases, "binom": binom_cases, "psi": psi_cases,
        "isotonic": {"x": iso_x, "y": iso_y, "at": iso_at},
        "cbpe": {"reference": {"scores": reference.test_scores, "labels": reference.test_labels}, "blocks": blocks, "block_size": 200},
    });
    let out = run_python("ops_parity.py", &[], &payload);

    for (i, (a, b)) in ks_cases.iter().enumerate() {
        let ours = ks_2samp(a, b);
        let theirs = numbers(&out["ks"][i]);
        assert!(
            close(ours.statistic, theirs[0], 1e-12),
            "KS {i}: statistic {} vs scipy {}",
            ours.statistic,
            theirs[0]
        );
        assert!(
            close(ours.p_value, theirs[1], 1e-9) || (ours.p_value - theirs[1]).abs() < 1e-14,
            "KS {i}: p {} vs scipy {}",
            ours.p_value,
            theirs[1]
        );
    }
    for (i, t) in chi2_cases.iter().enumerate() {
        let ours = chi2_contingency(t);
        let theirs = numbers(&out["chi2"][i]);
        assert!(
            close(ours.statistic, theirs[0], 1e-12) && close(ours.p_value, theirs[1], 1e-10),
            "chi-square {i}: {ours:?} vs scipy {theirs:?}"
        );
    }
    for (i, (p, q)) in js_cases.iter().enumerate() {
        assert!(
            close(jensen_shannon(p, q), out["js"][i].as_f64().unwrap(), 1e-14),
            "JS {i}"
        );
    }
    for (i, (k, n)) in binom_cases.iter().enumerate() {
        assert!(
            close(
                binomial_half_two_sided(*k, *n),
                out["binom"][i].as_f64().unwrap(),
                1e-12
            ),
            "binomial {i}"
        );
    }
    for (i, (r, b)) in psi_cases.iter().enumerate() {
        // The app's own binning and PSI, as monitoring runs them.
        let mut sorted = r.clone();
        sorted.sort_by(f64::total_cmp);
        let ours = Deciles::of(&sorted).psi(b);
        assert!(
            close(ours, out["psi"][i].as_f64().unwrap(), 1e-12),
            "PSI {i}: {ours} vs numpy {}",
            out["psi"][i]
        );
    }
    let iso = Isotonic::fit(&iso_x, &iso_y);
    for (v, theirs) in iso_at.iter().zip(numbers(&out["isotonic"])) {
        assert!(
            close(iso.predict(*v), theirs, 1e-12),
            "isotonic at {v}: {} vs {theirs}",
            iso.predict(*v)
        );
    }

    // CBPE, calibrated as NannyML decided; our own check decides the same here.
    let c = &out["cbpe"];
    let theirs_calibrate = c["needs_calibration"].as_bool().unwrap();
    let ours_calibrate = needs_calibration(
        &reference.test_scores,
        &reference.test_labels,
        settings.seed,
    );
    eprintln!("needs calibration: NannyML {theirs_calibrate}, ours {ours_calibrate}");
    assert_eq!(ours_calibrate, theirs_calibrate);
    let policy = if theirs_calibrate {
        Calibration::Isotonic
    } else {
        Calibration::Off
    };
    let cbpe = Cbpe::fit(
        &reference.test_scores,
        &reference.test_labels,
        200,
        policy,
        settings.seed,
    );
    let (value, se, lo, hi) = (
        numbers(&c["value"]),
        numbers(&c["sampling_error"]),
        numbers(&c["lower_confidence"]),
        numbers(&c["upper_confidence"]),
    );
    assert_eq!(value.len(), blocks.len());
    let mut worst: f64 = 0.0;
    for (i, block) in blocks.iter().enumerate() {
        let e = cbpe.estimate(block);
        for (a, b) in [
            (e.accuracy, value[i]),
            (e.sampling_error, se[i]),
            (e.lower, lo[i]),
            (e.upper, hi[i]),
        ] {
            worst = worst.max((a - b).abs());
        }
        assert_eq!(
            e.alert,
            c["alert"][i].as_bool().unwrap(),
            "alert of block {}",
            i + 1
        );
    }
    let threshold = c["lower_threshold"][0].as_f64();
    assert!(
        match (cbpe.lower_threshold, threshold) {
            (Some(a), Some(b)) => close(a, b, 1e-12),
            (a, b) => a == b,
        },
        "lower threshold {:?} vs NannyML {threshold:?}",
        cbpe.lower_threshold
    );
    eprintln!(
        "CBPE: largest difference from NannyML over {} blocks: {worst:e}; accuracy {:?}",
        blocks.len(),
        value
    );
    assert!(worst < 1e-9, "{worst}");
}

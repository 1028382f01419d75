//! Tests of the training pipeline: the checks of a configuration, the
//! split, missing values, cross-validation and its workers, and the charts
//! of a trained model.

use super::*;
use crate::data::synth::generate;
use crate::model::charts::{calibration_chart, cv_chart, importance_chart, pr_chart, roc_chart};
use crate::model::config::default_cs;
use crate::model::datacheck::{feature_defaults, Exclusion};
use crate::model::defaults::{default_config, target_candidates};

#[test]
fn stratified_folds_match_scikit_learn() {
    // from sklearn.model_selection import StratifiedKFold
    // y = [1,0,0,1,1,0,1,0,0,0,0,1,0]
    // [f for r in range(13) for f,(a,b) in enumerate(StratifiedKFold(3).split(np.zeros(13), y)) if r in b]
    let y: Vec<bool> = [1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0, 1, 0]
        .iter()
        .map(|&v| v == 1)
        .collect();
    assert_eq!(
        stratified_folds(&y, 3),
        vec![0, 0, 0, 0, 1, 0, 1, 1, 1, 2, 2, 2, 2]
    );
    let flipped: Vec<bool> = y.iter().map(|v| !v).collect();
    assert_eq!(
        stratified_folds(&flipped, 3),
        vec![0, 0, 0, 0, 1, 0, 1, 1, 1, 2, 2, 2, 2]
    );
    // A longer, unbalanced case: StratifiedKFold(5) on (np.arange(40) % 7 == 0).
    let y: Vec<bool> = (0..40).map(|i| i % 7 == 0).collect();
    let folds = stratified_folds(&y, 5);
    assert_eq!(folds, FOLDS_40);
}

const FOLDS_40: [usize; 40] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3,
    4, 4, 4, 4, 4, 4, 4, 4,
];

#[test]
fn the_default_grid_is_scikit_learns() {
    let cs = default_cs();
    assert_eq!(cs.len(), 10);
    assert!((cs[0] - 1e-4).abs() < 1e-18 && (cs[9] - 1e4).abs() < 1e-9);
    assert!((cs[1] - 0.000774263682681127).abs() < 1e-15);
}

#[test]
fn defaults_leave_out_ids_and_the_target() {
    let t = generate(500, 9);
    let cfg = default_config(&t);
    assert_eq!(
        (cfg.target.as_str(), cfg.positive.as_str()),
        ("Churn", "Yes")
    );
    assert_eq!(cfg.features.len(), 19);
    assert!(!cfg.features.contains(&"customerID".to_owned()));
    let left_out: Vec<(String, Exclusion)> = feature_defaults(&t, "Churn", "Yes")
        .into_iter()
        .filter_map(|(n, e)| e.map(|e| (n, e)))
        .collect();
    assert_eq!(
        left_out,
        vec![(
            "customerID".to_owned(),
            Exclusion::Identifier {
                distinct: 500,
                values: 500
            }
        )]
    );
    assert!(target_candidates(&t)
        .iter()
        .any(|(n, l)| n == "SeniorCitizen" && l == &["0".to_owned(), "1".to_owned()]));
}

#[test]
fn bad_configurations_say_what_is_wrong() {
    let t = generate(200, 1);
    let base = default_config(&t);
    let err = |f: &dyn Fn(&mut TrainConfig)| {
        let mut c = base.clone();
        f(&mut c);
        prepare(&t, &c).unwrap_err().to_string()
    };
    assert_eq!(
        err(&|c| c.target = "Contract".into()),
        "the target \"Contract\" must have exactly two values; it has 3"
    );
    assert_eq!(
        err(&|c| c.positive = "Maybe".into()),
        "\"Maybe\" is not a value of the target \"Churn\""
    );
    assert_eq!(err(&|c| c.features.clear()), "choose at least one feature");
    assert_eq!(
        err(&|c| c.features.push("Churn".into())),
        "the target \"Churn\" cannot also be a feature"
    );
    assert_eq!(
        err(&|c| c.test_share = 0.99),
        "the test share must be between 5% and 90%, not 0.99"
    );
    assert_eq!(
        err(&|c| c.folds = 1),
        "cross-validation needs 2 to 20 folds, not 1"
    );
    assert_eq!(err(&|c| c.c = 0.0), "C must be a positive number, not 0");
}

#[test]
fn missing_values_are_dropped_or_imputed() {
    let t = crate::data::synth::default_dataset();
    let blanks = (0..t.num_rows())
        .filter(|&r| t.column("TotalCharges").unwrap().data.is_null(r))
        .count();
    assert!(blanks > 0);
    let cfg = default_config(&t);
    let dropped = prepare(&t, &cfg).unwrap();
    assert_eq!(dropped.dropped, blanks);
    assert_eq!(
        dropped.train_rows.len() + dropped.test_rows.len(),
        7043 - blanks
    );
    let imputed = prepare(
        &t,
        &TrainConfig {
            missing: Missing::Impute,
            ..cfg
        },
    )
    .unwrap();
    assert_eq!(imputed.dropped, 0);
    assert_eq!(imputed.train_rows.len() + imputed.test_rows.len(), 7043);
    assert_eq!(imputed.test_rows.len(), 1761);
    let fill = imputed
        .encoder
        .columns
        .iter()
        .find(|c| c.column == "TotalCharges")
        .unwrap()
        .fill
        .clone();
    assert!(
        matches!(fill, Some(crate::model::features::Fill::Number(m)) if m > 1000.0 && m < 2000.0),
        "{fill:?}"
    );
}

#[test]
fn cv_picks_a_c_and_cancels_when_asked() {
    let t = generate(1500, 11);
    let cfg = TrainConfig {
        cs: vec![1e-4, 1e-2, 1.0],
        folds: 3,
        ..default_config(&t)
    };
    let mut calls = Vec::new();
    let trained = train(&t, &cfg, &mut |d, n| {
        calls.push((d, n));
        true
    })
    .unwrap();
    assert_eq!(calls.first(), Some(&(1, 10)));
    assert_eq!(calls.last(), Some(&(10, 10)));
    let cv = trained.cv.as_ref().unwrap();
    assert_eq!(cv.scores.len(), 3);
    assert!(
        cv.best_c() > 1e-4,
        "the tiny C only predicts the majority: {cv:?}"
    );
    let e = &trained.evaluation;
    assert!(
        e.auc > 0.75 && e.test_accuracy > 0.7,
        "{} {}",
        e.auc,
        e.test_accuracy
    );
    assert_eq!(e.coefficients.len(), trained.prepared.encoder.width());
    assert_eq!(e.by_column.len(), 19);
    for chart in [
        roc_chart(e),
        pr_chart(e),
        calibration_chart(e),
        cv_chart(cv),
        importance_chart(&e.coefficients, 10, "coefficient"),
    ] {
        assert!(!chart.datums().is_empty());
    }
    let cancelled = train(&t, &cfg, &mut |d, _| d < 4);
    assert_eq!(cancelled.unwrap_err(), TrainError::Cancelled);
}

#[test]
fn folds_shared_out_to_workers_give_the_same_cross_validation() {
    let t = generate(1200, 5);
    let cfg = TrainConfig {
        cs: vec![1e-3, 0.1, 10.0],
        folds: 5,
        ..default_config(&t)
    };
    let p = prepare(&t, &cfg).unwrap();
    let whole = cross_validate(
        &p.x_train,
        &p.y_train,
        &cfg.cs,
        cfg.folds,
        cfg.max_iter,
        &mut |_, _| true,
    )
    .unwrap();
    for workers in 1..=6 {
        let shares: Vec<Vec<usize>> = (0..workers)
            .map(|w| fold_share(cfg.folds, workers, w))
            .collect();
        let mut fits = vec![None; cfg.folds];
        for share in &shares {
            let got = cross_validate_folds(
                &p.x_train,
                &p.y_train,
                &cfg.cs,
                cfg.folds,
                share,
                cfg.max_iter,
                &mut |_, _| true,
            )
            .unwrap();
            for (f, s) in share.iter().zip(got) {
                fits[*f] = Some(s);
            }
        }
        assert_eq!(
            shares.iter().map(Vec::len).sum::<usize>(),
            cfg.folds,
            "{workers} workers"
        );
        assert_eq!(
            CvResult::from_folds(&cfg.cs, fits.into_iter().flatten().collect()),
            whole,
            "{workers} workers"
        );
    }
    // Given scores are used as they are; scores of another grid are not.
    let given = train_with_cv(&t, &cfg, Some(whole.clone()), &mut |_, _| true).unwrap();
    assert_eq!(given.cv.as_ref(), Some(&whole));
    assert_eq!(
        given.evaluation,
        train(&t, &cfg, &mut |_, _| true).unwrap().evaluation
    );
    let other = CvResult::from_scores(&[1.0], vec![vec![0.5]; 5]);
    assert_eq!(
        train_with_cv(&t, &cfg, Some(other), &mut |_, _| true)
            .unwrap()
            .cv,
        Some(whole)
    );
}

#[test]
fn cross_validation_workers_follow_cores_folds_and_rows() {
    assert_eq!(cv_workers(8, 5, 7_043), 5);
    assert_eq!(cv_workers(2, 5, 7_043), 2);
    assert_eq!(cv_workers(0, 5, 7_043), 1);
    assert_eq!(cv_workers(8, 5, 1_000_000), 2);
    assert_eq!(cv_workers(8, 5, 3_000_000), 1);
    assert_eq!(fold_share(5, 2, 0), vec![0, 2, 4]);
    assert_eq!(fold_share(5, 2, 1), vec![1, 3]);
}

//! The workshop's pipeline against scikit-learn on the real file, on
//! exactly the same train and test rows: Churnlab writes its split, a
//! Python script (from the test venv, `scripts/setup --test`) fits the
//! scikit-learn pipeline on those rows, and the figures are compared.
//!
//! Cleaning as in the workshop: rows with a blank TotalCharges dropped,
//! customerID left out, SeniorCitizen categorical.

mod common;

use churnlab::core::model::features::FeatureKind;
use churnlab::core::model::config::{Mode, TrainConfig};
use churnlab::core::model::defaults::default_config;
use churnlab::core::model::train::{train, Trained};
use common::{real_data_path, real_table, run_python};
use serde_json::{json, Value};

fn sklearn(cfg: &TrainConfig, trained: &Trained) -> Value {
    let p = &trained.prepared;
    let categorical: Vec<&str> =
        p.encoder.columns.iter().filter(|c| c.kind == FeatureKind::Categorical).map(|c| c.column.as_str()).collect();
    let split = json!({
        "train": p.train_rows, "test": p.test_rows, "features": cfg.features, "categorical": categorical,
        "target": cfg.target, "positive": cfg.positive, "c": cfg.c, "max_iter": cfg.max_iter, "folds": cfg.folds,
    });
    run_python("sklearn_parity.py", &[&real_data_path()], &split)
}

fn num(v: &Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or_else(|| panic!("{key} missing in {v}"))
}

#[test]
fn plain_and_cross_validated_fits_match_scikit_learn() {
    let table = real_table();
    let base = default_config(&table);
    assert_eq!(base.features.len(), 19);
    for mode in [Mode::Plain, Mode::Cv] {
        let cfg = TrainConfig { mode, ..base.clone() };
        let trained = train(&table, &cfg, &mut |_, _| true).unwrap();
        assert_eq!(trained.prepared.dropped, 11, "the 11 blank TotalCharges rows");
        let theirs = sklearn(&cfg, &trained);
        let ours = &trained.evaluation;
        let r = &theirs[if mode == Mode::Plain { "plain" } else { "cv" }];
        eprintln!(
            "{mode:?}: test accuracy {:.4} vs {:.4}, AUC {:.4} vs {:.4}, train accuracy {:.4} vs {:.4}",
            ours.test_accuracy,
            num(r, "test_accuracy"),
            ours.auc,
            num(r, "auc"),
            ours.train_accuracy,
            num(r, "train_accuracy")
        );
        assert!((ours.test_accuracy - num(r, "test_accuracy")).abs() <= 0.005, "{mode:?} test accuracy");
        assert!((ours.auc - num(r, "auc")).abs() <= 0.003, "{mode:?} AUC");
        assert!((ours.train_accuracy - num(r, "train_accuracy")).abs() <= 0.005, "{mode:?} train accuracy");
        assert!((0.75..0.85).contains(&ours.test_accuracy) && (0.8..0.88).contains(&ours.auc));
        if mode == Mode::Cv {
            let cv = trained.cv.as_ref().unwrap();
            let ours_cv = cv.mean[cv.best_index];
            eprintln!("CV: C {} (accuracy {:.4}) vs C {} (accuracy {:.4})", cv.best_c(), ours_cv, num(r, "c"), num(r, "cv_accuracy"));
            assert!((ours_cv - num(r, "cv_accuracy")).abs() <= 0.005, "CV accuracy of the chosen C");
            // The whole curve agrees, not just its top.
            let theirs_curve: Vec<f64> = r["cv_mean"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
            for (i, (a, b)) in cv.mean.iter().zip(&theirs_curve).enumerate() {
                assert!((a - b).abs() <= 0.01, "C={}: CV accuracy {a:.4} vs {b:.4}", cv.cs[i]);
            }
        }
    }
}

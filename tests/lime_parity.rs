//! LIME on the workshop's example customer against Python lime on the same
//! model and training rows. On the same 5,000 samples (Churnlab's, seeded),
//! lime's fitting step (`LimeBase`: its kernel, every feature, `Ridge`)
//! gives the same weights, intercept and R² to 1e-9; each side drawing its
//! own samples (`LimeTabularExplainer`, quartile discretisation), the top
//! five features agree in sign.

mod common;

use churnlab::core::explain::customer::FeatureValue;
use churnlab::core::explain::endpoint::parse_input;
use churnlab::core::explain::lime::{explain, neighbourhood, Lime, DEFAULT_SAMPLES};
use churnlab::core::model::features::{category_label, FeatureKind};
use common::{plain_model, real_table, run_python};
use serde_json::{json, Value};

#[test]
fn lime_weights_equal_python_limes_on_the_same_samples() {
    let table = real_table();
    let (trained, model) = plain_model(&table);
    let rows = &trained.prepared.train_rows;
    let example = json!({"StreamingTV":"No","MonthlyCharges":70.35,"PhoneService":"No","PaperlessBilling":"No","Partner":"No",
        "OnlineBackup":"No","gender":"Female","Contract":"Month-to-month","TotalCharges":1397.475,"StreamingMovies":"No",
        "DeviceProtection":"No","PaymentMethod":"Bank transfer (automatic)","tenure":29,"Dependents":"No","OnlineSecurity":"No",
        "MultipleLines":"No","InternetService":"DSL","SeniorCitizen":"No","TechSupport":"No"});
    let values = parse_input(&model, &example).unwrap();
    let lime = Lime::new(&model);
    let result = explain(&lime, &values, DEFAULT_SAMPLES, 7);
    let ours = result.weights.clone();
    let nb = neighbourhood(&lime, &values, DEFAULT_SAMPLES, 7);
    let n = nb.probability.len();
    let sample_rows: Vec<Vec<u8>> = (0..n)
        .map(|r| {
            (0..nb.columns)
                .map(|c| u8::from(nb.matches(r, c)))
                .collect()
        })
        .collect();
    let distances: Vec<f64> = nb.differing.iter().map(|&k| (k as f64).sqrt()).collect();

    let columns: Vec<Value> = model
        .encoder
        .columns
        .iter()
        .map(|c| json!({"name": c.column, "categories": if c.kind == FeatureKind::Categorical { json!(c.categories) } else { Value::Null }}))
        .collect();
    let cell = |c: &churnlab::core::model::features::EncodedColumn, r: usize| -> f64 {
        let data = &table.column(&c.column).unwrap().data;
        match c.kind {
            FeatureKind::Numeric => data.number(r).unwrap(),
            FeatureKind::Categorical => c
                .categories
                .binary_search(&category_label(data, r).unwrap())
                .unwrap() as f64,
        }
    };
    let train_rows: Vec<Vec<f64>> = rows
        .iter()
        .map(|&r| model.encoder.columns.iter().map(|c| cell(c, r)).collect())
        .collect();
    let instance: Vec<f64> = model
        .encoder
        .columns
        .iter()
        .zip(&values)
        .map(|(c, v)| match v {
            FeatureValue::Number(x) => *x,
            FeatureValue::Category(l) => c.categories.binary_search(l).unwrap() as f64,
        })
        .collect();
    let payload = json!({"columns": columns, "train": train_rows, "instance": instance, "coef": model.model.coef,
        "intercept": model.model.intercept, "means": model.scaler.means, "scales": model.scaler.scales, "seed": 7,
        "neighbourhood": {"rows": sample_rows, "probability": nb.probability, "distances": distances}});
    let out = run_python("lime_parity.py", &[], &payload);
    let floats = |v: &Value| -> Vec<f64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect()
    };
    let same = &out["same_samples"];
    let scale = ours.iter().fold(0.0f64, |m, w| m.max(w.abs()));
    let gap = ours
        .iter()
        .zip(floats(&same["weights"]))
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max)
        / scale;
    let intercept = same["intercept"].as_f64().unwrap();
    let score = same["score"].as_f64().unwrap();
    eprintln!(
        "same samples: weights {gap:.1e} apart (relative to the largest, {scale:.4}); intercept {:.10} vs {intercept:.10}; R² {:.10} vs {score:.10}",
        result.intercept, result.score
    );
    assert!(
        gap <= 1e-9,
        "LIME weights on the same samples differ by {gap:e}"
    );
    assert!((result.intercept - intercept).abs() <= 1e-9 && (result.score - score).abs() <= 1e-9);

    let theirs = floats(&out["weights"]);

    let mut order: Vec<usize> = (0..ours.len()).collect();
    order.sort_by(|&a, &b| ours[b].abs().total_cmp(&ours[a].abs()));
    for &i in &order[..5] {
        let name = &model.encoder.columns[i].column;
        eprintln!("{name}: ours {:+.4}, lime {:+.4}", ours[i], theirs[i]);
        assert_eq!(ours[i] > 0.0, theirs[i] > 0.0, "{name} points the same way");
    }
}

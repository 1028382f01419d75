//! LIME on the workshop's example customer against Python lime
//! (`LimeTabularExplainer`, quartile discretisation, 5,000 samples) on the
//! same model and training rows: the top-5 features agree in sign.

mod common;

use churnlab::core::explain::customer::FeatureValue;
use churnlab::core::explain::endpoint::parse_input;
use churnlab::core::model::features::{category_label, FeatureKind};
use churnlab::core::explain::lime::{explain, Lime, DEFAULT_SAMPLES};
use common::{plain_model, real_table, run_python};
use serde_json::{json, Value};

#[test]
fn lime_top_five_agree_in_sign_with_python_lime() {
    let table = real_table();
    let (trained, model) = plain_model(&table);
    let rows = &trained.prepared.train_rows;
    let example = json!({"StreamingTV":"No","MonthlyCharges":70.35,"PhoneService":"No","PaperlessBilling":"No","Partner":"No",
        "OnlineBackup":"No","gender":"Female","Contract":"Month-to-month","TotalCharges":1397.475,"StreamingMovies":"No",
        "DeviceProtection":"No","PaymentMethod":"Bank transfer (automatic)","tenure":29,"Dependents":"No","OnlineSecurity":"No",
        "MultipleLines":"No","InternetService":"DSL","SeniorCitizen":"No","TechSupport":"No"});
    let values = parse_input(&model, &example).unwrap();
    let ours = explain(&Lime::new(&model), &values, DEFAULT_SAMPLES, 7).weights;

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
            FeatureKind::Categorical => c.categories.binary_search(&category_label(data, r).unwrap()).unwrap() as f64,
        }
    };
    let train_rows: Vec<Vec<f64>> = rows.iter().map(|&r| model.encoder.columns.iter().map(|c| cell(c, r)).collect()).collect();
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
        "intercept": model.model.intercept, "means": model.scaler.means, "scales": model.scaler.scales, "seed": 7});
    let out = run_python("lime_parity.py", &[], &payload);
    let theirs: Vec<f64> = out["weights"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();

    let mut order: Vec<usize> = (0..ours.len()).collect();
    order.sort_by(|&a, &b| ours[b].abs().total_cmp(&ours[a].abs()));
    for &i in &order[..5] {
        let name = &model.encoder.columns[i].column;
        eprintln!("{name}: ours {:+.4}, lime {:+.4}", ours[i], theirs[i]);
        assert_eq!(ours[i] > 0.0, theirs[i] > 0.0, "{name} points the same way");
    }
}

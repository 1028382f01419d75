//! Scoring and explaining one customer with a saved model: the workshop's
//! `explain` contract (any subset of the feature fields as JSON, defaults for
//! the rest, values cast to the right type, unknown fields rejected by name)
//! and the linear model's exact additive contributions.

use ndarray::Array1;
use serde_json::{Map, Value};

use crate::core::features::FeatureKind;
use crate::core::pipeline::{ColumnStats, SavedModel};

/// Why an input cannot be scored; the message names the field.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InputError {
    #[error("the input must be one JSON object, like {{\"tenure\": 29}}: {0}")]
    NotAnObject(String),
    #[error("unknown field \"{field}\"{hint}")]
    UnknownField { field: String, hint: String },
    #[error("\"{field}\": {value} is not a number")]
    NotANumber { field: String, value: String },
    #[error("\"{field}\": {value} is not one of {choices}")]
    NotACategory { field: String, value: String, choices: String },
}

/// One feature's value for a customer.
#[derive(Clone, Debug, PartialEq)]
pub enum FeatureValue {
    Number(f64),
    Category(String),
}

impl FeatureValue {
    pub fn to_json(&self) -> Value {
        match self {
            FeatureValue::Number(v) => serde_json::Number::from_f64(*v).map_or(Value::Null, Value::Number),
            FeatureValue::Category(c) => Value::String(c.clone()),
        }
    }
}

/// The default of a column: its first category, or its training median.
pub fn default_value(stats: &ColumnStats) -> FeatureValue {
    match stats {
        ColumnStats::Numeric { median, .. } => FeatureValue::Number(*median),
        ColumnStats::Categorical { categories, .. } => FeatureValue::Category(categories.first().cloned().unwrap_or_default()),
    }
}

fn show(v: &Value) -> String {
    v.to_string()
}

/// Reads one field's value for a column of the model.
fn read_value(stats: &ColumnStats, value: &Value) -> Result<FeatureValue, InputError> {
    let field = stats.column().to_owned();
    match stats {
        ColumnStats::Numeric { .. } => {
            let number = match value {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => s.trim().parse::<f64>().ok(),
                _ => None,
            };
            number.filter(|n| n.is_finite()).map(FeatureValue::Number).ok_or_else(|| InputError::NotANumber { field, value: show(value) })
        }
        ColumnStats::Categorical { categories, .. } => {
            let text = match value {
                Value::String(s) => Some(s.trim().to_owned()),
                Value::Number(n) => Some(n.to_string()),
                Value::Bool(b) => Some(b.to_string()),
                _ => None,
            };
            // Exact first; then ignoring case ("yes" for "Yes"); a 0/1 flag
            // also takes No/Yes, as the workshop's SeniorCitizen does.
            let flag = |t: &str| -> Option<&str> {
                let is_flag = categories.len() == 2 && categories[0] == "0" && categories[1] == "1";
                match t.to_ascii_lowercase().as_str() {
                    "no" | "false" if is_flag => Some("0"),
                    "yes" | "true" if is_flag => Some("1"),
                    _ => None,
                }
            };
            let found = text.as_ref().and_then(|t| {
                categories
                    .iter()
                    .find(|c| *c == t)
                    .or_else(|| categories.iter().find(|c| c.eq_ignore_ascii_case(t)))
                    .or_else(|| flag(t).and_then(|f| categories.iter().find(|c| *c == f)))
            });
            found.map(|c| FeatureValue::Category(c.clone())).ok_or_else(|| InputError::NotACategory {
                field,
                value: show(value),
                choices: categories.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", "),
            })
        }
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.to_lowercase().chars().collect(), b.to_lowercase().chars().collect());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut prev = row[0];
        row[0] = i;
        for j in 1..=b.len() {
            let cur = row[j];
            row[j] = (row[j] + 1).min(row[j - 1] + 1).min(prev + usize::from(a[i - 1] != b[j - 1]));
            prev = cur;
        }
    }
    row[b.len()]
}

/// A customer from the endpoint's JSON input: every model column, given or
/// defaulted, in the model's column order.
pub fn parse_input(model: &SavedModel, input: &Value) -> Result<Vec<FeatureValue>, InputError> {
    let object: &Map<String, Value> = input.as_object().ok_or_else(|| InputError::NotAnObject(format!("got {}", kind_of(input))))?;
    for key in object.keys() {
        if !model.stats.iter().any(|s| s.column() == key) {
            let closest = model.stats.iter().map(|s| s.column()).min_by_key(|c| edit_distance(c, key));
            let hint = closest.filter(|c| edit_distance(c, key) <= 3).map(|c| format!("; did you mean \"{c}\"?")).unwrap_or_default();
            return Err(InputError::UnknownField { field: key.clone(), hint });
        }
    }
    model
        .stats
        .iter()
        .map(|s| match object.get(s.column()) {
            None | Some(Value::Null) => Ok(default_value(s)),
            Some(v) => read_value(s, v),
        })
        .collect()
}

/// Parses the endpoint's input text.
pub fn parse_input_text(model: &SavedModel, text: &str) -> Result<Vec<FeatureValue>, InputError> {
    let value: Value = serde_json::from_str(text).map_err(|e| InputError::NotAnObject(e.to_string()))?;
    parse_input(model, &value)
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The customer as the model sees it: one-hot encoded and standardised.
pub fn encode(model: &SavedModel, values: &[FeatureValue]) -> Array1<f64> {
    let mut x = Array1::<f64>::zeros(model.encoder.width());
    let mut offset = 0;
    for (c, v) in model.encoder.columns.iter().zip(values) {
        match (c.kind, v) {
            (FeatureKind::Numeric, FeatureValue::Number(n)) => x[offset] = *n,
            (FeatureKind::Categorical, FeatureValue::Category(label)) => {
                if let Ok(k) = c.categories.binary_search(label) {
                    x[offset + k] = 1.0;
                }
            }
            _ => {}
        }
        offset += c.width();
    }
    model.scaler.transform_row(&mut x);
    x
}

/// The probability of the positive class for an encoded customer.
pub fn probability(model: &SavedModel, x: &Array1<f64>) -> f64 {
    model.model.probability(x.view())
}

/// Exact additive contributions to the log-odds, per original column:
/// coefficient × (standardised value − training mean of the standardised
/// value, which is 0), summed over a column's one-hot features. With the
/// intercept they add up to the customer's log-odds; they equal SHAP's
/// LinearExplainer with the training rows as background.
pub fn contributions(model: &SavedModel, x: &Array1<f64>) -> Vec<f64> {
    let mut out = vec![0.0; model.encoder.columns.len()];
    let mut j = 0;
    for (i, c) in model.encoder.columns.iter().enumerate() {
        for _ in 0..c.width() {
            out[i] += model.model.coef[j] * x[j];
            j += 1;
        }
    }
    out
}

/// The endpoint's answer: `{"data": {...}, "probability": p, "explanation": {...}}`.
pub fn response(model: &SavedModel, values: &[FeatureValue], probability: f64, weights: &[f64]) -> Value {
    let mut data = Map::new();
    let mut explanation = Map::new();
    for ((s, v), w) in model.stats.iter().zip(values).zip(weights) {
        data.insert(s.column().to_owned(), v.to_json());
        explanation.insert(s.column().to_owned(), serde_json::Number::from_f64(*w).map_or(Value::Null, Value::Number));
    }
    let mut out = Map::new();
    out.insert("data".into(), Value::Object(data));
    out.insert("probability".into(), serde_json::Number::from_f64(probability).map_or(Value::Null, Value::Number));
    out.insert("explanation".into(), Value::Object(explanation));
    Value::Object(out)
}

/// Scores and explains one customer with the exact contributions.
pub fn explain_exact(model: &SavedModel, input: &Value) -> Result<Value, InputError> {
    let values = parse_input(model, input)?;
    let x = encode(model, &values);
    let p = probability(model, &x);
    Ok(response(model, &values, p, &contributions(model, &x)))
}

/// How the endpoint explains a score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// LIME, as in the workshop (seeded by the customer, so repeatable).
    Lime,
    /// The linear model's exact additive contributions.
    Exact,
}

impl Method {
    pub fn from_id(id: &str) -> Option<Method> {
        match id {
            "lime" => Some(Method::Lime),
            "exact" => Some(Method::Exact),
            _ => None,
        }
    }
}

/// A customer's seed for LIME: the same customer always gets the same weights.
pub fn customer_seed(values: &[FeatureValue]) -> u64 {
    let text: String = values.iter().map(|v| format!("{v:?};")).collect();
    crate::core::hash::hash_bytes(text.as_bytes())
}

/// The endpoint: scores one customer and explains it with `method`.
pub fn explain(model: &SavedModel, lime: &crate::core::lime::Lime, input: &Value, method: Method) -> Result<Value, InputError> {
    let values = parse_input(model, input)?;
    let x = encode(model, &values);
    let p = probability(model, &x);
    let weights = match method {
        Method::Exact => contributions(model, &x),
        Method::Lime => crate::core::lime::explain(lime, &values, crate::core::lime::DEFAULT_SAMPLES, customer_seed(&values)).weights,
    };
    Ok(response(model, &values, p, &weights))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::synth::generate;
    use crate::core::train::{default_config, train, Mode, TrainConfig};
    use serde_json::json;

    fn model() -> SavedModel {
        let t = generate(1500, 4);
        let cfg = TrainConfig { mode: Mode::Plain, ..default_config(&t) };
        let trained = train(&t, &cfg, &mut |_, _| true).unwrap();
        SavedModel::new("m", &t, &cfg, &trained, None)
    }

    /// The workshop's example customer.
    fn example() -> Value {
        json!({"StreamingTV":"No","MonthlyCharges":70.35,"PhoneService":"No","PaperlessBilling":"No","Partner":"No",
               "OnlineBackup":"No","gender":"Female","Contract":"Month-to-month","TotalCharges":1397.475,
               "StreamingMovies":"No","DeviceProtection":"No","PaymentMethod":"Bank transfer (automatic)","tenure":29,
               "Dependents":"No","OnlineSecurity":"No","MultipleLines":"No","InternetService":"DSL",
               "SeniorCitizen":"No","TechSupport":"No"})
    }

    #[test]
    fn the_workshop_example_scores_with_every_field_filled() {
        let m = model();
        // The workshop sends SeniorCitizen as "No"; this model's categories are "0"/"1".
        let out = explain_exact(&m, &example()).unwrap();
        let p = out["probability"].as_f64().unwrap();
        assert!(p > 0.0 && p < 1.0);
        assert_eq!(out["data"].as_object().unwrap().len(), 19);
        assert_eq!(out["explanation"].as_object().unwrap().len(), 19);
        assert_eq!(out["data"]["SeniorCitizen"], json!("0"));
    }

    #[test]
    fn missing_fields_get_defaults_and_strings_are_cast() {
        let m = model();
        let values = parse_input(&m, &json!({"tenure": "12", "Contract": "two year"})).unwrap();
        let col = |name: &str| m.stats.iter().position(|s| s.column() == name).unwrap();
        assert_eq!(values[col("tenure")], FeatureValue::Number(12.0));
        assert_eq!(values[col("Contract")], FeatureValue::Category("Two year".into()));
        assert_eq!(values[col("gender")], FeatureValue::Category("Female".into()), "the first category");
        let ColumnStats::Numeric { median, .. } = &m.stats[col("MonthlyCharges")] else { panic!() };
        assert_eq!(values[col("MonthlyCharges")], FeatureValue::Number(*median), "the training median");
    }

    #[test]
    fn the_endpoint_answers_with_lime_or_exact_weights() {
        let m = model();
        let s = crate::core::lime::Lime::new(&m);
        let lime = explain(&m, &s, &example(), Method::Lime).unwrap();
        assert_eq!(lime, explain(&m, &s, &example(), Method::Lime).unwrap(), "repeatable");
        let exact = explain(&m, &s, &example(), Method::Exact).unwrap();
        assert_eq!(lime["probability"], exact["probability"]);
        assert_ne!(lime["explanation"], exact["explanation"]);
        let w: Vec<f64> = lime["explanation"].as_object().unwrap().values().map(|v| v.as_f64().unwrap()).collect();
        assert!(w.iter().all(|v| v.abs() < 1.0), "LIME weights are changes in probability: {w:?}");
    }

    #[test]
    fn bad_inputs_name_the_field() {
        let m = model();
        let err = |v: Value| parse_input(&m, &v).unwrap_err().to_string();
        assert_eq!(err(json!({"tenure": "abc"})), "\"tenure\": \"abc\" is not a number");
        assert_eq!(err(json!({"Contract": "Weekly"})), "\"Contract\": \"Weekly\" is not one of \"Month-to-month\", \"One year\", \"Two year\"");
        assert_eq!(err(json!({"tenur": 3})), "unknown field \"tenur\"; did you mean \"tenure\"?");
        assert_eq!(err(json!({"favouriteColour": "red"})), "unknown field \"favouriteColour\"");
        assert_eq!(err(json!([1, 2])), "the input must be one JSON object, like {\"tenure\": 29}: got an array");
        assert!(parse_input_text(&m, "{\"tenure\": 3,").unwrap_err().to_string().starts_with("the input must be one JSON object"));
    }

    #[test]
    fn contributions_add_up_to_the_log_odds() {
        let m = model();
        let values = parse_input(&m, &json!({"tenure": 2, "Contract": "Month-to-month", "InternetService": "Fiber optic"})).unwrap();
        let x = encode(&m, &values);
        let c = contributions(&m, &x);
        let logit = m.model.intercept + c.iter().sum::<f64>();
        let p = probability(&m, &x);
        assert!((crate::core::model::sigmoid(logit) - p).abs() < 1e-12);
        let tenure = m.stats.iter().position(|s| s.column() == "tenure").unwrap();
        assert!(c[tenure] > 0.0, "a short tenure pushes towards churn");
    }
}

/// A table row as a customer for `model`: each model column's cell, or its
/// default when the cell is empty or not a value the model knows.
pub fn values_of_row(model: &SavedModel, table: &crate::core::table::Table, row: usize) -> Vec<FeatureValue> {
    model
        .stats
        .iter()
        .map(|s| {
            let data = table.column(s.column()).map(|c| &c.data);
            let read = match s {
                ColumnStats::Numeric { .. } => data.and_then(|d| d.number(row)).map(FeatureValue::Number),
                ColumnStats::Categorical { categories, .. } => data
                    .and_then(|d| crate::core::features::category_label(d, row))
                    .filter(|l| categories.binary_search(l).is_ok())
                    .map(FeatureValue::Category),
            };
            read.unwrap_or_else(|| default_value(s))
        })
        .collect()
}

/// A scored customer: probability and exact contributions per column.
#[derive(Clone, Debug, PartialEq)]
pub struct Scored {
    pub row: usize,
    pub probability: f64,
    pub contributions: Vec<f64>,
}

/// The model as one additive term of the log-odds per column: per category
/// (the whole one-hot block's `coef · z`), or `slope · x + offset` for a
/// number. A column's term is exactly its contribution.
#[derive(Clone, Debug)]
pub enum Term {
    Categorical(Vec<f64>),
    Numeric { slope: f64, offset: f64 },
}

pub fn column_terms(model: &SavedModel) -> Vec<Term> {
    let (coef, mean, scale) = (&model.model.coef, &model.scaler.means, &model.scaler.scales);
    let mut j = 0;
    let mut out = Vec::with_capacity(model.encoder.columns.len());
    for c in &model.encoder.columns {
        let w = c.width();
        out.push(match c.kind {
            FeatureKind::Numeric => Term::Numeric { slope: coef[j] / scale[j], offset: -coef[j] * mean[j] / scale[j] },
            FeatureKind::Categorical => {
                let base: f64 = (j..j + w).map(|k| -coef[k] * mean[k] / scale[k]).sum();
                Term::Categorical((0..w).map(|k| base + coef[j + k] / scale[j + k]).collect())
            }
        });
        j += w;
    }
    out
}

/// Scores every row of `table` (the customers table), column by column:
/// the same numbers as encoding each row, without building the rows.
pub fn score_table(model: &SavedModel, table: &crate::core::table::Table) -> Vec<Scored> {
    let n = table.num_rows();
    let d = model.stats.len();
    let mut terms = vec![0.0f64; n * d];
    for (ci, (s, term)) in model.stats.iter().zip(column_terms(model)).enumerate() {
        let data = table.column(s.column()).map(|c| &c.data);
        match (term, s) {
            (Term::Numeric { slope, offset }, ColumnStats::Numeric { median, .. }) => {
                for row in 0..n {
                    let x = data.and_then(|d| d.number(row)).unwrap_or(*median);
                    terms[row * d + ci] = slope * x + offset;
                }
            }
            (Term::Categorical(per), ColumnStats::Categorical { categories, .. }) => {
                let lookup = |label: &str| categories.binary_search_by(|c| c.as_str().cmp(label)).ok();
                // Dictionary columns: look each label up once, then index by key.
                if let Some(crate::core::table::ColumnData::Categorical(dict)) = data {
                    let by_key: Vec<Option<usize>> = data.and_then(|d| d.categories()).map(|labels| labels.iter().map(|l| l.and_then(lookup)).collect()).unwrap_or_default();
                    let keys = dict.keys();
                    for row in 0..n {
                        let k = if arrow_array::Array::is_valid(keys, row) { by_key.get(keys.value(row) as usize).copied().flatten() } else { None };
                        terms[row * d + ci] = per[k.unwrap_or(0)];
                    }
                    continue;
                }
                for row in 0..n {
                    let k = data.and_then(|d| match d.str_value(row) {
                        Some(label) => lookup(label),
                        None => crate::core::features::category_label(d, row).and_then(|l| lookup(&l)),
                    });
                    terms[row * d + ci] = per[k.unwrap_or(0)];
                }
            }
            _ => {}
        }
    }
    terms
        .chunks(d.max(1))
        .take(n)
        .enumerate()
        .map(|(row, c)| Scored {
            row,
            probability: crate::core::model::sigmoid(model.model.intercept + c.iter().sum::<f64>()),
            contributions: c.to_vec(),
        })
        .collect()
}

/// The `k` columns pushing hardest towards the positive class, as
/// `Column = value`, largest first.
pub fn reasons(model: &SavedModel, values: &[FeatureValue], contributions: &[f64], k: usize) -> Vec<String> {
    let mut order: Vec<usize> = (0..contributions.len()).filter(|&i| contributions[i] > 0.0).collect();
    order.sort_by(|&a, &b| contributions[b].total_cmp(&contributions[a]));
    order
        .into_iter()
        .take(k)
        .map(|i| {
            let v = match &values[i] {
                FeatureValue::Number(n) => crate::core::chart::format_value((*n * 100.0).round() / 100.0),
                FeatureValue::Category(c) => c.clone(),
            };
            format!("{} = {v}", model.stats[i].column())
        })
        .collect()
}

/// The header of a batch-scoring CSV.
pub const BATCH_HEADER: &str = "id,probability,reason_1,reason_2,reason_3\n";

/// Appends batch-scoring lines for `rows` of `table`: the row's id (the
/// `id_column`'s value, or its 1-based number), the probability, and the
/// top three reasons.
pub fn batch_lines(model: &SavedModel, table: &crate::core::table::Table, rows: std::ops::Range<usize>, id_column: Option<&str>, out: &mut String) {
    let ids = id_column.and_then(|c| table.column(c));
    for row in rows {
        let values = values_of_row(model, table, row);
        let x = encode(model, &values);
        let p = probability(model, &x);
        let mut reasons = reasons(model, &values, &contributions(model, &x), 3);
        reasons.resize(3, String::new());
        let id = ids.and_then(|c| c.data.display(row)).unwrap_or_else(|| (row + 1).to_string());
        let probability = format!("{p:.6}");
        let cells = [Some(id.as_str()), Some(probability.as_str())].into_iter().chain(reasons.iter().map(|r| Some(r.as_str()).filter(|r| !r.is_empty())));
        crate::core::csv::write_row(out, cells);
    }
}

/// One way to bring a customer below the threshold.
#[derive(Clone, Debug, PartialEq)]
pub struct Counterfactual {
    /// (model column index, new value), fewest first.
    pub changes: Vec<(usize, FeatureValue)>,
    pub probability: f64,
}

/// The columns a retention offer cannot change, by default.
pub const DEFAULT_LOCKED: [&str; 6] = ["gender", "SeniorCitizen", "Partner", "Dependents", "tenure", "TotalCharges"];

/// "What would keep this customer?": the smallest sets of changes to
/// unlocked columns that bring the probability below `threshold`. The model
/// is additive in its columns, so each column's best change (the category,
/// or the end of the training range, that lowers the log-odds most) is
/// independent of the others, and the fewest columns that suffice are found
/// exactly by trying sets in order of size. Up to `limit` sets of the
/// smallest size are returned, lowest probability first (sets one larger
/// are added when fewer exist).
pub fn counterfactuals(model: &SavedModel, values: &[FeatureValue], locked: &[String], threshold: f64, limit: usize) -> Vec<Counterfactual> {
    let x = encode(model, values);
    let now = contributions(model, &x);
    let logit0 = model.model.intercept + now.iter().sum::<f64>();
    // Each unlocked column's best alternative and how much it lowers the log-odds.
    let mut options: Vec<(usize, FeatureValue, f64)> = Vec::new();
    for (i, s) in model.stats.iter().enumerate() {
        if locked.iter().any(|l| l == s.column()) {
            continue;
        }
        let candidates: Vec<FeatureValue> = match s {
            ColumnStats::Categorical { categories, .. } => categories.iter().map(|c| FeatureValue::Category(c.clone())).collect(),
            ColumnStats::Numeric { min, max, .. } => vec![FeatureValue::Number(*min), FeatureValue::Number(*max)],
        };
        let mut best: Option<(FeatureValue, f64)> = None;
        for c in candidates {
            if c == values[i] {
                continue;
            }
            let mut trial = values.to_vec();
            trial[i] = c.clone();
            let after = contributions(model, &encode(model, &trial))[i];
            let gain = now[i] - after;
            if gain > 1e-9 && best.as_ref().is_none_or(|b| gain > b.1) {
                best = Some((c, gain));
            }
        }
        if let Some((v, gain)) = best {
            options.push((i, v, gain));
        }
    }
    let target = libm::log(threshold / (1.0 - threshold));
    let mut found: Vec<Counterfactual> = Vec::new();
    let n = options.len();
    let mut size = 1;
    while size <= n.min(6) && found.len() < limit {
        let before = found.len();
        let mut idx: Vec<usize> = (0..size).collect();
        loop {
            let gain: f64 = idx.iter().map(|&k| options[k].2).sum();
            if logit0 - gain < target {
                let mut changes: Vec<(usize, FeatureValue)> = idx.iter().map(|&k| (options[k].0, options[k].1.clone())).collect();
                changes.sort_by_key(|c| c.0);
                found.push(Counterfactual { changes, probability: crate::core::model::sigmoid(logit0 - gain) });
            }
            // Next combination of `size` out of `n`.
            let mut k = size;
            while k > 0 && idx[k - 1] == n - size + k - 1 {
                k -= 1;
            }
            if k == 0 {
                break;
            }
            idx[k - 1] += 1;
            for j in k..size {
                idx[j] = idx[j - 1] + 1;
            }
        }
        found[before..].sort_by(|a, b| a.probability.total_cmp(&b.probability));
        if found.len() > before {
            found.truncate(before + (limit - before).min(found.len() - before));
        }
        size += 1;
    }
    found.truncate(limit);
    found
}

#[cfg(test)]
mod counterfactual_tests {
    use super::*;

    #[test]
    fn scoring_a_table_matches_encoding_each_row() {
        let t = crate::core::synth::generate(400, 6);
        let cfg = crate::core::train::TrainConfig { mode: crate::core::train::Mode::Plain, ..crate::core::train::default_config(&t) };
        let trained = crate::core::train::train(&t, &cfg, &mut |_, _| true).unwrap();
        let m = SavedModel::new("m", &t, &cfg, &trained, None);
        for s in score_table(&m, &t) {
            let x = encode(&m, &values_of_row(&m, &t, s.row));
            assert!((s.probability - probability(&m, &x)).abs() < 1e-12);
            for (a, b) in s.contributions.iter().zip(contributions(&m, &x)) {
                assert!((a - b).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn batch_scoring_writes_a_probability_and_three_reasons_per_row() {
        let t = crate::core::synth::generate(300, 3);
        let cfg = crate::core::train::TrainConfig { mode: crate::core::train::Mode::Plain, ..crate::core::train::default_config(&t) };
        let trained = crate::core::train::train(&t, &cfg, &mut |_, _| true).unwrap();
        let m = SavedModel::new("m", &t, &cfg, &trained, None);
        let mut out = BATCH_HEADER.to_owned();
        batch_lines(&m, &t, 0..t.num_rows(), Some("customerID"), &mut out);
        let parsed = crate::core::ingest::ingest_bytes(out.as_bytes(), crate::core::ingest::IngestOptions::new("scores"), 1 << 16).unwrap().0;
        assert_eq!(parsed.num_rows(), 300);
        assert_eq!(parsed.columns().iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["id", "probability", "reason_1", "reason_2", "reason_3"]);
        let first = t.column("customerID").unwrap().data.display(0).unwrap();
        assert_eq!(parsed.column("id").unwrap().data.display(0).unwrap(), first);
        let p = parsed.column("probability").unwrap().data.number(0).unwrap();
        let x = encode(&m, &values_of_row(&m, &t, 0));
        assert!((p - probability(&m, &x)).abs() < 1e-6);
        assert!(parsed.column("reason_1").unwrap().data.display(0).unwrap().contains(" = "));
    }
    use crate::core::synth::generate;
    use crate::core::train::{default_config, train, Mode, TrainConfig};
    use serde_json::json;

    #[test]
    fn the_smallest_changes_bring_a_risky_customer_below_the_threshold() {
        let t = generate(2000, 12);
        let cfg = TrainConfig { mode: Mode::Plain, ..default_config(&t) };
        let trained = train(&t, &cfg, &mut |_, _| true).unwrap();
        let m = SavedModel::new("m", &t, &cfg, &trained, None);
        let risky = parse_input(&m, &json!({"tenure": 1, "Contract": "Month-to-month", "InternetService": "Fiber optic",
            "PaymentMethod": "Electronic check", "PaperlessBilling": "Yes", "MonthlyCharges": 95, "TotalCharges": 95})).unwrap();
        let p = probability(&m, &encode(&m, &risky));
        assert!(p > 0.5, "{p}");
        let locked: Vec<String> = DEFAULT_LOCKED.iter().map(|s| s.to_string()).collect();
        let found = counterfactuals(&m, &risky, &locked, 0.5, 3);
        assert!(!found.is_empty());
        let smallest = found[0].changes.len();
        for cf in &found {
            assert!(cf.probability < 0.5);
            assert_eq!(cf.changes.len(), smallest, "all of the smallest size");
            let mut v = risky.clone();
            for (i, value) in &cf.changes {
                assert!(!locked.contains(&m.stats[*i].column().to_owned()), "locked columns stay");
                v[*i] = value.clone();
            }
            assert!((probability(&m, &encode(&m, &v)) - cf.probability).abs() < 1e-9, "the reported probability is the model's");
        }
        // Nothing smaller works: no single change suffices when two are needed.
        if smallest > 1 {
            assert!(counterfactuals(&m, &risky, &locked, 0.5, 50).iter().all(|c| c.changes.len() >= smallest));
        }
        // Locking everything leaves nothing to change.
        let all: Vec<String> = m.stats.iter().map(|s| s.column().to_owned()).collect();
        assert!(counterfactuals(&m, &risky, &all, 0.5, 3).is_empty());
    }
}

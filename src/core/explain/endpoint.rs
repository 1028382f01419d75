//! The endpoint's contract: the workshop's `explain` input (any subset of
//! the feature fields as JSON, defaults for the rest, values cast to the
//! right type; the training table's other columns ignored and named, so a
//! whole row of that table is a customer; other fields rejected by name)
//! and its answer, explained with LIME or with the exact contributions.

use serde_json::{Map, Value};

use crate::explain::customer::{contributions, default_value, encode, probability, FeatureValue};
use crate::model::pipeline::{ColumnStats, SavedModel};

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
    NotACategory {
        field: String,
        value: String,
        choices: String,
    },
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
            number
                .filter(|n| n.is_finite())
                .map(FeatureValue::Number)
                .ok_or_else(|| InputError::NotANumber {
                    field,
                    value: show(value),
                })
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
                    .or_else(|| {
                        categories
                            .iter()
                            .find(|c| *c == crate::model::features::OTHER)
                    })
            });
            found
                .map(|c| FeatureValue::Category(c.clone()))
                .ok_or_else(|| InputError::NotACategory {
                    field,
                    value: show(value),
                    choices: categories
                        .iter()
                        .map(|c| format!("\"{c}\""))
                        .collect::<Vec<_>>()
                        .join(", "),
                })
        }
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (
        a.to_lowercase().chars().collect(),
        b.to_lowercase().chars().collect(),
    );
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut prev = row[0];
        row[0] = i;
        for j in 1..=b.len() {
            let cur = row[j];
            row[j] = (row[j] + 1)
                .min(row[j - 1] + 1)
                .min(prev + usize::from(a[i - 1] != b[j - 1]));
            prev = cur;
        }
    }
    row[b.len()]
}

/// A customer read from the endpoint's JSON input.
#[derive(Clone, Debug, PartialEq)]
pub struct Customer {
    /// Every model column, given or defaulted, in the model's column order.
    pub values: Vec<FeatureValue>,
    /// Fields given that are columns of the training table the model does
    /// not use (its identifier, its target, columns the data check left
    /// out), in the table's order.
    pub ignored: Vec<String>,
}

/// Whether `key` is a column of the model's training table it does not
/// use: the table's columns where the model keeps them, else (a model
/// saved before it did) only its target.
fn unused_column(model: &SavedModel, key: &str) -> bool {
    if model.table_columns.is_empty() {
        key == model.target
    } else {
        model.table_columns.iter().any(|c| c == key)
    }
}

/// Reads a customer from the endpoint's JSON input.
pub fn read_customer(model: &SavedModel, input: &Value) -> Result<Customer, InputError> {
    let object: &Map<String, Value> = input
        .as_object()
        .ok_or_else(|| InputError::NotAnObject(format!("got {}", kind_of(input))))?;
    let mut ignored = Vec::new();
    for key in object.keys() {
        if model.stats.iter().any(|s| s.column() == key) {
            continue;
        }
        if unused_column(model, key) {
            ignored.push(key.clone());
            continue;
        }
        let known = model
            .stats
            .iter()
            .map(|s| s.column())
            .chain(model.table_columns.iter().map(String::as_str));
        let closest = known.min_by_key(|c| edit_distance(c, key));
        let hint = closest
            .filter(|c| edit_distance(c, key) <= 3)
            .map(|c| format!("; did you mean \"{c}\"?"))
            .unwrap_or_default();
        return Err(InputError::UnknownField {
            field: key.clone(),
            hint,
        });
    }
    ignored.sort_by_key(|k| model.table_columns.iter().position(|c| c == k));
    let values = model
        .stats
        .iter()
        .map(|s| match object.get(s.column()) {
            None | Some(Value::Null) => Ok(default_value(s)),
            Some(v) => read_value(s, v),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Customer { values, ignored })
}

/// A customer's values from the endpoint's JSON input (see [`read_customer`]).
pub fn parse_input(model: &SavedModel, input: &Value) -> Result<Vec<FeatureValue>, InputError> {
    read_customer(model, input).map(|c| c.values)
}

/// Parses the endpoint's input text.
pub fn parse_input_text(model: &SavedModel, text: &str) -> Result<Vec<FeatureValue>, InputError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| InputError::NotAnObject(e.to_string()))?;
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

/// The endpoint's answer: `{"data": {...}, "probability": p, "explanation": {...}}`.
pub fn response(
    model: &SavedModel,
    values: &[FeatureValue],
    probability: f64,
    weights: &[f64],
) -> Value {
    let mut data = Map::new();
    let mut explanation = Map::new();
    for ((s, v), w) in model.stats.iter().zip(values).zip(weights) {
        data.insert(s.column().to_owned(), v.to_json());
        explanation.insert(
            s.column().to_owned(),
            serde_json::Number::from_f64(*w).map_or(Value::Null, Value::Number),
        );
    }
    let mut out = Map::new();
    out.insert("data".into(), Value::Object(data));
    out.insert(
        "probability".into(),
        serde_json::Number::from_f64(probability).map_or(Value::Null, Value::Number),
    );
    out.insert("explanation".into(), Value::Object(explanation));
    Value::Object(out)
}

/// Scores and explains one customer with the exact contributions.
pub fn explain_exact(model: &SavedModel, input: &Value) -> Result<Value, InputError> {
    let Customer { values, ignored } = read_customer(model, input)?;
    let x = encode(model, &values);
    let p = probability(model, &x);
    Ok(naming_ignored(
        response(model, &values, p, &contributions(model, &x)),
        ignored,
    ))
}

/// The answer with the fields it ignored (`ignored`), when there are any.
fn naming_ignored(mut answer: Value, ignored: Vec<String>) -> Value {
    if let (false, Some(out)) = (ignored.is_empty(), answer.as_object_mut()) {
        out.insert(
            "ignored".into(),
            Value::Array(ignored.into_iter().map(Value::String).collect()),
        );
    }
    answer
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
    crate::common::hash::hash_bytes(text.as_bytes())
}

/// LIME's weights for a customer as the endpoint gives them: 5,000 samples,
/// seeded by the customer.
pub fn lime_weights(lime: &crate::explain::lime::Lime, values: &[FeatureValue]) -> Vec<f64> {
    crate::explain::lime::explain(
        lime,
        values,
        crate::explain::lime::DEFAULT_SAMPLES,
        customer_seed(values),
    )
    .weights
}

/// The endpoint: scores one customer and explains it with `method`. The
/// answer names the fields it ignored (`ignored`), when there are any.
pub fn explain(
    model: &SavedModel,
    lime: &crate::explain::lime::Lime,
    input: &Value,
    method: Method,
) -> Result<Value, InputError> {
    let Customer { values, ignored } = read_customer(model, input)?;
    let x = encode(model, &values);
    let p = probability(model, &x);
    let weights = match method {
        Method::Exact => contributions(model, &x),
        Method::Lime => lime_weights(lime, &values),
    };
    Ok(naming_ignored(
        response(model, &values, p, &weights),
        ignored,
    ))
}

/// The workshop's example customer.
pub const WORKSHOP_EXAMPLE: &str = r#"{
  "StreamingTV": "No",
  "MonthlyCharges": 70.35,
  "PhoneService": "No",
  "PaperlessBilling": "No",
  "Partner": "No",
  "OnlineBackup": "No",
  "gender": "Female",
  "Contract": "Month-to-month",
  "TotalCharges": 1397.475,
  "StreamingMovies": "No",
  "DeviceProtection": "No",
  "PaymentMethod": "Bank transfer (automatic)",
  "tenure": 29,
  "Dependents": "No",
  "OnlineSecurity": "No",
  "MultipleLines": "No",
  "InternetService": "DSL",
  "SeniorCitizen": "No",
  "TechSupport": "No"
}"#;

/// Whether `input` is the workshop's example customer (every field, the same values).
pub fn is_workshop_example(input: &Value) -> bool {
    // Read once: every call to the endpoint asks.
    static EXAMPLE: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    let example =
        EXAMPLE.get_or_init(|| serde_json::from_str(WORKSHOP_EXAMPLE).unwrap_or(Value::Null));
    let (Some(a), Some(b)) = (example.as_object(), input.as_object()) else {
        return false;
    };
    a.len() == b.len()
        && a.iter().all(|(k, v)| {
            b.get(k)
                .is_some_and(|w| w == v || (v.as_f64().is_some() && v.as_f64() == w.as_f64()))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn model() -> SavedModel {
        crate::model::pipeline::synthetic_model(1500, 4).1
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
    fn a_whole_row_of_the_training_table_is_a_customer() {
        let (table, m) = crate::model::pipeline::synthetic_model(1500, 4);
        let row: Map<String, Value> = table
            .columns()
            .iter()
            .map(|c| {
                (
                    c.name.clone(),
                    c.data.display(3).map(Value::String).unwrap_or(Value::Null),
                )
            })
            .collect();
        let row = Value::Object(row);
        let out = explain_exact(&m, &row).unwrap();
        let ignored: Vec<&str> = out["ignored"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(ignored.len(), table.num_columns() - m.stats.len());
        assert!(
            ignored.contains(&"customerID") && ignored.contains(&"Churn"),
            "{ignored:?}"
        );
        // The same customer as the model's columns alone.
        let used: Map<String, Value> = row
            .as_object()
            .unwrap()
            .iter()
            .filter(|(k, _)| m.stats.iter().any(|s| s.column() == *k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let bare = explain_exact(&m, &Value::Object(used)).unwrap();
        assert_eq!(out["probability"], bare["probability"]);
        assert!(
            bare.get("ignored").is_none(),
            "nothing ignored, nothing said"
        );
        // A name that is no column of the table is still refused.
        let mut typo = row.clone();
        typo["tenur"] = json!(3);
        assert_eq!(
            explain_exact(&m, &typo).unwrap_err().to_string(),
            "unknown field \"tenur\"; did you mean \"tenure\"?"
        );
        // A model saved before it kept its table's columns ignores only its target.
        let mut old = m.clone();
        old.table_columns.clear();
        assert!(explain_exact(&old, &json!({"tenure": 3, "Churn": "Yes"})).is_ok());
        assert!(explain_exact(&old, &json!({"tenure": 3, "customerID": "x"})).is_err());
    }

    #[test]
    fn the_workshop_example_is_recognised() {
        assert!(is_workshop_example(&example()));
        let mut other = example();
        other["tenure"] = json!(30);
        assert!(!is_workshop_example(&other));
        assert!(!is_workshop_example(&json!({"tenure": 29})));
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
        assert_eq!(
            values[col("Contract")],
            FeatureValue::Category("Two year".into())
        );
        assert_eq!(
            values[col("gender")],
            FeatureValue::Category("Female".into()),
            "the first category"
        );
        let ColumnStats::Numeric { median, .. } = &m.stats[col("MonthlyCharges")] else {
            panic!()
        };
        assert_eq!(
            values[col("MonthlyCharges")],
            FeatureValue::Number(*median),
            "the training median"
        );
    }

    #[test]
    fn the_endpoint_answers_with_lime_or_exact_weights() {
        let m = model();
        let s = crate::explain::lime::Lime::new(&m);
        let lime = explain(&m, &s, &example(), Method::Lime).unwrap();
        assert_eq!(
            lime,
            explain(&m, &s, &example(), Method::Lime).unwrap(),
            "repeatable"
        );
        let exact = explain(&m, &s, &example(), Method::Exact).unwrap();
        assert_eq!(lime["probability"], exact["probability"]);
        assert_ne!(lime["explanation"], exact["explanation"]);
        let w: Vec<f64> = lime["explanation"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_f64().unwrap())
            .collect();
        assert!(
            w.iter().all(|v| v.abs() < 1.0),
            "LIME weights are changes in probability: {w:?}"
        );
    }

    #[test]
    fn bad_inputs_name_the_field() {
        let m = model();
        let err = |v: Value| parse_input(&m, &v).unwrap_err().to_string();
        assert_eq!(
            err(json!({"tenure": "abc"})),
            "\"tenure\": \"abc\" is not a number"
        );
        assert_eq!(
            err(json!({"Contract": "Weekly"})),
            "\"Contract\": \"Weekly\" is not one of \"Month-to-month\", \"One year\", \"Two year\""
        );
        assert_eq!(
            err(json!({"tenur": 3})),
            "unknown field \"tenur\"; did you mean \"tenure\"?"
        );
        assert_eq!(
            err(json!({"favouriteColour": "red"})),
            "unknown field \"favouriteColour\""
        );
        assert_eq!(
            err(json!([1, 2])),
            "the input must be one JSON object, like {\"tenure\": 29}: got an array"
        );
        assert!(parse_input_text(&m, "{\"tenure\": 3,")
            .unwrap_err()
            .to_string()
            .starts_with("the input must be one JSON object"));
    }
}

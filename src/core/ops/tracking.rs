//! The metrics store the workshop's lab writes to by hand, as CML's model
//! metrics do: every prediction the endpoint serves to the page's
//! JavaScript is recorded with an id; `track_delayed` attaches its true
//! label later, `track_aggregate` records metrics over a time range, and
//! `read` returns the records of a time range. Bounded to the newest
//! [`MAX_TRACKED`] predictions.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// The most predictions kept; older ones are dropped first.
pub const MAX_TRACKED: usize = 20_000;
/// The most aggregate records kept.
pub const MAX_AGGREGATES: usize = 10_000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tracked {
    pub id: String,
    pub build_id: String,
    pub time_ms: f64,
    /// The filled-in customer, as the endpoint answered it.
    pub input: Value,
    pub probability: f64,
    pub prediction: String,
    pub final_label: Option<String>,
    pub label_time_ms: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Aggregate {
    pub metrics: Map<String, Value>,
    pub start_ms: f64,
    pub end_ms: f64,
    pub build_id: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Tracking {
    pub predictions: Vec<Tracked>,
    pub aggregates: Vec<Aggregate>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TrackError {
    #[error("unknown prediction id \"{0}\": use the predictionId that explain() returned")]
    UnknownPrediction(String),
    #[error("final_label {label} is not one of the model's classes ({classes})")]
    BadLabel { label: String, classes: String },
    #[error("{0}")]
    BadArgument(String),
}

fn time(v: &Value, name: &str) -> Result<Option<f64>, TrackError> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => n
            .as_f64()
            .filter(|t| t.is_finite())
            .map(Some)
            .ok_or_else(|| {
                TrackError::BadArgument(format!("{name} must be a time in milliseconds"))
            }),
        other => Err(TrackError::BadArgument(format!(
            "{name} must be a time in milliseconds, not {other}"
        ))),
    }
}

impl Tracking {
    /// Records a served prediction.
    pub fn record(&mut self, p: Tracked) {
        self.predictions.push(p);
        if self.predictions.len() > MAX_TRACKED {
            let extra = self.predictions.len() - MAX_TRACKED;
            self.predictions.drain(..extra);
        }
    }

    /// Attaches the true label `{final_label}` to prediction `id`; the label
    /// must be one of `classes` (0/1 and booleans also name them).
    pub fn track_delayed(
        &mut self,
        id: &str,
        metrics: &Value,
        classes: (&str, &str),
        now_ms: f64,
    ) -> Result<(), TrackError> {
        let label = metrics.get("final_label").ok_or_else(|| {
            TrackError::BadArgument("give the label as { final_label: … }".into())
        })?;
        let (neg, pos) = classes;
        let text = match label {
            Value::String(s) => s.trim().to_owned(),
            Value::Bool(b) => if *b { pos } else { neg }.to_owned(),
            Value::Number(n) if n.as_f64() == Some(1.0) => pos.to_owned(),
            Value::Number(n) if n.as_f64() == Some(0.0) => neg.to_owned(),
            other => other.to_string(),
        };
        let matched = [neg, pos]
            .into_iter()
            .find(|c| c.eq_ignore_ascii_case(&text));
        let Some(class) = matched else {
            return Err(TrackError::BadLabel {
                label: label.to_string(),
                classes: format!("\"{neg}\" or \"{pos}\""),
            });
        };
        let p = self
            .predictions
            .iter_mut()
            .rev()
            .find(|p| p.id == id)
            .ok_or_else(|| TrackError::UnknownPrediction(id.to_owned()))?;
        p.final_label = Some(class.to_owned());
        p.label_time_ms = Some(now_ms);
        Ok(())
    }

    /// Records metrics (an object of numbers) over `start_ms..end_ms`.
    pub fn track_aggregate(
        &mut self,
        metrics: &Value,
        start_ms: &Value,
        end_ms: &Value,
        build_id: &str,
    ) -> Result<(), TrackError> {
        let Value::Object(map) = metrics else {
            return Err(TrackError::BadArgument(
                "metrics must be an object such as { accuracy: 0.8 }".into(),
            ));
        };
        let start = time(start_ms, "startMs")?
            .ok_or_else(|| TrackError::BadArgument("startMs is required".into()))?;
        let end = time(end_ms, "endMs")?
            .ok_or_else(|| TrackError::BadArgument("endMs is required".into()))?;
        if end < start {
            return Err(TrackError::BadArgument("endMs is before startMs".into()));
        }
        self.aggregates.push(Aggregate {
            metrics: map.clone(),
            start_ms: start,
            end_ms: end,
            build_id: build_id.to_owned(),
        });
        if self.aggregates.len() > MAX_AGGREGATES {
            self.aggregates.remove(0);
        }
        Ok(())
    }

    /// The records between `startMs` and `endMs` (either may be absent), in
    /// time order: predictions with their metrics, then aggregates.
    pub fn read(&self, range: &Value) -> Result<Value, TrackError> {
        let (start, end) = match range {
            Value::Null => (None, None),
            Value::Object(o) => (
                time(o.get("startMs").unwrap_or(&Value::Null), "startMs")?,
                time(o.get("endMs").unwrap_or(&Value::Null), "endMs")?,
            ),
            _ => {
                return Err(TrackError::BadArgument(
                    "give the range as { startMs, endMs }".into(),
                ))
            }
        };
        let inside = |t: f64| start.is_none_or(|s| t >= s) && end.is_none_or(|e| t <= e);
        let mut records: Vec<Value> = self
            .predictions
            .iter()
            .filter(|p| inside(p.time_ms))
            .map(|p| {
                let mut metrics = json!({"input": p.input, "probability": p.probability, "prediction": p.prediction});
                if let Some(l) = &p.final_label {
                    metrics["final_label"] = json!(l);
                }
                json!({"predictionUuid": p.id, "modelBuildId": p.build_id, "startTimeStampMs": p.time_ms, "endTimeStampMs": p.label_time_ms.unwrap_or(p.time_ms), "metrics": metrics})
            })
            .collect();
        records.extend(self.aggregates.iter().filter(|a| inside(a.start_ms) || inside(a.end_ms)).map(|a| {
            json!({"predictionUuid": Value::Null, "modelBuildId": a.build_id, "startTimeStampMs": a.start_ms, "endTimeStampMs": a.end_ms, "metrics": a.metrics})
        }));
        Ok(json!({"metrics": records}))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tracked(id: &str, t: f64) -> Tracked {
        Tracked {
            id: id.into(),
            build_id: "b1".into(),
            time_ms: t,
            input: json!({"tenure": 3}),
            probability: 0.7,
            prediction: "Yes".into(),
            final_label: None,
            label_time_ms: None,
        }
    }

    #[test]
    fn the_labs_calls_in_order() {
        let mut s = Tracking::default();
        s.record(tracked("a", 10.0));
        s.record(tracked("b", 20.0));
        s.track_delayed("a", &json!({"final_label": "no"}), ("No", "Yes"), 30.0)
            .unwrap();
        s.track_delayed("b", &json!({"final_label": 1}), ("No", "Yes"), 31.0)
            .unwrap();
        s.track_aggregate(&json!({"accuracy": 0.5}), &json!(10.0), &json!(20.0), "b1")
            .unwrap();
        let out = s.read(&json!({"startMs": 15.0})).unwrap();
        let records = out["metrics"].as_array().unwrap();
        assert_eq!(records.len(), 2, "{out}");
        assert_eq!(records[0]["predictionUuid"], "b");
        assert_eq!(records[0]["metrics"]["final_label"], "Yes");
        assert_eq!(records[1]["metrics"]["accuracy"], 0.5);
    }

    #[test]
    fn bad_calls_name_the_problem() {
        let mut s = Tracking::default();
        s.record(tracked("a", 10.0));
        assert_eq!(
            s.track_delayed("zzz", &json!({"final_label": "Yes"}), ("No", "Yes"), 1.0)
                .unwrap_err(),
            TrackError::UnknownPrediction("zzz".into())
        );
        assert_eq!(
            s.track_delayed("a", &json!({"final_label": "Maybe"}), ("No", "Yes"), 1.0)
                .unwrap_err()
                .to_string(),
            "final_label \"Maybe\" is not one of the model's classes (\"No\" or \"Yes\")"
        );
        assert!(s
            .track_aggregate(&json!(3), &json!(1.0), &json!(2.0), "b")
            .is_err());
        assert!(s
            .track_aggregate(&json!({}), &json!(5.0), &json!(2.0), "b")
            .is_err());
    }
}

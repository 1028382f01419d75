//! The model as an ONNX graph, for ONNX Runtime and the other runtimes that
//! read ONNX: the same pipeline as [`super::scoring_sql`], in double
//! precision. One input per model column, named as the data column and
//! shaped `[N, 1]`: a number is `tensor(double)` (NaN when empty, scored as
//! its training median: IsNaN, Where, Mul, Add); a category is
//! `tensor(string)` (an ai.onnx.ml LabelEncoder maps it to its term: the
//! first category's when empty, the "(other)" column's or the first's when
//! unknown, as batch scoring does). The terms are added one by one to the
//! intercept, then Sigmoid. Outputs: `churn_probability`, `logit` and
//! `predicted_label` (the positive class at 0.5 or above).
//!
//! The protobuf encoding is written here by hand ([`Message`]): the few
//! ONNX messages the graph needs, nothing more.

use crate::explain::customer::{column_terms, Term};
use crate::model::features::OTHER;
use crate::model::pipeline::{ColumnStats, SavedModel};

/// The ONNX IR version written (ONNX 1.15, ONNX Runtime 1.16 and later).
pub const IR_VERSION: i64 = 9;
/// The `ai.onnx` opset the graph is written against.
pub const OPSET: i64 = 20;
/// The `ai.onnx.ml` opset: LabelEncoder 4 maps strings to doubles.
pub const ML_OPSET: i64 = 4;
/// The output holding each customer's probability of the positive class.
pub const PROBABILITY: &str = "churn_probability";
/// The output holding each customer's log-odds.
pub const LOGIT: &str = "logit";
/// The output holding each customer's predicted class.
pub const LABEL: &str = "predicted_label";

/// Why a model cannot be written as ONNX.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum OnnxError {
    #[error("the model has no input columns")]
    NoInputs,
    #[error("the input column \"{0}\" has the name of an output of the ONNX model; rename it before exporting")]
    OutputName(String),
    #[error("the model is inconsistent: the column \"{0}\" does not match its coefficients")]
    Inconsistent(String),
}

// ---------------------------------------------------------------------------
// Protobuf wire format.

/// Appends `v` as a base-128 varint, low groups first.
pub fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

const VARINT: u64 = 0;
const FIXED64: u64 = 1;
const LENGTH_DELIMITED: u64 = 2;

/// A protobuf message being written: each call appends one field.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Message(Vec<u8>);

impl Message {
    pub fn new() -> Message {
        Message::default()
    }

    fn key(&mut self, field: u32, wire: u64) {
        varint(&mut self.0, (u64::from(field) << 3) | wire);
    }

    /// An int32, int64 or enum field (negative numbers take ten bytes).
    pub fn int(mut self, field: u32, v: i64) -> Message {
        self.key(field, VARINT);
        varint(&mut self.0, v as u64);
        self
    }

    /// A double field.
    pub fn double(mut self, field: u32, v: f64) -> Message {
        self.key(field, FIXED64);
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }

    /// A bytes field.
    pub fn bytes(mut self, field: u32, v: &[u8]) -> Message {
        self.key(field, LENGTH_DELIMITED);
        varint(&mut self.0, v.len() as u64);
        self.0.extend_from_slice(v);
        self
    }

    /// A string field.
    pub fn string(self, field: u32, v: &str) -> Message {
        self.bytes(field, v.as_bytes())
    }

    /// An embedded message field.
    pub fn message(self, field: u32, m: &Message) -> Message {
        self.bytes(field, &m.0)
    }

    /// One embedded message per item of a repeated field.
    pub fn messages<'a>(self, field: u32, ms: impl IntoIterator<Item = &'a Message>) -> Message {
        ms.into_iter().fold(self, |acc, m| acc.message(field, m))
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }
}

// ---------------------------------------------------------------------------
// The ONNX messages (field numbers from onnx.proto).

/// TensorProto.DataType values.
const INT64: i64 = 7;
const STRING: i64 = 8;
const DOUBLE: i64 = 11;

/// AttributeProto.AttributeType values.
const ATTR_INT: i64 = 2;
const ATTR_STRING: i64 = 3;
const ATTR_TENSOR: i64 = 4;
const ATTR_INTS: i64 = 7;
const ATTR_STRINGS: i64 = 8;

/// A double TensorProto of shape `dims`, its values as little-endian raw data.
fn double_tensor(name: &str, dims: &[i64], values: &[f64]) -> Message {
    let raw: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    let t = dims
        .iter()
        .fold(Message::new(), |m, d| m.int(1, *d))
        .int(2, DOUBLE);
    let t = if name.is_empty() {
        t
    } else {
        t.string(8, name)
    };
    t.bytes(9, &raw)
}

fn attribute(name: &str, kind: i64) -> Message {
    Message::new().string(1, name).int(20, kind)
}

fn attr_int(name: &str, v: i64) -> Message {
    attribute(name, ATTR_INT).int(3, v)
}

fn attr_string(name: &str, v: &str) -> Message {
    attribute(name, ATTR_STRING).string(4, v)
}

fn attr_tensor(name: &str, t: &Message) -> Message {
    attribute(name, ATTR_TENSOR).message(5, t)
}

fn attr_ints(name: &str, vs: &[i64]) -> Message {
    vs.iter()
        .fold(attribute(name, ATTR_INTS), |m, v| m.int(8, *v))
}

fn attr_strings(name: &str, vs: &[&str]) -> Message {
    vs.iter()
        .fold(attribute(name, ATTR_STRINGS), |m, v| m.string(9, v))
}

/// A ValueInfoProto: a tensor of `elem_type` shaped `[N, 1]`.
fn column_info(name: &str, elem_type: i64, doc: &str) -> Message {
    let dims = Message::new()
        .message(1, &Message::new().string(2, "N"))
        .message(1, &Message::new().int(1, 1));
    let tensor = Message::new().int(1, elem_type).message(2, &dims);
    let info = Message::new()
        .string(1, name)
        .message(2, &Message::new().message(1, &tensor));
    if doc.is_empty() {
        info
    } else {
        info.string(3, doc)
    }
}

/// The graph under construction: nodes and constants, every name it makes
/// up starting with a prefix no input column starts with.
struct Graph {
    nodes: Vec<Message>,
    initializers: Vec<Message>,
    prefix: String,
    count: usize,
}

impl Graph {
    fn new<'a>(inputs: impl Iterator<Item = &'a str> + Clone) -> Graph {
        let mut prefix = String::from("churnlab/");
        while inputs.clone().any(|c| c.starts_with(&prefix)) {
            prefix.insert(0, '_');
        }
        Graph {
            nodes: Vec::new(),
            initializers: Vec::new(),
            prefix,
            count: 0,
        }
    }

    fn fresh(&mut self, what: &str) -> String {
        self.count += 1;
        format!("{}{what}_{}", self.prefix, self.count)
    }

    /// A scalar double constant.
    fn constant(&mut self, what: &str, v: f64) -> String {
        let name = self.fresh(what);
        self.initializers.push(double_tensor(&name, &[], &[v]));
        name
    }

    /// A node of `op` writing `output`; returns `output`.
    fn node(
        &mut self,
        op: &str,
        domain: &str,
        inputs: &[&str],
        output: String,
        attributes: &[Message],
    ) -> String {
        let node = inputs
            .iter()
            .fold(Message::new(), |m, i| m.string(1, i))
            .string(2, &output)
            .string(3, &output)
            .string(4, op);
        let node = node.messages(5, attributes);
        self.nodes.push(if domain.is_empty() {
            node
        } else {
            node.string(7, domain)
        });
        output
    }

    /// A node of `op` writing a fresh name; returns it.
    fn step(
        &mut self,
        op: &str,
        domain: &str,
        inputs: &[&str],
        what: &str,
        attributes: &[Message],
    ) -> String {
        let output = self.fresh(what);
        self.node(op, domain, inputs, output, attributes)
    }
}

/// A column's term of the log-odds as nodes; returns its tensor's name and
/// the input's element type and description.
fn term_nodes(
    g: &mut Graph,
    stats: &ColumnStats,
    term: &Term,
) -> Result<(String, i64, String), OnnxError> {
    let col = stats.column();
    match (stats, term) {
        (ColumnStats::Numeric { median, .. }, Term::Numeric { slope, offset }) => {
            let (m, s, o) = (
                g.constant("median", *median),
                g.constant("slope", *slope),
                g.constant("offset", *offset),
            );
            let nan = g.step("IsNaN", "", &[col], "is_empty", &[]);
            let filled = g.step("Where", "", &[&nan, &m, col], "filled", &[]);
            let scaled = g.step("Mul", "", &[&s, &filled], "scaled", &[]);
            let t = g.step("Add", "", &[&scaled, &o], "term", &[]);
            Ok((
                t,
                DOUBLE,
                format!("A number; NaN when empty (scored as the training median, {median})."),
            ))
        }
        (ColumnStats::Categorical { categories, .. }, Term::Categorical(per))
            if per.len() == categories.len() && !per.is_empty() =>
        {
            let first = per[0];
            let unknown = categories
                .iter()
                .position(|c| c == OTHER)
                .map_or(first, |k| per[k]);
            let mut keys: Vec<&str> = Vec::new();
            let mut values: Vec<f64> = Vec::new();
            for (c, t) in categories.iter().zip(per) {
                if c != OTHER {
                    keys.push(c);
                    values.push(*t);
                }
            }
            if !keys.contains(&"") {
                keys.push("");
                values.push(first);
            }
            let attributes = [
                attr_strings("keys_strings", &keys),
                attr_tensor(
                    "values_tensor",
                    &double_tensor("", &[values.len() as i64], &values),
                ),
                attr_tensor("default_tensor", &double_tensor("", &[1], &[unknown])),
            ];
            let t = g.step("LabelEncoder", "ai.onnx.ml", &[col], "term", &attributes);
            let known: Vec<&str> = categories
                .iter()
                .map(String::as_str)
                .filter(|c| *c != OTHER)
                .collect();
            let doc = format!(
                "A category, one of {}; an empty string when empty (scored as \"{}\"), any other value as {}.",
                known.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", "),
                categories[0],
                if categories.iter().any(|c| c == OTHER) { format!("\"{OTHER}\"") } else { format!("\"{}\"", categories[0]) }
            );
            Ok((t, STRING, doc))
        }
        _ => Err(OnnxError::Inconsistent(col.to_owned())),
    }
}

/// The ONNX ModelProto scoring as `model` does: the bytes of a `.onnx` file.
pub fn onnx_model(model: &SavedModel) -> Result<Vec<u8>, OnnxError> {
    let terms = column_terms(model);
    if model.stats.is_empty() {
        return Err(OnnxError::NoInputs);
    }
    if terms.len() != model.stats.len() {
        return Err(OnnxError::Inconsistent(
            model
                .stats
                .get(terms.len())
                .map_or("", |s| s.column())
                .to_owned(),
        ));
    }
    if let Some(s) = model
        .stats
        .iter()
        .find(|s| [PROBABILITY, LOGIT, LABEL].contains(&s.column()))
    {
        return Err(OnnxError::OutputName(s.column().to_owned()));
    }
    let mut g = Graph::new(model.stats.iter().map(ColumnStats::column));
    let mut inputs = Vec::with_capacity(terms.len());
    let mut sum: Option<String> = None;
    for (s, t) in model.stats.iter().zip(&terms) {
        let (term, elem_type, doc) = term_nodes(&mut g, s, t)?;
        inputs.push(column_info(s.column(), elem_type, &doc));
        // Added in column order, as batch scoring adds them.
        sum = Some(match sum {
            None => term,
            Some(acc) => g.step("Add", "", &[&acc, &term], "sum", &[]),
        });
    }
    let sum = sum.ok_or(OnnxError::NoInputs)?;
    let intercept = g.constant("intercept", model.model.intercept);
    let logit = g.node("Add", "", &[&intercept, &sum], LOGIT.into(), &[]);
    let p = g.node("Sigmoid", "", &[&logit], PROBABILITY.into(), &[]);
    let half = g.constant("half", 0.5);
    let positive = g.step("GreaterOrEqual", "", &[&p, &half], "is_positive", &[]);
    let class = g.step("Cast", "", &[&positive], "class", &[attr_int("to", INT64)]);
    let negative = model.negative_class();
    let labels = [
        attr_ints("keys_int64s", &[0, 1]),
        attr_strings("values_strings", &[&negative, &model.positive]),
        attr_string("default_string", &negative),
    ];
    g.node(
        "LabelEncoder",
        "ai.onnx.ml",
        &[&class],
        LABEL.into(),
        &labels,
    );

    let outputs = [
        column_info(
            PROBABILITY,
            DOUBLE,
            &format!(
                "The probability that {} = {}.",
                model.target, model.positive
            ),
        ),
        column_info(
            LOGIT,
            DOUBLE,
            "The log-odds: the intercept plus each column's term.",
        ),
        column_info(
            LABEL,
            STRING,
            &format!(
                "\"{}\" when the probability is 0.5 or more, else \"{negative}\".",
                model.positive
            ),
        ),
    ];
    let graph_name = if model.name.is_empty() {
        "churnlab"
    } else {
        model.name.as_str()
    };
    let graph = Message::new()
        .messages(1, &g.nodes)
        .string(2, graph_name)
        .messages(5, &g.initializers)
        .string(
            10,
            &format!(
                "Logistic regression predicting {} = {}, one additive term per input column.",
                model.target, model.positive
            ),
        )
        .messages(11, &inputs)
        .messages(12, &outputs);
    let opsets = [
        Message::new().string(1, "").int(2, OPSET),
        Message::new().string(1, "ai.onnx.ml").int(2, ML_OPSET),
    ];
    let metadata = [
        ("model_name", model.name.clone()),
        ("model_version", model.model_version.to_string()),
        ("build_id", model.build_id.clone()),
        ("description", model.description.clone()),
        ("target", model.target.clone()),
        ("positive_class", model.positive.clone()),
        ("negative_class", negative.clone()),
    ];
    let metadata: Vec<Message> = metadata
        .iter()
        .map(|(k, v)| Message::new().string(1, k).string(2, v))
        .collect();
    let doc = format!(
        "Churnlab model \"{}\" (version {}): the probability that {} = {}.",
        model.name, model.model_version, model.target, model.positive
    );
    let proto = Message::new()
        .int(1, IR_VERSION)
        .string(2, "Churnlab")
        .string(3, env!("CARGO_PKG_VERSION"))
        .int(5, i64::from(model.model_version))
        .string(6, &doc)
        .message(7, &graph)
        .messages(8, &opsets)
        .messages(14, &metadata);
    Ok(proto.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(v: u64) -> Vec<u8> {
        let mut out = Vec::new();
        varint(&mut out, v);
        out
    }

    #[test]
    fn varints_and_fields_are_encoded_as_protobuf_does() {
        assert_eq!(encoded(0), [0x00]);
        assert_eq!(encoded(1), [0x01]);
        assert_eq!(encoded(127), [0x7f]);
        assert_eq!(encoded(128), [0x80, 0x01]);
        assert_eq!(encoded(300), [0xac, 0x02]);
        assert_eq!(
            encoded(u64::MAX),
            [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]
        );
        // The protobuf documentation's examples: field 1 = 150, field 2 = "testing".
        assert_eq!(Message::new().int(1, 150).into_bytes(), [0x08, 0x96, 0x01]);
        assert_eq!(
            Message::new().string(2, "testing").into_bytes(),
            b"\x12\x07testing"
        );
        assert_eq!(Message::new().int(1, -1).into_bytes().len(), 11);
        assert_eq!(
            Message::new().double(1, 1.0).into_bytes(),
            [0x09, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f]
        );
        assert_eq!(
            Message::new()
                .message(3, &Message::new().int(1, 150))
                .into_bytes(),
            [0x1a, 0x03, 0x08, 0x96, 0x01]
        );
    }

    /// The top-level fields of a message: (field number, wire type), checking
    /// every length stays inside the buffer.
    fn fields(bytes: &[u8]) -> Vec<(u64, u64)> {
        let read = |i: &mut usize| {
            let (mut v, mut shift) = (0u64, 0);
            loop {
                let b = bytes[*i];
                *i += 1;
                v |= u64::from(b & 0x7f) << shift;
                shift += 7;
                if b < 0x80 {
                    return v;
                }
            }
        };
        let (mut i, mut out) = (0, Vec::new());
        while i < bytes.len() {
            let key = read(&mut i);
            match key & 7 {
                0 => {
                    read(&mut i);
                }
                1 => i += 8,
                2 => i += read(&mut i) as usize,
                w => panic!("wire type {w}"),
            }
            assert!(i <= bytes.len());
            out.push((key >> 3, key & 7));
        }
        out
    }

    #[test]
    fn the_model_is_a_well_formed_model_proto() {
        let m = crate::model::pipeline::synthetic_model(400, 2).1;
        let bytes = onnx_model(&m).unwrap();
        let top = fields(&bytes);
        assert_eq!(&bytes[..2], [0x08, IR_VERSION as u8]);
        for f in [1, 2, 6, 7, 8, 14] {
            assert!(top.iter().any(|(n, _)| *n == f), "field {f} is written");
        }
        assert_eq!(top.iter().filter(|(n, _)| *n == 8).count(), 2, "two opsets");
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            text.contains("LabelEncoder")
                && text.contains(PROBABILITY)
                && text.contains("Churnlab")
        );
    }

    #[test]
    fn a_column_named_as_an_output_is_refused() {
        let mut m = crate::model::pipeline::synthetic_model(400, 2).1;
        let (ColumnStats::Numeric { column, .. } | ColumnStats::Categorical { column, .. }) =
            &mut m.stats[0];
        *column = LOGIT.into();
        assert_eq!(onnx_model(&m), Err(OnnxError::OutputName(LOGIT.into())));
    }
}

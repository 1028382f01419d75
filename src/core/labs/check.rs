//! A lab step's checks: declarative conditions over the facts the app
//! exposes (a JSON document; `labs::facts` lists them), never code. Two
//! shapes, one per line of a lab file:
//!
//! - `<fact> <op> <value>`: `dataset.rows >= 7043`, `deployed.answered_example = true`;
//! - `<list> has <fact> <op> <value>, …`: some item of the list meets every
//!   condition, e.g. `saved has rows = 1142, sql contains "SeniorCitizen"`.
//!
//! Operators: `=`, `!=`, `<`, `<=`, `>`, `>=` and `contains` (text, case
//! ignored, or a list holding the value). Values: numbers, `"text"`, `true`,
//! `false`. A failing check says what is there and which condition is not met.

use serde_json::Value;

use crate::common::numfmt::count;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Contains,
}

impl Op {
    pub fn text(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Contains => "contains",
        }
    }
}

/// One condition: a fact (a dotted path), an operator and a value.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    pub fact: String,
    pub op: Op,
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Check {
    Fact(Condition),
    /// Some item of the list at `list` meets every condition (facts relative to the item).
    Has {
        list: String,
        conditions: Vec<Condition>,
    },
}

/// What a check saw.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub passed: bool,
    /// In words: what is there, and when it failed, what is missing.
    pub message: String,
    /// The figure the check read (for a completion record), if one.
    pub figure: Option<Value>,
}

/// A check that does not read, with the column (1-based) where it goes wrong.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("column {column}: {problem}")]
pub struct CheckError {
    pub column: usize,
    pub problem: String,
}

fn err(column: usize, problem: impl Into<String>) -> CheckError {
    CheckError {
        column,
        problem: problem.into(),
    }
}

/// Splits `text` into tokens with their 1-based columns: words, operators,
/// quoted strings (kept with their quotes) and commas.
fn tokens(text: &str) -> Result<Vec<(usize, String)>, CheckError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '"' {
            i += 1;
            let mut s = String::from('"');
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' && i + 1 < chars.len() {
                    i += 1;
                }
                s.push(chars[i]);
                i += 1;
            }
            if i >= chars.len() {
                return Err(err(start + 1, "a text value is not closed with \""));
            }
            i += 1;
            s.push('"');
            out.push((start + 1, s));
        } else if c == ',' {
            out.push((start + 1, ",".into()));
            i += 1;
        } else if "<>=!".contains(c) {
            let two = i + 1 < chars.len() && chars[i + 1] == '=';
            let op: String = if two {
                chars[i..i + 2].iter().collect()
            } else {
                c.to_string()
            };
            i += op.len();
            out.push((start + 1, op));
        } else {
            while i < chars.len() && !chars[i].is_whitespace() && !",<>=!\"".contains(chars[i]) {
                i += 1;
            }
            out.push((start + 1, chars[start..i].iter().collect()));
        }
    }
    Ok(out)
}

fn op_of(token: &str) -> Option<Op> {
    Some(match token {
        "=" | "==" => Op::Eq,
        "!=" => Op::Ne,
        "<" => Op::Lt,
        "<=" => Op::Le,
        ">" => Op::Gt,
        ">=" => Op::Ge,
        "contains" => Op::Contains,
        _ => return None,
    })
}

fn is_path(token: &str) -> bool {
    !token.is_empty()
        && token
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        && token
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
}

fn value_of(column: usize, token: &str) -> Result<Value, CheckError> {
    if let Some(text) = token.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        return Ok(Value::String(text.to_owned()));
    }
    match token {
        "true" => return Ok(Value::Bool(true)),
        "false" => return Ok(Value::Bool(false)),
        _ => {}
    }
    let plain = token.replace('_', "");
    if let Ok(n) = plain.parse::<i64>() {
        return Ok(Value::from(n));
    }
    plain
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
        .and_then(|n| serde_json::Number::from_f64(n).map(Value::Number))
        .ok_or_else(|| {
            err(
                column,
                format!("{token:?} is not a value: write a number, \"text\", true or false"),
            )
        })
}

fn condition(parts: &[(usize, String)], at: usize) -> Result<Condition, CheckError> {
    match parts {
        [(c1, fact), (c2, op), (c3, value)] => {
            if !is_path(fact) {
                return Err(err(
                    *c1,
                    format!("{fact:?} is not a fact name (letters, digits, _ and dots)"),
                ));
            }
            let op = op_of(op).ok_or_else(|| {
                err(
                    *c2,
                    format!("{op:?} is not an operator: use =, !=, <, <=, >, >= or contains"),
                )
            })?;
            Ok(Condition {
                fact: fact.clone(),
                op,
                value: value_of(*c3, value)?,
            })
        }
        [] => Err(err(at, "a condition is missing")),
        [(c, _), ..] => Err(err(
            *c,
            "a condition is a fact, an operator and a value, e.g. rows >= 1000",
        )),
    }
}

impl Check {
    /// Reads a check from its text (the part after `check:`).
    pub fn parse(text: &str) -> Result<Check, CheckError> {
        let toks = tokens(text)?;
        if let Some(pos) = toks.iter().position(|(_, t)| t == "has") {
            let (c, list) = toks.first().cloned().unwrap_or((1, String::new()));
            if pos != 1 || !is_path(&list) {
                return Err(err(
                    c,
                    "\"has\" follows the name of a list, e.g. saved has rows = 1142",
                ));
            }
            let rest = &toks[2..];
            let mut conditions = Vec::new();
            let mut at = toks[1].0 + 3;
            for part in rest.split(|(_, t)| t == ",") {
                conditions.push(condition(part, at)?);
                at = part.last().map_or(at, |(c, t)| c + t.chars().count() + 1);
            }
            return Ok(Check::Has { list, conditions });
        }
        if toks.is_empty() {
            return Err(err(1, "the check is empty"));
        }
        condition(&toks, 1).map(Check::Fact)
    }

    /// Every fact the check reads, as paths from the top of the facts.
    pub fn facts(&self) -> Vec<String> {
        match self {
            Check::Fact(c) => vec![c.fact.clone()],
            Check::Has { list, conditions } => conditions
                .iter()
                .map(|c| format!("{list}[].{}", c.fact))
                .collect(),
        }
    }

    /// Evaluates the check over `facts`.
    pub fn evaluate(&self, facts: &Value) -> Outcome {
        match self {
            Check::Fact(c) => {
                let seen = lookup(facts, &c.fact);
                let passed = holds(seen, c.op, &c.value);
                let shown = seen.map_or("nothing".to_owned(), show);
                let message = if passed {
                    format!("{} is {shown}", c.fact)
                } else {
                    format!(
                        "{} is {shown}; the step needs {} {} {}",
                        c.fact,
                        c.fact,
                        c.op.text(),
                        show(&c.value)
                    )
                };
                Outcome {
                    passed,
                    message,
                    figure: seen.filter(|v| !v.is_array() && !v.is_object()).cloned(),
                }
            }
            Check::Has { list, conditions } => {
                let items: &[Value] = lookup(facts, list)
                    .and_then(Value::as_array)
                    .map_or(&[], Vec::as_slice);
                let met = |item: &Value| {
                    conditions
                        .iter()
                        .filter(|c| holds(lookup(item, &c.fact), c.op, &c.value))
                        .count()
                };
                let wanted = conditions
                    .iter()
                    .map(|c| format!("{} {} {}", c.fact, c.op.text(), show(&c.value)))
                    .collect::<Vec<_>>()
                    .join(", ");
                match items.iter().find(|i| met(i) == conditions.len()) {
                    Some(item) => Outcome {
                        passed: true,
                        message: format!("{} has {}", list, describe(item, conditions)),
                        figure: conditions
                            .iter()
                            .find_map(|c| lookup(item, &c.fact).filter(|v| v.is_number()).cloned()),
                    },
                    None => {
                        let closest = items.iter().max_by_key(|i| met(i));
                        let message = match closest {
                            None => format!("{list} is empty; the step needs one with {wanted}"),
                            Some(item) => {
                                let missing = conditions
                                    .iter()
                                    .find(|c| !holds(lookup(item, &c.fact), c.op, &c.value))
                                    .map(|c| {
                                        format!("{} {} {}", c.fact, c.op.text(), show(&c.value))
                                    })
                                    .unwrap_or_default();
                                format!(
                                    "{} in {list}; the closest has {}, but not {missing}",
                                    count(items.len()),
                                    describe(item, conditions)
                                )
                            }
                        };
                        Outcome {
                            passed: false,
                            message,
                            figure: None,
                        }
                    }
                }
            }
        }
    }
}

/// The value at a dotted path.
pub fn lookup<'a>(facts: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(facts, |v, key| v.get(key))
}

fn describe(item: &Value, conditions: &[Condition]) -> String {
    conditions
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                c.fact,
                lookup(item, &c.fact).map_or("nothing".to_owned(), show)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s:?}"),
        Value::Number(n) => n.as_f64().map_or_else(
            || n.to_string(),
            |f| {
                if f.fract() == 0.0 && f.abs() < 1e15 {
                    format!("{}", f as i64)
                } else {
                    format!("{f}")
                }
            },
        ),
        Value::Null => "nothing".into(),
        other => other.to_string(),
    }
}

fn holds(seen: Option<&Value>, op: Op, want: &Value) -> bool {
    let Some(seen) = seen else { return false };
    match op {
        Op::Contains => match seen {
            Value::String(s) => want
                .as_str()
                .is_some_and(|w| s.to_lowercase().contains(&w.to_lowercase())),
            Value::Array(items) => items.iter().any(|i| equal(i, want)),
            _ => false,
        },
        Op::Eq => equal(seen, want),
        Op::Ne => !equal(seen, want),
        _ => match (seen.as_f64(), want.as_f64()) {
            (Some(a), Some(b)) => match op {
                Op::Lt => a < b,
                Op::Le => a <= b,
                Op::Gt => a > b,
                _ => a >= b,
            },
            _ => false,
        },
    }
}

fn equal(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0),
        _ => match (a, b) {
            (Value::String(x), Value::String(y)) => x.eq_ignore_ascii_case(y),
            _ => a == b,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn facts() -> Value {
        json!({
            "dataset": {"name": "telco-churn", "rows": 7043},
            "saved": [
                {"name": "young", "rows": 5901, "sql": "SELECT * FROM churn WHERE SeniorCitizen = 0"},
                {"name": "senior", "rows": 1142, "sql": "SELECT * FROM churn WHERE seniorcitizen = \"1\""}
            ],
            "models": [{"name": "m", "metrics": {"test_auc": 0.84}, "features": ["tenure", "Contract"]}],
            "deployed": {"answered_example": false}
        })
    }

    #[test]
    fn facts_and_lists_pass_and_fail_saying_what_is_there() {
        let f = facts();
        let out = Check::parse("dataset.rows >= 7043").unwrap().evaluate(&f);
        assert_eq!(
            (out.passed, out.message.as_str(), out.figure),
            (true, "dataset.rows is 7043", Some(json!(7043)))
        );
        let out = Check::parse("saved has rows = 1142, sql contains \"SeniorCitizen\"")
            .unwrap()
            .evaluate(&f);
        assert!(out.passed, "{}", out.message);
        assert_eq!(out.figure, Some(json!(1142)));
        let out = Check::parse("saved has rows = 1_142, sql contains \"tenure\"")
            .unwrap()
            .evaluate(&f);
        assert!(!out.passed);
        assert_eq!(out.message, "2 in saved; the closest has rows 1142, sql \"SELECT * FROM churn WHERE seniorcitizen = \\\"1\\\"\", but not sql contains \"tenure\"");
        let out = Check::parse("deployed.answered_example = true")
            .unwrap()
            .evaluate(&f);
        assert_eq!(
            out.message,
            "deployed.answered_example is false; the step needs deployed.answered_example = true"
        );
        assert!(
            Check::parse("models has metrics.test_auc >= 0.80, features contains \"Contract\"")
                .unwrap()
                .evaluate(&f)
                .passed
        );
        assert!(
            !Check::parse("dashboards has title = \"x\"")
                .unwrap()
                .evaluate(&f)
                .passed
        );
        assert_eq!(
            Check::parse("dashboards has title = \"x\"")
                .unwrap()
                .evaluate(&f)
                .message,
            "dashboards is empty; the step needs one with title = \"x\""
        );
        assert!(
            Check::parse("dataset.name = \"TELCO-CHURN\"")
                .unwrap()
                .evaluate(&f)
                .passed
        );
        assert!(
            !Check::parse("nothing.here > 1")
                .unwrap()
                .evaluate(&f)
                .passed
        );
    }

    #[test]
    fn bad_checks_name_the_column() {
        let e = |t: &str| Check::parse(t).unwrap_err();
        assert_eq!(
            e("rows ~ 3"),
            CheckError {
                column: 6,
                problem: "\"~\" is not an operator: use =, !=, <, <=, >, >= or contains".into()
            }
        );
        assert_eq!(e("rows = \"open").column, 8);
        assert_eq!(
            e("rows = many").problem,
            "\"many\" is not a value: write a number, \"text\", true or false"
        );
        assert_eq!(e("saved has rows = 1,").problem, "a condition is missing");
        assert_eq!(
            e("has rows = 1").problem,
            "\"has\" follows the name of a list, e.g. saved has rows = 1142"
        );
        assert_eq!(e("").problem, "the check is empty");
        assert_eq!(
            e("rows = 1 2").problem,
            "a condition is a fact, an operator and a value, e.g. rows >= 1000"
        );
        assert_eq!(e("9rows = 1").column, 1);
    }
}

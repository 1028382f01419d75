//! Embedding: which view an `?embed=` address asks for, which parent
//! origins it trusts (`?parent=`), and the versioned `postMessage` protocol
//! between the embedded app and the page around it.
//!
//! Every message of the protocol is an object with `"churnlab": 1` (the
//! protocol version). The app says `ready` (with the version, its view and
//! what it can do), answers each request `{churnlab, id, type, …}` with
//! `{churnlab, id, ok: true, result}` or `{churnlab, id, ok: false, error}`,
//! and sends `stateChanged` and `resize` events. It answers only origins the
//! embedding address lists, and ignores every other message.

use serde::Serialize;
use serde_json::{json, Value};

use crate::data::table::{ColumnData, Table};

pub const PROTOCOL: u32 = 1;
/// The requests the app answers.
pub const CAPABILITIES: [&str; 6] = [
    "loadData",
    "runSql",
    "setFilter",
    "predict",
    "explain",
    "getState",
];
/// Most rows a `runSql` reply carries.
pub const MAX_ROWS: usize = 1_000;

/// A view that can be embedded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "view", rename_all = "kebab-case")]
pub enum View {
    /// A saved dashboard (the first one without an id).
    Dashboard { id: Option<u64> },
    /// One visual of a dashboard.
    Chart { dashboard: Option<u64>, visual: u64 },
    /// The customers table.
    Customers,
    /// One customer's what-if view.
    Customer { id: String },
    /// The endpoint's test console.
    Endpoint,
}

impl View {
    pub fn id(&self) -> &'static str {
        match self {
            View::Dashboard { .. } => "dashboard",
            View::Chart { .. } => "chart",
            View::Customers => "customers",
            View::Customer { .. } => "customer",
            View::Endpoint => "endpoint",
        }
    }

    /// What the view shows, as its page's heading.
    pub fn title(&self) -> &'static str {
        match self {
            View::Dashboard { .. } => "A Churnlab dashboard",
            View::Chart { .. } => "A Churnlab chart",
            View::Customers => "Customers at risk, from Churnlab",
            View::Customer { .. } => "One customer's churn risk, from Churnlab",
            View::Endpoint => "The Churnlab churn model's endpoint",
        }
    }

    /// The view an embedding address asks for: `?embed=<view>` and the
    /// view's own parameters, read by `param`.
    pub fn parse(view: &str, param: impl Fn(&str) -> Option<String>) -> Result<View, String> {
        let number = |name: &str| -> Result<Option<u64>, String> {
            match param(name) {
                None => Ok(None),
                Some(v) => v
                    .trim()
                    .parse::<u64>()
                    .map(Some)
                    .map_err(|_| format!("?{name}={v} is not a number")),
            }
        };
        match view.trim() {
            "" | "dashboard" => Ok(View::Dashboard { id: number("dashboard")?.or(number("id")?) }),
            "chart" => Ok(View::Chart { dashboard: number("dashboard")?, visual: number("visual")?.ok_or("an embedded chart needs ?visual=<id>")? }),
            "customers" => Ok(View::Customers),
            "customer" => Ok(View::Customer { id: param("customer").filter(|c| !c.trim().is_empty()).ok_or("an embedded customer needs ?customer=<customer ID>")? }),
            "endpoint" => Ok(View::Endpoint),
            other => Err(format!("there is no view {other:?} to embed: use dashboard, chart, customers, customer or endpoint")),
        }
    }
}

/// The origins an embedding address trusts: `?parent=` as comma-separated
/// `scheme://host[:port]` (http or https); anything else is left out.
pub fn parent_origins(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter_map(|o| {
            let o = o.trim_end_matches('/');
            let (scheme, rest) = o.split_once("://")?;
            let ok = matches!(scheme, "http" | "https")
                && !rest.is_empty()
                && rest
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
                && !rest.starts_with(':');
            ok.then(|| o.to_ascii_lowercase())
        })
        .collect()
}

/// A request from the embedding page.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    LoadCsv {
        text: String,
        name: String,
    },
    /// A CSV of the app's own site, by its relative address.
    LoadUrl {
        url: String,
    },
    RunSql {
        sql: String,
        limit: usize,
    },
    /// A WHERE clause for the view's filter ("" clears it).
    SetFilter {
        filter: String,
    },
    Predict {
        customer: Value,
    },
    Explain {
        customer: Value,
        method: String,
    },
    GetState,
}

/// What a message is.
#[derive(Clone, Debug, PartialEq)]
pub enum Incoming {
    /// Not a message of this protocol: ignored.
    Foreign,
    Request {
        id: Value,
        command: Command,
    },
    /// A message of the protocol that cannot be answered as asked.
    Bad {
        id: Value,
        error: String,
    },
}

fn text_field(msg: &Value, name: &str) -> Result<String, String> {
    match msg.get(name) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(format!("\"{name}\" must be text, not {other}")),
        None => Err(format!("\"{name}\" is missing")),
    }
}

/// Reads one message sent to the app.
pub fn parse(msg: &Value) -> Incoming {
    let Some(obj) = msg.as_object() else {
        return Incoming::Foreign;
    };
    let Some(version) = obj.get("churnlab") else {
        return Incoming::Foreign;
    };
    let id = obj.get("id").cloned().unwrap_or(Value::Null);
    let bad = |error: String| Incoming::Bad {
        id: id.clone(),
        error,
    };
    if version != &json!(PROTOCOL) {
        return bad(format!(
            "this app speaks protocol version {PROTOCOL}, not {version}"
        ));
    }
    if !matches!(id, Value::String(_) | Value::Number(_)) {
        return bad("a request needs an \"id\" (text or a number) to answer to".into());
    }
    let kind = match obj.get("type").and_then(Value::as_str) {
        Some(k) => k,
        None => return bad("a request needs a \"type\"".into()),
    };
    let command = match kind {
        "loadData" => match (obj.get("csv"), obj.get("url")) {
            (Some(_), _) => text_field(msg, "csv").map(|text| Command::LoadCsv { text, name: obj.get("name").and_then(Value::as_str).unwrap_or("embedded data").to_owned() }),
            (None, Some(_)) => text_field(msg, "url").and_then(|url| {
                let lower = url.trim().to_ascii_lowercase();
                if lower.is_empty() || lower.contains("://") || lower.starts_with("//") || lower.contains(':') {
                    Err(format!("\"url\" must be a file of the app's own site, by a relative address, not {url:?}"))
                } else {
                    Ok(Command::LoadUrl { url })
                }
            }),
            (None, None) => Err("loadData needs \"csv\" (the file's text) or \"url\" (a file of the app's site)".into()),
        },
        "runSql" => text_field(msg, "sql").and_then(|sql| {
            let limit = match obj.get("limit") {
                None => Ok(100),
                Some(v) => v.as_u64().map(|l| (l as usize).min(MAX_ROWS)).ok_or_else(|| format!("\"limit\" must be a whole number, not {v}")),
            }?;
            Ok(Command::RunSql { sql, limit })
        }),
        "setFilter" => text_field(msg, "filter").map(|filter| Command::SetFilter { filter }),
        "predict" => obj.get("customer").filter(|c| c.is_object()).cloned().map(|customer| Command::Predict { customer }).ok_or_else(|| "\"customer\" must be an object of feature values".to_owned()),
        "explain" => {
            let method = obj.get("method").and_then(Value::as_str).unwrap_or("lime");
            if !["lime", "exact"].contains(&method) {
                Err(format!("\"method\" must be \"lime\" or \"exact\", not {method:?}"))
            } else {
                obj.get("customer").filter(|c| c.is_object()).cloned().map(|customer| Command::Explain { customer, method: method.to_owned() }).ok_or_else(|| "\"customer\" must be an object of feature values".to_owned())
            }
        }
        "getState" => Ok(Command::GetState),
        other => Err(format!("unknown request type {other:?}; this app answers {}", CAPABILITIES.join(", "))),
    };
    match command {
        Ok(command) => Incoming::Request { id, command },
        Err(error) => bad(error),
    }
}

/// The app's first message.
pub fn ready(view: &View) -> Value {
    json!({"churnlab": PROTOCOL, "type": "ready", "protocol": PROTOCOL, "view": view, "capabilities": CAPABILITIES})
}

pub fn reply_ok(id: &Value, result: Value) -> Value {
    json!({"churnlab": PROTOCOL, "id": id, "ok": true, "result": result})
}

pub fn reply_error(id: &Value, error: &str) -> Value {
    json!({"churnlab": PROTOCOL, "id": id, "ok": false, "error": error})
}

/// An event: `stateChanged` with what changed, or `resize` with a height.
pub fn event(kind: &str, detail: Value) -> Value {
    let mut v = json!({"churnlab": PROTOCOL, "type": kind});
    if let (Some(o), Value::Object(d)) = (v.as_object_mut(), detail) {
        o.extend(d);
    }
    v
}

/// A `runSql` reply: the column names, the first `limit` rows as arrays
/// (numbers as numbers, booleans as booleans, missing values as null), and
/// how many rows the result has in all.
pub fn rows_json(table: &Table, limit: usize) -> Value {
    let columns: Vec<&str> = table.columns().iter().map(|c| c.name.as_str()).collect();
    let rows: Vec<Value> = (0..table.num_rows().min(limit))
        .map(|r| {
            Value::Array(
                table
                    .columns()
                    .iter()
                    .map(|c| {
                        if c.data.is_null(r) {
                            return Value::Null;
                        }
                        match &c.data {
                            ColumnData::Integer(_) | ColumnData::Float(_) => {
                                c.data.number(r).map_or(Value::Null, |n| json!(n))
                            }
                            ColumnData::Boolean(a) => json!(a.value(r)),
                            _ => c.data.str_value(r).map_or(Value::Null, |s| json!(s)),
                        }
                    })
                    .collect(),
            )
        })
        .collect();
    json!({"columns": columns, "rows": rows, "total": table.num_rows()})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_results_become_rows_of_json() {
        let t = crate::data::ingest::ingest_bytes(
            b"name,n,x,ok\na,1,1.5,true\nb,,2,false\nc,3,,true\n",
            crate::data::ingest::IngestOptions::new("t"),
            64,
        )
        .unwrap()
        .0;
        let v = rows_json(&t, 2);
        assert_eq!(v["columns"], json!(["name", "n", "x", "ok"]));
        assert_eq!(
            v["rows"],
            json!([["a", 1.0, 1.5, true], ["b", null, 2.0, false]])
        );
        assert_eq!(v["total"], json!(3));
    }

    #[test]
    fn views_and_origins_from_the_address() {
        let params = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            View::parse("dashboard", params(&[("id", "42")])),
            Ok(View::Dashboard { id: Some(42) })
        );
        assert_eq!(
            View::parse("chart", params(&[("visual", "7")])),
            Ok(View::Chart {
                dashboard: None,
                visual: 7
            })
        );
        assert!(View::parse("chart", params(&[]))
            .unwrap_err()
            .contains("?visual="));
        assert!(View::parse("settings", params(&[]))
            .unwrap_err()
            .contains("no view \"settings\""));
        assert_eq!(parent_origins("https://docs.example.org/, http://127.0.0.1:8081,javascript:alert(1),*,https://a.b/path"), vec!["https://docs.example.org", "http://127.0.0.1:8081"]);
    }

    #[test]
    fn requests_are_read_and_bad_ones_answered_with_their_id() {
        assert_eq!(parse(&json!({"type": "runSql"})), Incoming::Foreign);
        assert_eq!(parse(&json!("hello")), Incoming::Foreign);
        assert_eq!(
            parse(&json!({"churnlab": 1, "id": 3, "type": "runSql", "sql": "SELECT 1"})),
            Incoming::Request {
                id: json!(3),
                command: Command::RunSql {
                    sql: "SELECT 1".into(),
                    limit: 100
                }
            }
        );
        let bad = |m: Value| match parse(&m) {
            Incoming::Bad { id, error } => (id, error),
            other => panic!("{other:?}"),
        };
        assert_eq!(bad(json!({"churnlab": 1, "id": "a", "type": "fly"})).1, "unknown request type \"fly\"; this app answers loadData, runSql, setFilter, predict, explain, getState");
        assert_eq!(
            bad(json!({"churnlab": 2, "id": "a", "type": "getState"})).1,
            "this app speaks protocol version 1, not 2"
        );
        assert_eq!(
            bad(json!({"churnlab": 1, "id": 9, "type": "runSql"})),
            (json!(9), "\"sql\" is missing".to_owned())
        );
        assert!(bad(
            json!({"churnlab": 1, "id": 9, "type": "loadData", "url": "https://x.example/a.csv"})
        )
        .1
        .contains("relative address"));
        assert!(bad(json!({"churnlab": 1, "type": "getState"}))
            .1
            .contains("\"id\""));
        assert_eq!(
            event("resize", json!({"height": 400})),
            json!({"churnlab": 1, "type": "resize", "height": 400})
        );
    }
}

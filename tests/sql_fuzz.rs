//! The SQL entry point never panics, whatever it is given: token soup,
//! generated queries that parse and run, and mutations of real queries.
//!
//! CI runs a few thousand cases per strategy; the full run is
//! `FUZZ_CASES=350000 cargo test --release --test sql_fuzz` (3 strategies).

use churnlab::core::data::synth::generate;
use churnlab::core::data::table::Table;
use churnlab::core::query::{run_sql, Catalog};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::sync::OnceLock;

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| generate(300, 3))
}

fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3_000)
}

/// Runs `sql`; whether it answered (an error is an answer too, a panic is not).
fn run(sql: &str) -> bool {
    let t = table();
    let catalog = Catalog::new().with("churn", t);
    run_sql(sql, &catalog).is_ok()
}

const COLUMNS: &[&str] = &[
    "customerID",
    "gender",
    "SeniorCitizen",
    "tenure",
    "Contract",
    "PaymentMethod",
    "MonthlyCharges",
    "TotalCharges",
    "Churn",
    "churn.tenure",
    "t.tenure",
    "\"Contract\"",
    "\"1\"",
    "nosuch",
];
const KEYWORDS: &[&str] = &[
    "SELECT",
    "FROM",
    "WHERE",
    "GROUP BY",
    "ORDER BY",
    "HAVING",
    "LIMIT",
    "OFFSET",
    "DISTINCT",
    "AND",
    "OR",
    "NOT",
    "IN",
    "BETWEEN",
    "LIKE",
    "ILIKE",
    "IS",
    "NULL",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "END",
    "CAST",
    "AS",
    "COUNT",
    "SUM",
    "AVG",
    "MIN",
    "MAX",
    "ROUND",
    "FILTER",
    "ASC",
    "DESC",
    "NULLS FIRST",
    "NULLS LAST",
    "TRUE",
    "FALSE",
    "INTEGER",
    "DOUBLE",
    "VARCHAR",
    "JOIN",
    "UNION",
    "WITH",
    "churn",
    "(",
    ")",
    ",",
    "*",
    "+",
    "-",
    "/",
    "%",
    "=",
    "<>",
    "<",
    ">=",
    "||",
    "'",
    "\"",
    ";",
    ".",
    "9223372036854775807",
    "-1e308",
    "0",
    "1.5",
    "'Yes'",
    "'%a_'",
];

fn token_soup() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        proptest::sample::select(KEYWORDS).prop_map(str::to_owned),
        proptest::sample::select(COLUMNS).prop_map(str::to_owned),
        "[a-zA-Z0-9_'\"%(),.*<>=!| -]{0,6}",
    ];
    prop::collection::vec(token, 0..24).prop_map(|t| t.join(" "))
}

fn expr() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        proptest::sample::select(COLUMNS).prop_map(str::to_owned),
        any::<i64>().prop_map(|v| v.to_string()),
        any::<f64>().prop_map(|v| format!("{v:?}")),
        "'[a-zA-Z -]{0,8}'",
        Just("NULL".to_owned()),
        Just("TRUE".to_owned()),
    ];
    leaf.prop_recursive(4, 24, 3, |inner| {
        let op = proptest::sample::select(
            &[
                "+", "-", "*", "/", "%", "=", "<>", "<", "<=", ">", ">=", "AND", "OR", "||",
            ][..],
        );
        prop_oneof![
            (inner.clone(), op, inner.clone()).prop_map(|(a, o, b)| format!("({a} {o} {b})")),
            inner.clone().prop_map(|a| format!("NOT ({a})")),
            inner.clone().prop_map(|a| format!("-({a})")),
            inner.clone().prop_map(|a| format!("{a} IS NULL")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(a, b, c)| format!("{a} BETWEEN {b} AND {c}")),
            (inner.clone(), prop::collection::vec(inner.clone(), 1..4))
                .prop_map(|(a, l)| format!("{a} IN ({})", l.join(", "))),
            (inner.clone(), "'[%_a-zA-Z]{0,5}'").prop_map(|(a, p)| format!("{a} LIKE {p}")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(a, b, c)| format!("CASE WHEN {a} THEN {b} ELSE {c} END")),
            (
                inner.clone(),
                proptest::sample::select(&["INTEGER", "DOUBLE", "VARCHAR", "BOOLEAN"][..])
            )
                .prop_map(|(a, t)| format!("CAST({a} AS {t})")),
            (
                proptest::sample::select(
                    &["COUNT", "SUM", "AVG", "MIN", "MAX", "ROUND", "ABS", "LOWER", "COALESCE"][..]
                ),
                inner.clone()
            )
                .prop_map(|(f, a)| format!("{f}({a})")),
            (inner.clone(), inner)
                .prop_map(|(a, b)| format!("COUNT(DISTINCT {a}) FILTER (WHERE {b})")),
        ]
    })
}

fn query() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(expr(), 1..4),
        prop::option::of(expr()),
        prop::option::of(prop::collection::vec(
            prop_oneof![expr(), (1usize..4).prop_map(|p| p.to_string())],
            1..3,
        )),
        prop::option::of(expr()),
        prop::option::of((expr(), any::<bool>(), any::<bool>())),
        prop::option::of((0usize..50, 0usize..10)),
        any::<bool>(),
    )
        .prop_map(|(items, filter, group, having, order, limit, distinct)| {
            let mut sql = format!(
                "SELECT {}{} FROM churn",
                if distinct { "DISTINCT " } else { "" },
                items.join(", ")
            );
            if let Some(f) = filter {
                sql += &format!(" WHERE {f}");
            }
            if let Some(g) = group {
                sql += &format!(" GROUP BY {}", g.join(", "));
            }
            if let Some(h) = having {
                sql += &format!(" HAVING {h}");
            }
            if let Some((o, desc, nulls_first)) = order {
                sql += &format!(
                    " ORDER BY {o} {} NULLS {}",
                    if desc { "DESC" } else { "ASC" },
                    if nulls_first { "FIRST" } else { "LAST" }
                );
            }
            if let Some((l, o)) = limit {
                sql += &format!(" LIMIT {l} OFFSET {o}");
            }
            sql
        })
}

const SEEDS: &[&str] = &[
    "SELECT COUNT(DISTINCT internetservice) as 'internetservice' FROM default.churn;",
    "SELECT * FROM churn WHERE seniorcitizen = \"1\"",
    "SELECT Contract, COUNT(*) AS n, AVG(MonthlyCharges) FROM churn WHERE tenure BETWEEN 1 AND 24 GROUP BY 1 HAVING COUNT(*) > 2 ORDER BY n DESC NULLS LAST LIMIT 3",
    "SELECT band, COUNT(*) FROM (SELECT CASE WHEN tenure < 12 THEN 'new' ELSE 'old' END AS band FROM churn) t GROUP BY band",
    "SELECT CAST(TotalCharges AS INTEGER), ROUND(MonthlyCharges, -1), customerID || gender FROM churn WHERE PaymentMethod ILIKE '%check'",
];

fn mutation() -> impl Strategy<Value = String> {
    (
        proptest::sample::select(SEEDS),
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..6),
    )
        .prop_map(|(seed, edits)| {
            let mut bytes = seed.as_bytes().to_vec();
            for (at, byte, kind) in edits {
                if bytes.is_empty() {
                    break;
                }
                let i = at.index(bytes.len());
                match kind {
                    0 => bytes[i] = byte,
                    1 => {
                        bytes.remove(i);
                    }
                    _ => bytes.insert(i, byte),
                }
            }
            String::from_utf8_lossy(&bytes).into_owned()
        })
}

fn fuzz(name: &str, strategy: impl Strategy<Value = String>) {
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&strategy, |sql| {
        run(&sql);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
    eprintln!("{name}: {} inputs without a panic", cases());
}

#[test]
fn token_soup_never_panics() {
    fuzz("token soup", token_soup());
}

#[test]
fn generated_queries_never_panic() {
    fuzz("generated queries", query());
}

#[test]
fn every_seed_query_runs() {
    // Mutations start from queries the engine answers, or they would test
    // only the parser's first error.
    for seed in SEEDS {
        assert!(run(seed), "the seed does not run: {seed}");
    }
}

#[test]
fn mutated_workshop_queries_never_panic() {
    fuzz("mutations", mutation());
}

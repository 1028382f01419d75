//! The engine on small tables whose answers are known by hand. The
//! comparison with DuckDB on the real data is in `tests/sql_parity.rs`.

use super::*;
use crate::data::ingest::{ingest_bytes, IngestOptions};

fn table() -> Table {
    let csv = "id,plan,price,active,note\n1,Basic,10,true,a\n2,Pro,25.5,false,\n3,Basic,,true,c\n4,Team,40,,a\n5,Pro,30,true,e\n";
    ingest_bytes(csv.as_bytes(), IngestOptions::new("t"), 64)
        .unwrap()
        .0
}

fn run(sql: &str) -> Result<Vec<Vec<Option<String>>>, SqlError> {
    let t = table();
    let catalog = Catalog::new().with("churn", &t);
    let result = run_sql(sql, &catalog)?;
    Ok((0..result.num_rows())
        .map(|r| result.columns().iter().map(|c| c.data.display(r)).collect())
        .collect())
}

fn rows(sql: &str) -> Vec<Vec<String>> {
    run(sql)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .into_iter()
        .map(|r| {
            r.into_iter()
                .map(|v| v.unwrap_or_else(|| "NULL".into()))
                .collect()
        })
        .collect()
}

fn err(sql: &str) -> String {
    run(sql).expect_err(sql).to_string()
}

#[test]
fn selects_filters_and_orders() {
    assert_eq!(
        rows("SELECT id FROM churn WHERE plan = 'Pro' ORDER BY id DESC"),
        vec![vec!["5"], vec!["2"]]
    );
    assert_eq!(
        rows("select ID from CHURN where PLAN = 'Basic' and price > 5"),
        vec![vec!["1"]]
    );
    assert_eq!(
        rows("SELECT id FROM churn WHERE price IS NULL OR active IS NULL ORDER BY 1"),
        vec![vec!["3"], vec!["4"]]
    );
    assert_eq!(
        rows("SELECT id FROM churn WHERE plan IN ('Team', 'Pro') AND NOT active ORDER BY id"),
        vec![vec!["2"]]
    );
    assert_eq!(
        rows("SELECT id FROM churn WHERE price BETWEEN 20 AND 30 ORDER BY id"),
        vec![vec!["2"], vec!["5"]]
    );
    assert_eq!(
        rows("SELECT id FROM churn WHERE plan LIKE 'B%' ORDER BY id"),
        vec![vec!["1"], vec!["3"]]
    );
    assert_eq!(
        rows("SELECT id FROM churn WHERE plan ILIKE 'b%' AND id <> 1"),
        vec![vec!["3"]]
    );
    assert_eq!(
        rows("SELECT price FROM churn ORDER BY price DESC LIMIT 2 OFFSET 1"),
        vec![vec!["30.0"], vec!["25.5"]]
    );
    assert_eq!(
        rows("SELECT price FROM churn ORDER BY price NULLS FIRST LIMIT 2"),
        vec![vec!["NULL"], vec!["10.0"]]
    );
    assert_eq!(
        rows("SELECT price FROM churn ORDER BY price DESC LIMIT 1 OFFSET 3"),
        vec![vec!["10.0"]]
    );
    assert_eq!(
        rows("SELECT price FROM churn ORDER BY price LIMIT 1 OFFSET 4"),
        vec![vec!["NULL"]]
    );
}

#[test]
fn workshop_syntax_quoted_numbers_and_string_aliases() {
    assert_eq!(
        rows("SELECT id FROM churn WHERE id = \"3\""),
        vec![vec!["3"]]
    );
    assert_eq!(
        rows("SELECT COUNT(DISTINCT plan) as 'plans' FROM default.churn;"),
        vec![vec!["3"]]
    );
    let t = table();
    let r = run_sql(
        "SELECT COUNT(DISTINCT plan) as 'plans' FROM churn",
        &Catalog::new().with("churn", &t),
    )
    .unwrap();
    assert_eq!(r.columns()[0].name, "plans");
}

#[test]
fn aggregates_group_by_and_having() {
    assert_eq!(
        rows("SELECT plan, COUNT(*), COUNT(price), SUM(price), MIN(id), MAX(note) FROM churn GROUP BY plan ORDER BY plan"),
        vec![
            vec!["Basic", "2", "1", "10.0", "1", "c"],
            vec!["Pro", "2", "2", "55.5", "2", "e"],
            vec!["Team", "1", "1", "40.0", "4", "a"],
        ]
    );
    assert_eq!(rows("SELECT plan AS p, COUNT(*) n FROM churn GROUP BY p HAVING COUNT(*) > 1 ORDER BY n DESC, p"), vec![vec!["Basic", "2"], vec!["Pro", "2"]]);
    assert_eq!(
        rows("SELECT plan, AVG(id) FROM churn GROUP BY 1 ORDER BY 2"),
        vec![
            vec!["Basic", "2.0"],
            vec!["Pro", "3.5"],
            vec!["Team", "4.0"]
        ]
    );
    assert_eq!(
        rows(
            "SELECT COUNT(*) FILTER (WHERE active), SUM(id) FILTER (WHERE plan = 'Pro') FROM churn"
        ),
        vec![vec!["3", "7"]]
    );
    assert_eq!(
        rows("SELECT COUNT(DISTINCT note), COUNT(note) FROM churn"),
        vec![vec!["3", "4"]]
    );
    assert_eq!(
        rows("SELECT ROUND(AVG(price), 2) FROM churn"),
        vec![vec!["26.38"]]
    );
    assert_eq!(
        rows("SELECT SUM(price) FROM churn WHERE id > 99"),
        vec![vec!["NULL"]]
    );
    assert_eq!(
        rows("SELECT COUNT(*) FROM churn WHERE id > 99"),
        vec![vec!["0"]]
    );
    assert_eq!(
        rows("SELECT plan, COUNT(*) FROM churn WHERE id > 99 GROUP BY plan"),
        Vec::<Vec<String>>::new()
    );
    assert_eq!(
        rows("SELECT active, COUNT(*) FROM churn GROUP BY active ORDER BY active NULLS FIRST"),
        vec![vec!["NULL", "1"], vec!["false", "1"], vec!["true", "3"]]
    );
}

#[test]
fn expressions_case_cast_and_nulls() {
    assert_eq!(
        rows("SELECT id * 2 + 1, id / 2, id % 2 FROM churn WHERE id = 3"),
        vec![vec!["7", "1.5", "1"]]
    );
    assert_eq!(rows("SELECT CASE WHEN price > 20 THEN 'high' WHEN price IS NULL THEN 'none' ELSE 'low' END FROM churn ORDER BY id"), vec![vec!["low"], vec!["high"], vec!["none"], vec!["high"], vec!["high"]]);
    assert_eq!(
        rows("SELECT CASE plan WHEN 'Pro' THEN 1 END FROM churn WHERE id <= 2 ORDER BY id"),
        vec![vec!["NULL"], vec!["1"]]
    );
    assert_eq!(rows("SELECT CAST(price AS INTEGER), CAST(id AS VARCHAR), TRY_CAST(plan AS INTEGER) FROM churn WHERE id = 2"), vec![vec!["26", "2", "NULL"]]);
    assert_eq!(
        rows("SELECT NULL = NULL, 1 IN (1, NULL), 2 IN (1, NULL), NULL AND FALSE, NULL OR TRUE"),
        vec![vec!["NULL", "true", "NULL", "false", "true"]]
    );
    assert_eq!(
        rows("SELECT 1 / 0, 1 % 0, -id FROM churn WHERE id = 1"),
        vec![vec!["inf", "NULL", "-1"]]
    );
    assert_eq!(
        rows("SELECT COALESCE(price, 0), UPPER(plan), LENGTH(plan) FROM churn WHERE id = 3"),
        vec![vec!["0.0", "BASIC", "5"]]
    );
    assert_eq!(
        rows("SELECT DISTINCT plan FROM churn ORDER BY plan"),
        vec![vec!["Basic"], vec!["Pro"], vec!["Team"]]
    );
    assert_eq!(
        rows("SELECT * FROM (SELECT plan, COUNT(*) AS n FROM churn GROUP BY plan) t WHERE t.n = 1"),
        vec![vec!["Team", "1"]]
    );
}

#[test]
fn errors_say_what_and_where() {
    assert_eq!(
        err("SELEC * FROM churn"),
        "Line 1, column 1: expected an SQL statement but found \"SELEC\""
    );
    assert_eq!(
        err("SELECT plam FROM churn"),
        "Line 1, column 8: unknown column \"plam\". Did you mean \"plan\"?"
    );
    assert_eq!(
        err("SELECT id FROM churm"),
        "Line 1, column 16: unknown table \"churm\". Did you mean \"churn\"?"
    );
    assert!(err("SELECT id FROM churn\nWHERE COUNT(*) > 1")
        .starts_with("Line 2, column 7: aggregates such as COUNT"));
    assert!(err("SELECT plan, id FROM churn GROUP BY plan").contains("\"id\" must be in GROUP BY"));
    assert!(err("SELECT FOO(id) FROM churn").contains("unknown function FOO"));
    assert!(
        err("SELECT id FROM churn WHERE plan > 3").contains("cannot compare VARCHAR with INTEGER")
    );
    assert!(err("SELECT id FROM churn WHERE id = 'abc'")
        .contains("cannot compare INTEGER with VARCHAR"));
    assert!(err("DELETE FROM churn").contains("only SELECT"));
    assert!(err("SELECT * FROM churn a JOIN churn b ON a.id = b.id")
        .contains("joins are not supported"));
    assert!(err("SELECT CAST(plan AS INTEGER) FROM churn")
        .contains("could not convert 'Basic' to INTEGER"));
    assert_eq!(err(""), "the query is empty; write a SELECT");
}

#[test]
fn keeps_dictionary_columns_dictionary_encoded() {
    let t = table();
    let r = run_sql(
        "SELECT plan FROM churn WHERE id > 1",
        &Catalog::new().with("churn", &t),
    )
    .unwrap();
    assert_eq!(
        r.columns()[0].column_type(),
        crate::data::table::ColumnType::Categorical
    );
}

#[test]
fn sorts_a_result_by_one_column() {
    let t = table();
    let sorted = sort_table(&t, 2, true);
    let prices: Vec<Option<String>> = (0..5)
        .map(|r| sorted.columns()[2].data.display(r))
        .collect();
    assert_eq!(
        prices,
        vec![
            Some("40.0".into()),
            Some("30.0".into()),
            Some("25.5".into()),
            Some("10.0".into()),
            None
        ]
    );
    assert_eq!(
        sorted.columns()[0].data.display(0).as_deref(),
        Some("4"),
        "rows move together"
    );
    // The order taken column by column is the same table.
    let order = sort_order(&t, 2, true);
    let cells = |columns: &[crate::data::table::Column]| -> Vec<Option<String>> {
        columns
            .iter()
            .flat_map(|c| (0..5).map(|r| c.data.display(r)))
            .collect()
    };
    let taken: Vec<_> = t.columns().iter().map(|c| take_rows(c, &order)).collect();
    assert_eq!(cells(&taken), cells(sorted.columns()));
    assert_eq!(sort_order(&t, 99, false), vec![0, 1, 2, 3, 4]);
}

#[test]
fn star_leaves_out_hidden_fields_but_they_can_be_named() {
    let t = table();
    let (t, _) = crate::data::fields::edit_field(
        &t,
        "note",
        &crate::data::fields::FieldEdit::SetHidden(true),
    )
    .unwrap();
    let catalog = Catalog::new().with("churn", &t);
    assert_eq!(
        run_sql("SELECT * FROM churn", &catalog)
            .unwrap()
            .num_columns(),
        4
    );
    assert_eq!(
        run_sql("SELECT note FROM churn", &catalog)
            .unwrap()
            .num_columns(),
        1
    );
}

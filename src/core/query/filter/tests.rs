use super::*;
use crate::data::table::ColumnType;

fn columns() -> Vec<String> {
    [
        "Contract",
        "tenure",
        "SeniorCitizen",
        "PaymentMethod",
        "Monthly Charges",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn type_of(name: &str) -> Option<ColumnType> {
    match name {
        "tenure" | "SeniorCitizen" | "Monthly Charges" => Some(ColumnType::Integer),
        _ => Some(ColumnType::Categorical),
    }
}

fn cond(column: &str, op: FilterOp, values: &[&str]) -> FilterNode {
    FilterNode::Condition(Condition {
        column: column.into(),
        op,
        values: values.iter().map(|v| v.to_string()).collect(),
        negated: false,
    })
}

#[test]
fn writes_sql_for_nested_groups() {
    let tree = FilterNode::Group {
        join: Join::And,
        negated: false,
        children: vec![
            cond("Contract", FilterOp::Eq, &["Month-to-month"]),
            FilterNode::Group {
                join: Join::Or,
                negated: true,
                children: vec![
                    cond("tenure", FilterOp::Lt, &["12"]),
                    cond("PaymentMethod", FilterOp::In, &["Mailed check", "O'Brien"]),
                ],
            },
            cond("Monthly Charges", FilterOp::Between, &["20", "70"]),
        ],
    };
    assert_eq!(
        to_sql(&tree, &type_of),
        "Contract = 'Month-to-month' AND NOT (tenure < 12 OR PaymentMethod IN ('Mailed check', 'O''Brien')) AND \"Monthly Charges\" BETWEEN 20 AND 70"
    );
}

#[test]
fn reads_back_what_it_writes() {
    let sql = "Contract = 'Month-to-month' AND NOT (tenure < 12 OR PaymentMethod IN ('Mailed check', 'x')) AND \"Monthly Charges\" BETWEEN 20 AND 70";
    let tree = from_sql(sql, &columns()).unwrap();
    assert_eq!(to_sql(&tree, &type_of), sql);
}

#[test]
fn reads_workshop_and_flipped_conditions() {
    let tree = from_sql("seniorcitizen = \"1\"", &columns()).unwrap();
    assert_eq!(
        tree,
        FilterNode::Group {
            join: Join::And,
            negated: false,
            children: vec![cond("SeniorCitizen", FilterOp::Eq, &["1"])]
        }
    );
    let tree = from_sql("12 > tenure", &columns()).unwrap();
    assert_eq!(to_sql(&tree, &type_of), "tenure < 12");
    assert_eq!(
        to_sql(
            &from_sql("tenure IS NOT NULL AND Contract LIKE 'M%'", &columns()).unwrap(),
            &type_of
        ),
        "tenure IS NOT NULL AND Contract LIKE 'M%'"
    );
}

#[test]
fn says_when_a_clause_does_not_fit() {
    assert!(from_sql("tenure * 2 > 10", &columns()).is_err());
    assert!(from_sql("tenure > MonthlyCharges", &columns()).is_err());
    assert!(from_sql("nosuch = 1", &columns()).is_err());
    assert!(from_sql("tenure >", &columns()).is_err());
    assert_eq!(from_sql("  ", &columns()), Ok(FilterNode::empty()));
}

#[test]
fn incomplete_conditions_write_nothing() {
    let tree = FilterNode::Group {
        join: Join::Or,
        negated: false,
        children: vec![
            cond("tenure", FilterOp::Between, &["1", ""]),
            cond("Contract", FilterOp::Eq, &["x"]),
        ],
    };
    assert_eq!(to_sql(&tree, &type_of), "Contract = 'x'");
}

#[test]
fn counts_what_the_where_keeps() {
    let (total, kept) =
        count_queries("SELECT a, COUNT(*) FROM churn WHERE tenure > 3 GROUP BY a").unwrap();
    assert_eq!(total, "SELECT COUNT(*) FROM churn");
    assert_eq!(kept, "SELECT COUNT(*) FROM churn WHERE tenure > 3");
    assert_eq!(
        from_table("SELECT * FROM default.churn t").as_deref(),
        Some("churn")
    );
}

#[test]
fn finds_and_replaces_the_where_clause() {
    let sql = "SELECT *\nFROM churn\nWHERE (tenure > 3) AND Contract = 'x'\nORDER BY 1";
    assert_eq!(
        where_text(sql).as_deref(),
        Some("(tenure > 3) AND Contract = 'x'")
    );
    assert_eq!(
        replace_where(sql, "tenure < 5").unwrap(),
        "SELECT *\nFROM churn\nWHERE tenure < 5\nORDER BY 1"
    );
    assert_eq!(
        replace_where(sql, "").unwrap(),
        "SELECT *\nFROM churn\nORDER BY 1"
    );
    let plain = "SELECT * FROM churn ORDER BY tenure";
    assert_eq!(
        replace_where(plain, "tenure > 1").unwrap(),
        "SELECT * FROM churn WHERE tenure > 1 ORDER BY tenure"
    );
    assert_eq!(
        where_text("SELECT * FROM churn WHERE (a = 1)").as_deref(),
        Some("(a = 1)")
    );
    assert_eq!(where_text("SELEC"), None);
}

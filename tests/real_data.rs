//! Ingesting the real IBM file: the figures the workshop reference records.

mod common;

use arrow_array::Array;
use churnlab::core::data::ingest::{ingest_bytes, IngestOptions};
use churnlab::core::data::table::ColumnType;
use common::{real_data_path, real_table, shares};

#[test]
fn loads_7043_rows_and_21_columns() {
    let t = real_table();
    assert_eq!(t.num_rows(), 7_043);
    assert_eq!(t.num_columns(), 21);
}

#[test]
fn infers_the_workshop_types() {
    let t = real_table();
    let ty = |c: &str| t.column(c).unwrap().column_type();
    assert_eq!(ty("customerID"), ColumnType::Text);
    assert_eq!(ty("SeniorCitizen"), ColumnType::Integer);
    assert_eq!(ty("tenure"), ColumnType::Integer);
    assert_eq!(ty("MonthlyCharges"), ColumnType::Float);
    assert_eq!(ty("TotalCharges"), ColumnType::Float);
    for c in [
        "gender",
        "Contract",
        "PaymentMethod",
        "Churn",
        "MultipleLines",
    ] {
        assert_eq!(ty(c), ColumnType::Categorical, "{c}");
    }
}

#[test]
fn total_charges_has_11_nulls_and_churn_two_values() {
    let t = real_table();
    assert_eq!(t.column("TotalCharges").unwrap().data.null_count(), 11);
    let churn = shares(&t, "Churn");
    assert_eq!(churn.len(), 2);
    assert_eq!(churn[1].0, "Yes");
    assert!((churn[1].1 * 7_043.0 - 1_869.0).abs() < 0.5);
}

#[test]
fn distinct_counts_and_senior_citizens() {
    let t = real_table();
    for (c, n) in [
        ("InternetService", 3),
        ("MultipleLines", 3),
        ("Contract", 3),
        ("PaymentMethod", 4),
    ] {
        assert_eq!(
            t.column(c).unwrap().data.categories().unwrap().len(),
            n,
            "{c}"
        );
    }
    let senior = &t.column("SeniorCitizen").unwrap().data;
    let ones = (0..t.num_rows())
        .filter(|&r| senior.number(r) == Some(1.0))
        .count();
    assert_eq!(ones, 1_142);
}

#[test]
fn chunk_size_does_not_change_the_table() {
    let bytes = std::fs::read(real_data_path()).unwrap();
    let whole = ingest_bytes(&bytes, IngestOptions::new("a"), bytes.len())
        .unwrap()
        .0;
    let small = ingest_bytes(&bytes, IngestOptions::new("a"), 4_099)
        .unwrap()
        .0;
    for (a, b) in whole.columns().iter().zip(small.columns()) {
        for row in 0..whole.num_rows() {
            assert_eq!(a.data.display(row), b.data.display(row));
        }
    }
}

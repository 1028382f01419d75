//! The embedded default dataset against the real file's facts.

mod common;

use churnlab::core::data::synth::{default_dataset, generate, DEFAULT_ROWS};
use churnlab::core::data::table::ColumnType;
use common::{real_table, shares};

const CATEGORICAL: [&str; 17] = [
    "gender",
    "Partner",
    "Dependents",
    "PhoneService",
    "MultipleLines",
    "InternetService",
    "OnlineSecurity",
    "OnlineBackup",
    "DeviceProtection",
    "TechSupport",
    "StreamingTV",
    "StreamingMovies",
    "Contract",
    "PaperlessBilling",
    "PaymentMethod",
    "Churn",
    "SeniorCitizen",
];

#[test]
fn same_schema_and_size_as_the_real_file() {
    let synthetic = default_dataset();
    let real = real_table();
    assert_eq!(synthetic.num_rows(), DEFAULT_ROWS);
    assert_eq!(synthetic.num_rows(), real.num_rows());
    let names = |t: &churnlab::core::data::table::Table| -> Vec<(String, ColumnType)> {
        t.columns()
            .iter()
            .map(|c| (c.name.clone(), c.column_type()))
            .collect()
    };
    assert_eq!(names(&synthetic), names(&real));
}

#[test]
fn every_category_share_is_within_two_points_of_the_real_file() {
    let synthetic = default_dataset();
    let real = real_table();
    for column in CATEGORICAL {
        let (s, r) = (shares(&synthetic, column), shares(&real, column));
        let labels = |v: &[(String, f64)]| v.iter().map(|(l, _)| l.clone()).collect::<Vec<_>>();
        assert_eq!(labels(&s), labels(&r), "{column}: same labels");
        for ((label, ps), (_, pr)) in s.iter().zip(&r) {
            assert!(
                (ps - pr).abs() <= 0.02,
                "{column}={label}: synthetic {ps:.4} vs real {pr:.4}"
            );
        }
    }
}

#[test]
fn churn_rate_matches() {
    let churn = shares(&default_dataset(), "Churn");
    let yes = churn.iter().find(|(l, _)| l == "Yes").unwrap().1;
    assert!((yes - 0.2654).abs() <= 0.02, "{yes}");
}

#[test]
fn numeric_ranges_and_total_charges() {
    let t = default_dataset();
    let tenure = &t.column("tenure").unwrap().data;
    let monthly = &t.column("MonthlyCharges").unwrap().data;
    let total = &t.column("TotalCharges").unwrap().data;
    let (mut tmin, mut tmax, mut mmin, mut mmax) = (i64::MAX, i64::MIN, f64::MAX, f64::MIN);
    let mut zero_tenure = 0;
    for row in 0..t.num_rows() {
        let ten = tenure.number(row).unwrap() as i64;
        let m = monthly.number(row).unwrap();
        tmin = tmin.min(ten);
        tmax = tmax.max(ten);
        mmin = mmin.min(m);
        mmax = mmax.max(m);
        match total.number(row) {
            None => {
                assert_eq!(
                    ten, 0,
                    "TotalCharges is blank only when tenure is 0 (row {row})"
                );
                zero_tenure += 1;
            }
            Some(tc) => {
                assert!(ten > 0, "row {row}");
                let ratio = tc / (ten as f64 * m);
                assert!(
                    (0.69..=1.51).contains(&ratio),
                    "row {row}: TotalCharges {tc} vs {ten} x {m}"
                );
            }
        }
    }
    assert_eq!((tmin, tmax), (0, 72));
    assert!((18.25..19.0).contains(&mmin), "{mmin}");
    assert!(mmax <= 118.75 && mmax > 117.0, "{mmax}");
    assert!(
        (1..=30).contains(&zero_tenure),
        "{zero_tenure} customers with tenure 0"
    );
}

#[test]
fn service_columns_agree_with_their_base_service() {
    let t = default_dataset();
    let internet = &t.column("InternetService").unwrap().data;
    let phone = &t.column("PhoneService").unwrap().data;
    for row in 0..t.num_rows() {
        let no_internet = internet.str_value(row) == Some("No");
        for s in ["OnlineSecurity", "TechSupport", "StreamingMovies"] {
            let v = t.column(s).unwrap().data.str_value(row).unwrap();
            assert_eq!(v == "No internet service", no_internet, "{s} row {row}");
        }
        let ml = t
            .column("MultipleLines")
            .unwrap()
            .data
            .str_value(row)
            .unwrap();
        assert_eq!(ml == "No phone service", phone.str_value(row) == Some("No"));
    }
}

#[test]
fn deterministic_for_a_seed_and_different_across_seeds() {
    let a = generate(500, 7);
    let b = generate(500, 7);
    let c = generate(500, 8);
    let cells = |t: &churnlab::core::data::table::Table| -> Vec<Option<String>> {
        (0..t.num_rows())
            .flat_map(|r| t.columns().iter().map(move |c| c.data.display(r)))
            .collect()
    };
    assert_eq!(cells(&a), cells(&b));
    assert_ne!(cells(&a), cells(&c));
}

#[test]
fn customer_ids_are_unique_and_shaped_like_the_real_ones() {
    let t = generate(20_000, 1);
    let ids = &t.column("customerID").unwrap().data;
    let mut seen = std::collections::HashSet::new();
    for row in 0..t.num_rows() {
        let id = ids.str_value(row).unwrap();
        assert_eq!(id.len(), 10);
        assert!(id[..4].bytes().all(|b| b.is_ascii_digit()) && &id[4..5] == "-");
        assert!(id[5..].bytes().all(|b| b.is_ascii_uppercase()));
        assert!(seen.insert(id.to_owned()));
    }
}

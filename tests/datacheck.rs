//! Defaults and the data check on tables other than the workshop's:
//! identifiers whatever their type, row counters, names, high cardinality,
//! leakage, constant and empty columns, class balance and targets that are
//! not yes/no; and the workshop's own file still picks its 19 features.
mod common;

use churnlab::core::common::rng::Rng;
use churnlab::core::data::ingest::{ingest_bytes, IngestOptions};
use churnlab::core::data::table::Table;
use churnlab::core::model::config::Missing;
use churnlab::core::model::datacheck::{data_check, feature_defaults, Exclusion};
use churnlab::core::model::defaults::default_config;
use churnlab::core::model::features::{Encoder, FeatureKind, OTHER, TOP_CATEGORIES};

/// A bank-customer table like the ones learners bring: 3,000 rows.
fn bank(rows: usize) -> Table {
    let mut rng = Rng::new(11);
    let mut ids: Vec<u64> = (0..rows as u64).map(|i| 15_600_000 + i * 7).collect();
    rng.shuffle(&mut ids);
    let mut csv = String::from("RowNumber,CustomerId,Surname,CreditScore,Geography,Age,Balance,Branch,Constant,Notes,Exited,ExitedCopy\n");
    for (i, id) in ids.iter().enumerate() {
        let age = 20 + (rng.next_f64() * 50.0) as u32;
        let geo = ["France", "Spain", "Germany"][(rng.next_f64() * 3.0) as usize];
        let score = 350 + (rng.next_f64() * 500.0) as u32;
        let balance = (rng.next_f64() * 200_000.0 * 100.0).round() / 100.0;
        let logit = -4.0 + 0.07 * f64::from(age) + if geo == "Germany" { 0.8 } else { 0.0 };
        let exited = u8::from(rng.next_f64() < 1.0 / (1.0 + (-logit).exp()));
        let notes = if i % 5 == 0 { "called" } else { "" };
        // 3,000 surnames over 3,000+ rows: a high-cardinality category, not an id.
        let surname = format!("Name{}", (rng.next_f64() * 3_000.0) as u32);
        let branch = format!("B{}", i % 12);
        csv.push_str(&format!(
            "{},{id},{surname},{score},{geo},{age},{balance},{branch},same,{notes},{exited},{}\n",
            i + 1,
            if exited == 1 { "Yes" } else { "No" }
        ));
    }
    ingest_bytes(csv.as_bytes(), IngestOptions::new("bank"), 1 << 20)
        .expect("the generated table loads")
        .0
}

fn reasons(table: &Table, target: &str, positive: &str) -> Vec<(String, Option<Exclusion>)> {
    feature_defaults(table, target, positive)
}

#[test]
fn identifiers_counters_categories_leaks_and_empties_are_left_out_with_their_reason() {
    let t = bank(6_000);
    let cfg = default_config(&t);
    assert_eq!(
        (cfg.target.as_str(), cfg.positive.as_str()),
        ("Exited", "1"),
        "a 0/1 target, its positive class 1"
    );
    let r = reasons(&t, "Exited", "1");
    let why = |name: &str| {
        r.iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no {name}"))
            .1
            .clone()
    };
    assert_eq!(why("RowNumber"), Some(Exclusion::RowCounter));
    assert_eq!(
        why("CustomerId"),
        Some(Exclusion::Identifier {
            distinct: 6_000,
            values: 6_000
        }),
        "unique integers out of order"
    );
    assert!(
        matches!(why("Surname"), Some(Exclusion::HighCardinality { distinct }) if distinct > 2_500)
    );
    assert!(matches!(why("ExitedCopy"), Some(Exclusion::Leakage { auc }) if auc > 0.999));
    assert_eq!(
        why("Constant"),
        Some(Exclusion::Constant {
            value: Some("same".into())
        })
    );
    assert_eq!(
        why("Notes"),
        Some(Exclusion::MostlyEmpty {
            missing: 4_800,
            rows: 6_000
        })
    );
    for kept in ["CreditScore", "Geography", "Age", "Balance", "Branch"] {
        assert_eq!(why(kept), None, "{kept} is a feature");
    }
    assert_eq!(
        cfg.features,
        ["CreditScore", "Geography", "Age", "Balance", "Branch"]
    );
    // Each left-out column is an item of the check, with what to do.
    let items = data_check(&t, &cfg);
    let kinds: Vec<(&str, Option<&str>)> = items
        .iter()
        .map(|i| (i.kind, i.column.as_deref()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("identifier", Some("RowNumber")),
            ("identifier", Some("CustomerId")),
            ("cardinality", Some("Surname")),
            ("constant", Some("Constant")),
            ("missing", Some("Notes")),
            ("leakage", Some("ExitedCopy")),
            ("balance", Some("Exited")),
        ]
    );
    assert_eq!(items[0].message, "RowNumber: counts the rows.");
    assert!(
        items[2]
            .advice
            .ends_with("Tick it to encode its 20 most frequent values plus \"other\"."),
        "{}",
        items[2].advice
    );
}

#[test]
fn a_row_counter_from_zero_named_ids_and_shuffled_text_ids() {
    let csv = "idx,AccountNo,account_id,code,y\n".to_owned()
        + &(0..40)
            .map(|i| {
                format!(
                    "{i},{},{},k{},{}\n",
                    i % 25,
                    i % 30,
                    (i * 17) % 40,
                    if i % 3 == 0 { "Yes" } else { "No" }
                )
            })
            .collect::<String>();
    let t = ingest_bytes(csv.as_bytes(), IngestOptions::new("t"), 1 << 20)
        .unwrap()
        .0;
    let r = reasons(&t, "y", "Yes");
    assert_eq!(r[0], ("idx".into(), Some(Exclusion::RowCounter)));
    assert_eq!(
        r[1],
        ("AccountNo".into(), Some(Exclusion::IdentifierName)),
        "25 of 40 distinct, named …No"
    );
    assert_eq!(r[2], ("account_id".into(), Some(Exclusion::IdentifierName)));
    assert_eq!(
        r[3],
        (
            "code".into(),
            Some(Exclusion::Identifier {
                distinct: 40,
                values: 40
            })
        ),
        "text, every value distinct, in no order"
    );
}

#[test]
fn targets_that_are_not_yes_no_and_uneven_classes_are_said() {
    let csv = "plan,x,z\n".to_owned()
        + &(0..300)
            .map(|i| {
                format!(
                    "{},{},{}\n",
                    ["a", "b", "c"][i % 3],
                    i % 7,
                    if i % 10 == 0 { "Yes" } else { "No" }
                )
            })
            .collect::<String>();
    let t = ingest_bytes(csv.as_bytes(), IngestOptions::new("t"), 1 << 20)
        .unwrap()
        .0;
    let mut cfg = default_config(&t);
    assert_eq!(cfg.target, "z");
    let balance = data_check(&t, &cfg)
        .into_iter()
        .find(|i| i.kind == "balance")
        .unwrap();
    assert_eq!(balance.message, "Yes is 10.0% of the rows (30 of 300).");
    assert!(balance.advice.starts_with("With classes this uneven, accuracy alone misleads: always answering the larger class scores 90.0%."));
    cfg.target = "plan".into();
    let items = data_check(&t, &cfg);
    assert_eq!(items.len(), 1);
    assert_eq!(
        (items[0].kind, items[0].message.as_str()),
        (
            "target",
            "plan has 3 values (a, b, c): this lab trains a yes/no model."
        )
    );
    cfg.target = "x".into();
    assert_eq!(
        data_check(&t, &cfg)[0].message,
        "x has 7 values (0, 1, 2, 3, 4, 5, 6): this lab trains a yes/no model."
    );
}

#[test]
fn rows_dropped_for_missing_values_are_counted_and_imputation_keeps_them() {
    let t = common::real_table();
    let mut cfg = default_config(&t);
    let missing = |cfg: &churnlab::core::model::config::TrainConfig| {
        data_check(&t, cfg)
            .into_iter()
            .find(|i| i.kind == "missing")
    };
    assert_eq!(
        missing(&cfg).unwrap().message,
        "11 of 7,043 rows have an empty cell in the chosen columns and are left out."
    );
    cfg.missing = Missing::Impute;
    assert_eq!(missing(&cfg), None);
}

#[test]
fn the_workshops_file_still_selects_exactly_its_19_features() {
    let t = common::real_table();
    let cfg = default_config(&t);
    assert_eq!(
        (
            cfg.target.as_str(),
            cfg.positive.as_str(),
            cfg.features.len()
        ),
        ("Churn", "Yes", 19)
    );
    let left_out: Vec<String> = reasons(&t, "Churn", "Yes")
        .into_iter()
        .filter(|(_, e)| e.is_some())
        .map(|(n, _)| n)
        .collect();
    assert_eq!(left_out, ["customerID"]);
}

#[test]
fn a_ticked_high_cardinality_column_is_encoded_as_its_top_values_and_other() {
    let t = bank(3_000);
    let rows: Vec<usize> = (0..2_000).collect();
    let enc = Encoder::fit(&t, &[("Surname".into(), FeatureKind::Categorical)], &rows).unwrap();
    let cats = &enc.columns[0].categories;
    assert_eq!(cats.len(), TOP_CATEGORIES + 1);
    assert!(cats.contains(&OTHER.to_owned()));
    // Every row lands in exactly one column: its name, or "(other)".
    let x = enc
        .transform(&t, &(2_000..3_000).collect::<Vec<_>>())
        .unwrap();
    assert!(x.rows().into_iter().all(|r| r.sum() == 1.0));
}

/// The data check's fast counts (category codes, boolean flags, sorted
/// number bits; the target's positives by code) give what counting each
/// row's text gives, empty cells and two codes sharing a label included.
#[test]
fn distinct_values_and_positive_rows_agree_with_counting_each_rows_text() {
    use arrow_array::{BooleanArray, Float64Array, Int64Array, StringArray, UInt16Array};
    use churnlab::core::data::table::{categorical_from_parts, Column, ColumnData};
    use churnlab::core::model::datacheck::{distinct_values, positive_rows, profile, single_auc};
    use churnlab::core::model::features::category_label;
    use std::collections::HashSet;
    let mut rng = Rng::new(5);
    let n = 2_000;
    let gap = |rng: &mut Rng| rng.next_f64() < 0.1;
    // "No" twice in the dictionary: codes 0 and 3 are one category.
    let labels = StringArray::from(vec!["No", "Yes", "Maybe", "No"]);
    let keys: UInt16Array = (0..n)
        .map(|_| (!gap(&mut rng)).then(|| (rng.next_f64() * 4.0) as u16))
        .collect();
    let columns = [
        ColumnData::Categorical(categorical_from_parts(keys, labels)),
        ColumnData::Integer(
            (0..n)
                .map(|_| (!gap(&mut rng)).then(|| (rng.next_f64() * 50.0) as i64))
                .collect::<Int64Array>(),
        ),
        ColumnData::Float(
            (0..n)
                .map(|_| (!gap(&mut rng)).then(|| (rng.next_f64() * 20.0).round() / 4.0))
                .collect::<Float64Array>(),
        ),
        ColumnData::Boolean(
            (0..n)
                .map(|_| (!gap(&mut rng)).then(|| rng.next_f64() < 0.3))
                .collect::<BooleanArray>(),
        ),
        ColumnData::Boolean(
            (0..n)
                .map(|_| (!gap(&mut rng)).then_some(true))
                .collect::<BooleanArray>(),
        ),
        ColumnData::Text(
            (0..n)
                .map(|_| (!gap(&mut rng)).then(|| format!("t{}", (rng.next_f64() * 300.0) as u32)))
                .collect::<StringArray>(),
        ),
    ];
    for data in &columns {
        let by_text: HashSet<String> = (0..n).filter_map(|r| category_label(data, r)).collect();
        assert_eq!(
            distinct_values(data),
            by_text.len(),
            "{:?}",
            data.column_type()
        );
        assert_eq!(
            profile(&Column::new("c", data.clone())).distinct,
            by_text.len()
        );
    }
    assert_eq!(distinct_values(&columns[0]), 3, "No, Yes and Maybe");
    for positive in ["No", "Yes", "Nope"] {
        let by_text: Vec<bool> = (0..n)
            .map(|r| category_label(&columns[0], r).as_deref() == Some(positive))
            .collect();
        assert_eq!(positive_rows(&columns[0], positive), by_text, "{positive}");
    }
    assert_eq!(
        positive_rows(&columns[3], "true")
            .iter()
            .filter(|&&p| p)
            .count(),
        (0..n)
            .filter(|&r| category_label(&columns[3], r).as_deref() == Some("true"))
            .count()
    );
    // A category's AUC: codes 0 and 3 are one category, so a target that
    // is exactly "No" is told apart perfectly.
    let target = Column::new(
        "t",
        ColumnData::Text(
            (0..n)
                .map(|r| {
                    category_label(&columns[0], r).map(|l| {
                        if l == "No" {
                            "y".to_owned()
                        } else {
                            "n".to_owned()
                        }
                    })
                })
                .collect::<StringArray>(),
        ),
    );
    let auc = single_auc(&Column::new("c", columns[0].clone()), &target, "y").unwrap();
    assert!((auc - 1.0).abs() < 1e-12, "{auc}");
}

/// What the Train form asks a worker for on a large table is what it
/// computes on the page: the facts of a target, chosen or the table's
/// default, and the data check, read back from JSON unchanged.
#[test]
fn target_facts_are_the_defaults_and_survive_the_trip_to_a_worker() {
    use churnlab::core::model::datacheck::{data_check_with, CheckItem};
    use churnlab::core::model::defaults::{target_facts, TargetFacts};
    let t = bank(3_000);
    let cfg = default_config(&t);
    let facts = target_facts(&t, None, None);
    assert_eq!(
        (facts.target.as_str(), facts.positive.as_str()),
        ("Exited", "1")
    );
    assert_eq!(facts.labels, Some(["0".to_owned(), "1".to_owned()]));
    assert_eq!(facts.defaults, reasons(&t, "Exited", "1"));
    // A chosen target gets its own default positive class; a given one is kept.
    let copy = target_facts(&t, Some("ExitedCopy"), None);
    assert_eq!(
        (copy.positive.as_str(), copy.labels.is_some()),
        ("Yes", true)
    );
    assert_eq!(copy.defaults, reasons(&t, "ExitedCopy", "Yes"));
    let other = target_facts(&t, Some("ExitedCopy"), Some("No"));
    assert_eq!(other.positive, "No");
    assert_eq!(other.defaults, reasons(&t, "ExitedCopy", "No"));
    // A target that is not yes/no has no labels and no positive class.
    let geo = target_facts(&t, Some("Geography"), None);
    assert_eq!((geo.labels, geo.positive.as_str()), (None, ""));
    let back: TargetFacts = serde_json::from_str(&serde_json::to_string(&facts).unwrap()).unwrap();
    assert_eq!(back, facts);
    let items = data_check_with(&t, &cfg, &facts.defaults);
    assert!(items.iter().any(|i| i.kind == "leakage") && items.len() >= 5);
    let back: Vec<CheckItem> =
        serde_json::from_str(&serde_json::to_string(&items).unwrap()).unwrap();
    assert_eq!(back, items);
    // A kind the app does not know is refused, not invented.
    let bad = serde_json::to_string(&items[0])
        .unwrap()
        .replace(items[0].kind, "made-up");
    assert!(serde_json::from_str::<CheckItem>(&bad).is_err());
}

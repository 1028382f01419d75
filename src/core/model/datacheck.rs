//! Which columns make sense as features of a yes/no model, on any churn
//! table, and the data check shown before training. Every column but the
//! target is looked at once ([`Profile`]); a column is left out by default
//! with a reason ([`Exclusion`]) when it is constant, mostly empty, counts
//! the rows, identifies the customer (nearly every value distinct, or named
//! like an identifier), has too many categories, or gives the target away.
//! The learner can tick any of them back.

use std::collections::HashSet;

use arrow_array::Array;
use serde::{Deserialize, Serialize};

use crate::common::numfmt::count;
use crate::data::table::{categorical_labels, Column, ColumnData, ColumnType, Table};
use crate::model::config::{Missing, TrainConfig};
use crate::model::features::{category_label, is_high_cardinality, TOP_CATEGORIES};
use crate::model::metrics::auc_of_groups;

/// A feature on its own with at least this AUC gives the target away.
pub const LEAKAGE_AUC: f64 = 0.99;
/// Columns with more empty cells than this share are left out.
pub const MOSTLY_EMPTY: f64 = 0.5;
/// The share of distinct values that makes a column an identifier.
pub const IDENTIFIER_SHARE: f64 = 0.95;

fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// Why a column is left out of the default features.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Exclusion {
    Constant { value: Option<String> },
    MostlyEmpty { missing: usize, rows: usize },
    RowCounter,
    Identifier { distinct: usize, values: usize },
    IdentifierName,
    HighCardinality { distinct: usize },
    Leakage { auc: f64 },
}

impl Exclusion {
    /// The data check's kind: identifier, constant, missing, cardinality or leakage.
    pub fn kind(&self) -> &'static str {
        match self {
            Exclusion::Constant { .. } => "constant",
            Exclusion::MostlyEmpty { .. } => "missing",
            Exclusion::RowCounter | Exclusion::Identifier { .. } | Exclusion::IdentifierName => {
                "identifier"
            }
            Exclusion::HighCardinality { .. } => "cardinality",
            Exclusion::Leakage { .. } => "leakage",
        }
    }

    /// In a few words, shown beside the column.
    pub fn reason(&self) -> String {
        match self {
            Exclusion::Constant { value: Some(v) } => format!("one value ({v})"),
            Exclusion::Constant { value: None } => "empty".into(),
            Exclusion::MostlyEmpty { missing, rows } => {
                format!("{} empty", percent(*missing as f64 / *rows as f64))
            }
            Exclusion::RowCounter => "counts the rows".into(),
            Exclusion::Identifier { distinct, values } => format!(
                "an identifier ({} distinct of {})",
                count(*distinct),
                count(*values)
            ),
            Exclusion::IdentifierName => "named like an identifier".into(),
            Exclusion::HighCardinality { distinct } => format!("{} categories", count(*distinct)),
            Exclusion::Leakage { auc } => format!("gives the target away (AUC {auc:.3} alone)"),
        }
    }
}

/// What one pass over a column finds.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    pub values: usize,
    pub distinct: usize,
    /// The value, when there is exactly one.
    pub only: Option<String>,
    /// An integer column holding 0, 1, 2, … or 1, 2, 3, … in row order.
    pub counts_rows: bool,
}

pub fn profile(col: &Column) -> Profile {
    let data = &col.data;
    let n = data.len();
    let distinct = distinct_values(data);
    let values = n - data.null_count();
    let only = (distinct == 1)
        .then(|| (0..n).find_map(|r| category_label(data, r)))
        .flatten();
    let counts_rows =
        matches!(data, ColumnData::Integer(_)) && n >= 3 && data.null_count() == 0 && {
            let first = data.number(0).unwrap_or(-1.0);
            (first == 0.0 || first == 1.0)
                && (0..n).all(|r| data.number(r) == Some(first + r as f64))
        };
    Profile {
        values,
        distinct,
        only,
        counts_rows,
    }
}

/// How many distinct values `data` holds, empty cells left out, without a
/// string per row (a million-row table is checked as the Train page opens):
/// categories by their codes, booleans by two flags, numbers by their bits
/// sorted, text by its slices sorted.
pub fn distinct_values(data: &ColumnData) -> usize {
    match data {
        ColumnData::Integer(_) | ColumnData::Float(_) => {
            let mut bits: Vec<u64> = (0..data.len())
                .filter_map(|r| data.number(r))
                .map(f64::to_bits)
                .collect();
            bits.sort_unstable();
            bits.dedup();
            bits.len()
        }
        ColumnData::Boolean(a) => {
            let mut seen = [false; 2];
            for v in a.iter().flatten() {
                seen[usize::from(v)] = true;
            }
            seen.iter().filter(|&&s| s).count()
        }
        ColumnData::Categorical(a) => {
            let Some(labels) = categorical_labels(a) else {
                return 0;
            };
            let mut seen = vec![false; labels.len()];
            for k in a.keys().iter().flatten() {
                if let Some(s) = seen.get_mut(usize::from(k)) {
                    *s = true;
                }
            }
            // Counted as text, in case two codes share a label.
            (0..labels.len())
                .filter(|&i| seen[i])
                .map(|i| labels.value(i))
                .collect::<HashSet<&str>>()
                .len()
        }
        ColumnData::Text(_) => {
            let mut values: Vec<&str> = (0..data.len()).filter_map(|r| data.str_value(r)).collect();
            values.sort_unstable();
            values.dedup();
            values.len()
        }
    }
}

/// Whether each row of `target` holds `positive` (an empty cell does not),
/// by category code when it is categorical.
pub fn positive_rows(target: &ColumnData, positive: &str) -> Vec<bool> {
    match target {
        ColumnData::Categorical(a) => {
            let is_positive: Vec<bool> = categorical_labels(a).map_or_else(Vec::new, |l| {
                (0..l.len()).map(|i| l.value(i) == positive).collect()
            });
            a.keys()
                .iter()
                .map(|k| k.is_some_and(|k| is_positive.get(usize::from(k)) == Some(&true)))
                .collect()
        }
        _ => (0..target.len())
            .map(|r| category_label(target, r).as_deref() == Some(positive))
            .collect(),
    }
}

/// The rows where none of `columns` is empty.
fn complete_rows(n: usize, columns: &[&ColumnData]) -> Vec<usize> {
    let gappy: Vec<&&ColumnData> = columns.iter().filter(|c| c.null_count() > 0).collect();
    (0..n)
        .filter(|&r| !gappy.iter().any(|c| c.is_null(r)))
        .collect()
}

/// `id`, `…Id`, `…ID`, `…_id`, `…Number`, `…No`, `…_no`, `…_number`.
pub fn named_like_identifier(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower == "id"
        || [
            "_id", "-id", " id", "_no", " no", "_number", " number", "_nr",
        ]
        .iter()
        .any(|s| lower.ends_with(s))
    {
        return true;
    }
    // CamelCase: a lower-case letter, then the suffix as written.
    ["Id", "ID", "No", "Number", "Nr"].iter().any(|suffix| {
        name.strip_suffix(suffix)
            .and_then(|head| head.chars().last())
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    })
}

/// The AUC of one column alone at telling the positive class: a number as
/// the score itself (either direction), a category as its rate of positives.
pub fn single_auc(col: &Column, target: &Column, positive: &str) -> Option<f64> {
    let rows = complete_rows(col.data.len(), &[&col.data, &target.data]);
    let is_positive = positive_rows(&target.data, positive);
    // Rows as groups of equal score: (score, positives, negatives).
    let groups: Vec<(f64, usize, usize)> = if col.column_type().is_numeric() {
        // A group per row: `auc_of_groups` merges equal scores.
        rows.iter()
            .filter_map(|&r| {
                let y = is_positive[r];
                col.data
                    .number(r)
                    .map(|v| (v, usize::from(y), usize::from(!y)))
            })
            .collect()
    } else {
        // A category scores its rate of positives (codes, or texts, that
        // share a label are one category).
        let mut counts: Vec<(usize, usize)> = Vec::new();
        let mut tally = |k: usize, y: bool| {
            if counts.len() <= k {
                counts.resize(k + 1, (0, 0));
            }
            counts[k].0 += usize::from(y);
            counts[k].1 += usize::from(!y);
        };
        if let ColumnData::Categorical(a) = &col.data {
            let labels = categorical_labels(a)?;
            let mut first: std::collections::HashMap<&str, usize> =
                std::collections::HashMap::new();
            let category: Vec<usize> = (0..labels.len())
                .map(|i| *first.entry(labels.value(i)).or_insert(i))
                .collect();
            for &r in &rows {
                tally(category[usize::from(a.keys().value(r))], is_positive[r]);
            }
        } else {
            let mut index: std::collections::HashMap<String, usize> =
                std::collections::HashMap::new();
            for &r in &rows {
                let key = category_label(&col.data, r).unwrap_or_default();
                let next = index.len();
                tally(*index.entry(key).or_insert(next), is_positive[r]);
            }
        }
        counts
            .into_iter()
            .filter(|&(p, n)| p + n > 0)
            .map(|(p, n)| (p as f64 / (p + n) as f64, p, n))
            .collect()
    };
    let a = auc_of_groups(groups)?;
    Some(a.max(1.0 - a))
}

/// Why `col` is left out by default, if it is.
pub fn exclusion(table: &Table, col: &Column, target: &str, positive: &str) -> Option<Exclusion> {
    let rows = table.num_rows();
    let p = profile(col);
    let missing = rows - p.values;
    if missing as f64 > MOSTLY_EMPTY * rows as f64 {
        return Some(Exclusion::MostlyEmpty { missing, rows });
    }
    if p.distinct <= 1 {
        return Some(Exclusion::Constant { value: p.only });
    }
    if p.counts_rows {
        return Some(Exclusion::RowCounter);
    }
    let id_type = matches!(
        col.column_type(),
        ColumnType::Integer | ColumnType::Text | ColumnType::Categorical
    );
    let share = p.distinct as f64 / p.values.max(1) as f64;
    if id_type && p.values >= 20 && share >= IDENTIFIER_SHARE {
        return Some(Exclusion::Identifier {
            distinct: p.distinct,
            values: p.values,
        });
    }
    let customer =
        col.name.to_ascii_lowercase().starts_with("customer") && share >= IDENTIFIER_SHARE;
    if (named_like_identifier(&col.name) && share >= 0.5) || customer {
        return Some(Exclusion::IdentifierName);
    }
    if !col.column_type().is_numeric() && is_high_cardinality(p.distinct, p.values) {
        return Some(Exclusion::HighCardinality {
            distinct: p.distinct,
        });
    }
    let target = table.column(target)?;
    match single_auc(col, target, positive) {
        Some(auc) if auc >= LEAKAGE_AUC => Some(Exclusion::Leakage { auc }),
        _ => None,
    }
}

/// Every visible column but the target, with why it is left out by default.
pub fn feature_defaults(
    table: &Table,
    target: &str,
    positive: &str,
) -> Vec<(String, Option<Exclusion>)> {
    table
        .columns()
        .iter()
        .filter(|c| !c.hidden && c.name != target)
        .map(|c| (c.name.clone(), exclusion(table, c, target, positive)))
        .collect()
}

/// One item of the data check: its kind (identifier, cardinality, leakage,
/// constant, missing, balance, target), the column, what was found and what
/// to do about it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CheckItem {
    pub kind: &'static str,
    pub column: Option<String>,
    pub message: String,
    pub advice: String,
}

/// The kinds a [`CheckItem`] can have.
pub const CHECK_KINDS: [&str; 7] = [
    "identifier",
    "cardinality",
    "leakage",
    "constant",
    "missing",
    "balance",
    "target",
];

/// A [`CheckItem`] as read back (from a worker's answer), its kind still text.
#[derive(Deserialize)]
struct CheckItemText {
    kind: String,
    column: Option<String>,
    message: String,
    advice: String,
}

impl<'de> Deserialize<'de> for CheckItem {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<CheckItem, D::Error> {
        let t = CheckItemText::deserialize(d)?;
        let kind = CHECK_KINDS
            .into_iter()
            .find(|k| *k == t.kind)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown check kind {:?}", t.kind)))?;
        Ok(CheckItem {
            kind,
            column: t.column,
            message: t.message,
            advice: t.advice,
        })
    }
}

fn item(
    kind: &'static str,
    column: Option<&str>,
    message: String,
    advice: impl Into<String>,
) -> CheckItem {
    CheckItem {
        kind,
        column: column.map(str::to_owned),
        message,
        advice: advice.into(),
    }
}

fn advice_for(e: &Exclusion, chosen: bool) -> String {
    let back = if chosen {
        "You ticked it back: it is in the model."
    } else {
        "Tick it to use it anyway."
    };
    let why = match e {
        Exclusion::Constant { .. } => "A column with one value cannot tell customers apart.",
        Exclusion::MostlyEmpty { .. } => "With most cells empty, dropping rows would lose most customers and imputing would invent most values.",
        Exclusion::RowCounter => "A row number says where the row sits in the file, not who the customer is; in a file sorted by date or region the model would learn the export's order.",
        Exclusion::Identifier { .. } | Exclusion::IdentifierName => "An account number or ID names one customer; it carries no pattern that holds for the next one.",
        Exclusion::HighCardinality { .. } => {
            return if chosen {
                format!("Ticked: it is encoded as its {TOP_CATEGORIES} most frequent values plus \"other\".")
            } else {
                format!("One weight per category would learn from a handful of rows each. Tick it to encode its {TOP_CATEGORIES} most frequent values plus \"other\".")
            }
        }
        Exclusion::Leakage { .. } => "A feature this good is usually recorded after the fact (or is the target under another name): the model would look perfect here and fail on new customers.",
    };
    format!("{why} {back}")
}

/// The data check for training `config` on `table`.
pub fn data_check(table: &Table, config: &TrainConfig) -> Vec<CheckItem> {
    data_check_with(
        table,
        config,
        &feature_defaults(table, &config.target, &config.positive),
    )
}

/// The data check, with the columns' defaults already worked out (they
/// change with the table and the target, not with every ticked feature).
pub fn data_check_with(
    table: &Table,
    config: &TrainConfig,
    defaults: &[(String, Option<Exclusion>)],
) -> Vec<CheckItem> {
    let mut items = Vec::new();
    let Some(target) = table.column(&config.target) else {
        return vec![item(
            "target",
            None,
            "There is no column to predict: the table needs a yes/no column, such as Churn.".into(),
            "Load a table with one, or make one in SQL: CASE WHEN … THEN 'Yes' ELSE 'No' END.",
        )];
    };
    let p = profile(target);
    if p.distinct != 2 {
        let mut values: Vec<String> = (0..target.data.len())
            .filter_map(|r| category_label(&target.data, r))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        values.sort();
        let shown = if values.len() > 8 {
            format!("{}, …", values[..8].join(", "))
        } else {
            values.join(", ")
        };
        items.push(item(
            "target",
            Some(&target.name),
            format!("{} has {} values ({shown}): this lab trains a yes/no model.", target.name, count(p.distinct)),
            "Pick a column with two values, or make one in SQL: CASE WHEN … THEN 'Yes' ELSE 'No' END, saved as a dataset.",
        ));
        return items;
    }
    for (name, why) in defaults {
        if let Some(e) = why {
            let chosen = config.features.contains(name);
            items.push(item(
                e.kind(),
                Some(name),
                format!("{name}: {}.", e.reason()),
                advice_for(e, chosen),
            ));
        }
    }
    // Rows training leaves out.
    let used: Vec<&Column> = config
        .features
        .iter()
        .filter_map(|f| table.column(f))
        .chain([target])
        .collect();
    let used: Vec<&ColumnData> = used.iter().map(|c| &c.data).collect();
    let dropped = match config.missing {
        Missing::Drop => table.num_rows() - complete_rows(table.num_rows(), &used).len(),
        Missing::Impute => target.data.null_count(),
    };
    if dropped > 0 {
        let (message, advice) = match config.missing {
            Missing::Drop => (
                format!("{} of {} rows have an empty cell in the chosen columns and are left out.", count(dropped), count(table.num_rows())),
                "Choose impute under Missing values to keep them: empty numbers get the training median, empty categories the most frequent value.",
            ),
            Missing::Impute => (format!("{} rows have no {} and are left out.", count(dropped), target.name), "A row without the answer cannot teach the model; imputation fills features, never the target."),
        };
        items.push(item("missing", None, message, advice));
    }
    // Class balance.
    let positives = positive_rows(&target.data, &config.positive)
        .iter()
        .filter(|&&p| p)
        .count();
    let share = positives as f64 / p.values.max(1) as f64;
    let advice = if !(0.2..=0.8).contains(&share) {
        let majority = share.max(1.0 - share);
        format!("With classes this uneven, accuracy alone misleads: always answering the larger class scores {}. Read the AUC, and the recall of {}.", percent(majority), config.positive)
    } else {
        format!("Balanced enough for accuracy to mean something; the AUC and the recall of {} still say more.", config.positive)
    };
    items.push(item(
        "balance",
        Some(&target.name),
        format!(
            "{} is {} of the rows ({} of {}).",
            config.positive,
            percent(share),
            count(positives),
            count(p.values)
        ),
        advice,
    ));
    items
}

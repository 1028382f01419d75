//! Turning table columns into a numeric design matrix: the workshop's
//! one-hot encoding of categorical features and standardisation of all.
//!
//! Categories are sorted, as scikit-learn's `OneHotEncoder` sorts them, and a
//! category unseen in training encodes as all zeros (`handle_unknown="ignore"`).
//! A column with too many categories to learn from ([`is_high_cardinality`])
//! keeps its [`TOP_CATEGORIES`] most frequent and one [`OTHER`] column for
//! the rest (scikit-learn's `max_categories` with infrequent categories
//! grouped); every lookup goes through [`category_index`].

use arrow_array::Array;
use ndarray::{Array1, Array2, ShapeBuilder};
use serde::{Deserialize, Serialize};

use crate::data::table::{categorical_labels, ColumnData, ColumnType, Table};

/// The category that stands for every value but a column's most frequent.
pub const OTHER: &str = "(other)";
/// The categories a high-cardinality column keeps.
pub const TOP_CATEGORIES: usize = 20;

/// Too many categories to learn one weight each: more than 50, or more
/// than a tenth of the rows.
pub fn is_high_cardinality(distinct: usize, rows: usize) -> bool {
    distinct > 50 || (distinct as f64 > 0.1 * rows as f64 && distinct > TOP_CATEGORIES)
}

/// The index of `label` among sorted `categories`; a label not among them
/// falls into [`OTHER`] when the column has it.
pub fn category_index(categories: &[String], label: &str) -> Option<usize> {
    let find = |l: &str| categories.binary_search_by(|k| k.as_str().cmp(l)).ok();
    find(label).or_else(|| find(OTHER))
}

/// How one input column enters the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FeatureKind {
    Numeric,
    Categorical,
}

impl FeatureKind {
    /// Strings and booleans are categorical; so are 0/1 integer flags such
    /// as SeniorCitizen, which the workshop turns into Yes/No.
    pub fn default_for(data: &ColumnData) -> FeatureKind {
        match data.column_type() {
            ColumnType::Float => FeatureKind::Numeric,
            ColumnType::Integer => {
                let flag =
                    (0..data.len()).all(|r| matches!(data.number(r), None | Some(0.0) | Some(1.0)));
                if flag {
                    FeatureKind::Categorical
                } else {
                    FeatureKind::Numeric
                }
            }
            _ => FeatureKind::Categorical,
        }
    }
}

/// Finds the category of each cell of one column. A dictionary-encoded
/// column's keys are looked up once each, not once per row.
struct CategoryLookup<'a> {
    categories: &'a [String],
    data: &'a ColumnData,
    by_key: Option<Vec<Option<usize>>>,
}

impl<'a> CategoryLookup<'a> {
    fn new(categories: &'a [String], data: &'a ColumnData) -> Self {
        let by_key = match data {
            ColumnData::Categorical(a) => categorical_labels(a).map(|labels| {
                (0..labels.len())
                    .map(|k| category_index(categories, labels.value(k)))
                    .collect()
            }),
            _ => None,
        };
        CategoryLookup {
            categories,
            data,
            by_key,
        }
    }

    /// `None` for an empty cell; otherwise the cell's category index, if it has one.
    fn index(&self, row: usize) -> Option<Option<usize>> {
        match (self.data, &self.by_key) {
            (ColumnData::Categorical(a), Some(by_key)) => a
                .is_valid(row)
                .then(|| by_key.get(a.keys().value(row) as usize).copied().flatten()),
            (ColumnData::Text(_), _) => self
                .data
                .str_value(row)
                .map(|l| category_index(self.categories, l)),
            _ => category_label(self.data, row).map(|l| category_index(self.categories, &l)),
        }
    }
}

/// Each distinct label of `rows` (empty cells left out) with how many rows
/// hold it, sorted by label.
fn label_counts(data: &ColumnData, rows: &[usize]) -> Vec<(String, usize)> {
    // A dictionary column is counted by key, one label per key; any other
    // column by each row's label.
    let dictionary = match data {
        ColumnData::Categorical(a) => categorical_labels(a).map(|labels| (a, labels)),
        _ => None,
    };
    let mut found: Vec<(String, usize)> = match dictionary {
        Some((a, labels)) => {
            let mut per_key = vec![0usize; labels.len()];
            for &r in rows {
                if a.is_valid(r) {
                    if let Some(n) = per_key.get_mut(a.keys().value(r) as usize) {
                        *n += 1;
                    }
                }
            }
            per_key
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(k, n)| (labels.value(k).to_owned(), *n))
                .collect()
        }
        None => rows
            .iter()
            .filter_map(|&r| category_label(data, r))
            .map(|label| (label, 1))
            .collect(),
    };
    found.sort_by(|a, b| a.0.cmp(&b.0));
    let mut counted: Vec<(String, usize)> = Vec::new();
    for (label, n) in found {
        match counted.last_mut() {
            Some((last, m)) if *last == label => *m += n,
            _ => counted.push((label, n)),
        }
    }
    counted
}

/// One input column and, for categoricals, its sorted categories.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EncodedColumn {
    pub column: String,
    pub kind: FeatureKind,
    /// Sorted categories (empty for numeric columns).
    pub categories: Vec<String>,
    /// What a missing cell becomes, when missing values are imputed.
    #[serde(default)]
    pub fill: Option<Fill>,
}

/// An imputed value: the training median of a number column, or its most
/// frequent category.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Fill {
    Number(f64),
    Category(String),
}

impl EncodedColumn {
    /// How many of `rows` hold each category.
    pub fn category_counts(&self, data: &ColumnData, rows: &[usize]) -> Vec<usize> {
        let mut counts = vec![0usize; self.categories.len()];
        let lookup = CategoryLookup::new(&self.categories, data);
        for &r in rows {
            if let Some(Some(k)) = lookup.index(r) {
                counts[k] += 1;
            }
        }
        counts
    }

    /// How many design-matrix columns this input becomes.
    pub fn width(&self) -> usize {
        match self.kind {
            FeatureKind::Numeric => 1,
            FeatureKind::Categorical => self.categories.len(),
        }
    }
}

/// Why a table cannot be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeatureError {
    #[error("there is no column \"{column}\"")]
    MissingColumn { column: String },
    #[error("column \"{column}\" is {found} and cannot be used as a number")]
    NotNumeric { column: String, found: &'static str },
    #[error("row {row}: column \"{column}\" is empty; drop or impute missing values first")]
    MissingValue { column: String, row: usize },
}

/// The fitted one-hot encoder: which columns, in which order, with which categories.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Encoder {
    pub columns: Vec<EncodedColumn>,
}

/// The category label of a cell, whatever the column's storage type.
pub fn category_label(data: &ColumnData, row: usize) -> Option<String> {
    match data {
        ColumnData::Categorical(_) | ColumnData::Text(_) => data.str_value(row).map(str::to_owned),
        _ => data.display(row),
    }
}

impl Encoder {
    /// Learns categories from the given rows of `table`.
    pub fn fit(
        table: &Table,
        features: &[(String, FeatureKind)],
        rows: &[usize],
    ) -> Result<Encoder, FeatureError> {
        let mut columns = Vec::with_capacity(features.len());
        for (name, kind) in features {
            let col = table
                .column(name)
                .ok_or_else(|| FeatureError::MissingColumn {
                    column: name.clone(),
                })?;
            let categories = match kind {
                FeatureKind::Numeric => {
                    if !col.column_type().is_numeric() {
                        return Err(FeatureError::NotNumeric {
                            column: col.name.clone(),
                            found: col.column_type().label(),
                        });
                    }
                    Vec::new()
                }
                FeatureKind::Categorical => {
                    let mut counted = label_counts(&col.data, rows);
                    if is_high_cardinality(counted.len(), rows.len()) {
                        // The most frequent (ties: the first in order), then sorted again.
                        counted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                        counted.truncate(TOP_CATEGORIES);
                        counted.push((OTHER.to_owned(), 0));
                        counted.sort_by(|a, b| a.0.cmp(&b.0));
                    }
                    counted.into_iter().map(|(c, _)| c).collect()
                }
            };
            columns.push(EncodedColumn {
                column: col.name.clone(),
                kind: *kind,
                categories,
                fill: None,
            });
        }
        Ok(Encoder { columns })
    }

    /// Fills missing cells from now on: numbers with the median of the
    /// given rows (scikit-learn's `SimpleImputer(strategy="median")`),
    /// categories with the most frequent (ties: the first in sorted order).
    pub fn impute_from(&mut self, table: &Table, rows: &[usize]) -> Result<(), FeatureError> {
        for c in &mut self.columns {
            let col = table
                .column(&c.column)
                .ok_or_else(|| FeatureError::MissingColumn {
                    column: c.column.clone(),
                })?;
            c.fill = match c.kind {
                FeatureKind::Numeric => {
                    let mut v: Vec<f64> = rows.iter().filter_map(|&r| col.data.number(r)).collect();
                    v.sort_by(f64::total_cmp);
                    (!v.is_empty()).then(|| Fill::Number(crate::common::stats::quantile(&v, 0.5)))
                }
                FeatureKind::Categorical => {
                    let counts = c.category_counts(&col.data, rows);
                    let best = counts
                        .iter()
                        .enumerate()
                        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)))
                        .map(|(k, _)| k);
                    best.map(|k| Fill::Category(c.categories[k].clone()))
                }
            };
        }
        Ok(())
    }

    /// Total design-matrix width.
    pub fn width(&self) -> usize {
        self.columns.iter().map(EncodedColumn::width).sum()
    }

    /// Names of the design-matrix columns: `tenure`, `Contract_Two year`, ….
    pub fn feature_names(&self) -> Vec<String> {
        let mut names = Vec::with_capacity(self.width());
        for c in &self.columns {
            match c.kind {
                FeatureKind::Numeric => names.push(c.column.clone()),
                FeatureKind::Categorical => {
                    names.extend(c.categories.iter().map(|k| format!("{}_{k}", c.column)))
                }
            }
        }
        names
    }

    /// For each design-matrix column, the index of the input column it came from.
    pub fn source_columns(&self) -> Vec<usize> {
        self.columns
            .iter()
            .enumerate()
            .flat_map(|(i, c)| std::iter::repeat_n(i, c.width()))
            .collect()
    }

    /// Encodes the given rows. Every used cell must be non-null. The matrix
    /// is column-major: it is filled a column at a time, and both of the
    /// solver's products read it contiguously (`X·w` column by column in the
    /// patched linfa-logistic, `Xᵀ·r` as dot products of its columns).
    pub fn transform(&self, table: &Table, rows: &[usize]) -> Result<Array2<f64>, FeatureError> {
        let mut x = Array2::<f64>::zeros((rows.len(), self.width()).f());
        let mut offset = 0;
        for c in &self.columns {
            let col = table
                .column(&c.column)
                .ok_or_else(|| FeatureError::MissingColumn {
                    column: c.column.clone(),
                })?;
            match c.kind {
                FeatureKind::Numeric => {
                    for (i, &r) in rows.iter().enumerate() {
                        let fill = match &c.fill {
                            Some(Fill::Number(v)) => Some(*v),
                            _ => None,
                        };
                        let v = col.data.number(r).or(fill).ok_or_else(|| {
                            FeatureError::MissingValue {
                                column: c.column.clone(),
                                row: r,
                            }
                        })?;
                        x[[i, offset]] = v;
                    }
                }
                FeatureKind::Categorical => {
                    let lookup = CategoryLookup::new(&c.categories, &col.data);
                    let fill = match &c.fill {
                        Some(Fill::Category(v)) => Some(category_index(&c.categories, v)),
                        _ => None,
                    };
                    for (i, &r) in rows.iter().enumerate() {
                        let k =
                            lookup
                                .index(r)
                                .or(fill)
                                .ok_or_else(|| FeatureError::MissingValue {
                                    column: c.column.clone(),
                                    row: r,
                                })?;
                        if let Some(k) = k {
                            x[[i, offset + k]] = 1.0;
                        }
                    }
                }
            }
            offset += c.width();
        }
        Ok(x)
    }
}

/// Standardisation to zero mean and unit variance (population variance, as
/// scikit-learn's `StandardScaler`); constant columns keep a scale of 1.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scaler {
    pub means: Vec<f64>,
    pub scales: Vec<f64>,
}

impl Scaler {
    pub fn fit(x: &Array2<f64>) -> Scaler {
        let n = x.nrows().max(1) as f64;
        let mut means = Vec::with_capacity(x.ncols());
        let mut scales = Vec::with_capacity(x.ncols());
        for col in x.columns() {
            let mean = col.sum() / n;
            let var = col.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
            let sd = var.sqrt();
            means.push(mean);
            scales.push(if sd > 0.0 { sd } else { 1.0 });
        }
        Scaler { means, scales }
    }

    pub fn transform(&self, x: &Array2<f64>) -> Array2<f64> {
        let mut out = x.clone();
        self.transform_in_place(&mut out);
        out
    }

    pub fn transform_in_place(&self, x: &mut Array2<f64>) {
        for (j, mut col) in x.columns_mut().into_iter().enumerate() {
            let (m, s) = (self.means[j], self.scales[j]);
            col.mapv_inplace(|v| (v - m) / s);
        }
    }

    pub fn transform_row(&self, row: &mut Array1<f64>) {
        for (j, v) in row.iter_mut().enumerate() {
            *v = (*v - self.means[j]) / self.scales[j];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::ingest::{ingest_bytes, IngestOptions};

    fn table() -> Table {
        let csv = "c,n,flag\nb,1.5,0\na,2.5,1\nb,3.5,0\n";
        ingest_bytes(csv.as_bytes(), IngestOptions::new("t"), 64)
            .unwrap()
            .0
    }

    #[test]
    fn one_hot_with_sorted_categories() {
        let t = table();
        let kinds: Vec<(String, FeatureKind)> = t
            .columns()
            .iter()
            .map(|c| (c.name.clone(), FeatureKind::default_for(&c.data)))
            .collect();
        assert_eq!(
            kinds[2].1,
            FeatureKind::Categorical,
            "0/1 flags are categorical"
        );
        let enc = Encoder::fit(&t, &kinds, &[0, 1, 2]).unwrap();
        assert_eq!(
            enc.feature_names(),
            vec!["c_a", "c_b", "n", "flag_0", "flag_1"]
        );
        assert_eq!(enc.source_columns(), vec![0, 0, 1, 2, 2]);
        let x = enc.transform(&t, &[0, 1]).unwrap();
        assert_eq!(x.row(0).to_vec(), vec![0.0, 1.0, 1.5, 1.0, 0.0]);
        assert_eq!(x.row(1).to_vec(), vec![1.0, 0.0, 2.5, 0.0, 1.0]);
    }

    #[test]
    fn unseen_categories_encode_as_zeros() {
        let t = table();
        let enc = Encoder::fit(&t, &[("c".into(), FeatureKind::Categorical)], &[0]).unwrap();
        assert_eq!(enc.feature_names(), vec!["c_b"]);
        assert_eq!(enc.transform(&t, &[1]).unwrap().row(0).to_vec(), vec![0.0]);
    }

    #[test]
    fn a_dictionary_column_encodes_as_the_same_text_column_does() {
        use crate::data::table::{categorical_from_parts, Column};
        use arrow_array::{StringArray, UInt16Array};
        // 60 distinct labels (high cardinality: the top 20 and "(other)"), nulls, and a label only the last row has.
        let cells: Vec<Option<String>> = (0..400)
            .map(|i| (i % 13 != 5).then(|| format!("v{:02}", (i * 7) % 60)))
            .chain([Some("new".to_owned())])
            .collect();
        let text = ColumnData::Text(StringArray::from(cells.clone()));
        let mut labels: Vec<String> = cells.iter().flatten().cloned().collect();
        labels.sort();
        labels.dedup();
        let keys: UInt16Array = cells
            .iter()
            .map(|c| c.as_ref().map(|c| labels.binary_search(c).unwrap() as u16))
            .collect();
        let dictionary =
            ColumnData::Categorical(categorical_from_parts(keys, StringArray::from(labels)));
        let fit_rows: Vec<usize> = (0..400).collect();
        let all_rows: Vec<usize> = (0..401).collect();
        let encode = |data: ColumnData| {
            let t = Table::try_new("t", vec![Column::new("c", data)]).unwrap();
            let mut enc =
                Encoder::fit(&t, &[("c".into(), FeatureKind::Categorical)], &fit_rows).unwrap();
            enc.impute_from(&t, &fit_rows).unwrap();
            let counts = enc.columns[0].category_counts(&t.column("c").unwrap().data, &all_rows);
            (enc.clone(), counts, enc.transform(&t, &all_rows).unwrap())
        };
        let (by_text, by_dictionary) = (encode(text), encode(dictionary));
        assert_eq!(by_text.0.columns[0].categories.len(), TOP_CATEGORIES + 1);
        assert!(by_text.0.columns[0].categories.contains(&OTHER.to_owned()));
        assert_eq!(
            by_text.2.row(400).sum(),
            1.0,
            "an unseen label falls into (other)"
        );
        assert_eq!(by_text, by_dictionary);
    }

    #[test]
    fn scaler_matches_population_standardisation() {
        let x = ndarray::array![[1.0, 5.0], [3.0, 5.0]];
        let s = Scaler::fit(&x);
        assert_eq!(s.means, vec![2.0, 5.0]);
        assert_eq!(s.scales, vec![1.0, 1.0]);
        assert_eq!(s.transform(&x), ndarray::array![[-1.0, 0.0], [1.0, 0.0]]);
    }

    #[test]
    fn errors_name_the_column() {
        let t = table();
        assert_eq!(
            Encoder::fit(&t, &[("c".into(), FeatureKind::Numeric)], &[0])
                .unwrap_err()
                .to_string(),
            "column \"c\" is categorical and cannot be used as a number"
        );
        assert!(matches!(
            Encoder::fit(&t, &[("zz".into(), FeatureKind::Numeric)], &[0]),
            Err(FeatureError::MissingColumn { .. })
        ));
    }
}

//! The model as one SQL scoring query: each input column's exact term of
//! the log-odds (a number: `slope · x + offset`, its training median when
//! empty; a category: its term, the first category's when empty, the
//! "(other)" column's or the first's when unknown — as batch scoring does),
//! then the logistic function. Cells are read as the app reads them, from
//! whatever type the engine gave the column: blank, `NA`, `N/A` and `null`
//! are empty, and a number column's text that is not a number is empty
//! too, so the query runs on the raw file as DuckDB (`read_csv_auto`),
//! Spark (`inferSchema`) or PostgreSQL (text columns) reads it. Optionally each column's contribution, the
//! numbers the app shows. Names and text are quoted the target engine's
//! way (DuckDB and PostgreSQL: `"x"`; Spark SQL: `` `x` ``); numbers are
//! written in the exponent form every engine reads as a double, with the
//! digits that read back exactly.

use crate::explain::customer::{column_terms, Term};
use crate::export::datasets_sql::{number, Engine};
use crate::model::features::OTHER;
use crate::model::pipeline::{ColumnStats, SavedModel};

/// `name` as a quoted identifier for DuckDB and PostgreSQL.
pub fn ident(name: &str) -> String {
    Engine::DuckDb.ident(name)
}

/// What the query returns besides the probability.
#[derive(Clone, Debug, PartialEq)]
pub struct ScoringOptions {
    /// The table (or view) to score.
    pub table: String,
    /// The column that identifies a customer, returned first.
    pub id: Option<String>,
    /// The class below 0.5 (the other of the target's two labels).
    pub negative: String,
    /// One `contribution_<column>` per input column.
    pub contributions: bool,
    /// `DuckDb` writes what DuckDB and PostgreSQL read (double-quoted
    /// names, DOUBLE PRECISION, VARCHAR); `SparkSql` backquotes names and
    /// writes DOUBLE and STRING.
    pub engine: Engine,
}

impl ScoringOptions {
    fn varchar(&self) -> &'static str {
        match self.engine {
            Engine::DuckDb => "VARCHAR",
            Engine::SparkSql => "STRING",
        }
    }
}

/// The boolean each category stands for when an engine reads the column as
/// booleans (DuckDB's `read_csv_auto` makes Yes/No columns BOOLEAN, which
/// read back as `true`/`false`): only for a column whose categories are a
/// yes/no pair, one word for each side.
fn boolean_aliases(categories: &[String]) -> Option<Vec<Option<bool>>> {
    let meaning = |c: &str| match c.to_ascii_lowercase().as_str() {
        "true" | "t" | "yes" | "y" => Some(true),
        "false" | "f" | "no" | "n" => Some(false),
        _ => None,
    };
    let labels: Vec<&String> = categories.iter().filter(|c| c.as_str() != OTHER).collect();
    let meanings: Vec<Option<bool>> = labels.iter().map(|c| meaning(c)).collect();
    let (yes, no) = (
        meanings.iter().filter(|m| **m == Some(true)).count(),
        meanings.iter().filter(|m| **m == Some(false)).count(),
    );
    (yes <= 1 && no <= 1 && yes + no == labels.len() && !labels.is_empty()).then(|| {
        categories
            .iter()
            .map(|c| if c == OTHER { None } else { meaning(c) })
            .collect()
    })
}

fn term_sql(stats: &ColumnStats, term: &Term, o: &ScoringOptions) -> String {
    let (e, col) = (o.engine, o.engine.ident(stats.column()));
    match (stats, term) {
        (ColumnStats::Numeric { median, .. }, Term::Numeric { slope, offset }) => {
            format!(
                "({} * COALESCE({}, {}) + {})",
                number(*slope),
                e.read_number(&col),
                number(*median),
                number(*offset)
            )
        }
        (ColumnStats::Categorical { categories, .. }, Term::Categorical(per)) => {
            let first = per.first().copied().unwrap_or(0.0);
            let unknown = categories
                .iter()
                .position(|c| c == OTHER)
                .map_or(first, |k| per[k]);
            let mut sql = format!(
                "(CASE WHEN {} THEN {}",
                e.is_empty_value(&col),
                number(first)
            );
            let aliases = boolean_aliases(categories);
            for (k, (c, t)) in categories.iter().zip(per).enumerate() {
                if c != OTHER {
                    let value = format!("CAST({col} AS {})", o.varchar());
                    let alias = aliases
                        .as_ref()
                        .and_then(|a| a[k])
                        .map(|b| format!(" OR {value} = '{b}'"))
                        .unwrap_or_default();
                    sql.push_str(&format!(
                        " WHEN {value} = {}{alias} THEN {}",
                        e.text(c),
                        number(*t)
                    ));
                }
            }
            sql.push_str(&format!(" ELSE {} END)", number(unknown)));
            sql
        }
        _ => "0e0".into(),
    }
}

/// The scoring query for `model`.
pub fn scoring_sql(model: &SavedModel, options: &ScoringOptions) -> String {
    let terms = column_terms(model);
    let names: Vec<String> = (0..terms.len()).map(|i| format!("t{i}")).collect();
    let mut inner: Vec<String> = Vec::new();
    if let Some(id) = &options.id {
        inner.push(format!(
            "{} AS {}",
            options.engine.ident(id),
            options.engine.ident(id)
        ));
    }
    for ((s, t), n) in model.stats.iter().zip(&terms).zip(&names) {
        inner.push(format!("{} AS {n}", term_sql(s, t, options)));
    }
    let logit = format!(
        "{} + ({})",
        number(model.model.intercept),
        names.join(" + ")
    );
    let mut outer: Vec<String> = Vec::new();
    if let Some(id) = &options.id {
        outer.push(options.engine.ident(id));
    }
    outer.push(format!(
        "1e0 / (1e0 + EXP(-({logit}))) AS churn_probability"
    ));
    outer.push(format!(
        "CASE WHEN 1e0 / (1e0 + EXP(-({logit}))) >= 5e-1 THEN {} ELSE {} END AS predicted_class",
        options.engine.text(&model.positive),
        options.engine.text(&options.negative)
    ));
    if options.contributions {
        for (s, n) in model.stats.iter().zip(&names) {
            outer.push(format!(
                "{n} AS {}",
                options
                    .engine
                    .ident(&format!("contribution_{}", s.column()))
            ));
        }
    }
    format!(
        "-- Churnlab scoring query for the model {} (version {}), predicting {} = {}.\n-- Plain SQL (CASE, arithmetic, EXP) for {}.\nWITH terms AS (\n  SELECT\n    {}\n  FROM {}\n)\nSELECT\n  {}\nFROM terms",
        model.name.replace('\n', " "),
        model.model_version,
        model.target.replace('\n', " "),
        model.positive.replace('\n', " "),
        match options.engine {
            Engine::DuckDb => "DuckDB and PostgreSQL (names in double quotes)",
            Engine::SparkSql => "Spark SQL (names in backquotes)",
        },
        inner.join(",\n    "),
        options.engine.ident(&options.table),
        outer.join(",\n  ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_yes_no_column_also_reads_as_booleans() {
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            boolean_aliases(&words(&["No", "Yes"])),
            Some(vec![Some(false), Some(true)])
        );
        assert_eq!(
            boolean_aliases(&words(&["false", "true", OTHER])),
            Some(vec![Some(false), Some(true), None])
        );
        assert_eq!(
            boolean_aliases(&words(&["No", "Yes", "Maybe"])),
            None,
            "not a yes/no column"
        );
        assert_eq!(
            boolean_aliases(&words(&["No", "n", "Yes"])),
            None,
            "two words for one side"
        );
        assert_eq!(boolean_aliases(&words(&["DSL", "Fiber optic"])), None);
    }

    #[test]
    fn names_and_text_are_quoted_and_numbers_read_back() {
        assert_eq!(ident("Monthly \"Charges\""), "\"Monthly \"\"Charges\"\"\"");
        assert_eq!(Engine::DuckDb.text("O'Brien"), "'O''Brien'");
        assert_eq!(Engine::SparkSql.ident("a`b"), "`a``b`");
        for v in [0.1, -1.0 / 3.0, 1e-300, 123456.789] {
            assert_eq!(number(v).parse::<f64>().unwrap(), v);
        }
    }
}

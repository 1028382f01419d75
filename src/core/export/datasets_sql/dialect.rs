//! How DuckDB and Spark SQL spell what the dataset export writes: quoted
//! names and text, numbers, type names, and, as expressions, the app's
//! reading of a CSV cell (its null words, trimming and number grammar) and
//! of a retyped field (`data::cast::cast_column`).

use crate::data::table::ColumnType;
use crate::query::SqlType;

/// The engine a script is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// DuckDB 1.x (`duckdb`, the Python package, the CLI).
    DuckDb,
    /// Spark SQL 3.4 or later (`spark-sql -f`, `spark.sql`), default settings.
    SparkSql,
}

/// The ASCII whitespace the app trims from a cell (`u8::is_ascii_whitespace`),
/// as a regular-expression class both RE2 and Java read.
const SPACE_RE: &str = r"[ \t\n\f\r]";
/// A number as the app reads one (`data::infer::parse_float`): a sign,
/// digits with a fraction or a fraction alone, an exponent. No backslash,
/// so every engine's string literal keeps it as written.
const NUMBER_RE: &str = "[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?";

impl Engine {
    pub fn label(self) -> &'static str {
        match self {
            Engine::DuckDb => "DuckDB",
            Engine::SparkSql => "Spark SQL",
        }
    }

    /// `CREATE OR REPLACE [TEMPORARY] VIEW`: Spark's views over a temporary
    /// view must be temporary too.
    pub fn create_view(self) -> &'static str {
        match self {
            Engine::DuckDb => "CREATE OR REPLACE VIEW",
            Engine::SparkSql => "CREATE OR REPLACE TEMPORARY VIEW",
        }
    }

    /// `name` as a quoted identifier: `"x"` in DuckDB, `` `x` `` in Spark.
    pub fn ident(self, name: &str) -> String {
        match self {
            Engine::DuckDb => format!("\"{}\"", name.replace('"', "\"\"")),
            Engine::SparkSql => format!("`{}`", name.replace('`', "``")),
        }
    }

    /// `value` as a string literal. DuckDB doubles quotes and has no
    /// escapes, so control characters are joined on with `chr`; Spark reads
    /// backslash escapes (and `'a''b'` as two literals, "ab"), so quotes and
    /// backslashes are escaped.
    pub fn text(self, value: &str) -> String {
        match self {
            Engine::DuckDb => {
                if !value.chars().any(char::is_control) {
                    return format!("'{}'", value.replace('\'', "''"));
                }
                let mut parts: Vec<String> = Vec::new();
                let mut run = String::new();
                for c in value.chars() {
                    if c.is_control() {
                        if !run.is_empty() {
                            parts.push(format!(
                                "'{}'",
                                std::mem::take(&mut run).replace('\'', "''")
                            ));
                        }
                        parts.push(format!("chr({})", c as u32));
                    } else {
                        run.push(c);
                    }
                }
                if !run.is_empty() {
                    parts.push(format!("'{}'", run.replace('\'', "''")));
                }
                format!("({})", parts.join(" || "))
            }
            Engine::SparkSql => {
                let mut out = String::from("'");
                for c in value.chars() {
                    match c {
                        '\\' => out.push_str("\\\\"),
                        '\'' => out.push_str("\\'"),
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        '\t' => out.push_str("\\t"),
                        c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
                        c => out.push(c),
                    }
                }
                out.push('\'');
                out
            }
        }
    }

    /// A DOUBLE literal in the exponent form both engines read as a double,
    /// where `2.5` would be a DECIMAL: the shortest digits that read back
    /// exactly, then `e0` (`2.5e0`, `70.5e0`).
    pub fn float(self, v: f64) -> String {
        if v.is_finite() {
            let plain = format!("{v}");
            return if plain.len() <= 18 {
                format!("{plain}e0")
            } else {
                number(v)
            };
        }
        let word = match (self, v.is_nan(), v > 0.0) {
            (Engine::DuckDb, true, _) => "nan",
            (Engine::DuckDb, false, true) => "inf",
            (Engine::DuckDb, false, false) => "-inf",
            (Engine::SparkSql, true, _) => "NaN",
            (Engine::SparkSql, false, true) => "Infinity",
            (Engine::SparkSql, false, false) => "-Infinity",
        };
        format!("CAST('{word}' AS DOUBLE)")
    }

    /// The SQL type of a field of type `ty`.
    pub fn sql_type(ty: ColumnType) -> SqlType {
        match ty {
            ColumnType::Integer => SqlType::Integer,
            ColumnType::Float => SqlType::Float,
            ColumnType::Boolean => SqlType::Boolean,
            ColumnType::Categorical | ColumnType::Text => SqlType::Text,
        }
    }

    /// The type the app's `ty` is written as: its integers are 64-bit.
    pub fn type_name(self, ty: SqlType) -> &'static str {
        match (self, ty) {
            (_, SqlType::Integer) => "BIGINT",
            (_, SqlType::Float) => "DOUBLE",
            (_, SqlType::Boolean) => "BOOLEAN",
            (Engine::DuckDb, SqlType::Text) => "VARCHAR",
            (Engine::SparkSql, SqlType::Text) => "STRING",
        }
    }

    /// `CAST(x AS …)`, or the cast that gives NULL instead of failing.
    pub fn cast(self, x: &str, ty: SqlType, try_cast: bool) -> String {
        let kind = match (self, try_cast) {
            (_, false) => "CAST",
            (Engine::DuckDb, true) => "TRY_CAST",
            (Engine::SparkSql, true) => "try_cast",
        };
        format!("{kind}({x} AS {})", self.type_name(ty))
    }

    /// Whether all of `x` matches the regular expression `re`.
    fn full_match(self, x: &str, re: &str) -> String {
        match self {
            Engine::DuckDb => format!("regexp_full_match({x}, {})", self.text(re)),
            // RLIKE finds the pattern anywhere; \z is the very end.
            Engine::SparkSql => format!("{x} RLIKE {}", self.text(&format!("^(?:{re})\\z"))),
        }
    }

    /// `x` without the ASCII whitespace the app trims from a cell (standard
    /// SQL: DuckDB, PostgreSQL and Spark all read it).
    fn trim_cell(self, x: &str) -> String {
        format!("trim(BOTH {} FROM {x})", self.text(" \t\n\u{c}\r"))
    }

    /// Whether the text `x` is a cell the app reads as empty: blank, `NA`,
    /// `N/A` or `null` in any case.
    fn empty_cell(self, x: &str) -> String {
        format!("lower({}) IN ('', 'na', 'n/a', 'null')", self.trim_cell(x))
    }

    /// The app's reading of a value `x` of any type as a number, in SQL
    /// that DuckDB, PostgreSQL and Spark each run on a table read as they
    /// read a CSV by default (a number column may be text there, with blanks
    /// and junk): its text, trimmed, is a number or NULL. No engine-only
    /// function: a regular-expression match (`~` in DuckDB and PostgreSQL,
    /// RLIKE in Spark), then a plain CAST of text known to read.
    pub fn read_number(self, x: &str) -> String {
        let (text, double, matches) = match self {
            Engine::DuckDb => ("VARCHAR", "DOUBLE PRECISION", "~"),
            Engine::SparkSql => ("STRING", "DOUBLE", "RLIKE"),
        };
        let trimmed = self.trim_cell(&format!("CAST({x} AS {text})"));
        format!(
            "CASE WHEN {trimmed} {matches} {} THEN CAST({trimmed} AS {double}) END",
            self.text(&format!("^{NUMBER_RE}$"))
        )
    }

    /// Whether a value `x` of any type is empty as the app reads a cell
    /// (NULL, blank, `NA`, `N/A`, `null`), in SQL every engine runs.
    pub fn is_empty_value(self, x: &str) -> String {
        let text = match self {
            Engine::DuckDb => "VARCHAR",
            Engine::SparkSql => "STRING",
        };
        format!(
            "({x} IS NULL OR {})",
            self.empty_cell(&format!("CAST({x} AS {text})"))
        )
    }

    /// The app's reading of the text `x` as a value of `ty`, as the CSV
    /// reader and a retype do it: empty, blank, `NA`, `N/A` and `null` are
    /// NULL; a number is optionally signed digits (with a fraction and an
    /// exponent for a float) between spaces; a boolean is `true` or `false`
    /// in any case; text is kept as it is, spaces included. A cell that does
    /// not read becomes NULL, as in the app.
    pub fn parse_cell(self, ty: ColumnType, x: &str) -> String {
        let s = SPACE_RE;
        match ty {
            ColumnType::Integer => format!(
                "CASE WHEN {} THEN {} END",
                self.full_match(x, &format!("{s}*[+-]?[0-9]+{s}*")),
                self.cast(&self.trim_cell(x), SqlType::Integer, true)
            ),
            ColumnType::Float => format!(
                "CASE WHEN {} THEN {} END",
                self.full_match(x, &format!("{s}*{NUMBER_RE}{s}*")),
                self.cast(&self.trim_cell(x), SqlType::Float, true)
            ),
            ColumnType::Boolean => format!(
                "CASE lower({}) WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE END",
                self.trim_cell(x)
            ),
            ColumnType::Categorical | ColumnType::Text => {
                format!("CASE WHEN {} THEN NULL ELSE {x} END", self.empty_cell(x))
            }
        }
    }

    /// A field of type `from` retyped to `to` as `cast_column` does it:
    /// numbers and booleans convert directly (a float only when whole, a
    /// number to a boolean only from 0 and 1), everything else through the
    /// value's text read back as a cell of the new type.
    pub fn retype(self, from: ColumnType, to: ColumnType, x: &str) -> String {
        use ColumnType::*;
        let text_like = |t: ColumnType| matches!(t, Categorical | Text);
        match (from, to) {
            (a, b) if a == b => x.to_owned(),
            (Integer | Boolean, Float) => self.cast(x, SqlType::Float, false),
            (Boolean, Integer) => self.cast(x, SqlType::Integer, false),
            (Float, Integer) => {
                format!(
                    "CASE WHEN {x} % 1 = 0 AND abs({x}) < 9.2e18 THEN {} END",
                    self.cast(x, SqlType::Integer, false)
                )
            }
            (Integer | Float, Boolean) => {
                format!("CASE WHEN {x} = 0 THEN FALSE WHEN {x} = 1 THEN TRUE END")
            }
            (a, b) if text_like(a) && text_like(b) => self.parse_cell(b, x),
            (a, b) if text_like(a) => self.parse_cell(b, x),
            (_, b) => self.parse_cell(b, &self.cast(x, SqlType::Text, false)),
        }
    }

    /// Where the engine writes a double as text differently from the app,
    /// which writes every digit (`format_float`).
    pub fn float_text_caveat(self) -> &'static str {
        match self {
            Engine::DuckDb => "DuckDB writes doubles below 1e-4 or from 1e15 in exponent form (1e-05), the app with every digit",
            Engine::SparkSql => "Spark writes doubles below 1e-3 or from 1e7 in exponent form (1.0E7), the app with every digit",
        }
    }
}

/// A double literal that reads back exactly, in exponent form (`3.5e-1`):
/// every engine reads it as a double.
pub fn number(v: f64) -> String {
    if v.is_finite() {
        format!("{v:e}")
    } else {
        "0e0".into()
    }
}

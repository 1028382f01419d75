//! The saved datasets as one SQL script for DuckDB or Spark SQL: the table
//! `churn` read from the original CSV and typed as the app typed it, then
//! every saved dataset as a view under its name, each after the datasets it
//! reads, its query rewritten for the engine and its field edits applied
//! in a final SELECT.
//!
//! What the app does and records (see `ui::data::datasets`): a query runs
//! against `churn` (and `churn_prototype`), which is whichever dataset was
//! *active*, against the loaded file under its own name, and against every
//! saved dataset by name; saving keeps the SQL and the result. Field edits
//! (rename, clone, hide, role, type) change the active dataset's table, the
//! base one included, and later queries see the edited fields; the app
//! keeps the edited tables, not the list of edits, so the caller passes
//! the edits ([`EditStep`]) and what `churn` meant ([`DatasetToExport::churn`]).
//!
//! The app's dialect is DuckDB's in meaning with Impala's leniency in
//! names; the script spells out what it decides. The rewriting walks the
//! parsed statement (`rewrite`, `expr`, `calls`); the shapes of the results
//! come from the app's engine run on empty tables. Every place where the
//! app and the engine read the SQL differently is listed in the script's
//! opening comment with what was written instead; what cannot be written
//! is refused with an [`ExportError`] naming the dataset and the construct.

mod calls;
mod dialect;
mod expr;
mod out;
mod rewrite;

pub use dialect::{number, Engine};

use arrow_array::{BooleanArray, Float64Array, Int64Array, StringArray, UInt16Array};

use crate::data::catalog::{ActiveRef, SavedEntry};
pub use crate::data::fields::EditStep;
use crate::data::fields::{edit_field, FieldEdit};
use crate::data::table::{categorical_from_parts, Column, ColumnData, ColumnType, Table};
use crate::query::{run_sql, Catalog};
use rewrite::{Named, Rewriter};

/// Names that always mean the active dataset in the app's queries.
const ACTIVE_NAMES: [&str; 2] = ["churn", "churn_prototype"];

/// The view the loaded file becomes.
const BASE_VIEW: &str = "churn";


/// A saved dataset: its name, the SQL that made it and its field edits.
#[derive(Clone, Debug, PartialEq)]
pub struct DatasetToExport {
    pub name: String,
    pub sql: String,
    /// What `churn` meant when the query ran: the dataset active then.
    pub churn: ActiveRef,
    /// Its field edits, in order.
    pub edits: Vec<EditStep>,
}

impl DatasetToExport {
    /// A dataset whose query ran with the loaded file active, not edited since.
    pub fn new(name: impl Into<String>, sql: impl Into<String>) -> DatasetToExport {
        DatasetToExport { name: name.into(), sql: sql.into(), churn: ActiveRef::Base, edits: Vec::new() }
    }

    pub fn from_entry(entry: &SavedEntry) -> DatasetToExport {
        DatasetToExport { name: entry.name.clone(), sql: entry.sql.clone(), churn: entry.churn.clone(), edits: entry.edits.clone() }
    }
}

/// A column of the CSV, typed as the app read it.
#[derive(Clone, Debug, PartialEq)]
pub struct BaseColumn {
    pub name: String,
    pub ty: ColumnType,
}

/// The engine, the file and its typing.
#[derive(Clone, Debug, PartialEq)]
pub struct ScriptOptions {
    pub engine: Engine,
    /// The CSV as the engine will find it (a path or URL), written as is.
    pub csv_path: String,
    pub delimiter: char,
    /// The loaded table's own name, which queries may use besides `churn`.
    pub base_name: String,
    /// The file's columns in file order, as loaded (before field edits).
    pub columns: Vec<BaseColumn>,
    /// The loaded dataset's field edits, in order.
    pub base_edits: Vec<EditStep>,
}

impl ScriptOptions {
    /// Options for the table `loaded`, as the CSV was read into it (types
    /// inferred or chosen at load time; field edits go in `base_edits`).
    pub fn new(engine: Engine, csv_path: impl Into<String>, loaded: &Table) -> ScriptOptions {
        ScriptOptions {
            engine,
            csv_path: csv_path.into(),
            delimiter: ',',
            base_name: loaded.name().to_owned(),
            columns: loaded.columns().iter().map(|c| BaseColumn { name: c.name.clone(), ty: c.column_type() }).collect(),
            base_edits: Vec::new(),
        }
    }
}

/// Why the script cannot be written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    #[error("dataset \"{dataset}\": {construct} cannot be written for {engine}")]
    Unsupported { dataset: String, construct: String, engine: &'static str },
    #[error("dataset \"{dataset}\": the app cannot run its SQL on these tables ({message}), so there is nothing to export")]
    AppRejects { dataset: String, message: String },
    #[error("dataset \"{dataset}\" reads \"{table}\", which is neither churn, the loaded file nor a dataset being exported")]
    UnknownTable { dataset: String, table: String },
    #[error("the datasets {0} read each other in a cycle")]
    Cycle(String),
    #[error("dataset \"{dataset}\": the field edit {edit} does not apply: {message}")]
    Edit { dataset: String, edit: String, message: String },
    #[error("\"{0}\" cannot name a dataset here: it is empty, taken by another dataset, or means churn or the loaded file")]
    BadName(String),
    #[error("the loaded file's columns cannot form a table: {0}")]
    BadColumns(String),
    #[error("the CSV path is empty")]
    NoPath,
}

/// A field of a view: its name, the expression that computes it, its type.
#[derive(Clone, Debug)]
struct Field {
    name: String,
    expr: String,
    ty: ColumnType,
    hidden: bool,
}

/// A dataset written: its final fields, its query and what was noted.
struct Written {
    table: Table,
    fields: Vec<Field>,
    query: String,
    notes: Vec<String>,
}

fn empty_column(ty: ColumnType) -> ColumnData {
    match ty {
        ColumnType::Integer => ColumnData::Integer(Int64Array::from(Vec::<i64>::new())),
        ColumnType::Float => ColumnData::Float(Float64Array::from(Vec::<f64>::new())),
        ColumnType::Boolean => ColumnData::Boolean(BooleanArray::from(Vec::<bool>::new())),
        ColumnType::Categorical => ColumnData::Categorical(categorical_from_parts(UInt16Array::from(Vec::<u16>::new()), StringArray::from(Vec::<&str>::new()))),
        ColumnType::Text => ColumnData::Text(StringArray::from(Vec::<&str>::new())),
    }
}

fn describe(step: &EditStep) -> String {
    let what = match &step.edit {
        FieldEdit::Rename { to } => format!("rename to \"{to}\""),
        FieldEdit::Clone => "clone".to_owned(),
        FieldEdit::SetRole(role) => format!("role {role:?}"),
        FieldEdit::SetHidden(h) => if *h { "hide" } else { "show" }.to_owned(),
        FieldEdit::Retype(t) => format!("retype to {}", t.label()),
    };
    format!("{what} of \"{}\"", step.field)
}

/// Applies `edits` to `table` with the app's own `edit_field`, keeping the
/// SQL of each field alongside.
fn apply_edits(engine: Engine, dataset: &str, mut table: Table, mut fields: Vec<Field>, edits: &[EditStep], notes: &mut Vec<String>) -> Result<(Table, Vec<Field>), ExportError> {
    for step in edits {
        let fail = |message: String| ExportError::Edit { dataset: dataset.to_owned(), edit: describe(step), message };
        let (next, outcome) = edit_field(&table, &step.field, &step.edit).map_err(|e| fail(e.to_string()))?;
        let index = table.column_index(&step.field).filter(|i| *i < fields.len()).ok_or_else(|| fail("no such field".into()))?;
        match &step.edit {
            FieldEdit::Rename { .. } => fields[index].name = outcome.field.clone(),
            FieldEdit::Clone => {
                let copy = Field { name: outcome.field.clone(), hidden: false, ..fields[index].clone() };
                fields.insert(index + 1, copy);
            }
            FieldEdit::SetRole(_) => {}
            FieldEdit::SetHidden(hidden) => fields[index].hidden = *hidden,
            FieldEdit::Retype(to) => {
                let from = fields[index].ty;
                if from == ColumnType::Float && matches!(to, ColumnType::Text | ColumnType::Categorical) {
                    notes.push(format!("{}: {}", describe(step), engine.float_text_caveat()));
                }
                fields[index].expr = engine.retype(from, *to, &fields[index].expr);
                fields[index].ty = *to;
            }
        }
        table = next;
    }
    Ok((table, fields))
}

/// The datasets in an order where each comes after those it reads, else
/// the indices caught in a cycle.
fn dependency_order(reads: &[Vec<usize>]) -> Result<Vec<usize>, Vec<usize>> {
    let mut done = vec![false; reads.len()];
    let mut order = Vec::with_capacity(reads.len());
    while order.len() < reads.len() {
        match (0..reads.len()).find(|&i| !done[i] && reads[i].iter().all(|&d| done[d])) {
            Some(i) => {
                done[i] = true;
                order.push(i);
            }
            None => return Err((0..reads.len()).filter(|&i| !done[i]).collect()),
        }
    }
    Ok(order)
}

/// Which dataset (by index) or the base (`None`) a table name in `entry`'s
/// query means, as the app's catalog resolves it: saved names, then the
/// loaded file's name, then `churn` for the dataset active then.
fn resolve(name: &str, entry: &DatasetToExport, entries: &[DatasetToExport], base_name: &str) -> Result<Option<usize>, ExportError> {
    let unknown = || ExportError::UnknownTable { dataset: entry.name.clone(), table: name.to_owned() };
    if let Some(i) = entries.iter().position(|e| e.name.eq_ignore_ascii_case(name)) {
        return Ok(Some(i));
    }
    if base_name.eq_ignore_ascii_case(name) {
        return Ok(None);
    }
    if !ACTIVE_NAMES.iter().any(|n| n.eq_ignore_ascii_case(name)) {
        return Err(unknown());
    }
    match &entry.churn {
        ActiveRef::Base => Ok(None),
        ActiveRef::Saved { name: active } => entries.iter().position(|e| e.name.eq_ignore_ascii_case(active)).map(Some).ok_or_else(unknown),
    }
}

/// `fields` as a select list (hidden ones left out unless `keep` names them).
fn projection(engine: Engine, fields: &[Field], keep: &[String]) -> Vec<String> {
    fields
        .iter()
        .filter(|f| !f.hidden || keep.iter().any(|k| k.eq_ignore_ascii_case(&f.name)))
        .map(|f| {
            let name = engine.ident(&f.name);
            if f.expr == name {
                name
            } else {
                format!("{} AS {name}", f.expr)
            }
        })
        .collect()
}

fn comment(text: &str) -> String {
    text.lines().map(|l| format!("-- {l}").trim_end().to_owned()).collect::<Vec<_>>().join("\n")
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The script that recreates `churn` and `entries` in `options.engine`.
pub fn datasets_script(entries: &[DatasetToExport], options: &ScriptOptions) -> Result<String, ExportError> {
    let engine = options.engine;
    if options.csv_path.trim().is_empty() {
        return Err(ExportError::NoPath);
    }
    for (i, e) in entries.iter().enumerate() {
        let reserved = ACTIVE_NAMES.iter().any(|n| n.eq_ignore_ascii_case(&e.name)) || e.name.eq_ignore_ascii_case(&options.base_name);
        if e.name.trim().is_empty() || reserved || entries[..i].iter().any(|o| o.name.eq_ignore_ascii_case(&e.name)) {
            return Err(ExportError::BadName(e.name.clone()));
        }
    }

    // churn: the file's cells read as the app reads them, then its edits.
    let loaded_columns = options.columns.iter().map(|c| Column::new(c.name.clone(), empty_column(c.ty))).collect();
    let loaded = Table::try_new(options.base_name.clone(), loaded_columns).map_err(|e| ExportError::BadColumns(e.to_string()))?;
    let raw: Vec<Field> = options.columns.iter().map(|c| Field { name: c.name.clone(), expr: engine.parse_cell(c.ty, &engine.ident(&c.name)), ty: c.ty, hidden: false }).collect();
    let mut base_notes = Vec::new();
    let (base_table, base_fields) = apply_edits(engine, BASE_VIEW, loaded, raw, &options.base_edits, &mut base_notes)?;

    // What each dataset reads, and an order that puts those first.
    let mut reads: Vec<Vec<usize>> = Vec::with_capacity(entries.len());
    let mut reads_active: Vec<bool> = Vec::with_capacity(entries.len());
    for e in entries {
        let query = rewrite::parse(&e.sql).map_err(|message| ExportError::AppRejects { dataset: e.name.clone(), message })?;
        let mut names = Vec::new();
        rewrite::tables_read(&query, &mut names);
        let mut deps = Vec::new();
        for n in &names {
            if let Some(i) = resolve(n, e, entries, &options.base_name)? {
                deps.push(i);
            }
        }
        reads.push(deps);
        let means_active = |n: &String| ACTIVE_NAMES.iter().any(|a| a.eq_ignore_ascii_case(n)) && !n.eq_ignore_ascii_case(&options.base_name) && !entries.iter().any(|o| o.name.eq_ignore_ascii_case(n));
        reads_active.push(names.iter().any(means_active));
    }
    let order = dependency_order(&reads).map_err(|stuck| ExportError::Cycle(stuck.iter().map(|&i| format!("\"{}\"", entries[i].name)).collect::<Vec<_>>().join(", ")))?;

    // Each dataset: its shape from the app's engine, its query rewritten,
    // its edits applied. View 0 is churn, view i + 1 the dataset i.
    let mut written: Vec<Option<Written>> = (0..entries.len()).map(|_| None).collect();
    let mut hidden_used: Vec<(usize, String)> = Vec::new();
    let mut sorted = false;
    for &i in &order {
        let entry = &entries[i];
        let (shape, query, mut notes) = {
            let active = match &entry.churn {
                ActiveRef::Base => None,
                ActiveRef::Saved { name } => entries.iter().position(|e| e.name.eq_ignore_ascii_case(name)).filter(|j| written[*j].is_some()),
            };
            let (active_table, active_from, active_view) = match active.and_then(|j| written[j].as_ref().map(|w| (j, w))) {
                Some((j, w)) => (&w.table, engine.ident(&entries[j].name), j + 1),
                None => (&base_table, engine.ident(BASE_VIEW), 0),
            };
            let mut named: Vec<Named> = ACTIVE_NAMES.iter().map(|n| Named { name: (*n).to_owned(), from: active_from.clone(), table: active_table, view: active_view }).collect();
            named.push(Named { name: options.base_name.clone(), from: engine.ident(BASE_VIEW), table: &base_table, view: 0 });
            for (j, w) in written.iter().enumerate() {
                if let Some(w) = w {
                    named.push(Named { name: entries[j].name.clone(), from: engine.ident(&entries[j].name), table: &w.table, view: j + 1 });
                }
            }
            let catalog = named.iter().fold(Catalog::new(), |c, t| c.with(&t.name, t.table));
            let shape = run_sql(&entry.sql, &catalog).map_err(|e| ExportError::AppRejects { dataset: entry.name.clone(), message: e.to_string() })?;
            let statement = rewrite::parse(&entry.sql).map_err(|message| ExportError::AppRejects { dataset: entry.name.clone(), message })?;
            let mut rewriter = Rewriter::new(engine, &named, &catalog);
            let query = rewriter.query(&statement).map_err(|construct| ExportError::Unsupported { dataset: entry.name.clone(), construct, engine: engine.label() })?;
            if let (ActiveRef::Saved { name }, true) = (&entry.churn, active_view > 0 && reads_active[i]) {
                rewriter.note(format!("churn: meant the dataset {name}, active when the query ran; written as {active_from}"));
            }
            hidden_used.append(&mut rewriter.hidden_used);
            sorted |= rewriter.sorted;
            (shape, query, rewriter.notes)
        };
        let fields = shape.columns().iter().map(|c| Field { name: c.name.clone(), expr: engine.ident(&c.name), ty: c.column_type(), hidden: c.hidden }).collect();
        let (table, fields) = apply_edits(engine, &entry.name, shape, fields, &entry.edits, &mut notes)?;
        written[i] = Some(Written { table, fields, query, notes });
    }
    let kept = |view: usize| -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for (_, n) in hidden_used.iter().filter(|(v, _)| *v == view) {
            if !names.iter().any(|k| k.eq_ignore_ascii_case(n)) {
                names.push(n.clone());
            }
        }
        names
    };

    // The opening comment: what is where, and every difference.
    let mut differences: Vec<String> = base_notes.iter().map(|n| format!("{BASE_VIEW}: {n}")).collect();
    for &i in &order {
        if let Some(w) = &written[i] {
            differences.extend(w.notes.iter().map(|n| format!("{}: {n}", entries[i].name)));
        }
    }
    for (view, name) in std::iter::once((0, BASE_VIEW)).chain(order.iter().map(|&i| (i + 1, entries[i].name.as_str()))) {
        for field in kept(view) {
            differences.push(format!("{name}: the field {field} is hidden in the app (left out of *) but a later dataset names it; kept in the view"));
        }
    }
    if sorted {
        differences.push(format!("ORDER BY: each key is written with the app's NULL placement (last unless the query says NULLS FIRST); rows that tie on every key keep file order in the app, not necessarily in {}", engine.label()));
    }
    if engine == Engine::SparkSql {
        differences.push("Spark SQL 3.4 or later, default settings: with spark.sql.ansi.enabled (Spark 4's default) a failed CAST or a division by zero stops the query instead of giving NULL".into());
    }
    let view_list: Vec<String> = order.iter().map(|&i| entries[i].name.clone()).collect();
    let mut script = vec![
        format!("-- Churnlab: the table {BASE_VIEW} and {} saved dataset{} as {} views.", entries.len(), if entries.len() == 1 { "" } else { "s" }, engine.label()),
        format!("-- {BASE_VIEW} is read from {} and typed as the app typed it; then, each after those it reads: {}.", one_line(&options.csv_path), if view_list.is_empty() { "(none)".to_owned() } else { view_list.join(", ") }),
        match engine {
            Engine::DuckDb => "-- Run it with: duckdb churnlab.duckdb < this.sql".to_owned(),
            Engine::SparkSql => "-- Run it with: spark-sql -f this.sql (temporary views: they last for the session)".to_owned(),
        },
        "--".to_owned(),
        format!("-- Where the app's SQL and {} differ, and what this script wrote instead:", engine.label()),
    ];
    if differences.is_empty() {
        script.push("-- (nothing: every query means the same in both)".into());
    }
    script.extend(differences.iter().map(|d| format!("-- * {}", one_line(d))));
    script.push(String::new());

    // churn
    let types: Vec<String> = base_fields.iter().filter(|f| !f.hidden).map(|f| format!("{} {}", f.name, engine.type_name(Engine::sql_type(f.ty)))).collect();
    script.push(comment(&format!("{BASE_VIEW}: {}", types.join(", "))));
    let base_select = projection(engine, &base_fields, &kept(0)).join(",\n  ");
    let path = engine.text(&options.csv_path);
    let delimiter = engine.text(&options.delimiter.to_string());
    match engine {
        Engine::DuckDb => {
            let names: Vec<String> = options.columns.iter().map(|c| engine.text(&c.name)).collect();
            script.push(format!(
                "{} {} AS\nSELECT\n  {base_select}\nFROM read_csv({path}, header = true, all_varchar = true, delim = {delimiter}, quote = '\"', escape = '\"',\n  names = [{}]);\n",
                engine.create_view(),
                engine.ident(BASE_VIEW),
                names.join(", ")
            ));
        }
        Engine::SparkSql => {
            let raw = (1..).map(|n| if n == 1 { "churn_csv".to_owned() } else { format!("churn_csv_{n}") }).find(|n| !entries.iter().any(|e| e.name.eq_ignore_ascii_case(n))).unwrap_or_default();
            let schema: Vec<String> = options.columns.iter().map(|c| format!("{} STRING", engine.ident(&c.name))).collect();
            script.push(format!(
                "{} {} ({})\nUSING csv\nOPTIONS (path {path}, header 'true', sep {delimiter}, quote '\"', escape '\"', multiLine 'true');\n",
                engine.create_view(),
                engine.ident(&raw),
                schema.join(", ")
            ));
            script.push(format!("{} {} AS\nSELECT\n  {base_select}\nFROM {};\n", engine.create_view(), engine.ident(BASE_VIEW), engine.ident(&raw)));
        }
    }

    // The datasets.
    for &i in &order {
        let Some(w) = &written[i] else { continue };
        let entry = &entries[i];
        script.push(comment(&format!("{}: {}", entry.name, entry.sql.trim())));
        let keep = kept(i + 1);
        let list = projection(engine, &w.fields, &keep);
        // No edit that changes the SQL: the query is the view.
        let identity = list.len() == w.fields.len() && list.iter().zip(&w.fields).all(|(s, f)| *s == engine.ident(&f.name)) && w.fields.iter().map(|f| &f.name).eq(w.table.columns().iter().map(|c| &c.name));
        let body = if identity {
            w.query.clone()
        } else {
            let query = w.query.lines().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n");
            format!("SELECT\n  {}\nFROM (\n{query}\n) AS {}", list.join(",\n  "), engine.ident("saved"))
        };
        script.push(format!("{} {} AS\n{body};\n", engine.create_view(), engine.ident(&entry.name)));
    }
    Ok(script.join("\n"))
}

//! The views the script creates, as the app would see them: `churn` from
//! the file's columns, then each saved dataset after the datasets it reads
//! (each name resolved as the app's catalog resolves it), its shape from
//! the app's engine run on empty tables, its query rewritten over the views
//! before it and its field edits applied.

use arrow_array::{BooleanArray, Float64Array, Int64Array, StringArray, UInt16Array};

use super::fields::{apply_edits, Field};
use super::input::{DatasetToExport, ExportError, ScriptOptions, ACTIVE_NAMES, BASE_VIEW};
use super::rewrite::{self, Named, Rewriter};
use crate::data::catalog::ActiveRef;
use crate::data::table::{categorical_from_parts, Column, ColumnData, ColumnType, Table};
use crate::query::{run_sql, Catalog};

/// A dataset written: its final fields, its query and what was noted.
pub(super) struct Written {
    pub table: Table,
    pub fields: Vec<Field>,
    pub query: String,
    pub notes: Vec<String>,
}

/// The views worked out: `churn`'s fields and notes, the datasets' order
/// and each one written, the hidden fields later datasets name (by view: 0
/// is churn, i + 1 the dataset i) and whether any query sorts.
pub(super) struct Views {
    pub base_fields: Vec<Field>,
    pub base_notes: Vec<String>,
    pub order: Vec<usize>,
    pub written: Vec<Option<Written>>,
    pub hidden_used: Vec<(usize, String)>,
    pub sorted: bool,
}

fn empty_column(ty: ColumnType) -> ColumnData {
    match ty {
        ColumnType::Integer => ColumnData::Integer(Int64Array::from(Vec::<i64>::new())),
        ColumnType::Float => ColumnData::Float(Float64Array::from(Vec::<f64>::new())),
        ColumnType::Boolean => ColumnData::Boolean(BooleanArray::from(Vec::<bool>::new())),
        ColumnType::Categorical => ColumnData::Categorical(categorical_from_parts(
            UInt16Array::from(Vec::<u16>::new()),
            StringArray::from(Vec::<&str>::new()),
        )),
        ColumnType::Text => ColumnData::Text(StringArray::from(Vec::<&str>::new())),
    }
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
fn resolve(
    name: &str,
    entry: &DatasetToExport,
    entries: &[DatasetToExport],
    base_name: &str,
) -> Result<Option<usize>, ExportError> {
    let unknown = || ExportError::UnknownTable {
        dataset: entry.name.clone(),
        table: name.to_owned(),
    };
    if let Some(i) = entries
        .iter()
        .position(|e| e.name.eq_ignore_ascii_case(name))
    {
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
        ActiveRef::Saved { name: active } => entries
            .iter()
            .position(|e| e.name.eq_ignore_ascii_case(active))
            .map(Some)
            .ok_or_else(unknown),
    }
}

/// `churn` and `entries` as views, each dataset after those it reads.
pub(super) fn build(
    entries: &[DatasetToExport],
    options: &ScriptOptions,
) -> Result<Views, ExportError> {
    let engine = options.engine;
    // churn: the file's cells read as the app reads them, then its edits.
    let loaded_columns = options
        .columns
        .iter()
        .map(|c| Column::new(c.name.clone(), empty_column(c.ty)))
        .collect();
    let loaded = Table::try_new(options.base_name.clone(), loaded_columns)
        .map_err(|e| ExportError::BadColumns(e.to_string()))?;
    let raw: Vec<Field> = options
        .columns
        .iter()
        .map(|c| Field {
            name: c.name.clone(),
            expr: engine.parse_cell(c.ty, &engine.ident(&c.name)),
            ty: c.ty,
            hidden: false,
        })
        .collect();
    let mut base_notes = Vec::new();
    let (base_table, base_fields) = apply_edits(
        engine,
        BASE_VIEW,
        loaded,
        raw,
        &options.base_edits,
        &mut base_notes,
    )?;

    // What each dataset reads, and an order that puts those first.
    let mut reads: Vec<Vec<usize>> = Vec::with_capacity(entries.len());
    let mut reads_active: Vec<bool> = Vec::with_capacity(entries.len());
    for e in entries {
        let query = rewrite::parse(&e.sql).map_err(|message| ExportError::AppRejects {
            dataset: e.name.clone(),
            message,
        })?;
        let mut names = Vec::new();
        rewrite::tables_read(&query, &mut names);
        let mut deps = Vec::new();
        for n in &names {
            if let Some(i) = resolve(n, e, entries, &options.base_name)? {
                deps.push(i);
            }
        }
        reads.push(deps);
        let means_active = |n: &String| {
            ACTIVE_NAMES.iter().any(|a| a.eq_ignore_ascii_case(n))
                && !n.eq_ignore_ascii_case(&options.base_name)
                && !entries.iter().any(|o| o.name.eq_ignore_ascii_case(n))
        };
        reads_active.push(names.iter().any(means_active));
    }
    let order = dependency_order(&reads).map_err(|stuck| {
        ExportError::Cycle(
            stuck
                .iter()
                .map(|&i| format!("\"{}\"", entries[i].name))
                .collect::<Vec<_>>()
                .join(", "),
        )
    })?;

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
                ActiveRef::Saved { name } => entries
                    .iter()
                    .position(|e| e.name.eq_ignore_ascii_case(name))
                    .filter(|j| written[*j].is_some()),
            };
            let (active_table, active_from, active_view) =
                match active.and_then(|j| written[j].as_ref().map(|w| (j, w))) {
                    Some((j, w)) => (&w.table, engine.ident(&entries[j].name), j + 1),
                    None => (&base_table, engine.ident(BASE_VIEW), 0),
                };
            let mut named: Vec<Named> = ACTIVE_NAMES
                .iter()
                .map(|n| Named {
                    name: (*n).to_owned(),
                    from: active_from.clone(),
                    table: active_table,
                    view: active_view,
                })
                .collect();
            named.push(Named {
                name: options.base_name.clone(),
                from: engine.ident(BASE_VIEW),
                table: &base_table,
                view: 0,
            });
            for (j, w) in written.iter().enumerate() {
                if let Some(w) = w {
                    named.push(Named {
                        name: entries[j].name.clone(),
                        from: engine.ident(&entries[j].name),
                        table: &w.table,
                        view: j + 1,
                    });
                }
            }
            let catalog = named
                .iter()
                .fold(Catalog::new(), |c, t| c.with(&t.name, t.table));
            let shape = run_sql(&entry.sql, &catalog).map_err(|e| ExportError::AppRejects {
                dataset: entry.name.clone(),
                message: e.to_string(),
            })?;
            let statement =
                rewrite::parse(&entry.sql).map_err(|message| ExportError::AppRejects {
                    dataset: entry.name.clone(),
                    message,
                })?;
            let mut rewriter = Rewriter::new(engine, &named, &catalog);
            let query =
                rewriter
                    .query(&statement)
                    .map_err(|construct| ExportError::Unsupported {
                        dataset: entry.name.clone(),
                        construct,
                        engine: engine.label(),
                    })?;
            if let (ActiveRef::Saved { name }, true) =
                (&entry.churn, active_view > 0 && reads_active[i])
            {
                rewriter.note(format!("churn: meant the dataset {name}, active when the query ran; written as {active_from}"));
            }
            hidden_used.append(&mut rewriter.hidden_used);
            sorted |= rewriter.sorted;
            (shape, query, rewriter.notes)
        };
        let fields = shape
            .columns()
            .iter()
            .map(|c| Field {
                name: c.name.clone(),
                expr: engine.ident(&c.name),
                ty: c.column_type(),
                hidden: c.hidden,
            })
            .collect();
        let (table, fields) =
            apply_edits(engine, &entry.name, shape, fields, &entry.edits, &mut notes)?;
        written[i] = Some(Written {
            table,
            fields,
            query,
            notes,
        });
    }
    Ok(Views {
        base_fields,
        base_notes,
        order,
        written,
        hidden_used,
        sorted,
    })
}

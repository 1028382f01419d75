//! A view's fields as SQL: each one's name, the expression that computes
//! it, its type and whether it is hidden; the app's field edits applied to
//! them with its own `edit_field`; and the select list they make.

use super::dialect::Engine;
use super::input::ExportError;
use crate::data::fields::{edit_field, EditStep, FieldEdit};
use crate::data::table::{ColumnType, Table};

/// A field of a view: its name, the expression that computes it, its type.
#[derive(Clone, Debug)]
pub(super) struct Field {
    pub name: String,
    pub expr: String,
    pub ty: ColumnType,
    pub hidden: bool,
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
pub(super) fn apply_edits(
    engine: Engine,
    dataset: &str,
    mut table: Table,
    mut fields: Vec<Field>,
    edits: &[EditStep],
    notes: &mut Vec<String>,
) -> Result<(Table, Vec<Field>), ExportError> {
    for step in edits {
        let fail = |message: String| ExportError::Edit {
            dataset: dataset.to_owned(),
            edit: describe(step),
            message,
        };
        let (next, outcome) =
            edit_field(&table, &step.field, &step.edit).map_err(|e| fail(e.to_string()))?;
        let index = table
            .column_index(&step.field)
            .filter(|i| *i < fields.len())
            .ok_or_else(|| fail("no such field".into()))?;
        match &step.edit {
            FieldEdit::Rename { .. } => fields[index].name = outcome.field.clone(),
            FieldEdit::Clone => {
                let copy = Field {
                    name: outcome.field.clone(),
                    hidden: false,
                    ..fields[index].clone()
                };
                fields.insert(index + 1, copy);
            }
            FieldEdit::SetRole(_) => {}
            FieldEdit::SetHidden(hidden) => fields[index].hidden = *hidden,
            FieldEdit::Retype(to) => {
                let from = fields[index].ty;
                if from == ColumnType::Float
                    && matches!(to, ColumnType::Text | ColumnType::Categorical)
                {
                    notes.push(format!(
                        "{}: {}",
                        describe(step),
                        engine.float_text_caveat()
                    ));
                }
                fields[index].expr = engine.retype(from, *to, &fields[index].expr);
                fields[index].ty = *to;
            }
        }
        table = next;
    }
    Ok((table, fields))
}

/// `fields` as a select list (hidden ones left out unless `keep` names them).
pub(super) fn projection(engine: Engine, fields: &[Field], keep: &[String]) -> Vec<String> {
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

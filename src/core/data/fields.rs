//! Editing a dataset's fields: rename, clone, hide, change the role
//! (dimension or measure) and the type. Each edit returns a new table; the
//! columns themselves are never changed in place.

use serde::{Deserialize, Serialize};

use crate::data::cast::{cast_column, CastReport};
use crate::data::table::{Column, ColumnType, Role, Table};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    #[error("there is no field \"{0}\"")]
    Missing(String),
    #[error("a field name cannot be empty")]
    EmptyName,
    #[error("there is already a field called \"{0}\"")]
    Taken(String),
}

/// One edit of one field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum FieldEdit {
    Rename { to: String },
    Clone,
    SetRole(Role),
    SetHidden(bool),
    Retype(ColumnType),
}

/// One field edit as the user made it, kept so it can be replayed (the
/// dataset export writes each one for the engine).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditStep {
    /// The field's name when the edit was made.
    pub field: String,
    pub edit: FieldEdit,
}

/// What an edit did besides changing the table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EditOutcome {
    /// For a retype: values that did not convert and became empty.
    pub cast: Option<CastReport>,
    /// The field the edit made or renamed (a clone's new name).
    pub field: String,
}

fn unique_name(table: &Table, wanted: &str) -> String {
    if table.column(wanted).is_none() {
        return wanted.to_owned();
    }
    (2..)
        .map(|n| format!("{wanted} {n}"))
        .find(|n| table.column(n).is_none())
        .unwrap_or_else(|| wanted.to_owned())
}

/// Applies `edit` to field `name` of `table`.
pub fn edit_field(
    table: &Table,
    name: &str,
    edit: &FieldEdit,
) -> Result<(Table, EditOutcome), FieldError> {
    let index = table
        .column_index(name)
        .ok_or_else(|| FieldError::Missing(name.to_owned()))?;
    let mut columns: Vec<Column> = table.columns().to_vec();
    let mut outcome = EditOutcome {
        field: columns[index].name.clone(),
        ..EditOutcome::default()
    };
    match edit {
        FieldEdit::Rename { to } => {
            let to = to.trim();
            if to.is_empty() {
                return Err(FieldError::EmptyName);
            }
            if columns
                .iter()
                .enumerate()
                .any(|(i, c)| i != index && c.name.eq_ignore_ascii_case(to))
            {
                return Err(FieldError::Taken(to.to_owned()));
            }
            columns[index].name = to.to_owned();
            outcome.field = to.to_owned();
        }
        FieldEdit::Clone => {
            let copy_name = unique_name(table, &format!("Copy of {}", columns[index].name));
            let copy = Column {
                name: copy_name.clone(),
                hidden: false,
                ..columns[index].clone()
            };
            columns.insert(index + 1, copy);
            outcome.field = copy_name;
        }
        FieldEdit::SetRole(role) => columns[index].role = *role,
        FieldEdit::SetHidden(hidden) => columns[index].hidden = *hidden,
        FieldEdit::Retype(to) => {
            let (data, report) = cast_column(&columns[index].data, *to);
            let role = if columns[index].column_type().is_numeric() == to.is_numeric() {
                columns[index].role
            } else {
                Role::default_for(*to)
            };
            columns[index] = Column {
                data,
                role,
                ..columns[index].clone()
            };
            outcome.cast = Some(report);
        }
    }
    let table =
        Table::try_new(table.name(), columns).map_err(|e| FieldError::Taken(e.to_string()))?;
    Ok((table, outcome))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::synth::generate;

    #[test]
    fn the_workshop_clones_churn_and_makes_the_copy_an_integer_measure() {
        let t = generate(200, 1);
        let (t, out) = edit_field(&t, "churn", &FieldEdit::Clone).unwrap();
        assert_eq!(out.field, "Copy of Churn");
        let copy = t.column("Copy of Churn").unwrap();
        assert_eq!(copy.role, Role::Dimension);
        assert_eq!(
            t.column_index("Copy of Churn"),
            Some(t.column_index("Churn").unwrap() + 1)
        );
        let (t, _) = edit_field(&t, "Copy of Churn", &FieldEdit::SetRole(Role::Measure)).unwrap();
        let (t, out) =
            edit_field(&t, "Copy of Churn", &FieldEdit::Retype(ColumnType::Integer)).unwrap();
        let copy = t.column("Copy of Churn").unwrap();
        assert_eq!(copy.column_type(), ColumnType::Integer);
        assert_eq!(copy.role, Role::Measure);
        // Yes/No are not numbers: every value fails and is counted.
        assert_eq!(out.cast.unwrap().failed, 200);
        assert_eq!(
            t.column("Churn").unwrap().column_type(),
            ColumnType::Categorical,
            "the original is untouched"
        );
    }

    #[test]
    fn rename_checks_names_and_clone_names_are_unique() {
        let t = generate(10, 1);
        assert_eq!(
            edit_field(
                &t,
                "tenure",
                &FieldEdit::Rename {
                    to: "Contract".into()
                }
            )
            .unwrap_err(),
            FieldError::Taken("Contract".into())
        );
        assert_eq!(
            edit_field(&t, "tenure", &FieldEdit::Rename { to: "  ".into() }).unwrap_err(),
            FieldError::EmptyName
        );
        assert_eq!(
            edit_field(&t, "nope", &FieldEdit::Clone).unwrap_err(),
            FieldError::Missing("nope".into())
        );
        let (t, out) = edit_field(
            &t,
            "tenure",
            &FieldEdit::Rename {
                to: "Tenure".into(),
            },
        )
        .unwrap();
        assert_eq!(out.field, "Tenure");
        let (t, _) = edit_field(&t, "Tenure", &FieldEdit::Clone).unwrap();
        let (t, out) = edit_field(&t, "Tenure", &FieldEdit::Clone).unwrap();
        assert_eq!(out.field, "Copy of Tenure 2");
        let (t, _) = edit_field(&t, "gender", &FieldEdit::SetHidden(true)).unwrap();
        assert!(t.column("gender").unwrap().hidden);
    }
}

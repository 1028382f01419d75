//! What the app records about its datasets besides their tables: where the
//! loaded one came from, which one is active, and each saved query result's
//! name, SQL and time, what `churn` meant and the edits made since.

use serde::{Deserialize, Serialize};

/// Where the active dataset came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Origin {
    Synthetic {
        seed: u64,
    },
    File {
        file_name: String,
    },
    Url {
        url: String,
    },
    /// A saved query result.
    Saved {
        name: String,
    },
}

/// Which dataset is active (the SQL table `churn`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ActiveRef {
    /// The loaded file (or the default data).
    #[default]
    Base,
    Saved {
        name: String,
    },
}

/// A saved dataset's record: its name, the SQL that made it, and when;
/// which dataset `churn` meant then, and the field edits made since (so
/// the dataset export can replay them; records from before have none).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedEntry {
    pub name: String,
    pub sql: String,
    pub created_ms: f64,
    #[serde(default)]
    pub churn: ActiveRef,
    #[serde(default)]
    pub edits: Vec<crate::data::fields::EditStep>,
}

/// The loaded file's history: its field edits since it was loaded, and its
/// fields as loaded (empty in records from before they were kept).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BaseHistory {
    #[serde(default)]
    pub edits: Vec<crate::data::fields::EditStep>,
    #[serde(default)]
    pub loaded: Vec<(String, crate::data::table::ColumnType)>,
}

impl SavedEntry {
    /// A record of a result saved from the base dataset, with no edits yet.
    pub fn new(name: impl Into<String>, sql: impl Into<String>, created_ms: f64) -> SavedEntry {
        SavedEntry {
            name: name.into(),
            sql: sql.into(),
            created_ms,
            churn: ActiveRef::Base,
            edits: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::fields::{EditStep, FieldEdit};
    use crate::data::table::ColumnType;

    #[test]
    fn records_from_before_read_as_saved_from_the_base_with_no_edits() {
        let old: SavedEntry =
            serde_json::from_str(r#"{"name":"seniors","sql":"SELECT 1","created_ms":5.0}"#)
                .unwrap();
        assert_eq!(old, SavedEntry::new("seniors", "SELECT 1", 5.0));
    }

    #[test]
    fn edits_and_what_churn_meant_are_kept() {
        let entry = SavedEntry {
            churn: ActiveRef::Saved {
                name: "seniors".into(),
            },
            edits: vec![
                EditStep {
                    field: "tenure".into(),
                    edit: FieldEdit::Rename {
                        to: "months".into(),
                    },
                },
                EditStep {
                    field: "SeniorCitizen".into(),
                    edit: FieldEdit::Retype(ColumnType::Categorical),
                },
                EditStep {
                    field: "Churn".into(),
                    edit: FieldEdit::Clone,
                },
            ],
            ..SavedEntry::new("x", "SELECT * FROM churn", 1.0)
        };
        let text = serde_json::to_string(&entry).unwrap();
        assert_eq!(serde_json::from_str::<SavedEntry>(&text).unwrap(), entry);
    }
}

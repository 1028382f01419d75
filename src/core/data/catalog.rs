//! What the app records about its datasets besides their tables: where the
//! loaded one came from, which one is active, and each saved query result's
//! name, SQL and time.

use serde::{Deserialize, Serialize};

/// Where the active dataset came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Origin {
    Synthetic { seed: u64 },
    File { file_name: String },
    Url { url: String },
    /// A saved query result.
    Saved { name: String },
}

/// Which dataset is active (the SQL table `churn`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ActiveRef {
    /// The loaded file (or the default data).
    Base,
    Saved { name: String },
}

/// A saved dataset's record: its name, the SQL that made it, and when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedEntry {
    pub name: String,
    pub sql: String,
    pub created_ms: f64,
}

//! Helpers shared by the native integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

use churnlab::core::ingest::{ingest_bytes, IngestOptions};
use churnlab::core::table::Table;

/// The real IBM sample, kept outside the repository in `../shared/data`.
pub fn real_data_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/telco-churn.csv")
}

/// The real file, ingested the way the browser does (1 MiB chunks).
pub fn real_table() -> Table {
    let path = real_data_path();
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("the real data must be at {}: {e}", path.display()));
    ingest_bytes(&bytes, IngestOptions::new("telco-churn"), 1 << 20).expect("the real file loads").0
}

/// Share of rows holding each label of a categorical column, by label.
pub fn shares(table: &Table, column: &str) -> Vec<(String, f64)> {
    let data = &table.column(column).unwrap_or_else(|| panic!("no column {column}")).data;
    let n = table.num_rows() as f64;
    let mut counts: Vec<(String, f64)> = Vec::new();
    for row in 0..table.num_rows() {
        let label = data.display(row).unwrap_or_else(|| "<null>".into());
        match counts.iter_mut().find(|(l, _)| *l == label) {
            Some((_, c)) => *c += 1.0,
            None => counts.push((label, 1.0)),
        }
    }
    for c in &mut counts {
        c.1 /= n;
    }
    counts.sort_by(|a, b| a.0.cmp(&b.0));
    counts
}

//! Helpers shared by the native integration tests.
// Each test binary includes this module and uses only some of its helpers.
#![allow(dead_code)]

pub mod cells;

use std::path::{Path, PathBuf};

use churnlab::core::data::fields::{edit_field, FieldEdit};
use churnlab::core::data::ingest::{ingest_bytes, IngestOptions};
use churnlab::core::data::table::{ColumnType, Table};

/// The real IBM sample, kept outside the repository in `../shared/data`.
pub fn real_data_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/telco-churn.csv")
}

/// The real file, ingested the way the browser does (1 MiB chunks).
pub fn real_table() -> Table {
    let path = real_data_path();
    let bytes = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("the real data must be at {}: {e}", path.display()));
    ingest_bytes(&bytes, IngestOptions::new("telco-churn"), 1 << 20)
        .expect("the real file loads")
        .0
}

/// The default pipeline fitted once (one C) on `table`, and the model saved
/// from it: the fixture of the parity tests.
pub fn plain_model(
    table: &Table,
) -> (
    churnlab::core::model::train::Trained,
    churnlab::core::model::pipeline::SavedModel,
) {
    use churnlab::core::model::config::{Mode, TrainConfig};
    let cfg = TrainConfig {
        mode: Mode::Plain,
        ..churnlab::core::model::defaults::default_config(table)
    };
    let trained = churnlab::core::model::train::train(table, &cfg, &mut |_, _| true)
        .expect("the default pipeline trains");
    let model = churnlab::core::model::pipeline::SavedModel::new("m", table, &cfg, &trained, None);
    (trained, model)
}

/// Share of rows holding each label of a categorical column, by label.
pub fn shares(table: &Table, column: &str) -> Vec<(String, f64)> {
    let data = &table
        .column(column)
        .unwrap_or_else(|| panic!("no column {column}"))
        .data;
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

/// Runs `tests/python/<script>` from the test venv on `payload` (written as
/// JSON) and returns the JSON it writes. Extra arguments come first.
pub fn run_python(
    script: &str,
    args: &[&std::path::Path],
    payload: &serde_json::Value,
) -> serde_json::Value {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let python = root.join(".venv/bin/python");
    assert!(
        python.exists(),
        "{script} runs from the test venv: run `scripts/setup --test` first ({} is missing)",
        python.display()
    );
    // One folder per call: tests of one binary run in parallel.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("churnlab-{script}-{}-{call}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (input, output) = (dir.join("in.json"), dir.join("out.json"));
    std::fs::write(&input, payload.to_string()).unwrap();
    let status = std::process::Command::new(python)
        .arg(root.join("tests/python").join(script))
        .args(args)
        .arg(&input)
        .arg(&output)
        .status()
        .unwrap();
    assert!(status.success(), "{script} failed");
    let out = serde_json::from_str(&std::fs::read_to_string(&output).unwrap()).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    out
}

/// The real file with cells an engine reads differently from the app: in
/// number columns blanks, spaces, padded numbers, an exponent and words; in
/// category columns `NA`, `null` and blanks (all of them empty to the app).
pub fn junk_file() -> PathBuf {
    let text = std::fs::read_to_string(real_data_path())
        .unwrap()
        .replace("\r\n", "\n");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (tenure, monthly, total, contract, payment) = (
        at("tenure"),
        at("MonthlyCharges"),
        at("TotalCharges"),
        at("Contract"),
        at("PaymentMethod"),
    );
    let mut out = vec![header.join(",")];
    for (i, line) in lines.enumerate() {
        let mut cells: Vec<String> = line.split(',').map(str::to_owned).collect();
        let edits: [(usize, usize, &str); 10] = [
            (97, monthly, ""),
            (89, monthly, " "),
            (83, monthly, "abc"),
            (13, monthly, "1e2"),
            (79, total, "#N/A"),
            (31, total, " 1397.475 "),
            (73, tenure, "n/a"),
            (71, tenure, " 12 "),
            (61, contract, "NA"),
            (59, payment, " null "),
        ];
        for (every, column, value) in edits {
            if i % every == 5 {
                cells[column] = value.to_owned();
            }
        }
        out.push(cells.join(","));
    }
    let path = std::env::temp_dir().join(format!("churnlab-junk-{}.csv", std::process::id()));
    std::fs::write(&path, out.join("\n") + "\n").unwrap();
    path
}

/// The junk file as the app reads it, its number columns retyped as
/// numbers (what a learner does on the data page): words become empty.
pub fn junk_table(path: &Path) -> Table {
    let bytes = std::fs::read(path).unwrap();
    let (mut table, _) = ingest_bytes(&bytes, IngestOptions::new("telco-junk"), 1 << 20)
        .expect("the junk file loads");
    for (column, ty) in [
        ("tenure", ColumnType::Integer),
        ("MonthlyCharges", ColumnType::Float),
        ("TotalCharges", ColumnType::Float),
    ] {
        if table.column(column).unwrap().column_type() != ty {
            table = edit_field(&table, column, &FieldEdit::Retype(ty))
                .expect("retyped")
                .0;
        }
    }
    table
}

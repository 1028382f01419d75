//! Times ingest and column summaries of a CSV natively, for profiling
//! (`cargo build --profile profiling --example profile_ingest`, then perf or
//! callgrind). The browser figures come from `bench/run`.
fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let Ok(bytes) = std::fs::read(&path) else {
        return eprintln!("usage: profile_ingest FILE.csv");
    };
    let started = std::time::Instant::now();
    let mut options = churnlab::core::data::ingest::IngestOptions::new("profile");
    options.size_hint_bytes = Some(bytes.len() as u64);
    let table = match churnlab::core::data::ingest::ingest_bytes(&bytes, options, 4 << 20) {
        Ok((table, _)) => table,
        Err(e) => return eprintln!("{e}"),
    };
    let ingest = started.elapsed();
    let summaries = churnlab::core::data::summary::summarize_table(&table);
    println!(
        "{} rows: ingest {ingest:?}, summaries {:?} ({} columns)",
        table.num_rows(),
        started.elapsed() - ingest,
        summaries.len()
    );
}

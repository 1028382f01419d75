//! `churnlab-data`: writes synthetic telco customers as CSV, for benchmarks
//! and large-file tests. Runs natively only.
//!
//! ```text
//! cargo run --release --bin churnlab-data -- --rows 1000000 --seed 42 --out bench/out/telco-1m.csv
//! ```

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use churnlab::core::data::{csv::write_table, synth::generate};

    let mut rows = churnlab::core::data::synth::DEFAULT_ROWS;
    let mut seed = churnlab::core::data::synth::DEFAULT_SEED;
    let mut out: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next();
        match (arg.as_str(), value) {
            ("--rows", Some(v)) if v.parse::<usize>().is_ok() => rows = v.parse().unwrap_or(rows),
            ("--seed", Some(v)) if v.parse::<u64>().is_ok() => seed = v.parse().unwrap_or(seed),
            ("--out", Some(v)) => out = Some(v),
            _ => {
                eprintln!("usage: churnlab-data [--rows N] [--seed S] [--out FILE]");
                return std::process::ExitCode::FAILURE;
            }
        }
    }
    let csv = write_table(&generate(rows, seed));
    let written = match &out {
        Some(path) => std::fs::write(path, csv),
        None => std::io::Write::write_all(&mut std::io::stdout(), csv.as_bytes()),
    };
    match written {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("churnlab-data: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}

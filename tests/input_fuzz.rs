//! Everything a user can hand the app besides SQL never panics: CSV files,
//! the binary table codec (saved data), saved-model JSON, project files
//! and share links. Each target gets generated inputs: mutations of a valid
//! one (bit flips, random bytes, inserted tokens, cut and doubled runs,
//! truncation) and pure noise, from a seeded generator.
//!
//! CI runs `FUZZ_INPUTS` (default 2,000) per target; the full run is
//! `FUZZ_INPUTS=1000000 cargo test --release --test input_fuzz -- --nocapture --test-threads 1`,
//! which prints each target's count, time and the process's peak memory.

use std::time::Instant;

use churnlab::core::common::rng::Rng;
use churnlab::core::data::catalog::{ActiveRef, Origin, SavedEntry};
use churnlab::core::data::codec::{decode_table, encode_table};
use churnlab::core::data::ingest::{ingest_bytes, IngestOptions};
use churnlab::core::data::synth::generate;
use churnlab::core::model::config::{Mode, TrainConfig};
use churnlab::core::model::defaults::default_config;
use churnlab::core::model::pipeline::SavedModel;
use churnlab::core::model::train::train;
use churnlab::core::share::project::{Project, SqlFile};
use churnlab::core::share::recipe::{
    DataSource, Recipe, SavedQuery, TrainStep, FRAGMENT_KEY, RECIPE_VERSION,
};

fn inputs() -> usize {
    std::env::var("FUZZ_INPUTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000)
}

const TOKENS: &[&[u8]] = &[
    b"\"",
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b",",
    b"null",
    b"-1",
    b"1e309",
    b"18446744073709551616",
    b"\0",
    b"\n",
    b"\r\n",
    b"\"\"",
    b"\\u0000",
    b"\xe2\x80\xae",
    b"\xff\xfe",
    b"<img src=x onerror=alert(1)>",
    b"NaN",
    b"true",
    b"=",
    b"%",
    b"#",
    b";",
    b"\t",
];

/// One generated input: `seed` mutated 1–4 times, or noise one time in five.
fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    if rng.below(5) == 0 {
        let n = rng.below(256) as usize;
        return (0..n).map(|_| rng.below(256) as u8).collect();
    }
    let mut out = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = out.len().max(1);
        let at = rng.below(len as u64) as usize;
        let last = out.len().saturating_sub(1);
        match rng.below(7) {
            0 if !out.is_empty() => out[at.min(last)] ^= 1 << rng.below(8),
            1 if !out.is_empty() => out[at.min(last)] = rng.below(256) as u8,
            2 => {
                let token = TOKENS[rng.below(TOKENS.len() as u64) as usize];
                let at = at.min(out.len());
                out.splice(at..at, token.iter().copied());
            }
            3 => {
                let end = (at + 1 + rng.below(64) as usize).min(out.len());
                out.drain(at.min(end)..end);
            }
            4 => {
                let end = (at + 1 + rng.below(64) as usize).min(out.len());
                let run: Vec<u8> = out[at.min(end)..end].to_vec();
                out.splice(end..end, run);
            }
            5 => out.truncate(at),
            _ => {
                let n = 1 + rng.below(8) as usize;
                let at = at.min(out.len());
                out.splice(
                    at..at,
                    (0..n).map(|_| rng.below(256) as u8).collect::<Vec<_>>(),
                );
            }
        }
    }
    out
}

/// Feeds `inputs()` mutations of `seed` to `target` (which says whether
/// it read its input); the seed itself must read, and a panic fails the test.
fn fuzz(name: &str, seed: &[u8], mut target: impl FnMut(&[u8]) -> bool) {
    let n = inputs();
    let mut rng = Rng::new(0xF022 ^ name.len() as u64);
    let start = Instant::now();
    assert!(target(seed), "{name}: the seed itself does not read");
    let mut read = 0;
    for _ in 0..n {
        let input = mutate(&mut rng, seed);
        read += usize::from(target(&input));
    }
    eprintln!(
        "{name}: {n} inputs ({read} read) in {:.1} s, no panic; peak memory {}",
        start.elapsed().as_secs_f64(),
        peak_memory()
    );
}

fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into())
}

fn model() -> SavedModel {
    let t = generate(200, 4);
    let cfg = TrainConfig {
        mode: Mode::Plain,
        ..default_config(&t)
    };
    let trained = train(&t, &cfg, &mut |_, _| true).unwrap();
    SavedModel::new("Churn model", &t, &cfg, &trained, None)
}

#[test]
fn csv_files_never_panic() {
    let seed = "customerID,gender,SeniorCitizen,tenure,TotalCharges,Churn\n7590-VHVEG,Female,0,1,29.85,No\n5575-GNVDE,Male,1,34,\"1,889.5\",Yes\r\n3668-QPYBK,,0,2, ,No\n";
    fuzz("CSV ingest", seed.as_bytes(), |bytes| {
        ingest_bytes(bytes, IngestOptions::new("fuzz"), 7).is_ok()
    });
}

#[test]
fn saved_tables_never_panic() {
    let seed = encode_table(&generate(30, 2));
    fuzz("table codec", &seed, |bytes| decode_table(bytes).is_ok());
}

#[test]
fn model_files_never_panic() {
    let seed = model().to_json();
    fuzz("model JSON", seed.as_bytes(), |bytes| {
        SavedModel::from_json(&String::from_utf8_lossy(bytes)).is_ok()
    });
}

#[test]
fn project_files_never_panic() {
    let mut m = model();
    m.build_id = "b1".into();
    let project = Project {
        name: "Churn".into(),
        description: "fuzz".into(),
        readme: "# fuzz\n\n- a list".into(),
        base: (generate(20, 1), Origin::Synthetic { seed: 1 }),
        base_history: Default::default(),
        datasets: vec![(
            SavedEntry::new("senior", "SELECT * FROM churn", 1.0),
            generate(10, 2),
        )],
        active: ActiveRef::Base,
        sql: SqlFile {
            text: "SELECT 1".into(),
            history: vec!["SELECT 1".into()],
        },
        dashboards: Vec::new(),
        runs: Vec::new(),
        models: vec![m],
        deployed: Some("b1".into()),
        simulations: Vec::new(),
        tracking: Default::default(),
        // A job and a run, so that the fuzz reaches the jobs' checks too.
        jobs: churnlab::core::jobs::book::JobBook {
            jobs: vec![churnlab::core::jobs::job::Job {
                id: 1,
                name: "refresh".into(),
                text: "do: open-data\ndo: sql SELECT * FROM churn\ndo: save-dataset name=senior"
                    .into(),
                trigger: churnlab::core::jobs::trigger::Trigger::Daily { minute: 360 },
                saved_ms: 1.0,
            }],
            runs: vec![churnlab::core::jobs::history::JobRun::new(
                2,
                1,
                "refresh",
                "by hand".into(),
                churnlab::core::jobs::history::Status::Succeeded,
                1.0,
            )],
            seen_ms: 1.0,
        },
    };
    let seed = project.to_json(1.0);
    fuzz("project file", seed.as_bytes(), |bytes| {
        Project::from_json(&String::from_utf8_lossy(bytes)).is_ok()
    });
}

#[test]
fn share_links_never_panic() {
    let t = generate(50, 1);
    let recipe = Recipe {
        v: RECIPE_VERSION,
        name: "telco".into(),
        data: DataSource::Default,
        queries: vec![SavedQuery {
            name: "senior".into(),
            sql: "SELECT * FROM churn WHERE seniorcitizen = \"1\"".into(),
        }],
        dashboards: Vec::new(),
        train: Some(TrainStep {
            dataset: "churn".into(),
            config: default_config(&t),
            name: "m".into(),
            description: String::new(),
            deploy: true,
        }),
        readme: "# telco".into(),
    };
    let seed = format!("#{FRAGMENT_KEY}{}", recipe.encode());
    fuzz("share link", seed.as_bytes(), |bytes| {
        Recipe::from_fragment(&String::from_utf8_lossy(bytes)).is_ok()
    });
}

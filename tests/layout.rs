//! The layout rules of ARCHITECTURE.md that the compiler cannot see: the
//! core crate's manifest names none of the browser crates (so no core file
//! can import them), and no source file grows past 600 lines.

use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_core_crate_depends_on_no_browser_crate() {
    let manifest = fs::read_to_string(root().join("src/core/Cargo.toml")).unwrap();
    for line in manifest
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#'))
    {
        let name = line.split(['=', '.', ' ']).next().unwrap_or_default();
        for banned in [
            "leptos",
            "web-sys",
            "js-sys",
            "gloo",
            "gloo-timers",
            "wasm-bindgen",
            "wasm-bindgen-futures",
            "plotters-canvas",
        ] {
            assert_ne!(
                name, banned,
                "src/core/Cargo.toml must not depend on {banned}: the core stays pure"
            );
        }
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_source_file_is_over_600_lines() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    assert!(files.len() > 50, "found only {} files", files.len());
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let lines = fs::read_to_string(f).unwrap().lines().count();
            (lines > 600).then(|| format!("{} ({lines} lines)", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "split these along a seam: {long:?}");
}

//! The layout rules of ARCHITECTURE.md that the compiler cannot see: the
//! core crate's manifest names none of the browser crates (so no core file
//! can import them), no source file grows past 600 lines, the UI is
//! grouped by the core's stages, and a widget is shared by two stages.

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

/// The names of the `.rs` files and folders directly in `dir`.
fn entries(dir: &Path) -> (Vec<String>, Vec<String>) {
    let (mut files, mut folders) = (Vec::new(), Vec::new());
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() {
            folders.push(name);
        } else if let Some(stem) = name.strip_suffix(".rs") {
            files.push(stem.to_owned());
        }
    }
    files.sort();
    folders.sort();
    (files, folders)
}

/// The UI's folders beside the stages: the app's shell, the browser's
/// services, and the widgets several stages show.
const UI_SHARED: [&str; 3] = ["app", "browser", "widgets"];

#[test]
fn the_ui_is_grouped_by_stage_as_the_core_is() {
    let (_, core_folders) = entries(&root().join("src/core"));
    let (ui_files, ui_folders) = entries(&root().join("src/ui"));
    for folder in &ui_folders {
        assert!(
            UI_SHARED.contains(&folder.as_str()) || core_folders.contains(folder),
            "src/ui/{folder} is neither a stage of the core (src/core/{folder}) nor one of {UI_SHARED:?}"
        );
    }
    // At the top of ui: each folder's module file, and the app's wiring.
    for file in &ui_files {
        assert!(
            ui_folders.contains(file)
                || ["app", "routes", "state", "js_api"].contains(&file.as_str()),
            "src/ui/{file}.rs belongs in a stage's folder (or widgets)"
        );
    }
    let stages: Vec<&String> = ui_folders
        .iter()
        .filter(|f| !UI_SHARED.contains(&f.as_str()))
        .collect();
    assert!(stages.len() >= 8, "stages: {stages:?}");
}

#[test]
fn every_widget_is_shown_by_two_stages_or_more() {
    let ui = root().join("src/ui");
    let (widgets, _) = entries(&ui.join("widgets"));
    assert!(!widgets.is_empty());
    let (_, folders) = entries(&ui);
    for widget in &widgets {
        let path = format!("ui::widgets::{widget}");
        let users: Vec<&String> = folders
            .iter()
            .filter(|f| !UI_SHARED.contains(&f.as_str()))
            .filter(|stage| {
                let mut files = vec![ui.join(format!("{stage}.rs"))];
                rust_files(&ui.join(stage.as_str()), &mut files);
                files
                    .iter()
                    .any(|f| fs::read_to_string(f).is_ok_and(|t| t.contains(&path)))
            })
            .collect();
        assert!(
            users.len() >= 2,
            "src/ui/widgets/{widget}.rs is shown by {users:?} only: it belongs in that stage's folder"
        );
    }
}

//! "From the browser to production" on the Deploy page: a saved model as
//! one SQL scoring query (DuckDB and PostgreSQL, or Spark SQL), as an ONNX
//! model, or the whole job folder as a zip (both queries, the ONNX model,
//! the saved datasets as scripts, a DuckDB and a Spark job, a README).

use leptos::prelude::*;

use crate::core::export::datasets_sql::{BaseColumn, DatasetToExport, Engine, ScriptOptions};
use crate::core::export::job::{folder_name, job_zip, JobInput, CSV_PLACEHOLDER};
use crate::core::export::onnx::onnx_model;
use crate::core::export::scoring_sql::{scoring_sql, ScoringOptions};
use crate::core::model::datacheck::named_like_identifier;
use crate::core::model::pipeline::SavedModel;
use crate::ui::browser::download::{download, file_stem};
use crate::ui::state::{use_app, AppState, SavedDataset};

const NO_MODEL: &str =
    "There is no saved model to export: train one and save it on the Train page first.";

/// The customer ID column: the loaded file's first column named like an
/// identifier that the model does not use.
fn id_column(state: AppState, model: &SavedModel) -> Option<String> {
    state.base.with_untracked(|b| {
        b.table
            .columns()
            .iter()
            .map(|c| c.name.clone())
            .find(|n| named_like_identifier(n) && !model.stats.iter().any(|s| s.column() == n))
    })
}

/// The dataset script's view of the loaded file: its fields as loaded and
/// the edits since.
fn script_options(state: AppState) -> ScriptOptions {
    state.base.with_untracked(|b| ScriptOptions {
        columns: b
            .history
            .loaded
            .iter()
            .map(|(name, ty)| BaseColumn {
                name: name.clone(),
                ty: *ty,
            })
            .collect(),
        base_edits: b.history.edits.clone(),
        ..ScriptOptions::new(Engine::DuckDb, CSV_PLACEHOLDER, &b.table)
    })
}

/// The production folder of `model`, zipped: its file name, type and bytes.
/// The jobs go in it as scripts; datasets that a job's scoring step made
/// (no query) are written by those scripts, not by the dataset script.
fn production_zip(
    state: AppState,
    m: &SavedModel,
) -> Result<(String, &'static str, Vec<u8>), String> {
    let datasets: Vec<DatasetToExport> = state.saved.with_untracked(|s| {
        s.iter()
            .filter(|d| !d.sql.trim().is_empty())
            .map(|d| DatasetToExport::from_entry(&SavedDataset::entry(d)))
            .collect()
    });
    let jobs = state.jobs.jobs.get_untracked();
    let input = JobInput {
        id: id_column(state, m),
        datasets: &datasets,
        script: script_options(state),
        jobs: &jobs,
    };
    job_zip(Some(m), &input)
        .map(|b| (format!("{}.zip", folder_name(m)), "application/zip", b))
        .map_err(|e| e.to_string())
}

/// A job's `export-production`: downloads the deployed model's folder;
/// returns the file's name.
pub fn download_production(state: AppState) -> Result<String, String> {
    let model = crate::ui::explain::endpoint::deployed(state)
        .ok_or("no model is deployed: deploy one first (do: deploy name=…)")?;
    let (name, mime, bytes) = production_zip(state, &model)?;
    download(&name, mime, &bytes)?;
    Ok(name)
}

fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

/// A file to download: its name, MIME type and bytes.
type Download = (String, &'static str, Vec<u8>);
#[component]
pub fn ModelExport() -> impl IntoView {
    let state = use_app();
    let t = state.training;
    let chosen = RwSignal::new(None::<String>);
    let engine = RwSignal::new(Engine::DuckDb);
    let outcome = RwSignal::new(None::<Result<String, String>>);
    // The chosen model, else the deployed one, else the newest.
    let model = Memo::new(move |_| {
        let want = chosen.get().or_else(|| t.deployed.get());
        t.models.with(|ms| {
            want.and_then(|id| ms.iter().find(|m| m.build_id == id).cloned())
                .or_else(|| {
                    ms.iter()
                        .max_by(|a, b| a.created_ms.total_cmp(&b.created_ms))
                        .cloned()
                })
        })
    });
    let save = move |make: &dyn Fn(&SavedModel) -> Result<Download, String>| {
        let Some(m) = model.get_untracked() else {
            outcome.set(Some(Err(NO_MODEL.into())));
            return;
        };
        outcome.set(Some(make(&m).and_then(|(name, mime, bytes)| {
            download(&name, mime, &bytes).map(|()| format!("Saved {name} ({})", kb(bytes.len())))
        })));
    };
    let stem = |m: &SavedModel| format!("{}-v{}", file_stem(&m.name, "model"), m.model_version);
    let export_sql = move |_| {
        save(&|m| {
            let e = engine.get_untracked();
            let options = ScoringOptions {
                table: "churn".into(),
                id: id_column(state, m),
                negative: m.negative_class(),
                contributions: true,
                engine: e,
            };
            let suffix = if e == Engine::SparkSql {
                "scoring-spark"
            } else {
                "scoring"
            };
            Ok((
                format!("{}-{suffix}.sql", stem(m)),
                "application/sql",
                (scoring_sql(m, &options) + "\n").into_bytes(),
            ))
        })
    };
    let export_onnx = move |_| {
        save(&|m| {
            onnx_model(m)
                .map(|b| (format!("{}.onnx", stem(m)), "application/octet-stream", b))
                .map_err(|e| e.to_string())
        })
    };
    let export_job = move |_| save(&|m| production_zip(state, m));
    let none = move || model.with(Option::is_none);
    view! {
        <section
            class="model-export"
            aria-labelledby="model-export-title"
            data-testid="model-export-panel"
        >
            <h3 id="model-export-title">"From the browser to production"</h3>
            <p class="muted">
                "Run the model where your customers are: the same probabilities as the app, as one SQL query, as an ONNX model, or as a job folder with a DuckDB and a Spark job and the saved datasets as scripts."
            </p>
            <div class="export-controls">
                <label>
                    "Model "
                    <select
                        data-testid="export-model"
                        disabled=none
                        on:change=move |ev| chosen.set(Some(event_target_value(&ev)))
                    >
                        {move || {
                            let current = model.get().map(|m| m.build_id);
                            t.models
                                .get()
                                .into_iter()
                                .map(|m| {
                                    let selected = current.as_deref() == Some(m.build_id.as_str());
                                    view! {
                                        <option value=m.build_id.clone() selected=selected>
                                            {format!("{} v{}", m.name, m.model_version)}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
                <label>
                    "SQL for "
                    <select
                        data-testid="export-engine"
                        on:change=move |ev| {
                            engine
                                .set(
                                    if event_target_value(&ev) == "spark" {
                                        Engine::SparkSql
                                    } else {
                                        Engine::DuckDb
                                    },
                                )
                        }
                    >
                        <option value="duckdb">"DuckDB and PostgreSQL"</option>
                        <option value="spark">"Spark SQL"</option>
                    </select>
                </label>
                <button class="button" data-testid="export-sql" disabled=none on:click=export_sql>
                    "Export SQL"
                </button>
                <button class="button" data-testid="export-onnx" disabled=none on:click=export_onnx>
                    "Export ONNX"
                </button>
                <button
                    class="button primary"
                    data-testid="export-job"
                    disabled=none
                    on:click=export_job
                >
                    "Export for production"
                </button>
            </div>
            {move || {
                none()
                    .then(|| {
                        view! {
                            <p class="muted" role="status" data-testid="export-error">
                                {NO_MODEL}
                            </p>
                        }
                    })
            }}
            {move || match outcome.get() {
                Some(Ok(text)) if !none() => {
                    Some(
                        view! {
                            <p class="saved-note" role="status" data-testid="export-done">
                                {text}
                            </p>
                        }
                            .into_any(),
                    )
                }
                Some(Err(e)) if !none() => {
                    Some(
                        view! {
                            <p class="form-error" role="alert" data-testid="export-error">
                                {e}
                            </p>
                        }
                            .into_any(),
                    )
                }
                _ => None,
            }}
        </section>
    }
}

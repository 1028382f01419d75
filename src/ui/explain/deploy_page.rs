//! The deploy page: the model registry (versions, build ids, metrics,
//! deploy, export, import, delete) and the deployed model's `explain`
//! endpoint with a test console and how to call it from a page.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::common::numfmt::{count, plural};
use crate::core::model::pipeline::SavedModel;
use crate::ui::browser::download::{download, download_parts, file_stem};
use crate::ui::browser::perf::now_ms;
use crate::ui::data::datasets::{persist_deployed, persist_models};
use crate::ui::data::loader::Source;
use crate::ui::explain::endpoint::deployed;
use crate::ui::explain::endpoint_panel::{created, EndpointPanel};
use crate::ui::export::model_export::ModelExport;
use crate::ui::model::training::register;
use crate::ui::state::{use_app, NoticeKind};
use crate::ui::widgets::embed_notice::EmbedNotice;

pub use crate::core::explain::endpoint::WORKSHOP_EXAMPLE;

#[component]
pub fn DeployPage() -> impl IntoView {
    let state = use_app();
    let t = state.training;
    let import_error = RwSignal::new(None::<String>);
    let import = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|t| t.as_string());
            let Some(text) = text else {
                import_error.set(Some(format!("{} could not be read as text.", file.name())));
                return;
            };
            match SavedModel::from_json(&text) {
                Ok(model) => {
                    let saved = register(state, model);
                    import_error.set(None);
                    state.notify(
                        NoticeKind::Info,
                        format!("Imported {} as version {}", saved.name, saved.model_version),
                        Vec::new(),
                    );
                }
                Err(e) => import_error.set(Some(format!("{}: {e}", file.name()))),
            }
        });
    };
    let models = move || {
        let mut m = t.models.get();
        m.sort_by(|a, b| {
            a.name
                .cmp(&b.name)
                .then(b.model_version.cmp(&a.model_version))
        });
        m
    };

    view! {
        <div class="deploy-page">
            <header class="page-head">
                <h2>"Deploy and explain"</h2>
                <p class="muted">
                    "Saved models are listed by name and version. Deploy one to put it behind the explain endpoint: it scores one customer given as JSON and says which features pushed the probability up or down."
                </p>
            </header>
            <section class="registry" aria-label="Model registry">
                <div class="runs-bar">
                    <h3>"Model registry"</h3>
                    <label class="button file-button">
                        "Import model JSON"
                        <input
                            type="file"
                            accept=".json,application/json"
                            class="visually-hidden"
                            data-testid="model-import"
                            on:change=import
                        />
                    </label>
                </div>
                {move || {
                    import_error
                        .get()
                        .map(|e| {
                            view! {
                                <p class="form-error" role="alert" data-testid="model-import-error">
                                    {e}
                                </p>
                            }
                        })
                }}
                <Show
                    when=move || t.models.with(|m| !m.is_empty())
                    fallback=|| {
                        view! {
                            <p class="muted">
                                "No saved models yet: train one on the Train page and press Save model."
                            </p>
                        }
                    }
                >
                    <ul class="model-list">
                        <For each=models key=|m| m.build_id.clone() let:m>
                            <ModelItem model=m />
                        </For>
                    </ul>
                </Show>
            </section>
            <ModelExport />
            {move || {
                t.deployed
                    .get()
                    .and_then(|_| deployed(state))
                    .map(|m| {
                        view! {
                            <EndpointPanel model=m.clone() />
                            <BatchScoring model=m />
                        }
                    })
            }}
        </div>
    }
}

#[component]
fn ModelItem(model: SavedModel) -> impl IntoView {
    let state = use_app();
    let t = state.training;
    let id = model.build_id.clone();
    let (deploy_id, delete_id, active_id) = (id.clone(), id.clone(), id.clone());
    let is_deployed = Signal::derive(move || {
        t.deployed
            .with(|d| d.as_deref() == Some(active_id.as_str()))
    });
    let export_model = model.clone();
    let export = move |_| {
        let name = format!(
            "{}-v{}.json",
            file_stem(&export_model.name, "model"),
            export_model.model_version
        );
        if let Err(e) = download(&name, "application/json", export_model.to_json().as_bytes()) {
            state.notify(NoticeKind::Error, "Could not export the model", vec![e]);
        }
    };
    let m = &model.metrics;
    let served_id = model.build_id.clone();
    // Which simulations this version served, and which it shadowed as a challenger.
    let served = move || {
        state.ops.simulations.with(|sims| {
            let mine: Vec<_> = sims
                .iter()
                .filter(|s| s.model_build_id == served_id)
                .collect();
            let calls: usize = mine.iter().map(|s| s.settings.calls).sum();
            let shadowed = sims
                .iter()
                .filter(|s| {
                    s.shadow
                        .as_ref()
                        .is_some_and(|sh| sh.challenger_build_id == served_id)
                })
                .count();
            (!mine.is_empty() || shadowed > 0).then(|| {
                let mut text = format!(
                    "Served {} calls in {}",
                    count(calls),
                    plural(mine.len(), "simulation")
                );
                if shadowed > 0 {
                    text.push_str(&format!(" · challenger in {shadowed}"));
                }
                view! {
                    <p class="muted" data-testid="model-served">
                        {text}
                    </p>
                }
            })
        })
    };
    view! {
        <li
            class="model-item"
            class:deployed=is_deployed
            data-testid="model-item"
            data-name=model.name.clone()
            data-version=model.model_version.to_string()
        >
            <div class="model-head">
                <strong>{model.name.clone()}</strong>
                <span class="badge">{format!("v{}", model.model_version)}</span>
                <code title="build id">{model.build_id.clone()}</code>
                <span class="muted">{created(model.created_ms)}</span>
                <Show when=move || is_deployed.get()>
                    <span class="badge live" data-testid="deployed-badge">
                        "deployed"
                    </span>
                </Show>
            </div>
            <p class="muted">{model.description.clone()}</p>
            {served}
            <p class="model-metrics">
                {format!(
                    "Test accuracy {:.4} · AUC {:.4} · log loss {:.4} · F1 {:.4} · trained on {} rows of {}{}",
                    m.test_accuracy,
                    m.auc,
                    m.log_loss,
                    m.f1,
                    model.training_rows,
                    model.target,
                    model.run_id.map(|r| format!(" · run {}", r % 100_000)).unwrap_or_default(),
                )}
            </p>
            <div class="model-actions">
                <button
                    class="button primary"
                    data-testid="deploy-model"
                    disabled=is_deployed
                    on:click=move |_| {
                        t.deployed.set(Some(deploy_id.clone()));
                        persist_deployed(state);
                    }
                >
                    "Deploy"
                </button>
                <button class="button" data-testid="model-export" on:click=export>
                    "Export JSON"
                </button>
                <button
                    class="button danger"
                    data-testid="model-delete"
                    on:click=move |_| {
                        t.models.update(|m| m.retain(|x| x.build_id != delete_id));
                        if t.deployed.get_untracked().as_deref() == Some(delete_id.as_str()) {
                            t.deployed.set(None);
                            persist_deployed(state);
                        }
                        persist_models(state);
                    }
                >
                    "Delete"
                </button>
            </div>
        </li>
    }
}

/// The endpoint's console alone, for an embedding page.
#[component]
pub fn EmbeddedEndpoint() -> impl IntoView {
    let state = use_app();
    let model = Memo::new(move |_| {
        state.training.deployed.track();
        state.training.models.track();
        deployed(state)
    });
    move || match model.get() {
        // The panel's title is an h3, as on the Deploy page: its section here.
        Some(m) => view! {
            <h2 class="visually-hidden">"Explain endpoint"</h2>
            <EndpointPanel model=m />
        }
        .into_any(),
        None => {
            view! { <EmbedNotice missing="No model is deployed here.".to_owned() /> }.into_any()
        }
    }
}

/// Where batch scoring is: reading an uploaded file (bytes) or scoring rows.
#[derive(Clone, Copy, PartialEq)]
enum BatchProgress {
    Reading { done: u64, total: u64 },
    Scoring { done: usize, total: usize },
}

impl BatchProgress {
    fn fraction(self) -> (f64, f64) {
        match self {
            BatchProgress::Reading { done, total } => (done as f64, total.max(1) as f64),
            BatchProgress::Scoring { done, total } => (done as f64, total.max(1) as f64),
        }
    }

    fn label(self) -> String {
        use crate::core::data::ingest::format_bytes;
        match self {
            BatchProgress::Reading { done, total } => format!(
                "Reading {} of {}",
                format_bytes(done as usize),
                format_bytes(total as usize)
            ),
            BatchProgress::Scoring { done, total } => format!(
                "{} of {} rows",
                crate::core::common::numfmt::count(done),
                crate::core::common::numfmt::count(total)
            ),
        }
    }
}

/// Scores a whole table with the deployed model and downloads the result:
/// the active dataset or a CSV the user picks, in chunks with a progress bar.
#[component]
fn BatchScoring(model: SavedModel) -> impl IntoView {
    let state = use_app();
    let model = StoredValue::new(model);
    let progress = RwSignal::new(None::<BatchProgress>);
    let message = RwSignal::new(None::<Result<String, String>>);
    let run = move |table: crate::core::data::table::Table, name: String| {
        if progress.get_untracked().is_some() {
            return;
        }
        spawn_local(async move {
            // Each turn's lines become one part of the file as they are made.
            let parts = js_sys::Array::new();
            let start = now_ms();
            let n = table.num_rows();
            let m = model.get_value();
            crate::ui::explain::batch::score_in_turns(&m, &table, |done, total, out| {
                progress.set(Some(BatchProgress::Scoring { done, total }));
                parts.push(&js_sys::Uint8Array::from(out.as_bytes()));
                out.clear();
            })
            .await;
            progress.set(None);
            let file = format!("{}-scores.csv", file_stem(&name, "churn"));
            match download_parts(&file, "text/csv", &parts) {
                Ok(()) => message.set(Some(Ok(format!(
                    "Scored {} in {:.0} ms: {file}",
                    crate::core::common::numfmt::plural(n, "row"),
                    now_ms() - start
                )))),
                Err(e) => message.set(Some(Err(e))),
            }
        });
    };
    let score_active = move |_| {
        let (table, name) = state
            .dataset
            .with_untracked(|d| (d.table.clone(), d.table.name().to_owned()));
        run(table, name);
    };
    let score_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        if progress.get_untracked().is_some() {
            return;
        }
        // The file is read in chunks like any dataset, with its progress
        // in bytes, so a large file never freezes the page.
        spawn_local(async move {
            let name = file.name();
            let mut options = crate::core::data::ingest::IngestOptions::new(
                crate::ui::data::loader::dataset_name(&name),
            );
            options.memory_budget_bytes = state.settings.get_value().memory_budget_bytes;
            let mut shown_at = 0.0;
            let read = crate::ui::data::loader::stream_table(
                &Source::File(file),
                options,
                |ingest, _, total| {
                    if now_ms() - shown_at < crate::ui::data::loader::PROGRESS_EVERY_MS {
                        return Ok(false);
                    }
                    shown_at = now_ms();
                    let total = total.unwrap_or(0).max(ingest.bytes_read());
                    progress.set(Some(BatchProgress::Reading {
                        done: ingest.bytes_read(),
                        total,
                    }));
                    Ok(true)
                },
            )
            .await;
            progress.set(None);
            match read {
                Ok(loaded) => {
                    let stem = loaded.table.name().to_owned();
                    run(loaded.table, stem)
                }
                Err(e) => message.set(Some(Err(format!("{name}: {e}")))),
            }
        });
    };
    view! {
        <section class="batch" aria-label="Batch scoring">
            <h3>"Batch scoring"</h3>
            <p class="muted">
                "Scores every row with the deployed model and downloads a CSV with each row's id, churn probability and top three reasons. Missing or unknown values take the endpoint's defaults."
            </p>
            <div class="form-actions">
                <button
                    class="button primary"
                    data-testid="batch-score"
                    disabled=move || progress.with(Option::is_some)
                    on:click=score_active
                >
                    "Score the active dataset"
                </button>
                <label class="button file-button">
                    "Score a CSV file…"
                    <input
                        type="file"
                        accept=".csv,text/csv"
                        class="visually-hidden"
                        data-testid="batch-file"
                        disabled=move || progress.with(Option::is_some)
                        on:change=score_file
                    />
                </label>
                {move || {
                    progress
                        .get()
                        .map(|p| {
                            let (done, total) = p.fraction();
                            view! {
                                <span class="inline-progress" data-testid="batch-progress">
                                    <progress
                                        max=total.to_string()
                                        value=done.to_string()
                                    ></progress>
                                    {p.label()}
                                </span>
                            }
                        })
                }}
            </div>
            {move || {
                message
                    .get()
                    .map(|m| match m {
                        Ok(text) => {
                            view! {
                                <p class="saved-note" data-testid="batch-done">
                                    {text}
                                </p>
                            }
                                .into_any()
                        }
                        Err(e) => {
                            view! {
                                <p class="form-error" role="alert" data-testid="batch-error">
                                    {e}
                                </p>
                            }
                                .into_any()
                        }
                    })
            }}
        </section>
    }
}

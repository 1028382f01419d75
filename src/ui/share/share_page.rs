//! The Share page: a share link (a recipe, rebuilt on opening), the
//! project file (everything, exported and imported whole), the offline
//! copy, and how embedding works.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

use crate::core::common::numfmt::count;
use crate::core::data::catalog::Origin;
use crate::ui::share::{link, offline, project_io};
use crate::ui::state::{use_app, NoticeKind};

#[component]
pub fn SharePage() -> impl IntoView {
    let state = use_app();
    let share_link = RwSignal::new(None::<Result<String, String>>);
    let copied = RwSignal::new(false);
    let make_link = move |_| {
        copied.set(false);
        share_link.set(Some(link::recipe(state).map(|r| link::link(&r))));
    };
    let copy = move |_| {
        let Some(Ok(text)) = share_link.get_untracked() else {
            return;
        };
        if let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) {
            spawn_local(async move {
                copied.set(JsFuture::from(clipboard.write_text(&text)).await.is_ok());
            });
        }
    };

    let project_message = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let export = move |_| {
        busy.set(true);
        spawn_local(async move {
            let result = project_io::export(state)
                .await
                .map(|bytes| format!("Exported the project ({} KB).", count(bytes.div_ceil(1000))));
            busy.set(false);
            project_message.set(Some(result));
        });
    };
    let import = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        spawn_local(async move {
            let text = JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|t| t.as_string());
            let result = match text {
                None => Err(format!(
                    "{} could not be read as text. Nothing was changed.",
                    file.name()
                )),
                Some(text) => {
                    project_io::import(state, &text).map_err(|e| format!("{}: {e}", file.name()))
                }
            };
            if let Ok(summary) = &result {
                state.notify(NoticeKind::Info, summary.clone(), Vec::new());
            }
            project_message.set(Some(result));
        });
    };

    let offline_message = RwSignal::new(None::<Result<String, String>>);
    let saving = RwSignal::new(false);
    let save_copy = move |_| {
        saving.set(true);
        spawn_local(async move {
            let result = offline::save_offline_copy().await.map(|bytes| format!("Saved churnlab.html ({:.1} MB). Open it with a double click, with no server and no network.", bytes as f64 / 1e6));
            saving.set(false);
            offline_message.set(Some(result));
        });
    };
    let message =
        |m: RwSignal<Option<Result<String, String>>>, ok_id: &'static str, err_id: &'static str| {
            move || {
                m.get().map(|r| match r {
                    Ok(text) => view! {
                        <p class="muted" role="status" data-testid=ok_id>
                            {text}
                        </p>
                    }
                    .into_any(),
                    Err(text) => view! {
                        <p class="form-error" role="alert" data-testid=err_id>
                            {text}
                        </p>
                    }
                    .into_any(),
                })
            }
        };

    let confirming = RwSignal::new(None::<String>);
    let reset_button = NodeRef::<leptos::html::Button>::new();
    let cancel_button = NodeRef::<leptos::html::Button>::new();
    // The dialog takes the focus when it opens (on Cancel, the safe choice)
    // and gives it back to "Reset project…" when it closes.
    let close_dialog = move || {
        confirming.set(None);
        if let Some(b) = reset_button.get_untracked() {
            let _ = b.focus();
        }
    };
    Effect::new(move |_| {
        if let Some(b) = cancel_button.get() {
            let _ = b.focus();
        }
    });
    let ask_reset = move |_| {
        confirming.set(Some(
            project_io::reset_summary(state)
                .unwrap_or_else(|| "nothing but the project's name".into()),
        ))
    };
    let do_reset = move |_| {
        project_io::reset(state);
        close_dialog();
        state.notify(
            NoticeKind::Info,
            "The project starts over on the default data.",
            Vec::new(),
        );
    };
    let set_description = move |ev: leptos::ev::Event| {
        let description = event_target_value(&ev).trim().to_owned();
        project_io::set_info(
            state,
            crate::core::share::project::ProjectInfo {
                description,
                ..state.project.get_untracked()
            },
        );
    };

    view! {
        <div class="share-page">
            <header class="page-head">
                <h2>"Share"</h2>
                <p class="muted">
                    "Hand your work to someone else, keep it, take the app where there is no network, or show a view in another page."
                </p>
            </header>
            <section class="share-section" aria-labelledby="project-info-title">
                <h3 id="project-info-title">"Project"</h3>
                <p class="muted">
                    "The name in the header is the project's; the description goes with it into the project file."
                </p>
                <p data-testid="project-table">
                    {move || {
                        let (name, rows, origin) = state
                            .base
                            .with(|b| (
                                b.table.name().to_owned(),
                                b.table.num_rows(),
                                b.origin.clone(),
                            ));
                        let from = match origin {
                            Origin::Synthetic { seed } => {
                                format!("the app's synthetic customers (seed {seed})")
                            }
                            Origin::File { file_name } => format!("the file {file_name}"),
                            Origin::Url { url } => url,
                            Origin::Saved { name } => format!("the saved dataset {name}"),
                        };
                        format!(
                            "The project's table: {name}, {} {} from {from}. SQL, charts and training name it churn while it is the open dataset.",
                            count(rows),
                            if rows == 1 { "row" } else { "rows" },
                        )
                    }}
                </p>
                <label class="stacked">
                    "Description"
                    <textarea
                        data-testid="project-description"
                        rows="2"
                        prop:value=move || state.project.with(|p| p.description.clone())
                        on:change=set_description
                    ></textarea>
                </label>
                <button
                    class="button danger"
                    data-testid="project-reset"
                    node_ref=reset_button
                    on:click=ask_reset
                >
                    "Reset project…"
                </button>
                {move || {
                    confirming
                        .get()
                        .map(|what| {
                            view! {
                                <div
                                    class="notice warning"
                                    role="alertdialog"
                                    aria-label="Reset the project"
                                >
                                    <div class="notice-body">
                                        <strong>"Start over?"</strong>
                                        <p data-testid="project-reset-summary">
                                            {format!(
                                                "This deletes {what}, and goes back to the default data. Export the project first to keep a copy.",
                                            )}
                                        </p>
                                    </div>
                                    <button
                                        class="button danger"
                                        data-testid="project-reset-confirm"
                                        on:click=do_reset
                                    >
                                        "Delete and start over"
                                    </button>
                                    <button
                                        class="button"
                                        data-testid="project-reset-cancel"
                                        node_ref=cancel_button
                                        on:click=move |_| close_dialog()
                                    >
                                        "Cancel"
                                    </button>
                                </div>
                            }
                        })
                }}
            </section>
            <section class="share-section" aria-labelledby="share-link-title">
                <h3 id="share-link-title">"Share link"</h3>
                <p class="muted">
                    "A link holds the recipe, not the results: the data (the default, or a file of this site), the saved queries, the dashboards, and the training settings with their seed. Opening it makes the same datasets and dashboards and trains the same model again. Field edits and uploaded files are not in a link: export the project for those."
                </p>
                <button class="button primary" data-testid="make-share-link" on:click=make_link>
                    "Make share link"
                </button>
                {move || {
                    share_link
                        .get()
                        .map(|r| match r {
                            Ok(url) => {
                                let length = url.chars().count();
                                view! {
                                    <div class="share-link">
                                        <input
                                            type="text"
                                            readonly
                                            data-testid="share-link"
                                            aria-label="Share link"
                                            prop:value=url.clone()
                                        />
                                        <button
                                            class="button"
                                            data-testid="share-copy"
                                            on:click=copy
                                        >
                                            {move || if copied.get() { "Copied" } else { "Copy" }}
                                        </button>
                                        <span
                                            class="muted"
                                            data-testid="share-length"
                                            data-value=length.to_string()
                                        >
                                            {format!("{} characters", count(length))}
                                        </span>
                                    </div>
                                }
                                    .into_any()
                            }
                            Err(e) => {
                                view! {
                                    <p class="form-error" role="alert" data-testid="share-error">
                                        {e}
                                    </p>
                                }
                                    .into_any()
                            }
                        })
                }}
            </section>
            <section class="share-section" aria-labelledby="project-title">
                <h3 id="project-title">"Project file"</h3>
                <p class="muted">
                    "One file with everything: the loaded and saved datasets, fields, queries, dashboards, runs, models, the deployment and the operations runs. Importing checks the whole file first and replaces your work only if it is sound."
                </p>
                <div class="runs-bar">
                    <button
                        class="button primary"
                        data-testid="export-project"
                        disabled=move || busy.get()
                        on:click=export
                    >
                        "Export project"
                    </button>
                    <label class="button file-button">
                        "Import project"
                        <input
                            type="file"
                            accept=".json,application/json"
                            class="visually-hidden"
                            data-testid="import-project"
                            on:change=import
                        />
                    </label>
                </div>
                {message(project_message, "project-message", "project-error")}
            </section>
            <section class="share-section" aria-labelledby="offline-title">
                <h3 id="offline-title">"Offline copy"</h3>
                <p class="muted">
                    "After one visit this site works with the network off. For a room with no server at all, save the whole app as one HTML file: copy it to a USB stick and open it with a double click."
                </p>
                <button
                    class="button"
                    data-testid="save-offline-copy"
                    disabled=move || saving.get()
                    on:click=save_copy
                >
                    {move || if saving.get() { "Saving…" } else { "Save offline copy" }}
                </button>
                {message(offline_message, "offline-message", "offline-error")}
            </section>
            <section class="share-section" aria-labelledby="embed-title">
                <h3 id="embed-title">"Embed a view"</h3>
                <p class="muted">
                    "Dashboards, single charts, the customers table, one customer's what-if view and the endpoint console have an Embed button: it gives an iframe snippet that shows the view without the app around it, sized to its content. The embedding page can send data, SQL, filters and customers to it with postMessage (see the README)."
                </p>
            </section>
        </div>
    }
}

//! The user's datasets on the data page: the loaded data and each saved
//! query result with its defining SQL and row count, to open, rename or
//! delete.

use leptos::prelude::*;

use crate::core::common::numfmt::plural;
use crate::ui::data::datasets::{delete_saved, open_base, open_saved, rename_saved};
use crate::ui::state::{use_app, ActiveRef, NoticeKind};

#[component]
pub fn DatasetList() -> impl IntoView {
    let state = use_app();
    let renaming = RwSignal::new(None::<String>);
    let new_name = RwSignal::new(String::new());
    let base = move || {
        let (name, rows) = state
            .base
            .with(|b| (b.table.name().to_owned(), b.table.num_rows()));
        let active = state.active.with(|a| *a == ActiveRef::Base);
        let data_name = name.clone();
        view! {
            <li class="dataset" class:active=active data-testid="dataset-base" data-name=data_name>
                <div class="dataset-head">
                    <strong>{name}</strong>
                    <span class="muted">
                        {format!("{} · the loaded data", plural(rows, "row"))}
                    </span>
                    {if active {
                        view! { <span class="badge">"active (churn)"</span> }.into_any()
                    } else {
                        view! {
                            <button
                                class="button"
                                data-testid="dataset-open"
                                on:click=move |_| open_base(state)
                            >
                                "Open"
                            </button>
                        }
                            .into_any()
                    }}
                </div>
            </li>
        }
    };
    view! {
        <section class="dataset-list" aria-label="Datasets">
            <h2>"Datasets"</h2>
            <ul class="plain">
                {base}
                <For
                    each=move || state.saved.get()
                    key=|d| (d.name.clone(), d.table.num_rows(), d.table.num_columns())
                    let:saved
                >
                    {
                        let name = saved.name.clone();
                        let active = {
                            let n = name.clone();
                            move || {
                                state
                                    .active
                                    .with(|a| {
                                        *a
                                            == ActiveRef::Saved {
                                                name: n.clone(),
                                            }
                                    })
                            }
                        };
                        let (n_open, n_rename, n_delete, n_edit, n_commit) = (
                            name.clone(),
                            name.clone(),
                            name.clone(),
                            name.clone(),
                            name.clone(),
                        );
                        let active_class = active.clone();
                        let data_name = name.clone();
                        let commit = move || {
                            match rename_saved(state, &n_commit, &new_name.get_untracked()) {
                                Ok(()) => renaming.set(None),
                                Err(e) => {
                                    state
                                        .notify(
                                            NoticeKind::Error,
                                            "Could not rename the dataset",
                                            vec![e],
                                        )
                                }
                            }
                        };
                        view! {
                            <li
                                class="dataset"
                                class:active=active_class
                                data-testid="dataset-item"
                                data-name=data_name
                            >
                                <div class="dataset-head">
                                    <strong>{name.clone()}</strong>
                                    <span class="muted" data-testid="dataset-rows">
                                        {plural(saved.table.num_rows(), "row")}
                                    </span>
                                    {move || {
                                        if active() {
                                            view! { <span class="badge">"active (churn)"</span> }
                                                .into_any()
                                        } else {
                                            let n = n_open.clone();
                                            view! {
                                                <button
                                                    class="button"
                                                    data-testid="dataset-open"
                                                    on:click=move |_| open_saved(state, &n)
                                                >
                                                    "Open"
                                                </button>
                                            }
                                                .into_any()
                                        }
                                    }}
                                    <button
                                        class="button"
                                        data-testid="dataset-rename"
                                        on:click=move |_| {
                                            new_name.set(n_rename.clone());
                                            renaming.set(Some(n_rename.clone()));
                                        }
                                    >
                                        "Rename"
                                    </button>
                                    <button
                                        class="button"
                                        data-testid="dataset-delete"
                                        on:click=move |_| delete_saved(state, &n_delete)
                                    >
                                        "Delete"
                                    </button>
                                </div>
                                <Show when=move || {
                                    renaming.get().as_deref() == Some(n_edit.as_str())
                                }>
                                    <form
                                        class="rename-form"
                                        on:submit={
                                            let commit = commit.clone();
                                            move |ev| {
                                                ev.prevent_default();
                                                commit();
                                            }
                                        }
                                    >
                                        <input
                                            type="text"
                                            data-testid="dataset-rename-input"
                                            aria-label="New name"
                                            prop:value=move || new_name.get()
                                            on:input=move |ev| new_name.set(event_target_value(&ev))
                                        />
                                        <button
                                            class="button primary"
                                            type="submit"
                                            data-testid="dataset-rename-save"
                                        >
                                            "Rename"
                                        </button>
                                        <button
                                            class="button"
                                            type="button"
                                            on:click=move |_| renaming.set(None)
                                        >
                                            "Cancel"
                                        </button>
                                    </form>
                                </Show>
                                <code class="lineage" title="The SQL that made this dataset">
                                    {saved.sql.clone()}
                                </code>
                            </li>
                        }
                    }
                </For>
            </ul>
            <Show when=move || state.saved.with(Vec::is_empty)>
                <p class="muted">
                    "Save a query result on the SQL page and it appears here, as a table you can query by name."
                </p>
            </Show>
        </section>
    }
}

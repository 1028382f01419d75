//! The SQL page: an editor, the visual filter builder on its WHERE clause,
//! the result in a sortable grid with CSV export, a history of queries and
//! saving a result as a dataset.

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::common::numfmt::{count, decimal};
use crate::core::data::csv::write_table;
use crate::core::data::table::Table;
use crate::ui::browser::download::download;
use crate::ui::browser::held::Ticket;
use crate::ui::data::datasets::save_result;
use crate::ui::query::filter_builder::FilterBuilder;
use crate::ui::query::sql::{run_editor, sorted_result};
use crate::ui::query::sql_editor::SqlEditor;
use crate::ui::state::{use_app, ActiveRef, NoticeKind};
use crate::ui::widgets::busy_note::BusyNote;
use crate::ui::widgets::table_grid::{TableGrid, RESULT_GRID};

#[component]
pub fn SqlPage() -> impl IntoView {
    let state = use_app();
    let sql = state.sql;
    let running = RwSignal::new(false);
    // Columns sent to the background worker, while they are sent.
    let sending = RwSignal::new(None::<(usize, usize)>);
    let cancelled = RwSignal::new(false);
    let ticket = StoredValue::new_local(Ticket::new());
    let run = Callback::new(move |_: ()| {
        if running.get_untracked() {
            return;
        }
        running.set(true);
        cancelled.set(false);
        sending.set(None);
        let this = Ticket::new();
        ticket.set_value(this.clone());
        spawn_local(async move {
            // Let "Running…" paint before a long query.
            TimeoutFuture::new(0).await;
            run_editor(
                state,
                &move |done, total| sending.set(Some((done, total))),
                &this,
            )
            .await;
            cancelled.set(this.is_cancelled());
            running.set(false);
        });
    });
    let cancel = move |_| ticket.with_value(Ticket::cancel);
    // The order asked for by the grid's headers, and the result as shown
    // (keyed for the grid) with the order it is in.
    let sort = RwSignal::new(None::<(usize, bool)>);
    let shown = RwSignal::new(None::<(u64, Table)>);
    let shown_sort = RwSignal::new(None::<(usize, bool)>);
    let sorting = RwSignal::new(false);
    let sort_ticket = StoredValue::new_local(Ticket::new());
    Effect::new(move |_| {
        sql.result.with(|r| r.as_ref().map(|r| r.generation));
        sort.set(None);
    });
    Effect::new(move |_| {
        let asked = sort.get();
        let ticket = sort_ticket
            .try_update_value(Ticket::renew)
            .unwrap_or_default();
        let Some(r) = sql.result.get() else {
            shown.set(None);
            return;
        };
        let Some((col, desc)) = asked else {
            sorting.set(false);
            shown.set(Some((r.generation * 4, r.table)));
            shown_sort.set(None);
            return;
        };
        sorting.set(true);
        spawn_local(async move {
            let key = r.generation * 4 + 1 + desc as u64;
            match sorted_result(state, &r.table, col, desc, &ticket).await {
                _ if ticket.is_cancelled() => return,
                Ok(table) => {
                    shown.set(Some((key, table)));
                    shown_sort.set(Some((col, desc)));
                }
                Err(e) => {
                    state.notify(NoticeKind::Error, "Could not sort the result", vec![e]);
                    sort.set(shown_sort.get_untracked());
                }
            }
            sorting.set(false);
        });
    });
    let grid_table = Signal::derive(move || {
        shown
            .get()
            .unwrap_or_else(|| (0, crate::core::data::synth::generate(0, 0)))
    });
    let on_sort = Callback::new(move |col: usize| {
        sort.update(|s| {
            *s = match *s {
                Some((c, false)) if c == col => Some((col, true)),
                Some((c, true)) if c == col => None,
                _ => Some((col, false)),
            }
        })
    });
    let error_line = Signal::derive(move || {
        sql.error
            .with(|e| e.as_ref().and_then(|e| e.position).map(|p| p.line))
    });
    let save_name = RwSignal::new(String::new());
    let save_message = RwSignal::new(None::<Result<String, String>>);
    let save = move |_| {
        let Some(outcome) = sql.result.get_untracked() else {
            save_message.set(Some(Err(
                "Run a query first; its result is what gets saved.".into(),
            )));
            return;
        };
        let table = shown
            .get_untracked()
            .map(|(_, t)| t)
            .unwrap_or(outcome.table);
        match save_result(state, &save_name.get_untracked(), &outcome.sql, &table) {
            Ok(name) => {
                save_message.set(Some(Ok(format!(
                    "Saved {} as \"{name}\". Query it with FROM {name}.",
                    crate::core::common::numfmt::plural(table.num_rows(), "row")
                ))));
                save_name.set(String::new());
            }
            Err(e) => save_message.set(Some(Err(e))),
        }
    };
    let export = move |_| {
        if let Some((_, table)) = shown.get_untracked() {
            if let Err(e) = download(
                "query-result.csv",
                "text/csv",
                write_table(&table).as_bytes(),
            ) {
                state.notify(NoticeKind::Error, "Could not export the result", vec![e]);
            }
        }
    };
    let tables = move || {
        let active = state.dataset.with(|d| d.table.name().to_owned());
        let base = state.base.with(|b| b.table.name().to_owned());
        let saved: Vec<String> = state
            .saved
            .with(|s| s.iter().map(|d| d.name.clone()).collect());
        let base_active = state.active.with(|a| *a == ActiveRef::Base);
        view! {
            <li>
                <code>"churn"</code>
                " — the active dataset, "
                {active}
            </li>
            {(!base_active)
                .then(|| {
                    view! {
                        <li>
                            <code>{base.clone()}</code>
                            " — the loaded data"
                        </li>
                    }
                })}
            {saved
                .into_iter()
                .map(|n| {
                    view! {
                        <li>
                            <code>{n}</code>
                        </li>
                    }
                })
                .collect_view()}
        }
    };

    view! {
        <section class="sql-page">
            <div class="sql-top">
                <div class="sql-main">
                    <SqlEditor text=sql.text error_line on_run=run />
                    <div class="sql-bar">
                        <button
                            class="button primary"
                            data-testid="sql-run"
                            on:click=move |_| run.run(())
                            disabled=move || running.get()
                        >
                            "Run"
                        </button>
                        <span class="muted">"Ctrl+Enter (⌘+Enter) runs the query"</span>
                        <Show when=move || running.get()>
                            <span class="muted sql-running" role="status" data-testid="sql-running">
                                {move || match sending.get() {
                                    Some((done, total)) if done < total => {
                                        view! {
                                            <progress
                                                max=total
                                                value=done
                                                aria-label="Columns sent"
                                            ></progress>
                                            {format!(
                                                " Sending the data to a background worker: {done} of {total} columns…",
                                            )}
                                        }
                                            .into_any()
                                    }
                                    _ => {
                                        view! {
                                            <progress aria-label="Running the query"></progress>
                                            " Running…"
                                        }
                                            .into_any()
                                    }
                                }}
                            </span>
                            <button class="button" data-testid="sql-cancel" on:click=cancel>
                                "Cancel"
                            </button>
                        </Show>
                        <Show when=move || cancelled.get() && !running.get()>
                            <span class="muted" role="status" data-testid="sql-cancelled">
                                "Query cancelled; the last result stays."
                            </span>
                        </Show>
                    </div>
                    {move || {
                        sql.error
                            .get()
                            .map(|e| {
                                view! {
                                    <div class="notice error" data-testid="sql-error" role="alert">
                                        <div class="notice-body">{e.to_string()}</div>
                                    </div>
                                }
                            })
                    }}
                </div>
                <aside class="sql-side">
                    <h2>"Tables"</h2>
                    <ul class="plain">{tables}</ul>
                    <h2>"History"</h2>
                    <ol class="history" data-testid="sql-history">
                        <For each=move || sql.history.get() key=|q| q.clone() let:query>
                            <li>
                                <button
                                    class="history-item"
                                    data-testid="sql-history-item"
                                    title=query.clone()
                                    on:click={
                                        let q = query.clone();
                                        move |_| sql.text.set(q.clone())
                                    }
                                >
                                    {query.clone()}
                                </button>
                            </li>
                        </For>
                    </ol>
                    <Show when=move || sql.history.with(Vec::is_empty)>
                        <p class="muted">"Queries you run appear here."</p>
                    </Show>
                </aside>
            </div>
            <FilterBuilder sql=sql.text />
            <section class="results" aria-label="Result">
                {move || match sql.result.get() {
                    None => {
                        view! { <p class="muted">"Run a query to see its result here."</p> }
                            .into_any()
                    }
                    Some(r) => {
                        view! {
                            <div class="results-bar">
                                <span>
                                    <strong data-testid="result-count">
                                        {count(r.table.num_rows())}
                                    </strong>
                                    {format!(
                                        " row{} in {} ms",
                                        if r.table.num_rows() == 1 { "" } else { "s" },
                                        decimal(r.elapsed_ms, 1),
                                    )}
                                    {r
                                        .background
                                        .then(|| {
                                            view! {
                                                <span data-testid="result-background">
                                                    ", in a background worker"
                                                </span>
                                            }
                                        })}
                                </span>
                                <button class="button" data-testid="sql-export" on:click=export>
                                    "Export CSV"
                                </button>
                                <form
                                    class="save-form"
                                    on:submit=move |ev| {
                                        ev.prevent_default();
                                        save(());
                                    }
                                >
                                    <label for="dataset-name">"Save as dataset"</label>
                                    <input
                                        id="dataset-name"
                                        type="text"
                                        data-testid="dataset-name-input"
                                        placeholder="senior_citizens"
                                        prop:value=move || save_name.get()
                                        on:input=move |ev| save_name.set(event_target_value(&ev))
                                    />
                                    <button class="button" type="submit" data-testid="save-dataset">
                                        "Save"
                                    </button>
                                </form>
                            </div>
                        }
                            .into_any()
                    }
                }}
                {move || {
                    save_message
                        .get()
                        .map(|m| match m {
                            Ok(text) => {
                                view! {
                                    <p
                                        class="saved-note"
                                        data-testid="save-dataset-done"
                                        role="status"
                                    >
                                        {text}
                                    </p>
                                }
                                    .into_any()
                            }
                            Err(text) => {
                                view! {
                                    <p
                                        class="notice error"
                                        data-testid="save-dataset-error"
                                        role="alert"
                                    >
                                        {text}
                                    </p>
                                }
                                    .into_any()
                            }
                        })
                }}
                <BusyNote when=sorting testid="result-sort-progress" text="Sorting the result…" />
                <Show when=move || sql.result.with(Option::is_some)>
                    <TableGrid
                        table=grid_table
                        ids=RESULT_GRID
                        on_sort
                        sorted=Signal::derive(move || shown_sort.get())
                    />
                </Show>
            </section>
        </section>
    }
}

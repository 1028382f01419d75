//! Every recorded run in a table: filtered by any parameter, sorted by a
//! metric or a parameter, selected for comparing or deleting, and exported
//! as CSV or JSON (the selected runs, or all shown).

use leptos::prelude::*;

use crate::core::common::numfmt::count;
use crate::core::model::config::Mode;
use crate::ui::browser::download::download;
use crate::ui::data::datasets::persist_runs;
use crate::ui::model::run_fields::{metric, param_number, params};
use crate::ui::state::{use_app, NoticeKind, Run};
use crate::ui::widgets::scroll_region::ScrollRegion;

fn started(ms: f64) -> String {
    let d = js_sys::Date::new(&ms.into());
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes(),
        d.get_seconds()
    )
}

/// The runs as CSV: one row per run, parameters then metrics.
fn runs_csv(runs: &[Run]) -> String {
    let quote = |s: &str| {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_owned()
        }
    };
    let mut out = String::from("id,started,duration_ms");
    if let Some(r) = runs.first() {
        for (k, _) in params(r) {
            out.push(',');
            out.push_str(&quote(k));
        }
    }
    out.push_str(",train_accuracy,test_accuracy,auc,log_loss,f1\n");
    for r in runs {
        out.push_str(&format!(
            "{},{},{:.0}",
            r.id,
            started(r.started_ms),
            r.duration_ms
        ));
        for (_, v) in params(r) {
            out.push(',');
            out.push_str(&quote(&v));
        }
        let m = &r.metrics;
        out.push_str(&format!(
            ",{},{},{},{},{}\n",
            m.train_accuracy, m.test_accuracy, m.auc, m.log_loss, m.f1
        ));
    }
    out
}

#[derive(Clone, Copy, PartialEq)]
enum SortKey {
    Started,
    Metric(&'static str),
    Param(&'static str),
}

/// `selected` is shared with the compare view, which shows `compared`.
#[component]
pub fn RunsTable(selected: RwSignal<Vec<u64>>, compared: Memo<Vec<Run>>) -> impl IntoView {
    let state = use_app();
    let t = state.training;
    let filter = RwSignal::new(String::new());
    let sort = RwSignal::new((SortKey::Started, true));
    let visible = Memo::new(move |_| {
        let needle = filter.get().to_lowercase();
        let mut runs: Vec<Run> = t
            .runs
            .get()
            .into_iter()
            .filter(|r| {
                needle.is_empty()
                    || params(r)
                        .iter()
                        .any(|(k, v)| format!("{k} {v}").to_lowercase().contains(&needle))
            })
            .collect();
        let (key, desc) = sort.get();
        runs.sort_by(|a, b| {
            let o = match key {
                SortKey::Started => a.started_ms.total_cmp(&b.started_ms),
                SortKey::Metric(m) => metric(a, m).total_cmp(&metric(b, m)),
                SortKey::Param(p) => param_number(a, p)
                    .unwrap_or(f64::NEG_INFINITY)
                    .total_cmp(&param_number(b, p).unwrap_or(f64::NEG_INFINITY)),
            };
            if desc {
                o.reverse()
            } else {
                o
            }
        });
        runs
    });
    let header = move |key: SortKey, label: &'static str| {
        let aria = move || match sort.get() {
            (k, true) if k == key => "descending",
            (k, false) if k == key => "ascending",
            _ => "none",
        };
        view! {
            <th scope="col" aria-sort=aria>
                <button
                    class="sort"
                    data-testid="runs-sort"
                    on:click=move |_| {
                        sort.update(|s| *s = if s.0 == key { (key, !s.1) } else { (key, true) })
                    }
                >
                    {label}
                </button>
            </th>
        }
    };
    let delete = move |_| {
        let ids = selected.get_untracked();
        t.runs.update(|runs| runs.retain(|r| !ids.contains(&r.id)));
        selected.set(Vec::new());
        persist_runs(state);
    };
    let export = move |json: bool| {
        let runs = if selected.with_untracked(Vec::is_empty) {
            visible.get_untracked()
        } else {
            compared.get_untracked()
        };
        let result = if json {
            download(
                "churnlab-runs.json",
                "application/json",
                serde_json::to_string_pretty(&runs)
                    .unwrap_or_default()
                    .as_bytes(),
            )
        } else {
            download("churnlab-runs.csv", "text/csv", runs_csv(&runs).as_bytes())
        };
        if let Err(e) = result {
            state.notify(NoticeKind::Error, "Could not export the runs", vec![e]);
        }
    };

    view! {
        <section class="runs" aria-label="Runs">
            <div class="runs-bar">
                <h3>{move || format!("Runs ({})", count(t.runs.with(Vec::len)))}</h3>
                <input
                    type="search"
                    placeholder="Filter runs"
                    aria-label="Filter runs"
                    data-testid="runs-filter"
                    prop:value=filter
                    on:input=move |ev| filter.set(event_target_value(&ev))
                />
                <span class="muted">{move || format!("{} selected", selected.with(Vec::len))}</span>
                <button
                    class="button"
                    data-testid="runs-delete"
                    disabled=move || selected.with(Vec::is_empty)
                    on:click=delete
                >
                    "Delete selected"
                </button>
                <button
                    class="button"
                    data-testid="runs-export-csv"
                    disabled=move || t.runs.with(Vec::is_empty)
                    on:click=move |_| export(false)
                >
                    "Export CSV"
                </button>
                <button
                    class="button"
                    data-testid="runs-export-json"
                    disabled=move || t.runs.with(Vec::is_empty)
                    on:click=move |_| export(true)
                >
                    "Export JSON"
                </button>
            </div>
            <Show
                when=move || t.runs.with(|r| !r.is_empty())
                fallback=|| {
                    view! {
                        <p class="muted">
                            "No runs yet: train a model on the Train page, or launch a grid above."
                        </p>
                    }
                }
            >
                <ScrollRegion label="Runs table">
                    <table class="runs-table">
                        <thead>
                            <tr>
                                <th scope="col">
                                    <span class="visually-hidden">"Select"</span>
                                </th>
                                {header(SortKey::Started, "started")}
                                <th scope="col">"dataset"</th>
                                <th scope="col">"mode"</th>
                                {header(SortKey::Param("C"), "C")}
                                {header(SortKey::Param("max_iter"), "max_iter")}
                                {header(SortKey::Param("folds"), "folds")}
                                {header(SortKey::Param("seed"), "seed")}
                                {header(SortKey::Metric("train_accuracy"), "train acc.")}
                                {header(SortKey::Metric("test_accuracy"), "test acc.")}
                                {header(SortKey::Metric("auc"), "AUC")}
                                {header(SortKey::Metric("log_loss"), "log loss")}
                                {header(SortKey::Metric("f1"), "F1")}
                                <th scope="col">"time"</th>
                            </tr>
                        </thead>
                        <tbody>
                            <For each=move || visible.get() key=|r| r.id let:r>
                                {
                                    let id = r.id;
                                    let cv = r.config.mode == Mode::Cv;
                                    view! {
                                        <tr
                                            data-testid="run-row"
                                            data-run-id=id.to_string()
                                            class:selected=move || selected.with(|s| s.contains(&id))
                                        >
                                            <td>
                                                <input
                                                    type="checkbox"
                                                    data-testid="run-select"
                                                    aria-label="Select run"
                                                    prop:checked=move || selected.with(|s| s.contains(&id))
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        selected
                                                            .update(|s| {
                                                                s.retain(|x| *x != id);
                                                                if on {
                                                                    s.push(id);
                                                                }
                                                            });
                                                    }
                                                />
                                            </td>
                                            <td>{started(r.started_ms)}</td>
                                            <td>{r.dataset.clone()}</td>
                                            <td>{if cv { "cv" } else { "plain" }}</td>
                                            <td>{format!("{:.4}", r.c)}</td>
                                            <td>{r.config.max_iter.to_string()}</td>
                                            <td>
                                                {if cv {
                                                    r.config.folds.to_string()
                                                } else {
                                                    String::new()
                                                }}
                                            </td>
                                            <td>{r.config.seed.to_string()}</td>
                                            <td data-metric="train_accuracy">
                                                {format!("{:.4}", r.metrics.train_accuracy)}
                                            </td>
                                            <td data-metric="test_accuracy">
                                                {format!("{:.4}", r.metrics.test_accuracy)}
                                            </td>
                                            <td data-metric="auc">{format!("{:.4}", r.metrics.auc)}</td>
                                            <td data-metric="log_loss">
                                                {format!("{:.4}", r.metrics.log_loss)}
                                            </td>
                                            <td data-metric="f1">{format!("{:.4}", r.metrics.f1)}</td>
                                            <td>{format!("{:.0} ms", r.duration_ms)}</td>
                                        </tr>
                                    }
                                }
                            </For>
                        </tbody>
                    </table>
                </ScrollRegion>
            </Show>
        </section>
    }
}

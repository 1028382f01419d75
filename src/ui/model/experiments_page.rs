//! The experiments page, the workshop's MLflow step: every training run
//! with its parameters and metrics, a grid form that launches many runs,
//! a sortable and filterable runs table, a compare view, and export.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::chart::{ChartData, ChartKind, Point};
use crate::core::common::numfmt::count;
use crate::core::model::config::{Mode, TrainConfig};
use crate::core::model::defaults::default_config;
use crate::ui::data::datasets::{dataset_names, persist_runs, table_named};
use crate::ui::browser::download::download;
use crate::ui::model::train_page::{TrainProgressBar, parse_list};
use crate::ui::widgets::chart_view::ChartView;
use crate::ui::state::{use_app, NoticeKind, Run};
use crate::ui::model::training::run_batch;
use crate::ui::widgets::scroll_region::ScrollRegion;

/// A run's parameters as (name, text) pairs, in display order.
fn params(r: &Run) -> Vec<(&'static str, String)> {
    let c = &r.config;
    vec![
        ("dataset", r.dataset.clone()),
        ("rows", r.rows.to_string()),
        ("target", format!("{} = {}", c.target, c.positive)),
        ("mode", if c.mode == Mode::Cv { "cv".into() } else { "plain".into() }),
        ("C", format!("{}", r.c)),
        ("C grid", if c.mode == Mode::Cv { c.cs.iter().map(|v| format!("{v:.3e}")).collect::<Vec<_>>().join(" ") } else { String::new() }),
        ("folds", if c.mode == Mode::Cv { c.folds.to_string() } else { String::new() }),
        ("max_iter", c.max_iter.to_string()),
        ("seed", c.seed.to_string()),
        ("test share", format!("{}", c.test_share)),
        ("missing", format!("{:?}", c.missing).to_lowercase()),
        ("features", c.features.join(" ")),
    ]
}

/// Numeric parameters a metric can be drawn against.
const NUMERIC_PARAMS: [&str; 5] = ["C", "max_iter", "folds", "seed", "test share"];
const METRICS: [&str; 5] = ["test_accuracy", "train_accuracy", "auc", "log_loss", "f1"];

fn metric(r: &Run, name: &str) -> f64 {
    let m = &r.metrics;
    match name {
        "train_accuracy" => m.train_accuracy,
        "auc" => m.auc,
        "log_loss" => m.log_loss,
        "f1" => m.f1,
        _ => m.test_accuracy,
    }
}

fn param_number(r: &Run, name: &str) -> Option<f64> {
    let c = &r.config;
    match name {
        "C" => Some(r.c),
        "max_iter" => Some(c.max_iter as f64),
        "folds" => (c.mode == Mode::Cv).then_some(c.folds as f64),
        "seed" => Some(c.seed as f64),
        "test share" => Some(c.test_share),
        _ => None,
    }
}

fn started(ms: f64) -> String {
    let d = js_sys::Date::new(&ms.into());
    format!("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", d.get_full_year(), d.get_month() + 1, d.get_date(), d.get_hours(), d.get_minutes(), d.get_seconds())
}

/// The runs as CSV: one row per run, parameters then metrics.
fn runs_csv(runs: &[Run]) -> String {
    let quote = |s: &str| if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_owned() };
    let mut out = String::from("id,started,duration_ms");
    if let Some(r) = runs.first() {
        for (k, _) in params(r) {
            out.push(',');
            out.push_str(&quote(k));
        }
    }
    out.push_str(",train_accuracy,test_accuracy,auc,log_loss,f1\n");
    for r in runs {
        out.push_str(&format!("{},{},{:.0}", r.id, started(r.started_ms), r.duration_ms));
        for (_, v) in params(r) {
            out.push(',');
            out.push_str(&quote(&v));
        }
        let m = &r.metrics;
        out.push_str(&format!(",{},{},{},{},{}\n", m.train_accuracy, m.test_accuracy, m.auc, m.log_loss, m.f1));
    }
    out
}

#[derive(Clone, Copy, PartialEq)]
enum SortKey {
    Started,
    Metric(&'static str),
    Param(&'static str),
}

#[component]
pub fn ExperimentsPage() -> impl IntoView {
    let state = use_app();
    let t = state.training;
    let selected = RwSignal::new(Vec::<u64>::new());
    let filter = RwSignal::new(String::new());
    let sort = RwSignal::new((SortKey::Started, true));

    // The grid form.
    let dataset = RwSignal::new("churn".to_owned());
    let mode = RwSignal::new(Mode::Plain);
    let iters = RwSignal::new("10, 50, 100".to_owned());
    let cs = RwSignal::new("0.01, 1, 100".to_owned());
    let folds = RwSignal::new("5".to_owned());
    let grid_error = RwSignal::new(None::<String>);
    let launch = move |_| {
        let Some(table) = table_named(state, &dataset.get_untracked()) else {
            grid_error.set(Some(format!("There is no dataset called \"{}\".", dataset.get_untracked())));
            return;
        };
        let parse = |what: &str, text: String| parse_list(&text).map_err(|e| format!("{what}: {e}."));
        let lists = (|| -> Result<(Vec<f64>, Vec<f64>, Vec<f64>), String> {
            let i = parse("Max iterations", iters.get_untracked())?;
            let c = if mode.get_untracked() == Mode::Plain { parse("C", cs.get_untracked())? } else { vec![1.0] };
            let f = if mode.get_untracked() == Mode::Cv { parse("Folds", folds.get_untracked())? } else { vec![5.0] };
            if i.is_empty() || c.is_empty() || f.is_empty() {
                return Err("Give at least one value for each parameter.".into());
            }
            Ok((i, c, f))
        })();
        let (iters, cs, folds) = match lists {
            Ok(l) => l,
            Err(e) => {
                grid_error.set(Some(e));
                return;
            }
        };
        let base = TrainConfig { mode: mode.get_untracked(), ..default_config(&table) };
        let mut configs = Vec::new();
        for &i in &iters {
            for &c in &cs {
                for &f in &folds {
                    configs.push(TrainConfig { max_iter: i.max(0.0) as u64, c, folds: f.max(0.0) as usize, ..base.clone() });
                }
            }
        }
        if let Some(e) = configs.iter().find_map(|cfg| crate::core::model::train::split(&table, cfg).err()) {
            grid_error.set(Some(e.to_string()));
            return;
        }
        grid_error.set(None);
        let name = dataset.get_untracked();
        spawn_local(async move {
            run_batch(state, name, table, configs).await;
        });
    };
    let grid_size = move || {
        let n = |s: &str| parse_list(s).map(|v| v.len()).unwrap_or(0);
        let extra = if mode.get() == Mode::Plain { n(&cs.get()) } else { n(&folds.get()) };
        n(&iters.get()) * extra
    };

    let visible = Memo::new(move |_| {
        let needle = filter.get().to_lowercase();
        let mut runs: Vec<Run> = t
            .runs
            .get()
            .into_iter()
            .filter(|r| needle.is_empty() || params(r).iter().any(|(k, v)| format!("{k} {v}").to_lowercase().contains(&needle)))
            .collect();
        let (key, desc) = sort.get();
        runs.sort_by(|a, b| {
            let o = match key {
                SortKey::Started => a.started_ms.total_cmp(&b.started_ms),
                SortKey::Metric(m) => metric(a, m).total_cmp(&metric(b, m)),
                SortKey::Param(p) => param_number(a, p).unwrap_or(f64::NEG_INFINITY).total_cmp(&param_number(b, p).unwrap_or(f64::NEG_INFINITY)),
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
                <button class="sort" data-testid="runs-sort" on:click=move |_| sort.update(|s| *s = if s.0 == key { (key, !s.1) } else { (key, true) })>{label}</button>
            </th>
        }
    };
    let compared = Memo::new(move |_| {
        let ids = selected.get();
        t.runs.with(|runs| runs.iter().filter(|r| ids.contains(&r.id)).cloned().collect::<Vec<_>>())
    });
    let delete = move |_| {
        let ids = selected.get_untracked();
        t.runs.update(|runs| runs.retain(|r| !ids.contains(&r.id)));
        selected.set(Vec::new());
        persist_runs(state);
    };
    let export = move |json: bool| {
        let runs = if selected.with_untracked(Vec::is_empty) { visible.get_untracked() } else { compared.get_untracked() };
        let result = if json {
            download("churnlab-runs.json", "application/json", serde_json::to_string_pretty(&runs).unwrap_or_default().as_bytes())
        } else {
            download("churnlab-runs.csv", "text/csv", runs_csv(&runs).as_bytes())
        };
        if let Err(e) = result {
            state.notify(NoticeKind::Error, "Could not export the runs", vec![e]);
        }
    };

    view! {
        <div class="experiments-page">
            <header class="page-head">
                <h2>"Experiments"</h2>
                <p class="muted">"Every training run is recorded here with its parameters and metrics, and kept in this browser."</p>
            </header>
            <section class="grid-form" aria-label="Launch a grid of runs">
                <h3>"Launch a grid of runs"</h3>
                <div class="form-row">
                    <label>
                        "Dataset "
                        <select data-testid="grid-dataset" on:change=move |ev| dataset.set(event_target_value(&ev))>
                            {move || dataset_names(state).into_iter().map(|n| view! { <option value=n.clone() selected=n == dataset.get_untracked()>{n.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                    <label>
                        "Mode "
                        <select data-testid="grid-mode" on:change=move |ev| mode.set(if event_target_value(&ev) == "cv" { Mode::Cv } else { Mode::Plain })>
                            <option value="plain" selected=true>"one C"</option>
                            <option value="cv">"cross-validated C"</option>
                        </select>
                    </label>
                    <label>"max_iter ∈ " <input type="text" data-testid="grid-max-iter" prop:value=iters on:input=move |ev| iters.set(event_target_value(&ev))/></label>
                    <Show
                        when=move || mode.get() == Mode::Plain
                        fallback=move || view! { <label>"folds ∈ " <input type="text" data-testid="grid-folds" prop:value=folds on:input=move |ev| folds.set(event_target_value(&ev))/></label> }
                    >
                        <label>"C ∈ " <input type="text" data-testid="grid-c" prop:value=cs on:input=move |ev| cs.set(event_target_value(&ev))/></label>
                    </Show>
                    <button class="button primary" data-testid="grid-start" disabled=move || t.progress.with(Option::is_some) on:click=launch>
                        {move || format!("Launch {}", crate::core::common::numfmt::plural(grid_size(), "run"))}
                    </button>
                </div>
                <TrainProgressBar/>
                {move || grid_error.get().or_else(|| t.error.get()).map(|e| view! { <p class="form-error" role="alert" data-testid="grid-error">{e}</p> })}
            </section>
            <section class="runs" aria-label="Runs">
                <div class="runs-bar">
                    <h3>{move || format!("Runs ({})", count(t.runs.with(Vec::len)))}</h3>
                    <input type="search" placeholder="Filter runs" aria-label="Filter runs" data-testid="runs-filter" prop:value=filter on:input=move |ev| filter.set(event_target_value(&ev))/>
                    <span class="muted">{move || format!("{} selected", selected.with(Vec::len))}</span>
                    <button class="button" data-testid="runs-delete" disabled=move || selected.with(Vec::is_empty) on:click=delete>"Delete selected"</button>
                    <button class="button" data-testid="runs-export-csv" disabled=move || t.runs.with(Vec::is_empty) on:click=move |_| export(false)>"Export CSV"</button>
                    <button class="button" data-testid="runs-export-json" disabled=move || t.runs.with(Vec::is_empty) on:click=move |_| export(true)>"Export JSON"</button>
                </div>
                <Show when=move || t.runs.with(|r| !r.is_empty()) fallback=|| view! { <p class="muted">"No runs yet: train a model on the Train page, or launch a grid above."</p> }>
                    <ScrollRegion label="Runs table">
                        <table class="runs-table">
                            <thead>
                                <tr>
                                    <th scope="col"><span class="visually-hidden">"Select"</span></th>
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
                                            <tr data-testid="run-row" data-run-id=id.to_string() class:selected=move || selected.with(|s| s.contains(&id))>
                                                <td>
                                                    <input
                                                        type="checkbox"
                                                        data-testid="run-select"
                                                        aria-label="Select run"
                                                        prop:checked=move || selected.with(|s| s.contains(&id))
                                                        on:change=move |ev| {
                                                            let on = event_target_checked(&ev);
                                                            selected.update(|s| {
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
                                                <td>{if cv { r.config.folds.to_string() } else { String::new() }}</td>
                                                <td>{r.config.seed.to_string()}</td>
                                                <td data-metric="train_accuracy">{format!("{:.4}", r.metrics.train_accuracy)}</td>
                                                <td data-metric="test_accuracy">{format!("{:.4}", r.metrics.test_accuracy)}</td>
                                                <td data-metric="auc">{format!("{:.4}", r.metrics.auc)}</td>
                                                <td data-metric="log_loss">{format!("{:.4}", r.metrics.log_loss)}</td>
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
            <Show when=move || compared.with(|c| c.len() >= 2) fallback=move || view! { <p class="muted">"Select two or more runs to compare them."</p> }>
                <Compare runs=compared/>
            </Show>
        </div>
    }
}

/// Selected runs side by side, and a metric against a parameter.
#[component]
fn Compare(#[prop(into)] runs: Signal<Vec<Run>>) -> impl IntoView {
    let only_diff = RwSignal::new(false);
    let metric_name = RwSignal::new("test_accuracy");
    let param_name = RwSignal::new("C");
    let rows = move || {
        let runs = runs.get();
        let table: Vec<Vec<(&'static str, String)>> = runs.iter().map(params).collect();
        let names: Vec<&'static str> = table.first().map(|p| p.iter().map(|(k, _)| *k).collect()).unwrap_or_default();
        let mut out: Vec<(String, Vec<String>, bool)> = names
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let values: Vec<String> = table.iter().map(|p| p[i].1.clone()).collect();
                let differs = values.iter().any(|v| *v != values[0]);
                (k.to_string(), values, differs)
            })
            .collect();
        for m in METRICS {
            let values: Vec<String> = runs.iter().map(|r| format!("{:.4}", metric(r, m))).collect();
            let differs = values.iter().any(|v| *v != values[0]);
            out.push((m.to_owned(), values, differs));
        }
        if only_diff.get() {
            out.retain(|r| r.2);
        }
        out
    };
    let chart = Signal::derive(move || {
        let (m, p) = (metric_name.get(), param_name.get());
        let mut points: Vec<Point> = runs
            .get()
            .iter()
            .filter_map(|r| param_number(r, p).map(|x| Point { x, y: metric(r, m), label: Some(format!("run {}", r.id % 100_000)) }))
            .collect();
        points.sort_by(|a, b| a.x.total_cmp(&b.x));
        if points.is_empty() {
            return Some(Err(format!("None of the selected runs has a {p}.")));
        }
        let sampled_from = points.len();
        Some(Ok((ChartKind::Scatter, ChartData::Points { x_axis: p.to_owned(), y_axis: m.to_owned(), groups: vec![(String::new(), points)], sampled_from })))
    });
    view! {
        <section class="compare" data-testid="runs-compare" aria-label="Compare runs">
            <div class="runs-bar">
                <h3>{move || format!("Comparing {}", crate::core::common::numfmt::plural(runs.with(Vec::len), "run"))}</h3>
                <label class="check">
                    <input type="checkbox" data-testid="compare-diff-only" prop:checked=only_diff on:change=move |ev| only_diff.set(event_target_checked(&ev))/>
                    "Show only differences"
                </label>
            </div>
            <ScrollRegion label="Compared runs">
                <table class="compare-table">
                    <thead>
                        <tr>
                            <th scope="col">"parameter"</th>
                            {move || runs.get().iter().map(|r| view! { <th scope="col">{format!("run {}", r.id % 100_000)}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {move || rows()
                            .into_iter()
                            .map(|(name, values, differs)| {
                                let label = name.clone();
                                view! {
                                    <tr data-testid="compare-row" data-param=name class:diff=differs>
                                        <th scope="row">{label}</th>
                                        {values.into_iter().map(|v| view! { <td>{v}</td> }).collect_view()}
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </ScrollRegion>
            <div class="compare-chart">
                <label>
                    "Metric "
                    <select data-testid="compare-metric" on:change=move |ev| { let v = event_target_value(&ev); if let Some(m) = METRICS.iter().find(|m| **m == v) { metric_name.set(m); } }>
                        {METRICS.iter().map(|m| view! { <option value=*m selected=*m == "test_accuracy">{*m}</option> }).collect_view()}
                    </select>
                </label>
                <label>
                    " against "
                    <select data-testid="compare-param" on:change=move |ev| { let v = event_target_value(&ev); if let Some(p) = NUMERIC_PARAMS.iter().find(|p| **p == v) { param_name.set(p); } }>
                        {NUMERIC_PARAMS.iter().map(|p| view! { <option value=*p selected=*p == "C">{*p}</option> }).collect_view()}
                    </select>
                </label>
                <ChartView chart label=Signal::derive(move || format!("{} against {}", metric_name.get(), param_name.get()))/>
            </div>
        </section>
    }
}

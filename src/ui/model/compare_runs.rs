//! Selected runs side by side, their differences marked, and a metric
//! drawn against a numeric parameter (the workshop's MLflow compare view).

use leptos::prelude::*;

use crate::core::chart::{ChartData, ChartKind, Point};
use crate::ui::model::run_fields::{metric, param_number, params, METRICS, NUMERIC_PARAMS};
use crate::ui::state::Run;
use crate::ui::widgets::chart_view::ChartView;
use crate::ui::widgets::scroll_region::ScrollRegion;

/// Selected runs side by side, and a metric against a parameter.
#[component]
pub fn CompareRuns(#[prop(into)] runs: Signal<Vec<Run>>) -> impl IntoView {
    let only_diff = RwSignal::new(false);
    let metric_name = RwSignal::new("test_accuracy");
    let param_name = RwSignal::new("C");
    let rows = move || {
        let runs = runs.get();
        let table: Vec<Vec<(&'static str, String)>> = runs.iter().map(params).collect();
        let names: Vec<&'static str> = table
            .first()
            .map(|p| p.iter().map(|(k, _)| *k).collect())
            .unwrap_or_default();
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
            let values: Vec<String> = runs
                .iter()
                .map(|r| format!("{:.4}", metric(r, m)))
                .collect();
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
            .filter_map(|r| {
                param_number(r, p).map(|x| Point {
                    x,
                    y: metric(r, m),
                    label: Some(format!("run {}", r.id % 100_000)),
                })
            })
            .collect();
        points.sort_by(|a, b| a.x.total_cmp(&b.x));
        if points.is_empty() {
            return Some(Err(format!("None of the selected runs has a {p}.")));
        }
        let sampled_from = points.len();
        Some(Ok((
            ChartKind::Scatter,
            ChartData::Points {
                x_axis: p.to_owned(),
                y_axis: m.to_owned(),
                groups: vec![(String::new(), points)],
                sampled_from,
            },
        )))
    });
    view! {
        <section class="compare" data-testid="runs-compare" aria-label="Compare runs">
            <div class="runs-bar">
                <h3>
                    {move || {
                        format!(
                            "Comparing {}",
                            crate::core::common::numfmt::plural(runs.with(Vec::len), "run"),
                        )
                    }}
                </h3>
                <label class="check">
                    <input
                        type="checkbox"
                        data-testid="compare-diff-only"
                        prop:checked=only_diff
                        on:change=move |ev| only_diff.set(event_target_checked(&ev))
                    />
                    "Show only differences"
                </label>
            </div>
            <ScrollRegion label="Compared runs">
                <table class="compare-table">
                    <thead>
                        <tr>
                            <th scope="col">"parameter"</th>
                            {move || {
                                runs.get()
                                    .iter()
                                    .map(|r| {
                                        view! {
                                            <th scope="col">{format!("run {}", r.id % 100_000)}</th>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            rows()
                                .into_iter()
                                .map(|(name, values, differs)| {
                                    let label = name.clone();
                                    view! {
                                        <tr
                                            data-testid="compare-row"
                                            data-param=name
                                            class:diff=differs
                                        >
                                            <th scope="row">{label}</th>
                                            {values
                                                .into_iter()
                                                .map(|v| view! { <td>{v}</td> })
                                                .collect_view()}
                                        </tr>
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </ScrollRegion>
            <div class="compare-chart">
                <label>
                    "Metric "
                    <select
                        data-testid="compare-metric"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if let Some(m) = METRICS.iter().find(|m| **m == v) {
                                metric_name.set(m);
                            }
                        }
                    >
                        {METRICS
                            .iter()
                            .map(|m| {
                                view! {
                                    <option value=*m selected=*m == "test_accuracy">
                                        {*m}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    " against "
                    <select
                        data-testid="compare-param"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if let Some(p) = NUMERIC_PARAMS.iter().find(|p| **p == v) {
                                param_name.set(p);
                            }
                        }
                    >
                        {NUMERIC_PARAMS
                            .iter()
                            .map(|p| {
                                view! {
                                    <option value=*p selected=*p == "C">
                                        {*p}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <ChartView
                    chart
                    label=Signal::derive(move || {
                        format!("{} against {}", metric_name.get(), param_name.get())
                    })
                />
            </div>
        </section>
    }
}

//! Drift per feature and per block: a heat map of PSI (each cell also
//! printed, and marked when it crosses 0.25), and for the chosen feature a
//! chart over the blocks and a table of its tests and data quality.

use leptos::prelude::*;

use crate::core::chart::ChartKind;
use crate::core::common::numfmt::decimal;
use crate::core::ops::charts::drift_chart;
use crate::ui::ops::types::WINDOW;
use crate::ui::state::use_app;
use crate::ui::widgets::chart_view::ChartResult;
use crate::ui::widgets::chart_view::ChartView;
use crate::ui::widgets::scroll_region::ScrollRegion;

/// The PSI rule of thumb for a significant shift.
const PSI_SIGNIFICANT: f64 = 0.25;

/// A cell's shade: six steps from white (PSI below 0.05) to red (0.5 and above).
fn heat(psi: f64) -> &'static str {
    match psi {
        p if p < 0.05 => "heat-0",
        p if p < 0.1 => "heat-1",
        p if p < 0.15 => "heat-2",
        p if p < PSI_SIGNIFICANT => "heat-3",
        p if p < 0.5 => "heat-4",
        _ => "heat-5",
    }
}

#[component]
pub fn OpsDrift(as_of: Memo<usize>, first: RwSignal<usize>) -> impl IntoView {
    let state = use_app();
    let ops = state.ops;
    let feature = RwSignal::new(0usize);
    let visible = Memo::new(move |_| {
        ops.open.with(|o| {
            o.as_ref()
                .map_or(0, |o| o.report.blocks_as_of(as_of.get()).len())
        })
    });
    let chart = Signal::derive(move || -> ChartResult {
        ops.open.with(|o| {
            o.as_ref().map(|o| {
                Ok((
                    ChartKind::Line,
                    drift_chart(&o.report, feature.get(), visible.get(), PSI_SIGNIFICANT),
                ))
            })
        })
    });
    let features = Memo::new(move |_| {
        ops.open.with(|o| {
            o.as_ref()
                .map(|o| o.report.observed.features.clone())
                .unwrap_or_default()
        })
    });

    view! {
        <section class="ops-drift" aria-label="Drift">
            <h3>"Drift against the training data"</h3>
            <p class="muted">
                "Population stability index of each feature in each block, against a sample of the model's training rows (decile bins fixed on them; a category is a bin). Values above 0.25 are marked ▲. Pick a feature to chart it and see its tests and data quality."
            </p>
            <ScrollRegion label="Drift by feature and block">
                <table class="heatmap" data-testid="drift-heatmap">
                    <caption class="visually-hidden">"PSI per feature and block"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Feature"</th>
                            {move || {
                                (first.get() + 1..=visible.get().min(first.get() + WINDOW))
                                    .map(|b| view! { <th scope="col">{b}</th> })
                                    .collect_view()
                            }}
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            let (n, from) = (visible.get(), first.get());
                            ops.open
                                .with(|o| {
                                    let Some(o) = o.as_ref() else { return Vec::new() };
                                    let r = &o.report.observed;
                                    r.features
                                        .iter()
                                        .enumerate()
                                        .map(|(fi, name)| {
                                            let cells = r
                                                .drift[fi]
                                                .iter()
                                                .zip(&r.blocks)
                                                .take(n)
                                                .skip(from)
                                                .take(WINDOW)
                                                .map(|(d, b)| {
                                                    let mark = if d.psi > PSI_SIGNIFICANT { "▲" } else { "" };
                                                    view! {
                                                        <td
                                                            data-testid="drift-cell"
                                                            data-feature=name.clone()
                                                            data-block=b.block.to_string()
                                                            data-psi=d.psi.to_string()
                                                            class=heat(d.psi)
                                                        >
                                                            {format!("{}{mark}", decimal(d.psi, 2))}
                                                        </td>
                                                    }
                                                })
                                                .collect_view();
                                            view! {
                                                <tr>
                                                    <th scope="row">
                                                        <button
                                                            class="link"
                                                            data-testid="drift-feature"
                                                            on:click=move |_| feature.set(fi)
                                                            aria-pressed=move || (feature.get() == fi).to_string()
                                                        >
                                                            {name.clone()}
                                                        </button>
                                                    </th>
                                                    {cells}
                                                </tr>
                                            }
                                        })
                                        .collect::<Vec<_>>()
                                })
                        }}
                    </tbody>
                </table>
            </ScrollRegion>
            <ScrollRegion label="Drift details">
                <table class="runs-table" data-testid="drift-details">
                    <caption>
                        {move || {
                            format!(
                                "Tests and data quality of {}",
                                features.with(|f| f.get(feature.get()).cloned().unwrap_or_default()),
                            )
                        }}
                    </caption>
                    <thead>
                        <tr>
                            <th scope="col">"Block"</th>
                            <th scope="col">"PSI"</th>
                            <th scope="col">"Test"</th>
                            <th scope="col">"p-value"</th>
                            <th scope="col">"Jensen-Shannon"</th>
                            <th scope="col">"Missing"</th>
                            <th scope="col">"Unseen"</th>
                            <th scope="col">"Out of range"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            let (n, from, fi) = (visible.get(), first.get(), feature.get());
                            ops.open
                                .with(|o| {
                                    let Some(o) = o.as_ref() else { return Vec::new() };
                                    let r = &o.report.observed;
                                    r.drift
                                        .get(fi)
                                        .map(|d| {
                                            d.iter()
                                                .zip(&r.blocks)
                                                .take(n)
                                                .skip(from)
                                                .take(WINDOW)
                                                .map(|(d, b)| {
                                                    let (test, p) = match (d.ks, d.chi2) {
                                                        (Some((s, p)), _) => (format!("KS {}", decimal(s, 3)), p),
                                                        (_, Some((s, p))) => (format!("χ² {}", decimal(s, 2)), p),
                                                        _ => ("—".to_owned(), f64::NAN),
                                                    };
                                                    view! {
                                                        <tr>
                                                            <th scope="row">{b.block}</th>
                                                            <td>{decimal(d.psi, 3)}</td>
                                                            <td>{test}</td>
                                                            <td>
                                                                {if p.is_nan() {
                                                                    "—".to_owned()
                                                                } else {
                                                                    format!("{p:.2e}")
                                                                }}
                                                            </td>
                                                            <td>
                                                                {d
                                                                    .js
                                                                    .map(|j| decimal(j, 3))
                                                                    .unwrap_or_else(|| "—".into())}
                                                            </td>
                                                            <td>{d.missing}</td>
                                                            <td>{d.unseen}</td>
                                                            <td>{d.out_of_range}</td>
                                                        </tr>
                                                    }
                                                })
                                                .collect::<Vec<_>>()
                                        })
                                        .unwrap_or_default()
                                })
                        }}
                    </tbody>
                </table>
            </ScrollRegion>
            <figure class="ops-chart" data-testid="ops-chart" data-chart="drift">
                <figcaption>
                    {move || {
                        format!(
                            "Drift of {} per block",
                            features.with(|f| f.get(feature.get()).cloned().unwrap_or_default()),
                        )
                    }}
                </figcaption>
                <ChartView
                    chart=chart
                    size="chart-small"
                    label=Signal::derive(move || "Drift of the chosen feature".to_owned())
                    canvas_id="ops-canvas-drift"
                />
            </figure>
        </section>
    }
}

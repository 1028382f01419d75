//! The open simulation: what ran, a slider for "known as of call N" (labels
//! arrive late, estimates do not), the charts of the workshop's lab
//! (probability and processing time per call, accuracy per block) with the
//! estimate beside the realised accuracy, and the table of blocks; then
//! drift, alerts and retraining.

use leptos::prelude::*;

use crate::core::chart::{ChartData, ChartKind};
use crate::core::common::numfmt::{count, decimal};
use crate::core::ops::charts::{accuracy_chart, estimated_chart, latency_chart, probability_chart};
use crate::ui::ops::ops_alerts::OpsAlerts;
use crate::ui::ops::ops_drift::OpsDrift;
use crate::ui::ops::ops_retrain::OpsRetrain;
use crate::ui::ops::simulations::{export_log, export_metrics};
use crate::ui::ops::types::WINDOW;
use crate::ui::state::use_app;
use crate::ui::widgets::chart_view::ChartResult;
use crate::ui::widgets::chart_view::ChartView;
use crate::ui::widgets::scroll_region::ScrollRegion;

fn column(log: &crate::core::data::table::Table, name: &str) -> Vec<f64> {
    log.column(name)
        .map(|c| {
            (0..c.data.len())
                .map(|r| c.data.number(r).unwrap_or(f64::NAN))
                .collect()
        })
        .unwrap_or_default()
}

fn opt(v: Option<f64>) -> String {
    v.map(|v| decimal(v, 3)).unwrap_or_default()
}

/// A chart of the page, tagged for tests as `ops-chart` with its name.
fn ops_chart(
    name: &'static str,
    label: &'static str,
    data: Signal<Option<ChartData>>,
) -> impl IntoView {
    let chart =
        Signal::derive(move || -> ChartResult { data.get().map(|d| Ok((ChartKind::Line, d))) });
    view! {
        <figure class="ops-chart" data-testid="ops-chart" data-chart=name>
            <figcaption>{label}</figcaption>
            <ChartView
                chart=chart
                size="chart-small"
                label=Signal::derive(move || label.to_owned())
                canvas_id=format!("ops-canvas-{name}")
            />
        </figure>
    }
}

#[component]
pub fn OpsRun() -> impl IntoView {
    let state = use_app();
    let ops = state.ops;
    let open = move || ops.open.get();
    let meta = Memo::new(move |_| ops.open.with(|o| o.as_ref().map(|o| o.meta.clone())));
    let end = Memo::new(move |_| {
        meta.with(|m| {
            m.as_ref()
                .map_or(0, |m| m.settings.calls + m.settings.label_delay)
        })
    });
    let as_of = Memo::new(move |_| ops.as_of.get().min(end.get()));
    let per_call = Memo::new(move |_| {
        ops.open
            .with(|o| {
                o.as_ref().map(|o| {
                    (
                        column(&o.log, "probability"),
                        column(&o.log, "processing_ms"),
                    )
                })
            })
            .unwrap_or_default()
    });
    let blocks = Memo::new(move |_| {
        ops.open
            .with(|o| o.as_ref().map(|o| o.report.blocks_as_of(as_of.get())))
            .unwrap_or_default()
    });
    // The tables show WINDOW blocks at a time, from `first` (0-based).
    let first = RwSignal::new(0usize);
    Effect::new(move |_| {
        meta.with(|m| m.as_ref().map(|m| m.id));
        first.set(0);
    });
    let shown = Memo::new(move |_| {
        blocks.with(|b| {
            b.iter()
                .skip(first.get())
                .take(WINDOW)
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    // A new result is drawn in steps, a frame apart (charts, then the blocks,
    // then drift, then alerts and retraining), so that the page is never
    // busy for long at once with a large run.
    let step = RwSignal::new(0u8);
    Effect::new(move |_| {
        meta.with(|m| m.as_ref().map(|m| m.id));
        step.set(0);
        leptos::task::spawn_local(async move {
            for s in 1..=3 {
                gloo_timers::future::TimeoutFuture::new(16).await;
                step.set(s);
            }
        });
    });
    let probability = Signal::derive(move || {
        per_call.with(|(p, _)| (!p.is_empty()).then(|| probability_chart(p, as_of.get())))
    });
    let latency = Signal::derive(move || {
        per_call.with(|(_, l)| (!l.is_empty()).then(|| latency_chart(l, as_of.get())))
    });
    let accuracy = Signal::derive(move || Some(blocks.with(|b| accuracy_chart(b))));
    let estimated = Signal::derive(move || {
        ops.open.with(|o| {
            o.as_ref()
                .map(|o| blocks.with(|b| estimated_chart(&o.report, b)))
        })
    });

    let summary = move || {
        open().map(|o| {
            let m = &o.meta;
            let s = &m.settings;
            let r = &o.report;
            format!(
                "{} calls to {} v{} (build {}) through {}, from \"{}\" with seed {}, in blocks of {}; labels arrive {} calls later. Reference: test accuracy {:.3}, churn rate {:.3}; scores {} before estimating. Took {:.1} s.",
                count(s.calls),
                m.model_name,
                m.model_version,
                m.model_build_id,
                if m.explained { "explain (with LIME, kept in the log)" } else { "predict" },
                s.source,
                s.seed,
                count(s.block_size),
                count(s.label_delay),
                r.reference_accuracy,
                r.observed.reference_churn_rate,
                if r.calibrated { "calibrated with isotonic regression" } else { "not calibrated (it would not help)" },
                m.duration_ms / 1000.0
            )
        })
    };

    view! {
        <section class="ops-run" aria-label="The open simulation">
            <h3>"Results"</h3>
            <p data-testid="sim-summary">{summary}</p>
            <div class="runs-bar">
                <button
                    class="button"
                    data-testid="sim-export-log"
                    on:click=move |_| export_log(state)
                >
                    "Export prediction log (CSV)"
                </button>
                <button
                    class="button"
                    data-testid="sim-export-metrics"
                    on:click=move |_| export_metrics(state)
                >
                    "Export metrics (JSON)"
                </button>
            </div>
            <label class="as-of">
                {move || {
                    let (a, e) = (as_of.get(), end.get());
                    if a >= e {
                        "Known now: every label has arrived".to_owned()
                    } else {
                        format!("Known as of call {}", count(a))
                    }
                }}
                <input
                    type="range"
                    min="1"
                    max=move || end.get().to_string()
                    step="1"
                    data-testid="sim-as-of"
                    aria-label="Known as of call"
                    prop:value=move || as_of.get().to_string()
                    on:input=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<usize>() {
                            ops.as_of.set(if v >= end.get_untracked() { usize::MAX } else { v });
                        }
                    }
                />
            </label>
            <div class="ops-charts">
                {ops_chart("probability", "Churn probability of each call", probability)}
                {ops_chart("latency", "Processing time of each call (ms)", latency)}
                {ops_chart(
                    "accuracy",
                    "Realised metrics per block (once its labels are in)",
                    accuracy,
                )}
                {ops_chart(
                    "estimated",
                    "Estimated accuracy (CBPE, with its band) and realised accuracy",
                    estimated,
                )}
            </div>
            <Show when=move || { step.get() >= 1 }>
                <BlockWindow first=first total=Signal::derive(move || blocks.with(Vec::len)) />
                <ScrollRegion label="Blocks">
                    <table class="runs-table blocks-table">
                        <caption class="visually-hidden">"Blocks"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Block"</th>
                                <th scope="col">"Calls"</th>
                                <th scope="col">"Mean probability"</th>
                                <th scope="col">"Estimated accuracy"</th>
                                <th scope="col">"Realised accuracy"</th>
                                <th scope="col">"Precision"</th>
                                <th scope="col">"Recall"</th>
                                <th scope="col">"AUC"</th>
                                <th scope="col">"Churn rate"</th>
                                <th scope="col">"Prediction PSI"</th>
                                <th scope="col">"Labels in after call"</th>
                                <th scope="col">"Refused"</th>
                                <th scope="col">"Mean ms"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || {
                                shown
                                    .get()
                                    .into_iter()
                                    .map(|b| {
                                        let r = b.realised;
                                        let e = b.estimated;
                                        view! {
                                            <tr
                                                data-testid="block-row"
                                                data-block=b.block.to_string()
                                                data-accuracy=r
                                                    .map(|r| r.accuracy.to_string())
                                                    .unwrap_or_default()
                                                data-estimated=e.accuracy.to_string()
                                                class:alert=e.alert
                                            >
                                                <th scope="row">{b.block}</th>
                                                <td>
                                                    {format!(
                                                        "{}–{}",
                                                        count(b.first_call),
                                                        count(b.last_call),
                                                    )}
                                                </td>
                                                <td>{decimal(b.mean_probability, 3)}</td>
                                                <td title=format!(
                                                    "band {:.3}–{:.3}",
                                                    e.lower,
                                                    e.upper,
                                                )>
                                                    {format!(
                                                        "{}{}",
                                                        decimal(e.accuracy, 3),
                                                        if e.alert { " ⚠" } else { "" },
                                                    )}
                                                </td>
                                                <td>
                                                    {r
                                                        .map(|r| decimal(r.accuracy, 3))
                                                        .unwrap_or_else(|| "waiting for labels".into())}
                                                </td>
                                                <td>{opt(r.and_then(|r| r.precision))}</td>
                                                <td>{opt(r.and_then(|r| r.recall))}</td>
                                                <td>{opt(r.and_then(|r| r.auc))}</td>
                                                <td>{opt(r.map(|r| r.churn_rate))}</td>
                                                <td>{decimal(b.prediction_psi, 3)}</td>
                                                <td>{count(b.labels_at_call)}</td>
                                                <td>{b.refused}</td>
                                                <td>{decimal(b.mean_latency_ms, 3)}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </tbody>
                    </table>
                </ScrollRegion>
            </Show>
            <Show when=move || { step.get() >= 2 }>
                <OpsDrift as_of=as_of first=first />
            </Show>
            <Show when=move || { step.get() >= 3 }>
                <OpsAlerts as_of=as_of />
                <OpsRetrain />
            </Show>
        </section>
    }
}

/// "Blocks 41–80 of 1,000" with Previous and Next.
#[component]
fn BlockWindow(first: RwSignal<usize>, #[prop(into)] total: Signal<usize>) -> impl IntoView {
    view! {
        <Show when=move || { total.get() > WINDOW }>
            <div class="runs-bar" role="group" aria-label="Blocks shown">
                <button
                    class="button"
                    data-testid="blocks-prev"
                    disabled=move || first.get() == 0
                    on:click=move |_| first.update(|f| *f = f.saturating_sub(WINDOW))
                >
                    "Previous blocks"
                </button>
                <span data-testid="blocks-shown">
                    {move || {
                        format!(
                            "Blocks {}–{} of {}",
                            first.get() + 1,
                            (first.get() + WINDOW).min(total.get()),
                            count(total.get()),
                        )
                    }}
                </span>
                <button
                    class="button"
                    data-testid="blocks-next"
                    disabled=move || first.get() + WINDOW
                >
                    = total.get() on:click=move |_| first.update(|f| *f += WINDOW)>
                    "Next blocks"
                </button>
            </div>
        </Show>
    }
}

//! One chart on a canvas: drawn with plotters at the screen's pixel ratio
//! (crisp on high-DPI screens), redrawn when the data or the size changes
//! (a ResizeObserver's),
//! with a tooltip for the mark under the pointer (or tapped), click-to-pick for
//! cross-filtering, and the same numbers as a table for screen readers.

use gloo_timers::future::TimeoutFuture;
use leptos::html::Canvas;
use leptos::prelude::*;
use leptos::task::spawn_local;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::core::chart::draw::{draw, hit_at, Hit, Theme};
use crate::core::chart::{ChartData, ChartKind};

/// What a chart view shows: a chart, or why there is none.
pub type ChartResult = Option<Result<(ChartKind, ChartData), String>>;

fn pixel_ratio() -> f64 {
    web_sys::window()
        .map_or(1.0, |w| w.device_pixel_ratio())
        .clamp(1.0, 4.0)
}

/// Charts with more marks than this are drawn a task after they change.
const DRAWN_AT_ONCE: usize = 500;

/// A canvas's size in CSS pixels, at least 50 × 50.
fn css_size(el: &web_sys::HtmlCanvasElement) -> (f64, f64) {
    (
        el.client_width().max(50) as f64,
        el.client_height().max(50) as f64,
    )
}

#[component]
pub fn ChartView(
    #[prop(into)] chart: Signal<ChartResult>,
    /// A CSS class setting the chart's height.
    #[prop(optional, into)]
    size: Option<String>,
    /// Told the category of a clicked mark.
    #[prop(optional)]
    on_pick: Option<Callback<String>>,
    /// The accessible name of the chart.
    #[prop(optional, into)]
    label: Option<Signal<String>>,
    /// The canvas's `data-testid` (default `chart-canvas`).
    #[prop(optional, into)]
    canvas_id: Option<String>,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let hits = StoredValue::new(Vec::<Hit>::new());
    let tip = RwSignal::new(None::<(f64, f64, String)>);
    let resized = RwSignal::new(0u32);
    // The canvas's CSS size as a ResizeObserver last reported it: read
    // after a layout, so drawing forces none (on a page of many charts, a
    // layout of the whole page in each chart's task); a change redraws.
    let observed = StoredValue::new(None::<(f64, f64)>);
    let observer = StoredValue::new_local(None::<(web_sys::ResizeObserver, Closure<dyn Fn()>)>);
    Effect::new(move |_| {
        let Some(el) = canvas.get() else { return };
        if observer.with_value(Option::is_some) {
            return;
        }
        let measured = el.clone();
        let on_resize = Closure::<dyn Fn()>::new(move || {
            observed.set_value(Some(css_size(&measured)));
            resized.update(|n| *n += 1);
        });
        if let Ok(o) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
            o.observe(&el);
            observer.set_value(Some((o, on_resize)));
        }
    });
    on_cleanup(move || {
        observer.try_with_value(|o| {
            if let Some((o, _)) = o {
                o.disconnect();
            }
        });
    });

    // What is drawn: a chart of many marks a task after it changes, so
    // that each such chart of a page is drawn in a task of its own rather
    // than in one long task with the rest of the page's update (a
    // training's results drew their curves in one task of over 100 ms);
    // a small one at once. The newest chart wins.
    let shown = RwSignal::new(None::<Result<(ChartKind, ChartData), String>>);
    let asked = StoredValue::new(0u64);
    Effect::new(move |_| {
        let next = chart.get();
        asked.update_value(|n| *n += 1);
        let heavy = next
            .as_ref()
            .and_then(|r| r.as_ref().ok())
            .is_some_and(|(_, d)| d.marks() > DRAWN_AT_ONCE);
        if !heavy {
            shown.set(next);
            return;
        }
        let this = asked.get_value();
        spawn_local(async move {
            TimeoutFuture::new(0).await;
            if asked.try_get_value() == Some(this) {
                shown.set(next);
            }
        });
    });
    let chart = shown;

    Effect::new(move |_| {
        resized.track();
        let Some(el) = canvas.get() else { return };
        let result = chart.get();
        let ratio = pixel_ratio();
        // Before the observer's first report, measured here.
        let (css_w, css_h) = observed.get_value().unwrap_or_else(|| css_size(&el));
        el.set_width((css_w * ratio) as u32);
        el.set_height((css_h * ratio) as u32);
        let Some(Ok((kind, data))) = result else {
            hits.set_value(Vec::new());
            return;
        };
        let Some(backend) = CanvasBackend::with_canvas_object(el.clone()) else {
            return;
        };
        let area = backend.into_drawing_area();
        match draw(&area, kind, &data, Theme { scale: ratio }) {
            Ok(h) => hits.set_value(h),
            Err(e) => web_sys::console::error_1(&format!("chart drawing failed: {e}").into()),
        }
        let _ = area.present();
    });

    let at_pointer = move |ev: &leptos::ev::MouseEvent| -> Option<Hit> {
        let ratio = pixel_ratio();
        let (x, y) = (ev.offset_x() as f64 * ratio, ev.offset_y() as f64 * ratio);
        hits.with_value(|h| hit_at(h, x, y).cloned())
    };
    let datums = move || {
        chart.with(|c| {
            c.as_ref()
                .and_then(|r| r.as_ref().ok())
                .map(|(_, d)| d.datums())
                .unwrap_or_default()
        })
    };
    let error = move || chart.with(|c| c.as_ref().and_then(|r| r.as_ref().err()).cloned());
    let class = format!("chart {}", size.unwrap_or_else(|| "chart-medium".into()));
    let aria = move || label.map(|l| l.get()).unwrap_or_else(|| "Chart".into());

    view! {
        <div class=class>
            <canvas
                node_ref=canvas
                data-testid=canvas_id.unwrap_or_else(|| "chart-canvas".into())
                role="img"
                aria-label=aria
                class:clickable=on_pick.is_some()
                on:mousemove=move |ev| {
                    tip.set(
                        at_pointer(&ev)
                            .map(|h| (
                                ev.offset_x() as f64,
                                ev.offset_y() as f64,
                                format!("{}: {}", h.label, h.value),
                            )),
                    );
                }
                on:mouseleave=move |_| tip.set(None)
                on:click=move |ev| {
                    let hit = at_pointer(&ev);
                    tip.set(
                        hit
                            .as_ref()
                            .map(|h| (
                                ev.offset_x() as f64,
                                ev.offset_y() as f64,
                                format!("{}: {}", h.label, h.value),
                            )),
                    );
                    if let (Some(cb), Some(category)) = (on_pick, hit.and_then(|h| h.category)) {
                        cb.run(category);
                    }
                }
            ></canvas>
            {move || {
                tip.get()
                    .map(|(x, y, text)| {
                        view! {
                            <div
                                class="chart-tip"
                                data-testid="chart-tooltip"
                                style:left=format!("{}px", x + 12.0)
                                style:top=format!("{}px", y + 12.0)
                            >
                                {text}
                            </div>
                        }
                    })
            }}
            {move || {
                error()
                    .map(|e| {
                        view! {
                            <p class="chart-error" data-testid="chart-error">
                                {e}
                            </p>
                        }
                    })
            }}
            <div class="visually-hidden">
                <table data-testid="chart-data">
                    <caption>{aria}</caption>
                    <tbody>
                        {move || {
                            datums()
                                .into_iter()
                                .map(|d| {
                                    let (label, value) = (d.label.clone(), d.value.clone());
                                    view! {
                                        <tr
                                            data-testid="chart-datum"
                                            data-label=d.label
                                            data-value=d.value
                                        >
                                            <th scope="row">{label}</th>
                                            <td>{value}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </div>
        </div>
    }
}

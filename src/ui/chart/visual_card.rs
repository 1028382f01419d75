//! One visual on a dashboard's grid (its title, chart, and the buttons to
//! edit, move, export and delete it) and the note of the cross-filter a
//! click on a chart sets, shared by the Visuals page and an embedded
//! dashboard.

use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::ui::browser::download::{download_canvas, file_stem};
use crate::ui::chart::visual_jobs::visual_chart_signal;
use crate::ui::data::datasets::table_named;
use crate::ui::state::{use_app, NoticeKind, Visual};
use crate::ui::widgets::busy_note::BusyNote;
use crate::ui::widgets::chart_view::ChartView;
use crate::ui::widgets::embed_button::EmbedButton;

/// One visual on the dashboard grid.
#[component]
pub fn VisualCard(id: u64) -> impl IntoView {
    let state = use_app();
    let vs = state.visuals;
    let card = NodeRef::<Div>::new();
    let visual = Memo::new(move |_| {
        vs.open.with(|o| {
            o.as_ref()
                .and_then(|d| d.visuals.iter().find(|v| v.id == id).cloned())
        })
    });
    let position = Memo::new(move |_| {
        vs.open.with(|o| {
            o.as_ref().map_or((0, 0), |d| {
                (
                    d.visuals.iter().position(|v| v.id == id).unwrap_or(0),
                    d.visuals.len(),
                )
            })
        })
    });
    let (chart, computing) = visual_chart_signal(move || {
        state.dataset.track();
        state.saved.track();
        let v = visual.get()?;
        let cross = vs
            .cross_filter
            .get()
            .filter(|(source, _, _)| *source != id)
            .map(|(_, f, value)| (f, value));
        Some((table_named(state, &v.dataset), v, cross))
    });
    let title = Signal::derive(move || {
        visual.with(|v| {
            v.as_ref()
                .map(|v| {
                    if v.title.trim().is_empty() {
                        default_title(v)
                    } else {
                        v.title.clone()
                    }
                })
                .unwrap_or_default()
        })
    });
    let pick = Callback::new(move |category: String| {
        let Some(field) =
            visual.with_untracked(|v| v.as_ref().and_then(|v| v.spec.dimensions.first().cloned()))
        else {
            return;
        };
        let same = vs
            .cross_filter
            .with_untracked(|c| c.as_ref() == Some(&(id, field.clone(), category.clone())));
        vs.cross_filter.set(if same {
            None
        } else {
            Some((id, field, category))
        });
    });
    let shift = move |by: isize| {
        vs.open.update(|o| {
            if let Some(d) = o.as_mut() {
                let i = d.visuals.iter().position(|v| v.id == id).unwrap_or(0) as isize;
                let to = i + by;
                if to >= 0 && (to as usize) < d.visuals.len() {
                    d.visuals.swap(i as usize, to as usize);
                }
            }
        })
    };
    let remove = move |_| {
        vs.open.update(|o| {
            if let Some(d) = o.as_mut() {
                d.visuals.retain(|v| v.id != id);
            }
        });
        if vs.editing.get_untracked() == Some(id) {
            vs.editing.set(None);
        }
        if vs
            .cross_filter
            .with_untracked(|c| c.as_ref().is_some_and(|c| c.0 == id))
        {
            vs.cross_filter.set(None);
        }
    };
    let export = move |_| {
        let canvas = card
            .get_untracked()
            .and_then(|c| c.query_selector("canvas").ok().flatten())
            .and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok());
        if let Some(canvas) = canvas {
            if let Err(e) = download_canvas(
                &canvas,
                &format!("{}.png", file_stem(&title.get_untracked(), "visual")),
            ) {
                state.notify(NoticeKind::Error, "Could not export the visual", vec![e]);
            }
        }
    };
    let is_picked = move || {
        vs.cross_filter
            .with(|c| c.as_ref().is_some_and(|c| c.0 == id))
    };
    let embedded = state.share.embed.with_value(Option::is_some);

    view! {
        <div
            class="visual-card"
            class:editing=move || vs.editing.get() == Some(id)
            class:picked=is_picked
            node_ref=card
            data-testid="dashboard-visual"
            data-title=title
        >
            <header>
                <h3>{title}</h3>
                <div class="visual-actions" class:hidden=embedded>
                    <EmbedButton query=format!("embed=chart&visual={id}") what="this chart" />
                    <button
                        class="icon-button"
                        data-testid="visual-left"
                        aria-label="Move earlier"
                        disabled=move || position.get().0 == 0
                        on:click=move |_| shift(-1)
                    >
                        "‹"
                    </button>
                    <button
                        class="icon-button"
                        data-testid="visual-right"
                        aria-label="Move later"
                        disabled=move || {
                            let (i, n) = position.get();
                            i + 1 >= n
                        }
                        on:click=move |_| shift(1)
                    >
                        "›"
                    </button>
                    <button
                        class="button small"
                        data-testid="visual-edit"
                        on:click=move |_| vs.editing.set(Some(id))
                    >
                        "Edit"
                    </button>
                    <button class="button small" data-testid="visual-export" on:click=export>
                        "PNG"
                    </button>
                    <button
                        class="button small danger"
                        data-testid="visual-delete"
                        aria-label="Delete visual"
                        on:click=remove
                    >
                        "Delete"
                    </button>
                </div>
            </header>
            <BusyNote
                when=computing
                testid="visual-progress"
                text="Computing the chart in a background worker…"
            />
            <ChartView chart label=title on_pick=pick />
        </div>
    }
}

/// "Filtered by field = value" with a button that clears it, while a click filters the dashboard.
#[component]
pub fn CrossFilterNote() -> impl IntoView {
    let vs = use_app().visuals;
    move || {
        vs.cross_filter.get().map(|(_, field, value)| {
            view! {
                <p class="cross-filter" data-testid="cross-filter" role="status">
                    {format!("Filtered by {field} = {value}")}
                    <button
                        class="button small"
                        data-testid="clear-cross-filter"
                        on:click=move |_| vs.cross_filter.set(None)
                    >
                        "Clear filter"
                    </button>
                </p>
            }
        })
    }
}

/// "Record Count by PaymentMethod" when the user gave no title.
fn default_title(v: &Visual) -> String {
    let measures: Vec<String> = v.spec.measures.iter().map(|m| m.title()).collect();
    match (measures.is_empty(), v.spec.dimensions.is_empty()) {
        (true, true) => "New visual".to_owned(),
        (false, true) => measures.join(", "),
        (true, false) => v.spec.dimensions.join(", "),
        (false, false) => format!(
            "{} by {}",
            measures.join(", "),
            v.spec.dimensions.join(", ")
        ),
    }
}

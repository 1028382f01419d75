//! The chart builder: the dataset's fields as Dimensions and Measures
//! (by their roles, plus Record Count), dragged, or added from each field's
//! "Add to…" menu, onto the Dimensions, Measures, Colour and Filters
//! shelves; pills that can be removed, reordered and, for measures, given
//! an aggregation; a picker of the visual types that fit; the chart itself.

use leptos::prelude::*;

use crate::core::chart::{add_to_shelf, fitting_kinds, ChartKind, ChartSpec, Shelf};
use crate::core::common::number_rule::NumberRule;
use crate::core::data::table::Role;
use crate::ui::chart::field_pills::FieldPills;
use crate::ui::chart::shelf_box::{ShelfBox, VisualEdit};
use crate::ui::chart::visual_jobs::visual_chart_signal;
use crate::ui::data::datasets::table_named;
use crate::ui::state::{use_app, Visual};
use crate::ui::widgets::busy_note::BusyNote;
use crate::ui::widgets::chart_view::ChartView;
use crate::ui::widgets::dataset_options::dataset_options;
use crate::ui::widgets::number_field::{Invalid, NumberField};

#[component]
pub fn ChartBuilder(
    visual: Signal<Option<Visual>>,
    update: Callback<Visual>,
    on_done: Callback<()>,
) -> impl IntoView {
    let state = use_app();
    let table = Memo::new_with_compare(
        move |_| {
            state.dataset.track();
            state.saved.track();
            visual.with(|v| v.as_ref().and_then(|v| table_named(state, &v.dataset)))
        },
        |_, _| true,
    );
    let edit = Callback::new(move |f: VisualEdit| {
        if let (Some(mut v), Some(t)) = (visual.get_untracked(), table.get_untracked()) {
            f(&mut v, &t);
            update.run(v);
        }
    });
    let add = Callback::new(move |(field, shelf): (String, Shelf)| {
        edit.run(Box::new(move |v, t| {
            v.spec = add_to_shelf(&v.spec, t, &field, shelf)
        }))
    });
    let (chart, computing) =
        visual_chart_signal(move || visual.get().map(|v| (table.get(), v, None)));
    let title = Signal::derive(move || {
        visual.with(|v| v.as_ref().map(|v| v.title.clone()).unwrap_or_default())
    });

    let kinds = move || {
        let Some(v) = visual.get() else {
            return Vec::new();
        };
        table.with(|t| {
            t.as_ref()
                .map(|t| fitting_kinds(&v.spec, t))
                .unwrap_or_default()
        })
    };
    let current_kind = move || visual.with(|v| v.as_ref().map(|v| v.spec.kind));

    view! {
        <section class="chart-builder" data-testid="chart-builder" aria-label="Chart builder">
            <aside class="builder-fields">
                <label>
                    "Dataset "
                    <select
                        data-testid="visual-dataset"
                        on:change=move |ev| {
                            let name = event_target_value(&ev);
                            edit.run(
                                Box::new(move |v, _| {
                                    v.dataset = name;
                                    v.spec = ChartSpec::default();
                                }),
                            );
                        }
                    >
                        {move || {
                            let current = visual
                                .with(|v| {
                                    v.as_ref().map(|v| v.dataset.clone()).unwrap_or_default()
                                });
                            dataset_options(state, move |n| n.eq_ignore_ascii_case(&current))
                        }}
                    </select>
                </label>
                <h4>"Dimensions"</h4>
                <ul class="field-list">
                    <FieldPills table role=Role::Dimension add />
                </ul>
                <h4>"Measures"</h4>
                <ul class="field-list">
                    <FieldPills table role=Role::Measure add />
                </ul>
            </aside>
            <div class="builder-main">
                <label class="visual-title">
                    "Title "
                    <input
                        type="text"
                        data-testid="visual-title"
                        prop:value=title
                        on:change=move |ev| {
                            let t = event_target_value(&ev);
                            edit.run(Box::new(move |v, _| v.title = t));
                        }
                    />
                </label>
                <div class="shelves">
                    {Shelf::ALL
                        .into_iter()
                        .map(|shelf| view! { <ShelfBox shelf visual table edit add /> })
                        .collect_view()}
                </div>
                <div
                    class="type-picker"
                    data-testid="visual-type-picker"
                    role="group"
                    aria-label="Visual type"
                >
                    {move || {
                        kinds()
                            .into_iter()
                            .map(|k| {
                                view! {
                                    <button
                                        class="type-option"
                                        data-testid="visual-type"
                                        data-type=k.id()
                                        aria-pressed=move || (current_kind() == Some(k)).to_string()
                                        on:click=move |_| {
                                            edit.run(
                                                Box::new(move |v, _| {
                                                    v.spec.kind = k;
                                                    v.spec.kind_chosen = true;
                                                }),
                                            )
                                        }
                                    >
                                        {k.label()}
                                    </button>
                                }
                            })
                            .collect_view()
                    }}
                </div>
                <Show when=move || current_kind() == Some(ChartKind::Histogram)>
                    <NumberField
                        label="Bins"
                        testid="histogram-bins"
                        rule=NumberRule::whole_between(1.0, 200.0)
                        short=true
                        value=Signal::derive(move || {
                            visual.with(|v| v.as_ref().map(|v| v.spec.bins).unwrap_or(20) as f64)
                        })
                        on_value=Callback::new(move |bins: f64| {
                            edit.run(Box::new(move |v, _| v.spec.bins = bins as usize))
                        })
                        invalid=Invalid::new()
                    />
                </Show>
                <BusyNote
                    when=computing
                    testid="visual-progress"
                    text="Computing the chart in a background worker…"
                />
                <ChartView chart label=title size="chart-large" />
                <div class="builder-actions">
                    <button
                        class="button primary"
                        data-testid="visual-done"
                        on:click=move |_| on_done.run(())
                    >
                        "Done"
                    </button>
                </div>
            </div>
        </section>
    }
}

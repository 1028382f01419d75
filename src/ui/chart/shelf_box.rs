//! One shelf of the chart builder (Dimensions, Measures, Colour/Split or
//! Filters): a drop target for dragged fields, its pills (each with a
//! measure's aggregation, moved and removed by buttons), or the filter
//! editor for the Filters shelf.

use leptos::prelude::*;

use crate::core::chart::{fit_kind, Agg, MeasureSpec, Shelf};
use crate::core::data::table::Table;
use crate::core::query::filter::FilterNode;
use crate::ui::state::Visual;
use crate::ui::widgets::filter_editor::{fields_of, FilterEditor};

/// A change to the visual being built, given its table.
pub type VisualEdit = Box<dyn FnOnce(&mut Visual, &Table)>;

fn drop_field(ev: &leptos::ev::DragEvent) -> Option<String> {
    ev.data_transfer()?
        .get_data("text/plain")
        .ok()
        .filter(|s| !s.is_empty())
}

#[component]
pub fn ShelfBox(
    shelf: Shelf,
    visual: Signal<Option<Visual>>,
    table: Memo<Option<Table>>,
    edit: Callback<VisualEdit>,
    add: Callback<(String, Shelf)>,
) -> impl IntoView {
    let over = RwSignal::new(false);
    let pills = move || {
        let Some(v) = visual.get() else {
            return ().into_any();
        };
        match shelf {
            Shelf::Dimensions => {
                let n = v.spec.dimensions.len();
                v.spec
                    .dimensions
                    .iter()
                    .enumerate()
                    .map(|(i, d)| pill(d.clone(), i, n, None, shelf, edit))
                    .collect_view()
                    .into_any()
            }
            Shelf::Measures => {
                let n = v.spec.measures.len();
                v.spec
                    .measures
                    .iter()
                    .enumerate()
                    .map(|(i, m)| pill(m.field.clone(), i, n, Some(m.clone()), shelf, edit))
                    .collect_view()
                    .into_any()
            }
            Shelf::Color => v
                .spec
                .color
                .iter()
                .map(|c| pill(c.clone(), 0, 1, None, shelf, edit))
                .collect_view()
                .into_any(),
            Shelf::Filters => {
                let tree = Signal::derive(move || {
                    visual.with(|v| {
                        v.as_ref()
                            .map(|v| v.spec.filter.clone())
                            .unwrap_or_else(FilterNode::empty)
                    })
                });
                let fields = Signal::derive(move || {
                    table.with(|t| t.as_ref().map(fields_of).unwrap_or_default())
                });
                let on_change = Callback::new(move |tree: FilterNode| {
                    edit.run(Box::new(move |v, _| v.spec.filter = tree))
                });
                let empty = v.spec.filter.is_empty();
                view! {
                    <Show when=move || !empty>
                        <FilterEditor tree fields on_change />
                    </Show>
                }
                .into_any()
            }
        }
    };
    view! {
        <div
            class="shelf"
            class:over=move || over.get()
            data-testid=format!("shelf-{}", shelf.id())
            role="group"
            aria-label=shelf.label()
            on:dragover=move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                over.set(true);
            }
            on:dragleave=move |_| over.set(false)
            on:drop=move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                over.set(false);
                if let Some(field) = drop_field(&ev) {
                    add.run((field, shelf));
                }
            }
        >
            <span class="shelf-label">{shelf.label()}</span>
            <div class="shelf-pills">{pills}</div>
        </div>
    }
}

/// A pill on a shelf: its name, a measure's aggregation, move and remove.
fn pill(
    field: String,
    index: usize,
    count: usize,
    measure: Option<MeasureSpec>,
    shelf: Shelf,
    edit: Callback<VisualEdit>,
) -> impl IntoView {
    let shift = move |by: isize| {
        edit.run(Box::new(move |v, t| {
            let to = index as isize + by;
            match shelf {
                Shelf::Dimensions if to >= 0 && (to as usize) < v.spec.dimensions.len() => {
                    v.spec.dimensions.swap(index, to as usize)
                }
                Shelf::Measures if to >= 0 && (to as usize) < v.spec.measures.len() => {
                    v.spec.measures.swap(index, to as usize)
                }
                _ => {}
            }
            fit_kind(&mut v.spec, t);
        }))
    };
    let remove = move |_| {
        edit.run(Box::new(move |v, t| {
            match shelf {
                Shelf::Dimensions if index < v.spec.dimensions.len() => {
                    v.spec.dimensions.remove(index);
                }
                Shelf::Measures if index < v.spec.measures.len() => {
                    v.spec.measures.remove(index);
                }
                Shelf::Color => v.spec.color = None,
                _ => {}
            }
            fit_kind(&mut v.spec, t);
        }))
    };
    let label = match &measure {
        Some(m) if !m.is_record_count() => format!("{} ({})", field, m.agg.label()),
        _ => field.clone(),
    };
    view! {
        <span class="shelf-pill" data-testid="shelf-pill" data-field=field.clone()>
            <span class="pill-name">{label}</span>
            {measure
                .filter(|m| !m.is_record_count())
                .map(|m| {
                    view! {
                        <select
                            data-testid="pill-agg"
                            aria-label=format!("Aggregation of {field}")
                            on:change=move |ev| {
                                if let Some(agg) = Agg::from_id(&event_target_value(&ev)) {
                                    edit.run(
                                        Box::new(move |v, t| {
                                            if let Some(m) = v.spec.measures.get_mut(index) {
                                                m.agg = agg;
                                            }
                                            fit_kind(&mut v.spec, t);
                                        }),
                                    );
                                }
                            }
                        >
                            {Agg::ALL
                                .into_iter()
                                .map(|a| {
                                    view! {
                                        <option value=a.id() selected=a == m.agg>
                                            {a.label()}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    }
                })}
            {(count > 1)
                .then(|| {
                    view! {
                        <button
                            class="icon-button"
                            data-testid="pill-left"
                            aria-label="Move earlier"
                            disabled=index == 0
                            on:click=move |_| shift(-1)
                        >
                            "‹"
                        </button>
                        <button
                            class="icon-button"
                            data-testid="pill-right"
                            aria-label="Move later"
                            disabled=index + 1 == count
                            on:click=move |_| shift(1)
                        >
                            "›"
                        </button>
                    }
                })}
            <button
                class="icon-button"
                data-testid="pill-remove"
                aria-label=format!("Remove {field}")
                on:click=remove
            >
                "×"
            </button>
        </span>
    }
}

//! The chart builder: the dataset's fields as Dimensions and Measures
//! (by their roles, plus Record Count), dragged, or added from each field's
//! "Add to…" menu, onto the Dimensions, Measures, Colour and Filters
//! shelves; pills that can be removed, reordered and, for measures, given
//! an aggregation; a picker of the visual types that fit; the chart itself.

use leptos::prelude::*;

use crate::core::chart::{add_to_shelf, chart_data, fit_kind, fitting_kinds, Agg, ChartKind, ChartSpec, MeasureSpec, Shelf, RECORD_COUNT};
use crate::core::query::filter::FilterNode;
use crate::core::data::table::{ColumnType, Role, Table};
use crate::core::common::number_rule::NumberRule;
use crate::ui::widgets::chart_view::{ChartResult, ChartView};
use crate::ui::widgets::number_field::{Invalid, NumberField};
use crate::ui::widgets::filter_editor::{FilterEditor, fields_of};
use crate::ui::data::datasets::{dataset_names, table_named};
use crate::ui::state::{use_app, Visual};

/// A visual's chart, computed from its spec (and a cross-filter).
pub fn visual_chart(table: Option<&Table>, visual: &Visual, cross: Option<&(String, String)>) -> ChartResult {
    let table = match table {
        Some(t) => t,
        None => return Some(Err(format!("There is no dataset called \"{}\".", visual.dataset))),
    };
    if visual.spec.dimensions.is_empty() && visual.spec.measures.is_empty() {
        return Some(Err("Drag fields onto the shelves (or use a field's Add to… menu) to build a chart.".into()));
    }
    Some(chart_data(&visual.spec, table, cross).map(|d| (visual.spec.kind, d)).map_err(|e| e.to_string()))
}

fn drop_field(ev: &leptos::ev::DragEvent) -> Option<String> {
    ev.data_transfer()?.get_data("text/plain").ok().filter(|s| !s.is_empty())
}

#[component]
pub fn ChartBuilder(visual: Signal<Option<Visual>>, update: Callback<Visual>, on_done: Callback<()>) -> impl IntoView {
    let state = use_app();
    let table = Memo::new_with_compare(
        move |_| {
            state.dataset.track();
            state.saved.track();
            visual.with(|v| v.as_ref().and_then(|v| table_named(state, &v.dataset)))
        },
        |_, _| true,
    );
    let edit = move |f: Box<dyn FnOnce(&mut Visual, &Table)>| {
        if let (Some(mut v), Some(t)) = (visual.get_untracked(), table.get_untracked()) {
            f(&mut v, &t);
            update.run(v);
        }
    };
    let add = move |field: String, shelf: Shelf| edit(Box::new(move |v, t| v.spec = add_to_shelf(&v.spec, t, &field, shelf)));
    let chart = Memo::new_with_compare(move |_| visual.with(|v| v.as_ref().and_then(|v| visual_chart(table.get().as_ref(), v, None))), |_, _| true);
    let title = Signal::derive(move || visual.with(|v| v.as_ref().map(|v| v.title.clone()).unwrap_or_default()));

    let field_list = move |role: Role| {
        let fields: Vec<(String, ColumnType)> = table.with(|t| {
            t.as_ref()
                .map(|t| t.columns().iter().filter(|c| !c.hidden && c.role == role).map(|c| (c.name.clone(), c.column_type())).collect())
                .unwrap_or_default()
        });
        let mut fields = fields;
        if role == Role::Measure {
            fields.insert(0, (RECORD_COUNT.to_owned(), ColumnType::Integer));
        }
        fields
            .into_iter()
            .map(|(name, ty)| {
                let (drag_name, menu_name) = (name.clone(), name.clone());
                view! {
                    <li
                        class="field-pill"
                        class:measure=role == Role::Measure
                        draggable="true"
                        data-testid="field-pill"
                        data-field=name.clone()
                        title=format!("{name} ({}) — drag onto a shelf", ty.label())
                        on:dragstart=move |ev: leptos::ev::DragEvent| {
                            if let Some(dt) = ev.data_transfer() {
                                let _ = dt.set_data("text/plain", &drag_name);
                                dt.set_effect_allowed("copy");
                            }
                        }
                    >
                        <span class="pill-name">{name.clone()}</span>
                        <select
                            class="add-to"
                            data-testid="field-add"
                            aria-label=format!("Add {name} to a shelf")
                            on:change=move |ev| {
                                let target = event_target_value(&ev);
                                if let Some(shelf) = Shelf::from_id(&target) {
                                    add(menu_name.clone(), shelf);
                                }
                                let select: web_sys::HtmlSelectElement = event_target(&ev);
                                select.set_value("");
                            }
                        >
                            <option value="" selected>"Add to…"</option>
                            {Shelf::ALL.into_iter().map(|s| view! { <option value=s.id()>{s.label()}</option> }).collect_view()}
                        </select>
                    </li>
                }
            })
            .collect_view()
    };

    let shelf_view = move |shelf: Shelf| {
        let over = RwSignal::new(false);
        let pills = move || {
            let Some(v) = visual.get() else { return ().into_any() };
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
                Shelf::Color => v.spec.color.iter().map(|c| pill(c.clone(), 0, 1, None, shelf, edit)).collect_view().into_any(),
                Shelf::Filters => {
                    let tree = Signal::derive(move || visual.with(|v| v.as_ref().map(|v| v.spec.filter.clone()).unwrap_or_else(FilterNode::empty)));
                    let fields = Signal::derive(move || table.with(|t| t.as_ref().map(fields_of).unwrap_or_default()));
                    let on_change = Callback::new(move |tree: FilterNode| edit(Box::new(move |v, _| v.spec.filter = tree)));
                    let empty = v.spec.filter.is_empty();
                    view! {
                        <Show when=move || !empty>
                            <FilterEditor tree fields on_change/>
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
                        add(field, shelf);
                    }
                }
            >
                <span class="shelf-label">{shelf.label()}</span>
                <div class="shelf-pills">{pills}</div>
            </div>
        }
    };

    let kinds = move || {
        let Some(v) = visual.get() else { return Vec::new() };
        table.with(|t| t.as_ref().map(|t| fitting_kinds(&v.spec, t)).unwrap_or_default())
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
                            edit(Box::new(move |v, _| {
                                v.dataset = name;
                                v.spec = ChartSpec::default();
                            }));
                        }
                    >
                        {move || {
                            let current = visual.with(|v| v.as_ref().map(|v| v.dataset.clone()).unwrap_or_default());
                            dataset_names(state)
                                .into_iter()
                                .map(|n| {
                                    let label = if n == "churn" { "churn (the active dataset)".to_owned() } else { n.clone() };
                                    view! { <option value=n.clone() selected=n.eq_ignore_ascii_case(&current)>{label}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
                <h4>"Dimensions"</h4>
                <ul class="field-list">{move || field_list(Role::Dimension)}</ul>
                <h4>"Measures"</h4>
                <ul class="field-list">{move || field_list(Role::Measure)}</ul>
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
                            edit(Box::new(move |v, _| v.title = t));
                        }
                    />
                </label>
                <div class="shelves">{Shelf::ALL.into_iter().map(shelf_view).collect_view()}</div>
                <div class="type-picker" data-testid="visual-type-picker" role="group" aria-label="Visual type">
                    {move || kinds()
                        .into_iter()
                        .map(|k| view! {
                            <button
                                class="type-option"
                                data-testid="visual-type"
                                data-type=k.id()
                                aria-pressed=move || (current_kind() == Some(k)).to_string()
                                on:click=move |_| edit(Box::new(move |v, _| {
                                    v.spec.kind = k;
                                    v.spec.kind_chosen = true;
                                }))
                            >
                                {k.label()}
                            </button>
                        })
                        .collect_view()}
                </div>
                <Show when=move || current_kind() == Some(ChartKind::Histogram)>
                    <NumberField
                        label="Bins"
                        testid="histogram-bins"
                        rule=NumberRule::whole_between(1.0, 200.0)
                        short=true
                        value=Signal::derive(move || visual.with(|v| v.as_ref().map(|v| v.spec.bins).unwrap_or(20) as f64))
                        on_value=Callback::new(move |bins: f64| edit(Box::new(move |v, _| v.spec.bins = bins as usize)))
                        invalid=Invalid::new()
                    />
                </Show>
                <ChartView chart label=title size="chart-large"/>
                <div class="builder-actions">
                    <button class="button primary" data-testid="visual-done" on:click=move |_| on_done.run(())>"Done"</button>
                </div>
            </div>
        </section>
    }
}

/// A pill on a shelf: its name, a measure's aggregation, move and remove.
fn pill(
    field: String,
    index: usize,
    count: usize,
    measure: Option<MeasureSpec>,
    shelf: Shelf,
    edit: impl Fn(Box<dyn FnOnce(&mut Visual, &Table)>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let shift = move |by: isize| {
        edit(Box::new(move |v, t| {
            let to = index as isize + by;
            match shelf {
                Shelf::Dimensions if to >= 0 && (to as usize) < v.spec.dimensions.len() => v.spec.dimensions.swap(index, to as usize),
                Shelf::Measures if to >= 0 && (to as usize) < v.spec.measures.len() => v.spec.measures.swap(index, to as usize),
                _ => {}
            }
            fit_kind(&mut v.spec, t);
        }))
    };
    let remove = move |_| {
        edit(Box::new(move |v, t| {
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
            {measure.filter(|m| !m.is_record_count()).map(|m| view! {
                <select
                    data-testid="pill-agg"
                    aria-label=format!("Aggregation of {field}")
                    on:change=move |ev| {
                        if let Some(agg) = Agg::from_id(&event_target_value(&ev)) {
                            edit(Box::new(move |v, t| {
                                if let Some(m) = v.spec.measures.get_mut(index) {
                                    m.agg = agg;
                                }
                                fit_kind(&mut v.spec, t);
                            }));
                        }
                    }
                >
                    {Agg::ALL.into_iter().map(|a| view! { <option value=a.id() selected=a == m.agg>{a.label()}</option> }).collect_view()}
                </select>
            })}
            {(count > 1).then(|| view! {
                <button class="icon-button" data-testid="pill-left" aria-label="Move earlier" disabled=index == 0 on:click=move |_| shift(-1)>"‹"</button>
                <button class="icon-button" data-testid="pill-right" aria-label="Move later" disabled=index + 1 == count on:click=move |_| shift(1)>"›"</button>
            })}
            <button class="icon-button" data-testid="pill-remove" aria-label=format!("Remove {field}") on:click=remove>"×"</button>
        </span>
    }
}

//! A virtualised grid over any table: only the rows in view exist in the
//! DOM, the header stays put while scrolling, a "go to row" box jumps
//! anywhere, and headers can sort. Tables taller than the browser's largest
//! element scroll proportionally. The data page and the SQL results use it
//! with their own test ids.

use leptos::html::Div;
use leptos::prelude::*;

use crate::core::common::number_rule::NumberRule;
use crate::core::common::numfmt::count;
use crate::core::common::viewport::{scroll_for_row, window_for};
use crate::core::data::table::Table;
use crate::ui::browser::device::row_height_px;
use crate::ui::widgets::number_field::{Invalid, NumberField};

/// Test ids of a grid's parts.
#[derive(Clone, Copy)]
pub struct GridIds {
    pub grid: &'static str,
    pub header: &'static str,
    pub row: &'static str,
    pub cell: &'static str,
    pub goto: &'static str,
}

pub const DATA_GRID: GridIds = GridIds {
    grid: "data-grid",
    header: "grid-header",
    row: "grid-row",
    cell: "grid-cell",
    goto: "grid-goto",
};
pub const RESULT_GRID: GridIds = GridIds {
    grid: "result-grid",
    header: "result-header",
    row: "result-row",
    cell: "result-cell",
    goto: "result-goto",
};

fn row_view(table: &Table, row: usize, ids: GridIds) -> impl IntoView {
    let cells = table
        .columns()
        .iter()
        .filter(|c| !c.hidden)
        .map(|c| {
            // Floats display as the shortest text that reads back exactly,
            // so the shown text is also the full-precision value.
            let text = c.data.display(row);
            let value = text.clone();
            let is_null = text.is_none();
            let numeric = c.column_type().is_numeric();
            view! {
                <td
                    data-testid=ids.cell
                    class:null=is_null
                    class:num=numeric
                    data-value=value
                    data-null=is_null.then_some("true")
                >
                    {text.unwrap_or_default()}
                </td>
            }
        })
        .collect_view();
    view! {
        <tr data-testid=ids.row data-row=row aria-rowindex=row + 2>
            <th scope="row" class="rownum">
                {count(row + 1)}
            </th>
            {cells}
        </tr>
    }
}

/// `table` is keyed by a generation that changes with the table; `sort`
/// (when given) is told which column header was clicked, and `sorted`
/// says which column is sorted and whether descending.
#[component]
pub fn TableGrid(
    table: Signal<(u64, Table)>,
    ids: GridIds,
    #[prop(optional)] on_sort: Option<Callback<usize>>,
    #[prop(optional, into)] sorted: Option<Signal<Option<(usize, bool)>>>,
) -> impl IntoView {
    let container = NodeRef::<Div>::new();
    let scroll_top = RwSignal::new(0.0);
    let viewport_px = RwSignal::new(560.0);
    let row_px = row_height_px();
    let rows = Memo::new(move |_| table.with(|(_, t)| t.num_rows()));
    let window =
        Memo::new(move |_| window_for(rows.get(), row_px, scroll_top.get(), viewport_px.get()));

    // A new table starts at the top. The first table is there already, and
    // a grid that was not scrolled is at the top: setting the scroll then
    // would force a layout of the whole page in the task that built it
    // (about 60 ms of a 1M-row load's longest task).
    Effect::new(move |first: Option<()>| {
        table.with(|(g, _)| *g);
        if first.is_none() || scroll_top.get_untracked() == 0.0 {
            return;
        }
        if let Some(el) = container.get_untracked() {
            el.set_scroll_top(0);
        }
        scroll_top.set(0.0);
    });

    let on_scroll = move |_| {
        if let Some(el) = container.get_untracked() {
            scroll_top.set(el.scroll_top() as f64);
            viewport_px.set(el.client_height().max(1) as f64);
        }
    };
    let go_to = move |row: f64| {
        let row = row as usize;
        let n = rows.get_untracked();
        if n == 0 {
            return;
        }
        let target = scroll_for_row(n, row_px, row.clamp(1, n) - 1, viewport_px.get_untracked());
        if let Some(el) = container.get_untracked() {
            el.set_scroll_top(target as i32);
            scroll_top.set(el.scroll_top() as f64);
        }
    };

    let header = move || {
        table.with(|(_, t)| {
            t.columns()
                .iter()
                .enumerate()
                .filter(|(_, c)| !c.hidden)
                .map(|(i, c)| {
                    let numeric = c.column_type().is_numeric();
                    let title = format!("{} ({})", c.name, c.column_type().label());
                    let mark = move || match sorted.and_then(|s| s.get()) {
                        Some((col, desc)) if col == i => {
                            if desc {
                                " ▼"
                            } else {
                                " ▲"
                            }
                        }
                        _ => "",
                    };
                    let aria_sort = move || match sorted.and_then(|s| s.get()) {
                        Some((col, true)) if col == i => "descending",
                        Some((col, false)) if col == i => "ascending",
                        _ => "none",
                    };
                    let name = c.name.clone();
                    match on_sort {
                        Some(cb) => view! {
                            <th
                                scope="col"
                                class:num=numeric
                                title=title
                                data-testid=ids.header
                                aria-sort=aria_sort
                            >
                                <button class="sort" on:click=move |_| cb.run(i)>
                                    {name}
                                    {mark}
                                </button>
                            </th>
                        }
                        .into_any(),
                        None => view! {
                            <th scope="col" class:num=numeric title=title data-testid=ids.header>
                                {name}
                            </th>
                        }
                        .into_any(),
                    }
                })
                .collect_view()
        })
    };
    let visible_columns =
        move || table.with(|(_, t)| t.columns().iter().filter(|c| !c.hidden).count() + 1);
    let body_rows = move || {
        let w = window.get();
        table.with(|(g, _)| (w.first..w.end).map(|r| (*g, r)).collect::<Vec<_>>())
    };

    view! {
        <div class="grid-toolbar">
            <span class="muted">
                {move || {
                    let w = window.get();
                    if w.end == 0 {
                        "No rows".to_owned()
                    } else {
                        format!(
                            "Rows {}–{} of {}",
                            count(w.first + 1),
                            count(w.end),
                            count(rows.get()),
                        )
                    }
                }}
            </span>
            <span class="goto">
                <NumberField
                    label="Go to row"
                    testid=ids.goto
                    rule=NumberRule::whole_from(1.0)
                    short=true
                    value=Signal::stored(1.0)
                    on_value=Callback::new(go_to)
                    invalid=Invalid::new()
                />
            </span>
        </div>
        <div
            class="grid"
            data-testid=ids.grid
            node_ref=container
            on:scroll=on_scroll
            tabindex="0"
            role="region"
            aria-label="Table rows"
        >
            <table aria-rowcount=move || rows.get() + 1>
                <thead>
                    <tr>
                        <th scope="col" class="rownum">
                            "#"
                        </th>
                        {header}
                    </tr>
                </thead>
                <tbody>
                    <tr class="spacer" aria-hidden="true">
                        <td
                            colspan=visible_columns
                            style:height=move || format!("{}px", window.get().top_px)
                        ></td>
                    </tr>
                    <For each=body_rows key=|k| *k let:key>
                        {move || table.with_untracked(|(_, t)| row_view(t, key.1, ids))}
                    </For>
                    <tr class="spacer" aria-hidden="true">
                        <td
                            colspan=visible_columns
                            style:height=move || format!("{}px", window.get().bottom_px)
                        ></td>
                    </tr>
                </tbody>
            </table>
        </div>
    }
}

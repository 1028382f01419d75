//! A virtualised grid over the active table: only the rows in view exist in
//! the DOM, the header stays put while scrolling, and a "go to row" box
//! jumps anywhere. Tables taller than the browser's largest element are
//! scrolled proportionally.

use leptos::html::Div;
use leptos::prelude::*;

use crate::core::numfmt::count;
use crate::core::viewport::{scroll_for_row, window_for};
use crate::core::table::Table;
use crate::ui::state::use_app;

fn row_view(table: &Table, row: usize) -> impl IntoView {
    let cells = table
        .columns()
        .iter()
        .filter(|c| !c.hidden)
        .map(|c| {
            let text = c.data.display(row);
            let is_null = text.is_none();
            let numeric = c.column_type().is_numeric();
            view! {
                <td data-testid="grid-cell" class:null=is_null class:num=numeric>
                    {text.unwrap_or_default()}
                </td>
            }
        })
        .collect_view();
    view! {
        <tr data-testid="grid-row" data-row=row aria-rowindex=row + 2>
            <th scope="row" class="rownum">{count(row + 1)}</th>
            {cells}
        </tr>
    }
}

#[component]
pub fn DataGrid() -> impl IntoView {
    let state = use_app();
    let container = NodeRef::<Div>::new();
    let scroll_top = RwSignal::new(0.0);
    let viewport_px = RwSignal::new(560.0);
    let rows = Memo::new(move |_| state.dataset.with(|d| d.table.num_rows()));
    let window = Memo::new(move |_| window_for(rows.get(), scroll_top.get(), viewport_px.get()));

    // A new table starts at the top.
    Effect::new(move |_| {
        state.dataset.with(|d| d.generation);
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
    let go_to = move |text: String| {
        let Ok(row) = text.trim().replace(',', "").parse::<usize>() else { return };
        let n = rows.get_untracked();
        if n == 0 {
            return;
        }
        let target = scroll_for_row(n, row.clamp(1, n) - 1, viewport_px.get_untracked());
        if let Some(el) = container.get_untracked() {
            el.set_scroll_top(target as i32);
            scroll_top.set(el.scroll_top() as f64);
        }
    };

    let header = move || {
        state.dataset.with(|d| {
            d.table
                .columns()
                .iter()
                .filter(|c| !c.hidden)
                .map(|c| {
                    let numeric = c.column_type().is_numeric();
                    view! {
                        <th scope="col" class:num=numeric title=format!("{} ({})", c.name, c.column_type().label())>
                            {c.name.clone()}
                        </th>
                    }
                })
                .collect_view()
        })
    };
    let visible_columns = move || state.dataset.with(|d| d.table.columns().iter().filter(|c| !c.hidden).count() + 1);
    let body_rows = move || {
        let w = window.get();
        state.dataset.with(|d| (w.first..w.end).map(|r| (d.generation, r)).collect::<Vec<_>>())
    };

    view! {
        <div class="grid-toolbar">
            <span class="muted" data-testid="grid-range">
                {move || {
                    let w = window.get();
                    if w.end == 0 {
                        "No rows".to_owned()
                    } else {
                        format!("Rows {}–{} of {}", count(w.first + 1), count(w.end), count(rows.get()))
                    }
                }}
            </span>
            <label class="goto">
                "Go to row "
                <input
                    type="number"
                    min="1"
                    data-testid="grid-goto"
                    on:change=move |ev| go_to(event_target_value(&ev))
                />
            </label>
        </div>
        <div
            class="grid"
            data-testid="data-grid"
            node_ref=container
            on:scroll=on_scroll
            tabindex="0"
            role="region"
            aria-label="Table rows"
        >
            <table aria-rowcount=move || rows.get() + 1>
                <thead>
                    <tr>
                        <th scope="col" class="rownum">"#"</th>
                        {header}
                    </tr>
                </thead>
                <tbody>
                    <tr class="spacer" aria-hidden="true">
                        <td colspan=visible_columns style:height=move || format!("{}px", window.get().top_px)></td>
                    </tr>
                    <For each=body_rows key=|k| *k let:key>
                        {move || state.dataset.with_untracked(|d| row_view(&d.table, key.1))}
                    </For>
                    <tr class="spacer" aria-hidden="true">
                        <td colspan=visible_columns style:height=move || format!("{}px", window.get().bottom_px)></td>
                    </tr>
                </tbody>
            </table>
        </div>
    }
}

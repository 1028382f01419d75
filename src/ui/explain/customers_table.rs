//! Every customer of the active dataset scored by the deployed model: a
//! virtual table sorted by risk or any column, searched by ID or filtered
//! with the SQL page's builder, each feature cell tinted by its
//! contribution; a click (or Enter) opens one customer.

use leptos::html::Div;
use leptos::prelude::*;

use crate::core::common::numfmt::count;
use crate::core::common::order::{f64_key, KeySort};
use crate::core::common::viewport::window_for;
use crate::core::explain::customer::FeatureValue;
use crate::core::explain::scoring::{column_keys, score_rows, values_of_row, Scored};
use crate::core::model::pipeline::SavedModel;
use crate::core::query::filter::FilterNode;
use crate::ui::browser::device::row_height_px;
use crate::ui::browser::held::Ticket;
use crate::ui::explain::batch::in_turns;
use crate::ui::explain::customer_filter;
use crate::ui::explain::customer_rows::{CustomerRows, DrawnRow};
use crate::ui::explain::customer_view::CustomerView;
use crate::ui::state::use_app;
use crate::ui::widgets::busy_note::BusyNote;
use crate::ui::widgets::filter_editor::{fields_of, FilterEditor};

#[derive(Clone, Copy, PartialEq)]
enum Sort {
    Probability,
    Column(usize),
}

#[component]
pub fn CustomersTable(model: SavedModel) -> impl IntoView {
    let state = use_app();
    let model = StoredValue::new(model);
    let table = Memo::new_with_compare(
        move |_| state.dataset.with(|d| d.table.clone()),
        |_, _| true,
    );
    // Every customer scored in the page's turns, so a large table never
    // freezes the page: a progress bar until all are, then the rows. A new
    // table starts a new scoring; an older one (or one left behind when the
    // page closes) stops at its next turn.
    let scored = RwSignal::new(Vec::<Scored>::new());
    let scale = RwSignal::new(0.0f64);
    let scoring = RwSignal::new(None::<(usize, usize)>);
    let runs = StoredValue::new(0u64);
    Effect::new(move |_| {
        let t = table.get();
        let m = model.get_value();
        runs.update_value(|r| *r += 1);
        let run = runs.get_value();
        leptos::task::spawn_local(async move {
            let n = t.num_rows();
            let current = move || runs.try_get_value() == Some(run);
            let mut out = Vec::with_capacity(n);
            // The largest contribution, for the tints, found as rows are scored.
            let mut top = 0.0f64;
            let all = in_turns(
                n,
                |rows| {
                    let slice = score_rows(&m, &t, rows);
                    top = slice
                        .iter()
                        .flat_map(|x| x.contributions.iter())
                        .fold(top, |m, c| m.max(c.abs()));
                    out.extend(slice);
                },
                |done| {
                    if current() {
                        scoring.try_set(Some((done, n)));
                    }
                    current()
                },
            )
            .await;
            if all && current() {
                scale.try_set(top);
                scored.try_set(out);
                scoring.try_set(None);
            }
        });
    });
    let id_column = Memo::new(move |_| {
        table.with(|t| {
            t.columns()
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case("customerID"))
                .map(|c| c.name.clone())
        })
    });
    let id_of = move |row: usize| -> String {
        table
            .with_untracked(|t| {
                id_column
                    .get_untracked()
                    .and_then(|c| t.column(&c).and_then(|c| c.data.display(row)))
            })
            .unwrap_or_else(|| format!("row {}", row + 1))
    };
    let sort = RwSignal::new((Sort::Probability, true));
    let search = RwSignal::new(String::new());
    // The filter builder of the SQL page, over the same table.
    let filter = RwSignal::new(FilterNode::empty());
    let fields = Signal::derive(move || table.with(fields_of));
    // What the filter keeps (`None`: every row), worked out in the held
    // tables' worker for a large table while the rows shown stay as they
    // were; the newest filter withdraws older ones.
    let kept = RwSignal::new(Ok::<Option<Vec<bool>>, String>(None));
    let filtering = RwSignal::new(false);
    let asked = StoredValue::new_local(Ticket::new());
    Effect::new(move |_| {
        let tree = filter.get();
        let t = table.get();
        let ticket = asked.try_update_value(Ticket::renew).unwrap_or_default();
        let at_once = if tree.is_empty() {
            Some(Ok(None))
        } else {
            customer_filter::on_page(&t, &tree).map(|answer| answer.map(Some))
        };
        filtering.set(at_once.is_none());
        if let Some(answer) = at_once {
            return kept.set(answer);
        }
        leptos::task::spawn_local(async move {
            let answer = customer_filter::in_worker(&t, &tree, &ticket).await;
            if ticket.is_cancelled() {
                return;
            }
            filtering.try_set(false);
            kept.try_set(answer.map(Some));
        });
    });
    // The rows in the order shown, by risk or by a column: radix-sort keys
    // (`common::order`), made and sorted in the page's turns on a large
    // table (a slice of rows or a pass per turn; a million rows would
    // freeze it otherwise). The newest sort, search or filter wins.
    let order = RwSignal::new(Vec::<usize>::new());
    let ordering = RwSignal::new(false);
    let sorting = StoredValue::new(0u64);
    Effect::new(move |_| {
        let needle = search.get().trim().to_lowercase();
        let (key, desc) = sort.get();
        let keep = kept.get().ok().flatten();
        let n = scored.with(Vec::len);
        let run = sorting.get_value() + 1;
        sorting.set_value(run);
        let current = move || sorting.try_get_value() == Some(run);
        // The keys of the rows of `range` of the scored list that are kept.
        let keys_of = move |range: std::ops::Range<usize>| -> Vec<(u64, u32)> {
            scored.with_untracked(|s| {
                let idx: Vec<usize> = range
                    .filter(|&i| {
                        keep.as_ref()
                            .is_none_or(|k| k.get(s[i].row).copied().unwrap_or(false))
                    })
                    .filter(|&i| {
                        needle.is_empty() || id_of(s[i].row).to_lowercase().contains(&needle)
                    })
                    .collect();
                match key {
                    Sort::Probability => idx
                        .iter()
                        .map(|&i| (f64_key(s[i].probability, desc), i as u32))
                        .collect(),
                    Sort::Column(c) => {
                        let rows: Vec<usize> = idx.iter().map(|&i| s[i].row).collect();
                        table
                            .with_untracked(|t| {
                                model.with_value(|m| column_keys(m, t, c, &rows, desc))
                            })
                            .into_iter()
                            .map(|(k, j)| (k, idx[j as usize] as u32))
                            .collect()
                    }
                }
            })
        };
        ordering.set(n > IN_TURNS);
        if n <= IN_TURNS {
            let mut passes = KeySort::new(keys_of(0..n));
            while passes.pass() {}
            return order.set(rows_of(passes));
        }
        leptos::task::spawn_local(async move {
            let mut keyed = Vec::with_capacity(n);
            for start in (0..n).step_by(SLICE) {
                gloo_timers::future::TimeoutFuture::new(0).await;
                if !current() {
                    return;
                }
                keyed.extend(keys_of(start..(start + SLICE).min(n)));
            }
            let mut passes = KeySort::new(keyed);
            loop {
                gloo_timers::future::TimeoutFuture::new(0).await;
                if !current() {
                    return;
                }
                if !passes.pass() {
                    break;
                }
            }
            order.try_set(rows_of(passes));
            ordering.try_set(false);
        });
    });
    let names: Vec<String> =
        model.with_value(|m| m.stats.iter().map(|s| s.column().to_owned()).collect());
    let selected = RwSignal::new(None::<usize>);
    let scroller = NodeRef::<Div>::new();
    let scroll_top = RwSignal::new(0.0);
    let viewport = RwSignal::new(560.0);
    let row_px = row_height_px();
    let window = Memo::new(move |_| {
        window_for(
            order.with(Vec::len),
            row_px,
            scroll_top.get(),
            viewport.get(),
        )
    });
    let header_cells = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let aria = move || match sort.get() {
                (Sort::Column(c), true) if c == i => "descending",
                (Sort::Column(c), false) if c == i => "ascending",
                _ => "none",
            };
            view! {
                <th scope="col" aria-sort=aria>
                    <button
                        class="sort"
                        data-testid="sort-column"
                        data-column=n.clone()
                        on:click=move |_| {
                            sort.update(|s| {
                                *s = if s.0 == Sort::Column(i) {
                                    (Sort::Column(i), !s.1)
                                } else {
                                    (Sort::Column(i), false)
                                };
                            })
                        }
                    >
                        {n.clone()}
                    </button>
                </th>
            }
        })
        .collect_view();
    // The drawn rows: the customer at each place of the sorted list, and a
    // count that moves on with every new order (or scale), when every drawn
    // row is rewritten.
    let generation = Memo::new(move |prev: Option<&usize>| {
        order.track();
        scored.track();
        scale.track();
        prev.map_or(0, |p| p + 1)
    });
    let drawn = move |position: usize| {
        let i = order.with(|o| o.get(position).copied())?;
        scored.with(|s| {
            let Scored {
                row,
                probability,
                contributions,
            } = s.get(i)?;
            let values = table.with_untracked(|t| model.with_value(|m| values_of_row(m, t, *row)));
            Some(DrawnRow {
                row: *row,
                position,
                id: id_of(*row),
                probability: *probability,
                cells: values
                    .iter()
                    .map(FeatureValue::display)
                    .zip(contributions.iter().copied())
                    .collect(),
            })
        })
    };
    let on_open = Callback::new(move |row: usize| selected.set(Some(row)));

    view! {
        <Show when=move || {
            selected.get().is_some()
        }>
            {move || {
                selected
                    .get()
                    .map(|row| {
                        view! {
                            <CustomerView
                                model=model.get_value()
                                row=row
                                table=table.get_untracked()
                                on_close=Callback::new(move |_| selected.set(None))
                            />
                        }
                    })
            }}
        </Show>
        <div class="runs-bar">
            <h3>
                {move || {
                    let shown = scoring.get().map_or_else(|| order.with(Vec::len), |(_, n)| n);
                    format!("{} customers", count(shown))
                }}
            </h3>
            {move || {
                scoring
                    .get()
                    .map(|(done, total)| {
                        view! {
                            <span class="inline-progress" data-testid="customers-progress">
                                <progress max=total.to_string() value=done.to_string()></progress>
                                "Scoring every customer…"
                            </span>
                        }
                    })
            }}
            {move || {
                ordering
                    .get()
                    .then(|| {
                        view! {
                            <span class="inline-progress" data-testid="customers-sort-progress">
                                <progress></progress>
                                "Sorting…"
                            </span>
                        }
                    })
            }}
            <input
                type="search"
                placeholder="Search by customer ID"
                aria-label="Search by customer ID"
                data-testid="customer-search"
                prop:value=search
                on:input=move |ev| search.set(event_target_value(&ev))
            />
            <span class="legend">
                <span class="swatch away"></span>
                "▼ away from churn"
                <span class="swatch towards"></span>
                "▲ towards churn"
            </span>
        </div>
        <details class="customer-filter">
            <summary>
                {move || {
                    if filter.with(FilterNode::is_empty) {
                        "Filter customers".to_owned()
                    } else {
                        "Filter customers (active)".to_owned()
                    }
                }}
            </summary>
            <FilterEditor
                tree=filter
                fields
                on_change=Callback::new(move |t: FilterNode| filter.set(t))
            />
            <BusyNote
                when=filtering
                testid="customers-filtering"
                text="Filtering the customers in a background worker…"
            />
            {move || {
                kept.get()
                    .err()
                    .map(|e| {
                        view! {
                            <p class="form-error" role="alert" data-testid="customers-filter-error">
                                {e}
                            </p>
                        }
                    })
            }}
        </details>
        <div
            class="customers-scroll"
            node_ref=scroller
            on:scroll=move |_| {
                if let Some(el) = scroller.get_untracked() {
                    scroll_top.set(el.scroll_top() as f64);
                    viewport.set(el.client_height() as f64);
                }
            }
        >
            <table class="customers-table" aria-rowcount=move || order.with(Vec::len) + 1>
                <thead>
                    <tr aria-rowindex="1">
                        <th scope="col">"customer"</th>
                        <th
                            scope="col"
                            aria-sort=move || {
                                if sort.get().0 == Sort::Probability {
                                    if sort.get().1 { "descending" } else { "ascending" }
                                } else {
                                    "none"
                                }
                            }
                        >
                            <button
                                class="sort"
                                data-testid="sort-probability"
                                on:click=move |_| {
                                    sort.update(|s| {
                                        *s = (
                                            Sort::Probability,
                                            !(s.0 == Sort::Probability && s.1),
                                        );
                                    })
                                }
                            >
                                "churn probability"
                            </button>
                        </th>
                        {header_cells}
                    </tr>
                </thead>
                <CustomerRows window generation content=drawn features=names scale on_open />
            </table>
        </div>
        <p class="muted">
            {format!("Rows are {row_px:.0} px high; scroll to reach every customer.")}
        </p>
    }
}

/// Lists with more rows than this are ordered in the page's turns.
const IN_TURNS: usize = 100_000;
/// Rows whose keys are made in one turn.
const SLICE: usize = 100_000;

fn rows_of(sorted: KeySort) -> Vec<usize> {
    sorted
        .into_rows()
        .into_iter()
        .map(|(_, i)| i as usize)
        .collect()
}

//! The data page: what the active dataset is, a summary of every column
//! (with type overrides) and a grid that reaches every row.

use leptos::prelude::*;

use crate::core::common::numfmt::plural;
use crate::ui::browser::perf::when_idle;
use crate::ui::data::column_summary_card::ColumnSummaryCard;
use crate::ui::data::dataset_list::DatasetList;
use crate::ui::data::field_editor::FieldEditor;
use crate::ui::state::{use_app, Origin};
use crate::ui::widgets::table_grid::{TableGrid, DATA_GRID};

#[component]
pub fn DataPage() -> impl IntoView {
    let state = use_app();
    let name = move || state.dataset.with(|d| d.table.name().to_owned());
    let shape = move || {
        state.dataset.with(|d| {
            format!(
                "{} · {}",
                plural(d.table.num_rows(), "row"),
                plural(d.table.num_columns(), "column")
            )
        })
    };
    let origin = move || {
        state.dataset.with(|d| match &d.origin {
            Origin::Synthetic { seed } => {
                format!("Synthetic, generated in your browser from seed {seed}")
            }
            Origin::File { file_name } => format!("From the file {file_name}"),
            Origin::Url { url } => format!("From {url}"),
            Origin::Saved { name } => format!("Saved dataset {name}"),
        })
    };
    let cards = move || {
        state.dataset.with(|d| {
            let generation = d.generation;
            d.summaries
                .iter()
                .cloned()
                .enumerate()
                .map(move |(i, s)| (generation, i, s))
                .collect::<Vec<_>>()
        })
    };
    let rows = Signal::derive(move || state.dataset.with(|d| (d.generation, d.table.clone())));
    view! {
        <section class="data-page">
            <div class="page-head">
                // The Element Timing API reports when this is first painted (bench/run cold).
                {leptos::tachys::html::attribute::custom::CustomAttribute::attr(
                    view! { <h2 class="page-title">{name}</h2> },
                    "elementtiming",
                    "data-page",
                )} <p class="muted">{shape}" · "{origin}</p>
            </div>
            <Show when=move || state.dataset.with(|d| d.is_synthetic())>
                <aside class="callout" data-testid="synthetic-notice">
                    <strong>"This is synthetic data."</strong>
                    " Churnlab generated these 7,043 customers in your browser. They have the columns, category shares and churn signal of IBM's Telco Customer Churn sample, but no row is a real customer. "
                    "To work on the real file, download "
                    <code>"WA_Fn-UseC_-Telco-Customer-Churn.csv"</code>
                    " from IBM's sample data and open it with "
                    <em>"Open CSV"</em>
                    " or drop it anywhere on this page. It stays on your computer."
                </aside>
            </Show>
            <DatasetList />
            <FieldEditor />
            <h2>"Columns"</h2>
            <AfterFirstPaint min_height="780px">
                <div class="summaries">
                    <For each=cards key=|(g, i, _)| (*g, *i) let:item>
                        <ColumnSummaryCard summary=item.2 />
                    </For>
                </div>
            </AfterFirstPaint>
            <h2>"Rows"</h2>
            <AfterFirstPaint min_height="590px">
                <TableGrid table=rows ids=DATA_GRID />
            </AfterFirstPaint>
        </section>
    }
}

/// Content below the fold, built just after the page's first paint: the
/// top of the page shows first, and the summaries and grid (most of the
/// page's elements) follow once the page is idle, in a box of about their
/// height, so a first click or query is not kept waiting behind them.
#[component]
fn AfterFirstPaint(min_height: &'static str, children: ChildrenFn) -> impl IntoView {
    let ready = RwSignal::new(false);
    // An animation frame runs just before the next paint; what it asks
    // for runs after it.
    request_animation_frame(move || when_idle(200, move || ready.set(true)));
    view! {
        <Show
            when=move || ready.get()
            fallback=move || {
                view! {
                    <div
                        class="after-first-paint"
                        style:min-height=min_height
                        aria-busy="true"
                    ></div>
                }
            }
        >
            {children()}
        </Show>
    }
}

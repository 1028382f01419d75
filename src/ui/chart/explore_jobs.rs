//! What the Explore page's sections share: the active table with its
//! category and number columns, the charts a section computes one at a
//! time (on the page, yielding to the browser between them, or for a large
//! table in the worker that holds it; a newer run stopping an older one),
//! their progress bar, and the column pickers' options.

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::chart::explore::{category_columns, numeric_columns, ExploreChart};
use crate::core::chart::{ChartData, ChartKind};
use crate::core::data::table::Table;
use crate::ui::browser::held::{self, in_background};
use crate::ui::state::AppState;
use crate::ui::widgets::chart_view::ChartResult;

/// A chart being computed: its name and, once done, its result.
pub type Cell = (String, RwSignal<ChartResult>);

/// What the held table's worker answers for an Explore chart.
type Answer = Result<(ChartKind, ChartData), String>;

/// Registers the Explore charts' op on the held table (in a worker).
pub fn register_worker_ops() {
    held::register_op("explore-chart", |tables, args| {
        let table = held::only(tables)?;
        let chart: ExploreChart = held::read(&args)?;
        held::write(&chart.compute(table).map_err(|e| e.to_string()) as &Answer)
    });
}

/// `chart` on `table`: at once on the page, or in the held table's worker.
async fn compute(table: &Table, chart: ExploreChart) -> ChartResult {
    if !in_background(table) {
        return Some(chart.compute(table).map_err(|e| e.to_string()));
    }
    let answer: Result<Answer, String> = held::ask_json(
        table,
        "explore-chart",
        &chart,
        &|_, _| {},
        &held::Ticket::new(),
    )
    .await;
    Some(answer.and_then(|a| a))
}

/// The active table and its columns by kind, recomputed when it changes.
#[derive(Clone, Copy)]
pub struct Columns {
    pub table: Memo<Table>,
    /// Changes with every new table (tracked by the sections' jobs).
    pub generation: Memo<u64>,
    pub categories: Memo<Vec<String>>,
    pub numbers: Memo<Vec<String>>,
}

impl Columns {
    pub fn new(state: AppState) -> Columns {
        let table = Memo::new_with_compare(
            move |_| state.dataset.with(|d| d.table.clone()),
            |_, _| true,
        );
        let generation = Memo::new(move |_| state.dataset.with(|d| d.generation));
        let categories = Memo::new(move |_| {
            generation.track();
            table.with_untracked(category_columns)
        });
        let numbers = Memo::new(move |_| {
            generation.track();
            table.with_untracked(numeric_columns)
        });
        Columns {
            table,
            generation,
            categories,
            numbers,
        }
    }
}

/// A section's charts: the run under way, the charts listed, the progress.
#[derive(Clone, Copy)]
pub struct Charts {
    run: StoredValue<u64>,
    pub cells: RwSignal<Vec<Cell>>,
    pub progress: RwSignal<Option<(usize, usize)>>,
}

impl Charts {
    pub fn new() -> Charts {
        Charts {
            run: StoredValue::new(0),
            cells: RwSignal::new(Vec::new()),
            progress: RwSignal::new(None),
        }
    }

    /// Lists the charts and fills them in turn, yielding to the browser
    /// between them. A later call (a new table or new choices) stops an
    /// earlier one.
    pub fn run(self, table: Table, jobs: Vec<(String, ExploreChart)>) {
        let me = self.run.get_value() + 1;
        self.run.set_value(me);
        let total = jobs.len();
        let cells: Vec<Cell> = jobs
            .iter()
            .map(|(name, _)| (name.clone(), RwSignal::new(None)))
            .collect();
        let slots: Vec<RwSignal<ChartResult>> = cells.iter().map(|c| c.1).collect();
        self.cells.set(cells);
        self.progress.set(Some((0, total)));
        let (run, progress) = (self.run, self.progress);
        spawn_local(async move {
            for ((_, job), slot) in jobs.into_iter().zip(slots) {
                TimeoutFuture::new(0).await;
                if run.try_get_value() != Some(me) {
                    return;
                }
                let answer = compute(&table, job).await;
                if run.try_get_value() != Some(me) {
                    return;
                }
                let _ = slot.try_set(answer);
                progress.update(|p| *p = p.map(|(done, total)| (done + 1, total)));
            }
            progress.set(None);
        });
    }

    /// Chart `i`'s result and name (tracked).
    pub fn chart(self, i: usize) -> (Signal<ChartResult>, Signal<String>) {
        let cells = self.cells;
        (
            Signal::derive(move || cells.with(|s| s.get(i).and_then(|s| s.1.get()))),
            Signal::derive(move || {
                cells.with(|s| s.get(i).map(|s| s.0.clone()).unwrap_or_default())
            }),
        )
    }

    /// "Computing …: n of m" while the charts are computed.
    pub fn progress_bar(self, what: &'static str) -> impl IntoView {
        let progress = self.progress;
        move || {
            progress.get().map(|(done, total)| {
                view! {
                    <div class="inline-progress" data-testid="explore-progress">
                        <progress max=total.to_string() value=done.to_string()></progress>
                        <span class="muted">{format!("Computing {what}: {done} of {total}")}</span>
                    </div>
                }
            })
        }
    }
}

impl Default for Charts {
    fn default() -> Self {
        Charts::new()
    }
}

/// A select's options: `names`, `selected` chosen, and an empty choice first
/// when `none` names it.
fn options(names: Vec<String>, selected: String, none: Option<&'static str>) -> impl IntoView {
    let none = none.map(|label| {
        view! {
            <option value="" selected=selected.is_empty()>
                {label}
            </option>
        }
    });
    view! {
        {none}
        {names
            .into_iter()
            .map(|n| {
                view! {
                    <option value=n.clone() selected=n == selected>
                        {n.clone()}
                    </option>
                }
            })
            .collect_view()}
    }
}

/// A labelled select of `names` that sets `chosen`, with an empty choice
/// first when `none` names it.
pub fn picker(
    label: &'static str,
    testid: &'static str,
    names: Memo<Vec<String>>,
    chosen: RwSignal<String>,
    none: Option<&'static str>,
) -> impl IntoView {
    view! {
        <label>
            {label}
            <select data-testid=testid on:change=move |ev| chosen.set(event_target_value(&ev))>
                {move || options(names.get(), chosen.get(), none)}
            </select>
        </label>
    }
}

/// The first of `wanted` among `names` (any case), else the first name.
pub fn prefer(names: &[String], wanted: &[&str]) -> String {
    wanted
        .iter()
        .find_map(|w| names.iter().find(|n| n.eq_ignore_ascii_case(w)))
        .or(names.first())
        .cloned()
        .unwrap_or_default()
}

/// The workshop's split for a table's charts: Churn when it has one.
pub fn default_split(categories: &[String]) -> String {
    if categories.iter().any(|c| c.eq_ignore_ascii_case("Churn")) {
        prefer(categories, &["Churn"])
    } else {
        String::new()
    }
}

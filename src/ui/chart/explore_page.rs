//! The exploration page, the workshop's notebook as clicks: every column's
//! distribution split by a target (Churn by default), a box plot, a pair
//! plot of up to four number columns coloured by a category, and the
//! correlation heat map. Charts are computed one at a time, yielding to the
//! browser between them, so large tables never freeze the page.

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::chart::explore::{
    box_plot, category_columns, correlations, distribution, explorable_columns, numeric_columns,
    pair_cell, PAIR_PLOT_MAX,
};
use crate::core::chart::{ChartData, ChartKind};
use crate::core::common::number_rule::NumberRule;
use crate::ui::state::use_app;
use crate::ui::widgets::chart_view::ChartResult;
use crate::ui::widgets::chart_view::ChartView;
use crate::ui::widgets::number_field::{Invalid, NumberField};

type Job = Box<dyn FnOnce() -> ChartResult>;

fn result(r: Result<(ChartKind, ChartData), impl ToString>) -> ChartResult {
    Some(r.map_err(|e| e.to_string()))
}

/// A chart being computed: its name and, once done, its result.
type Cell = (String, RwSignal<ChartResult>);

/// Lists the jobs' charts in `out` and fills them in turn, yielding to the
/// browser between jobs. A later call (a new table or new choices) stops
/// an earlier one.
fn run_jobs(
    run: StoredValue<u64>,
    jobs: Vec<(String, Job)>,
    out: RwSignal<Vec<Cell>>,
    progress: RwSignal<Option<(usize, usize)>>,
) {
    let me = run.get_value() + 1;
    run.set_value(me);
    let total = jobs.len();
    let cells: Vec<Cell> = jobs
        .iter()
        .map(|(name, _)| (name.clone(), RwSignal::new(None)))
        .collect();
    let slots: Vec<RwSignal<ChartResult>> = cells.iter().map(|c| c.1).collect();
    out.set(cells);
    progress.set(Some((0, total)));
    spawn_local(async move {
        for ((_, job), slot) in jobs.into_iter().zip(slots) {
            TimeoutFuture::new(0).await;
            if run.try_get_value() != Some(me) {
                return;
            }
            let _ = slot.try_set(job());
            progress.update(|p| *p = p.map(|(done, total)| (done + 1, total)));
        }
        progress.set(None);
    });
}

fn progress_bar(progress: RwSignal<Option<(usize, usize)>>, what: &'static str) -> impl IntoView {
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

fn options(names: Vec<String>, selected: String, none: Option<&'static str>) -> impl IntoView {
    let none =
        none.map(|label| view! { <option value="" selected=selected.is_empty()>{label}</option> });
    view! {
        {none}
        {names.into_iter().map(|n| view! { <option value=n.clone() selected=n == selected>{n.clone()}</option> }).collect_view()}
    }
}

fn prefer(names: &[String], wanted: &[&str]) -> String {
    wanted
        .iter()
        .find_map(|w| names.iter().find(|n| n.eq_ignore_ascii_case(w)))
        .or(names.first())
        .cloned()
        .unwrap_or_default()
}

#[component]
pub fn ExplorePage() -> impl IntoView {
    let state = use_app();
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

    let target = RwSignal::new(String::new());
    let bins = RwSignal::new(20usize);
    let box_value = RwSignal::new(String::new());
    let box_by = RwSignal::new(String::new());
    let pair_columns = RwSignal::new(Vec::<String>::new());
    let pair_color = RwSignal::new(String::new());
    // Sensible choices for each new table: the workshop's.
    Effect::new(move |_| {
        let (cats, nums) = (categories.get(), numbers.get());
        target.set(if cats.iter().any(|c| c.eq_ignore_ascii_case("Churn")) {
            prefer(&cats, &["Churn"])
        } else {
            String::new()
        });
        box_value.set(prefer(&nums, &["MonthlyCharges", "tenure"]));
        box_by.set(prefer(&cats, &["Contract", "Churn"]));
        pair_columns.set(
            nums.iter()
                .filter(|n| !n.eq_ignore_ascii_case("SeniorCitizen"))
                .take(3)
                .cloned()
                .collect(),
        );
        pair_color.set(target.get_untracked());
    });

    let dist_run = StoredValue::new(0u64);
    let dist = RwSignal::new(Vec::<Cell>::new());
    let dist_progress = RwSignal::new(None);
    Effect::new(move |_| {
        generation.track();
        let (t, target, bins) = (table.get_untracked(), target.get(), bins.get());
        let jobs: Vec<(String, Job)> = explorable_columns(&t)
            .into_iter()
            .map(|col| {
                let (t, target, name) = (t.clone(), target.clone(), col.clone());
                let job: Job = Box::new(move || {
                    result(distribution(
                        &t,
                        &col,
                        Some(target.as_str()).filter(|s| !s.is_empty()),
                        bins,
                    ))
                });
                (name, job)
            })
            .collect();
        run_jobs(dist_run, jobs, dist, dist_progress);
    });

    let pair_run = StoredValue::new(0u64);
    let pairs = RwSignal::new(Vec::<Cell>::new());
    let pair_progress = RwSignal::new(None);
    Effect::new(move |_| {
        generation.track();
        let (t, cols, color) = (table.get_untracked(), pair_columns.get(), pair_color.get());
        let mut jobs: Vec<(String, Job)> = Vec::new();
        for y in &cols {
            for x in &cols {
                let (t, x, y, color) = (t.clone(), x.clone(), y.clone(), color.clone());
                let name = if x == y {
                    x.clone()
                } else {
                    format!("{y} against {x}")
                };
                jobs.push((
                    name,
                    Box::new(move || {
                        result(pair_cell(
                            &t,
                            &x,
                            &y,
                            Some(color.as_str()).filter(|s| !s.is_empty()),
                        ))
                    }),
                ));
            }
        }
        run_jobs(pair_run, jobs, pairs, pair_progress);
    });

    let single_run = StoredValue::new(0u64);
    let singles = RwSignal::new(Vec::<Cell>::new());
    let single_progress = RwSignal::new(None);
    Effect::new(move |_| {
        generation.track();
        let (t, value, by) = (table.get_untracked(), box_value.get(), box_by.get());
        let t2 = t.clone();
        let jobs: Vec<(String, Job)> = vec![
            (
                format!("{value} by {by}"),
                Box::new(move || result(box_plot(&t, &value, &by).map(|d| (ChartKind::Box, d)))),
            ),
            (
                "Correlation of the number columns".into(),
                Box::new(move || Some(Ok((ChartKind::Heatmap, correlations(&t2))))),
            ),
        ];
        run_jobs(single_run, jobs, singles, single_progress);
    });
    let single =
        move |i: usize| Signal::derive(move || singles.with(|s| s.get(i).and_then(|s| s.1.get())));
    let single_label = move |i: usize| {
        Signal::derive(move || singles.with(|s| s.get(i).map(|s| s.0.clone()).unwrap_or_default()))
    };

    let toggle_pair = move |name: String, on: bool| {
        pair_columns.update(|cols| {
            if on && !cols.contains(&name) && cols.len() < PAIR_PLOT_MAX {
                // Keep the table's column order.
                cols.push(name);
                let order = numbers.get_untracked();
                cols.sort_by_key(|c| order.iter().position(|o| o == c));
            } else if !on {
                cols.retain(|c| c != &name);
            }
        })
    };
    let pair_count = move || pair_columns.with(Vec::len);

    view! {
        <div class="explore-page">
            <header class="page-head">
                <h2>{move || format!("Explore {}", state.dataset.with(|d| d.table.name().to_owned()))}</h2>
                <p class="muted">"The workshop's exploration notebook: how each column is distributed, and how the columns relate to churn and to each other."</p>
            </header>
            <section class="explore-section" aria-labelledby="dist-heading">
                <div class="section-head">
                    <h3 id="dist-heading">"Distributions"</h3>
                    <label>
                        "Split by "
                        <select data-testid="explore-target" on:change=move |ev| target.set(event_target_value(&ev))>
                            {move || options(categories.get(), target.get(), Some("(no split)"))}
                        </select>
                    </label>
                    <NumberField
                        label="Histogram bins"
                        testid="explore-bins"
                        rule=NumberRule::whole_between(2.0, 100.0)
                        short=true
                        value=Signal::derive(move || bins.get() as f64)
                        on_value=Callback::new(move |n: f64| bins.set(n as usize))
                        invalid=Invalid::new()
                    />
                    {progress_bar(dist_progress, "distributions")}
                </div>
                <div class="chart-grid">
                    {move || {
                        dist.get()
                            .into_iter()
                            .map(|(name, chart)| {
                                let label = Signal::derive({
                                    let name = name.clone();
                                    move || {
                                        let t = target.get();
                                        if t.is_empty() || t == name { name.clone() } else { format!("{name} by {t}") }
                                    }
                                });
                                view! {
                                    <figure class="explore-card" data-testid="explore-distribution" data-column=name.clone()>
                                        <figcaption>{label}</figcaption>
                                        <ChartView chart label size="chart-small"/>
                                    </figure>
                                }
                            })
                            .collect_view()
                    }}
                </div>
            </section>
            <section class="explore-section" aria-labelledby="box-heading">
                <div class="section-head">
                    <h3 id="box-heading">"Box plot"</h3>
                    <label>
                        "Value "
                        <select data-testid="box-value" on:change=move |ev| box_value.set(event_target_value(&ev))>
                            {move || options(numbers.get(), box_value.get(), None)}
                        </select>
                    </label>
                    <label>
                        "By "
                        <select data-testid="box-by" on:change=move |ev| box_by.set(event_target_value(&ev))>
                            {move || options(categories.get(), box_by.get(), None)}
                        </select>
                    </label>
                    {progress_bar(single_progress, "charts")}
                </div>
                <figure class="explore-card wide" data-testid="explore-box">
                    <figcaption>{single_label(0)}</figcaption>
                    <ChartView chart=single(0) label=single_label(0)/>
                </figure>
            </section>
            <section class="explore-section" aria-labelledby="pair-heading">
                <div class="section-head">
                    <h3 id="pair-heading">"Pair plot"</h3>
                    <fieldset class="pair-columns">
                        <legend>{format!("Up to {PAIR_PLOT_MAX} number columns")}</legend>
                        {move || numbers
                            .get()
                            .into_iter()
                            .map(|n| {
                                let (checked_name, toggle_name, disabled_name) = (n.clone(), n.clone(), n.clone());
                                view! {
                                    <label class="check">
                                        <input
                                            type="checkbox"
                                            data-testid="pair-column"
                                            data-column=n.clone()
                                            prop:checked=move || pair_columns.with(|c| c.contains(&checked_name))
                                            prop:disabled=move || { pair_count() >= PAIR_PLOT_MAX && !pair_columns.with(|c| c.contains(&disabled_name)) }
                                            on:change=move |ev| toggle_pair(toggle_name.clone(), event_target_checked(&ev))
                                        />
                                        {n}
                                    </label>
                                }
                            })
                            .collect_view()}
                    </fieldset>
                    <label>
                        "Colour by "
                        <select data-testid="pair-color" on:change=move |ev| pair_color.set(event_target_value(&ev))>
                            {move || options(categories.get(), pair_color.get(), Some("(none)"))}
                        </select>
                    </label>
                    {progress_bar(pair_progress, "the pair plot")}
                </div>
                <Show when=move || pair_count() == 0>
                    <p class="muted">"Tick one or more number columns."</p>
                </Show>
                <div class=move || format!("pair-grid columns-{}", pair_count().max(1)) data-testid="pair-plot">
                    {move || {
                        pairs.get()
                            .into_iter()
                            .map(|(name, chart)| {
                                view! {
                                    <div class="pair-cell" data-testid="pair-cell">
                                        <ChartView chart label=Signal::derive(move || name.clone()) size="chart-small"/>
                                    </div>
                                }
                            })
                            .collect_view()
                    }}
                </div>
            </section>
            <section class="explore-section" aria-labelledby="corr-heading">
                <div class="section-head">
                    <h3 id="corr-heading">"Correlations"</h3>
                    <p class="muted">"Pearson correlation of each pair of number columns, over rows where both have a value."</p>
                </div>
                <figure class="explore-card wide" data-testid="explore-correlations">
                    <ChartView chart=single(1) label=single_label(1)/>
                </figure>
            </section>
        </div>
    }
}

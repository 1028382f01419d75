//! The Explore page's sections, each with its own choices and charts:
//! every column's distribution split by a category, a box plot, a pair plot
//! of up to four number columns coloured by a category, and the correlation
//! heat map. Each follows the active table and starts on the workshop's
//! choices for it.

use leptos::prelude::*;

use crate::core::chart::explore::{explorable_columns, ExploreChart, PAIR_PLOT_MAX};
use crate::core::common::number_rule::NumberRule;
use crate::ui::chart::explore_jobs::{default_split, picker, prefer, Charts, Columns};
use crate::ui::widgets::chart_view::ChartView;
use crate::ui::widgets::number_field::{Invalid, NumberField};

/// Every column's distribution, split by a category (Churn by default).
#[component]
pub fn Distributions(columns: Columns) -> impl IntoView {
    let Columns {
        table,
        generation,
        categories,
        ..
    } = columns;
    let target = RwSignal::new(String::new());
    let bins = RwSignal::new(20usize);
    Effect::new(move |_| target.set(default_split(&categories.get())));
    let charts = Charts::new();
    Effect::new(move |_| {
        generation.track();
        let (t, target, bins) = (table.get_untracked(), target.get(), bins.get());
        let split = Some(target).filter(|s| !s.is_empty());
        let jobs: Vec<(String, ExploreChart)> = explorable_columns(&t)
            .into_iter()
            .map(|column| {
                let chart = ExploreChart::Distribution {
                    column: column.clone(),
                    split: split.clone(),
                    bins,
                };
                (column, chart)
            })
            .collect();
        charts.run(t, jobs);
    });
    view! {
        <section class="explore-section" aria-labelledby="dist-heading">
            <div class="section-head">
                <h3 id="dist-heading">"Distributions"</h3>
                {picker("Split by ", "explore-target", categories, target, Some("(no split)"))}
                <NumberField
                    label="Histogram bins"
                    testid="explore-bins"
                    rule=NumberRule::whole_between(2.0, 100.0)
                    short=true
                    value=Signal::derive(move || bins.get() as f64)
                    on_value=Callback::new(move |n: f64| bins.set(n as usize))
                    invalid=Invalid::new()
                />
                {charts.progress_bar("distributions")}
            </div>
            <div class="chart-grid">
                {move || {
                    charts
                        .cells
                        .get()
                        .into_iter()
                        .map(|(name, chart)| {
                            let label = Signal::derive({
                                let name = name.clone();
                                move || {
                                    let t = target.get();
                                    if t.is_empty() || t == name {
                                        name.clone()
                                    } else {
                                        format!("{name} by {t}")
                                    }
                                }
                            });
                            view! {
                                <figure
                                    class="explore-card"
                                    data-testid="explore-distribution"
                                    data-column=name.clone()
                                >
                                    <figcaption>{label}</figcaption>
                                    <ChartView chart label size="chart-small" />
                                </figure>
                            }
                        })
                        .collect_view()
                }}
            </div>
        </section>
    }
}

/// A number column's box plot by a category (MonthlyCharges by Contract).
#[component]
pub fn BoxPlot(columns: Columns) -> impl IntoView {
    let Columns {
        table,
        generation,
        categories,
        numbers,
    } = columns;
    let value = RwSignal::new(String::new());
    let by = RwSignal::new(String::new());
    Effect::new(move |_| {
        value.set(prefer(&numbers.get(), &["MonthlyCharges", "tenure"]));
        by.set(prefer(&categories.get(), &["Contract", "Churn"]));
    });
    let charts = Charts::new();
    Effect::new(move |_| {
        generation.track();
        let (t, value, by) = (table.get_untracked(), value.get(), by.get());
        let name = format!("{value} by {by}");
        charts.run(t, vec![(name, ExploreChart::BoxPlot { value, by })]);
    });
    let (chart, label) = charts.chart(0);
    view! {
        <section class="explore-section" aria-labelledby="box-heading">
            <div class="section-head">
                <h3 id="box-heading">"Box plot"</h3>
                {picker("Value ", "box-value", numbers, value, None)}
                {picker("By ", "box-by", categories, by, None)}
                {charts.progress_bar("the box plot")}
            </div>
            <figure class="explore-card wide" data-testid="explore-box">
                <figcaption>{label}</figcaption>
                <ChartView chart label />
            </figure>
        </section>
    }
}

/// A grid of scatter plots (histograms on the diagonal) of up to
/// [`PAIR_PLOT_MAX`] number columns, coloured by a category.
#[component]
pub fn PairPlot(columns: Columns) -> impl IntoView {
    let Columns {
        table,
        generation,
        categories,
        numbers,
    } = columns;
    let chosen = RwSignal::new(Vec::<String>::new());
    let color = RwSignal::new(String::new());
    Effect::new(move |_| {
        chosen.set(
            numbers
                .get()
                .iter()
                .filter(|n| !n.eq_ignore_ascii_case("SeniorCitizen"))
                .take(3)
                .cloned()
                .collect(),
        );
        color.set(default_split(&categories.get()));
    });
    let charts = Charts::new();
    Effect::new(move |_| {
        generation.track();
        let (t, cols, color) = (table.get_untracked(), chosen.get(), color.get());
        let color = Some(color).filter(|s| !s.is_empty());
        let mut jobs: Vec<(String, ExploreChart)> = Vec::new();
        for y in &cols {
            for x in &cols {
                let name = if x == y {
                    x.clone()
                } else {
                    format!("{y} against {x}")
                };
                let (x, y, color) = (x.clone(), y.clone(), color.clone());
                jobs.push((name, ExploreChart::PairCell { x, y, color }));
            }
        }
        charts.run(t, jobs);
    });
    let toggle = move |name: String, on: bool| {
        chosen.update(|cols| {
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
    let count = move || chosen.with(Vec::len);
    view! {
        <section class="explore-section" aria-labelledby="pair-heading">
            <div class="section-head">
                <h3 id="pair-heading">"Pair plot"</h3>
                <fieldset class="pair-columns">
                    <legend>{format!("Up to {PAIR_PLOT_MAX} number columns")}</legend>
                    {move || {
                        numbers
                            .get()
                            .into_iter()
                            .map(|n| {
                                let (checked_name, toggle_name, disabled_name) = (
                                    n.clone(),
                                    n.clone(),
                                    n.clone(),
                                );
                                view! {
                                    <label class="check">
                                        <input
                                            type="checkbox"
                                            data-testid="pair-column"
                                            data-column=n.clone()
                                            prop:checked=move || {
                                                chosen.with(|c| c.contains(&checked_name))
                                            }
                                            prop:disabled=move || {
                                                count() >= PAIR_PLOT_MAX
                                                    && !chosen.with(|c| c.contains(&disabled_name))
                                            }
                                            on:change=move |ev| toggle(
                                                toggle_name.clone(),
                                                event_target_checked(&ev),
                                            )
                                        />
                                        {n}
                                    </label>
                                }
                            })
                            .collect_view()
                    }}
                </fieldset>
                {picker("Colour by ", "pair-color", categories, color, Some("(none)"))}
                {charts.progress_bar("the pair plot")}
            </div>
            <Show when=move || count() == 0>
                <p class="muted">"Tick one or more number columns."</p>
            </Show>
            <div
                class=move || format!("pair-grid columns-{}", count().max(1))
                data-testid="pair-plot"
            >
                {move || {
                    charts
                        .cells
                        .get()
                        .into_iter()
                        .map(|(name, chart)| {
                            view! {
                                <div class="pair-cell" data-testid="pair-cell">
                                    <ChartView
                                        chart
                                        label=Signal::derive(move || name.clone())
                                        size="chart-small"
                                    />
                                </div>
                            }
                        })
                        .collect_view()
                }}
            </div>
        </section>
    }
}

/// The Pearson correlations of the number columns as a heat map.
#[component]
pub fn Correlations(columns: Columns) -> impl IntoView {
    let Columns {
        table, generation, ..
    } = columns;
    let charts = Charts::new();
    Effect::new(move |_| {
        generation.track();
        let t = table.get_untracked();
        let name = "Correlation of the number columns".to_owned();
        charts.run(t, vec![(name, ExploreChart::Correlations)]);
    });
    let (chart, label) = charts.chart(0);
    view! {
        <section class="explore-section" aria-labelledby="corr-heading">
            <div class="section-head">
                <h3 id="corr-heading">"Correlations"</h3>
                <p class="muted">
                    "Pearson correlation of each pair of number columns, over rows where both have a value."
                </p>
                {charts.progress_bar("the correlations")}
            </div>
            <figure class="explore-card wide" data-testid="explore-correlations">
                <ChartView chart label />
            </figure>
        </section>
    }
}

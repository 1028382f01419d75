//! The exploration page, the workshop's notebook as clicks: every column's
//! distribution split by a target (Churn by default), a box plot, a pair
//! plot of up to four number columns coloured by a category, and the
//! correlation heat map, each a section of `explore_sections`. Charts are
//! computed one at a time, yielding to the browser between them, so large
//! tables never freeze the page.

use leptos::prelude::*;

use crate::ui::chart::explore_jobs::Columns;
use crate::ui::chart::explore_sections::{BoxPlot, Correlations, Distributions, PairPlot};
use crate::ui::state::use_app;

#[component]
pub fn ExplorePage() -> impl IntoView {
    let state = use_app();
    let columns = Columns::new(state);
    view! {
        <div class="explore-page">
            <header class="page-head">
                <h2>
                    {move || {
                        format!("Explore {}", state.dataset.with(|d| d.table.name().to_owned()))
                    }}
                </h2>
                <p class="muted">
                    "The workshop's exploration notebook: how each column is distributed, and how the columns relate to churn and to each other."
                </p>
            </header>
            <Distributions columns />
            <BoxPlot columns />
            <PairPlot columns />
            <Correlations columns />
        </div>
    }
}

//! The experiments page, the workshop's MLflow step: every training run
//! with its parameters and metrics, a grid form that launches many runs,
//! a sortable and filterable runs table, a compare view, and export.

use leptos::prelude::*;

use crate::ui::model::compare_runs::CompareRuns;
use crate::ui::model::grid_form::GridForm;
use crate::ui::model::runs_table::RunsTable;
use crate::ui::state::use_app;

#[component]
pub fn ExperimentsPage() -> impl IntoView {
    let state = use_app();
    let t = state.training;
    let selected = RwSignal::new(Vec::<u64>::new());
    let compared = Memo::new(move |_| {
        let ids = selected.get();
        t.runs.with(|runs| {
            runs.iter()
                .filter(|r| ids.contains(&r.id))
                .cloned()
                .collect::<Vec<_>>()
        })
    });

    view! {
        <div class="experiments-page">
            <header class="page-head">
                <h2>"Experiments"</h2>
                <p class="muted">
                    "Every training run is recorded here with its parameters and metrics, and kept in this browser."
                </p>
            </header>
            <GridForm />
            <RunsTable selected compared />
            <Show
                when=move || compared.with(|c| c.len() >= 2)
                fallback=move || {
                    view! { <p class="muted">"Select two or more runs to compare them."</p> }
                }
            >
                <CompareRuns runs=compared />
            </Show>
        </div>
    }
}

//! The training page, the workshop's model-building notebook: choose the
//! dataset, target, features, split and missing-value handling; train the
//! pipeline (one C, or cross-validated over a grid) in a worker with a
//! progress bar and Cancel; read the evaluation; save the model by name.

use leptos::prelude::*;

use crate::ui::model::train_form::TrainForm;
use crate::ui::model::train_results::TrainResults;
use crate::ui::state::use_app;

#[component]
pub fn TrainPage() -> impl IntoView {
    let state = use_app();
    let t = state.training;
    view! {
        <div class="train-page">
            <header class="page-head">
                <h2>"Train a model"</h2>
                <p class="muted">
                    "The workshop's pipeline: one-hot encode the categorical features, standardise every feature, and fit an L2 logistic regression, with one C or cross-validated over a grid of C (like scikit-learn's LogisticRegressionCV). Training runs in the background."
                </p>
            </header>
            <TrainForm />
            <Show when=move || t.last.with(Option::is_some)>
                <TrainResults />
            </Show>
        </div>
    }
}

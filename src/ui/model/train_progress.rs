//! The training's progress bar with its Cancel, shared by the Train and
//! Experiments pages (one training at a time, said beside it).

use leptos::prelude::*;

use crate::ui::model::training::cancel;
use crate::ui::state::use_app;

#[component]
pub fn TrainProgressBar() -> impl IntoView {
    let state = use_app();
    let t = state.training;
    move || {
        t.progress.get().map(|p| {
            let label = if p.runs > 1 {
                format!("Run {} of {}: fit {} of {}", p.run, p.runs, p.done, p.total)
            } else {
                format!("Fit {} of {}", p.done, p.total)
            };
            view! {
                <div class="train-progress" data-testid="train-progress" role="status">
                    <progress max=p.total.to_string() value=p.done.to_string()></progress>
                    <span>{label}</span>
                    <button
                        class="button"
                        data-testid="train-cancel"
                        on:click=move |_| cancel(state)
                    >
                        "Cancel"
                    </button>
                    <span class="muted" data-testid="train-one-at-a-time">
                        "One training at a time: another starts once this one ends or is cancelled."
                    </span>
                </div>
            }
        })
    }
}

//! The progress bar and Cancel button shown while a file loads.

use leptos::prelude::*;

use crate::core::common::numfmt::plural;
use crate::core::data::ingest::format_bytes;
use crate::ui::state::{use_app, LoadPhase, LoadProgress};

fn describe(p: &LoadProgress) -> String {
    match p.phase {
        LoadPhase::Restoring => "Restoring your saved dataset…".to_owned(),
        LoadPhase::Summarising { done, total } => format!("Summarising columns: {done} of {total}"),
        LoadPhase::Reading | LoadPhase::Rereading => {
            let verb = if p.phase == LoadPhase::Reading {
                "Reading"
            } else {
                "Reading again with corrected column types"
            };
            let size = match p.bytes_total {
                Some(t) => format!(
                    "{} of {}",
                    format_bytes(p.bytes_done as usize),
                    format_bytes(t as usize)
                ),
                None => format_bytes(p.bytes_done as usize),
            };
            format!("{verb} {}: {size}, {}", p.label, plural(p.rows, "row"))
        }
    }
}

#[component]
pub fn LoadProgressBar() -> impl IntoView {
    let state = use_app();
    move || {
        state.load.get().map(|p| {
            let fraction = p.fraction();
            let text = describe(&p);
            view! {
                <div class="load-progress" data-testid="load-progress" role="status">
                    <div class="load-text">{text}</div>
                    {match fraction {
                        Some(f) => {
                            view! { <progress max="1" value=f.to_string()></progress> }.into_any()
                        }
                        None => view! { <progress></progress> }.into_any(),
                    }}
                    <button
                        class="button"
                        data-testid="load-cancel"
                        on:click=move |_| {
                            state.cancel_requested.set(true);
                            crate::ui::browser::worker::cancel(crate::ui::data::loader::LOADING);
                        }
                    >
                        "Cancel"
                    </button>
                </div>
            }
        })
    }
}

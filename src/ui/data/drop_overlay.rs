//! Drop a CSV anywhere on the page to load it.

use leptos::ev;
use leptos::prelude::*;

use crate::ui::data::loader::{start_load, Source};
use crate::ui::state::use_app;

fn has_files(e: &web_sys::DragEvent) -> bool {
    e.data_transfer()
        .map(|dt| dt.types().includes(&"Files".into(), 0))
        .unwrap_or(false)
}

#[component]
pub fn DropOverlay() -> impl IntoView {
    let state = use_app();
    let dragging = RwSignal::new(false);
    let handles = [
        window_event_listener(ev::dragover, move |e| {
            if has_files(&e) {
                e.prevent_default();
                dragging.set(true);
            }
        }),
        window_event_listener(ev::dragleave, move |e| {
            // Leaving the window (not moving between children) has no related target.
            if e.related_target().is_none() {
                dragging.set(false);
            }
        }),
        window_event_listener(ev::drop, move |e| {
            if !has_files(&e) {
                return;
            }
            e.prevent_default();
            dragging.set(false);
            if let Some(file) = e
                .data_transfer()
                .and_then(|dt| dt.files())
                .and_then(|f| f.get(0))
            {
                start_load(state, Source::File(file));
            }
        }),
    ];
    on_cleanup(move || handles.into_iter().for_each(|h| h.remove()));
    view! {
        <Show when=move || dragging.get()>
            <div class="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
                <div>"Drop a CSV file to load it"</div>
            </div>
        </Show>
    }
}

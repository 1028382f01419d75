//! The SQL editor: a monospace text area with line numbers, the line of an
//! error marked, and Ctrl/Cmd+Enter to run.

use leptos::html::{Div, Textarea};
use leptos::prelude::*;

#[component]
pub fn SqlEditor(
    text: RwSignal<String>,
    /// The line an error points at, marked in the gutter.
    #[prop(into)]
    error_line: Signal<Option<u64>>,
    on_run: Callback<()>,
) -> impl IntoView {
    let area = NodeRef::<Textarea>::new();
    let gutter = NodeRef::<Div>::new();
    let lines = move || text.with(|t| t.split('\n').count());
    let sync_scroll = move || {
        if let (Some(a), Some(g)) = (area.get_untracked(), gutter.get_untracked()) {
            g.set_scroll_top(a.scroll_top());
        }
    };
    view! {
        <div class="sql-editor">
            <div class="gutter" node_ref=gutter aria-hidden="true">
                {move || {
                    let marked = error_line.get();
                    (1..=lines())
                        .map(|n| view! { <div class:error-line=marked == Some(n as u64)>{n}</div> })
                        .collect_view()
                }}
            </div>
            <textarea
                node_ref=area
                data-testid="sql-editor"
                aria-label="SQL query"
                spellcheck="false"
                autocomplete="off"
                wrap="off"
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
                on:scroll=move |_| sync_scroll()
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
                        ev.prevent_default();
                        on_run.run(());
                    }
                }
            ></textarea>
        </div>
    }
}

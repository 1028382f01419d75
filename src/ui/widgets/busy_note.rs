//! A status line with a progress bar of unknown length, for work that
//! runs in the background and says only that it is under way.

use leptos::prelude::*;

/// `text` after a progress bar, shown while `when` holds.
#[component]
pub fn BusyNote(
    #[prop(into)] when: Signal<bool>,
    testid: &'static str,
    text: &'static str,
) -> impl IntoView {
    view! {
        <Show when=move || when.get()>
            <p class="muted busy-note" role="status" data-testid=testid>
                <progress aria-label=text></progress>
                " "
                {text}
            </p>
        </Show>
    }
}

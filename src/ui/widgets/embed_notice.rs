//! What an embedded view shows instead of itself: "Preparing the view…"
//! while its data loads or its share link rebuilds, then why it is missing.

use leptos::prelude::*;

use crate::ui::state::use_app;

#[component]
pub fn EmbedNotice(#[prop(into)] missing: Signal<String>) -> impl IntoView {
    let state = use_app();
    let preparing =
        move || state.share.rebuilding.with(Option::is_some) || state.load.with(Option::is_some);
    view! {
        <p
            class="muted"
            data-testid=move || if preparing() { "embed-waiting" } else { "embed-missing" }
            role="status"
        >
            {move || if preparing() { "Preparing the view…".to_owned() } else { missing.get() }}
        </p>
    }
}

//! The sharing stage's messages above every page: a new build waiting
//! ("Reload to update"; nothing reloads by itself), work kept in memory
//! only (said once), and a share link's rebuild in progress.

use leptos::prelude::*;

use crate::ui::share::offline;
use crate::ui::state::use_app;

#[component]
pub fn ShareStatus() -> impl IntoView {
    let state = use_app();
    let share = state.share;
    let storage_dismissed = RwSignal::new(false);
    let embedded = share.embed.with_value(Option::is_some);
    view! {
        <Show when=move || share.update_ready.get() && !embedded>
            <div class="notice info update-notice" role="status" data-testid="update-notice">
                <div class="notice-body">
                    <strong>"A new version of Churnlab is ready."</strong>
                    " It is used from the next reload; your work is kept."
                </div>
                <button
                    class="button primary"
                    data-testid="install-update"
                    on:click=move |_| offline::apply_update()
                >
                    "Reload to update"
                </button>
            </div>
        </Show>
        <Show when=move || share.in_memory.get() && !storage_dismissed.get()>
            <div class="notice warning" role="status" data-testid="storage-notice">
                <div class="notice-body">
                    <strong>
                        "This browser gives Churnlab no storage here, so your work lives only in this tab."
                    </strong>
                    " It is lost when the tab closes: use Share → Export project to keep it."
                </div>
                <button
                    class="icon-button"
                    aria-label="Dismiss"
                    data-testid="storage-notice-dismiss"
                    on:click=move |_| storage_dismissed.set(true)
                >
                    "×"
                </button>
            </div>
        </Show>
        {move || {
            share
                .rebuilding
                .get()
                .map(|step| {
                    view! {
                        <div
                            class="load-progress share-rebuild"
                            role="status"
                            data-testid="share-rebuilding"
                        >
                            <span>{format!("Opening the share link: {step}…")}</span>
                            <progress aria-label="Opening the share link"></progress>
                        </div>
                    }
                })
        }}
    }
}

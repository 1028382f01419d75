//! Messages about what the user just did: errors that say what and where,
//! warnings about skipped rows, and information. Dismissible.

use leptos::prelude::*;

use crate::ui::state::{use_app, NoticeKind};

#[component]
pub fn Notices() -> impl IntoView {
    let state = use_app();
    view! {
        <div class="notices">
            <For each=move || state.notices.get() key=|n| n.id let:notice>
                {
                    let (class, testid, role) = match notice.kind {
                        NoticeKind::Error => ("notice error", "load-error", "alert"),
                        NoticeKind::Warning => ("notice warning", "load-warning", "status"),
                        NoticeKind::Info => ("notice info", "load-info", "status"),
                    };
                    let id = notice.id;
                    view! {
                        <div class=class data-testid=testid role=role>
                            <div class="notice-body">
                                <strong>{notice.title}</strong>
                                <ul>
                                    {notice
                                        .details
                                        .into_iter()
                                        .map(|d| view! { <li>{d}</li> })
                                        .collect_view()}
                                </ul>
                            </div>
                            <button
                                class="icon-button"
                                data-testid="notice-dismiss"
                                aria-label="Dismiss"
                                on:click=move |_| state.dismiss(id)
                            >
                                "×"
                            </button>
                        </div>
                    }
                }
            </For>
        </div>
    }
}

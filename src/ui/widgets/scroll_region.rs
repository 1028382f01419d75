//! A box that scrolls sideways when what it holds is wider than the
//! screen (a wide table on a phone), so the page itself never does. It can
//! take the keyboard's focus and is named, as a scrollable region must be
//! to be read and scrolled without a mouse.

use leptos::prelude::*;

#[component]
pub fn ScrollRegion(
    /// What the region holds, for screen readers ("Fields", "Blocks").
    label: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="table-scroll" role="region" aria-label=label tabindex="0">
            {children()}
        </div>
    }
}

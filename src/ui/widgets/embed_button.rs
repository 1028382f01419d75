//! "Embed": the `<iframe>` snippet that shows this view in another page.
//! The address carries the view (`?embed=…`), the page allowed to talk to
//! it (`&parent=`), and the state's share link (`#share=…`) so the view
//! rebuilds itself wherever it is shown; a short script sizes the iframe
//! to the view's height.

use leptos::prelude::*;

use crate::ui::share::link;
use crate::ui::state::use_app;

fn here() -> (String, String) {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return (String::new(), String::new());
    };
    let origin = location.origin().unwrap_or_default();
    let path = location.pathname().unwrap_or_default();
    (origin.clone(), format!("{origin}{path}"))
}

fn escape_attr(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

/// The snippet for `query` (e.g. `embed=dashboard&id=1`), trusting `parent`.
pub fn snippet(query: &str, parent: &str, fragment: Option<&str>) -> String {
    let (origin, address) = here();
    let parent = parent.trim().trim_end_matches('/');
    let mut src = format!("{address}?{query}");
    if !parent.is_empty() {
        src.push_str(&format!("&parent={}", js_sys::encode_uri_component(parent)));
    }
    if let Some(f) = fragment {
        src.push('#');
        src.push_str(f);
    }
    // Unique per view, so that several embeds can share a page.
    let id: String = format!(
        "churnlab-{}",
        query
            .split('&')
            .filter_map(|p| p.split_once('=').map(|(_, v)| v))
            .collect::<Vec<_>>()
            .join("-")
    )
    .chars()
    .map(|c| {
        if c.is_ascii_alphanumeric() || c == '-' {
            c
        } else {
            '-'
        }
    })
    .collect();
    format!(
        "<iframe id=\"{id}\" src=\"{}\" title=\"Churnlab\" style=\"width:100%;height:480px;border:0\" loading=\"lazy\"></iframe>\n<script>\n  addEventListener('message', (e) => {{\n    if (e.origin === '{origin}' && e.data && e.data.churnlab === 1 && e.data.type === 'resize')\n      document.getElementById('{id}').style.height = e.data.height + 'px';\n  }});\n</script>",
        escape_attr(&src)
    )
}

#[component]
pub fn EmbedButton(#[prop(into)] query: String, #[prop(into)] what: String) -> impl IntoView {
    let state = use_app();
    let open = RwSignal::new(false);
    let parent = RwSignal::new(here().0);
    let recipe = Memo::new(move |_| {
        if !open.get() {
            return None;
        }
        state.visuals.dashboards.track();
        state.training.deployed.track();
        state.saved.track();
        Some(link::recipe(state))
    });
    let query_text = StoredValue::new(query);
    let text = move || {
        let fragment = recipe
            .get()
            .and_then(Result::ok)
            .map(|r| format!("share={}", r.encode()));
        query_text.with_value(|q| snippet(q, &parent.get(), fragment.as_deref()))
    };
    let note = move || recipe.get().and_then(Result::err);
    let label = StoredValue::new(format!("Embed {what}"));
    if state.share.embed.with_value(Option::is_some) {
        return ().into_any();
    }
    // The panel takes the focus (on the snippet to copy) and gives it back
    // to the button when it closes: Close, Escape, or the button again.
    let button = NodeRef::<leptos::html::Button>::new();
    let snippet_box = NodeRef::<leptos::html::Textarea>::new();
    Effect::new(move |_| {
        if let Some(t) = snippet_box.get() {
            let _ = t.focus();
        }
    });
    let close = move || {
        open.set(false);
        if let Some(b) = button.get_untracked() {
            let _ = b.focus();
        }
    };
    view! {
        <span class="embed">
            <button
                class="button small"
                data-testid="embed-button"
                node_ref=button
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                "Embed"
            </button>
            <Show when=move || open.get()>
                <div
                    class="embed-panel"
                    role="dialog"
                    aria-label=label.get_value()
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Escape" {
                            close()
                        }
                    }
                >
                    <label>
                        "Page allowed to talk to it (origin)"
                        <input
                            type="text"
                            data-testid="embed-parent"
                            prop:value=move || parent.get()
                            on:input=move |ev| parent.set(event_target_value(&ev))
                        />
                    </label>
                    <label>
                        "Paste this where the view should appear:"
                        <textarea
                            data-testid="embed-snippet"
                            node_ref=snippet_box
                            readonly
                            rows="6"
                            prop:value=text
                        ></textarea>
                    </label>
                    <button
                        class="button small"
                        data-testid="embed-close"
                        on:click=move |_| close()
                    >
                        "Close"
                    </button>
                    {move || {
                        note()
                            .map(|n| {
                                view! {
                                    <p class="muted" data-testid="embed-note">
                                        {format!(
                                            "{n} The embedded view starts from the default data.",
                                        )}
                                    </p>
                                }
                            })
                    }}
                </div>
            </Show>
        </span>
    }
    .into_any()
}

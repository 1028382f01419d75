//! The header bar on every page: navigation, the active dataset's name and
//! size, and the controls that open data.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::common::numfmt::count;
use crate::core::share::project::ProjectInfo;
use crate::ui::data::datasets::reset_to_default;
use crate::ui::data::loader::{start_load, Source};
use crate::ui::routes::Page;
use crate::ui::share::project_io::set_info;
use crate::ui::state::use_app;

/// Keeps the header's height in the root's `--header-h`, so what sticks
/// below it (the lab column) starts where the header ends, however many
/// rows the header wraps into.
fn publish_height(bar: &web_sys::HtmlElement) {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    let measured = bar.clone();
    let on_resize = Closure::<dyn Fn()>::new(move || {
        let height = measured.get_bounding_client_rect().height().ceil();
        let _ = root
            .style()
            .set_property("--header-h", &format!("{height}px"));
    });
    // The observer's first report comes after the page's first layout,
    // before its paint: measuring here instead would lay the page out
    // twice during the start.
    if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
        observer.observe(bar);
        // The header lives as long as the page.
        std::mem::forget(observer);
    }
    on_resize.forget();
}

#[component]
pub fn Header(page: ReadSignal<Page>) -> impl IntoView {
    let state = use_app();
    let name = move || state.dataset.with(|d| d.table.name().to_owned());
    let rows = move || state.dataset.with(|d| count(d.table.num_rows()));
    let columns = move || state.dataset.with(|d| count(d.table.num_columns()));
    let url_open = RwSignal::new(false);
    let url_text = RwSignal::new(String::new());
    // On a narrow screen the pages are a menu behind one button; it closes
    // once a page is chosen (or the page changes some other way).
    let menu_open = RwSignal::new(false);
    Effect::new(move |_| {
        page.track();
        menu_open.set(false);
    });
    let menu_button = NodeRef::<leptos::html::Button>::new();
    let bar = NodeRef::<leptos::html::Header>::new();
    Effect::new(move |_| {
        if let Some(bar) = bar.get() {
            publish_height(&bar);
        }
    });
    let close_menu = move || {
        menu_open.set(false);
        if let Some(b) = menu_button.get_untracked() {
            let _ = b.focus();
        }
    };

    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            start_load(state, Source::File(file));
        }
        // Let the same file be picked again after an error.
        input.set_value("");
    };
    let load_url = move || {
        let url = url_text.get_untracked().trim().to_owned();
        if !url.is_empty() {
            url_open.set(false);
            start_load(state, Source::Url(url));
        }
    };

    view! {
        <header class="topbar" node_ref=bar>
            <div class="brand-block">
                <a class="brand" href="#/data">
                    "Churnlab"
                </a>
                <input
                    class="project-name"
                    type="text"
                    data-testid="project-name"
                    aria-label="Project name"
                    title=move || state.project.with(|p| p.description.clone())
                    prop:value=move || state.project.with(|p| p.name.clone())
                    on:change=move |ev| {
                        let name = event_target_value(&ev).trim().to_owned();
                        if !name.is_empty() {
                            set_info(
                                state,
                                ProjectInfo {
                                    name,
                                    ..state.project.get_untracked()
                                },
                            );
                        }
                    }
                />
                <button
                    class="button nav-toggle"
                    node_ref=menu_button
                    data-testid="nav-menu"
                    aria-controls="site-nav"
                    aria-expanded=move || menu_open.get().to_string()
                    aria-label=move || format!("Pages (now {})", page.get().title())
                    on:click=move |_| menu_open.update(|o| *o = !*o)
                >
                    <span aria-hidden="true">"☰"</span>
                    {move || page.get().title()}
                </button>
            </div>
            <nav
                class="nav"
                id="site-nav"
                class:open=move || menu_open.get()
                aria-label="Pages"
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Escape" && menu_open.get_untracked() {
                        close_menu();
                    }
                }
            >
                {Page::ALL
                    .into_iter()
                    .map(|p| {
                        view! {
                            <a
                                href=p.href()
                                data-testid=format!("nav-{}", p.slug())
                                class:active=move || page.get() == p
                                aria-current=move || (page.get() == p).then_some("page")
                                // The page shown already, chosen again, closes the menu too.
                                on:click=move |_| menu_open.set(false)
                            >
                                {p.title()}
                            </a>
                        }
                    })
                    .collect_view()}
            </nav>
            <div class="dataset-info" aria-live="polite">
                <span class="dataset-name" data-testid="dataset-name" title=name>
                    {name}
                </span>
                <span class="muted">
                    <span data-testid="row-count">{rows}</span>
                    {move || {
                        state
                            .dataset
                            .with(|d| {
                                if d.table.num_rows() == 1 { " row · " } else { " rows · " }
                            })
                    }}
                    <span data-testid="column-count">{columns}</span>
                    {move || {
                        state
                            .dataset
                            .with(|d| {
                                if d.table.num_columns() == 1 { " column" } else { " columns" }
                            })
                    }}
                </span>
            </div>
            <div class="actions">
                <label class="button primary file-button">
                    "Open CSV"
                    <input
                        type="file"
                        class="visually-hidden"
                        accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values"
                        data-testid="file-input"
                        on:change=on_file
                    />
                </label>
                <button
                    class="button"
                    data-testid="open-url"
                    aria-expanded=move || url_open.get().to_string()
                    on:click=move |_| url_open.update(|o| *o = !*o)
                >
                    "Open URL"
                </button>
                <button
                    class="button"
                    data-testid="reset-default"
                    on:click=move |_| reset_to_default(state)
                >
                    "Reset to default data"
                </button>
                <button
                    class="button"
                    data-testid="lab-open"
                    aria-expanded=move || state.labs.open.get().to_string()
                    on:click=move |_| state.labs.open.update(|o| *o = !*o)
                >
                    "Lab"
                </button>
            </div>
            <Show when=move || url_open.get()>
                <form
                    class="url-form"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        load_url();
                    }
                >
                    <label for="url-input">"CSV address on this site"</label>
                    <input
                        id="url-input"
                        type="text"
                        data-testid="url-input"
                        placeholder="data/telco-churn.csv"
                        prop:value=move || url_text.get()
                        on:input=move |ev| url_text.set(event_target_value(&ev))
                    />
                    <button class="button primary" type="submit" data-testid="url-load">
                        "Load"
                    </button>
                </form>
            </Show>
        </header>
    }
}

//! The visuals page: saved dashboards, the open dashboard's title, subtitle
//! and grid of visuals (1–3 columns, reorder, edit, delete, PNG export),
//! cross-filtering by clicking a bar or slice, and the chart builder for
//! the visual being edited.

use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::chart::ChartSpec;
use crate::ui::browser::download::{compose_png, download_canvas, file_stem};
use crate::ui::chart::chart_builder::ChartBuilder;
use crate::ui::chart::visual_card::{CrossFilterNote, VisualCard};
use crate::ui::data::datasets::persist_dashboards;
use crate::ui::state::{new_id, use_app, ActiveRef, AppState, Dashboard, NoticeKind, Visual};
use crate::ui::widgets::embed_button::EmbedButton;
use crate::ui::widgets::embed_notice::EmbedNotice;

/// The dataset a new visual starts on: the active one, by name.
fn default_dataset(state: AppState) -> String {
    match state.active.get_untracked() {
        ActiveRef::Saved { name } => name,
        ActiveRef::Base => "churn".to_owned(),
    }
}

fn new_dashboard(number: usize) -> Dashboard {
    Dashboard {
        id: new_id(),
        title: format!("Dashboard {number}"),
        subtitle: String::new(),
        columns: 2,
        visuals: Vec::new(),
    }
}

#[component]
pub fn VisualsPage() -> impl IntoView {
    let state = use_app();
    let vs = state.visuals;
    let saved_copy = move || {
        vs.open.with(|open| {
            open.as_ref()
                .map(|o| vs.dashboards.with(|all| all.iter().any(|d| d == o)))
                .unwrap_or(true)
        })
    };
    let create = move |_| {
        let n = vs.dashboards.with(Vec::len) + 1;
        vs.open.set(Some(new_dashboard(n)));
        vs.editing.set(None);
        vs.cross_filter.set(None);
    };
    let open_saved = move |id: u64| {
        vs.open.set(
            vs.dashboards
                .with_untracked(|all| all.iter().find(|d| d.id == id).cloned()),
        );
        vs.editing.set(None);
        vs.cross_filter.set(None);
    };

    view! {
        <div class="visuals-page">
            <aside class="dashboard-list" aria-label="Dashboards">
                <header>
                    <h2>"Dashboards"</h2>
                    <button class="button primary" data-testid="new-dashboard" on:click=create>
                        "New dashboard"
                    </button>
                </header>
                <Show
                    when=move || vs.dashboards.with(|d| !d.is_empty())
                    fallback=|| view! { <p class="muted">"No saved dashboards yet."</p> }
                >
                    <ul>
                        <For
                            each=move || vs.dashboards.get()
                            key=|d| (d.id, d.title.clone(), d.visuals.len())
                            let:d
                        >
                            {
                                let id = d.id;
                                let count = d.visuals.len();
                                view! {
                                    <li>
                                        <button
                                            class="dashboard-item"
                                            class:current=move || {
                                                vs.open.with(|o| o.as_ref().map(|o| o.id) == Some(id))
                                            }
                                            data-testid="dashboard-item"
                                            on:click=move |_| open_saved(id)
                                        >
                                            <span class="name">{d.title.clone()}</span>
                                            <span class="muted">
                                                {format!(
                                                    "{count} visual{}",
                                                    if count == 1 { "" } else { "s" },
                                                )}
                                            </span>
                                        </button>
                                    </li>
                                }
                            }
                        </For>
                    </ul>
                </Show>
            </aside>
            <section class="dashboard-area">
                <Show
                    when=move || vs.open.with(Option::is_some)
                    fallback=move || {
                        view! {
                            <div class="empty-state">
                                <h2>"Build a dashboard"</h2>
                                <p>
                                    "Create a dashboard, add visuals, and drag fields onto their shelves. Click a bar or a slice to filter the other visuals."
                                </p>
                                <button class="button primary" on:click=create>
                                    "New dashboard"
                                </button>
                            </div>
                        }
                    }
                >
                    <OpenDashboard unsaved=Signal::derive(move || !saved_copy()) />
                </Show>
            </section>
        </div>
    }
}

#[component]
fn OpenDashboard(unsaved: Signal<bool>) -> impl IntoView {
    let state = use_app();
    let vs = state.visuals;
    let grid = NodeRef::<Div>::new();
    let change = move |f: Box<dyn FnOnce(&mut Dashboard)>| {
        vs.open.update(|o| {
            if let Some(d) = o.as_mut() {
                f(d);
            }
        })
    };
    let field = move |get: fn(&Dashboard) -> String| {
        Signal::derive(move || vs.open.with(|o| o.as_ref().map(get).unwrap_or_default()))
    };
    let title = field(|d| d.title.clone());
    let subtitle = field(|d| d.subtitle.clone());
    let columns = Signal::derive(move || vs.open.with(|o| o.as_ref().map_or(2, |d| d.columns)));
    let add_visual = move |_| {
        let visual = Visual {
            id: new_id(),
            title: String::new(),
            dataset: default_dataset(state),
            spec: ChartSpec::default(),
        };
        let id = visual.id;
        change(Box::new(move |d| d.visuals.push(visual)));
        vs.editing.set(Some(id));
    };
    let save = move |_| {
        let Some(open) = vs.open.get_untracked() else {
            return;
        };
        if open.title.trim().is_empty() {
            state.notify(
                NoticeKind::Error,
                "The dashboard needs a title",
                vec!["Type a title above the visuals, then save.".into()],
            );
            return;
        }
        vs.dashboards
            .update(|all| match all.iter_mut().find(|d| d.id == open.id) {
                Some(d) => *d = open.clone(),
                None => all.push(open.clone()),
            });
        persist_dashboards(state);
    };
    let delete = move |_| {
        let Some(id) = vs.open.with_untracked(|o| o.as_ref().map(|d| d.id)) else {
            return;
        };
        let was_saved = vs
            .dashboards
            .with_untracked(|all| all.iter().any(|d| d.id == id));
        vs.dashboards.update(|all| all.retain(|d| d.id != id));
        vs.open.set(None);
        vs.editing.set(None);
        if was_saved {
            persist_dashboards(state);
        }
    };
    let export = move |_| {
        let Some(el) = grid.get_untracked() else {
            return;
        };
        let el: web_sys::Element = el.unchecked_into();
        let cards: Vec<web_sys::Element> = el
            .query_selector_all("[data-testid=dashboard-visual]")
            .map(|list| {
                (0..list.length())
                    .filter_map(|i| list.item(i))
                    .filter_map(|n| n.dyn_into().ok())
                    .collect()
            })
            .unwrap_or_default();
        let name = format!("{}.png", file_stem(&title.get_untracked(), "dashboard"));
        if let Err(e) = compose_png(
            &el,
            &title.get_untracked(),
            &subtitle.get_untracked(),
            &cards,
        )
        .and_then(|c| download_canvas(&c, &name))
        {
            state.notify(NoticeKind::Error, "Could not export the dashboard", vec![e]);
        }
    };
    let visual_ids = move || {
        vs.open.with(|o| {
            o.as_ref()
                .map(|d| d.visuals.iter().map(|v| v.id).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    let editing_visual = Signal::derive(move || {
        let id = vs.editing.get()?;
        vs.open.with(|o| {
            o.as_ref()
                .and_then(|d| d.visuals.iter().find(|v| v.id == id).cloned())
        })
    });
    let update_visual = Callback::new(move |v: Visual| {
        change(Box::new(move |d| {
            if let Some(slot) = d.visuals.iter_mut().find(|x| x.id == v.id) {
                *slot = v;
            }
        }))
    });

    view! {
        <div class="dashboard">
            <header class="dashboard-head">
                <div class="dashboard-names">
                    <input
                        class="dashboard-title"
                        type="text"
                        data-testid="dashboard-title"
                        aria-label="Dashboard title"
                        placeholder="Title"
                        prop:value=title
                        on:input=move |ev| {
                            let t = event_target_value(&ev);
                            change(Box::new(move |d| d.title = t));
                        }
                    />
                    <input
                        class="dashboard-subtitle"
                        type="text"
                        data-testid="dashboard-subtitle"
                        aria-label="Dashboard subtitle"
                        placeholder="Subtitle"
                        prop:value=subtitle
                        on:input=move |ev| {
                            let t = event_target_value(&ev);
                            change(Box::new(move |d| d.subtitle = t));
                        }
                    />
                </div>
                <div class="dashboard-actions">
                    <label>
                        "Columns "
                        <select
                            data-testid="dashboard-columns"
                            on:change=move |ev| {
                                if let Ok(n) = event_target_value(&ev).parse::<u8>() {
                                    change(Box::new(move |d| d.columns = n.clamp(1, 3)));
                                }
                            }
                        >
                            {[1u8, 2, 3]
                                .into_iter()
                                .map(|n| {
                                    view! {
                                        <option
                                            value=n.to_string()
                                            selected=move || columns.get() == n
                                        >
                                            {n.to_string()}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </label>
                    <button class="button" data-testid="add-visual" on:click=add_visual>
                        "Add visual"
                    </button>
                    <button class="button" data-testid="export-dashboard" on:click=export>
                        "Export PNG"
                    </button>
                    <button class="button primary" data-testid="save-dashboard" on:click=save>
                        {move || if unsaved.get() { "Save dashboard" } else { "Saved" }}
                    </button>
                    <button class="button danger" data-testid="delete-dashboard" on:click=delete>
                        "Delete"
                    </button>
                    {move || {
                        vs.open
                            .with(|o| o.as_ref().filter(|_| !unsaved.get()).map(|d| d.id))
                            .map(|id| {
                                view! {
                                    <EmbedButton
                                        query=format!("embed=dashboard&id={id}")
                                        what="this dashboard"
                                    />
                                }
                            })
                    }}
                </div>
            </header>
            <CrossFilterNote />
            <Show when=move || editing_visual.with(Option::is_some)>
                <ChartBuilder
                    visual=editing_visual
                    update=update_visual
                    on_done=Callback::new(move |_| vs.editing.set(None))
                />
            </Show>
            <Show when=move || vs.open.with(|o| o.as_ref().is_some_and(|d| d.visuals.is_empty()))>
                <p class="muted">"No visuals yet: press Add visual."</p>
            </Show>
            <div node_ref=grid class=move || format!("dashboard-grid columns-{}", columns.get())>
                <For each=visual_ids key=|id| *id let:id>
                    <VisualCard id />
                </For>
            </div>
        </div>
    }
}

/// An embedded dashboard (or one of its charts, `visual`): titles and
/// charts only; clicking still filters the other charts.
#[component]
pub fn EmbeddedDashboard(id: Option<u64>, visual: Option<u64>) -> impl IntoView {
    let state = use_app();
    let vs = state.visuals;
    let found = Memo::new(move |_| {
        vs.dashboards.with(|all| {
            all.iter()
                .find(|d| match (id, visual) {
                    (Some(id), _) => d.id == id,
                    (None, Some(v)) => d.visuals.iter().any(|x| x.id == v),
                    (None, None) => true,
                })
                .cloned()
        })
    });
    Effect::new(move |_| {
        let d = found.get();
        if vs.open.with_untracked(|o| o != &d) {
            vs.open.set(d);
        }
    });
    let missing = move || match (id, visual) {
        (_, Some(v)) => format!("There is no chart {v} here."),
        (Some(id), None) => format!("There is no dashboard {id} here."),
        (None, None) => "There is no saved dashboard here yet.".to_owned(),
    };
    let ids = move || {
        found.with(|d| {
            d.as_ref()
                .map(|d| {
                    d.visuals
                        .iter()
                        .map(|v| v.id)
                        .filter(|v| visual.is_none_or(|x| x == *v))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let columns = move || {
        if visual.is_some() {
            1
        } else {
            found.with(|d| d.as_ref().map_or(2, |d| d.columns))
        }
    };
    view! {
        <Show
            when=move || {
                found
                    .with(|d| {
                        d.as_ref()
                            .is_some_and(|d| {
                                visual.is_none_or(|v| d.visuals.iter().any(|x| x.id == v))
                            })
                    })
            }
            fallback=move || view! { <EmbedNotice missing=Signal::derive(missing) /> }
        >
            <div class="dashboard embedded-dashboard" data-testid="embedded-dashboard">
                <Show when=move || visual.is_none()>
                    <header class="dashboard-head">
                        <div class="dashboard-names">
                            <h2 class="dashboard-title">
                                {move || {
                                    found
                                        .with(|d| {
                                            d.as_ref().map(|d| d.title.clone()).unwrap_or_default()
                                        })
                                }}
                            </h2>
                            <p class="dashboard-subtitle">
                                {move || {
                                    found
                                        .with(|d| {
                                            d.as_ref().map(|d| d.subtitle.clone()).unwrap_or_default()
                                        })
                                }}
                            </p>
                        </div>
                    </header>
                </Show>
                <CrossFilterNote />
                <div class=move || format!("dashboard-grid columns-{}", columns())>
                    <For each=ids key=|id| *id let:id>
                        <VisualCard id />
                    </For>
                </div>
            </div>
        </Show>
    }
}

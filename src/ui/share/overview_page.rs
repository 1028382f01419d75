//! The Overview page: the project's name and description, its README
//! (Markdown, edited in place, shown as elements and never as HTML), and
//! what the project holds (the loaded data, saved datasets, dashboards,
//! runs, saved and deployed models, simulations, the lab's progress), each
//! opening its page.

use leptos::prelude::*;

use crate::core::common::numfmt::{count, plural};
use crate::core::share::project::ProjectInfo;
use crate::ui::labs::live::{current_facts, outcomes, steps_done};
use crate::ui::routes::Page;
use crate::ui::share::project_io::set_info;
use crate::ui::state::{use_app, AppState};
use crate::ui::widgets::markdown_view::markdown_view;

/// One thing the project holds: its kind (`data-kind`), what it is called,
/// what it amounts to, and the page it opens.
#[derive(Clone, Debug, PartialEq)]
struct Item {
    kind: &'static str,
    name: String,
    detail: String,
    page: Page,
}

fn table_detail(rows: usize, columns: usize) -> String {
    format!("{}, {}", plural(rows, "row"), plural(columns, "column"))
}

/// Everything the project holds, in the workshop's order (tracked).
fn items(state: AppState) -> Vec<Item> {
    let mut out = Vec::new();
    state.base.with(|b| {
        out.push(Item {
            kind: "data",
            name: b.table.name().to_owned(),
            detail: table_detail(b.table.num_rows(), b.table.num_columns()),
            page: Page::Data,
        })
    });
    state.saved.with(|saved| {
        out.extend(saved.iter().map(|d| Item {
            kind: "dataset",
            name: d.name.clone(),
            detail: table_detail(d.table.num_rows(), d.table.num_columns()),
            page: Page::Data,
        }))
    });
    state.visuals.dashboards.with(|all| {
        out.extend(all.iter().map(|d| Item {
            kind: "dashboard",
            name: d.title.clone(),
            detail: plural(d.visuals.len(), "visual"),
            page: Page::Visuals,
        }))
    });
    let t = state.training;
    let runs = t.runs.with(Vec::len);
    if runs > 0 {
        out.push(Item {
            kind: "runs",
            name: "Experiments".into(),
            detail: plural(runs, "training run"),
            page: Page::Experiments,
        });
    }
    let deployed = t.deployed.get();
    t.models.with(|models| {
        out.extend(models.iter().map(|m| {
            let live = deployed.as_deref() == Some(m.build_id.as_str());
            Item {
                kind: if live { "deployed-model" } else { "model" },
                name: format!("{} v{}", m.name, m.model_version),
                detail: if live {
                    format!("deployed, build {}", m.build_id)
                } else {
                    format!("saved, build {}", m.build_id)
                },
                page: Page::Deploy,
            }
        }))
    });
    state.ops.simulations.with(|sims| {
        out.extend(sims.iter().map(|s| Item {
            kind: "simulation",
            name: format!("{} v{}", s.model_name, s.model_version),
            detail: format!("{} calls", count(s.settings.calls)),
            page: Page::Operations,
        }))
    });
    let runs = state.jobs.runs.get();
    state.jobs.jobs.with(|jobs| {
        out.extend(jobs.iter().map(|j| {
            let last = crate::core::jobs::history::last_run(&runs, j.id);
            Item {
                kind: "job",
                name: j.name.clone(),
                detail: match last {
                    Some(r) => format!("{}; last run {}", j.trigger.describe(), r.status.id()),
                    None => format!("{}; never run", j.trigger.describe()),
                },
                page: Page::Jobs,
            }
        }))
    });
    out
}

/// The open lab: its title, and its steps done now (as the lab panel
/// counts them) of all its steps.
fn lab_progress(state: AppState) -> Option<(String, usize, usize)> {
    let lab = state.labs.lab.get()?;
    let done = steps_done(&outcomes(&lab, &current_facts(state)));
    Some((lab.title.clone(), done, lab.steps.len()))
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    let state = use_app();
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let editor = NodeRef::<leptos::html::Textarea>::new();
    let start_edit = move |_| {
        draft.set(state.project.with_untracked(|p| p.readme.clone()));
        editing.set(true);
    };
    Effect::new(move |_| {
        if editing.get() {
            if let Some(el) = editor.get() {
                let _ = el.focus();
            }
        }
    });
    let save = move |_| {
        let readme = draft.get_untracked();
        set_info(
            state,
            ProjectInfo {
                readme,
                ..state.project.get_untracked()
            },
        );
        editing.set(false);
    };
    let readme = move || {
        let text = state.project.with(|p| p.readme.clone());
        if text.trim().is_empty() {
            view! {
                <p class="muted">
                    "No README yet. Say what the project is for, where its data comes from and what to look at first: Markdown with headings (#), lists (-), `code` and **bold**."
                </p>
            }
            .into_any()
        } else {
            markdown_view(&text, 3).into_any()
        }
    };
    view! {
        <div class="overview-page">
            <header class="page-head">
                <h2 data-testid="overview-name">
                    {move || state.project.with(|p| p.name.clone())}
                </h2>
                <p class="muted">{move || state.project.with(|p| p.description.clone())}</p>
            </header>
            <section class="overview-section" aria-labelledby="overview-readme-title">
                <div class="runs-bar">
                    <h3 id="overview-readme-title">"README"</h3>
                    <Show when=move || !editing.get()>
                        <button
                            class="button"
                            data-testid="overview-readme-edit"
                            on:click=start_edit
                        >
                            "Edit"
                        </button>
                    </Show>
                </div>
                <Show
                    when=move || editing.get()
                    fallback=move || {
                        view! {
                            <div class="overview-readme" data-testid="overview-readme">
                                {readme}
                            </div>
                        }
                    }
                >
                    <label class="stacked">
                        <span class="visually-hidden">"README (Markdown)"</span>
                        <textarea
                            data-testid="overview-readme-input"
                            rows="12"
                            node_ref=editor
                            prop:value=move || draft.get()
                            on:input=move |ev| draft.set(event_target_value(&ev))
                        ></textarea>
                    </label>
                    <div class="form-actions">
                        <button
                            class="button primary"
                            data-testid="overview-readme-save"
                            on:click=save
                        >
                            "Save"
                        </button>
                        <button
                            class="button"
                            data-testid="overview-readme-cancel"
                            on:click=move |_| editing.set(false)
                        >
                            "Cancel"
                        </button>
                    </div>
                </Show>
            </section>
            <section class="overview-section" aria-labelledby="overview-holds-title">
                <h3 id="overview-holds-title">"What the project holds"</h3>
                <ul class="overview-list">
                    {move || {
                        items(state)
                            .into_iter()
                            .map(|item| {
                                view! {
                                    <li data-testid="overview-item" data-kind=item.kind>
                                        <a href=item.page.href()>{item.name}</a>
                                        <span class="muted">{format!(" {}", item.detail)}</span>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                    {move || {
                        lab_progress(state)
                            .map(|(title, done, steps)| {
                                view! {
                                    <li data-testid="overview-item" data-kind="lab">
                                        <button
                                            class="link-button"
                                            on:click=move |_| state.labs.open.set(true)
                                        >
                                            {title}
                                        </button>
                                        <span class="muted">
                                            {format!(" {done} of {steps} steps done")}
                                        </span>
                                    </li>
                                }
                            })
                    }}
                </ul>
            </section>
        </div>
    }
}

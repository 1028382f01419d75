//! The lab panel beside the page: the open lab's steps, each checking
//! itself live against the app's state, with the reason behind it, what is
//! there and what is missing, "Show me" and "Do it for me". Progress is
//! kept; loading labs and completion records are in [`crate::ui::labs::lab_tools::LabTools`].

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::labs::format::LabFile;
use crate::ui::labs::doit::do_step;
use crate::ui::labs::lab_tools::LabTools;
use crate::ui::labs::live::{current_facts, outcomes, record, show_me, steps_done, time_of};
use crate::ui::state::use_app;
use crate::ui::widgets::markdown_view::markdown_view;

/// The element that has the focus, if it is `el` or inside it.
fn focus_within(el: &web_sys::Element) -> bool {
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    active.is_some_and(|a| el.contains(Some(&a)))
}

fn focus_testid(testid: &str) {
    let found = web_sys::window().and_then(|w| w.document()).and_then(|d| {
        d.query_selector(&format!("[data-testid=\"{testid}\"]"))
            .ok()
            .flatten()
    });
    if let Some(el) =
        found.and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
    {
        let _ = el.focus();
    }
}

/// Whether the panel is a drawer over the page (narrow screens) rather than
/// a column beside it; the stylesheet's breakpoint.
pub fn lab_is_drawer() -> bool {
    crate::ui::browser::device::matches("(max-width: 999px)")
}

#[component]
pub fn LabPanel() -> impl IntoView {
    let state = use_app();
    let labs = state.labs;
    // Like the app's other dialogs: opened from the Lab button, the panel
    // takes the focus; closed, it gives it back to that button (unless the
    // learner has moved on elsewhere). Escape closes it.
    let panel = NodeRef::<leptos::html::Aside>::new();
    Effect::new(move |_| {
        let Some(el) = panel.get() else { return };
        let opener = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
            .and_then(|a| a.get_attribute("data-testid"));
        if opener.as_deref() == Some("lab-open") {
            let options = web_sys::FocusOptions::new();
            options.set_prevent_scroll(true);
            let _ = el.focus_with_options(&options);
        }
    });
    on_cleanup(move || {
        let body_focused = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| Some(d.active_element()? == d.body()?.into()))
            .unwrap_or(true);
        let inside = panel.get_untracked().is_some_and(|p| focus_within(&p));
        if body_focused || inside {
            focus_testid("lab-open");
        }
    });
    view! {
        <aside
            class="lab-panel"
            data-testid="lab-panel"
            aria-label="Lab"
            tabindex="-1"
            node_ref=panel
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Escape" {
                    labs.open.set(false);
                }
            }
        >
            {move || labs.lab.get().map(|lab| view! { <OpenLab lab /> })}
            <LabTools />
        </aside>
    }
}

#[component]
fn OpenLab(lab: Arc<LabFile>) -> impl IntoView {
    let state = use_app();
    let labs = state.labs;
    // Every check of every step, over the facts as they are now.
    let results = {
        let lab = lab.clone();
        Memo::new(move |_| outcomes(&lab, &current_facts(state)))
    };
    {
        let lab = lab.clone();
        Effect::new(move |_| results.with(|r| record(state, &lab, r)));
    }
    let steps = lab.steps.len();
    let done_count = move || results.with(|r| steps_done(r));

    let from = labs.source.with_untracked(|s| {
        s.as_ref()
            .map(|s| format!("A teacher's lab, from {}", s.name))
    });
    view! {
        <header class="lab-head">
            <div>
                <h2 data-testid="lab-title">{lab.title.clone()}</h2>
                {from
                    .map(|f| {
                        view! {
                            <p class="muted" data-testid="lab-source">
                                {f}
                            </p>
                        }
                    })}
                <p class="muted" data-testid="lab-count">
                    {move || format!("{} of {steps} steps done", done_count())}
                </p>
            </div>
            <button
                class="icon-button"
                data-testid="lab-close"
                aria-label="Close the lab"
                on:click=move |_| labs.open.set(false)
            >
                "×"
            </button>
        </header>
        <ol class="lab-steps">
            {lab
                .steps
                .iter()
                .enumerate()
                .map(|(i, step)| {
                    let id = step.id.clone();
                    let passed = move || results.with(|r| r[i].iter().all(|c| c.passed));
                    let was_done = {
                        let id = id.clone();
                        move || labs.progress.with(|p| p.passed_at(&id))
                    };
                    let was = was_done.clone();
                    view! {
                        <li>
                            <button
                                class="lab-step"
                                class:current=move || labs.selected.get() == i
                                class:done=passed
                                data-testid="lab-step"
                                data-step=id.clone()
                                data-state=move || if passed() { "done" } else { "todo" }
                                aria-current=move || (labs.selected.get() == i).then_some("step")
                                on:click=move |_| labs.selected.set(i)
                            >
                                <span class="lab-mark" aria-hidden="true">
                                    {move || {
                                        if passed() {
                                            "✓"
                                        } else if was().is_some() {
                                            "!"
                                        } else {
                                            "○"
                                        }
                                    }}
                                </span>
                                <span class="lab-step-title">{step.title.clone()}</span>
                                <span class="muted lab-step-lab">{step.lab.clone()}</span>
                            </button>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
        {move || {
            let i = labs.selected.get().min(steps - 1);
            let step = lab.steps[i].clone();
            let id = step.id.clone();
            let page = step.page.clone();
            let highlight = step.highlight.clone();
            let undone = {
                let id = id.clone();
                move || {
                    let passed = results.with(|r| r[i].iter().all(|c| c.passed));
                    labs.progress.with(|p| p.passed_at(&id)).filter(|_| !passed)
                }
            };
            let still_undone = undone.clone();
            let passed_at = move || labs.progress.with(|p| p.passed_at(&id));
            let can_do = !step.actions.is_empty();
            let do_it = {
                let (lab, step) = (lab.clone(), step.clone());
                move |_| {
                    let (lab, step) = (lab.clone(), step.clone());
                    spawn_local(async move { do_step(state, &lab, &step).await });
                }
            };
            let is_done = move || results.with(|r| r[i].iter().all(|c| c.passed));
            view! {
                <section class="lab-current" data-testid="lab-current" data-step=step.id.clone()>
                    <h3>{step.title.clone()}</h3>
                    <div class="lab-text">{markdown_view(&step.text, 4)}</div>
                    <ul class="lab-checks">
                        {move || {
                            results
                                .with(|r| {
                                    r[i]
                                        .iter()
                                        .map(|o| {
                                            view! {
                                                <li
                                                    class="lab-check"
                                                    class:passed=o.passed
                                                    data-testid="lab-check"
                                                    data-passed=o.passed.to_string()
                                                >
                                                    <span aria-hidden="true">
                                                        {if o.passed { "✓ " } else { "○ " }}
                                                    </span>
                                                    {o.message.clone()}
                                                </li>
                                            }
                                        })
                                        .collect_view()
                                })
                        }}
                    </ul>
                    {move || {
                        undone()
                            .map(|t| {
                                view! {
                                    <p class="notice warning" data-testid="lab-undone">
                                        {format!(
                                            "Done at {}, but undone since: the checks above say what changed.",
                                            time_of(t),
                                        )}
                                    </p>
                                }
                            })
                    }}
                    {move || {
                        passed_at()
                            .filter(|_| still_undone().is_none())
                            .map(|t| {
                                view! {
                                    <p class="muted" data-testid="lab-passed">
                                        {format!("Done at {}.", time_of(t))}
                                    </p>
                                }
                            })
                    }}
                    <div class="lab-actions">
                        <button
                            class="button"
                            data-testid="lab-back"
                            disabled={i == 0}
                            on:click=move |_| labs.selected.set(i.saturating_sub(1))
                        >
                            "Back"
                        </button>
                        {(page.is_some() || highlight.is_some())
                            .then(|| {
                                let (page, highlight) = (page.clone(), highlight.clone());
                                view! {
                                    <button
                                        class="button"
                                        data-testid="lab-show-me"
                                        on:click=move |_| {
                                            if lab_is_drawer() {
                                                labs.open.set(false);
                                            }
                                            show_me(page.clone(), highlight.clone());
                                        }
                                    >
                                        "Show me"
                                    </button>
                                }
                            })}
                        {can_do
                            .then(|| {
                                view! {
                                    <button
                                        class="button"
                                        data-testid="lab-do-it"
                                        disabled=move || is_done() || labs.doing.get().is_some()
                                        on:click=do_it.clone()
                                    >
                                        "Do it for me"
                                    </button>
                                }
                            })}
                        <button
                            class="button primary"
                            data-testid="lab-next"
                            disabled={i + 1 >= steps}
                            on:click=move |_| labs.selected.set((i + 1).min(steps - 1))
                        >
                            "Next"
                        </button>
                    </div>
                    {move || {
                        labs.doing
                            .get()
                            .map(|d| {
                                view! {
                                    <p class="muted" data-testid="lab-doing" role="status">
                                        <progress aria-label="Doing the step"></progress>
                                        " "
                                        {d}
                                        "…"
                                    </p>
                                }
                            })
                    }}
                    {move || {
                        labs.do_error
                            .get()
                            .map(|e| {
                                view! {
                                    <p class="form-error" data-testid="lab-do-error" role="alert">
                                        {e}
                                    </p>
                                }
                            })
                    }}
                </section>
            }
        }}
    }
}

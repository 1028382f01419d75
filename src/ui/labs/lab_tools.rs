//! Under the lab's steps: the learner's completion record, other labs (a
//! teacher's file or address, and back to the workshop's), and the records
//! a teacher opens to see where each learner is.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::core::labs::record::Record;
use crate::ui::browser::download::{download, file_stem};
use crate::ui::labs::live::{current_facts, outcomes, time_of};
use crate::ui::labs::source::{load_from_file, load_from_url, open_workshop};
use crate::ui::state::use_app;
use crate::ui::widgets::scroll_region::ScrollRegion;

fn files_of(ev: &leptos::ev::Event) -> Vec<web_sys::File> {
    let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return Vec::new();
    };
    let files = input
        .files()
        .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
        .unwrap_or_default();
    // The same file can be chosen again.
    input.set_value("");
    files
}

#[component]
pub fn LabTools() -> impl IntoView {
    let state = use_app();
    let labs = state.labs;
    let learner = RwSignal::new(String::new());
    let url = RwSignal::new(String::new());
    let export_message = RwSignal::new(None::<String>);

    let export = move |_| {
        let Some(lab) = labs.lab.get_untracked() else {
            return;
        };
        let results = outcomes(&lab, &untrack(|| current_facts(state)));
        let project = state.project.with_untracked(|p| p.name.clone());
        let record = Record::build(
            &lab,
            &labs.progress.get_untracked(),
            &results,
            &learner.get_untracked(),
            &project,
            js_sys::Date::now(),
        );
        let who = if record.learner.is_empty() {
            "record".to_owned()
        } else {
            file_stem(&record.learner, "record")
        };
        let name = format!("{}-{who}.json", lab.id);
        match download(&name, "application/json", record.to_json().as_bytes()) {
            Ok(()) => export_message.set(Some(format!(
                "Saved {name}: {} of {} steps done.",
                record.passed_count(),
                record.steps.len()
            ))),
            Err(e) => export_message.set(Some(format!("The record was not saved: {e}"))),
        }
    };
    let open_records = move |ev: leptos::ev::Event| {
        let files = files_of(&ev);
        let Some(lab) = labs.lab.get_untracked() else {
            return;
        };
        spawn_local(async move {
            let mut errors = Vec::new();
            for file in files {
                let name = file.name();
                let text = JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|t| t.as_string())
                    .unwrap_or_default();
                match Record::read(&text, &lab) {
                    Ok(r) => labs.records.update(|all| {
                        all.retain(|x| !(x.learner == r.learner && x.project == r.project));
                        all.push(r);
                    }),
                    Err(e) => errors.push(format!("{name}: {e}.")),
                }
            }
            labs.error
                .set((!errors.is_empty()).then(|| errors.join(" ")));
        });
    };

    view! {
        <section class="lab-tools" aria-label="Records and other labs">
            {move || {
                labs.error
                    .get()
                    .map(|e| {
                        view! {
                            <p class="form-error" data-testid="lab-error" role="alert">
                                {e}
                            </p>
                        }
                    })
            }}
            <details>
                <summary>"Your completion record"</summary>
                <p class="muted">
                    "A file with each step, when it was done and the figures the checks saw, for your teacher."
                </p>
                <label>
                    "Your name "
                    <input
                        type="text"
                        data-testid="lab-learner"
                        prop:value=move || learner.get()
                        on:input=move |ev| learner.set(event_target_value(&ev))
                    />
                </label>
                <button class="button" data-testid="lab-export-record" on:click=export>
                    "Export record"
                </button>
                {move || {
                    export_message
                        .get()
                        .map(|m| {
                            view! {
                                <p class="muted" data-testid="lab-record-message">
                                    {m}
                                </p>
                            }
                        })
                }}
            </details>
            <details>
                <summary>"Other labs"</summary>
                <p class="muted">
                    "Open a lab your teacher wrote: a file, or its address on this site."
                </p>
                <label class="button file-button">
                    "Open lab file"
                    <input
                        type="file"
                        accept=".md,text/markdown,text/plain"
                        class="visually-hidden"
                        data-testid="lab-load"
                        on:change=move |ev| {
                            if let Some(file) = files_of(&ev).into_iter().next() {
                                spawn_local(load_from_file(state, file));
                            }
                        }
                    />
                </label>
                <form
                    class="lab-url"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        spawn_local(load_from_url(state, url.get_untracked()));
                    }
                >
                    <label>
                        "Address "
                        <input
                            type="text"
                            placeholder="labs/my-lab.md"
                            data-testid="lab-url"
                            prop:value=move || url.get()
                            on:input=move |ev| url.set(event_target_value(&ev))
                        />
                    </label>
                    <button class="button" type="submit" data-testid="lab-url-open">
                        "Open"
                    </button>
                </form>
                <Show when=move || labs.source.with(Option::is_some)>
                    <button
                        class="button"
                        data-testid="lab-workshop"
                        on:click=move |_| spawn_local(open_workshop(state, true))
                    >
                        "Back to the workshop's lab"
                    </button>
                </Show>
            </details>
            <details>
                <summary>"Learners' records"</summary>
                <p class="muted">
                    "Open the records your learners exported (several at once) to see where each one is."
                </p>
                <label class="button file-button">
                    "Open records"
                    <input
                        type="file"
                        multiple
                        accept=".json,application/json"
                        class="visually-hidden"
                        data-testid="lab-open-records"
                        on:change=open_records
                    />
                </label>
                <RecordTable />
            </details>
        </section>
    }
}

/// The opened records: a row per learner, a column per step.
#[component]
fn RecordTable() -> impl IntoView {
    let labs = use_app().labs;
    move || {
        let records = labs.records.get();
        let lab = labs.lab.get()?;
        (!records.is_empty()).then(|| {
            view! {
                <ScrollRegion label="Learners' records">
                    <table class="lab-records" data-testid="lab-records">
                        <thead>
                            <tr>
                                <th scope="col">"Learner"</th>
                                <th scope="col">"Done"</th>
                                {lab
                                    .steps
                                    .iter()
                                    .map(|s| {
                                        view! {
                                            <th scope="col" title=s.title.clone()>
                                                {s.id.clone()}
                                            </th>
                                        }
                                    })
                                    .collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {records
                                .into_iter()
                                .map(|r| {
                                    let who = if r.learner.is_empty() {
                                        r.project.clone()
                                    } else {
                                        r.learner.clone()
                                    };
                                    let other_version = r.lab_version != lab.version;
                                    let cells = lab
                                        .steps
                                        .iter()
                                        .map(|s| {
                                            let Some(step) = r.steps.iter().find(|x| x.id == s.id) else {
                                                return view! {
                                                    <td
                                                        class="muted"
                                                        title=format!("not in version {}", r.lab_version)
                                                    >
                                                        "n/a"
                                                    </td>
                                                };
                                            };
                                            let figures = step
                                                .figures
                                                .iter()
                                                .map(|f| format!("{}: {}", f.check, f.value))
                                                .collect::<Vec<_>>()
                                                .join("\n");
                                            view! {
                                                <td title=figures>
                                                    {r
                                                        .passed_at(&s.id)
                                                        .map_or(
                                                            "—".to_owned(),
                                                            |t| format!("✓ {}", time_of(t)),
                                                        )}
                                                </td>
                                            }
                                        })
                                        .collect_view();
                                    view! {
                                        <tr data-testid="lab-record">
                                            <th scope="row">{who}</th>
                                            <td>
                                                {format!(
                                                    "{} of {}",
                                                    r.passed_count(),
                                                    if other_version { r.steps.len() } else { lab.steps.len() },
                                                )}
                                                {other_version
                                                    .then(|| {
                                                        view! {
                                                            <span class="muted" data-testid="lab-record-version">
                                                                {format!(" (version {})", r.lab_version)}
                                                            </span>
                                                        }
                                                    })}
                                            </td>
                                            {cells}
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </ScrollRegion>
            }
        })
    }
}

//! Making or changing a job: its name, its trigger, and its steps, edited
//! in a form (a row per `do:` line: the action and its settings) and as
//! text (`job-text`, the same lines as a lab file). Both edit the same
//! text; every line that does not read is listed with its reason, and Save
//! says why it is off.

use leptos::prelude::*;

use crate::core::common::number_rule::NumberRule;
use crate::core::jobs::job::{check_job, check_name, parse_steps, Job};
use crate::core::jobs::trigger::{clock, read_time, Trigger};
use crate::core::labs::actions::VERBS;
use crate::ui::jobs::store;
use crate::ui::jobs::types::Draft;
use crate::ui::state::{new_id, use_app};
use crate::ui::widgets::number_field::{Invalid, NumberField};

/// The verbs a job may use (the labs' own two are left out).
fn job_verbs() -> impl Iterator<Item = &'static str> {
    VERBS
        .into_iter()
        .filter(|v| !matches!(*v, "save-job" | "run-job"))
}

/// A new step's line for `verb`, with the settings it needs.
fn template(verb: &str) -> String {
    match verb {
        "sql" => "do: sql SELECT * FROM churn".into(),
        "save-dataset" => "do: save-dataset name=result".into(),
        "rerun-dataset" => "do: rerun-dataset name=senior".into(),
        "edit-field" => "do: edit-field dataset=senior field=Churn role=dimension".into(),
        "dashboard" => "do: dashboard title=\"New dashboard\" dimension=Contract".into(),
        "score" => "do: score dataset=churn save=churn_scores".into(),
        "deploy" => "do: deploy name=churn-model metric=auc margin=0.005".into(),
        "train" => "do: train mode=cv".into(),
        "simulate" => "do: simulate calls=1000".into(),
        v => format!("do: {v}"),
    }
}

/// The `do:` lines of `text`: (line index, verb, settings).
fn step_rows(text: &str) -> Vec<(usize, String, String)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let rest = l.trim().strip_prefix("do:")?.trim();
            let (verb, settings) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            Some((i, verb.to_owned(), settings.trim().to_owned()))
        })
        .collect()
}

fn replace_line(text: &str, index: usize, new: Option<String>) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    match new {
        Some(line) if index < lines.len() => lines[index] = line,
        Some(line) => lines.push(line),
        None if index < lines.len() => {
            lines.remove(index);
        }
        None => {}
    }
    lines.join("\n")
}

#[component]
pub fn JobEditor() -> impl IntoView {
    let state = use_app();
    let editing = state.jobs.editing;
    let draft = move || {
        editing.get().unwrap_or_else(|| Draft {
            id: None,
            name: String::new(),
            text: String::new(),
            trigger: Trigger::Manual,
        })
    };
    let edit = move |f: &dyn Fn(&mut Draft)| {
        editing.update(|d| {
            if let Some(d) = d {
                f(d)
            }
        })
    };
    let set_text = move |text: String| edit(&|d| d.text = text.clone());
    let as_job = move || {
        let d = draft();
        Job {
            id: d.id.unwrap_or(0),
            name: d.name.clone(),
            text: d.text.clone(),
            trigger: d.trigger.clone(),
            saved_ms: 0.0,
        }
    };
    // The name's problem and every refused line at once; the trigger's
    // (a job to run after) once those are mended.
    let problems = Memo::new(move |_| {
        let others = state.jobs.jobs.get();
        let job = as_job();
        let mut out = Vec::new();
        if let Err(e) = check_name(&job.name, &others, Some(job.id)) {
            out.push(e);
        }
        if let Err(errors) = parse_steps(&job.text) {
            out.extend(errors.iter().map(|e| e.to_string()));
        }
        if out.is_empty() {
            if let Err(errors) = check_job(&job, &others) {
                out.extend(errors.iter().map(ToString::to_string));
            }
        }
        out
    });
    let numbers = Invalid::new();
    let blocked = move || {
        numbers
            .reason()
            .or_else(|| problems.with(|p| p.first().cloned()))
    };
    let save = move |_| {
        if blocked().is_some() {
            return;
        }
        let d = draft();
        let old = d.id.and_then(|id| {
            state
                .jobs
                .jobs
                .with_untracked(|j| j.iter().find(|j| j.id == id).cloned())
        });
        let job = Job {
            id: d.id.unwrap_or_else(new_id),
            name: d.name,
            text: d.text,
            saved_ms: match &old {
                Some(o) if o.trigger == d.trigger => o.saved_ms,
                _ => js_sys::Date::now(),
            },
            trigger: d.trigger,
        };
        if store::save(state, job).is_ok() {
            editing.set(None);
        }
    };
    let kind = move || match draft().trigger {
        Trigger::Manual => "manual",
        Trigger::Every { .. } => "every",
        Trigger::Daily { .. } => "daily",
        Trigger::After { .. } => "after",
    };
    let set_kind = move |ev: leptos::ev::Event| {
        let first_other = state.jobs.jobs.with_untracked(|j| {
            let me = draft().id;
            j.iter().find(|j| Some(j.id) != me).map(|j| j.name.clone())
        });
        let t = match event_target_value(&ev).as_str() {
            "every" => Trigger::Every { minutes: 60 },
            "daily" => Trigger::Daily { minute: 6 * 60 },
            "after" => Trigger::After {
                job: first_other.unwrap_or_default(),
            },
            _ => Trigger::Manual,
        };
        edit(&|d| d.trigger = t.clone());
    };
    let minutes = Signal::derive(move || match draft().trigger {
        Trigger::Every { minutes } => f64::from(minutes),
        _ => 60.0,
    });
    let others = move || {
        let me = draft().id;
        state
            .jobs
            .jobs
            .get()
            .into_iter()
            .filter(|j| Some(j.id) != me)
            .map(|j| j.name)
            .collect::<Vec<_>>()
    };
    view! {
        <section class="job-editor" data-testid="job-editor" aria-labelledby="job-editor-title">
            <h3 id="job-editor-title">
                {move || if draft().id.is_some() { "Edit the job" } else { "New job" }}
            </h3>
            <label class="field">
                "Name "
                <input
                    type="text"
                    data-testid="job-name"
                    maxlength="40"
                    prop:value=move || draft().name
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        edit(&|d| d.name = v.clone())
                    }
                />
            </label>
            <fieldset class="job-trigger">
                <legend>"When it runs"</legend>
                <select
                    data-testid="job-trigger"
                    aria-label="When it runs"
                    on:change=set_kind
                    prop:value=kind
                >
                    <option value="manual">"By hand (Run)"</option>
                    <option value="every">"Every N minutes"</option>
                    <option value="daily">"Daily at a time"</option>
                    <option value="after">"After another job succeeds"</option>
                </select>
                {move || match kind() {
                    "every" => {
                        view! {
                            <NumberField
                                label="Minutes"
                                testid="job-every"
                                rule=NumberRule::whole_between(1.0, 10_080.0)
                                value=minutes
                                on_value=Callback::new(move |v: f64| {
                                    edit(
                                        &|d| {
                                            d.trigger = Trigger::Every {
                                                minutes: v as u32,
                                            };
                                        },
                                    )
                                })
                                invalid=numbers
                                short=true
                            />
                        }
                            .into_any()
                    }
                    "daily" => {
                        view! {
                            <label class="field">
                                "At "
                                <input
                                    type="time"
                                    data-testid="job-daily"
                                    prop:value=move || match draft().trigger {
                                        Trigger::Daily { minute } => clock(minute),
                                        _ => String::new(),
                                    }
                                    on:change=move |ev| {
                                        if let Ok(minute) = read_time(&event_target_value(&ev)) {
                                            edit(&|d| d.trigger = Trigger::Daily { minute })
                                        }
                                    }
                                />
                            </label>
                        }
                            .into_any()
                    }
                    "after" => {
                        view! {
                            <label class="field">
                                "After "
                                <select
                                    data-testid="job-depends-on"
                                    prop:value=move || match draft().trigger {
                                        Trigger::After { job } => job,
                                        _ => String::new(),
                                    }
                                    on:change=move |ev| {
                                        let job = event_target_value(&ev);
                                        edit(&|d| d.trigger = Trigger::After { job: job.clone() })
                                    }
                                >
                                    <option value="">"(choose a job)"</option>
                                    {move || {
                                        others()
                                            .into_iter()
                                            .map(|n| {
                                                view! { <option value=n.clone()>{n.clone()}</option> }
                                            })
                                            .collect_view()
                                    }}
                                </select>
                            </label>
                        }
                            .into_any()
                    }
                    _ => ().into_any(),
                }}
                <p class="muted small">
                    "Schedules run only while Churnlab is open in a tab: a browser tab is not a server. Times missed while it was closed are listed as missed, each with Run now."
                </p>
            </fieldset>
            <fieldset class="job-steps">
                <legend>"Steps"</legend>
                <ol class="job-step-list">
                    {move || {
                        step_rows(&draft().text)
                            .into_iter()
                            .map(|(i, verb, settings)| {
                                let line = move |verb: String, settings: String| {
                                    let text = draft().text;
                                    let l = format!("do: {verb} {settings}").trim_end().to_owned();
                                    set_text(replace_line(&text, i, Some(l)));
                                };
                                let (v1, s1) = (verb.clone(), settings.clone());
                                view! {
                                    <li class="job-step" data-testid="job-step">
                                        <select
                                            data-testid="job-step-verb"
                                            aria-label=format!("Step on line {}: action", i + 1)
                                            prop:value=verb.clone()
                                            on:change=move |ev| line(
                                                event_target_value(&ev),
                                                s1.clone(),
                                            )
                                        >
                                            {job_verbs()
                                                .map(|v| view! { <option value=v>{v}</option> })
                                                .collect_view()}
                                        </select>
                                        <input
                                            type="text"
                                            data-testid="job-step-settings"
                                            aria-label=format!("Step on line {}: settings", i + 1)
                                            prop:value=settings.clone()
                                            on:change=move |ev| line(
                                                v1.clone(),
                                                event_target_value(&ev),
                                            )
                                        />
                                        <button
                                            type="button"
                                            class="button"
                                            data-testid="job-step-remove"
                                            aria-label=format!("Remove the step on line {}", i + 1)
                                            on:click=move |_| set_text(
                                                replace_line(&draft().text, i, None),
                                            )
                                        >
                                            "Remove"
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ol>
                <label class="field">
                    "Add a step "
                    <select
                        data-testid="job-add-step"
                        on:change=move |ev: leptos::ev::Event| {
                            let verb = event_target_value(&ev);
                            if verb.is_empty() {
                                return;
                            }
                            let text = draft().text;
                            let sep = if text.is_empty() || text.ends_with('\n') {
                                ""
                            } else {
                                "\n"
                            };
                            set_text(format!("{text}{sep}{}", template(&verb)));
                            let select: web_sys::HtmlSelectElement = event_target(&ev);
                            select.set_value("");
                        }
                    >
                        <option value="">"(choose an action)"</option>
                        {job_verbs().map(|v| view! { <option value=v>{v}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field block">
                    "As text (the labs' do: lines)"
                    <textarea
                        data-testid="job-text"
                        rows="6"
                        spellcheck="false"
                        prop:value=move || draft().text
                        on:input=move |ev| set_text(event_target_value(&ev))
                    ></textarea>
                </label>
            </fieldset>
            <Show when=move || problems.with(|p| !p.is_empty())>
                <ul class="form-error" role="alert" data-testid="job-text-errors">
                    {move || {
                        problems
                            .get()
                            .into_iter()
                            .map(|p| view! { <li data-testid="job-text-error">{p}</li> })
                            .collect_view()
                    }}
                </ul>
            </Show>
            <div class="actions">
                <button
                    type="button"
                    class="button primary"
                    data-testid="job-save"
                    prop:disabled=move || blocked().is_some()
                    title=move || blocked().unwrap_or_default()
                    on:click=save
                >
                    "Save the job"
                </button>
                <button
                    type="button"
                    class="button"
                    data-testid="job-cancel-edit"
                    on:click=move |_| editing.set(None)
                >
                    "Cancel"
                </button>
                <Show when=move || blocked().is_some()>
                    <span class="muted small" data-testid="job-save-why">
                        {move || blocked().map(|b| format!("Save is off: {b}"))}
                    </span>
                </Show>
            </div>
        </section>
    }
}

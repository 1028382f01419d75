//! The Operations page, the workshop's model-operations lab: send simulated
//! traffic to the deployed model, deliver the labels later, and watch what
//! monitoring sees (realised and estimated accuracy, drift, alerts), with a
//! scenario whose answer key says which signal caught it; then retrain a
//! challenger and promote it. Simulations are kept and listed.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::common::number_rule::NumberRule;
use crate::core::common::numfmt::count;
use crate::core::model::pipeline::ColumnStats;
use crate::core::ops::cbpe::Calibration;
use crate::core::ops::scenario::{default_feature_drift, ScenarioKind};
use crate::core::ops::simulate::{SimSettings, EXPLAIN_LIMIT, MAX_CALLS};
use crate::ui::explain::endpoint::deployed;
use crate::ui::ops::ops_run::OpsRun;
use crate::ui::ops::ops_simulation_list::OpsSimulationList;
use crate::ui::ops::simulations::{cancel, not_ready, start};
use crate::ui::routes::Page;
use crate::ui::state::use_app;
use crate::ui::widgets::dataset_options::dataset_options;
use crate::ui::widgets::number_field::{Invalid, NumberField};

#[component]
pub fn OperationsPage() -> impl IntoView {
    let state = use_app();
    let ops = state.ops;
    // The settings as typed; each number field keeps what it cannot read
    // to itself (and in `invalid`), and `SimSettings::check` has the last word.
    let form = RwSignal::new(SimSettings::default());
    let invalid = Invalid::new();
    let model = Memo::new(move |_| {
        state.training.deployed.track();
        state.training.models.track();
        deployed(state)
    });
    // A deployed model gives the feature-drift scenario its default column.
    Effect::new(move |_| {
        if let Some(m) = model.get() {
            let (column, toward) = default_feature_drift(&m);
            form.update(|f| {
                if !m.stats.iter().any(|s| s.column() == f.scenario.column) {
                    f.scenario.column = column;
                    f.scenario.toward = toward;
                }
            });
        }
    });
    let not_ready_msg = Memo::new(move |_| {
        model.track();
        not_ready(state)
    });
    let run = move |_| {
        spawn_local(start(state, form.get_untracked()));
    };
    let number = move |testid: &'static str,
                       label: &'static str,
                       rule: NumberRule,
                       get: fn(&SimSettings) -> f64,
                       put: fn(&mut SimSettings, f64)| {
        view! {
            <NumberField
                label
                testid
                rule
                short=true
                value=Signal::derive(move || form.with(get))
                on_value=Callback::new(move |v| form.update(|f| put(f, v)))
                invalid
            />
        }
    };
    let mode_note = move || {
        let calls = form.with(|f| f.calls);
        if calls > EXPLAIN_LIMIT {
            format!(
                "Runs over {} calls call predict (no explanations); this one will.",
                count(EXPLAIN_LIMIT)
            )
        } else {
            format!("Up to {} calls, every call goes through explain, as in the workshop, and its LIME explanation is kept in the log.", count(EXPLAIN_LIMIT))
        }
    };

    view! {
        <div class="ops-page">
            <header class="page-head">
                <h2>"Model operations"</h2>
                <p class="muted">
                    "The workshop's last lab: send customers to the deployed model one by one, record every prediction with an id, deliver the true labels later, and watch performance per block. Inject a kind of drift to see which signal catches it, and how early; then retrain a challenger and promote it."
                </p>
            </header>
            {move || {
                not_ready_msg
                    .get()
                    .map(|why| {
                        view! {
                            <aside class="callout" data-testid="ops-not-ready">
                                <p>{why}</p>
                                <a class="button" href=Page::Deploy.href()>
                                    "Go to Deploy"
                                </a>
                            </aside>
                        }
                    })
            }}
            <section class="train-form" aria-label="Simulation settings">
                <p class="muted">
                    {move || {
                        model
                            .get()
                            .map(|m| {
                                format!(
                                    "Traffic goes to {} v{} (build {}).",
                                    m.name,
                                    m.model_version,
                                    m.build_id,
                                )
                            })
                    }}
                </p>
                <div class="form-row">
                    {number(
                        "sim-calls",
                        "Number of calls",
                        NumberRule::whole_between(1.0, MAX_CALLS as f64),
                        |f| f.calls as f64,
                        |f, v| f.calls = v as usize,
                    )}
                    {number(
                        "sim-block-size",
                        "Block size",
                        NumberRule::whole_from(1.0),
                        |f| f.block_size as f64,
                        |f, v| f.block_size = v as usize,
                    )}
                    <label>
                        "Customers from "
                        <select
                            data-testid="sim-source"
                            on:change=move |ev| form.update(|f| f.source = event_target_value(&ev))
                        >
                            {move || {
                                let current = form.with(|f| f.source.clone());
                                dataset_options(state, move |n| n == current)
                            }}
                        </select>
                    </label>
                    {number(
                        "sim-seed",
                        "Seed",
                        NumberRule::whole_from(0.0),
                        |f| f.seed as f64,
                        |f, v| f.seed = v as u64,
                    )}
                    {number(
                        "sim-label-delay",
                        "Labels arrive after (calls)",
                        NumberRule::whole_from(0.0),
                        |f| f.label_delay as f64,
                        |f, v| f.label_delay = v as usize,
                    )}
                    <label>
                        "Calibration "
                        <select
                            data-testid="sim-calibration"
                            on:change=move |ev| {
                                let c = match event_target_value(&ev).as_str() {
                                    "isotonic" => Calibration::Isotonic,
                                    "off" => Calibration::Off,
                                    _ => Calibration::Auto,
                                };
                                form.update(|f| f.calibration = c);
                            }
                        >
                            <option
                                value="auto"
                                selected=move || form.with(|f| f.calibration == Calibration::Auto)
                            >
                                "isotonic when it helps"
                            </option>
                            <option
                                value="isotonic"
                                selected=move || {
                                    form.with(|f| f.calibration == Calibration::Isotonic)
                                }
                            >
                                "always isotonic"
                            </option>
                            <option
                                value="off"
                                selected=move || form.with(|f| f.calibration == Calibration::Off)
                            >
                                "none"
                            </option>
                        </select>
                    </label>
                </div>
                <div class="form-row">
                    <label>
                        "Scenario "
                        <select
                            data-testid="sim-scenario"
                            on:change=move |ev| {
                                if let Some(k) = ScenarioKind::from_id(&event_target_value(&ev)) {
                                    form.update(|f| f.scenario.kind = k);
                                }
                            }
                        >
                            {ScenarioKind::ALL
                                .into_iter()
                                .map(|k| {
                                    view! {
                                        <option
                                            value=k.id()
                                            selected=move || form.with(|f| f.scenario.kind == k)
                                        >
                                            {k.label()}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </label>
                    <Show when=move || {
                        form.with(|f| f.scenario.kind != ScenarioKind::None)
                    }>
                        {number(
                            "sim-scenario-start",
                            "Starts in block",
                            NumberRule::whole_from(1.0),
                            |f| f.scenario.start_block as f64,
                            |f, v| f.scenario.start_block = v as usize,
                        )}
                        {number(
                            "sim-strength",
                            "Strength (0–1)",
                            NumberRule::between(0.0, 1.0),
                            |f| f.scenario.strength,
                            |f, v| f.scenario.strength = v,
                        )}
                    </Show>
                    <Show when=move || form.with(|f| f.scenario.kind == ScenarioKind::FeatureDrift)>
                        <label>
                            "Feature "
                            <select
                                data-testid="sim-drift-feature"
                                on:change=move |ev| {
                                    let column = event_target_value(&ev);
                                    let toward = model
                                        .with_untracked(|m| {
                                            m.as_ref()
                                                .and_then(|m| m.stats.iter().find(|s| s.column() == column))
                                                .map(|s| match s {
                                                    ColumnStats::Numeric { .. } => "lower".to_owned(),
                                                    ColumnStats::Categorical { categories, .. } => {
                                                        categories.first().cloned().unwrap_or_default()
                                                    }
                                                })
                                        });
                                    form.update(|f| {
                                        f.scenario.column = column;
                                        f.scenario.toward = toward.unwrap_or_default();
                                    });
                                }
                            >
                                {move || {
                                    let current = form.with(|f| f.scenario.column.clone());
                                    model
                                        .get()
                                        .map(|m| {
                                            m.stats
                                                .iter()
                                                .map(|s| s.column().to_owned())
                                                .collect::<Vec<_>>()
                                        })
                                        .unwrap_or_default()
                                        .into_iter()
                                        .map(|c| {
                                            view! {
                                                <option value=c.clone() selected=c == current>
                                                    {c.clone()}
                                                </option>
                                            }
                                        })
                                        .collect_view()
                                }}
                            </select>
                        </label>
                        <label>
                            "Moves toward "
                            <select
                                data-testid="sim-drift-toward"
                                on:change=move |ev| {
                                    form.update(|f| f.scenario.toward = event_target_value(&ev))
                                }
                            >
                                {move || {
                                    let (column, current) = form
                                        .with(|f| (
                                            f.scenario.column.clone(),
                                            f.scenario.toward.clone(),
                                        ));
                                    let options: Vec<(String, String)> = match model
                                        .get()
                                        .and_then(|m| {
                                            m.stats.iter().find(|s| s.column() == column).cloned()
                                        })
                                    {
                                        Some(ColumnStats::Numeric { .. }) => {
                                            vec![
                                                ("lower".into(), "lower values".into()),
                                                ("higher".into(), "higher values".into()),
                                            ]
                                        }
                                        Some(ColumnStats::Categorical { categories, .. }) => {
                                            categories
                                                .into_iter()
                                                .map(|c| (c.clone(), format!("more \"{c}\"")))
                                                .collect()
                                        }
                                        None => Vec::new(),
                                    };
                                    options
                                        .into_iter()
                                        .map(|(v, l)| {
                                            view! {
                                                <option value=v.clone() selected=v == current>
                                                    {l}
                                                </option>
                                            }
                                        })
                                        .collect_view()
                                }}
                            </select>
                        </label>
                    </Show>
                </div>
                <p class="muted">{mode_note}</p>
                <div class="form-actions">
                    <button
                        class="button primary"
                        data-testid="sim-start"
                        disabled=move || {
                            ops.progress.with(Option::is_some)
                                || not_ready_msg.with(Option::is_some) || !invalid.is_clear()
                        }
                        on:click=run
                    >
                        "Run the simulation"
                    </button>
                    {move || {
                        ops.progress
                            .get()
                            .map(|p| {
                                view! {
                                    <div
                                        class="train-progress"
                                        data-testid="sim-progress"
                                        role="status"
                                    >
                                        <progress
                                            max=p.total.max(1.0).to_string()
                                            value=p.done.to_string()
                                        ></progress>
                                        <span>
                                            {format!(
                                                "{}: {} of {}",
                                                p.label,
                                                count(p.done as usize),
                                                count(p.total as usize),
                                            )}
                                        </span>
                                        <button
                                            class="button"
                                            data-testid="sim-cancel"
                                            on:click=move |_| cancel(state)
                                        >
                                            "Cancel"
                                        </button>
                                        <span class="muted" data-testid="sim-one-at-a-time">
                                            "One job at a time on this page: another starts once this one ends or is cancelled. Training and loading go on beside it."
                                        </span>
                                    </div>
                                }
                            })
                    }}
                </div>
                {move || {
                    invalid
                        .reason()
                        .map(|r| {
                            view! {
                                <p class="form-error" data-testid="sim-blocked" role="status">
                                    {format!("The simulation is off until this is mended: {r}")}
                                </p>
                            }
                        })
                }}
                {move || {
                    ops.error
                        .get()
                        .map(|e| {
                            view! {
                                <p class="form-error" data-testid="sim-error" role="alert">
                                    {e}
                                </p>
                            }
                        })
                }}
            </section>
            <OpsSimulationList />
            {move || ops.open.with(Option::is_some).then(|| view! { <OpsRun /> })}
        </div>
    }
}

//! The Experiments page's grid form: a dataset, a mode, and lists of
//! max_iter and C (or folds), launched as every combination, one run after
//! another in the background.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::common::number_rule::NumberRule;
use crate::core::model::config::{Mode, TrainConfig};
use crate::core::model::defaults::default_config;
use crate::ui::data::datasets::{dataset_names, table_named};
use crate::ui::model::train_progress::TrainProgressBar;
use crate::ui::model::training::run_batch;
use crate::ui::state::use_app;
use crate::ui::widgets::number_field::{Invalid, NumberListField};

const MAX_ITER: NumberRule = NumberRule::whole_from(1.0);
const C: NumberRule = NumberRule::above(0.0);
const FOLDS: NumberRule = NumberRule::whole_between(2.0, 20.0);

#[component]
pub fn GridForm() -> impl IntoView {
    let state = use_app();
    let t = state.training;
    let dataset = RwSignal::new("churn".to_owned());
    let mode = RwSignal::new(Mode::Plain);
    let iters = RwSignal::new("10, 50, 100".to_owned());
    let cs = RwSignal::new("0.01, 1, 100".to_owned());
    let folds = RwSignal::new("5".to_owned());
    let grid_error = RwSignal::new(None::<String>);
    let invalid = Invalid::new();
    let launch = move |_| {
        let Some(table) = table_named(state, &dataset.get_untracked()) else {
            grid_error.set(Some(format!(
                "There is no dataset called \"{}\".",
                dataset.get_untracked()
            )));
            return;
        };
        let parse = |rule: NumberRule, what: &str, text: String| rule.read_list(what, &text);
        // Max iterations, C and folds, each a list of values to try.
        type Lists = (Vec<f64>, Vec<f64>, Vec<f64>);
        let lists = (|| -> Result<Lists, String> {
            let i = parse(MAX_ITER, "max_iter", iters.get_untracked())?;
            let c = if mode.get_untracked() == Mode::Plain {
                parse(C, "C", cs.get_untracked())?
            } else {
                vec![1.0]
            };
            let f = if mode.get_untracked() == Mode::Cv {
                parse(FOLDS, "folds", folds.get_untracked())?
            } else {
                vec![5.0]
            };
            if i.is_empty() || c.is_empty() || f.is_empty() {
                return Err("Give at least one value for each parameter.".into());
            }
            Ok((i, c, f))
        })();
        let (iters, cs, folds) = match lists {
            Ok(l) => l,
            Err(e) => {
                grid_error.set(Some(e));
                return;
            }
        };
        let base = TrainConfig {
            mode: mode.get_untracked(),
            ..default_config(&table)
        };
        let mut configs = Vec::new();
        for &i in &iters {
            for &c in &cs {
                for &f in &folds {
                    configs.push(TrainConfig {
                        max_iter: i.max(0.0) as u64,
                        c,
                        folds: f.max(0.0) as usize,
                        ..base.clone()
                    });
                }
            }
        }
        if let Some(e) = configs
            .iter()
            .find_map(|cfg| crate::core::model::train::split(&table, cfg).err())
        {
            grid_error.set(Some(e.to_string()));
            return;
        }
        grid_error.set(None);
        let name = dataset.get_untracked();
        spawn_local(async move {
            run_batch(state, name, table, configs).await;
        });
    };
    let grid_size = move || {
        let n = |rule: NumberRule, s: &str| rule.read_list("", s).map(|v| v.len()).unwrap_or(0);
        let extra = if mode.get() == Mode::Plain {
            n(C, &cs.get())
        } else {
            n(FOLDS, &folds.get())
        };
        n(MAX_ITER, &iters.get()) * extra
    };

    view! {
        <section class="grid-form" aria-label="Launch a grid of runs">
            <h3>"Launch a grid of runs"</h3>
            <div class="form-row">
                <label>
                    "Dataset "
                    <select
                        data-testid="grid-dataset"
                        on:change=move |ev| dataset.set(event_target_value(&ev))
                    >
                        {move || {
                            dataset_names(state)
                                .into_iter()
                                .map(|n| {
                                    view! {
                                        <option
                                            value=n.clone()
                                            selected=n == dataset.get_untracked()
                                        >
                                            {n.clone()}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
                <label>
                    "Mode "
                    <select
                        data-testid="grid-mode"
                        on:change=move |ev| {
                            mode.set(
                                if event_target_value(&ev) == "cv" { Mode::Cv } else { Mode::Plain },
                            )
                        }
                    >
                        <option value="plain" selected=true>
                            "one C"
                        </option>
                        <option value="cv">"cross-validated C"</option>
                    </select>
                </label>
                <NumberListField
                    label="max_iter ∈"
                    testid="grid-max-iter"
                    named="max_iter"
                    rule=MAX_ITER
                    text=iters
                    invalid
                />
                <Show
                    when=move || mode.get() == Mode::Plain
                    fallback=move || {
                        view! {
                            <NumberListField
                                label="folds ∈"
                                testid="grid-folds"
                                named="folds"
                                rule=FOLDS
                                text=folds
                                invalid
                            />
                        }
                    }
                >
                    <NumberListField
                        label="C ∈"
                        testid="grid-c"
                        named="C"
                        rule=C
                        text=cs
                        invalid
                    />
                </Show>
                <button
                    class="button primary"
                    data-testid="grid-start"
                    disabled=move || t.progress.with(Option::is_some) || !invalid.is_clear()
                    on:click=launch
                >
                    {move || {
                        format!(
                            "Launch {}",
                            crate::core::common::numfmt::plural(grid_size(), "run"),
                        )
                    }}
                </button>
            </div>
            <TrainProgressBar />
            {move || {
                invalid
                    .reason()
                    .map(|r| {
                        view! {
                            <p class="form-error" data-testid="grid-blocked" role="status">
                                {format!("Launch is off until this is mended: {r}")}
                            </p>
                        }
                    })
            }}
            {move || {
                grid_error
                    .get()
                    .or_else(|| t.error.get())
                    .map(|e| {
                        view! {
                            <p class="form-error" role="alert" data-testid="grid-error">
                                {e}
                            </p>
                        }
                    })
            }}
        </section>
    }
}

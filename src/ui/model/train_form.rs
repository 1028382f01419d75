//! The Train page's settings: the dataset and target, the positive class,
//! the test share, seed and missing values, the features (with why a column
//! is left out), the data check, the mode with C or the grid of C, and the
//! button that starts a training in the background.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::common::number_rule::NumberRule;
use crate::core::data::table::Table;
use crate::core::model::config::{Missing, Mode, TrainConfig};
use crate::core::model::defaults::included;
use crate::ui::browser::held::in_background;
use crate::ui::data::datasets::table_named;
use crate::ui::model::checking::{self, Looked};
use crate::ui::model::data_check::DataCheck;
use crate::ui::model::feature_choice::FeatureChoice;
use crate::ui::model::train_progress::TrainProgressBar;
use crate::ui::model::training::run_batch;
use crate::ui::state::use_app;
use crate::ui::widgets::dataset_options::dataset_options;
use crate::ui::widgets::number_field::{Invalid, NumberField, NumberListField};

/// The Train page's settings: the dataset, target, split, features and
/// mode, checked as they are typed, and the button that starts a training.
#[component]
pub fn TrainForm() -> impl IntoView {
    let state = use_app();
    let t = state.training;
    let dataset = RwSignal::new("churn".to_owned());
    let table = Memo::new_with_compare(
        move |_| {
            state.dataset.track();
            state.saved.track();
            table_named(state, &dataset.get())
        },
        |_, _| true,
    );
    let config = RwSignal::new(TrainConfig::default());
    let grid_text = RwSignal::new(String::new());
    // What the table says for the target chosen (its labels, and why each
    // column is left out by default): on the page for a small table, in the
    // worker that holds it for a large one; the newest question wins.
    let looked = RwSignal::new(None::<Looked>);
    let sending = RwSignal::new(None::<(usize, usize)>);
    let asked = StoredValue::new(0u64);
    let form_error = RwSignal::new(None::<String>);
    let look = move |tb: Table, target: Option<String>, positive: Option<String>, then: Then| {
        let n = asked.get_value() + 1;
        asked.set_value(n);
        // Not current either once the form is gone (its values disposed).
        let current = move || asked.try_get_value() == Some(n);
        if in_background(&tb) {
            sending.set(Some((0, tb.num_columns())));
        }
        spawn_local(async move {
            let progress = move |done, total| {
                if current() {
                    sending.set(Some((done, total)));
                }
            };
            let result = checking::facts(&tb, target, positive, progress).await;
            if !current() {
                return;
            }
            sending.set(None);
            let facts = match result {
                Ok(facts) => facts,
                Err(e) => {
                    form_error.set(Some(format!("The table could not be looked at: {e}")));
                    return;
                }
            };
            let features = included(&facts.defaults);
            match then {
                Then::Reset => {
                    let cfg = TrainConfig::default();
                    grid_text.set(grid_label(&cfg.cs));
                    config.set(TrainConfig {
                        target: facts.target.clone(),
                        positive: facts.positive.clone(),
                        features,
                        ..cfg
                    });
                }
                Then::Features => config.update(|c| {
                    c.target = facts.target.clone();
                    c.positive = facts.positive.clone();
                    c.features = features;
                }),
                Then::Keep => {}
            }
            looked.set(Some(Looked { table: tb, facts }));
        });
    };
    // A new table gets the workshop's defaults (the same as `default_config`).
    Effect::new(move |_| {
        if let Some(tb) = table.get() {
            look(tb, None, None, Then::Reset);
        }
    });
    let defaults = Memo::new(move |_| {
        looked.with(|l| {
            l.as_ref()
                .map(|l| l.facts.defaults.clone())
                .unwrap_or_default()
        })
    });
    let columns = Memo::new(move |_| {
        table.with(|tb| {
            tb.as_ref()
                .map(|tb| {
                    tb.columns()
                        .iter()
                        .filter(|c| !c.hidden)
                        .map(|c| c.name.clone())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let invalid = Invalid::new();
    let set = move |f: Box<dyn FnOnce(&mut TrainConfig)>| config.update(|c| f(c));

    let start = move |_| {
        let Some(tb) = table.get_untracked() else {
            form_error.set(Some(format!(
                "There is no dataset called \"{}\".",
                dataset.get_untracked()
            )));
            return;
        };
        let mut cfg = config.get_untracked();
        // The grid as shown (rounded) stands for the exact grid it shows,
        // scikit-learn's logspace, until the learner edits it.
        let text = grid_text.get_untracked();
        if cfg.mode == Mode::Cv && text != grid_label(&cfg.cs) {
            match NumberRule::above(0.0).read_list("Grid of C", &text) {
                Ok(cs) => cfg.cs = cs,
                Err(e) => {
                    form_error.set(Some(e));
                    return;
                }
            }
        }
        // Checked here too, so a typo is reported before the worker starts
        // (a large table only by the worker: the split reads every row).
        if !in_background(&tb) {
            if let Err(e) = crate::core::model::train::split(&tb, &cfg) {
                form_error.set(Some(e.to_string()));
                return;
            }
        }
        form_error.set(None);
        let name = dataset.get_untracked();
        spawn_local(async move {
            run_batch(state, name, tb, vec![cfg]).await;
        });
    };

    let field = move |get: fn(&TrainConfig) -> f64| Signal::derive(move || config.with(get));
    let put =
        move |f: fn(&mut TrainConfig, f64)| Callback::new(move |v: f64| config.update(|c| f(c, v)));

    view! {
        <section class="train-form" aria-label="Training settings">
            <div class="form-row">
                <label>
                    "Dataset "
                    <select
                        data-testid="train-dataset"
                        on:change=move |ev| dataset.set(event_target_value(&ev))
                    >
                        {move || {
                            let current = dataset.get();
                            dataset_options(state, move |n| n == current)
                        }}
                    </select>
                </label>
                <label>
                    "Target "
                    <select
                        data-testid="train-target"
                        on:change=move |ev| {
                            if let Some(tb) = table.get_untracked() {
                                look(tb, Some(event_target_value(&ev)), None, Then::Features);
                            }
                        }
                    >
                        {move || {
                            let current = config.with(|c| c.target.clone());
                            columns
                                .get()
                                .into_iter()
                                .map(|n| {
                                    // Any column can be picked; the data check says when it is not yes/no.
                                    view! {
                                        <option value=n.clone() selected=n == current>
                                            {n.clone()}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
                <label>
                    "Positive class "
                    <select
                        data-testid="train-positive"
                        on:change=move |ev| {
                            let p = event_target_value(&ev);
                            config.update(|c| c.positive = p.clone());
                            let target = config.with_untracked(|c| c.target.clone());
                            if let Some(tb) = table.get_untracked() {
                                look(tb, Some(target), Some(p), Then::Keep);
                            }
                        }
                    >
                        {move || {
                            let positive = config.with(|c| c.positive.clone());
                            let labels = looked
                                .with(|l| l.as_ref().and_then(|l| l.facts.labels.clone()));
                            labels
                                .into_iter()
                                .flatten()
                                .map(|l| {
                                    view! {
                                        <option value=l.clone() selected=l == positive>
                                            {l.clone()}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
                <NumberField
                    label="Test share"
                    testid="train-test-share"
                    rule=NumberRule::between(5.0, 90.0)
                    unit="%"
                    short=true
                    value=field(|c| (c.test_share * 100.0).round())
                    on_value=put(|c, v| c.test_share = v / 100.0)
                    invalid
                />
                <NumberField
                    label="Seed"
                    testid="train-seed"
                    rule=NumberRule::whole_from(0.0)
                    short=true
                    value=field(|c| c.seed as f64)
                    on_value=put(|c, v| c.seed = v as u64)
                    invalid
                />
                <label>
                    "Missing values "
                    <select
                        data-testid="train-missing"
                        on:change=move |ev| {
                            let m = if event_target_value(&ev) == "impute" {
                                Missing::Impute
                            } else {
                                Missing::Drop
                            };
                            set(Box::new(move |c| c.missing = m));
                        }
                    >
                        <option
                            value="drop"
                            selected=move || config.with(|c| c.missing == Missing::Drop)
                        >
                            "drop those rows"
                        </option>
                        <option
                            value="impute"
                            selected=move || config.with(|c| c.missing == Missing::Impute)
                        >
                            "impute (median / most frequent)"
                        </option>
                    </select>
                </label>
            </div>
            <FeatureChoice config columns defaults />
            <DataCheck looked config sending />
            <div class="form-row">
                <label>
                    "Mode "
                    <select
                        data-testid="train-mode"
                        on:change=move |ev| {
                            let m = if event_target_value(&ev) == "plain" {
                                Mode::Plain
                            } else {
                                Mode::Cv
                            };
                            set(Box::new(move |c| c.mode = m));
                        }
                    >
                        <option value="cv" selected=move || config.with(|c| c.mode == Mode::Cv)>
                            "cross-validated C"
                        </option>
                        <option
                            value="plain"
                            selected=move || config.with(|c| c.mode == Mode::Plain)
                        >
                            "one C"
                        </option>
                    </select>
                </label>
                <Show
                    when=move || config.with(|c| c.mode == Mode::Plain)
                    fallback=move || {
                        view! {
                            <NumberField
                                label="Folds"
                                testid="train-folds"
                                rule=NumberRule::whole_between(2.0, 20.0)
                                short=true
                                value=field(|c| c.folds as f64)
                                on_value=put(|c, v| c.folds = v as usize)
                                invalid
                            />
                            <span class="grow">
                                <NumberListField
                                    label="Grid of C"
                                    testid="train-grid"
                                    rule=NumberRule::above(0.0)
                                    text=grid_text
                                    invalid
                                />
                            </span>
                        }
                    }
                >
                    <NumberField
                        label="C"
                        testid="train-c"
                        rule=NumberRule::above(0.0)
                        short=true
                        value=field(|c| c.c)
                        on_value=put(|c, v| c.c = v)
                        invalid
                    />
                </Show>
                <NumberField
                    label="Max iterations"
                    testid="train-max-iter"
                    rule=NumberRule::whole_from(1.0)
                    short=true
                    value=field(|c| c.max_iter as f64)
                    on_value=put(|c, v| c.max_iter = v as u64)
                    invalid
                />
            </div>
            <div class="form-actions">
                <button
                    class="button primary"
                    data-testid="train-start"
                    disabled=move || {
                        t.progress.with(Option::is_some) || !invalid.is_clear()
                            || sending.with(Option::is_some)
                    }
                    on:click=start
                >
                    "Train"
                </button>
                <TrainProgressBar />
            </div>
            {move || {
                invalid
                    .reason()
                    .map(|r| {
                        view! {
                            <p class="form-error" data-testid="train-blocked" role="status">
                                {format!("Train is off until this is mended: {r}")}
                            </p>
                        }
                    })
            }}
            {move || {
                form_error
                    .get()
                    .or_else(|| t.error.get())
                    .map(|e| {
                        view! {
                            <p class="form-error" data-testid="train-error" role="alert">
                                {e}
                            </p>
                        }
                    })
            }}
        </section>
    }
}

/// The grid of C as the form shows it: each value to 5 significant digits.
fn grid_label(cs: &[f64]) -> String {
    cs.iter()
        .map(|c| format!("{c:.4e}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a new look at the table changes in the form once it is answered.
#[derive(Clone, Copy)]
enum Then {
    /// A new table: the whole configuration goes back to its defaults.
    Reset,
    /// A new target: its positive class and the features nothing leaves out.
    Features,
    /// A new positive class: only the reasons beside the features.
    Keep,
}

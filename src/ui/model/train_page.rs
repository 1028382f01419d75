//! The training page, the workshop's model-building notebook: choose the
//! dataset, target, features, split and missing-value handling; train the
//! pipeline (one C, or cross-validated over a grid) in a worker with a
//! progress bar and Cancel; read the evaluation; save the model by name.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::model::metrics::Report;
use crate::core::common::numfmt::count;
use crate::core::model::charts::{calibration_chart, cv_chart, importance_chart, pr_chart, roc_chart};
use crate::core::model::config::{Missing, Mode, TrainConfig};
use crate::core::model::datacheck::{feature_defaults, Exclusion};
use crate::core::model::defaults::{binary_labels, default_positive, default_target, included};
use crate::ui::widgets::chart_view::ChartResult;
use crate::core::common::number_rule::NumberRule;
use crate::ui::widgets::chart_view::ChartView;
use crate::ui::model::data_check::DataCheck;
use crate::ui::widgets::number_field::{Invalid, NumberField};
use crate::ui::data::datasets::{dataset_names, table_named};
use crate::ui::state::use_app;
use crate::ui::model::training::{cancel, run_batch, save_model};
use crate::ui::widgets::scroll_region::ScrollRegion;

/// Numbers separated by commas or spaces.
pub fn parse_list(text: &str) -> Result<Vec<f64>, String> {
    text.split([',', ' ', ';'])
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().parse::<f64>().map_err(|_| format!("\"{}\" is not a number", s.trim())))
        .collect()
}

fn fmt(v: f64) -> String {
    format!("{v:.4}")
}

/// The training form and the progress bar; shared with the experiments page.
#[component]
pub fn TrainProgressBar() -> impl IntoView {
    let state = use_app();
    let t = state.training;
    move || {
        t.progress.get().map(|p| {
            let label = if p.runs > 1 { format!("Run {} of {}: fit {} of {}", p.run, p.runs, p.done, p.total) } else { format!("Fit {} of {}", p.done, p.total) };
            view! {
                <div class="train-progress" data-testid="train-progress" role="status">
                    <progress max=p.total.to_string() value=p.done.to_string()></progress>
                    <span>{label}</span>
                    <button class="button" data-testid="train-cancel" on:click=move |_| cancel(state)>"Cancel"</button>
                    <span class="muted" data-testid="train-one-at-a-time">"One training at a time: another starts once this one ends or is cancelled."</span>
                </div>
            }
        })
    }
}

#[component]
pub fn TrainPage() -> impl IntoView {
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
    // Why each column is left out by default, for the target chosen: worked
    // out once per table and target, and the source of the default features.
    let target_key = Memo::new(move |_| config.with(|c| (c.target.clone(), c.positive.clone())));
    let defaults = Memo::new(move |_| {
        let (target, positive) = target_key.get();
        table.with(|tb| tb.as_ref().map(|tb| feature_defaults(tb, &target, &positive)).unwrap_or_default())
    });
    // A target (new or chosen) starts on the features nothing leaves out.
    let choose_target = move |target: String, positive: String| {
        config.update(|c| {
            c.target = target;
            c.positive = positive;
        });
        let features = defaults.with_untracked(|d| included(d));
        config.update(|c| c.features = features);
    };
    // A new table gets the workshop's defaults (the same as `default_config`).
    Effect::new(move |_| {
        if let Some(tb) = table.get() {
            let (target, positive) = default_target(&tb);
            let cfg = TrainConfig::default();
            grid_text.set(cfg.cs.iter().map(|c| format!("{c:.4e}")).collect::<Vec<_>>().join(", "));
            config.set(cfg);
            choose_target(target, positive);
        }
    });
    let columns = Memo::new(move |_| {
        table.with(|tb| tb.as_ref().map(|tb| tb.columns().iter().filter(|c| !c.hidden).map(|c| c.name.clone()).collect::<Vec<_>>()).unwrap_or_default())
    });
    let form_error = RwSignal::new(None::<String>);
    let invalid = Invalid::new();
    let set = move |f: Box<dyn FnOnce(&mut TrainConfig)>| config.update(|c| f(c));

    let start = move |_| {
        let Some(tb) = table.get_untracked() else {
            form_error.set(Some(format!("There is no dataset called \"{}\".", dataset.get_untracked())));
            return;
        };
        let mut cfg = config.get_untracked();
        if cfg.mode == Mode::Cv {
            match parse_list(&grid_text.get_untracked()) {
                Ok(cs) => cfg.cs = cs,
                Err(e) => {
                    form_error.set(Some(format!("The grid of C: {e}.")));
                    return;
                }
            }
        }
        // Checked here too, so a typo is reported before the worker starts.
        if let Err(e) = crate::core::model::train::split(&tb, &cfg) {
            form_error.set(Some(e.to_string()));
            return;
        }
        form_error.set(None);
        let name = dataset.get_untracked();
        spawn_local(async move {
            run_batch(state, name, tb, vec![cfg]).await;
        });
    };

    let field = move |get: fn(&TrainConfig) -> f64| Signal::derive(move || config.with(get));
    let put = move |f: fn(&mut TrainConfig, f64)| Callback::new(move |v: f64| config.update(|c| f(c, v)));

    view! {
        <div class="train-page">
            <header class="page-head">
                <h2>"Train a model"</h2>
                <p class="muted">
                    "The workshop's pipeline: one-hot encode the categorical features, standardise every feature, and fit an L2 logistic regression, with one C or cross-validated over a grid of C (like scikit-learn's LogisticRegressionCV). Training runs in the background."
                </p>
            </header>
            <section class="train-form" aria-label="Training settings">
                <div class="form-row">
                    <label>
                        "Dataset "
                        <select data-testid="train-dataset" on:change=move |ev| dataset.set(event_target_value(&ev))>
                            {move || {
                                let current = dataset.get();
                                dataset_names(state)
                                    .into_iter()
                                    .map(|n| view! { <option value=n.clone() selected=n == current>{if n == "churn" { "churn (the active dataset)".to_owned() } else { n.clone() }}</option> })
                                    .collect_view()
                            }}
                        </select>
                    </label>
                    <label>
                        "Target "
                        <select
                            data-testid="train-target"
                            on:change=move |ev| {
                                let target = event_target_value(&ev);
                                let positive = table.with_untracked(|tb| {
                                    tb.as_ref().and_then(|tb| tb.column(&target)).and_then(|c| binary_labels(&c.data)).as_ref().map(default_positive).unwrap_or_default()
                                });
                                choose_target(target, positive);
                            }
                        >
                            {move || {
                                // Any column can be picked; the data check says when it is not yes/no.
                                let current = config.with(|c| c.target.clone());
                                columns.get().into_iter().map(|n| view! { <option value=n.clone() selected=n == current>{n.clone()}</option> }).collect_view()
                            }}
                        </select>
                    </label>
                    <label>
                        "Positive class "
                        <select data-testid="train-positive" on:change=move |ev| { let p = event_target_value(&ev); set(Box::new(move |c| c.positive = p)); }>
                            {move || {
                                let (target, positive) = config.with(|c| (c.target.clone(), c.positive.clone()));
                                let labels = table.with(|tb| tb.as_ref().and_then(|tb| tb.column(&target)).and_then(|c| binary_labels(&c.data)));
                                labels.into_iter().flatten().map(|l| view! { <option value=l.clone() selected=l == positive>{l.clone()}</option> }).collect_view()
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
                                let m = if event_target_value(&ev) == "impute" { Missing::Impute } else { Missing::Drop };
                                set(Box::new(move |c| c.missing = m));
                            }
                        >
                            <option value="drop" selected=move || config.with(|c| c.missing == Missing::Drop)>"drop those rows"</option>
                            <option value="impute" selected=move || config.with(|c| c.missing == Missing::Impute)>"impute (median / most frequent)"</option>
                        </select>
                    </label>
                </div>
                <details class="features" open>
                    <summary>{move || format!("Features ({} of {})", config.with(|c| c.features.len()), columns.with(|c| c.len().saturating_sub(1)))}</summary>
                    <div class="feature-list">
                        {move || {
                            let target = config.with(|c| c.target.clone());
                            columns
                                .get()
                                .into_iter()
                                .filter(|n| *n != target)
                                .map(|n| {
                                    let (checked, toggle) = (n.clone(), n.clone());
                                    let reason = defaults.with(|d| d.iter().find(|(c, _)| *c == n).and_then(|(_, e)| e.as_ref().map(Exclusion::reason)));
                                    let (title, shown) = (reason.clone(), reason.clone());
                                    view! {
                                        <label class="check" title=title>
                                            <input
                                                type="checkbox"
                                                data-testid="train-feature"
                                                data-column=n.clone()
                                                data-excluded-reason=reason.clone()
                                                prop:checked=move || config.with(|c| c.features.contains(&checked))
                                                on:change=move |ev| {
                                                    let on = event_target_checked(&ev);
                                                    let name = toggle.clone();
                                                    let order = columns.get_untracked();
                                                    set(Box::new(move |c| {
                                                        c.features.retain(|f| *f != name);
                                                        if on {
                                                            c.features.push(name);
                                                            c.features.sort_by_key(|f| order.iter().position(|o| o == f));
                                                        }
                                                    }));
                                                }
                                            />
                                            {n}
                                            {shown.map(|r| view! { <span class="muted excluded-reason">{format!(" ({r})")}</span> })}
                                        </label>
                                    }
                                })
                                .collect_view()
                        }}
                    </div>
                </details>
                <DataCheck table config defaults/>
                <div class="form-row">
                    <label>
                        "Mode "
                        <select
                            data-testid="train-mode"
                            on:change=move |ev| {
                                let m = if event_target_value(&ev) == "plain" { Mode::Plain } else { Mode::Cv };
                                set(Box::new(move |c| c.mode = m));
                            }
                        >
                            <option value="cv" selected=move || config.with(|c| c.mode == Mode::Cv)>"cross-validated C"</option>
                            <option value="plain" selected=move || config.with(|c| c.mode == Mode::Plain)>"one C"</option>
                        </select>
                    </label>
                    <Show
                        when=move || config.with(|c| c.mode == Mode::Plain)
                        fallback=move || view! {
                            <NumberField
                                label="Folds"
                                testid="train-folds"
                                rule=NumberRule::whole_between(2.0, 20.0)
                                short=true
                                value=field(|c| c.folds as f64)
                                on_value=put(|c, v| c.folds = v as usize)
                                invalid
                            />
                            <label class="grow">
                                "Grid of C "
                                <input type="text" data-testid="train-grid" prop:value=grid_text on:change=move |ev| grid_text.set(event_target_value(&ev))/>
                            </label>
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
                    <button class="button primary" data-testid="train-start" disabled=move || t.progress.with(Option::is_some) || !invalid.is_clear() on:click=start>
                        "Train"
                    </button>
                    <TrainProgressBar/>
                </div>
                {move || invalid.reason().map(|r| view! { <p class="form-error" data-testid="train-blocked" role="status">{format!("Train is off until this is mended: {r}")}</p> })}
                {move || form_error.get().or_else(|| t.error.get()).map(|e| view! { <p class="form-error" data-testid="train-error" role="alert">{e}</p> })}
            </section>
            <Show when=move || t.last.with(Option::is_some)>
                <TrainResults/>
            </Show>
        </div>
    }
}

/// The last run's evaluation.
#[component]
fn TrainResults() -> impl IntoView {
    let state = use_app();
    let t = state.training;
    let threshold = RwSignal::new(0.5f64);
    Effect::new(move |_| {
        t.last.with(|l| l.as_ref().map(|l| l.run.id));
        threshold.set(0.5);
    });
    let report = Memo::new(move |_| t.last.with(|l| l.as_ref().map(|l| l.evaluation.report_at(threshold.get()))));
    let chart = move |f: fn(&crate::ui::state::RunOutcome) -> Option<crate::core::chart::ChartData>| {
        Signal::derive(move || -> ChartResult { t.last.with(|l| l.as_ref().and_then(f)).map(|d| Ok((crate::core::chart::ChartKind::Line, d))) })
    };
    let roc = chart(|l| Some(roc_chart(&l.evaluation)));
    let pr = chart(|l| Some(pr_chart(&l.evaluation)));
    let calibration = chart(|l| Some(calibration_chart(&l.evaluation)));
    let cv = chart(|l| l.cv.as_ref().map(cv_chart));
    let coefficients = Signal::derive(move || -> ChartResult {
        t.last.with(|l| l.as_ref().map(|l| Ok((crate::core::chart::ChartKind::Hbar, importance_chart(&l.evaluation.coefficients, 15, "coefficient")))))
    });
    let by_column = Signal::derive(move || -> ChartResult {
        t.last.with(|l| l.as_ref().map(|l| Ok((crate::core::chart::ChartKind::Hbar, importance_chart(&l.evaluation.by_column, 19, "sum of |coefficients|")))))
    });
    let summary = move || {
        t.last.with(|l| {
            l.as_ref().map(|l| {
                let r = &l.run;
                let mode = match r.config.mode {
                    Mode::Plain => format!("C = {}", r.c),
                    Mode::Cv => format!("C = {:.4} chosen by {}-fold cross-validation over {} values", r.c, r.config.folds, r.config.cs.len()),
                };
                let dropped = if l.dropped > 0 { format!("; {} with missing values left out", crate::core::common::numfmt::plural(l.dropped, "row")) } else { String::new() };
                format!("{} of {}{dropped}. {mode}. {:.0} ms.", crate::core::common::numfmt::plural(r.rows, "row"), r.dataset, r.duration_ms)
            })
        })
    };
    let metric = move |name: &'static str, label: &'static str, get: fn(&crate::ui::state::RunOutcome) -> f64| {
        let value = move || t.last.with(|l| l.as_ref().map(get).unwrap_or(f64::NAN));
        view! {
            <div class="metric" data-testid="metric" data-name=name data-value=move || value().to_string()>
                <span class="metric-label">{label}</span>
                <span class="metric-value">{move || fmt(value())}</span>
            </div>
        }
    };
    let model_name = RwSignal::new(crate::core::model::pipeline::DEFAULT_MODEL_NAME.to_owned());
    let description = RwSignal::new(crate::core::model::pipeline::DEFAULT_DESCRIPTION.to_owned());
    let saved = RwSignal::new(None::<Result<String, String>>);

    view! {
        <section class="train-results" aria-label="Evaluation">
            <h3>"Evaluation on the test split"</h3>
            <p class="muted" data-testid="train-summary">{summary}</p>
            <div class="metrics">
                {metric("train_accuracy", "train accuracy", |l| l.evaluation.train_accuracy)}
                {metric("test_accuracy", "test accuracy", |l| l.evaluation.test_accuracy)}
                {metric("auc", "ROC AUC", |l| l.evaluation.auc)}
                {metric("log_loss", "log loss", |l| l.evaluation.log_loss)}
                {metric("f1", "F1 (positive class)", |l| l.evaluation.f1)}
            </div>
            <div class="threshold">
                <label>
                    "Threshold "
                    <input
                        type="range"
                        min="0.01"
                        max="0.99"
                        step="0.01"
                        data-testid="train-threshold"
                        prop:value=move || threshold.get().to_string()
                        on:input=move |ev| {
                            if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                                threshold.set(v);
                            }
                        }
                    />
                    <output>{move || format!("{:.2}", threshold.get())}</output>
                </label>
            </div>
            <div class="report-grid">
                {move || report.get().map(|r| report_view(&r, t.last.with_untracked(|l| l.as_ref().map(|l| l.run.config.positive.clone()).unwrap_or_default())))}
            </div>
            <div class="result-charts">
                <figure class="explore-card">
                    <figcaption>"ROC curve"</figcaption>
                    <ChartView chart=roc label=Signal::derive(|| "ROC curve".to_owned()) canvas_id="roc-canvas"/>
                </figure>
                <figure class="explore-card">
                    <figcaption>"Precision and recall"</figcaption>
                    <ChartView chart=pr label=Signal::derive(|| "Precision-recall curve".to_owned())/>
                </figure>
                <figure class="explore-card">
                    <figcaption>"Calibration"</figcaption>
                    <ChartView chart=calibration label=Signal::derive(|| "Calibration plot".to_owned())/>
                </figure>
                <Show when=move || t.last.with(|l| l.as_ref().is_some_and(|l| l.cv.is_some()))>
                    <figure class="explore-card" data-testid="cv-curve">
                        <figcaption>"Cross-validation: mean accuracy ± 1 sd per C"</figcaption>
                        <ChartView chart=cv label=Signal::derive(|| "Cross-validation curve".to_owned())/>
                    </figure>
                </Show>
            </div>
            <div class="result-charts two">
                <figure class="explore-card">
                    <figcaption>"Coefficients (standardised features; positive pushes towards the positive class)"</figcaption>
                    <ChartView chart=coefficients label=Signal::derive(|| "Coefficients".to_owned()) size="chart-large"/>
                </figure>
                <figure class="explore-card">
                    <figcaption>"Importance per original column"</figcaption>
                    <ChartView chart=by_column label=Signal::derive(|| "Importance per column".to_owned()) size="chart-large"/>
                </figure>
            </div>
            <div class="save-model">
                <h3>"Save the model"</h3>
                <p class="muted">"Saves the whole pipeline (categories, scaling, coefficients, training statistics) under a name, for deployment and explanations."</p>
                <div class="save-form">
                    <input type="text" data-testid="model-name-input" aria-label="Model name" prop:value=model_name on:input=move |ev| model_name.set(event_target_value(&ev))/>
                    <input type="text" class="grow" data-testid="model-description-input" aria-label="Description" prop:value=description on:input=move |ev| description.set(event_target_value(&ev))/>
                    <button class="button primary" data-testid="save-model" on:click=move |_| saved.set(Some(save_model(state, &model_name.get_untracked(), &description.get_untracked())))>
                        "Save model"
                    </button>
                </div>
                {move || saved.get().map(|r| match r {
                    Ok(name) => view! { <p class="saved-note" data-testid="save-model-done">{format!("Saved as \"{name}\".")}</p> }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{e}</p> }.into_any(),
                })}
            </div>
        </section>
    }
}

/// The confusion matrix and classification report at the slider's threshold.
fn report_view(r: &Report, positive: String) -> impl IntoView {
    let [[tn, fp], [fn_, tp]] = r.confusion;
    let rows = [("negative", r.classes[0]), ("positive", r.classes[1]), ("macro avg", r.macro_avg), ("weighted avg", r.weighted_avg)];
    let confusion = view! {
        <table class="confusion" data-testid="confusion-matrix">
            <caption>{format!("Confusion matrix (positive: {positive})")}</caption>
            <thead>
                <tr><td></td><th scope="col">"predicted negative"</th><th scope="col">"predicted positive"</th></tr>
            </thead>
            <tbody>
                <tr><th scope="row">"actual negative"</th><td data-cell="tn">{count(tn)}</td><td data-cell="fp">{count(fp)}</td></tr>
                <tr><th scope="row">"actual positive"</th><td data-cell="fn">{count(fn_)}</td><td data-cell="tp">{count(tp)}</td></tr>
            </tbody>
        </table>
    }
    .into_any();
    let report = view! {
        <table class="report" data-testid="classification-report">
            <caption>"Classification report"</caption>
            <thead>
                <tr><th scope="col">"class"</th><th scope="col">"precision"</th><th scope="col">"recall"</th><th scope="col">"F1"</th><th scope="col">"support"</th></tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|(name, s)| view! {
                        <tr data-row=name>
                            <th scope="row">{name}</th>
                            <td>{format!("{:.3}", s.precision)}</td>
                            <td>{format!("{:.3}", s.recall)}</td>
                            <td>{format!("{:.3}", s.f1)}</td>
                            <td>{count(s.support)}</td>
                        </tr>
                    })
                    .collect_view()}
                <tr data-row="accuracy"><th scope="row">"accuracy"</th><td></td><td></td><td>{format!("{:.3}", r.accuracy)}</td><td>{count(r.macro_avg.support)}</td></tr>
            </tbody>
        </table>
    }
    .into_any();
    view! {
        <ScrollRegion label="Confusion matrix">{confusion}</ScrollRegion>
        <ScrollRegion label="Classification report">{report}</ScrollRegion>
    }
}

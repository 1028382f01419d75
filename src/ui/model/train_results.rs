//! The last run's evaluation on its test split: the summary, the five
//! metrics, the threshold with the confusion matrix and classification
//! report at it, the ROC, precision-recall, calibration and CV charts, the
//! coefficients, and saving the model.

use leptos::prelude::*;

use crate::core::model::charts::{
    calibration_chart, cv_chart, importance_chart, pr_chart, roc_chart,
};
use crate::core::model::config::Mode;
use crate::ui::model::classification_report::ClassificationReport;
use crate::ui::model::save_model::SaveModel;
use crate::ui::state::use_app;
use crate::ui::widgets::chart_view::{ChartResult, ChartView};

fn fmt(v: f64) -> String {
    format!("{v:.4}")
}

/// The last run's evaluation.
#[component]
pub fn TrainResults() -> impl IntoView {
    let state = use_app();
    let t = state.training;
    let threshold = RwSignal::new(0.5f64);
    Effect::new(move |_| {
        t.last.with(|l| l.as_ref().map(|l| l.run.id));
        threshold.set(0.5);
    });
    let report = Memo::new(move |_| {
        t.last
            .with(|l| l.as_ref().map(|l| l.evaluation.report_at(threshold.get())))
    });
    let chart =
        move |f: fn(&crate::ui::state::RunOutcome) -> Option<crate::core::chart::ChartData>| {
            Signal::derive(move || -> ChartResult {
                t.last
                    .with(|l| l.as_ref().and_then(f))
                    .map(|d| Ok((crate::core::chart::ChartKind::Line, d)))
            })
        };
    let roc = chart(|l| Some(roc_chart(&l.evaluation)));
    let pr = chart(|l| Some(pr_chart(&l.evaluation)));
    let calibration = chart(|l| Some(calibration_chart(&l.evaluation)));
    let cv = chart(|l| l.cv.as_ref().map(cv_chart));
    let coefficients = Signal::derive(move || -> ChartResult {
        t.last.with(|l| {
            l.as_ref().map(|l| {
                Ok((
                    crate::core::chart::ChartKind::Hbar,
                    importance_chart(&l.evaluation.coefficients, 15, "coefficient"),
                ))
            })
        })
    });
    let by_column = Signal::derive(move || -> ChartResult {
        t.last.with(|l| {
            l.as_ref().map(|l| {
                Ok((
                    crate::core::chart::ChartKind::Hbar,
                    importance_chart(&l.evaluation.by_column, 19, "sum of |coefficients|"),
                ))
            })
        })
    });
    let summary = move || {
        t.last.with(|l| {
            l.as_ref().map(|l| {
                let r = &l.run;
                let mode = match r.config.mode {
                    Mode::Plain => format!("C = {}", r.c),
                    Mode::Cv => format!(
                        "C = {:.4} chosen by {}-fold cross-validation over {} values",
                        r.c,
                        r.config.folds,
                        r.config.cs.len()
                    ),
                };
                let dropped = if l.dropped > 0 {
                    format!(
                        "; {} with missing values left out",
                        crate::core::common::numfmt::plural(l.dropped, "row")
                    )
                } else {
                    String::new()
                };
                format!(
                    "{} of {}{dropped}. {mode}. {:.0} ms.",
                    crate::core::common::numfmt::plural(r.rows, "row"),
                    r.dataset,
                    r.duration_ms
                )
            })
        })
    };
    let metric = move |name: &'static str,
                       label: &'static str,
                       get: fn(&crate::ui::state::RunOutcome) -> f64| {
        let value = move || t.last.with(|l| l.as_ref().map(get).unwrap_or(f64::NAN));
        view! {
            <div
                class="metric"
                data-testid="metric"
                data-name=name
                data-value=move || value().to_string()
            >
                <span class="metric-label">{label}</span>
                <span class="metric-value">{move || fmt(value())}</span>
            </div>
        }
    };

    view! {
        <section class="train-results" aria-label="Evaluation">
            <h3>"Evaluation on the test split"</h3>
            <p
                class="muted"
                data-testid="train-summary"
                data-run=move || t.last.with(|l| l.as_ref().map(|l| l.run.id.to_string()))
            >
                {summary}
            </p>
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
                    /> <output>{move || format!("{:.2}", threshold.get())}</output>
                </label>
            </div>
            <div class="report-grid">
                {move || {
                    report
                        .get()
                        .map(|r| {
                            view! {
                                <ClassificationReport
                                    report=r
                                    positive=t
                                        .last
                                        .with_untracked(|l| {
                                            l.as_ref()
                                                .map(|l| l.run.config.positive.clone())
                                                .unwrap_or_default()
                                        })
                                />
                            }
                        })
                }}
            </div>
            <div class="result-charts">
                <figure class="explore-card">
                    <figcaption>"ROC curve"</figcaption>
                    <ChartView
                        chart=roc
                        label=Signal::derive(|| "ROC curve".to_owned())
                        canvas_id="roc-canvas"
                    />
                </figure>
                <figure class="explore-card">
                    <figcaption>"Precision and recall"</figcaption>
                    <ChartView
                        chart=pr
                        label=Signal::derive(|| "Precision-recall curve".to_owned())
                    />
                </figure>
                <figure class="explore-card">
                    <figcaption>"Calibration"</figcaption>
                    <ChartView
                        chart=calibration
                        label=Signal::derive(|| "Calibration plot".to_owned())
                    />
                </figure>
                <Show when=move || t.last.with(|l| l.as_ref().is_some_and(|l| l.cv.is_some()))>
                    <figure class="explore-card" data-testid="cv-curve">
                        <figcaption>"Cross-validation: mean accuracy ± 1 sd per C"</figcaption>
                        <ChartView
                            chart=cv
                            label=Signal::derive(|| "Cross-validation curve".to_owned())
                        />
                    </figure>
                </Show>
            </div>
            <div class="result-charts two">
                <figure class="explore-card">
                    <figcaption>
                        "Coefficients (standardised features; positive pushes towards the positive class)"
                    </figcaption>
                    <ChartView
                        chart=coefficients
                        label=Signal::derive(|| "Coefficients".to_owned())
                        size="chart-large"
                    />
                </figure>
                <figure class="explore-card">
                    <figcaption>"Importance per original column"</figcaption>
                    <ChartView
                        chart=by_column
                        label=Signal::derive(|| "Importance per column".to_owned())
                        size="chart-large"
                    />
                </figure>
            </div>
            <SaveModel />
        </section>
    }
}

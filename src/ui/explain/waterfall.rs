//! From the average customer to this one: the model's intercept, then each
//! feature's exact contribution in order of size, as a waterfall of
//! log-odds steps ending at the customer's probability.

use leptos::prelude::*;

use crate::core::model::pipeline::SavedModel;

#[component]
pub fn Waterfall(
    model: StoredValue<SavedModel>,
    probability: Signal<f64>,
    exact: Signal<Vec<f64>>,
) -> impl IntoView {
    move || {
        let (p, exact) = (probability.get(), exact.get());
        model.with_value(|m| {
            let base = m.model.intercept;
            let mut steps: Vec<(String, f64)> = m
                .stats
                .iter()
                .map(|s| s.column().to_owned())
                .zip(exact.iter().copied())
                .collect();
            steps.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
            let mut level = base;
            let mut rows = vec![(
                format!(
                    "average customer ({:.1}%)",
                    crate::core::model::logistic::sigmoid(base) * 100.0
                ),
                base,
                base,
            )];
            for (name, c) in steps {
                rows.push((name, level, level + c));
                level += c;
            }
            let (lo, hi) = rows
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), r| {
                    (a.min(r.1.min(r.2)), b.max(r.1.max(r.2)))
                });
            let span = (hi - lo).max(1e-9);
            let at = |v: f64| (v - lo) / span * 100.0;
            view! {
                <ol class="waterfall" aria-label="From the average customer to this one">
                    {rows
                        .into_iter()
                        .map(|(name, from, to)| {
                            let (l, r) = (at(from.min(to)), at(from.max(to)));
                            let class = if to > from {
                                "step towards"
                            } else if to < from {
                                "step away"
                            } else {
                                "step base"
                            };
                            view! {
                                <li>
                                    <span class="wf-name">{name}</span>
                                    <span class="wf-track">
                                        <span
                                            class=class
                                            style:margin-left=format!("{l:.2}%")
                                            style:width=format!("{:.2}%", (r - l).max(0.4))
                                        ></span>
                                    </span>
                                    <span class="wf-value">{format!("{:+.3}", to - from)}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                    <li class="wf-total">
                        <span class="wf-name">"this customer"</span>
                        <span class="wf-track"></span>
                        <span class="wf-value">{format!("{:.1}%", p * 100.0)}</span>
                    </li>
                </ol>
            }
        })
    }
}

//! The single-customer view's controls: per feature its value, a bar of
//! its contribution, and a way to change it (a button per category; a
//! number field and a slider for a number).

use leptos::prelude::*;

use crate::core::common::number_rule::NumberRule;
use crate::core::explain::customer::FeatureValue;
use crate::core::model::pipeline::{ColumnStats, SavedModel};
use crate::ui::widgets::number_field::{Invalid, NumberField};

#[component]
pub fn FeatureControls(
    model: StoredValue<SavedModel>,
    values: RwSignal<Vec<FeatureValue>>,
    weights: Signal<Vec<f64>>,
) -> impl IntoView {
    let set_value = move |i: usize, v: FeatureValue| values.update(|vals| vals[i] = v);
    let controls = move || {
        let weights = weights.get();
        let max = weights.iter().fold(0.0f64, |m, w| m.max(w.abs())).max(1e-9);
        let current = values.get();
        model.with_value(|m| {
            m.stats
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let w = weights[i];
                    let feature = s.column().to_owned();
                    let control = match s {
                        ColumnStats::Categorical { categories, .. } => categories
                            .iter()
                            .map(|c| {
                                let value = c.clone();
                                let pressed = current[i] == FeatureValue::Category(c.clone());
                                view! {
                                    <button
                                        class="category-option"
                                        data-testid="category-option"
                                        data-value=c.clone()
                                        aria-pressed=pressed.to_string()
                                        on:click=move |_| set_value(
                                            i,
                                            FeatureValue::Category(value.clone()),
                                        )
                                    >
                                        {c.clone()}
                                    </button>
                                }
                            })
                            .collect_view()
                            .into_any(),
                        ColumnStats::Numeric { mean, min, max, .. } => {
                            let now = match &current[i] {
                                FeatureValue::Number(n) => *n,
                                _ => *mean,
                            };
                            let step = if (max - min) > 200.0 { "1" } else { "0.05" };
                            let on_input = move |ev: leptos::ev::Event| {
                                if let Ok(n) = event_target_value(&ev).trim().parse::<f64>() {
                                    if n.is_finite() {
                                        set_value(i, FeatureValue::Number(n));
                                    }
                                }
                            };
                            view! {
                                <NumberField
                                    label=format!("{feature} value")
                                    testid="numeric-input"
                                    rule=NumberRule::ANY
                                    short=true
                                    quiet_label=true
                                    value=Signal::stored(now)
                                    on_value=Callback::new(move |n: f64| set_value(
                                        i,
                                        FeatureValue::Number(n),
                                    ))
                                    invalid=Invalid::new()
                                />
                                <input
                                    type="range"
                                    min=min.to_string()
                                    max=max.to_string()
                                    step=step
                                    prop:value=now.to_string()
                                    on:input=on_input
                                    aria-label=format!("{feature} slider")
                                />
                                <span class="muted">
                                    {format!(
                                        "mean {:.2} · min {:.2} · max {:.2}",
                                        mean,
                                        min,
                                        max,
                                    )}
                                </span>
                            }
                            .into_any()
                        }
                    };
                    let pct = (w.abs() / max * 50.0).min(50.0);
                    view! {
                        <div
                            class="feature-control"
                            data-testid="feature-control"
                            data-feature=feature.clone()
                            data-contribution=w.to_string()
                        >
                            <span class="feature-name">{feature.clone()}</span>
                            <span class="feature-value">{current[i].display()}</span>
                            <span class="contribution-bar" title=format!("{w:+.4}")>
                                <span
                                    class={if w >= 0.0 { "bar towards" } else { "bar away" }}
                                    style:width=format!("{pct:.1}%")
                                ></span>
                            </span>
                            <span class="feature-options">{control}</span>
                        </div>
                    }
                })
                .collect_view()
        })
    };
    view! { <div class="feature-controls">{controls}</div> }
}

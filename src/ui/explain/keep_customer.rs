//! "What would keep this customer?": a threshold, the features a retention
//! offer cannot change (locked), and the fewest changes to the others that
//! bring the customer below it, each to try at once.

use leptos::prelude::*;

use crate::core::common::number_rule::NumberRule;
use crate::core::explain::counterfactual::{counterfactuals, Counterfactual, DEFAULT_LOCKED};
use crate::core::explain::customer::FeatureValue;
use crate::core::model::pipeline::SavedModel;
use crate::ui::widgets::number_field::{Invalid, NumberField};

#[component]
pub fn KeepCustomer(
    model: StoredValue<SavedModel>,
    values: RwSignal<Vec<FeatureValue>>,
) -> impl IntoView {
    let threshold = RwSignal::new(0.5f64);
    let locked = RwSignal::new(
        DEFAULT_LOCKED
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>(),
    );
    let options = Memo::new(move |_| {
        values.with(|v| {
            model.with_value(|m| locked.with(|l| counterfactuals(m, v, l, threshold.get(), 3)))
        })
    });
    let apply = move |cf: Counterfactual| {
        values.update(|v| {
            for (i, value) in cf.changes {
                v[i] = value;
            }
        })
    };
    let feature_names: Vec<String> =
        model.with_value(|m| m.stats.iter().map(|s| s.column().to_owned()).collect());
    view! {
        <NumberField
            label="Below"
            testid="counterfactual-threshold"
            rule=NumberRule::between(0.01, 0.99)
            short=true
            value=threshold
            on_value=Callback::new(move |t: f64| threshold.set(t))
            invalid=Invalid::new()
        />
        <details class="locks">
            <summary>{move || format!("Locked features ({})", locked.with(Vec::len))}</summary>
            {feature_names
                .iter()
                .map(|n| {
                    let (a, b) = (n.clone(), n.clone());
                    view! {
                        <label class="check">
                            <input
                                type="checkbox"
                                data-testid="lock-feature"
                                data-feature=n.clone()
                                prop:checked=move || locked.with(|l| l.contains(&a))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    let name = b.clone();
                                    locked
                                        .update(|l| {
                                            l.retain(|x| *x != name);
                                            if on {
                                                l.push(name);
                                            }
                                        });
                                }
                            />
                            {n.clone()}
                        </label>
                    }
                })
                .collect_view()}
        </details>
        {move || {
            let found = options.get();
            if found.is_empty() {
                return view! {
                    <p class="muted" data-testid="no-counterfactual">
                        "No change to the unlocked features brings this customer below the threshold."
                    </p>
                }
                    .into_any();
            }
            found
                .into_iter()
                .map(|cf| {
                    let text = model
                        .with_value(|m| {
                            cf.changes
                                .iter()
                                .map(|(i, v)| {
                                    format!("{} → {}", m.stats[*i].column(), v.display())
                                })
                                .collect::<Vec<_>>()
                                .join(", ")
                        });
                    let p = cf.probability;
                    view! {
                        <div
                            class="counterfactual"
                            data-testid="counterfactual-option"
                            data-probability=p.to_string()
                        >
                            <span>{text}</span>
                            <strong>{format!("{:.1}%", p * 100.0)}</strong>
                            <button class="button small" on:click=move |_| apply(cf.clone())>
                                "Try it"
                            </button>
                        </div>
                    }
                })
                .collect_view()
                .into_any()
        }}
    }
}

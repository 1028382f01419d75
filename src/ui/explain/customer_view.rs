//! One customer: the churn probability, a control per feature with its
//! contribution, a waterfall from the average customer, and what would keep
//! them; every change re-scores at once. Explained with the exact
//! contributions or with LIME (and how far LIME agrees).

use leptos::prelude::*;

use crate::core::explain::customer::{contributions, encode, probability};
use crate::core::explain::endpoint::{lime_weights, Method};
use crate::core::explain::lime::{stability, Lime};
use crate::core::explain::scoring::values_of_row;
use crate::core::model::pipeline::SavedModel;
use crate::ui::explain::customer_marks::risk_class;
use crate::ui::explain::feature_controls::FeatureControls;
use crate::ui::explain::keep_customer::KeepCustomer;
use crate::ui::explain::waterfall::Waterfall;
use crate::ui::state::use_app;
use crate::ui::widgets::embed_button::EmbedButton;

/// One customer: probability, a control per feature, contributions, a
/// waterfall and counterfactuals. Changes re-score at once.
#[component]
pub fn CustomerView(
    model: SavedModel,
    row: usize,
    table: crate::core::data::table::Table,
    on_close: Callback<()>,
) -> impl IntoView {
    let actual = values_of_row(&model, &table, row);
    let id = table
        .columns()
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case("customerID"))
        .and_then(|c| c.data.display(row))
        .unwrap_or_else(|| format!("row {}", row + 1));
    let embed_id = id.clone();
    let embedded = use_app().share.embed.with_value(Option::is_some);
    let model = StoredValue::new(model);
    let lime = StoredValue::new(model.with_value(Lime::new));
    let values = RwSignal::new(actual.clone());
    let actual = StoredValue::new(actual);
    let method = RwSignal::new(Method::Exact);
    let scored = Memo::new(move |_| {
        values.with(|v| {
            model.with_value(|m| {
                let x = encode(m, v);
                let p = probability(m, &x);
                let exact = contributions(m, &x);
                let weights = match method.get() {
                    Method::Exact => exact.clone(),
                    Method::Lime => lime.with_value(|l| lime_weights(l, v)),
                };
                (p, exact, weights)
            })
        })
    });
    // How far LIME can be trusted here: its ranking against the exact one, over 10 seeds.
    let agreement = Memo::new(move |_| {
        (method.get() == Method::Lime).then(|| {
            let (_, exact, _) = scored.get();
            values.with(|v| lime.with_value(|l| stability(l, v, &exact, 10)))
        })
    });

    view! {
        <section class="customer-view" data-testid="customer-view" aria-label="One customer">
            <header class="customer-head">
                <h3>{format!("Customer {id}")}</h3>
                <div
                    class=move || format!("big-probability {}", risk_class(scored.get().0))
                    data-testid="customer-probability"
                    data-value=move || scored.get().0.to_string()
                >
                    {move || format!("{:.1}%", scored.get().0 * 100.0)}
                    <span class="muted">" churn probability"</span>
                </div>
                <label>
                    "Explain with "
                    <select
                        data-testid="explain-method"
                        on:change=move |ev| {
                            method
                                .set(
                                    Method::from_id(&event_target_value(&ev))
                                        .unwrap_or(Method::Exact),
                                )
                        }
                    >
                        <option value="exact" selected=true>
                            "exact contributions"
                        </option>
                        <option value="lime">"LIME"</option>
                    </select>
                </label>
                {move || {
                    agreement
                        .get()
                        .map(|a| {
                            view! {
                                <span
                                    class="muted"
                                    data-testid="lime-stability"
                                    data-value=a.to_string()
                                    title="Spearman rank correlation between |LIME weights| (10 seeds) and |exact contributions|"
                                >
                                    {format!(
                                        "LIME rank agreement with the exact contributions: {a:.2}",
                                    )}
                                </span>
                            }
                        })
                }}
                <button
                    class="button"
                    data-testid="reset-customer"
                    on:click=move |_| values.set(actual.get_value())
                >
                    "Reset to actual"
                </button>
                <EmbedButton
                    query=format!(
                        "embed=customer&customer={}",
                        js_sys::encode_uri_component(&embed_id),
                    )
                    what="this customer"
                />
                <button
                    class="button"
                    data-testid="close-customer"
                    class:hidden=embedded
                    on:click=move |_| on_close.run(())
                >
                    "Close"
                </button>
            </header>
            <div class="customer-grid">
                <FeatureControls model values weights=Signal::derive(move || scored.get().2) />
                <div class="customer-side">
                    <h4>"From the average customer to this one"</h4>
                    <Waterfall
                        model
                        probability=Signal::derive(move || scored.get().0)
                        exact=Signal::derive(move || scored.get().1)
                    />
                    <h4>"What would keep this customer?"</h4>
                    <KeepCustomer model values />
                </div>
            </div>
        </section>
    }
}

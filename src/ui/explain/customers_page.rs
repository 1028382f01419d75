//! The workshop's application: every customer of the active dataset scored
//! by the deployed model, each feature cell coloured by its contribution
//! (red towards churn, blue away); a click opens the single-customer view
//! with what-if controls, a waterfall and "what would keep this customer?".

use leptos::prelude::*;

use crate::ui::explain::customer_view::CustomerView;
use crate::ui::explain::customers_table::CustomersTable;
use crate::ui::explain::endpoint::deployed;
use crate::ui::state::use_app;
use crate::ui::widgets::embed_button::EmbedButton;
use crate::ui::widgets::embed_notice::EmbedNotice;

#[component]
pub fn CustomersPage() -> impl IntoView {
    let state = use_app();
    let model = Memo::new(move |_| {
        state.training.deployed.track();
        state.training.models.track();
        deployed(state)
    });
    view! {
        <div class="customers-page">
            <header class="page-head">
                <div class="runs-bar">
                    <h2>"Customers at risk"</h2>
                    <EmbedButton query="embed=customers" what="the customers table" />
                </div>
                <p class="muted">
                    "Every customer of the active dataset, scored by the deployed model. Each cell is coloured by how much that feature pushes this customer's churn risk: red towards churn, blue away. Click a customer to explore what would change their risk."
                </p>
            </header>
            {move || match model.get() {
                None => {
                    view! {
                        <p class="muted" data-testid="no-model">
                            "Deploy a model first (Deploy page), then come back."
                        </p>
                    }
                        .into_any()
                }
                Some(m) => view! { <CustomersTable model=m /> }.into_any(),
            }}
        </div>
    }
}

/// One customer's what-if view alone (by customer ID), for an embedding page.
#[component]
pub fn EmbeddedCustomer(id: String) -> impl IntoView {
    let state = use_app();
    let model = Memo::new(move |_| {
        state.training.deployed.track();
        state.training.models.track();
        deployed(state)
    });
    let wanted = id.clone();
    let row = Memo::new(move |_| {
        state.dataset.with(|d| {
            let column = d
                .table
                .columns()
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case("customerID"))?;
            (0..d.table.num_rows())
                .find(|&r| column.data.display(r).as_deref() == Some(wanted.as_str()))
        })
    });
    move || match (model.get(), row.get()) {
        (Some(m), Some(r)) => {
            let table = state.dataset.with_untracked(|d| d.table.clone());
            view! { <CustomerView model=m row=r table on_close=Callback::new(|_| ()) /> }.into_any()
        }
        (None, _) => {
            view! { <EmbedNotice missing="No model is deployed here.".to_owned() /> }.into_any()
        }
        (Some(_), None) => {
            view! { <EmbedNotice missing=format!("There is no customer {id} in this dataset.") /> }
                .into_any()
        }
    }
}

//! The one view an embedding page asked for (`?embed=`).

use leptos::prelude::*;

use crate::core::share::embed::View;
use crate::ui::chart::visuals_page::EmbeddedDashboard;
use crate::ui::explain::customers_page::CustomersPage;
use crate::ui::explain::customers_page::EmbeddedCustomer;
use crate::ui::explain::deploy_page::EmbeddedEndpoint;

#[component]
pub fn EmbeddedPage(view: View) -> impl IntoView {
    let kind = view.id();
    let content = match view {
        View::Dashboard { id } => view! { <EmbeddedDashboard id visual=None /> }.into_any(),
        View::Chart { dashboard, visual } => {
            view! { <EmbeddedDashboard id=dashboard visual=Some(visual) /> }.into_any()
        }
        View::Customers => view! { <CustomersPage /> }.into_any(),
        View::Customer { id } => view! { <EmbeddedCustomer id /> }.into_any(),
        View::Endpoint => view! { <EmbeddedEndpoint /> }.into_any(),
    };
    view! {
        <div class="embedded-view" data-testid="embedded-view" data-view=kind>
            {content}
        </div>
    }
}

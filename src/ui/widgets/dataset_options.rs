//! The options of a "which dataset" select: `churn` (the active dataset)
//! first, then the loaded data and the saved datasets by name, as the
//! Train form, the Operations form and the chart builder offer them.

use leptos::prelude::*;

use crate::ui::data::datasets::dataset_names;
use crate::ui::state::AppState;

/// The datasets as `<option>`s (tracked), the one `is_selected` takes chosen.
pub fn dataset_options(state: AppState, is_selected: impl Fn(&str) -> bool) -> impl IntoView {
    dataset_names(state)
        .into_iter()
        .map(|n| {
            let label = if n == "churn" {
                "churn (the active dataset)".to_owned()
            } else {
                n.clone()
            };
            view! {
                <option value=n.clone() selected=is_selected(&n)>
                    {label}
                </option>
            }
        })
        .collect_view()
}

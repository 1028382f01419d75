//! The data check on the Train page: for the chosen target, what in the
//! table could mislead the model (identifiers, too many categories, a
//! feature that gives the target away, constant or empty columns, rows
//! left out, uneven classes, a target that is not yes/no), each with what
//! to do about it.

use leptos::prelude::*;

use crate::core::data::table::Table;
use crate::core::model::config::TrainConfig;
use crate::core::model::datacheck::{data_check_with, Exclusion};

#[component]
pub fn DataCheck(
    table: Memo<Option<Table>>,
    config: RwSignal<TrainConfig>,
    defaults: Memo<Vec<(String, Option<Exclusion>)>>,
) -> impl IntoView {
    let items = Memo::new(move |_| {
        table.with(|t| {
            t.as_ref()
                .map(|t| config.with(|c| defaults.with(|d| data_check_with(t, c, d))))
                .unwrap_or_default()
        })
    });
    view! {
        <section class="data-check" data-testid="data-check" aria-labelledby="data-check-title">
            <h3 id="data-check-title">"Data check"</h3>
            <ul class="plain">
                {move || {
                    items
                        .get()
                        .into_iter()
                        .map(|i| {
                            let warn = !matches!(i.kind, "balance");
                            view! {
                                <li
                                    class="data-check-item"
                                    class:warn=warn
                                    data-testid="data-check-item"
                                    data-kind=i.kind
                                    data-column=i.column.clone().unwrap_or_default()
                                >
                                    <strong>{i.message}</strong>
                                    " "
                                    <span class="muted">{i.advice}</span>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}

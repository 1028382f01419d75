//! The saved simulations: what each ran, against which model, with Open
//! and Delete.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::common::numfmt::count;
use crate::core::ops::scenario::ScenarioKind;
use crate::ui::ops::simulations::{delete, open};
use crate::ui::state::use_app;

fn when(ms: f64) -> String {
    let d = js_sys::Date::new(&ms.into());
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

#[component]
pub fn OpsSimulationList() -> impl IntoView {
    let state = use_app();
    let ops = state.ops;
    view! {
        <section class="runs" aria-label="Saved simulations">
            <h3>"Simulations"</h3>
            <Show
                when=move || ops.simulations.with(|s| !s.is_empty())
                fallback=|| {
                    view! {
                        <p class="muted">
                            "No simulation yet: run one above. Each is kept with its settings, so it can be opened again."
                        </p>
                    }
                }
            >
                <ul class="sim-list">
                    {move || {
                        ops.simulations
                            .get()
                            .into_iter()
                            .map(|m| {
                                let id = m.id;
                                let is_open = move || {
                                    ops.open.with(|o| o.as_ref().is_some_and(|o| o.meta.id == id))
                                };
                                let s = &m.settings;
                                let scenario = if s.scenario.kind == ScenarioKind::None {
                                    "no drift".to_owned()
                                } else {
                                    format!(
                                        "{} from block {}",
                                        s.scenario.kind.label().to_lowercase(),
                                        s.scenario.start_block,
                                    )
                                };
                                view! {
                                    <li
                                        class="sim-item"
                                        class:selected=is_open
                                        data-testid="sim-item"
                                        data-id=id.to_string()
                                    >
                                        <span>
                                            <strong>
                                                {crate::core::common::numfmt::plural(s.calls, "call")}
                                            </strong>
                                            {format!(
                                                " in blocks of {} · {} · seed {} · {} v{} · {}",
                                                count(s.block_size),
                                                scenario,
                                                s.seed,
                                                m.model_name,
                                                m.model_version,
                                                when(m.created_ms),
                                            )}
                                        </span>
                                        <button
                                            class="button"
                                            data-testid="sim-open"
                                            disabled=is_open
                                            on:click=move |_| spawn_local(open(state, id))
                                        >
                                            "Open"
                                        </button>
                                        <button
                                            class="button danger"
                                            data-testid="sim-delete"
                                            on:click=move |_| delete(state, id)
                                        >
                                            "Delete"
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </Show>
        </section>
    }
}

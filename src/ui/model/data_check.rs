//! The data check on the Train page: for the chosen target, what in the
//! table could mislead the model (identifiers, too many categories, a
//! feature that gives the target away, constant or empty columns, rows
//! left out, uneven classes, a target that is not yes/no), each with what
//! to do about it.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::common::numfmt::count;
use crate::core::model::config::TrainConfig;
use crate::ui::browser::held::in_background;
use crate::ui::model::checking::{self, Looked};

/// The data check for the form's `config` on the table `looked` at; while
/// a large table is sent to its worker (`sending`: columns sent of all),
/// a progress bar says so.
#[component]
pub fn DataCheck(
    looked: RwSignal<Option<Looked>>,
    config: RwSignal<TrainConfig>,
    sending: RwSignal<Option<(usize, usize)>>,
) -> impl IntoView {
    let items = RwSignal::new(Vec::new());
    let failed = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let asked = StoredValue::new(0u64);
    Effect::new(move |_| {
        let cfg = config.get();
        let Some(Looked { table, facts }) = looked.get() else {
            return;
        };
        // The form's target is set with its facts; until then, nothing to check.
        if (cfg.target.as_str(), cfg.positive.as_str())
            != (facts.target.as_str(), facts.positive.as_str())
        {
            return;
        }
        let n = asked.get_value() + 1;
        asked.set_value(n);
        pending.set(in_background(&table));
        spawn_local(async move {
            let answer = checking::data_check(&table, cfg, facts.defaults).await;
            if asked.try_get_value() == Some(n) {
                pending.set(false);
                match answer {
                    Ok(found) => {
                        items.set(found);
                        failed.set(None);
                    }
                    Err(e) => failed.set(Some(format!("The data check could not run: {e}"))),
                }
            }
        });
    });
    let rows = move || looked.with(|l| l.as_ref().map_or(0, |l| l.table.num_rows()));
    view! {
        <section class="data-check" data-testid="data-check" aria-labelledby="data-check-title">
            <h3 id="data-check-title">"Data check"</h3>
            {move || {
                sending
                    .get()
                    .or_else(|| pending.get().then_some((0, 0)))
                    .map(|(done, total)| {
                        let text = if done < total {
                            format!(
                                "Sending the table to a background worker: column {} of {}.",
                                done + 1,
                                total,
                            )
                        } else {
                            format!("Checking {} rows in a background worker.", count(rows()))
                        };
                        view! {
                            <p class="muted" data-testid="data-check-progress" role="status">
                                <progress max=total value=(done < total).then_some(done)></progress>
                                " "
                                {text}
                            </p>
                        }
                    })
            }}
            {move || {
                failed
                    .get()
                    .map(|e| {
                        view! {
                            <p class="form-error" role="alert">
                                {e}
                            </p>
                        }
                    })
            }}
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

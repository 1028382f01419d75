//! The features a training uses: every column but the target, ticked or
//! not, each left out by default with its reason beside it.

use leptos::prelude::*;

use crate::core::model::config::TrainConfig;
use crate::core::model::datacheck::Exclusion;

#[component]
pub fn FeatureChoice(
    config: RwSignal<TrainConfig>,
    columns: Memo<Vec<String>>,
    defaults: Memo<Vec<(String, Option<Exclusion>)>>,
) -> impl IntoView {
    let set = move |f: Box<dyn FnOnce(&mut TrainConfig)>| config.update(|c| f(c));
    view! {
        <details class="features" open>
            <summary>
                {move || {
                    format!(
                        "Features ({} of {})",
                        config.with(|c| c.features.len()),
                        columns.with(|c| c.len().saturating_sub(1)),
                    )
                }}
            </summary>
            <div class="feature-list">
                {move || {
                    let target = config.with(|c| c.target.clone());
                    columns
                        .get()
                        .into_iter()
                        .filter(|n| *n != target)
                        .map(|n| {
                            let (checked, toggle) = (n.clone(), n.clone());
                            let reason = defaults
                                .with(|d| {
                                    d.iter()
                                        .find(|(c, _)| *c == n)
                                        .and_then(|(_, e)| e.as_ref().map(Exclusion::reason))
                                });
                            let (title, shown) = (reason.clone(), reason.clone());
                            view! {
                                <label class="check" title=title>
                                    <input
                                        type="checkbox"
                                        data-testid="train-feature"
                                        data-column=n.clone()
                                        data-excluded-reason=reason.clone()
                                        prop:checked=move || {
                                            config.with(|c| c.features.contains(&checked))
                                        }
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            let name = toggle.clone();
                                            let order = columns.get_untracked();
                                            set(
                                                Box::new(move |c| {
                                                    c.features.retain(|f| *f != name);
                                                    if on {
                                                        c.features.push(name);
                                                        c.features
                                                            .sort_by_key(|f| order.iter().position(|o| o == f));
                                                    }
                                                }),
                                            );
                                        }
                                    />
                                    {n}
                                    {shown
                                        .map(|r| {
                                            view! {
                                                <span class="muted excluded-reason">
                                                    {format!(" ({r})")}
                                                </span>
                                            }
                                        })}
                                </label>
                            }
                        })
                        .collect_view()
                }}
            </div>
        </details>
    }
}

//! Retrain, shadow and promote: a challenger fitted on the reference plus
//! the labelled traffic of the first blocks (the same pipeline and settings
//! as the serving model), compared with it block by block on the same
//! prediction ids, with the exact McNemar test on the blocks it did not
//! train on; Promote deploys it.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::common::number_rule::NumberRule;
use crate::core::common::numfmt::{count, decimal};
use crate::ui::ops::simulations::{promote, retrain};
use crate::ui::state::use_app;
use crate::ui::widgets::number_field::{Invalid, NumberField};
use crate::ui::widgets::scroll_region::ScrollRegion;

fn opt(v: Option<f64>) -> String {
    v.map(|v| decimal(v, 3)).unwrap_or_else(|| "—".into())
}

#[component]
pub fn OpsRetrain() -> impl IntoView {
    let state = use_app();
    let ops = state.ops;
    let blocks = Memo::new(move |_| {
        ops.open
            .with(|o| o.as_ref().map_or(0, |o| o.meta.settings.blocks()))
    });
    let up_to = RwSignal::new(1.0);
    Effect::new(move |_| up_to.set((blocks.get() / 2).max(1) as f64));
    let invalid = Invalid::new();
    let shadow = Memo::new(move |_| {
        ops.open
            .with(|o| o.as_ref().and_then(|o| o.meta.shadow.clone()))
    });
    let challenger_live = Memo::new(move |_| {
        shadow.with(|s| s.as_ref().map(|s| s.challenger_build_id.clone()))
            == state.training.deployed.get()
    });
    let start = move |_| spawn_local(retrain(state, up_to.get_untracked() as usize));

    view! {
        <section class="ops-retrain" aria-label="Retrain and promote">
            <h3>"Retrain, shadow and promote"</h3>
            <p class="muted">
                "Retraining fits a new version of the serving model (same pipeline and settings) on its training data plus the traffic of the first blocks with their delivered labels, saves it in the registry as the next version, and scores the same prediction ids with it. The later blocks, which it did not see, decide: accuracy of each model per block, and McNemar's exact test on the calls where exactly one of them was right. Labels corrupted by the scenario teach the challenger the corruption."
            </p>
            <div class="form-row">
                <NumberField
                    label="Train on the traffic of blocks 1 to"
                    testid="retrain-up-to"
                    rule=NumberRule::whole_from(1.0)
                    short=true
                    value=up_to
                    on_value=Callback::new(move |v| up_to.set(v))
                    invalid
                />
                <span>{move || format!(" (of {})", blocks.get())}</span>
                <button
                    class="button primary"
                    data-testid="retrain"
                    disabled=move || ops.progress.with(Option::is_some) || !invalid.is_clear()
                    on:click=start
                >
                    "Retrain"
                </button>
            </div>
            {move || {
                invalid
                    .reason()
                    .map(|r| {
                        view! {
                            <p class="form-error" data-testid="retrain-blocked" role="status">
                                {format!("Retrain is off until this is mended: {r}")}
                            </p>
                        }
                    })
            }}
            {move || {
                shadow
                    .get()
                    .map(|s| {
                        let verdict = s
                            .mcnemar
                            .map(|m| {
                                let better = if m.challenger_only > m.champion_only {
                                    "the challenger"
                                } else if m.challenger_only < m.champion_only {
                                    "the serving model"
                                } else {
                                    "neither"
                                };
                                format!(
                                    "On the {} calls of blocks {} to {}: only the serving model was right on {}, only the challenger on {}; McNemar's exact test gives p = {:.4} ({}).",
                                    count(m.calls),
                                    s.trained_up_to_block + 1,
                                    s.blocks.len(),
                                    count(m.champion_only),
                                    count(m.challenger_only),
                                    m.p_value,
                                    if m.p_value < 0.05 {
                                        format!("{better} is better, beyond chance")
                                    } else {
                                        "no difference beyond chance".into()
                                    },
                                )
                            });
                        view! {
                            <p data-testid="challenger-summary">
                                {format!("Challenger: build {}. ", s.challenger_build_id)}{verdict}
                            </p>
                            <ScrollRegion label="Challenger against the serving model">
                                <table class="runs-table">
                                    <thead>
                                        <tr>
                                            <th scope="col">"Block"</th>
                                            <th scope="col">"Serving model"</th>
                                            <th scope="col">"Challenger"</th>
                                            <th scope="col">"Challenger trained on it"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {s
                                            .blocks
                                            .iter()
                                            .map(|b| {
                                                view! {
                                                    <tr
                                                        data-testid="challenger-row"
                                                        data-block=b.block.to_string()
                                                        data-champion=b
                                                            .champion
                                                            .map(|v| v.to_string())
                                                            .unwrap_or_default()
                                                        data-challenger=b
                                                            .challenger
                                                            .map(|v| v.to_string())
                                                            .unwrap_or_default()
                                                    >
                                                        <th scope="row">{b.block}</th>
                                                        <td>{opt(b.champion)}</td>
                                                        <td>{opt(b.challenger)}</td>
                                                        <td>{if b.in_training { "yes" } else { "no" }}</td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </ScrollRegion>
                            <div class="runs-bar">
                                <button
                                    class="button primary"
                                    data-testid="promote"
                                    disabled=move || challenger_live.get()
                                    on:click=move |_| promote(state)
                                >
                                    {move || {
                                        if challenger_live.get() {
                                            "Promoted: the challenger is deployed"
                                        } else {
                                            "Promote: deploy the challenger"
                                        }
                                    }}
                                </button>
                            </div>
                        }
                    })
            }}
        </section>
    }
}

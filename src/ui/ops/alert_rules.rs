//! The alert rules of the open simulation, edited in place: each rule's
//! metric (and feature), threshold and blocks in a row, how often it would
//! fire on traffic that did not drift, and the threshold calibrated to 1%
//! of such blocks; applied to re-raise the alerts.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::common::number_rule::NumberRule;
use crate::core::common::numfmt::decimal;
use crate::core::ops::alerts::{Metric, Rule, TARGET_FALSE_ALARMS};
use crate::ui::ops::simulations::apply_rules;
use crate::ui::state::use_app;
use crate::ui::widgets::number_field::{Invalid, NumberField};
use crate::ui::widgets::scroll_region::ScrollRegion;

/// A share as a percentage, small ones as "< 0.1%".
fn percent(v: f64) -> String {
    if v > 0.0 && v < 0.001 {
        "< 0.1%".into()
    } else {
        format!("{}%", decimal(v * 100.0, 1))
    }
}

#[component]
pub fn AlertRules() -> impl IntoView {
    let state = use_app();
    let ops = state.ops;
    let rules = RwSignal::new(Vec::<Rule>::new());
    let invalid = Invalid::new();
    // The editor starts from the open simulation's rules.
    Effect::new(move |_| {
        let r = ops
            .open
            .with(|o| o.as_ref().map(|o| o.meta.rules.clone()).unwrap_or_default());
        rules.set(r);
    });
    let features = Memo::new(move |_| {
        ops.open.with(|o| {
            o.as_ref()
                .map(|o| o.report.observed.features.clone())
                .unwrap_or_default()
        })
    });
    let checks = Memo::new(move |_| {
        ops.open.with(|o| {
            o.as_ref()
                .map(|o| o.report.rules.clone())
                .unwrap_or_default()
        })
    });
    let changed = Memo::new(move |_| {
        rules.with(|r| {
            ops.open
                .with(|o| o.as_ref().is_some_and(|o| o.meta.rules != *r))
        })
    });
    // An edit that changes nothing notifies nothing.
    let edit = move |i: usize, f: Box<dyn FnOnce(&mut Rule)>| {
        let Some(mut rule) = rules.with_untracked(|r| r.get(i).cloned()) else {
            return;
        };
        f(&mut rule);
        if rules.with_untracked(|r| r.get(i) != Some(&rule)) {
            rules.update(|r| r[i] = rule);
        }
    };
    let shape = Memo::new(move |_| {
        rules.with(|r| {
            r.iter()
                .map(|r| (r.metric, r.feature.clone()))
                .collect::<Vec<_>>()
        })
    });

    view! {
        <h3>"Alert rules"</h3>
        <p class="muted">
            {format!(
                "Each rule fires when its metric crosses the threshold for that many blocks in a row. \"False alarms\" is how often it would fire on a block of traffic that did not drift at all (blocks of this size drawn from the reference); \"calibrated\" is the threshold that would fire on {} of such blocks.",
                percent(TARGET_FALSE_ALARMS),
            )}
        </p>
        <ScrollRegion label="Alert rules">
            <table class="runs-table">
                <thead>
                    <tr>
                        <th scope="col">"Metric"</th>
                        <th scope="col">"Feature"</th>
                        <th scope="col">"Fires when"</th>
                        <th scope="col">"Blocks in a row"</th>
                        <th scope="col">"False alarms"</th>
                        <th scope="col">"Calibrated"</th>
                        <th scope="col">
                            <span class="visually-hidden">"Actions"</span>
                        </th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        shape
                            .get()
                            .into_iter()
                            .enumerate()
                            .map(|(i, (metric, current_feature))| {
                                let check = move || {
                                    rules
                                        .with(|r| {
                                            r.get(i)
                                                .and_then(|rule| {
                                                    checks
                                                        .with(|c| c.get(i).filter(|c| c.rule == *rule).cloned())
                                                })
                                        })
                                };
                                let per_feature = metric.per_feature();
                                // Rows are built again only when a rule is added,
                                // removed or changes metric or feature; thresholds
                                // are edited in place, so the focus stays.
                                // The apply's figures, while the rule is as it was applied.
                                view! {
                                    <tr data-testid="rule-row">
                                        <td>
                                            <select
                                                data-testid="rule-metric"
                                                aria-label="Metric"
                                                on:change=move |ev| {
                                                    if let Some(m) = Metric::from_id(&event_target_value(&ev)) {
                                                        edit(
                                                            i,
                                                            Box::new(move |r| {
                                                                r.metric = m;
                                                                if !m.per_feature() {
                                                                    r.feature = None;
                                                                }
                                                            }),
                                                        );
                                                    }
                                                }
                                            >
                                                {Metric::ALL
                                                    .into_iter()
                                                    .map(|m| {
                                                        view! {
                                                            <option value=m.id() selected=m == metric>
                                                                {m.label()}
                                                            </option>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </select>
                                        </td>
                                        <td>
                                            <Show
                                                when=move || per_feature
                                                fallback=|| view! { <span class="muted">"—"</span> }
                                            >
                                                <select
                                                    data-testid="rule-feature"
                                                    aria-label="Feature"
                                                    on:change=move |ev| {
                                                        let v = event_target_value(&ev);
                                                        edit(
                                                            i,
                                                            Box::new(move |r| r.feature = (!v.is_empty()).then_some(v)),
                                                        );
                                                    }
                                                >
                                                    <option value="" selected=current_feature.is_none()>
                                                        "any feature"
                                                    </option>
                                                    {
                                                        let current = current_feature.clone();
                                                        features
                                                            .get()
                                                            .into_iter()
                                                            .map(move |f| {
                                                                view! {
                                                                    <option
                                                                        value=f.clone()
                                                                        selected=current.as_deref() == Some(f.as_str())
                                                                    >
                                                                        {f.clone()}
                                                                    </option>
                                                                }
                                                            })
                                                            .collect_view()
                                                    }
                                                </select>
                                            </Show>
                                        </td>
                                        <td>
                                            {if metric.fires_above() { "above " } else { "below " }}
                                            <NumberField
                                                label="Threshold"
                                                testid="rule-threshold"
                                                rule=NumberRule::ANY
                                                short=true
                                                quiet_label=true
                                                value=Signal::derive(move || {
                                                    rules.with(|r| r.get(i).map_or(0.0, |r| r.threshold))
                                                })
                                                on_value=Callback::new(move |v| edit(
                                                    i,
                                                    Box::new(move |r| r.threshold = v),
                                                ))
                                                invalid
                                            />
                                        </td>
                                        <td>
                                            <NumberField
                                                label="Blocks in a row"
                                                testid="rule-consecutive"
                                                rule=NumberRule::whole_between(1.0, 20.0)
                                                short=true
                                                quiet_label=true
                                                value=Signal::derive(move || {
                                                    rules
                                                        .with(|r| r.get(i).map_or(1.0, |r| r.consecutive as f64))
                                                })
                                                on_value=Callback::new(move |v| edit(
                                                    i,
                                                    Box::new(move |r| r.consecutive = v as usize),
                                                ))
                                                invalid
                                            />
                                        </td>
                                        <td data-testid="rule-false-alarms">
                                            {move || {
                                                check()
                                                    .map(|c| percent(c.false_alarm_rate))
                                                    .unwrap_or_else(|| "apply to see".into())
                                            }}
                                        </td>
                                        <td>
                                            {move || {
                                                check()
                                                    .map(|c| {
                                                        let t = c.calibrated_threshold;
                                                        view! {
                                                            <button
                                                                class="button"
                                                                data-testid="rule-use-calibrated"
                                                                on:click=move |_| edit(
                                                                    i,
                                                                    Box::new(move |r| {
                                                                        r.threshold = (t * 10_000.0).round() / 10_000.0;
                                                                    }),
                                                                )
                                                            >
                                                                {format!("use {}", decimal(t, 4))}
                                                            </button>
                                                        }
                                                    })
                                            }}
                                        </td>
                                        <td>
                                            <button
                                                class="button danger"
                                                data-testid="rule-remove"
                                                on:click=move |_| {
                                                    rules
                                                        .update(|r| {
                                                            r.remove(i);
                                                        })
                                                }
                                            >
                                                "Remove"
                                            </button>
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
        </ScrollRegion>
        <div class="runs-bar">
            <button
                class="button"
                data-testid="rule-add"
                on:click=move |_| {
                    rules
                        .update(|r| {
                            r.push(Rule {
                                metric: Metric::FeaturePsi,
                                threshold: 0.1,
                                consecutive: 2,
                                feature: None,
                            })
                        })
                }
            >
                "Add a rule"
            </button>
            <button
                class="button primary"
                data-testid="rules-apply"
                disabled=move || {
                    !changed.get() || ops.progress.with(Option::is_some) || !invalid.is_clear()
                }
                on:click=move |_| spawn_local(apply_rules(state, rules.get_untracked()))
            >
                "Apply the rules"
            </button>
        </div>
        {move || {
            invalid
                .reason()
                .map(|r| {
                    view! {
                        <p class="form-error" data-testid="rules-blocked" role="status">
                            {format!("The rules cannot be applied until this is mended: {r}")}
                        </p>
                    }
                })
        }}
    }
}

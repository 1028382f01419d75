//! Alert rules with how often each would fire on undrifted traffic at this
//! block size (and a threshold calibrated to 1% of blocks), the alerts they
//! raised, and the scenario's answer key.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::common::numfmt::decimal;
use crate::core::ops::alerts::{Metric, Rule, TARGET_FALSE_ALARMS};
use crate::ui::ops::simulations::apply_rules;
use crate::ui::state::use_app;
use crate::core::common::number_rule::NumberRule;
use crate::ui::widgets::number_field::{Invalid, NumberField};
use crate::ui::widgets::scroll_region::ScrollRegion;

/// Most alerts listed; the rest are counted.
const SHOWN_ALERTS: usize = 200;

fn percent(v: f64) -> String {
    if v > 0.0 && v < 0.001 {
        "< 0.1%".into()
    } else {
        format!("{}%", decimal(v * 100.0, 1))
    }
}

#[component]
pub fn OpsAlerts(as_of: Memo<usize>) -> impl IntoView {
    let state = use_app();
    let ops = state.ops;
    let rules = RwSignal::new(Vec::<Rule>::new());
    let invalid = Invalid::new();
    // The editor starts from the open simulation's rules.
    Effect::new(move |_| {
        let r = ops.open.with(|o| o.as_ref().map(|o| o.meta.rules.clone()).unwrap_or_default());
        rules.set(r);
    });
    let features = Memo::new(move |_| ops.open.with(|o| o.as_ref().map(|o| o.report.observed.features.clone()).unwrap_or_default()));
    let checks = Memo::new(move |_| ops.open.with(|o| o.as_ref().map(|o| o.report.rules.clone()).unwrap_or_default()));
    let changed = Memo::new(move |_| rules.with(|r| ops.open.with(|o| o.as_ref().is_some_and(|o| o.meta.rules != *r))));
    let block_size = Memo::new(move |_| ops.open.with(|o| o.as_ref().map_or(1, |o| o.meta.settings.block_size)));
    // An edit that changes nothing notifies nothing.
    let edit = move |i: usize, f: Box<dyn FnOnce(&mut Rule)>| {
        let Some(mut rule) = rules.with_untracked(|r| r.get(i).cloned()) else { return };
        f(&mut rule);
        if rules.with_untracked(|r| r.get(i) != Some(&rule)) {
            rules.update(|r| r[i] = rule);
        }
    };
    let shape = Memo::new(move |_| rules.with(|r| r.iter().map(|r| (r.metric, r.feature.clone())).collect::<Vec<_>>()));

    view! {
        <section class="ops-alerts" aria-label="Alerts">
            <h3>"Alert rules"</h3>
            <p class="muted">
                {format!(
                    "Each rule fires when its metric crosses the threshold for that many blocks in a row. \"False alarms\" is how often it would fire on a block of traffic that did not drift at all (blocks of this size drawn from the reference); \"calibrated\" is the threshold that would fire on {} of such blocks.",
                    percent(TARGET_FALSE_ALARMS)
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
                            <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            // Rows are built again only when a rule is added,
                            // removed or changes metric or feature; thresholds
                            // are edited in place, so the focus stays.
                            shape
                                .get()
                                .into_iter()
                                .enumerate()
                                .map(|(i, (metric, current_feature))| {
                                    // The apply's figures, while the rule is as it was applied.
                                    let check = move || rules.with(|r| r.get(i).and_then(|rule| checks.with(|c| c.get(i).filter(|c| c.rule == *rule).cloned())));
                                    let per_feature = metric.per_feature();
                                    view! {
                                        <tr data-testid="rule-row">
                                            <td>
                                                <select
                                                    data-testid="rule-metric"
                                                    aria-label="Metric"
                                                    on:change=move |ev| {
                                                        if let Some(m) = Metric::from_id(&event_target_value(&ev)) {
                                                            edit(i, Box::new(move |r| {
                                                                r.metric = m;
                                                                if !m.per_feature() {
                                                                    r.feature = None;
                                                                }
                                                            }));
                                                        }
                                                    }
                                                >
                                                    {Metric::ALL.into_iter().map(|m| view! { <option value=m.id() selected=m == metric>{m.label()}</option> }).collect_view()}
                                                </select>
                                            </td>
                                            <td>
                                                <Show when=move || per_feature fallback=|| view! { <span class="muted">"—"</span> }>
                                                    <select
                                                        data-testid="rule-feature"
                                                        aria-label="Feature"
                                                        on:change=move |ev| {
                                                            let v = event_target_value(&ev);
                                                            edit(i, Box::new(move |r| r.feature = (!v.is_empty()).then_some(v)));
                                                        }
                                                    >
                                                        <option value="" selected=current_feature.is_none()>"any feature"</option>
                                                        {
                                                            let current = current_feature.clone();
                                                            features.get().into_iter().map(move |f| view! { <option value=f.clone() selected=current.as_deref() == Some(f.as_str())>{f.clone()}</option> }).collect_view()
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
                                                    value=Signal::derive(move || rules.with(|r| r.get(i).map_or(0.0, |r| r.threshold)))
                                                    on_value=Callback::new(move |v| edit(i, Box::new(move |r| r.threshold = v)))
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
                                                    value=Signal::derive(move || rules.with(|r| r.get(i).map_or(1.0, |r| r.consecutive as f64)))
                                                    on_value=Callback::new(move |v| edit(i, Box::new(move |r| r.consecutive = v as usize)))
                                                    invalid
                                                />
                                            </td>
                                            <td data-testid="rule-false-alarms">{move || check().map(|c| percent(c.false_alarm_rate)).unwrap_or_else(|| "apply to see".into())}</td>
                                            <td>
                                                {move || check().map(|c| {
                                                    let t = c.calibrated_threshold;
                                                    view! {
                                                        <button class="button" data-testid="rule-use-calibrated" on:click=move |_| edit(i, Box::new(move |r| r.threshold = (t * 10_000.0).round() / 10_000.0))>
                                                            {format!("use {}", decimal(t, 4))}
                                                        </button>
                                                    }
                                                })}
                                            </td>
                                            <td>
                                                <button class="button danger" data-testid="rule-remove" on:click=move |_| rules.update(|r| { r.remove(i); })>"Remove"</button>
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
                <button class="button" data-testid="rule-add" on:click=move |_| rules.update(|r| r.push(Rule { metric: Metric::FeaturePsi, threshold: 0.1, consecutive: 2, feature: None }))>"Add a rule"</button>
                <button class="button primary" data-testid="rules-apply" disabled=move || !changed.get() || ops.progress.with(Option::is_some) || !invalid.is_clear() on:click=move |_| spawn_local(apply_rules(state, rules.get_untracked()))>
                    "Apply the rules"
                </button>
            </div>
            {move || invalid.reason().map(|r| view! { <p class="form-error" data-testid="rules-blocked" role="status">{format!("The rules cannot be applied until this is mended: {r}")}</p> })}
            <h3>"Alerts"</h3>
            {move || {
                let bs = block_size.get();
                ops.open.with(|o| {
                    let Some(o) = o.as_ref() else { return view! { <p></p> }.into_any() };
                    let alerts = o.report.alerts_as_of(as_of.get(), bs);
                    if alerts.is_empty() {
                        return view! { <p class="muted" data-testid="no-alerts">"No alert fired."</p> }.into_any();
                    }
                    let more = alerts.len().saturating_sub(SHOWN_ALERTS);
                    let items = alerts
                        .into_iter()
                        .take(SHOWN_ALERTS)
                        .map(|a| {
                            let rule = o.report.rules.get(a.rule).map(|c| &c.rule);
                            let what = match &a.feature {
                                Some(f) => format!("{} of {f}", a.metric.label()),
                                None => a.metric.label().to_owned(),
                            };
                            let cmp = rule.map(|r| format!("{} {}", if r.metric.fires_above() { ">" } else { "<" }, decimal(r.threshold, 4))).unwrap_or_default();
                            let when = if a.raised_at > a.block { format!(" (raised in block {}, when its labels were in)", a.raised_at) } else { String::new() };
                            view! {
                                <li data-testid="alert-item" data-metric=a.metric.id() data-feature=a.feature.clone().unwrap_or_default() data-block=a.block.to_string()>
                                    {format!("⚠ Block {}: {what} = {} {cmp}{when}", a.block, decimal(a.value, 4))}
                                </li>
                            }
                        })
                        .collect_view();
                    view! {
                        <ul class="alert-list" tabindex="0" aria-label="Alerts raised">{items}</ul>
                        {(more > 0).then(|| view! { <p class="muted">{format!("and {more} more")}</p> })}
                    }
                    .into_any()
                })
            }}
            <h3>"Answer key"</h3>
            {move || ops.open.with(|o| o.as_ref().map(|o| {
                let a = &o.report.answer;
                let scenario = o.meta.settings.scenario.kind;
                let table = view! {
                        <table class="runs-table">
                            <thead><tr><th scope="col">"Signal"</th><th scope="col">"Should it see this?"</th><th scope="col">"Fired once it began"</th><th scope="col">"Blocks after it began"</th><th scope="col">"Alerts before it began"</th></tr></thead>
                            <tbody>
                                {a.signals.iter().map(|s| {
                                    let delay = s.first_block.map(|b| b.saturating_sub(a.start_block));
                                    view! {
                                        <tr data-testid="answer-signal" data-signal=s.name.clone() data-caught=s.first_block.is_some().to_string() data-expected=format!("{:?}", s.expected).to_lowercase() data-delay=delay.map(|d| d.to_string()).unwrap_or_default()>
                                            <th scope="row">{s.name.clone()}</th>
                                            <td>{s.expected.label()}</td>
                                            <td>{if s.first_block.is_some() { "✔ yes" } else { "✘ no" }}</td>
                                            <td>{delay.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}</td>
                                            <td>{s.false_alarms}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                }
                .into_any();
                view! {
                    <div class="answer-key" data-testid="answer-key" data-scenario=scenario.id()>
                        <p>{format!("{}{}", scenario.label(), if scenario == crate::core::ops::scenario::ScenarioKind::None { String::new() } else { format!(", from block {}", a.start_block) })}</p>
                        <ScrollRegion label="Answer key">{table}</ScrollRegion>
                        <p class="muted">{a.notes.clone()}</p>
                    </div>
                }
            }))}
        </section>
    }
}

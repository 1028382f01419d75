//! The alerts the open simulation's rules raised, as known at the call the
//! page looks from (a realised metric's alert only once its labels are in),
//! the first 200 listed.

use leptos::prelude::*;

use crate::core::common::numfmt::decimal;
use crate::ui::state::use_app;

/// Most alerts listed; the rest are counted.
const SHOWN_ALERTS: usize = 200;

#[component]
pub fn AlertsRaised(as_of: Memo<usize>) -> impl IntoView {
    let state = use_app();
    let ops = state.ops;
    let block_size = Memo::new(move |_| {
        ops.open
            .with(|o| o.as_ref().map_or(1, |o| o.meta.settings.block_size))
    });
    view! {
        <h3>"Alerts"</h3>
        {move || {
            let bs = block_size.get();
            ops.open
                .with(|o| {
                    let Some(o) = o.as_ref() else { return view! { <p></p> }.into_any() };
                    let alerts = o.report.alerts_as_of(as_of.get(), bs);
                    if alerts.is_empty() {
                        return view! {
                            <p class="muted" data-testid="no-alerts">
                                "No alert fired."
                            </p>
                        }
                            .into_any();
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
                            let cmp = rule
                                .map(|r| {
                                    format!(
                                        "{} {}",
                                        if r.metric.fires_above() { ">" } else { "<" },
                                        decimal(r.threshold, 4),
                                    )
                                })
                                .unwrap_or_default();
                            let when = if a.raised_at > a.block {
                                format!(
                                    " (raised in block {}, when its labels were in)",
                                    a.raised_at,
                                )
                            } else {
                                String::new()
                            };
                            view! {
                                <li
                                    data-testid="alert-item"
                                    data-metric=a.metric.id()
                                    data-feature=a.feature.clone().unwrap_or_default()
                                    data-block=a.block.to_string()
                                >
                                    {format!(
                                        "⚠ Block {}: {what} = {} {cmp}{when}",
                                        a.block,
                                        decimal(a.value, 4),
                                    )}
                                </li>
                            }
                        })
                        .collect_view();
                    view! {
                        <ul class="alert-list" tabindex="0" aria-label="Alerts raised">
                            {items}
                        </ul>
                        {(more > 0)
                            .then(|| view! { <p class="muted">{format!("and {more} more")}</p> })}
                    }
                        .into_any()
                })
        }}
    }
}

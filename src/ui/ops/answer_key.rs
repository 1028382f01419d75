//! The scenario's answer key: for each signal, whether it should see the
//! scenario, whether it fired once it began, how many blocks later, and
//! its false alarms before.

use leptos::prelude::*;

use crate::ui::state::use_app;
use crate::ui::widgets::scroll_region::ScrollRegion;

#[component]
pub fn AnswerKey() -> impl IntoView {
    let state = use_app();
    let ops = state.ops;
    view! {
        <h3>"Answer key"</h3>
        {move || {
            ops.open
                .with(|o| {
                    o.as_ref()
                        .map(|o| {
                            let a = &o.report.answer;
                            let scenario = o.meta.settings.scenario.kind;
                            let table = view! {
                                <table class="runs-table">
                                    <thead>
                                        <tr>
                                            <th scope="col">"Signal"</th>
                                            <th scope="col">"Should it see this?"</th>
                                            <th scope="col">"Fired once it began"</th>
                                            <th scope="col">"Blocks after it began"</th>
                                            <th scope="col">"Alerts before it began"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {a
                                            .signals
                                            .iter()
                                            .map(|s| {
                                                let delay = s
                                                    .first_block
                                                    .map(|b| b.saturating_sub(a.start_block));
                                                view! {
                                                    <tr
                                                        data-testid="answer-signal"
                                                        data-signal=s.name.clone()
                                                        data-caught=s.first_block.is_some().to_string()
                                                        data-expected=format!("{:?}", s.expected).to_lowercase()
                                                        data-delay=delay.map(|d| d.to_string()).unwrap_or_default()
                                                    >
                                                        <th scope="row">{s.name.clone()}</th>
                                                        <td>{s.expected.label()}</td>
                                                        <td>
                                                            {if s.first_block.is_some() { "✔ yes" } else { "✘ no" }}
                                                        </td>
                                                        <td>
                                                            {delay
                                                                .map(|d| d.to_string())
                                                                .unwrap_or_else(|| "—".into())}
                                                        </td>
                                                        <td>{s.false_alarms}</td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            }
                                .into_any();
                            view! {
                                <div
                                    class="answer-key"
                                    data-testid="answer-key"
                                    data-scenario=scenario.id()
                                >
                                    <p>
                                        {format!(
                                            "{}{}",
                                            scenario.label(),
                                            if scenario
                                                == crate::core::ops::scenario::ScenarioKind::None
                                            {
                                                String::new()
                                            } else {
                                                format!(", from block {}", a.start_block)
                                            },
                                        )}
                                    </p>
                                    <ScrollRegion label="Answer key">{table}</ScrollRegion>
                                    <p class="muted">{a.notes.clone()}</p>
                                </div>
                            }
                        })
                })
        }}
    }
}

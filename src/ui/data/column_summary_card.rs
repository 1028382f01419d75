//! One column's summary, with a control to override its type.

use leptos::prelude::*;

use crate::core::common::numfmt::{count, decimal};
use crate::core::data::fields::FieldEdit;
use crate::core::data::summary::ColumnSummary;
use crate::core::data::table::ColumnType;
use crate::ui::data::datasets::{edit_active_field, report_retype};
use crate::ui::state::{use_app, AppState, NoticeKind};

/// Changes a column's type, reporting values that did not convert.
fn retype(state: AppState, name: &str, to: ColumnType) {
    match edit_active_field(state, name, FieldEdit::Retype(to)) {
        Ok(outcome) => report_retype(state, name, to.label(), &outcome),
        Err(e) => state.notify(
            NoticeKind::Error,
            format!("Could not change \"{name}\""),
            vec![e.to_string()],
        ),
    }
}

#[component]
pub fn ColumnSummaryCard(summary: ColumnSummary) -> impl IntoView {
    let state = use_app();
    let field = summary.name.clone();
    let ty = summary.column_type;
    let stats = match &summary.numeric {
        Some(n) => view! {
            <dl class="stats">
                <dt>"min"</dt>
                <dd data-testid="stat-min">{decimal(n.min, 4)}</dd>
                <dt>"max"</dt>
                <dd data-testid="stat-max">{decimal(n.max, 4)}</dd>
                <dt>"mean"</dt>
                <dd data-testid="stat-mean">{decimal(n.mean, 4)}</dd>
            </dl>
        }
        .into_any(),
        None => {
            let total: usize = summary
                .top_values
                .iter()
                .map(|(_, c)| *c)
                .max()
                .unwrap_or(1);
            view! {
                <ul class="top-values" aria-label="Most frequent values">
                    {summary
                        .top_values
                        .iter()
                        .map(|(label, n)| {
                            let pct = format!("{}%", (*n as f64 / total as f64 * 100.0).round());
                            view! {
                                <li>
                                    <span class="bar" style:width=pct></span>
                                    <span class="label">{label.clone()}</span>
                                    <span class="n">{count(*n)}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any()
        }
    };
    view! {
        <article
            class="column-summary"
            data-testid="column-summary"
            data-column=summary.name.clone()
        >
            <header>
                <h3 title=summary.name.clone()>{summary.name.clone()}</h3>
                <span class="type-badge" data-testid="column-type" data-type=ty.label()>
                    {ty.label()}
                </span>
            </header>
            <p class="muted">
                <span data-testid="null-count">{count(summary.null_count)}</span>
                " empty · "
                <span data-testid="distinct-count">{count(summary.distinct_count)}</span>
                " distinct"
            </p>
            {stats}
            <label class="retype">
                "Type "
                <select
                    data-testid="column-type-select"
                    on:change=move |ev| {
                        if let Some(to) = ColumnType::parse(&event_target_value(&ev)) {
                            if to != ty {
                                retype(state, &field, to);
                            }
                        }
                    }
                >
                    {ColumnType::ALL
                        .into_iter()
                        .map(|t| {
                            view! {
                                <option value=t.label() selected=t == ty>
                                    {t.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
        </article>
    }
}

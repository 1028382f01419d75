//! One column's summary, with a control to override its type.

use leptos::prelude::*;

use crate::core::cast::cast_column;
use crate::core::numfmt::{count, decimal};
use crate::core::summary::{summarize_column, ColumnSummary};
use crate::core::table::{Column, ColumnType, Table};
use crate::ui::loader::activate;
use crate::ui::state::{use_app, AppState, Dataset, NoticeKind};

/// Replaces column `index` of the active dataset with its cast to `to`.
fn retype(state: AppState, index: usize, to: ColumnType) {
    let current = state.dataset.get_untracked();
    let Some(column) = current.table.columns().get(index) else { return };
    let (data, report) = cast_column(&column.data, to);
    let name = column.name.clone();
    let mut columns: Vec<Column> = current.table.columns().to_vec();
    columns[index] = Column { data, role: crate::core::table::Role::default_for(to), ..columns[index].clone() };
    let Ok(table) = Table::try_new(current.table.name(), columns) else { return };
    let mut summaries = (*current.summaries).clone();
    summaries[index] = summarize_column(&table.columns()[index]);
    if report.failed > 0 {
        let examples: Vec<String> = report.examples.iter().map(|e| format!("\"{e}\"")).collect();
        state.notify(
            NoticeKind::Warning,
            format!("Column \"{name}\" is now {}", to.label()),
            vec![format!(
                "{} value{} could not be converted and became empty, for example {}.",
                count(report.failed),
                if report.failed == 1 { "" } else { "s" },
                examples.join(", ")
            )],
        );
    } else {
        state.notify(NoticeKind::Info, format!("Column \"{name}\" is now {}; every value converted.", to.label()), Vec::new());
    }
    activate(state, Dataset::new(table, summaries, current.origin.clone()), true);
}

#[component]
pub fn ColumnSummaryCard(index: usize, summary: ColumnSummary) -> impl IntoView {
    let state = use_app();
    let ty = summary.column_type;
    let stats = match &summary.numeric {
        Some(n) => view! {
            <dl class="stats">
                <dt>"min"</dt><dd data-testid="stat-min">{decimal(n.min, 4)}</dd>
                <dt>"max"</dt><dd data-testid="stat-max">{decimal(n.max, 4)}</dd>
                <dt>"mean"</dt><dd data-testid="stat-mean">{decimal(n.mean, 4)}</dd>
            </dl>
        }
        .into_any(),
        None => {
            let total: usize = summary.top_values.iter().map(|(_, c)| *c).max().unwrap_or(1);
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
        <article class="column-summary" data-testid="column-summary" data-column=summary.name.clone()>
            <header>
                <h3 title=summary.name.clone()>{summary.name.clone()}</h3>
                <span class="type-badge" data-testid="column-type" data-type=ty.label()>{ty.label()}</span>
            </header>
            <p class="muted">
                <span data-testid="null-count">{count(summary.null_count)}</span>" empty · "
                <span data-testid="distinct-count">{count(summary.distinct_count)}</span>" distinct"
            </p>
            {stats}
            <label class="retype">
                "Type "
                <select
                    data-testid="column-type-select"
                    on:change=move |ev| {
                        if let Some(to) = ColumnType::parse(&event_target_value(&ev)) {
                            if to != ty {
                                retype(state, index, to);
                            }
                        }
                    }
                >
                    {ColumnType::ALL
                        .into_iter()
                        .map(|t| view! { <option value=t.label() selected=t == ty>{t.label()}</option> })
                        .collect_view()}
                </select>
            </label>
        </article>
    }
}

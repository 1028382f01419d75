//! The visual filter builder, kept in step with the query's WHERE clause
//! both ways: editing the builder rewrites the clause; editing the clause
//! rebuilds the builder when the clause has its shape, and otherwise says
//! the clause can be edited only as SQL. It counts the rows kept, live.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::common::numfmt::count;
use crate::core::data::table::Table;
use crate::core::query::filter::{
    count_queries, from_sql, from_table, replace_where, to_sql, where_text, FilterNode,
};
use crate::ui::browser::held::Ticket;
use crate::ui::data::datasets::catalog_tables;
use crate::ui::query::sql::run;
use crate::ui::state::{use_app, AppState};
use crate::ui::widgets::filter_editor::{fields_of, Field, FilterEditor};

/// The table the query reads, for its columns.
fn source_table(state: AppState, sql: &str) -> Table {
    let name = from_table(sql).unwrap_or_else(|| "churn".into());
    catalog_tables(state)
        .into_iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(&name))
        .map(|(_, t)| t)
        .unwrap_or_else(|| state.dataset.with_untracked(|d| d.table.clone()))
}

/// What the builder can show for the current query.
#[derive(Clone, Debug, PartialEq)]
enum Shape {
    /// Not a `SELECT … FROM` the builder can edit.
    NoQuery,
    SqlOnly(String),
    Tree(FilterNode),
}

#[component]
pub fn FilterBuilder(sql: RwSignal<String>) -> impl IntoView {
    let state = use_app();
    // The text the builder wrote last: reading it back would only undo edits in progress.
    let written = StoredValue::new(String::new());
    let tree = RwSignal::new(FilterNode::empty());
    let fields = Memo::new(move |_| {
        state.dataset.track();
        state.saved.track();
        fields_of(&source_table(state, &sql.get()))
    });
    let fields = Signal::from(fields);
    let shape = Memo::new(move |_| {
        let text = sql.get();
        let Some(clause) = where_text(&text) else {
            return Shape::NoQuery;
        };
        let names: Vec<String> =
            fields.with(|f: &Vec<Field>| f.iter().map(|f| f.name.clone()).collect());
        match from_sql(&clause, &names) {
            Ok(t) => Shape::Tree(t),
            Err(e) => Shape::SqlOnly(e.0),
        }
    });
    Effect::new(move |_| {
        if let Shape::Tree(t) = shape.get() {
            if written.get_value() != sql.get_untracked() {
                tree.set(t);
            }
        }
    });

    let write = move |next: FilterNode| {
        let type_of = |name: &str| {
            fields.with_untracked(|f| {
                f.iter()
                    .find(|x| x.name.eq_ignore_ascii_case(name))
                    .map(|x| x.ty)
            })
        };
        let clause = to_sql(&next, &type_of);
        tree.set(next);
        if let Some(new_sql) = replace_where(&sql.get_untracked(), &clause) {
            written.set_value(new_sql.clone());
            sql.set(new_sql);
        }
    };

    // Rows kept and rows in all, counted by the engine (in the background
    // for large data); the newest question wins.
    let counts = RwSignal::new(None::<(Option<usize>, usize)>);
    let counting = RwSignal::new(false);
    let asked = StoredValue::new_local(Ticket::new());
    Effect::new(move |_| {
        state.dataset.track();
        let ticket = asked.try_update_value(Ticket::renew).unwrap_or_default();
        let Some((total, kept)) = count_queries(&sql.get()) else {
            counts.set(None);
            counting.set(false);
            return;
        };
        counting.set(true);
        spawn_local(async move {
            let n = async |q: &str| {
                run(state, q, &|_, _| {}, &ticket)
                    .await
                    .ok()
                    .and_then(|(t, _)| t.columns().first()?.data.number(0))
                    .map(|v| v as usize)
            };
            let kept = n(&kept).await;
            let total = n(&total).await;
            if !ticket.is_cancelled() {
                counts.set(total.map(|total| (kept, total)));
                counting.set(false);
            }
        });
    });

    view! {
        <section class="filter-builder" data-testid="filter-builder" aria-label="Filter builder">
            <header>
                <h3>"Filter"</h3>
                <span
                    class="muted"
                    data-testid="filter-count"
                    aria-busy=move || counting.get().to_string()
                >
                    {move || match counts.get() {
                        Some((Some(kept), total)) => {
                            format!("Keeps {} of {} rows", count(kept), count(total))
                        }
                        Some((None, total)) => {
                            format!(
                                "{}; the filter does not run yet",
                                crate::core::common::numfmt::plural(total, "row"),
                            )
                        }
                        None if counting.get() => "Counting rows…".to_owned(),
                        None => String::new(),
                    }}
                </span>
            </header>
            {move || match shape.get() {
                Shape::NoQuery => {
                    view! {
                        <p class="muted" data-testid="filter-unavailable">
                            "The builder edits the WHERE clause of a query of the form SELECT … FROM …."
                        </p>
                    }
                        .into_any()
                }
                Shape::SqlOnly(reason) => {
                    view! {
                        <p class="muted" data-testid="filter-sql-only">
                            {format!("This WHERE clause can be edited only as SQL: {reason}.")}
                        </p>
                    }
                        .into_any()
                }
                Shape::Tree(_) => {
                    view! { <FilterEditor tree fields on_change=Callback::new(write) /> }.into_any()
                }
            }}
        </section>
    }
}

//! The workshop's application: every customer of the active dataset scored
//! by the deployed model, each feature cell coloured by its contribution
//! (red towards churn, blue away); a click opens the single-customer view
//! with what-if controls, a waterfall and "what would keep this customer?".

use leptos::html::Div;
use leptos::prelude::*;

use crate::core::explain::counterfactual::{counterfactuals, Counterfactual, DEFAULT_LOCKED};
use crate::core::explain::customer::{contributions, encode, probability, FeatureValue};
use crate::core::explain::endpoint::{lime_weights, Method};
use crate::core::explain::scoring::{score_table, values_of_row, Scored};
use crate::core::query::filter::{matching_rows, FilterNode};
use crate::core::explain::lime::{stability, Lime};
use crate::core::common::numfmt::count;
use crate::core::model::pipeline::{ColumnStats, SavedModel};
use crate::core::common::viewport::window_for;
use crate::ui::browser::device::row_height_px;
use crate::ui::widgets::filter_editor::{FilterEditor, fields_of};
use crate::ui::explain::endpoint::deployed;
use crate::core::common::number_rule::NumberRule;
use crate::ui::widgets::embed_button::EmbedButton;
use crate::ui::widgets::embed_notice::EmbedNotice;
use crate::ui::widgets::number_field::{Invalid, NumberField};
use crate::ui::state::use_app;

/// A cell's background for a contribution, scaled by the largest one.
/// The sign that goes with the tint, so colour is never the only carrier:
/// ▲ towards churn, ▼ away, nothing for a small push.
fn push_mark(c: f64, scale: f64) -> &'static str {
    if c.abs() < 0.1 * scale.max(1e-9) {
        ""
    } else if c > 0.0 {
        "▲"
    } else {
        "▼"
    }
}

fn tint(c: f64, scale: f64) -> String {
    let a = (c.abs() / scale.max(1e-9)).clamp(0.0, 1.0) * 0.75;
    if c >= 0.0 {
        format!("rgba(214, 39, 40, {a:.3})")
    } else {
        format!("rgba(31, 119, 180, {a:.3})")
    }
}

fn risk_class(p: f64) -> &'static str {
    if p >= 0.5 {
        "risk-high"
    } else if p >= 0.25 {
        "risk-mid"
    } else {
        "risk-low"
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Sort {
    Probability,
    Column(usize),
}

#[component]
pub fn CustomersPage() -> impl IntoView {
    let state = use_app();
    let model = Memo::new(move |_| {
        state.training.deployed.track();
        state.training.models.track();
        deployed(state)
    });
    view! {
        <div class="customers-page">
            <header class="page-head">
                <div class="runs-bar">
                    <h2>"Customers at risk"</h2>
                    <EmbedButton query="embed=customers" what="the customers table"/>
                </div>
                <p class="muted">"Every customer of the active dataset, scored by the deployed model. Each cell is coloured by how much that feature pushes this customer's churn risk: red towards churn, blue away. Click a customer to explore what would change their risk."</p>
            </header>
            {move || match model.get() {
                None => view! { <p class="muted" data-testid="no-model">"Deploy a model first (Deploy page), then come back."</p> }.into_any(),
                Some(m) => view! { <CustomersTable model=m/> }.into_any(),
            }}
        </div>
    }
}

/// One customer's what-if view alone (by customer ID), for an embedding page.
#[component]
pub fn EmbeddedCustomer(id: String) -> impl IntoView {
    let state = use_app();
    let model = Memo::new(move |_| {
        state.training.deployed.track();
        state.training.models.track();
        deployed(state)
    });
    let wanted = id.clone();
    let row = Memo::new(move |_| {
        state.dataset.with(|d| {
            let column = d.table.columns().iter().find(|c| c.name.eq_ignore_ascii_case("customerID"))?;
            (0..d.table.num_rows()).find(|&r| column.data.display(r).as_deref() == Some(wanted.as_str()))
        })
    });
    move || {
        match (model.get(), row.get()) {
            (Some(m), Some(r)) => {
                let table = state.dataset.with_untracked(|d| d.table.clone());
                view! { <CustomerView model=m row=r table on_close=Callback::new(|_| ())/> }.into_any()
            }
            (None, _) => view! { <EmbedNotice missing="No model is deployed here.".to_owned()/> }.into_any(),
            (Some(_), None) => view! { <EmbedNotice missing=format!("There is no customer {id} in this dataset.")/> }.into_any(),
        }
    }
}

#[component]
fn CustomersTable(model: SavedModel) -> impl IntoView {
    let state = use_app();
    let model = StoredValue::new(model);
    let table = Memo::new_with_compare(move |_| state.dataset.with(|d| d.table.clone()), |_, _| true);
    let scored = Memo::new_with_compare(move |_| table.with(|t| model.with_value(|m| score_table(m, t))), |_, _| true);
    let id_column = Memo::new(move |_| table.with(|t| t.columns().iter().find(|c| c.name.eq_ignore_ascii_case("customerID")).map(|c| c.name.clone())));
    let id_of = move |row: usize| -> String {
        table.with_untracked(|t| id_column.get_untracked().and_then(|c| t.column(&c).and_then(|c| c.data.display(row)))).unwrap_or_else(|| format!("row {}", row + 1))
    };
    let sort = RwSignal::new((Sort::Probability, true));
    let search = RwSignal::new(String::new());
    // The filter builder of the SQL page, over the same table.
    let filter = RwSignal::new(FilterNode::empty());
    let fields = Signal::derive(move || table.with(fields_of));
    let kept = Memo::new(move |_| {
        filter.with(|f| table.with(|t| matching_rows(t, f))).map(|rows| {
            let mut keep = vec![false; table.with_untracked(|t| t.num_rows())];
            for r in rows {
                if let Some(k) = keep.get_mut(r) {
                    *k = true;
                }
            }
            keep
        })
        .map_err(|e| e.to_string())
    });
    let order = Memo::new(move |_| {
        let needle = search.get().trim().to_lowercase();
        let (key, desc) = sort.get();
        let keep = kept.get().ok();
        scored.with(|s| {
            let mut idx: Vec<usize> = (0..s.len())
                .filter(|&i| keep.as_ref().is_none_or(|k| k.get(s[i].row).copied().unwrap_or(false)))
                .filter(|&i| needle.is_empty() || id_of(s[i].row).to_lowercase().contains(&needle))
                .collect();
            // The sorted column's keys (the number, and the text as shown),
            // made once per row rather than per comparison.
            let column: Vec<(Option<f64>, String)> = match key {
                Sort::Column(c) => table.with_untracked(|t| {
                    model.with_value(|m| {
                        s.iter()
                            .map(|x| {
                                let v = values_of_row(m, t, x.row).swap_remove(c);
                                (if let FeatureValue::Number(n) = v { Some(n) } else { None }, v.display())
                            })
                            .collect()
                    })
                }),
                Sort::Probability => Vec::new(),
            };
            idx.sort_by(|&a, &b| {
                let o = match key {
                    Sort::Probability => s[a].probability.total_cmp(&s[b].probability),
                    Sort::Column(_) => match (&column[a], &column[b]) {
                        ((Some(x), _), (Some(y), _)) => x.total_cmp(y),
                        ((_, x), (_, y)) => x.cmp(y),
                    },
                };
                if desc {
                    o.reverse()
                } else {
                    o
                }
            });
            idx
        })
    });
    let scale = Memo::new(move |_| scored.with(|s| s.iter().flat_map(|x| x.contributions.iter()).fold(0.0f64, |m, c| m.max(c.abs()))));
    let names: Vec<String> = model.with_value(|m| m.stats.iter().map(|s| s.column().to_owned()).collect());
    let selected = RwSignal::new(None::<usize>);
    let scroller = NodeRef::<Div>::new();
    let scroll_top = RwSignal::new(0.0);
    let viewport = RwSignal::new(560.0);
    let row_px = row_height_px();
    let window = Memo::new(move |_| window_for(order.with(Vec::len), row_px, scroll_top.get(), viewport.get()));
    let header_cells = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let aria = move || match sort.get() {
                (Sort::Column(c), true) if c == i => "descending",
                (Sort::Column(c), false) if c == i => "ascending",
                _ => "none",
            };
            view! {
                <th scope="col" aria-sort=aria>
                    <button class="sort" on:click=move |_| sort.update(|s| *s = if s.0 == Sort::Column(i) { (Sort::Column(i), !s.1) } else { (Sort::Column(i), false) })>{n.clone()}</button>
                </th>
            }
        })
        .collect_view();
    let columns = names.len() + 2;

    view! {
        <Show when=move || selected.get().is_some()>
            {move || selected.get().map(|row| view! { <CustomerView model=model.get_value() row=row table=table.get_untracked() on_close=Callback::new(move |_| selected.set(None))/> })}
        </Show>
        <div class="runs-bar">
            <h3>{move || format!("{} customers", count(order.with(Vec::len)))}</h3>
            <input type="search" placeholder="Search by customer ID" aria-label="Search by customer ID" data-testid="customer-search" prop:value=search on:input=move |ev| search.set(event_target_value(&ev))/>
            <span class="legend"><span class="swatch away"></span>"▼ away from churn"<span class="swatch towards"></span>"▲ towards churn"</span>
        </div>
        <details class="customer-filter">
            <summary>{move || if filter.with(FilterNode::is_empty) { "Filter customers".to_owned() } else { "Filter customers (active)".to_owned() }}</summary>
            <FilterEditor tree=filter fields on_change=Callback::new(move |t: FilterNode| filter.set(t))/>
            {move || kept.get().err().map(|e| view! { <p class="form-error" role="alert" data-testid="customers-filter-error">{e}</p> })}
        </details>
        <div
            class="customers-scroll"
            node_ref=scroller
            on:scroll=move |_| {
                if let Some(el) = scroller.get_untracked() {
                    scroll_top.set(el.scroll_top() as f64);
                    viewport.set(el.client_height() as f64);
                }
            }
        >
            <table class="customers-table">
                <thead>
                    <tr>
                        <th scope="col">"customer"</th>
                        <th scope="col" aria-sort=move || if sort.get().0 == Sort::Probability { if sort.get().1 { "descending" } else { "ascending" } } else { "none" }>
                            <button class="sort" data-testid="sort-probability" on:click=move |_| sort.update(|s| *s = (Sort::Probability, !(s.0 == Sort::Probability && s.1)))>"churn probability"</button>
                        </th>
                        {header_cells}
                    </tr>
                </thead>
                <tbody>
                    <tr class="spacer" aria-hidden="true"><td colspan=columns style:height=move || format!("{}px", window.get().top_px)></td></tr>
                    {move || {
                        let w = window.get();
                        let sc = scale.get();
                        let order = order.get();
                        scored.with(|s| {
                            order[w.first..w.end]
                                .iter()
                                .map(|&i| {
                                    let Scored { row, probability, contributions } = s[i].clone();
                                    let values = table.with_untracked(|t| model.with_value(|m| values_of_row(m, t, row)));
                                    let id = id_of(row);
                                    let shown_id = id.clone();
                                    view! {
                                        <tr
                                            data-testid="customer-row"
                                            data-customer-id=id
                                            data-probability=probability.to_string()
                                            tabindex="0"
                                            on:click=move |_| selected.set(Some(row))
                                            on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Enter" { selected.set(Some(row)) }
                                        >
                                            <th scope="row">{shown_id}</th>
                                            <td class=format!("prob {}", risk_class(probability))>{format!("{:.1}%", probability * 100.0)}</td>
                                            {values
                                                .iter()
                                                .zip(&contributions)
                                                .enumerate()
                                                .map(|(c, (v, w))| {
                                                    let feature = model.with_value(|m| m.stats[c].column().to_owned());
                                                    view! {
                                                        <td data-testid="customer-cell" data-feature=feature data-contribution=w.to_string() data-mark=push_mark(*w, sc) style:background-color=tint(*w, sc)>
                                                            {v.display()}
                                                            {(!push_mark(*w, sc).is_empty()).then(|| view! { <span class="push-mark" title={if *w > 0.0 { "towards churn" } else { "away from churn" }}>{format!(" {}", push_mark(*w, sc))}</span> })}
                                                        </td>
                                                    }
                                                })
                                                .collect_view()}
                                        </tr>
                                    }
                                })
                                .collect_view()
                        })
                    }}
                    <tr class="spacer" aria-hidden="true"><td colspan=columns style:height=move || format!("{}px", window.get().bottom_px)></td></tr>
                </tbody>
            </table>
        </div>
        <p class="muted">{format!("Rows are {row_px:.0} px high; scroll to reach every customer.")}</p>
    }
}

/// One customer: probability, a control per feature, contributions, a
/// waterfall and counterfactuals. Changes re-score at once.
#[component]
fn CustomerView(model: SavedModel, row: usize, table: crate::core::data::table::Table, on_close: Callback<()>) -> impl IntoView {
    let actual = values_of_row(&model, &table, row);
    let id = table
        .columns()
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case("customerID"))
        .and_then(|c| c.data.display(row))
        .unwrap_or_else(|| format!("row {}", row + 1));
    let embed_id = id.clone();
    let embedded = use_app().share.embed.with_value(Option::is_some);
    let model = StoredValue::new(model);
    let lime = StoredValue::new(model.with_value(Lime::new));
    let values = RwSignal::new(actual.clone());
    let actual = StoredValue::new(actual);
    let method = RwSignal::new(Method::Exact);
    let threshold = RwSignal::new(0.5f64);
    let locked = RwSignal::new(DEFAULT_LOCKED.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    let scored = Memo::new(move |_| {
        values.with(|v| {
            model.with_value(|m| {
                let x = encode(m, v);
                let p = probability(m, &x);
                let exact = contributions(m, &x);
                let weights = match method.get() {
                    Method::Exact => exact.clone(),
                    Method::Lime => lime.with_value(|l| lime_weights(l, v)),
                };
                (p, exact, weights)
            })
        })
    });
    // How far LIME can be trusted here: its ranking against the exact one, over 10 seeds.
    let agreement = Memo::new(move |_| {
        (method.get() == Method::Lime).then(|| {
            let (_, exact, _) = scored.get();
            values.with(|v| lime.with_value(|l| stability(l, v, &exact, 10)))
        })
    });
    let options = Memo::new(move |_| values.with(|v| model.with_value(|m| locked.with(|l| counterfactuals(m, v, l, threshold.get(), 3)))));
    let set_value = move |i: usize, v: FeatureValue| values.update(|vals| vals[i] = v);
    let controls = move || {
        let (_, _, weights) = scored.get();
        let max = weights.iter().fold(0.0f64, |m, w| m.max(w.abs())).max(1e-9);
        let current = values.get();
        model.with_value(|m| {
            m.stats
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let w = weights[i];
                    let feature = s.column().to_owned();
                    let control = match s {
                        ColumnStats::Categorical { categories, .. } => categories
                            .iter()
                            .map(|c| {
                                let value = c.clone();
                                let pressed = current[i] == FeatureValue::Category(c.clone());
                                view! {
                                    <button
                                        class="category-option"
                                        data-testid="category-option"
                                        data-value=c.clone()
                                        aria-pressed=pressed.to_string()
                                        on:click=move |_| set_value(i, FeatureValue::Category(value.clone()))
                                    >
                                        {c.clone()}
                                    </button>
                                }
                            })
                            .collect_view()
                            .into_any(),
                        ColumnStats::Numeric { mean, min, max, .. } => {
                            let now = match &current[i] {
                                FeatureValue::Number(n) => *n,
                                _ => *mean,
                            };
                            let step = if (max - min) > 200.0 { "1" } else { "0.05" };
                            let on_input = move |ev: leptos::ev::Event| {
                                if let Ok(n) = event_target_value(&ev).trim().parse::<f64>() {
                                    if n.is_finite() {
                                        set_value(i, FeatureValue::Number(n));
                                    }
                                }
                            };
                            view! {
                                <NumberField
                                    label=format!("{feature} value")
                                    testid="numeric-input"
                                    rule=NumberRule::ANY
                                    short=true
                                    quiet_label=true
                                    value=Signal::stored(now)
                                    on_value=Callback::new(move |n: f64| set_value(i, FeatureValue::Number(n)))
                                    invalid=Invalid::new()
                                />
                                <input type="range" min=min.to_string() max=max.to_string() step=step prop:value=now.to_string() on:input=on_input aria-label=format!("{feature} slider")/>
                                <span class="muted">{format!("mean {:.2} · min {:.2} · max {:.2}", mean, min, max)}</span>
                            }
                            .into_any()
                        }
                    };
                    let pct = (w.abs() / max * 50.0).min(50.0);
                    view! {
                        <div class="feature-control" data-testid="feature-control" data-feature=feature.clone() data-contribution=w.to_string()>
                            <span class="feature-name">{feature.clone()}</span>
                            <span class="feature-value">{current[i].display()}</span>
                            <span class="contribution-bar" title=format!("{w:+.4}")>
                                <span class={if w >= 0.0 { "bar towards" } else { "bar away" }} style:width=format!("{pct:.1}%")></span>
                            </span>
                            <span class="feature-options">{control}</span>
                        </div>
                    }
                })
                .collect_view()
        })
    };
    let waterfall = move || {
        let (p, exact, _) = scored.get();
        model.with_value(|m| {
            let base = m.model.intercept;
            let mut steps: Vec<(String, f64)> = m.stats.iter().map(|s| s.column().to_owned()).zip(exact.iter().copied()).collect();
            steps.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
            let mut level = base;
            let mut rows = vec![(format!("average customer ({:.1}%)", crate::core::model::logistic::sigmoid(base) * 100.0), base, base)];
            for (name, c) in steps {
                rows.push((name, level, level + c));
                level += c;
            }
            let (lo, hi) = rows.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), r| (a.min(r.1.min(r.2)), b.max(r.1.max(r.2))));
            let span = (hi - lo).max(1e-9);
            let at = |v: f64| (v - lo) / span * 100.0;
            view! {
                <ol class="waterfall" aria-label="From the average customer to this one">
                    {rows
                        .into_iter()
                        .map(|(name, from, to)| {
                            let (l, r) = (at(from.min(to)), at(from.max(to)));
                            let class = if to > from { "step towards" } else if to < from { "step away" } else { "step base" };
                            view! {
                                <li>
                                    <span class="wf-name">{name}</span>
                                    <span class="wf-track"><span class=class style:margin-left=format!("{l:.2}%") style:width=format!("{:.2}%", (r - l).max(0.4))></span></span>
                                    <span class="wf-value">{format!("{:+.3}", to - from)}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                    <li class="wf-total"><span class="wf-name">"this customer"</span><span class="wf-track"></span><span class="wf-value">{format!("{:.1}%", p * 100.0)}</span></li>
                </ol>
            }
        })
    };
    let apply = move |cf: Counterfactual| {
        values.update(|v| {
            for (i, value) in cf.changes {
                v[i] = value;
            }
        })
    };
    let feature_names: Vec<String> = model.with_value(|m| m.stats.iter().map(|s| s.column().to_owned()).collect());

    view! {
        <section class="customer-view" data-testid="customer-view" aria-label="One customer">
            <header class="customer-head">
                <h3>{format!("Customer {id}")}</h3>
                <div
                    class=move || format!("big-probability {}", risk_class(scored.get().0))
                    data-testid="customer-probability"
                    data-value=move || scored.get().0.to_string()
                >
                    {move || format!("{:.1}%", scored.get().0 * 100.0)}
                    <span class="muted">" churn probability"</span>
                </div>
                <label>
                    "Explain with "
                    <select data-testid="explain-method" on:change=move |ev| method.set(Method::from_id(&event_target_value(&ev)).unwrap_or(Method::Exact))>
                        <option value="exact" selected=true>"exact contributions"</option>
                        <option value="lime">"LIME"</option>
                    </select>
                </label>
                {move || agreement.get().map(|a| view! {
                    <span class="muted" data-testid="lime-stability" data-value=a.to_string() title="Spearman rank correlation between |LIME weights| (10 seeds) and |exact contributions|">
                        {format!("LIME rank agreement with the exact contributions: {a:.2}")}
                    </span>
                })}
                <button class="button" data-testid="reset-customer" on:click=move |_| values.set(actual.get_value())>"Reset to actual"</button>
                <EmbedButton query=format!("embed=customer&customer={}", js_sys::encode_uri_component(&embed_id)) what="this customer"/>
                <button class="button" data-testid="close-customer" class:hidden=embedded on:click=move |_| on_close.run(())>"Close"</button>
            </header>
            <div class="customer-grid">
                <div class="feature-controls">{controls}</div>
                <div class="customer-side">
                    <h4>"From the average customer to this one"</h4>
                    {waterfall}
                    <h4>"What would keep this customer?"</h4>
                    <NumberField
                        label="Below"
                        testid="counterfactual-threshold"
                        rule=NumberRule::between(0.01, 0.99)
                        short=true
                        value=threshold
                        on_value=Callback::new(move |t: f64| threshold.set(t))
                        invalid=Invalid::new()
                    />
                    <details class="locks">
                        <summary>{move || format!("Locked features ({})", locked.with(Vec::len))}</summary>
                        {feature_names
                            .iter()
                            .map(|n| {
                                let (a, b) = (n.clone(), n.clone());
                                view! {
                                    <label class="check">
                                        <input
                                            type="checkbox"
                                            data-testid="lock-feature"
                                            data-feature=n.clone()
                                            prop:checked=move || locked.with(|l| l.contains(&a))
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                let name = b.clone();
                                                locked.update(|l| {
                                                    l.retain(|x| *x != name);
                                                    if on {
                                                        l.push(name);
                                                    }
                                                });
                                            }
                                        />
                                        {n.clone()}
                                    </label>
                                }
                            })
                            .collect_view()}
                    </details>
                    {move || {
                        let found = options.get();
                        if found.is_empty() {
                            return view! { <p class="muted" data-testid="no-counterfactual">"No change to the unlocked features brings this customer below the threshold."</p> }.into_any();
                        }
                        found
                            .into_iter()
                            .map(|cf| {
                                let text = model.with_value(|m| cf.changes.iter().map(|(i, v)| format!("{} → {}", m.stats[*i].column(), v.display())).collect::<Vec<_>>().join(", "));
                                let p = cf.probability;
                                view! {
                                    <div class="counterfactual" data-testid="counterfactual-option" data-probability=p.to_string()>
                                        <span>{text}</span>
                                        <strong>{format!("{:.1}%", p * 100.0)}</strong>
                                        <button class="button small" on:click=move |_| apply(cf.clone())>"Try it"</button>
                                    </div>
                                }
                            })
                            .collect_view()
                            .into_any()
                    }}
                </div>
            </div>
        </section>
    }
}

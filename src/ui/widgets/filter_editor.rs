//! Editing a tree of filter conditions: columns, operators suited to each
//! column's type, values picked from a column's labels or typed, grouping
//! with AND/OR and negation. Used by the SQL page's filter builder and by a
//! chart's Filters shelf.

use leptos::prelude::*;

use crate::core::data::table::{ColumnData, ColumnType, Table};
use crate::core::query::filter::{Condition, FilterNode, FilterOp, Join};

/// Most labels offered in a value list.
const MAX_CHOICES: usize = 500;

/// A column as the builder needs it: name, type and values to pick from.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub name: String,
    pub ty: ColumnType,
    pub choices: Vec<String>,
}

pub fn fields_of(table: &Table) -> Vec<Field> {
    table
        .columns()
        .iter()
        .filter(|c| !c.hidden)
        .map(|c| {
            let choices = match &c.data {
                ColumnData::Categorical(_) => {
                    let mut labels: Vec<String> = c
                        .data
                        .categories()
                        .map(|l| l.iter().flatten().map(str::to_owned).collect())
                        .unwrap_or_default();
                    labels.sort();
                    labels.truncate(MAX_CHOICES);
                    labels
                }
                ColumnData::Boolean(_) => vec!["true".into(), "false".into()],
                _ => Vec::new(),
            };
            Field {
                name: c.name.clone(),
                ty: c.column_type(),
                choices,
            }
        })
        .collect()
}

fn node_at<'a>(node: &'a mut FilterNode, path: &[usize]) -> Option<&'a mut FilterNode> {
    match path.split_first() {
        None => Some(node),
        Some((i, rest)) => match node {
            FilterNode::Group { children, .. } => node_at(children.get_mut(*i)?, rest),
            FilterNode::Condition(_) => None,
        },
    }
}

/// A fresh condition on the first column, filled in so it is valid at once.
pub fn new_condition(fields: &[Field]) -> Option<FilterNode> {
    let f = fields.first()?;
    let values = match f.choices.first() {
        Some(v) => vec![v.clone()],
        None if f.ty.is_numeric() => vec!["0".into()],
        None => vec![String::new()],
    };
    Some(FilterNode::Condition(Condition {
        column: f.name.clone(),
        op: FilterOp::Eq,
        values,
        negated: false,
    }))
}

/// Values that fit `op` on `field`, keeping what can be kept.
fn values_for(op: FilterOp, field: &Field, old: &[String]) -> Vec<String> {
    let default = field.choices.first().cloned().unwrap_or_else(|| {
        if field.ty.is_numeric() {
            "0".into()
        } else {
            String::new()
        }
    });
    match op.arity() {
        Some(0) => Vec::new(),
        Some(n) => (0..n)
            .map(|i| old.get(i).cloned().unwrap_or_else(|| default.clone()))
            .collect(),
        None => {
            if old.is_empty() {
                vec![default]
            } else {
                old.to_vec()
            }
        }
    }
}

/// Shows `tree` for editing; every edit is passed to `on_change` as a new tree.
#[component]
pub fn FilterEditor(
    #[prop(into)] tree: Signal<FilterNode>,
    #[prop(into)] fields: Signal<Vec<Field>>,
    on_change: Callback<FilterNode>,
) -> impl IntoView {
    let edit = move |path: Vec<usize>, f: Box<dyn FnOnce(&mut FilterNode)>| {
        let mut next = tree.get_untracked();
        if let Some(node) = node_at(&mut next, &path) {
            f(node);
        }
        on_change.run(next);
    };
    move || render_node(tree.get(), Vec::new(), fields, edit)
}

fn render_node(
    node: FilterNode,
    path: Vec<usize>,
    fields: Signal<Vec<Field>>,
    edit: impl Fn(Vec<usize>, Box<dyn FnOnce(&mut FilterNode)>) + Copy + Send + Sync + 'static,
) -> AnyView {
    match node {
        FilterNode::Condition(c) => render_condition(c, path, fields, edit),
        FilterNode::Group {
            join,
            negated,
            children,
        } => {
            let root = path.is_empty();
            let (p1, p2, p3, p4) = (path.clone(), path.clone(), path.clone(), path.clone());
            let kids = children
                .into_iter()
                .enumerate()
                .map(|(i, child)| {
                    let mut child_path = path.clone();
                    child_path.push(i);
                    render_node(child, child_path, fields, edit)
                })
                .collect_view();
            let add_condition = move |_| {
                let Some(c) = new_condition(&fields.get_untracked()) else {
                    return;
                };
                edit(
                    p1.clone(),
                    Box::new(move |n| {
                        if let FilterNode::Group { children, .. } = n {
                            children.push(c);
                        }
                    }),
                );
            };
            let add_group = move |_| {
                let Some(c) = new_condition(&fields.get_untracked()) else {
                    return;
                };
                edit(
                    p2.clone(),
                    Box::new(move |n| {
                        if let FilterNode::Group { children, .. } = n {
                            children.push(FilterNode::Group {
                                join: Join::Or,
                                negated: false,
                                children: vec![c],
                            });
                        }
                    }),
                );
            };
            let remove = move |_| {
                let mut parent = p4.clone();
                let Some(i) = parent.pop() else { return };
                edit(
                    parent,
                    Box::new(move |n| {
                        if let FilterNode::Group { children, .. } = n {
                            if i < children.len() {
                                children.remove(i);
                            }
                        }
                    }),
                );
            };
            view! {
                <div class="filter-group" class:root=root data-testid="filter-group">
                    <div class="filter-group-bar">
                        <label>
                            "Match "
                            <select
                                data-testid="filter-join"
                                on:change=move |ev| {
                                    let join = if event_target_value(&ev) == "or" {
                                        Join::Or
                                    } else {
                                        Join::And
                                    };
                                    edit(
                                        p3.clone(),
                                        Box::new(move |n| {
                                            if let FilterNode::Group { join: j, .. } = n {
                                                *j = join;
                                            }
                                        }),
                                    );
                                }
                            >
                                <option value="and" selected=join == Join::And>
                                    "all (AND)"
                                </option>
                                <option value="or" selected=join == Join::Or>
                                    "any (OR)"
                                </option>
                            </select>
                        </label>
                        <label class="negate">
                            <input
                                type="checkbox"
                                data-testid="filter-group-negate"
                                prop:checked=negated
                                on:change={
                                    let p = path.clone();
                                    move |_| edit(
                                        p.clone(),
                                        Box::new(|n| {
                                            if let FilterNode::Group { negated, .. } = n {
                                                *negated = !*negated;
                                            }
                                        }),
                                    )
                                }
                            />
                            " not"
                        </label>
                        {(!root)
                            .then(|| {
                                view! {
                                    <button
                                        class="icon-button"
                                        data-testid="filter-remove"
                                        aria-label="Remove group"
                                        on:click=remove
                                    >
                                        "×"
                                    </button>
                                }
                            })}
                    </div>
                    <div class="filter-children">{kids}</div>
                    <div class="filter-actions">
                        <button
                            class="button"
                            data-testid=if root { "filter-add" } else { "filter-group-add" }
                            on:click=add_condition
                        >
                            "+ Condition"
                        </button>
                        <button class="button" data-testid="filter-add-group" on:click=add_group>
                            "+ Group"
                        </button>
                    </div>
                </div>
            }
            .into_any()
        }
    }
}

fn render_condition(
    c: Condition,
    path: Vec<usize>,
    fields: Signal<Vec<Field>>,
    edit: impl Fn(Vec<usize>, Box<dyn FnOnce(&mut FilterNode)>) + Copy + Send + Sync + 'static,
) -> AnyView {
    let field = fields.with_untracked(|f| {
        f.iter()
            .find(|x| x.name.eq_ignore_ascii_case(&c.column))
            .cloned()
    });
    let ty = field.as_ref().map_or(ColumnType::Text, |f| f.ty);
    let choices = field
        .as_ref()
        .map(|f| f.choices.clone())
        .unwrap_or_default();
    let update = move |path: Vec<usize>, f: Box<dyn FnOnce(&mut Condition)>| {
        edit(
            path,
            Box::new(move |n| {
                if let FilterNode::Condition(c) = n {
                    f(c);
                }
            }),
        )
    };
    let (p_col, p_op, p_neg, p_rm) = (path.clone(), path.clone(), path.clone(), path.clone());
    let column_options =
        fields.with_untracked(|f| {
            f.iter().map(|x| view! {
                <option value=x.name.clone() selected=x.name.eq_ignore_ascii_case(&c.column)>
                    {x.name.clone()}
                </option>
            }).collect_view()
        });
    let op_options = FilterOp::for_type(ty)
        .into_iter()
        .map(|o| {
            view! {
                <option value=o.label() selected=o == c.op>
                    {o.label()}
                </option>
            }
        })
        .collect_view();
    let value_editor = value_editor(&c, ty, choices, path.clone(), update);
    view! {
        <div class="filter-condition" data-testid="filter-condition">
            <select
                data-testid="filter-column"
                aria-label="Column"
                on:change=move |ev| {
                    let name = event_target_value(&ev);
                    let Some(f) = fields.get_untracked().into_iter().find(|x| x.name == name) else {
                        return
                    };
                    update(
                        p_col.clone(),
                        Box::new(move |c| {
                            c.column = f.name.clone();
                            if !FilterOp::for_type(f.ty).contains(&c.op) {
                                c.op = FilterOp::Eq;
                            }
                            c.values = values_for(c.op, &f, &[]);
                        }),
                    );
                }
            >
                {column_options}
            </select>
            <select
                data-testid="filter-op"
                aria-label="Operator"
                on:change=move |ev| {
                    let Some(op) = FilterOp::parse(&event_target_value(&ev)) else { return };
                    update(
                        p_op.clone(),
                        Box::new(move |c| {
                            c.op = op;
                            if let Some(f) = fields
                                .get_untracked()
                                .into_iter()
                                .find(|x| x.name == c.column)
                            {
                                c.values = values_for(op, &f, &c.values);
                            }
                        }),
                    );
                }
            >
                {op_options}
            </select>
            {value_editor}
            <label class="negate">
                <input
                    type="checkbox"
                    data-testid="filter-negate"
                    prop:checked=c.negated
                    on:change=move |_| update(p_neg.clone(), Box::new(|c| c.negated = !c.negated))
                />
                " not"
            </label>
            <button
                class="icon-button"
                data-testid="filter-remove"
                aria-label="Remove condition"
                on:click=move |_| {
                    let mut parent = p_rm.clone();
                    let Some(i) = parent.pop() else { return };
                    edit(
                        parent,
                        Box::new(move |n| {
                            if let FilterNode::Group { children, .. } = n {
                                if i < children.len() {
                                    children.remove(i);
                                }
                            }
                        }),
                    );
                }
            >
                "×"
            </button>
        </div>
    }
    .into_any()
}

fn value_editor(
    c: &Condition,
    ty: ColumnType,
    choices: Vec<String>,
    path: Vec<usize>,
    update: impl Fn(Vec<usize>, Box<dyn FnOnce(&mut Condition)>) + Copy + Send + Sync + 'static,
) -> AnyView {
    let set_value = move |path: Vec<usize>, i: usize, v: String| {
        update(
            path,
            Box::new(move |c| {
                if c.values.len() <= i {
                    c.values.resize(i + 1, String::new());
                }
                c.values[i] = v;
            }),
        )
    };
    match (c.op, c.op.arity()) {
        (_, Some(0)) => ().into_any(),
        (FilterOp::In | FilterOp::NotIn, _) if !choices.is_empty() => {
            let selected = c.values.clone();
            let options = choices
                .into_iter()
                .map(|v| {
                    view! {
                        <option value=v.clone() selected=selected.contains(&v)>
                            {v.clone()}
                        </option>
                    }
                })
                .collect_view();
            view! {
                <select
                    multiple
                    data-testid="filter-value"
                    aria-label="Values"
                    on:change=move |ev| {
                        let select: web_sys::HtmlSelectElement = event_target(&ev);
                        let options = select.selected_options();
                        let values: Vec<String> = (0..options.length())
                            .filter_map(|i| options.item(i))
                            .filter_map(|e| e.get_attribute("value"))
                            .collect();
                        update(path.clone(), Box::new(move |c| c.values = values));
                    }
                >
                    {options}
                </select>
            }
            .into_any()
        }
        (FilterOp::Eq | FilterOp::NotEq, _) if !choices.is_empty() => {
            let current = c.values.first().cloned().unwrap_or_default();
            let options = choices
                .into_iter()
                .map(|v| {
                    view! {
                        <option value=v.clone() selected=v == current>
                            {v.clone()}
                        </option>
                    }
                })
                .collect_view();
            view! {
                <select
                    data-testid="filter-value"
                    aria-label="Value"
                    on:change=move |ev| set_value(path.clone(), 0, event_target_value(&ev))
                >
                    {options}
                </select>
            }
            .into_any()
        }
        (op, arity) => {
            let n = arity
                .unwrap_or(1)
                .max(if op == FilterOp::Between { 2 } else { 1 });
            let numeric = ty.is_numeric() && op != FilterOp::Like;
            (0..n)
                .map(|i| {
                    let value = c.values.get(i).cloned().unwrap_or_default();
                    let p = path.clone();
                    let list = matches!(op, FilterOp::In | FilterOp::NotIn);
                    view! {
                        {(i == 1).then_some(" and ")}
                        <input
                            type=if numeric && !list { "number" } else { "text" }
                            step="any"
                            data-testid="filter-value"
                            aria-label="Value"
                            placeholder=if list { "a, b, c" } else { "value" }
                            prop:value=if list { c.values.join(", ") } else { value }
                            on:change=move |ev| {
                                let v = event_target_value(&ev);
                                if list {
                                    let values: Vec<String> = v
                                        .split(',')
                                        .map(|s| s.trim().to_owned())
                                        .filter(|s| !s.is_empty())
                                        .collect();
                                    update(p.clone(), Box::new(move |c| c.values = values));
                                } else {
                                    set_value(p.clone(), i, v);
                                }
                            }
                        />
                    }
                })
                .collect_view()
                .into_any()
        }
    }
}

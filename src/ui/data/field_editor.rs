//! Editing the active dataset's fields: rename, clone, hide, and change a
//! field's role (dimension or measure) and type. Edits are kept across
//! reloads; charts and training read roles and types from here.

use leptos::prelude::*;

use crate::core::data::fields::FieldEdit;
use crate::core::data::table::{ColumnType, Role};
use crate::ui::data::datasets::{edit_active_field, report_retype};
use crate::ui::state::{use_app, AppState, NoticeKind};
use crate::ui::widgets::scroll_region::ScrollRegion;

fn apply(state: AppState, field: &str, edit: FieldEdit) {
    let retype = match &edit {
        FieldEdit::Retype(t) => Some(t.label()),
        _ => None,
    };
    match edit_active_field(state, field, edit) {
        Ok(outcome) => {
            if let Some(to) = retype {
                report_retype(state, field, to, &outcome);
            }
        }
        Err(e) => state.notify(
            NoticeKind::Error,
            format!("Could not change \"{field}\""),
            vec![e.to_string()],
        ),
    }
}

#[component]
pub fn FieldEditor() -> impl IntoView {
    let state = use_app();
    let rows = move || {
        state.dataset.with(|d| {
            d.table
                .columns()
                .iter()
                .map(|c| {
                    (
                        d.generation,
                        c.name.clone(),
                        c.column_type(),
                        c.role,
                        c.hidden,
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <details class="field-editor" open>
            <summary>
                <h2>
                    {move || format!("Fields ({})", state.dataset.with(|d| d.table.num_columns()))}
                </h2>
            </summary>
            <ScrollRegion label="Fields">
                <table class="fields">
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Type"</th>
                            <th scope="col">"Role"</th>
                            <th scope="col">"Hidden"</th>
                            <th scope="col">
                                <span class="visually-hidden">"Actions"</span>
                            </th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=rows key=|r| r.clone() let:row>
                            {
                                let (_, name, ty, role, hidden) = row;
                                let (n1, n2, n3, n4, n5) = (
                                    name.clone(),
                                    name.clone(),
                                    name.clone(),
                                    name.clone(),
                                    name.clone(),
                                );
                                view! {
                                    <tr
                                        data-testid="field-row"
                                        data-field=name.clone()
                                        class:hidden-field=hidden
                                    >
                                        <td>
                                            <input
                                                type="text"
                                                data-testid="field-rename"
                                                aria-label=format!("Name of {name}")
                                                prop:value=name.clone()
                                                on:change=move |ev| {
                                                    let to = event_target_value(&ev);
                                                    if to != n1 {
                                                        apply(state, &n1, FieldEdit::Rename { to });
                                                    }
                                                }
                                            />
                                        </td>
                                        <td>
                                            <select
                                                data-testid="field-type"
                                                aria-label=format!("Type of {name}")
                                                on:change=move |ev| {
                                                    if let Some(to) = ColumnType::parse(
                                                        &event_target_value(&ev),
                                                    ) {
                                                        if to != ty {
                                                            apply(state, &n2, FieldEdit::Retype(to));
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
                                        </td>
                                        <td>
                                            <select
                                                data-testid="field-role"
                                                aria-label=format!("Role of {name}")
                                                on:change=move |ev| {
                                                    let role = if event_target_value(&ev) == "measure" {
                                                        Role::Measure
                                                    } else {
                                                        Role::Dimension
                                                    };
                                                    apply(state, &n3, FieldEdit::SetRole(role));
                                                }
                                            >
                                                <option value="dimension" selected=role == Role::Dimension>
                                                    "dimension"
                                                </option>
                                                <option value="measure" selected=role == Role::Measure>
                                                    "measure"
                                                </option>
                                            </select>
                                        </td>
                                        <td>
                                            <input
                                                type="checkbox"
                                                data-testid="field-hide"
                                                aria-label=format!("Hide {name}")
                                                prop:checked=hidden
                                                on:change=move |_| apply(
                                                    state,
                                                    &n4,
                                                    FieldEdit::SetHidden(!hidden),
                                                )
                                            />
                                        </td>
                                        <td>
                                            <button
                                                class="button"
                                                data-testid="field-clone"
                                                on:click=move |_| apply(state, &n5, FieldEdit::Clone)
                                            >
                                                "Clone"
                                            </button>
                                        </td>
                                    </tr>
                                }
                            }
                        </For>
                    </tbody>
                </table>
            </ScrollRegion>
        </details>
    }
}

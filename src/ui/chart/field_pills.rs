//! A dataset's fields of one role (Dimensions, or Measures with Record
//! Count first) as pills: each dragged onto a shelf, or added to one from
//! its "Add to…" menu (the keyboard's and the touch screen's way).

use leptos::prelude::*;

use crate::core::chart::{Shelf, RECORD_COUNT};
use crate::core::data::table::{ColumnType, Role, Table};

#[component]
pub fn FieldPills(
    table: Memo<Option<Table>>,
    role: Role,
    add: Callback<(String, Shelf)>,
) -> impl IntoView {
    move || {
        let fields: Vec<(String, ColumnType)> = table.with(|t| {
            t.as_ref()
                .map(|t| {
                    t.columns()
                        .iter()
                        .filter(|c| !c.hidden && c.role == role)
                        .map(|c| (c.name.clone(), c.column_type()))
                        .collect()
                })
                .unwrap_or_default()
        });
        let mut fields = fields;
        if role == Role::Measure {
            fields.insert(0, (RECORD_COUNT.to_owned(), ColumnType::Integer));
        }
        fields
            .into_iter()
            .map(|(name, ty)| {
                let (drag_name, menu_name) = (name.clone(), name.clone());
                view! {
                    <li
                        class="field-pill"
                        class:measure=role == Role::Measure
                        draggable="true"
                        data-testid="field-pill"
                        data-field=name.clone()
                        title=format!("{name} ({}) — drag onto a shelf", ty.label())
                        on:dragstart=move |ev: leptos::ev::DragEvent| {
                            if let Some(dt) = ev.data_transfer() {
                                let _ = dt.set_data("text/plain", &drag_name);
                                dt.set_effect_allowed("copy");
                            }
                        }
                    >
                        <span class="pill-name">{name.clone()}</span>
                        <select
                            class="add-to"
                            data-testid="field-add"
                            aria-label=format!("Add {name} to a shelf")
                            on:change=move |ev| {
                                let target = event_target_value(&ev);
                                if let Some(shelf) = Shelf::from_id(&target) {
                                    add.run((menu_name.clone(), shelf));
                                }
                                let select: web_sys::HtmlSelectElement = event_target(&ev);
                                select.set_value("");
                            }
                        >
                            <option value="" selected>
                                "Add to…"
                            </option>
                            {Shelf::ALL
                                .into_iter()
                                .map(|s| view! { <option value=s.id()>{s.label()}</option> })
                                .collect_view()}
                        </select>
                    </li>
                }
            })
            .collect_view()
    }
}

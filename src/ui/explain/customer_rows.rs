//! The Customers table's body: the rows of the window of the sorted list,
//! kept in step with the scroll by hand rather than rebuilt.
//!
//! A scroll detaches the rows that left the window (kept for reuse) and
//! writes the customers that entered into reused or cloned rows; the rows
//! still in view keep their elements and content, so the browser lays out
//! only the new ones. A new sort, filter or search rewrites every drawn
//! row. The rows stay in the document in the list's order, so focus and
//! reading order follow what is seen; clicks and Enter are handled once,
//! on the body.

use std::collections::VecDeque;

use leptos::html::{Tbody, Td};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

use crate::core::common::viewport::Window;
use crate::ui::explain::customer_marks::{push_mark, risk_class, tint};

/// What one row shows: a customer at a place in the sorted list.
#[derive(Clone, PartialEq)]
pub struct DrawnRow {
    /// The row in the table (what opening the customer uses).
    pub row: usize,
    /// The place in the sorted, filtered list, from 0.
    pub position: usize,
    pub id: String,
    pub probability: f64,
    /// Each feature's value as shown, and its contribution.
    pub cells: Vec<(String, f64)>,
}

/// The rows on the page: `rows[i]` shows place `first + i`.
struct Drawn {
    first: usize,
    rows: VecDeque<Element>,
    spare: Vec<Element>,
    template: Option<Element>,
    generation: usize,
}

/// The body of the rows `window` selects: the row at place `p` shows
/// `content(p)`, read untracked; a change of `generation` (a new order or
/// scale) rewrites every drawn row. `features` names each row's cells,
/// `scale` is the largest contribution (for the tints), `on_open` gets a
/// row's table row on a click or Enter.
#[component]
pub fn CustomerRows(
    window: Memo<Window>,
    generation: Memo<usize>,
    content: impl Fn(usize) -> Option<DrawnRow> + Copy + Send + Sync + 'static,
    features: Vec<String>,
    scale: RwSignal<f64>,
    on_open: Callback<usize>,
) -> impl IntoView {
    let columns = features.len() + 2;
    let body = NodeRef::<Tbody>::new();
    let top = NodeRef::<Td>::new();
    let bottom = NodeRef::<Td>::new();
    let drawn = StoredValue::new_local(Drawn {
        first: 0,
        rows: VecDeque::new(),
        spare: Vec::new(),
        template: None,
        generation: usize::MAX,
    });
    Effect::new(move |_| {
        let w = window.get();
        let generation = generation.get();
        let (Some(body), Some(top), Some(bottom)) = (body.get(), top.get(), bottom.get()) else {
            return;
        };
        let height = |td: &HtmlElement, px: f64| {
            let _ = td.style().set_property("height", &format!("{px}px"));
        };
        height(&top, w.top_px);
        height(&bottom, w.bottom_px);
        let Some(end_marker) = bottom.parent_element() else {
            return;
        };
        let scale = scale.get_untracked();
        let paint_at = |row: &Element, p: usize| {
            if let Some(r) = untrack(|| content(p)) {
                paint(row, &r, scale);
            }
        };
        drawn.update_value(|d| {
            let fresh = d.generation != generation;
            d.generation = generation;
            let overlaps = d.first < w.end && w.first < d.first + d.rows.len();
            let detach = |row: Element| {
                row.remove();
                row
            };
            if overlaps && !fresh {
                // Rows that left the window are detached and kept for reuse.
                while d.first < w.first {
                    if let Some(row) = d.rows.pop_front() {
                        d.spare.push(detach(row));
                    }
                    d.first += 1;
                }
                while d.first + d.rows.len() > w.end {
                    if let Some(row) = d.rows.pop_back() {
                        d.spare.push(detach(row));
                    }
                }
            } else {
                // Nothing in view is kept: the rows are rewritten in place.
                while d.rows.len() > w.end - w.first {
                    if let Some(row) = d.rows.pop_back() {
                        d.spare.push(detach(row));
                    }
                }
                d.first = w.first;
                for (i, row) in d.rows.iter().enumerate() {
                    paint_at(row, w.first + i);
                }
            }
            // New rows above the kept ones, then below them.
            while d.first > w.first {
                let Some(row) = take_row(d, &features) else {
                    return;
                };
                d.first -= 1;
                paint_at(&row, d.first);
                let before = d.rows.front().cloned().unwrap_or(end_marker.clone());
                let _ = body.insert_before(&row, Some(&before));
                d.rows.push_front(row);
            }
            while d.first + d.rows.len() < w.end {
                let Some(row) = take_row(d, &features) else {
                    return;
                };
                paint_at(&row, d.first + d.rows.len());
                let _ = body.insert_before(&row, Some(&end_marker));
                d.rows.push_back(row);
            }
        });
    });
    let row_of = |ev: &web_sys::Event| -> Option<usize> {
        let target = ev.target()?.dyn_into::<Element>().ok()?;
        let row = target.closest("tr[data-row]").ok()??;
        row.get_attribute("data-row")?.parse().ok()
    };
    view! {
        <tbody
            node_ref=body
            on:click=move |ev| {
                if let Some(row) = row_of(&ev) {
                    on_open.run(row)
                }
            }
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Enter" {
                    if let Some(row) = row_of(&ev) {
                        on_open.run(row)
                    }
                }
            }
        >
            <tr class="spacer" aria-hidden="true">
                <td colspan=columns node_ref=top></td>
            </tr>
            <tr class="spacer" aria-hidden="true">
                <td colspan=columns node_ref=bottom></td>
            </tr>
        </tbody>
    }
}

/// A spare row, or a copy of the row template (made on first use): a
/// focusable row with its ID, probability and one cell per feature, each
/// holding its value and its ▲/▼ sign.
fn take_row(d: &mut Drawn, features: &[String]) -> Option<Element> {
    if let Some(row) = d.spare.pop() {
        return Some(row);
    }
    if d.template.is_none() {
        let document = web_sys::window()?.document()?;
        let tr = document.create_element("tr").ok()?;
        tr.set_attribute("data-testid", "customer-row").ok()?;
        tr.set_attribute("tabindex", "0").ok()?;
        let th = document.create_element("th").ok()?;
        th.set_attribute("scope", "row").ok()?;
        tr.append_child(&th).ok()?;
        tr.append_child(&document.create_element("td").ok()?.into())
            .ok()?;
        for feature in features {
            let td = document.create_element("td").ok()?;
            td.set_attribute("data-testid", "customer-cell").ok()?;
            td.set_attribute("data-feature", feature).ok()?;
            td.append_child(&document.create_element("span").ok()?.into())
                .ok()?;
            let sign = document.create_element("span").ok()?;
            sign.set_class_name("push-mark");
            td.append_child(&sign).ok()?;
            tr.append_child(&td).ok()?;
        }
        d.template = Some(tr);
    }
    d.template
        .as_ref()?
        .clone_node_with_deep(true)
        .ok()?
        .dyn_into::<Element>()
        .ok()
}

/// Writes a customer into a row: its attributes, its ID and probability,
/// and each feature cell's value, contribution, tint and mark (the ▲/▼
/// sign, so colour is never alone, with its meaning as a title).
fn paint(tr: &Element, r: &DrawnRow, scale: f64) {
    let _ = tr.set_attribute("data-row", &r.row.to_string());
    let _ = tr.set_attribute("data-customer-id", &r.id);
    let _ = tr.set_attribute("data-probability", &r.probability.to_string());
    let _ = tr.set_attribute("aria-rowindex", &(r.position + 2).to_string());
    let cells = tr.children();
    if let Some(th) = cells.item(0) {
        th.set_text_content(Some(&r.id));
    }
    if let Some(td) = cells.item(1) {
        td.set_class_name(&format!("prob {}", risk_class(r.probability)));
        td.set_text_content(Some(&format!("{:.1}%", r.probability * 100.0)));
    }
    for (c, (text, w)) in r.cells.iter().enumerate() {
        let Some(td) = cells.item(c as u32 + 2) else {
            break;
        };
        let mark = push_mark(*w, scale);
        let _ = td.set_attribute("data-contribution", &w.to_string());
        let _ = td.set_attribute("data-mark", mark);
        if let Some(td) = td.dyn_ref::<HtmlElement>() {
            let _ = td
                .style()
                .set_property("background-color", &tint(*w, scale));
        }
        let parts = td.children();
        if let Some(value) = parts.item(0) {
            value.set_text_content(Some(text));
        }
        if let Some(sign) = parts.item(1) {
            sign.set_text_content(Some(&if mark.is_empty() {
                String::new()
            } else {
                format!(" {mark}")
            }));
            let title = if *w > 0.0 {
                "towards churn"
            } else {
                "away from churn"
            };
            let _ = sign.set_attribute("title", title);
        }
    }
}

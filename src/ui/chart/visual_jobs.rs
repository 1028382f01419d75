//! A visual's chart from its spec (and a cross-filter): at once on the page
//! for a small table, in the held tables' worker for a large one
//! ("visual-chart"), the newest question withdrawing older ones.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::chart::{chart_data, ChartData, ChartKind, ChartSpec};
use crate::core::data::table::Table;
use crate::ui::browser::held::{self, in_background, Ticket};
use crate::ui::state::Visual;
use crate::ui::widgets::chart_view::ChartResult;

/// What the held tables' worker answers for a visual.
type Answer = Result<(ChartKind, ChartData), String>;

/// A cross-filter: a field and the value picked on another visual.
type Cross = Option<(String, String)>;

/// Registers the visuals' op on the held tables (in a worker).
pub fn register_worker_ops() {
    held::register_op("visual-chart", |tables, args| {
        let table = held::only(tables)?;
        let (spec, cross): (ChartSpec, Cross) = held::read(&args)?;
        let answer: Answer = chart_data(&spec, table, cross.as_ref())
            .map(|d| (spec.kind, d))
            .map_err(|e| e.to_string());
        held::write(&answer)
    });
}

/// Whether nothing is on the visual's Dimensions and Measures shelves.
fn shelves_empty(visual: &Visual) -> bool {
    visual.spec.dimensions.is_empty() && visual.spec.measures.is_empty()
}

/// A visual's chart, computed from its spec (and a cross-filter), on the
/// page at once.
pub fn visual_chart(
    table: Option<&Table>,
    visual: &Visual,
    cross: Option<&(String, String)>,
) -> ChartResult {
    let table = match table {
        Some(t) => t,
        None => {
            return Some(Err(format!(
                "There is no dataset called \"{}\".",
                visual.dataset
            )))
        }
    };
    if shelves_empty(visual) {
        return Some(Err(
            "Drag fields onto the shelves (or use a field's Add to… menu) to build a chart.".into(),
        ));
    }
    Some(
        chart_data(&visual.spec, table, cross)
            .map(|d| (visual.spec.kind, d))
            .map_err(|e| e.to_string()),
    )
}

/// The chart of the visual `inputs` gives (its table, the visual, a
/// cross-filter), kept up to date, and whether one is being computed in
/// the background (the last chart shows meanwhile). A table visual (its
/// rows do not travel as JSON) and small tables are computed on the page.
pub fn visual_chart_signal(
    inputs: impl Fn() -> Option<(Option<Table>, Visual, Cross)> + 'static,
) -> (Signal<ChartResult>, Signal<bool>) {
    let chart = RwSignal::new(None::<Result<(ChartKind, ChartData), String>>);
    let busy = RwSignal::new(false);
    let asked = StoredValue::new_local(Ticket::new());
    Effect::new(move |_| {
        let ticket = asked.try_update_value(Ticket::renew).unwrap_or_default();
        let Some((table, visual, cross)) = inputs() else {
            busy.set(false);
            chart.set(None);
            return;
        };
        let background = table.as_ref().filter(|t| {
            in_background(t) && visual.spec.kind != ChartKind::Table && !shelves_empty(&visual)
        });
        let Some(table) = background.cloned() else {
            busy.set(false);
            chart.set(visual_chart(table.as_ref(), &visual, cross.as_ref()));
            return;
        };
        busy.set(true);
        spawn_local(async move {
            let args = (&visual.spec, &cross);
            let answer: Result<Answer, String> =
                held::ask_json(&table, "visual-chart", &args, &|_, _| {}, &ticket).await;
            if !ticket.is_cancelled() {
                chart.set(Some(answer.and_then(|a| a)));
                busy.set(false);
            }
        });
    });
    (chart.into(), busy.into())
}

//! Embedding: `?embed=<view>` shows one view without the app's chrome;
//! `?parent=<origins>` names the pages allowed to talk to it. To those
//! origins only, the app sends `ready`, `resize` (its height, so the page
//! can size the iframe) and `stateChanged`, and answers requests
//! (`core::share::embed` reads them); every other message is ignored.

use std::cell::RefCell;

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::data::summary::summarize_table;
use crate::core::data::table::Table;
use crate::core::explain::endpoint::Method;
use crate::core::share::embed::{self, parent_origins, rows_json, Command, Incoming, View};
use crate::ui::browser::held::Ticket;
use crate::ui::browser::json::{from_js, to_js};
use crate::ui::browser::location::raw_param;
use crate::ui::data::loader::{start_load, Source};
use crate::ui::explain::endpoint::{call_explain, call_predict, deployed};
use crate::ui::query::{runner, sql};
use crate::ui::state::{AppState, Dataset, SavedDataset};

/// The view `?embed=` asks for: None when not embedded, Err when it names
/// no view.
pub fn view_from_url() -> Option<Result<View, String>> {
    let view = raw_param("embed")?;
    Some(View::parse(&view, |name| {
        raw_param(name).filter(|v| !v.trim().is_empty())
    }))
}

thread_local! {
    static ALLOWED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// The datasets as they were before `setFilter`.
    static UNFILTERED: RefCell<Option<(Dataset, Vec<SavedDataset>)>> = const { RefCell::new(None) };
    static FILTER: RefCell<String> = const { RefCell::new(String::new()) };
}

fn parent() -> Option<web_sys::Window> {
    let w = web_sys::window()?;
    let p = w.parent().ok()??;
    (!js_sys::Object::is(&p, &w)).then_some(p)
}

fn post(message: &Value) {
    let Some(p) = parent() else { return };
    let js = to_js(message);
    for origin in ALLOWED.with_borrow(Clone::clone) {
        let _ = p.post_message(&js, &origin);
    }
}

fn reply_to(origin: &str, message: &Value) {
    let Some(p) = parent() else { return };
    let _ = p.post_message(&to_js(message), origin);
}

/// What the embedding page can read about the app.
fn state_json(state: AppState, view: &View) -> Value {
    let (name, rows, columns) = state.dataset.with_untracked(|d| {
        (
            d.table.name().to_owned(),
            d.table.num_rows(),
            d.table.num_columns(),
        )
    });
    let model = deployed(state)
        .map(|m| json!({"name": m.name, "version": m.model_version, "buildId": m.build_id}));
    let dashboards: Vec<Value> = state.visuals.dashboards.with_untracked(|all| all.iter().map(|d| json!({"id": d.id.to_string(), "title": d.title, "visuals": d.visuals.iter().map(|v| v.id.to_string()).collect::<Vec<_>>()})).collect());
    json!({
        "view": view,
        "dataset": {"name": name, "rows": rows, "columns": columns},
        "filter": FILTER.with_borrow(Clone::clone),
        "model": model,
        "dashboards": dashboards,
        "rebuilding": state.share.rebuilding.get_untracked(),
    })
}

/// Sets (or, with "", clears) a WHERE clause over every dataset the view
/// can show. A filter that does not apply changes nothing.
async fn set_filter(state: AppState, filter: &str) -> Result<Value, String> {
    let filter = filter.trim();
    if filter.is_empty() {
        if let Some((dataset, saved)) = UNFILTERED.with_borrow_mut(Option::take) {
            state.dataset.set(dataset);
            state.saved.set(saved);
        }
        FILTER.set(String::new());
        return Ok(json!({"rows": state.dataset.with_untracked(|d| d.table.num_rows())}));
    }
    let (dataset, saved) = UNFILTERED
        .with_borrow(Clone::clone)
        .unwrap_or_else(|| (state.dataset.get_untracked(), state.saved.get_untracked()));
    // In the held tables' worker for a large table, like every query.
    let apply = async |table: &Table| -> Result<Table, String> {
        let sql = format!("SELECT * FROM t WHERE {filter}");
        let catalog = [("t".to_owned(), table.clone())];
        runner::run(&catalog, &sql, &|_, _| {}, &Ticket::new())
            .await
            .map(|(t, _)| t.with_name(table.name().to_owned()))
            .map_err(|e| {
                format!(
                    "the filter {filter:?} does not apply to {}: {e}",
                    table.name()
                )
            })
    };
    let table = apply(&dataset.table).await?;
    // A saved dataset without the filter's columns is shown whole.
    let mut filtered_saved: Vec<SavedDataset> = Vec::with_capacity(saved.len());
    for d in &saved {
        filtered_saved.push(SavedDataset {
            table: apply(&d.table).await.unwrap_or_else(|_| d.table.clone()),
            ..d.clone()
        });
    }
    let rows = table.num_rows();
    let summaries = summarize_table(&table);
    let origin = dataset.origin.clone();
    UNFILTERED.set(Some((dataset, saved)));
    FILTER.set(filter.to_owned());
    state.dataset.set(Dataset::new(table, summaries, origin));
    state.saved.set(filtered_saved);
    Ok(json!({"rows": rows}))
}

async fn load(state: AppState, source: Source) -> Result<Value, String> {
    let before = state.base.with_untracked(|b| b.generation);
    let notices = state.notices.with_untracked(Vec::len);
    start_load(state, source);
    TimeoutFuture::new(0).await;
    while state.load.with_untracked(Option::is_some) {
        TimeoutFuture::new(50).await;
    }
    if state.base.with_untracked(|b| b.generation) == before {
        let why = state.notices.with_untracked(|n| {
            n.iter()
                .skip(notices.min(n.len().saturating_sub(1)))
                .last()
                .map(|n| {
                    std::iter::once(n.title.clone())
                        .chain(n.details.iter().cloned())
                        .collect::<Vec<_>>()
                        .join(": ")
                })
        });
        return Err(why.unwrap_or_else(|| "the data did not load".into()));
    }
    let (name, rows, columns) = state.base.with_untracked(|b| {
        (
            b.table.name().to_owned(),
            b.table.num_rows(),
            b.table.num_columns(),
        )
    });
    Ok(json!({"name": name, "rows": rows, "columns": columns}))
}

async fn answer(state: AppState, view: &View, command: Command) -> Result<Value, String> {
    match command {
        Command::LoadCsv { text, name } => {
            let parts = js_sys::Array::of1(&JsValue::from_str(&text));
            let options = web_sys::FilePropertyBag::new();
            options.set_type("text/csv");
            let file = web_sys::File::new_with_str_sequence_and_options(&parts, &name, &options)
                .map_err(|e| format!("{e:?}"))?;
            set_filter(state, "").await?;
            load(state, Source::File(file)).await
        }
        Command::LoadUrl { url } => {
            set_filter(state, "").await?;
            load(state, Source::Url(url)).await
        }
        Command::RunSql { sql: text, limit } => sql::run(state, &text, &|_, _| {}, &Ticket::new())
            .await
            .map(|(t, _)| rows_json(&t, limit))
            .map_err(|e| e.to_string()),
        Command::SetFilter { filter } => set_filter(state, &filter).await,
        Command::Predict { customer } => {
            call_predict(state, &customer).map(|p| json!({"probability": p}))
        }
        Command::Explain { customer, method } => call_explain(
            state,
            &customer,
            if method == "exact" {
                Method::Exact
            } else {
                Method::Lime
            },
        ),
        Command::GetState => Ok(state_json(state, view)),
    }
}

/// Starts the protocol for an embedded view: listens to the allowed
/// origins, says `ready`, and reports its height and changes.
pub fn start(state: AppState, view: View) {
    let allowed = raw_param("parent")
        .map(|p| parent_origins(&p))
        .unwrap_or_default();
    if allowed.is_empty() || parent().is_none() {
        return;
    }
    ALLOWED.set(allowed);
    let handler_view = view.clone();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let origin = event.origin();
            if !ALLOWED.with_borrow(|a| a.contains(&origin)) {
                return;
            }
            let from_parent = match (event.source(), parent()) {
                (Some(source), Some(p)) => js_sys::Object::is(&source, &p),
                _ => false,
            };
            if !from_parent {
                return;
            }
            match embed::parse(&from_js(&event.data())) {
                Incoming::Foreign => {}
                Incoming::Bad { id, error } => reply_to(&origin, &embed::reply_error(&id, &error)),
                Incoming::Request { id, command } => {
                    let view = handler_view.clone();
                    leptos::task::spawn_local(async move {
                        let reply = match answer(state, &view, command).await {
                            Ok(result) => embed::reply_ok(&id, result),
                            Err(e) => embed::reply_error(&id, &e),
                        };
                        reply_to(&origin, &reply);
                    });
                }
            }
        });
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    }
    on_message.forget();

    post(&embed::ready(&view));
    watch_height();
    let first = std::cell::Cell::new(true);
    Effect::new(move |_| {
        let dataset = state.dataset.with(|d| d.generation);
        let model = state.training.deployed.get();
        let dashboards = state.visuals.dashboards.with(Vec::len);
        let rebuilding = state.share.rebuilding.get();
        if first.replace(false) {
            return;
        }
        post(&embed::event(
            "stateChanged",
            json!({"dataset": dataset.to_string(), "model": model, "dashboards": dashboards, "rebuilding": rebuilding}),
        ));
    });
}

/// Sends the document's height whenever it changes.
fn watch_height() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let last = std::cell::Cell::new(-1.0f64);
    let measure = document.clone();
    let on_resize = Closure::<dyn Fn()>::new(move || {
        let Some(body) = measure.body() else { return };
        let body_height = body.get_bounding_client_rect().height().ceil();
        if (body_height - last.get()).abs() >= 1.0 {
            last.set(body_height);
            post(&embed::event("resize", json!({"height": body_height})));
        }
    });
    let observer = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref());
    if let Ok(observer) = observer {
        if let Some(body) = document.body() {
            observer.observe(&body);
        }
        std::mem::forget(observer);
    }
    on_resize.forget();
}

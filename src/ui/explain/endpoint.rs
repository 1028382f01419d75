//! The deployed model's endpoint: `explain` and `predict` for one customer,
//! used by the in-app console and by `window.churnlab.explain/predict`.

use leptos::prelude::*;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::core::explain::customer::{encode, probability};
use crate::core::explain::endpoint::{self, parse_input, Method};
use crate::ui::browser::json::to_js;
use std::cell::RefCell;
use std::rc::Rc;

use crate::core::explain::lime::Lime;
use crate::core::model::pipeline::SavedModel;
use crate::ui::browser::storage;
use crate::ui::data::datasets::persist;
use crate::ui::state::AppState;

/// The model behind the endpoint, if one is deployed.
pub fn deployed(state: AppState) -> Option<SavedModel> {
    let id = state.training.deployed.get_untracked()?;
    state
        .training
        .models
        .with_untracked(|m| m.iter().find(|m| m.build_id == id).cloned())
}

/// A served model: its build id, the model and its LIME tables.
type Served = (String, Rc<SavedModel>, Rc<Lime>);

thread_local! {
    /// The model being served and its LIME tables, by build id: a build id
    /// names one immutable model, so they are worked out once per deploy.
    static SERVING: RefCell<Option<Served>> = const { RefCell::new(None) };
}

/// The deployed model and its LIME tables, shared between calls.
fn serving(state: AppState) -> Option<(Rc<SavedModel>, Rc<Lime>)> {
    let id = state.training.deployed.get_untracked()?;
    let cached = SERVING.with_borrow(|c| {
        c.as_ref()
            .filter(|(cid, ..)| *cid == id)
            .map(|(_, m, l)| (m.clone(), l.clone()))
    });
    cached.or_else(|| {
        let model = Rc::new(deployed(state)?);
        let lime = Rc::new(Lime::new(&model));
        SERVING.set(Some((id, model.clone(), lime.clone())));
        Some((model, lime))
    })
}

const NO_MODEL: &str =
    "No model is deployed: train one, save it, and press Deploy on the Deploy page.";

/// Told of every answered `explain` call (the model and the answer); what it
/// returns becomes the answer's `predictionId`. Model operations registers
/// its metrics store here, so this module knows nothing of it.
pub type Observer = fn(&SavedModel, &Value) -> Option<String>;

thread_local! {
    static OBSERVER: std::cell::Cell<Option<Observer>> = const { std::cell::Cell::new(None) };
}

pub fn observe_calls(observer: Observer) {
    OBSERVER.set(Some(observer));
}

/// Counts an answered call, and notices the workshop's example customer.
fn count_call(state: AppState, input: &Value) {
    let example = endpoint::is_workshop_example(input);
    let first = example && !state.training.answered.with_untracked(|(_, seen)| *seen);
    state.training.answered.update(|(calls, seen)| {
        *calls += 1;
        *seen |= example;
    });
    if first {
        remember_example(state, true);
    }
}

/// Keeps whether the endpoint has answered the workshop's example (the
/// count of calls is this session's).
pub fn remember_example(state: AppState, seen: bool) {
    persist(
        state,
        "That the endpoint answered the example",
        async move { storage::save_answered_example(seen).await },
    );
}

/// `explain` on the deployed model.
pub fn call_explain(state: AppState, input: &Value, method: Method) -> Result<Value, String> {
    let (model, lime) = serving(state).ok_or(NO_MODEL)?;
    let mut answer = endpoint::explain(&model, &lime, input, method).map_err(|e| e.to_string())?;
    count_call(state, input);
    if let Some(id) = OBSERVER.get().and_then(|observe| observe(&model, &answer)) {
        answer["predictionId"] = Value::String(id);
    }
    Ok(answer)
}

/// `predict` on the deployed model: the probability alone.
pub fn call_predict(state: AppState, input: &Value) -> Result<f64, String> {
    let (model, _) = serving(state).ok_or(NO_MODEL)?;
    let values = parse_input(&model, input).map_err(|e| e.to_string())?;
    count_call(state, input);
    Ok(probability(&model, &encode(&model, &values)))
}

fn from_js(value: &JsValue) -> Result<Value, String> {
    let text = if let Some(s) = value.as_string() {
        s
    } else {
        js_sys::JSON::stringify(value)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or("the input cannot be read as JSON")?
    };
    serde_json::from_str(&text).map_err(|e| format!("the input must be one JSON object: {e}"))
}

/// Adds `window.churnlab.explain(input, method?)` and `predict(input)`:
/// both return promises, rejected with an `Error` naming the bad field.
pub fn install(state: AppState) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(api) = js_sys::Reflect::get(&window, &"churnlab".into()) else {
        return;
    };
    let settle = |r: Result<JsValue, String>| match r {
        Ok(v) => js_sys::Promise::resolve(&v),
        Err(e) => js_sys::Promise::reject(&js_sys::Error::new(&e).into()),
    };
    let explain_fn = Closure::<dyn Fn(JsValue, JsValue) -> js_sys::Promise>::new(
        move |input: JsValue, method: JsValue| {
            let method = match method.as_string() {
                None => Ok(Method::Lime),
                Some(m) => Method::from_id(&m)
                    .ok_or(format!("unknown method \"{m}\": use \"lime\" or \"exact\"")),
            };
            settle(
                method
                    .and_then(|m| from_js(&input).and_then(|v| call_explain(state, &v, m)))
                    .map(|v| to_js(&v)),
            )
        },
    );
    let predict_fn = Closure::<dyn Fn(JsValue) -> js_sys::Promise>::new(move |input: JsValue| {
        settle(
            from_js(&input)
                .and_then(|v| call_predict(state, &v))
                .map(JsValue::from),
        )
    });
    // For the benchmarks: exact contributions for every row of the active
    // dataset, and the deployed model's JSON.
    let score_all = Closure::<dyn Fn() -> JsValue>::new(move || {
        let o = js_sys::Object::new();
        match serving(state) {
            None => {
                let _ = js_sys::Reflect::set(&o, &"error".into(), &NO_MODEL.into());
            }
            Some((m, _)) => {
                let start = crate::ui::browser::perf::now_ms();
                let rows = state.dataset.with_untracked(|d| {
                    crate::core::explain::scoring::score_table(&m, &d.table).len()
                });
                let _ = js_sys::Reflect::set(
                    &o,
                    &"ms".into(),
                    &(crate::ui::browser::perf::now_ms() - start).into(),
                );
                let _ = js_sys::Reflect::set(&o, &"rows".into(), &(rows as f64).into());
            }
        }
        o.into()
    });
    let model_json = Closure::<dyn Fn() -> JsValue>::new(move || {
        serving(state).map_or(JsValue::NULL, |(m, _)| JsValue::from_str(&m.to_json()))
    });
    let _ = js_sys::Reflect::set(&api, &"scoreAll".into(), &score_all.into_js_value());
    let _ = js_sys::Reflect::set(&api, &"deployedModel".into(), &model_json.into_js_value());
    let _ = js_sys::Reflect::set(&api, &"explain".into(), &explain_fn.into_js_value());
    let _ = js_sys::Reflect::set(&api, &"predict".into(), &predict_fn.into_js_value());
}

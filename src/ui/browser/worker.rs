//! Web Workers that run this same wasm module, for work that would
//! otherwise hold up the page: parsing parts of a large CSV in parallel,
//! training.
//!
//! The page sends each worker the compiled `WebAssembly.Module` once, so
//! nothing is downloaded or compiled twice; `public/worker.js` instantiates
//! it and passes every later message to [`churnlab_worker_handle`], which
//! looks the request's `kind` up in a table of tasks that the stages
//! register at the worker's start ([`register`]); this module knows none of
//! them. Requests carry an id; workers answer with progress messages and
//! one result.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

// ------------------------------------------------------------ worker side

/// What a task answers: its result, or an error for the page.
pub type TaskFuture = Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>;

/// A task a worker can run, given the request.
pub type Task = fn(JsValue) -> TaskFuture;

thread_local! {
    static TASKS: RefCell<Vec<(&'static str, Task)>> = const { RefCell::new(Vec::new()) };
}

/// Makes requests of `kind` run `task` in this worker.
pub fn register(kind: &'static str, task: Task) {
    TASKS.with_borrow_mut(|tasks| {
        tasks.retain(|(k, _)| *k != kind);
        tasks.push((kind, task));
    });
}

/// Entry point for requests inside a worker (called by `public/worker.js`).
#[wasm_bindgen]
pub async fn churnlab_worker_handle(request: JsValue) -> Result<JsValue, JsValue> {
    let kind = get_str(&request, "kind");
    let task = TASKS.with_borrow(|tasks| tasks.iter().find(|(k, _)| Some(*k) == kind.as_deref()).map(|(_, t)| *t));
    match task {
        Some(task) => task(request).await,
        None => Err(JsValue::from_str(&format!("unknown request {kind:?}"))),
    }
}

/// Reports progress of request `id` to the page, from inside a worker.
pub fn post_progress(id: f64, bytes: f64, rows: f64) {
    let Ok(scope) = js_sys::global().dyn_into::<web_sys::DedicatedWorkerGlobalScope>() else { return };
    let message = object(&[("kind", "progress".into()), ("id", id.into()), ("bytes", bytes.into()), ("rows", rows.into())]);
    let _ = scope.post_message(&message);
}

pub fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

pub fn get_str(value: &JsValue, key: &str) -> Option<String> {
    get(value, key).as_string()
}

pub fn get_f64(value: &JsValue, key: &str) -> Option<f64> {
    get(value, key).as_f64()
}

pub fn object(fields: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in fields {
        let _ = Reflect::set(&o, &(*k).into(), v);
    }
    o
}

// -------------------------------------------------------------- page side

type ProgressFn = Box<dyn Fn(f64, f64)>;

struct Pending {
    resolve: Function,
    reject: Function,
    on_progress: ProgressFn,
}

/// Workers booted with this module, and the requests they are serving.
pub struct Pool {
    workers: Vec<web_sys::Worker>,
    /// Each worker's start-up promise, settled on its first message.
    booting: Vec<Rc<RefCell<Option<(Function, Function)>>>>,
    pending: Rc<RefCell<HashMap<u32, Pending>>>,
    next_id: Cell<u32>,
    _handlers: Vec<Closure<dyn FnMut(web_sys::MessageEvent)>>,
}

thread_local! {
    static POOL: RefCell<Option<Rc<Pool>>> = const { RefCell::new(None) };
}

/// The URL of the wasm-bindgen glue the page was started with.
fn glue_url() -> Option<String> {
    let document = web_sys::window()?.document()?;
    let script = document.query_selector("script[data-js]").ok()??;
    let relative = script.get_attribute("data-js")?;
    let base = document.base_uri().ok()??;
    Some(web_sys::Url::new_with_base(&relative, &base).ok()?.href())
}

fn reject_all(pending: &RefCell<HashMap<u32, Pending>>, reason: &str) {
    for (_, p) in pending.borrow_mut().drain() {
        let _ = p.reject.call1(&JsValue::NULL, &JsValue::from_str(reason));
    }
}

/// How many cores the browser reports (`navigator.hardwareConcurrency`), at least 1.
pub fn cores() -> usize {
    web_sys::window().map_or(1.0, |w| w.navigator().hardware_concurrency()).max(1.0) as usize
}

/// A booted pool of `size` workers, created on first use and then reused.
pub async fn pool(size: usize) -> Result<Rc<Pool>, String> {
    if let Some(p) = POOL.with_borrow(|p| p.clone()).filter(|p| p.workers.len() >= size) {
        return Ok(p);
    }
    terminate_pool();
    // The one-file copy has no files: its worker script (glue included) is a blob.
    let bundled = web_sys::window().and_then(|w| js_sys::Reflect::get(&w, &"churnlabWorkerUrl".into()).ok()).and_then(|u| u.as_string());
    let one_file = bundled.is_some();
    let (script, glue) = match bundled {
        Some(url) => (url, String::new()),
        None => ("worker.js".to_owned(), glue_url().ok_or("workers need the page's module script")?),
    };
    let pending: Rc<RefCell<HashMap<u32, Pending>>> = Rc::new(RefCell::new(HashMap::new()));
    let mut workers = Vec::with_capacity(size);
    let mut handlers = Vec::with_capacity(size);
    let mut booted = Vec::with_capacity(size);
    let mut booting = Vec::with_capacity(size);
    for _ in 0..size {
        let options = web_sys::WorkerOptions::new();
        // The one-file copy's worker is a classic script (file:// pages cannot start module workers).
        options.set_type(if one_file { web_sys::WorkerType::Classic } else { web_sys::WorkerType::Module });
        let worker = web_sys::Worker::new_with_options(&script, &options).map_err(|e| format!("{e:?}"))?;
        // The first message says whether the module started; later ones answer requests.
        let ready: Rc<RefCell<Option<(Function, Function)>>> = Rc::new(RefCell::new(None));
        let ready_promise = {
            let ready = ready.clone();
            Promise::new(&mut move |resolve, reject| *ready.borrow_mut() = Some((resolve, reject)))
        };
        booting.push(ready.clone());
        let routes = pending.clone();
        let handler = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let data = event.data();
            match get_str(&data, "kind").as_deref() {
                Some("ready") => {
                    if let Some((resolve, _)) = ready.borrow_mut().take() {
                        let _ = resolve.call0(&JsValue::NULL);
                    }
                }
                Some("boot-failed") => {
                    if let Some((_, reject)) = ready.borrow_mut().take() {
                        let _ = reject.call1(&JsValue::NULL, &get(&data, "error"));
                    }
                }
                Some("progress") => {
                    let id = get_f64(&data, "id").unwrap_or(-1.0) as u32;
                    if let Some(p) = routes.borrow().get(&id) {
                        (p.on_progress)(get_f64(&data, "bytes").unwrap_or(0.0), get_f64(&data, "rows").unwrap_or(0.0));
                    }
                }
                Some(kind @ ("result" | "error")) => {
                    let id = get_f64(&data, "id").unwrap_or(-1.0) as u32;
                    if let Some(p) = routes.borrow_mut().remove(&id) {
                        let _ = if kind == "result" {
                            p.resolve.call1(&JsValue::NULL, &get(&data, "result"))
                        } else {
                            p.reject.call1(&JsValue::NULL, &get(&data, "error"))
                        };
                    }
                }
                _ => {}
            }
        });
        worker.set_onmessage(Some(handler.as_ref().unchecked_ref()));
        let boot = object(&[("kind", "boot".into()), ("glue", glue.clone().into()), ("module", wasm_bindgen::module())]);
        worker.post_message(&boot).map_err(|e| format!("{e:?}"))?;
        booted.push(JsFuture::from(ready_promise));
        workers.push(worker);
        handlers.push(handler);
    }
    let pool = Rc::new(Pool { workers, booting, pending, next_id: Cell::new(1), _handlers: handlers });
    POOL.with_borrow_mut(|p| *p = Some(pool.clone()));
    for ready in booted {
        if let Err(e) = ready.await {
            terminate_pool();
            return Err(e.as_string().unwrap_or_else(|| "a worker failed to start".into()));
        }
    }
    Ok(pool)
}

/// Stops every worker at once (Cancel); requests in flight fail.
pub fn terminate_pool() {
    if let Some(pool) = POOL.with_borrow_mut(Option::take) {
        for w in &pool.workers {
            w.terminate();
        }
        for slot in &pool.booting {
            if let Some((_, reject)) = slot.borrow_mut().take() {
                let _ = reject.call1(&JsValue::NULL, &JsValue::from_str("cancelled"));
            }
        }
        reject_all(&pool.pending, "cancelled");
    }
}

impl Pool {
    pub fn size(&self) -> usize {
        self.workers.len()
    }

    /// Sends `request` to worker `index` now; the returned future resolves
    /// with the worker's result. `transfer` lists buffers to move, not copy.
    pub fn call(
        &self,
        index: usize,
        request: &Object,
        transfer: &Array,
        on_progress: impl Fn(f64, f64) + 'static,
    ) -> Result<JsFuture, String> {
        let id = self.next_id.get();
        self.next_id.set(id.wrapping_add(1));
        let _ = Reflect::set(request, &"id".into(), &(id as f64).into());
        let mut slots: Option<(Function, Function)> = None;
        let promise = Promise::new(&mut |resolve, reject| slots = Some((resolve, reject)));
        let (resolve, reject) = slots.ok_or("the promise did not start")?;
        self.pending.borrow_mut().insert(id, Pending { resolve, reject, on_progress: Box::new(on_progress) });
        let worker = self.workers.get(index).ok_or("no such worker")?;
        if let Err(e) = worker.post_message_with_transfer(request, transfer) {
            self.pending.borrow_mut().remove(&id);
            return Err(format!("{e:?}"));
        }
        Ok(JsFuture::from(promise))
    }
}

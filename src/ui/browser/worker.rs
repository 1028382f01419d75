//! Web Workers that run the workers' wasm module (`src/bin/churnlab-worker.rs`,
//! built beside the page's), for work that would otherwise hold up the
//! page: parsing parts of a large CSV in parallel, training, simulations,
//! queries on large tables.
//!
//! The page fetches and compiles the workers' module once, when its first
//! view is painted ([`prefetch`]) or when a job needs it first, and sends
//! each worker the compiled `WebAssembly.Module`, so nothing is downloaded
//! or compiled twice; `public/worker.js` instantiates
//! it and passes every later message to [`churnlab_worker_handle`], which
//! looks the request's `kind` up in a table of tasks that the stages
//! register at the worker's start ([`register`]); this module knows none of
//! them. Requests carry an id; workers answer with progress messages and
//! one result.
//!
//! Each kind of job has workers of its own ([`lease`]): cancelling one job
//! ([`cancel`]) stops its workers only, and starting one never stops
//! another's. A job gets the cores no other running job holds, and always
//! at least one worker, so jobs of different kinds run at once. A worker
//! that dies (an uncaught error, a trap, a message that cannot be read)
//! fails the requests it was serving with a message that says so, and its
//! workers are replaced at the next job.

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
    let task = TASKS.with_borrow(|tasks| {
        tasks
            .iter()
            .find(|(k, _)| Some(*k) == kind.as_deref())
            .map(|(_, t)| *t)
    });
    match task {
        Some(task) => task(request).await,
        None => Err(JsValue::from_str(&format!("unknown request {kind:?}"))),
    }
}

/// Reports progress of request `id` to the page, from inside a worker.
pub fn post_progress(id: f64, bytes: f64, rows: f64) {
    let Ok(scope) = js_sys::global().dyn_into::<web_sys::DedicatedWorkerGlobalScope>() else {
        return;
    };
    let message = object(&[
        ("kind", "progress".into()),
        ("id", id.into()),
        ("bytes", bytes.into()),
        ("rows", rows.into()),
    ]);
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
    worker: usize,
    resolve: Function,
    reject: Function,
    on_progress: ProgressFn,
}

type Settle = Rc<RefCell<Option<(Function, Function)>>>;

/// Workers booted with this module for one kind of job, and the requests
/// they are serving.
pub struct Pool {
    kind: &'static str,
    workers: Vec<web_sys::Worker>,
    /// Each worker's start-up promise, settled on its first message.
    booting: Vec<Settle>,
    pending: Rc<RefCell<HashMap<u32, Pending>>>,
    /// A worker died: the pool is not used for another job.
    broken: Rc<Cell<bool>>,
    next_id: Cell<u32>,
    _handlers: Vec<Closure<dyn FnMut(web_sys::MessageEvent)>>,
    _error_handlers: Vec<Closure<dyn FnMut(web_sys::Event)>>,
}

/// A pool and whether a job holds it now.
struct Slot {
    pool: Rc<Pool>,
    busy: bool,
}

thread_local! {
    /// At most one pool per kind of job.
    static POOLS: RefCell<Vec<Slot>> = const { RefCell::new(Vec::new()) };
}

/// Calls `window[name]()`, which boot.js (or the one-file copy) defines.
fn call_boot(name: &str) -> Result<JsValue, String> {
    let window = web_sys::window().ok_or("workers are started from a page")?;
    let f: Function = Reflect::get(&window, &name.into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| format!("this page cannot start workers: no {name} (boot.js)"))?;
    f.call0(&window).map_err(|e| format!("{name}: {e:?}"))
}

/// The workers' module, compiled once (by boot.js, which keeps it).
async fn worker_module() -> Result<JsValue, String> {
    let promise: Promise = call_boot("churnlabWorkerModule")?
        .dyn_into()
        .map_err(|_| "churnlabWorkerModule did not answer a promise")?;
    JsFuture::from(promise).await.map_err(|e| {
        format!(
            "the workers' module could not be loaded: {}",
            crate::ui::browser::json::error_text(&e)
        )
    })
}

/// Fetches and compiles the workers' module when the page is next idle
/// after its next paint (at most a second on), so that the first job does
/// not wait for it on a warm cache; called once the app is mounted.
pub fn prefetch() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let after_paint = Closure::once_into_js(|| {
        crate::ui::browser::perf::when_idle(1000, || {
            wasm_bindgen_futures::spawn_local(async {
                if let Err(e) = worker_module().await {
                    web_sys::console::warn_1(&e.into());
                }
            })
        })
    });
    let _ = window.request_animation_frame(after_paint.unchecked_ref());
}

/// Fails the requests of `worker` (every worker when `None`) with `reason`.
fn reject_where(pending: &RefCell<HashMap<u32, Pending>>, worker: Option<usize>, reason: &str) {
    let ids: Vec<u32> = pending
        .borrow()
        .iter()
        .filter(|(_, p)| worker.is_none_or(|w| p.worker == w))
        .map(|(id, _)| *id)
        .collect();
    for id in ids {
        let entry = pending.borrow_mut().remove(&id);
        if let Some(p) = entry {
            let _ = p.reject.call1(&JsValue::NULL, &JsValue::from_str(reason));
        }
    }
}

/// How many cores the browser reports (`navigator.hardwareConcurrency`), at least 1.
pub fn cores() -> usize {
    web_sys::window()
        .map_or(1.0, |w| w.navigator().hardware_concurrency())
        .max(1.0) as usize
}

/// The workers a job of `kind` holds while it runs. Dropped, they wait for
/// the next job of that kind (or are stopped when another kind needs the
/// room); a pool whose worker died is stopped instead.
pub struct Lease {
    pool: Rc<Pool>,
}

impl Drop for Lease {
    fn drop(&mut self) {
        POOLS.with_borrow_mut(|pools| {
            if let Some(i) = pools.iter().position(|s| Rc::ptr_eq(&s.pool, &self.pool)) {
                if self.pool.broken.get() {
                    pools.remove(i).pool.stop("a worker stopped");
                } else {
                    pools[i].busy = false;
                }
            }
        });
    }
}

impl std::ops::Deref for Lease {
    type Target = Pool;
    fn deref(&self) -> &Pool {
        &self.pool
    }
}

/// Workers for a job of `kind` that could use `wanted` of them: the cores
/// other running jobs do not hold, at least one. A job of the same kind
/// already running is refused (each stage refuses it first, saying so).
pub async fn lease(kind: &'static str, wanted: usize) -> Result<Lease, String> {
    // First, while nothing is held: the rest, to the workers' start, is one turn.
    let module = worker_module().await?;
    let (reuse, granted) = POOLS.with_borrow_mut(|pools| {
        if pools.iter().any(|s| s.pool.kind == kind && s.busy) {
            return Err(format!("a {kind} job is already running"));
        }
        let held: usize = pools.iter().filter(|s| s.busy).map(|s| s.pool.size()).sum();
        let granted = wanted.min(cores().saturating_sub(held)).max(1);
        // Our idle workers are used again if they are the right number.
        let kept = pools
            .iter_mut()
            .find(|s| s.pool.kind == kind && s.pool.size() == granted && !s.pool.broken.get())
            .map(|s| {
                s.busy = true;
                s.pool.clone()
            });
        // Idle workers may stay only in cores no job holds; the rest stop.
        let mut room = cores().saturating_sub(held + granted);
        pools.retain(|s| {
            let own = kept.as_ref().is_some_and(|k| Rc::ptr_eq(k, &s.pool));
            if s.busy || own {
                return true;
            }
            if s.pool.kind != kind && s.pool.size() <= room {
                room -= s.pool.size();
                return true;
            }
            s.pool.stop("replaced");
            false
        });
        Ok((kept, granted))
    })?;
    if let Some(pool) = reuse {
        return Ok(Lease { pool });
    }
    let (pool, booted) = Pool::start(kind, granted, &module)?;
    POOLS.with_borrow_mut(|pools| {
        pools.push(Slot {
            pool: pool.clone(),
            busy: true,
        })
    });
    let lease = Lease { pool };
    for ready in booted {
        if let Err(e) = ready.await {
            lease.pool.broken.set(true);
            return Err(e
                .as_string()
                .unwrap_or_else(|| "a worker failed to start".into()));
        }
    }
    Ok(lease)
}

/// Stops the workers of the job of `kind` at once (its Cancel); its
/// requests in flight fail with "cancelled". Other jobs go on.
pub fn cancel(kind: &'static str) {
    let stopped: Vec<Slot> = POOLS.with_borrow_mut(|pools| {
        let (gone, kept): (Vec<Slot>, Vec<Slot>) = std::mem::take(pools)
            .into_iter()
            .partition(|s| s.pool.kind == kind);
        *pools = kept;
        gone
    });
    for slot in stopped {
        slot.pool.stop("cancelled");
    }
}

/// The workers there are now, by kind: `(kind, workers, busy)`.
pub fn census() -> Vec<(&'static str, usize, bool)> {
    POOLS.with_borrow(|pools| {
        pools
            .iter()
            .map(|s| (s.pool.kind, s.pool.size(), s.busy))
            .collect()
    })
}

impl Pool {
    /// Starts `size` workers for `kind`; each future settles when its worker has booted.
    fn start(
        kind: &'static str,
        size: usize,
        module: &JsValue,
    ) -> Result<(Rc<Pool>, Vec<JsFuture>), String> {
        // The one-file copy has no files: its worker script (glue included) is a blob.
        let bundled = web_sys::window()
            .and_then(|w| js_sys::Reflect::get(&w, &"churnlabWorkerUrl".into()).ok())
            .and_then(|u| u.as_string());
        let one_file = bundled.is_some();
        let (script, glue) = match bundled {
            Some(url) => (url, String::new()),
            None => (
                "worker.js".to_owned(),
                call_boot("churnlabWorkerGlue")?
                    .as_string()
                    .ok_or("churnlabWorkerGlue did not answer a URL")?,
            ),
        };
        let pending: Rc<RefCell<HashMap<u32, Pending>>> = Rc::new(RefCell::new(HashMap::new()));
        let broken = Rc::new(Cell::new(false));
        let mut workers = Vec::with_capacity(size);
        let mut handlers = Vec::with_capacity(size);
        let mut error_handlers = Vec::with_capacity(2 * size);
        let mut booted = Vec::with_capacity(size);
        let mut booting = Vec::with_capacity(size);
        for index in 0..size {
            let options = web_sys::WorkerOptions::new();
            // The one-file copy's worker is a classic script (file:// pages cannot start module workers).
            options.set_type(if one_file {
                web_sys::WorkerType::Classic
            } else {
                web_sys::WorkerType::Module
            });
            options.set_name(&format!("churnlab-{kind}-{index}"));
            let worker = web_sys::Worker::new_with_options(&script, &options)
                .map_err(|e| format!("{e:?}"))?;
            // The first message says whether the module started; later ones answer requests.
            let ready: Settle = Rc::new(RefCell::new(None));
            let ready_promise = {
                let ready = ready.clone();
                Promise::new(&mut move |resolve, reject| {
                    *ready.borrow_mut() = Some((resolve, reject))
                })
            };
            booting.push(ready.clone());
            let (routes, dead) = (pending.clone(), broken.clone());
            let boot_slot = ready.clone();
            let handler = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
                move |event: web_sys::MessageEvent| {
                    let data = event.data();
                    match get_str(&data, "kind").as_deref() {
                        Some("ready") => {
                            if let Some((resolve, _)) = boot_slot.borrow_mut().take() {
                                let _ = resolve.call0(&JsValue::NULL);
                            }
                        }
                        Some("boot-failed") => {
                            if let Some((_, reject)) = boot_slot.borrow_mut().take() {
                                let _ = reject.call1(&JsValue::NULL, &get(&data, "error"));
                            }
                        }
                        Some("progress") => {
                            let id = get_f64(&data, "id").unwrap_or(-1.0) as u32;
                            if let Some(p) = routes.borrow().get(&id) {
                                (p.on_progress)(
                                    get_f64(&data, "bytes").unwrap_or(0.0),
                                    get_f64(&data, "rows").unwrap_or(0.0),
                                );
                            }
                        }
                        Some(answer @ ("result" | "error")) => {
                            let id = get_f64(&data, "id").unwrap_or(-1.0) as u32;
                            let entry = routes.borrow_mut().remove(&id);
                            if let Some(p) = entry {
                                if answer == "result" {
                                    let _ = p.resolve.call1(&JsValue::NULL, &get(&data, "result"));
                                } else if get(&data, "fatal").is_truthy() {
                                    // A trap (a panic) or memory exhausted: the instance is done for.
                                    dead.set(true);
                                    let message = format!("the {kind} worker stopped ({}); it will be replaced: try again", get_str(&data, "error").unwrap_or_default());
                                    let _ = p
                                        .reject
                                        .call1(&JsValue::NULL, &JsValue::from_str(&message));
                                } else {
                                    let _ = p.reject.call1(&JsValue::NULL, &get(&data, "error"));
                                }
                            }
                        }
                        _ => {}
                    }
                },
            );
            worker.set_onmessage(Some(handler.as_ref().unchecked_ref()));
            // A worker that dies says so once, on the page's side: its
            // requests fail with the reason instead of waiting for ever.
            for event in ["error", "messageerror"] {
                let (routes, dead, boot_slot) = (pending.clone(), broken.clone(), ready.clone());
                let on_death = Closure::<dyn FnMut(web_sys::Event)>::new(
                    move |e: web_sys::Event| {
                        // Handled here: not also an uncaught error of the page.
                        e.prevent_default();
                        dead.set(true);
                        let what = e
                            .dyn_ref::<web_sys::ErrorEvent>()
                            .map(|e| e.message())
                            .filter(|m| !m.is_empty())
                            .unwrap_or_else(|| format!("{event} event"));
                        let message = format!("the {kind} worker stopped unexpectedly ({what}); it will be replaced: try again");
                        if let Some((_, reject)) = boot_slot.borrow_mut().take() {
                            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&message));
                        }
                        reject_where(&routes, Some(index), &message);
                    },
                );
                let _ = worker
                    .add_event_listener_with_callback(event, on_death.as_ref().unchecked_ref());
                error_handlers.push(on_death);
            }
            let boot = object(&[
                ("kind", "boot".into()),
                ("glue", glue.clone().into()),
                ("module", module.clone()),
            ]);
            worker.post_message(&boot).map_err(|e| format!("{e:?}"))?;
            booted.push(JsFuture::from(ready_promise));
            workers.push(worker);
            handlers.push(handler);
        }
        let pool = Rc::new(Pool {
            kind,
            workers,
            booting,
            pending,
            broken,
            next_id: Cell::new(1),
            _handlers: handlers,
            _error_handlers: error_handlers,
        });
        Ok((pool, booted))
    }

    /// Terminates every worker; what they were doing fails with `reason`.
    fn stop(&self, reason: &str) {
        for w in &self.workers {
            w.terminate();
        }
        for slot in &self.booting {
            if let Some((_, reject)) = slot.borrow_mut().take() {
                let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(reason));
            }
        }
        reject_where(&self.pending, None, reason);
    }

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
        if self.broken.get() {
            return Err(format!(
                "the {} worker stopped; it will be replaced: try again",
                self.kind
            ));
        }
        let id = self.next_id.get();
        self.next_id.set(id.wrapping_add(1));
        let _ = Reflect::set(request, &"id".into(), &(id as f64).into());
        let mut slots: Option<(Function, Function)> = None;
        let promise = Promise::new(&mut |resolve, reject| slots = Some((resolve, reject)));
        let (resolve, reject) = slots.ok_or("the promise did not start")?;
        self.pending.borrow_mut().insert(
            id,
            Pending {
                worker: index,
                resolve,
                reject,
                on_progress: Box::new(on_progress),
            },
        );
        let worker = self.workers.get(index).ok_or("no such worker")?;
        if let Err(e) = worker.post_message_with_transfer(request, transfer) {
            self.pending.borrow_mut().remove(&id);
            return Err(format!("{e:?}"));
        }
        Ok(JsFuture::from(promise))
    }
}

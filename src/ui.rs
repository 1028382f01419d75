//! The Leptos user interface over the pure core. The shell ([`app`],
//! [`routes`], [`state`]) and [`pages`] built from shared [`components`];
//! one folder per workshop stage for what the pages do beyond showing
//! things ([`data`]: loading and datasets, [`query`]: running SQL,
//! [`model`]: training in a worker, [`explain`]: the deployed endpoint,
//! [`ops`]: simulations, monitoring and the lab's metrics API; [`share`]:
//! offline use, project files, share links and embedding; [`labs`]: the
//! guided lab, its live checks and the learner's progress);
//! [`browser`] wraps the platform (storage, workers, downloads, the panic
//! message, timing); [`js_api`] is `window.churnlab`.

pub mod app;
pub mod browser;
pub mod components;
pub mod data;
pub mod explain;
pub mod js_api;
pub mod labs;
pub mod model;
pub mod ops;
pub mod pages;
pub mod query;
pub mod routes;
pub mod share;
pub mod state;

pub use app::App;

/// Installs the panic hook and the JS API, then mounts the app on `<body>`.
pub fn start() {
    browser::panic::install();
    js_api::install();
    if let Some(boot) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("boot")) {
        boot.remove();
    }
    leptos::mount::mount_to_body(App);
}

/// In a worker: installs the panic hook and registers the tasks the page
/// may send (`browser::worker` dispatches them by kind).
pub fn start_worker() {
    browser::panic::install();
    data::loader::register_worker_tasks();
    model::training::register_worker_tasks();
    ops::tasks::register_worker_tasks();
}

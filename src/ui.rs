//! The Leptos user interface over the pure core. The shell ([`app`] with
//! its header and notices, [`routes`], [`state`]); one folder per workshop
//! stage, as in the core, with that stage's pages, components and actions
//! ([`data`]: loading, datasets and the data page; [`query`]: SQL and the
//! filter builder; [`chart`]: dashboards and exploration; [`model`]:
//! training, experiments; [`explain`]: the endpoint, deploying, customers;
//! [`export`]: to production; [`ops`]: simulations, monitoring and the
//! lab's metrics API; [`share`]: offline use, project files, share links
//! and embedding; [`labs`]: the guided lab; [`jobs`]: named, scheduled
//! runs of the labs' steps); [`widgets`] for the few pieces
//! several stages show; [`browser`] wraps the platform (storage, workers,
//! downloads, the panic message, timing); [`js_api`] is `window.churnlab`.

pub mod app;
pub mod browser;
pub mod chart;
pub mod data;
pub mod explain;
pub mod export;
pub mod jobs;
pub mod js_api;
pub mod labs;
pub mod model;
pub mod ops;
pub mod query;
pub mod routes;
pub mod share;
pub mod state;
pub mod widgets;

pub use app::App;

/// Installs the panic hook and the JS API, then mounts the app on `<body>`.
pub fn start() {
    browser::perf::timeline_mark("churnlab:start");
    browser::panic::install();
    js_api::install();
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
    leptos::mount::mount_to_body(App);
    browser::perf::timeline_mark("churnlab:mounted");
    browser::worker::prefetch();
}

/// In a worker: installs the panic hook and registers the tasks the page
/// may send (`browser::worker` dispatches them by kind).
pub fn start_worker() {
    browser::panic::install();
    browser::held::register_worker_task();
    data::loader::register_worker_tasks();
    model::training::register_worker_tasks();
    model::checking::register_worker_ops();
    chart::explore_jobs::register_worker_ops();
    chart::visual_jobs::register_worker_ops();
    query::runner::register_worker_ops();
    ops::tasks::register_worker_tasks();
    js_api::register_worker_ops();
    explain::customer_filter::register_worker_ops();
}

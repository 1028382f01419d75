//! The Leptos user interface over the pure core: app shell, pages, shared
//! components, browser storage and the loaders that feed the core bytes.

pub mod app;
pub mod components;
pub mod datasets;
pub mod download;
pub mod endpoint;
pub mod js_api;
pub mod js_table;
pub mod loader;
pub mod pages;
pub mod panic;
pub mod routes;
pub mod sql;
pub mod state;
pub mod storage;
pub mod training;
pub mod worker;

pub use app::App;

/// Installs the panic hook and the JS API, then mounts the app on `<body>`.
pub fn start() {
    panic::install();
    js_api::install();
    if let Some(boot) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("boot")) {
        boot.remove();
    }
    leptos::mount::mount_to_body(App);
}

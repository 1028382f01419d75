//! Entry point: in the browser, start the app; in a worker, wait for
//! requests; natively there is nothing to run.

#[cfg(target_arch = "wasm32")]
fn main() {
    // In a worker (no window) the module only answers requests.
    if web_sys::window().is_some() {
        churnlab::ui::start();
    } else {
        churnlab::ui::start_worker();
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Churnlab runs in the browser: `scripts/serve` builds and serves it.");
}

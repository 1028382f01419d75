//! Entry point: in the browser, start the app; natively there is nothing to run.

#[cfg(target_arch = "wasm32")]
fn main() {
    churnlab::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Churnlab runs in the browser: `scripts/serve` builds and serves it.");
}

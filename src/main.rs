//! The page's entry point: the app. The workers run a module of their own
//! (`src/bin/churnlab-worker.rs`), so the engines only they use are not in
//! the page's first download; natively there is nothing to run.

#[cfg(target_arch = "wasm32")]
fn main() {
    churnlab::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Churnlab runs in the browser: `scripts/serve` builds and serves it.");
}

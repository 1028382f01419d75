//! The workers' entry point: a module of its own, built beside the page's
//! (index.html), that only answers requests. The page fetches and compiles
//! it once its first view is painted and hands it to each worker it starts.

#[cfg(target_arch = "wasm32")]
fn main() {
    churnlab::ui::start_worker();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("churnlab-worker runs in a browser's worker: `scripts/serve` builds and serves it.");
}

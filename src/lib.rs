//! Churnlab: the customer-churn machine-learning workshop in the browser.
//!
//! [`core`] is the pure `churnlab-core` crate (in `src/core`), tested
//! natively; [`ui`] is the Leptos app on top and only exists for `wasm32`.

pub use churnlab_core as core;

#[cfg(target_arch = "wasm32")]
pub mod ui;

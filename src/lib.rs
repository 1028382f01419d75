//! Churnlab: the customer-churn machine-learning workshop in the browser.
//!
//! [`core`] is pure and tested natively; [`ui`] is the Leptos app on top and
//! only exists for `wasm32`.

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod ui;

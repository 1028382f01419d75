//! The explain stage's actions: the deployed model's endpoint, for the
//! console, the customers page and `window.churnlab`.

pub mod endpoint;

//! The model-operations stage's actions: simulations of traffic to the
//! deployed model run in a worker ([`tasks`]) and are kept and reopened
//! ([`simulations`], state in [`types`]); the lab's metrics API on
//! `window.churnlab` ([`tracking`]).

pub mod simulations;
pub mod tasks;
pub mod tracking;
pub mod types;

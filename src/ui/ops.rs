//! The model-operations stage's actions: simulations of traffic to the
//! deployed model run in a worker ([`tasks`]) and are kept and reopened
//! ([`simulations`], state in [`types`]); the lab's metrics API on
//! `window.churnlab` ([`tracking`]); the Operations page and its panels
//! (the run's charts and blocks, drift, alerts, retraining, the list of
//! simulations).

pub mod alert_rules;
pub mod alerts_raised;
pub mod answer_key;
pub mod operations_page;
pub mod ops_alerts;
pub mod ops_drift;
pub mod ops_retrain;
pub mod ops_run;
pub mod ops_simulation_list;
pub mod simulations;
pub mod tasks;
pub mod tracking;
pub mod types;

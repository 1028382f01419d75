//! The model stage: feature encoding, the logistic regression, metrics,
//! training with cross-validation, and the saved pipeline (the registry's
//! file format).

pub mod charts;
pub mod config;
pub mod datacheck;
pub mod defaults;
pub mod features;
pub mod logistic;
pub mod metrics;
pub mod pipeline;
pub mod reference;
pub mod run;
pub mod train;

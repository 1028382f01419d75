//! The model-operations stage: the workshop's simulation of traffic to the
//! deployed model with delayed labels ([`simulate`], [`scenario`], the
//! [`log`]), what monitoring sees in it block by block ([`blocks`]: drift
//! from [`drift`], estimates from [`cbpe`] with [`isotonic`] calibration),
//! alert rules and their false-alarm rates ([`alerts`]), the scenario's
//! [`answer`] key, all of it together in a [`report`]; retraining and a
//! challenger's shadow comparison ([`retrain`]); and the metrics store the
//! lab writes to by hand ([`tracking`]).

pub mod alerts;
pub mod answer;
pub mod blocks;
pub mod cbpe;
pub mod charts;
pub mod drift;
pub mod isotonic;
pub mod log;
pub mod report;
pub mod retrain;
pub mod saved;
pub mod scenario;
pub mod simulate;
pub mod tracking;

//! The guided-labs stage in the browser: the workshop's lab (compiled in
//! from `labs/workshop.md`), its checks evaluated live over the app's
//! facts, the learner's progress kept in storage ([`live`]; state in
//! [`types`]).

pub mod live;
pub mod types;

//! The explain stage: the endpoint's input contract and exact
//! contributions, LIME, scoring whole tables, and counterfactuals.

pub mod counterfactual;
pub mod customer;
pub mod endpoint;
pub mod lime;
pub mod scoring;

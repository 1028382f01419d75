//! The explain stage: the deployed model's endpoint for the console, the
//! customers page and `window.churnlab` ([`endpoint`]); the Deploy page
//! (registry, endpoint console, batch scoring) and the Customers page
//! (every customer's risk, one customer's what-if and counterfactuals).

pub mod customers_page;
pub mod deploy_page;
pub mod endpoint;

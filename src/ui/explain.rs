//! The explain stage: the deployed model's endpoint for the console, the
//! customers page and `window.churnlab` ([`endpoint`]); the Deploy page
//! (registry, endpoint console, batch scoring) and the Customers page
//! (every customer's risk, one customer's what-if and counterfactuals).

pub mod batch;
pub mod customer_filter;
pub mod customer_marks;
pub mod customer_rows;
pub mod customer_view;
pub mod customers_page;
pub mod customers_table;
pub mod deploy_page;
pub mod endpoint;
pub mod endpoint_panel;
pub mod feature_controls;
pub mod keep_customer;
pub mod waterfall;

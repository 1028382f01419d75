//! One module per page of the app.

pub mod data_page;
pub mod sql_page;

pub use data_page::DataPage;
pub use sql_page::SqlPage;

//! One module per page of the app.

pub mod data_page;

pub use data_page::DataPage;

//! One module per page of the app.

pub mod customers_page;
pub mod data_page;
pub mod deploy_page;
pub mod embedded_page;
pub mod experiments_page;
pub mod explore_page;
pub mod operations_page;
pub mod share_page;
pub mod sql_page;
pub mod train_page;
pub mod visuals_page;

pub use customers_page::CustomersPage;
pub use data_page::DataPage;
pub use deploy_page::DeployPage;
pub use embedded_page::EmbeddedPage;
pub use experiments_page::ExperimentsPage;
pub use explore_page::ExplorePage;
pub use operations_page::OperationsPage;
pub use share_page::SharePage;
pub use sql_page::SqlPage;
pub use train_page::TrainPage;
pub use visuals_page::VisualsPage;

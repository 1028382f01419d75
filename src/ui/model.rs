//! The model stage: training runs in workers, recording them as
//! experiments, and the model registry ([`training`]); the Train page with
//! its data check, and the Experiments page.

pub mod data_check;
pub mod experiments_page;
pub mod train_page;
pub mod training;

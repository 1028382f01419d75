//! The model stage: training runs in workers, recording them as
//! experiments, and the model registry ([`training`]); the Train page with
//! its data check, and the Experiments page.

pub mod checking;
pub mod classification_report;
pub mod compare_runs;
pub mod data_check;
pub mod experiments_page;
pub mod feature_choice;
pub mod grid_form;
pub mod run_fields;
pub mod runs_table;
pub mod save_model;
pub mod train_form;
pub mod train_page;
pub mod train_progress;
pub mod train_results;
pub mod training;

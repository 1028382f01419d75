//! The data stage: loading files and URLs into the core's ingest
//! ([`loader`]) and the base, saved and active datasets with their field
//! edits ([`datasets`]); the data page and its pieces (column summaries,
//! the datasets list, the field editor), the load's progress bar and the
//! drop target for files.

pub mod column_summary_card;
pub mod data_page;
pub mod dataset_list;
pub mod datasets;
pub mod drop_overlay;
pub mod field_editor;
pub mod load_progress;
pub mod loader;

//! The data stage's actions: loading files and URLs into the core's ingest
//! ([`loader`]) and the base, saved and active datasets with their field
//! edits ([`datasets`]).

pub mod datasets;
pub mod loader;

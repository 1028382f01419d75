//! The data stage: Arrow-backed tables, CSV in and out, type inference and
//! retyping, joining parts, the binary codec used for storage, column
//! summaries, the synthetic default dataset and field edits.

pub(crate) mod builder;
pub mod cast;
pub mod catalog;
pub mod codec;
pub mod concat;
pub mod csv;
pub mod fields;
pub mod infer;
pub mod ingest;
pub mod summary;
pub mod synth;
pub mod table;

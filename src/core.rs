//! The pure core: tables, CSV ingest, synthetic data and (later) queries,
//! models and explanations. No DOM, no I/O, no clocks: inputs are bytes and
//! seeds, so everything here runs under plain `cargo test`.

pub mod cast;
pub mod chart;
pub mod codec;
pub mod concat;
pub mod csv;
pub mod explore;
pub mod features;
pub mod fields;
pub mod filter;
pub mod hash;
pub mod infer;
pub mod ingest;
pub mod metrics;
pub mod model;
pub mod numfmt;
pub mod query;
pub mod rng;
pub mod summary;
pub mod synth;
pub mod table;
pub mod viewport;

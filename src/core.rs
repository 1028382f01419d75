//! The pure core: tables, CSV ingest, synthetic data, queries, charts,
//! training and (later) explanations. No DOM, no I/O, no clocks: inputs are bytes and
//! seeds, so everything here runs under plain `cargo test`.

pub mod cast;
pub mod chart;
pub mod codec;
pub mod concat;
pub mod counterfactual;
pub mod csv;
pub mod explain;
pub mod explore;
pub mod features;
pub mod fields;
pub mod filter;
pub mod hash;
pub mod infer;
pub mod ingest;
pub mod lime;
pub mod metrics;
pub mod model;
pub mod numfmt;
pub mod pipeline;
pub mod query;
pub mod rng;
pub mod scoring;
pub mod summary;
pub mod synth;
pub mod table;
pub mod train;
pub mod viewport;

//! The pure core of Churnlab, one folder per stage of the workshop:
//! [`data`] (tables, CSV ingest, field edits), [`query`] (SQL and the filter
//! builder), [`chart`] (chart specs, their data and drawing, exploration),
//! [`model`] (features, training, evaluation, the saved pipeline) and
//! [`explain`] (the endpoint's contract, LIME, scoring many customers,
//! counterfactuals), [`ops`] (simulated traffic and monitoring) and
//! [`share`] (project files, share links, embedding), [`labs`] (guided
//! labs that check themselves), [`jobs`] (named, scheduled runs of the
//! labs' steps) and [`export`] (the model and queries for
//! other engines), over [`common`]
//! pieces (seeded randomness, hashing, statistics and tests, number
//! formatting).
//!
//! No DOM, no I/O, no clocks: inputs are bytes and seeds, so everything here
//! runs under plain `cargo test`. This crate does not depend on leptos,
//! web-sys, js-sys, gloo or wasm-bindgen, so the compiler keeps it that way.

pub mod chart;
pub mod common;
pub mod data;
pub mod explain;
pub mod export;
pub mod jobs;
pub mod labs;
pub mod model;
pub mod ops;
pub mod query;
pub mod share;

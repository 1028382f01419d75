//! The query stage: SQL over the Arrow tables ([`engine`]) and the visual
//! filter builder that writes and reads a query's WHERE clause ([`filter`]).

pub mod engine;
pub mod filter;

pub use engine::{
    run_sql, sort_order, sort_table, take_rows, Catalog, Position, Scalar, SqlError, SqlType,
};

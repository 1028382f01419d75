//! The query stage: SQL over the Arrow tables ([`engine`]) and the visual
//! filter builder that writes and reads a query's WHERE clause ([`filter`]).

pub mod engine;
pub mod filter;

pub use engine::{run_sql, sort_table, Catalog, Position, Scalar, SqlError, SqlType};

//! From the browser to production: a saved model and the saved datasets
//! written for the engines teams already run. [`scoring_sql`] writes the
//! whole pipeline as one SQL query of plain expressions (CASE, arithmetic,
//! EXP), which DuckDB, Spark SQL and PostgreSQL all accept.

pub mod scoring_sql;

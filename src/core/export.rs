//! From the browser to production: a saved model and the saved datasets
//! written for the engines teams already run. [`scoring_sql`] writes the
//! whole pipeline as one SQL query of plain expressions (CASE, arithmetic,
//! EXP), which DuckDB, Spark SQL and PostgreSQL all accept; [`onnx`] writes
//! it as an ONNX model for ONNX Runtime. [`datasets_sql`] writes `churn`
//! and every saved dataset (its query and field edits) as one script of
//! views for DuckDB or Spark SQL; [`job`] puts them all in one zipped
//! folder ([`zip`]) with a job for DuckDB and one for Spark, and the
//! app's own jobs as scripts with their crontab ([`job_scripts`]).

pub mod datasets_sql;
pub mod job;
pub mod job_scripts;
pub mod onnx;
pub mod scoring_sql;
pub mod zip;

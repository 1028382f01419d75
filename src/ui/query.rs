//! The query stage's actions: running the SQL page's query over the
//! datasets, and its history.

pub mod sql;

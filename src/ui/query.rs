//! The query stage: where SQL runs, on the page or in the held tables'
//! worker ([`runner`]); the SQL page's query over the datasets and its
//! history ([`sql`]); the SQL page, its editor and the filter builder that
//! writes the WHERE clause.

pub mod filter_builder;
pub mod runner;
pub mod sql;
pub mod sql_editor;
pub mod sql_page;

//! The jobs stage in the browser: the Jobs page ([`jobs_page`], with the
//! [`job_editor`]), the [`runner`] that fires and runs jobs with the labs'
//! actions, what jobs added to those actions ([`steps`]), and keeping the
//! jobs and their runs ([`store`]); state in [`types`].

pub mod job_editor;
pub mod jobs_page;
pub mod runner;
pub mod steps;
pub mod store;
pub mod types;

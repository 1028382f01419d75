//! The jobs stage (the workshop's Lab 4): a named, repeatable unit of work
//! made of the labs' `do:` steps ([`job`]), started by hand, by a clock
//! while the app is open, or by another job's success ([`trigger`]), with a
//! bounded history of its runs ([`history`]). The browser side runs them;
//! `export::job_scripts` writes them for production.

pub mod book;
pub mod history;
pub mod job;
pub mod trigger;

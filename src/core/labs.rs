//! The guided-labs stage: lab files (Markdown with a front matter, see
//! [`format`]) whose steps check themselves with declarative [`check`]s
//! over a documented set of the app's [`facts`], which [`snapshot`] builds
//! from the app's state. Labs are data: a lab file
//! can name facts and values, never run code.

pub mod check;
pub mod facts;
pub mod format;
pub mod markdown;
pub mod progress;
pub mod snapshot;

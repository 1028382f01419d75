//! The guided-labs stage: lab files (Markdown with a front matter, see
//! [`format`]) whose steps check themselves with declarative [`check`]s
//! over a documented set of the app's [`facts`], which [`snapshot`] builds
//! from the app's state, and whose "Do it for me" is a list of [`actions`]
//! from a fixed set. Labs are data: a lab file can name facts, actions and
//! values, never run code. A learner's [`progress`] exports as a completion
//! [`record`].

pub mod actions;
pub mod check;
pub mod facts;
pub mod format;
pub mod markdown;
pub mod progress;
pub mod record;
pub mod snapshot;

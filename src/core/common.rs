//! Small pieces every stage uses: seeded randomness, fast hashing,
//! statistics and statistical tests, number formatting, ordering rows by
//! a number, what a number
//! field accepts, names safe for files, and virtual-scroll arithmetic.

pub mod hash;
pub mod hypothesis;
pub mod number_rule;
pub mod numfmt;
pub mod order;
pub mod rng;
pub mod slug;
pub mod stats;
pub mod viewport;

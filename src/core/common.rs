//! Small pieces every stage uses: seeded randomness, fast hashing,
//! statistics, number formatting and virtual-scroll arithmetic.

pub mod hash;
pub mod numfmt;
pub mod rng;
pub mod stats;
pub mod viewport;

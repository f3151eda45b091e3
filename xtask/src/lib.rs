//! The parts of `cargo xtask` that tests use too: reading specs from disk and writing
//! standalone crates.

pub mod files;
pub mod standalone;

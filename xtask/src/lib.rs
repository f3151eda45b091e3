//! The parts of `cargo xtask` that tests use too: reading specs from disk and writing
//! standalone crates; and the build benchmark, which reads the runtime's TLS features from
//! `standalone`.

pub mod bench_build;
pub mod bench_calls;
pub mod changelog;
pub mod files;
pub mod standalone;

//! The parts of `cargo xtask` that tests use too: reading specs from disk and writing
//! standalone crates; the comparison with upstream's published spec (`upstream`); and the build
//! benchmark, which reads the runtime's TLS features from `standalone`.

pub mod bench_build;
pub mod bench_calls;
pub mod changelog;
pub mod drift;
pub mod files;
pub mod standalone;
pub mod upstream;

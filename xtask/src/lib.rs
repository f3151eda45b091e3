//! The parts of `cargo xtask` that tests use too: reading specs from disk and writing
//! standalone crates; the comparison with upstream's published spec (`upstream`); the build
//! benchmark, which reads the runtime's TLS features from `standalone`; and the scale
//! benchmark's synthetic document.

pub mod bench_build;
pub mod bench_calls;
pub mod bench_scale;
pub mod changelog;
pub mod drift;
pub mod files;
pub mod standalone;
pub mod upstream;

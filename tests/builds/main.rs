//! Builds that run cargo themselves: the fixture crates under clippy, and the client's TLS
//! feature sets. One test binary, so that the two run side by side (each in a target directory
//! of its own): each spends long stretches in a build script or the linker, when the other
//! can use the machine.

mod fixture_crates;
mod tls_features;

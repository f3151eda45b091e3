//! Builds that run cargo themselves: the fixture crates under clippy, and the client's TLS
//! and date-time feature sets. One test binary, so that they run side by side: each spends
//! long stretches in a build script or the linker, when another can use the machine.

mod fixture_crates;
mod tls_features;

/// The target directory of the nested checks (the fixture crates and the TLS feature sets),
/// relative to the repository: one for all of them, so that a crate they share is checked
/// once, and apart from the workspace's, whose crates are built, not checked.
const NESTED_CHECKS: &str = "target/nested/check";

//! The deprecated Twitter/X operations warn at compile time: under `#![deny(deprecated)]` a
//! call fails to build with the spec's note, while a current operation builds.
//!
//! To accept a changed compiler message: `TRYBUILD=overwrite cargo test -p highlevel-tests
//! --test deprecation`, then review `tests/ui/*.stderr`.

#[test]
fn deprecated_operations_warn_at_compile_time() {
    let cases = trybuild::TestCases::new();
    cases.pass("ui/current_operation.rs");
    cases.compile_fail("ui/deprecated_twitter.rs");
}

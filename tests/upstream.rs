//! `cargo xtask upstream` on the checked-in spec and HighLevel's published reference: the
//! report is a golden file, so that a change of spec, of marker or of the tool shows in review.
//!
//! The reference sits beside the repository (`../shared/reference/highlevel`), or where
//! `HIGHLEVEL_REFERENCE` says. Without it the test fails: it is never skipped.
//!
//! On an intended change: `UPDATE_EXPECT=1 cargo test -p highlevel-tests --test upstream`, then
//! review the diff of `tests/upstream/report.txt`.

use std::path::PathBuf;

use highlevel_tests::{golden_mismatch, repo_root};

/// The directory of HighLevel's published docs (it holds `apps/`).
fn reference_dir() -> PathBuf {
    let dir = match std::env::var_os("HIGHLEVEL_REFERENCE") {
        Some(dir) => PathBuf::from(dir),
        None => repo_root().join("../shared/reference/highlevel"),
    };
    assert!(
        dir.join("apps/social-media-posting.json").is_file(),
        "HighLevel's published reference is not at {}: put it there (the repository's clone sits \
         beside shared/), or set HIGHLEVEL_REFERENCE to the directory that holds its apps/",
        dir.display()
    );
    dir
}

#[test]
fn the_report_on_the_spec_and_the_reference_is_the_golden_one() {
    let report = xtask::drift::report(&repo_root(), &reference_dir())
        .unwrap_or_else(|e| panic!("the comparison failed: {e}"));
    let golden = repo_root().join("tests/upstream/report.txt");
    if let Some(diff) = golden_mismatch(&golden, &report.render()) {
        panic!(
            "the upstream report changed (- checked in, + now):\n{diff}\nIf that is intended, run \
             `UPDATE_EXPECT=1 cargo test -p highlevel-tests --test upstream` and review the diff \
             of tests/upstream/report.txt."
        );
    }
}

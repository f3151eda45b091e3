//! `cargo xtask upstream` on the checked-in spec and HighLevel's published reference: the
//! report is a golden file, so that a change of spec, of marker or of the tool shows in review.
//!
//! The reference sits beside the repository (`../shared/reference/highlevel`, or in
//! `shared/reference/highlevel` of any directory above it), or where `HIGHLEVEL_REFERENCE`
//! says. We may not copy it into the repository, and CI reaches no network but the package
//! registries, so a CI machine may not have it: there (`CI` set) the test says loudly that it
//! did not compare and passes; anywhere else it fails. The tool's logic is tested apart, on
//! documents in memory (`xtask/src/upstream/tests.rs`), everywhere.
//!
//! On an intended change: `UPDATE_EXPECT=1 cargo test -p highlevel-tests --test upstream`, then
//! review the diff of `tests/upstream/report.txt`.

use std::path::PathBuf;

use highlevel_tests::{golden_mismatch, repo_root};

/// The directory of HighLevel's published docs (it holds `apps/`), if this machine has it.
fn reference_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("HIGHLEVEL_REFERENCE") {
        let dir = PathBuf::from(dir);
        assert!(
            dir.join("apps/social-media-posting.json").is_file(),
            "HIGHLEVEL_REFERENCE is {}, which holds no apps/social-media-posting.json",
            dir.display()
        );
        return Some(dir);
    }
    repo_root()
        .ancestors()
        .skip(1)
        .map(|dir| dir.join("shared/reference/highlevel"))
        .find(|dir| dir.join("apps/social-media-posting.json").is_file())
}

#[test]
fn the_report_on_the_spec_and_the_reference_is_the_golden_one() {
    let Some(reference) = reference_dir() else {
        let missing = "HighLevel's published reference is not beside the repository \
                       (../shared/reference/highlevel) and HIGHLEVEL_REFERENCE is not set";
        assert!(
            std::env::var_os("CI").is_some(),
            "{missing}: put it there, or set HIGHLEVEL_REFERENCE to the directory that holds \
             its apps/"
        );
        eprintln!(
            "NOT COMPARED: {missing}; this CI machine cannot check tests/upstream/report.txt"
        );
        return;
    };
    let report = xtask::drift::report(&repo_root(), &reference)
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

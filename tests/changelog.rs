//! Golden tests of the API changelog: each directory in `changelog/<case>/` holds a spec
//! before and after one change, and the changelog `cargo xtask regen` prints for it
//! (`expected.md`): which entries, and whether each is breaking for users of the crate.
//!
//! To accept a deliberate change, run
//! `UPDATE_EXPECT=1 cargo test -p highlevel-tests --test changelog` and review the diff.

use std::fs;

use highlevel_tests::{golden_mismatch, repo_root};

#[test]
fn every_case_gives_its_checked_in_changelog() {
    let dir = repo_root().join("tests/changelog");
    let mut cases: Vec<String> = fs::read_dir(&dir)
        .expect("tests/changelog")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    assert!(cases.len() >= 20, "the cases are there: {cases:?}");
    let mut diffs = Vec::new();
    for case in &cases {
        let model = |side: &str| {
            let source = format!("tests/changelog/{case}/{side}.yaml");
            let text = fs::read_to_string(repo_root().join(&source)).expect("fixture spec");
            generator::model(&source, &text)
                .unwrap_or_else(|e| panic!("`{case}` does not generate: {e}"))
        };
        let changes = generator::changelog::compare(&model("before"), &model("after"));
        // One change each: only the case without one has no entry.
        assert_eq!(
            changes.entries.is_empty(),
            case == "no_change",
            "{case}: {changes:?}"
        );
        diffs.extend(golden_mismatch(
            &dir.join(case).join("expected.md"),
            &changes.markdown(),
        ));
    }
    assert!(
        diffs.is_empty(),
        "the changelog of some cases changed (- checked in, + now):\n\n{}\n\
         If the change is intended, accept it with\n    \
         UPDATE_EXPECT=1 cargo test -p highlevel-tests --test changelog\n\
         and review `git diff tests/changelog/` before committing.",
        diffs.concat()
    );
}

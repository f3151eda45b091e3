//! Golden files that compile: every fixture becomes a standalone crate (as `cargo xtask
//! generate` writes it) and passes `cargo clippy -- -D warnings`. Text equality in `golden.rs`
//! says the output did not change; this says the output is valid, warning-free Rust.
//!
//! The crates are written under `target/fixture-crates/` and share one target directory, so
//! their dependencies (the same as `generated-client`'s, pinned by the workspace lockfile)
//! build once.

use std::fs;
use std::process::Command;

use highlevel_tests::repo_root;

#[test]
fn every_fixture_generates_a_crate_that_passes_clippy() {
    let root = repo_root();
    let work = root.join("target/fixture-crates");
    let mut failures = Vec::new();
    let mut cases: Vec<String> = fs::read_dir(root.join("tests/fixtures"))
        .expect("fixtures")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    for case in &cases {
        let out = work.join(case);
        let request = xtask::standalone::Request {
            spec: root.join("tests/fixtures").join(case).join("spec.yaml"),
            out: out.clone(),
            name: Some(format!("fixture-{}", case.replace('_', "-"))),
        };
        let (files, _) = xtask::standalone::crate_files(&root, &request)
            .unwrap_or_else(|e| panic!("fixture `{case}` does not generate: {e}"));
        xtask::standalone::write(&out, &files).expect("the crate is written");
        fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).expect("lockfile copied");
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = Command::new(cargo)
            .args(["clippy", "--quiet", "--all-targets", "--target-dir"])
            .arg(work.join("target"))
            .args(["--", "-D", "warnings"])
            .current_dir(&out)
            .output()
            .expect("cargo runs");
        if !output.status.success() {
            failures.push(format!(
                "fixture `{case}` ({}):\n{}",
                out.display(),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

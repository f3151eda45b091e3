//! Golden files that compile: every fixture becomes a crate as `cargo xtask generate` writes
//! it and passes `cargo clippy --all-targets -- -D warnings`, in both forms that command has:
//! depending on `runtime/` by path, and with the runtime vendored into the crate. Text
//! equality in `golden.rs` says the output did not change; this says it is valid,
//! warning-free Rust.
//!
//! The path-dependent crates are members of one workspace under `target/fixture-crates/`, so
//! that one `cargo clippy` checks them all and the runtime once; the vendored crate is a
//! workspace of its own, as it would be for a user. Both share one target directory, with the
//! TLS checks, and the repository's lockfile.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use highlevel_tests::repo_root;

/// The fixture that is also generated with `--vendor-runtime`: it uses multipart bodies, text
/// and binary bodies, so the vendored runtime's parts are all reached.
const VENDORED_CASE: &str = "responses_and_bodies";

#[test]
fn every_fixture_generates_a_crate_that_passes_clippy() {
    let root = repo_root();
    let work = root.join("target/fixture-crates");
    let mut cases: Vec<String> = fs::read_dir(root.join("tests/fixtures"))
        .expect("fixtures")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();

    let members = work.join("members");
    // Crates of fixtures that were renamed or removed would linger as members.
    let _ = fs::remove_dir_all(&members);
    for case in &cases {
        let manifest = generate(&root, case, &members.join(case), false);
        // Written as `generate` writes it, but for its `[workspace]` table: here the crates
        // share the workspace around them.
        let shared = manifest
            .split("\n# A crate of its own")
            .next()
            .expect("split yields a first part");
        fs::write(members.join(case).join("Cargo.toml"), shared).expect("manifest written");
    }
    let names: Vec<String> = cases.iter().map(|c| format!("\"{c}\"")).collect();
    fs::write(
        members.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            names.join(", ")
        ),
    )
    .expect("workspace manifest written");
    let vendored = work.join("vendored");
    generate(&root, VENDORED_CASE, &vendored, true);

    let target = root.join(crate::NESTED_CHECKS);
    let failures: Vec<String> = [&members, &vendored]
        .into_iter()
        .filter_map(|dir| clippy(&root, dir, &target))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Writes the fixture `case`'s crate into `out` and returns its manifest.
fn generate(root: &Path, case: &str, out: &Path, vendor_runtime: bool) -> String {
    let request = xtask::standalone::Request {
        spec: root.join("tests/fixtures").join(case).join("spec.yaml"),
        out: out.to_owned(),
        name: Some(format!("fixture-{}", case.replace('_', "-"))),
        vendor_runtime,
    };
    let (files, _) = xtask::standalone::crate_files(root, &request)
        .unwrap_or_else(|e| panic!("fixture `{case}` does not generate: {e}"));
    xtask::standalone::write(out, &files).expect("the crate is written");
    if vendor_runtime {
        let runtime = out.join("runtime/src/lib.rs");
        assert!(
            runtime.exists(),
            "the runtime is vendored into {}",
            out.display()
        );
    }
    files["Cargo.toml"].clone()
}

/// `cargo clippy --workspace --all-targets -- -D warnings` in `dir`; the failure, if any.
fn clippy(root: &Path, dir: &PathBuf, target: &Path) -> Option<String> {
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("lockfile copied");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "clippy",
            "--quiet",
            "--workspace",
            "--all-targets",
            "--target-dir",
        ])
        .arg(target)
        .args(["--", "-D", "warnings"])
        .current_dir(dir)
        .output()
        .expect("cargo runs");
    (!output.status.success()).then(|| {
        format!(
            "{}:\n{}",
            dir.display(),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

//! Every TLS feature set of the client builds, and a build without one stops with a message
//! that says what to enable. The client's own tests run on the default (`rustls-ring`); these
//! are `cargo check`s of the other sets, in the target directory the fixture crates are
//! checked in, so that the crates both use are checked once. With the `date-time` feature,
//! which changes field types, the client's date-time tests pass (`.ci/run` lints that build).

use std::process::{Command, Output};

use highlevel_tests::repo_root;

/// What `runtime/src/vendor.rs` declares: the features, and the default.
#[path = "../../runtime/src/vendor.rs"]
#[allow(
    dead_code,
    reason = "the file list is for vendoring, not for this test"
)]
mod runtime_vendor;

fn check(features: Option<&str>) -> Output {
    let root = repo_root();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args([
            "check",
            "--quiet",
            "-p",
            "highlevel-social-planner",
            "--lib",
        ])
        .args(["--no-default-features", "--target-dir"])
        .arg(root.join(crate::NESTED_CHECKS))
        .current_dir(&root);
    if let Some(features) = features {
        command.args(["--features", features]);
    }
    command.output().expect("cargo runs")
}

#[test]
fn every_tls_feature_builds() {
    let failures: Vec<String> = runtime_vendor::TLS_FEATURES
        .iter()
        .filter(|f| **f != runtime_vendor::DEFAULT_TLS_FEATURE)
        .filter_map(|feature| {
            let output = check(Some(feature));
            (!output.status.success()).then(|| {
                format!(
                    "`{feature}` does not build:\n{}",
                    String::from_utf8_lossy(&output.stderr)
                )
            })
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn without_a_tls_feature_the_build_says_what_to_enable() {
    let output = check(None);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "built without TLS:\n{stderr}");
    assert!(
        stderr.contains("needs a TLS implementation")
            && runtime_vendor::TLS_FEATURES
                .iter()
                .all(|f| stderr.contains(&format!("`{f}`"))),
        "{stderr}"
    );
}

#[test]
fn the_date_time_feature_reads_timestamps() {
    // In the workspace's own target directory: the test build around this test is done (cargo
    // holds no lock while tests run), and most of what it compiled serves this build too.
    let root = repo_root();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let test = Command::new(cargo)
        .args(["test", "--quiet", "-p", "highlevel-social-planner"])
        .args(["--features", "date-time", "--test", "date_time"])
        .current_dir(&root)
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&test.stdout);
    assert!(
        test.status.success() && stdout.contains("3 passed"),
        "the date-time tests with the feature:\n{stdout}\n{}",
        String::from_utf8_lossy(&test.stderr)
    );
}

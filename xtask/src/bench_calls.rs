//! `cargo xtask bench-calls`: instructions per call of the generated client against a bare
//! reqwest call, counted by callgrind. Timings on a shared machine move by a fifth from one run
//! to the next; instruction counts do not, so small costs of the runtime show.
//!
//! The bench binary (`bench/benches/calls.rs`) makes N calls of one variant on one thread; the
//! count for N includes the set-up and the loopback server's side, so the cost of the calls is
//! the difference between two runs, divided by the difference in calls.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The variants the bench binary knows, the first being the one the others are compared to.
const VARIANTS: &[&str] = &["bare", "client", "limited"];
/// The two numbers of calls whose difference is measured.
const CALLS: (u64, u64) = (100, 300);

pub fn run(root: &Path) -> Result<(), String> {
    let binary = build_bench(root)?;
    let mut per_call = Vec::new();
    for variant in VARIANTS {
        let low = instructions(&binary, variant, CALLS.0)?;
        let high = instructions(&binary, variant, CALLS.1)?;
        let cost = high.saturating_sub(low) as f64 / (CALLS.1 - CALLS.0) as f64;
        println!("bench-calls: {variant}: {cost:.0} instructions per call");
        per_call.push((variant, cost));
    }
    let bare = per_call[0].1;
    println!();
    println!("{:<10} {:>14} {:>8}", "variant", "instr./call", "ratio");
    for (variant, cost) in &per_call {
        println!("{variant:<10} {cost:>14.0} {:>8.3}", cost / bare);
    }
    Ok(())
}

/// Builds the bench binary in release and returns its path.
fn build_bench(root: &Path) -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "bench",
            "--no-run",
            "-p",
            "highlevel-bench",
            "--bench",
            "calls",
            "--message-format=json",
        ])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "building the bench failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    executable(&String::from_utf8_lossy(&output.stdout))
        .ok_or_else(|| "cargo named no executable for the `calls` bench".to_owned())
}

/// The executable of the `calls` target among cargo's JSON messages.
fn executable(messages: &str) -> Option<PathBuf> {
    messages
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|message| message["target"]["name"] == "calls")
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
}

/// The instructions callgrind counts for `calls` calls of `variant`.
fn instructions(binary: &Path, variant: &str, calls: u64) -> Result<u64, String> {
    let out = std::env::temp_dir().join(format!("bench-calls-{}.out", std::process::id()));
    let output = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(binary)
        .args([variant, &calls.to_string()])
        .output()
        .map_err(|e| format!("cannot run valgrind ({e}); install it (Debian: valgrind)"))?;
    let _ = std::fs::remove_file(&out);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!(
            "callgrind failed for `{variant} {calls}`:\n{stderr}"
        ));
    }
    collected(&stderr).ok_or_else(|| format!("callgrind printed no count:\n{stderr}"))
}

/// The number in callgrind's `Collected : N` line.
fn collected(stderr: &str) -> Option<u64> {
    stderr
        .lines()
        .find_map(|line| line.split_once("Collected :"))
        .and_then(|(_, count)| count.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_and_the_executable_are_found() {
        let stderr = "==1== Events    : Ir\n==1== Collected : 87810769\n==1==\n";
        assert_eq!(collected(stderr), Some(87_810_769));
        assert_eq!(collected("nothing"), None);
        let messages = concat!(
            r#"{"reason":"compiler-artifact","target":{"name":"overhead"},"executable":"/t/overhead-1"}"#,
            "\n",
            r#"{"reason":"compiler-artifact","target":{"name":"calls"},"executable":"/t/calls-2"}"#,
            "\n",
            r#"{"reason":"build-finished","success":true}"#,
        );
        assert_eq!(executable(messages), Some(PathBuf::from("/t/calls-2")));
    }
}

//! `cargo run --release -p generator-fuzz -- [--minutes N] [--seed S]`
//!
//! Mutates the repository's specs for N minutes (default 10) and feeds them to the generator.
//! Prints a summary; writes any input that panicked or took longer than 10 s to
//! `target/fuzz-findings/` and exits with status 1. The input being run is always in
//! `target/fuzz-current.txt`, so that one that crashes the process is not lost.

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use generator_fuzz::{Report, corpus, run};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse::<u64>().ok())
    };
    let minutes = value("--minutes").unwrap_or(10);
    let seed = value("--seed").unwrap_or(0x5eed);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("in the repository");
    let seeds = corpus(repo, &["spec", "tests/fixtures", "tests/bad_specs"]);
    println!(
        "fuzz: {} seed specs, seed {seed:#x}, {minutes} min",
        seeds.len()
    );

    let current = repo.join("target/fuzz-current.txt");
    let _ = std::fs::create_dir_all(repo.join("target"));
    let deadline = Instant::now() + Duration::from_secs(minutes * 60);
    let mut report = Report::default();
    // In slices of a minute, to print progress.
    let mut slice = 0;
    while Instant::now() < deadline {
        let slice_end = (Instant::now() + Duration::from_secs(60)).min(deadline);
        let part = run(
            &seeds,
            seed.wrapping_add(slice),
            u64::MAX,
            slice_end,
            |input| {
                // The input about to run, so that a crash (a stack overflow aborts the process)
                // or a hang leaves it behind.
                let text = input.files.get(&input.root).cloned().unwrap_or_default();
                let _ = std::fs::write(&current, text);
            },
        );
        slice += 1;
        report.runs += part.runs;
        report.generated += part.generated;
        report.refused += part.refused;
        report.slowest = report.slowest.max(part.slowest);
        report.findings.extend(part.findings);
        println!(
            "fuzz: {} runs ({} generated, {} refused), {} findings, slowest {:?}",
            report.runs,
            report.generated,
            report.refused,
            report.findings.len(),
            report.slowest
        );
    }
    println!(
        "fuzz: done: {} runs ({} generated, {} refused with an error), {} findings, slowest run {:?}",
        report.runs,
        report.generated,
        report.refused,
        report.findings.len(),
        report.slowest
    );
    if report.findings.is_empty() {
        return ExitCode::SUCCESS;
    }
    let dir = repo.join("target/fuzz-findings");
    let _ = std::fs::create_dir_all(&dir);
    for (i, (finding, input)) in report.findings.iter().enumerate() {
        let path = dir.join(format!("finding-{i}.txt"));
        let text = input.files.get(&input.root).cloned().unwrap_or_default();
        let _ = std::fs::write(&path, &text);
        println!("finding {i} ({}): {finding}", path.display());
    }
    ExitCode::FAILURE
}

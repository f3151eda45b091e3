//! `cargo xtask regen [--since REV] [--changelog]`: regenerate the client from the spec, and
//! print what changed for the crate's users since the spec as checked in (or as at `REV`);
//! with `--changelog`, also write it into the client's `CHANGELOG.md`.
//! `cargo xtask changelog [--since REV]`: print that changelog without regenerating.
//! `cargo xtask check`: fail, with a diff, when the checked-in client is not what the spec gives.
//! `cargo xtask test`: install the test tools when missing (Prism, with `npm ci`), then run
//! every test of the workspace.
//! `cargo xtask generate --spec FILE --out DIR [--name CRATE] [--vendor-runtime]`: a standalone
//! crate for any spec.
//! `cargo xtask upstream DIR [--allow]`: what HighLevel's published spec in DIR has that ours
//! lacks or says differently, apart from the differences the spec marks (`x-upstream`).
//! `cargo xtask bench-calls`: instructions per call of the client against bare reqwest.
//! `cargo xtask bench-build [--runs N] [--progenitor-spec FILE]`: time cold builds of the client
//! (one per TLS feature) and a rebuild of the crate alone, beside a cargo-progenitor client.
//! `cargo xtask bench-scale [--operations N] [--runs N] [--compile]`: generation time and peak
//! memory on a document of GitHub's size, beside cargo-progenitor; with `--compile`, whether
//! (and how fast) the crates compile.
//!
//! `regen` and `check` run the same function (`sync`), so what `check` accepts is exactly what
//! `regen` writes.

use xtask::{bench_build, bench_calls, bench_scale, changelog, drift, files, standalone};

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use similar::TextDiff;

/// The curated spec and the crate generated from it, relative to the repository root.
const SPEC: &str = "spec/social-planner.yaml";
const CLIENT: &str = "generated-client";
/// The client's changelog, which `regen --changelog` writes into.
const CHANGELOG: &str = "generated-client/CHANGELOG.md";

/// The Prism mock server the conformance tests start, installed by `npm ci`.
const PRISM: &str = "node_modules/.bin/prism";
/// The packages of tests that `test` runs beside the rest: the fleet tests (which wait on
/// real rate-limit windows) and the nested builds (cargo in cargo), each in its directory.
const FLEET_TESTS: &str = "highlevel-fleet-tests";
const BUILD_TESTS: &str = "highlevel-build-tests";
const BESIDE: &[(&str, &str)] = &[(FLEET_TESTS, "tests/fleet"), (BUILD_TESTS, "tests/builds")];

const USAGE: &str = "usage: cargo xtask <command>

  regen [--since REV] [--changelog]
             regenerate generated-client/src/generated/ from spec/social-planner.yaml, and
             print the API changelog since the spec as checked in (or as at git revision
             REV), each change marked breaking or not, with the semver bump it implies;
             --changelog also writes it under `## [Unreleased]` in generated-client/CHANGELOG.md
  changelog [--since REV]
             print that changelog without regenerating
  check      exit non-zero, printing a diff, when those files are stale
  test [ARGS]
             install Prism (npm ci), redis-server and libssl-dev (apt-get) if they are
             missing, then `cargo test --workspace` (the fleet tests beside the rest), or
             `cargo test --workspace ARGS`
  generate --spec FILE --out DIR [--name CRATE] [--vendor-runtime]
             write a standalone client crate for any OpenAPI 3.0 document (JSON or YAML),
             depending on runtime/ by path, or on a copy of it inside the crate
  upstream DIR [--allow]
             compare spec/social-planner.yaml with HighLevel's published spec in DIR
             (apps/social-media-posting.json, apps/v3/social-planner-v3.json) and report
             what differs, unmarked differences first; exit non-zero when a difference is
             not marked with x-upstream or a marker is stale, unless --allow
  bench-build [--runs N] [--progenitor-spec FILE]
             time a cold debug build of highlevel-social-planner per TLS feature (crates
             fetched first, fresh target dirs, one build at a time) and a rebuild after
             touching its src/lib.rs; with FILE (the official spec), do the same for the
             client cargo-progenitor generates from it, and print the ratios. With N, each
             build runs N times and the median is shown
  bench-calls
             instructions per call of the client against a bare reqwest call, counted by
             callgrind (needs valgrind)
  bench-scale [--operations N] [--runs N] [--compile]
             generate a crate from a synthetic document of GitHub's size (N operations,
             default 770) with `generate` and with cargo-progenitor if installed, each as a
             whole process under GNU time, N runs each (default 3); print the median wall
             time and peak memory and their ratios; with --compile, `cargo check` both crates";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = repo_root();
    let result = match args.first().map(String::as_str) {
        Some("regen") => regen(&root, &args[1..]).map(|()| ExitCode::SUCCESS),
        Some("changelog") => print_changelog(&root, &args[1..]).map(|()| ExitCode::SUCCESS),
        Some("check") if args.len() == 1 => sync(&root, Mode::Check).map(|_| ExitCode::SUCCESS),
        Some("test") => test(&root, &args[1..]),
        Some("generate") => generate(&root, &args[1..]).map(|()| ExitCode::SUCCESS),
        Some("upstream") => upstream_drift(&root, &args[1..]),
        Some("bench-build") => bench_build(&root, &args[1..]).map(|()| ExitCode::SUCCESS),
        Some("bench-scale") => bench_scale::Request::parse(&args[1..])
            .map_err(|e| format!("{e}\n\n{USAGE}"))
            .and_then(|request| bench_scale::run(&root, &request))
            .map(|()| ExitCode::SUCCESS),
        Some("bench-calls") if args.len() == 1 => {
            bench_calls::run(&root).map(|()| ExitCode::SUCCESS)
        }
        Some("help" | "--help" | "-h") if args.len() == 1 => {
            // A reader that stops early (`| head`) is no error.
            let _ = writeln!(std::io::stdout(), "{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        _ => {
            eprintln!("{USAGE}");
            Ok(ExitCode::from(2))
        }
    };
    result.unwrap_or_else(|message| {
        eprintln!("error: {message}");
        ExitCode::FAILURE
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Regen,
    Check,
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the repository")
        .to_owned()
}

/// What `regen` and `changelog` were asked.
#[derive(Debug, Default, PartialEq)]
struct ChangelogArgs {
    /// The git revision of the spec to compare with; `HEAD` when `None`.
    since: Option<String>,
    /// Write the changelog into `CHANGELOG.md` (only `regen`).
    write: bool,
}

impl ChangelogArgs {
    fn parse(args: &[String], may_write: bool) -> Result<Self, String> {
        let mut parsed = Self::default();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--since" => match args.next() {
                    Some(rev) if !rev.is_empty() && !rev.starts_with('-') => {
                        parsed.since = Some(rev.clone());
                    }
                    _ => return Err("--since needs a git revision".to_owned()),
                },
                "--changelog" if may_write => parsed.write = true,
                other => return Err(format!("unexpected argument `{other}`\n\n{USAGE}")),
            }
        }
        Ok(parsed)
    }
}

/// `cargo xtask regen`: the files, then what the change means for the crate's users.
fn regen(root: &Path, args: &[String]) -> Result<(), String> {
    let args = ChangelogArgs::parse(args, true)?;
    let started = Instant::now();
    // A revision git does not know stops the run before any file is written.
    let baseline = changelog::baseline(root, SPEC, args.since.as_deref())?;
    let read = started.elapsed();
    let generated = sync(root, Mode::Regen)?;
    let compared = Instant::now();
    let changes = report_changes(root, &baseline, &generated.model)?;
    let took = read + compared.elapsed();
    println!("changelog: read and compared in {} ms", took.as_millis());
    if args.write {
        write_changelog(root, &baseline, changes.as_ref())?;
    }
    Ok(())
}

/// `cargo xtask changelog`: the comparison alone, nothing written.
fn print_changelog(root: &Path, args: &[String]) -> Result<(), String> {
    let args = ChangelogArgs::parse(args, false)?;
    let baseline = changelog::baseline(root, SPEC, args.since.as_deref())?;
    let (text, loader) = read_spec(root)?;
    let model = generator::model_with(SPEC, &text, &loader).map_err(|e| e.to_string())?;
    report_changes(root, &baseline, &model)?;
    Ok(())
}

/// Prints the changelog from the baseline to `model`, with the version it asks for; `None`
/// when there was nothing to compare with.
fn report_changes(
    root: &Path,
    baseline: &changelog::Baseline,
    model: &generator::model::Api,
) -> Result<Option<generator::changelog::Changelog>, String> {
    let (label, before) = match baseline {
        changelog::Baseline::Skipped(note) => {
            println!("changelog: {note}");
            return Ok(None);
        }
        changelog::Baseline::Model { label, api } => (label, api),
    };
    let changes = generator::changelog::compare(before, model);
    // Both models come from today's generator: what it changed itself shows in the diff.
    println!("changelog: what the change of {SPEC} since {label} means for users of {CLIENT}:\n");
    print!("{}", changes.markdown());
    if let Some(impact) = changes.verdict() {
        match crate_version(root) {
            Ok(current) => match impact.next_version(&current) {
                Some(next) => println!("Next version: {current} → {next} ({CLIENT}/Cargo.toml)."),
                None => println!("{CLIENT}/Cargo.toml has version {current}."),
            },
            Err(why) => println!("No next version: {why}."),
        }
    }
    Ok(Some(changes))
}

/// The client's version, from its `Cargo.toml`.
fn crate_version(root: &Path) -> Result<String, String> {
    let path = root.join(CLIENT).join("Cargo.toml");
    let manifest =
        fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    manifest
        .lines()
        .find_map(|line| {
            let value = line
                .strip_prefix("version")?
                .trim_start()
                .strip_prefix('=')?;
            Some(value.trim().trim_matches('"').to_owned())
        })
        .ok_or_else(|| format!("{} has no `version = \"…\"` line", path.display()))
}

/// Adds the changelog's entries to `CHANGELOG.md`, under `## [Unreleased]`.
fn write_changelog(
    root: &Path,
    baseline: &changelog::Baseline,
    changes: Option<&generator::changelog::Changelog>,
) -> Result<(), String> {
    let Some(changes) = changes else {
        if let changelog::Baseline::Skipped(note) = baseline {
            println!("changelog: {CHANGELOG} left as it was ({note})");
        }
        return Ok(());
    };
    if changes.entries.is_empty() {
        println!("changelog: nothing to add to {CHANGELOG}");
        return Ok(());
    }
    let path = root.join(CHANGELOG);
    let existing = match fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let merged = changelog::merge(existing.as_deref(), changes);
    if existing.as_deref() == Some(merged.as_str()) {
        println!("changelog: {CHANGELOG} already has these entries");
    } else {
        files::write_atomically(&path, &merged)?;
        println!("changelog: wrote the entries into {CHANGELOG} under ## [Unreleased]");
    }
    Ok(())
}

/// The curated spec's text, and a loader for the files it refers to.
fn read_spec(root: &Path) -> Result<(String, files::FsLoader), String> {
    let spec_path = root.join(SPEC);
    let bytes =
        fs::read(&spec_path).map_err(|e| format!("cannot read {}: {e}", spec_path.display()))?;
    let text = generator::text_from_bytes(SPEC, &bytes).map_err(|e| e.to_string())?;
    Ok((text.to_owned(), files::FsLoader::new(root)))
}

/// Generates from the spec and either writes what changed (`Regen`) or reports it (`Check`).
fn sync(root: &Path, mode: Mode) -> Result<generator::Generated, String> {
    let spec_path = root.join(SPEC);
    let bytes =
        fs::read(&spec_path).map_err(|e| format!("cannot read {}: {e}", spec_path.display()))?;
    let text = generator::text_from_bytes(SPEC, &bytes)
        .map_err(|e| format!("{e}\nNo file was changed."))?;
    // Nothing is written unless generation succeeds as a whole.
    let generated = generator::generate_with(SPEC, text, &files::FsLoader::new(root))
        .map_err(|e| format!("{e}\nNo file was changed."))?;
    report(&generated);

    let client = root.join(CLIENT);
    let mut stale = Vec::new();
    for (relative, content) in &generated.files {
        let path = client.join(relative);
        let current = fs::read_to_string(&path).unwrap_or_default();
        if current != *content {
            stale.push((relative.clone(), Some(current), Some(content.as_str())));
        }
    }
    // Files in the generated directory that the generator no longer produces.
    let generated_dir = client.join(generator::GENERATED_DIR);
    if let Ok(entries) = fs::read_dir(&generated_dir) {
        let mut extra: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| {
                format!(
                    "{}/{}",
                    generator::GENERATED_DIR,
                    e.file_name().to_string_lossy()
                )
            })
            .filter(|relative| !generated.files.contains_key(relative))
            .collect();
        extra.sort();
        for relative in extra {
            let current = fs::read_to_string(client.join(&relative)).unwrap_or_default();
            stale.push((relative, Some(current), None));
        }
    }

    match mode {
        Mode::Check if stale.is_empty() => {
            println!(
                "check: {CLIENT} is up to date with {SPEC} ({} operations, {} types, {} files)",
                generated.operations,
                generated.types,
                generated.files.len()
            );
            Ok(generated)
        }
        Mode::Check => {
            for (relative, current, wanted) in &stale {
                let old = current.as_deref().unwrap_or_default();
                let new = wanted.unwrap_or_default();
                let diff = TextDiff::from_lines(old, new);
                let name = format!("{CLIENT}/{relative}");
                print!(
                    "{}",
                    diff.unified_diff().context_radius(3).header(&name, &name)
                );
            }
            Err(format!(
                "{} generated file(s) are not what {SPEC} gives (diff above: - checked in, + \
                 generated).\nRun `cargo xtask regen` and commit the result.",
                stale.len()
            ))
        }
        Mode::Regen => {
            for (relative, _, wanted) in &stale {
                let path = client.join(relative);
                match wanted {
                    Some(content) => files::write_atomically(&path, content)?,
                    None => fs::remove_file(&path)
                        .map_err(|e| format!("cannot remove {}: {e}", path.display()))?,
                }
            }
            println!(
                "regen: {} operations, {} types, {} files ({} changed)",
                generated.operations,
                generated.types,
                generated.files.len(),
                stale.len()
            );
            for (relative, _, wanted) in &stale {
                let verb = if wanted.is_some() { "wrote" } else { "removed" };
                println!("  {verb} {CLIENT}/{relative}");
            }
            Ok(generated)
        }
    }
}

/// Makes sure a system tool the tests need is present: `present` says whether it is, and
/// when it is not the Debian `packages` are installed with apt-get (CI's machines are
/// Debian-like and start without them). Elsewhere the error names what to install.
fn ensure_system(what: &str, present: &dyn Fn() -> bool, packages: &[&str]) -> Result<(), String> {
    if present() {
        return Ok(());
    }
    println!(
        "test: {what} is missing; installing {} with apt-get",
        packages.join(" ")
    );
    // Root runs apt-get itself; anyone else goes through sudo without a password prompt.
    let root = is_root();
    let apt = |args: &[&str]| {
        if root {
            succeeds(Command::new("apt-get").args(args))
        } else {
            succeeds(Command::new("sudo").args(["-n", "apt-get"]).args(args))
        }
    };
    let mut install = vec!["install", "-y", "-qq", "--no-install-recommends"];
    install.extend_from_slice(packages);
    if apt(&["update", "-qq"]) && apt(&install) && present() {
        Ok(())
    } else {
        Err(format!(
            "{what} is missing and apt-get could not install it: run `sudo apt-get install {}` \
             (or your system's equivalent), then run the tests again",
            packages.join(" ")
        ))
    }
}

/// Whether this process runs as root, asked of `id -u` so that xtask needs no libc crate.
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.stdout.trim_ascii() == b"0")
}

/// OpenSSL's headers, for the native-tls build test.
fn ensure_openssl() -> Result<(), String> {
    ensure_system(
        "OpenSSL's development files",
        &|| succeeds(Command::new("pkg-config").args(["--exists", "openssl"])),
        &["libssl-dev", "pkg-config"],
    )
}

/// A real `redis-server`, which the fleet tests start on a free loopback port.
fn ensure_redis() -> Result<(), String> {
    ensure_system(
        "redis-server",
        &|| {
            succeeds(
                Command::new("redis-server")
                    .arg("--version")
                    .stdout(std::process::Stdio::null()),
            )
        },
        &["redis-server"],
    )
}

/// Prism's installation, running or done.
struct PrismInstall(Option<std::process::Child>);

impl PrismInstall {
    /// Waits for `npm ci` to finish, if it was started, and says whether it failed.
    fn wait(self) -> Result<(), String> {
        let Some(mut child) = self.0 else {
            return Ok(());
        };
        let status = child
            .wait()
            .map_err(|e| format!("cannot wait for `npm ci`: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("`npm ci` failed ({status})"))
        }
    }
}

/// Starts `npm ci` (package-lock.json) when Prism is missing.
fn install_prism(root: &Path) -> Result<PrismInstall, String> {
    if root.join(PRISM).exists() {
        return Ok(PrismInstall(None));
    }
    println!("test: {PRISM} is missing; installing it with `npm ci` (package-lock.json)");
    let child = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(root)
        .spawn()
        .map_err(|e| {
            format!("cannot run npm ({e}); install Node.js 20 and npm, then run `npm ci`")
        })?;
    Ok(PrismInstall(Some(child)))
}

/// Whether `cmd` runs and exits successfully.
fn succeeds(cmd: &mut Command) -> bool {
    cmd.status().is_ok_and(|s| s.success())
}

/// Makes sure Prism, redis-server and OpenSSL's development files are installed, then
/// runs the workspace's tests with `extra` arguments.
fn test(root: &Path, extra: &[String]) -> Result<ExitCode, String> {
    ensure_openssl()?;
    ensure_redis()?;
    // Installed while the tests build: npm mostly waits on the network and the disk.
    let prism = install_prism(root)?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let cargo_test = || {
        let mut command = Command::new(&cargo);
        command.arg("test").current_dir(root);
        command
    };
    // A chosen subset runs as the user asked, in one `cargo test`.
    if !extra.is_empty() {
        prism.wait()?;
        let status = cargo_test()
            .arg("--workspace")
            .args(extra)
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        return Ok(exit_code(status.success()));
    }
    let built = cargo_test()
        .args(["--workspace", "--no-run"])
        .arg("--message-format=json-render-diagnostics")
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    prism.wait()?;
    if !built.status.success() {
        return Ok(ExitCode::FAILURE);
    }
    // The fleet tests spend their time waiting on real rate-limit windows, and the nested
    // builds in cargo of their own: both run beside the rest, their output held back in a
    // file each so that nothing interleaves. They run as the binaries built above: `cargo
    // test -p` would resolve a package's features on its own and build it again.
    let mut beside = Vec::new();
    for (package, dir) in BESIDE {
        let binary = test_executable(&built.stdout, package)?;
        let log_path = root.join(format!("target/{package}.log"));
        let log = fs::File::create(&log_path)
            .map_err(|e| format!("cannot create {}: {e}", log_path.display()))?;
        let log_err = log
            .try_clone()
            .map_err(|e| format!("cannot share {}: {e}", log_path.display()))?;
        let child = Command::new(&binary)
            .current_dir(root.join(dir))
            .stdout(log)
            .stderr(log_err)
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
        beside.push((package, child, log_path));
    }
    let mut rest = cargo_test();
    rest.arg("--workspace");
    for (package, _) in BESIDE {
        rest.args(["--exclude", package]);
    }
    let mut success = rest
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?
        .success();
    for (package, mut child, log_path) in beside {
        let status = child
            .wait()
            .map_err(|e| format!("cannot wait for the tests of {package}: {e}"))?;
        println!("\n== the tests of {package}, run beside the rest");
        let output = fs::read_to_string(&log_path)
            .map_err(|e| format!("cannot read {}: {e}", log_path.display()))?;
        print!("{output}");
        success &= status.success();
    }
    Ok(exit_code(success))
}

fn exit_code(success: bool) -> ExitCode {
    if success {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The test executable of `package` among the artifacts of `cargo test --no-run
/// --message-format=json`.
fn test_executable(messages: &[u8], package: &str) -> Result<PathBuf, String> {
    String::from_utf8_lossy(messages)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| {
            message["reason"] == "compiler-artifact"
                && message["target"]["kind"][0] == "test"
                && message["package_id"]
                    .as_str()
                    .is_some_and(|id| id.contains(&format!("#{package}@")))
        })
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| format!("cargo built no test executable of {package}"))
}

/// Prints the approximations of a run, fallbacks first, so that none goes unnoticed.
fn report(generated: &generator::Generated) {
    for fallback in &generated.fallbacks {
        eprintln!("fallback: {fallback}");
    }
    for warning in generated
        .warnings
        .iter()
        .filter(|w| !generated.fallbacks.contains(w))
    {
        eprintln!("warning: {warning}");
    }
}

/// `cargo xtask generate`: the whole crate in memory first, then written in one move.
fn generate(root: &Path, args: &[String]) -> Result<(), String> {
    let request = standalone::Request::parse(args).map_err(|e| format!("{e}\n\n{USAGE}"))?;
    let (files, generated) = standalone::crate_files(root, &request)
        .map_err(|e| format!("{e}\nNo file was changed."))?;
    report(&generated);
    standalone::write(&request.out, &files)?;
    println!(
        "generate: {} operations, {} types, {} fallbacks, {} files in {}",
        generated.operations,
        generated.types,
        generated.fallbacks.len(),
        files.len(),
        request.out.display()
    );
    Ok(())
}

/// `cargo xtask upstream DIR [--allow]`: reads both sides, prints the report, and fails when
/// something is unaccounted for (unless `--allow`).
fn upstream_drift(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    let (allow, dirs): (Vec<&String>, Vec<&String>) = args.iter().partition(|a| *a == "--allow");
    let [dir] = dirs.as_slice() else {
        return Err(format!("upstream takes one directory\n\n{USAGE}"));
    };
    let report = drift::report(root, Path::new(dir.as_str()))?;
    // A reader that stops early (`| head`) is no error.
    let _ = std::io::Write::write_all(&mut std::io::stdout(), report.render().as_bytes());
    if report.is_clean() || !allow.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!(
        "error: {} unmarked differences and {} stale markers (see above). Curate upstream's \
         changes into {SPEC}, mark the differences we choose with x-upstream, or pass --allow \
         to look without failing.",
        report.unmarked.len(),
        report.stale.len()
    );
    Ok(ExitCode::FAILURE)
}

/// `cargo xtask bench-build`: see `bench_build`.
fn bench_build(root: &Path, args: &[String]) -> Result<(), String> {
    let request = bench_build::Request::parse(args).map_err(|e| format!("{e}\n\n{USAGE}"))?;
    bench_build::run(root, &request)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch repository: a spec and a checked-in generated file.
    fn scratch(name: &str, spec: &str) -> PathBuf {
        let root = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("spec")).unwrap();
        fs::create_dir_all(root.join(CLIENT).join(generator::GENERATED_DIR)).unwrap();
        fs::write(root.join(SPEC), spec).unwrap();
        fs::write(
            root.join(CLIENT)
                .join(generator::GENERATED_DIR)
                .join("mod.rs"),
            "old\n",
        )
        .unwrap();
        root
    }

    const BROKEN: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Missing'}\n";

    const GOOD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: get-a\n      responses:\n        '204': {description: ok}\n";

    #[test]
    fn a_broken_spec_names_the_place_and_changes_nothing() {
        let root = scratch("broken", BROKEN);
        let err = sync(&root, Mode::Regen).unwrap_err();
        assert!(
            err.starts_with(
                "spec/social-planner.yaml#/paths/~1a~1{id}/get/responses/200/content/application~1json/schema: "
            ),
            "{err}"
        );
        assert!(err.contains("No file was changed"), "{err}");
        let kept = fs::read_to_string(
            root.join(CLIENT)
                .join(generator::GENERATED_DIR)
                .join("mod.rs"),
        );
        assert_eq!(kept.unwrap(), "old\n");
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn check_fails_on_stale_files_and_regen_fixes_them() {
        let root = scratch("stale", GOOD);
        let err = sync(&root, Mode::Check).unwrap_err();
        assert!(err.contains("cargo xtask regen"), "{err}");
        sync(&root, Mode::Regen).unwrap();
        sync(&root, Mode::Check).unwrap();
        let dir = root.join(CLIENT).join(generator::GENERATED_DIR);
        let mut names: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "client.rs",
                "mod.rs",
                "operation_index.rs",
                "operations.rs",
                "types.rs"
            ],
            "no temporary file is left"
        );
        let _ = fs::remove_dir_all(&root);
    }

    fn git(root: &Path, args: &[&str]) {
        let status = Command::new("git")
            .arg("-C")
            .arg(root)
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }

    #[test]
    fn regen_writes_the_changelog_since_the_spec_as_checked_in() {
        let root = scratch("changelog", GOOD);
        // Outside a clone there is nothing to compare with: said, and the regen goes on.
        regen(&root, &["--changelog".to_owned()]).unwrap();
        assert!(!root.join(CHANGELOG).exists());

        git(&root, &["init", "-q"]);
        git(&root, &["add", "."]);
        git(&root, &["commit", "-q", "-m", "spec"]);
        let grown = GOOD.replace(
            "paths:\n",
            "paths:\n  /b:\n    get:\n      operationId: get-b\n      responses:\n        '204': {description: ok}\n",
        );
        fs::write(root.join(SPEC), grown).unwrap();
        regen(&root, &["--changelog".to_owned()]).unwrap();
        let written = fs::read_to_string(root.join(CHANGELOG)).unwrap();
        assert!(
            written.contains(
                "## [Unreleased]\n\n### Added\n\n- New operation `Client::get_b` (`GET /b`).\n"
            ),
            "{written}"
        );
        regen(&root, &["--changelog".to_owned()]).unwrap();
        assert_eq!(
            fs::read_to_string(root.join(CHANGELOG)).unwrap(),
            written,
            "written once"
        );

        let err = regen(&root, &["--since".to_owned(), "no-such-rev".to_owned()]).unwrap_err();
        assert!(err.contains("no-such-rev"), "{err}");
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn generate_writes_a_whole_crate_and_a_broken_spec_leaves_the_output_alone() {
        let root = repo_root();
        let scratch = std::env::temp_dir().join(format!("xtask-generate-{}", std::process::id()));
        let _ = fs::remove_dir_all(&scratch);
        fs::create_dir_all(&scratch).unwrap();
        let good = scratch.join("good.yaml");
        let broken = scratch.join("broken.yaml");
        fs::write(&good, GOOD).unwrap();
        fs::write(&broken, BROKEN).unwrap();
        let out = scratch.join("client");
        let args = |spec: &Path| {
            vec![
                "--spec".to_owned(),
                spec.display().to_string(),
                "--out".to_owned(),
                out.display().to_string(),
            ]
        };

        generate(&root, &args(&good)).unwrap();
        let manifest = fs::read_to_string(out.join("Cargo.toml")).unwrap();
        assert!(manifest.contains("name = \"t\""), "{manifest}");
        for file in [
            "src/lib.rs",
            "src/generated/client.rs",
            "src/generated/operations.rs",
        ] {
            assert!(out.join(file).exists(), "{file} is written");
        }
        let before = fs::read_to_string(out.join("src/generated/operations.rs")).unwrap();

        let err = generate(&root, &args(&broken)).unwrap_err();
        assert!(err.contains("#/paths/~1a~1{id}/get/responses/200"), "{err}");
        assert!(err.contains("No file was changed"), "{err}");
        let after = fs::read_to_string(out.join("src/generated/operations.rs")).unwrap();
        assert_eq!(before, after, "the broken spec changed nothing");
        let leftovers: Vec<_> = fs::read_dir(&scratch)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with('.'))
            .collect();
        assert!(
            leftovers.is_empty(),
            "no staging directory is left: {leftovers:?}"
        );
        let _ = fs::remove_dir_all(&scratch);
    }

    #[test]
    fn upstream_fails_on_an_unmarked_difference_unless_allowed() {
        let root = scratch("upstream", GOOD);
        let dir = root.join("reference");
        fs::create_dir_all(dir.join("apps/v3")).unwrap();
        let same = generator::document_value("g.yaml", GOOD).unwrap();
        let mut other = same.clone();
        other["paths"]["/a"]["get"]["deprecated"] = true.into();
        fs::write(dir.join("apps/social-media-posting.json"), same.to_string()).unwrap();
        let v3 = dir.join("apps/v3/social-planner-v3.json");
        let args = |extra: &[&str]| {
            let mut args = vec![dir.display().to_string()];
            args.extend(extra.iter().map(|a| (*a).to_owned()));
            args
        };

        fs::write(&v3, same.to_string()).unwrap();
        assert_eq!(upstream_drift(&root, &args(&[])), Ok(ExitCode::SUCCESS));
        fs::write(&v3, other.to_string()).unwrap();
        assert_eq!(upstream_drift(&root, &args(&[])), Ok(ExitCode::FAILURE));
        assert_eq!(
            upstream_drift(&root, &args(&["--allow"])),
            Ok(ExitCode::SUCCESS)
        );
        let err = upstream_drift(&root, &[root.display().to_string()]).unwrap_err();
        assert!(
            err.contains("has no apps/social-media-posting.json"),
            "{err}"
        );
        let _ = fs::remove_dir_all(&root);
    }
}

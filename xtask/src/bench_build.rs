//! `cargo xtask bench-build [--runs N] [--progenitor-spec FILE]`: what a cold build of the
//! client costs, measured rather than guessed.
//!
//! For each TLS feature, the client is built in a fresh target directory (after `cargo fetch`,
//! so that downloads are not timed); then, for the default feature, our crate alone is
//! rebuilt after its `src/lib.rs` is touched. With `--progenitor-spec`, a client that
//! cargo-progenitor generates from the official spec is measured the same way, as the peer.
//! Builds run one after another: on a small machine, parallel builds would time each other.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant, SystemTime};

use serde_json::{Map, Value, json};

use crate::standalone::runtime_vendor::{DEFAULT_TLS_FEATURE, TLS_FEATURES};

/// Our client's package, and the file whose change rebuilds that crate alone.
const CLIENT_PACKAGE: &str = "highlevel-social-planner";
const CLIENT_LIB: &str = "generated-client/src/lib.rs";

/// The peer crate that `cargo progenitor` writes.
const PEER_NAME: &str = "progenitor-social-planner";
const PEER_VERSION: &str = "0.1.0";
const PEER_DIR: &str = "progenitor-client";

/// The crate whose presence means aws-lc's C sources were compiled.
const AWS_LC_SYS: &str = "aws-lc-sys";

/// What `bench-build` was asked for.
pub struct Request {
    /// How many times each cold build runs; the median is reported.
    pub runs: usize,
    /// The official spec, from which the peer client is generated.
    pub progenitor_spec: Option<PathBuf>,
}

impl Request {
    /// Reads `[--runs N] [--progenitor-spec FILE]`.
    pub fn parse(args: &[String]) -> Result<Request, String> {
        let mut request = Request {
            runs: 1,
            progenitor_spec: None,
        };
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            let mut value = || {
                args.next()
                    .cloned()
                    .ok_or_else(|| format!("`{flag}` needs a value"))
            };
            match flag.as_str() {
                "--runs" => {
                    let text = value()?;
                    request.runs = match text.parse() {
                        Ok(runs) if runs >= 1 => runs,
                        _ => {
                            return Err(format!(
                                "`--runs` needs a whole number >= 1, not `{text}`"
                            ));
                        }
                    };
                }
                "--progenitor-spec" => request.progenitor_spec = Some(PathBuf::from(value()?)),
                other => return Err(format!("unknown argument `{other}`")),
            }
        }
        Ok(request)
    }
}

/// The crate's rebuilds after its root file was touched: with the incremental cache, and from
/// scratch (`CARGO_INCREMENTAL=0`).
struct Rebuild {
    incremental: Duration,
    full: Duration,
    /// How many crates the incremental rebuild compiled (the crate alone: 1).
    crates: usize,
}

/// One measured crate: its cold build (median of the runs), and its rebuild when asked for.
struct Measured {
    label: String,
    cold: Duration,
    crates: usize,
    aws_lc: bool,
    /// The rebuilds of the crate alone, when measured.
    rebuild: Option<Rebuild>,
}

/// How to build one crate: the `cargo build` arguments (without the target directory), the
/// directory to run in, and the file to touch for a rebuild of that crate alone.
struct Subject {
    label: String,
    build_args: Vec<String>,
    dir: PathBuf,
    touch_for_rebuild: Option<PathBuf>,
}

/// Runs the whole benchmark and prints the table.
pub fn run(root: &Path, request: &Request) -> Result<(), String> {
    let scratch = Scratch::create()?;
    let cargo = cargo();

    println!("bench-build: fetching crates for the workspace (not timed)");
    run_cargo(
        &cargo,
        root,
        &["fetch".to_owned()],
        "cargo fetch (workspace)",
    )?;

    // The peer is generated and its crates fetched before any build is timed: a problem with
    // the spec or with progenitor shows in seconds, not after minutes of builds.
    let peer = match peer_skip_reason(&cargo, request) {
        Some(reason) => {
            println!("bench-build: progenitor peer skipped: {reason}");
            Err(reason)
        }
        None => {
            let spec = request.progenitor_spec.as_deref().expect("checked above");
            Ok(progenitor_client(&cargo, spec, &scratch)?)
        }
    };

    let mut rows = Vec::new();
    for feature in TLS_FEATURES {
        let subject = our_client(root, feature);
        rows.push(measure(&cargo, &subject, request.runs, &scratch)?);
    }
    let peer = match peer {
        Ok(subject) => Ok(measure(&cargo, &subject, request.runs, &scratch)?),
        Err(reason) => Err(reason),
    };

    print_table(&rows, &peer, request.runs);
    Ok(())
}

/// The cargo that runs `cargo xtask`, so that every build uses the same toolchain.
fn cargo() -> PathBuf {
    std::env::var_os("CARGO")
        .unwrap_or_else(|| "cargo".into())
        .into()
}

/// Our client with one TLS feature and nothing else.
fn our_client(root: &Path, feature: &str) -> Subject {
    let default = if feature == DEFAULT_TLS_FEATURE {
        " (default)"
    } else {
        ""
    };
    let build_args = [
        "-p",
        CLIENT_PACKAGE,
        "--no-default-features",
        "--features",
        feature,
    ];
    Subject {
        label: format!("ours, {feature}{default}"),
        build_args: build_args.iter().map(|s| s.to_string()).collect(),
        dir: root.to_owned(),
        // The rebuild is measured once, for the feature users get without asking.
        touch_for_rebuild: (feature == DEFAULT_TLS_FEATURE).then(|| root.join(CLIENT_LIB)),
    }
}

/// Builds `subject` cold `runs` times, each in a fresh target directory, then (when it has a
/// file to touch) rebuilds it `runs` times in the last one. Reports the medians.
fn measure(
    cargo: &Path,
    subject: &Subject,
    runs: usize,
    scratch: &Scratch,
) -> Result<Measured, String> {
    let mut cold_times = Vec::new();
    let mut compiled = Vec::new();
    let mut last_target = None;
    for run in 1..=runs {
        let target = scratch.fresh_dir("target")?;
        println!("bench-build: {}: cold build {run}/{runs}", subject.label);
        let (elapsed, stderr) = timed_build(cargo, subject, &target, true)?;
        cold_times.push(elapsed);
        // Every run builds the same lock file: the crates of the first one stand for all.
        if run == 1 {
            compiled = compiled_crates(&stderr)
                .into_iter()
                .map(str::to_owned)
                .collect();
        }
        if let Some(previous) = last_target.replace(target) {
            remove_dir(&previous)?;
        }
    }
    let target = last_target.expect("at least one run");

    let rebuild = match &subject.touch_for_rebuild {
        Some(file) => {
            let mut times = Vec::new();
            let mut full_times = Vec::new();
            let mut recompiled = 0;
            for run in 1..=runs {
                println!(
                    "bench-build: {}: rebuild after touching {} {run}/{runs}",
                    subject.label,
                    file.display()
                );
                touch(file)?;
                let (elapsed, stderr) = timed_build(cargo, subject, &target, true)?;
                times.push(elapsed);
                recompiled = compiled_crates(&stderr).len();
                // Without the incremental cache the crate is compiled from scratch, as after
                // a regen that changed much of it, or in CI.
                touch(file)?;
                let (elapsed, _) = timed_build(cargo, subject, &target, false)?;
                full_times.push(elapsed);
            }
            Some(Rebuild {
                incremental: median(times),
                full: median(full_times),
                crates: recompiled,
            })
        }
        None => None,
    };
    // A cold debug build takes a gigabyte or so: do not keep them all until the end.
    remove_dir(&target)?;

    Ok(Measured {
        label: subject.label.clone(),
        cold: median(cold_times),
        aws_lc: compiled.iter().any(|name| name == AWS_LC_SYS),
        crates: compiled.len(),
        rebuild,
    })
}

/// One `cargo build` into `target`, timed by the wall clock; returns the time and cargo's
/// stderr (where the `Compiling` lines are).
fn timed_build(
    cargo: &Path,
    subject: &Subject,
    target: &Path,
    incremental: bool,
) -> Result<(Duration, String), String> {
    let mut args = vec!["build".to_owned()];
    args.extend(subject.build_args.iter().cloned());
    // `--offline`: everything was fetched before, and a download must never be timed.
    args.extend(["--offline", "--color", "never", "--target-dir"].map(str::to_owned));
    args.push(target.display().to_string());
    let start = Instant::now();
    let mut command = Command::new(cargo);
    // Both crates are built with cargo's default debug info, as in a user's project: this
    // workspace's own profile (line tables only) would flatter ours.
    command.env("CARGO_PROFILE_DEV_DEBUG", "true");
    if !incremental {
        command.env("CARGO_INCREMENTAL", "0");
    }
    let output = run_cargo_with(command, &subject.dir, &args, &subject.label)?;
    let elapsed = start.elapsed();
    Ok((
        elapsed,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    ))
}

/// Runs cargo with `args` in `dir`; a failure carries the end of cargo's stderr.
fn run_cargo(cargo: &Path, dir: &Path, args: &[String], what: &str) -> Result<Output, String> {
    run_cargo_with(Command::new(cargo), dir, args, what)
}

/// Runs the cargo `command` with `args` in `dir`.
fn run_cargo_with(
    mut command: Command,
    dir: &Path,
    args: &[String],
    what: &str,
) -> Result<Output, String> {
    let cargo = PathBuf::from(command.get_program());
    let output = command
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("{what}: cannot run {}: {e}", cargo.display()))?;
    if output.status.success() {
        Ok(output)
    } else {
        Err(format!(
            "{what}: `cargo {}` failed ({}):\n{}",
            args.join(" "),
            output.status,
            tail(&String::from_utf8_lossy(&output.stderr), 30)
        ))
    }
}

/// The last `lines` lines of `text`.
fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// The crates cargo compiled, from its `   Compiling name vX.Y.Z (...)` lines.
fn compiled_crates(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("Compiling "))
        .filter_map(|rest| rest.split_whitespace().next())
        .collect()
}

/// The median; of an even number of times, the mean of the middle two.
fn median(mut times: Vec<Duration>) -> Duration {
    assert!(!times.is_empty(), "a median of nothing");
    times.sort();
    let middle = times.len() / 2;
    if times.len() % 2 == 1 {
        times[middle]
    } else {
        (times[middle - 1] + times[middle]) / 2
    }
}

/// Sets the file's modification time to now, as `touch` does, so that cargo rebuilds it.
fn touch(path: &Path) -> Result<(), String> {
    fs::File::options()
        .write(true)
        .open(path)
        .and_then(|file| file.set_modified(SystemTime::now()))
        .map_err(|e| format!("cannot touch {}: {e}", path.display()))
}

fn remove_dir(path: &Path) -> Result<(), String> {
    fs::remove_dir_all(path).map_err(|e| format!("cannot remove {}: {e}", path.display()))
}

/// Why the peer cannot be measured, if it cannot.
fn peer_skip_reason(cargo: &Path, request: &Request) -> Option<String> {
    if request.progenitor_spec.is_none() {
        return Some("no `--progenitor-spec FILE` was given".to_owned());
    }
    let installed = Command::new(cargo)
        .args(["progenitor", "--help"])
        .output()
        .is_ok_and(|output| output.status.success());
    if !installed {
        return Some(
            "`cargo progenitor --help` failed: install it with `cargo install cargo-progenitor`"
                .to_owned(),
        );
    }
    None
}

/// Generates the peer crate from the official spec (patched in memory so that progenitor
/// accepts it), makes it buildable on its own, and fetches its crates.
fn progenitor_client(cargo: &Path, spec_path: &Path, scratch: &Scratch) -> Result<Subject, String> {
    let text = fs::read_to_string(spec_path)
        .map_err(|e| format!("cannot read {}: {e}", spec_path.display()))?;
    let mut spec: Value = serde_json::from_str(&text)
        .map_err(|e| format!("{} is not JSON: {e}", spec_path.display()))?;
    for patch in patch_for_progenitor(&mut spec) {
        println!("bench-build: spec patched for progenitor: {patch}");
    }
    let patched = scratch.path.join("progenitor-spec.json");
    let json = serde_json::to_string_pretty(&spec).expect("a JSON value serializes");
    fs::write(&patched, json).map_err(|e| format!("cannot write {}: {e}", patched.display()))?;

    let out = scratch.path.join(PEER_DIR);
    println!("bench-build: generating {PEER_NAME} with cargo progenitor");
    let args = [
        "progenitor",
        "-i",
        &patched.display().to_string(),
        "-o",
        &out.display().to_string(),
        "-n",
        PEER_NAME,
        "-v",
        PEER_VERSION,
    ]
    .map(str::to_owned);
    run_cargo(cargo, &scratch.path, &args, "cargo progenitor")?;

    let manifest_path = out.join("Cargo.toml");
    let manifest = fs::read_to_string(&manifest_path)
        .map_err(|e| format!("cannot read {}: {e}", manifest_path.display()))?;
    fs::write(&manifest_path, manifest_for_bench(&manifest)?)
        .map_err(|e| format!("cannot write {}: {e}", manifest_path.display()))?;

    println!("bench-build: fetching crates for {PEER_NAME} (not timed)");
    run_cargo(
        cargo,
        &out,
        &["fetch".to_owned()],
        "cargo fetch (progenitor client)",
    )?;
    Ok(Subject {
        label: "progenitor (reqwest rustls)".to_owned(),
        build_args: Vec::new(),
        touch_for_rebuild: Some(out.join("src/lib.rs")),
        dir: out,
    })
}

/// The smallest changes that make cargo-progenitor 0.15 accept the official spec; each
/// changed place is named in the returned lines. Each patch does nothing to a spec that does
/// not need it.
fn patch_for_progenitor(spec: &mut Value) -> Vec<String> {
    let mut done = Vec::new();
    let mut no_multipart = Vec::new();
    let mut errors_unified = 0;
    let mut declared = Vec::new();
    let parameters = spec.pointer("/components/parameters").cloned();
    let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) else {
        return done;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        let shared = item.get("parameters").cloned();
        for (method, operation) in item.iter_mut() {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let Some(operation) = operation.as_object_mut() else {
                continue;
            };
            let place = format!("{} {path}", method.to_uppercase());
            // "unexpected content type: multipart/form-data"
            if drop_multipart_body(operation) {
                no_multipart.push(place.clone());
            }
            // "assertion failed: response_types.len() <= 1"
            if drop_clashing_error_bodies(operation) {
                errors_unified += 1;
            }
            // "missing path name mapping <name>"
            for name in
                declare_path_parameters(path, operation, shared.as_ref(), parameters.as_ref())
            {
                declared.push(format!("{{{name}}} in {place}"));
            }
        }
    }
    if !no_multipart.is_empty() {
        done.push(format!(
            "removed the multipart/form-data request body of {}",
            no_multipart.join(", ")
        ));
    }
    if errors_unified > 0 {
        done.push(format!(
            "removed the error response bodies of {errors_unified} operations whose 4xx/5xx \
             responses had different bodies (statuses kept)"
        ));
    }
    if !declared.is_empty() {
        done.push(format!(
            "declared the path parameter {} (a required string)",
            declared.join(", ")
        ));
    }
    done
}

/// The keys of a path item that are operations.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Progenitor generates no multipart bodies: the operation keeps its path and parameters and
/// loses its body.
fn drop_multipart_body(operation: &mut Map<String, Value>) -> bool {
    let multipart = operation
        .get("requestBody")
        .and_then(|body| body.get("content"))
        .and_then(Value::as_object)
        .is_some_and(|content| content.contains_key("multipart/form-data"));
    if multipart {
        operation.remove("requestBody");
    }
    multipart
}

/// Progenitor allows one error body type per operation (and a typed body beside an empty one
/// counts as two): when the 4xx/5xx responses carry different bodies, they all lose them.
/// This also removes the spec's only references to another file, which progenitor does not
/// follow either.
fn drop_clashing_error_bodies(operation: &mut Map<String, Value>) -> bool {
    let Some(responses) = operation
        .get_mut("responses")
        .and_then(Value::as_object_mut)
    else {
        return false;
    };
    let is_error = |status: &str| status.starts_with('4') || status.starts_with('5');
    let mut bodies: Vec<&Value> = Vec::new();
    for (status, response) in responses.iter() {
        if is_error(status) {
            let body = response.get("content").unwrap_or(&Value::Null);
            let empty = body.is_null() || body.as_object().is_some_and(Map::is_empty);
            let body = if empty { &Value::Null } else { body };
            if !bodies.contains(&body) {
                bodies.push(body);
            }
        }
    }
    if bodies.len() <= 1 {
        return false;
    }
    for (status, response) in responses.iter_mut() {
        if let (true, Some(response)) = (is_error(status), response.as_object_mut()) {
            response.remove("content");
        }
    }
    true
}

/// Declares, as required strings, the parameters the path template names but the operation
/// (and its path item) do not; progenitor cannot build the URL without them. Returns their
/// names.
fn declare_path_parameters(
    path: &str,
    operation: &mut Map<String, Value>,
    shared: Option<&Value>,
    components: Option<&Value>,
) -> Vec<String> {
    let declared: Vec<String> = operation
        .get("parameters")
        .into_iter()
        .chain(shared)
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(|parameter| resolve_parameter(parameter, components))
        .filter(|parameter| parameter.get("in").and_then(Value::as_str) == Some("path"))
        .filter_map(|parameter| parameter.get("name").and_then(Value::as_str))
        .map(str::to_owned)
        .collect();
    let missing: Vec<String> = template_names(path)
        .into_iter()
        .filter(|name| !declared.iter().any(|d| d == name))
        .map(str::to_owned)
        .collect();
    if missing.is_empty() {
        return missing;
    }
    let parameters = operation
        .entry("parameters")
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Some(parameters) = parameters.as_array_mut() {
        for name in &missing {
            parameters.push(json!({
                "name": name,
                "in": "path",
                "required": true,
                "schema": { "type": "string" },
            }));
        }
    }
    missing
}

/// A parameter, or the one in `#/components/parameters` its `$ref` names.
fn resolve_parameter<'a>(parameter: &'a Value, components: Option<&'a Value>) -> Option<&'a Value> {
    match parameter.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.strip_prefix("#/components/parameters/")?;
            components?.get(name)
        }
        None => Some(parameter),
    }
}

/// The names in a path template: `/a/{id}/b/{x}` → `id`, `x`.
fn template_names(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
        .collect()
}

/// The generated crate's `Cargo.toml`, changed so that it builds as a usable client on its
/// own: reqwest gets the `rustls` feature (without TLS it cannot reach an HTTPS API; in
/// reqwest 0.13 that feature uses aws-lc), and an empty `[workspace]` keeps it out of any
/// workspace around it.
fn manifest_for_bench(manifest: &str) -> Result<String, String> {
    let mut table = "";
    let mut found = false;
    let mut lines = Vec::new();
    for line in manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            table = trimmed;
        }
        let is_reqwest = table == "[dependencies]"
            && trimmed
                .split_once('=')
                .is_some_and(|(key, _)| key.trim() == "reqwest");
        if is_reqwest {
            lines.push(with_rustls(line)?);
            found = true;
        } else {
            lines.push(line.to_owned());
        }
    }
    if !found {
        return Err(
            "the progenitor crate's Cargo.toml has no `reqwest = ...` line under [dependencies]"
                .to_owned(),
        );
    }
    if !manifest.lines().any(|line| line.trim() == "[workspace]") {
        if lines.last().is_some_and(|line| !line.trim().is_empty()) {
            lines.push(String::new());
        }
        lines.push("[workspace]".to_owned());
    }
    Ok(lines.join("\n") + "\n")
}

/// One `reqwest = ...` line with the `rustls` feature added.
fn with_rustls(line: &str) -> Result<String, String> {
    let (key, value) = line.split_once('=').expect("the caller found `=`");
    let value = value.trim();
    if value.starts_with('"') {
        return Ok(format!(
            "{key}= {{ version = {value}, features = [\"rustls\"] }}"
        ));
    }
    let unexpected = || format!("cannot add the rustls feature to `{line}`");
    if !value.starts_with('{') || !value.ends_with('}') {
        return Err(unexpected());
    }
    if value.contains("\"rustls\"") {
        return Ok(line.to_owned());
    }
    let changed = match value.find("features") {
        Some(at) => {
            let open = at + value[at..].find('[').ok_or_else(unexpected)?;
            format!("{}\"rustls\", {}", &value[..=open], &value[open + 1..])
        }
        None => {
            let body = value[..value.len() - 1].trim_end();
            format!("{body}, features = [\"rustls\"] }}")
        }
    };
    Ok(format!("{key}= {changed}"))
}

/// The table, then the ratios of our default build to the peer's.
fn print_table(rows: &[Measured], peer: &Result<Measured, String>, runs: usize) {
    let cold = if runs == 1 {
        "cold (s)".to_owned()
    } else {
        format!("cold (s, median of {runs})")
    };
    let width = rows
        .iter()
        .chain(peer.as_ref().ok())
        .map(|row| row.label.len())
        .max()
        .unwrap_or(0)
        .max("build".len());
    println!();
    println!(
        "{:<width$}  {cold:>10}  {:>6}  {:>6}",
        "build", "crates", "aws-lc"
    );
    for row in rows.iter().chain(peer.as_ref().ok()) {
        println!(
            "{:<width$}  {:>10.1}  {:>6}  {:>6}",
            row.label,
            row.cold.as_secs_f64(),
            row.crates,
            if row.aws_lc { "yes" } else { "no" },
        );
    }
    if let Err(reason) = peer {
        println!("{:<width$}  skipped: {reason}", "progenitor");
    }

    println!();
    let rebuild = if runs == 1 {
        "rebuild after touching src/lib.rs (s): incremental, and from scratch".to_owned()
    } else {
        format!(
            "rebuild after touching src/lib.rs (s, median of {runs}): incremental, and from \
             scratch"
        )
    };
    println!("{rebuild}");
    for row in rows.iter().chain(peer.as_ref().ok()) {
        if let Some(rebuild) = &row.rebuild {
            println!(
                "  {:<width$}  {:>8.1}  {:>8.1}  ({} crate{} compiled)",
                row.label,
                rebuild.incremental.as_secs_f64(),
                rebuild.full.as_secs_f64(),
                rebuild.crates,
                if rebuild.crates == 1 { "" } else { "s" }
            );
        }
    }

    let ours = rows.iter().find(|row| row.rebuild.is_some());
    if let (Some(ours), Ok(peer)) = (ours, peer) {
        println!();
        let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
        let (our_rebuild, peer_rebuild) = (
            ours.rebuild.as_ref().expect("found by it"),
            peer.rebuild.as_ref().expect("the peer is rebuilt"),
        );
        println!(
            "ours(default) / progenitor: cold {:.2}, incremental rebuild {:.2}, rebuild from \
             scratch {:.2}",
            ratio(ours.cold, peer.cold),
            ratio(our_rebuild.incremental, peer_rebuild.incremental),
            ratio(our_rebuild.full, peer_rebuild.full),
        );
        // The like-for-like TLS comparison: both sides compile aws-lc.
        if let Some(aws_lc) = rows.iter().find(|row| row.aws_lc && peer.aws_lc) {
            println!(
                "{} / progenitor (both compile aws-lc): cold {:.2}",
                aws_lc.label,
                ratio(aws_lc.cold, peer.cold)
            );
        }
    }
}

/// A temporary directory for the whole run, removed when dropped: at the end, and on the way
/// out of an error.
struct Scratch {
    path: PathBuf,
    count: std::cell::Cell<usize>,
}

impl Scratch {
    fn create() -> Result<Scratch, String> {
        let path = std::env::temp_dir().join(format!("xtask-bench-build-{}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
        Ok(Scratch {
            path,
            count: std::cell::Cell::new(0),
        })
    }

    /// A new, empty directory inside the scratch directory.
    fn fresh_dir(&self, prefix: &str) -> Result<PathBuf, String> {
        let n = self.count.get() + 1;
        self.count.set(n);
        let dir = self.path.join(format!("{prefix}-{n}"));
        fs::create_dir(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        Ok(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Err(e) = fs::remove_dir_all(&self.path) {
            eprintln!("bench-build: cannot remove {}: {e}", self.path.display());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiling_lines_name_the_crates() {
        let stderr = "    Updating crates.io index\n   Compiling proc-macro2 v1.0.95\n   \
                      Compiling aws-lc-sys v0.30.0\nwarning: unused\n   Compiling \
                      highlevel-social-planner v0.1.0 (/work/generated-client)\n    Finished \
                      `dev` profile [unoptimized + debuginfo] target(s) in 1m 02s\n";
        assert_eq!(
            compiled_crates(stderr),
            ["proc-macro2", "aws-lc-sys", "highlevel-social-planner"]
        );
        assert!(compiled_crates("    Finished `dev` profile\n").is_empty());
    }

    #[test]
    fn the_median_of_odd_and_even_counts() {
        let s = Duration::from_secs;
        assert_eq!(median(vec![s(9), s(1), s(5)]), s(5));
        assert_eq!(median(vec![s(4), s(1), s(2), s(8)]), s(3));
        assert_eq!(median(vec![s(7)]), s(7));
    }

    #[test]
    fn the_manifest_gets_rustls_and_a_workspace() {
        let progenitor = "[package]\nname = \"p\"\n\n[dependencies]\nbytes = \"1.9\"\nreqwest = \
                          { version = \"0.13\", default-features=false, features = [\"json\", \
                          \"query\", \"stream\"] }\nserde = \"1.0\"\n";
        let edited = manifest_for_bench(progenitor).unwrap();
        assert!(
            edited.contains(
                "reqwest = { version = \"0.13\", default-features=false, features = \
                 [\"rustls\", \"json\", \"query\", \"stream\"] }"
            ),
            "{edited}"
        );
        assert!(
            edited.ends_with("serde = \"1.0\"\n\n[workspace]\n"),
            "{edited}"
        );
        assert_eq!(manifest_for_bench(&edited).unwrap(), edited, "idempotent");

        let plain =
            manifest_for_bench("[dependencies]\nreqwest = \"0.13\"\n[workspace]\n").unwrap();
        assert_eq!(
            plain,
            "[dependencies]\nreqwest = { version = \"0.13\", features = [\"rustls\"] }\n[workspace]\n"
        );
        let no_features = with_rustls("reqwest = { version = \"0.13\" }").unwrap();
        assert_eq!(
            no_features,
            "reqwest = { version = \"0.13\", features = [\"rustls\"] }"
        );
        assert!(manifest_for_bench("[dev-dependencies]\nreqwest = \"0.13\"\n").is_err());
    }

    #[test]
    fn the_spec_patches_touch_only_what_progenitor_rejects() {
        let error = |schema: &str| json!({"description": "e", "content": {"application/json": {"schema": {"$ref": schema}}}});
        let mut spec = json!({
            "paths": {
                "/{locationId}/csv": {
                    "post": {
                        "parameters": [{"name": "locationId", "in": "path", "required": true}],
                        "requestBody": {"content": {"multipart/form-data": {"schema": {}}}},
                        "responses": {"201": {"description": "ok"}, "400": error("#/A")},
                    }
                },
                "/{locationId}/bulk": {
                    "post": {
                        "responses": {
                            "201": error("#/Ok"),
                            "400": error("../common.json#/A"),
                            "401": error("../common.json#/B"),
                            "404": {"description": "missing", "content": {}},
                        },
                    }
                },
            }
        });
        let original = spec.clone();
        let done = patch_for_progenitor(&mut spec);
        assert_eq!(done.len(), 3, "{done:?}");

        let csv = &spec["paths"]["/{locationId}/csv"]["post"];
        assert!(csv.get("requestBody").is_none());
        assert_eq!(
            csv["responses"],
            original["paths"]["/{locationId}/csv"]["post"]["responses"]
        );
        assert_eq!(
            csv["parameters"].as_array().unwrap().len(),
            1,
            "declared already"
        );

        let bulk = &spec["paths"]["/{locationId}/bulk"]["post"];
        assert_eq!(
            bulk["responses"]["201"],
            error("#/Ok"),
            "success bodies stay"
        );
        for status in ["400", "401", "404"] {
            assert!(
                bulk["responses"][status].get("content").is_none(),
                "{status}"
            );
            assert!(
                bulk["responses"][status].get("description").is_some(),
                "{status}"
            );
        }
        assert_eq!(
            bulk["parameters"],
            json!([{"name": "locationId", "in": "path", "required": true, "schema": {"type": "string"}}])
        );

        let mut again = spec.clone();
        assert!(
            patch_for_progenitor(&mut again).is_empty(),
            "nothing left to patch"
        );
    }

    #[test]
    fn arguments() {
        let args = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let request =
            Request::parse(&args(&["--runs", "3", "--progenitor-spec", "s.json"])).unwrap();
        assert_eq!(request.runs, 3);
        assert_eq!(request.progenitor_spec, Some(PathBuf::from("s.json")));
        assert_eq!(Request::parse(&[]).unwrap().runs, 1);
        assert!(Request::parse(&args(&["--runs", "0"])).is_err());
        assert!(Request::parse(&args(&["--runs"])).is_err());
        assert!(Request::parse(&args(&["--fast"])).is_err());
    }
}

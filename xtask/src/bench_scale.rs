//! `cargo xtask bench-scale [--operations N] [--runs N] [--compile]`: the generator on a
//! document of GitHub's size, beside cargo-progenitor on the same document.
//!
//! The document is made here, the same for every run ([`synthetic_spec`]): GitHub's REST
//! description is 10 MB of text that cannot be vendored, and what matters for scale is its
//! shape, which this one copies: about 770 operations on a few hundred resources, schemas
//! that hold earlier schemas by `$ref` (so that types nest deeply), lists of them, inline
//! enums and objects, `allOf` and `oneOf`, recursive schemas, paged list operations, shared
//! error responses, and long descriptions.
//!
//! Each generator runs as a whole process under GNU `time`, which reports the wall time and
//! the peak resident memory; the medians of `--runs` runs are compared. Ours runs twice: as
//! `cargo xtask generate` runs it (a debug build), and built with optimizations, as `cargo
//! install` builds the peer; the ratios compare the two optimized builds. With `--compile`,
//! the crate each wrote is checked (`cargo check`, crates fetched first, in a fresh target
//! directory) and its time reported too.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

/// GitHub's REST description had about this many operations when the issue measured it.
const GITHUB_OPERATIONS: usize = 770;

/// What `bench-scale` was asked for.
#[derive(Debug)]
pub struct Request {
    pub operations: usize,
    pub runs: usize,
    pub compile: bool,
}

impl Request {
    /// Reads `[--operations N] [--runs N] [--compile]`.
    pub fn parse(args: &[String]) -> Result<Request, String> {
        let mut request = Request {
            operations: GITHUB_OPERATIONS,
            runs: 3,
            compile: false,
        };
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            let mut number = || -> Result<usize, String> {
                let text = args
                    .next()
                    .ok_or_else(|| format!("`{flag}` needs a value"))?;
                match text.parse() {
                    Ok(n) if n >= 1 => Ok(n),
                    _ => Err(format!("`{flag}` needs a whole number >= 1, not `{text}`")),
                }
            };
            match flag.as_str() {
                "--operations" => request.operations = number()?,
                "--runs" => request.runs = number()?,
                "--compile" => request.compile = true,
                other => return Err(format!("bench-scale does not take `{other}`")),
            }
        }
        Ok(request)
    }
}

/// One generator's run: wall time and peak resident memory.
#[derive(Clone, Copy)]
struct Measured {
    wall: Duration,
    peak_kib: u64,
}

pub fn run(root: &Path, request: &Request) -> Result<(), String> {
    let work = root.join("target/bench-scale");
    fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let spec = synthetic_spec(request.operations);
    let text = serde_json::to_string_pretty(&spec).map_err(|e| e.to_string())?;
    let spec_path = work.join("spec.json");
    fs::write(&spec_path, &text).map_err(|e| format!("cannot write the spec: {e}"))?;
    let schemas = spec["components"]["schemas"]
        .as_object()
        .map_or(0, Map::len);
    println!(
        "bench-scale: {} operations, {schemas} schemas, {:.2} MB of JSON in {}",
        request.operations,
        text.len() as f64 / 1e6,
        spec_path.display()
    );

    // `cargo xtask` runs a debug build, and `cargo install` (the peer's way) a release build:
    // both builds of ours are measured, and the release build is the one compared.
    let debug = std::env::current_exe().map_err(|e| format!("cannot find xtask itself: {e}"))?;
    let release = release_xtask(root)?;
    let ours_dir = work.join("ours");
    let ours_run = |xtask: &Path, what: &str| {
        measure_runs(request.runs, what, || {
            let _ = fs::remove_dir_all(&ours_dir);
            let mut command = Command::new(xtask);
            command
                .arg("generate")
                .arg("--spec")
                .arg(&spec_path)
                .arg("--out")
                .arg(&ours_dir)
                .args(["--name", "scale-ours"]);
            command
        })
    };
    let ours_debug = ours_run(&debug, "ours (debug)")?;
    let ours = ours_run(&release, "ours (release)")?;
    let peer_dir = work.join("progenitor");
    let peer = match progenitor_missing() {
        Some(reason) => Err(reason),
        None => measure_runs(request.runs, "cargo-progenitor", || {
            let _ = fs::remove_dir_all(&peer_dir);
            let mut command = Command::new(cargo());
            command
                .args(["progenitor", "-i"])
                .arg(&spec_path)
                .arg("-o")
                .arg(&peer_dir)
                .args(["-n", "scale-peer", "-v", "0.1.0"]);
            command
        }),
    };

    println!();
    println!("| generator | median wall time | median peak memory |");
    println!("|---|---|---|");
    print_row(
        "ours, debug build (as `cargo xtask generate` runs)",
        &ours_debug,
    );
    print_row("ours, release build", &ours);
    match &peer {
        Ok(peer) => {
            print_row("cargo-progenitor", peer);
            println!();
            println!(
                "ratio ours (release) / cargo-progenitor: time {:.2}×, memory {:.2}×",
                ours.wall.as_secs_f64() / peer.wall.as_secs_f64(),
                ours.peak_kib as f64 / peer.peak_kib as f64
            );
        }
        Err(reason) => println!("| cargo-progenitor | not measured: {reason} | |"),
    }

    if request.compile {
        println!();
        check_crate(root, &ours_dir, &work.join("target-ours"), "ours")?;
        if peer.is_ok() {
            // The peer's crate may not compile; that is its result, not a failure of ours.
            if let Err(error) = check_crate(root, &peer_dir, &work.join("target-peer"), "peer") {
                println!("{error}");
            }
        }
    }
    Ok(())
}

/// Builds xtask with optimizations and returns the binary.
fn release_xtask(root: &Path) -> Result<PathBuf, String> {
    let output = Command::new(cargo())
        .args(["build", "--quiet", "--release", "-p", "xtask"])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "the release build of xtask failed:\n{}",
            tail(&String::from_utf8_lossy(&output.stderr), 20)
        ));
    }
    let binary = root
        .join("target/release/xtask")
        .with_extension(std::env::consts::EXE_EXTENSION);
    Ok(binary)
}

fn cargo() -> PathBuf {
    std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from)
}

/// Why cargo-progenitor cannot be measured here, if it cannot.
fn progenitor_missing() -> Option<String> {
    let found = Command::new(cargo())
        .args(["progenitor", "--help"])
        .output()
        .is_ok_and(|o| o.status.success());
    (!found).then(|| "`cargo progenitor` is not installed (cargo install cargo-progenitor)".into())
}

/// Runs the command `runs` times under GNU `time` and returns the medians.
fn measure_runs(
    runs: usize,
    what: &str,
    mut command: impl FnMut() -> Command,
) -> Result<Measured, String> {
    let mut walls = Vec::new();
    let mut peaks = Vec::new();
    for run in 1..=runs {
        let measured = measure(command(), what)?;
        println!(
            "  {what}, run {run}: {:.2} s, {} MB",
            measured.wall.as_secs_f64(),
            measured.peak_kib / 1024
        );
        walls.push(measured.wall);
        peaks.push(measured.peak_kib);
    }
    walls.sort();
    peaks.sort_unstable();
    Ok(Measured {
        wall: walls[walls.len() / 2],
        peak_kib: peaks[peaks.len() / 2],
    })
}

/// One run of `command` under GNU `time`: its wall time, and its peak resident memory as
/// `time` reports it (the kernel's maximum resident set of the process).
fn measure(command: Command, what: &str) -> Result<Measured, String> {
    let report = std::env::temp_dir().join(format!("bench-scale-{}.time", std::process::id()));
    let mut timed = Command::new("/usr/bin/time");
    timed
        .args(["-f", "%e %M", "-o"])
        .arg(&report)
        .arg(command.get_program())
        .args(command.get_args());
    let started = Instant::now();
    let output = timed
        .output()
        .map_err(|e| format!("cannot run GNU time ({e}): install it (Debian's package `time`)"))?;
    let elapsed = started.elapsed();
    if !output.status.success() {
        return Err(format!(
            "{what} failed ({}):\n{}",
            output.status,
            tail(&String::from_utf8_lossy(&output.stderr), 20)
        ));
    }
    let text = fs::read_to_string(&report).map_err(|e| format!("no report from time: {e}"))?;
    let _ = fs::remove_file(&report);
    let peak_kib = text
        .split_whitespace()
        .nth(1)
        .and_then(|kib| kib.parse().ok())
        .ok_or_else(|| format!("cannot read time's report `{}`", text.trim()))?;
    Ok(Measured {
        wall: elapsed,
        peak_kib,
    })
}

fn print_row(name: &str, measured: &Measured) {
    println!(
        "| {name} | {:.2} s | {} MB |",
        measured.wall.as_secs_f64(),
        measured.peak_kib / 1024
    );
}

/// `cargo check` of the crate in `dir` in a fresh target directory, after fetching its
/// crates, pinned to the repository's lockfile where the crate has none.
fn check_crate(root: &Path, dir: &Path, target: &Path, what: &str) -> Result<(), String> {
    // A crate of its own, even inside this repository's directory.
    let manifest_path = dir.join("Cargo.toml");
    let manifest = fs::read_to_string(&manifest_path)
        .map_err(|e| format!("{what}: cannot read {}: {e}", manifest_path.display()))?;
    if !manifest.contains("[workspace]") {
        fs::write(&manifest_path, format!("{manifest}\n[workspace]\n"))
            .map_err(|e| format!("{what}: cannot write {}: {e}", manifest_path.display()))?;
    }
    let lockfile = dir.join("Cargo.lock");
    if !lockfile.exists() {
        let _ = fs::copy(root.join("Cargo.lock"), &lockfile);
    }
    let _ = fs::remove_dir_all(target);
    let fetch = Command::new(cargo())
        .arg("fetch")
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !fetch.status.success() {
        return Err(format!(
            "{what}: cargo fetch failed:\n{}",
            tail(&String::from_utf8_lossy(&fetch.stderr), 20)
        ));
    }
    let started = Instant::now();
    let check = Command::new(cargo())
        .args(["check", "--quiet", "--target-dir"])
        .arg(target)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let elapsed = started.elapsed();
    if !check.status.success() {
        return Err(format!(
            "{what}: the crate does not compile:\n{}",
            tail(&String::from_utf8_lossy(&check.stderr), 40)
        ));
    }
    println!(
        "{what}: the crate compiles (`cargo check`, cold, crates fetched): {:.1} s",
        elapsed.as_secs_f64()
    );
    Ok(())
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// A small deterministic generator of numbers, so that the document is the same on every
/// machine and every run (a linear congruential generator; quality does not matter here).
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// True with the chance `percent` in a hundred.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const WORDS: &[&str] = &[
    "repository",
    "owner",
    "issue",
    "comment",
    "label",
    "milestone",
    "review",
    "commit",
    "branch",
    "release",
    "asset",
    "team",
    "member",
    "project",
    "column",
    "card",
    "workflow",
    "runner",
    "artifact",
    "secret",
    "variable",
    "deployment",
    "environment",
    "hook",
    "delivery",
    "package",
    "version",
    "alert",
    "advisory",
    "gist",
    "key",
    "invitation",
];

/// A sentence of `words` words, for descriptions (GitHub's are long and written in Markdown).
fn prose(dice: &mut Dice, words: usize) -> String {
    let mut text = String::from("Returns the");
    for i in 0..words {
        let word = WORDS[dice.below(WORDS.len())];
        let _ = write!(text, " {word}");
        if i % 12 == 11 {
            text.push_str(". See [the guide](https://docs.example.com/rest) for the");
        }
    }
    text.push('.');
    text
}

/// The synthetic document: `operations` operations, five on each resource (list, create,
/// get, update, delete), and about 1.2 schemas per operation.
pub fn synthetic_spec(operations: usize) -> Value {
    let mut dice = Dice(0x5EED);
    let resources = operations.div_ceil(5);
    let schema_count = resources * 6;
    let mut schemas = Map::new();
    schemas.insert(
        "basic-error".into(),
        json!({
            "type": "object",
            "description": "The body of every error.",
            "properties": {
                "message": {"type": "string"},
                "documentation_url": {"type": "string"},
                "url": {"type": "string"},
                "status": {"type": "string"}
            }
        }),
    );
    let names: Vec<String> = (0..schema_count)
        .map(|i| format!("{}-{i}", WORDS[i % WORDS.len()]))
        .collect();
    for (i, name) in names.iter().enumerate() {
        schemas.insert(name.clone(), schema(&mut dice, i, &names));
    }

    let mut paths = Map::new();
    let mut made = 0;
    for r in 0..resources {
        let area = WORDS[r % WORDS.len()];
        let item = &names[r * 6 + 5];
        let collection = format!("/{area}s/{{owner}}/things-{r}");
        let single = format!("{collection}/{{thing_id}}");
        let mut on_collection = Map::new();
        let mut on_single = Map::new();
        for (method, single_item) in [
            ("get", false),
            ("post", false),
            ("get", true),
            ("patch", true),
            ("delete", true),
        ] {
            if made == operations {
                break;
            }
            made += 1;
            let on = if single_item {
                &mut on_single
            } else {
                &mut on_collection
            };
            on.insert(
                method.into(),
                operation(&mut dice, r, method, single_item, item, &names),
            );
        }
        if !on_collection.is_empty() {
            paths.insert(collection, Value::Object(on_collection));
        }
        if !on_single.is_empty() {
            paths.insert(single, Value::Object(on_single));
        }
    }

    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Synthetic API of GitHub's size",
            "version": "1.0.0",
            "description": "Made by `cargo xtask bench-scale`: the shape of a large REST description."
        },
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": {
                "not_found": {
                    "description": "Resource not found",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/basic-error"}}}
                },
                "validation_failed": {
                    "description": "Validation failed",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/basic-error"}}}
                }
            },
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}
        },
        "security": [{"bearer": []}]
    })
}

/// Schema `i`: an object of 6 to 35 properties, some holding earlier schemas by `$ref`; every
/// 23rd is an `allOf` of an earlier schema and more properties, every 31st a `oneOf` of two
/// earlier schemas, every 17th holds itself (a parent link).
fn schema(dice: &mut Dice, i: usize, names: &[String]) -> Value {
    let earlier = |dice: &mut Dice| format!("#/components/schemas/{}", names[dice.below(i)]);
    if i > 2 && i.is_multiple_of(31) {
        return json!({
            "description": prose(dice, 10),
            "oneOf": [{"$ref": earlier(dice)}, {"$ref": earlier(dice)}]
        });
    }
    let mut properties = Map::new();
    let mut required = Vec::new();
    let count = 4 + dice.below(24);
    for p in 0..count {
        let name = format!("{}_{p}", WORDS[dice.below(WORDS.len())]);
        let roll = dice.below(100);
        let mut property = match roll {
            _ if i == 0 => json!({"type": "string"}),
            0..=37 => json!({"type": "string"}),
            38..=45 => {
                json!({"type": "string", "format": "date-time", "example": "2011-01-26T19:01:12Z"})
            }
            46..=50 => {
                json!({"type": "string", "format": "uri", "example": "https://api.example.com/x/1"})
            }
            51..=60 => json!({"type": "integer", "example": 42}),
            61..=68 => json!({"type": "boolean"}),
            69..=71 => json!({"type": "number"}),
            72..=76 => json!({"type": "string", "nullable": true}),
            77..=81 => {
                let values: Vec<String> = (0..3 + dice.below(4))
                    .map(|v| format!("{}_{v}", WORDS[dice.below(WORDS.len())]))
                    .collect();
                json!({"type": "string", "enum": values})
            }
            82..=85 => json!({"type": "array", "items": {"type": "string"}}),
            86..=91 => json!({"$ref": earlier(dice)}),
            92..=95 => json!({"type": "array", "items": {"$ref": earlier(dice)}}),
            96..=97 => json!({"nullable": true, "allOf": [{"$ref": earlier(dice)}]}),
            _ => json!({
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "count": {"type": "integer"},
                    "enabled": {"type": "boolean"}
                }
            }),
        };
        if let Some(object) = property.as_object_mut()
            && !object.contains_key("$ref")
        {
            object.insert("description".into(), Value::String(prose(dice, 5)));
        }
        if dice.chance(50) {
            required.push(name.clone());
        }
        properties.insert(name, property);
    }
    if i % 17 == 5 {
        properties.insert(
            "parent".into(),
            json!({"nullable": true, "allOf": [{"$ref": format!("#/components/schemas/{}", names[i])}]}),
        );
    }
    let mut object = json!({
        "type": "object",
        "description": prose(dice, 14),
        "properties": properties,
    });
    if !required.is_empty() {
        object["required"] = json!(required);
    }
    if i > 2 && i.is_multiple_of(23) {
        return json!({
            "description": prose(dice, 10),
            "allOf": [{"$ref": earlier(dice)}, object]
        });
    }
    object
}

/// The operation `method` on resource `r`: paged lists, JSON bodies made inline, one success
/// and the shared error responses.
fn operation(
    dice: &mut Dice,
    r: usize,
    method: &str,
    single_item: bool,
    item: &str,
    names: &[String],
) -> Value {
    let verb = match (method, single_item) {
        ("get", false) => "list",
        ("post", _) => "create",
        ("get", true) => "get",
        ("patch", _) => "update",
        _ => "delete",
    };
    let area = WORDS[r % WORDS.len()];
    let item_ref = json!({"$ref": format!("#/components/schemas/{item}")});
    let mut parameters = vec![json!({
        "name": "owner", "in": "path", "required": true,
        "description": "The account owner. The name is not case sensitive.",
        "schema": {"type": "string"}
    })];
    if single_item {
        parameters.push(json!({
            "name": "thing_id", "in": "path", "required": true,
            "description": "The unique identifier of the thing.",
            "schema": {"type": "integer"}
        }));
    }
    if verb == "list" {
        parameters.extend([
            json!({"name": "per_page", "in": "query", "description": "Results per page (max 100).",
                   "schema": {"type": "integer", "default": 30}}),
            json!({"name": "page", "in": "query", "description": "The page number of the results to fetch.",
                   "schema": {"type": "integer", "default": 1}}),
            json!({"name": "sort", "in": "query", "description": "The property to sort the results by.",
                   "schema": {"type": "string", "enum": ["created", "updated", "pushed", "full_name"]}}),
            json!({"name": "direction", "in": "query", "description": "The order to sort by.",
                   "schema": {"type": "string", "enum": ["asc", "desc"]}}),
            json!({"name": "since", "in": "query", "description": "Only show results updated after this time.",
                   "schema": {"type": "string", "format": "date-time"}}),
        ]);
    }
    let mut operation = json!({
        "summary": format!("{verb} things {r}"),
        "description": prose(dice, 30),
        "operationId": format!("{area}/{verb}-things-{r}"),
        "tags": [area],
        "parameters": parameters,
        "externalDocs": {"description": "API method documentation", "url": format!("https://docs.example.com/rest/{area}#{verb}-{r}")},
    });
    if verb == "create" || verb == "update" {
        let mut properties = Map::new();
        for p in 0..3 + dice.below(8) {
            let property = if dice.chance(20) {
                json!({"$ref": format!("#/components/schemas/{}", names[dice.below(names.len())])})
            } else {
                json!({"type": "string", "description": prose(dice, 6)})
            };
            properties.insert(format!("{}_{p}", WORDS[dice.below(WORDS.len())]), property);
        }
        operation["requestBody"] = json!({
            "required": true,
            "content": {"application/json": {"schema": {"type": "object", "properties": properties}}}
        });
    }
    let success = match verb {
        "list" => json!({"200": {"description": "Response", "content": {"application/json": {
            "schema": {"type": "array", "items": item_ref}}}}}),
        "create" => json!({"201": {"description": "Response", "content": {"application/json": {
            "schema": item_ref}}}}),
        "delete" => json!({"204": {"description": "Response"}}),
        _ => json!({"200": {"description": "Response", "content": {"application/json": {
            "schema": item_ref}}}}),
    };
    let mut responses = success.as_object().cloned().unwrap_or_default();
    responses.insert(
        "404".into(),
        json!({"$ref": "#/components/responses/not_found"}),
    );
    if verb == "create" || verb == "update" {
        responses.insert(
            "422".into(),
            json!({"$ref": "#/components/responses/validation_failed"}),
        );
    }
    operation["responses"] = Value::Object(responses);
    operation
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_has_the_size_asked_for_and_is_the_same_every_time() {
        let spec = synthetic_spec(770);
        let operations: usize = spec["paths"]
            .as_object()
            .expect("paths")
            .values()
            .map(|item| item.as_object().expect("a path item").len())
            .sum();
        assert_eq!(operations, 770);
        assert_eq!(spec, synthetic_spec(770));
        assert_ne!(spec, synthetic_spec(769));
    }

    #[test]
    fn the_document_generates() {
        let spec = synthetic_spec(40);
        let text = serde_json::to_string(&spec).expect("JSON");
        let generated = generator::generate("synthetic.json", &text)
            .unwrap_or_else(|e| panic!("the synthetic document does not generate: {e}"));
        assert_eq!(generated.operations, 40);
    }

    #[test]
    fn arguments() {
        let parse = |args: &[&str]| {
            Request::parse(&args.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>())
        };
        let request = parse(&[]).expect("defaults");
        assert_eq!((request.operations, request.runs), (GITHUB_OPERATIONS, 3));
        assert!(!request.compile);
        let request = parse(&["--operations", "10", "--runs", "1", "--compile"]).expect("parsed");
        assert_eq!(
            (request.operations, request.runs, request.compile),
            (10, 1, true)
        );
        assert!(
            parse(&["--runs", "0"])
                .unwrap_err()
                .contains("whole number")
        );
        assert!(parse(&["--fast"]).unwrap_err().contains("--fast"));
    }
}

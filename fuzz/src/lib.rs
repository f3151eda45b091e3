//! A mutational fuzzer for the generator: valid specs (the fixtures, the broken-spec corpus
//! and the curated spec) are mutated, as text and as documents, and fed to
//! `generator::generate_with`. Any panic, or a run longer than the time limit, is a finding.
//!
//! Deterministic for a seed, so that a finding can be replayed; no dependency beyond the
//! generator's own, so that it builds on the stable toolchain.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

/// A small, fast pseudo-random generator (xorshift64*): reproducible from its seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

/// The files of one input: the root spec, and others it may refer to, by path.
#[derive(Debug, Clone)]
pub struct Input {
    /// Whether the unmutated input generates (mutating valid specs reaches deeper).
    pub valid: bool,
    pub root: String,
    pub files: BTreeMap<String, String>,
}

impl generator::Loader for Input {
    fn load(&self, path: &str) -> Result<String, String> {
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| "there is no such file".to_owned())
    }
}

/// The seed corpus: every `.yaml`/`.json` under the given directories (relative paths kept,
/// so that `$ref`s between files still resolve).
pub fn corpus(repo: &Path, dirs: &[&str]) -> Vec<Input> {
    let mut files = BTreeMap::new();
    for dir in dirs {
        collect(repo, &repo.join(dir), &mut files);
    }
    files
        .keys()
        .filter(|p| {
            p.ends_with("spec.yaml")
                || p.ends_with("spec.json")
                || p.ends_with("social-planner.yaml")
        })
        .map(|root| {
            let mut input = Input {
                valid: false,
                root: root.clone(),
                files: files.clone(),
            };
            input.valid = matches!(check(&input, Duration::from_secs(60)), Ok(true));
            input
        })
        .collect()
}

fn collect(repo: &Path, dir: &Path, files: &mut BTreeMap<String, String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(repo, &path, files);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "json")
        ) && let (Ok(text), Ok(relative)) =
            (std::fs::read_to_string(&path), path.strip_prefix(repo))
            // Large inputs slow every iteration without finding more.
            && text.len() < 400_000
        {
            files.insert(relative.to_string_lossy().replace('\\', "/"), text);
        }
    }
}

/// Values that have broken parsers and generators before.
const NASTY: &[&str] = &[
    "",
    " ",
    "#",
    "#/",
    "#/components",
    "#/components/schemas",
    "#/components/schemas/",
    "#/components/schemas/~",
    "#/components/schemas/%ZZ",
    "~1~0~",
    "{",
    "}",
    "{}",
    "/{a}{b}",
    "/{",
    "/}",
    "/a/{a}/{a}",
    "self",
    "Self",
    "super",
    "crate",
    "type",
    "r#type",
    "_",
    "__",
    "0",
    "-1",
    "9999999999999999999999",
    "1e400",
    "NaN",
    "null",
    "true",
    "\u{0}",
    "\u{feff}",
    "名前",
    "é",
    "\u{202e}",
    "a\nb",
    "\"",
    "'",
    "\\",
    "../../../../etc/passwd",
    "http://x/y#/z",
    "./common/people.yaml#/components/schemas/Person",
    "string",
    "integer",
    "object",
    "array",
    "int32",
    "binary",
    "date-time",
    "multipart/form-data",
    "application/x-www-form-urlencoded",
    "text/plain",
    "application/octet-stream",
    "*/*",
    "2XX",
    "default",
    "x-pagination",
];

/// One mutation of `input`, chosen at random: as text (bytes cut, repeated, replaced) or as
/// a document (a value replaced, removed, copied elsewhere, nested, or a `$ref` pointed at
/// another place).
pub fn mutate(input: &Input, rng: &mut Rng) -> Input {
    let mut out = input.clone();
    let text = out.files.get(&out.root).cloned().unwrap_or_default();
    let mutated = if rng.chance(25) {
        mutate_text(&text, rng)
    } else {
        match parse(&text) {
            Some(mut doc) => {
                for _ in 0..=rng.below(4) {
                    mutate_value(&mut doc, rng);
                }
                if rng.chance(50) {
                    serde_json::to_string(&doc).unwrap_or_default()
                } else {
                    serde_norway::to_string(&doc).unwrap_or_default()
                }
            }
            None => mutate_text(&text, rng),
        }
    };
    out.files.insert(out.root.clone(), mutated);
    out
}

fn parse(text: &str) -> Option<Value> {
    if text.trim_start().starts_with('{') {
        serde_json::from_str(text).ok()
    } else {
        serde_norway::from_str(text).ok()
    }
}

fn mutate_text(text: &str, rng: &mut Rng) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..=rng.below(8) {
        if bytes.is_empty() {
            bytes.extend_from_slice(NASTY[rng.below(NASTY.len())].as_bytes());
            continue;
        }
        let at = rng.below(bytes.len());
        match rng.below(6) {
            0 => {
                let end = (at + rng.below(64)).min(bytes.len());
                bytes.drain(at..end);
            }
            1 => {
                let end = (at + rng.below(64)).min(bytes.len());
                let chunk = bytes[at..end].to_vec();
                let to = rng.below(bytes.len());
                bytes.splice(to..to, chunk);
            }
            2 => {
                const PUNCTUATION: &[u8] = b"{}[]:,-#'\"\n\t &*!|>%@`";
                bytes[at] = PUNCTUATION[rng.below(PUNCTUATION.len())];
            }
            3 => {
                let word = NASTY[rng.below(NASTY.len())].as_bytes().to_vec();
                bytes.splice(at..at, word);
            }
            4 => bytes.truncate(at),
            _ => bytes[at] = rng.next_u64() as u8,
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Every place in a document, as a JSON pointer.
fn places(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    if out.len() > 20_000 {
        return;
    }
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                places(
                    v,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                places(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn random_value(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 3 { 5 } else { 9 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.chance(50)),
        2 => json!(rng.next_u64() as i64 >> rng.below(64)),
        3 => json!((rng.next_u64() as f64) / 7.0),
        4 => Value::String(NASTY[rng.below(NASTY.len())].to_owned()),
        5 => json!({ "$ref": NASTY[rng.below(NASTY.len())] }),
        6 => json!({ "type": NASTY[rng.below(NASTY.len())], "nullable": rng.chance(50) }),
        7 => Value::Array(
            (0..rng.below(3))
                .map(|_| random_value(rng, depth + 1))
                .collect(),
        ),
        _ => {
            let mut map = Map::new();
            for _ in 0..rng.below(4) {
                map.insert(
                    [
                        "type",
                        "properties",
                        "items",
                        "allOf",
                        "oneOf",
                        "enum",
                        "required",
                        "$ref",
                        "additionalProperties",
                        "discriminator",
                        "in",
                        "name",
                        "schema",
                        "content",
                        "responses",
                        "parameters",
                        "x-pagination",
                    ][rng.below(17)]
                    .to_owned(),
                    random_value(rng, depth + 1),
                );
            }
            Value::Object(map)
        }
    }
}

/// A valid schema built from the document's own components, so that the mutated spec
/// usually still generates and the later steps (merging, unions, boxing, emitting) are tried.
fn random_schema(rng: &mut Rng, components: &[String], depth: usize) -> Value {
    let reference = |rng: &mut Rng| match components.len() {
        0 => json!({ "type": "string" }),
        n => json!({ "$ref": format!("#/components/schemas/{}", components[rng.below(n)]) }),
    };
    if depth > 2 {
        return reference(rng);
    }
    match rng.below(10) {
        0 => reference(rng),
        1 => json!({ "type": "array", "items": random_schema(rng, components, depth + 1) }),
        2 => json!({ "allOf": [reference(rng), random_schema(rng, components, depth + 1)] }),
        3 => {
            json!({ "oneOf": [reference(rng), { "type": "string" }, random_schema(rng, components, depth + 1)] })
        }
        4 => json!({ "anyOf": [random_schema(rng, components, depth + 1), { "type": "null" }] }),
        5 => {
            json!({ "type": "string", "enum": ["a", "B", "c-d", "1x", "self"], "nullable": rng.chance(50) })
        }
        6 => json!({ "type": "integer", "enum": [1, -2, 30], "format": "int32" }),
        7 => {
            json!({ "type": "object", "additionalProperties": random_schema(rng, components, depth + 1) })
        }
        8 => json!({ "allOf": [reference(rng)], "nullable": true, "description": "d" }),
        _ => {
            let mut properties = Map::new();
            for i in 0..=rng.below(3) {
                properties.insert(
                    [
                        format!("p{i}"),
                        "type".into(),
                        "self".into(),
                        "a-b".into(),
                        "名".into(),
                    ][rng.below(5)]
                    .clone(),
                    random_schema(rng, components, depth + 1),
                );
            }
            json!({ "type": "object", "required": ["p0"], "properties": properties })
        }
    }
}

fn mutate_value(doc: &mut Value, rng: &mut Rng) {
    let mut all = Vec::new();
    places(doc, String::new(), &mut all);
    let target = all[rng.below(all.len())].clone();
    let components: Vec<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    // Half the time, a valid schema where a schema is.
    let schema_place = ["/schema", "/items"]
        .iter()
        .any(|end| target.ends_with(end))
        || target.contains("/properties/")
        || target.starts_with("/components/schemas/");
    if schema_place && rng.chance(50) {
        let schema = random_schema(rng, &components, 0);
        if let Some(place) = doc.pointer_mut(&target) {
            *place = schema;
        }
        return;
    }
    match rng.below(7) {
        // Replace a value.
        0 | 1 => {
            let value = random_value(rng, 0);
            if let Some(place) = doc.pointer_mut(&target) {
                *place = value;
            }
        }
        // Remove a key or an item.
        2 => {
            if let Some((parent, key)) = target.rsplit_once('/')
                && let Some(place) = doc.pointer_mut(parent)
            {
                let key = key.replace("~1", "/").replace("~0", "~");
                match place {
                    Value::Object(map) => {
                        map.shift_remove(&key);
                    }
                    Value::Array(items) => {
                        if let Ok(i) = key.parse::<usize>()
                            && i < items.len()
                        {
                            items.remove(i);
                        }
                    }
                    _ => {}
                }
            }
        }
        // Copy one subtree over another.
        3 => {
            let source = all[rng.below(all.len())].clone();
            if let Some(value) = doc.pointer(&source).cloned()
                && let Some(place) = doc.pointer_mut(&target)
            {
                *place = value;
            }
        }
        // Point a reference somewhere else (often at itself or a parent: cycles).
        4 => {
            let elsewhere = format!("#{}", all[rng.below(all.len())]);
            if let Some(place) = doc.pointer_mut(&target) {
                *place = json!({ "$ref": elsewhere });
            }
        }
        // Nest a value deeper.
        5 => {
            if let Some(place) = doc.pointer_mut(&target) {
                let inner = place.take();
                *place = match rng.below(3) {
                    0 => json!({ "type": "array", "items": inner }),
                    1 => json!({ "allOf": [inner, { "nullable": true }] }),
                    _ => json!({ "oneOf": [inner, inner] }),
                };
            }
        }
        // Add a key.
        _ => {
            if let Some(Value::Object(map)) = doc.pointer_mut(&target) {
                let key = NASTY[rng.below(NASTY.len())].to_owned();
                map.insert(key, random_value(rng, 0));
            }
        }
    }
}

/// What a run found.
#[derive(Debug, Default)]
pub struct Report {
    pub runs: u64,
    pub generated: u64,
    pub refused: u64,
    pub slowest: Duration,
    pub findings: Vec<(String, Input)>,
}

/// Runs `input` through the generator: `Err` with a description on a panic or a slow run.
pub fn check(input: &Input, limit: Duration) -> Result<bool, String> {
    let text = input.files.get(&input.root).cloned().unwrap_or_default();
    let started = Instant::now();
    let result = catch_unwind(AssertUnwindSafe(|| {
        generator::generate_with(&input.root, &text, input)
    }));
    let took = started.elapsed();
    match result {
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            Err(format!("panic: {message}"))
        }
        Ok(_) if took > limit => Err(format!("slow: {took:?}")),
        // The generator reports code it made that does not parse as an internal error.
        Ok(Err(error)) if error.message.contains("internal error") => {
            Err(format!("invalid Rust generated: {error}"))
        }
        Ok(result) => Ok(result.is_ok()),
    }
}

/// Runs `runs` mutated inputs from `seeds`, starting from `seed`; stops at `deadline`.
pub fn run(
    seeds: &[Input],
    seed: u64,
    runs: u64,
    deadline: Instant,
    mut each: impl FnMut(&Input),
) -> Report {
    let valid: Vec<&Input> = seeds.iter().filter(|s| s.valid).collect();
    let mut rng = Rng::new(seed);
    let mut report = Report::default();
    let limit = Duration::from_secs(10);
    while report.runs < runs && Instant::now() < deadline {
        // Mostly valid seeds: a mutation of a valid spec gets further into the generator.
        let seed_input = if !valid.is_empty() && rng.chance(80) {
            valid[rng.below(valid.len())]
        } else {
            &seeds[rng.below(seeds.len())]
        };
        let mut input = mutate(seed_input, &mut rng);
        if rng.chance(30) {
            input = mutate(&input, &mut rng);
        }
        each(&input);
        let started = Instant::now();
        match check(&input, limit) {
            Ok(true) => report.generated += 1,
            Ok(false) => report.refused += 1,
            Err(finding) => report.findings.push((finding, input)),
        }
        report.slowest = report.slowest.max(started.elapsed());
        report.runs += 1;
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A short, fixed run in every test pass: the corpus's mutations that once crashed the
    /// generator keep being tried.
    #[test]
    fn a_fixed_run_finds_nothing() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let seeds = corpus(repo, &["spec", "tests/fixtures", "tests/bad_specs"]);
        assert!(seeds.iter().filter(|s| s.valid).count() >= 10);
        let deadline = Instant::now() + Duration::from_secs(120);
        let report = run(&seeds, 0x5eed, 400, deadline, |_| {});
        assert!(report.generated > 0, "some mutations still generate");
        assert!(
            report.findings.is_empty(),
            "{:?}",
            report.findings.iter().map(|f| &f.0).collect::<Vec<_>>()
        );
    }
}

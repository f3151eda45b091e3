//! The generator and the runtime serve any API: neither names HighLevel's server, headers,
//! parameters or fields. What is HighLevel's lives in the spec (`x-rate-limit`, `x-trace-id`,
//! `x-tracing`, `servers`, `securitySchemes`) and in `generated-client/`.

use std::fs;
use std::path::Path;

use highlevel_tests::repo_root;

/// HighLevel's names, matched without regard to case.
const ANY_CASE: &[&str] = &[
    "highlevel",
    "leadconnector",
    "social-media-posting",
    "socialplanner",
    "x-ratelimit",
    "user_type",
    "2021-07-28",
];

/// HighLevel's names, matched as written (`TraceId` is a fine type name; `traceId` is
/// HighLevel's field).
const EXACT: &[&str] = &["traceId", "locationId", "companyId", "/oauth/token"];

#[test]
fn the_generator_and_the_runtime_name_nothing_of_highlevel() {
    let root = repo_root();
    let mut found = Vec::new();
    for dir in ["generator/src", "runtime/src"] {
        scan(&root, &root.join(dir), &mut found);
    }
    for file in ["generator/Cargo.toml", "runtime/Cargo.toml"] {
        scan(&root, &root.join(file), &mut found);
    }
    assert!(
        found.is_empty(),
        "HighLevel's specifics belong in the spec's extensions or in generated-client/, not \
         here:\n{}",
        found.join("\n")
    );
}

/// The scan can fail: a file that names HighLevel is found.
#[test]
fn the_scan_finds_what_it_looks_for() {
    let dir = std::env::temp_dir().join(format!("api-neutral-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("a.rs"),
        "let h = \"X-RateLimit-Max\";\nlet t = \"traceId\";\n",
    )
    .unwrap();
    let mut found = Vec::new();
    scan(&dir, &dir, &mut found);
    fs::remove_dir_all(&dir).unwrap();
    assert_eq!(found, ["a.rs:1: `x-ratelimit`", "a.rs:2: `traceId`"]);
}

/// Only a manifest's `repository` line may name the repository, which is named for the client.
#[test]
fn the_repository_line_alone_is_let_through() {
    let dir = std::env::temp_dir().join(format!("api-neutral-manifest-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("Cargo.toml"),
        "repository = \"https://example.com/highlevel\"\ndescription = \"For HighLevel\"\n",
    )
    .unwrap();
    fs::write(
        dir.join("a.rs"),
        "repository = \"https://example.com/highlevel\"\n",
    )
    .unwrap();
    let mut found = Vec::new();
    scan(&dir, &dir, &mut found);
    fs::remove_dir_all(&dir).unwrap();
    assert_eq!(found, ["Cargo.toml:2: `highlevel`", "a.rs:1: `highlevel`"]);
}

fn scan(root: &Path, path: &Path, found: &mut Vec<String>) {
    if path.is_dir() {
        let mut entries: Vec<_> = fs::read_dir(path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        for entry in entries {
            scan(root, &entry, found);
        }
        return;
    }
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path
        .strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string();
    for (number, line) in text.lines().enumerate() {
        // The repository is named for the client it holds; saying where the runtime's code
        // lives is not the runtime naming the API.
        if name.ends_with("Cargo.toml") && line.starts_with("repository = \"https://") {
            continue;
        }
        let lower = line.to_lowercase();
        let hits = ANY_CASE
            .iter()
            .filter(|term| lower.contains(*term))
            .chain(EXACT.iter().filter(|term| line.contains(*term)));
        for term in hits {
            found.push(format!("{name}:{}: `{term}`", number + 1));
        }
    }
}

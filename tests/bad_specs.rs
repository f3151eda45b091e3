//! Broken specs: each directory in `bad_specs/` breaks one thing in a small, valid spec, and
//! `expected.txt` beside it holds what the generator says about it. Every message must name
//! the file and the JSON pointer of the problem; none may panic or hang.
//!
//! To accept a deliberate change of a message, run
//! `UPDATE_EXPECT=1 cargo test -p highlevel-tests --test bad_specs` and review the diff.

use std::fs;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use highlevel_tests::{golden_mismatch, repo_root};

/// The one case too big to check in: 20,000 schemas chained by `next`, the last pointing one
/// past the end.
const HUGE: &str = "69-huge-file-dangling-ref-at-end";

fn huge_spec() -> String {
    const COUNT: usize = 20_000;
    let mut text = String::from(
        "openapi: 3.0.3\ninfo: {title: Huge Inventory, version: 1.0.0}\npaths:\n  /items:\n    \
         get:\n      operationId: listItems\n      responses:\n        '200':\n          \
         description: The first items.\n          content:\n            application/json:\n\
         \x20             schema:\n                type: array\n                items: {$ref: \
         '#/components/schemas/Item00001'}\ncomponents:\n  schemas:\n",
    );
    for i in 1..=COUNT {
        text.push_str(&format!(
            "    Item{i:05}:\n      type: object\n      description: Schema {i} of {COUNT}.\n      \
             required: [id, label]\n      properties:\n        id: {{type: string}}\n        \
             label: {{type: string}}\n        quantity: {{type: integer, format: int32}}\n        \
             next: {{$ref: '#/components/schemas/Item{:05}'}}\n",
            i + 1
        ));
    }
    text
}

/// What the generator says about one case: its error, or that it generated (with warnings).
fn outcome(root: &Path, case: &str) -> String {
    let dir = root.join("tests/bad_specs").join(case);
    let (file, bytes) = if case == HUGE {
        ("spec.yaml", huge_spec().into_bytes())
    } else {
        let file = if dir.join("spec.json").exists() {
            "spec.json"
        } else {
            "spec.yaml"
        };
        (file, fs::read(dir.join(file)).expect("the case's spec"))
    };
    let source = format!("tests/bad_specs/{case}/{file}");
    let loader = xtask::files::FsLoader::new(root);
    let result = generator::text_from_bytes(&source, &bytes)
        .and_then(|text| generator::generate_with(&source, text, &loader));
    match result {
        Err(error) => {
            let text = error.to_string();
            assert!(
                text.starts_with(&format!("tests/bad_specs/{case}/")) && text.contains('#'),
                "`{case}`: the message must start with the file and give a JSON pointer: {text}"
            );
            format!("error: {text}\n")
        }
        Ok(generated) => {
            let mut text = format!("generated: {} operations\n", generated.operations);
            for warning in &generated.warnings {
                text.push_str(&format!("warning: {warning}\n"));
            }
            text
        }
    }
}

#[test]
fn every_broken_spec_gets_its_expected_message() {
    let root = repo_root();
    let mut cases: Vec<String> = fs::read_dir(root.join("tests/bad_specs"))
        .expect("the corpus")
        .map(|e| e.expect("entry"))
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    assert!(cases.len() >= 30, "the corpus has {} cases", cases.len());
    let mut diffs = Vec::new();
    for case in &cases {
        // A case that hangs fails instead of stalling the suite.
        let (tx, rx) = mpsc::channel();
        let (thread_root, thread_case) = (root.clone(), case.clone());
        let worker = std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn(move || {
                let result = std::panic::catch_unwind(|| outcome(&thread_root, &thread_case));
                let _ = tx.send(result);
            })
            .expect("a thread");
        let text = match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(Ok(text)) => text,
            Ok(Err(_)) => panic!("`{case}` made the generator panic"),
            Err(_) => panic!("`{case}` did not finish within 120 s"),
        };
        let _ = worker.join();
        let expected = root.join("tests/bad_specs").join(case).join("expected.txt");
        diffs.extend(golden_mismatch(&expected, &text));
    }
    assert!(
        diffs.is_empty(),
        "messages changed (- checked in, + now):\n\n{}\nIf the change is intended, accept it \
         with\n    UPDATE_EXPECT=1 cargo test -p highlevel-tests --test bad_specs\nand review \
         `git diff tests/bad_specs/`.",
        diffs.concat()
    );
}

//! Golden tests: each fixture in `fixtures/<case>/spec.yaml` specifies one behaviour of the
//! generator; its output is checked in beside it under `fixtures/<case>/expected/`.
//!
//! To accept a deliberate change of output, run
//! `UPDATE_EXPECT=1 cargo test -p highlevel-tests --test golden` and review the diff.

use std::fs;

use highlevel_tests::{golden_mismatch, repo_root};

/// One fixture directory per behaviour; `every_fixture_directory_is_a_case` keeps this list
/// and the directory in step.
const CASES: &[&str] = &[
    "deprecated",
    "enums",
    "optional_fields",
    "path_and_query",
    "error_responses",
    "sanitised_names",
    "multipart",
    "external_refs",
    "all_of",
    "unions",
    "nullable_and_maps",
    "formats_and_defaults",
    "responses_and_bodies",
    "parameters",
    "hard_names",
    "recursion",
    "profile",
    "paging",
    "scoped_client",
    "parameter_styles",
    "no_success_response",
    "optional_path_param",
    "parameter_content",
    "equivalent_paths",
    "unit_values",
    "example_refs",
    "free_form_bodies",
    "large_types",
    "status_ranges",
    "api_key",
    "more_methods",
];

fn check_case(case: &str) {
    let root = repo_root();
    let dir = root.join("tests/fixtures").join(case);
    let spec = fs::read_to_string(dir.join("spec.yaml")).expect("fixture spec");
    // Files the spec refers to are read relative to it, as `cargo xtask generate` does.
    let loader = xtask::files::FsLoader::new(&root);
    let generated =
        generator::generate_with(&format!("tests/fixtures/{case}/spec.yaml"), &spec, &loader)
            .unwrap_or_else(|e| panic!("fixture `{case}` does not generate: {e}"));
    let expected = dir.join("expected");
    let mut diffs: Vec<String> = generated
        .files
        .iter()
        .filter_map(|(path, text)| {
            let name = path.rsplit('/').next().expect("a file name");
            golden_mismatch(&expected.join(name), text)
        })
        .collect();
    let warnings = generated.warnings.join("\n");
    diffs.extend(golden_mismatch(&expected.join("warnings.txt"), &warnings));
    assert!(
        diffs.is_empty(),
        "the output for fixture `{case}` changed (- checked in, + generated):\n\n{}\n\
         If the change is intended, accept it with\n    \
         UPDATE_EXPECT=1 cargo test -p highlevel-tests --test golden\n\
         and review `git diff tests/fixtures/{case}/expected/` before committing.",
        diffs.concat()
    );
}

#[test]
fn every_fixture_directory_is_a_case() {
    let mut found: Vec<String> = fs::read_dir(repo_root().join("tests/fixtures"))
        .expect("fixtures directory")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    let mut cases: Vec<&str> = CASES.to_vec();
    cases.sort();
    assert_eq!(
        found, cases,
        "add the new fixture to CASES in tests/golden.rs"
    );
}

macro_rules! golden {
    ($($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                check_case(stringify!($case));
            }
        )*
    };
}

golden!(
    deprecated,
    enums,
    optional_fields,
    path_and_query,
    error_responses,
    sanitised_names,
    multipart,
    external_refs,
    all_of,
    unions,
    nullable_and_maps,
    formats_and_defaults,
    responses_and_bodies,
    parameters,
    hard_names,
    recursion,
    profile,
    paging,
    scoped_client,
    parameter_styles,
    no_success_response,
    optional_path_param,
    parameter_content,
    equivalent_paths,
    unit_values,
    example_refs,
    free_form_bodies,
    large_types,
    status_ranges,
    api_key,
    more_methods,
);

/// Same spec, same bytes: no hash-map order, timestamps or paths leak into the output.
#[test]
fn output_is_deterministic() {
    let spec = fs::read_to_string(repo_root().join("spec/social-planner.yaml")).expect("spec");
    let first = generator::generate("spec/social-planner.yaml", &spec).expect("spec generates");
    for _ in 0..10 {
        let again = generator::generate("spec/social-planner.yaml", &spec).expect("spec generates");
        assert_eq!(first, again);
    }
}

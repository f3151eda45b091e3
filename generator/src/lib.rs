//! The code generator: OpenAPI 3.0 text in, the generated files of a Rust client out.
//!
//! One pipeline, each step in its own module:
//!
//! 1. [`parse`]: text → `openapiv3::OpenAPI` (YAML or JSON), shape errors with JSON pointers;
//! 2. [`lower`]: document → [`model::Api`], where every check runs and every name is decided;
//! 3. [`emit`]: model → tokens (`quote`) → `syn::File` → text (`prettyplease`).
//!
//! The library does no I/O: `xtask` reads the spec and writes the files, `tests/` compares them.

mod emit;
pub mod error;
mod lower;
pub mod model;
mod names;
mod parse;

use std::collections::BTreeMap;

pub use emit::GENERATED_DIR;
pub use error::{Error, Pointer};

/// What one run of the generator produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    /// Generated files: path relative to the client crate's root → content.
    pub files: BTreeMap<String, String>,
    /// How many operations (client methods) were generated.
    pub operations: usize,
    /// How many named types were generated.
    pub types: usize,
    /// Approximations the generator made; each names its place in the spec.
    pub warnings: Vec<String>,
}

/// Generates the client files for the spec `text`.
///
/// `source` names the spec in error messages and in the generated files' header; pass a
/// path relative to the repository so that the output is the same on every machine.
pub fn generate(source: &str, text: &str) -> Result<Generated, Error> {
    let api = model(source, text)?;
    let files = emit::files(&api, source).map_err(|e| e.in_file(source))?;
    Ok(Generated {
        files,
        operations: api.operations.len(),
        types: api.types.len(),
        warnings: api.warnings,
    })
}

/// Runs the first two steps only: the checked model of the spec `text`.
pub fn model(source: &str, text: &str) -> Result<model::Api, Error> {
    let document = parse::parse(text).map_err(|e| e.in_file(source))?;
    lower::lower(&document).map_err(|e| e.in_file(source))
}

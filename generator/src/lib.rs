//! The code generator: OpenAPI 3.0 text in, the generated files of a Rust client out.
//!
//! One pipeline, each step in its own module:
//!
//! 1. `parse`: text → `openapiv3::OpenAPI` (YAML or JSON), shape errors with JSON pointers;
//! 2. `lower`: document → [`model::Api`], where every check runs and every name is decided;
//! 3. `emit`: model → tokens (`quote`) → `syn::File` → text (`prettyplease`).
//!
//! [`changelog`] compares the models of two specs, as users of the generated crate see them.
//!
//! The library does no I/O: `xtask` reads the spec and writes the files, `tests/` compares them.

mod bundle;
pub mod changelog;
mod emit;
pub mod error;
mod fill;
mod lower;
pub mod model;
mod names;
mod parse;
mod validate;

use std::collections::BTreeMap;

pub use bundle::{Loader, NoFiles};
pub use emit::{DEPENDENCIES, GENERATED_DIR, RUNTIME_PACKAGE};
pub use error::{Error, Pointer};

/// What one run of the generator produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    /// The spec's `info.title`.
    pub title: String,
    /// Generated files: path relative to the client crate's root → content.
    pub files: BTreeMap<String, String>,
    /// How many operations (client methods) were generated.
    pub operations: usize,
    /// How many named types were generated.
    pub types: usize,
    /// Approximations the generator made, each as `file#pointer: what`.
    pub warnings: Vec<String>,
    /// The places where `serde_json::Value` stands in for a type the generator cannot
    /// express, each as `file#pointer: what` (also among `warnings`).
    pub fallbacks: Vec<String>,
    /// The checked model the files were emitted from, for [`changelog::compare`].
    pub model: model::Api,
}

/// Generates the client files for the self-contained spec `text`.
///
/// `source` names the spec in error messages and in the generated files' header; pass a
/// path relative to the repository so that the output is the same on every machine.
pub fn generate(source: &str, text: &str) -> Result<Generated, Error> {
    generate_with(source, text, &NoFiles)
}

/// Generates the client files for the spec `text`, reading the files it refers to through
/// `loader` (paths relative to `source`'s directory).
pub fn generate_with(source: &str, text: &str, loader: &dyn Loader) -> Result<Generated, Error> {
    let (api, bundle) = build(source, text, loader)?;
    let files = emit::files(&api, source).map_err(|e| e.in_file(source))?;
    let place = |w: &model::Warning| {
        let located = bundle.locate(
            source,
            error::Located::new(&Pointer::from_fragment(&w.pointer), &w.message),
        );
        located.to_string()
    };
    Ok(Generated {
        title: api.title.clone(),
        files,
        operations: api.operations.len(),
        types: api.types.len(),
        warnings: api.warnings.iter().map(place).collect(),
        fallbacks: api
            .warnings
            .iter()
            .filter(|w| w.fallback)
            .map(place)
            .collect(),
        model: api,
    })
}

/// The text of a spec file from its bytes: UTF-8 (a byte-order mark is dropped), or an
/// error that says where the first byte that is not UTF-8 is.
pub fn text_from_bytes<'b>(file: &str, bytes: &'b [u8]) -> Result<&'b str, Error> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        let column = valid.len() - valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1) + 1;
        Error {
            file: file.to_owned(),
            pointer: Pointer::root(),
            message: format!(
                "the file is not UTF-8 text: byte {:#04x} at line {line}, column {column}; save \
                 it as UTF-8",
                bytes[e.valid_up_to()]
            ),
        }
    })
}

/// The first half of step 1 alone: one file's text (YAML or JSON) as a JSON value, before any
/// reference is followed, for tools that read a spec as a document rather than generate from it.
pub fn document_value(source: &str, text: &str) -> Result<serde_json::Value, Error> {
    parse::value(text).map_err(|e| e.in_file(source))
}

/// Runs the first two steps only: the checked model of the self-contained spec `text`.
pub fn model(source: &str, text: &str) -> Result<model::Api, Error> {
    model_with(source, text, &NoFiles)
}

/// The checked model of the spec `text`, reading the files it refers to through `loader`.
pub fn model_with(source: &str, text: &str, loader: &dyn Loader) -> Result<model::Api, Error> {
    build(source, text, loader).map(|(api, _)| api)
}

fn build(
    source: &str,
    text: &str,
    loader: &dyn Loader,
) -> Result<(model::Api, bundle::Bundle), Error> {
    let bundle = bundle::bundle(source, text, loader)?;
    let mut warnings =
        validate::validate(&bundle.document).map_err(|e| bundle.locate(source, e))?;
    let filled = fill::fill(&bundle.document, &mut warnings);
    let document = parse::document(filled.as_ref().unwrap_or(&bundle.document))
        .map_err(|e| bundle.locate(source, e))?;
    let mut api = lower::lower(&document).map_err(|e| bundle.locate(source, e))?;
    warnings.append(&mut api.warnings);
    // A definition used in several places (merged into several `allOf`s) is looked at once
    // per use; its warnings are said once.
    let mut said = std::collections::BTreeSet::new();
    warnings.retain(|w| said.insert((w.pointer.clone(), w.message.clone())));
    api.warnings = warnings;
    Ok((api, bundle))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Extensions the generator does not know (a tool's notes on the spec, such as markers of
    /// chosen differences from another description) are ignored wherever they sit, and change
    /// no generated byte.
    #[test]
    fn unknown_extensions_change_nothing() {
        let plain = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      operationId: get-a\n      parameters:\n        - name: id\n          in: path\n          required: true\n          schema: {type: integer}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/A'}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        n: {type: integer}\n        k:\n          allOf: [{$ref: '#/components/schemas/K'}]\n    K: {type: string, enum: [a, b]}\n";
        let note = "{diff: type, upstream: number, why: w}";
        let marked = plain
            .replace(
                "      operationId: get-a\n",
                &format!("      x-upstream: {note}\n      operationId: get-a\n"),
            )
            .replace(
                "          schema: {type: integer}\n",
                &format!("          x-upstream: [{note}]\n          schema: {{type: integer, x-upstream: {note}}}\n"),
            )
            .replace(
                "        n: {type: integer}\n",
                &format!("        n: {{type: integer, x-upstream: {note}}}\n"),
            )
            .replace(
                "          allOf: [{$ref: '#/components/schemas/K'}]\n",
                &format!("          x-upstream: {note}\n          allOf: [{{$ref: '#/components/schemas/K'}}]\n"),
            )
            .replace(
                "    K: {type: string, enum: [a, b]}\n",
                &format!("    K: {{type: string, enum: [a, b], x-upstream: {note}}}\n"),
            );
        assert_eq!(marked.matches("x-upstream").count(), 6);
        let plain = generate("spec.yaml", plain).unwrap();
        let marked = generate("spec.yaml", &marked).unwrap();
        assert_eq!(plain.files, marked.files);
        assert_eq!(plain.warnings, marked.warnings);
    }

    /// Callbacks are requests the API makes, not calls of the client: they change no file,
    /// and a warning at their pointer says they are left out (a broken `$ref` inside one is
    /// not read).
    #[test]
    fn callbacks_are_left_out_with_a_warning() {
        let plain = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /streams:\n    post:\n      operationId: subscribe\n      responses:\n        '201':\n          description: subscribed\n";
        let with_callback = format!(
            "{plain}      callbacks:\n        onData:\n          '{{$request.query.url}}':\n            post:\n              requestBody:\n                content:\n                  application/json:\n                    schema: {{$ref: '#/components/schemas/Missing'}}\n              responses:\n                '202': {{description: ok}}\n"
        );
        let plain = generate("spec.yaml", plain).unwrap();
        let with_callback = generate("spec.yaml", &with_callback).unwrap();
        assert_eq!(plain.files, with_callback.files);
        assert_eq!(
            with_callback.warnings,
            [
                "spec.yaml#/paths/~1streams/post/callbacks: callbacks are not generated: they are \
              requests the API makes to a server of yours, and their schemas are not read"
            ]
        );
    }
}

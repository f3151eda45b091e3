//! Makes every `$ref` local: the part of step 1 that follows references.
//!
//! Real specs split themselves over files (`../common/common-schemas.json#/components/...`)
//! and point into the middle of definitions (`#/components/schemas/Post/properties/media`).
//! The later steps only know `#/components/<kind>/<name>`, so this module copies each
//! referenced definition into the root document's `components` once, under a free name, and
//! rewrites the references to it. It remembers where each copy came from, so that a problem
//! found later in a copy is reported in its own file.
//!
//! Reading files is the caller's business (the library does no I/O): a [`Loader`] hands over
//! the text of a path.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::{Error, Located, Pointer};
use crate::parse;

/// Reads the files a spec refers to. Paths are relative to the root spec's directory, with
/// `/` separators and `..` already resolved (e.g. `../common/common-schemas.json` from
/// `apps/spec.json` is asked for as `common/common-schemas.json`), or start with `../` when
/// they leave it.
pub trait Loader {
    /// The text of the file at `path`, or why it cannot be had.
    fn load(&self, path: &str) -> Result<String, String>;
}

/// A loader for a spec that must be self-contained.
pub struct NoFiles;

impl Loader for NoFiles {
    fn load(&self, _: &str) -> Result<String, String> {
        Err("this spec must be self-contained; other files cannot be read here".to_owned())
    }
}

/// The component kinds a reference can be hoisted into.
const KINDS: &[&str] = &[
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
];

/// The bundled document and where its imported parts came from.
pub(crate) struct Bundle {
    pub document: Value,
    /// Pointer prefix in the bundled document → (file, pointer in that file).
    origins: BTreeMap<String, (String, String)>,
}

impl Bundle {
    /// Turns an error about the bundled document into one about the file the problem is in.
    pub fn locate(&self, root: &str, error: Located) -> Error {
        let at = error.pointer.to_string();
        let found = self
            .origins
            .iter()
            .rev()
            .find(|(prefix, _)| at == **prefix || at.starts_with(&format!("{prefix}/")));
        match found {
            Some((prefix, (file, pointer))) => Error {
                file: file.clone(),
                pointer: Pointer::from_fragment(&format!("{pointer}{}", &at[prefix.len()..])),
                message: error.message,
            },
            None => error.in_file(root),
        }
    }
}

/// Parses `text` (the file `source`) and every file it refers to, and makes all references
/// local.
pub(crate) fn bundle(source: &str, text: &str, loader: &dyn Loader) -> Result<Bundle, Error> {
    let root = parse::value(text).map_err(|e| e.in_file(source))?;
    let mut bundler = Bundler {
        root_file: source.to_owned(),
        files: BTreeMap::new(),
        imported: BTreeMap::new(),
        added: Vec::new(),
        origins: BTreeMap::new(),
        loader,
    };
    bundler.files.insert(source.to_owned(), root.clone());
    let mut document = root;
    bundler.rewrite(&mut document, source, &Pointer::root())?;
    // Hoisted and imported definitions, each rewritten in its own file's terms.
    let mut next = 0;
    while next < bundler.added.len() {
        let (kind, name, file, pointer) = bundler.added[next].clone();
        next += 1;
        let mut node = bundler
            .lookup(&file, &pointer)
            .expect("checked when it was added");
        let at = Pointer::from_fragment(&pointer);
        bundler.rewrite(&mut node, &file, &at)?;
        let components = document
            .as_object_mut()
            .ok_or_else(|| {
                Located::new(&Pointer::root(), "the document is not a mapping").in_file(source)
            })?
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        let Some(components) = components.as_object_mut() else {
            return Err(Located::new(
                &Pointer::root().push("components"),
                "`components` must be a mapping",
            )
            .in_file(source));
        };
        let section = components
            .entry(kind.as_str())
            .or_insert_with(|| Value::Object(Map::new()));
        let Some(section) = section.as_object_mut() else {
            return Err(Located::new(
                &Pointer::root().push("components").push(&kind),
                format!("`components.{kind}` must be a mapping"),
            )
            .in_file(source));
        };
        section.insert(name, node);
    }
    // A schema referred to from the middle of another is now a component; its original place
    // refers to the component too, so that both uses are one Rust type.
    for ((file, fragment), local) in &bundler.imported {
        if *file != bundler.root_file || !local.starts_with("#/components/schemas/") {
            continue;
        }
        if let Some(place) = document.pointer_mut(fragment) {
            *place = serde_json::json!({ "$ref": local });
        }
    }
    Ok(Bundle {
        document,
        origins: bundler.origins,
    })
}

struct Bundler<'l> {
    root_file: String,
    /// Parsed files, by path.
    files: BTreeMap<String, Value>,
    /// (file, pointer) → the local reference that now stands for it.
    imported: BTreeMap<(String, String), String>,
    /// Definitions to copy into the root: (kind, name, file, pointer in file).
    added: Vec<(String, String, String, String)>,
    origins: BTreeMap<String, (String, String)>,
    loader: &'l dyn Loader,
}

impl Bundler<'_> {
    /// Rewrites every `$ref` under `node` (which sits at `at` in `file`) into a local one.
    fn rewrite(&mut self, node: &mut Value, file: &str, at: &Pointer) -> Result<(), Error> {
        match node {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    let reference = reference.clone();
                    let local = self.resolve(&reference, file, at)?;
                    map.insert("$ref".to_owned(), Value::String(local));
                    // Siblings of `$ref` (a description next to it) are kept as they are.
                }
                for (key, value) in map.iter_mut() {
                    if key == "$ref" {
                        continue;
                    }
                    // Examples hold data, not definitions (`example`, `examples`, and
                    // `components/examples`): a `$ref` key or a URL there is just data, never
                    // followed. A property that is called so is a schema like any other.
                    if matches!(key.as_str(), "example" | "examples") && !in_properties(at) {
                        continue;
                    }
                    self.rewrite(value, file, &at.push(key))?;
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    self.rewrite(item, file, &at.push(i))?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The local reference that stands for `reference`, written in `file` at `at`.
    fn resolve(&mut self, reference: &str, file: &str, at: &Pointer) -> Result<String, Error> {
        let here = |message: String| Located::new(at, message).in_file(file);
        let (path, fragment) = match reference.split_once('#') {
            Some((path, fragment)) => (path, fragment),
            None => (reference, ""),
        };
        let fragment = percent_decode(fragment);
        if !fragment.is_empty() && !fragment.starts_with('/') {
            return Err(here(format!(
                "`$ref: {reference}` is not a JSON pointer; write it as `#/components/...` \
                 (the part after `#` starts with `/`)"
            )));
        }
        if path.contains("://") {
            return Err(here(format!(
                "`$ref: {reference}` points to the web; download the file and refer to it by \
                 a relative path"
            )));
        }
        let target_file = if path.is_empty() {
            file.to_owned()
        } else {
            join(file, path)
        };
        if target_file == self.root_file {
            let tokens = tokens(&fragment);
            if tokens.len() == 3 && tokens[0] == "components" && KINDS.contains(&tokens[1].as_str())
            {
                // Already in the form the later steps know; whether it exists is their check.
                return Ok(format!("#{fragment}"));
            }
        }
        let key = (target_file.clone(), fragment.clone());
        if let Some(local) = self.imported.get(&key) {
            return Ok(local.clone());
        }
        self.load(&target_file, file, at, reference)?;
        if self.lookup(&target_file, &fragment).is_none() {
            return Err(here(format!(
                "`$ref: {reference}` points to nothing: `{target_file}` has no `#{fragment}`; \
                 define it there or fix the reference"
            )));
        }
        let tokens = tokens(&fragment);
        let kind = match tokens.as_slice() {
            [components, kind, ..]
                if components == "components" && KINDS.contains(&kind.as_str()) =>
            {
                kind.clone()
            }
            _ => kind_of_site(at).ok_or_else(|| {
                here(format!(
                    "`$ref: {reference}` is used where no definition can be referred to; \
                     move it under a schema, parameter, response or request body"
                ))
            })?,
        };
        let name = self.free_name(&kind, &tokens, &target_file);
        let local = format!("#/components/{kind}/{}", escape(&name));
        self.imported.insert(key, local.clone());
        self.origins.insert(
            Pointer::root()
                .push("components")
                .push(&kind)
                .push(&name)
                .to_string(),
            (target_file.clone(), format!("#{fragment}")),
        );
        self.added.push((kind, name, target_file, fragment));
        Ok(local)
    }

    /// Reads and parses `path` once.
    fn load(&mut self, path: &str, from: &str, at: &Pointer, reference: &str) -> Result<(), Error> {
        if self.files.contains_key(path) {
            return Ok(());
        }
        let text = self.loader.load(path).map_err(|why| {
            Located::new(
                at,
                format!(
                    "`$ref: {reference}` refers to the file `{path}`, which cannot be read: {why}"
                ),
            )
            .in_file(from)
        })?;
        let value = parse::value(&text).map_err(|e| e.in_file(path))?;
        self.files.insert(path.to_owned(), value);
        Ok(())
    }

    fn lookup(&self, file: &str, fragment: &str) -> Option<Value> {
        let mut node = self.files.get(file)?;
        for token in tokens(fragment) {
            node = match node {
                Value::Object(map) => map.get(&token)?,
                Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node.clone())
    }

    /// A name for a copied definition: its own name where that is free in the root, else one
    /// made from its place, numbered if need be.
    fn free_name(&self, kind: &str, tokens: &[String], file: &str) -> String {
        let root = &self.files[&self.root_file];
        let taken = |name: &str| {
            root.pointer(&format!("/components/{kind}/{}", escape(name)))
                .is_some()
                || self.added.iter().any(|(k, n, _, _)| k == kind && n == name)
        };
        let base = match tokens {
            [components, _, name] if components == "components" => name.clone(),
            [components, _, rest @ ..] if components == "components" => rest
                .iter()
                .filter(|t| {
                    !matches!(
                        t.as_str(),
                        "properties" | "items" | "allOf" | "oneOf" | "anyOf"
                    )
                })
                .map(|t| heck::ToUpperCamelCase::to_upper_camel_case(t.as_str()))
                .collect(),
            _ => tokens
                .iter()
                .map(|t| heck::ToUpperCamelCase::to_upper_camel_case(t.as_str()))
                .collect(),
        };
        let base = if base.is_empty() {
            file_stem(file)
        } else {
            base
        };
        if !taken(&base) {
            return base;
        }
        (2..)
            .map(|n| format!("{base}{n}"))
            .find(|candidate| !taken(candidate))
            .expect("an unbounded range always yields a free name")
    }
}

/// The component kind a `$ref` at `at` must refer to, from the key that holds it.
fn kind_of_site(at: &Pointer) -> Option<String> {
    let text = at.to_string();
    let tokens = tokens(text.trim_start_matches('#'));
    let last = tokens.last()?.as_str();
    let parent = tokens.len().checked_sub(2).map(|i| tokens[i].as_str());
    let kind = match (parent, last) {
        (_, "schema" | "items" | "additionalProperties" | "not") => "schemas",
        (Some("properties" | "allOf" | "oneOf" | "anyOf"), _) => "schemas",
        (Some("schemas"), _) => "schemas",
        (Some("parameters"), _) => "parameters",
        (Some("responses"), _) => "responses",
        (_, "requestBody") => "requestBodies",
        (Some("requestBodies"), _) => "requestBodies",
        (Some("headers"), _) => "headers",
        (Some("examples"), _) => "examples",
        _ => return None,
    };
    Some(kind.to_owned())
}

/// Whether `at` is a schema's `properties`, whose keys are property names.
fn in_properties(at: &Pointer) -> bool {
    at.to_string().ends_with("/properties")
}

/// The reference tokens of a JSON pointer (`/a/b~1c` → `a`, `b/c`).
fn tokens(fragment: &str) -> Vec<String> {
    fragment
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Decodes `%XX` escapes, which URI fragments may use (`%7BaccountId%7D`); a fragment whose
/// escapes do not make UTF-8 is kept as written.
fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .map_or_else(|_| text.to_owned(), |decoded| decoded.into_owned())
}

/// `dir/file.json` + `../x/y.json` → `x/y.json`; paths that climb above the root keep `../`.
fn join(from: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            part => parts.push(part),
        }
    }
    parts.join("/")
}

fn file_stem(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    heck::ToUpperCamelCase::to_upper_camel_case(stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Files(&'static [(&'static str, &'static str)]);

    impl Loader for Files {
        fn load(&self, path: &str) -> Result<String, String> {
            self.0
                .iter()
                .find(|(p, _)| *p == path)
                .map(|(_, text)| (*text).to_owned())
                .ok_or_else(|| "no such file".to_owned())
        }
    }

    #[test]
    fn paths_join_relative_to_the_referring_file() {
        assert_eq!(join("apps/spec.json", "../common/c.json"), "common/c.json");
        assert_eq!(join("spec.yaml", "./c.yaml"), "c.yaml");
        assert_eq!(join("spec.yaml", "../c.yaml"), "../c.yaml");
        assert_eq!(join("a/b/spec.yaml", "../../c/d.yaml"), "c/d.yaml");
    }

    #[test]
    fn fragments_are_unescaped() {
        assert_eq!(tokens("/paths/~1a~1{b}/get"), ["paths", "/a/{b}", "get"]);
        assert_eq!(percent_decode("/paths/~1a~1%7Bb%7D"), "/paths/~1a~1{b}");
        // An escape at the very end is decoded; bytes that are not UTF-8 keep the text as written.
        assert_eq!(percent_decode("/x/%7Bid%7D"), "/x/{id}");
        assert_eq!(percent_decode("/x/%FF"), "/x/%FF");
    }

    const ROOT: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      properties:\n        owner: {$ref: 'common/people.yaml#/components/schemas/Person'}\n        toy: {$ref: '#/components/schemas/Toy/properties/part'}\n    Toy:\n      type: object\n      properties:\n        part: {type: object, properties: {size: {type: integer}}}\n";
    const PEOPLE: &str = "components:\n  schemas:\n    Person:\n      type: object\n      properties:\n        friend: {$ref: '#/components/schemas/Person'}\n        address: {$ref: '#/components/schemas/Address'}\n    Address: {type: string}\n";

    #[test]
    fn other_files_and_nested_definitions_become_components() {
        let files = Files(&[("common/people.yaml", PEOPLE)]);
        let bundle = bundle("spec.yaml", ROOT, &files).unwrap();
        let schemas = &bundle.document["components"]["schemas"];
        assert_eq!(
            schemas["Pet"]["properties"]["owner"]["$ref"],
            "#/components/schemas/Person"
        );
        assert_eq!(
            schemas["Pet"]["properties"]["toy"]["$ref"],
            "#/components/schemas/ToyPart"
        );
        assert_eq!(
            schemas["Person"]["properties"]["friend"]["$ref"],
            "#/components/schemas/Person"
        );
        assert_eq!(schemas["Address"]["type"], "string");
        assert_eq!(schemas["ToyPart"]["properties"]["size"]["type"], "integer");
    }

    #[test]
    fn errors_in_copies_are_reported_in_their_own_file() {
        let files = Files(&[("common/people.yaml", PEOPLE)]);
        let bundle = bundle("spec.yaml", ROOT, &files).unwrap();
        let located = Located::new(
            &Pointer::from_fragment("#/components/schemas/Person/properties/friend"),
            "x",
        );
        let error = bundle.locate("spec.yaml", located);
        assert_eq!(error.file, "common/people.yaml");
        assert_eq!(
            error.pointer.to_string(),
            "#/components/schemas/Person/properties/friend"
        );
    }

    #[test]
    fn a_missing_file_and_a_missing_definition_are_named() {
        let err = bundle("spec.yaml", ROOT, &Files(&[])).err().unwrap();
        assert_eq!(err.file, "spec.yaml");
        assert_eq!(
            err.pointer.to_string(),
            "#/components/schemas/Pet/properties/owner"
        );
        assert!(
            err.message
                .contains("`common/people.yaml`, which cannot be read"),
            "{}",
            err.message
        );

        let files = Files(&[("common/people.yaml", "components: {schemas: {}}\n")]);
        let err = bundle("spec.yaml", ROOT, &files).err().unwrap();
        assert!(
            err.message.contains("has no `#/components/schemas/Person`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_pointer_without_a_slash_is_refused() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#components/schemas/B'}\n";
        let err = bundle("spec.yaml", text, &NoFiles).err().unwrap();
        assert!(
            err.message.contains("not a JSON pointer"),
            "{}",
            err.message
        );
        assert_eq!(err.pointer.to_string(), "#/components/schemas/A");
    }
}

//! The documents on each side of the comparison, and how their `$ref`s are followed.
//!
//! Upstream's files refer to each other (`../common/common-schemas.json#/components/...`); a
//! reference is followed where it leads, in whichever file, and one that leads nowhere is
//! remembered (and reported) instead of failing the comparison.

use std::collections::BTreeMap;

use generator::Pointer;
use serde_json::Value;

/// A set of parsed files, by path (relative to one directory, `/`-separated), and the files
/// that were referred to but could not be read.
#[derive(Debug, Default)]
pub struct Documents {
    files: BTreeMap<String, Value>,
    unreadable: BTreeMap<String, String>,
}

/// A value inside one of the documents: its file, its JSON pointer, and the value.
#[derive(Debug, Clone)]
pub(crate) struct Node<'d> {
    pub file: &'d str,
    pub pointer: Pointer,
    pub value: &'d Value,
}

impl<'d> Node<'d> {
    /// The member `key` of this mapping, if there is one.
    pub fn get(&self, key: &str) -> Option<Node<'d>> {
        self.value.get(key).map(|value| Node {
            file: self.file,
            pointer: self.pointer.push(key),
            value,
        })
    }

    /// The members of the mapping at `key`, in document order.
    pub fn members(&self, key: &str) -> Vec<(&'d str, Node<'d>)> {
        let Some(map) = self.value.get(key).and_then(Value::as_object) else {
            return Vec::new();
        };
        let at = self.pointer.push(key);
        map.iter()
            .map(|(name, value)| {
                let node = Node {
                    file: self.file,
                    pointer: at.push(name),
                    value,
                };
                (name.as_str(), node)
            })
            .collect()
    }

    /// The items of the list at `key`.
    pub fn items(&self, key: &str) -> Vec<Node<'d>> {
        let Some(list) = self.value.get(key).and_then(Value::as_array) else {
            return Vec::new();
        };
        let at = self.pointer.push(key);
        list.iter()
            .enumerate()
            .map(|(i, value)| Node {
                file: self.file,
                pointer: at.push(i),
                value,
            })
            .collect()
    }

    /// Whether this is a bare reference, which cannot carry anything of its own.
    pub fn is_bare_ref(&self) -> bool {
        self.value.as_object().is_some_and(|map| {
            map.contains_key("$ref") && map.keys().all(|k| k == "$ref" || k == "description")
        })
    }
}

impl Documents {
    /// Adds a parsed file.
    pub fn insert(&mut self, path: &str, value: Value) {
        self.files.insert(path.to_owned(), value);
    }

    /// Records that `path` was referred to but could not be read, and why.
    pub fn insert_unreadable(&mut self, path: &str, why: &str) {
        self.unreadable.insert(path.to_owned(), why.to_owned());
    }

    /// Why `path` could not be read, if it was referred to and could not be.
    pub fn unreadable(&self, path: &str) -> Option<&str> {
        self.unreadable.get(path).map(String::as_str)
    }

    /// Whether `path` is loaded or known to be unreadable.
    pub fn knows(&self, path: &str) -> bool {
        self.files.contains_key(path) || self.unreadable.contains_key(path)
    }

    /// The root of the file at `path`.
    pub(crate) fn root(&self, path: &str) -> Option<Node<'_>> {
        self.files.get_key_value(path).map(|(file, value)| Node {
            file,
            pointer: Pointer::root(),
            value,
        })
    }

    /// The files `path` refers to that are not loaded yet (paths relative to the same
    /// directory as `path`).
    pub fn unloaded_references(&self, path: &str) -> Vec<String> {
        let mut found = Vec::new();
        if let Some(value) = self.files.get(path) {
            collect_files(value, path, &mut found);
        }
        found.retain(|file| !self.knows(file));
        found.sort();
        found.dedup();
        found
    }

    /// The node `node` refers to when it is a `$ref` (followed once), or why it cannot be
    /// had; `None` when `node` is no reference.
    pub(crate) fn follow<'d>(&'d self, node: &Node<'d>) -> Option<Result<Node<'d>, String>> {
        let reference = node.value.get("$ref")?.as_str()?;
        let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let file = if path.is_empty() {
            node.file.to_owned()
        } else {
            join(node.file, path)
        };
        let Some(root) = self.root(&file) else {
            let why = self.unreadable(&file).unwrap_or("it was not loaded");
            return Some(Err(format!(
                "{}: `$ref: {reference}` leads to `{file}`, which cannot be read ({why})",
                node.file
            )));
        };
        let pointer = fragment.replace("%7B", "{").replace("%7D", "}");
        match root.value.pointer(&pointer) {
            Some(value) => Some(Ok(Node {
                file: root.file,
                pointer: Pointer::from_fragment(&pointer),
                value,
            })),
            None => Some(Err(format!(
                "{}{}: `$ref: {reference}` points to nothing in `{file}`",
                node.file, node.pointer
            ))),
        }
    }

    /// `node` with its references followed to the end: the nodes passed through (`node`
    /// first) and the one reached, or why it cannot be reached.
    pub(crate) fn resolve<'d>(&'d self, node: Node<'d>) -> Result<Vec<Node<'d>>, String> {
        let mut chain = vec![node];
        while let Some(next) = self.follow(chain.last().expect("never empty")) {
            let next = next?;
            if chain.len() > 32 || chain.iter().any(|n| same(n, &next)) {
                return Err(format!(
                    "{}{}: the references go round in a circle",
                    next.file, next.pointer
                ));
            }
            chain.push(next);
        }
        Ok(chain)
    }
}

/// Whether two nodes are the same place.
pub(crate) fn same(a: &Node<'_>, b: &Node<'_>) -> bool {
    a.file == b.file && a.pointer == b.pointer
}

/// The other files that `$ref`s under `value` (in `file`) name.
fn collect_files(value: &Value, file: &str, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                let path = reference.split('#').next().unwrap_or_default();
                if !path.is_empty() && !path.contains("://") {
                    found.push(join(file, path));
                }
            }
            for (key, item) in map {
                if key != "example" && key != "examples" {
                    collect_files(item, file, found);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                collect_files(item, file, found);
            }
        }
        _ => {}
    }
}

/// `apps/spec.json` + `../common/c.json` → `common/c.json`; paths that climb above the
/// directory keep their `../`.
pub(crate) fn join(from: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_joined_to_the_referring_file() {
        assert_eq!(
            join("apps/v3/a.json", "../common/c.json"),
            "apps/common/c.json"
        );
        assert_eq!(join("apps/a.json", "../common/c.json"), "common/c.json");
        assert_eq!(join("a.json", "./b.json"), "b.json");
        assert_eq!(join("a.json", "../b.json"), "../b.json");
    }

    #[test]
    fn a_reference_into_a_missing_file_says_so() {
        let mut docs = Documents::default();
        docs.insert(
            "apps/a.json",
            serde_json::json!({"x": {"$ref": "../c.json#/y"}}),
        );
        assert_eq!(docs.unloaded_references("apps/a.json"), ["c.json"]);
        docs.insert_unreadable("c.json", "there is no such file");
        let root = docs.root("apps/a.json").unwrap();
        let err = docs.resolve(root.get("x").unwrap()).unwrap_err();
        assert_eq!(
            err,
            "apps/a.json: `$ref: ../c.json#/y` leads to `c.json`, which cannot be read \
             (there is no such file)"
        );
    }
}

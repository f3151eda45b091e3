//! The `x-upstream` markers: differences from upstream that our spec makes on purpose.
//!
//! ```yaml
//! x-upstream:
//!   - diff: type          # which difference: a key the report names
//!     upstream: number    # what upstream says, as the report shows it
//!     why: it is a count, so integer
//! ```
//!
//! A marker sits on the object the difference is about and covers a difference only while
//! upstream still says what the marker says it does: when upstream changes, the difference
//! shows up again and the marker is reported as stale.

use generator::Pointer;
use serde_json::Value;

/// The extension's name.
pub const EXTENSION: &str = "x-upstream";

/// Differences named by a keyword alone.
const KEYS: &[&str] = &[
    "operation",
    "scopes",
    "deprecated",
    "request-body",
    "required",
    "properties",
    "additionalProperties",
    "oneOf",
    "type",
    "format",
    "enum",
    "nullable",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
];

/// Differences named by a keyword and what it is about (`property caption`).
const PREFIXES: &[&str] = &[
    "operation ",
    "parameter ",
    "status ",
    "media-type ",
    "property ",
    "required ",
];

/// One marked difference.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// Where the marker is, as a JSON pointer into our spec.
    pub at: String,
    /// Which difference it covers.
    pub diff: String,
    /// What upstream says.
    pub upstream: Value,
    /// Why we differ.
    pub why: String,
}

/// Every marker in `document` (the file `file`), or the first malformed one, named by its
/// place.
pub fn read(file: &str, document: &Value) -> Result<Vec<Marker>, String> {
    let mut found = Vec::new();
    walk(file, document, &Pointer::root(), false, &mut found)?;
    Ok(found)
}

/// `names`: whether the keys of `value` are names (of properties, paths, responses…), not
/// fields, so that a property called `x-upstream` is not taken for a marker.
fn walk(
    file: &str,
    value: &Value,
    at: &Pointer,
    names: bool,
    found: &mut Vec<Marker>,
) -> Result<(), String> {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                let item_at = at.push(key);
                if key == EXTENSION && !names {
                    parse(file, item, at, &item_at, found)?;
                } else if key != "example" && key != "examples" {
                    let holds_names = matches!(
                        key.as_str(),
                        "properties" | "paths" | "responses" | "content" | "schemas" | "parameters"
                    ) && item.is_object();
                    walk(file, item, &item_at, holds_names, found)?;
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(file, item, &at.push(i), false, found)?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn parse(
    file: &str,
    value: &Value,
    owner: &Pointer,
    at: &Pointer,
    found: &mut Vec<Marker>,
) -> Result<(), String> {
    let entries: Vec<(Pointer, &Value)> = match value {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (at.push(i), v))
            .collect(),
        other => vec![(at.clone(), other)],
    };
    for (entry_at, entry) in entries {
        let here = |message: String| format!("{file}{entry_at}: {message}");
        let Some(map) = entry.as_object() else {
            return Err(here(format!(
                "an `{EXTENSION}` entry is a mapping `{{diff: …, upstream: …, why: …}}` (or a \
                 list of them)"
            )));
        };
        if let Some(unknown) = map
            .keys()
            .find(|k| !["diff", "upstream", "why"].contains(&k.as_str()))
        {
            return Err(here(format!(
                "`{unknown}` is not a field of an `{EXTENSION}` entry; it has `diff`, `upstream` \
                 and `why`"
            )));
        }
        let diff = match map.get("diff") {
            Some(Value::String(diff)) if known(diff) => diff.clone(),
            Some(Value::String(diff)) => {
                return Err(here(format!(
                    "`diff: {diff}` names no difference the report makes: one of {}, or one of \
                     {} followed by a name",
                    KEYS.join(", "),
                    PREFIXES
                        .iter()
                        .map(|p| p.trim_end())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
            _ => {
                return Err(here(
                    "`diff` is missing: name the difference as the report does (`type`, \
                     `property caption`, …)"
                        .to_owned(),
                ));
            }
        };
        let Some(upstream) = map.get("upstream") else {
            return Err(here(
                "`upstream` is missing: copy what upstream says from the report".to_owned(),
            ));
        };
        let why = match map.get("why") {
            Some(Value::String(why)) if !why.trim().is_empty() => why.clone(),
            _ => return Err(here("`why` is missing: say why we differ".to_owned())),
        };
        found.push(Marker {
            at: owner.to_string(),
            diff,
            upstream: upstream.clone(),
            why,
        });
    }
    Ok(())
}

fn known(diff: &str) -> bool {
    KEYS.contains(&diff)
        || PREFIXES.iter().any(|p| {
            diff.strip_prefix(p)
                .is_some_and(|rest| !rest.trim().is_empty())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn one_marker_or_a_list_and_property_names_are_not_markers() {
        let doc = json!({
            "components": {"schemas": {"A": {
                "x-upstream": {"diff": "type", "upstream": "number", "why": "a count"},
                "properties": {"x-upstream": {"type": "string"}, "b": {
                    "x-upstream": [{"diff": "property c", "upstream": "present", "why": "w"}]
                }}
            }}}
        });
        let markers = read("s.yaml", &doc).unwrap();
        let at: Vec<_> = markers
            .iter()
            .map(|m| (m.at.as_str(), m.diff.as_str()))
            .collect();
        assert_eq!(
            at,
            [
                ("#/components/schemas/A", "type"),
                ("#/components/schemas/A/properties/b", "property c")
            ]
        );
    }

    #[test]
    fn malformed_markers_are_named_by_place() {
        let cases = [
            (
                json!({"diff": "typo", "upstream": 1, "why": "w"}),
                "names no difference",
            ),
            (json!({"diff": "type", "why": "w"}), "`upstream` is missing"),
            (json!({"diff": "type", "upstream": 1}), "`why` is missing"),
            (
                json!({"diff": "type", "upstream": 1, "why": "w", "note": 2}),
                "`note` is not a field",
            ),
            (json!("type"), "is a mapping"),
        ];
        for (marker, message) in cases {
            let doc = json!({"info": {"x-upstream": marker}});
            let err = read("s.yaml", &doc).unwrap_err();
            assert!(err.starts_with("s.yaml#/info/x-upstream: "), "{err}");
            assert!(err.contains(message), "{err}");
        }
    }
}

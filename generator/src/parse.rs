//! Step 1 of the pipeline: spec text (and the files it refers to) to one `openapiv3` document.
//!
//! 1. Each file is read as YAML or JSON into a `serde_json::Value`.
//! 2. [`bundle`](crate::bundle) follows `$ref`s into other files and into nested definitions
//!    and copies what they point at into the root's `components`, so that every reference is a
//!    plain local one.
//! 3. The bundled value is deserialized through `serde_path_to_error`, so that a document of
//!    the wrong shape is reported at the JSON pointer of the value that did not fit.

use openapiv3::OpenAPI;
use serde_json::Value;
use serde_path_to_error::Segment;

use crate::error::{Located, Pointer, Result};

/// Parses one file's text, YAML or JSON (JSON when the first non-blank character is `{`), into
/// a JSON value. YAML keys that are numbers or booleans (`200:`) become strings.
pub(crate) fn value(text: &str) -> Result<Value> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let trimmed = text.trim_start();
    if trimmed.is_empty()
        || trimmed
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Err(Located::new(
            &Pointer::root(),
            "the file is empty; expected an OpenAPI 3.0 document",
        ));
    }
    if trimmed.starts_with('{') {
        return serde_json::from_str(text).map_err(|e| {
            Located::new(
                &Pointer::root(),
                format!(
                    "not valid JSON: {} (line {}, column {}); fix the syntax there",
                    strip_position(&e.to_string()),
                    e.line(),
                    e.column()
                ),
            )
        });
    }
    let mut yaml: serde_norway::Value = serde_norway::from_str(text).map_err(|e| {
        let at = e
            .location()
            .map(|l| format!(" (line {}, column {})", l.line(), l.column()))
            .unwrap_or_default();
        Located::new(
            &Pointer::root(),
            format!(
                "not valid YAML: {}{at}; fix the syntax there",
                strip_position(&e.to_string())
            ),
        )
    })?;
    yaml.apply_merge().map_err(|e| {
        Located::new(
            &Pointer::root(),
            format!("a YAML merge key (`<<`) cannot be applied: {e}"),
        )
    })?;
    yaml_to_json(yaml, &Pointer::root())
}

/// serde's messages end with "at line L column C"; the position is given separately. Its
/// nesting guard is explained in the spec's terms.
fn strip_position(message: &str) -> String {
    let message = match message.find(" at line ") {
        Some(i) => &message[..i],
        None => message,
    };
    if message.contains("recursion limit exceeded") {
        "the document nests more than 128 levels deep, which no API needs; flatten it with \
         named schemas"
            .to_owned()
    } else {
        message.to_owned()
    }
}

fn yaml_to_json(yaml: serde_norway::Value, at: &Pointer) -> Result<Value> {
    use serde_norway::Value as Y;
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                match n.as_f64().and_then(serde_json::Number::from_f64) {
                    Some(number) => Value::Number(number),
                    None => {
                        return Err(Located::new(
                            at,
                            format!("the number `{n}` has no JSON form (infinite or NaN)"),
                        ));
                    }
                }
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| yaml_to_json(item, &at.push(i)))
                .collect::<Result<_>>()?,
        ),
        Y::Mapping(map) => {
            let mut object = serde_json::Map::new();
            for (key, item) in map {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => {
                        return Err(Located::new(
                            at,
                            format!(
                                "a mapping key must be text, not {}; quote the key",
                                yaml_kind(&other)
                            ),
                        ));
                    }
                };
                let item = yaml_to_json(item, &at.push(&key))?;
                object.insert(key, item);
            }
            Value::Object(object)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, at)?,
    })
}

fn yaml_kind(value: &serde_norway::Value) -> &'static str {
    match value {
        serde_norway::Value::Null => "null",
        serde_norway::Value::Sequence(_) => "a list",
        serde_norway::Value::Mapping(_) => "a mapping",
        _ => "a tagged value",
    }
}

/// Checks the version and the top-level shape, then deserializes the bundled document.
pub(crate) fn document(bundled: &Value) -> Result<OpenAPI> {
    let Value::Object(root) = bundled else {
        return Err(Located::new(
            &Pointer::root(),
            format!(
                "the document is {}, not a mapping; an OpenAPI document starts with \
                 `openapi: 3.0.3`, `info` and `paths`",
                json_kind(bundled)
            ),
        ));
    };
    if let Some(swagger) = root.get("swagger") {
        return Err(Located::new(
            &Pointer::root().push("swagger"),
            format!(
                "this is a Swagger {} document; convert it to OpenAPI 3.0 first (for example \
                 with swagger2openapi)",
                swagger.as_str().unwrap_or("2.0")
            ),
        ));
    }
    match root.get("openapi") {
        None => {
            return Err(Located::new(
                &Pointer::root(),
                "`openapi` is missing; add `openapi: 3.0.3` at the top",
            ));
        }
        Some(Value::String(version)) if version.starts_with("3.0") => {}
        Some(Value::String(version)) => {
            return Err(Located::new(
                &Pointer::root().push("openapi"),
                format!(
                    "OpenAPI version `{version}` is not supported; write the document as \
                     OpenAPI 3.0.x"
                ),
            ));
        }
        Some(other) => {
            return Err(Located::new(
                &Pointer::root().push("openapi"),
                format!(
                    "`openapi` is {}; write the version as text, e.g. `openapi: \"3.0.3\"`",
                    json_kind(other)
                ),
            ));
        }
    }
    for required in ["info", "paths"] {
        if !root.contains_key(required) {
            return Err(Located::new(
                &Pointer::root(),
                format!("`{required}` is missing; every OpenAPI document needs one"),
            ));
        }
    }
    serde_path_to_error::deserialize(bundled).map_err(|e| {
        let pointer = e
            .path()
            .iter()
            .fold(Pointer::root(), |p, segment| match segment {
                Segment::Seq { index } => p.push(index),
                Segment::Map { key } => p.push(key),
                Segment::Enum { variant } => p.push(variant),
                Segment::Unknown => p,
            });
        Located::new(
            &pointer,
            format!("not a valid OpenAPI 3.0 document here: {}", e.inner()),
        )
    })
}

/// "a list", "a number", … for messages.
pub(crate) fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// Parses a single self-contained document (no other files): for tests of later steps.
#[cfg(test)]
pub(crate) fn parse(text: &str) -> Result<OpenAPI> {
    document(&value(text)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_text_is_reported() {
        let e = parse("  \n# only a comment\n").unwrap_err();
        assert!(e.message.contains("empty"), "{}", e.message);
    }

    #[test]
    fn wrong_shape_points_into_the_document() {
        let e = parse("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: 7\n").unwrap_err();
        assert_eq!(e.pointer.to_string(), "#/paths");
    }

    #[test]
    fn openapi_31_and_swagger_are_refused() {
        let e = parse("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap_err();
        assert_eq!(e.pointer.to_string(), "#/openapi");
        let e = parse("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap_err();
        assert!(e.message.contains("Swagger 2.0"), "{}", e.message);
    }

    #[test]
    fn json_is_accepted() {
        let doc = parse(r#"{"openapi":"3.0.0","info":{"title":"t","version":"1"},"paths":{}}"#);
        assert_eq!(doc.unwrap().info.title, "t");
    }

    #[test]
    fn numeric_yaml_keys_become_strings() {
        let v = value("a:\n  200: ok\n  true: yes\n").unwrap();
        assert_eq!(v["a"]["200"], "ok");
        assert_eq!(v["a"]["true"], "yes");
    }

    #[test]
    fn syntax_errors_give_the_position() {
        let e = value("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(e.message.starts_with("not valid YAML"), "{}", e.message);
        assert!(e.message.contains("line"), "{}", e.message);
        let e = value("{\"a\": }").unwrap_err();
        assert!(e.message.contains("line 1, column 7"), "{}", e.message);
    }

    #[test]
    fn a_list_is_not_a_document() {
        let e = document(&value("- a\n- b\n").unwrap()).unwrap_err();
        assert!(e.message.contains("a list, not a mapping"), "{}", e.message);
    }
}

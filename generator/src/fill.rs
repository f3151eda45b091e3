//! What a spec leaves out that the OpenAPI 3.0 model cannot do without, filled in between the
//! checks of the raw document and its parsing, each with a warning at its pointer.
//!
//! A parameter needs a `schema` or a `content`; one with neither (common in specs converted
//! from elsewhere) is taken as a string; so is a response header with neither (the generator
//! reads no response header's schema, but the model needs one). An empty `enum` without a `type` is taken as
//! `enum: [null]`, the unit value. A media type's `examples` that is not a map of named
//! examples (a list, JSON Schema's form) is data nobody reads: it is dropped.

use serde_json::{Map, Value, json};

use crate::error::Pointer;
use crate::model::Warning;

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// `document` with what it leaves out filled in; `None` when nothing is (the usual case,
/// which copies nothing).
pub(crate) fn fill(document: &Value, warnings: &mut Vec<Warning>) -> Option<Value> {
    let parameters = untyped_parameters(document);
    let headers = untyped_headers(document);
    let mut enums = Vec::new();
    empty_enums(document, Pointer::root(), &mut enums);
    let mut examples = Vec::new();
    listed_examples(document, Pointer::root(), &mut examples);
    if parameters.is_empty() && headers.is_empty() && enums.is_empty() && examples.is_empty() {
        return None;
    }
    let mut filled = document.clone();
    for place in parameters {
        let pointer = place.to_string();
        if let Some(Value::Object(parameter)) = filled.pointer_mut(&pointer[1..]) {
            parameter.insert("schema".to_owned(), json!({"type": "string"}));
            let name = parameter
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            warnings.push(Warning {
                pointer,
                message: format!(
                    "parameter `{name}` has neither `schema` nor `content`; it is generated as \
                     a string"
                ),
                fallback: false,
            });
        }
    }
    for place in headers {
        let pointer = place.to_string();
        if let Some(Value::Object(header)) = filled.pointer_mut(&pointer[1..]) {
            header.insert("schema".to_owned(), json!({"type": "string"}));
            warnings.push(Warning {
                pointer,
                message: "the header has neither `schema` nor `content`; it is taken as a string"
                    .to_owned(),
                fallback: false,
            });
        }
    }
    for place in enums {
        let pointer = place.to_string();
        if let Some(Value::Object(schema)) = filled.pointer_mut(&pointer[1..]) {
            schema.insert("enum".to_owned(), json!([null]));
            warnings.push(Warning {
                pointer: place.push("enum").to_string(),
                message: "an empty `enum` without a `type` is generated as the unit value, \
                          `null`"
                    .to_owned(),
                fallback: false,
            });
        }
    }
    for place in examples {
        let pointer = place.to_string();
        if let Some(Value::Object(media)) = filled.pointer_mut(&pointer[1..]) {
            media.remove("examples");
            warnings.push(Warning {
                pointer: place.push("examples").to_string(),
                message: "`examples` is a list, not names mapped to Example Objects; the \
                          examples are left out"
                    .to_owned(),
                fallback: false,
            });
        }
    }
    Some(filled)
}

/// The media types (anything under a `content`) whose `examples` is a list.
fn listed_examples(value: &Value, at: Pointer, found: &mut Vec<Pointer>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                if matches!(key.as_str(), "example" | "examples" | "default" | "enum")
                    || key.starts_with("x-")
                {
                    continue;
                }
                let inner_at = at.push(key);
                if key == "content"
                    && let Value::Object(media_types) = inner
                {
                    for (media_type, media) in media_types {
                        if matches!(media.get("examples"), Some(Value::Array(_))) {
                            found.push(inner_at.push(media_type));
                        }
                    }
                }
                listed_examples(inner, inner_at, found);
            }
        }
        Value::Array(items) => {
            for (i, inner) in items.iter().enumerate() {
                listed_examples(inner, at.push(i), found);
            }
        }
        _ => {}
    }
}

/// The schemas with `enum: []` and no `type`, anywhere but in examples, defaults and
/// extensions (which are data, not schemas).
fn empty_enums(value: &Value, at: Pointer, found: &mut Vec<Pointer>) {
    match value {
        Value::Object(map) => {
            if matches!(map.get("enum"), Some(Value::Array(values)) if values.is_empty())
                && !map.contains_key("type")
            {
                found.push(at.clone());
            }
            for (key, inner) in map {
                if matches!(key.as_str(), "example" | "examples" | "default" | "enum")
                    || key.starts_with("x-")
                {
                    continue;
                }
                empty_enums(inner, at.push(key), found);
            }
        }
        Value::Array(items) => {
            for (i, inner) in items.iter().enumerate() {
                empty_enums(inner, at.push(i), found);
            }
        }
        _ => {}
    }
}

/// The pointers of the parameters (inline, in path items and operations, or components)
/// that have neither `schema` nor `content`.
fn untyped_parameters(document: &Value) -> Vec<Pointer> {
    let mut found = Vec::new();
    let mut look = |list: Option<&Value>, at: Pointer| {
        let Some(Value::Array(list)) = list else {
            return;
        };
        for (i, parameter) in list.iter().enumerate() {
            if is_untyped(parameter) {
                found.push(at.push(i));
            }
        }
    };
    let paths = Pointer::root().push("paths");
    if let Some(Value::Object(items)) = document.get("paths") {
        for (path, item) in items {
            let Value::Object(item) = item else { continue };
            let item_at = paths.push(path);
            look(item.get("parameters"), item_at.push("parameters"));
            for method in METHODS {
                if let Some(Value::Object(op)) = item.get(*method) {
                    look(
                        op.get("parameters"),
                        item_at.push(method).push("parameters"),
                    );
                }
            }
        }
    }
    let components = Pointer::root().push("components").push("parameters");
    if let Some(Value::Object(parameters)) =
        document.get("components").and_then(|c| c.get("parameters"))
    {
        for (name, parameter) in parameters {
            if is_untyped(parameter) {
                found.push(components.push(name));
            }
        }
    }
    found
}

/// The response headers (of operations' responses, of `components/responses`, and
/// `components/headers`) with neither `schema` nor `content`.
fn untyped_headers(document: &Value) -> Vec<Pointer> {
    let mut found = Vec::new();
    let untyped = |header: &Value| match header {
        Value::Object(h) => !has(h, "$ref") && !has(h, "schema") && !has(h, "content"),
        _ => false,
    };
    let mut in_response = |response: &Value, at: Pointer| {
        if let Some(Value::Object(headers)) = response.get("headers") {
            for (name, header) in headers {
                if untyped(header) {
                    found.push(at.push("headers").push(name));
                }
            }
        }
    };
    let paths = Pointer::root().push("paths");
    if let Some(Value::Object(items)) = document.get("paths") {
        for (path, item) in items {
            for method in METHODS {
                let Some(Value::Object(responses)) =
                    item.get(*method).and_then(|op| op.get("responses"))
                else {
                    continue;
                };
                let at = paths.push(path).push(method).push("responses");
                for (status, response) in responses {
                    in_response(response, at.push(status));
                }
            }
        }
    }
    let components = Pointer::root().push("components");
    if let Some(Value::Object(responses)) =
        document.get("components").and_then(|c| c.get("responses"))
    {
        for (name, response) in responses {
            in_response(response, components.push("responses").push(name));
        }
    }
    if let Some(Value::Object(headers)) = document.get("components").and_then(|c| c.get("headers"))
    {
        for (name, header) in headers {
            if untyped(header) {
                found.push(components.push("headers").push(name));
            }
        }
    }
    found
}

fn is_untyped(parameter: &Value) -> bool {
    match parameter {
        Value::Object(p) => {
            !has(p, "$ref") && !has(p, "schema") && !has(p, "content") && has(p, "name")
        }
        _ => false,
    }
}

fn has(object: &Map<String, Value>, key: &str) -> bool {
    object.contains_key(key)
}

//! Checks the document's structure before it is deserialized, where every value's place is
//! still known.
//!
//! `openapiv3` deserializes through untagged enums, which report a mistake at the enclosing
//! path item or schema, in serde's words (`expected struct Responses`). This pass walks the
//! document first and reports the same mistakes at their exact JSON pointer, in the spec's
//! words, with what to write instead. It checks shape only; meaning is `lower`'s business.

use serde_json::{Map, Value};

use crate::error::{Located, Pointer, Result};
use crate::model::Warning;
use crate::parse::json_kind;

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
const PATH_ITEM_KEYS: &[&str] = &["summary", "description", "servers", "parameters", "$ref"];
const LOCATIONS: &[&str] = &["query", "header", "path", "cookie"];
const TYPES: &[&str] = &["string", "number", "integer", "boolean", "array", "object"];

/// Checks `document`; returns the warnings for what is odd but usable.
pub(crate) fn validate(document: &Value) -> Result<Vec<Warning>> {
    let mut check = Check {
        warnings: Vec::new(),
    };
    let root = Pointer::root();
    let Some(doc) = document.as_object() else {
        return Ok(Vec::new());
    };
    if let Some(paths) = doc.get("paths") {
        check.paths(paths, &root.push("paths"))?;
    }
    if let Some(components) = doc.get("components") {
        check.components(components, &root.push("components"))?;
    }
    Ok(check.warnings)
}

struct Check {
    warnings: Vec<Warning>,
}

fn mapping<'v>(value: &'v Value, at: &Pointer, what: &str) -> Result<&'v Map<String, Value>> {
    value.as_object().ok_or_else(|| {
        Located::new(
            at,
            format!("{what} must be a mapping, not {}", json_kind(value)),
        )
    })
}

fn list<'v>(value: &'v Value, at: &Pointer, what: &str) -> Result<&'v Vec<Value>> {
    value.as_array().ok_or_else(|| {
        Located::new(
            at,
            format!("{what} must be a list, not {}", json_kind(value)),
        )
    })
}

/// A parameter's `style` must be one OpenAPI 3.0 defines for where the parameter goes.
fn check_style(style: &Value, location: Option<&str>, at: &Pointer) -> Result<()> {
    let allowed: &[&str] = match location {
        Some("path") => &["simple", "label", "matrix"],
        Some("query") => &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
        Some("header") => &["simple"],
        Some("cookie") => &["form"],
        _ => return Ok(()),
    };
    let location = location.unwrap_or_default();
    match style.as_str() {
        Some(style) if allowed.contains(&style) => Ok(()),
        Some(style) => Err(Located::new(
            at,
            format!(
                "`style: {style}` is not a style of {location} parameters; use {}{}",
                allowed
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                suggest(style, allowed)
            ),
        )),
        None => Err(Located::new(
            at,
            format!("`style` must be text, not {}", json_kind(style)),
        )),
    }
}

/// The closest of `options` to a misspelled `word`, for "did you mean".
pub(crate) fn suggest(word: &str, options: &[&str]) -> String {
    options
        .iter()
        .map(|o| (strsim::levenshtein(word, o), o))
        .filter(|(d, o)| *d <= 2 && *d < o.len())
        .min()
        .map(|(_, o)| format!("; did you mean `{o}`?"))
        .unwrap_or_default()
}

impl Check {
    fn warn(&mut self, at: &Pointer, message: impl Into<String>) {
        self.warnings.push(Warning {
            pointer: at.to_string(),
            message: message.into(),
            fallback: false,
        });
    }

    fn paths(&mut self, paths: &Value, at: &Pointer) -> Result<()> {
        let paths = mapping(paths, at, "`paths`")?;
        // Templates that differ only in their parameters' names are one path: their items
        // may split its methods between them, but not both have one.
        let mut shapes: Vec<(String, &str, &Value)> = Vec::new();
        for (path, item) in paths {
            let item_at = at.push(path);
            if path.starts_with("x-") {
                continue;
            }
            if !path.starts_with('/') {
                return Err(Located::new(
                    &item_at,
                    format!("a path must begin with `/`; write `/{path}`"),
                ));
            }
            if path.contains('?') || path.contains('#') {
                return Err(Located::new(
                    &item_at,
                    "a path may not hold a query string or fragment; declare those values as \
                     parameters with `in: query`",
                ));
            }
            let shape = template_shape(path);
            for (_, other, other_item) in shapes.iter().filter(|(s, _, _)| *s == shape) {
                let repeated = METHODS
                    .iter()
                    .find(|m| item.get(**m).is_some() && other_item.get(**m).is_some());
                if let Some(method) = repeated {
                    return Err(Located::new(
                        &item_at.push(method),
                        format!(
                            "this path is `{other}` with its parameters named differently, and \
                             both define `{method}` (also at {}): one request would match both; \
                             keep one of them",
                            at.push(other).push(method)
                        ),
                    ));
                }
            }
            shapes.push((shape, path, item));
            self.path_item(item, &item_at)?;
        }
        Ok(())
    }

    fn path_item(&mut self, item: &Value, at: &Pointer) -> Result<()> {
        let item = mapping(item, at, "a path item")?;
        for (key, value) in item {
            let key_at = at.push(key);
            if key.starts_with("x-") || PATH_ITEM_KEYS.contains(&key.as_str()) {
                if key == "parameters" {
                    self.parameters(value, &key_at)?;
                }
                continue;
            }
            if METHODS.contains(&key.as_str()) {
                self.operation(value, &key_at)?;
                continue;
            }
            let mut known: Vec<&str> = METHODS.to_vec();
            known.extend(PATH_ITEM_KEYS);
            return Err(Located::new(
                &key_at,
                format!(
                    "`{key}` is neither an HTTP method ({}) nor a path item field nor an `x-` \
                     extension{}",
                    METHODS.join(", "),
                    suggest(key, &known)
                ),
            ));
        }
        Ok(())
    }

    fn operation(&mut self, op: &Value, at: &Pointer) -> Result<()> {
        let op = mapping(op, at, "an operation")?;
        if let Some(id) = op.get("operationId")
            && !id.is_string()
        {
            return Err(Located::new(
                &at.push("operationId"),
                format!("`operationId` must be text, not {}", json_kind(id)),
            ));
        }
        if let Some(parameters) = op.get("parameters") {
            self.parameters(parameters, &at.push("parameters"))?;
        }
        if let Some(body) = op.get("requestBody") {
            self.media_holder(body, &at.push("requestBody"), "a request body")?;
        }
        let Some(responses) = op.get("responses") else {
            return Err(Located::new(
                at,
                "the operation has no `responses`; document at least its success response",
            ));
        };
        let responses_at = at.push("responses");
        for (status, response) in mapping(responses, &responses_at, "`responses`")? {
            let status_at = responses_at.push(status);
            let valid = status == "default"
                || status.starts_with("x-")
                || (status.len() == 3
                    && status.starts_with(['1', '2', '3', '4', '5'])
                    && (status[1..].chars().all(|c| c.is_ascii_digit()) || &status[1..] == "XX"));
            if !valid {
                return Err(Located::new(
                    &status_at,
                    format!(
                        "`{status}` is not a status code; write three digits (`201`), a range \
                         (`2XX`) or `default`"
                    ),
                ));
            }
            if !status.starts_with("x-") {
                self.media_holder(response, &status_at, "a response")?;
            }
        }
        Ok(())
    }

    fn parameters(&mut self, parameters: &Value, at: &Pointer) -> Result<()> {
        for (i, parameter) in list(parameters, at, "`parameters`")?.iter().enumerate() {
            self.parameter(parameter, &at.push(i))?;
        }
        Ok(())
    }

    fn parameter(&mut self, parameter: &Value, p_at: &Pointer) -> Result<()> {
        let p = mapping(parameter, p_at, "a parameter")?;
        if p.contains_key("$ref") {
            return Ok(());
        }
        match p.get("name") {
            Some(Value::String(_)) => {}
            Some(other) => {
                return Err(Located::new(
                    &p_at.push("name"),
                    format!(
                        "a parameter's `name` must be text, not {}",
                        json_kind(other)
                    ),
                ));
            }
            None => {
                return Err(Located::new(p_at, "the parameter has no `name`; name it"));
            }
        }
        match p.get("in").and_then(Value::as_str) {
            Some(location) if LOCATIONS.contains(&location) => {}
            Some("body" | "formData") => {
                return Err(Located::new(
                    &p_at.push("in"),
                    "`in: body` and `in: formData` are Swagger 2.0; in OpenAPI 3.0 the body \
                     is the operation's `requestBody`",
                ));
            }
            Some(other) => {
                return Err(Located::new(
                    &p_at.push("in"),
                    format!(
                        "`in: {other}` is not a parameter location; use one of {}{}",
                        LOCATIONS.join(", "),
                        suggest(other, LOCATIONS)
                    ),
                ));
            }
            None => {
                return Err(Located::new(
                    p_at,
                    format!(
                        "the parameter has no `in`; say where it goes: {}",
                        LOCATIONS.join(", ")
                    ),
                ));
            }
        }
        for key in [
            "required",
            "explode",
            "deprecated",
            "allowEmptyValue",
            "allowReserved",
        ] {
            match p.get(key) {
                None | Some(Value::Bool(_)) => {}
                Some(other) => {
                    return Err(Located::new(
                        &p_at.push(key),
                        format!(
                            "`{key}` must be `true` or `false`, not {}",
                            json_kind(other)
                        ),
                    ));
                }
            }
        }
        if let Some(content) = p.get("content") {
            if p.contains_key("schema") {
                return Err(Located::new(
                    &p_at.push("content"),
                    "the parameter has both `schema` and `content`; OpenAPI allows one of them: \
                     keep the one that describes the value",
                ));
            }
            let media_types = mapping(content, &p_at.push("content"), "`content`")?;
            if media_types.len() != 1 {
                return Err(Located::new(
                    &p_at.push("content"),
                    format!(
                        "a parameter's `content` holds exactly one media type, not {}",
                        media_types.len()
                    ),
                ));
            }
        }
        if let Some(style) = p.get("style") {
            check_style(
                style,
                p.get("in").and_then(Value::as_str),
                &p_at.push("style"),
            )?;
        }
        if let Some(schema) = p.get("schema") {
            self.schema(schema, &p_at.push("schema"))?;
        }
        Ok(())
    }

    /// A request body or response: `content` maps media types to a `schema`.
    fn media_holder(&mut self, holder: &Value, at: &Pointer, what: &str) -> Result<()> {
        let holder = mapping(holder, at, what)?;
        if holder.contains_key("$ref") {
            return Ok(());
        }
        let Some(content) = holder.get("content") else {
            return Ok(());
        };
        let content_at = at.push("content");
        for (media_type, media) in mapping(content, &content_at, "`content`")? {
            let media_at = content_at.push(media_type);
            let media = mapping(media, &media_at, "a media type")?;
            if let Some(schema) = media.get("schema") {
                self.schema(schema, &media_at.push("schema"))?;
            }
            if media.contains_key("example") && media.contains_key("examples") {
                return Err(Located::new(
                    &media_at.push("examples"),
                    "a media type has `example` or `examples`, not both; keep one",
                ));
            }
        }
        Ok(())
    }

    fn components(&mut self, components: &Value, at: &Pointer) -> Result<()> {
        let components = mapping(components, at, "`components`")?;
        for (kind, section) in components {
            let section_at = at.push(kind);
            if kind.starts_with("x-") {
                continue;
            }
            let section = mapping(section, &section_at, &format!("`components.{kind}`"))?;
            for (name, value) in section {
                let item_at = section_at.push(name);
                let valid_name = !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
                if !valid_name {
                    return Err(Located::new(
                        &item_at,
                        format!(
                            "`{name}` is not a component name: use letters, digits, `.`, `-` \
                             and `_`"
                        ),
                    ));
                }
                match kind.as_str() {
                    "schemas" => self.schema(value, &item_at)?,
                    "responses" => self.media_holder(value, &item_at, "a response")?,
                    "requestBodies" => self.media_holder(value, &item_at, "a request body")?,
                    "parameters" => self.parameter(value, &item_at)?,
                    _ => {}
                }
            }
        }
        Ok(())
    }

    fn schema(&mut self, schema: &Value, at: &Pointer) -> Result<()> {
        let schema = mapping(schema, at, "a schema")?;
        if let Some(reference) = schema.get("$ref") {
            if !reference.is_string() {
                return Err(Located::new(
                    &at.push("$ref"),
                    format!("`$ref` must be text, not {}", json_kind(reference)),
                ));
            }
            return Ok(());
        }
        let typ = match schema.get("type") {
            None => None,
            Some(Value::String(typ)) => Some(typ.as_str()),
            Some(Value::Array(_)) => {
                return Err(Located::new(
                    &at.push("type"),
                    "a list of types is OpenAPI 3.1; in 3.0 give one `type` (and `nullable: \
                     true` for null)",
                ));
            }
            Some(other) => {
                return Err(Located::new(
                    &at.push("type"),
                    format!(
                        "`type` must be one of {}, not {}",
                        TYPES.join(", "),
                        json_kind(other)
                    ),
                ));
            }
        };
        if let Some(required) = schema.get("required") {
            match required {
                Value::Array(names) if names.iter().all(Value::is_string) => {}
                Value::Bool(_) => {
                    return Err(Located::new(
                        &at.push("required"),
                        "`required: true` on a property is not OpenAPI 3.0; list the property's \
                         name in its object's `required` instead",
                    ));
                }
                other => {
                    return Err(Located::new(
                        &at.push("required"),
                        format!(
                            "`required` must be a list of property names, not {}",
                            json_kind(other)
                        ),
                    ));
                }
            }
        }
        if let Some(values) = schema.get("enum") {
            let values = list(values, &at.push("enum"), "`enum`")?;
            // Without a `type`, an empty `enum` is read as `enum: [null]` (see `fill`).
            if values.is_empty() && schema.get("type").is_some() {
                return Err(Located::new(
                    &at.push("enum"),
                    "the `enum` lists no values, so no value is valid; list the values or \
                     remove `enum`",
                ));
            }
        }
        if let Some(nullable) = schema.get("nullable")
            && !nullable.is_boolean()
        {
            return Err(Located::new(
                &at.push("nullable"),
                format!(
                    "`nullable` must be true or false, not {}",
                    json_kind(nullable)
                ),
            ));
        }
        if let Some(properties) = schema.get("properties") {
            let properties_at = at.push("properties");
            for (name, property) in mapping(properties, &properties_at, "`properties`")? {
                self.schema(property, &properties_at.push(name))?;
            }
        }
        if let Some(items) = schema.get("items") {
            if matches!(typ, Some(t) if t != "array") {
                self.warn(
                    &at.push("items"),
                    format!(
                        "`items` means nothing for `type: {}`; it is ignored",
                        typ.unwrap_or_default()
                    ),
                );
            }
            self.schema(items, &at.push("items"))?;
        }
        if let Some(additional) = schema.get("additionalProperties") {
            match additional {
                Value::Bool(_) => {}
                Value::Object(_) => self.schema(additional, &at.push("additionalProperties"))?,
                other => {
                    return Err(Located::new(
                        &at.push("additionalProperties"),
                        format!(
                            "`additionalProperties` must be true, false or a schema, not {}",
                            json_kind(other)
                        ),
                    ));
                }
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(parts) = schema.get(key) {
                let parts_at = at.push(key);
                let parts = list(parts, &parts_at, &format!("`{key}`"))?;
                if parts.is_empty() {
                    return Err(Located::new(
                        &parts_at,
                        format!("`{key}` lists no schema; list at least one or remove it"),
                    ));
                }
                for (i, part) in parts.iter().enumerate() {
                    self.schema(part, &parts_at.push(i))?;
                }
            }
        }
        if let Some(not) = schema.get("not") {
            self.schema(not, &at.push("not"))?;
        }
        Ok(())
    }
}

/// `/pets/{petId}` and `/pets/{id}` → `/pets/{}`.
fn template_shape(path: &str) -> String {
    let mut shape = String::new();
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                shape.push('{');
            }
            '}' => {
                inside = false;
                shape.push('}');
            }
            _ if inside => {}
            c => shape.push(c),
        }
    }
    shape
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(yaml: &str) -> Result<Vec<Warning>> {
        validate(&crate::parse::value(yaml).unwrap())
    }

    #[test]
    fn misspelled_methods_are_named_with_a_suggestion() {
        let e =
            check("paths:\n  /a:\n    psot: {responses: {'200': {description: x}}}\n").unwrap_err();
        assert_eq!(e.pointer.to_string(), "#/paths/~1a/psot");
        assert!(e.message.contains("did you mean `post`"), "{}", e.message);
    }

    #[test]
    fn parameters_are_checked_where_they_are() {
        let e = check("paths:\n  /a:\n    get:\n      parameters: [{name: x, in: body}]\n      responses: {}\n").unwrap_err();
        assert_eq!(e.pointer.to_string(), "#/paths/~1a/get/parameters/0/in");
        assert!(e.message.contains("Swagger 2.0"), "{}", e.message);
    }

    #[test]
    fn schemas_are_checked_deep_inside() {
        let e = check("components:\n  schemas:\n    A:\n      properties:\n        b: {type: array, items: 5}\n").unwrap_err();
        assert_eq!(
            e.pointer.to_string(),
            "#/components/schemas/A/properties/b/items"
        );
        let e = check("components:\n  schemas:\n    A: {type: string, enum: []}\n").unwrap_err();
        assert_eq!(e.pointer.to_string(), "#/components/schemas/A/enum");
    }

    #[test]
    fn templates_that_differ_only_in_names_may_split_methods_but_not_share_one() {
        let op = "{responses: {'200': {description: x}}}";
        check(&format!(
            "paths:\n  /p/{{a}}: {{get: {op}}}\n  /p/{{b}}: {{put: {op}}}\n"
        ))
        .expect("different methods");
        let e = check(&format!(
            "paths:\n  /p/{{a}}: {{get: {op}, put: {op}}}\n  /p/{{b}}: {{put: {op}}}\n"
        ))
        .unwrap_err();
        assert_eq!(e.pointer.to_string(), "#/paths/~1p~1{b}/put");
        assert!(e.message.contains("#/paths/~1p~1{a}/put"), "{}", e.message);
    }

    #[test]
    fn status_codes_are_checked() {
        let e = check("paths:\n  /a:\n    get:\n      responses: {'2O1': {description: x}}\n")
            .unwrap_err();
        assert_eq!(e.pointer.to_string(), "#/paths/~1a/get/responses/2O1");
    }
}

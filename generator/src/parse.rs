//! Step 1 of the pipeline: spec text to an `openapiv3` document.
//!
//! Deserialization goes through `serde_path_to_error` so that a document of the wrong shape is
//! reported at the JSON pointer of the value that did not fit, not only at a line number.

use openapiv3::OpenAPI;
use serde_path_to_error::Segment;

use crate::error::{Located, Pointer, Result};

/// Parses YAML or JSON (JSON when the first non-blank character is `{`).
pub(crate) fn parse(text: &str) -> Result<OpenAPI> {
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        return Err(Located::new(
            &Pointer::root(),
            "the file is empty; expected an OpenAPI 3.0 document",
        ));
    }
    let document: OpenAPI = if trimmed.starts_with('{') {
        let mut de = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let (line, column) = (e.inner().line(), e.inner().column());
            shape_error(e.path(), &e.inner().to_string(), Some((line, column)))
        })?
    } else {
        let de = serde_yaml::Deserializer::from_str(text);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let at = e.inner().location().map(|l| (l.line(), l.column()));
            shape_error(e.path(), &e.inner().to_string(), at)
        })?
    };
    if !document.openapi.starts_with("3.0") {
        return Err(Located::new(
            &Pointer::root().push("openapi"),
            format!(
                "OpenAPI version `{}` is not supported; write the document as OpenAPI 3.0.x",
                document.openapi
            ),
        ));
    }
    Ok(document)
}

fn shape_error(
    path: &serde_path_to_error::Path,
    message: &str,
    at: Option<(usize, usize)>,
) -> Located {
    let pointer = path
        .iter()
        .fold(Pointer::root(), |p, segment| match segment {
            Segment::Seq { index } => p.push(index),
            Segment::Map { key } => p.push(key),
            Segment::Enum { variant } => p.push(variant),
            Segment::Unknown => p,
        });
    // serde_yaml already appends "at line L column C"; serde_json does too, without "at".
    let message = match at {
        Some((line, column)) if !message.contains("line") => {
            format!("{message} (line {line}, column {column})")
        }
        _ => message.to_owned(),
    };
    Located::new(
        &pointer,
        format!("not a valid OpenAPI 3.0 document: {message}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_text_is_reported() {
        let e = parse("  \n").unwrap_err();
        assert!(e.message.contains("empty"), "{}", e.message);
    }

    #[test]
    fn wrong_shape_points_into_the_document() {
        let e = parse("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: 7\n").unwrap_err();
        assert_eq!(e.pointer.to_string(), "#/paths");
    }

    #[test]
    fn openapi_31_is_refused() {
        let e = parse("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap_err();
        assert_eq!(e.pointer.to_string(), "#/openapi");
    }

    #[test]
    fn json_is_accepted() {
        let doc = parse(r#"{"openapi":"3.0.0","info":{"title":"t","version":"1"},"paths":{}}"#);
        assert_eq!(doc.unwrap().info.title, "t");
    }
}

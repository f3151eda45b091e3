//! One call's request, encoded by a generated method before anything is sent.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use crate::error::CallError;
use crate::multipart::Multipart;
use crate::operation::Operation;

/// One call's request, fully encoded: ready to send, and to send again.
#[derive(Debug)]
pub struct Request<'a> {
    pub(crate) operation: &'static Operation,
    pub(crate) path: String,
    pub(crate) query: Option<String>,
    /// Content type and encoded body; `Bytes`, so that a retry resends it without a copy.
    pub(crate) body: Option<(HeaderValue, Bytes)>,
    /// The value of the parameter the API counts its rate limit by: the limiter's key.
    pub(crate) limit_key: Option<&'a str>,
    /// Header parameters the caller gave.
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    /// Cookie parameters, as `name=value`.
    pub(crate) cookies: Vec<String>,
}

impl<'a> Request<'a> {
    /// A request for `operation` at `path` (already encoded, relative to the base URL).
    pub fn new(operation: &'static Operation, path: impl Into<String>) -> Self {
        Self {
            operation,
            path: path.into(),
            query: None,
            body: None,
            limit_key: None,
            headers: Vec::new(),
            cookies: Vec::new(),
        }
    }

    /// Names the value the API counts its rate limit by, for the client-side limiter.
    pub fn limit_key(mut self, key: &'a str) -> Self {
        self.limit_key = Some(key);
        self
    }

    /// Encodes the query parameters (unset optional ones are left out), each in its OpenAPI
    /// style (see `codegen::query`).
    pub fn query(mut self, query: &impl Serialize) -> Result<Self, CallError> {
        let encoded = crate::query::to_query_string(query).map_err(|e| self.encode_error(e))?;
        self.query = (!encoded.is_empty()).then_some(encoded);
        Ok(self)
    }

    /// Encodes the query parameters when the caller gave any: the argument of an operation
    /// whose query parameters are all optional.
    pub fn query_if(self, query: Option<&impl Serialize>) -> Result<Self, CallError> {
        match query {
            Some(query) => self.query(query),
            None => Ok(self),
        }
    }

    /// Encodes a JSON body.
    pub fn json(mut self, body: &impl Serialize) -> Result<Self, CallError> {
        let encoded = serde_json::to_vec(body).map_err(|e| self.encode_error(e))?;
        self.body = Some((HeaderValue::from_static("application/json"), encoded.into()));
        Ok(self)
    }

    /// Encodes an `application/x-www-form-urlencoded` body.
    pub fn form(mut self, body: &impl Serialize) -> Result<Self, CallError> {
        let encoded = serde_urlencoded::to_string(body).map_err(|e| self.encode_error(e))?;
        let content_type = HeaderValue::from_static("application/x-www-form-urlencoded");
        self.body = Some((content_type, encoded.into()));
        Ok(self)
    }

    /// A text body with its content type.
    pub fn text(self, content_type: &'static str, body: &str) -> Self {
        self.binary(content_type, Bytes::copy_from_slice(body.as_bytes()))
    }

    /// A body of bytes with its content type.
    pub fn binary(mut self, content_type: &'static str, body: Bytes) -> Self {
        self.body = Some((HeaderValue::from_static(content_type), body));
        self
    }

    /// Adds a header parameter.
    pub fn header(
        mut self,
        name: &'static str,
        value: &impl fmt::Display,
    ) -> Result<Self, CallError> {
        let (Ok(header), Ok(value)) = (
            HeaderName::try_from(name),
            HeaderValue::try_from(value.to_string()),
        ) else {
            return Err(self.encode_error(format!(
                "the value of header `{name}` cannot be sent in a header"
            )));
        };
        self.headers.push((header, value));
        Ok(self)
    }

    /// Adds a header parameter that holds a list or an object, in `simple` style: items (or
    /// properties and values) joined by `,`; with `explode`, properties as `name=value`.
    pub fn header_joined(
        self,
        name: &'static str,
        value: &impl Serialize,
        explode: bool,
    ) -> Result<Self, CallError> {
        let text = crate::query::joined(value, explode).map_err(|e| self.encode_error(e))?;
        self.header(name, &text)
    }

    /// Adds a header parameter described by JSON `content`: its value as JSON text.
    pub fn header_json(
        self,
        name: &'static str,
        value: &impl Serialize,
    ) -> Result<Self, CallError> {
        let text = serde_json::to_string(value).map_err(|e| self.encode_error(e))?;
        self.header(name, &text)
    }

    /// Adds a cookie parameter described by JSON `content`: its value as JSON text.
    pub fn cookie_json(
        self,
        name: &'static str,
        value: &impl Serialize,
    ) -> Result<Self, CallError> {
        let text = serde_json::to_string(value).map_err(|e| self.encode_error(e))?;
        self.cookie(name, &text)
    }

    /// Adds a cookie parameter that holds a list or an object, in `form` style without
    /// `explode`: items (or properties and values) joined by `,`.
    pub fn cookie_joined(
        self,
        name: &'static str,
        value: &impl Serialize,
    ) -> Result<Self, CallError> {
        let text = crate::query::joined(value, false).map_err(|e| self.encode_error(e))?;
        self.cookie(name, &text)
    }

    /// Adds a cookie parameter (all of them travel in one `Cookie` header).
    pub fn cookie(
        mut self,
        name: &'static str,
        value: &impl fmt::Display,
    ) -> Result<Self, CallError> {
        let pair = format!("{name}={value}");
        if pair.contains([';', '\r', '\n']) {
            return Err(self.encode_error(format!(
                "the value of cookie `{name}` holds `;` or a line break"
            )));
        }
        self.cookies.push(pair);
        Ok(self)
    }

    /// Encodes a `multipart/form-data` body of parts the spec does not describe.
    pub fn form_parts(self, parts: &crate::multipart::FormParts) -> Self {
        self.multipart(parts.to_multipart())
    }

    /// Encodes a `multipart/form-data` body.
    pub fn multipart(mut self, form: Multipart) -> Self {
        let (content_type, encoded) = form.encode();
        // The boundary is ASCII letters, digits and `-`: always a valid header value.
        let content_type = HeaderValue::try_from(content_type)
            .unwrap_or_else(|_| HeaderValue::from_static("multipart/form-data"));
        self.body = Some((content_type, encoded.into()));
        self
    }

    fn encode_error(&self, message: impl fmt::Display) -> CallError {
        CallError::Encode {
            operation: self.operation.id,
            message: message.to_string(),
        }
    }
}

/// Characters left as they are in a path segment: RFC 3986 "unreserved".
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The path argument `name` of `operation`, percent-encoded so that it stays one path segment
/// (`/` becomes `%2F`, `?` `%3F`, a line break `%0A`); borrowed when there is nothing to
/// encode, as with most ids.
///
/// # Errors
/// An empty argument, `.` or `..`: even encoded, each would move the request to another path
/// (`/a//b`, `/a/./b` and `/a/../b` are not `/a/x/b`), so it is refused before anything is
/// sent.
pub fn encode_path<'v>(
    operation: &Operation,
    name: &str,
    value: &'v str,
) -> Result<Cow<'v, str>, CallError> {
    if matches!(value, "" | "." | "..") {
        return Err(CallError::Encode {
            operation: operation.id,
            message: format!(
                "the path argument `{name}` is `{value}`, which would move the request to \
                 another path"
            ),
        });
    }
    Ok(utf8_percent_encode(value, PATH_SEGMENT).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::operation::Method;

    static OPERATION: Operation = Operation {
        id: "get-thing",
        method: Method::Get,
        path: "/things/{id}",
        authenticated: false,
        idempotent: true,
        headers: &[],
    };

    #[test]
    fn path_parameters_cannot_escape_their_segment() {
        let encode = |value| encode_path(&OPERATION, "id", value).map(|v| v.into_owned());
        assert_eq!(encode("a/b?c#d e").unwrap(), "a%2Fb%3Fc%23d%20e");
        assert_eq!(encode("abc-1.2_3~").unwrap(), "abc-1.2_3~");
        assert_eq!(encode("%2e%2e").unwrap(), "%252e%252e");
        assert_eq!(encode("a\r\nb").unwrap(), "a%0D%0Ab");
        assert_eq!(encode("é").unwrap(), "%C3%A9");
        assert_eq!(
            encode("...").unwrap(),
            "...",
            "three dots are a name, not a step"
        );
        for moving in ["", ".", ".."] {
            let error = encode(moving).unwrap_err();
            assert!(
                matches!(&error, CallError::Encode { operation: "get-thing", message } if message.contains("`id`")),
                "{error:?}"
            );
        }
    }
}

//! What a generated method knows about its operation before it has any arguments.

/// One operation of an API, as a generated method declares it in a `const`.
#[derive(Debug)]
pub struct Operation {
    /// The spec's operationId: named by errors, logs and the tracing span.
    pub id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template, as the spec writes it (recorded by the tracing span).
    pub path: &'static str,
    /// Whether the bearer token is sent.
    pub authenticated: bool,
    /// Headers the spec fixes for this operation, such as an API version.
    pub headers: &'static [(&'static str, &'static str)],
}

/// The HTTP methods an operation can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`
    Get,
    /// `PUT`
    Put,
    /// `POST`
    Post,
    /// `DELETE`
    Delete,
    /// `PATCH`
    Patch,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
        }
    }

    /// Whether sending the request twice has the effect of sending it once (RFC 9110).
    pub fn is_idempotent(self) -> bool {
        matches!(self, Method::Get | Method::Put | Method::Delete)
    }

    pub(crate) fn as_http(self) -> http::Method {
        match self {
            Method::Get => http::Method::GET,
            Method::Put => http::Method::PUT,
            Method::Post => http::Method::POST,
            Method::Delete => http::Method::DELETE,
            Method::Patch => http::Method::PATCH,
        }
    }
}

//! Responses: the raw one the client receives, and the typed one a call returns.

use std::ops::Deref;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::generated::ApiErrorBody;
use crate::rate_limit::RateLimit;

/// What came with a response besides its body: status, headers, HighLevel's trace id and
/// rate-limit state, and how many attempts the call took. Successful calls carry it in
/// [`Response`]; errors that have a response carry it too ([`Error::meta`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseMeta {
    status: StatusCode,
    headers: HeaderMap,
    trace_id: Option<String>,
    attempts: u32,
}

impl ResponseMeta {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The rate-limit state the server reported with this response.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        RateLimit::from_headers(&self.headers)
    }

    /// HighLevel's id of the request, for its support: the `traceId` of the body, or else an
    /// `x-trace-id` or `traceid` header.
    pub fn trace_id(&self) -> Option<&str> {
        self.trace_id.as_deref()
    }

    /// How many times the request was sent (1 when it was not retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

/// A successful call's decoded body, with the [`ResponseMeta`] it came with.
///
/// It dereferences to the body, so fields read as `response.message`; take the body out with
/// [`into_inner`](Self::into_inner).
#[derive(Debug, Clone, PartialEq)]
pub struct Response<T> {
    meta: ResponseMeta,
    body: T,
}

impl<T> Response<T> {
    /// The HTTP status (one of the operation's documented success statuses).
    pub fn status(&self) -> StatusCode {
        self.meta.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.meta.headers
    }

    /// The rate-limit state the server reported with this response.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.meta.rate_limit()
    }

    /// HighLevel's id of the request (see [`ResponseMeta::trace_id`]).
    pub fn trace_id(&self) -> Option<&str> {
        self.meta.trace_id()
    }

    /// Status, headers, trace id and attempts.
    pub fn meta(&self) -> &ResponseMeta {
        &self.meta
    }

    /// The decoded body.
    pub fn into_inner(self) -> T {
        self.body
    }

    /// The decoded body and what came with it.
    pub fn into_parts(self) -> (T, ResponseMeta) {
        (self.body, self.meta)
    }

    /// The same response with its body changed by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            meta: self.meta,
            body: f(self.body),
        }
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

/// The whole response: status, headers and body, read before any decoding.
#[derive(Debug)]
pub(crate) struct RawResponse {
    operation: &'static str,
    meta: ResponseMeta,
    body: bytes::Bytes,
}

impl RawResponse {
    pub fn new(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: bytes::Bytes,
        attempts: u32,
    ) -> Self {
        let trace_id = trace_id(&headers, &body);
        Self {
            operation,
            meta: ResponseMeta {
                status,
                headers,
                trace_id,
                attempts,
            },
            body,
        }
    }

    /// The status as a number, for the generated `match`.
    pub fn status(&self) -> u16 {
        self.meta.status.as_u16()
    }

    /// Decodes the body as `T`; a mismatch names the JSON path that did not fit.
    pub fn json<T: DeserializeOwned>(self) -> Result<Response<T>, Error> {
        let body = self.decode()?;
        Ok(Response {
            meta: self.meta,
            body,
        })
    }

    /// A success without a body to decode (whatever the server sent is ignored).
    pub fn empty(self) -> Response<()> {
        Response {
            meta: self.meta,
            body: (),
        }
    }

    /// A text body, as sent (invalid UTF-8 is an error).
    #[allow(
        dead_code,
        reason = "the runtime supports every body the generator emits; a spec may use fewer"
    )]
    pub fn text(self) -> Result<Response<String>, Error> {
        match String::from_utf8(self.body.to_vec()) {
            Ok(text) => Ok(Response {
                meta: self.meta,
                body: text,
            }),
            Err(e) => Err(Error::Decode {
                operation: self.operation,
                status: self.meta.status,
                path: ".".to_owned(),
                message: format!("the text is not UTF-8: {e}"),
                body: self.body_text(),
                meta: Box::new(self.meta),
            }),
        }
    }

    /// A body of bytes, as sent.
    #[allow(
        dead_code,
        reason = "the runtime supports every body the generator emits; a spec may use fewer"
    )]
    pub fn bytes(self) -> Response<bytes::Bytes> {
        Response {
            meta: self.meta,
            body: self.body,
        }
    }

    /// A documented error: the body decoded as `T` and wrapped as `variant`.
    #[allow(
        unreachable_code,
        reason = "a spec that documents no error body makes `ApiErrorBody` uninhabited"
    )]
    pub fn api_error<T: DeserializeOwned>(self, variant: fn(T) -> ApiErrorBody) -> Error {
        match self.decode::<T>() {
            Ok(body) => Error::Api {
                operation: self.operation,
                status: self.meta.status,
                body: variant(body),
                meta: Box::new(self.meta),
            },
            Err(decode) => decode,
        }
    }

    /// A status the operation does not document.
    pub fn unexpected(self) -> Error {
        Error::UnexpectedStatus {
            operation: self.operation,
            status: self.meta.status,
            body: self.body_text(),
            meta: Box::new(self.meta),
        }
    }

    fn decode<T: DeserializeOwned>(&self) -> Result<T, Error> {
        // Plain serde first: tracking the path costs time on every field, and is only needed
        // to explain a failure, so a failed decode is run again with it.
        if let Ok(value) = serde_json::from_slice(&self.body) {
            return Ok(value);
        }
        let mut deserializer = serde_json::Deserializer::from_slice(&self.body);
        serde_path_to_error::deserialize(&mut deserializer).map_err(|e| Error::Decode {
            operation: self.operation,
            status: self.meta.status,
            path: e.path().to_string(),
            message: e.inner().to_string(),
            body: self.body_text(),
            meta: Box::new(self.meta.clone()),
        })
    }

    fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// HighLevel returns a trace id with every response; look in the body's top level first
/// (only when the text mentions it, so that large lists are not parsed twice), then in the
/// headers that carry one.
fn trace_id(headers: &HeaderMap, body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Traced {
        #[serde(rename = "traceId")]
        trace_id: Option<String>,
    }
    if body.windows(9).any(|w| w == b"\"traceId\"")
        && let Ok(Traced { trace_id: Some(id) }) = serde_json::from_slice::<Traced>(body)
    {
        return Some(id);
    }
    ["x-trace-id", "traceid", "trace-id"]
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok().map(str::to_owned))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn the_trace_id_comes_from_the_body_or_a_header() {
        let body = br#"{"message":"ok","traceId":"7c1f-42"}"#;
        assert_eq!(
            trace_id(&HeaderMap::new(), body).as_deref(),
            Some("7c1f-42")
        );
        let mut headers = HeaderMap::new();
        headers.insert("x-trace-id", HeaderValue::from_static("h-1"));
        assert_eq!(trace_id(&headers, b"{}").as_deref(), Some("h-1"));
        assert_eq!(trace_id(&HeaderMap::new(), b"[1,2]"), None);
        assert_eq!(
            trace_id(&HeaderMap::new(), b"\"traceId\" is not JSON"),
            None
        );
    }
}

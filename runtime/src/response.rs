//! The typed response a call returns, and what comes with every response.

use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use bytes::Bytes;
use http::StatusCode;
use http::header::HeaderMap;

use crate::profile::TraceIdSource;
use crate::rate_limit::{RateLimit, RateLimitReader};

/// What came with a response besides its decoded body: status, headers, the server's trace id
/// and rate-limit state, and how many attempts the call took. Successful calls carry it in
/// [`Response`]; errors that have a response carry it too.
#[derive(Clone, PartialEq)]
pub struct ResponseMeta {
    status: StatusCode,
    /// Shared with the client, which keeps the latest rate-limit report.
    headers: Arc<HeaderMap>,
    attempts: u32,
    rate_limits: Option<Arc<RateLimitReader>>,
    trace: Option<Trace>,
}

/// The trace id, found on first use: most callers never ask, and looking means reading the
/// body a second time.
#[derive(Clone, PartialEq)]
struct Trace {
    source: &'static TraceIdSource,
    body: Bytes,
    id: OnceLock<Option<String>>,
}

impl ResponseMeta {
    pub(crate) fn new(
        status: StatusCode,
        headers: Arc<HeaderMap>,
        body: &Bytes,
        attempts: u32,
        rate_limits: Option<Arc<RateLimitReader>>,
        trace_id: Option<&'static TraceIdSource>,
    ) -> Self {
        Self {
            status,
            headers,
            attempts,
            rate_limits,
            trace: trace_id.map(|source| Trace {
                source,
                body: body.clone(),
                id: OnceLock::new(),
            }),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The rate-limit state the server reported with this response (`None` when it reported
    /// none, or when the API documents no rate-limit headers).
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.rate_limits.as_ref()?.read(&self.headers)
    }

    /// The server's id of the request, for its support: from the body or a header, where the
    /// API says it puts one.
    pub fn trace_id(&self) -> Option<&str> {
        let trace = self.trace.as_ref()?;
        trace
            .id
            .get_or_init(|| find_trace_id(trace.source, &self.headers, &trace.body))
            .as_deref()
    }

    /// How many times the request was sent (1 when it was not retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

// Not derived: the body kept for the trace id is not for logs.
impl fmt::Debug for ResponseMeta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseMeta")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("attempts", &self.attempts)
            .field("trace_id", &self.trace_id())
            .finish()
    }
}

/// Looks in the body's top level first (only when its text mentions the field, so that large
/// lists are not parsed twice), then in the headers.
fn find_trace_id(source: &TraceIdSource, headers: &HeaderMap, body: &[u8]) -> Option<String> {
    if let Some(field) = source.body_field
        && memchr::memmem::find(body, field.as_bytes()).is_some()
        && let Some(id) = top_level_string(body, field)
    {
        return Some(id);
    }
    source
        .headers
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok().map(str::to_owned))
}

/// The string value of `field` in a JSON object, without decoding the rest of it.
fn top_level_string(body: &[u8], field: &str) -> Option<String> {
    use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};

    struct Field<'f>(&'f str);

    impl<'de> Visitor<'de> for Field<'_> {
        type Value = Option<String>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON object")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                if key == self.0 {
                    // A value that is not a string is no trace id.
                    return Ok(map.next_value::<Option<String>>().ok().flatten());
                }
                map.next_value::<IgnoredAny>()?;
            }
            Ok(None)
        }
    }

    let mut deserializer = serde_json::Deserializer::from_slice(body);
    deserializer.deserialize_map(Field(field)).ok().flatten()
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
    pub(crate) fn new(meta: ResponseMeta, body: T) -> Self {
        Self { meta, body }
    }

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

    /// The server's id of the request (see [`ResponseMeta::trace_id`]).
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

#[cfg(test)]
mod tests {
    use super::*;
    use http::header::HeaderValue;

    const SOURCE: TraceIdSource = TraceIdSource {
        body_field: Some("requestRef"),
        headers: &["x-request-ref", "request-ref"],
    };

    fn trace(headers: &HeaderMap, body: &'static [u8]) -> Option<String> {
        let meta = ResponseMeta::new(
            StatusCode::OK,
            Arc::new(headers.clone()),
            &Bytes::from_static(body),
            1,
            None,
            Some(&SOURCE),
        );
        meta.trace_id().map(str::to_owned)
    }

    #[test]
    fn the_trace_id_comes_from_the_body_or_a_header() {
        let none = HeaderMap::new();
        let body = br#"{"message":"ok","list":[{"requestRef":"nested"}],"requestRef":"7c1f-42"}"#;
        assert_eq!(trace(&none, body).as_deref(), Some("7c1f-42"));
        let mut headers = HeaderMap::new();
        headers.insert("request-ref", HeaderValue::from_static("h-1"));
        assert_eq!(trace(&headers, b"{}").as_deref(), Some("h-1"));
        assert_eq!(trace(&none, b"[1,2]"), None);
        assert_eq!(trace(&none, b"\"requestRef\" is not JSON"), None);
        assert_eq!(trace(&none, br#"{"requestRef":null}"#), None);
        assert_eq!(trace(&none, br#"{"requestRef":7}"#), None);
    }

    #[test]
    fn without_a_source_there_is_no_trace_id_and_no_body_kept() {
        let meta = ResponseMeta::new(
            StatusCode::OK,
            Arc::default(),
            &Bytes::from_static(br#"{"requestRef":"x"}"#),
            1,
            None,
            None,
        );
        assert_eq!(meta.trace_id(), None);
        assert!(meta.trace.is_none());
        assert!(!format!("{meta:?}").contains("requestRef"));
    }
}

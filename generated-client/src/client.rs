//! The client: configuration, and the one place where requests are sent.
//!
//! Generated methods describe their operation with an [`Operation`], build a [`Request`] and
//! hand it to [`Client::execute`]; they never touch `reqwest` themselves.

use std::fmt;
use std::sync::Arc;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, PercentEncode, utf8_percent_encode};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue};
use serde::Serialize;

use crate::auth::Token;
use crate::error::Error;
use crate::generated::DEFAULT_BASE_URL;
pub(crate) use crate::multipart::Multipart;
use crate::response::RawResponse;

/// A client for the API. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    /// Without a trailing slash; operation paths start with one.
    base_url: String,
    authorization: HeaderValue,
    on_response: Option<ResponseHook>,
}

type ResponseHook = Arc<dyn Fn(&ResponseInfo<'_>) + Send + Sync>;

/// What the client tells a response hook (see [`ClientBuilder::on_response`]) about each
/// response it receives, before the body is decoded.
#[derive(Debug)]
#[non_exhaustive]
pub struct ResponseInfo<'a> {
    /// The operationId of the call.
    pub operation: &'static str,
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers (rate limits, trace ids, a mock server's findings).
    pub headers: &'a HeaderMap,
}

impl Client {
    /// A client for the default server ([`DEFAULT_BASE_URL`](crate::DEFAULT_BASE_URL)).
    ///
    /// # Errors
    /// [`Error::Config`] when the token cannot be sent as a header or the HTTP client cannot
    /// be set up.
    pub fn new(token: impl Into<Token>) -> Result<Self, Error> {
        Self::builder(token).build()
    }

    /// A builder for a client with a different base URL or HTTP client.
    pub fn builder(token: impl Into<Token>) -> ClientBuilder {
        ClientBuilder {
            token: token.into(),
            base_url: None,
            http: None,
            on_response: None,
        }
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends a request and reads the whole response. Errors here are transport errors; what
    /// the status means is for the calling operation to decide.
    pub(crate) async fn execute(&self, request: Request) -> Result<RawResponse, Error> {
        let operation = request.operation;
        let mut url = format!("{}{}", self.inner.base_url, request.path);
        if let Some(query) = &request.query {
            url.push('?');
            url.push_str(query);
        }
        let mut builder = self
            .inner
            .http
            .request(operation.method.as_reqwest(), url)
            .header(ACCEPT, HeaderValue::from_static("application/json"));
        for (name, value) in operation.headers {
            builder = builder.header(*name, *value);
        }
        if operation.authenticated {
            builder = builder.header(AUTHORIZATION, self.inner.authorization.clone());
        }
        if let Some((content_type, body)) = request.body {
            builder = builder.header(CONTENT_TYPE, content_type).body(body);
        }
        let transport = |source| Error::Transport {
            operation: operation.id,
            source,
        };
        let response = builder.send().await.map_err(transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        if let Some(hook) = &self.inner.on_response {
            hook(&ResponseInfo {
                operation: operation.id,
                status,
                headers: &headers,
            });
        }
        let body = response.bytes().await.map_err(transport)?;
        Ok(RawResponse::new(operation.id, status, headers, body))
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("token", &"[redacted]")
            .finish()
    }
}

/// Configures a [`Client`]; made by [`Client::builder`].
pub struct ClientBuilder {
    token: Token,
    base_url: Option<String>,
    http: Option<reqwest::Client>,
    on_response: Option<ResponseHook>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("token", &self.token)
            .field("base_url", &self.base_url)
            .field("http", &self.http)
            .field("on_response", &self.on_response.is_some())
            .finish()
    }
}

impl ClientBuilder {
    /// Sends requests to `base_url` (e.g. a mock server) instead of the default server.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Uses a preconfigured `reqwest` client (proxies, TLS roots, timeouts).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Calls `hook` with the status and headers of every response the client receives,
    /// successful or not, before its body is decoded: for metrics, logs, or headers that
    /// no operation returns.
    pub fn on_response(mut self, hook: impl Fn(&ResponseInfo<'_>) + Send + Sync + 'static) -> Self {
        self.on_response = Some(Arc::new(hook));
        self
    }

    /// Checks the configuration and makes the client.
    ///
    /// # Errors
    /// [`Error::Config`] when the base URL is not an absolute `http` or `https` URL, the token
    /// holds characters a header cannot carry, or the HTTP client cannot be set up.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.base_url.unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        let parsed = reqwest::Url::parse(&base_url)
            .map_err(|e| Error::Config(format!("base URL `{base_url}` is not a URL: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.query().is_some() {
            return Err(Error::Config(format!(
                "base URL `{base_url}` must be an http or https URL without a query"
            )));
        }
        let authorization = self.token.header_value().map_err(|_| {
            Error::Config("the token contains characters an HTTP header cannot carry".to_owned())
        })?;
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(concat!(
                    env!("CARGO_PKG_NAME"),
                    "/",
                    env!("CARGO_PKG_VERSION")
                ))
                .build()
                .map_err(|e| Error::Config(format!("cannot set up the HTTP client: {e}")))?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url: base_url.trim_end_matches('/').to_owned(),
                authorization,
                on_response: self.on_response,
            }),
        })
    }
}

/// What a generated method knows about its operation before it has any arguments.
#[derive(Debug)]
pub(crate) struct Operation {
    /// The spec's operationId.
    pub id: &'static str,
    pub method: Method,
    /// The path template, as the spec writes it.
    #[allow(dead_code)] // TODO(#4): recorded by the per-call tracing span.
    pub path: &'static str,
    /// Whether the bearer token is sent.
    pub authenticated: bool,
    /// Headers the spec fixes, such as `Version`.
    pub headers: &'static [(&'static str, &'static str)],
}

#[derive(Debug, Clone, Copy)]
#[allow(
    dead_code,
    reason = "the runtime supports every method the generator emits; a spec may use fewer"
)]
pub(crate) enum Method {
    Get,
    Put,
    Post,
    Delete,
    Patch,
}

impl Method {
    fn as_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Put => reqwest::Method::PUT,
            Method::Post => reqwest::Method::POST,
            Method::Delete => reqwest::Method::DELETE,
            Method::Patch => reqwest::Method::PATCH,
        }
    }
}

/// One call's request, fully encoded: ready to send (and to send again).
#[derive(Debug)]
pub(crate) struct Request {
    operation: &'static Operation,
    path: String,
    query: Option<String>,
    /// Content type and encoded body.
    body: Option<(HeaderValue, Vec<u8>)>,
}

impl Request {
    pub fn new(operation: &'static Operation, path: impl Into<String>) -> Self {
        Self {
            operation,
            path: path.into(),
            query: None,
            body: None,
        }
    }

    /// Encodes the query parameters (unset optional ones are left out).
    pub fn query(mut self, query: &impl Serialize) -> Result<Self, Error> {
        let encoded = serde_urlencoded::to_string(query).map_err(|e| Error::Encode {
            operation: self.operation.id,
            message: e.to_string(),
        })?;
        self.query = (!encoded.is_empty()).then_some(encoded);
        Ok(self)
    }

    /// Encodes a JSON body.
    pub fn json(mut self, body: &impl Serialize) -> Result<Self, Error> {
        let encoded = serde_json::to_vec(body).map_err(|e| Error::Encode {
            operation: self.operation.id,
            message: e.to_string(),
        })?;
        self.body = Some((HeaderValue::from_static("application/json"), encoded));
        Ok(self)
    }

    /// Encodes a `multipart/form-data` body.
    pub fn multipart(mut self, form: Multipart) -> Self {
        let (content_type, encoded) = form.encode();
        let content_type = HeaderValue::try_from(content_type)
            .expect("a multipart content type is ASCII without line breaks");
        self.body = Some((content_type, encoded));
        self
    }
}

/// Characters left as they are in a path segment: RFC 3986 "unreserved".
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a path parameter so that it stays one path segment (`/` becomes `%2F`).
pub(crate) fn encode_path(value: &str) -> PercentEncode<'_> {
    utf8_percent_encode(value, PATH_SEGMENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parameters_cannot_escape_their_segment() {
        assert_eq!(encode_path("a/b?c#d e").to_string(), "a%2Fb%3Fc%23d%20e");
        assert_eq!(encode_path("abc-1.2_3~").to_string(), "abc-1.2_3~");
    }

    #[test]
    fn debug_shows_no_token() {
        let client = Client::builder("pit-very-secret")
            .base_url("http://localhost:1")
            .build();
        let text = format!("{:?}", client.unwrap());
        assert!(!text.contains("very-secret"), "{text}");
    }

    #[test]
    fn a_bad_base_url_is_a_config_error() {
        for url in ["not a url", "ftp://x", "http://x/?q=1"] {
            let err = Client::builder("t").base_url(url).build().unwrap_err();
            assert!(matches!(err, Error::Config(_)), "{url}: {err}");
        }
    }
}

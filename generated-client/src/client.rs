//! The client: configuration, and the one place where requests are sent.
//!
//! Generated methods describe their operation with an [`Operation`], build a [`Request`] and
//! hand it to [`Client::execute`]; they never touch `reqwest` themselves. `execute` owns every
//! cross-cutting concern: the token, the rate limiter, timeouts, retries and tracing.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, PercentEncode, utf8_percent_encode};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue};
use serde::Serialize;
use tracing::Instrument;

use crate::auth::{Token, TokenSource};
use crate::error::Error;
use crate::generated::DEFAULT_BASE_URL;
pub(crate) use crate::multipart::Multipart;
use crate::rate_limit::{RateLimit, RateLimiter};
use crate::response::RawResponse;
use crate::retry::{Failure, RetryPolicy};

/// How long a connection may take to open, unless the builder says otherwise.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a whole attempt (connect, send, read the body) may take by default.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// A client for the API. Cheap to clone: clones share one connection pool, token source,
/// rate limiter and rate-limit state.
///
/// [`with_timeout`](Self::with_timeout) and [`with_retry`](Self::with_retry) make a view of the
/// same client with other settings for the calls made through it.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// Settings of this view that override the client's.
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
}

struct Inner {
    http: reqwest::Client,
    /// Without a trailing slash; operation paths start with one.
    base_url: String,
    tokens: Arc<dyn TokenSource>,
    retry: RetryPolicy,
    timeout: Duration,
    limiter: Option<RateLimiter>,
    on_response: Option<ResponseHook>,
    /// The rate-limit state the server reported last.
    last_rate_limit: Mutex<Option<RateLimit>>,
}

type ResponseHook = Arc<dyn Fn(&ResponseInfo<'_>) + Send + Sync>;

/// What the client tells a response hook (see [`ClientBuilder::on_response`]) about each
/// response it receives, before the body is decoded. Called once per attempt.
#[derive(Debug)]
#[non_exhaustive]
pub struct ResponseInfo<'a> {
    /// The operationId of the call.
    pub operation: &'static str,
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers (rate limits, trace ids, a mock server's findings).
    pub headers: &'a HeaderMap,
    /// Which attempt of the call this is (1 for the first).
    pub attempt: u32,
}

impl Client {
    /// A client for the default server ([`DEFAULT_BASE_URL`](crate::DEFAULT_BASE_URL)) with
    /// a fixed token, the default timeouts and the default [`RetryPolicy`].
    ///
    /// # Errors
    /// [`Error::Config`] when the token cannot be sent as a header or the HTTP client cannot
    /// be set up.
    pub fn new(token: impl Into<Token>) -> Result<Self, Error> {
        Self::builder(token).build()
    }

    /// A builder for a client with a fixed token.
    pub fn builder(token: impl Into<Token>) -> ClientBuilder {
        let token = token.into();
        ClientBuilder {
            fixed: Some(token.clone()),
            tokens: Arc::new(token),
            base_url: None,
            http: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry: RetryPolicy::default(),
            limiter: None,
            on_response: None,
        }
    }

    /// A builder for a client whose token comes from `source`, such as an
    /// [`OAuthRefresher`](crate::OAuthRefresher).
    pub fn builder_with_source(source: impl TokenSource) -> ClientBuilder {
        let mut builder = Self::builder(Token::new(""));
        builder.fixed = None;
        builder.tokens = Arc::new(source);
        builder
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The rate-limit state the server reported with the latest response, if any did.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        *self
            .inner
            .last_rate_limit
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// This client, with `timeout` for each attempt of the calls made through the result
    /// (connecting, sending and reading the whole response).
    #[must_use]
    pub fn with_timeout(&self, timeout: Duration) -> Client {
        Client {
            timeout: Some(timeout),
            ..self.clone()
        }
    }

    /// This client, with `policy` for the calls made through the result.
    #[must_use]
    pub fn with_retry(&self, policy: RetryPolicy) -> Client {
        Client {
            retry: Some(policy),
            ..self.clone()
        }
    }

    /// Sends a request, retrying as the policy allows, and reads the whole response. Errors
    /// here are transport and token errors; what the final status means is for the calling
    /// operation to decide.
    pub(crate) async fn execute(&self, request: Request) -> Result<RawResponse, Error> {
        let operation = request.operation;
        let span = tracing::info_span!(
            "highlevel.call",
            operation = operation.id,
            method = operation.method.as_str(),
            path = operation.path,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = self.attempts(&request).instrument(span.clone()).await;
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        if let Ok(response) = &result {
            span.record("status", response.status());
        }
        result
    }

    async fn attempts(&self, request: &Request) -> Result<RawResponse, Error> {
        let operation = request.operation;
        let policy = self.retry.as_ref().unwrap_or(&self.inner.retry);
        let timeout = self.timeout.unwrap_or(self.inner.timeout);
        let mut url = format!("{}{}", self.inner.base_url, request.path);
        if let Some(query) = &request.query {
            url.push('?');
            url.push_str(query);
        }
        let mut attempt = 0;
        // Retries for transient failures; a retry after a token refresh is not one of them.
        let mut retries = 0;
        let mut waited = Duration::ZERO;
        let mut refreshed = false;
        loop {
            attempt += 1;
            tracing::Span::current().record("attempt", attempt);
            if let Some(limiter) = &self.inner.limiter {
                limiter
                    .acquire(request.location.as_deref().unwrap_or_default())
                    .await;
            }
            let token = match operation.authenticated {
                true => Some(self.token(operation.id).await?),
                false => None,
            };
            let sent = self
                .send(request, &url, timeout, token.as_ref(), attempt)
                .await;
            let failure = match &sent {
                Ok((status, headers, _)) => Failure::Status(*status, headers),
                Err(e) if e.is_connect() => Failure::NotSent,
                Err(_) => Failure::MaybeSent,
            };
            if let (Ok((status, _, _)), Some(token)) = (&sent, &token)
                && *status == StatusCode::UNAUTHORIZED
                && !refreshed
            {
                refreshed = true;
                let fresh =
                    self.inner
                        .tokens
                        .refresh(token)
                        .await
                        .map_err(|source| Error::Auth {
                            operation: operation.id,
                            source,
                        })?;
                if fresh.is_some() {
                    tracing::info!(attempt, "the token was rejected; retrying with a new one");
                    continue;
                }
            }
            if let Some(delay) = policy.next_delay(operation.method, &failure, retries + 1, waited)
            {
                tracing::warn!(
                    attempt,
                    delay_ms = delay.as_millis() as u64,
                    reason = %failure,
                    "retrying",
                );
                retries += 1;
                waited += delay;
                tokio::time::sleep(delay).await;
                continue;
            }
            return match sent {
                Ok((status, headers, body)) => Ok(RawResponse::new(
                    operation.id,
                    status,
                    headers,
                    body,
                    attempt,
                )),
                Err(source) => Err(Error::Transport {
                    operation: operation.id,
                    attempts: attempt,
                    source,
                }),
            };
        }
    }

    /// One attempt: the response's status, headers and whole body.
    async fn send(
        &self,
        request: &Request,
        url: &str,
        timeout: Duration,
        token: Option<&Token>,
        attempt: u32,
    ) -> Result<(StatusCode, HeaderMap, Bytes), reqwest::Error> {
        let operation = request.operation;
        let mut builder = self
            .inner
            .http
            .request(operation.method.as_reqwest(), url)
            .timeout(timeout)
            .header(ACCEPT, HeaderValue::from_static("application/json"));
        for (name, value) in operation.headers {
            builder = builder.header(*name, *value);
        }
        for (name, value) in &request.headers {
            builder = builder.header(*name, value.clone());
        }
        if !request.cookies.is_empty() {
            builder = builder.header(reqwest::header::COOKIE, request.cookies.join("; "));
        }
        if let Some(token) = token {
            // Checked when the token was obtained (see `token`).
            if let Ok(value) = token.header_value() {
                builder = builder.header(AUTHORIZATION, value);
            }
        }
        if let Some((content_type, body)) = &request.body {
            builder = builder
                .header(CONTENT_TYPE, content_type.clone())
                .body(body.clone());
        }
        let response = builder.send().await?;
        let status = response.status();
        let headers = response.headers().clone();
        if let Some(limit) = RateLimit::from_headers(&headers) {
            *self
                .inner
                .last_rate_limit
                .lock()
                .unwrap_or_else(|e| e.into_inner()) = Some(limit);
        }
        if let Some(hook) = &self.inner.on_response {
            hook(&ResponseInfo {
                operation: operation.id,
                status,
                headers: &headers,
                attempt,
            });
        }
        let body = response.bytes().await?;
        Ok((status, headers, body))
    }

    /// The token for the next attempt, from the token source.
    async fn token(&self, operation: &'static str) -> Result<Token, Error> {
        let token = self
            .inner
            .tokens
            .token()
            .await
            .map_err(|source| Error::Auth { operation, source })?;
        match token.header_value() {
            Ok(_) => Ok(token),
            Err(invalid) => Err(Error::Auth {
                operation,
                source: Box::new(invalid),
            }),
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("tokens", &self.inner.tokens)
            .field("retry", self.retry.as_ref().unwrap_or(&self.inner.retry))
            .field("timeout", &self.timeout.unwrap_or(self.inner.timeout))
            .field("limiter", &self.inner.limiter.is_some())
            .finish()
    }
}

/// Configures a [`Client`]; made by [`Client::builder`] or [`Client::builder_with_source`].
pub struct ClientBuilder {
    tokens: Arc<dyn TokenSource>,
    /// The token, when it is fixed: checked by `build`.
    fixed: Option<Token>,
    base_url: Option<String>,
    http: Option<reqwest::Client>,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    limiter: Option<RateLimiter>,
    on_response: Option<ResponseHook>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("tokens", &self.tokens)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("limiter", &self.limiter)
            .field("on_response", &self.on_response.is_some())
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Sends requests to `base_url` (e.g. a mock server) instead of the default server.
    #[must_use]
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Uses a preconfigured `reqwest` client (proxies, TLS roots). Its own connect timeout
    /// then applies instead of [`connect_timeout`](Self::connect_timeout).
    #[must_use]
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// The most time one attempt may take, from connecting to reading the whole response
    /// (default 30 s). Change it for one call with [`Client::with_timeout`].
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The most time opening a connection may take (default 10 s).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How transient failures are retried (default: [`RetryPolicy::default`]); pass
    /// [`RetryPolicy::none`] to turn retries off.
    #[must_use]
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Keeps this client under a request rate per location before the server enforces it
    /// (default: no client-side limit).
    #[must_use]
    pub fn rate_limiter(mut self, limiter: RateLimiter) -> Self {
        self.limiter = Some(limiter);
        self
    }

    /// Calls `hook` with the status and headers of every response the client receives,
    /// successful or not, before its body is decoded: for metrics, logs, or headers that
    /// no operation returns.
    #[must_use]
    pub fn on_response(mut self, hook: impl Fn(&ResponseInfo<'_>) + Send + Sync + 'static) -> Self {
        self.on_response = Some(Arc::new(hook));
        self
    }

    /// Checks the configuration and makes the client.
    ///
    /// # Errors
    /// [`Error::Config`] when the base URL is not an absolute `http` or `https` URL, a fixed
    /// token holds characters a header cannot carry, or the HTTP client cannot be set up.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.base_url.unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        let parsed = reqwest::Url::parse(&base_url)
            .map_err(|e| Error::Config(format!("base URL `{base_url}` is not a URL: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.query().is_some() {
            return Err(Error::Config(format!(
                "base URL `{base_url}` must be an http or https URL without a query"
            )));
        }
        if let Some(token) = &self.fixed
            && token.header_value().is_err()
        {
            return Err(Error::Config(
                "the token contains characters an HTTP header cannot carry".to_owned(),
            ));
        }
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(concat!(
                    env!("CARGO_PKG_NAME"),
                    "/",
                    env!("CARGO_PKG_VERSION")
                ))
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(|e| Error::Config(format!("cannot set up the HTTP client: {e}")))?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url: base_url.trim_end_matches('/').to_owned(),
                tokens: self.tokens,
                retry: self.retry,
                timeout: self.timeout,
                limiter: self.limiter,
                on_response: self.on_response,
                last_rate_limit: Mutex::new(None),
            }),
            timeout: None,
            retry: None,
        })
    }
}

/// What a generated method knows about its operation before it has any arguments.
#[derive(Debug)]
pub(crate) struct Operation {
    /// The spec's operationId.
    pub id: &'static str,
    pub method: Method,
    /// The path template, as the spec writes it (recorded by the tracing span).
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

    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
        }
    }

    /// Whether sending the request twice has the effect of sending it once (RFC 9110).
    pub(crate) fn is_idempotent(self) -> bool {
        matches!(self, Method::Get | Method::Put | Method::Delete)
    }
}

/// One call's request, fully encoded: ready to send, and to send again.
#[derive(Debug)]
pub(crate) struct Request {
    operation: &'static Operation,
    path: String,
    query: Option<String>,
    /// Content type and encoded body; `Bytes`, so that a retry resends it without a copy.
    body: Option<(HeaderValue, Bytes)>,
    /// The location (sub-account) the call acts on: the rate limiter's key.
    location: Option<String>,
    /// Header parameters the caller gave.
    headers: Vec<(&'static str, HeaderValue)>,
    /// Cookie parameters, as `name=value`.
    cookies: Vec<String>,
}

impl Request {
    pub fn new(operation: &'static Operation, path: impl Into<String>) -> Self {
        Self {
            operation,
            path: path.into(),
            query: None,
            body: None,
            location: None,
            headers: Vec::new(),
            cookies: Vec::new(),
        }
    }

    /// Names the location the call acts on, for the per-location rate limiter.
    #[allow(
        dead_code,
        reason = "the runtime supports every part the generator emits; a spec may use fewer"
    )]
    pub fn location(mut self, location: impl fmt::Display) -> Self {
        self.location = Some(location.to_string());
        self
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
        self.body = Some((HeaderValue::from_static("application/json"), encoded.into()));
        Ok(self)
    }

    /// Encodes an `application/x-www-form-urlencoded` body.
    #[allow(
        dead_code,
        reason = "the runtime supports every body the generator emits; a spec may use fewer"
    )]
    pub fn form(mut self, body: &impl Serialize) -> Result<Self, Error> {
        let encoded = serde_urlencoded::to_string(body).map_err(|e| Error::Encode {
            operation: self.operation.id,
            message: e.to_string(),
        })?;
        let content_type = HeaderValue::from_static("application/x-www-form-urlencoded");
        self.body = Some((content_type, encoded.into()));
        Ok(self)
    }

    /// A text body with its content type.
    #[allow(
        dead_code,
        reason = "the runtime supports every body the generator emits; a spec may use fewer"
    )]
    pub fn text(self, content_type: &'static str, body: &str) -> Self {
        self.binary(content_type, Bytes::copy_from_slice(body.as_bytes()))
    }

    /// A body of bytes with its content type.
    #[allow(
        dead_code,
        reason = "the runtime supports every body the generator emits; a spec may use fewer"
    )]
    pub fn binary(mut self, content_type: &'static str, body: Bytes) -> Self {
        self.body = Some((HeaderValue::from_static(content_type), body));
        self
    }

    /// Adds a header parameter.
    #[allow(
        dead_code,
        reason = "the runtime supports every parameter the generator emits; a spec may use fewer"
    )]
    pub fn header(mut self, name: &'static str, value: &impl fmt::Display) -> Result<Self, Error> {
        let value = HeaderValue::try_from(value.to_string()).map_err(|_| Error::Encode {
            operation: self.operation.id,
            message: format!("the value of header `{name}` cannot be sent in a header"),
        })?;
        self.headers.push((name, value));
        Ok(self)
    }

    /// Adds a cookie parameter (all of them travel in one `Cookie` header).
    #[allow(
        dead_code,
        reason = "the runtime supports every parameter the generator emits; a spec may use fewer"
    )]
    pub fn cookie(mut self, name: &'static str, value: &impl fmt::Display) -> Result<Self, Error> {
        let pair = format!("{name}={value}");
        if pair.contains([';', '\r', '\n']) {
            return Err(Error::Encode {
                operation: self.operation.id,
                message: format!("the value of cookie `{name}` holds `;` or a line break"),
            });
        }
        self.cookies.push(pair);
        Ok(self)
    }

    /// Encodes a `multipart/form-data` body.
    #[allow(
        dead_code,
        reason = "the runtime supports every body the generator emits; a spec may use fewer"
    )]
    pub fn multipart(mut self, form: Multipart) -> Self {
        let (content_type, encoded) = form.encode();
        let content_type = HeaderValue::try_from(content_type)
            .expect("a multipart content type is ASCII without line breaks");
        self.body = Some((content_type, encoded.into()));
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

//! The client: configuration, and the one place where requests are sent.
//!
//! A generated crate's `Client` wraps a [`ClientCore`] and describes each operation with an
//! [`Operation`] and a [`Request`]; [`ClientCore::execute`] owns every cross-cutting concern:
//! the token, the rate limiter, timeouts, retries and tracing.

use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, COOKIE, HeaderMap, HeaderName, HeaderValue,
};
use http::{StatusCode, Uri};
use http_body_util::Full;
use tracing::Instrument;

use crate::auth::{Token, TokenSource};
use crate::error::{CallError, Error};
use crate::operation::Operation;
use crate::paging::MAX_PAGES;
use crate::profile::Profile;
use crate::rate_limit::{RateLimit, RateLimitReader, RateLimiter};
use crate::raw::RawResponse;
use crate::request::Request;
use crate::response::ResponseMeta;
use crate::retry::{Failure, RetryPolicy};
use crate::transport::{self, Http, TlsConfig, TransportError};

/// How long a connection may take to open, unless the builder says otherwise.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a whole attempt (connect, send, read the body) may take by default.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// What a generated crate's `Client` is to the runtime: the API's profile and error body, and
/// how to wrap a [`ClientCore`]. Implemented by generated code only.
pub trait GeneratedClient: Sized {
    /// The API's documented error body, carried by [`Error::Api`].
    type ErrorBody;

    /// The API's specifics.
    fn profile() -> &'static Profile;

    /// The generated client around a configured core.
    fn from_core(core: ClientCore) -> Self;
}

/// The configured machinery a generated `Client` wraps. Cheap to clone: clones share one
/// connection pool, token source, rate limiter and rate-limit state.
#[derive(Clone)]
pub struct ClientCore {
    inner: Arc<Inner>,
    /// Settings of this view that override the client's.
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
}

struct Inner {
    http: Http,
    /// Without a trailing slash; operation paths start with one.
    base_url: String,
    profile: &'static Profile,
    /// The profile's rate-limit headers, parsed.
    rate_limits: Option<Arc<RateLimitReader>>,
    tokens: Arc<dyn TokenSource>,
    /// The token, when it is fixed: sent without asking the source (and boxing a future).
    fixed: Option<Token>,
    retry: RetryPolicy,
    timeout: Duration,
    limiter: Option<RateLimiter>,
    on_response: Option<ResponseHook>,
    /// The most pages a stream of pages fetches.
    max_pages: u64,
    /// The headers of the latest response that reported a rate limit: read only when asked.
    last_report: Mutex<Option<Arc<HeaderMap>>>,
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

impl ClientCore {
    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The rate-limit state the server reported with the latest response, if any did.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        let last = self
            .inner
            .last_report
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()?;
        self.inner.rate_limits.as_ref()?.read(&last)
    }

    /// The most pages a stream of pages fetches (see [`ClientBuilder::max_pages`]).
    pub fn max_pages(&self) -> u64 {
        self.inner.max_pages
    }

    /// This client, with `timeout` for each attempt of the calls made through the result.
    #[must_use]
    pub fn with_timeout(&self, timeout: Duration) -> Self {
        Self {
            timeout: Some(timeout),
            ..self.clone()
        }
    }

    /// This client, with `policy` for the calls made through the result.
    #[must_use]
    pub fn with_retry(&self, policy: RetryPolicy) -> Self {
        Self {
            retry: Some(policy),
            ..self.clone()
        }
    }

    /// Sends a request, retrying as the policy allows, and reads the whole response. Errors
    /// here are transport and token errors; what the final status means is for the calling
    /// operation to decide.
    pub async fn execute(&self, request: Request<'_>) -> Result<RawResponse, CallError> {
        let span = (self.inner.profile.span)(request.operation);
        // Without a subscriber that wants the span, entering and recording it on every poll
        // is work for nothing.
        if span.is_disabled() {
            return self.attempts(&request, &span).await;
        }
        let started = Instant::now();
        let result = self
            .attempts(&request, &span)
            .instrument(span.clone())
            .await;
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        if let Ok(response) = &result {
            span.record("status", response.status());
        }
        result
    }

    async fn attempts(
        &self,
        request: &Request<'_>,
        span: &tracing::Span,
    ) -> Result<RawResponse, CallError> {
        let operation = request.operation;
        let policy = self.retry.as_ref().unwrap_or(&self.inner.retry);
        let timeout = self.timeout.unwrap_or(self.inner.timeout);
        let url = self.url(request)?;
        let mut attempt = 0;
        // Retries for transient failures; a retry after a token refresh is not one of them.
        let mut retries = 0;
        let mut waited = Duration::ZERO;
        let mut refreshed = false;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            if let Some(limiter) = &self.inner.limiter {
                limiter.acquire(request.limit_key.unwrap_or_default()).await;
            }
            let token = match operation.authenticated {
                true => Some(self.token(operation).await?),
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
                        .map_err(|source| CallError::Auth {
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
                waited = waited.saturating_add(delay);
                tokio::time::sleep(delay).await;
                continue;
            }
            return match sent {
                Ok((status, headers, body)) => {
                    let profile = self.inner.profile;
                    let meta = ResponseMeta::new(
                        status,
                        headers,
                        &body,
                        attempt,
                        self.inner.rate_limits.clone(),
                        profile.trace_id.as_ref(),
                    );
                    Ok(RawResponse::new(operation.id, meta, body))
                }
                Err(source) => Err(CallError::Transport {
                    operation: operation.id,
                    attempts: attempt,
                    source,
                }),
            };
        }
    }

    /// The request's URL: the base URL, the encoded path and the query.
    fn url(&self, request: &Request<'_>) -> Result<Uri, CallError> {
        let base = &self.inner.base_url;
        let query = request.query.as_deref();
        let mut url = String::with_capacity(
            base.len() + request.path.len() + query.map_or(0, |q| q.len() + 1),
        );
        url.push_str(base);
        url.push_str(&request.path);
        if let Some(query) = query {
            url.push('?');
            url.push_str(query);
        }
        Uri::try_from(url).map_err(|e| CallError::Encode {
            operation: request.operation.id,
            message: format!("the request's URL is not valid: {e}"),
        })
    }

    /// One attempt: the response's status, headers and whole body, all within `timeout`.
    async fn send(
        &self,
        request: &Request<'_>,
        url: &Uri,
        timeout: Duration,
        token: Option<&Token>,
        attempt: u32,
    ) -> Result<(StatusCode, Arc<HeaderMap>, Bytes), TransportError> {
        let exchange = self.exchange(request, url, token, attempt);
        tokio::time::timeout(timeout, exchange)
            .await
            .unwrap_or_else(|_| Err(TransportError::timeout(timeout)))
    }

    async fn exchange(
        &self,
        request: &Request<'_>,
        url: &Uri,
        token: Option<&Token>,
        attempt: u32,
    ) -> Result<(StatusCode, Arc<HeaderMap>, Bytes), TransportError> {
        let operation = request.operation;
        let body = match &request.body {
            Some((_, body)) => Full::new(body.clone()),
            None => Full::default(),
        };
        let mut outgoing = http::Request::new(body);
        *outgoing.method_mut() = operation.method.as_http();
        *outgoing.uri_mut() = url.clone();
        let headers = outgoing.headers_mut();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        for (name, value) in operation.headers {
            // The generator refuses specs with names and values a header cannot carry (with
            // the place in the spec), so nothing is left out here.
            if let (Ok(name), Ok(value)) =
                (HeaderName::try_from(*name), HeaderValue::try_from(*value))
            {
                headers.insert(name, value);
            }
        }
        for (name, value) in &request.headers {
            headers.append(name.clone(), value.clone());
        }
        if !request.cookies.is_empty()
            && let Ok(cookies) = HeaderValue::try_from(request.cookies.join("; "))
        {
            headers.insert(COOKIE, cookies);
        }
        if let Some(value) = token.and_then(|t| t.header_value().ok()) {
            // Checked when the token was obtained (see `token`).
            headers.insert(AUTHORIZATION, value.clone());
        }
        if let Some((content_type, _)) = &request.body {
            headers.insert(CONTENT_TYPE, content_type.clone());
        }
        let response = self.inner.http.send(outgoing).await?;
        let (mut head, body) = response.into_parts();
        let status = head.status;
        // Taken, not copied: the body is read without them.
        let headers = Arc::new(std::mem::take(&mut head.headers));
        if let Some(reader) = &self.inner.rate_limits
            && reader.reports(&headers)
        {
            *self
                .inner
                .last_report
                .lock()
                .unwrap_or_else(|e| e.into_inner()) = Some(Arc::clone(&headers));
        }
        if let Some(hook) = &self.inner.on_response {
            hook(&ResponseInfo {
                operation: operation.id,
                status,
                headers: &headers,
                attempt,
            });
        }
        let body = transport::read_body(body).await?;
        Ok((status, headers, body))
    }

    /// The token for the next attempt, from the token source.
    async fn token(&self, operation: &Operation) -> Result<Token, CallError> {
        if let Some(token) = &self.inner.fixed {
            // Checked by `build`.
            return Ok(token.clone());
        }
        let auth_error = |source| CallError::Auth {
            operation: operation.id,
            source,
        };
        let token = self.inner.tokens.token().await.map_err(auth_error)?;
        match token.header_value() {
            Ok(_) => Ok(token),
            Err(invalid) => Err(auth_error(Box::new(invalid))),
        }
    }
}

impl fmt::Debug for ClientCore {
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

/// Configures a client; made by the generated `Client::builder` or
/// `Client::builder_with_source`.
pub struct ClientBuilder<C> {
    tokens: Arc<dyn TokenSource>,
    /// The token, when it is fixed: checked by `build`.
    fixed: Option<Token>,
    base_url: Option<String>,
    tls: Option<TlsConfig>,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    limiter: Option<RateLimiter>,
    on_response: Option<ResponseHook>,
    max_pages: u64,
    client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("tokens", &self.tokens)
            .field("base_url", &self.base_url)
            .field("tls", &self.tls.is_some())
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("limiter", &self.limiter)
            .field("on_response", &self.on_response.is_some())
            .field("max_pages", &self.max_pages)
            .finish_non_exhaustive()
    }
}

impl<C: GeneratedClient> ClientBuilder<C> {
    /// A builder for a client with a fixed token.
    pub fn new(token: impl Into<Token>) -> Self {
        let token = token.into();
        Self {
            fixed: Some(token.clone()),
            ..Self::with_source(token)
        }
    }

    /// A builder for a client whose token comes from `source`, such as an
    /// [`OAuthRefresher`](crate::OAuthRefresher).
    pub fn with_source(source: impl TokenSource) -> Self {
        Self {
            tokens: Arc::new(source),
            fixed: None,
            base_url: None,
            tls: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry: RetryPolicy::default(),
            limiter: None,
            on_response: None,
            max_pages: MAX_PAGES,
            client: PhantomData,
        }
    }

    /// Sends requests to `base_url` (e.g. a mock server) instead of the API's own server.
    #[must_use]
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Uses `tls` instead of the crate's default TLS set-up (the platform's root
    /// certificates): for a private root certificate or a client certificate. Its type follows
    /// the TLS feature; see [`TlsConfig`].
    #[must_use]
    pub fn tls(mut self, tls: TlsConfig) -> Self {
        self.tls = Some(tls);
        self
    }

    /// The most time one attempt may take, from connecting to reading the whole response
    /// (default 30 s). Change it for some calls with the client's `with_timeout`.
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

    /// Keeps this client under a request rate per rate-limit key before the server enforces
    /// it (default: no client-side limit). Takes a [`RateLimiter`] or a
    /// [`Quota`](crate::Quota).
    #[must_use]
    pub fn rate_limiter(mut self, limiter: impl Into<RateLimiter>) -> Self {
        self.limiter = Some(limiter.into());
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

    /// The most pages one stream of a paged operation (its `*_pages` or `*_stream` method)
    /// fetches (default [`MAX_PAGES`], 10,000). A stream that has fetched this many pages
    /// without reaching the end stops with [`Error::Paging`] rather than fetch more: a guard
    /// against a server whose pages never end.
    #[must_use]
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.max_pages = pages;
        self
    }

    /// Checks the configuration and makes the client.
    ///
    /// # Errors
    /// [`Error::Config`] when there is no base URL (the spec names no server and none was
    /// given), the base URL is not an absolute `http` or `https` URL, a fixed token holds
    /// characters a header cannot carry, or the HTTP client cannot be set up.
    pub fn build(self) -> Result<C, Error<C::ErrorBody>> {
        let profile = C::profile();
        let base_url = match (self.base_url, profile.base_url) {
            (Some(url), _) => url,
            (None, Some(url)) => url.to_owned(),
            (None, None) => {
                return Err(Error::Config(
                    "no base URL: the API's spec names no server; give one with `base_url`"
                        .to_owned(),
                ));
            }
        };
        let base_url = check_base_url(base_url)?;
        if let Some(token) = &self.fixed
            && token.header_value().is_err()
        {
            return Err(Error::Config(
                "the token contains characters an HTTP header cannot carry".to_owned(),
            ));
        }
        let http = Http::new(profile.user_agent, self.connect_timeout, self.tls)
            .map_err(|e| Error::Config(format!("cannot set up the HTTP client: {e}")))?;
        Ok(C::from_core(ClientCore {
            inner: Arc::new(Inner {
                http,
                base_url,
                profile,
                rate_limits: profile
                    .rate_limit_headers
                    .as_ref()
                    .map(|names| Arc::new(RateLimitReader::new(names))),
                tokens: self.tokens,
                fixed: self.fixed,
                retry: self.retry,
                timeout: self.timeout,
                limiter: self.limiter,
                on_response: self.on_response,
                max_pages: self.max_pages,
                last_report: Mutex::new(None),
            }),
            timeout: None,
            retry: None,
        }))
    }
}

/// The base URL without its trailing slash, when it is an absolute `http` or `https` URL
/// without a query or fragment.
fn check_base_url<E>(base_url: String) -> Result<String, Error<E>> {
    let invalid = |why: &str| Error::Config(format!("base URL `{base_url}` {why}"));
    let uri =
        Uri::try_from(base_url.as_str()).map_err(|e| invalid(&format!("is not a URL: {e}")))?;
    if !matches!(uri.scheme_str(), Some("http" | "https")) || uri.authority().is_none() {
        return Err(invalid("must be an absolute http or https URL"));
    }
    if uri.query().is_some() || base_url.contains('#') {
        return Err(invalid("must not have a query or a fragment"));
    }
    Ok(base_url.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    static PROFILE: Profile = Profile::new("test/1");
    static NO_SERVER: Profile = Profile::new("test/1");

    #[derive(Debug)]
    struct TestClient(ClientCore);

    impl GeneratedClient for TestClient {
        type ErrorBody = String;

        fn profile() -> &'static Profile {
            &PROFILE
        }

        fn from_core(core: ClientCore) -> Self {
            Self(core)
        }
    }

    struct Serverless;

    impl GeneratedClient for Serverless {
        type ErrorBody = String;

        fn profile() -> &'static Profile {
            &NO_SERVER
        }

        fn from_core(_: ClientCore) -> Self {
            Self
        }
    }

    #[test]
    fn debug_shows_no_token() {
        let client = ClientBuilder::<TestClient>::new("pit-very-secret")
            .base_url("http://localhost:1")
            .build();
        let text = format!("{:?}", client.unwrap().0);
        assert!(!text.contains("very-secret"), "{text}");
    }

    #[test]
    fn a_bad_base_url_is_a_config_error() {
        for url in [
            "not a url",
            "ftp://x",
            "http://x/?q=1",
            "/relative",
            "http://x/#f",
        ] {
            let err = ClientBuilder::<TestClient>::new("t")
                .base_url(url)
                .build()
                .unwrap_err();
            assert!(matches!(err, Error::Config(_)), "{url}: {err}");
        }
    }

    #[test]
    fn without_a_server_a_base_url_is_required() {
        let err = ClientBuilder::<Serverless>::new("t").build().err().unwrap();
        assert!(err.to_string().contains("no base URL"), "{err}");
        assert!(
            ClientBuilder::<Serverless>::new("t")
                .base_url("http://localhost:1")
                .build()
                .is_ok()
        );
    }
}

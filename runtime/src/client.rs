//! The client: configuration, and the one place where requests are sent.
//!
//! A generated crate's `Client` wraps a [`ClientCore`] and describes each operation with an
//! [`Operation`] and a [`Request`]; [`ClientCore::execute`] owns every cross-cutting concern:
//! the token, the rate limiter, timeouts, retries and tracing.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, COOKIE, HeaderMap, HeaderName, HeaderValue,
};
use http::{StatusCode, Uri};
use http_body_util::Full;
use tracing::Instrument;

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use crate::auth::{Token, TokenSource};
use crate::boxed::BoxError;
use crate::error::{CallError, Error};
use crate::operation::Operation;
use crate::paging::MAX_PAGES;
use crate::profile::{Credential, Profile};
use crate::rate_limit::{IntoLimiter, Limiter, RateLimit, RateLimitReader, Reports};
use crate::raw::RawResponse;
use crate::request::Request;
use crate::response::ResponseMeta;
use crate::retry::{Failure, RetryPolicy};
use crate::transport::{self, Http, TlsConfig, TransportError};

/// How long a connection may take to open, unless the builder says otherwise.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a whole attempt (connect, send, read the body) may take by default.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a whole call may take by default: the rate limiter, the token, every attempt and
/// the waits between them. Room for the default retries of a slow server, not for a hang.
const DEFAULT_DEADLINE: Duration = Duration::from_secs(120);
/// The largest response body read by default: many times the largest page any real API sends,
/// small enough that a server sending without end cannot exhaust memory.
const DEFAULT_MAX_RESPONSE: u64 = 32 << 20;

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
    deadline: Option<Duration>,
    retry: Option<RetryPolicy>,
}

struct Inner {
    http: Http,
    /// Without a trailing slash; operation paths start with one.
    base_url: String,
    profile: &'static Profile,
    /// The latest rate-limit reports, read with the profile's headers.
    reports: Option<Reports>,
    tokens: Arc<dyn TokenSource>,
    /// The token, when it is fixed: sent without asking the source (and boxing a future).
    fixed: Option<Token>,
    retry: RetryPolicy,
    timeout: Duration,
    deadline: Duration,
    max_response: u64,
    limiter: Option<Arc<dyn Limiter>>,
    on_response: Option<ResponseHook>,
    /// The most pages a stream of pages fetches.
    max_pages: u64,
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
        self.inner.reports.as_ref()?.latest()
    }

    /// The rate-limit state the server reported with the latest response for `key` (the
    /// value of the parameter the API counts its limit by).
    pub fn rate_limit_for(&self, key: &str) -> Option<RateLimit> {
        self.inner.reports.as_ref()?.for_key(key)
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

    /// This client, with `deadline` for each whole call made through the result.
    #[must_use]
    pub fn with_deadline(&self, deadline: Duration) -> Self {
        Self {
            deadline: Some(deadline),
            ..self.clone()
        }
    }

    /// Sends a request, retrying as the policy allows, and reads the whole response, all
    /// within the call's deadline. Errors here are the runtime's own (transport, token,
    /// deadline, size, quota); what the final status means is for the calling operation to
    /// decide.
    pub async fn execute(&self, request: Request<'_>) -> Result<RawResponse, CallError> {
        let span = (self.inner.profile.span)(request.operation);
        let deadline = self.deadline.unwrap_or(self.inner.deadline);
        let started = Instant::now();
        let call = Call {
            request: &request,
            span: &span,
            attempts: AtomicU32::new(0),
            ends: started.checked_add(deadline),
        };
        let attempts = self.attempts(&call);
        // Without a subscriber that wants the span, entering and recording it on every poll
        // is work for nothing.
        let result = if span.is_disabled() {
            tokio::time::timeout(deadline, attempts).await
        } else {
            tokio::time::timeout(deadline, attempts.instrument(span.clone())).await
        };
        let result = result.unwrap_or_else(|_| {
            Err(CallError::Deadline {
                operation: request.operation.id,
                after: deadline,
                attempts: call.attempts.load(Ordering::Relaxed),
            })
        });
        if !span.is_disabled() {
            span.record("latency_ms", started.elapsed().as_millis() as u64);
            if let Ok(response) = &result {
                span.record("status", response.status());
            }
        }
        result
    }

    /// Attempts until one is final: a success, an error the policy does not retry, or the
    /// last retry.
    async fn attempts(&self, call: &Call<'_>) -> Result<RawResponse, CallError> {
        let request = call.request;
        let operation = request.operation;
        let policy = self.retry.as_ref().unwrap_or(&self.inner.retry);
        let url = self.url(request)?;
        let limit_key = request.limit_key.unwrap_or_default();
        // Retries for transient failures; a retry after a token refresh is not one of them.
        let mut retries = 0;
        let mut waited = Duration::ZERO;
        let mut refreshed = false;
        loop {
            let token = self.token(operation).await?;
            self.check_quota(operation, limit_key)?;
            // The slot is taken when the request is ready to go, not while a token is fetched.
            if let Some(limiter) = &self.inner.limiter {
                limiter
                    .acquire(limit_key)
                    .await
                    .map_err(|source| CallError::Limiter {
                        operation: operation.id,
                        source,
                    })?;
            }
            let attempt = call.attempts.fetch_add(1, Ordering::Relaxed) + 1;
            call.span.record("attempt", attempt);
            let url = self.with_credential(request, &url, token.as_ref())?;
            let sent = self.send(request, &url, token.as_ref(), attempt).await;
            if let Ok(exchange) = &sent
                && let Some(reports) = &self.inner.reports
            {
                reports.record(limit_key, &exchange.headers);
                self.tell_limiter(limit_key, reports, &exchange.headers);
            }
            if let (Ok(exchange), Some(token)) = (&sent, &token)
                && exchange.status == StatusCode::UNAUTHORIZED
                && !refreshed
            {
                refreshed = true;
                if self.refresh(operation, token).await? {
                    tracing::info!(attempt, "the token was rejected; retrying with a new one");
                    continue;
                }
            }
            let failure = match &sent {
                Ok(exchange) => Failure::Status(exchange.status, &exchange.headers),
                Err(e) if e.is_connect() => Failure::NotSent,
                Err(_) => Failure::MaybeSent,
            };
            let delay = policy
                .next_delay(operation.idempotent, &failure, retries + 1, waited)
                .filter(|delay| call.leaves_time_for(*delay));
            if let Some(delay) = delay {
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
            return self.finish(operation, sent, attempt);
        }
    }

    /// Hands the server's report to a limiter that wants it, in a task of its own so that the
    /// call does not wait for a shared store.
    fn tell_limiter(&self, key: &str, reports: &Reports, headers: &HeaderMap) {
        let Some(limiter) = self.inner.limiter.as_ref().filter(|l| l.observes()) else {
            return;
        };
        let Some(report) = reports.reader().read(headers) else {
            return;
        };
        let limiter = Arc::clone(limiter);
        let key = key.to_owned();
        tokio::spawn(async move { limiter.observe(key, report).await });
    }

    /// Fails fast when the server said that the daily quota of `key` is spent.
    fn check_quota(&self, operation: &Operation, key: &str) -> Result<(), CallError> {
        match self.inner.reports.as_ref().and_then(|r| r.quota_spent(key)) {
            Some(resets_in) => Err(CallError::QuotaExhausted {
                operation: operation.id,
                resets_in,
            }),
            None => Ok(()),
        }
    }

    /// Asks the token source for a newer token than `rejected`; whether there is one.
    async fn refresh(&self, operation: &Operation, rejected: &Token) -> Result<bool, CallError> {
        let fresh = self
            .inner
            .tokens
            .refresh(rejected)
            .await
            .map_err(|source| CallError::Auth {
                operation: operation.id,
                source,
            })?;
        Ok(fresh.is_some())
    }

    /// The final attempt's outcome as the call's.
    fn finish(
        &self,
        operation: &Operation,
        sent: Result<Exchange, TransportError>,
        attempt: u32,
    ) -> Result<RawResponse, CallError> {
        let exchange = sent.map_err(|source| CallError::Transport {
            operation: operation.id,
            attempts: attempt,
            source,
        })?;
        let (body, too_large) = match exchange.body {
            transport::Body::Whole(body) => (body, false),
            transport::Body::TooLarge => (Bytes::new(), true),
        };
        let meta = ResponseMeta::new(
            exchange.status,
            exchange.headers,
            &body,
            attempt,
            self.inner.reports.as_ref().map(|r| Arc::clone(r.reader())),
            self.inner.profile.trace_id.as_ref(),
        );
        if too_large {
            return Err(CallError::TooLarge {
                operation: operation.id,
                limit: self.inner.max_response,
                meta: Box::new(meta),
            });
        }
        Ok(RawResponse::new(operation.id, meta, body))
    }

    /// The URL of one attempt: with the token as a query parameter when the API takes it
    /// there (the token may change between attempts), else the call's.
    fn with_credential(
        &self,
        request: &Request<'_>,
        url: &Uri,
        token: Option<&Token>,
    ) -> Result<Uri, CallError> {
        let (Some(token), Credential::Query(name)) = (token, self.inner.profile.credential) else {
            return Ok(url.clone());
        };
        let encode = |text| utf8_percent_encode(text, NON_ALPHANUMERIC);
        let url = url.to_string();
        let separator = if url.contains('?') { '&' } else { '?' };
        let url = format!(
            "{url}{separator}{}={}",
            encode(name),
            encode(token.expose())
        );
        // The message leaves the URL out: it holds the token.
        Uri::try_from(url).map_err(|_| CallError::Encode {
            operation: request.operation.id,
            message: "the request's URL with its credential is not valid".to_owned(),
        })
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

    /// One attempt: the response's status, headers and body, all within the attempt's
    /// timeout.
    async fn send(
        &self,
        request: &Request<'_>,
        url: &Uri,
        token: Option<&Token>,
        attempt: u32,
    ) -> Result<Exchange, TransportError> {
        let timeout = self.timeout.unwrap_or(self.inner.timeout);
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
    ) -> Result<Exchange, TransportError> {
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
        let mut cookies = request.cookies.join("; ");
        // Checked when the token was obtained (see `token`): it can be a header's value.
        match (token, self.inner.profile.credential) {
            (None, _) => {}
            (Some(token), Credential::Bearer) => {
                if let Ok(value) = token.header_value() {
                    headers.insert(AUTHORIZATION, value.clone());
                }
            }
            (Some(token), Credential::Header(name)) => {
                if let (Ok(name), Some(value)) =
                    (HeaderName::try_from(name), token.raw_header_value())
                {
                    headers.insert(name, value);
                }
            }
            (Some(token), Credential::Cookie(name)) => {
                if !cookies.is_empty() {
                    cookies.push_str("; ");
                }
                cookies.push_str(name);
                cookies.push('=');
                cookies.push_str(token.expose());
            }
            // In the URL already (see `with_credential`).
            (Some(_), Credential::Query(_)) => {}
        }
        let headers = outgoing.headers_mut();
        if !cookies.is_empty()
            && let Ok(mut value) = HeaderValue::try_from(cookies)
        {
            // It may hold the token.
            value.set_sensitive(true);
            headers.insert(COOKIE, value);
        }
        if let Some((content_type, _)) = &request.body {
            headers.insert(CONTENT_TYPE, content_type.clone());
        }
        let response = self.inner.http.send(outgoing).await?;
        let (mut head, body) = response.into_parts();
        let status = head.status;
        // Taken, not copied: the body is read without them.
        let headers = Arc::new(std::mem::take(&mut head.headers));
        if let Some(hook) = &self.inner.on_response {
            hook(&ResponseInfo {
                operation: operation.id,
                status,
                headers: &headers,
                attempt,
            });
        }
        let body = transport::read_body_within(body, self.inner.max_response).await?;
        Ok(Exchange {
            status,
            headers,
            body,
        })
    }

    /// The token for the next attempt, from the token source; none when the operation is
    /// sent without one.
    async fn token(&self, operation: &Operation) -> Result<Option<Token>, CallError> {
        if !operation.authenticated {
            return Ok(None);
        }
        if let Some(token) = &self.inner.fixed {
            // Checked by `build`.
            return Ok(Some(token.clone()));
        }
        let auth_error = |source| CallError::Auth {
            operation: operation.id,
            source,
        };
        let token = self.inner.tokens.token().await.map_err(auth_error)?;
        match unsendable(&token, self.inner.profile.credential) {
            Some(problem) => Err(auth_error(problem)),
            None => Ok(Some(token)),
        }
    }
}

/// Why `token` cannot travel where `credential` puts it, if it cannot: one check for a fixed
/// token (when the client is built) and for each token a source hands over.
fn unsendable(token: &Token, credential: Credential) -> Option<BoxError> {
    if let Err(invalid) = token.header_value() {
        return Some(Box::new(invalid));
    }
    // A `;` would end the cookie and start another.
    if matches!(credential, Credential::Cookie(_)) && token.expose().contains(';') {
        return Some("the token holds `;`, which a cookie cannot carry".into());
    }
    None
}

/// One call's progress, shared by its attempts and the deadline around them.
struct Call<'a> {
    request: &'a Request<'a>,
    span: &'a tracing::Span,
    /// How many times the request was sent so far: the deadline's error says it.
    attempts: AtomicU32,
    /// When the deadline passes (`None`: beyond what the clock can say).
    ends: Option<Instant>,
}

impl Call<'_> {
    /// Whether a retry after `delay` could still finish before the deadline: a wait that
    /// would run past it is not started, and the last failure is returned instead.
    fn leaves_time_for(&self, delay: Duration) -> bool {
        self.ends.is_none_or(|ends| {
            Instant::now()
                .checked_add(delay)
                .is_some_and(|at| at < ends)
        })
    }
}

/// One attempt's response.
struct Exchange {
    status: StatusCode,
    headers: Arc<HeaderMap>,
    body: transport::Body,
}

impl fmt::Debug for ClientCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("tokens", &self.inner.tokens)
            .field("retry", self.retry.as_ref().unwrap_or(&self.inner.retry))
            .field("timeout", &self.timeout.unwrap_or(self.inner.timeout))
            .field("deadline", &self.deadline.unwrap_or(self.inner.deadline))
            .field("max_response", &self.inner.max_response)
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
    deadline: Duration,
    max_response: u64,
    connect_timeout: Duration,
    retry: RetryPolicy,
    limiter: Option<Arc<dyn Limiter>>,
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
            .field("deadline", &self.deadline)
            .field("max_response", &self.max_response)
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
            deadline: DEFAULT_DEADLINE,
            max_response: DEFAULT_MAX_RESPONSE,
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

    /// The most time a whole call may take (default 120 s): waiting for the rate limiter,
    /// getting a token, every attempt and the waits between retries. A call that runs out of
    /// it fails with [`Error::Deadline`]; a retry whose wait would run past it is not made.
    /// Change it for some calls with the client's `with_deadline`.
    #[must_use]
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// The largest response body the client reads, in bytes (default 32 MiB). The body is
    /// read as it arrives and reading stops at the limit, with [`Error::TooLarge`].
    #[must_use]
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response = bytes;
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
    /// it (default: no client-side limit). Takes a [`RateLimiter`](crate::RateLimiter) or a
    /// [`Quota`](crate::Quota).
    #[must_use]
    pub fn rate_limiter(mut self, limiter: impl IntoLimiter) -> Self {
        self.limiter = Some(limiter.into_limiter());
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
        if let Some(problem) = self
            .fixed
            .as_ref()
            .and_then(|token| unsendable(token, profile.credential))
        {
            return Err(Error::Config(problem.to_string()));
        }
        let http = Http::new(profile.user_agent, self.connect_timeout, self.tls)
            .map_err(|e| Error::Config(format!("cannot set up the HTTP client: {e}")))?;
        Ok(C::from_core(ClientCore {
            inner: Arc::new(Inner {
                http,
                base_url,
                profile,
                reports: profile
                    .rate_limit_headers
                    .as_ref()
                    .map(|names| Reports::new(RateLimitReader::new(names))),
                tokens: self.tokens,
                fixed: self.fixed,
                retry: self.retry,
                timeout: self.timeout,
                deadline: self.deadline,
                max_response: self.max_response,
                limiter: self.limiter,
                on_response: self.on_response,
                max_pages: self.max_pages,
            }),
            timeout: None,
            deadline: None,
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
    static COOKIE_KEY: Profile = Profile::new("test/1").credential(Credential::Cookie("key"));
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

    struct CookieKeyed;

    impl GeneratedClient for CookieKeyed {
        type ErrorBody = String;

        fn profile() -> &'static Profile {
            &COOKIE_KEY
        }

        fn from_core(_: ClientCore) -> Self {
            Self
        }
    }

    #[test]
    fn a_fixed_token_that_cannot_travel_where_the_profile_puts_it_is_a_config_error() {
        let build = |token: &str| {
            ClientBuilder::<CookieKeyed>::new(token)
                .base_url("http://localhost:1")
                .build()
        };
        assert!(build("k+y/z=1").is_ok());
        let err = build("k;other=1").err().expect("refused");
        assert!(
            matches!(&err, Error::Config(m) if m.contains("cookie")),
            "{err}"
        );
        assert!(!err.to_string().contains("other=1"), "{err}");
        let err = build("line\nbreak").err().expect("refused");
        assert!(
            matches!(&err, Error::Config(m) if m.contains("HTTP header")),
            "{err}"
        );
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

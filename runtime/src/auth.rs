//! The credential every request carries, and where it comes from.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use http_body_util::Full;
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use tokio::sync::watch;

use crate::boxed::{BoxError, BoxFuture};
use crate::transport::{self, Http, TransportError};

/// A bearer token: an OAuth access token or an API key sent as one.
///
/// The value never appears in `Debug` output, in errors or in logs; it leaves this type only
/// as the `Authorization` header, which is marked sensitive. Clones share one allocation.
#[derive(Clone)]
pub struct Token(Arc<TokenInner>);

struct TokenInner {
    secret: SecretString,
    /// `Bearer <token>`, made once: every request sends it.
    header: Result<HeaderValue, InvalidToken>,
}

impl Token {
    /// Wraps a token string.
    pub fn new(token: impl Into<String>) -> Self {
        let secret = SecretString::from(token.into());
        let header = HeaderValue::try_from(format!("Bearer {}", secret.expose_secret()))
            .map(|mut value| {
                value.set_sensitive(true);
                value
            })
            .map_err(|_| InvalidToken);
        Self(Arc::new(TokenInner { secret, header }))
    }

    /// The token itself, for storing it (e.g. a refreshed token handed to a callback).
    pub fn expose(&self) -> &str {
        self.0.secret.expose_secret()
    }

    /// The `Authorization` header value for this token.
    pub(crate) fn header_value(&self) -> Result<&HeaderValue, InvalidToken> {
        self.0.header.as_ref().map_err(|e| *e)
    }

    /// The token alone as a header value (for an API key in a header or a cookie): valid
    /// whenever [`Self::header_value`] is, since it is that value without `Bearer `.
    pub(crate) fn raw_header_value(&self) -> Option<HeaderValue> {
        HeaderValue::try_from(self.expose()).ok().map(|mut value| {
            value.set_sensitive(true);
            value
        })
    }

    fn same_as(&self, other: &Token) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.expose() == other.expose()
    }
}

/// The token holds characters an HTTP header cannot carry (the token itself is not shown).
#[derive(Debug, Clone, Copy)]
pub(crate) struct InvalidToken;

impl fmt::Display for InvalidToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the token holds characters that an HTTP header cannot carry")
    }
}

impl std::error::Error for InvalidToken {}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token([redacted])")
    }
}

impl From<String> for Token {
    fn from(token: String) -> Self {
        Self::new(token)
    }
}

impl From<&str> for Token {
    fn from(token: &str) -> Self {
        Self::new(token)
    }
}

/// Where a client gets the bearer token for each request.
///
/// Built in: a fixed [`Token`] and the [`OAuthRefresher`]. Implement it to take tokens from a
/// store of your own (a database shared by several processes, say).
pub trait TokenSource: Send + Sync + fmt::Debug + 'static {
    /// The token to send now.
    fn token(&self) -> BoxFuture<'_, Result<Token, BoxError>>;

    /// Called once when the API answered 401 to `rejected`: a newer token to retry the call
    /// with, or `None` when this source has none (the 401 is then returned). The default has
    /// none.
    fn refresh<'a>(
        &'a self,
        rejected: &'a Token,
    ) -> BoxFuture<'a, Result<Option<Token>, BoxError>> {
        let _ = rejected;
        Box::pin(async { Ok(None) })
    }
}

impl TokenSource for Token {
    fn token(&self) -> BoxFuture<'_, Result<Token, BoxError>> {
        let token = self.clone();
        Box::pin(async move { Ok(token) })
    }
}

/// An OAuth 2.0 token endpoint and the grant that gets new tokens from it: what a spec's
/// `oauth2` security scheme says, made into a value by the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OAuthEndpoint {
    token_url: &'static str,
    grant: Grant,
}

impl OAuthEndpoint {
    /// The endpoint at `token_url`, used with `grant`.
    pub const fn new(token_url: &'static str, grant: Grant) -> Self {
        Self { token_url, grant }
    }

    /// The token endpoint's URL.
    pub fn token_url(&self) -> &'static str {
        self.token_url
    }

    /// The grant it is used with.
    pub fn grant(&self) -> Grant {
        self.grant
    }
}

/// How an [`OAuthRefresher`] gets a new access token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    /// `grant_type=refresh_token`: trades the refresh token for a new access token (the
    /// authorization-code and password flows). The server may rotate the refresh token.
    RefreshToken,
    /// `grant_type=client_credentials`: the app's own credentials (the client-credentials
    /// flow); there is no refresh token.
    ClientCredentials,
}

impl Grant {
    fn as_str(self) -> &'static str {
        match self {
            Grant::RefreshToken => "refresh_token",
            Grant::ClientCredentials => "client_credentials",
        }
    }
}

/// Tokens that a refresh produced, handed to [`OAuthRefresher::on_refresh`].
///
/// Servers that rotate refresh tokens stop accepting the old one once it is used: store
/// `refresh_token` before the next refresh is due.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RefreshedTokens {
    /// The new access token; `None` when the token endpoint's answer carried a refresh token
    /// but no usable access token (the call that asked for the refresh then fails, and the
    /// refresh token is still handed over).
    pub access_token: Option<Token>,
    /// The refresh token to use next time: the new one if the server rotated it, else the
    /// one the refresh was made with; `None` under the client-credentials grant.
    pub refresh_token: Option<Token>,
    /// How long the access token is valid, as the server said; `None` when it did not say
    /// or said something that is not a positive number of seconds (an hour is then assumed).
    pub expires_in: Option<Duration>,
}

type RefreshHook =
    Arc<dyn Fn(RefreshedTokens) -> BoxFuture<'static, Result<(), BoxError>> + Send + Sync>;
type ReloadHook = Arc<dyn Fn() -> BoxFuture<'static, Result<Token, BoxError>> + Send + Sync>;

/// How long an access token is assumed to live when the token endpoint does not say.
const ASSUMED_LIFETIME: Duration = Duration::from_secs(3600);
/// The furthest ahead an expiry or a timeout is kept: a server or a caller may say any
/// number of seconds.
const FOREVER: Duration = Duration::from_secs(100 * 365 * 24 * 3600);
/// How long before expiry a token is refreshed, unless the caller says otherwise.
const DEFAULT_MARGIN: Duration = Duration::from_secs(300);
/// How recent a refreshed token must be for a 401 to be taken as not about the token.
const DEFAULT_MIN_INTERVAL: Duration = Duration::from_secs(30);
/// How long opening a connection to the token endpoint may take.
const TOKEN_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a whole refresh (connect, send, read the answer) may take.
const TOKEN_TIMEOUT: Duration = Duration::from_secs(30);
/// How long callers are answered with a failed refresh's error before another is tried; it
/// doubles with each further failure, up to [`LONGEST_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
/// The longest wait after failed refreshes.
const LONGEST_BACKOFF: Duration = Duration::from_secs(60);
/// The waits before the refresh hook is called again after it failed.
const HOOK_RETRY_DELAYS: [Duration; 3] = [
    Duration::from_millis(100),
    Duration::from_millis(200),
    Duration::from_millis(400),
];
/// How much of a refused refresh's answer an error keeps.
const EXCERPT_CHARS: usize = 500;
/// What a secret is replaced with in the token endpoint's answers.
const REDACTED: &str = "[redacted]";

/// A [`TokenSource`] for OAuth apps: it gets a new access token from the token endpoint
/// shortly before the current one expires, and once more when the API rejects it with a 401.
///
/// Made for servers that rotate refresh tokens (each refresh kills the one it was made with)
/// and for services that run unattended:
///
/// - **One refresh at a time.** Concurrent calls that need a new token wait for one refresh
///   and share its result.
/// - **Refreshes finish.** Each refresh runs as a task of its own on the Tokio runtime: a
///   caller that gives up (a timeout, a dropped future) does not cut it short, so a rotated
///   refresh token is never lost between the token endpoint and this refresher.
/// - **Tokens are handed over.** [`on_refresh`](Self::on_refresh) gets the new tokens (to
///   store them) before any caller gets the new access token;
///   [`current_refresh_token`](Self::current_refresh_token) reads the refresh token at any
///   time.
/// - **A refused refresh token can be reloaded** from where another process stored its
///   successor: see [`reload_with`](Self::reload_with).
/// - **Bounded.** The token endpoint has 10 s to connect and 30 s to answer
///   ([`timeouts`](Self::timeouts)). After a failed refresh, callers get the same error at
///   once for a second, then 2, 4… up to 60 s, before the token endpoint is asked again. A
///   401 for an access token refreshed moments ago (see
///   [`min_refresh_interval`](Self::min_refresh_interval)) is returned rather than answered
///   with another refresh: a 401 can also mean a missing scope, which no refresh cures.
/// - **Secrets stay secret.** Errors and logs never contain a token or the client secret,
///   even when the token endpoint echoes the request back.
///
/// The token endpoint is the one the API's spec names; a generated crate offers a constructor
/// that fills it in.
#[derive(Clone)]
pub struct OAuthRefresher {
    inner: Arc<Refresher>,
}

struct Refresher {
    endpoint: OAuthEndpoint,
    token_url: String,
    client_id: String,
    client_secret: SecretString,
    /// Further form fields the token endpoint wants (names and values are not secret).
    extra: Vec<(String, String)>,
    margin: Duration,
    min_interval: Duration,
    connect_timeout: Duration,
    timeout: Duration,
    on_refresh: Option<RefreshHook>,
    reload: Option<ReloadHook>,
    /// Made on the first refresh: most clients with a refresher never need it before then.
    http: OnceLock<Http>,
    /// Never held across an `await`.
    state: Mutex<RefreshState>,
    /// Held while the refresh hook runs: its calls never overlap, so that a retry for an
    /// older token cannot store it over a newer one.
    hook_turn: tokio::sync::Mutex<()>,
}

struct RefreshState {
    access: Option<Access>,
    refresh_token: Option<Token>,
    /// Bumped whenever new tokens arrive or the refresh token is replaced: a hook retry for
    /// an older generation is dropped.
    generation: u64,
    refreshes: u64,
    /// The refresh in flight, whose outcome every caller waits for.
    running: Option<watch::Receiver<Option<Outcome>>>,
    /// The latest refresh failed: its error is the answer until the backoff has passed.
    failed: Option<Failed>,
}

struct Access {
    token: Token,
    expires: Instant,
    /// How long the token was valid for when it was had.
    lifetime: Duration,
    /// When a refresh of this refresher got it (`None` for one the caller gave).
    refreshed_at: Option<Instant>,
}

impl Access {
    fn new(token: Token, lifetime: Duration, now: Instant, refreshed: bool) -> Self {
        let lifetime = lifetime.min(FOREVER);
        Self {
            token,
            expires: after(now, lifetime),
            lifetime,
            refreshed_at: refreshed.then_some(now),
        }
    }

    /// Whether the token can still be sent: more than `margin`, or half its lifetime if that
    /// is shorter, is left (a lifetime shorter than the margin does not make every call
    /// refresh).
    fn usable(&self, margin: Duration, now: Instant) -> bool {
        let threshold = margin.min(self.lifetime / 2);
        self.expires.saturating_duration_since(now) > threshold
    }
}

struct Failed {
    error: SharedError,
    until: Instant,
    /// How many refreshes in a row failed.
    streak: u32,
}

/// What a refresh gives every caller that waited for it.
type Outcome = Result<Token, SharedError>;

impl OAuthRefresher {
    /// A refresher for the app `client_id`/`client_secret` holding `refresh_token`, against
    /// `endpoint` with the refresh-token grant. It has no access token yet: the first call
    /// refreshes (or see [`access_token`](Self::access_token)).
    pub fn new(
        endpoint: OAuthEndpoint,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        refresh_token: impl Into<Token>,
    ) -> Self {
        Self::with_state(
            endpoint,
            client_id,
            client_secret,
            Some(refresh_token.into()),
        )
    }

    /// A refresher for the app `client_id`/`client_secret` under the client-credentials
    /// grant: no refresh token, the app's credentials buy each access token.
    pub fn client_credentials(
        endpoint: OAuthEndpoint,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        Self::with_state(endpoint, client_id, client_secret, None)
    }

    fn with_state(
        endpoint: OAuthEndpoint,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        refresh_token: Option<Token>,
    ) -> Self {
        Self {
            inner: Arc::new(Refresher {
                endpoint,
                token_url: endpoint.token_url.to_owned(),
                client_id: client_id.into(),
                client_secret: SecretString::from(client_secret.into()),
                extra: Vec::new(),
                margin: DEFAULT_MARGIN,
                min_interval: DEFAULT_MIN_INTERVAL,
                connect_timeout: TOKEN_CONNECT_TIMEOUT,
                timeout: TOKEN_TIMEOUT,
                on_refresh: None,
                reload: None,
                http: OnceLock::new(),
                state: Mutex::new(RefreshState {
                    access: None,
                    refresh_token,
                    generation: 0,
                    refreshes: 0,
                    running: None,
                    failed: None,
                }),
                hook_turn: tokio::sync::Mutex::new(()),
            }),
        }
    }

    fn configure(mut self, change: impl FnOnce(&mut Refresher)) -> Self {
        match Arc::get_mut(&mut self.inner) {
            Some(inner) => change(inner),
            // Configuration happens before the refresher is shared; a shared one is left as
            // it is rather than diverging from its clones.
            None => debug_assert!(false, "configure an OAuthRefresher before cloning it"),
        }
        self
    }

    /// Starts from an access token that is still valid for `valid_for`.
    #[must_use]
    pub fn access_token(self, token: impl Into<Token>, valid_for: Duration) -> Self {
        let token = token.into();
        self.configure(|r| {
            let state = r.state.get_mut().unwrap_or_else(|e| e.into_inner());
            state.access = Some(Access::new(token, valid_for, Instant::now(), false));
        })
    }

    /// Sends refreshes to `url` instead of the spec's token endpoint (a mock server, say).
    #[must_use]
    pub fn token_url(self, url: impl Into<String>) -> Self {
        let url = url.into();
        self.configure(|r| r.token_url = url)
    }

    /// Adds a form field to every refresh, for token endpoints that want more than the
    /// standard ones (which user type the token is for, say).
    #[must_use]
    pub fn form_field(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let field = (name.into(), value.into());
        self.configure(|r| r.extra.push(field))
    }

    /// How long before expiry the token is refreshed (default 5 minutes). A token that lives
    /// shorter than twice the margin is refreshed when half its lifetime is left.
    #[must_use]
    pub fn refresh_margin(self, margin: Duration) -> Self {
        self.configure(|r| r.margin = margin)
    }

    /// How long after a refresh a 401 for the new access token is taken as not about the
    /// token (a missing scope, say) and returned to the caller instead of refreshing again
    /// (default 30 s).
    #[must_use]
    pub fn min_refresh_interval(self, interval: Duration) -> Self {
        self.configure(|r| r.min_interval = interval)
    }

    /// How long opening a connection to the token endpoint (default 10 s) and a whole
    /// refresh, from connecting to reading the answer (default 30 s), may take. The second
    /// also bounds each call of the [`on_refresh`](Self::on_refresh) and
    /// [`reload_with`](Self::reload_with) hooks.
    #[must_use]
    pub fn timeouts(self, connect: Duration, total: Duration) -> Self {
        self.configure(|r| {
            r.connect_timeout = connect.min(FOREVER);
            r.timeout = total.min(FOREVER);
        })
    }

    /// Calls `hook` with the new tokens after every refresh, to store them: with servers that
    /// rotate refresh tokens, the stored one stops working at each refresh.
    ///
    /// ```no_run
    /// # use openapi_client_runtime::{BoxError, OAuthRefresher};
    /// # async fn save(refresh_token: &str) -> std::io::Result<()> { Ok(()) }
    /// # fn configure(refresher: OAuthRefresher) -> OAuthRefresher {
    /// refresher.on_refresh(|tokens| async move {
    ///     if let Some(refresh_token) = &tokens.refresh_token {
    ///         save(refresh_token.expose()).await?;
    ///     }
    ///     Ok(())
    /// })
    /// # }
    /// ```
    ///
    /// # The contract
    /// - The hook runs inside the refresh's own task, which finishes even when every caller
    ///   that waited for it is gone (timed out, dropped, aborted): once the token endpoint
    ///   has answered with tokens, the hook is called (unless the Tokio runtime itself shuts
    ///   down).
    /// - Its first call completes before any caller gets the new access token: when a call
    ///   has succeeded with a refreshed token, the hook has already run for it.
    /// - The refresher keeps and uses the new tokens whatever the hook does, because the old
    ///   refresh token is already dead at the server. When the hook returns an error, panics
    ///   or takes longer than the refresh timeout (see [`timeouts`](Self::timeouts)), the
    ///   refresher logs a `tracing` warning (the error's text with every token and the
    ///   client secret replaced by `[redacted]`), hands the new access token to the callers,
    ///   and calls the hook again after 100, 200 and 400 ms. After the fourth failure it logs
    ///   an error and gives up; [`current_refresh_token`](Self::current_refresh_token) still
    ///   has the token to store.
    /// - Calls of the hook never overlap, and a retry is dropped once newer tokens exist (a
    ///   later refresh, [`set_refresh_token`](Self::set_refresh_token)): an older refresh
    ///   token is never handed over after a newer one.
    /// - It is also called when the answer carried a readable refresh token but no usable
    ///   access token: `access_token` is then `None`, and the call that asked fails.
    /// - It must not wait for this refresher (`token`,
    ///   [`current_refresh_token`](Self::current_refresh_token)): those wait for the refresh
    ///   the hook is part of, so the hook would time out. Everything to store is in its
    ///   argument.
    #[must_use]
    pub fn on_refresh<F, Fut>(self, hook: F) -> Self
    where
        F: Fn(RefreshedTokens) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), BoxError>> + Send + 'static,
    {
        let hook: RefreshHook = Arc::new(move |tokens| Box::pin(hook(tokens)));
        self.configure(|r| r.on_refresh = Some(hook))
    }

    /// Reloads the refresh token with `reload` when the token endpoint refuses the one held
    /// (`invalid_grant`): another process sharing the app's tokens may have rotated it and
    /// stored its successor.
    ///
    /// `reload` is called once per refused refresh. If it returns a refresh token other than
    /// the refused one, that token replaces it and the refresh is tried once more with it;
    /// otherwise (the same token, an error, a panic, no answer within the refresh timeout)
    /// the refusal is returned.
    ///
    /// ```no_run
    /// # use openapi_client_runtime::OAuthRefresher;
    /// # async fn load() -> std::io::Result<String> { Ok(String::new()) }
    /// # fn configure(refresher: OAuthRefresher) -> OAuthRefresher {
    /// refresher.reload_with(|| async { Ok(load().await?) })
    /// # }
    /// ```
    #[must_use]
    pub fn reload_with<F, Fut, T>(self, reload: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<T, BoxError>> + Send + 'static,
        T: Into<Token>,
    {
        let reload: ReloadHook = Arc::new(move || {
            let loading = reload();
            Box::pin(async move { loading.await.map(Into::into) })
        });
        self.configure(|r| r.reload = Some(reload))
    }

    /// Replaces the refresh token, for the next refresh, with one stored elsewhere (by
    /// another process, say); a refresh already in flight finishes with the token it started
    /// with, and a token it gets back replaces this one. It also ends the wait after a failed
    /// refresh: the next call that needs a token refreshes at once. Ignored under the
    /// client-credentials grant.
    pub fn set_refresh_token(&self, refresh_token: impl Into<Token>) {
        let mut state = self.inner.lock();
        state.refresh_token = Some(refresh_token.into());
        state.generation += 1;
        state.failed = None;
    }

    /// The refresh token to store: the latest the token endpoint handed out (or the one this
    /// refresher was given). A refresh in flight is waited for first, so that the answer is
    /// not about to be stale. `None` under the client-credentials grant.
    pub async fn current_refresh_token(&self) -> Option<Token> {
        let running = self.inner.lock().running.clone();
        if let Some(mut running) = running {
            // An error means the refresh task ended: the state is as fresh as it gets.
            let _ = running.wait_for(Option::is_some).await;
        }
        self.inner.lock().refresh_token.clone()
    }

    /// How many refreshes this refresher (and its clones) made that got an access token.
    pub async fn refresh_count(&self) -> u64 {
        self.inner.lock().refreshes
    }
}

impl fmt::Debug for OAuthRefresher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthRefresher")
            .field("client_id", &self.inner.client_id)
            .field("token_url", &self.inner.token_url)
            .field("grant", &self.inner.endpoint.grant)
            .finish_non_exhaustive()
    }
}

impl TokenSource for OAuthRefresher {
    fn token(&self) -> BoxFuture<'_, Result<Token, BoxError>> {
        Box::pin(async move {
            let running = {
                let mut state = self.inner.lock();
                if let Some(access) = &state.access
                    && access.usable(self.inner.margin, Instant::now())
                {
                    return Ok(access.token.clone());
                }
                self.inner.start_or_join(&mut state)?
            };
            outcome(running).await
        })
    }

    fn refresh<'a>(
        &'a self,
        rejected: &'a Token,
    ) -> BoxFuture<'a, Result<Option<Token>, BoxError>> {
        Box::pin(async move {
            let running = {
                let mut state = self.inner.lock();
                if let Some(access) = &state.access {
                    // Another call may have refreshed while this one was in flight.
                    if !access.token.same_as(rejected) {
                        if access.usable(self.inner.margin, Instant::now()) {
                            return Ok(Some(access.token.clone()));
                        }
                    } else if access.refreshed_at.is_some_and(|at| {
                        Instant::now().saturating_duration_since(at) < self.inner.min_interval
                    }) {
                        // A token this fresh is not what the API objects to (a missing scope
                        // is answered with a 401 too).
                        tracing::info!(
                            "the API rejected a token refreshed moments ago; not refreshing again"
                        );
                        return Ok(None);
                    }
                }
                self.inner.start_or_join(&mut state)?
            };
            outcome(running).await.map(Some)
        })
    }
}

/// Waits for the refresh behind `running` and takes its outcome.
async fn outcome(mut running: watch::Receiver<Option<Outcome>>) -> Result<Token, BoxError> {
    let outcome = match running.wait_for(Option::is_some).await {
        Ok(done) => done.clone(),
        Err(_) => None,
    };
    match outcome {
        Some(Ok(token)) => Ok(token),
        Some(Err(error)) => Err(Box::new(error)),
        None => Err(Box::new(RefreshError::Ended)),
    }
}

/// Why a refresh failed. Never contains a token or the client secret.
#[derive(Debug, thiserror::Error)]
enum RefreshError {
    #[error("the token endpoint could not be reached")]
    Transport(#[source] TransportError),
    #[error("the token endpoint answered {status}: {body}")]
    Refused {
        status: http::StatusCode,
        /// The start of the answer, secrets redacted.
        body: String,
        /// Whether the answer is the OAuth error `invalid_grant`: the refresh token is dead.
        invalid_grant: bool,
    },
    #[error("the token endpoint's answer is not a token response: {0}")]
    Malformed(String),
    #[error("the HTTP client for the token endpoint cannot be set up: {0}")]
    Setup(BoxError),
    #[error("a token refresh needs a Tokio runtime, and none is running")]
    NoRuntime,
    #[error("the token refresh ended without an answer")]
    Ended,
}

/// A refresh's error, shared by every caller that waited for it.
#[derive(Clone)]
struct SharedError(Arc<RefreshError>);

impl fmt::Display for SharedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for SharedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl std::error::Error for SharedError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&*self.0)
    }
}

/// The token endpoint's answer to a successful request, as far as it could be read.
struct Answer {
    /// A new refresh token, if the server rotated it.
    refresh_token: Option<Token>,
    /// The access token and its lifetime (if the server gave one), or why there is none.
    access: Result<(Token, Option<Duration>), RefreshError>,
}

/// How a call of the refresh hook went.
enum HookCall {
    Done,
    Failed,
    /// Newer tokens exist: handing these over would overwrite them.
    Superseded,
}

/// The instant `duration` after `now`, for any duration.
fn after(now: Instant, duration: Duration) -> Instant {
    now.checked_add(duration.min(FOREVER))
        .or_else(|| now.checked_add(ASSUMED_LIFETIME))
        .unwrap_or(now)
}

/// How long callers get a failed refresh's error after `streak` failures in a row.
fn backoff(streak: u32) -> Duration {
    let doublings = streak.saturating_sub(1).min(16);
    FIRST_BACKOFF
        .saturating_mul(1 << doublings)
        .min(LONGEST_BACKOFF)
}

/// `text` with every occurrence of each secret, as written and as a form, a URL or JSON
/// would encode it, replaced by `[redacted]`.
fn redact(text: &str, secrets: &[&str]) -> String {
    let mut forms: Vec<String> = Vec::new();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        forms.push((*secret).to_owned());
        if let Ok(form) = serde_urlencoded::to_string([("", *secret)]) {
            forms.push(form.trim_start_matches('=').to_owned());
        }
        forms.push(
            percent_encoding::utf8_percent_encode(secret, percent_encoding::NON_ALPHANUMERIC)
                .to_string(),
        );
        if let Ok(json) = serde_json::to_string(secret) {
            forms.push(json.trim_matches('"').to_owned());
        }
    }
    // Longest first, so that a form containing another is replaced whole.
    forms.sort_by_key(|form| std::cmp::Reverse(form.len()));
    forms.dedup();
    let mut text = text.to_owned();
    for form in forms.iter().filter(|form| !form.is_empty()) {
        if text.contains(form.as_str()) {
            text = text.replace(form.as_str(), REDACTED);
        }
    }
    text
}

/// Whether a refused refresh's answer is the OAuth error `invalid_grant`.
fn is_invalid_grant(status: http::StatusCode, body: &[u8]) -> bool {
    matches!(status.as_u16(), 400 | 401)
        && serde_json::from_slice::<Value>(body).is_ok_and(|answer| {
            answer.get("error").and_then(Value::as_str) == Some("invalid_grant")
        })
}

/// Reads a successful answer: the refresh token first, so that nothing else in the answer
/// can make it be dropped.
fn parse_answer(bytes: &[u8]) -> Result<Answer, RefreshError> {
    let answer = match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(answer)) => answer,
        Ok(_) => {
            return Err(RefreshError::Malformed(
                "it is not a JSON object".to_owned(),
            ));
        }
        Err(error) => {
            // JSON that serde_json cannot hold as a value (a number beyond any float, say)
            // may still carry a readable refresh token. serde's message names a place,
            // never a value.
            let malformed = RefreshError::Malformed(error.to_string());
            return match serde_json::from_slice::<RefreshOnly>(bytes) {
                Ok(RefreshOnly {
                    refresh_token: Some(rotated),
                }) if !rotated.is_empty() => Ok(Answer {
                    refresh_token: Some(Token::new(rotated)),
                    access: Err(malformed),
                }),
                _ => Err(malformed),
            };
        }
    };
    let refresh_token = match answer.get("refresh_token") {
        Some(Value::String(rotated)) if !rotated.is_empty() => Some(Token::new(rotated.as_str())),
        None | Some(Value::Null) => None,
        Some(_) => {
            tracing::warn!(
                "the token endpoint's `refresh_token` is not a string; the previous refresh \
                 token is kept"
            );
            None
        }
    };
    let access = match answer.get("access_token") {
        Some(Value::String(token)) if !token.is_empty() => {
            let token = Token::new(token.as_str());
            match token.header_value() {
                Ok(_) => Ok((token, lifetime(answer.get("expires_in")))),
                Err(invalid) => Err(RefreshError::Malformed(format!(
                    "`access_token`: {invalid}"
                ))),
            }
        }
        _ => Err(RefreshError::Malformed(
            "`access_token` is missing or not a string".to_owned(),
        )),
    };
    Ok(Answer {
        refresh_token,
        access,
    })
}

/// The one field of an answer that must not be lost.
#[derive(serde::Deserialize)]
struct RefreshOnly {
    refresh_token: Option<String>,
}

/// A token's lifetime from `expires_in`: a positive number of seconds, written as a number or
/// a string, whole or not. Anything else (negative, zero, not a number) is as if the server
/// had not said.
fn lifetime(expires_in: Option<&Value>) -> Option<Duration> {
    let seconds = match expires_in? {
        Value::Number(seconds) => seconds.as_f64()?,
        Value::String(seconds) => seconds.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    if seconds.is_nan() || seconds <= 0.0 {
        tracing::warn!("the token endpoint's `expires_in` is not a positive number of seconds");
        return None;
    }
    Some(
        Duration::try_from_secs_f64(seconds)
            .unwrap_or(FOREVER)
            .min(FOREVER),
    )
}

impl Refresher {
    fn lock(&self) -> MutexGuard<'_, RefreshState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The refresh in flight, or a new one; within the backoff after a failed refresh, that
    /// refresh's error.
    fn start_or_join(
        self: &Arc<Self>,
        state: &mut RefreshState,
    ) -> Result<watch::Receiver<Option<Outcome>>, BoxError> {
        if let Some(running) = &state.running
            // Closed only if the task ended without answering: then a new one starts.
            && running.has_changed().is_ok()
        {
            return Ok(running.clone());
        }
        if let Some(failed) = &state.failed
            && Instant::now() < failed.until
        {
            return Err(Box::new(failed.error.clone()));
        }
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| RefreshError::NoRuntime)?;
        let (done, running) = watch::channel(None);
        state.running = Some(running.clone());
        let refresh_token = state.refresh_token.clone();
        runtime.spawn(Arc::clone(self).run(refresh_token, done));
        Ok(running)
    }

    /// One refresh, from the request to the hook's last retry: a task of its own.
    async fn run(
        self: Arc<Self>,
        refresh_token: Option<Token>,
        done: watch::Sender<Option<Outcome>>,
    ) {
        let answer = match self.obtain(refresh_token.clone()).await {
            Ok(answer) => answer,
            Err(error) => return self.finish(&done, Err(error), Instant::now()),
        };
        let answered_at = Instant::now();
        let Answer {
            refresh_token: rotated,
            access,
        } = answer;
        // The refresh token first: the one it replaces is dead at the server.
        let (tokens, generation) = {
            let mut state = self.lock();
            if let Some(rotated) = &rotated {
                state.refresh_token = Some(rotated.clone());
            }
            state.generation += 1;
            let tokens = RefreshedTokens {
                access_token: access.as_ref().ok().map(|(token, _)| token.clone()),
                refresh_token: state.refresh_token.clone(),
                expires_in: access.as_ref().ok().and_then(|(_, expires_in)| *expires_in),
            };
            (tokens, state.generation)
        };
        let hook = self
            .on_refresh
            .as_ref()
            // Nothing new to hand over: no access token, the refresh token unchanged.
            .filter(|_| tokens.access_token.is_some() || rotated.is_some());
        let mut stored = true;
        if let Some(hook) = hook {
            stored = matches!(
                self.call_hook(hook, &tokens, generation, 1, refresh_token.as_ref())
                    .await,
                HookCall::Done | HookCall::Superseded
            );
        }
        self.finish(&done, access, answered_at);
        if let (Some(hook), false) = (hook, stored) {
            self.retry_hook(hook, &tokens, generation, refresh_token.as_ref())
                .await;
        }
    }

    /// Records a refresh's outcome and hands it to every caller waiting for it.
    fn finish(
        &self,
        done: &watch::Sender<Option<Outcome>>,
        result: Result<(Token, Option<Duration>), RefreshError>,
        answered_at: Instant,
    ) {
        let mut state = self.lock();
        state.running = None;
        let outcome = match result {
            Ok((token, expires_in)) => {
                let lifetime = expires_in.unwrap_or(ASSUMED_LIFETIME);
                state.access = Some(Access::new(token.clone(), lifetime, answered_at, true));
                state.refreshes += 1;
                state.failed = None;
                Ok(token)
            }
            Err(error) => {
                let streak = state
                    .failed
                    .as_ref()
                    .map_or(0, |failed| failed.streak)
                    .saturating_add(1);
                let wait = backoff(streak);
                let error = SharedError(Arc::new(error));
                tracing::warn!(
                    error = %error,
                    failures = streak,
                    next_attempt_in_ms = wait.as_millis() as u64,
                    "the token refresh failed",
                );
                let now = Instant::now();
                state.failed = Some(Failed {
                    error: error.clone(),
                    until: now.checked_add(wait).unwrap_or(now),
                    streak,
                });
                Err(error)
            }
        };
        done.send_replace(Some(outcome));
    }

    /// The tokens from the token endpoint; after `invalid_grant`, once more with a reloaded
    /// refresh token if [`OAuthRefresher::reload_with`] finds a different one.
    async fn obtain(&self, refresh_token: Option<Token>) -> Result<Answer, RefreshError> {
        let first = self.exchange(refresh_token.as_ref()).await;
        let (
            Some(reload),
            Grant::RefreshToken,
            Err(RefreshError::Refused {
                invalid_grant: true,
                ..
            }),
        ) = (&self.reload, self.endpoint.grant, &first)
        else {
            return first;
        };
        let secrets = self.secrets(&[refresh_token.as_ref()]);
        let reload = Arc::clone(reload);
        let mut loading = tokio::spawn(async move { reload().await });
        let reloaded = match tokio::time::timeout(self.timeout, &mut loading).await {
            Ok(Ok(Ok(reloaded))) => reloaded,
            failed => {
                let why = match failed {
                    Ok(Ok(Err(error))) => redact(&error.to_string(), &secrets),
                    Ok(Err(_)) => "it panicked".to_owned(),
                    _ => {
                        loading.abort();
                        format!("it did not finish within {:?}", self.timeout)
                    }
                };
                tracing::warn!(error = %why, "reloading the refused refresh token failed");
                return first;
            }
        };
        if refresh_token.is_some_and(|refused| refused.same_as(&reloaded)) {
            tracing::warn!("the reloaded refresh token is the one the token endpoint refused");
            return first;
        }
        tracing::info!("the refresh token was refused; refreshing once more with the reloaded one");
        {
            let mut state = self.lock();
            state.refresh_token = Some(reloaded.clone());
            state.generation += 1;
        }
        self.exchange(Some(&reloaded)).await
    }

    /// The client secret and `tokens`, for [`redact`].
    fn secrets<'a>(&'a self, tokens: &[Option<&'a Token>]) -> Vec<&'a str> {
        let mut secrets = vec![self.client_secret.expose_secret()];
        secrets.extend(tokens.iter().flatten().map(|token| token.expose()));
        secrets
    }

    /// Calls the hook once, in a task of its own (a panic is an error like another).
    async fn call_hook(
        &self,
        hook: &RefreshHook,
        tokens: &RefreshedTokens,
        generation: u64,
        attempt: u32,
        submitted: Option<&Token>,
    ) -> HookCall {
        let _turn = self.hook_turn.lock().await;
        if self.lock().generation != generation {
            return HookCall::Superseded;
        }
        let call = {
            let hook = Arc::clone(hook);
            let tokens = tokens.clone();
            async move { hook(tokens).await }
        };
        let mut call = tokio::spawn(call);
        let why = match tokio::time::timeout(self.timeout, &mut call).await {
            Ok(Ok(Ok(()))) => return HookCall::Done,
            Ok(Ok(Err(error))) => {
                let secrets = self.secrets(&[
                    tokens.access_token.as_ref(),
                    tokens.refresh_token.as_ref(),
                    submitted,
                ]);
                redact(&error.to_string(), &secrets)
            }
            Ok(Err(_)) => "it panicked".to_owned(),
            Err(_) => {
                call.abort();
                format!("it did not finish within {:?}", self.timeout)
            }
        };
        tracing::warn!(
            attempt,
            error = %why,
            "the refresh hook failed; the new tokens are in use but may not be stored",
        );
        HookCall::Failed
    }

    /// Calls the hook again after each of [`HOOK_RETRY_DELAYS`] until it succeeds or newer
    /// tokens exist.
    async fn retry_hook(
        &self,
        hook: &RefreshHook,
        tokens: &RefreshedTokens,
        generation: u64,
        submitted: Option<&Token>,
    ) {
        for (attempt, delay) in (2..).zip(HOOK_RETRY_DELAYS) {
            tokio::time::sleep(delay).await;
            match self
                .call_hook(hook, tokens, generation, attempt, submitted)
                .await
            {
                HookCall::Done => return,
                HookCall::Superseded => {
                    tracing::debug!("newer tokens exist; the refresh hook is not called again");
                    return;
                }
                HookCall::Failed => {}
            }
        }
        tracing::error!(
            attempts = HOOK_RETRY_DELAYS.len() + 1,
            "the refresh hook kept failing; the new refresh token may not be stored: read it \
             with `current_refresh_token`",
        );
    }

    /// The token endpoint's connection pool, set up like the API client's on first use.
    fn http(&self) -> Result<&Http, RefreshError> {
        if let Some(http) = self.http.get() {
            return Ok(http);
        }
        let http = Http::new(
            concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")),
            self.connect_timeout,
            None,
        )
        .map_err(RefreshError::Setup)?;
        Ok(self.http.get_or_init(|| http))
    }

    /// One request to the token endpoint, made with `refresh_token` under the refresh-token
    /// grant.
    async fn exchange(&self, refresh_token: Option<&Token>) -> Result<Answer, RefreshError> {
        let mut form = vec![
            ("grant_type", self.endpoint.grant.as_str()),
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.client_secret.expose_secret()),
        ];
        if let (Grant::RefreshToken, Some(refresh_token)) = (self.endpoint.grant, refresh_token) {
            form.push(("refresh_token", refresh_token.expose()));
        }
        form.extend(self.extra.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let body = serde_urlencoded::to_string(&form)
            .map_err(|e| RefreshError::Malformed(e.to_string()))?;
        let request = http::Request::post(&self.token_url)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| RefreshError::Setup(e.into()))?;
        let http = self.http()?;
        let exchange = async {
            let response = http.send(request).await?;
            let (head, body) = response.into_parts();
            Ok((head.status, transport::read_body(body).await?))
        };
        let (status, bytes) = tokio::time::timeout(self.timeout, exchange)
            .await
            .unwrap_or_else(|_| Err(TransportError::timeout(self.timeout)))
            .map_err(RefreshError::Transport)?;
        if !status.is_success() {
            // A proxy may echo the request: no secret of it goes into the error.
            let text = redact(
                &String::from_utf8_lossy(&bytes),
                &self.secrets(&[refresh_token]),
            );
            return Err(RefreshError::Refused {
                status,
                body: text.chars().take(EXCERPT_CHARS).collect(),
                invalid_grant: is_invalid_grant(status, &bytes),
            });
        }
        parse_answer(&bytes)
    }
}

#[cfg(feature = "redis")]
/// One exchange at the token endpoint on behalf of a store shared by several processes
/// (`redis::SharedTokens`), which keeps the tokens and decides when to refresh; the refresher
/// lends its endpoint, credentials, timeouts, hook and error handling.
pub(crate) struct Exchanged {
    /// A new refresh token, if the server rotated it: kept even when the access token is
    /// unreadable.
    pub(crate) refresh_token: Option<Token>,
    /// The access token and its lifetime, or why there is none.
    pub(crate) access: Result<(Token, Option<Duration>), BoxError>,
}

#[cfg(feature = "redis")]
/// Why an exchange for a shared store failed.
pub(crate) enum ExchangeError {
    /// The token endpoint refused the refresh token as `invalid_grant`: another process may
    /// have rotated it.
    InvalidGrant(BoxError),
    /// Anything else.
    Other(BoxError),
}

#[cfg(feature = "redis")]
impl OAuthRefresher {
    /// Trades `refresh_token` at the token endpoint, without touching this refresher's own
    /// state.
    pub(crate) async fn exchange_for_store(
        &self,
        refresh_token: Option<&Token>,
    ) -> Result<Exchanged, ExchangeError> {
        match self.inner.exchange(refresh_token).await {
            Ok(answer) => Ok(Exchanged {
                refresh_token: answer.refresh_token,
                access: answer
                    .access
                    .map_err(|e| Box::new(SharedError(Arc::new(e))) as BoxError),
            }),
            Err(error) => {
                let invalid_grant = matches!(
                    error,
                    RefreshError::Refused {
                        invalid_grant: true,
                        ..
                    }
                );
                let error: BoxError = Box::new(SharedError(Arc::new(error)));
                Err(if invalid_grant {
                    ExchangeError::InvalidGrant(error)
                } else {
                    ExchangeError::Other(error)
                })
            }
        }
    }

    /// The refresh token this refresher was given or last got: what a shared store starts
    /// from when it holds none.
    pub(crate) async fn seed_refresh_token(&self) -> Option<Token> {
        self.current_refresh_token().await
    }

    /// How long before expiry a token is refreshed, for a lifetime of `lifetime`.
    pub(crate) fn margin_for(&self, lifetime: Duration) -> Duration {
        self.inner.margin.min(lifetime / 2)
    }

    /// The grant the endpoint is used with.
    pub(crate) fn grant(&self) -> Grant {
        self.inner.endpoint.grant
    }

    /// Calls the refresh hook once with `tokens` (a shared store calls it after the store has
    /// them), in a task of its own and within the refresher's timeout; a failure is logged.
    pub(crate) async fn call_hook_for_store(&self, tokens: RefreshedTokens) {
        let Some(hook) = self.inner.on_refresh.clone() else {
            return;
        };
        let mut call = tokio::spawn(async move { hook(tokens).await });
        match tokio::time::timeout(self.inner.timeout, &mut call).await {
            Ok(Ok(Ok(()))) => {}
            Ok(Ok(Err(_))) | Ok(Err(_)) => {
                tracing::warn!("the refresh hook failed; the shared store has the new tokens");
            }
            Err(_) => {
                call.abort();
                tracing::warn!("the refresh hook did not finish in time");
            }
        }
    }
}

#[cfg(feature = "redis")]
impl RefreshedTokens {
    /// Tokens a shared store obtained, for the hook.
    pub(crate) fn new(
        access_token: Option<Token>,
        refresh_token: Option<Token>,
        expires_in: Option<Duration>,
    ) -> Self {
        Self {
            access_token,
            refresh_token,
            expires_in,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const ENDPOINT: OAuthEndpoint =
        OAuthEndpoint::new("https://auth.example.test/token", Grant::RefreshToken);

    #[test]
    fn debug_hides_the_token() {
        let token = Token::new("pit-secret-value");
        assert_eq!(format!("{token:?}"), "Token([redacted])");
        let header = token.header_value().unwrap();
        assert!(header.is_sensitive());
        assert!(!format!("{header:?}").contains("secret"));
    }

    #[test]
    fn a_token_with_a_newline_is_refused() {
        assert!(Token::new("a\nb").header_value().is_err());
    }

    #[test]
    fn debug_of_a_refresher_hides_its_secrets() {
        let refresher = OAuthRefresher::new(ENDPOINT, "app", "very-secret", "refresh-secret")
            .access_token("access-secret", Duration::from_secs(60));
        let text = format!("{refresher:?}");
        assert!(!text.contains("secret"), "{text}");
        assert!(text.contains("app"), "{text}");
    }

    #[tokio::test]
    async fn lifetimes_margins_and_timeouts_near_the_limits_do_not_overflow() {
        let long_lived =
            OAuthRefresher::new(ENDPOINT, "app", "s", "r").access_token("a", Duration::MAX);
        assert_eq!(long_lived.token().await.unwrap().expose(), "a");
        // A margin longer than the lifetime refreshes at half the lifetime: far away here.
        let anxious = OAuthRefresher::new(ENDPOINT, "app", "s", "r")
            .access_token("a", Duration::MAX)
            .refresh_margin(Duration::MAX)
            .min_refresh_interval(Duration::MAX)
            .timeouts(Duration::MAX, Duration::MAX)
            .token_url("http://127.0.0.1:1/token");
        assert_eq!(anxious.token().await.unwrap().expose(), "a");
        // An expired token with the longest margin and timeouts: the refresh fails (nothing
        // listens) with an error rather than a panic, and the next call is answered with the
        // same error at once.
        let expired = OAuthRefresher::new(ENDPOINT, "app", "s", "r")
            .access_token("a", Duration::ZERO)
            .refresh_margin(Duration::MAX)
            .min_refresh_interval(Duration::MAX)
            .timeouts(Duration::MAX, Duration::MAX)
            .token_url("http://127.0.0.1:1/token");
        let first = expired.token().await.unwrap_err().to_string();
        let again = expired.token().await.unwrap_err().to_string();
        assert_eq!(first, again);
        let rejected = Token::new("a");
        assert!(expired.refresh(&rejected).await.is_err());
    }

    #[test]
    fn a_token_shorter_lived_than_the_margin_is_used_for_half_its_life() {
        let now = Instant::now();
        let minute = Access::new(Token::new("a"), Duration::from_secs(60), now, true);
        assert!(minute.usable(DEFAULT_MARGIN, now));
        assert!(minute.usable(DEFAULT_MARGIN, now + Duration::from_secs(29)));
        assert!(!minute.usable(DEFAULT_MARGIN, now + Duration::from_secs(31)));
        let day = Access::new(Token::new("a"), Duration::from_secs(86_400), now, true);
        assert!(day.usable(DEFAULT_MARGIN, now + Duration::from_secs(86_000)));
        assert!(!day.usable(DEFAULT_MARGIN, now + Duration::from_secs(86_200)));
        let gone = Access::new(Token::new("a"), Duration::ZERO, now, false);
        assert!(!gone.usable(DEFAULT_MARGIN, now));
        let forever = Access::new(Token::new("a"), Duration::MAX, now, false);
        assert!(forever.usable(Duration::MAX, now));
    }

    #[test]
    fn expires_in_is_read_from_any_number_or_string_without_panicking() {
        let read = |value: Value| lifetime(Some(&value));
        assert_eq!(read(json!(3600)), Some(Duration::from_secs(3600)));
        assert_eq!(read(json!("3600")), Some(Duration::from_secs(3600)));
        assert_eq!(read(json!(1.5)), Some(Duration::from_millis(1500)));
        assert_eq!(read(json!(u64::MAX)), Some(FOREVER));
        assert_eq!(read(json!(1e300)), Some(FOREVER));
        assert_eq!(read(json!("inf")), Some(FOREVER));
        for nonsense in [
            json!(-5),
            json!(0),
            json!(-0.5),
            json!(i64::MIN),
            json!("NaN"),
            json!("soon"),
            json!(null),
            json!([1]),
        ] {
            assert_eq!(read(nonsense.clone()), None, "{nonsense}");
        }
        assert_eq!(lifetime(None), None);
    }

    #[test]
    fn a_readable_refresh_token_survives_a_broken_answer() {
        let answer = parse_answer(br#"{"refresh_token":"r2","access_token":42}"#).unwrap();
        assert_eq!(answer.refresh_token.unwrap().expose(), "r2");
        assert!(answer.access.is_err());
        // A number no float can hold breaks serde_json's value, not the refresh token.
        let answer =
            parse_answer(br#"{"access_token":"a","expires_in":1e999,"refresh_token":"r3"}"#)
                .unwrap();
        assert_eq!(answer.refresh_token.unwrap().expose(), "r3");
        assert!(answer.access.is_err());
        let answer = parse_answer(br#"{"access_token":"a\nb","refresh_token":"r4"}"#).unwrap();
        assert_eq!(answer.refresh_token.unwrap().expose(), "r4");
        assert!(answer.access.is_err(), "a token a header cannot carry");
        let answer = parse_answer(br#"{"access_token":"a","refresh_token":7}"#).unwrap();
        assert!(answer.refresh_token.is_none());
        assert_eq!(answer.access.unwrap().0.expose(), "a");
        assert!(parse_answer(b"[]").is_err());
        assert!(parse_answer(b"not json").is_err());
    }

    #[test]
    fn the_failure_backoff_doubles_from_a_second_to_a_minute() {
        let waits: Vec<u64> = (1..=9).map(|streak| backoff(streak).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(backoff(u32::MAX), LONGEST_BACKOFF);
        assert_eq!(backoff(0), FIRST_BACKOFF);
    }

    #[test]
    fn secrets_are_redacted_as_written_and_encoded() {
        let secrets = ["s3cret/+ &=x", "refresh\"quoted\""];
        let text = "client_secret=s3cret%2F%2B+%26%3Dx&raw=s3cret/+ &=x&pct=s3cret%2F%2B%20%26%3Dx\
                    &json={\"r\":\"refresh\\\"quoted\\\"\"}&plain=refresh\"quoted\"";
        let redacted = redact(text, &secrets);
        assert!(!redacted.contains("s3cret"), "{redacted}");
        assert!(!redacted.contains("quoted"), "{redacted}");
        assert_eq!(redacted.matches(REDACTED).count(), 5, "{redacted}");
        assert_eq!(redact("nothing here", &["", "x y"]), "nothing here");
    }

    #[test]
    fn invalid_grant_is_read_from_a_400_or_401_json_body() {
        let body = br#"{"error":"invalid_grant","error_description":"expired"}"#;
        assert!(is_invalid_grant(http::StatusCode::BAD_REQUEST, body));
        assert!(is_invalid_grant(http::StatusCode::UNAUTHORIZED, body));
        assert!(!is_invalid_grant(http::StatusCode::FORBIDDEN, body));
        assert!(!is_invalid_grant(
            http::StatusCode::BAD_REQUEST,
            br#"{"error":"invalid_client"}"#
        ));
        assert!(!is_invalid_grant(
            http::StatusCode::BAD_REQUEST,
            b"invalid_grant"
        ));
    }

    #[test]
    fn without_a_tokio_runtime_a_refresh_is_an_error() {
        let refresher = OAuthRefresher::new(ENDPOINT, "app", "s", "r");
        let token = futures_util::FutureExt::now_or_never(refresher.token())
            .expect("no runtime: the error comes at once");
        assert!(token.unwrap_err().to_string().contains("Tokio runtime"));
    }
}

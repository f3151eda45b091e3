//! The credential every request carries, and where it comes from.

use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use http_body_util::Full;
use secrecy::{ExposeSecret, SecretString};

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
    /// The new access token.
    pub access_token: Token,
    /// The refresh token to use next time (the new one, if the server rotated it); `None`
    /// under the client-credentials grant.
    pub refresh_token: Option<Token>,
    /// How long the access token is valid, as the server said.
    pub expires_in: Duration,
}

type RefreshCallback = Arc<dyn Fn(&RefreshedTokens) + Send + Sync>;

/// How long an access token is assumed to live when the token endpoint does not say.
const ASSUMED_LIFETIME: Duration = Duration::from_secs(3600);
/// The furthest ahead an expiry is kept: a server may say any number of seconds.
const FOREVER: Duration = Duration::from_secs(100 * 365 * 24 * 3600);
/// How long opening a connection to the token endpoint may take.
const TOKEN_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a whole refresh (connect, send, read the answer) may take.
const TOKEN_TIMEOUT: Duration = Duration::from_secs(30);

/// A [`TokenSource`] for OAuth apps: it gets a new access token from the token endpoint
/// shortly before the current one expires, and once more when the API rejects it with a 401.
///
/// Concurrent calls that find the token expired wait for one refresh and share its result.
/// Each refresh may yield a new refresh token (servers that rotate them invalidate the old
/// one), handed to [`on_refresh`](Self::on_refresh) so that it can be stored.
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
    on_refresh: Option<RefreshCallback>,
    /// Made on the first refresh: most clients with a refresher never need it before then.
    http: OnceLock<Http>,
    /// Held across a refresh, so that concurrent callers wait for it instead of starting
    /// their own (which would also burn a rotating refresh token).
    state: tokio::sync::Mutex<RefreshState>,
}

struct RefreshState {
    access: Option<(Token, Instant)>,
    refresh_token: Option<Token>,
    refreshes: u64,
}

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
                margin: Duration::from_secs(300),
                on_refresh: None,
                http: OnceLock::new(),
                state: tokio::sync::Mutex::new(RefreshState {
                    access: None,
                    refresh_token,
                    refreshes: 0,
                }),
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
        self.configure(|r| r.state.get_mut().access = Some((token, after(valid_for))))
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

    /// How long before expiry the token is refreshed (default 5 minutes).
    #[must_use]
    pub fn refresh_margin(self, margin: Duration) -> Self {
        self.configure(|r| r.margin = margin)
    }

    /// Called with the new tokens after every refresh.
    #[must_use]
    pub fn on_refresh(self, callback: impl Fn(&RefreshedTokens) + Send + Sync + 'static) -> Self {
        self.configure(|r| r.on_refresh = Some(Arc::new(callback)))
    }

    /// How many refreshes this refresher (and its clones) made.
    pub async fn refresh_count(&self) -> u64 {
        self.inner.state.lock().await.refreshes
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
            let mut state = self.inner.state.lock().await;
            if let Some((token, expires)) = &state.access
                && Instant::now()
                    .checked_add(self.inner.margin)
                    .is_some_and(|soon| soon < *expires)
            {
                return Ok(token.clone());
            }
            self.inner.refresh(&mut state).await
        })
    }

    fn refresh<'a>(
        &'a self,
        rejected: &'a Token,
    ) -> BoxFuture<'a, Result<Option<Token>, BoxError>> {
        Box::pin(async move {
            let mut state = self.inner.state.lock().await;
            // Another call may have refreshed while this one was in flight.
            if let Some((current, _)) = &state.access
                && !current.same_as(rejected)
            {
                return Ok(Some(current.clone()));
            }
            self.inner.refresh(&mut state).await.map(Some)
        })
    }
}

/// The token endpoint's answer (fields this crate uses; the rest is ignored).
#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: String,
    refresh_token: Option<String>,
    expires_in: Option<u64>,
}

/// Why a refresh failed. Never contains a token or the client secret.
#[derive(Debug, thiserror::Error)]
enum RefreshError {
    #[error("the token endpoint could not be reached")]
    Transport(#[source] TransportError),
    #[error("the token endpoint answered {status}: {body}")]
    Refused {
        status: http::StatusCode,
        body: String,
    },
    #[error("the token endpoint's answer is not a token response: {0}")]
    Malformed(String),
    #[error("the HTTP client for the token endpoint cannot be set up: {0}")]
    Setup(BoxError),
}

/// The instant `duration` from now, capped at [`FOREVER`] so that no value overflows.
fn after(duration: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(duration.min(FOREVER)).unwrap_or(now)
}

impl Refresher {
    /// The token endpoint's connection pool, set up like the API client's on first use.
    fn http(&self) -> Result<&Http, RefreshError> {
        if let Some(http) = self.http.get() {
            return Ok(http);
        }
        let http = Http::new(
            concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")),
            TOKEN_CONNECT_TIMEOUT,
            None,
        )
        .map_err(RefreshError::Setup)?;
        Ok(self.http.get_or_init(|| http))
    }

    async fn refresh(&self, state: &mut RefreshState) -> Result<Token, BoxError> {
        let mut form = vec![
            ("grant_type", self.endpoint.grant.as_str()),
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.client_secret.expose_secret()),
        ];
        if let (Grant::RefreshToken, Some(refresh_token)) =
            (self.endpoint.grant, &state.refresh_token)
        {
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
        let (status, bytes) = tokio::time::timeout(TOKEN_TIMEOUT, exchange)
            .await
            .unwrap_or_else(|_| Err(TransportError::timeout(TOKEN_TIMEOUT)))
            .map_err(RefreshError::Transport)?;
        if !status.is_success() {
            return Err(RefreshError::Refused {
                status,
                body: String::from_utf8_lossy(&bytes).chars().take(500).collect(),
            }
            .into());
        }
        let answer: TokenResponse = serde_json::from_slice(&bytes)
            // serde's message names the field, never its (secret) value.
            .map_err(|e| RefreshError::Malformed(e.to_string()))?;
        let access_token = Token::new(answer.access_token);
        let expires_in = answer
            .expires_in
            .map_or(ASSUMED_LIFETIME, Duration::from_secs);
        state.access = Some((access_token.clone(), after(expires_in)));
        if let Some(rotated) = answer.refresh_token {
            state.refresh_token = Some(Token::new(rotated));
        }
        state.refreshes += 1;
        if let Some(callback) = &self.on_refresh {
            callback(&RefreshedTokens {
                access_token: access_token.clone(),
                refresh_token: state.refresh_token.clone(),
                expires_in,
            });
        }
        Ok(access_token)
    }
}

#[cfg(test)]
mod tests {
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
    async fn lifetimes_and_margins_near_the_limits_do_not_overflow() {
        let long_lived =
            OAuthRefresher::new(ENDPOINT, "app", "s", "r").access_token("a", Duration::MAX);
        assert_eq!(long_lived.token().await.unwrap().expose(), "a");
        // A margin longer than any lifetime asks for a refresh; without a server, that fails
        // with an error rather than a panic.
        let anxious = OAuthRefresher::new(ENDPOINT, "app", "s", "r")
            .access_token("a", Duration::MAX)
            .refresh_margin(Duration::MAX)
            .token_url("http://127.0.0.1:1/token");
        assert!(anxious.token().await.is_err());
    }
}

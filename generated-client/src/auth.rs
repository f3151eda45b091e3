//! The credential every request carries, and where it comes from.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};

/// A boxed future, as [`TokenSource`] returns them (the trait stays object-safe).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// An error of a [`TokenSource`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A bearer token: a sub-account OAuth access token or a Private Integration Token.
///
/// The value never appears in `Debug` output, in errors or in logs; it leaves this type only
/// as the `Authorization` header, which is marked sensitive.
#[derive(Clone)]
pub struct Token(SecretString);

impl Token {
    /// Wraps a token string.
    pub fn new(token: impl Into<String>) -> Self {
        Self(SecretString::from(token.into()))
    }

    /// The token itself, for storing it (e.g. a refreshed token handed to a callback).
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// The `Authorization` header value for this token.
    pub(crate) fn header_value(&self) -> Result<reqwest::header::HeaderValue, InvalidToken> {
        let mut value =
            reqwest::header::HeaderValue::try_from(format!("Bearer {}", self.0.expose_secret()))
                .map_err(|_| InvalidToken)?;
        value.set_sensitive(true);
        Ok(value)
    }

    fn same_as(&self, other: &Token) -> bool {
        self.expose() == other.expose()
    }
}

/// The token holds characters an HTTP header cannot carry (the token itself is not shown).
#[derive(Debug)]
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

/// Tokens that a refresh produced, handed to [`OAuthRefresher::on_refresh`].
///
/// HighLevel rotates refresh tokens: the old one stops working once used, so store
/// `refresh_token` before the next refresh is due.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RefreshedTokens {
    /// The new access token.
    pub access_token: Token,
    /// The new refresh token.
    pub refresh_token: Token,
    /// How long the access token is valid, as the server said.
    pub expires_in: Duration,
}

type RefreshCallback = Arc<dyn Fn(&RefreshedTokens) + Send + Sync>;

/// A [`TokenSource`] for OAuth apps: it refreshes the sub-account's access token with the
/// refresh token (`POST /oauth/token`, `grant_type=refresh_token`) shortly before it expires,
/// and once more when the API rejects it with a 401.
///
/// Concurrent calls that find the token expired wait for one refresh and share its result.
/// Each refresh yields a new refresh token (HighLevel rotates them), handed to
/// [`on_refresh`](Self::on_refresh) so that it can be stored.
///
/// ```no_run
/// use highlevel_social_planner::{Client, OAuthRefresher};
///
/// let refresher = OAuthRefresher::new("client-id", "client-secret", "stored-refresh-token")
///     .on_refresh(|tokens| {
///         // Persist tokens.refresh_token.expose() for the next start.
///         let _ = tokens;
///     });
/// let client = Client::builder_with_source(refresher).build()?;
/// # Ok::<(), highlevel_social_planner::Error>(())
/// ```
#[derive(Clone)]
pub struct OAuthRefresher {
    inner: Arc<Refresher>,
}

struct Refresher {
    client_id: String,
    client_secret: SecretString,
    token_url: String,
    user_type: Option<String>,
    margin: Duration,
    http: reqwest::Client,
    on_refresh: Option<RefreshCallback>,
    /// Held across a refresh, so that concurrent callers wait for it instead of starting
    /// their own (which would also burn the rotating refresh token).
    state: tokio::sync::Mutex<RefreshState>,
}

struct RefreshState {
    access: Option<(Token, Instant)>,
    refresh_token: Token,
    refreshes: u64,
}

impl OAuthRefresher {
    /// A refresher for the app `client_id`/`client_secret` holding `refresh_token`. It has no
    /// access token yet: the first call refreshes (or see [`access_token`](Self::access_token)).
    pub fn new(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        refresh_token: impl Into<Token>,
    ) -> Self {
        Self {
            inner: Arc::new(Refresher {
                client_id: client_id.into(),
                client_secret: SecretString::from(client_secret.into()),
                token_url: format!("{}/oauth/token", crate::DEFAULT_BASE_URL),
                user_type: None,
                margin: Duration::from_secs(300),
                http: reqwest::Client::new(),
                on_refresh: None,
                state: tokio::sync::Mutex::new(RefreshState {
                    access: None,
                    refresh_token: refresh_token.into(),
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
        self.configure(|r| {
            r.state.get_mut().access = Some((token, Instant::now() + valid_for));
        })
    }

    /// The token endpoint (default `https://services.leadconnectorhq.com/oauth/token`).
    #[must_use]
    pub fn token_url(self, url: impl Into<String>) -> Self {
        let url = url.into();
        self.configure(|r| r.token_url = url)
    }

    /// The `user_type` sent with a refresh: `Location` or `Company` (default: not sent).
    #[must_use]
    pub fn user_type(self, user_type: impl Into<String>) -> Self {
        let user_type = user_type.into();
        self.configure(|r| r.user_type = Some(user_type))
    }

    /// How long before expiry the token is refreshed (default 5 minutes).
    #[must_use]
    pub fn refresh_margin(self, margin: Duration) -> Self {
        self.configure(|r| r.margin = margin)
    }

    /// The HTTP client for the token endpoint (default: a new one).
    #[must_use]
    pub fn http_client(self, http: reqwest::Client) -> Self {
        self.configure(|r| r.http = http)
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
            .finish_non_exhaustive()
    }
}

impl TokenSource for OAuthRefresher {
    fn token(&self) -> BoxFuture<'_, Result<Token, BoxError>> {
        Box::pin(async move {
            let mut state = self.inner.state.lock().await;
            if let Some((token, expires)) = &state.access
                && Instant::now() + self.inner.margin < *expires
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
    Transport(#[source] reqwest::Error),
    #[error("the token endpoint answered {status}: {body}")]
    Refused {
        status: reqwest::StatusCode,
        body: String,
    },
    #[error("the token endpoint's answer is not a token response: {0}")]
    Malformed(String),
}

impl Refresher {
    async fn refresh(&self, state: &mut RefreshState) -> Result<Token, BoxError> {
        let mut form = vec![
            ("grant_type", "refresh_token"),
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.client_secret.expose_secret()),
            ("refresh_token", state.refresh_token.expose()),
        ];
        if let Some(user_type) = &self.user_type {
            form.push(("user_type", user_type));
        }
        let body = serde_urlencoded::to_string(&form)
            .map_err(|e| RefreshError::Malformed(e.to_string()))?;
        let response = self
            .http
            .post(&self.token_url)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .header(reqwest::header::ACCEPT, "application/json")
            .body(body)
            .send()
            .await
            // The URL is ours and the body is not part of reqwest's error text.
            .map_err(|e| RefreshError::Transport(e.without_url()))?;
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| RefreshError::Transport(e.without_url()))?;
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
        let expires_in = Duration::from_secs(answer.expires_in.unwrap_or(86_399));
        state.access = Some((access_token.clone(), Instant::now() + expires_in));
        if let Some(rotated) = answer.refresh_token {
            state.refresh_token = Token::new(rotated);
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
        let refresher = OAuthRefresher::new("app", "very-secret", "refresh-secret")
            .access_token("access-secret", Duration::from_secs(60));
        let text = format!("{refresher:?}");
        assert!(!text.contains("secret"), "{text}");
        assert!(text.contains("app"), "{text}");
    }
}

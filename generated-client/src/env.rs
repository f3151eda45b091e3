//! The environment variables [`Client::from_env`] reads: HighLevel's credentials, for services
//! and scripts configured the twelve-factor way. Hand-written: the names are this crate's, not
//! the spec's.

use std::env::VarError;

use crate::{Client, ClientBuilder, Error, OAuthRefresher};

/// A Private Integration Token or a sub-account's OAuth access token.
pub const TOKEN: &str = "HIGHLEVEL_TOKEN";
/// Another server than HighLevel's (a mock, say); the OAuth token endpoint is then under it.
pub const BASE_URL: &str = "HIGHLEVEL_BASE_URL";
/// The OAuth app's client id, for a client that refreshes its token.
pub const CLIENT_ID: &str = "HIGHLEVEL_CLIENT_ID";
/// The OAuth app's client secret.
pub const CLIENT_SECRET: &str = "HIGHLEVEL_CLIENT_SECRET";
/// The sub-account's refresh token.
pub const REFRESH_TOKEN: &str = "HIGHLEVEL_REFRESH_TOKEN";

/// What a lookup found for one variable: a value, nothing, or something that is not text.
type Lookup<'f> = &'f dyn Fn(&str) -> Result<Option<String>, String>;

impl Client {
    /// A client from the environment: `HIGHLEVEL_TOKEN` (a Private Integration Token or an
    /// access token), or, for an OAuth app whose token is refreshed, `HIGHLEVEL_CLIENT_ID`,
    /// `HIGHLEVEL_CLIENT_SECRET` and `HIGHLEVEL_REFRESH_TOKEN`; and optionally
    /// `HIGHLEVEL_BASE_URL`. The token wins when both are given.
    ///
    /// HighLevel rotates refresh tokens: after the first refresh, the one in the environment
    /// no longer works. A process that lives past a refresh and must survive a restart should
    /// store the new one: [`oauth_refresher_from_env`](Self::oauth_refresher_from_env) with
    /// `on_refresh`.
    ///
    /// ```no_run
    /// # fn run() -> Result<(), highlevel_social_planner::Error> {
    /// let client = highlevel_social_planner::Client::from_env()?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::Config`] naming the variable that is missing, empty or not Unicode (never a
    /// value), or as [`ClientBuilder::build`].
    pub fn from_env() -> Result<Self, Error> {
        Self::builder_from_env()?.build()
    }

    /// A builder set up as [`from_env`](Self::from_env) says, for more settings.
    ///
    /// # Errors
    /// [`Error::Config`] naming the variable that is missing, empty or not Unicode.
    pub fn builder_from_env() -> Result<ClientBuilder, Error> {
        builder(&process_env)
    }

    /// The same from any source of variables, e.g. a map of settings: `lookup` returns the
    /// value of the variable it is given, or `None`.
    ///
    /// # Errors
    /// [`Error::Config`] naming the variable that is missing or empty.
    pub fn builder_from_vars(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<ClientBuilder, Error> {
        builder(&|name| Ok(lookup(name)))
    }

    /// The OAuth refresher of [`from_env`](Self::from_env), from `HIGHLEVEL_CLIENT_ID`,
    /// `HIGHLEVEL_CLIENT_SECRET`, `HIGHLEVEL_REFRESH_TOKEN` and `HIGHLEVEL_BASE_URL`, asking
    /// for sub-account (`Location`) tokens: add hooks, then pass it to
    /// [`builder_with_source`](Self::builder_with_source).
    ///
    /// # Errors
    /// [`Error::Config`] naming the variable that is missing, empty or not Unicode.
    pub fn oauth_refresher_from_env() -> Result<OAuthRefresher, Error> {
        refresher(&process_env)
    }
}

/// The process's environment, told apart: unset, or set to something that is not Unicode.
fn process_env(name: &str) -> Result<Option<String>, String> {
    match std::env::var(name) {
        Ok(value) => Ok(Some(value)),
        Err(VarError::NotPresent) => Ok(None),
        Err(VarError::NotUnicode(_)) => Err(format!("{name} is not valid Unicode")),
    }
}

fn builder(lookup: Lookup<'_>) -> Result<ClientBuilder, Error> {
    let mut builder = match optional(lookup, TOKEN)? {
        Some(token) => Client::builder(token),
        None if oauth_given(lookup)? => Client::builder_with_source(refresher(lookup)?),
        None => {
            return Err(Error::Config(format!(
                "{TOKEN} is not set: give a Private Integration Token or an access token, \
                 or {CLIENT_ID}, {CLIENT_SECRET} and {REFRESH_TOKEN} for an OAuth app"
            )));
        }
    };
    if let Some(base_url) = optional(lookup, BASE_URL)? {
        builder = builder.base_url(base_url);
    }
    Ok(builder)
}

fn refresher(lookup: Lookup<'_>) -> Result<OAuthRefresher, Error> {
    let refresher = Client::oauth_refresher(
        required(lookup, CLIENT_ID)?,
        required(lookup, CLIENT_SECRET)?,
        required(lookup, REFRESH_TOKEN)?,
    )
    .form_field("user_type", "Location");
    Ok(match optional(lookup, BASE_URL)? {
        Some(base_url) => {
            refresher.token_url(format!("{}/oauth/token", base_url.trim_end_matches('/')))
        }
        None => refresher,
    })
}

/// Whether any variable of the OAuth app is given.
fn oauth_given(lookup: Lookup<'_>) -> Result<bool, Error> {
    for name in [CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN] {
        if optional(lookup, name)?.is_some() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The variable's value; an empty one is no value.
fn optional(lookup: Lookup<'_>, name: &str) -> Result<Option<String>, Error> {
    match lookup(name) {
        Ok(value) => Ok(value.filter(|value| !value.is_empty())),
        Err(problem) => Err(Error::Config(problem)),
    }
}

fn required(lookup: Lookup<'_>, name: &str) -> Result<String, Error> {
    optional(lookup, name)?.ok_or_else(|| Error::Config(format!("{name} is not set (or empty)")))
}

//! A typed, async client for the HighLevel (GoHighLevel) Social Planner API: the
//! `/social-media-posting/…` endpoints that connect social accounts to a sub-account
//! (location), schedule and edit its posts, import posts from CSV files, and read its
//! categories, tags and statistics.
//!
//! Every operation is a method of [`Client`] that takes its path parameters, its query or
//! body as a typed struct, and returns the typed response or an [`Error`]. The methods, types
//! and constants are generated from a curated OpenAPI spec; sending, retries, tokens, rate
//! limits and errors come from the runtime crate, `openapi-client-runtime`, whose types this
//! crate re-exports. Every request carries the bearer token and the `Version` header the API
//! requires. [`operation_index`] lists every operation by area with its method, endpoint and
//! the OAuth scopes it needs.
//!
//! # The first call
//!
//! ```toml
//! [dependencies]
//! highlevel-social-planner = "0.1"
//! tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
//! ```
//!
//! ```no_run
//! use highlevel_social_planner::{Client, Error};
//!
//! # async fn run() -> Result<(), Error> {
//! let client = Client::new("pit-…")?;
//! let listing = client.list_accounts("ve9EPM428h8vShlRW1KT").await?;
//! for account in listing.into_inner().results.and_then(|r| r.accounts).unwrap_or_default() {
//!     println!("{:?} {:?}", account.platform, account.name);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! A call returns a [`Response`]: the decoded body (it dereferences to it; `into_inner()`
//! takes it out) with the status, headers and [`RateLimit`] report. Request bodies and
//! queries are built with `new` (the required fields) and one chainable setter per optional
//! field; a file to upload is a [`FilePart`]. [`Client::builder`] sets the base URL (a mock
//! server, say), timeouts, retries and the rate limiter.
//!
//! # Authentication
//!
//! The API takes a bearer token, which needs the scopes each operation lists:
//!
//! - **A Private Integration Token** (made in the sub-account's settings), or an access token
//!   you got elsewhere: `Client::new(token)`. It does not expire on its own.
//! - **An OAuth app** (a marketplace app installed on the location): the access token lasts
//!   a day, and HighLevel rotates the refresh token on every refresh, so each refresh kills
//!   the one it used. [`Client::oauth_refresher`] makes an [`OAuthRefresher`] that refreshes
//!   before the token expires and once after a 401, shares one refresh among concurrent
//!   calls, and hands each new pair to your `on_refresh` hook to store before any call uses
//!   it:
//!
//! ```no_run
//! use highlevel_social_planner::Client;
//!
//! # async fn save(_: &str) -> std::io::Result<()> { Ok(()) }
//! # fn run() -> Result<(), highlevel_social_planner::Error> {
//! let refresher = Client::oauth_refresher("client-id", "client-secret", "stored-refresh-token")
//!     .form_field("user_type", "Location")
//!     .on_refresh(|tokens| async move {
//!         // The old refresh token no longer works: store the new one.
//!         if let Some(refresh_token) = &tokens.refresh_token {
//!             save(refresh_token.expose()).await?;
//!         }
//!         Ok(())
//!     });
//! let client = Client::builder_with_source(refresher).build()?;
//! # Ok(())
//! # }
//! ```
//!
//! Connecting a social account is a different OAuth flow, the platform's:
//! [`LocationClient::oauth_start_url`] gives the URL the user opens, and the platform's
//! `get_…`/`attach_…` (or `set_…`) methods list what the login gave access to and connect one
//! (see the `connect_instagram` example). Tokens and the client secret never appear in `Debug`
//! output, logs or errors.
//!
//! # Errors
//!
//! A failed call returns [`Error`]. [`Error::Api`] is a status the spec documents for the
//! operation, with its parsed body ([`ApiErrorBody`]); the other variants say what else went
//! wrong: an undocumented status ([`Error::UnexpectedStatus`]), the connection
//! ([`Error::Transport`]), a body that does not fit the spec ([`Error::Decode`], naming the
//! JSON path), the token ([`Error::Auth`]), the call's deadline ([`Error::Deadline`]), the
//! daily quota ([`Error::QuotaExhausted`]). `status()`, `trace_id()` (HighLevel's `traceId`,
//! for support), `rate_limit()` and `attempts()` read the facts of any of them.
//!
//! ```no_run
//! use highlevel_social_planner::{ApiErrorBody, Client, Error};
//!
//! # async fn run(client: Client) -> Result<(), Error> {
//! match client.get_post("ve9EPM428h8vShlRW1KT", "post-id").await {
//!     Ok(post) => println!("{:?}", post.into_inner()),
//!     Err(Error::Api { status, body: ApiErrorBody::UnprocessableEntity(body), .. }) => {
//!         eprintln!("{status}: {:?}", body.message);
//!     }
//!     Err(error) => eprintln!("{error} (trace id {:?})", error.trace_id()),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Retries, limits and deadlines
//!
//! - 429, 502, 503, 504, connection failures and timeouts are retried with exponential
//!   backoff and jitter, honouring `Retry-After` (3 retries by default; [`RetryPolicy`]).
//!   Reads, PUTs, DELETEs and the searches sent as POST are retried on all of them; other
//!   POSTs only when a retry cannot send them twice (a 429, or a connection that failed
//!   before anything was sent).
//! - Every response's `X-RateLimit-*` headers are read into a [`RateLimit`]
//!   (`client.rate_limit()`, or per location with `client.rate_limit_for(id)`).
//!   `ClientBuilder::rate_limiter(RATE_LIMIT_QUOTA)` keeps the process under HighLevel's
//!   burst limit of 100 requests per 10 s per location before the server refuses anything;
//!   a location whose daily quota is spent fails at once with [`Error::QuotaExhausted`].
//!   Several processes share one budget and one pair of tokens through Redis (the `redis`
//!   feature; see the `fleet` example).
//! - Each call has a deadline (120 s by default) covering the limiter, the token, every
//!   attempt and the waits; each attempt has a timeout (30 s) and a connect timeout (10 s).
//!   Response bodies are read up to a cap (32 MiB). Redirects are never followed.
//!
//! # Paging
//!
//! An operation paged by `skip`/`limit` (posts, categories, tags, CSV imports, the posts of
//! an import) also has a `…_pages` method yielding each page's response and a `…_stream`
//! method yielding every item, as a [`Stream`]; paging ends at the total the server reports,
//! or at an empty page.
//!
//! ```no_run
//! use futures_util::TryStreamExt;
//! use highlevel_social_planner::types::ListCategoriesQuery;
//!
//! # async fn run(client: highlevel_social_planner::Client) -> Result<(), highlevel_social_planner::Error> {
//! let query = ListCategoriesQuery::default().limit(50);
//! let categories: Vec<_> = client
//!     .list_categories_stream("ve9EPM428h8vShlRW1KT", &query)
//!     .try_collect()
//!     .await?;
//! # Ok(())
//! # }
//! ```
//!
//! # Features
//!
//! - `rustls-ring` (default), `rustls-aws-lc` (FIPS-capable; builds C) or `native-tls`
//!   (the platform's TLS; OpenSSL's development files on Linux) choose the TLS
//!   implementation. With `default-features = false`, enable one.
//! - `redis`: the rate-limit budget and the OAuth tokens shared by a fleet of processes, in
//!   Redis (the `redis` module). Off by default: without it no Redis crate is
//!   compiled.
//! - `date-time`: fields of `format: date-time` are [`DateTime`], a `String` by default and a
//!   `jiff::Timestamp` (RFC 3339 on the wire) with the feature. It changes field types, so
//!   turn it on in the binary, not in a library others combine.
//!
//! # Examples
//!
//! The repository's `generated-client/examples/` run against the API or a mock (each reads
//! its inputs from the environment, most the client with [`Client::from_env`], and says
//! which are missing): `list_accounts`, `schedule_post` (a post with an image),
//! `csv_import` (import posts from a CSV file and watch the import), `connect_instagram`
//! (start OAuth, list the pages, attach one), `posts_of_month` (page through a month's
//! posts), `worker` (a long-running worker with the refresher and the limiter, deciding on
//! errors with the `is_…` predicates) and `fleet` (many processes, one Redis).
//!
//! # What the spec tells the runtime
//! - Requests go to `https://services.leadconnectorhq.com` ([`DEFAULT_BASE_URL`]).
//! - Responses report HighLevel's limits in the `X-RateLimit-*` headers, read into
//!   [`RateLimit`]; [`RATE_LIMIT_QUOTA`] is the documented burst limit (100 requests per 10 s
//!   per location or company) and [`RATE_LIMIT_DAILY_QUOTA`] the daily one.
//! - [`Client::oauth_refresher`] refreshes a sub-account's access token at
//!   `https://services.leadconnectorhq.com/oauth/token`. HighLevel's token endpoint also takes
//!   the kind of token wanted: add `.form_field("user_type", "Location")` (or `"Company"`).
//! - Error bodies carry HighLevel's `traceId`, readable as `Error::trace_id()`.
//! - Each call is one `tracing` span named `highlevel.call`.
//!
//! # Types from other crates
//! Every type a public signature names is re-exported here: [`StatusCode`], [`HeaderMap`],
//! [`HeaderName`], [`HeaderValue`], [`Bytes`], [`Stream`], and [`tls`], the TLS crate whose
//! configuration [`TlsConfig`] is. No dependency on `http`, `bytes` or the TLS crate is needed
//! to name them.

#![deny(missing_docs)]

// Formatted by the generator (prettyplease), not rustfmt: `cargo xtask check` owns these files.
#[rustfmt::skip]
mod generated;

mod accounts;
pub mod env;

pub use generated::*;

/// The README's examples, compiled as doctests so that they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;

/// The crate README's example (what crates.io shows), compiled the same way.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct CrateReadmeDoctests;

/// The deprecated X (Twitter) operations warn where they are called. The compiler's
/// `deprecated` lint is what fails this block:
///
/// ```compile_fail
/// #![deny(deprecated)]
/// # async fn call(client: highlevel_social_planner::Client) {
/// let _ = client.get_twitter_profile("ve9EPM428h8vShlRW1KT", "w37swmmLbA02zgqKPpxITe").await;
/// # }
/// # fn main() {}
/// ```
///
/// and only that lint: the same call builds when the lint is allowed, and a current
/// operation builds under the same denial.
///
/// ```
/// #![deny(deprecated)]
/// # #[allow(deprecated)]
/// # async fn call(client: highlevel_social_planner::Client) {
/// let _ = client.get_twitter_profile("ve9EPM428h8vShlRW1KT", "w37swmmLbA02zgqKPpxITe").await;
/// # }
/// # async fn current(client: highlevel_social_planner::Client) {
/// let _ = client.get_tiktok_profile("ve9EPM428h8vShlRW1KT", "w37swmmLbA02zgqKPpxITe").await;
/// # }
/// # fn main() {}
/// ```
#[cfg(doctest)]
struct DeprecationDoctests;

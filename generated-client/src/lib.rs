//! A typed, async client for the HighLevel (GoHighLevel) Social Planner API.
//!
//! The operations, types and the API's profile are generated from the curated OpenAPI spec in
//! this repository (`spec/social-planner.yaml`) by `cargo xtask regen`; sending, retries,
//! tokens, rate limits and errors come from the runtime crate, `openapi-client-runtime`, whose
//! types this crate re-exports. Every request carries the bearer token and the `Version`
//! header that the API requires, so a call needs only its own arguments:
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
//! A failed call returns [`Error`]: a documented API error keeps the HTTP status and the
//! parsed body ([`ApiErrorBody`]); anything else says what went wrong and where.
//!
//! # What the spec tells the runtime
//! - Requests go to `https://services.leadconnectorhq.com` ([`DEFAULT_BASE_URL`]).
//! - Responses report HighLevel's limits in the `X-RateLimit-*` headers, read into
//!   [`RateLimit`]; [`RATE_LIMIT_QUOTA`] is the documented burst limit (100 requests per 10 s
//!   per location or company), which a client keeps to with
//!   `ClientBuilder::rate_limiter(RATE_LIMIT_QUOTA)`.
//! - [`Client::oauth_refresher`] refreshes a sub-account's access token at
//!   `https://services.leadconnectorhq.com/oauth/token`. HighLevel's token endpoint also takes
//!   the kind of token wanted: add `.form_field("user_type", "Location")` (or `"Company"`).
//! - Error bodies carry HighLevel's `traceId`, readable as `Error::trace_id()`.
//! - Each call is one `tracing` span named `highlevel.call`.
//!
//! # TLS
//! The features choose the TLS implementation: `rustls-ring` (the default), `rustls-aws-lc`
//! (FIPS-capable; builds C) or `native-tls`. With `default-features = false`, enable one.
//!
//! # Date-times
//! Fields of `format: date-time` are [`DateTime`]: a `String` by default, and a
//! `jiff::Timestamp` (RFC 3339 on the wire) with the `date-time` feature.
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

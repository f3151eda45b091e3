//! A typed, async client for the HighLevel (GoHighLevel) Social Planner API.
//!
//! The operations and types are generated from the curated OpenAPI spec in this repository
//! (`spec/social-planner.yaml`) by `cargo xtask regen`; the client, authentication and errors
//! are written by hand. Every request carries the bearer token and the `Version` header that
//! the API requires, so a call needs only its own arguments:
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

#![deny(missing_docs)]

mod auth;
mod client;
mod error;
// Formatted by the generator (prettyplease), not rustfmt: `cargo xtask check` owns these files.
#[rustfmt::skip]
mod generated;
mod multipart;
mod paging;
mod rate_limit;
mod response;
mod retry;

pub use auth::{BoxError, BoxFuture, OAuthRefresher, RefreshedTokens, Token, TokenSource};
/// Raw bytes, as binary bodies are sent and read.
pub use bytes::Bytes;
pub use client::{Client, ClientBuilder, ResponseInfo};
pub use error::Error;
/// The trait of what the `*_stream` methods return; iterate with `futures::StreamExt`.
pub use futures_core::Stream;
pub use generated::{API_VERSION, ApiErrorBody, DEFAULT_BASE_URL, types};
pub use multipart::FilePart;
pub use rate_limit::{RateLimit, RateLimiter};
/// HTTP status codes, as carried by [`Error`].
pub use reqwest::StatusCode;
/// HTTP headers, as seen by a [`ResponseInfo`] hook.
pub use reqwest::header::HeaderMap;
pub use response::{Response, ResponseMeta};
pub use retry::RetryPolicy;

/// The README's examples, compiled as doctests so that they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;

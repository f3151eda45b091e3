//! The runtime under the API clients that this repository's generator writes.
//!
//! A generated crate holds one API's operations and types, and a profile of the API's
//! specifics (its server, the headers it reports rate limits in, where it puts a trace id, its
//! OAuth token endpoint), all taken from its OpenAPI spec. Everything else is here, the same
//! for every API: sending requests, retries with backoff, bearer tokens and OAuth refreshes,
//! rate limits, typed errors and responses, multipart bodies and paging. The runtime names no
//! API's server, header or parameter.
//!
//! Users reach these types through the generated crate, which re-exports them. What generated
//! code calls lives in a hidden module, `codegen`, versioned with this crate.
//!
//! # TLS
//! Exactly one TLS implementation is compiled in, chosen by feature: `rustls-ring` (the
//! default), `rustls-aws-lc` (FIPS-capable, builds C) or `native-tls`. Without any, the crate
//! does not build.

#![deny(missing_docs)]

mod auth;
mod client;
#[doc(hidden)]
pub mod codegen;
mod error;
mod multipart;
mod operation;
mod paging;
mod profile;
mod rate_limit;
mod raw;
mod request;
mod response;
mod retry;
mod transport;
#[doc(hidden)]
pub mod vendor;

pub use auth::{
    BoxError, BoxFuture, Grant, OAuthEndpoint, OAuthRefresher, RefreshedTokens, Token, TokenSource,
};
/// Raw bytes, as binary bodies are sent and read.
pub use bytes::Bytes;
pub use client::{ClientBuilder, ResponseInfo};
pub use error::Error;
/// The trait of what the `*_stream` methods return; iterate with `futures::StreamExt`.
pub use futures_core::Stream;
/// HTTP status codes, as carried by [`Error`].
pub use http::StatusCode;
/// HTTP headers, as seen by a [`ResponseInfo`] hook.
pub use http::header::HeaderMap;
pub use multipart::FilePart;
pub use rate_limit::{Quota, RateLimit, RateLimiter};
pub use response::{Response, ResponseMeta};
pub use retry::RetryPolicy;
pub use transport::{TlsConfig, TransportError};

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// `--vendor-runtime` copies what `vendor::FILES` lists: a file missing from the list
    /// would make every vendored crate fail to build.
    #[test]
    fn the_vendor_list_names_every_file_of_the_crate() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut found = vec!["Cargo.toml".to_owned()];
        for entry in std::fs::read_dir(root.join("src")).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            found.push(format!("src/{name}"));
        }
        found.sort();
        let mut listed: Vec<String> = super::vendor::FILES
            .iter()
            .map(|f| (*f).to_owned())
            .collect();
        listed.sort();
        assert_eq!(found, listed, "update runtime/src/vendor.rs");
    }
}

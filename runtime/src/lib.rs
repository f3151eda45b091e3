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
mod boxed;
mod client;
#[doc(hidden)]
pub mod codegen;
mod error;
mod multipart;
mod operation;
mod paging;
mod profile;
mod query;
mod rate_limit;
mod raw;
#[cfg(feature = "redis")]
pub mod redis;
mod request;
mod response;
mod retry;
mod transport;
mod unknown;
#[doc(hidden)]
pub mod vendor;

pub use auth::{Grant, OAuthEndpoint, OAuthRefresher, RefreshedTokens, Token, TokenSource};
pub use boxed::{BoxError, BoxFuture};
/// Raw bytes, as binary bodies are sent and read.
pub use bytes::Bytes;
pub use client::{ClientBuilder, ResponseInfo};
pub use error::Error;
/// The trait of what the `*_pages` and `*_stream` methods return; iterate with `futures::StreamExt`.
pub use futures_core::Stream;
/// HTTP status codes, as carried by [`Error`].
pub use http::StatusCode;
/// HTTP headers, as seen by a [`ResponseInfo`] hook.
pub use http::header::HeaderMap;
/// A header's name and value, as a [`HeaderMap`] holds them.
pub use http::header::{HeaderName, HeaderValue};
pub use multipart::{FilePart, FormParts};

/// What a field of `format: date-time` holds: with the `date-time` feature, a
/// [`jiff::Timestamp`], read from and written as RFC 3339 (`2024-03-14T11:03:37.015Z`) and
/// compared as an instant; without it, the text as the server sent it.
#[cfg(feature = "date-time")]
pub type DateTime = jiff::Timestamp;
/// What a field of `format: date-time` holds: with the `date-time` feature, a
/// `jiff::Timestamp`, read from and written as RFC 3339 (`2024-03-14T11:03:37.015Z`) and
/// compared as an instant; without it, the text as the server sent it.
#[cfg(not(feature = "date-time"))]
pub type DateTime = String;
/// The date-time crate, with the `date-time` feature, so that a caller names its types
/// (spans, zones, formatting) without depending on it.
#[cfg(feature = "date-time")]
pub use jiff;
/// The TLS crate whose configuration [`TlsConfig`] is (`native_tls` with the `native-tls`
/// feature, else `rustls`), so that a caller builds one without depending on it.
#[cfg(feature = "native-tls")]
pub use native_tls as tls;
pub use paging::{MAX_PAGES, PagingError};
pub use rate_limit::{IntoLimiter, Limiter, Quota, RateLimit, RateLimiter};
pub use response::{Response, ResponseMeta};
pub use retry::RetryPolicy;
/// The TLS crate whose configuration [`TlsConfig`] is (`native_tls` with the `native-tls`
/// feature, else `rustls`), so that a caller builds one without depending on it.
#[cfg(not(feature = "native-tls"))]
pub use rustls as tls;
pub use transport::{TlsConfig, TransportError};
pub use unknown::UnknownValue;

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// `--vendor-runtime` copies what `vendor::FILES` lists: a file missing from the list
    /// would make every vendored crate fail to build.
    #[test]
    fn the_vendor_list_names_every_file_of_the_crate() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        // The manifest, the licenses a copy must carry, and the README the manifest names.
        let mut found: Vec<String> = ["Cargo.toml", "LICENSE-APACHE", "LICENSE-MIT", "README.md"]
            .into_iter()
            .filter(|file| root.join(file).exists())
            .map(str::to_owned)
            .collect();
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

    /// Dependent crates pass these features on: each must be a feature of this crate, and the
    /// default must be the manifest's default.
    #[test]
    fn the_tls_features_are_the_manifests() {
        let manifest =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
                .unwrap();
        for feature in super::vendor::TLS_FEATURES {
            assert!(
                manifest
                    .lines()
                    .any(|l| l.starts_with(&format!("{feature} = ["))),
                "`{feature}` is not a feature of runtime/Cargo.toml"
            );
        }
        let default = format!("default = [\"{}\"]", super::vendor::DEFAULT_TLS_FEATURE);
        assert!(manifest.lines().any(|l| l == default), "{default}");
    }

    /// The modules depend on each other one way only (`client` at the top, `operation` and
    /// `boxed` at the bottom), read from the `crate::module` paths of each file; tests, and
    /// the `$crate::` paths of macros (which generated code expands), are left out.
    #[test]
    fn the_modules_have_no_cycles() {
        use std::collections::BTreeMap;

        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let modules: Vec<String> = std::fs::read_dir(&src)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter_map(|name| name.strip_suffix(".rs").map(str::to_owned))
            .filter(|name| name != "lib")
            .collect();
        let mut uses: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for module in &modules {
            let text = std::fs::read_to_string(src.join(format!("{module}.rs"))).unwrap();
            let code = text
                .split("#[cfg(test)]")
                .next()
                .unwrap_or_default()
                .replace("$crate::", "");
            let used = modules
                .iter()
                .filter(|other| *other != module && code.contains(&format!("crate::{other}")))
                .cloned()
                .collect();
            uses.insert(module.clone(), used);
        }
        // Take away the modules that use none of the others left; what remains is a cycle.
        while let Some(leaf) = uses
            .iter()
            .find(|(_, used)| used.iter().all(|u| !uses.contains_key(u)))
            .map(|(module, _)| module.clone())
        {
            uses.remove(&leaf);
        }
        assert!(uses.is_empty(), "modules in a cycle: {uses:?}");
    }
}

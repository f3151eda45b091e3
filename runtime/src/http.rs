//! The HTTP client underneath: one set-up, with the TLS implementation the crate's features
//! choose, for API calls and token refreshes alike.

use std::time::Duration;

use crate::auth::BoxError;

#[cfg(not(any(
    feature = "rustls-ring",
    feature = "rustls-aws-lc",
    feature = "native-tls"
)))]
compile_error!(
    "openapi-client-runtime needs a TLS implementation to reach HTTPS APIs: enable one of the \
     features `rustls-ring` (the default), `rustls-aws-lc` or `native-tls`"
);

/// A `reqwest` builder that uses this crate's TLS choice, for callers who hand their own
/// client to [`ClientBuilder::http_client`](crate::ClientBuilder::http_client) (to add a proxy
/// or root certificates, say).
///
/// The TLS implementation follows the crate's features: `native-tls` if enabled, else rustls
/// with `aws-lc-rs` if `rustls-aws-lc` is enabled, else rustls with `ring` (the default).
///
/// # Errors
/// When TLS cannot be set up, e.g. rustls finds no root certificate in the system's store.
pub fn http_client_builder() -> Result<reqwest::ClientBuilder, BoxError> {
    with_tls(reqwest::Client::builder())
}

/// The client the runtime makes when it is given none.
pub(crate) fn http_client(
    user_agent: &str,
    connect_timeout: Duration,
    timeout: Option<Duration>,
) -> Result<reqwest::Client, BoxError> {
    let builder = http_client_builder()?
        .user_agent(user_agent)
        .connect_timeout(connect_timeout);
    let builder = match timeout {
        Some(timeout) => builder.timeout(timeout),
        None => builder,
    };
    Ok(builder.build()?)
}

#[cfg(feature = "native-tls")]
fn with_tls(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, BoxError> {
    Ok(builder.tls_backend_native())
}

#[cfg(all(feature = "rustls-aws-lc", not(feature = "native-tls")))]
fn with_tls(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, BoxError> {
    Ok(builder.tls_backend_rustls())
}

/// rustls on `ring`, verified by the platform's certificate store. `reqwest` is built without
/// a rustls provider of its own (that would be aws-lc), so the configuration is made here.
#[cfg(all(
    feature = "rustls-ring",
    not(any(feature = "rustls-aws-lc", feature = "native-tls"))
))]
fn with_tls(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, BoxError> {
    use std::sync::Arc;

    use rustls_platform_verifier::BuilderVerifierExt;

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_platform_verifier()?
        .with_no_client_auth();
    Ok(builder.tls_backend_preconfigured(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chosen_tls_sets_up_a_client() {
        http_client(
            "test/1",
            Duration::from_secs(1),
            Some(Duration::from_secs(1)),
        )
        .expect("a client with this feature set's TLS");
    }
}

//! The HTTP client underneath: hyper's connection pool over TCP, with the TLS implementation
//! the crate's features choose, for API calls and token refreshes alike.
//!
//! It sends a request and hands back the response as it arrived: redirects are never followed
//! (an API answering 3xx is answering, and a redirect is how a credential would reach another
//! host), and nothing is decompressed or rewritten.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::header::{HeaderValue, USER_AGENT};
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::{Body as _, Incoming};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use crate::boxed::BoxError;

#[cfg(not(any(
    feature = "rustls-ring",
    feature = "rustls-aws-lc",
    feature = "native-tls"
)))]
compile_error!(
    "openapi-client-runtime needs a TLS implementation to reach HTTPS APIs: enable one of the \
     features `rustls-ring` (the default), `rustls-aws-lc` or `native-tls`"
);

/// The TLS implementation in use: `native-tls` if enabled, else rustls with `aws-lc-rs` if
/// `rustls-aws-lc` is enabled, else rustls with `ring`.
#[cfg(feature = "native-tls")]
type Connector = hyper_tls::HttpsConnector<HttpConnector>;
#[cfg(not(feature = "native-tls"))]
type Connector = hyper_rustls::HttpsConnector<HttpConnector>;

/// A TLS configuration of the caller's, for [`ClientBuilder::tls`](crate::ClientBuilder::tls):
/// their own root certificates or client certificate, say. Its type follows the TLS feature.
#[cfg(feature = "native-tls")]
pub type TlsConfig = native_tls::TlsConnector;

/// A TLS configuration of the caller's, for [`ClientBuilder::tls`](crate::ClientBuilder::tls):
/// their own root certificates or client certificate, say. Its type follows the TLS feature
/// (with `rustls-ring` or `rustls-aws-lc`, a rustls configuration; its crypto provider must be
/// the feature's).
#[cfg(not(feature = "native-tls"))]
pub type TlsConfig = rustls::ClientConfig;

/// One pool of connections and what every request through it carries.
#[derive(Clone)]
pub(crate) struct Http {
    client: Client<Connector, Full<Bytes>>,
    user_agent: HeaderValue,
}

impl fmt::Debug for Http {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Http")
            .field("user_agent", &self.user_agent)
            .finish_non_exhaustive()
    }
}

impl Http {
    /// A pool whose connections take at most `connect_timeout` to open, with the crate's TLS
    /// (or the caller's `tls`).
    pub(crate) fn new(
        user_agent: &str,
        connect_timeout: Duration,
        tls: Option<TlsConfig>,
    ) -> Result<Self, BoxError> {
        let mut tcp = HttpConnector::new();
        tcp.set_connect_timeout(Some(connect_timeout));
        // Requests are small and written at once: waiting to fill a packet only adds latency.
        tcp.set_nodelay(true);
        // The TLS layer decides between http and https.
        tcp.enforce_http(false);
        let client = Client::builder(TokioExecutor::new()).build(with_tls(tcp, tls)?);
        Ok(Self {
            client,
            user_agent: HeaderValue::try_from(user_agent)?,
        })
    }

    /// Sends `request` and returns the response once its head has arrived.
    pub(crate) async fn send(
        &self,
        mut request: http::Request<Full<Bytes>>,
    ) -> Result<http::Response<Incoming>, TransportError> {
        request
            .headers_mut()
            .insert(USER_AGENT, self.user_agent.clone());
        self.client.request(request).await.map_err(|e| {
            let kind = if e.is_connect() {
                Kind::Connect
            } else {
                Kind::Exchange
            };
            TransportError::new(kind, e)
        })
    }
}

/// How much of a small answer (a token endpoint's) is read.
const SMALL_BODY: u64 = 1 << 20;

/// Reads a small response body, such as a token endpoint's, to its end; one over 1 MiB is an
/// error.
pub(crate) async fn read_body(body: Incoming) -> Result<Bytes, TransportError> {
    match read_body_within(body, SMALL_BODY).await? {
        Body::Whole(bytes) => Ok(bytes),
        Body::TooLarge => Err(TransportError {
            kind: Kind::Body,
            source: Some(format!("the body is larger than {SMALL_BODY} bytes").into()),
        }),
    }
}

/// A response body read as far as the client accepts.
pub(crate) enum Body {
    /// The whole body.
    Whole(Bytes),
    /// The body is longer than the limit; reading stopped there.
    TooLarge,
}

/// Reads a body to its end, as a stream, keeping at most `limit` bytes: a server that sends
/// without end costs no more memory than that. A declared length over the limit is refused
/// before anything is read.
pub(crate) async fn read_body_within(body: Incoming, limit: u64) -> Result<Body, TransportError> {
    if body.size_hint().lower() > limit {
        return Ok(Body::TooLarge);
    }
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(Body::Whole(collected.to_bytes())),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => Ok(Body::TooLarge),
        Err(e) => Err(TransportError {
            kind: Kind::Body,
            source: Some(e),
        }),
    }
}

#[cfg(feature = "native-tls")]
fn with_tls(tcp: HttpConnector, tls: Option<TlsConfig>) -> Result<Connector, BoxError> {
    let tls = match tls {
        Some(tls) => tls,
        None => native_tls::TlsConnector::new()?,
    };
    Ok(hyper_tls::HttpsConnector::from((
        tcp,
        tokio_native_tls::TlsConnector::from(tls),
    )))
}

#[cfg(not(feature = "native-tls"))]
fn with_tls(tcp: HttpConnector, tls: Option<TlsConfig>) -> Result<Connector, BoxError> {
    let config = match tls {
        Some(config) => config,
        None => default_rustls()?,
    };
    Ok(hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(config)
        .https_or_http()
        .enable_http1()
        .wrap_connector(tcp))
}

/// rustls on the feature's crypto provider, verified by the platform's certificate store.
#[cfg(not(feature = "native-tls"))]
fn default_rustls() -> Result<rustls::ClientConfig, BoxError> {
    use std::sync::Arc;

    use rustls_platform_verifier::BuilderVerifierExt;

    #[cfg(feature = "rustls-aws-lc")]
    let provider = rustls::crypto::aws_lc_rs::default_provider();
    #[cfg(not(feature = "rustls-aws-lc"))]
    let provider = rustls::crypto::ring::default_provider();
    Ok(
        rustls::ClientConfig::builder_with_provider(Arc::new(provider))
            .with_safe_default_protocol_versions()?
            .with_platform_verifier()?
            .with_no_client_auth(),
    )
}

/// Why an exchange with the server failed, before a whole response was in.
///
/// It never holds the request: no URL, header or body, so no credential.
#[derive(Debug)]
pub struct TransportError {
    kind: Kind,
    source: Option<BoxError>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// No connection could be made: the request was never sent.
    Connect,
    /// The request or the response head failed on an open connection.
    Exchange,
    /// The response body was cut off or broken.
    Body,
    /// No complete response came within the time allowed.
    Timeout(Duration),
}

impl TransportError {
    fn new(kind: Kind, source: impl Into<BoxError>) -> Self {
        Self {
            kind,
            source: Some(source.into()),
        }
    }

    pub(crate) fn timeout(after: Duration) -> Self {
        Self {
            kind: Kind::Timeout(after),
            source: None,
        }
    }

    /// Whether no complete response came within the time allowed.
    pub fn is_timeout(&self) -> bool {
        matches!(self.kind, Kind::Timeout(_))
    }

    /// Whether no connection could be made, so that the request was never sent.
    pub fn is_connect(&self) -> bool {
        self.kind == Kind::Connect
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            Kind::Connect => f.write_str("no connection could be made"),
            Kind::Exchange => f.write_str("the connection failed during the exchange"),
            Kind::Body => f.write_str("the response body could not be read to its end"),
            Kind::Timeout(after) => write!(f, "no complete response within {after:?}"),
        }
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chosen_tls_sets_up_a_client() {
        Http::new("test/1", Duration::from_secs(1), None).expect("a pool with this feature's TLS");
    }

    #[tokio::test]
    async fn a_refused_connection_is_a_connect_error() {
        let http = Http::new("test/1", Duration::from_secs(1), None).unwrap();
        let request = http::Request::get("http://127.0.0.1:1/")
            .body(Full::default())
            .unwrap();
        let error = http.send(request).await.unwrap_err();
        assert!(error.is_connect(), "{error:?}");
        assert!(!error.is_timeout());
    }
}

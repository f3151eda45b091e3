//! What a generated crate tells the runtime about its API: the facts that differ from one API
//! to the next, as data. The runtime itself names no API's server, header or parameter.
//!
//! A generated crate builds its `Profile` in a `static` from its spec (`servers`,
//! `securitySchemes` and the `x-…` extensions its README documents) and hands it over with
//! every client it builds.

use crate::operation::Operation;

/// One API's specifics, built by `const fn`s so that a generated crate keeps it in a `static`.
#[derive(Debug, Clone, Copy)]
pub struct Profile {
    pub(crate) base_url: Option<&'static str>,
    pub(crate) user_agent: &'static str,
    pub(crate) credential: Credential,
    pub(crate) rate_limit_headers: Option<RateLimitHeaders>,
    pub(crate) trace_id: Option<TraceIdSource>,
    pub(crate) span: fn(&Operation) -> tracing::Span,
}

impl Profile {
    /// A profile with no server, no rate-limit headers, no trace id and the default span
    /// (`api.call`); `user_agent` is sent with every request.
    pub const fn new(user_agent: &'static str) -> Self {
        Self {
            base_url: None,
            user_agent,
            credential: Credential::Bearer,
            rate_limit_headers: None,
            trace_id: None,
            span: crate::operation::default_span,
        }
    }

    /// The server requests go to unless the client is given another (the spec's `servers`).
    pub const fn base_url(self, base_url: &'static str) -> Self {
        Self {
            base_url: Some(base_url),
            ..self
        }
    }

    /// The headers in which the server reports its rate limits.
    pub const fn rate_limit_headers(self, headers: RateLimitHeaders) -> Self {
        Self {
            rate_limit_headers: Some(headers),
            ..self
        }
    }

    /// Where a response carries the server's id of the request.
    pub const fn trace_id(self, source: TraceIdSource) -> Self {
        Self {
            trace_id: Some(source),
            ..self
        }
    }

    /// Where an authenticated request carries its token (default: `Authorization: Bearer`).
    pub const fn credential(self, credential: Credential) -> Self {
        Self { credential, ..self }
    }

    /// The function that opens each call's tracing span; generated code makes one with
    /// `operation_span!`, which gives it the runtime's fields.
    pub const fn span(self, span: fn(&Operation) -> tracing::Span) -> Self {
        Self { span, ..self }
    }
}

/// Where an authenticated request carries the client's token: what the spec's security
/// scheme says. Names are the spec's; the generator checks that they are valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credential {
    /// `Authorization: Bearer <token>`: HTTP bearer, OAuth 2.0 and OpenID Connect.
    Bearer,
    /// The token alone, in this request header (an `apiKey` scheme `in: header`).
    Header(&'static str),
    /// The token as this query parameter (`in: query`). The URL then holds a secret, which
    /// is why the client keeps URLs out of its errors and logs.
    Query(&'static str),
    /// The token as this cookie (`in: cookie`).
    Cookie(&'static str),
}

/// The names of the response headers that report a rate limit. Names are lowercase; a header
/// the API does not send is `None`. Build one with struct-update syntax from [`Self::NONE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitHeaders {
    /// Requests allowed per window.
    pub limit: Option<&'static str>,
    /// Requests left in the current window.
    pub remaining: Option<&'static str>,
    /// The length of the window, in the given unit.
    pub window: Option<(&'static str, TimeUnit)>,
    /// When the current window ends.
    pub reset: Option<(&'static str, Reset)>,
    /// Requests allowed per day.
    pub daily_limit: Option<&'static str>,
    /// Requests left today.
    pub daily_remaining: Option<&'static str>,
}

impl RateLimitHeaders {
    /// No header: the starting point for struct-update syntax.
    pub const NONE: Self = Self {
        limit: None,
        remaining: None,
        window: None,
        reset: None,
        daily_limit: None,
        daily_remaining: None,
    };
}

/// The unit of a header that holds a duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    /// Whole seconds.
    Seconds,
    /// Whole milliseconds.
    Milliseconds,
}

/// How a reset header says when the window ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reset {
    /// A number of seconds from now.
    DeltaSeconds,
    /// A Unix time in seconds.
    UnixSeconds,
}

/// Where a response carries the server's id of the request, for support requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TraceIdSource {
    /// A string field at the top level of a JSON body; read first.
    pub body_field: Option<&'static str>,
    /// Response headers that carry it, in the order they are tried (lowercase).
    pub headers: &'static [&'static str],
}

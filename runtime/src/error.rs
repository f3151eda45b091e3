//! The error every call returns, generic over the bodies an API documents for its errors.

use http::StatusCode;

use crate::boxed::BoxError;
use crate::paging::{PagingError, PagingFailure};
use crate::rate_limit::RateLimit;
use crate::response::ResponseMeta;
use crate::transport::TransportError;

/// Why a call failed. `E` is the API's documented error body: a generated crate names it
/// (`type Error = Error<ApiErrorBody>`).
///
/// Each variant names the operation (its operationId) so that a log line says which call
/// failed, and says how many attempts were made when there were several. Variants that had a
/// response carry its [`ResponseMeta`] (headers, rate limits, trace id). None of them ever
/// contains the token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E> {
    /// The API answered with an error status that the spec documents, and its body parsed.
    #[error("{operation}: the API answered {status}{}: {body}", after(meta.attempts()))]
    Api {
        /// The operationId of the call.
        operation: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// The parsed error body.
        body: E,
        /// Headers, rate limits, trace id and attempts of the final response.
        meta: Box<ResponseMeta>,
    },
    /// The API answered with a status the spec does not document for this operation.
    #[error(
        "{operation}: the API answered with an undocumented status {status}{}",
        after(meta.attempts())
    )]
    UnexpectedStatus {
        /// The operationId of the call.
        operation: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// The response body, as text (invalid UTF-8 replaced).
        body: String,
        /// Headers, rate limits, trace id and attempts of the final response.
        meta: Box<ResponseMeta>,
    },
    /// The request could not be sent or the response could not be received: connection,
    /// TLS, timeout, or a connection closed before the body was complete.
    #[error("{operation}: the request failed{}", after(*attempts))]
    Transport {
        /// The operationId of the call.
        operation: &'static str,
        /// How many times the request was sent.
        attempts: u32,
        /// What went wrong.
        #[source]
        source: TransportError,
    },
    /// The response body did not fit the type the spec gives it.
    #[error("{operation}: the {status} response does not match the spec at `{path}`: {message}")]
    Decode {
        /// The operationId of the call.
        operation: &'static str,
        /// The HTTP status of the response.
        status: StatusCode,
        /// The JSON path of the value that did not fit, e.g. `results.accounts[0].platform`
        /// (`.` when the body as a whole is not JSON).
        path: String,
        /// What was wrong with it.
        message: String,
        /// The response body, as text (invalid UTF-8 replaced).
        body: String,
        /// Headers, rate limits, trace id and attempts of the response.
        meta: Box<ResponseMeta>,
    },
    /// No token could be had: the token source failed (e.g. the OAuth refresh was refused).
    #[error("{operation}: no token for the request: {source}")]
    Auth {
        /// The operationId of the call.
        operation: &'static str,
        /// What the token source reported (never a token).
        #[source]
        source: BoxError,
    },
    /// An argument could not be encoded into the request.
    #[error("{operation}: the request could not be encoded: {message}")]
    Encode {
        /// The operationId of the call.
        operation: &'static str,
        /// What could not be encoded.
        message: String,
    },
    /// A stream of pages (a `*_pages` or `*_stream` method) stopped on its own account: the
    /// server answered the same page for a new offset, or the stream reached the client's
    /// page cap. The pages and items before it were yielded.
    #[error("{operation}: paging stopped: {reason}")]
    Paging {
        /// The operationId of the paged call.
        operation: &'static str,
        /// Why the stream stopped.
        reason: PagingError,
    },
    /// The client was configured with something unusable.
    #[error("invalid client configuration: {0}")]
    Config(String),
}

/// " after N attempts" when a call was retried.
fn after(attempts: u32) -> String {
    if attempts > 1 {
        format!(" after {attempts} attempts")
    } else {
        String::new()
    }
}

impl<E> Error<E> {
    /// The HTTP status, when the API answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. } => Some(*status),
            Error::Transport { .. }
            | Error::Auth { .. }
            | Error::Encode { .. }
            | Error::Paging { .. }
            | Error::Config(_) => None,
        }
    }

    /// The parsed body of a documented API error.
    pub fn api_body(&self) -> Option<&E> {
        match self {
            Error::Api { body, .. } => Some(body),
            _ => None,
        }
    }

    /// Headers, rate limits, trace id and attempts of the response, when there was one.
    pub fn meta(&self) -> Option<&ResponseMeta> {
        match self {
            Error::Api { meta, .. }
            | Error::UnexpectedStatus { meta, .. }
            | Error::Decode { meta, .. } => Some(meta),
            _ => None,
        }
    }

    /// The rate-limit state the server reported with the failed response.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.meta().and_then(ResponseMeta::rate_limit)
    }

    /// The server's trace id of the failed response.
    pub fn trace_id(&self) -> Option<&str> {
        self.meta().and_then(ResponseMeta::trace_id)
    }

    /// How many times the request was sent (0 when it never was).
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Transport { attempts, .. } => *attempts,
            other => other.meta().map_or(0, ResponseMeta::attempts),
        }
    }

    /// Whether the call timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport { source, .. } if source.is_timeout())
    }

    /// The operationId of the failed call (`None` for a configuration error).
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::Api { operation, .. }
            | Error::UnexpectedStatus { operation, .. }
            | Error::Transport { operation, .. }
            | Error::Decode { operation, .. }
            | Error::Auth { operation, .. }
            | Error::Encode { operation, .. }
            | Error::Paging { operation, .. } => Some(operation),
            Error::Config(_) => None,
        }
    }
}

/// A failure of the runtime's own steps (transport, token, encoding, configuration), which
/// involve no error body: made into any API's [`Error`] by `?` in generated code.
#[derive(Debug)]
pub enum CallError {
    /// See [`Error::Transport`].
    Transport {
        /// The operationId of the call.
        operation: &'static str,
        /// How many times the request was sent.
        attempts: u32,
        /// What went wrong.
        source: TransportError,
    },
    /// See [`Error::Auth`].
    Auth {
        /// The operationId of the call.
        operation: &'static str,
        /// What the token source reported.
        source: BoxError,
    },
    /// See [`Error::Encode`].
    Encode {
        /// The operationId of the call.
        operation: &'static str,
        /// What could not be encoded.
        message: String,
    },
    /// See [`Error::Config`].
    Config(String),
}

impl<E> From<CallError> for Error<E> {
    fn from(error: CallError) -> Self {
        match error {
            CallError::Transport {
                operation,
                attempts,
                source,
            } => Error::Transport {
                operation,
                attempts,
                source,
            },
            CallError::Auth { operation, source } => Error::Auth { operation, source },
            CallError::Encode { operation, message } => Error::Encode { operation, message },
            CallError::Config(message) => Error::Config(message),
        }
    }
}

impl<E> From<PagingFailure> for Error<E> {
    fn from(failure: PagingFailure) -> Self {
        Error::Paging {
            operation: failure.operation,
            reason: failure.reason,
        }
    }
}

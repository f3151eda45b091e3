//! The error every call returns, generic over the bodies an API documents for its errors.

use std::fmt;
use std::time::Duration;

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
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The API answered with an error status that the spec documents, and its body parsed.
    Api {
        /// The operationId of the call.
        operation: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// The parsed error body (whole; `Display` shows the start of it).
        body: E,
        /// Headers, rate limits, trace id and attempts of the final response.
        meta: Box<ResponseMeta>,
    },
    /// The API answered with a status the spec does not document for this operation.
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
    Transport {
        /// The operationId of the call.
        operation: &'static str,
        /// How many times the request was sent.
        attempts: u32,
        /// What went wrong.
        source: TransportError,
    },
    /// The response body did not fit the type the spec gives it.
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
    Auth {
        /// The operationId of the call.
        operation: &'static str,
        /// What the token source reported (never a token).
        source: BoxError,
    },
    /// The call did not finish within its deadline, which covers waiting for the rate
    /// limiter, getting a token, every attempt and the waits between them.
    Deadline {
        /// The operationId of the call.
        operation: &'static str,
        /// The deadline.
        after: Duration,
        /// How many times the request was sent.
        attempts: u32,
    },
    /// The response body was larger than the client accepts; reading stopped at the limit.
    TooLarge {
        /// The operationId of the call.
        operation: &'static str,
        /// The limit, in bytes.
        limit: u64,
        /// Status, headers and attempts of the response.
        meta: Box<ResponseMeta>,
    },
    /// The client's rate limiter refused the call: a shared limiter could not reach its store
    /// and is set to fail rather than guess, or its budget for the day is spent.
    Limiter {
        /// The operationId of the call.
        operation: &'static str,
        /// What the limiter reported.
        source: BoxError,
    },
    /// The server reported that the daily quota for this call's rate-limit key is spent, so
    /// the call was not sent.
    QuotaExhausted {
        /// The operationId of the call.
        operation: &'static str,
        /// How long until the quota resets, when the server said.
        resets_in: Option<Duration>,
    },
    /// An argument could not be encoded into the request.
    Encode {
        /// The operationId of the call.
        operation: &'static str,
        /// What could not be encoded.
        message: String,
    },
    /// A stream of pages (a `*_pages` or `*_stream` method) stopped on its own account: the
    /// server answered the same page for a new offset, or the stream reached the client's
    /// page cap. The pages and items before it were yielded.
    Paging {
        /// The operationId of the paged call.
        operation: &'static str,
        /// Why the stream stopped.
        reason: PagingError,
    },
    /// The client was configured with something unusable.
    Config(String),
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api {
                operation,
                status,
                body,
                meta,
            } => write!(
                f,
                "{operation}: the API answered {status}{}: {}",
                after(meta.attempts()),
                excerpt(body)
            ),
            Error::UnexpectedStatus {
                operation,
                status,
                meta,
                ..
            } => write!(
                f,
                "{operation}: the API answered with an undocumented status {status}{}",
                after(meta.attempts())
            ),
            Error::Transport {
                operation,
                attempts,
                ..
            } => write!(f, "{operation}: the request failed{}", after(*attempts)),
            Error::Decode {
                operation,
                status,
                path,
                message,
                ..
            } => write!(
                f,
                "{operation}: the {status} response does not match the spec at `{path}`: \
                 {message}"
            ),
            Error::Auth { operation, source } => {
                write!(f, "{operation}: no token for the request: {source}")
            }
            Error::Limiter { operation, source } => {
                write!(
                    f,
                    "{operation}: the rate limiter refused the call: {source}"
                )
            }
            Error::Deadline {
                operation,
                after,
                attempts,
            } => write!(
                f,
                "{operation}: no answer within the deadline of {after:?}{}",
                after_attempts(*attempts)
            ),
            Error::TooLarge {
                operation,
                limit,
                meta,
            } => write!(
                f,
                "{operation}: the {} response is larger than the limit of {limit} bytes",
                meta.status()
            ),
            Error::QuotaExhausted {
                operation,
                resets_in,
            } => {
                write!(f, "{operation}: the daily request quota is spent")?;
                match resets_in {
                    Some(resets_in) => write!(f, "; it resets in {resets_in:?}"),
                    None => Ok(()),
                }
            }
            Error::Encode { operation, message } => {
                write!(
                    f,
                    "{operation}: the request could not be encoded: {message}"
                )
            }
            Error::Paging { operation, reason } => {
                write!(f, "{operation}: paging stopped: {reason}")
            }
            Error::Config(message) => write!(f, "invalid client configuration: {message}"),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            Error::Auth { source, .. } | Error::Limiter { source, .. } => Some(source.as_ref()),
            _ => None,
        }
    }
}

/// " after N attempts" when a call was retried.
fn after(attempts: u32) -> String {
    if attempts > 1 {
        format!(" after {attempts} attempts")
    } else {
        String::new()
    }
}

/// " after N attempts" whenever the request was sent.
fn after_attempts(attempts: u32) -> String {
    match attempts {
        0 => " (not sent)".to_owned(),
        1 => " after 1 attempt".to_owned(),
        n => format!(" after {n} attempts"),
    }
}

/// How much of an error body an error's `Display` shows: enough to recognise it in a log
/// line, never a whole page.
const EXCERPT: usize = 300;

/// The start of `body`'s text, cut at a character boundary, with `…` when cut.
fn excerpt(body: &impl fmt::Display) -> String {
    let text = body.to_string();
    match text.char_indices().nth(EXCERPT) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

impl<E> Error<E> {
    /// The HTTP status, when the API answered: of a documented error, an undocumented
    /// status, a body that did not decode or one that was too large. Match on it to handle a
    /// status without matching the variant and its body:
    /// `Some(StatusCode::CONFLICT) => …`.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. } => Some(*status),
            Error::TooLarge { meta, .. } => Some(meta.status()),
            Error::Transport { .. }
            | Error::Deadline { .. }
            | Error::QuotaExhausted { .. }
            | Error::Auth { .. }
            | Error::Limiter { .. }
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
            | Error::Decode { meta, .. }
            | Error::TooLarge { meta, .. } => Some(meta),
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
            Error::Transport { attempts, .. } | Error::Deadline { attempts, .. } => *attempts,
            other => other.meta().map_or(0, ResponseMeta::attempts),
        }
    }

    /// Whether the server refused the call for its rate limit (429), or the client did not
    /// send it because the server had reported the day's quota spent
    /// ([`Error::QuotaExhausted`]).
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(StatusCode::TOO_MANY_REQUESTS)
            || matches!(self, Error::QuotaExhausted { .. })
    }

    /// Whether the same call may succeed if tried again later: the failures the client's
    /// [`RetryPolicy`](crate::RetryPolicy) retries (429, 502, 503, 504, a transport failure),
    /// and a call that ran out of time. Returned to you once the policy gave up, or when it
    /// did not resend a request that may have reached the server (a POST).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { .. } | Error::Deadline { .. } => true,
            other => other
                .status()
                .is_some_and(crate::retry::is_transient_status),
        }
    }

    /// Whether the server refused the token (401), whatever body it sent. A token that could
    /// not be had at all is [`Error::Auth`].
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(StatusCode::UNAUTHORIZED)
    }

    /// Whether the server answered 404, documented or not.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// Whether the call timed out: one attempt, or the call's whole deadline.
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Transport { source, .. } => source.is_timeout(),
            Error::Deadline { .. } => true,
            _ => false,
        }
    }

    /// The operationId of the failed call (`None` for a configuration error).
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::Api { operation, .. }
            | Error::UnexpectedStatus { operation, .. }
            | Error::Transport { operation, .. }
            | Error::Decode { operation, .. }
            | Error::Deadline { operation, .. }
            | Error::TooLarge { operation, .. }
            | Error::QuotaExhausted { operation, .. }
            | Error::Auth { operation, .. }
            | Error::Limiter { operation, .. }
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
    /// See [`Error::Limiter`].
    Limiter {
        /// The operationId of the call.
        operation: &'static str,
        /// What the limiter reported.
        source: BoxError,
    },
    /// See [`Error::Deadline`].
    Deadline {
        /// The operationId of the call.
        operation: &'static str,
        /// The deadline.
        after: Duration,
        /// How many times the request was sent.
        attempts: u32,
    },
    /// See [`Error::TooLarge`].
    TooLarge {
        /// The operationId of the call.
        operation: &'static str,
        /// The limit, in bytes.
        limit: u64,
        /// Status, headers and attempts of the response.
        meta: Box<ResponseMeta>,
    },
    /// See [`Error::QuotaExhausted`].
    QuotaExhausted {
        /// The operationId of the call.
        operation: &'static str,
        /// How long until the quota resets, when the server said.
        resets_in: Option<Duration>,
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
            CallError::Limiter { operation, source } => Error::Limiter { operation, source },
            CallError::Encode { operation, message } => Error::Encode { operation, message },
            CallError::Deadline {
                operation,
                after,
                attempts,
            } => Error::Deadline {
                operation,
                after,
                attempts,
            },
            CallError::TooLarge {
                operation,
                limit,
                meta,
            } => Error::TooLarge {
                operation,
                limit,
                meta,
            },
            CallError::QuotaExhausted {
                operation,
                resets_in,
            } => Error::QuotaExhausted {
                operation,
                resets_in,
            },
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_predicates_of_errors_without_a_response() {
        let spent: Error<String> = Error::QuotaExhausted {
            operation: "op",
            resets_in: None,
        };
        assert!(spent.is_rate_limited());
        assert!(!spent.is_retryable(), "not before the quota resets");
        let late: Error<String> = Error::Deadline {
            operation: "op",
            after: Duration::from_secs(1),
            attempts: 2,
        };
        assert!(late.is_retryable() && !late.is_rate_limited());
        let broken: Error<String> = Error::Config("no".into());
        assert!(
            !broken.is_retryable()
                && !broken.is_unauthorized()
                && !broken.is_not_found()
                && broken.status().is_none()
        );
    }

    #[test]
    fn an_api_error_shows_the_start_of_its_body_and_keeps_all_of_it() {
        let long = format!("{{\"message\":\"{}\"}}", "é".repeat(10_000));
        let meta = ResponseMeta::new(
            StatusCode::BAD_REQUEST,
            Default::default(),
            &bytes::Bytes::new(),
            1,
            None,
            None,
        );
        let error = Error::Api {
            operation: "op",
            status: StatusCode::BAD_REQUEST,
            body: long.clone(),
            meta: Box::new(meta),
        };
        let text = error.to_string();
        assert!(text.ends_with('…'), "{text}");
        assert!(text.chars().count() < EXCERPT + 60, "{}", text.len());
        assert_eq!(error.api_body(), Some(&long), "the whole body stays");
    }
}

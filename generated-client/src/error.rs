//! The error every call returns.

use reqwest::StatusCode;

use crate::generated::ApiErrorBody;

/// Why a call failed.
///
/// Each variant names the operation (its operationId) so that a log line says which call
/// failed. None of them ever contains the token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error status that the spec documents, and its body parsed.
    #[error("{operation}: the API answered {status}: {body}")]
    Api {
        /// The operationId of the call.
        operation: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// The parsed error body.
        body: ApiErrorBody,
    },
    /// The API answered with a status the spec does not document for this operation.
    #[error("{operation}: the API answered with an undocumented status {status}")]
    UnexpectedStatus {
        /// The operationId of the call.
        operation: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// The response body, as text (invalid UTF-8 replaced).
        body: String,
    },
    /// The request could not be sent or the response could not be received.
    #[error("{operation}: the request failed")]
    Transport {
        /// The operationId of the call.
        operation: &'static str,
        /// What `reqwest` reported: connection, TLS, timeout or body error.
        #[source]
        source: reqwest::Error,
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
    },
    /// An argument could not be encoded into the request.
    #[error("{operation}: the request could not be encoded: {message}")]
    Encode {
        /// The operationId of the call.
        operation: &'static str,
        /// What could not be encoded.
        message: String,
    },
    /// The client was configured with something unusable.
    #[error("invalid client configuration: {0}")]
    Config(String),
}

impl Error {
    /// The HTTP status, when the API answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. } => Some(*status),
            Error::Transport { source, .. } => source.status(),
            Error::Encode { .. } | Error::Config(_) => None,
        }
    }

    /// The parsed body of a documented API error.
    pub fn api_body(&self) -> Option<&ApiErrorBody> {
        match self {
            Error::Api { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The operationId of the failed call (`None` for a configuration error).
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::Api { operation, .. }
            | Error::UnexpectedStatus { operation, .. }
            | Error::Transport { operation, .. }
            | Error::Decode { operation, .. }
            | Error::Encode { operation, .. } => Some(operation),
            Error::Config(_) => None,
        }
    }
}

//! Responses: the raw one the client receives, and the typed one a call returns.

use std::ops::Deref;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::generated::ApiErrorBody;

/// A successful call's decoded body, with the status and headers it came with.
///
/// It dereferences to the body, so fields read as `response.message`; take the body out with
/// [`into_inner`](Self::into_inner).
#[derive(Debug, Clone, PartialEq)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> Response<T> {
    /// The HTTP status (one of the operation's documented success statuses).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded body.
    pub fn into_inner(self) -> T {
        self.body
    }

    /// The decoded body and the headers.
    pub fn into_parts(self) -> (T, StatusCode, HeaderMap) {
        (self.body, self.status, self.headers)
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

/// The whole response: status, headers and body, read before any decoding.
#[derive(Debug)]
pub(crate) struct RawResponse {
    operation: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    body: bytes::Bytes,
}

impl RawResponse {
    pub fn new(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: bytes::Bytes,
    ) -> Self {
        Self {
            operation,
            status,
            headers,
            body,
        }
    }

    /// The status as a number, for the generated `match`.
    pub fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// Decodes the body as `T`; a mismatch names the JSON path that did not fit.
    pub fn json<T: DeserializeOwned>(self) -> Result<Response<T>, Error> {
        let body = self.decode()?;
        Ok(Response {
            status: self.status,
            headers: self.headers,
            body,
        })
    }

    /// A success without a body to decode (whatever the server sent is ignored).
    pub fn empty(self) -> Response<()> {
        Response {
            status: self.status,
            headers: self.headers,
            body: (),
        }
    }

    /// A documented error: the body decoded as `T` and wrapped as `variant`.
    pub fn api_error<T: DeserializeOwned>(self, variant: fn(T) -> ApiErrorBody) -> Error {
        match self.decode::<T>() {
            Ok(body) => Error::Api {
                operation: self.operation,
                status: self.status,
                body: variant(body),
            },
            Err(decode) => decode,
        }
    }

    /// A status the operation does not document.
    pub fn unexpected(self) -> Error {
        Error::UnexpectedStatus {
            operation: self.operation,
            status: self.status,
            body: self.text(),
        }
    }

    fn decode<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let mut deserializer = serde_json::Deserializer::from_slice(&self.body);
        serde_path_to_error::deserialize(&mut deserializer).map_err(|e| Error::Decode {
            operation: self.operation,
            status: self.status,
            path: e.path().to_string(),
            message: e.inner().to_string(),
            body: self.text(),
        })
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

//! A received response, and the decoding the generated methods ask of it.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::generated::ApiErrorBody;

/// The whole response: status, headers and body, read before any decoding.
#[derive(Debug)]
pub(crate) struct Response {
    operation: &'static str,
    status: StatusCode,
    #[allow(dead_code)] // TODO(#4): rate-limit headers and the trace id are read from here.
    headers: HeaderMap,
    body: bytes::Bytes,
}

impl Response {
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
    pub fn json<T: DeserializeOwned>(self) -> Result<T, Error> {
        let mut deserializer = serde_json::Deserializer::from_slice(&self.body);
        serde_path_to_error::deserialize(&mut deserializer).map_err(|e| Error::Decode {
            operation: self.operation,
            status: self.status,
            path: e.path().to_string(),
            message: e.inner().to_string(),
            body: self.text(),
        })
    }

    /// A documented error: the body decoded as `T` and wrapped as `variant`.
    pub fn api_error<T: DeserializeOwned>(self, variant: fn(T) -> ApiErrorBody) -> Error {
        let (operation, status) = (self.operation, self.status);
        match self.json::<T>() {
            Ok(body) => Error::Api {
                operation,
                status,
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

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

//! The whole response as received, before decoding; generated methods turn it into a typed
//! [`Response`] or [`Error`] according to its status.

use bytes::Bytes;
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::response::{Response, ResponseMeta};

/// Status, headers and the whole body of the final attempt.
#[derive(Debug)]
pub struct RawResponse {
    operation: &'static str,
    meta: ResponseMeta,
    body: Bytes,
}

impl RawResponse {
    pub(crate) fn new(operation: &'static str, meta: ResponseMeta, body: Bytes) -> Self {
        Self {
            operation,
            meta,
            body,
        }
    }

    /// The status as a number, for the generated `match`.
    pub fn status(&self) -> u16 {
        self.meta.status().as_u16()
    }

    /// Decodes the body as `T`; a mismatch names the JSON path that did not fit.
    pub fn json<T: DeserializeOwned, E>(self) -> Result<Response<T>, Error<E>> {
        let body = self.decode()?;
        Ok(Response::new(self.meta, body))
    }

    /// A success without a body to decode (whatever the server sent is ignored).
    pub fn empty(self) -> Response<()> {
        Response::new(self.meta, ())
    }

    /// A text body, as sent (invalid UTF-8 is an error).
    pub fn text<E>(self) -> Result<Response<String>, Error<E>> {
        match std::str::from_utf8(&self.body) {
            Ok(text) => {
                let text = text.to_owned();
                Ok(Response::new(self.meta, text))
            }
            Err(e) => Err(Error::Decode {
                operation: self.operation,
                status: self.meta.status(),
                path: ".".to_owned(),
                message: format!("the text is not UTF-8: {e}"),
                body: self.body_text(),
                meta: Box::new(self.meta),
            }),
        }
    }

    /// A body of bytes, as sent.
    pub fn bytes(self) -> Response<Bytes> {
        Response::new(self.meta, self.body)
    }

    /// A documented error: the body decoded as `T` and wrapped as `variant`.
    pub fn api_error<T: DeserializeOwned, E>(self, variant: fn(T) -> E) -> Error<E> {
        match self.decode::<T, E>() {
            Ok(body) => Error::Api {
                operation: self.operation,
                status: self.meta.status(),
                body: variant(body),
                meta: Box::new(self.meta),
            },
            Err(decode) => decode,
        }
    }

    /// A status the operation does not document.
    pub fn unexpected<E>(self) -> Error<E> {
        Error::UnexpectedStatus {
            operation: self.operation,
            status: self.meta.status(),
            body: self.body_text(),
            meta: Box::new(self.meta),
        }
    }

    fn decode<T: DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        // Plain serde first: tracking the path costs time on every field, and is only needed
        // to explain a failure, so a failed decode is run again with it.
        if let Ok(value) = serde_json::from_slice(&self.body) {
            return Ok(value);
        }
        let mut deserializer = serde_json::Deserializer::from_slice(&self.body);
        let error = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
            Err(error) => error,
            // Only a second, identical decode could succeed here; treat it as the answer.
            Ok(value) => return Ok(value),
        };
        Err(Error::Decode {
            operation: self.operation,
            status: self.meta.status(),
            path: error.path().to_string(),
            message: error.inner().to_string(),
            body: self.body_text(),
            meta: Box::new(self.meta.clone()),
        })
    }

    fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

//! The credential every request carries.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

/// A bearer token: a sub-account OAuth access token or a Private Integration Token.
///
/// The value never appears in `Debug` output, in errors or in logs; it leaves this type only
/// as the `Authorization` header, which is marked sensitive.
#[derive(Clone)]
pub struct Token(SecretString);

impl Token {
    /// Wraps a token string.
    pub fn new(token: impl Into<String>) -> Self {
        Self(SecretString::from(token.into()))
    }

    /// The `Authorization` header value for this token.
    pub(crate) fn header_value(&self) -> Result<reqwest::header::HeaderValue, InvalidToken> {
        let mut value =
            reqwest::header::HeaderValue::try_from(format!("Bearer {}", self.0.expose_secret()))
                .map_err(|_| InvalidToken)?;
        value.set_sensitive(true);
        Ok(value)
    }
}

/// The token holds characters an HTTP header cannot carry (the token itself is not shown).
#[derive(Debug)]
pub(crate) struct InvalidToken;

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token([redacted])")
    }
}

impl From<String> for Token {
    fn from(token: String) -> Self {
        Self::new(token)
    }
}

impl From<&str> for Token {
    fn from(token: &str) -> Self {
        Self::new(token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_token() {
        let token = Token::new("pit-secret-value");
        assert_eq!(format!("{token:?}"), "Token([redacted])");
        let header = token.header_value().unwrap();
        assert!(header.is_sensitive());
        assert!(!format!("{header:?}").contains("secret"));
    }

    #[test]
    fn a_token_with_a_newline_is_refused() {
        assert!(Token::new("a\nb").header_value().is_err());
    }
}

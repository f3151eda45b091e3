//! The one error the generator reports: what is wrong, in which file, and where in it.

use std::fmt;

/// A location inside the spec, as a JSON pointer (RFC 6901), e.g.
/// `#/paths/~1accounts~1{accountId}~1posts/get`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pointer(String);

impl Pointer {
    /// The document root, `#`.
    pub fn root() -> Self {
        Self::default()
    }

    /// Parses a local reference such as `#/components/schemas/Account`.
    pub fn from_fragment(fragment: &str) -> Self {
        Self(fragment.trim_start_matches('#').to_owned())
    }

    /// This pointer with one more reference token, escaped as RFC 6901 asks.
    pub fn push(&self, token: impl fmt::Display) -> Self {
        let token = token.to_string().replace('~', "~0").replace('/', "~1");
        Self(format!("{}/{token}", self.0))
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// Why a spec could not be turned into code.
///
/// The message says what to change; `file` and `pointer` say where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{pointer}: {message}")]
pub struct Error {
    /// The spec file, as the caller named it.
    pub file: String,
    /// Where in the document the problem is.
    pub pointer: Pointer,
    /// What is wrong and what to do about it.
    pub message: String,
}

/// An error before the file name is known: the lowering code only knows the pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Located {
    pub pointer: Pointer,
    pub message: String,
}

impl Located {
    pub fn new(pointer: &Pointer, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.clone(),
            message: message.into(),
        }
    }

    pub fn in_file(self, file: &str) -> Error {
        Error {
            file: file.to_owned(),
            pointer: self.pointer,
            message: self.message,
        }
    }
}

pub(crate) type Result<T, E = Located> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_escapes_slashes_and_tildes() {
        let p = Pointer::root().push("paths").push("/a/{b}~c").push("get");
        assert_eq!(p.to_string(), "#/paths/~1a~1{b}~0c/get");
    }

    #[test]
    fn error_names_file_and_pointer() {
        let e = Located::new(&Pointer::root().push("info"), "missing title").in_file("spec.yaml");
        assert_eq!(e.to_string(), "spec.yaml#/info: missing title");
    }
}

//! The value a generated enum keeps when the API sends one its spec does not list.

use std::fmt;

/// A value the spec does not list (the API added it after the crate was generated), kept
/// exactly as it was received: readable, printable, and sent back unchanged, but opaque.
///
/// Only the runtime makes one, when it reads a value the enum does not know, so the variant
/// that holds it cannot be written as a pattern on its text (`Unknown("new")`). That is on
/// purpose: once a later version of the crate knows the value, it arrives as its own variant,
/// and such an arm would silently stop matching. To act on a value by its text, compare the
/// enum's own `as_str()` (or `value()`), which gives the same answer before and after.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue<T = String>(T);

impl<T> UnknownValue<T> {
    /// The value as it was received.
    pub fn get(&self) -> &T {
        &self.0
    }
}

impl UnknownValue<String> {
    /// The text as it was received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl UnknownValue<i64> {
    /// The number as it was received.
    pub fn value(self) -> i64 {
        self.0
    }
}

impl<T: fmt::Display> fmt::Display for UnknownValue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Written as the value itself, so that what was read goes back out unchanged.
impl<T: serde::Serialize> serde::Serialize for UnknownValue<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// Keeps a value the generated enum does not list. Part of the `codegen` contract: only
/// generated code makes unknown values.
pub fn unknown<T>(value: T) -> UnknownValue<T> {
    UnknownValue(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_value_reads_prints_and_writes_as_received() {
        let text = unknown("threads".to_owned());
        assert_eq!(text.as_str(), "threads");
        assert_eq!(text.to_string(), "threads");
        assert_eq!(serde_json::to_string(&text).unwrap(), r#""threads""#);

        let number = unknown(7_i64);
        assert_eq!(number.value(), 7);
        assert_eq!(number.to_string(), "7");
        assert_eq!(serde_json::to_string(&number).unwrap(), "7");

        let json = unknown(serde_json::json!({"kind": "new", "n": 1}));
        assert_eq!(json.get()["kind"], "new");
        assert_eq!(
            serde_json::to_value(&json).unwrap(),
            serde_json::json!({"kind": "new", "n": 1})
        );
    }
}

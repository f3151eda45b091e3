//! The contract between generated code and the runtime: what generated methods call. Public
//! so that generated crates can reach it, hidden from the documentation because nobody else
//! should; it changes with the runtime's version like any other API of it, and
//! [`CONTRACT`] says which revision a generated crate was written for.

pub use crate::client::{ClientCore, GeneratedClient};
pub use crate::error::CallError;
pub use crate::multipart::Multipart;
pub use crate::operation::{Method, Operation};
pub use crate::paging::{PageFacts, PageNumber, Pager, PagingFailure, page_items, paginate};
pub use crate::profile::{Credential, Profile, RateLimitHeaders, Reset, TimeUnit, TraceIdSource};
pub use crate::raw::RawResponse;
pub use crate::request::{Request, encode_path};
pub use crate::unknown::unknown;
pub use tracing;

/// The query styles other than `form` with `explode: true` (serde's own shape), as
/// `serialize_with` functions for the fields of a query struct.
pub mod query {
    pub use crate::query::{comma, deep_object, json, pipe, space};
}

/// The revision of this contract. A generated crate checks it at compile time with
/// [`require_contract`], so that code generated for another runtime fails with a message
/// that says so instead of a screen of type errors. Revision 2: an enum keeps a value it does
/// not list in an [`UnknownValue`](crate::UnknownValue) made by [`unknown`]. Revision 3: a
/// [`Profile`] says where the token goes ([`Credential`]: an API key in a header, the query
/// or a cookie).
pub const CONTRACT: u32 = 3;

/// Fails the build (when evaluated in a `const`) unless `revision` is [`CONTRACT`].
pub const fn require_contract(revision: u32) {
    assert!(
        revision == CONTRACT,
        "this crate was generated for another revision of openapi-client-runtime's codegen \
         contract: regenerate it, or depend on the runtime it was generated with"
    );
}

/// Makes the function that opens a call's tracing span under the name `$name` (a string
/// literal), with the fields the runtime records: `operation`, `method`, `path`, `attempt`,
/// `status` and `latency_ms`. Span names must be known when the program is compiled, so a
/// generated crate names its span through this macro rather than as a string. Part of the
/// `codegen` contract.
#[doc(hidden)]
#[macro_export]
macro_rules! operation_span {
    ($name:literal) => {{
        fn span(operation: &$crate::codegen::Operation) -> $crate::codegen::tracing::Span {
            $crate::codegen::tracing::info_span!(
                $name,
                operation = operation.id,
                method = operation.method.as_str(),
                path = operation.path,
                attempt = $crate::codegen::tracing::field::Empty,
                status = $crate::codegen::tracing::field::Empty,
                latency_ms = $crate::codegen::tracing::field::Empty,
            )
        }
        span as fn(&$crate::codegen::Operation) -> $crate::codegen::tracing::Span
    }};
}

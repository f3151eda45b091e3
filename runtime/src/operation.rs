//! What a generated method knows about its operation before it has any arguments.

/// One operation of an API, as a generated method declares it in a `const`.
#[derive(Debug)]
pub struct Operation {
    /// The spec's operationId: named by errors, logs and the tracing span.
    pub id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template, as the spec writes it (recorded by the tracing span).
    pub path: &'static str,
    /// Whether the bearer token is sent.
    pub authenticated: bool,
    /// Whether sending the request twice does what sending it once does: GET, PUT, DELETE,
    /// and the operations the spec marks `x-idempotent` (a search sent as POST). Decides which
    /// failures are retried.
    pub idempotent: bool,
    /// Headers the spec fixes for this operation, such as an API version.
    pub headers: &'static [(&'static str, &'static str)],
}

/// The HTTP methods an operation can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`
    Get,
    /// `PUT`
    Put,
    /// `POST`
    Post,
    /// `DELETE`
    Delete,
    /// `PATCH`
    Patch,
    /// `HEAD`
    Head,
    /// `OPTIONS`
    Options,
    /// `TRACE`
    Trace,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
        }
    }

    pub(crate) fn as_http(self) -> http::Method {
        match self {
            Method::Get => http::Method::GET,
            Method::Put => http::Method::PUT,
            Method::Post => http::Method::POST,
            Method::Delete => http::Method::DELETE,
            Method::Patch => http::Method::PATCH,
            Method::Head => http::Method::HEAD,
            Method::Options => http::Method::OPTIONS,
            Method::Trace => http::Method::TRACE,
        }
    }
}

/// The span of a profile that names none: `api.call`, with the fields that
/// `operation_span!` (in `codegen`) gives every span, which must stay the same as these.
pub(crate) fn default_span(operation: &Operation) -> tracing::Span {
    tracing::info_span!(
        "api.call",
        operation = operation.id,
        method = operation.method.as_str(),
        path = operation.path,
        attempt = tracing::field::Empty,
        status = tracing::field::Empty,
        latency_ms = tracing::field::Empty,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A subscriber that enables every span and keeps nothing: spans then have metadata.
    struct Everything;

    impl tracing::Subscriber for Everything {
        fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
            tracing::span::Id::from_u64(1)
        }
        fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
        fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
        fn event(&self, _: &tracing::Event<'_>) {}
        fn enter(&self, _: &tracing::span::Id) {}
        fn exit(&self, _: &tracing::span::Id) {}
    }

    #[test]
    fn the_default_span_has_the_fields_of_every_named_span() {
        static OPERATION: Operation = Operation {
            id: "list-things",
            method: Method::Get,
            path: "/things",
            authenticated: false,
            idempotent: true,
            headers: &[],
        };
        let fields = |span: tracing::Span| -> (String, Vec<String>) {
            let metadata = span.metadata().expect("enabled");
            let names = metadata
                .fields()
                .iter()
                .map(|f| f.name().to_owned())
                .collect();
            (metadata.name().to_owned(), names)
        };
        tracing::subscriber::with_default(Everything, || {
            let named = crate::operation_span!("things.call");
            let (default_name, default_fields) = fields(default_span(&OPERATION));
            let (named_name, named_fields) = fields(named(&OPERATION));
            assert_eq!(
                (default_name.as_str(), named_name.as_str()),
                ("api.call", "things.call")
            );
            assert_eq!(default_fields, named_fields);
        });
    }
}

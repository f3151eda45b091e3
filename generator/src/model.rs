//! The checked intermediate model: everything the emitters need, with every name decided.
//!
//! Built by `lower` from the OpenAPI document; consumed by `emit`. Nothing in here refers back
//! to `openapiv3`, so the emitters cannot make decisions the model did not make.

use std::collections::BTreeMap;

/// The whole API, ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// What the runtime is told about the API besides its operations.
    pub profile: Profile,
    /// Operations in document order (paths as written, methods in HTTP order).
    pub operations: Vec<Operation>,
    /// The groups operations are filed under: the document's `tags` in its order, then any
    /// tag an operation names that the list leaves out, in order of first use.
    pub tags: Vec<Tag>,
    /// Named types, keyed (and so ordered) by Rust name.
    pub types: BTreeMap<String, TypeDef>,
    /// The documented error bodies, one variant per distinct schema, ordered by name.
    pub error_variants: Vec<ErrorVariant>,
    /// A view of the client bound to one value of a path parameter (`x-scoped-client`).
    pub scoped: Option<ScopedClient>,
    /// Things the generator had to approximate, for the summary. Never silent.
    pub warnings: Vec<Warning>,
}

/// Something the generator approximated, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// A JSON pointer into the (bundled) document.
    pub pointer: String,
    pub message: String,
    /// Whether the approximation is a `serde_json::Value` standing in for a type.
    pub fallback: bool,
}

/// A group of operations (an OpenAPI tag): a section of the operations index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub name: String,
    pub description: Option<String>,
}

/// One operation: one async method on the client.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The spec's operationId, kept for errors and tracing.
    pub id: String,
    /// The method's Rust name.
    pub fn_name: String,
    pub method: Method,
    /// The path template as the spec writes it, e.g. `/x/{accountId}/posts`.
    pub path: String,
    /// The template split into literal text and parameters, in order.
    pub path_segments: Vec<PathSegment>,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// The names of the groups (`Api::tags`) the operation is filed under.
    pub tags: Vec<String>,
    /// `Some(note)` when the operation is deprecated.
    pub deprecated: Option<String>,
    /// Whether the request carries the bearer token.
    pub authenticated: bool,
    /// Whether sending the request twice does what sending it once does: GET, PUT, DELETE,
    /// and operations marked `x-idempotent: true` (searches sent as POST). The runtime
    /// retries these after any transient failure.
    pub idempotent: bool,
    /// OAuth scopes the token needs, as the spec lists them.
    pub scopes: Vec<String>,
    /// Path parameters, in the order they appear in the template: the method's first arguments.
    pub path_params: Vec<Param>,
    /// Headers whose value the spec fixes (a required header with a one-value enum, such as
    /// `Api-Version: 2`): sent on every call, never asked of the caller.
    pub constant_headers: Vec<(String, String)>,
    /// The query parameters, gathered in one struct (a `types` entry) when there are any.
    pub query: Option<QueryParams>,
    /// The header and cookie parameters the caller gives, in one struct, when there are any.
    pub headers: Option<QueryParams>,
    /// Where the call names the value the API counts its rate limit by (`x-rate-limit`'s
    /// `key`): the client-side limiter counts per value, as the server does.
    pub limit_key: Option<LimitKey>,
    pub body: Option<RequestBody>,
    /// How to page through the operation's results, when the spec says (`x-pagination`).
    pub pagination: Option<Pagination>,
    /// Index into `path_params` of the parameter the scoped view holds, when the operation
    /// has it: the view's method takes the others.
    pub scoped_param: Option<usize>,
    /// The documented success response.
    pub success: Success,
    /// Documented error statuses and the `ApiErrorBody` variant each one decodes into: the
    /// codes first, then the classes (`4XX`), which cover the codes not listed.
    pub errors: Vec<(Status, String)>,
}

impl Operation {
    /// Whether the generated method, or the one that streams its pages, names a type of
    /// `Api::types`: only then does the operations module import the `types` module.
    pub fn uses_generated_types(&self) -> bool {
        self.query.is_some()
            || self.headers.is_some()
            || self
                .body
                .as_ref()
                .is_some_and(|body| body.ty.names_a_type())
            || self.success.names_a_type()
            || self
                .pagination
                .as_ref()
                .is_some_and(|paging| paging.item.names_a_type())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Patch,
    Head,
    Options,
    Trace,
}

impl Method {
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
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    Literal(String),
    /// Index into `Operation::path_params`.
    Param(usize),
}

/// A path parameter: always a string argument, percent-encoded into the path.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub wire_name: String,
    pub rust_name: String,
    /// The local holding the percent-encoded value; a plain identifier (never raw), so that
    /// `format!` can capture it by name.
    pub encoded_name: String,
    pub description: Option<String>,
}

/// `x-scoped-client`: `client.<method>(value)` makes a view whose methods are those of the
/// operations with the path parameter `parameter`, without it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopedClient {
    /// The path parameter's wire name, e.g. `accountId`.
    pub parameter: String,
    /// The `Client` method that makes the view, e.g. `account`.
    pub method: String,
    /// The view's type, e.g. `AccountClient`.
    pub type_name: String,
    /// The view's field and accessor holding the value, e.g. `account_id`.
    pub field: String,
}

/// The argument that holds an operation's rate-limit key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LimitKey {
    /// Index into `Operation::path_params`.
    Path(usize),
    /// A required field of the query struct, by Rust name.
    Query(String),
    /// A required field of the JSON body struct, by Rust name (for APIs that take the key in
    /// the body of some calls).
    Body(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct QueryParams {
    /// The name of the struct in `Api::types`.
    pub type_name: String,
    /// Whether any query parameter is required (then the argument has no `Default`).
    pub has_required: bool,
}

/// An operation paged by an offset and a page size: it also gets a method that streams its
/// pages and one that streams every item, page by page.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// The Rust name of the method that streams the items.
    pub stream_fn: String,
    /// The Rust name of the method that streams the pages (each decoded response).
    pub pages_fn: String,
    /// Where the offset (`skip`) goes.
    pub offset: PageParam,
    /// Where the page size (`limit`) goes.
    pub limit: PageParam,
    /// The page size when the caller sets none.
    pub default_limit: u64,
    /// The fields from the success body to the list of items, each with whether it is
    /// optional.
    pub items_path: Vec<(String, bool)>,
    /// The type of one item.
    pub item: TypeRef,
    /// The fields from the success body to the number of items in all pages, each with
    /// whether it is optional, when the body reports it (`total`); the field holds an integer
    /// or a string.
    pub total_path: Option<Vec<(String, bool)>>,
}

/// A field of the query or body struct that carries a paging number.
#[derive(Debug, Clone, PartialEq)]
pub struct PageParam {
    pub home: PageParamHome,
    pub rust_name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageParamHome {
    Query,
    Body,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    pub ty: TypeRef,
    pub description: Option<String>,
    pub encoding: BodyEncoding,
}

/// How a request body goes on the wire.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyEncoding {
    /// `application/json`: the body type serialized with serde.
    Json,
    /// `multipart/form-data`: one part per field of the body struct, in field order.
    Multipart(Vec<FormPart>),
    /// `multipart/form-data` with no schema: the parts the caller adds (`TypeRef::Parts`).
    FreeMultipart,
    /// `application/x-www-form-urlencoded`: the body struct as a query string.
    Form,
    /// `text/*`: a string, sent with this content type.
    Text(String),
    /// Anything else: bytes, sent with this content type.
    Binary(String),
}

/// One field of a multipart body struct and how it is sent.
#[derive(Debug, Clone, PartialEq)]
pub struct FormPart {
    pub wire_name: String,
    pub rust_name: String,
    pub required: bool,
    pub kind: FormPartKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormPartKind {
    /// A file: bytes with a file name and a content type.
    File,
    /// A scalar or enum, sent as its text (`Display`).
    Text,
    /// A list of files: one part per file, each under the property's name.
    FileList,
    /// A list of scalars or enums: one text part per item, each under the property's name.
    TextList,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Success {
    /// Every documented 2xx status with its body, in the spec's order.
    pub cases: Vec<(u16, ResponseBody)>,
    /// When the bodies differ: the `Responses` type in `Api::types` that the method returns.
    pub several: Option<String>,
    /// The spec documents no 2xx status: the one case's body is read for any of them (from
    /// the `default` response, or raw bytes when nothing says what succeeds).
    pub any_2xx: bool,
}

impl Success {
    /// The JSON type every success decodes into, when there is exactly one.
    pub fn json_type(&self) -> Option<&TypeRef> {
        match (&self.several, self.cases.first()) {
            (None, Some((_, ResponseBody::Json(ty)))) => Some(ty),
            _ => None,
        }
    }

    /// Whether what the method returns names a type of `Api::types`: the `Responses` enum,
    /// or the type of a JSON success body.
    pub fn names_a_type(&self) -> bool {
        self.several.is_some()
            || self.cases.iter().any(|(_, body)| match body {
                ResponseBody::Json(ty) => ty.names_a_type(),
                ResponseBody::Empty | ResponseBody::Text | ResponseBody::Binary => false,
            })
    }
}

/// A variant of the generated `ApiErrorBody` enum.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorVariant {
    pub name: String,
    pub ty: TypeRef,
    /// The statuses (over all operations) whose body this is.
    pub statuses: Vec<Status>,
}

/// A documented error status: one code, or a class of them (`4XX`, OpenAPI's status range),
/// which stands for every code of the class the operation does not list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Code(u16),
    /// The hundreds digit: 4 for `4XX`.
    Class(u16),
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Status::Code(code) => write!(f, "{code}"),
            Status::Class(class) => write!(f, "{class}XX"),
        }
    }
}

/// A use of a type: a field's type, a body, a response.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    String,
    Integer(IntegerWidth),
    Number,
    Boolean,
    /// A JSON object of unknown shape.
    Object,
    /// Any JSON value.
    Any,
    Array(Box<TypeRef>),
    /// A JSON object with values of one type (`additionalProperties`).
    Map(Box<TypeRef>),
    /// A type in `Api::types`, by Rust name.
    Named(String),
    /// A `format: date-time` string: the runtime's `DateTime`, a timestamp with its
    /// `date-time` feature and the text without, so that the generated code is the same.
    DateTime,
    /// A file upload (`type: string, format: binary`): only in multipart bodies.
    File,
    /// Raw bytes: an `application/octet-stream` (or other non-JSON, non-text) body.
    Bytes,
    /// A value that may be `null` (`nullable: true`).
    Nullable(Box<TypeRef>),
    /// `null` and nothing else (`enum: [null]`): `()`.
    Unit,
    /// A multipart body the spec does not describe: text fields and files by name.
    Parts,
}

impl TypeRef {
    /// The type without a `Nullable` wrapper, and whether there was one.
    pub fn strip_nullable(&self) -> (&TypeRef, bool) {
        match self {
            TypeRef::Nullable(inner) => (inner, true),
            other => (other, false),
        }
    }

    /// Whether the Rust type of this use names a type of `Api::types`, itself or as what a
    /// list, map or `Option` holds.
    pub fn names_a_type(&self) -> bool {
        match self {
            TypeRef::Named(_) => true,
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                inner.names_a_type()
            }
            TypeRef::String
            | TypeRef::DateTime
            | TypeRef::Integer(_)
            | TypeRef::Number
            | TypeRef::Boolean
            | TypeRef::Object
            | TypeRef::Any
            | TypeRef::File
            | TypeRef::Bytes
            | TypeRef::Unit
            | TypeRef::Parts => false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum IntegerWidth {
    I32,
    I64,
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub description: Option<String>,
    /// Where it was defined, for the reader of the generated code.
    pub origin: String,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct {
        fields: Vec<Field>,
        purpose: StructPurpose,
    },
    /// A set of strings the spec lists. `unknown` names the extra variant that keeps a value
    /// the spec does not list (the API gains platforms and post types without notice), so
    /// that a new value is data, not a decode failure.
    Enum {
        variants: Vec<Variant>,
        unknown: String,
    },
    /// A set of integers the spec lists, with a variant that keeps any other value.
    IntEnum {
        variants: Vec<IntVariant>,
        unknown: String,
    },
    /// One of several types (`oneOf`, `anyOf`): told apart by a discriminator property when
    /// the spec names one, else by trying each variant in order.
    Union {
        variants: Vec<UnionVariant>,
        /// The discriminator's property name.
        tag: Option<String>,
        /// The variant that keeps a tagged value whose tag the spec does not list.
        unknown: Option<String>,
    },
    /// The success bodies of an operation that documents several, one variant per status.
    Responses { variants: Vec<ResponseVariant> },
    /// A named alias for another type.
    Alias(TypeRef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct IntVariant {
    pub value: i64,
    pub rust_name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub rust_name: String,
    pub ty: TypeRef,
    /// Boxed because the variant's type contains the union (a recursive type), or is too
    /// large to hold inline (see `lower::sizes`).
    pub boxed: bool,
    /// The discriminator value that selects this variant.
    pub tag_value: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseVariant {
    pub status: u16,
    pub rust_name: String,
    pub body: ResponseBody,
}

/// How a response body is read.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    /// No body (or one nobody reads).
    Empty,
    /// JSON decoded as the type.
    Json(TypeRef),
    /// `text/*`, as a `String`.
    Text,
    /// Anything else, as bytes.
    Binary,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StructPurpose {
    /// A schema: JSON in both directions.
    Schema,
    /// An operation's query parameters: serialized into the URL only.
    Query,
    /// An operation's header and cookie parameters: sent as headers, never serialized.
    Headers,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub wire_name: String,
    pub rust_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub description: Option<String>,
    /// The chainable setter of an optional field in a struct that callers build (query
    /// parameters, request bodies and what they hold); `None` elsewhere.
    pub setter: Option<String>,
    /// Boxed because its type contains this struct (a recursive type), or is too large to
    /// hold inline (see `lower::sizes`).
    pub boxed: bool,
    /// Holds the object's other properties (`additionalProperties` next to `properties`).
    pub flatten: bool,
    /// The spec's default, as JSON, for the documentation.
    pub default: Option<String>,
    /// For a header struct: sent as a cookie rather than a header.
    pub cookie: bool,
    /// For a parameter that holds a list or an object: how it is written (OpenAPI's `style`
    /// and `explode`). `None` for a single value, and for every schema field.
    pub style: Option<ParamStyle>,
}

/// How a query, header or cookie parameter that holds a list or an object is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `form` with `explode: true`, the query's default: a list repeats its key
    /// (`ids=a&ids=b`), an object gives one pair per property (`x=1&y=2`).
    Exploded,
    /// One pair, the items (or properties and values) joined: `form` without `explode`
    /// (`,`), `spaceDelimited` and `pipeDelimited`.
    Delimited(Delimiter),
    /// `deepObject`: `filter[x]=1&filter[y]=2`.
    DeepObject,
    /// A header (`simple`) or cookie (`form`): the items (or properties and values) joined by
    /// `,`; with `explode`, properties as `name=value`.
    Joined { explode: bool },
    /// A parameter described by JSON `content` rather than a `schema`: its value as JSON text.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    Comma,
    Space,
    Pipe,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub wire_name: String,
    pub rust_name: String,
}

/// The API's specifics that the runtime works from, as the generated crate hands them over:
/// from `servers`, `securitySchemes` and the `x-rate-limit`, `x-trace-id` and `x-tracing`
/// extensions. What the spec does not say is `None`, and the crate then has no such machinery.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    /// The first server URL, without a trailing slash.
    pub base_url: Option<String>,
    /// The OAuth token endpoint that refreshes the bearer token.
    pub oauth: Option<OAuth>,
    /// Where authenticated requests carry the token.
    pub credential: Credential,
    /// How the server reports and counts its rate limits.
    pub rate_limit: Option<RateLimit>,
    /// Where a response carries the server's id of the request.
    pub trace_id: Option<TraceId>,
    /// The name of each call's tracing span.
    pub span: Option<String>,
}

/// Where authenticated requests carry the client's token, from the security schemes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Credential {
    /// `Authorization: Bearer`: HTTP bearer, OAuth 2.0, OpenID Connect.
    #[default]
    Bearer,
    /// An API key in this header.
    Header(String),
    /// An API key as this query parameter.
    Query(String),
    /// An API key as this cookie.
    Cookie(String),
}

/// An `oauth2` security scheme's token endpoint and the grant it is used with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuth {
    /// The scheme's name in `components/securitySchemes`.
    pub scheme: String,
    /// An absolute URL.
    pub token_url: String,
    pub grant: Grant,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    /// The authorization-code or password flow: refreshed with the refresh token.
    RefreshToken,
    /// The client-credentials flow: the app's credentials buy each token.
    ClientCredentials,
}

/// `x-rate-limit`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// Parameters the server counts its limit by, in order of preference: an operation's
    /// limiter key is the first of them it has as a path parameter or required query string.
    pub keys: Vec<String>,
    /// The documented limit: requests per window of so many milliseconds.
    pub quota: Option<(u32, u64)>,
    /// The documented budget of requests per UTC day.
    pub daily_quota: Option<u64>,
    /// Response headers, lowercase.
    pub headers: RateLimitHeaders,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateLimitHeaders {
    pub limit: Option<String>,
    pub remaining: Option<String>,
    pub window: Option<(String, TimeUnit)>,
    pub reset: Option<(String, ResetFormat)>,
    pub daily_limit: Option<String>,
    pub daily_remaining: Option<String>,
}

impl RateLimitHeaders {
    /// Whether any header is named.
    pub fn any(&self) -> bool {
        *self != Self::default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    Seconds,
    Milliseconds,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetFormat {
    /// Seconds from now.
    DeltaSeconds,
    /// A Unix time in seconds.
    UnixSeconds,
}

/// `x-trace-id`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TraceId {
    /// A string field at the top level of JSON bodies.
    pub body_field: Option<String>,
    /// Response headers, lowercase.
    pub headers: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str) -> TypeRef {
        TypeRef::Named(name.to_owned())
    }

    fn params(type_name: &str) -> QueryParams {
        QueryParams {
            type_name: type_name.to_owned(),
            has_required: false,
        }
    }

    /// `GET /ping`, answered with text: nothing of `types` in its method.
    fn plain_operation() -> Operation {
        Operation {
            id: "ping".to_owned(),
            fn_name: "ping".to_owned(),
            method: Method::Get,
            path: "/ping".to_owned(),
            path_segments: vec![PathSegment::Literal("/ping".to_owned())],
            summary: None,
            description: None,
            tags: Vec::new(),
            deprecated: None,
            authenticated: false,
            idempotent: true,
            scopes: Vec::new(),
            path_params: Vec::new(),
            constant_headers: Vec::new(),
            query: None,
            headers: None,
            limit_key: None,
            body: None,
            pagination: None,
            scoped_param: None,
            success: Success {
                cases: vec![(200, ResponseBody::Text)],
                several: None,
                any_2xx: false,
            },
            errors: vec![(Status::Code(404), "NotFound".to_owned())],
        }
    }

    #[test]
    fn a_type_is_named_in_lists_maps_and_options() {
        assert!(named("Account").names_a_type());
        let nested = TypeRef::Nullable(Box::new(TypeRef::Array(Box::new(named("Account")))));
        assert!(nested.names_a_type());
        assert!(TypeRef::Map(Box::new(named("Tag"))).names_a_type());
        for plain in [
            TypeRef::String,
            TypeRef::Integer(IntegerWidth::I64),
            TypeRef::Object,
            TypeRef::Any,
            TypeRef::File,
            TypeRef::Bytes,
            TypeRef::Map(Box::new(TypeRef::Array(Box::new(TypeRef::Boolean)))),
        ] {
            assert!(!plain.names_a_type(), "{plain:?}");
        }
    }

    #[test]
    fn an_operation_of_plain_values_uses_no_generated_type() {
        assert!(!plain_operation().uses_generated_types());
        let mut op = plain_operation();
        op.body = Some(RequestBody {
            ty: TypeRef::Bytes,
            description: None,
            encoding: BodyEncoding::Binary("application/pdf".to_owned()),
        });
        op.success.cases = vec![
            (200, ResponseBody::Json(TypeRef::Any)),
            (204, ResponseBody::Empty),
        ];
        assert!(!op.uses_generated_types());
    }

    #[test]
    fn every_place_a_method_can_name_a_type_counts() {
        let with = |change: &dyn Fn(&mut Operation)| {
            let mut op = plain_operation();
            change(&mut op);
            op.uses_generated_types()
        };
        assert!(with(&|op| op.query = Some(params("PingQuery"))));
        assert!(with(&|op| op.headers = Some(params("PingHeaders"))));
        assert!(with(&|op| {
            op.body = Some(RequestBody {
                ty: named("PingRequest"),
                description: None,
                encoding: BodyEncoding::Json,
            });
        }));
        assert!(with(&|op| {
            op.success.cases = vec![(
                200,
                ResponseBody::Json(TypeRef::Array(Box::new(named("Pong")))),
            )];
        }));
        assert!(with(&|op| {
            op.success.cases.push((201, ResponseBody::Empty));
            op.success.several = Some("PingResponses".to_owned());
        }));
        assert!(with(&|op| {
            op.pagination = Some(Pagination {
                stream_fn: "ping_stream".to_owned(),
                pages_fn: "ping_pages".to_owned(),
                offset: PageParam {
                    home: PageParamHome::Query,
                    rust_name: "skip".to_owned(),
                },
                limit: PageParam {
                    home: PageParamHome::Query,
                    rust_name: "limit".to_owned(),
                },
                default_limit: 100,
                items_path: vec![("items".to_owned(), false)],
                item: named("Pong"),
                total_path: None,
            });
        }));
    }
}

//! Step 2 of the pipeline: the OpenAPI document to the checked model.
//!
//! Every decision is made here: which parameters become arguments and which are constants,
//! what each Rust name is, which responses are errors. What the generator cannot express yet
//! is an error that points at the construct, never a silent omission.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use openapiv3::{
    OpenAPI, Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr, Response, SchemaKind,
    StatusCode, Type,
};

use crate::error::{Located, Pointer, Result};
use crate::model::{
    Api, BodyEncoding, Delimiter, ErrorVariant, Field, FormPart, FormPartKind, LimitKey, Method,
    Operation, PageParam, PageParamHome, Pagination, Param, ParamStyle, PathSegment, QueryParams,
    RequestBody, ResponseBody, ResponseVariant, Status, StructPurpose, Success, Tag, TypeDef,
    TypeKind, TypeRef, Warning,
};
use crate::names::{self, Scope};

mod credential;
mod profile;
mod schemas;
mod scoped;
mod sizes;

const SCHEMAS: &str = "#/components/schemas/";
const PARAMETERS: &str = "#/components/parameters/";
const RESPONSES: &str = "#/components/responses/";
const REQUEST_BODIES: &str = "#/components/requestBodies/";

/// Extension that marks an operation as paged by offset and size: `{items: results.posts}`
/// (a dotted path of wire names to the list in the success body), optionally with `total` (a
/// dotted path to the number of items in all pages, an integer or a string holding one) and
/// with `skip` and `limit` naming the paging parameters (default `skip` and `limit`).
const PAGINATION: &str = "x-pagination";

/// Extension carrying the note for `#[deprecated]`; without it a generic note is used.
const DEPRECATION_NOTE: &str = "x-deprecated-reason";

/// Extension marking an operation whose method is not idempotent (a POST that only reads) as
/// safe to send twice: `x-idempotent: true`.
const IDEMPOTENT: &str = "x-idempotent";

pub(crate) fn lower(doc: &OpenAPI) -> Result<Api> {
    let mut lowering = Lowering::new(doc)?;
    let profile = profile::profile(doc, &mut lowering.warnings)?;
    lowering.limit_keys = profile
        .rate_limit
        .as_ref()
        .map(|limit| limit.keys.clone())
        .unwrap_or_default();
    let mut operations = Vec::new();
    let mut fn_names = Scope::new();
    let paths = Pointer::root().push("paths");
    for (path, item) in &doc.paths.paths {
        let item_ptr = paths.push(path);
        let ReferenceOr::Item(item) = item else {
            return Err(Located::new(
                &item_ptr,
                "a path item may not be a `$ref`; inline it",
            ));
        };
        for (key, method, op) in [
            ("get", Method::Get, &item.get),
            ("put", Method::Put, &item.put),
            ("post", Method::Post, &item.post),
            ("delete", Method::Delete, &item.delete),
            ("patch", Method::Patch, &item.patch),
            ("head", Method::Head, &item.head),
            ("options", Method::Options, &item.options),
            ("trace", Method::Trace, &item.trace),
        ] {
            if let Some(op) = op {
                let ptr = item_ptr.push(key);
                let operation =
                    lowering.operation(path, method, op, &item.parameters, &ptr, &mut fn_names)?;
                operations.push(operation);
            }
        }
    }
    let mut profile = profile;
    profile.credential = lowering.credentials.decide()?;
    lowering.box_recursive_fields();
    sizes::box_large_fields(&mut lowering.types);
    lowering.decide_setters(&operations);
    lowering.check_limit_keys(&operations);
    let scoped = scoped::scoped_client(doc, &mut operations, &fn_names)?;
    let tags = tags(doc, &operations);
    Ok(Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        profile,
        operations,
        tags,
        types: lowering.types,
        error_variants: lowering.error_variants.into_values().collect(),
        scoped,
        warnings: lowering.warnings,
    })
}

/// The document's tags in its order, then the ones only operations name, in order of first use:
/// a tag the list leaves out still gets its section of the index.
fn tags(doc: &OpenAPI, operations: &[Operation]) -> Vec<Tag> {
    let mut tags: Vec<Tag> = Vec::new();
    let listed = doc
        .tags
        .iter()
        .map(|tag| (&tag.name, tag.description.as_ref()));
    let used = operations
        .iter()
        .flat_map(|op| &op.tags)
        .map(|name| (name, None));
    for (name, description) in listed.chain(used) {
        if !tags.iter().any(|tag| &tag.name == name) {
            tags.push(Tag {
                name: name.clone(),
                description: description.cloned(),
            });
        }
    }
    tags
}

struct Lowering<'a> {
    doc: &'a OpenAPI,
    /// Component schema name → Rust type name, decided before any schema is lowered so that
    /// references (including cycles) resolve.
    component_names: BTreeMap<String, String>,
    type_names: Scope,
    types: BTreeMap<String, TypeDef>,
    /// Keyed by the body type, so each distinct error body is one variant.
    error_variants: BTreeMap<TypeRef, ErrorVariant>,
    error_variant_names: Scope,
    warnings: Vec<Warning>,
    /// The components whose `allOf` properties are being merged, to refuse a merge into itself.
    merging: Vec<String>,
    /// The parameters the API counts its rate limit by (`x-rate-limit`'s `key`).
    limit_keys: Vec<String>,
    /// Where each authenticated operation can send the token.
    credentials: credential::Credentials,
}

impl<'a> Lowering<'a> {
    fn new(doc: &'a OpenAPI) -> Result<Self> {
        let mut lowering = Self {
            doc,
            component_names: BTreeMap::new(),
            type_names: Scope::new(),
            types: BTreeMap::new(),
            error_variants: BTreeMap::new(),
            error_variant_names: Scope::new(),
            warnings: Vec::new(),
            merging: Vec::new(),
            limit_keys: Vec::new(),
            credentials: credential::Credentials::default(),
        };
        lowering.define_components()?;
        Ok(lowering)
    }

    /// Records an approximation at `at`.
    fn warn(&mut self, at: &Pointer, message: impl Into<String>) {
        self.warnings.push(Warning {
            pointer: at.to_string(),
            message: message.into(),
            fallback: false,
        });
    }

    /// Records a `serde_json::Value` standing in for a type the generator cannot express.
    fn fallback(&mut self, at: &Pointer, message: impl Into<String>) {
        self.warnings.push(Warning {
            pointer: at.to_string(),
            message: message.into(),
            fallback: true,
        });
    }

    /// Gives every optional field of the structs that callers build a chainable setter, so
    /// that a body with ten optional fields reads `Body::new(a).b(x).c(y)`, not a struct
    /// literal. Callers build what a request sends: query structs, bodies, and the types
    /// reachable from them; response-only types are only read and get none.
    fn decide_setters(&mut self, operations: &[Operation]) {
        let mut stack: Vec<&TypeRef> = Vec::new();
        let query_refs: Vec<TypeRef> = operations
            .iter()
            .filter_map(|op| op.query.as_ref())
            .map(|q| TypeRef::Named(q.type_name.clone()))
            .collect();
        stack.extend(&query_refs);
        stack.extend(
            operations
                .iter()
                .filter_map(|op| op.body.as_ref().map(|b| &b.ty)),
        );
        let mut inputs = std::collections::BTreeSet::new();
        while let Some(ty) = stack.pop() {
            match ty {
                TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                    stack.push(inner);
                }
                TypeRef::Named(name) if inputs.insert(name.clone()) => {
                    match &self.types[name].kind {
                        TypeKind::Struct { fields, .. } => {
                            stack.extend(fields.iter().map(|f| &f.ty));
                        }
                        TypeKind::Union { variants, .. } => {
                            stack.extend(variants.iter().map(|v| &v.ty));
                        }
                        TypeKind::Alias(target) => stack.push(target),
                        TypeKind::Enum { .. }
                        | TypeKind::IntEnum { .. }
                        | TypeKind::Responses { .. } => {}
                    }
                }
                _ => {}
            }
        }
        for name in inputs {
            let def = self
                .types
                .get_mut(&name)
                .expect("reached through the model");
            let TypeKind::Struct { fields, .. } = &mut def.kind else {
                continue;
            };
            // The constructor is `new`; a field called `new` gets `new2` rather than clash.
            let mut methods = Scope::new();
            methods.claim("new".to_owned());
            for field in fields.iter_mut().filter(|f| !f.required && !f.flatten) {
                field.setter = Some(methods.claim(field.rust_name.clone()));
            }
        }
    }

    /// A rate-limit key that no operation names is probably misspelled: the limiter would
    /// count every call in one budget.
    fn check_limit_keys(&mut self, operations: &[Operation]) {
        for (i, key) in self.limit_keys.clone().iter().enumerate() {
            let named = operations.iter().any(|op| {
                op.path_params.iter().any(|p| p.wire_name == *key)
                    || op
                        .query
                        .as_ref()
                        .is_some_and(|q| match &self.types[&q.type_name].kind {
                            TypeKind::Struct { fields, .. } => {
                                fields.iter().any(|f| f.wire_name == *key)
                            }
                            _ => false,
                        })
                    || self
                        .json_body_fields(op.body.as_ref())
                        .iter()
                        .any(|f| f.wire_name == *key)
            });
            if !named {
                self.warn(
                    &Pointer::root()
                        .push(profile::RATE_LIMIT)
                        .push("key")
                        .push(i),
                    format!("no operation has a parameter `{key}`; calls are not counted by it"),
                );
            }
        }
    }

    /// The fields of a JSON request body that is a struct (none for other bodies).
    fn json_body_fields(&self, body: Option<&RequestBody>) -> &[Field] {
        match body {
            Some(RequestBody {
                ty: TypeRef::Named(name),
                encoding: BodyEncoding::Json,
                ..
            }) => match &self.types[name].kind {
                TypeKind::Struct { fields, .. } => fields,
                _ => &[],
            },
            _ => &[],
        }
    }

    // ----- operations ---------------------------------------------------------------------

    /// Lowers one operation. The steps run in this order because they claim names and record
    /// warnings as they go, and the generated text follows that order.
    fn operation(
        &mut self,
        path: &str,
        method: Method,
        op: &openapiv3::Operation,
        shared_params: &[ReferenceOr<Parameter>],
        ptr: &Pointer,
        fn_names: &mut Scope,
    ) -> Result<Operation> {
        let name = self.operation_names(op, path, method, ptr, fn_names)?;
        let params = self.gather_parameters(path, op, shared_params, ptr)?;
        let (path_segments, path_params) = self.path_template(path, &params, ptr)?;
        let sorted = self.sort_parameters(&params, &path_params, path, &name.type_stem)?;
        let query_fields = sorted.query_fields.clone();
        let query = self.params_struct(sorted.query_fields, StructPurpose::Query, &name, ptr);
        let headers = self.params_struct(sorted.header_fields, StructPurpose::Headers, &name, ptr);
        let body = self.request_body(op, ptr, &name.type_stem)?;
        let limit_key = limit_key(
            &self.limit_keys,
            &path_params,
            &query_fields,
            self.json_body_fields(body.as_ref()),
        );
        let (success, errors) = self.responses(op, ptr, &name.type_stem, method)?;
        let (authenticated, scopes) = self.security(op, ptr)?;
        let idempotent = idempotent(method, op, ptr)?;
        if !op.callbacks.is_empty() {
            // Requests the server makes, to a server of the caller's: nothing a client sends.
            self.warn(
                &ptr.push("callbacks"),
                "callbacks are not generated: they are requests the API makes to a server of \
                 yours, and their schemas are not read",
            );
        }
        let mut operation = Operation {
            id: name.id,
            fn_name: name.fn_name,
            method,
            path: path.to_owned(),
            path_segments,
            summary: op.summary.clone(),
            description: op.description.clone(),
            tags: op.tags.clone(),
            deprecated: deprecation(op),
            authenticated,
            idempotent,
            scopes,
            path_params,
            constant_headers: sorted.constant_headers,
            query,
            headers,
            limit_key,
            body,
            pagination: None,
            scoped_param: None,
            success,
            errors,
        };
        operation.pagination = self.pagination(op, ptr, &operation, fn_names)?;
        Ok(operation)
    }

    /// What the operation is called: its id is the `operationId`, or (with a warning) one
    /// made of the method and path; the client method and the operation's types are named
    /// after it. Two operations whose ids give one method name are refused, because the
    /// generated client could not have both.
    fn operation_names(
        &mut self,
        op: &openapiv3::Operation,
        path: &str,
        method: Method,
        ptr: &Pointer,
        fn_names: &mut Scope,
    ) -> Result<OperationNames> {
        let id = match &op.operation_id {
            Some(id) if id.trim().is_empty() => {
                return Err(Located::new(
                    &ptr.push("operationId"),
                    "the operationId is empty; name the operation or remove the key",
                ));
            }
            Some(id) => id.clone(),
            None => {
                let id = format!("{} {path}", method.as_str().to_lowercase());
                self.warn(
                    ptr,
                    format!("no operationId; the method is named from `{id}`"),
                );
                id
            }
        };
        let wanted = names::snake(&id);
        // A name the generator made up may take a number; one the spec gave may not.
        let fn_name = fn_names.claim(wanted.clone());
        if fn_name != wanted && op.operation_id.is_none() {
            self.warn(
                ptr,
                format!(
                    "the method named from `{id}` is called `{fn_name}`: another operation \
                     already has the plain name"
                ),
            );
        }
        if fn_name != wanted && op.operation_id.is_some() {
            return Err(Located::new(
                &ptr.push("operationId"),
                format!(
                    "operationId `{id}` gives the method name `{wanted}`, which another \
                     operation already has; give this operation a distinct operationId"
                ),
            ));
        }
        Ok(OperationNames {
            type_stem: names::camel(&id),
            id,
            fn_name,
        })
    }

    /// The parameters that apply to the operation: the path item's, overridden by the
    /// operation's own with the same name and location. The operation may not declare one
    /// twice, and every parameter needs a name.
    fn gather_parameters(
        &self,
        path: &str,
        op: &openapiv3::Operation,
        shared_params: &[ReferenceOr<Parameter>],
        ptr: &Pointer,
    ) -> Result<Parameters> {
        let mut params = Parameters::new();
        let item_ptr = Pointer::root().push("paths").push(path);
        for (i, p) in shared_params.iter().enumerate() {
            let (param, pp) = self.parameter(p, &item_ptr.push("parameters").push(i))?;
            params.insert(param_key(&param), (param, pp));
        }
        let mut own: BTreeMap<(String, &'static str), Pointer> = BTreeMap::new();
        for (i, p) in op.parameters.iter().enumerate() {
            let at = ptr.push("parameters").push(i);
            let (param, pp) = self.parameter(p, &at)?;
            let key = param_key(&param);
            if let Some(first) = own.insert(key.clone(), at.clone()) {
                return Err(Located::new(
                    &at,
                    format!(
                        "the {} parameter `{}` is declared twice (also at {first}); keep one",
                        key.1, key.0
                    ),
                ));
            }
            params.insert(key, (param, pp));
        }
        for ((name, _), (_, pp)) in &params {
            if name.is_empty() {
                return Err(Located::new(pp, "a parameter has an empty `name`; name it"));
            }
        }
        Ok(params)
    }

    /// The path template as literal text and parameters, and the path parameters in the
    /// order the template names them: each a string argument, even when the spec forgot to
    /// declare it (with a warning), since the request cannot be made without it.
    fn path_template(
        &mut self,
        path: &str,
        params: &Parameters,
        ptr: &Pointer,
    ) -> Result<(Vec<PathSegment>, Vec<Param>)> {
        let (segments, template_names) = parse_template(path, ptr)?;
        let mut path_params = Vec::new();
        // The generated method's other arguments and locals; a path parameter cannot take them.
        let mut arg_names = Scope::new();
        for taken in [
            "query", "headers", "body", "path", "request", "response", "form",
        ] {
            arg_names.claim(taken.to_owned());
        }
        for name in &template_names {
            let declared = params.get(&(name.clone(), "path"));
            if declared.is_none() {
                self.warn(
                    ptr,
                    format!(
                        "path parameter `{name}` is used in the path but never declared; it is \
                         generated as a required string"
                    ),
                );
            }
            let rust_name = arg_names.claim(names::snake(name));
            path_params.push(Param {
                wire_name: name.clone(),
                encoded_name: names::plain(&rust_name),
                rust_name,
                description: declared.and_then(|(p, _)| p.parameter_data_ref().description.clone()),
            });
        }
        let segments = segments
            .into_iter()
            .map(|s| match s {
                Segment::Literal(text) => PathSegment::Literal(text),
                Segment::Param(name) => PathSegment::Param(
                    template_names
                        .iter()
                        .position(|n| *n == name)
                        .expect("collected above"),
                ),
            })
            .collect();
        Ok((segments, path_params))
    }

    /// Sorts the parameters by how the call sends them. A required header whose schema allows
    /// one value is a constant of the operation, not an argument; other headers and cookies
    /// are fields of the header struct, query parameters fields of the query struct. Path
    /// parameters are arguments already and are only checked; an `Authorization` header is
    /// the token's business and is dropped.
    fn sort_parameters(
        &mut self,
        params: &Parameters,
        path_params: &[Param],
        path: &str,
        type_stem: &str,
    ) -> Result<SortedParams> {
        let mut sorted = SortedParams::default();
        let mut query_scope = Scope::new();
        let mut header_scope = Scope::new();
        for ((name, location), (param, pp)) in params {
            let data = param.parameter_data_ref();
            match *location {
                "path" => {
                    check_path_param(data, pp, path, path_params)?;
                    if !data.required {
                        self.warn(
                            &pp.push("required"),
                            format!(
                                "path parameter `{name}` is declared `required: false`; it is \
                                 generated as required, since a path cannot leave it out"
                            ),
                        );
                    }
                }
                "header" if name.eq_ignore_ascii_case("authorization") => {
                    self.warn(
                        pp,
                        "an `Authorization` header parameter is left to the client's token; \
                         declare bearer security instead",
                    );
                }
                "header" | "cookie" => match constant_value(data) {
                    _ if !is_token(name) => {
                        return Err(Located::new(
                            &pp.push("name"),
                            format!(
                                "`{name}` cannot be the name of a {location}: use letters, digits \
                                 and !#$%&'*+-.^_`|~ only"
                            ),
                        ));
                    }
                    Some(value) if value.chars().any(|c| !(' '..='~').contains(&c)) => {
                        return Err(Located::new(
                            &pp.push("schema"),
                            format!(
                                "the value `{}` of header `{name}` cannot be sent in a header: \
                                 use printable ASCII only",
                                value.escape_debug()
                            ),
                        ));
                    }
                    Some(value) if data.required && *location == "header" => {
                        sorted.constant_headers.push((name.clone(), value));
                    }
                    _ => {
                        let mut field =
                            self.param_field(param, pp, type_stem, &mut header_scope)?;
                        field.cookie = *location == "cookie";
                        sorted.header_fields.push(field);
                    }
                },
                _ => {
                    let field = self.param_field(param, pp, type_stem, &mut query_scope)?;
                    sorted.query_fields.push(field);
                }
            }
        }
        Ok(sorted)
    }

    /// The paging of an operation marked `x-pagination`, checked against the rest of the
    /// operation (the paging numbers, the list of items and the total must be where it says),
    /// and the names of the methods that stream the pages and the items.
    fn pagination(
        &self,
        op: &openapiv3::Operation,
        ptr: &Pointer,
        lowered: &Operation,
        fn_names: &mut Scope,
    ) -> Result<Option<Pagination>> {
        let Some(extension) = op.extensions.get(PAGINATION) else {
            return Ok(None);
        };
        let at = &ptr.push(PAGINATION);
        profile::Object::new(
            extension,
            at,
            &["items", "total", "skip", "limit"],
            "`{items: results.posts}`",
        )?;
        let (query, body) = (&lowered.query, &lowered.body);
        let text = |key: &str| -> Result<Option<String>> {
            match extension.get(key) {
                Some(serde_json::Value::String(value)) => Ok(Some(value.clone())),
                None => Ok(None),
                Some(_) => Err(Located::new(
                    &at.push(key),
                    format!("`{key}` must be a string (see `{PAGINATION}` in the README)"),
                )),
            }
        };
        let offset_name = text("skip")?.unwrap_or_else(|| "skip".to_owned());
        let limit_name = text("limit")?.unwrap_or_else(|| "limit".to_owned());
        let Some(items) = text("items")? else {
            return Err(Located::new(
                &at.push("items"),
                "is required: the dotted path to the list in the success body, such as \
                 `results.posts`",
            ));
        };
        let total = text("total")?;

        // The paging numbers live in the query struct or in the body struct.
        let struct_fields = |ty: Option<&str>| -> Vec<Field> {
            match ty.map(|name| &self.types[name].kind) {
                Some(TypeKind::Struct { fields, .. }) => fields.clone(),
                _ => Vec::new(),
            }
        };
        let query_fields = struct_fields(query.as_ref().map(|q| q.type_name.as_str()));
        let body_fields = self.json_body_fields(body.as_ref()).to_vec();
        let find = |wire: &str, key: &str| -> Result<PageParam> {
            let (home, field) = match query_fields.iter().find(|f| f.wire_name == wire) {
                Some(field) => (PageParamHome::Query, field),
                None => match body_fields.iter().find(|f| f.wire_name == wire) {
                    Some(field) => (PageParamHome::Body, field),
                    None => {
                        return Err(Located::new(
                            &at.push(key),
                            format!(
                                "the operation has no query parameter or body field `{wire}`; \
                                 name the paging parameter with `{key}:`"
                            ),
                        ));
                    }
                },
            };
            if !matches!(field.ty, TypeRef::String | TypeRef::Integer(_)) {
                return Err(Located::new(
                    &at.push(key),
                    format!("`{wire}` must be an integer (or a string holding one) to page with"),
                ));
            }
            Ok(PageParam {
                home,
                rust_name: field.rust_name.clone(),
            })
        };
        let offset = find(&offset_name, "skip")?;
        let limit = find(&limit_name, "limit")?;

        // Walk the success body down to the list, and to the total.
        let page = lowered.success.json_type().ok_or_else(|| {
            Located::new(
                at,
                "the success response has no body to take the items from",
            )
        })?;
        let (items_path, ty) = self.body_path(page, &items, &at.push("items"))?;
        let TypeRef::Array(item) = ty else {
            return Err(Located::new(
                &at.push("items"),
                format!("`{items}` is not a list in the success body"),
            ));
        };
        let total_path = match &total {
            None => None,
            Some(total) => {
                let (path, ty) = self.body_path(page, total, &at.push("total"))?;
                if !matches!(ty, TypeRef::Integer(_) | TypeRef::String) {
                    return Err(Located::new(
                        &at.push("total"),
                        format!(
                            "`{total}` is not an integer (or a string holding one) in the \
                             success body"
                        ),
                    ));
                }
                Some(path)
            }
        };
        Ok(Some(Pagination {
            stream_fn: fn_names.claim(format!("{}_stream", lowered.fn_name)),
            pages_fn: fn_names.claim(format!("{}_pages", lowered.fn_name)),
            offset,
            limit,
            default_limit: 100,
            items_path,
            item: *item,
            total_path,
        }))
    }

    /// The fields on the way down a success body of type `body` along `path` (a dotted path of
    /// wire names), each with whether it may be absent or `null`, and the type at the end
    /// (without `Nullable`).
    fn body_path(
        &self,
        body: &TypeRef,
        path: &str,
        at: &Pointer,
    ) -> Result<(Vec<(String, bool)>, TypeRef)> {
        let mut ty = body.clone();
        let mut steps = Vec::new();
        for step in path.split('.') {
            let fields = match &ty {
                TypeRef::Named(name) => match &self.types[name].kind {
                    TypeKind::Struct { fields, .. } => fields.as_slice(),
                    _ => &[],
                },
                _ => &[],
            };
            let Some(field) = fields.iter().find(|f| f.wire_name == step) else {
                return Err(Located::new(
                    at,
                    format!("the success body has no field `{step}` on the way to `{path}`"),
                ));
            };
            let (inner, nullable) = field.ty.strip_nullable();
            steps.push((field.rust_name.clone(), !field.required || nullable));
            ty = inner.clone();
        }
        Ok((steps, ty))
    }

    /// The field of a query, header or cookie parameter in its struct.
    fn param_field(
        &mut self,
        param: &Parameter,
        pp: &Pointer,
        type_stem: &str,
        scope: &mut Scope,
    ) -> Result<Field> {
        let data = param.parameter_data_ref();
        let (ty, json) = self.param_type(data, pp, type_stem)?;
        let style = match json {
            true => Some(ParamStyle::Json),
            false => self.param_style(param, &ty, pp)?,
        };
        Ok(Field {
            wire_name: data.name.clone(),
            rust_name: scope.claim(names::snake(&data.name)),
            ty,
            required: data.required,
            description: data.description.clone(),
            setter: None,
            boxed: false,
            flatten: false,
            default: None,
            cookie: false,
            style,
        })
    }

    /// The type of a query, header or cookie parameter, without `nullable` (an unset
    /// parameter is left out), and whether it is sent as JSON text: a parameter described by
    /// `content` takes the schema of its media type, JSON when it offers several.
    fn param_type(
        &mut self,
        data: &openapiv3::ParameterData,
        pp: &Pointer,
        type_stem: &str,
    ) -> Result<(TypeRef, bool)> {
        let hint = format!("{type_stem}{}", names::camel(&data.name));
        let (schema, at, json) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => (schema, pp.push("schema"), false),
            ParameterSchemaOrContent::Content(content) => {
                let Some((media_type, media)) = pick_media(content) else {
                    return Err(Located::new(
                        &pp.push("content"),
                        "the parameter's `content` lists no media type; give it one, or a \
                         `schema`",
                    ));
                };
                let at = pp.push("content").push(&media_type);
                let Some(schema) = &media.schema else {
                    return Err(Located::new(
                        &at,
                        "the parameter's media type has no `schema`; describe the value",
                    ));
                };
                (
                    schema,
                    at.push("schema"),
                    media_kind(&media_type) == MediaKind::Json,
                )
            }
        };
        let ty = self.type_ref(schema, &at, &hint)?;
        Ok((ty.strip_nullable().0.clone(), json))
    }

    /// What a parameter's value is: one value, a list of them, or an object of them.
    fn param_shape(&self, ty: &TypeRef) -> ParamShape {
        let scalar = |ty: &TypeRef| match ty.strip_nullable().0 {
            TypeRef::String
            | TypeRef::DateTime
            | TypeRef::Integer(_)
            | TypeRef::Number
            | TypeRef::Boolean => true,
            TypeRef::Named(name) => matches!(
                self.types[name].kind,
                TypeKind::Enum { .. } | TypeKind::IntEnum { .. }
            ),
            _ => false,
        };
        let scalar_or_list = |ty: &TypeRef| match ty.strip_nullable().0 {
            TypeRef::Array(item) => scalar(item),
            other => scalar(other),
        };
        match ty {
            _ if scalar(ty) => ParamShape::Scalar,
            TypeRef::Array(item) if scalar(item) => ParamShape::List,
            TypeRef::Map(value) if scalar_or_list(value) => ParamShape::Object,
            // A free-form object: what it holds is checked when it is sent.
            TypeRef::Object => ParamShape::Object,
            TypeRef::Named(name) => match &self.types[name].kind {
                TypeKind::Struct { fields, .. }
                    if fields.iter().all(|f| !f.flatten && scalar_or_list(&f.ty)) =>
                {
                    ParamShape::Object
                }
                TypeKind::Alias(target) => self.param_shape(target),
                _ => ParamShape::Nested,
            },
            _ => ParamShape::Nested,
        }
    }

    /// How a parameter that holds a list or an object is written, from its `style` and
    /// `explode` (OpenAPI 3.0's defaults: `form` and exploded in the query and in cookies,
    /// `simple` and not exploded in headers).
    fn param_style(
        &mut self,
        param: &Parameter,
        ty: &TypeRef,
        pp: &Pointer,
    ) -> Result<Option<ParamStyle>> {
        let shape = self.param_shape(ty);
        let explode = param.parameter_data_ref().explode;
        if shape == ParamShape::Nested {
            return Err(unsupported(
                &pp.push("schema"),
                "a parameter that holds lists or objects inside a list or an object (OpenAPI \
                 defines no way to write it)",
            ));
        }
        let style = match param {
            Parameter::Query { style, .. } => {
                let explode = explode.unwrap_or(*style == QueryStyle::Form);
                match (style, shape) {
                    (QueryStyle::DeepObject, ParamShape::Object) => Some(ParamStyle::DeepObject),
                    (QueryStyle::DeepObject, _) => {
                        return Err(Located::new(
                            &pp.push("style"),
                            format!(
                                "`style: deepObject` is for object parameters, and `{}` is {}; \
                                 use `form`, or make the schema an object",
                                param.parameter_data_ref().name,
                                shape.describe()
                            ),
                        ));
                    }
                    (_, ParamShape::Scalar) => None,
                    (_, _) if explode => Some(ParamStyle::Exploded),
                    (QueryStyle::Form, _) => Some(ParamStyle::Delimited(Delimiter::Comma)),
                    (QueryStyle::SpaceDelimited, _) => {
                        Some(ParamStyle::Delimited(Delimiter::Space))
                    }
                    (QueryStyle::PipeDelimited, _) => Some(ParamStyle::Delimited(Delimiter::Pipe)),
                }
            }
            _ if shape == ParamShape::Scalar => None,
            Parameter::Header { .. } => Some(ParamStyle::Joined {
                explode: explode.unwrap_or(false),
            }),
            Parameter::Cookie { .. } => {
                if explode.unwrap_or(true) {
                    self.warn(
                        pp,
                        format!(
                            "cookie `{}` holds {}, which is sent as one cookie of \
                             comma-joined values (`explode: false`)",
                            param.parameter_data_ref().name,
                            shape.describe()
                        ),
                    );
                }
                Some(ParamStyle::Joined { explode: false })
            }
            Parameter::Path { .. } => None,
        };
        Ok(style)
    }

    /// The struct that gathers an operation's query (or header) parameters, if it has any.
    fn params_struct(
        &mut self,
        fields: Vec<Field>,
        purpose: StructPurpose,
        name: &OperationNames,
        ptr: &Pointer,
    ) -> Option<QueryParams> {
        if fields.is_empty() {
            return None;
        }
        let (suffix, what) = match purpose {
            StructPurpose::Headers => ("Headers", "Header and cookie parameters"),
            _ => ("Query", "Query parameters"),
        };
        let type_name = self.type_names.claim(format!("{}{suffix}", name.type_stem));
        let has_required = fields.iter().any(|f| f.required);
        self.types.insert(
            type_name.clone(),
            TypeDef {
                name: type_name.clone(),
                // The type lives in `types`, where `Client` is not in scope: the
                // link goes through the parent module, which re-exports it.
                description: Some(format!(
                    "{what} of [`Client::{0}`](super::Client::{0}).",
                    name.fn_name
                )),
                origin: ptr.push("parameters").to_string(),
                kind: TypeKind::Struct { fields, purpose },
            },
        );
        Some(QueryParams {
            type_name,
            has_required,
        })
    }

    fn parameter(
        &self,
        param: &ReferenceOr<Parameter>,
        ptr: &Pointer,
    ) -> Result<(Parameter, Pointer)> {
        let params = self.doc.components.as_ref().map(|c| &c.parameters);
        let (param, at) = resolve(param, params, PARAMETERS, ptr)?;
        Ok((param.clone(), at))
    }

    /// What the call sends, if anything: the body's type and how it goes on the wire, from
    /// the one media type chosen among those the spec offers.
    fn request_body(
        &mut self,
        op: &openapiv3::Operation,
        ptr: &Pointer,
        type_stem: &str,
    ) -> Result<Option<RequestBody>> {
        let Some(body) = &op.request_body else {
            return Ok(None);
        };
        let bodies = self.doc.components.as_ref().map(|c| &c.request_bodies);
        let (body, at) = resolve(body, bodies, REQUEST_BODIES, &ptr.push("requestBody"))?;
        let Some((media_type, media)) = pick_media(&body.content) else {
            return Err(Located::new(
                &at.push("content"),
                "the request body lists no media type; add one under `content`",
            ));
        };
        let others: Vec<&String> = body.content.keys().filter(|k| **k != media_type).collect();
        if !others.is_empty() {
            self.warn(
                &at.push("content"),
                format!("the body is sent as `{media_type}`; {others:?} are not offered"),
            );
        }
        if !body.required {
            self.warn(&at, "optional request body is generated as required");
        }
        let media_ptr = at.push("content").push(&media_type).push("schema");
        let kind = media_kind(&media_type);
        let schema_type = |this: &mut Self| -> Result<TypeRef> {
            match &media.schema {
                Some(schema) => this.type_ref(schema, &media_ptr, &format!("{type_stem}Request")),
                None => Err(Located::new(
                    &media_ptr,
                    "the request body has no schema; describe what is sent",
                )),
            }
        };
        let (ty, encoding) = match kind {
            MediaKind::Json => {
                let ty = match &media.schema {
                    Some(_) => schema_type(self)?,
                    None => TypeRef::Any,
                };
                self.refuse_files_in_json(&ty, &media_ptr)?;
                (ty, BodyEncoding::Json)
            }
            MediaKind::Multipart => {
                let ty = match &media.schema {
                    Some(_) => schema_type(self)?,
                    None => TypeRef::Parts,
                };
                if matches!(ty, TypeRef::Parts | TypeRef::Object | TypeRef::Any) {
                    let described = match &media.schema {
                        Some(_) => media_ptr.clone(),
                        None => at.push("content").push(&media_type),
                    };
                    self.warn(
                        &described,
                        "the multipart body's parts are not described: the caller adds text \
                         fields and files by name (`FormParts`)",
                    );
                    (TypeRef::Parts, BodyEncoding::FreeMultipart)
                } else {
                    let parts = self.form_parts(&ty, &media_ptr)?;
                    (ty, BodyEncoding::Multipart(parts))
                }
            }
            MediaKind::Form if media.schema.is_none() => {
                self.warn(
                    &at.push("content").push(&media_type),
                    "the form body has no schema: the caller gives its fields by name, as text",
                );
                (TypeRef::Map(Box::new(TypeRef::String)), BodyEncoding::Form)
            }
            MediaKind::Form => {
                let ty = schema_type(self)?;
                self.refuse_files_in_json(&ty, &media_ptr)?;
                (ty, BodyEncoding::Form)
            }
            MediaKind::Text => (TypeRef::String, BodyEncoding::Text(media_type.clone())),
            MediaKind::Binary => (TypeRef::Bytes, BodyEncoding::Binary(media_type.clone())),
        };
        Ok(Some(RequestBody {
            ty,
            description: body.description.clone(),
            encoding,
        }))
    }

    /// The parts of a multipart body: one per field of its struct, each a file or a text.
    fn form_parts(&self, ty: &TypeRef, ptr: &Pointer) -> Result<Vec<FormPart>> {
        let fields = match ty {
            TypeRef::Named(name) => match &self.types[name].kind {
                TypeKind::Struct { fields, .. } => fields,
                _ => &Vec::new(),
            },
            _ => &Vec::new(),
        };
        if fields.is_empty() {
            return Err(Located::new(
                ptr,
                "a multipart body must be an object with properties (one part each)",
            ));
        }
        fields
            .iter()
            .map(|field| {
                // A file, or text (a scalar or an enum): what one part can hold.
                let single = |ty: &TypeRef| match ty {
                    TypeRef::File => Some(FormPartKind::File),
                    TypeRef::String
                    | TypeRef::DateTime
                    | TypeRef::Integer(_)
                    | TypeRef::Number
                    | TypeRef::Boolean => Some(FormPartKind::Text),
                    TypeRef::Named(name)
                        if matches!(
                            self.types[name].kind,
                            TypeKind::Enum { .. } | TypeKind::IntEnum { .. }
                        ) =>
                    {
                        Some(FormPartKind::Text)
                    }
                    _ => None,
                };
                let kind = match field.ty.strip_nullable().0 {
                    // A list is one part per item, all under the property's name, as browsers
                    // send a multiple file input or repeated fields.
                    TypeRef::Array(item) => match single(item) {
                        Some(FormPartKind::File) => FormPartKind::FileList,
                        Some(_) => FormPartKind::TextList,
                        None => {
                            return Err(unsupported(
                                &Pointer::from_fragment(&self.types_origin(ty))
                                    .push("properties")
                                    .push(&field.wire_name),
                                "a multipart part that is a list of lists or objects",
                            ));
                        }
                    },
                    other if single(other).is_some() => single(other).expect("just matched"),
                    _ => {
                        return Err(unsupported(
                            &Pointer::from_fragment(&self.types_origin(ty))
                                .push("properties")
                                .push(&field.wire_name),
                            "a multipart part that is neither a file nor a scalar",
                        ));
                    }
                };
                Ok(FormPart {
                    wire_name: field.wire_name.clone(),
                    rust_name: field.rust_name.clone(),
                    // A nullable field is an `Option` even when required.
                    required: field.required && !field.ty.strip_nullable().1,
                    kind,
                })
            })
            .collect()
    }

    fn types_origin(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Named(name) => self.types[name].origin.clone(),
            _ => String::new(),
        }
    }

    /// A file (`format: binary`) can only travel as a multipart part; inside JSON it has no
    /// representation, so such a body or response is refused here rather than at compile time.
    fn refuse_files_in_json(&self, ty: &TypeRef, ptr: &Pointer) -> Result<()> {
        let mut seen = std::collections::BTreeSet::new();
        let mut stack = vec![ty];
        while let Some(ty) = stack.pop() {
            match ty {
                TypeRef::File => {
                    return Err(unsupported(
                        ptr,
                        "a `format: binary` string inside a JSON body (send it as \
                         `multipart/form-data`, or use `format: byte` for base64 text)",
                    ));
                }
                TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                    stack.push(inner);
                }
                TypeRef::Named(name) if seen.insert(name.clone()) => match &self.types[name].kind {
                    TypeKind::Struct { fields, .. } => stack.extend(fields.iter().map(|f| &f.ty)),
                    TypeKind::Union { variants, .. } => {
                        stack.extend(variants.iter().map(|v| &v.ty));
                    }
                    TypeKind::Alias(target) => stack.push(target),
                    TypeKind::Enum { .. }
                    | TypeKind::IntEnum { .. }
                    | TypeKind::Responses { .. } => {}
                },
                _ => {}
            }
        }
        Ok(())
    }

    /// The success response (one body type, or an enum of them when the 2xx bodies differ)
    /// and the `ApiErrorBody` variant of each documented error status with a JSON body.
    fn responses(
        &mut self,
        op: &openapiv3::Operation,
        ptr: &Pointer,
        type_stem: &str,
        method: Method,
    ) -> Result<(Success, Vec<(Status, String)>)> {
        let responses_ptr = ptr.push("responses");
        // The answer to a HEAD has no body, whatever the spec describes: its headers are it.
        let head = method == Method::Head;
        let components = self.doc.components.as_ref().map(|c| &c.responses);
        let mut cases: Vec<(u16, ResponseBody)> = Vec::new();
        let mut redirects = Vec::new();
        let several_successes = op
            .responses
            .responses
            .keys()
            .filter(|s| matches!(s, StatusCode::Code(200..=299)))
            .count()
            > 1;
        let mut errors = Vec::new();
        let documents_success = op
            .responses
            .responses
            .keys()
            .any(|s| matches!(s, StatusCode::Code(200..=399) | StatusCode::Range(2 | 3)));
        if op.responses.default.is_some() && documents_success {
            self.warn(
                &responses_ptr.push("default"),
                "the `default` response is not modelled; such statuses surface as \
                 `Error::UnexpectedStatus`",
            );
        }
        let mut classes = Vec::new();
        for (status, response) in &op.responses.responses {
            let status_ptr = responses_ptr.push(status);
            let code = match *status {
                StatusCode::Code(code) => code,
                StatusCode::Range(class) => {
                    classes.push((class, response, status_ptr));
                    continue;
                }
            };
            let component_name = component_name(response, &status_ptr)?;
            let (response, at) = resolve(response, components, RESPONSES, &status_ptr)?;
            let hint = match code {
                // Several success bodies are told apart by their status in the name.
                200..=299 if several_successes => {
                    format!("{type_stem}{}Response", status_name(code))
                }
                200..=299 => format!("{type_stem}Response"),
                _ => format!("{type_stem}Error{code}"),
            };
            let body = match code {
                200..=299 if head => ResponseBody::Empty,
                _ => self.response_body(response, &at, &hint)?,
            };
            match code {
                200..=299 => cases.push((code, body)),
                300..=399 => redirects.push((code, body, status_ptr)),
                400..=599 => {
                    let ty = match body {
                        ResponseBody::Json(ty) => ty,
                        // No JSON to parse: the status alone is the documented error, and
                        // the text (if any) stays in `Error::UnexpectedStatus`.
                        _ => continue,
                    };
                    self.push_error(&mut errors, Status::Code(code), component_name, ty);
                }
                _ => self.warn(
                    &status_ptr,
                    "informational and redirect statuses are not modelled",
                ),
            }
        }
        let mut any_2xx = false;
        for (class, response, at) in classes {
            any_2xx |=
                self.status_class(class, response, &at, type_stem, &mut cases, &mut errors)?;
        }
        // Classes after codes: a `match` tries its arms in order.
        errors.sort_by_key(|(status, _)| matches!(status, Status::Class(_)));
        if cases.is_empty() {
            any_2xx =
                self.undocumented_success(op, &responses_ptr, type_stem, &mut cases, redirects)?;
        } else {
            for (_, _, at) in redirects {
                self.warn(&at, "informational and redirect statuses are not modelled");
            }
        }
        let several = if cases.iter().all(|(_, body)| *body == cases[0].1) {
            None
        } else {
            // Different bodies per status: the method returns an enum of them.
            let mut scope = Scope::new();
            let variants = cases
                .iter()
                .map(|(status, body)| ResponseVariant {
                    status: *status,
                    rust_name: scope.claim(status_name(*status)),
                    body: body.clone(),
                })
                .collect();
            let name = self.type_names.claim(format!("{type_stem}Responses"));
            self.types.insert(
                name.clone(),
                TypeDef {
                    name: name.clone(),
                    description: Some(format!(
                        "The success responses of `{}`, one variant per status.",
                        op.operation_id.as_deref().unwrap_or(type_stem)
                    )),
                    origin: responses_ptr.to_string(),
                    kind: TypeKind::Responses { variants },
                },
            );
            Some(name)
        };
        Ok((
            Success {
                cases,
                several,
                any_2xx,
            },
            errors,
        ))
    }

    /// The success of an operation that documents no 2xx status, in `cases`: its `default`
    /// response, for any 2xx status; else the redirects it documents (the client never
    /// follows one, so they are its answer); else any 2xx status, as raw bytes with the
    /// status and headers. Whether any 2xx status is the success.
    fn undocumented_success(
        &mut self,
        op: &openapiv3::Operation,
        responses_ptr: &Pointer,
        type_stem: &str,
        cases: &mut Vec<(u16, ResponseBody)>,
        redirects: Vec<(u16, ResponseBody, Pointer)>,
    ) -> Result<bool> {
        if let Some(default) = &op.responses.default {
            let components = self.doc.components.as_ref().map(|c| &c.responses);
            let at = responses_ptr.push("default");
            let (response, at) = resolve(default, components, RESPONSES, &at)?;
            let body = self.response_body(response, &at, &format!("{type_stem}Response"))?;
            self.warn(
                &responses_ptr.push("default"),
                "no 2xx response is documented: `default` is read as the success, for any 2xx \
                 status",
            );
            cases.push((200, body));
            return Ok(true);
        }
        if !redirects.is_empty() {
            self.warn(
                responses_ptr,
                "no 2xx response is documented: the redirect statuses are the success (the \
                 client never follows a redirect; the `Location` is in the response's headers)",
            );
            cases.extend(redirects.into_iter().map(|(code, body, _)| (code, body)));
            return Ok(false);
        }
        self.warn(
            responses_ptr,
            "no success response is documented: any 2xx status is the success, read as raw \
             bytes with its status and headers",
        );
        cases.push((200, ResponseBody::Binary));
        Ok(true)
    }

    /// A status class (`2XX`, `4XX`): a `2XX` is the success for any 2xx status when no 2xx
    /// code is listed (it returns true then); a `4XX` or `5XX` with a JSON body is the error
    /// body of the codes of its class that are not listed. Others are warned about.
    fn status_class(
        &mut self,
        class: u16,
        response: &ReferenceOr<Response>,
        at: &Pointer,
        type_stem: &str,
        cases: &mut Vec<(u16, ResponseBody)>,
        errors: &mut Vec<(Status, String)>,
    ) -> Result<bool> {
        let components = self.doc.components.as_ref().map(|c| &c.responses);
        match class {
            2 if cases.is_empty() => {
                let (response, at) = resolve(response, components, RESPONSES, at)?;
                let body = self.response_body(response, &at, &format!("{type_stem}Response"))?;
                cases.push((200, body));
                Ok(true)
            }
            2 => {
                self.warn(
                    at,
                    "`2XX` beside listed 2xx statuses is not modelled; its other statuses \
                     surface as `Error::UnexpectedStatus`",
                );
                Ok(false)
            }
            4 | 5 => {
                let component_name = component_name(response, at)?;
                let (response, body_at) = resolve(response, components, RESPONSES, at)?;
                let hint = format!("{type_stem}Error{class}XX");
                // No JSON to parse: the status alone says it, in `Error::UnexpectedStatus`.
                let ResponseBody::Json(ty) = self.response_body(response, &body_at, &hint)? else {
                    return Ok(false);
                };
                self.push_error(errors, Status::Class(class), component_name, ty);
                Ok(false)
            }
            _ => {
                self.warn(at, "informational and redirect statuses are not modelled");
                Ok(false)
            }
        }
    }

    /// Records that `status` answers with the error body `ty`: its `ApiErrorBody` variant is
    /// named after the response component it came from, else after its type, else the status.
    fn push_error(
        &mut self,
        errors: &mut Vec<(Status, String)>,
        status: Status,
        component_name: Option<String>,
        ty: TypeRef,
    ) {
        let name = match (component_name, &ty) {
            (Some(name), _) => names::camel(&name),
            (None, TypeRef::Named(name)) => name.clone(),
            (None, _) => format!("Status{status}"),
        };
        let variant = self.error_variant(ty, name, status);
        errors.push((status, variant));
    }

    /// The `ApiErrorBody` variant for an error body of type `ty`, made on first use.
    fn error_variant(&mut self, ty: TypeRef, name: String, status: Status) -> String {
        let names = &mut self.error_variant_names;
        let variant = self
            .error_variants
            .entry(ty.clone())
            .or_insert_with(|| ErrorVariant {
                name: names.claim(name),
                ty,
                statuses: Vec::new(),
            });
        if !variant.statuses.contains(&status) {
            variant.statuses.push(status);
            variant.statuses.sort_unstable();
        }
        variant.name.clone()
    }

    /// How a response's body is read: JSON as a type, text, bytes, or not at all.
    fn response_body(
        &mut self,
        response: &Response,
        ptr: &Pointer,
        hint: &str,
    ) -> Result<ResponseBody> {
        let Some((media_type, media)) = pick_media(&response.content) else {
            return Ok(ResponseBody::Empty);
        };
        let others: Vec<&String> = response
            .content
            .keys()
            .filter(|k| **k != media_type)
            .collect();
        if !others.is_empty() {
            self.warn(
                &ptr.push("content"),
                format!("the response is read as `{media_type}`; {others:?} are not offered"),
            );
        }
        Ok(match media_kind(&media_type) {
            MediaKind::Json => match &media.schema {
                Some(schema) => {
                    let schema_ptr = ptr.push("content").push(&media_type).push("schema");
                    let ty = self.type_ref(schema, &schema_ptr, hint)?;
                    self.refuse_files_in_json(&ty, &schema_ptr)?;
                    match ty {
                        // Only `null`: nothing worth reading.
                        TypeRef::Unit => ResponseBody::Empty,
                        ty => ResponseBody::Json(ty),
                    }
                }
                None => ResponseBody::Json(TypeRef::Any),
            },
            MediaKind::Text => ResponseBody::Text,
            _ => ResponseBody::Binary,
        })
    }

    /// Whether the call sends the token, and which scopes the spec says it needs; records
    /// where its alternatives can send the token.
    fn security(
        &mut self,
        op: &openapiv3::Operation,
        ptr: &Pointer,
    ) -> Result<(bool, Vec<String>)> {
        let (requirements, at) = match &op.security {
            Some(requirements) => (requirements, ptr.push("security")),
            None => match &self.doc.security {
                Some(requirements) => (requirements, Pointer::root().push("security")),
                None => return Ok((false, Vec::new())),
            },
        };
        let schemes = self.doc.components.as_ref().map(|c| &c.security_schemes);
        let mut scopes = Vec::new();
        let mut places = Vec::new();
        for (i, requirement) in requirements.iter().enumerate() {
            // The schemes of one alternative are all sent: usable when they send the one
            // token the same way.
            let mut alternative: Option<crate::model::Credential> = None;
            for (scheme_name, required_scopes) in requirement {
                let scheme = schemes.and_then(|s| s.get(scheme_name)).ok_or_else(|| {
                    Located::new(
                        &at.push(i).push(scheme_name),
                        format!(
                            "security scheme `{scheme_name}` is not defined in \
                             `#/components/securitySchemes`"
                        ),
                    )
                })?;
                let scheme_at = Pointer::root()
                    .push("components")
                    .push("securitySchemes")
                    .push(scheme_name);
                let ReferenceOr::Item(scheme) = scheme else {
                    return Err(unsupported(&scheme_at, "a `$ref` to a security scheme"));
                };
                let place = credential::place(scheme, &scheme_at)?;
                match &alternative {
                    Some(other) if *other != place => {
                        return Err(Located::new(
                            &at.push(i),
                            "this requirement sends two credentials at once; the generated \
                             client holds one token",
                        ));
                    }
                    _ => alternative = Some(place),
                }
                for scope in required_scopes {
                    if !scopes.contains(scope) {
                        scopes.push(scope.clone());
                    }
                }
            }
            if let Some(place) = alternative.filter(|p| !places.contains(p)) {
                places.push(place);
            }
        }
        let authenticated = !places.is_empty();
        self.credentials.record(places, at);
        Ok((authenticated, scopes))
    }
}

/// How a media type travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MediaKind {
    Json,
    Multipart,
    Form,
    Text,
    Binary,
}

fn media_kind(media_type: &str) -> MediaKind {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "application/json" => MediaKind::Json,
        t if t.ends_with("+json") || t == "*/*" => MediaKind::Json,
        "multipart/form-data" => MediaKind::Multipart,
        "application/x-www-form-urlencoded" => MediaKind::Form,
        t if t.starts_with("text/") => MediaKind::Text,
        _ => MediaKind::Binary,
    }
}

/// The media type a body is sent or read as, when the spec offers several: JSON first.
fn pick_media(
    content: &IndexMap<String, openapiv3::MediaType>,
) -> Option<(String, &openapiv3::MediaType)> {
    let order = [
        MediaKind::Json,
        MediaKind::Multipart,
        MediaKind::Form,
        MediaKind::Text,
        MediaKind::Binary,
    ];
    order.iter().find_map(|kind| {
        content
            .iter()
            .find(|(media_type, _)| media_kind(media_type) == *kind)
            .map(|(media_type, media)| (media_type.clone(), media))
    })
}

/// A variant name for a success status: `Ok`, `Created`, … or `Status2xx`.
fn status_name(status: u16) -> String {
    match status {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritative",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        _ => return format!("Status{status}"),
    }
    .to_owned()
}

/// The name of the `components/responses` entry a response refers to, if it is a reference.
fn component_name(response: &ReferenceOr<Response>, at: &Pointer) -> Result<Option<String>> {
    Ok(match response {
        ReferenceOr::Reference { reference } => {
            Some(local_ref(reference, RESPONSES, at)?.to_owned())
        }
        ReferenceOr::Item(_) => None,
    })
}

fn unsupported(ptr: &Pointer, what: &str) -> Located {
    Located::new(ptr, format!("{what} is not supported by the generator yet"))
}

/// What a parameter holds, for choosing how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ParamShape {
    Scalar,
    List,
    Object,
    /// Lists or objects inside a list or an object.
    Nested,
}

impl ParamShape {
    fn describe(self) -> &'static str {
        match self {
            ParamShape::Scalar => "a single value",
            ParamShape::List => "a list",
            ParamShape::Object => "an object",
            ParamShape::Nested => "a nested structure",
        }
    }
}

/// What one operation is called, decided once for all its steps.
struct OperationNames {
    /// The `operationId`, or one made of the method and path.
    id: String,
    /// The client method.
    fn_name: String,
    /// The start of the names of the operation's types (`GetAccount` in `GetAccountQuery`).
    type_stem: String,
}

/// An operation's parameters by name and location (`query`, `header`, `path`, `cookie`),
/// each with where it is defined.
type Parameters = IndexMap<(String, &'static str), (Parameter, Pointer)>;

/// The parameters other than the path's, by how the call sends them.
#[derive(Default)]
struct SortedParams {
    constant_headers: Vec<(String, String)>,
    query_fields: Vec<Field>,
    header_fields: Vec<Field>,
}

/// A declared path parameter must appear in the template: an argument the path never uses
/// would be silently dropped.
fn check_path_param(
    data: &openapiv3::ParameterData,
    pp: &Pointer,
    path: &str,
    path_params: &[Param],
) -> Result<()> {
    let name = &data.name;
    if !path_params.iter().any(|p| p.wire_name == *name) {
        return Err(Located::new(
            pp,
            format!(
                "path parameter `{name}` does not appear in the path `{path}`; remove it or add \
                 `{{{name}}}` to the path"
            ),
        ));
    }
    Ok(())
}

/// The argument the client's rate limiter keys the call by: the first of the API's rate-limit
/// keys that the call names, in the path, as a required string query parameter, or as a
/// required string field of its JSON body (some APIs take the key in the body of the calls
/// that have one).
fn limit_key(
    keys: &[String],
    path_params: &[Param],
    query_fields: &[Field],
    body_fields: &[Field],
) -> Option<LimitKey> {
    let required_string = |fields: &[Field], key: &str| -> Option<String> {
        fields
            .iter()
            .find(|f| f.wire_name == key && f.required && f.ty == TypeRef::String)
            .map(|f| f.rust_name.clone())
    };
    keys.iter().find_map(|key| {
        path_params
            .iter()
            .position(|p| p.wire_name == *key)
            .map(LimitKey::Path)
            .or_else(|| required_string(query_fields, key).map(LimitKey::Query))
            .or_else(|| required_string(body_fields, key).map(LimitKey::Body))
    })
}

/// Whether the operation may be sent twice: its method says so, or the spec does.
fn idempotent(method: Method, op: &openapiv3::Operation, ptr: &Pointer) -> Result<bool> {
    let by_method = matches!(
        method,
        Method::Get | Method::Put | Method::Delete | Method::Head | Method::Options | Method::Trace
    );
    match op.extensions.get(IDEMPOTENT) {
        None => Ok(by_method),
        Some(serde_json::Value::Bool(marked)) => Ok(by_method || *marked),
        Some(_) => Err(Located::new(
            &ptr.push(IDEMPOTENT),
            format!("`{IDEMPOTENT}` must be `true` or `false`"),
        )),
    }
}

/// The note of `#[deprecated]` on a deprecated operation: the spec's own, or a generic one.
fn deprecation(op: &openapiv3::Operation) -> Option<String> {
    op.deprecated
        .then(|| match op.extensions.get(DEPRECATION_NOTE) {
            Some(serde_json::Value::String(note)) => note.clone(),
            _ => "This operation is deprecated by the API.".to_owned(),
        })
}

fn param_key(param: &Parameter) -> (String, &'static str) {
    let location = match param {
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Path { .. } => "path",
        Parameter::Cookie { .. } => "cookie",
    };
    (param.parameter_data_ref().name.clone(), location)
}

/// Whether `name` is an HTTP token (RFC 9110), as header and cookie names must be.
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// The value of a parameter whose schema allows exactly one string.
fn constant_value(data: &openapiv3::ParameterData) -> Option<String> {
    let ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) = &data.format else {
        return None;
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => match s.enumeration.as_slice() {
            [Some(value)] => Some(value.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// The name in a local reference such as `#/components/schemas/Account`.
fn local_ref<'r>(reference: &'r str, prefix: &str, ptr: &Pointer) -> Result<&'r str> {
    match reference.strip_prefix(prefix) {
        Some(name) if !name.is_empty() && !name.contains('/') => Ok(name),
        _ if !reference.starts_with('#') => Err(unsupported(
            ptr,
            &format!("`$ref: {reference}` (a reference to another file)"),
        )),
        _ => Err(Located::new(
            ptr,
            format!("`$ref: {reference}` must point into `{prefix}…` here"),
        )),
    }
}

/// Follows `$ref`s into one components map (chains allowed, cycles refused).
fn resolve<'d, T>(
    item: &'d ReferenceOr<T>,
    components: Option<&'d IndexMap<String, ReferenceOr<T>>>,
    prefix: &str,
    ptr: &Pointer,
) -> Result<(&'d T, Pointer)> {
    let mut current = item;
    let mut at = ptr.clone();
    for _ in 0..16 {
        match current {
            ReferenceOr::Item(item) => return Ok((item, at)),
            ReferenceOr::Reference { reference } => {
                let name = local_ref(reference, prefix, &at)?;
                current = components.and_then(|c| c.get(name)).ok_or_else(|| {
                    Located::new(
                        &at,
                        format!("`$ref: {reference}` points to nothing; define `{name}` there"),
                    )
                })?;
                at = Pointer::from_fragment(reference);
            }
        }
    }
    Err(Located::new(
        ptr,
        "this `$ref` chain never reaches a definition: the references loop; make one of \
         them a definition",
    ))
}

enum Segment {
    Literal(String),
    Param(String),
}

/// Splits `/a/{b}/c` into literals and parameter names.
fn parse_template(path: &str, ptr: &Pointer) -> Result<(Vec<Segment>, Vec<String>)> {
    let mut segments = Vec::new();
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            return Err(Located::new(
                ptr,
                format!("path `{path}` has an unclosed `{{`"),
            ));
        };
        if open > 0 {
            segments.push(Segment::Literal(rest[..open].to_owned()));
        }
        let name = &rest[open + 1..close];
        if name.is_empty() || name.contains('{') {
            return Err(Located::new(
                ptr,
                format!("path `{path}` has an empty or nested `{{}}`"),
            ));
        }
        if !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
        segments.push(Segment::Param(name.to_owned()));
        rest = &rest[close + 1..];
    }
    if rest.contains('}') {
        return Err(Located::new(
            ptr,
            format!("path `{path}` has an unmatched `}}`"),
        ));
    }
    if !rest.is_empty() {
        segments.push(Segment::Literal(rest.to_owned()));
    }
    Ok((segments, names))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A spec with one paged operation: `GET /things` with `skip` and `limit`, answered with
    /// `{data: {things: [...], count, label}}` where `data` and `count` may be absent.
    fn paged(extension: &str) -> std::result::Result<Api, Located> {
        let text = format!(
            "openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /things:
    get:
      operationId: list-things
      x-pagination: {extension}
      parameters:
        - {{name: skip, in: query, schema: {{type: integer}}}}
        - {{name: limit, in: query, schema: {{type: string}}}}
      responses:
        '200':
          description: One page.
          content:
            application/json:
              schema:
                type: object
                properties:
                  data:
                    type: object
                    required: [things, label]
                    properties:
                      things: {{type: array, items: {{type: string}}}}
                      count: {{type: integer, nullable: true}}
                      label: {{type: string}}
                      sizes: {{type: array, items: {{type: integer}}}}
"
        );
        lower(&serde_norway::from_str(&text).unwrap())
    }

    fn failure(extension: &str) -> (String, String) {
        let error = paged(extension).unwrap_err();
        (error.pointer.to_string(), error.message)
    }

    #[test]
    fn the_total_and_the_names_of_both_streams_are_in_the_model() {
        let api = paged("{items: data.things, total: data.count}").unwrap();
        let paging = api.operations[0].pagination.clone().unwrap();
        assert_eq!(paging.stream_fn, "list_things_stream");
        assert_eq!(paging.pages_fn, "list_things_pages");
        assert_eq!(
            paging.items_path,
            [("data".to_owned(), true), ("things".to_owned(), false)]
        );
        // `count` is required nowhere and nullable: optional either way.
        assert_eq!(
            paging.total_path,
            Some(vec![("data".to_owned(), true), ("count".to_owned(), true)])
        );
        // A string holding a number will do.
        let api = paged("{items: data.things, total: data.label}").unwrap();
        let paging = api.operations[0].pagination.clone().unwrap();
        assert_eq!(
            paging.total_path,
            Some(vec![("data".to_owned(), true), ("label".to_owned(), false)])
        );
        let api = paged("{items: data.things}").unwrap();
        assert_eq!(
            api.operations[0].pagination.as_ref().unwrap().total_path,
            None
        );
    }

    #[test]
    fn made_up_method_names_that_collide_are_numbered_but_given_ones_are_refused() {
        let spec = |second_id: &str| {
            format!(
                "openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /foo/bar:
    get: {{responses: {{'204': {{description: x}}}}}}
  /foo.bar:
    get: {{{second_id}responses: {{'204': {{description: x}}}}}}
"
            )
        };
        let api = lower(&serde_norway::from_str(&spec("")).unwrap()).unwrap();
        let names: Vec<&str> = api.operations.iter().map(|o| o.fn_name.as_str()).collect();
        assert_eq!(names, ["get_foo_bar", "get_foo_bar2"]);
        assert!(
            api.warnings
                .iter()
                .any(|w| w.pointer == "#/paths/~1foo.bar/get" && w.message.contains("get_foo_bar2"))
        );
        let error = lower(&serde_norway::from_str(&spec("operationId: get-foo-bar, ")).unwrap())
            .unwrap_err();
        assert_eq!(
            error.pointer.to_string(),
            "#/paths/~1foo.bar/get/operationId"
        );
    }

    #[test]
    fn an_all_of_part_restating_a_property_makes_one_field() {
        let text = "openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Base:
      type: object
      properties: {id: {type: string}, size: {type: integer}}
    Item:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          required: [size]
          properties: {size: {type: string}, name: {type: string}}
";
        let api = lower(&serde_norway::from_str(text).unwrap()).unwrap();
        let TypeKind::Struct { fields, .. } = &api.types["Item"].kind else {
            panic!("a struct");
        };
        let shape: Vec<(&str, &TypeRef, bool)> = fields
            .iter()
            .map(|f| (f.wire_name.as_str(), &f.ty, f.required))
            .collect();
        assert_eq!(
            shape,
            [
                ("id", &TypeRef::String, false),
                ("size", &TypeRef::String, true),
                ("name", &TypeRef::String, false),
            ]
        );
        assert!(api.warnings.iter().any(|w| {
            w.pointer == "#/components/schemas/Item/allOf/1/properties/size"
                && w.message.contains("earlier `allOf` part")
        }));
    }

    #[test]
    fn a_broken_x_pagination_is_an_error_at_its_key() {
        let at = "#/paths/~1things/get/x-pagination";
        for (extension, key, words) in [
            (
                "{items: data.things, total: data.total}",
                "/total",
                "the success body has no field `total` on the way to `data.total`",
            ),
            (
                "{items: data.things, total: data.sizes}",
                "/total",
                "`data.sizes` is not an integer (or a string holding one)",
            ),
            (
                "{items: data.things, total: data}",
                "/total",
                "`data` is not an integer",
            ),
            (
                "{items: data.things, total: 7}",
                "/total",
                "must be a string",
            ),
            (
                "{items: data.things, totl: data.count}",
                "/totl",
                "did you mean `total`",
            ),
            ("{total: data.count}", "/items", "is required"),
        ] {
            let (pointer, message) = failure(extension);
            assert_eq!(pointer, format!("{at}{key}"), "{extension}");
            assert!(message.contains(words), "{extension}: {message}");
        }
    }

    /// The rate-limit key of each operation of a spec keyed by `[tenant, region]`: in the path,
    /// in the query or in a JSON body, and only a required string counts.
    #[test]
    fn the_limit_key_is_found_in_the_path_the_query_or_the_body() {
        let text = "openapi: 3.0.3
info: {title: t, version: '1'}
x-rate-limit: {key: [tenant, region]}
paths:
  /t/{tenant}/a:
    post:
      operationId: in-path
      parameters:
        - {name: tenant, in: path, required: true, schema: {type: string}}
        - {name: region, in: query, required: true, schema: {type: string}}
      requestBody: &body
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [tenant]
              properties: {tenant: {type: string}}
      responses: &ok {'204': {description: Done.}}
  /b:
    post:
      operationId: in-query-before-body
      parameters:
        - {name: tenant, in: query, required: true, schema: {type: string}}
      requestBody: *body
      responses: *ok
  /c:
    post:
      operationId: in-body
      requestBody: *body
      responses: *ok
  /d:
    post:
      operationId: second-key-in-body
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [region]
              properties: {tenant: {type: string}, region: {type: string}}
      responses: *ok
  /e:
    post:
      operationId: optional-or-not-a-string
      parameters:
        - {name: tenant, in: query, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [region]
              properties: {region: {type: integer}}
      responses: *ok
";
        let api = lower(&serde_norway::from_str(text).unwrap()).unwrap();
        let keys: Vec<_> = api
            .operations
            .iter()
            .map(|op| (op.id.as_str(), op.limit_key.clone()))
            .collect();
        assert_eq!(
            keys,
            [
                ("in-path", Some(LimitKey::Path(0))),
                (
                    "in-query-before-body",
                    Some(LimitKey::Query("tenant".into()))
                ),
                ("in-body", Some(LimitKey::Body("tenant".into()))),
                ("second-key-in-body", Some(LimitKey::Body("region".into()))),
                ("optional-or-not-a-string", None),
            ]
        );
    }
}

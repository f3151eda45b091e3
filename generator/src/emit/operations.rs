//! `operations.rs`: one async method on `Client` per operation.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::types::{body_type, ident, rust_type};
use super::{doc_attrs, runtime};
use crate::model::{
    Api, BodyEncoding, Credential, Field, FormPartKind, LimitKey, Method, Operation, PageParamHome,
    Pagination, ParamStyle, PathSegment, QueryParams, ResponseBody, Status, TypeKind, TypeRef,
};

pub fn module(api: &Api) -> TokenStream {
    let rt = runtime();
    let methods = api.operations.iter().map(|op| {
        let streams = op
            .pagination
            .as_ref()
            .map(|paging| [pages_method(op, paging), stream_method(op, paging)]);
        let method = method(api, op);
        let streams = streams.into_iter().flatten();
        quote!(#method #(#streams)*)
    });
    let uses_paging = api.operations.iter().any(|op| op.pagination.is_some());
    let paging_import = uses_paging.then(|| {
        quote!(
            use #rt::Stream;
            use #rt::codegen::{PageFacts, PageNumber, Pager, page_items, paginate};
        )
    });
    let uses_error_body = api.operations.iter().any(|op| !op.errors.is_empty());
    let error_body_import = uses_error_body.then(|| {
        quote!(
            use super::ApiErrorBody;
        )
    });
    let uses_multipart = api.operations.iter().any(|op| {
        op.body
            .as_ref()
            .is_some_and(|b| matches!(b.encoding, BodyEncoding::Multipart(_)))
    });
    let multipart_import = uses_multipart.then(|| quote!(Multipart,));
    let uses_path_params = api.operations.iter().any(|op| !op.path_params.is_empty());
    let encode_import = uses_path_params.then(|| quote!(encode_path));
    // A spec whose operations take and return only plain values names no generated type.
    let uses_types = api.operations.iter().any(Operation::uses_generated_types);
    let types_import = uses_types.then(|| {
        quote!(
            use super::types;
        )
    });
    quote! {
        //! One method on [`Client`] per operation of the spec.

        #error_body_import
        #types_import
        use #rt::Response;
        use #rt::codegen::{Method, #multipart_import Operation, Request, #encode_import};
        #paging_import

        use super::{Client, Error};

        impl Client {
            #(#methods)*
        }
    }
}

fn method(api: &Api, op: &Operation) -> TokenStream {
    let docs = method_docs(op, &api.profile.credential);
    let deprecated = op
        .deprecated
        .as_ref()
        .map(|note| quote!(#[deprecated(note = #note)]));
    let name = ident(&op.fn_name);

    let mut args = Vec::new();
    for p in &op.path_params {
        let arg = ident(&p.rust_name);
        args.push(quote!(#arg: &str));
    }
    if let Some(query) = &op.query {
        args.push(query_arg(query, None));
    }
    if let Some(headers) = &op.headers {
        let ty = ident(&headers.type_name);
        args.push(quote!(headers: &types::#ty));
    }
    args.extend(body_arg(op));
    let output = output_type(op);

    let id = &op.id;
    let path_template = &op.path;
    let http_method = match op.method {
        Method::Get => quote!(Method::Get),
        Method::Put => quote!(Method::Put),
        Method::Post => quote!(Method::Post),
        Method::Delete => quote!(Method::Delete),
        Method::Patch => quote!(Method::Patch),
        Method::Head => quote!(Method::Head),
        Method::Options => quote!(Method::Options),
        Method::Trace => quote!(Method::Trace),
    };
    let authenticated = op.authenticated;
    let idempotent = op.idempotent;
    let headers = op
        .constant_headers
        .iter()
        .map(|(name, value)| quote!((#name, #value)));
    let path = path_statements(op);
    let query = op
        .query
        .as_ref()
        .map(|query| match query_is_optional(query) {
            true => quote!(.query_if(query)?),
            false => quote!(.query(query)?),
        });
    // An optional query is taken as anything that becomes an `Option` of it.
    let optional_query = op.query.as_ref().filter(|q| query_is_optional(q)).map(|q| {
        let ty = ident(&q.type_name);
        quote!(let query: Option<&types::#ty> = query.into();)
    });
    let limit_key = op.limit_key.as_ref().map(|source| match source {
        // The percent-encoded form: as good a limiter key as the raw one.
        LimitKey::Path(i) => {
            let local = ident(&op.path_params[*i].encoded_name);
            quote!(.limit_key(&#local))
        }
        LimitKey::Query(field) => {
            let field = ident(field);
            quote!(.limit_key(&query.#field))
        }
        LimitKey::Body(field) => {
            let field = ident(field);
            quote!(.limit_key(&body.#field))
        }
    });
    let header_params = op
        .headers
        .as_ref()
        .map(|headers| header_statements(struct_fields(api, &headers.type_name)));
    let (form, body) = match op.body.as_ref().map(|b| &b.encoding) {
        None => (None, None),
        Some(BodyEncoding::Json) => (None, Some(quote!(.json(body)?))),
        Some(BodyEncoding::Form) => (None, Some(quote!(.form(body)?))),
        Some(BodyEncoding::FreeMultipart) => (None, Some(quote!(.form_parts(body)))),
        Some(BodyEncoding::Text(content_type)) => (None, Some(quote!(.text(#content_type, body)))),
        Some(BodyEncoding::Binary(content_type)) => {
            (None, Some(quote!(.binary(#content_type, body.into()))))
        }
        Some(BodyEncoding::Multipart(parts)) => {
            let adds = parts.iter().map(|part| {
                let wire = &part.wire_name;
                let field = ident(&part.rust_name);
                let (add, list) = match part.kind {
                    FormPartKind::File => (quote!(file), false),
                    FormPartKind::Text => (quote!(text), false),
                    FormPartKind::FileList => (quote!(file), true),
                    FormPartKind::TextList => (quote!(text), true),
                };
                match (part.required, list) {
                    (true, false) => quote!(form.#add(#wire, &body.#field);),
                    (false, false) => {
                        quote!(if let Some(value) = &body.#field { form.#add(#wire, value); })
                    }
                    (true, true) => quote!(for value in &body.#field { form.#add(#wire, value); }),
                    (false, true) => quote! {
                        for value in body.#field.iter().flatten() { form.#add(#wire, value); }
                    },
                }
            });
            let form = quote! {
                let mut form = Multipart::new();
                #(#adds)*
            };
            (Some(form), Some(quote!(.multipart(form))))
        }
    };

    let success = success_arms(api, op);
    let errors = op.errors.iter().map(|(status, variant)| {
        let status = match *status {
            Status::Code(code) => {
                let code = Literal::u16_unsuffixed(code);
                quote!(#code)
            }
            // After the codes (the model orders them so): the codes of the class not listed.
            Status::Class(class) => {
                let (first, last) = (
                    Literal::u16_unsuffixed(class * 100),
                    Literal::u16_unsuffixed(class * 100 + 99),
                );
                quote!(#first..=#last)
            }
        };
        let variant = ident(variant);
        quote!(#status => Err(response.api_error(ApiErrorBody::#variant)),)
    });

    quote! {
        #docs
        #deprecated
        pub async fn #name(&self, #(#args),*) -> Result<#output, Error> {
            const OPERATION: Operation = Operation {
                id: #id,
                method: #http_method,
                path: #path_template,
                authenticated: #authenticated,
                idempotent: #idempotent,
                headers: &[#(#headers),*],
            };
            #path
            #form
            #optional_query
            let request = Request::new(&OPERATION, path) #limit_key #query #body;
            #header_params
            let response = self.core.execute(request).await?;
            match response.status() {
                #success
                #(#errors)*
                _ => Err(response.unexpected()),
            }
        }
    }
}

/// The `body` argument of the operation's method, when it sends one.
pub(super) fn body_arg(op: &Operation) -> Option<TokenStream> {
    let rt = runtime();
    op.body.as_ref().map(|body| match &body.encoding {
        BodyEncoding::Text(_) => quote!(body: &str),
        BodyEncoding::Binary(_) => quote!(body: impl Into<#rt::Bytes>),
        _ => {
            let ty = rust_type(&body.ty, quote!(types::));
            quote!(body: &#ty)
        }
    })
}

/// Whether every query parameter is optional: then the caller may leave the query out.
pub(super) fn query_is_optional(query: &QueryParams) -> bool {
    !query.has_required
}

/// The `query` argument: `&Query` when a parameter is required, else anything that becomes an
/// `Option<&Query>` (`&query` or `None`), so that no caller has to build an empty one. The
/// lifetime, when given, is the one the streams of pages borrow their arguments for.
pub(super) fn query_arg(query: &QueryParams, lifetime: Option<&TokenStream>) -> TokenStream {
    let ty = ident(&query.type_name);
    match query_is_optional(query) {
        true => quote!(query: impl Into<Option<& #lifetime types::#ty>>),
        false => quote!(query: & #lifetime types::#ty),
    }
}

/// What the operation's method returns when it succeeds: `Response<…>` of its body.
pub(super) fn output_type(op: &Operation) -> TokenStream {
    let output = match &op.success.several {
        Some(name) => {
            let name = ident(name);
            quote!(types::#name)
        }
        None => body_type(&op.success.cases[0].1, quote!(types::)),
    };
    quote!(Response<#output>)
}

/// `<operation>_pages`: every page of a paged operation, each as the operation's method
/// returns it, fetched with a moving offset.
fn pages_method(op: &Operation, paging: &Pagination) -> TokenStream {
    let name = ident(&paging.pages_fn);
    let call = ident(&op.fn_name);
    let id = &op.id;
    let output = output_type(op);
    let path_args: Vec<_> = op.path_params.iter().map(|p| ident(&p.rust_name)).collect();
    let mut params = Vec::new();
    let mut owned = Vec::new();
    let mut homes_present = Vec::new();
    let mut call_args: Vec<TokenStream> = path_args.iter().map(|a| quote!(#a)).collect();
    let arg_of = |home: PageParamHome| match home {
        PageParamHome::Query => quote!(query),
        PageParamHome::Body => quote!(body),
    };
    let homes = [
        (
            PageParamHome::Query,
            op.query
                .as_ref()
                .map(|q| rust_type(&TypeRef::Named(q.type_name.clone()), quote!(types::))),
        ),
        (
            PageParamHome::Body,
            op.body.as_ref().map(|b| rust_type(&b.ty, quote!(types::))),
        ),
    ];
    let lifetime = quote!('a);
    for (home, ty) in homes {
        let Some(ty) = ty else { continue };
        let arg = arg_of(home);
        match (home, &op.query) {
            (PageParamHome::Query, Some(query)) if query_is_optional(query) => {
                params.push(query_arg(query, Some(&lifetime)));
                owned.push(quote!(let #arg: #ty = #arg.into().cloned().unwrap_or_default();));
            }
            _ => {
                params.push(quote!(#arg: &#ty));
                owned.push(quote!(let #arg = #arg.clone();));
            }
        }
        homes_present.push(home);
        call_args.push(quote!(&#arg));
    }
    let (offset_home, offset) = (arg_of(paging.offset.home), ident(&paging.offset.rust_name));
    let (limit_home, limit) = (arg_of(paging.limit.home), ident(&paging.limit.rust_name));
    // Each page's future owns its copies of the arguments; only the structs that carry a
    // paging number are changed per page.
    let copies = homes_present.iter().map(|&home| {
        let changed = home == paging.offset.home || home == paging.limit.home;
        let mutable = changed.then(|| quote!(mut));
        let arg = arg_of(home);
        quote!(let #mutable #arg = #arg.clone();)
    });
    let default_limit = Literal::u64_unsuffixed(paging.default_limit);
    let (items, items_optional) = borrowed_path(&paging.items_path);
    let items = if items_optional {
        quote!(#items.map_or(&[][..], Vec::as_slice))
    } else {
        quote!(#items.as_slice())
    };
    let total = match &paging.total_path {
        Some(path) => match borrowed_path(path) {
            (total, false) => quote!(#total.page_number()),
            (total, true) => quote!(#total.and_then(|value| value.page_number())),
        },
        None => quote!(None),
    };
    let deprecated = op
        .deprecated
        .as_ref()
        .map(|note| quote!(#[deprecated(note = #note)]));
    let allow = op
        .deprecated
        .is_some()
        .then(|| quote!(#[allow(deprecated)]));
    let end = match &paging.total_path {
        Some(path) => format!(
            "when the offset reaches the total the body reports (`{}`, the number of items \
             in all pages), after an empty page",
            rust_path(path)
        ),
        None => "after an empty page".to_owned(),
    };
    let docs = doc_attrs([
        Some(&*format!(
            "Every page of [`{0}`](Self::{0}), each as that method returns it, fetched from \
             the offset the {1} gives (`{2}`, 0 when unset) in pages of the size it gives \
             (`{3}`, {4} when unset); the offset moves by the number of items each page holds.",
            op.fn_name,
            home_name(paging.offset.home),
            paging.offset.rust_name.trim_start_matches("r#"),
            paging.limit.rust_name.trim_start_matches("r#"),
            paging.default_limit
        )),
        Some(&*format!(
            "The stream ends {end}, or after the first error, which it yields. A page shorter \
             than asked for does not end it. A page that repeats the previous one (a server that \
             ignores the offset) ends it with [`Error::Paging`] instead of being yielded, and so \
             does reaching the client's page cap (`ClientBuilder::max_pages`)."
        )),
    ]);
    let path_params = path_args.iter().map(|a| quote!(#a: &'a str));
    quote! {
        #docs
        #deprecated
        #allow
        pub fn #name<'a>(&'a self, #(#path_params,)* #(#params),*) -> impl Stream<Item = Result<#output, Error>> + Send + 'a {
            #(#owned)*
            let pager = Pager {
                operation: #id,
                skip: #offset_home.#offset.page_number().unwrap_or(0),
                limit: #limit_home.#limit.page_number().unwrap_or(#default_limit),
                max_pages: self.core.max_pages(),
            };
            paginate(
                pager,
                move |skip, limit| {
                    #(#copies)*
                    #offset_home.#offset.set_page_number(skip);
                    #limit_home.#limit.set_page_number(limit);
                    async move { self.#call(#(#call_args),*).await }
                },
                |page: &#output| {
                    let items = #items;
                    let total = #total;
                    PageFacts::new(items, total)
                },
            )
        }
    }
}

/// `<operation>_stream`: every item of the pages of `<operation>_pages`.
fn stream_method(op: &Operation, paging: &Pagination) -> TokenStream {
    let name = ident(&paging.stream_fn);
    let pages = ident(&paging.pages_fn);
    let output = output_type(op);
    let item = rust_type(&paging.item, quote!(types::));
    let path_args: Vec<_> = op.path_params.iter().map(|p| ident(&p.rust_name)).collect();
    let mut params = Vec::new();
    let mut call_args: Vec<TokenStream> = path_args.iter().map(|a| quote!(#a)).collect();
    if let Some(query) = &op.query {
        params.push(query_arg(query, Some(&quote!('a))));
        call_args.push(quote!(query));
    }
    if let Some(body) = &op.body {
        let ty = rust_type(&body.ty, quote!(types::));
        params.push(quote!(body: &#ty));
        call_args.push(quote!(body));
    }
    // From the page body to the list: plain field access while the fields are required,
    // an `Option` chain from the first optional one.
    let mut items = quote!(page.into_inner());
    let mut optional = false;
    for (field, is_optional) in &paging.items_path {
        let field = ident(field);
        items = match (optional, is_optional) {
            (false, _) => quote!(#items.#field),
            (true, false) => quote!(#items.map(|value| value.#field)),
            (true, true) => quote!(#items.and_then(|value| value.#field)),
        };
        optional |= is_optional;
    }
    if optional {
        items = quote!(#items.unwrap_or_default());
    }
    let deprecated = op
        .deprecated
        .as_ref()
        .map(|note| quote!(#[deprecated(note = #note)]));
    let allow = op
        .deprecated
        .is_some()
        .then(|| quote!(#[allow(deprecated)]));
    let doc = format!(
        " Every item of [`{0}`](Self::{0}), from the pages of [`{1}`](Self::{1}) (`{2}` of \
         each body), as a stream that ends where the pages end.",
        op.fn_name,
        paging.pages_fn,
        rust_path(&paging.items_path)
    );
    let path_params = path_args.iter().map(|a| quote!(#a: &'a str));
    quote! {
        #[doc = #doc]
        #deprecated
        #allow
        pub fn #name<'a>(&'a self, #(#path_params,)* #(#params),*) -> impl Stream<Item = Result<#item, Error>> + Send + 'a {
            let pages = self.#pages(#(#call_args),*);
            page_items(pages, |page: #output| #items)
        }
    }
}

/// A borrow of the field at the end of `path` from `page` (a reference to the response):
/// `&T` while the fields are required, `Option<&T>` from the first optional one; and whether
/// it is the `Option`.
fn borrowed_path(path: &[(String, bool)]) -> (TokenStream, bool) {
    let mut value = quote!(page);
    let mut optional = false;
    for (field, is_optional) in path {
        let field = ident(field);
        value = match (optional, is_optional) {
            (false, false) => quote!(#value.#field),
            (false, true) => quote!(#value.#field.as_ref()),
            (true, false) => quote!(#value.map(|value| &value.#field)),
            (true, true) => quote!(#value.and_then(|value| value.#field.as_ref())),
        };
        optional |= is_optional;
    }
    (value, optional)
}

/// The Rust names of the fields of a path, dotted, for the docs.
fn rust_path(path: &[(String, bool)]) -> String {
    path.iter()
        .map(|(field, _)| field.trim_start_matches("r#"))
        .collect::<Vec<_>>()
        .join(".")
}

/// What the docs call the argument a paging number is in.
fn home_name(home: PageParamHome) -> &'static str {
    match home {
        PageParamHome::Query => "query",
        PageParamHome::Body => "body",
    }
}

/// The `match` arms of the success statuses: each status decodes its body, and when the
/// bodies differ, wraps it in its variant of the operation's `Responses` enum.
fn success_arms(api: &Api, op: &Operation) -> TokenStream {
    let read = |body: &ResponseBody| match body {
        ResponseBody::Empty => quote!(Ok(response.empty())),
        ResponseBody::Json(_) => quote!(response.json()),
        ResponseBody::Text => quote!(response.text()),
        ResponseBody::Binary => quote!(Ok(response.bytes())),
    };
    match &op.success.several {
        None if op.success.any_2xx => {
            let read = read(&op.success.cases[0].1);
            quote!(200..=299 => #read,)
        }
        None => {
            let statuses = op
                .success
                .cases
                .iter()
                .map(|(status, _)| Literal::u16_unsuffixed(*status));
            let read = read(&op.success.cases[0].1);
            quote!(#(#statuses)|* => #read,)
        }
        Some(name) => {
            let TypeKind::Responses { variants } = &api.types[name].kind else {
                unreachable!("the model makes a `Responses` type for several success bodies");
            };
            let name = ident(name);
            let model_variants = variants.iter().map(|v| {
                let (status, body) = (v.status, &v.body);
                let status_literal = Literal::u16_unsuffixed(status);
                let read = read(body);
                let variant = ident(&v.rust_name);
                match body {
                    ResponseBody::Empty => {
                        quote!(#status_literal => Ok(response.empty().map(|()| types::#name::#variant)),)
                    }
                    ResponseBody::Json(ty) => {
                        // The variant's field says the type, but inference cannot see it
                        // through the `map`: name it.
                        let ty = rust_type(ty, quote!(types::));
                        quote!(#status_literal => response.json::<#ty, _>().map(|r| r.map(types::#name::#variant)),)
                    }
                    _ => quote!(#status_literal => #read.map(|r| r.map(types::#name::#variant)),),
                }
            });
            quote!(#(#model_variants)*)
        }
    }
}

/// The fields of the struct type `name`.
fn struct_fields<'a>(api: &'a Api, name: &str) -> &'a [Field] {
    match &api.types[name].kind {
        TypeKind::Struct { fields, .. } => fields,
        _ => &[],
    }
}

/// Statements that add the caller's header and cookie parameters to `request`.
fn header_statements(fields: &[Field]) -> TokenStream {
    let statements = fields.iter().map(|f| {
        let wire = &f.wire_name;
        let field = ident(&f.rust_name);
        let add = |value: TokenStream| match (f.cookie, f.style) {
            (false, Some(ParamStyle::Json)) => quote!(request.header_json(#wire, #value)?),
            (true, Some(ParamStyle::Json)) => quote!(request.cookie_json(#wire, #value)?),
            (false, Some(ParamStyle::Joined { explode })) => {
                quote!(request.header_joined(#wire, #value, #explode)?)
            }
            (true, Some(_)) => quote!(request.cookie_joined(#wire, #value)?),
            (false, _) => quote!(request.header(#wire, #value)?),
            (true, None) => quote!(request.cookie(#wire, #value)?),
        };
        if f.required {
            let add = add(quote!(&headers.#field));
            quote!(let request = #add;)
        } else {
            let add = add(quote!(value));
            quote! {
                let request = match &headers.#field {
                    Some(value) => #add,
                    None => request,
                };
            }
        }
    });
    quote!(#(#statements)*)
}

/// Statements that leave the request path in `path`: a literal when the template has no
/// parameters, else each argument percent-encoded into a local and captured by `format!`.
fn path_statements(op: &Operation) -> TokenStream {
    let mut template = String::new();
    for segment in &op.path_segments {
        match segment {
            PathSegment::Literal(text) => {
                template.push_str(&text.replace('{', "{{").replace('}', "}}"));
            }
            PathSegment::Param(i) => {
                template.push_str(&format!("{{{}}}", op.path_params[*i].encoded_name));
            }
        }
    }
    if op.path_params.is_empty() {
        return quote!(let path = #template;);
    }
    let encodes = op.path_params.iter().map(|p| {
        let arg = ident(&p.rust_name);
        let local = ident(&p.encoded_name);
        let wire = &p.wire_name;
        quote!(let #local = encode_path(&OPERATION, #wire, #arg)?;)
    });
    quote! {
        #(#encodes)*
        let path = format!(#template);
    }
}

/// Text arguments that a caller could swap without the compiler noticing (two or more path
/// parameters, all `&str`), named in order for the first line of the docs and shown in an
/// example call: `(" (`a`, then `b`)", "```text …```")`.
pub(super) fn argument_order(
    receiver: &str,
    fn_name: &str,
    text_args: &[&str],
    rest: &[&str],
) -> Option<(String, String)> {
    let [init @ .., last] = text_args else {
        return None;
    };
    if init.is_empty() {
        return None;
    }
    let plain = |name: &&str| name.trim_start_matches("r#").to_owned();
    let names: Vec<String> = init.iter().map(|n| format!("`{}`", plain(n))).collect();
    let note = format!(" ({}, then `{}`)", names.join(", "), plain(last));
    let args: Vec<String> = text_args.iter().chain(rest).map(plain).collect();
    let example = format!(
        "# Example\nThe text arguments in their order:\n```text\n{receiver}.{}({}).await?;\n```",
        fn_name.trim_start_matches("r#"),
        args.join(", ")
    );
    Some((note, example))
}

/// The names of the arguments after the path parameters, for an example call.
pub(super) fn other_args(op: &Operation) -> Vec<&'static str> {
    let mut rest = Vec::new();
    if let Some(query) = &op.query {
        rest.push(if query_is_optional(query) {
            "None"
        } else {
            "&query"
        });
    }
    if op.headers.is_some() {
        rest.push("&headers");
    }
    if let Some(body) = &op.body {
        rest.push(match body.encoding {
            BodyEncoding::Text(_) | BodyEncoding::Binary(_) => "body",
            _ => "&body",
        });
    }
    rest
}

fn method_docs(op: &Operation, credential: &Credential) -> TokenStream {
    let text_args: Vec<&str> = op
        .path_params
        .iter()
        .map(|p| p.rust_name.as_str())
        .collect();
    let order = argument_order("client", &op.fn_name, &text_args, &other_args(op));
    let summary = op.summary.as_deref().map(|summary| match &order {
        Some((note, _)) => format!("{summary}{note}"),
        None => summary.to_owned(),
    });
    let endpoint = format!("`{} {}`", op.method.as_str(), op.path);
    let scopes = match op.scopes.as_slice() {
        [] if op.authenticated => Some(match credential {
            Credential::Bearer => "Needs a bearer token.".to_owned(),
            _ => "Needs the API key.".to_owned(),
        }),
        [] => Some("Sent without a token.".to_owned()),
        scopes => Some(format!(
            "Required scope{}: {}.",
            if scopes.len() == 1 { "" } else { "s" },
            scopes
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    };
    let mut arguments = Vec::new();
    for p in &op.path_params {
        let what = p.description.as_deref().unwrap_or("path parameter");
        arguments.push(format!(
            "- `{}`: {what} (`{}` in the path)",
            p.rust_name.trim_start_matches("r#"),
            p.wire_name
        ));
    }
    if let Some(query) = &op.query {
        let optional = if query_is_optional(query) {
            " (all optional: `&query`, or `None` for none)"
        } else {
            ""
        };
        arguments.push(format!(
            "- `query`: the query parameters{optional}, see [`{0}`](types::{0}).",
            query.type_name
        ));
    }
    if let Some(body) = &op.body {
        let what = body.description.as_deref().unwrap_or("the request body");
        let link = match &body.ty {
            TypeRef::Named(name) => format!(", see [`{name}`](types::{name})"),
            _ => String::new(),
        };
        arguments.push(format!("- `body`: {what}{link}."));
    }
    let arguments =
        (!arguments.is_empty()).then(|| format!("# Arguments\n{}", arguments.join("\n")));
    let errors = {
        let mut lines = vec![
            "# Errors".to_owned(),
            "Fails with [`Error`] when the request cannot be sent or the response cannot be read."
                .to_owned(),
        ];
        for (status, variant) in &op.errors {
            lines.push(format!(
                "- {status}: [`Error::Api`] with [`ApiErrorBody::{variant}`]."
            ));
        }
        lines.push("- any other status: [`Error::UnexpectedStatus`].".to_owned());
        lines.join("\n")
    };
    doc_attrs([
        summary.as_deref(),
        op.description.as_deref(),
        Some(&endpoint),
        scopes.as_deref(),
        arguments.as_deref(),
        order.as_ref().map(|(_, example)| example.as_str()),
        Some(&errors),
    ])
}

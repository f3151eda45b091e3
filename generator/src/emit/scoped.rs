//! `scoped.rs`: the view of `Client` bound to one value of a path parameter
//! (`x-scoped-client`), with a method per operation that has it, minus that argument.

use proc_macro2::TokenStream;
use quote::quote;

use super::operations::{argument_order, body_arg, other_args, output_type, query_arg};
use super::types::{ident, rust_type};
use super::{doc_attrs, runtime};
use crate::model::{Api, Operation, Pagination, ScopedClient};

/// The module, when the spec asks for a view.
pub fn module(api: &Api) -> Option<TokenStream> {
    let scoped = api.scoped.as_ref()?;
    let rt = runtime();
    let operations: Vec<&Operation> = api
        .operations
        .iter()
        .filter(|op| op.scoped_param.is_some())
        .collect();
    let methods = operations.iter().map(|op| {
        let paged = op
            .pagination
            .as_ref()
            .map(|paging| [pages(scoped, op, paging), items(scoped, op, paging)]);
        let call = call(scoped, op);
        let paged = paged.into_iter().flatten();
        quote!(#call #(#paged)*)
    });
    let types_import = operations
        .iter()
        .any(|op| op.uses_generated_types())
        .then(|| {
            quote!(
                use super::types;
            )
        });
    let stream_import = operations
        .iter()
        .any(|op| op.pagination.is_some())
        .then(|| quote!(use #rt::Stream;));
    let view = ident(&scoped.type_name);
    let method = ident(&scoped.method);
    let field = ident(&scoped.field);
    let parameter = &scoped.parameter;
    let module_doc = format!(
        " [`{}`]: [`Client`] for one `{parameter}`, made by [`Client::{}`].",
        scoped.type_name, scoped.method
    );
    let view_doc = doc_attrs([
        Some(&*format!(
            "[`Client`] for one `{parameter}`: a method per operation that takes it, with the \
             same arguments but that one, sending the same request. Made by \
             [`Client::{}`]; operations without a `{parameter}` are on the [`Client`] only \
             ([`client`](Self::client)).",
            scoped.method
        )),
        Some("Cheap to clone: clones share the client's connections, tokens and limits."),
    ]);
    let method_doc = format!(
        " This client for the `{parameter}` `{0}`: its operations without that argument. \
         Cheap: the view shares this client.",
        scoped.field.trim_start_matches("r#")
    );
    let field_doc = format!(" The `{parameter}` this view calls with.");
    Some(quote! {
        #![doc = #module_doc]

        #types_import
        use #rt::Response;
        #stream_import

        use super::{Client, Error};

        #view_doc
        #[derive(Clone, Debug)]
        pub struct #view {
            client: Client,
            #field: String,
        }

        impl Client {
            #[doc = #method_doc]
            pub fn #method(&self, #field: impl Into<String>) -> #view {
                #view { client: self.clone(), #field: #field.into() }
            }
        }

        impl #view {
            /// The client this view calls through, for the operations it does not have.
            pub fn client(&self) -> &Client {
                &self.client
            }

            #[doc = #field_doc]
            pub fn #field(&self) -> &str {
                &self.#field
            }

            #(#methods)*
        }
    })
}

/// The path parameters of `op` but the scoped one, as (argument name, whether it is it).
fn path_args(op: &Operation) -> impl Iterator<Item = (&str, bool)> {
    op.path_params
        .iter()
        .enumerate()
        .map(move |(i, p)| (p.rust_name.as_str(), Some(i) == op.scoped_param))
}

/// The first line and the rest of a view method's docs.
fn docs(scoped: &ScopedClient, op: &Operation, fn_name: &str, what: Option<&str>) -> TokenStream {
    let text_args: Vec<&str> = path_args(op)
        .filter(|(_, scoped)| !scoped)
        .map(|(name, _)| name)
        .collect();
    let order = what
        .is_none()
        .then(|| argument_order(&scoped.method, fn_name, &text_args, &other_args(op)))
        .flatten();
    let first = what
        .map(str::to_owned)
        .or_else(|| op.summary.clone())
        .unwrap_or_else(|| format!("`{} {}`", op.method.as_str(), op.path));
    let first = match &order {
        Some((note, _)) => format!("{first}{note}"),
        None => first,
    };
    let same = format!(
        "[`Client::{0}`] with this view's `{1}`: the same request, the same answer. See its \
         docs for the arguments and errors.",
        fn_name.trim_start_matches("r#"),
        scoped.parameter
    );
    doc_attrs([
        Some(first.as_str()),
        Some(same.as_str()),
        order.as_ref().map(|(_, example)| example.as_str()),
    ])
}

/// Attributes of a deprecated operation's view method: the same note, and leave to call it.
fn deprecation(op: &Operation) -> TokenStream {
    match &op.deprecated {
        Some(note) => quote!(#[deprecated(note = #note)] #[allow(deprecated)]),
        None => quote!(),
    }
}

/// The view's method for the operation itself.
fn call(scoped: &ScopedClient, op: &Operation) -> TokenStream {
    let name = ident(&op.fn_name);
    let field = ident(&scoped.field);
    let mut params = Vec::new();
    let mut args = Vec::new();
    for (arg, is_scoped) in path_args(op) {
        let arg = ident(arg);
        if is_scoped {
            args.push(quote!(&self.#field));
        } else {
            params.push(quote!(#arg: &str));
            args.push(quote!(#arg));
        }
    }
    let (more_params, more_args) = other_params(op, None);
    params.extend(more_params);
    args.extend(more_args);
    let output = output_type(op);
    let docs = docs(scoped, op, &op.fn_name, None);
    let deprecation = deprecation(op);
    quote! {
        #docs
        #deprecation
        pub async fn #name(&self, #(#params),*) -> Result<#output, Error> {
            self.client.#name(#(#args),*).await
        }
    }
}

/// The query, header and body parameters after the path, and the names passed on.
fn other_params(
    op: &Operation,
    lifetime: Option<&TokenStream>,
) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let mut params = Vec::new();
    let mut args = Vec::new();
    if let Some(query) = &op.query {
        params.push(query_arg(query, lifetime));
        args.push(quote!(query));
    }
    if lifetime.is_none() {
        if let Some(headers) = &op.headers {
            let ty = ident(&headers.type_name);
            params.push(quote!(headers: &types::#ty));
            args.push(quote!(headers));
        }
        params.extend(body_arg(op));
    } else if let Some(body) = &op.body {
        let ty = rust_type(&body.ty, quote!(types::));
        params.push(quote!(body: &#ty));
    }
    if op.body.is_some() {
        args.push(quote!(body));
    }
    (params, args)
}

/// The path parameters of a paged method, borrowed for the stream's lifetime.
fn paged_params(scoped: &ScopedClient, op: &Operation) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let field = ident(&scoped.field);
    let lifetime = quote!('a);
    let mut params = Vec::new();
    let mut args = Vec::new();
    for (arg, is_scoped) in path_args(op) {
        let arg = ident(arg);
        if is_scoped {
            args.push(quote!(&self.#field));
        } else {
            params.push(quote!(#arg: &'a str));
            args.push(quote!(#arg));
        }
    }
    let (more_params, more_args) = other_params(op, Some(&lifetime));
    params.extend(more_params);
    args.extend(more_args);
    (params, args)
}

/// The view's `<operation>_pages`.
fn pages(scoped: &ScopedClient, op: &Operation, paging: &Pagination) -> TokenStream {
    let name = ident(&paging.pages_fn);
    let (params, args) = paged_params(scoped, op);
    let output = output_type(op);
    let what = format!(
        "Every page of [`{0}`](Self::{0}).",
        op.fn_name.trim_start_matches("r#")
    );
    let docs = docs(scoped, op, &paging.pages_fn, Some(&what));
    let deprecation = deprecation(op);
    quote! {
        #docs
        #deprecation
        pub fn #name<'a>(&'a self, #(#params),*) -> impl Stream<Item = Result<#output, Error>> + Send + 'a {
            self.client.#name(#(#args),*)
        }
    }
}

/// The view's `<operation>_stream`.
fn items(scoped: &ScopedClient, op: &Operation, paging: &Pagination) -> TokenStream {
    let name = ident(&paging.stream_fn);
    let (params, args) = paged_params(scoped, op);
    let item = rust_type(&paging.item, quote!(types::));
    let what = format!(
        "Every item of [`{0}`](Self::{0}), page by page.",
        op.fn_name.trim_start_matches("r#")
    );
    let docs = docs(scoped, op, &paging.stream_fn, Some(&what));
    let deprecation = deprecation(op);
    quote! {
        #docs
        #deprecation
        pub fn #name<'a>(&'a self, #(#params),*) -> impl Stream<Item = Result<#item, Error>> + Send + 'a {
            self.client.#name(#(#args),*)
        }
    }
}

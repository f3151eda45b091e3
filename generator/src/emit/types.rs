//! `types.rs`: one Rust type per named type of the model.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::doc_attrs;
use crate::model::{Api, Field, IntegerWidth, StructPurpose, TypeDef, TypeKind, TypeRef, Variant};

/// An identifier from a model name, which may be a raw identifier (`r#type`).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust type of a use; named types are written with `prefix` (e.g. `types::`).
pub fn rust_type(ty: &TypeRef, prefix: TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Integer(IntegerWidth::I32) => quote!(i32),
        TypeRef::Integer(IntegerWidth::I64) => quote!(i64),
        TypeRef::Number => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Object => quote!(serde_json::Map<String, serde_json::Value>),
        TypeRef::Any => quote!(serde_json::Value),
        TypeRef::Array(inner) => {
            let inner = rust_type(inner, prefix);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(inner, prefix);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(#prefix #name)
        }
    }
}

pub fn module(api: &Api) -> TokenStream {
    let defs = api.types.values().map(type_def);
    quote! {
        //! The API's data types: request bodies, responses, enums and query parameters.

        use serde::{Deserialize, Serialize};

        #(#defs)*
    }
}

fn type_def(def: &TypeDef) -> TokenStream {
    let origin = format!("Defined at `{}`.", def.origin);
    let docs = doc_attrs([def.description.as_deref(), Some(origin.as_str())]);
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct { fields, purpose } => struct_def(&name, docs, fields, *purpose),
        TypeKind::Enum { variants } => enum_def(&name, docs, variants),
        TypeKind::Alias(target) => {
            let target = rust_type(target, quote!());
            quote!(#docs pub type #name = #target;)
        }
    }
}

fn struct_def(
    name: &Ident,
    docs: TokenStream,
    fields: &[Field],
    purpose: StructPurpose,
) -> TokenStream {
    let all_optional = fields.iter().all(|f| !f.required);
    let default = all_optional.then(|| quote!(Default,));
    let derives = match purpose {
        StructPurpose::Schema => {
            quote!(#[derive(Debug, Clone, PartialEq, #default Serialize, Deserialize)])
        }
        StructPurpose::Query => quote!(#[derive(Debug, Clone, PartialEq, #default Serialize)]),
    };
    let field_tokens = fields.iter().map(|f| {
        let fallback = format!("The `{}` field.", f.wire_name);
        let docs = doc_attrs([Some(f.description.as_deref().unwrap_or(&fallback))]);
        let field = ident(&f.rust_name);
        let ty = rust_type(&f.ty, quote!());
        let mut serde_args = Vec::new();
        if f.rust_name.trim_start_matches("r#") != f.wire_name {
            let wire = &f.wire_name;
            serde_args.push(quote!(rename = #wire));
        }
        let ty = if f.required {
            ty
        } else {
            serde_args.push(quote!(default, skip_serializing_if = "Option::is_none"));
            quote!(Option<#ty>)
        };
        let serde_attr = (!serde_args.is_empty()).then(|| quote!(#[serde(#(#serde_args),*)]));
        quote!(#docs #serde_attr pub #field: #ty,)
    });
    let constructor = (purpose == StructPurpose::Query && !all_optional).then(|| {
        let required: Vec<_> = fields.iter().filter(|f| f.required).collect();
        let args = required.iter().map(|f| {
            let field = ident(&f.rust_name);
            let ty = rust_type(&f.ty, quote!());
            quote!(#field: #ty)
        });
        let inits = fields.iter().map(|f| {
            let field = ident(&f.rust_name);
            if f.required {
                quote!(#field)
            } else {
                quote!(#field: None)
            }
        });
        quote! {
            impl #name {
                /// The parameters with every required one given and every optional one unset.
                pub fn new(#(#args),*) -> Self {
                    Self { #(#inits),* }
                }
            }
        }
    });
    quote! {
        #docs
        #derives
        pub struct #name {
            #(#field_tokens)*
        }
        #constructor
    }
}

fn enum_def(name: &Ident, docs: TokenStream, variants: &[Variant]) -> TokenStream {
    let variant_tokens = variants.iter().map(|v| {
        let doc = format!(" `{}`", v.wire_name);
        let variant = ident(&v.rust_name);
        let wire = &v.wire_name;
        quote!(#[doc = #doc] #[serde(rename = #wire)] #variant,)
    });
    let all = variants.iter().map(|v| ident(&v.rust_name));
    let as_str_arms = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.wire_name;
        quote!(Self::#variant => #wire,)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum #name {
            #(#variant_tokens)*
        }

        impl #name {
            /// Every value the spec lists, in its order.
            pub const ALL: &'static [Self] = &[#(Self::#all),*];

            /// The value as the API writes it.
            pub const fn as_str(self) -> &'static str {
                match self {
                    #(#as_str_arms)*
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

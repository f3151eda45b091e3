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
        TypeRef::File => quote!(crate::FilePart),
    }
}

/// Whether a use holds a file part, which has no JSON form.
fn holds_file(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::File => true,
        TypeRef::Array(inner) | TypeRef::Map(inner) => holds_file(inner),
        _ => false,
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
        TypeKind::Enum { variants, unknown } => enum_def(&name, docs, variants, unknown),
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
    // A struct with a file part is a multipart body: it is never JSON, so it has no serde.
    let serde_derives = if fields.iter().any(|f| holds_file(&f.ty)) {
        quote!()
    } else {
        match purpose {
            StructPurpose::Schema => quote!(Serialize, Deserialize),
            StructPurpose::Query => quote!(Serialize),
        }
    };
    let derives = quote!(#[derive(Debug, Clone, PartialEq, #default #serde_derives)]);
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
    let constructor = (!all_optional).then(|| {
        let required: Vec<_> = fields.iter().filter(|f| f.required).collect();
        let args = required.iter().map(|f| {
            let field = ident(&f.rust_name);
            let ty = argument_type(&f.ty);
            quote!(#field: #ty)
        });
        // Clippy's limit is seven arguments; a schema with more required fields still gets
        // its constructor, since a struct literal is the only alternative.
        let many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        let inits = fields.iter().map(|f| {
            let field = ident(&f.rust_name);
            if f.required {
                match argument_value(&f.ty, &field) {
                    // Field-init shorthand, as clippy asks.
                    value if field == value.to_string() => quote!(#field),
                    value => quote!(#field: #value),
                }
            } else {
                quote!(#field: None)
            }
        });
        let doc = match purpose {
            StructPurpose::Query => {
                " The parameters with every required one given and every optional one unset."
            }
            StructPurpose::Schema => {
                " A value with every required field given and every optional one unset."
            }
        };
        quote! {
            #[doc = #doc]
            #many
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits),* }
            }
        }
    });
    let setters: Vec<_> = fields
        .iter()
        .filter_map(|f| {
            let setter = ident(f.setter.as_deref()?);
            let field = ident(&f.rust_name);
            let ty = argument_type(&f.ty);
            let value = argument_value(&f.ty, &quote!(value));
            let doc = format!(" Sets `{}`.", f.wire_name);
            Some(quote! {
                #[doc = #doc]
                #[must_use]
                pub fn #setter(mut self, value: #ty) -> Self {
                    self.#field = Some(#value);
                    self
                }
            })
        })
        .collect();
    let methods = (constructor.is_some() || !setters.is_empty()).then(|| {
        quote! {
            impl #name {
                #constructor
                #(#setters)*
            }
        }
    });
    quote! {
        #docs
        #derives
        pub struct #name {
            #(#field_tokens)*
        }
        #methods
    }
}

/// The parameter type of a constructor or setter: strings (and lists of them) take anything
/// that converts, so that callers can pass `&str` literals.
fn argument_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(impl Into<String>),
        TypeRef::Array(inner) if **inner == TypeRef::String => {
            quote!(impl IntoIterator<Item = impl Into<String>>)
        }
        TypeRef::Array(inner) => {
            let inner = rust_type(inner, quote!());
            quote!(impl IntoIterator<Item = #inner>)
        }
        ty => rust_type(ty, quote!()),
    }
}

/// The expression that turns an argument of [`argument_type`] into the field's value.
fn argument_value(ty: &TypeRef, arg: &impl quote::ToTokens) -> TokenStream {
    match ty {
        TypeRef::String => quote!(#arg.into()),
        TypeRef::Array(inner) if **inner == TypeRef::String => {
            quote!(#arg.into_iter().map(Into::into).collect())
        }
        TypeRef::Array(_) => quote!(#arg.into_iter().collect()),
        _ => quote!(#arg),
    }
}

fn enum_def(name: &Ident, docs: TokenStream, variants: &[Variant], unknown: &str) -> TokenStream {
    let unknown = ident(unknown);
    let variant_tokens = variants.iter().map(|v| {
        let doc = format!(" `{}`", v.wire_name);
        let variant = ident(&v.rust_name);
        quote!(#[doc = #doc] #variant,)
    });
    let all = variants.iter().map(|v| ident(&v.rust_name));
    let as_str_arms = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.wire_name;
        quote!(Self::#variant => #wire,)
    });
    let from_arms = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.wire_name;
        quote!(#wire => Self::#variant,)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variant_tokens)*
            /// A value the spec does not list (the API added it later), kept as sent.
            #unknown(String),
        }

        impl #name {
            /// Every value the spec lists, in its order.
            pub const ALL: &'static [Self] = &[#(Self::#all),*];

            /// The value as the API writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str_arms)*
                    Self::#unknown(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_arms)*
                    other => Self::#unknown(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(|value| Self::from(value.as_str()))
            }
        }
    }
}

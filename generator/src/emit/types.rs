//! `types.rs`: one Rust type per named type of the model.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use super::doc_attrs;
use crate::model::{
    Api, Delimiter, Field, IntVariant, IntegerWidth, ParamStyle, ResponseBody, ResponseVariant,
    StructPurpose, TypeDef, TypeKind, TypeRef, UnionVariant, Variant,
};

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
        TypeRef::DateTime => {
            let rt = super::runtime();
            quote!(#rt::DateTime)
        }
        TypeRef::File => {
            let rt = super::runtime();
            quote!(#rt::FilePart)
        }
        TypeRef::Bytes => {
            let rt = super::runtime();
            quote!(#rt::Bytes)
        }
        TypeRef::Nullable(inner) => {
            let inner = rust_type(inner, prefix);
            quote!(Option<#inner>)
        }
        TypeRef::Unit => quote!(()),
        TypeRef::Parts => {
            let rt = super::runtime();
            quote!(#rt::FormParts)
        }
    }
}

/// The Rust type a response body is read as.
pub fn body_type(body: &ResponseBody, prefix: TokenStream) -> TokenStream {
    match body {
        ResponseBody::Empty => quote!(()),
        ResponseBody::Json(ty) => rust_type(ty, prefix),
        ResponseBody::Text => quote!(String),
        ResponseBody::Binary => {
            let rt = super::runtime();
            quote!(#rt::Bytes)
        }
    }
}

/// Whether a use holds a file part, which has no JSON form.
fn holds_file(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::File => true,
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => holds_file(inner),
        _ => false,
    }
}

pub fn module(api: &Api) -> TokenStream {
    let defs = api.types.values().map(type_def);
    quote! {
        //! The API's data types: request bodies, responses, enums and query parameters.

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
        TypeKind::IntEnum { variants, unknown } => int_enum_def(&name, docs, variants, unknown),
        TypeKind::Union {
            variants,
            tag,
            unknown,
        } => union_def(&name, docs, variants, tag.as_deref(), unknown.as_deref()),
        TypeKind::Responses { variants } => responses_def(&name, docs, variants),
        TypeKind::Alias(target) => {
            let target = rust_type(target, quote!());
            quote!(#docs pub type #name = #target;)
        }
    }
}

/// The declared type of a field: boxed when recursive or large, an `Option` when it may be
/// absent or `null`.
fn field_type(f: &Field) -> TokenStream {
    let (inner, nullable) = f.ty.strip_nullable();
    let mut ty = rust_type(inner, quote!());
    if f.boxed {
        ty = quote!(Box<#ty>);
    }
    if !f.required || nullable {
        ty = quote!(Option<#ty>);
    }
    ty
}

/// The runtime's function that writes a query parameter in a style other than serde's own
/// shape (`form`, exploded).
fn query_style_fn(style: Option<ParamStyle>) -> Option<&'static str> {
    match style? {
        ParamStyle::Delimited(Delimiter::Comma) => Some("comma"),
        ParamStyle::Delimited(Delimiter::Space) => Some("space"),
        ParamStyle::Delimited(Delimiter::Pipe) => Some("pipe"),
        ParamStyle::DeepObject => Some("deep_object"),
        ParamStyle::Json => Some("json"),
        ParamStyle::Exploded | ParamStyle::Joined { .. } => None,
    }
}

/// Whether the constructor takes this field as an argument.
fn in_constructor(f: &Field) -> bool {
    // A required unit field has one value: nothing to ask for.
    f.required && !f.flatten && f.ty != TypeRef::Unit
}

fn struct_def(
    name: &Ident,
    docs: TokenStream,
    fields: &[Field],
    purpose: StructPurpose,
) -> TokenStream {
    let all_optional = !fields.iter().any(in_constructor);
    let default = all_optional.then(|| quote!(Default,));
    // A struct with a file part is a multipart body, and a header struct is sent as headers:
    // neither is ever JSON, so neither has serde.
    let serialized = purpose != StructPurpose::Headers && !fields.iter().any(|f| holds_file(&f.ty));
    let serde_derives = if !serialized {
        quote!()
    } else {
        match purpose {
            StructPurpose::Schema => quote!(serde::Serialize, serde::Deserialize),
            StructPurpose::Query => quote!(serde::Serialize),
            StructPurpose::Headers => quote!(),
        }
    };
    let derives = quote!(#[derive(Debug, Clone, PartialEq, #default #serde_derives)]);
    let field_tokens = fields.iter().map(|f| {
        let fallback = format!("The `{}` field.", f.wire_name);
        let default = f.default.as_ref().map(|d| format!("Default: `{d}`."));
        let docs = doc_attrs([
            Some(f.description.as_deref().unwrap_or(&fallback)),
            default.as_deref(),
        ]);
        let field = ident(&f.rust_name);
        let ty = field_type(f);
        let nullable = f.ty.strip_nullable().1;
        let mut serde_args = Vec::new();
        if f.flatten {
            serde_args.push(quote!(flatten));
        } else if f.rust_name.trim_start_matches("r#") != f.wire_name {
            let wire = &f.wire_name;
            serde_args.push(quote!(rename = #wire));
        }
        if let Some(writer) = query_style_fn(f.style) {
            // A path as text, as serde's attribute takes it.
            let writer = format!(
                "{}::codegen::query::{writer}",
                crate::emit::RUNTIME_PACKAGE.replace('-', "_")
            );
            serde_args.push(quote!(serialize_with = #writer));
        }
        if !f.required {
            serde_args.push(quote!(default, skip_serializing_if = "Option::is_none"));
        } else if nullable {
            // Required but nullable: `null` and a missing field both read as `None`, and
            // `None` is written as `null`.
            serde_args.push(quote!(default));
        }
        let serde_attr =
            (serialized && !serde_args.is_empty()).then(|| quote!(#[serde(#(#serde_args),*)]));
        quote!(#docs #serde_attr pub #field: #ty,)
    });
    let constructor = (!all_optional).then(|| {
        let required: Vec<_> = fields.iter().filter(|f| in_constructor(f)).collect();
        let args = required.iter().map(|f| {
            let field = ident(&f.rust_name);
            let ty = match f.ty.strip_nullable() {
                (inner, true) => {
                    let inner = rust_type(inner, quote!());
                    quote!(Option<#inner>)
                }
                (inner, false) => argument_type(inner),
            };
            quote!(#field: #ty)
        });
        // Clippy's limit is seven arguments; a schema with more required fields still gets
        // its constructor, since a struct literal is the only alternative.
        let many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        let inits = fields.iter().map(|f| {
            let field = ident(&f.rust_name);
            if f.flatten {
                return quote!(#field: Default::default());
            }
            if f.required && f.ty == TypeRef::Unit {
                return quote!(#field: ());
            }
            if !f.required {
                return quote!(#field: None);
            }
            // `None` when the argument is the field's value as it is.
            let value = match (f.ty.strip_nullable(), f.boxed) {
                ((_, true), true) => Some(quote!(#field.map(Box::new))),
                ((_, true), false) => None,
                ((inner, false), true) => {
                    let value = conversion(inner, &field).unwrap_or_else(|| quote!(#field));
                    Some(quote!(Box::new(#value)))
                }
                ((inner, false), false) => conversion(inner, &field),
            };
            match value {
                Some(value) => quote!(#field: #value),
                // Field-init shorthand, as clippy asks.
                None => quote!(#field),
            }
        });
        let doc = match purpose {
            StructPurpose::Query | StructPurpose::Headers => {
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
            let inner = f.ty.strip_nullable().0;
            let ty = argument_type(inner);
            let mut value = conversion(inner, &quote!(value)).unwrap_or_else(|| quote!(value));
            if f.boxed {
                value = quote!(Box::new(#value));
            }
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
    // New fields (a response growing, say) must not break callers: they build values with
    // `new` or `Default` and the setters, never with a struct literal.
    quote! {
        #docs
        #derives
        #[non_exhaustive]
        pub struct #name {
            #(#field_tokens)*
        }
        #methods
    }
}

/// An integer enum: the listed values, and a variant that keeps any other.
fn int_enum_def(
    name: &Ident,
    docs: TokenStream,
    variants: &[IntVariant],
    unknown: &str,
) -> TokenStream {
    let unknown = ident(unknown);
    let rt = super::runtime();
    let variant_tokens = variants.iter().map(|v| {
        let doc = format!(" `{}`", v.value);
        let variant = ident(&v.rust_name);
        quote!(#[doc = #doc] #variant,)
    });
    let all = variants.iter().map(|v| ident(&v.rust_name));
    let value_arms = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let value = Literal::i64_unsuffixed(v.value);
        quote!(Self::#variant => #value,)
    });
    let from_arms = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let value = Literal::i64_unsuffixed(v.value);
        quote!(#value => Self::#variant,)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_tokens)*
            /// A value the spec does not list (the API added it later), kept as sent. Compare
            /// [`value()`](Self::value) to act on it: a later version of the crate may list it.
            #unknown(#rt::UnknownValue<i64>),
        }

        impl #name {
            /// Every value the spec lists, in its order.
            pub const ALL: &'static [Self] = &[#(Self::#all),*];

            /// The value as the API writes it.
            pub fn value(self) -> i64 {
                match self {
                    #(#value_arms)*
                    Self::#unknown(value) => value.value(),
                }
            }
        }

        impl From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #(#from_arms)*
                    other => Self::#unknown(#rt::codegen::unknown(other)),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.value())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <i64 as serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    }
}

/// `oneOf`/`anyOf`: tagged by a discriminator property when the spec names one, else untagged
/// (serde tries the variants in order). Variants hold their types unboxed, the way a caller
/// matches and builds them, unless recursive or larger than `lower::sizes` allows inline;
/// clippy's size lint, which asks for boxes from 200 bytes, is allowed for the ones between.
fn union_def(
    name: &Ident,
    docs: TokenStream,
    variants: &[UnionVariant],
    tag: Option<&str>,
    unknown: Option<&str>,
) -> TokenStream {
    let variant_tokens = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let mut ty = rust_type(&v.ty, quote!());
        if v.boxed {
            ty = quote!(Box<#ty>);
        }
        let doc = match &v.tag_value {
            Some(value) => format!(
                " The variant whose `{}` is `{value}`.",
                tag.unwrap_or_default()
            ),
            None => format!(" A `{}`.", v.rust_name),
        };
        quote!(#[doc = #doc] #variant(#ty),)
    });
    let (Some(tag), Some(unknown)) = (tag, unknown) else {
        return quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
            #[serde(untagged)]
            #[allow(clippy::large_enum_variant)]
            #[non_exhaustive]
            pub enum #name {
                #(#variant_tokens)*
            }
        };
    };
    let unknown = ident(unknown);
    let rt = super::runtime();
    let arms = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let value = v.tag_value.as_deref().unwrap_or_default();
        let wrap = if v.boxed {
            quote!(|inner| Self::#variant(Box::new(inner)))
        } else {
            quote!(Self::#variant)
        };
        quote!(Some(#value) => serde_json::from_value(value).map(#wrap).map_err(serde::de::Error::custom),)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        #[allow(clippy::large_enum_variant)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_tokens)*
            /// A value whose discriminator the spec does not list (the API added it later),
            /// kept as sent.
            #unknown(#rt::UnknownValue<serde_json::Value>),
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#tag).and_then(serde_json::Value::as_str).map(str::to_owned);
                match tag.as_deref() {
                    #(#arms)*
                    _ => Ok(Self::#unknown(#rt::codegen::unknown(value))),
                }
            }
        }
    }
}

/// The success bodies of an operation, one variant per documented status.
fn responses_def(name: &Ident, docs: TokenStream, variants: &[ResponseVariant]) -> TokenStream {
    let variant_tokens = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let doc = format!(" The {} response.", v.status);
        match &v.body {
            ResponseBody::Empty => quote!(#[doc = #doc] #variant,),
            body => {
                let ty = body_type(body, quote!());
                quote!(#[doc = #doc] #variant(#ty),)
            }
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_tokens)*
        }
    }
}

/// The parameter type of a constructor or setter: strings (and lists of them) take anything
/// that converts, so that callers can pass `&str` literals.
fn argument_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(impl Into<String>),
        TypeRef::DateTime => {
            let ty = rust_type(ty, quote!());
            quote!(impl Into<#ty>)
        }
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

/// The expression that turns an argument of [`argument_type`] into the field's value, or
/// `None` when the argument is that value as it is.
fn conversion(ty: &TypeRef, arg: &impl quote::ToTokens) -> Option<TokenStream> {
    match ty {
        TypeRef::String | TypeRef::DateTime => Some(quote!(#arg.into())),
        TypeRef::Array(inner) if **inner == TypeRef::String => {
            Some(quote!(#arg.into_iter().map(Into::into).collect()))
        }
        TypeRef::Array(_) => Some(quote!(#arg.into_iter().collect())),
        _ => None,
    }
}

fn enum_def(name: &Ident, docs: TokenStream, variants: &[Variant], unknown: &str) -> TokenStream {
    let unknown = ident(unknown);
    let rt = super::runtime();
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
        #[non_exhaustive]
        pub enum #name {
            #(#variant_tokens)*
            /// A value the spec does not list (the API added it later), kept as sent. Compare
            /// [`as_str()`](Self::as_str) to act on it: a later version of the crate may list it.
            #unknown(#rt::UnknownValue),
        }

        impl #name {
            /// Every value the spec lists, in its order.
            pub const ALL: &'static [Self] = &[#(Self::#all),*];

            /// The value as the API writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str_arms)*
                    Self::#unknown(value) => value.as_str(),
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_arms)*
                    other => Self::#unknown(#rt::codegen::unknown(other.to_owned())),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <String as serde::Deserialize>::deserialize(deserializer).map(|value| Self::from(value.as_str()))
            }
        }
    }
}

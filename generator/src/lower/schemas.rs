//! Schemas to types: every JSON Schema construct the generator understands, the Rust type it
//! becomes, and the name that type gets.
//!
//! A schema is first classified into a [`Shape`] (OpenAPI lets the same thing be written as a
//! typed schema or as a bag of keywords), then lowered. Component schemas are named after
//! their component; inline schemas that need a type of their own (objects with properties,
//! enums, unions) are named from their place (`Post` + `media` → `PostMedia`).

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

use super::{Lowering, SCHEMAS, local_ref};
use crate::error::{Located, Pointer, Result};
use crate::model::{
    Field, IntVariant, IntegerWidth, StructPurpose, TypeDef, TypeKind, TypeRef, UnionVariant,
    Variant,
};
use crate::names::{self, Scope};

/// What a schema describes, however the spec wrote it.
enum Shape<'s> {
    Object {
        properties: &'s IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &'s [String],
        additional: Option<&'s AdditionalProperties>,
    },
    Array(Option<&'s ReferenceOr<Box<Schema>>>),
    String {
        format: Option<String>,
        values: Vec<Option<String>>,
    },
    Integer {
        wide: bool,
        values: Vec<Option<i64>>,
    },
    Number,
    Boolean,
    OneOf(&'s [ReferenceOr<Schema>]),
    AnyOf(&'s [ReferenceOr<Schema>]),
    AllOf(&'s [ReferenceOr<Schema>]),
    Not,
    /// Any JSON value: the schema constrains nothing.
    Any,
    /// Something no Rust type can stand for; the reason.
    Fallback(String),
    /// A mistake in the spec; the message.
    Invalid(String),
}

/// The lowering of one schema: a type to use as it is, or a kind that needs a name.
enum Lowered {
    Plain(TypeRef),
    Kind(TypeKind),
}

/// The types a schema may say it is, for the "did you mean" of a misspelling.
const TYPES: &[&str] = &["string", "number", "integer", "boolean", "array", "object"];

fn shape(schema: &Schema) -> Shape<'_> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => Shape::Object {
            properties: &object.properties,
            required: &object.required,
            additional: object.additional_properties.as_ref(),
        },
        SchemaKind::Type(Type::Array(array)) => Shape::Array(array.items.as_ref()),
        SchemaKind::Type(Type::String(string)) => Shape::String {
            format: match &string.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Some("binary".to_owned()),
                VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => {
                    Some("date-time".to_owned())
                }
                VariantOrUnknownOrEmpty::Item(other) => Some(format!("{other:?}").to_lowercase()),
                VariantOrUnknownOrEmpty::Unknown(other) => Some(other.clone()),
                VariantOrUnknownOrEmpty::Empty => None,
            },
            values: string.enumeration.clone(),
        },
        SchemaKind::Type(Type::Integer(integer)) => Shape::Integer {
            wide: integer.format != VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32),
            values: integer.enumeration.clone(),
        },
        SchemaKind::Type(Type::Number(_)) => Shape::Number,
        SchemaKind::Type(Type::Boolean(_)) => Shape::Boolean,
        SchemaKind::OneOf { one_of } => Shape::OneOf(one_of),
        SchemaKind::AnyOf { any_of } => Shape::AnyOf(any_of),
        SchemaKind::AllOf { all_of } => Shape::AllOf(all_of),
        SchemaKind::Not { .. } => Shape::Not,
        SchemaKind::Any(any) => {
            if !any.one_of.is_empty() {
                return Shape::OneOf(&any.one_of);
            }
            if !any.any_of.is_empty() {
                return Shape::AnyOf(&any.any_of);
            }
            if !any.all_of.is_empty() {
                return Shape::AllOf(&any.all_of);
            }
            if any.not.is_some() {
                return Shape::Not;
            }
            let values = &any.enumeration;
            let typ = any.typ.as_deref().or_else(|| {
                if !any.properties.is_empty() || any.additional_properties.is_some() {
                    Some("object")
                } else if any.items.is_some() {
                    Some("array")
                } else if !values.is_empty() && values.iter().all(|v| v.is_string() || v.is_null())
                {
                    Some("string")
                } else if !values.is_empty() && values.iter().all(|v| v.is_i64() || v.is_null()) {
                    Some("integer")
                } else {
                    None
                }
            });
            match typ {
                Some("object") => Shape::Object {
                    properties: &any.properties,
                    required: &any.required,
                    additional: any.additional_properties.as_ref(),
                },
                Some("array") => Shape::Array(any.items.as_ref()),
                Some("string") => {
                    if values.iter().any(|v| !v.is_string() && !v.is_null()) {
                        return Shape::Invalid(
                            "a string `enum` lists values that are not strings; quote them"
                                .to_owned(),
                        );
                    }
                    Shape::String {
                        format: any.format.clone(),
                        values: values
                            .iter()
                            .map(|v| v.as_str().map(str::to_owned))
                            .collect(),
                    }
                }
                Some("integer") => {
                    if values.iter().any(|v| !v.is_i64() && !v.is_null()) {
                        return Shape::Invalid(
                            "an integer `enum` lists values that are not integers".to_owned(),
                        );
                    }
                    Shape::Integer {
                        wide: any.format.as_deref() != Some("int32"),
                        values: values.iter().map(serde_json::Value::as_i64).collect(),
                    }
                }
                Some("number") => Shape::Number,
                Some("boolean") => Shape::Boolean,
                Some("null") => Shape::Fallback("`type: null` (OpenAPI 3.1)".to_owned()),
                Some(other) => {
                    let hint = TYPES
                        .iter()
                        .find(|t| strsim::levenshtein(t, other) <= 2)
                        .map(|t| format!(" (did you mean `{t}`?)"))
                        .unwrap_or_default();
                    Shape::Invalid(format!(
                        "`type: {other}` is not a type OpenAPI 3.0 knows{hint}; use one of {}",
                        TYPES.join(", ")
                    ))
                }
                None if !values.is_empty() => {
                    Shape::Fallback("an `enum` whose values are of different types".to_owned())
                }
                None => Shape::Any,
            }
        }
    }
}

impl Lowering<'_> {
    /// Names every component schema, then defines each; names come first so that references,
    /// recursive ones included, resolve.
    pub(super) fn define_components(&mut self) -> Result<()> {
        let Some(components) = &self.doc.components else {
            return Ok(());
        };
        let schemas_ptr = Pointer::root().push("components").push("schemas");
        for name in components.schemas.keys() {
            let wanted = names::type_name(name);
            let rust = self.type_names.claim(wanted.clone());
            if rust != wanted {
                self.warn(
                    &schemas_ptr.push(name),
                    format!("schema `{name}` is generated as `{rust}`: its Rust name is taken"),
                );
            }
            self.component_names.insert(name.clone(), rust);
        }
        for (name, schema) in &components.schemas {
            let rust = self.component_names[name].clone();
            let ptr = schemas_ptr.push(name);
            let (kind, description) = match schema {
                ReferenceOr::Reference { reference } => (
                    TypeKind::Alias(TypeRef::Named(self.schema_ref(reference, &ptr)?)),
                    None,
                ),
                ReferenceOr::Item(item) => {
                    let kind = match self.lower(item, &ptr, &rust)? {
                        Lowered::Kind(kind) => kind,
                        Lowered::Plain(ty) => TypeKind::Alias(nullable(ty, item)),
                    };
                    (kind, item.schema_data.description.clone())
                }
            };
            self.types.insert(
                rust.clone(),
                TypeDef {
                    name: rust,
                    description,
                    origin: ptr.to_string(),
                    kind,
                },
            );
        }
        self.check_alias_cycles()
    }

    /// The type of a use site. Inline structs, enums and unions become named types called
    /// `hint`.
    pub(super) fn type_ref(
        &mut self,
        schema: &ReferenceOr<Schema>,
        ptr: &Pointer,
        hint: &str,
    ) -> Result<TypeRef> {
        match schema {
            ReferenceOr::Reference { reference } => {
                self.schema_ref(reference, ptr).map(TypeRef::Named)
            }
            ReferenceOr::Item(schema) => self.inline_type(schema, ptr, hint),
        }
    }

    /// The type of a schema written in place: named `hint` when it needs a type of its own.
    fn inline_type(&mut self, schema: &Schema, ptr: &Pointer, hint: &str) -> Result<TypeRef> {
        let ty = match self.lower(schema, ptr, hint)? {
            Lowered::Plain(ty) => ty,
            Lowered::Kind(kind) => {
                let rust = self.type_names.claim(names::type_name(hint));
                self.types.insert(
                    rust.clone(),
                    TypeDef {
                        name: rust.clone(),
                        description: schema.schema_data.description.clone(),
                        origin: ptr.to_string(),
                        kind,
                    },
                );
                TypeRef::Named(rust)
            }
        };
        Ok(nullable(ty, schema))
    }

    fn type_ref_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        ptr: &Pointer,
        hint: &str,
    ) -> Result<TypeRef> {
        // Matched here rather than unboxed: unboxing would copy the whole subtree.
        match schema {
            ReferenceOr::Reference { reference } => {
                self.schema_ref(reference, ptr).map(TypeRef::Named)
            }
            ReferenceOr::Item(schema) => self.inline_type(schema, ptr, hint),
        }
    }

    /// The Rust name of the component schema `reference` points to.
    pub(super) fn schema_ref(&self, reference: &str, ptr: &Pointer) -> Result<String> {
        let name = local_ref(reference, SCHEMAS, ptr)?;
        self.component_names.get(name).cloned().ok_or_else(|| {
            Located::new(
                ptr,
                format!(
                    "`$ref: {reference}` points to no schema in `#/components/schemas`; define \
                     `{name}` there or fix the reference"
                ),
            )
        })
    }

    fn lower(&mut self, schema: &Schema, ptr: &Pointer, name: &str) -> Result<Lowered> {
        Ok(match shape(schema) {
            Shape::Object {
                properties,
                required,
                additional,
            } => {
                if properties.is_empty() {
                    Lowered::Plain(self.map_type(additional, ptr, name)?)
                } else {
                    let mut scope = Scope::new();
                    let mut fields = Vec::new();
                    self.fields(properties, required, ptr, name, &mut scope, &mut fields)?;
                    self.extra_field(additional, ptr, name, &mut scope, &mut fields)?;
                    self.check_required(required, &fields, ptr);
                    Lowered::Kind(TypeKind::Struct {
                        fields,
                        purpose: StructPurpose::Schema,
                    })
                }
            }
            Shape::Array(items) => Lowered::Plain(TypeRef::Array(Box::new(match items {
                Some(items) => {
                    self.type_ref_boxed(items, &ptr.push("items"), &format!("{name}Item"))?
                }
                None => {
                    self.fallback(
                        ptr,
                        "an array without `items`: its items are `serde_json::Value`",
                    );
                    TypeRef::Any
                }
            }))),
            Shape::String { format, values } if values.is_empty() => {
                Lowered::Plain(match format.as_deref() {
                    Some("binary") => TypeRef::File,
                    Some("date-time") => TypeRef::DateTime,
                    _ => TypeRef::String,
                })
            }
            Shape::String { values, .. } => self.string_enum(&values, ptr)?,
            Shape::Integer { wide, values } if values.is_empty() => {
                Lowered::Plain(TypeRef::Integer(if wide {
                    IntegerWidth::I64
                } else {
                    IntegerWidth::I32
                }))
            }
            Shape::Integer { values, .. } => self.int_enum(&values, ptr)?,
            Shape::Number => Lowered::Plain(TypeRef::Number),
            Shape::Boolean => Lowered::Plain(TypeRef::Boolean),
            Shape::AllOf(parts) => self.all_of(schema, parts, ptr, name)?,
            Shape::OneOf(parts) => self.union(schema, parts, &ptr.push("oneOf"), name)?,
            Shape::AnyOf(parts) => self.union(schema, parts, &ptr.push("anyOf"), name)?,
            Shape::Not => {
                self.fallback(
                    ptr,
                    "`not` cannot be expressed as a Rust type: `serde_json::Value`",
                );
                Lowered::Plain(TypeRef::Any)
            }
            Shape::Any => Lowered::Plain(TypeRef::Any),
            Shape::Fallback(what) => {
                self.fallback(ptr, format!("{what} becomes `serde_json::Value`"));
                Lowered::Plain(TypeRef::Any)
            }
            Shape::Invalid(message) => return Err(Located::new(ptr, message)),
        })
    }

    /// An object without properties: a map of its `additionalProperties`, or any object.
    fn map_type(
        &mut self,
        additional: Option<&AdditionalProperties>,
        ptr: &Pointer,
        name: &str,
    ) -> Result<TypeRef> {
        Ok(match additional {
            Some(AdditionalProperties::Schema(values)) => TypeRef::Map(Box::new(self.type_ref(
                values,
                &ptr.push("additionalProperties"),
                &format!("{name}Value"),
            )?)),
            _ => TypeRef::Object,
        })
    }

    /// Adds a field for each property.
    fn fields(
        &mut self,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        ptr: &Pointer,
        name: &str,
        scope: &mut Scope,
        fields: &mut Vec<Field>,
    ) -> Result<()> {
        let props = ptr.push("properties");
        for (wire, prop) in properties {
            let prop_ptr = props.push(wire);
            if wire.is_empty() {
                return Err(Located::new(
                    &prop_ptr,
                    "a property has an empty name; name it or remove it",
                ));
            }
            if let Some(earlier) = fields.iter().position(|f| f.wire_name == *wire) {
                // An `allOf` part restating a property of an earlier one: one field, typed
                // as the later part says (it is the more specific).
                let hint = format!("{name}{}", names::camel(wire));
                let ty = self.type_ref_boxed(prop, &prop_ptr, &hint)?;
                let field = &mut fields[earlier];
                if field.ty != ty {
                    self.warn(
                        &prop_ptr,
                        format!(
                            "property `{wire}` is also defined by an earlier `allOf` part; this \
                             definition is used"
                        ),
                    );
                    field.ty = ty;
                }
                field.required |= required.contains(wire);
                continue;
            }
            let wanted = names::snake(wire);
            let rust_name = scope.claim(wanted.clone());
            if rust_name != wanted {
                self.warn(
                    &prop_ptr,
                    format!(
                        "field `{wire}` is generated as `{rust_name}`: its Rust name is taken by \
                         an earlier field"
                    ),
                );
            }
            let ty =
                self.type_ref_boxed(prop, &prop_ptr, &format!("{name}{}", names::camel(wire)))?;
            let (description, default) = match prop {
                ReferenceOr::Item(s) => (
                    s.schema_data.description.clone(),
                    s.schema_data.default.as_ref().map(ToString::to_string),
                ),
                ReferenceOr::Reference { .. } => (None, None),
            };
            fields.push(Field {
                wire_name: wire.clone(),
                rust_name,
                ty,
                required: required.contains(wire),
                description,
                setter: None,
                boxed: false,
                flatten: false,
                default,
                cookie: false,
                style: None,
            });
        }
        Ok(())
    }

    /// Warns about `required` names no field has (checked once an object is complete: in an
    /// `allOf`, another part may bring the property).
    fn check_required<'r>(
        &mut self,
        required: impl IntoIterator<Item = &'r String>,
        fields: &[Field],
        ptr: &Pointer,
    ) {
        for wanted in required {
            if !fields.iter().any(|f| f.wire_name == *wanted) {
                self.warn(
                    &ptr.push("required"),
                    format!(
                        "`{wanted}` is required but is not among the properties; it is ignored \
                         (add the property, or remove it from `required`)"
                    ),
                );
            }
        }
    }

    /// The map that keeps the properties an object lists no schema for, when the spec gives
    /// them a type (`additionalProperties: {…}` next to `properties`).
    fn extra_field(
        &mut self,
        additional: Option<&AdditionalProperties>,
        ptr: &Pointer,
        name: &str,
        scope: &mut Scope,
        fields: &mut Vec<Field>,
    ) -> Result<()> {
        let Some(AdditionalProperties::Schema(values)) = additional else {
            return Ok(());
        };
        let value = self.type_ref(
            values,
            &ptr.push("additionalProperties"),
            &format!("{name}Value"),
        )?;
        fields.push(Field {
            wire_name: String::new(),
            rust_name: scope.claim("additional_properties".to_owned()),
            ty: TypeRef::Map(Box::new(value)),
            required: true,
            description: Some("The properties the schema does not list by name.".to_owned()),
            setter: None,
            boxed: false,
            flatten: true,
            default: None,
            cookie: false,
            style: None,
        });
        Ok(())
    }

    fn string_enum(&mut self, values: &[Option<String>], ptr: &Pointer) -> Result<Lowered> {
        let mut scope = Scope::new();
        let mut variants = Vec::new();
        for wire in values.iter().flatten() {
            let wanted = names::camel(wire);
            let rust_name = scope.claim(wanted.clone());
            if rust_name != wanted {
                self.warn(
                    &ptr.push("enum"),
                    format!(
                        "value `{wire}` is generated as `{rust_name}`: its Rust name is taken by \
                         an earlier value"
                    ),
                );
            }
            if !variants.iter().any(|v: &Variant| v.wire_name == *wire) {
                variants.push(Variant {
                    wire_name: wire.clone(),
                    rust_name,
                });
            }
        }
        if variants.is_empty() && !values.is_empty() {
            // `enum: [null]`: the one value is `null`, the unit value.
            return Ok(Lowered::Plain(TypeRef::Unit));
        }
        if variants.is_empty() {
            return Err(Located::new(
                &ptr.push("enum"),
                "the `enum` lists no values; list the allowed values or remove `enum`",
            ));
        }
        let unknown = scope.claim("Unknown".to_owned());
        Ok(Lowered::Kind(TypeKind::Enum { variants, unknown }))
    }

    fn int_enum(&mut self, values: &[Option<i64>], ptr: &Pointer) -> Result<Lowered> {
        let mut scope = Scope::new();
        let mut variants: Vec<IntVariant> = Vec::new();
        for &value in values.iter().flatten() {
            if variants.iter().any(|v| v.value == value) {
                continue;
            }
            let wanted = if value < 0 {
                format!("Minus{}", value.unsigned_abs())
            } else {
                format!("V{value}")
            };
            variants.push(IntVariant {
                value,
                rust_name: scope.claim(wanted),
            });
        }
        if variants.is_empty() && !values.is_empty() {
            // `enum: [null]`: the one value is `null`, the unit value.
            return Ok(Lowered::Plain(TypeRef::Unit));
        }
        if variants.is_empty() {
            return Err(Located::new(
                &ptr.push("enum"),
                "the `enum` lists no values; list the allowed values or remove `enum`",
            ));
        }
        let unknown = scope.claim("Unknown".to_owned());
        Ok(Lowered::Kind(TypeKind::IntEnum { variants, unknown }))
    }

    /// `allOf`: one schema is that schema; objects are merged into one struct.
    fn all_of(
        &mut self,
        schema: &Schema,
        parts: &[ReferenceOr<Schema>],
        ptr: &Pointer,
        name: &str,
    ) -> Result<Lowered> {
        let own = match &schema.schema_kind {
            SchemaKind::Any(any) => Some((&any.properties, &any.required)),
            _ => None,
        };
        let own_properties = own.is_some_and(|(p, _)| !p.is_empty());
        // One schema plus annotations (`nullable`, a description) is that schema: referring to
        // it keeps one type per definition (and recursive definitions finite).
        let substantive: Vec<usize> = (0..parts.len())
            .filter(|&i| !is_annotation(&parts[i]))
            .collect();
        if let ([only], false) = (substantive.as_slice(), own_properties) {
            let ty = self.type_ref(&parts[*only], &ptr.push("allOf").push(*only), name)?;
            let nullable = parts.iter().any(|p| match p {
                ReferenceOr::Item(schema) => schema.schema_data.nullable,
                ReferenceOr::Reference { .. } => false,
            });
            return Ok(Lowered::Plain(
                if nullable && !matches!(ty, TypeRef::Nullable(_)) {
                    TypeRef::Nullable(Box::new(ty))
                } else {
                    ty
                },
            ));
        }
        let mut scope = Scope::new();
        let mut fields = Vec::new();
        let mut required = BTreeSet::new();
        let mut non_objects = Vec::new();
        let mut seen = BTreeSet::new();
        for (i, part) in parts.iter().enumerate() {
            let at = ptr.push("allOf").push(i);
            self.merge_part(
                part,
                &at,
                name,
                &mut scope,
                &mut fields,
                &mut required,
                &mut non_objects,
                &mut seen,
            )?;
        }
        if let Some((properties, own_required)) = own {
            required.extend(own_required.iter().cloned());
            let all: Vec<String> = required.iter().cloned().collect();
            self.fields(properties, &all, ptr, name, &mut scope, &mut fields)?;
        }
        for field in &mut fields {
            if required.contains(&field.wire_name) {
                field.required = true;
            }
        }
        self.check_required(&required, &fields, ptr);
        match (fields.is_empty(), non_objects.as_slice()) {
            (false, []) => Ok(Lowered::Kind(TypeKind::Struct {
                fields,
                purpose: StructPurpose::Schema,
            })),
            (true, [only]) => Ok(Lowered::Plain(only.clone())),
            (true, []) => Ok(Lowered::Plain(TypeRef::Object)),
            _ => {
                self.fallback(
                    ptr,
                    "`allOf` of an object and other kinds of schema becomes `serde_json::Value`",
                );
                Ok(Lowered::Plain(TypeRef::Any))
            }
        }
    }

    /// Adds the fields of one `allOf` part (following references and nested `allOf`s).
    #[allow(clippy::too_many_arguments)]
    fn merge_part(
        &mut self,
        part: &ReferenceOr<Schema>,
        at: &Pointer,
        name: &str,
        scope: &mut Scope,
        fields: &mut Vec<Field>,
        required: &mut BTreeSet<String>,
        non_objects: &mut Vec<TypeRef>,
        seen: &mut BTreeSet<String>,
    ) -> Result<()> {
        let (schema, at) = match part {
            ReferenceOr::Reference { reference } => {
                let component = local_ref(reference, SCHEMAS, at)?.to_owned();
                self.schema_ref(reference, at)?;
                if !seen.insert(component.clone()) || self.merging.contains(&component) {
                    return Err(Located::new(
                        at,
                        format!(
                            "`allOf` includes `{component}` within itself, so its properties \
                             cannot be merged; refer to it from a property instead"
                        ),
                    ));
                }
                self.merging.push(component.clone());
                let schemas = &self
                    .doc
                    .components
                    .as_ref()
                    .expect("checked by schema_ref")
                    .schemas;
                match &schemas[&component] {
                    ReferenceOr::Item(schema) => (schema, Pointer::from_fragment(reference)),
                    other => {
                        let other = other.clone();
                        let result = self.merge_part(
                            &other,
                            &Pointer::from_fragment(reference),
                            name,
                            scope,
                            fields,
                            required,
                            non_objects,
                            seen,
                        );
                        seen.remove(&component);
                        self.merging.retain(|c| *c != component);
                        return result;
                    }
                }
            }
            ReferenceOr::Item(schema) => (schema, at.clone()),
        };
        match shape(schema) {
            Shape::Object {
                properties,
                required: own,
                additional,
            } => {
                required.extend(own.iter().cloned());
                let own: Vec<String> = own.to_vec();
                self.fields(properties, &own, &at, name, scope, fields)?;
                self.extra_field(additional, &at, name, scope, fields)?;
            }
            Shape::AllOf(nested) => {
                for (i, inner) in nested.iter().enumerate() {
                    self.merge_part(
                        inner,
                        &at.push("allOf").push(i),
                        name,
                        scope,
                        fields,
                        required,
                        non_objects,
                        seen,
                    )?;
                }
            }
            // A part that only annotates (a description, `nullable`) adds nothing.
            Shape::Any => {}
            _ => non_objects.push(self.inline_type(schema, &at, name)?),
        }
        if let ReferenceOr::Reference { reference } = part {
            let component = local_ref(reference, SCHEMAS, &at)?;
            seen.remove(component);
            self.merging.retain(|c| c != component);
        }
        Ok(())
    }

    /// `oneOf` / `anyOf`: an enum with a variant per schema (`null` makes it nullable).
    fn union(
        &mut self,
        schema: &Schema,
        parts: &[ReferenceOr<Schema>],
        ptr: &Pointer,
        name: &str,
    ) -> Result<Lowered> {
        let mut scope = Scope::new();
        let mut variants = Vec::new();
        let mut null = false;
        for (i, part) in parts.iter().enumerate() {
            let at = ptr.push(i);
            if is_null(part) {
                null = true;
                continue;
            }
            let (wanted, ty) = match part {
                ReferenceOr::Reference { reference } => {
                    let rust = self.schema_ref(reference, &at)?;
                    (rust.clone(), TypeRef::Named(rust))
                }
                ReferenceOr::Item(item) => {
                    let titled = item.schema_data.title.as_deref().map(names::camel);
                    let hint = format!(
                        "{name}{}",
                        titled
                            .clone()
                            .unwrap_or_else(|| format!("Variant{}", i + 1))
                    );
                    let ty = self.type_ref(part, &at, &hint)?;
                    let wanted = titled.unwrap_or_else(|| variant_name(&ty, i));
                    (wanted, ty)
                }
            };
            variants.push(UnionVariant {
                rust_name: scope.claim(wanted),
                ty,
                boxed: false,
                tag_value: None,
            });
        }
        if variants.is_empty() {
            return Err(Located::new(
                ptr,
                "lists no schema but `null`; give it at least one",
            ));
        }
        if variants.len() == 1 {
            // One real choice: that type (nullable when `null` was the other).
            let ty = variants.remove(0).ty;
            return Ok(Lowered::Plain(if null {
                TypeRef::Nullable(Box::new(ty))
            } else {
                ty
            }));
        }
        let tag = match &schema.schema_data.discriminator {
            Some(discriminator) => self.tag_variants(discriminator, parts, &mut variants, ptr)?,
            None => None,
        };
        let unknown = tag.as_ref().map(|_| scope.claim("Unknown".to_owned()));
        Ok(Lowered::Kind(TypeKind::Union {
            variants,
            tag,
            unknown,
        }))
    }

    /// Gives each variant its discriminator value: from the mapping, else the schema's name.
    fn tag_variants(
        &mut self,
        discriminator: &openapiv3::Discriminator,
        parts: &[ReferenceOr<Schema>],
        variants: &mut [UnionVariant],
        ptr: &Pointer,
    ) -> Result<Option<String>> {
        let mut by_reference: BTreeMap<String, String> = BTreeMap::new();
        for (value, target) in &discriminator.mapping {
            let reference = if target.starts_with('#') {
                target.clone()
            } else {
                format!("{SCHEMAS}{target}")
            };
            by_reference
                .entry(reference)
                .or_insert_with(|| value.clone());
        }
        let real_parts = parts.iter().filter(|p| !is_null(p));
        for (variant, part) in variants.iter_mut().zip(real_parts) {
            let ReferenceOr::Reference { reference } = part else {
                self.warn(
                    &ptr.push("discriminator"),
                    "a variant written inline has no discriminator value; the variants are told \
                     apart by their shape instead",
                );
                for v in variants.iter_mut() {
                    v.tag_value = None;
                }
                return Ok(None);
            };
            let value = by_reference
                .get(reference)
                .cloned()
                .unwrap_or_else(|| reference.trim_start_matches(SCHEMAS).to_owned());
            variant.tag_value = Some(value);
        }
        Ok(Some(discriminator.property_name.clone()))
    }

    /// A component alias that refers (through other aliases) to itself has no type at all.
    fn check_alias_cycles(&self) -> Result<()> {
        for (name, def) in &self.types {
            let mut at = name.clone();
            let mut chain = vec![name.clone()];
            while let Some(TypeKind::Alias(target)) = self.types.get(&at).map(|d| &d.kind) {
                let Some(next) = held_name(target) else {
                    break;
                };
                if next == *name {
                    return Err(Located::new(
                        &Pointer::from_fragment(&def.origin),
                        format!(
                            "`{name}` is only a reference to itself (through {}); give one of \
                             these schemas a real definition",
                            chain.join(" → ")
                        ),
                    ));
                }
                if chain.contains(&next) {
                    break;
                }
                chain.push(next.clone());
                at = next;
            }
        }
        Ok(())
    }

    /// Boxes the fields and variants through which a type contains itself, so that recursive
    /// types have a size.
    pub(super) fn box_recursive_fields(&mut self) {
        // The named types each type holds directly (not behind a `Vec` or a map).
        let direct: BTreeMap<String, Vec<String>> = self
            .types
            .iter()
            .map(|(name, def)| {
                let held = match &def.kind {
                    TypeKind::Struct { fields, .. } => {
                        fields.iter().filter_map(|f| held_name(&f.ty)).collect()
                    }
                    TypeKind::Union { variants, .. } => {
                        variants.iter().filter_map(|v| held_name(&v.ty)).collect()
                    }
                    TypeKind::Alias(target) => held_name(target).into_iter().collect(),
                    _ => Vec::new(),
                };
                (name.clone(), held)
            })
            .collect();
        // A held type loops back to its holder when both are in one strongly connected
        // component of the "holds directly" graph.
        let component = strongly_connected(&direct);
        let reaches = |from: &str, to: &str| -> bool {
            from == to || (component.contains_key(from) && component.get(from) == component.get(to))
        };
        let mut boxed = Vec::new();
        for (name, def) in &self.types {
            match &def.kind {
                TypeKind::Struct { fields, .. } => {
                    for (i, f) in fields.iter().enumerate() {
                        if held_name(&f.ty).is_some_and(|held| reaches(&held, name)) {
                            boxed.push((name.clone(), i));
                        }
                    }
                }
                TypeKind::Union { variants, .. } => {
                    for (i, v) in variants.iter().enumerate() {
                        if held_name(&v.ty).is_some_and(|held| reaches(&held, name)) {
                            boxed.push((name.clone(), i));
                        }
                    }
                }
                _ => {}
            }
        }
        for (name, i) in boxed {
            match &mut self.types.get_mut(&name).expect("listed above").kind {
                TypeKind::Struct { fields, .. } => fields[i].boxed = true,
                TypeKind::Union { variants, .. } => variants[i].boxed = true,
                _ => {}
            }
        }
    }
}

/// Numbers the strongly connected components of a graph (Kosaraju, without recursion so that
/// a long chain of types cannot overflow the stack): two nodes share a number exactly when
/// each reaches the other.
fn strongly_connected(edges: &BTreeMap<String, Vec<String>>) -> BTreeMap<String, usize> {
    let empty = Vec::new();
    let next = |node: &str| edges.get(node).unwrap_or(&empty);
    // Pass 1: nodes in order of finishing.
    let mut order = Vec::new();
    let mut visited = BTreeSet::new();
    for start in edges.keys() {
        if !visited.insert(start.as_str()) {
            continue;
        }
        let mut stack = vec![(start.as_str(), 0_usize)];
        while let Some((node, i)) = stack.pop() {
            match next(node).get(i) {
                Some(child) => {
                    stack.push((node, i + 1));
                    if visited.insert(child.as_str()) {
                        stack.push((child.as_str(), 0));
                    }
                }
                None => order.push(node),
            }
        }
    }
    // Pass 2: on the reversed graph, in reverse finishing order.
    let mut reversed: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (from, tos) in edges {
        for to in tos {
            reversed.entry(to.as_str()).or_default().push(from.as_str());
        }
    }
    let mut component = BTreeMap::new();
    for (number, root) in order.iter().rev().enumerate() {
        if component.contains_key(*root) {
            continue;
        }
        let mut stack = vec![*root];
        component.insert((*root).to_owned(), number);
        while let Some(node) = stack.pop() {
            for from in reversed.get(node).into_iter().flatten() {
                if !component.contains_key(*from) {
                    component.insert((*from).to_owned(), number);
                    stack.push(from);
                }
            }
        }
    }
    component
}

/// The named type a use holds directly.
fn held_name(ty: &TypeRef) -> Option<String> {
    match ty {
        TypeRef::Named(name) => Some(name.clone()),
        TypeRef::Nullable(inner) => held_name(inner),
        _ => None,
    }
}

/// A part of an `allOf` that only annotates: no type, no properties, no composition.
fn is_annotation(part: &ReferenceOr<Schema>) -> bool {
    match part {
        ReferenceOr::Item(schema) => match &schema.schema_kind {
            SchemaKind::Any(any) => {
                any.typ.is_none()
                    && any.properties.is_empty()
                    && any.additional_properties.is_none()
                    && any.items.is_none()
                    && any.enumeration.is_empty()
                    && any.one_of.is_empty()
                    && any.all_of.is_empty()
                    && any.any_of.is_empty()
                    && any.not.is_none()
            }
            _ => false,
        },
        ReferenceOr::Reference { .. } => false,
    }
}

/// `null` as a `oneOf` choice: `{type: 'null'}` (3.1 style) or `{enum: [null]}`.
fn is_null(part: &ReferenceOr<Schema>) -> bool {
    match part {
        ReferenceOr::Item(schema) => match &schema.schema_kind {
            SchemaKind::Any(any) => {
                any.typ.as_deref() == Some("null")
                    || (!any.enumeration.is_empty() && any.enumeration.iter().all(|v| v.is_null()))
            }
            _ => false,
        },
        ReferenceOr::Reference { .. } => false,
    }
}

/// A variant's name from its type, when the spec gives none.
fn variant_name(ty: &TypeRef, index: usize) -> String {
    match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::DateTime => "DateTime".to_owned(),
        TypeRef::Integer(_) => "Integer".to_owned(),
        TypeRef::Number => "Number".to_owned(),
        TypeRef::Boolean => "Boolean".to_owned(),
        TypeRef::Array(_) => "List".to_owned(),
        TypeRef::Map(_) | TypeRef::Object => "Object".to_owned(),
        _ => format!("Variant{}", index + 1),
    }
}

/// The type with `nullable: true` applied.
fn nullable(ty: TypeRef, schema: &Schema) -> TypeRef {
    match ty {
        TypeRef::Nullable(_) | TypeRef::Any => ty,
        ty if schema.schema_data.nullable => TypeRef::Nullable(Box::new(ty)),
        ty => ty,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_group_the_types_that_reach_each_other() {
        let edges: BTreeMap<String, Vec<String>> = [
            ("A", vec!["B"]),
            ("B", vec!["C", "A"]),
            ("C", vec!["D"]),
            ("D", vec![]),
            ("E", vec!["E"]),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.into_iter().map(str::to_owned).collect()))
        .collect();
        let c = strongly_connected(&edges);
        assert_eq!(c["A"], c["B"]);
        assert_ne!(c["A"], c["C"]);
        assert_ne!(c["C"], c["D"]);
    }
}

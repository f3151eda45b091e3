//! Keeps every generated type small enough to hold by value.
//!
//! A schema that holds other schemas by `$ref` becomes a struct that holds their structs
//! inline, so its size is the sum of theirs. Large real specs nest deeply (an issue holds a
//! repository, which holds an owner, a licence, a template repository…), and a document where
//! each schema holds two earlier ones doubles the size at every level: rustc then refuses the
//! type ("values of the type … are too big"), and long before that a decoded value fills the
//! stack of a task. So a field or variant that would hold more than [`LARGEST_INLINE`] bytes
//! inline holds a `Box` instead, which keeps every type to a few hundred bytes a field
//! whatever the depth of the document.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Field, IntegerWidth, TypeDef, TypeKind, TypeRef, UnionVariant};

/// The most bytes a field or union variant holds inline: a named type estimated larger is
/// boxed. Large enough that the common small types (an enum, a pair of ids, a short record)
/// stay inline, where a reader expects them.
pub(crate) const LARGEST_INLINE: u64 = 512;

/// What a `Box`, and the tag or `None` of an `Option` or enum, cost (64-bit targets).
const POINTER: u64 = 8;

/// Boxes the fields and variants that would hold a named type larger than
/// [`LARGEST_INLINE`], and returns how many it boxed. Runs after recursive types are boxed,
/// so that what remains held inline has no cycle.
pub(crate) fn box_large_fields(types: &mut BTreeMap<String, TypeDef>) -> usize {
    let mut sizes: BTreeMap<String, u64> = BTreeMap::new();
    let mut boxed = 0;
    for name in inline_order(types) {
        let def = types.get_mut(&name).expect("the order lists known types");
        match &mut def.kind {
            TypeKind::Struct { fields, .. } => {
                for field in fields.iter_mut().filter(|f| !f.boxed) {
                    if held_size(&field.ty, &sizes) > LARGEST_INLINE {
                        field.boxed = true;
                        boxed += 1;
                    }
                }
            }
            TypeKind::Union { variants, .. } => {
                for variant in variants.iter_mut().filter(|v| !v.boxed) {
                    if held_size(&variant.ty, &sizes) > LARGEST_INLINE {
                        variant.boxed = true;
                        boxed += 1;
                    }
                }
            }
            _ => {}
        }
        let size = type_size(&def.kind, &sizes);
        sizes.insert(name, size);
    }
    boxed
}

/// The estimated size of a named type, given the sizes of the types it holds inline.
fn type_size(kind: &TypeKind, sizes: &BTreeMap<String, u64>) -> u64 {
    match kind {
        TypeKind::Struct { fields, .. } => fields
            .iter()
            .map(|f| field_size(f, sizes))
            .fold(0, u64::saturating_add),
        // The extra variant keeps the unknown value's text.
        TypeKind::Enum { .. } => size_of(&TypeRef::String, sizes) + POINTER,
        TypeKind::IntEnum { .. } => 2 * POINTER,
        TypeKind::Union { variants, .. } => variants
            .iter()
            .map(|v| variant_size(v, sizes))
            .max()
            .unwrap_or(0)
            .saturating_add(POINTER),
        // An operation's several success bodies: no field or variant holds them, so their size
        // decides nothing.
        TypeKind::Responses { .. } => POINTER,
        TypeKind::Alias(target) => size_of(target, sizes),
    }
}

fn field_size(field: &Field, sizes: &BTreeMap<String, u64>) -> u64 {
    let inner = if field.boxed {
        POINTER
    } else {
        size_of(field.ty.strip_nullable().0, sizes)
    };
    // Absent or `null`: an `Option` around it (counted without niches, as an upper bound).
    let optional = !field.required || matches!(field.ty, TypeRef::Nullable(_));
    if optional {
        inner.saturating_add(POINTER)
    } else {
        inner
    }
}

fn variant_size(variant: &UnionVariant, sizes: &BTreeMap<String, u64>) -> u64 {
    if variant.boxed {
        POINTER
    } else {
        size_of(&variant.ty, sizes)
    }
}

/// What a field or variant of type `ty` would hold inline if it were not boxed: the named
/// type's size, through a `Nullable`; nothing else can grow.
fn held_size(ty: &TypeRef, sizes: &BTreeMap<String, u64>) -> u64 {
    match ty {
        TypeRef::Named(_) | TypeRef::Nullable(_) => size_of(ty.strip_nullable().0, sizes),
        _ => 0,
    }
}

/// The estimated size of a use of a type. A named type not sized yet is one held behind a
/// pointer (a recursive one): it counts as the pointer.
fn size_of(ty: &TypeRef, sizes: &BTreeMap<String, u64>) -> u64 {
    match ty {
        TypeRef::Boolean | TypeRef::Unit => 1,
        TypeRef::Integer(IntegerWidth::I32) => 4,
        TypeRef::Integer(IntegerWidth::I64) | TypeRef::Number => 8,
        TypeRef::String | TypeRef::DateTime | TypeRef::Array(_) | TypeRef::Map(_) => 24,
        TypeRef::Object | TypeRef::Any | TypeRef::File | TypeRef::Bytes | TypeRef::Parts => 72,
        TypeRef::Nullable(inner) => size_of(inner, sizes).saturating_add(POINTER),
        TypeRef::Named(name) => sizes.get(name).copied().unwrap_or(POINTER),
    }
}

/// The types in an order where each comes after every type it holds inline (not behind a
/// `Box`, a `Vec` or a map), found without recursion so that a long chain of types cannot
/// overflow the stack. A cycle cannot remain once recursive types are boxed; if one did, its
/// types would still each be listed once.
fn inline_order(types: &BTreeMap<String, TypeDef>) -> Vec<String> {
    let held = |name: &str| -> Vec<&str> {
        let Some(def) = types.get(name) else {
            return Vec::new();
        };
        let inline = |ty: &'_ TypeRef, boxed: bool| -> Option<String> {
            match ty.strip_nullable().0 {
                TypeRef::Named(held) if !boxed => Some(held.clone()),
                _ => None,
            }
        };
        let names: Vec<String> = match &def.kind {
            TypeKind::Struct { fields, .. } => fields
                .iter()
                .filter_map(|f| inline(&f.ty, f.boxed))
                .collect(),
            TypeKind::Union { variants, .. } => variants
                .iter()
                .filter_map(|v| inline(&v.ty, v.boxed))
                .collect(),
            TypeKind::Alias(target) => inline(target, false).into_iter().collect(),
            TypeKind::Enum { .. } | TypeKind::IntEnum { .. } | TypeKind::Responses { .. } => {
                Vec::new()
            }
        };
        names
            .into_iter()
            .filter_map(|n| types.get_key_value(&n).map(|(k, _)| k.as_str()))
            .collect()
    };
    let mut order = Vec::with_capacity(types.len());
    let mut seen = BTreeSet::new();
    for start in types.keys() {
        if !seen.insert(start.as_str()) {
            continue;
        }
        let mut stack = vec![(start.as_str(), held(start), 0_usize)];
        while let Some((node, children, i)) = stack.pop() {
            match children.get(i) {
                Some(&child) => {
                    stack.push((node, children, i + 1));
                    if seen.insert(child) {
                        stack.push((child, held(child), 0));
                    }
                }
                None => order.push(node.to_owned()),
            }
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::StructPurpose;

    fn field(name: &str, ty: TypeRef) -> Field {
        Field {
            wire_name: name.to_owned(),
            rust_name: name.to_owned(),
            ty,
            required: true,
            description: None,
            setter: None,
            boxed: false,
            flatten: false,
            default: None,
            cookie: false,
            style: None,
        }
    }

    fn record(name: &str, fields: Vec<Field>) -> (String, TypeDef) {
        (
            name.to_owned(),
            TypeDef {
                name: name.to_owned(),
                description: None,
                origin: String::new(),
                kind: TypeKind::Struct {
                    fields,
                    purpose: StructPurpose::Schema,
                },
            },
        )
    }

    /// `T0` holds two strings; each `Tn` holds two `Tn-1`: inline, `Tn` would be
    /// 48 × 2ⁿ bytes, past any machine's address space at n = 60.
    fn doubling_chain(depth: usize) -> BTreeMap<String, TypeDef> {
        let mut types: BTreeMap<String, TypeDef> = BTreeMap::new();
        types.extend([record(
            "T0",
            vec![field("a", TypeRef::String), field("b", TypeRef::String)],
        )]);
        for n in 1..=depth {
            let below = TypeRef::Named(format!("T{}", n - 1));
            types.extend([record(
                &format!("T{n}"),
                vec![
                    field("left", below.clone()),
                    field("right", TypeRef::Nullable(Box::new(below))),
                ],
            )]);
        }
        types
    }

    #[test]
    fn a_doubling_chain_stays_small_at_any_depth() {
        let mut types = doubling_chain(200);
        let boxed = box_large_fields(&mut types);
        let mut sizes = BTreeMap::new();
        for name in inline_order(&types) {
            let size = type_size(&types[&name].kind, &sizes);
            assert!(
                size <= 2 * (LARGEST_INLINE + POINTER),
                "{name}: {size} bytes"
            );
            sizes.insert(name, size);
        }
        // T0 is 48 bytes, T3 440 and T4 888: T4 holds two T3 inline, T5 boxes its two T4s
        // and is small again, so the chain goes on in stretches.
        let boxes = |n: usize| {
            let TypeKind::Struct { fields, .. } = &types[&format!("T{n}")].kind else {
                unreachable!("the chain holds structs")
            };
            fields.iter().map(|f| f.boxed).collect::<Vec<_>>()
        };
        assert_eq!(boxes(4), [false, false]);
        assert_eq!(boxes(5), [true, true]);
        assert!(boxed > 0 && boxed < 2 * 200, "{boxed}");
    }

    #[test]
    fn small_types_stay_inline_and_recursive_ones_count_as_a_pointer() {
        let mut types: BTreeMap<String, TypeDef> = BTreeMap::new();
        let mut tail = field("next", TypeRef::Named("Node".into()));
        tail.boxed = true;
        types.extend([
            record("Node", vec![field("value", TypeRef::String), tail]),
            record(
                "Holder",
                vec![
                    field("node", TypeRef::Named("Node".into())),
                    field("missing", TypeRef::Named("NotDefined".into())),
                ],
            ),
        ]);
        assert_eq!(box_large_fields(&mut types), 0);
        let order = inline_order(&types);
        assert_eq!(order, ["Node", "Holder"]);
    }
}

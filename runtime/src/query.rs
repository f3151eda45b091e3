//! Parameter values as OpenAPI 3.0 serializes them: the query string (`form`,
//! `spaceDelimited`, `pipeDelimited` and `deepObject` styles) and the text of a header
//! (`simple`) or cookie (`form`) that holds a list or an object.
//!
//! The query struct of an operation is serialized with serde into `form` style with
//! `explode: true`, the default: a scalar is `key=value`, a list repeats its key
//! (`ids=a&ids=b`), an object gives one pair per property (`role=admin&name=Alex`). The
//! other styles are serde `serialize_with` functions on the field ([`comma`], [`space`],
//! [`pipe`], [`deep_object`]), which hand this serializer the value already written.

use std::fmt::{self, Display};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::ser::{self, Impossible, Serialize};

/// The struct name that marks a value written already (by a delimited style): put in the
/// query string as it is.
const WRITTEN: &str = "\0openapi-client-runtime::query::written";
/// The struct name that marks an object sent in `deepObject` style: `key[property]=value`.
const DEEP: &str = "\0openapi-client-runtime::query::deep";

/// Characters percent-encoded in a query key or value, as `application/x-www-form-urlencoded`
/// has them (and as servers' form parsers expect): all but letters, digits and `*-._`; a
/// space is `+`.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'*')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_');

/// Why a value cannot be put in a query string or a header.
#[derive(Debug)]
pub struct ShapeError(String);

impl Display for ShapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ShapeError {}

impl ser::Error for ShapeError {
    fn custom<T: Display>(message: T) -> Self {
        Self(message.to_string())
    }
}

fn shape(what: &str) -> ShapeError {
    ShapeError(format!("{what} cannot be sent as a parameter"))
}

fn encode(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT)
        .to_string()
        .replace("%20", "+")
}

/// The query string of a struct of parameters (without the `?`); unset (`None`) ones are
/// left out.
pub(crate) fn to_query_string(params: &impl Serialize) -> Result<String, ShapeError> {
    let mut pairs = Vec::new();
    // The struct is an object in `form` style, exploded: one pair per field.
    params.serialize(Param {
        key: "",
        pairs: &mut pairs,
        depth: 0,
        deep: false,
    })?;
    Ok(pairs.join("&"))
}

/// A list or object parameter joined by `,`: `form` style with `explode: false`
/// (`ids=a,b`, `point=x,1,y,2`).
pub fn comma<T: Serialize, S: ser::Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    delimited(value, ",", serializer)
}

/// A list or object parameter joined by spaces: `spaceDelimited` style (`ids=a%20b`).
pub fn space<T: Serialize, S: ser::Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    delimited(value, "%20", serializer)
}

/// A list or object parameter joined by `|`: `pipeDelimited` style (`ids=a|b`).
pub fn pipe<T: Serialize, S: ser::Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    delimited(value, "|", serializer)
}

/// A parameter described by JSON `content`: its value as JSON text (`filter={"x":1}`,
/// percent-encoded).
pub fn json<T: Serialize, S: ser::Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    let text = serde_json::to_string(value).map_err(ser::Error::custom)?;
    serializer.serialize_str(&text)
}

/// An object parameter in `deepObject` style: `filter[name]=Alex&filter[role]=admin`.
pub fn deep_object<T: Serialize, S: ser::Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_newtype_struct(DEEP, value)
}

fn delimited<T: Serialize, S: ser::Serializer>(
    value: &T,
    separator: &str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let items = flatten(value, false).map_err(ser::Error::custom)?;
    let written: Vec<String> = items.iter().map(|item| encode(item)).collect();
    serializer.serialize_newtype_struct(WRITTEN, &written.join(separator))
}

/// A list or object as the text of a header (`simple` style) or cookie (`form` style with
/// `explode: false`): its items, or its properties and values, joined by `,`; with
/// `explode`, an object's properties are written `name=value`.
pub(crate) fn joined(value: &impl Serialize, explode: bool) -> Result<String, ShapeError> {
    Ok(flatten(value, explode)?.join(","))
}

/// A list's items as text; an object's properties and values in turn, or (`pairs`) each as
/// `name=value`; a scalar alone. `None` and `null` are left out.
fn flatten(value: &impl Serialize, pairs: bool) -> Result<Vec<String>, ShapeError> {
    let mut items = Vec::new();
    value.serialize(Flat {
        items: &mut items,
        pairs,
    })?;
    Ok(items)
}

/// The text of a scalar (`None` for `null`), or an error for a list or an object.
fn scalar_text(value: &(impl Serialize + ?Sized)) -> Result<Option<String>, ShapeError> {
    value.serialize(Scalar)
}

// ----- the serializers ---------------------------------------------------------------------

/// One parameter's value, in `form` style with `explode: true` unless it is marked.
struct Param<'p, 'k> {
    /// The key, percent-encoded already.
    key: &'k str,
    pairs: &'p mut Vec<String>,
    /// 0 for the struct of parameters, 1 for a parameter, 2 for a property of one: an object
    /// deeper than that has no serialization in OpenAPI.
    depth: u8,
    /// An object is written in `deepObject` style.
    deep: bool,
}

impl Param<'_, '_> {
    fn push(self, value: Option<String>) -> Result<(), ShapeError> {
        if let Some(value) = value {
            self.pairs.push(format!("{}={}", self.key, encode(&value)));
        }
        Ok(())
    }
}

macro_rules! param_scalars {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, value: $ty) -> Result<(), ShapeError> {
            self.push(Some(value.to_string()))
        })*
    };
}

impl<'p, 'k> ser::Serializer for Param<'p, 'k> {
    type Ok = ();
    type Error = ShapeError;
    type SerializeSeq = Exploded<'p, 'k>;
    type SerializeTuple = Exploded<'p, 'k>;
    type SerializeTupleStruct = Impossible<(), ShapeError>;
    type SerializeTupleVariant = Impossible<(), ShapeError>;
    type SerializeMap = Exploded<'p, 'k>;
    type SerializeStruct = Exploded<'p, 'k>;
    type SerializeStructVariant = Impossible<(), ShapeError>;

    param_scalars! {
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_f32: f32, serialize_f64: f64, serialize_char: char,
        serialize_str: &str
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), ShapeError> {
        Err(shape("bytes"))
    }
    fn serialize_none(self) -> Result<(), ShapeError> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), ShapeError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), ShapeError> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), ShapeError> {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), ShapeError> {
        self.push(Some(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), ShapeError> {
        match name {
            WRITTEN => {
                let written = scalar_text(value)?.unwrap_or_default();
                self.pairs.push(format!("{}={written}", self.key));
                Ok(())
            }
            DEEP => value.serialize(Param { deep: true, ..self }),
            _ => value.serialize(self),
        }
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), ShapeError> {
        Err(shape("a tagged value"))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Exploded<'p, 'k>, ShapeError> {
        Ok(self.exploded())
    }
    fn serialize_tuple(self, _: usize) -> Result<Exploded<'p, 'k>, ShapeError> {
        Ok(self.exploded())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, ShapeError> {
        Err(shape("a tuple"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, ShapeError> {
        Err(shape("a tagged value"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Exploded<'p, 'k>, ShapeError> {
        self.object()
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Exploded<'p, 'k>, ShapeError> {
        self.object()
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, ShapeError> {
        Err(shape("a tagged value"))
    }
}

impl<'p, 'k> Param<'p, 'k> {
    fn exploded(self) -> Exploded<'p, 'k> {
        Exploded {
            key: self.key,
            pairs: self.pairs,
            deep: self.deep,
            depth: self.depth,
            property: None,
        }
    }

    fn object(self) -> Result<Exploded<'p, 'k>, ShapeError> {
        if self.depth >= 2 {
            return Err(shape("an object inside an object"));
        }
        Ok(self.exploded())
    }
}

/// The items of a list, each `key=item`; the properties of an object, each `property=value`
/// (or `key[property]=value` for `deepObject`).
struct Exploded<'p, 'k> {
    key: &'k str,
    pairs: &'p mut Vec<String>,
    deep: bool,
    depth: u8,
    property: Option<String>,
}

impl Exploded<'_, '_> {
    fn item(&mut self, value: &(impl Serialize + ?Sized)) -> Result<(), ShapeError> {
        if let Some(text) = scalar_text(value)? {
            self.pairs.push(format!("{}={}", self.key, encode(&text)));
        }
        Ok(())
    }

    fn property(
        &mut self,
        name: &str,
        value: &(impl Serialize + ?Sized),
    ) -> Result<(), ShapeError> {
        let key = if self.deep {
            format!("{}[{}]", self.key, encode(name))
        } else {
            encode(name)
        };
        // A list in a property repeats its key, as a list parameter does.
        value.serialize(Param {
            key: &key,
            pairs: self.pairs,
            depth: self.depth + 1,
            deep: false,
        })
    }
}

impl ser::SerializeSeq for Exploded<'_, '_> {
    type Ok = ();
    type Error = ShapeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ShapeError> {
        self.item(value)
    }
    fn end(self) -> Result<(), ShapeError> {
        Ok(())
    }
}

impl ser::SerializeTuple for Exploded<'_, '_> {
    type Ok = ();
    type Error = ShapeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ShapeError> {
        self.item(value)
    }
    fn end(self) -> Result<(), ShapeError> {
        Ok(())
    }
}

impl ser::SerializeStruct for Exploded<'_, '_> {
    type Ok = ();
    type Error = ShapeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), ShapeError> {
        self.property(name, value)
    }
    fn end(self) -> Result<(), ShapeError> {
        Ok(())
    }
}

impl ser::SerializeMap for Exploded<'_, '_> {
    type Ok = ();
    type Error = ShapeError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), ShapeError> {
        self.property = Some(scalar_text(key)?.ok_or_else(|| shape("a `null` name"))?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ShapeError> {
        let name = self.property.take().unwrap_or_default();
        self.property(&name, value)
    }
    fn end(self) -> Result<(), ShapeError> {
        Ok(())
    }
}

/// A list's items or an object's properties and values as texts, for the delimited styles
/// and for headers.
struct Flat<'i> {
    items: &'i mut Vec<String>,
    pairs: bool,
}

macro_rules! flat_scalars {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, value: $ty) -> Result<(), ShapeError> {
            self.items.push(value.to_string());
            Ok(())
        })*
    };
}

impl<'i> ser::Serializer for Flat<'i> {
    type Ok = ();
    type Error = ShapeError;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Impossible<(), ShapeError>;
    type SerializeTupleVariant = Impossible<(), ShapeError>;
    type SerializeMap = FlatMap<'i>;
    type SerializeStruct = FlatMap<'i>;
    type SerializeStructVariant = Impossible<(), ShapeError>;

    flat_scalars! {
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_f32: f32, serialize_f64: f64, serialize_char: char,
        serialize_str: &str
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), ShapeError> {
        Err(shape("bytes"))
    }
    fn serialize_none(self) -> Result<(), ShapeError> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), ShapeError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), ShapeError> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), ShapeError> {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), ShapeError> {
        self.items.push(variant.to_owned());
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), ShapeError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), ShapeError> {
        Err(shape("a tagged value"))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, ShapeError> {
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, ShapeError> {
        Ok(self)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, ShapeError> {
        Err(shape("a tuple"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, ShapeError> {
        Err(shape("a tagged value"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<FlatMap<'i>, ShapeError> {
        Ok(FlatMap {
            flat: self,
            property: None,
        })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<FlatMap<'i>, ShapeError> {
        Ok(FlatMap {
            flat: self,
            property: None,
        })
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, ShapeError> {
        Err(shape("a tagged value"))
    }
}

impl ser::SerializeSeq for Flat<'_> {
    type Ok = ();
    type Error = ShapeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ShapeError> {
        self.items.extend(scalar_text(value)?);
        Ok(())
    }
    fn end(self) -> Result<(), ShapeError> {
        Ok(())
    }
}

impl ser::SerializeTuple for Flat<'_> {
    type Ok = ();
    type Error = ShapeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ShapeError> {
        self.items.extend(scalar_text(value)?);
        Ok(())
    }
    fn end(self) -> Result<(), ShapeError> {
        Ok(())
    }
}

struct FlatMap<'i> {
    flat: Flat<'i>,
    property: Option<String>,
}

impl FlatMap<'_> {
    fn property(
        &mut self,
        name: &str,
        value: &(impl Serialize + ?Sized),
    ) -> Result<(), ShapeError> {
        let Some(value) = scalar_text(value)? else {
            return Ok(());
        };
        if self.flat.pairs {
            self.flat.items.push(format!("{name}={value}"));
        } else {
            self.flat.items.push(name.to_owned());
            self.flat.items.push(value);
        }
        Ok(())
    }
}

impl ser::SerializeStruct for FlatMap<'_> {
    type Ok = ();
    type Error = ShapeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), ShapeError> {
        self.property(name, value)
    }
    fn end(self) -> Result<(), ShapeError> {
        Ok(())
    }
}

impl ser::SerializeMap for FlatMap<'_> {
    type Ok = ();
    type Error = ShapeError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), ShapeError> {
        self.property = Some(scalar_text(key)?.ok_or_else(|| shape("a `null` name"))?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ShapeError> {
        let name = self.property.take().unwrap_or_default();
        self.property(&name, value)
    }
    fn end(self) -> Result<(), ShapeError> {
        Ok(())
    }
}

/// One scalar as text; `None` for `null`.
struct Scalar;

macro_rules! scalar_texts {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, value: $ty) -> Result<Option<String>, ShapeError> {
            Ok(Some(value.to_string()))
        })*
    };
}

impl ser::Serializer for Scalar {
    type Ok = Option<String>;
    type Error = ShapeError;
    type SerializeSeq = Impossible<Option<String>, ShapeError>;
    type SerializeTuple = Impossible<Option<String>, ShapeError>;
    type SerializeTupleStruct = Impossible<Option<String>, ShapeError>;
    type SerializeTupleVariant = Impossible<Option<String>, ShapeError>;
    type SerializeMap = Impossible<Option<String>, ShapeError>;
    type SerializeStruct = Impossible<Option<String>, ShapeError>;
    type SerializeStructVariant = Impossible<Option<String>, ShapeError>;

    scalar_texts! {
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_f32: f32, serialize_f64: f64, serialize_char: char,
        serialize_str: &str
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Option<String>, ShapeError> {
        Err(shape("bytes"))
    }
    fn serialize_none(self) -> Result<Option<String>, ShapeError> {
        Ok(None)
    }
    fn serialize_some<T: Serialize + ?Sized>(
        self,
        value: &T,
    ) -> Result<Option<String>, ShapeError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Option<String>, ShapeError> {
        Ok(None)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Option<String>, ShapeError> {
        Ok(None)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Option<String>, ShapeError> {
        Ok(Some(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Option<String>, ShapeError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Option<String>, ShapeError> {
        Err(shape("a tagged value"))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, ShapeError> {
        Err(shape("a list inside a list or an object"))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, ShapeError> {
        Err(shape("a list inside a list or an object"))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, ShapeError> {
        Err(shape("a tuple"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, ShapeError> {
        Err(shape("a tagged value"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, ShapeError> {
        Err(shape("an object inside a list or an object"))
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, ShapeError> {
        Err(shape("an object inside a list or an object"))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, ShapeError> {
        Err(shape("a tagged value"))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::*;

    #[derive(Serialize)]
    struct Point {
        x: i32,
        y: Option<i32>,
        label: &'static str,
    }

    #[derive(Serialize)]
    struct Query {
        q: Option<&'static str>,
        ids: Vec<&'static str>,
        #[serde(serialize_with = "comma")]
        fields: Vec<&'static str>,
        #[serde(serialize_with = "space")]
        words: Vec<&'static str>,
        #[serde(serialize_with = "pipe", skip_serializing_if = "Option::is_none")]
        tags: Option<Vec<i64>>,
        #[serde(serialize_with = "deep_object")]
        filter: BTreeMap<&'static str, &'static str>,
        #[serde(serialize_with = "json")]
        doc: Point,
        point: Point,
        #[serde(serialize_with = "comma")]
        at: Point,
    }

    fn query() -> Query {
        Query {
            q: Some("a b&c"),
            ids: vec!["x", "y/z"],
            fields: vec!["impressions", "click,s"],
            words: vec!["one", "two"],
            tags: Some(vec![1, 2]),
            filter: BTreeMap::from([("role", "admin"), ("name", "Al ex")]),
            doc: Point {
                x: 5,
                y: None,
                label: "d",
            },
            point: Point {
                x: 1,
                y: None,
                label: "p",
            },
            at: Point {
                x: 3,
                y: Some(4),
                label: "q",
            },
        }
    }

    #[test]
    fn every_style_writes_what_openapi_says() {
        assert_eq!(
            to_query_string(&query()).unwrap(),
            "q=a+b%26c&ids=x&ids=y%2Fz&fields=impressions,click%2Cs&words=one%20two&tags=1|2\
             &filter[name]=Al+ex&filter[role]=admin\
             &doc=%7B%22x%22%3A5%2C%22y%22%3Anull%2C%22label%22%3A%22d%22%7D&x=1&label=p&at=x,3,y,4,label,q"
        );
    }

    #[test]
    fn unset_values_are_left_out() {
        let mut q = query();
        q.q = None;
        q.tags = None;
        q.ids.clear();
        let text = to_query_string(&q).unwrap();
        assert!(text.starts_with("fields="), "{text}");
        assert!(!text.contains("tags") && !text.contains("ids"), "{text}");
    }

    #[test]
    fn headers_join_items_and_properties() {
        assert_eq!(joined(&vec!["a", "b"], false).unwrap(), "a,b");
        let point = Point {
            x: 1,
            y: Some(2),
            label: "l",
        };
        assert_eq!(joined(&point, false).unwrap(), "x,1,y,2,label,l");
        assert_eq!(joined(&point, true).unwrap(), "x=1,y=2,label=l");
        assert_eq!(joined(&7, false).unwrap(), "7");
    }

    #[test]
    fn nested_lists_are_an_error_not_a_guess() {
        #[derive(Serialize)]
        struct Nested {
            grid: Vec<Vec<i32>>,
        }
        let error = to_query_string(&Nested {
            grid: vec![vec![1]],
        })
        .unwrap_err();
        assert!(
            error.to_string().contains("a list inside a list"),
            "{error}"
        );
        assert!(joined(&vec![vec![1]], false).is_err());
    }
}

//! The QAPI built-in types as Rust types.
//!
//! | QAPI | Rust |
//! |---|---|
//! | `str` | `String` |
//! | `int`, `int64` | `i64` |
//! | `int8`, `int16`, `int32` | `i8`, `i16`, `i32` |
//! | `uint8` … `uint64` | `u8` … `u64` |
//! | `size` | [`Size`] |
//! | `number` | `f64` |
//! | `bool` | `bool` |
//! | `null` | [`Null`] |
//! | `any` | `serde_json::Value` or [`Value`] |
//! | `QType` | [`QType`] |
//! | `['T']` | `Vec<T>` |
//!
//! `Box<T>` is the same QAPI type as `T` (for recursive types).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::decode::Decoder;
use crate::describe::SchemaBuilder;
use crate::error::Result;
use crate::schema::TypeRef;
use crate::traits::{Kind, Qapi, QapiEnum};
use crate::value::Value;

impl Qapi for String {
    // Does not recurse (see `Qapi::DEEP_CHECKS`).
    const DEEP_CHECKS: bool = false;
    const KIND: Kind = Kind::String;
    fn describe(_: &mut SchemaBuilder) -> TypeRef {
        TypeRef::named("str")
    }
    fn decode(v: Value, d: &mut Decoder) -> Result<Self> {
        match v {
            Value::String(s) => Ok(s),
            _ => Err(d.type_error("string")),
        }
    }
}

impl Qapi for bool {
    // Does not recurse (see `Qapi::DEEP_CHECKS`).
    const DEEP_CHECKS: bool = false;
    const KIND: Kind = Kind::Boolean;
    fn describe(_: &mut SchemaBuilder) -> TypeRef {
        TypeRef::named("bool")
    }
    fn decode(v: Value, d: &mut Decoder) -> Result<Self> {
        match v {
            Value::Bool(b) => Ok(b),
            _ => Err(d.type_error("boolean")),
        }
    }
}

impl Qapi for f64 {
    // Does not recurse (see `Qapi::DEEP_CHECKS`).
    const DEEP_CHECKS: bool = false;
    const KIND: Kind = Kind::Number;
    fn describe(_: &mut SchemaBuilder) -> TypeRef {
        TypeRef::named("number")
    }
    fn decode(v: Value, d: &mut Decoder) -> Result<Self> {
        match v {
            Value::Int(i) => Ok(i as f64),
            Value::UInt(u) => Ok(u as f64),
            Value::Double(x) => Ok(x),
            _ => Err(d.type_error("number")),
        }
    }
}

/// QEMU's `int64` input: an integer that fits `i64`.
fn decode_i64(v: Value, d: &Decoder) -> Result<i64> {
    match v {
        Value::Int(i) => Ok(i),
        _ => Err(d.type_error("integer")),
    }
}

/// QEMU's `uint64` input: a non-negative integer that fits `u64`, or a
/// negative one that fits `i64` (wrapped modulo 2^64, as QEMU accepts it).
fn decode_u64(v: Value, d: &Decoder) -> Result<u64> {
    match v {
        Value::Int(i) => Ok(i as u64),
        Value::UInt(u) => Ok(u),
        _ => Err(d.expects_full("uint64")),
    }
}

impl Qapi for i64 {
    // Does not recurse (see `Qapi::DEEP_CHECKS`).
    const DEEP_CHECKS: bool = false;
    const KIND: Kind = Kind::Number;
    fn describe(_: &mut SchemaBuilder) -> TypeRef {
        TypeRef::named("int")
    }
    fn decode(v: Value, d: &mut Decoder) -> Result<Self> {
        decode_i64(v, d)
    }
}

impl Qapi for u64 {
    // Does not recurse (see `Qapi::DEEP_CHECKS`).
    const DEEP_CHECKS: bool = false;
    const KIND: Kind = Kind::Number;
    fn describe(_: &mut SchemaBuilder) -> TypeRef {
        TypeRef::named("uint64")
    }
    fn decode(v: Value, d: &mut Decoder) -> Result<Self> {
        decode_u64(v, d)
    }
}

macro_rules! sized_int {
    ($($t:ty => $qapi:literal, $ctype:literal, $via:ident;)*) => {$(
        impl Qapi for $t {
            // Does not recurse (see `Qapi::DEEP_CHECKS`).
            const DEEP_CHECKS: bool = false;
            const KIND: Kind = Kind::Number;
            fn describe(_: &mut SchemaBuilder) -> TypeRef {
                TypeRef::named($qapi)
            }
            fn decode(v: Value, d: &mut Decoder) -> Result<Self> {
                let wide = $via(v, d)?;
                <$t>::try_from(wide).map_err(|_| d.expects_bare($ctype))
            }
        }
    )*};
}

sized_int! {
    i8 => "int8", "int8_t", decode_i64;
    i16 => "int16", "int16_t", decode_i64;
    i32 => "int32", "int32_t", decode_i64;
    u8 => "uint8", "uint8_t", decode_u64;
    u16 => "uint16", "uint16_t", decode_u64;
    u32 => "uint32", "uint32_t", decode_u64;
}

/// QAPI `size`: a byte count, a `u64` on the wire (input rules of
/// `uint64`), described as `size` in the schema.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Size(pub u64);

impl From<u64> for Size {
    fn from(n: u64) -> Size {
        Size(n)
    }
}

impl From<Size> for u64 {
    fn from(s: Size) -> u64 {
        s.0
    }
}

impl std::ops::Deref for Size {
    type Target = u64;
    fn deref(&self) -> &u64 {
        &self.0
    }
}

impl Serialize for Size {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(self.0)
    }
}

impl<'de> Deserialize<'de> for Size {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Size, D::Error> {
        crate::__private::deserialize(d)
    }
}

impl Qapi for Size {
    // Does not recurse (see `Qapi::DEEP_CHECKS`).
    const DEEP_CHECKS: bool = false;
    const KIND: Kind = Kind::Number;
    fn describe(_: &mut SchemaBuilder) -> TypeRef {
        TypeRef::named("size")
    }
    fn decode(v: Value, d: &mut Decoder) -> Result<Self> {
        decode_u64(v, d).map(Size)
    }
}

/// QAPI `null`: the JSON value `null` and nothing else.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Null;

impl Serialize for Null {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_unit()
    }
}

impl<'de> Deserialize<'de> for Null {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Null, D::Error> {
        crate::__private::deserialize(d)
    }
}

impl Qapi for Null {
    // Does not recurse (see `Qapi::DEEP_CHECKS`).
    const DEEP_CHECKS: bool = false;
    const KIND: Kind = Kind::Null;
    fn describe(_: &mut SchemaBuilder) -> TypeRef {
        TypeRef::named("null")
    }
    fn decode(v: Value, d: &mut Decoder) -> Result<Self> {
        match v {
            Value::Null => Ok(Null),
            _ => Err(d.type_error("null")),
        }
    }
}

impl Qapi for serde_json::Value {
    // Does not recurse (see `Qapi::DEEP_CHECKS`).
    const DEEP_CHECKS: bool = false;
    const KIND: Kind = Kind::Any;
    fn describe(_: &mut SchemaBuilder) -> TypeRef {
        TypeRef::named("any")
    }
    fn decode(v: Value, _: &mut Decoder) -> Result<Self> {
        Ok(v.into())
    }
}

impl Qapi for Value {
    // Does not recurse (see `Qapi::DEEP_CHECKS`).
    const DEEP_CHECKS: bool = false;
    const KIND: Kind = Kind::Any;
    fn describe(_: &mut SchemaBuilder) -> TypeRef {
        TypeRef::named("any")
    }
    fn decode(v: Value, _: &mut Decoder) -> Result<Self> {
        Ok(v)
    }
}

impl<T: Qapi> Qapi for Vec<T> {
    const KIND: Kind = Kind::Array;
    const ELEMENT_KIND: Option<Kind> = Some(T::KIND);
    fn describe(s: &mut SchemaBuilder) -> TypeRef {
        TypeRef::array(T::describe(s))
    }
    // Checks in `decode` (see `Qapi::DEEP_CHECKS`).
    const DEEP_CHECKS: bool = false;
    fn decode(v: Value, d: &mut Decoder) -> Result<Self> {
        d.checked(v, decode_list)
    }
}

fn decode_list<T: Qapi>(v: Value, d: &mut Decoder) -> Result<Vec<T>> {
    // Written for size: this is instantiated for every element type.
    let items = array_items(v, d)?;
    let mut out = Vec::with_capacity(items.len());
    match d.elements(items, &mut |v, d| {
        out.push(d.down(v)?);
        Ok(())
    }) {
        Ok(()) => Ok(out),
        Err(e) => Err(e),
    }
}

// The untyped half of decoding a list (one copy for all element types).
fn array_items(v: Value, d: &Decoder) -> Result<Vec<Value>> {
    match v {
        Value::Array(items) => Ok(items),
        _ => Err(d.type_error("array")),
    }
}

impl<T: Qapi> Qapi for Box<T> {
    const KIND: Kind = T::KIND;
    const ELEMENT_KIND: Option<Kind> = T::ELEMENT_KIND;
    fn describe(s: &mut SchemaBuilder) -> TypeRef {
        T::describe(s)
    }
    // Checks in `decode` (see `Qapi::DEEP_CHECKS`).
    const DEEP_CHECKS: bool = false;
    fn decode(v: Value, d: &mut Decoder) -> Result<Self> {
        d.checked(v, |v, d| T::decode(v, d).map(Box::new))
    }
}

impl<T: crate::QapiObject> crate::QapiObject for Box<T> {
    fn decode_members(obj: &mut crate::ObjectInput, d: &mut Decoder) -> Result<Self> {
        T::decode_members(obj, d).map(Box::new)
    }
    fn serialize_members<M: serde::ser::SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        (**self).serialize_members(m)
    }
}

/// QAPI's predefined enum `QType`: the JSON type of a QObject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QType {
    None,
    QNull,
    QNum,
    QString,
    QDict,
    QList,
    QBool,
}

impl QapiEnum for QType {
    const VALUES: &'static [QType] = &[
        QType::None,
        QType::QNull,
        QType::QNum,
        QType::QString,
        QType::QDict,
        QType::QList,
        QType::QBool,
    ];
    const NAMES: &'static [&'static str] = crate::schema::QTYPE_VALUES;
    fn index(self) -> usize {
        self as usize
    }
}

impl Serialize for QType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for QType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<QType, D::Error> {
        crate::__private::deserialize(d)
    }
}

impl Qapi for QType {
    // Does not recurse (see `Qapi::DEEP_CHECKS`).
    const DEEP_CHECKS: bool = false;
    const KIND: Kind = Kind::String;
    fn describe(s: &mut SchemaBuilder) -> TypeRef {
        s.define("QType", std::any::TypeId::of::<QType>(), |_| {
            crate::schema::Definition::Enum(crate::schema::EnumDef {
                common: crate::schema::Common::new("QType"),
                values: crate::schema::QTYPE_VALUES
                    .iter()
                    .map(|v| crate::schema::EnumValue::new(*v))
                    .collect(),
                prefix: Some("QTYPE".to_owned()),
            })
        })
    }
    fn decode(v: Value, d: &mut Decoder) -> Result<Self> {
        crate::__private::decode_enum(v, d)
    }
}

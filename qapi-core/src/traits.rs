//! The traits every QAPI type implements.

use crate::decode::{Decoder, ObjectInput};
use crate::describe::SchemaBuilder;
use crate::error::Result;
use crate::schema::{Branch, TypeRef};
use crate::value::{JsonType, Value};

/// How a type appears in JSON. Alternates use it to pick a branch from the
/// JSON type of the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Null,
    Boolean,
    /// `int`, the sized integers, `size` and `number`.
    Number,
    /// `str` and enums.
    String,
    Object,
    Array,
    /// `any`: every JSON value (not allowed as an alternate branch).
    Any,
    /// An alternate: its JSON type depends on the value (not allowed as
    /// an alternate branch).
    Alternate,
}

impl Kind {
    /// Whether a value of JSON type `t` belongs to this kind.
    pub const fn accepts(self, t: JsonType) -> bool {
        matches!(
            (self, t),
            (Kind::Any, _)
                | (Kind::Null, JsonType::Null)
                | (Kind::Boolean, JsonType::Boolean)
                | (Kind::Number, JsonType::Number)
                | (Kind::String, JsonType::String)
                | (Kind::Object, JsonType::Object)
                | (Kind::Array, JsonType::Array)
        )
    }
}

/// A QAPI type: a built-in, an enum, a struct, a union, an alternate or
/// an array of one of those.
///
/// Implemented by `#[derive(Qapi)]`. Decoding follows QEMU's input rules
/// and error texts (see [`crate::decode`]); encoding is the type's
/// `serde::Serialize` impl.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a QAPI type",
    label = "not a QAPI type",
    note = "add `#[derive(Qapi)]` to `{Self}`, or use a QAPI built-in (String, i64, u16, f64, bool, qapi::Size, qapi::Null, serde_json::Value, Vec<T>, Box<T>)"
)]
pub trait Qapi: serde::Serialize + serde::de::DeserializeOwned + Sized {
    /// How values of this type appear in JSON.
    const KIND: Kind;

    /// For an array type, how its elements appear in JSON.
    const ELEMENT_KIND: Option<Kind> = None;

    /// Adds this type's definition (and those of the types it uses) to
    /// the schema being built, and returns a reference to it.
    fn describe(s: &mut SchemaBuilder) -> TypeRef;

    /// Decodes a value with QEMU's rules.
    fn decode(v: Value, d: &mut Decoder) -> Result<Self>;
}

/// A QAPI object type (struct or union): its members can be read from,
/// and written into, an enclosing object. This is what makes `base`
/// and union branches flatten into one JSON object.
pub trait QapiObject: Qapi {
    /// Reads this type's members (base members first) from `obj`,
    /// without checking for leftovers.
    fn decode_members(obj: &mut ObjectInput, d: &mut Decoder) -> Result<Self>;

    /// Writes this type's members (absent optional members omitted).
    fn serialize_members<M: serde::ser::SerializeMap>(&self, m: &mut M) -> Result<(), M::Error>;
}

/// A QAPI enum.
pub trait QapiEnum: Qapi + Copy + Eq + 'static {
    /// Every value, in schema order.
    const VALUES: &'static [Self];

    /// The wire name of this value.
    fn as_str(&self) -> &'static str;

    /// The value with this wire name.
    fn from_name(name: &str) -> Option<Self>;

    /// The special features (`deprecated`, `unstable`) of this value, as
    /// a mask of [`crate::policy::DEPRECATED`] and
    /// [`crate::policy::UNSTABLE`].
    fn special_features(&self) -> u8 {
        0
    }
}

/// The branches of a flat union, tied to the values of its tag enum.
///
/// Derived with `#[qapi(branches(tag = "TagEnum"))]` on an enum with one
/// variant per tag value: a newtype variant holds that branch's object, a
/// unit variant is a value without a branch (QAPI's implicit empty
/// branch). The tag is computed from the variant, so the two cannot
/// disagree.
pub trait QapiBranches: Sized {
    /// The discriminator enum.
    type Tag: QapiEnum;

    /// The tag value of this branch.
    fn tag(&self) -> Self::Tag;

    /// Reads the members of the branch selected by `tag`.
    fn decode_branch(tag: Self::Tag, obj: &mut ObjectInput, d: &mut Decoder) -> Result<Self>;

    /// Writes the members of this branch.
    fn serialize_branch<M: serde::ser::SerializeMap>(&self, m: &mut M) -> Result<(), M::Error>;

    /// The branches listed in the schema (newtype variants), in order.
    fn describe_branches(s: &mut SchemaBuilder) -> Vec<Branch>;
}

/// QEMU's rule for `returns`: an object type, or an array of object
/// types (other returns need the `command-returns-exceptions` pragma;
/// here `#[qapi(returns_exception)]`).
pub const fn returns_ok(kind: Kind, element: Option<Kind>) -> bool {
    matches!((kind, element), (Kind::Object, _) | (Kind::Array, Some(Kind::Object)))
}
